"""Benchmark the screening surface (issue 14) beside plain-numpy baselines.

Run: `.venv/bin/python benchmarks/bench_surface.py [--no-write] [--skip-res8]`. Prints a Markdown
section and rewrites `benchmarks/RESULTS.md`'s `surface` block (only that block).

* cold build: a fresh interpreter per run (imports, layer loading and the build timed apart), median;
* rescore: new weights on the built surface (one matrix-vector product), against a bare numpy
  product of the same matrix;
* nearest 400 kV substation for every cell: k-d tree (ours), shapely STRtree
  (``siting.proximity.nearest``) and brute-force numpy distances;
* people within 50 km: the gridded sum (ours) against the exact ``sum_within`` of all communes;
* resolution 8 in a fresh interpreter: build time and peak memory (``ru_maxrss``);
* deck payload of ``deck_records`` at resolutions 5-7, and the PNG a BitmapLayer would need instead.
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_model import machine, timed, write_block  # noqa: E402
from siting import locate  # noqa: E402
from siting import surface as S  # noqa: E402
from siting.data import load_inputs  # noqa: E402
from siting.proximity import Infrastructure, nearest, sum_within  # noqa: E402
from siting.scoring import PRESETS, default_weights, prepare_sites  # noqa: E402

COLD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
from siting import surface as S
from siting.data import data_root, load_layer
from siting.proximity import Infrastructure
from siting.schema import CABLE_LANDINGS, COMMUNES, GRID_POINTS, POWER_PLANTS
from siting.scoring import default_weights
t1 = time.perf_counter()
root = data_root()
infra = Infrastructure(*(load_layer(root / s.path, s) for s in (GRID_POINTS, CABLE_LANDINGS, POWER_PLANTS, COMMUNES)))
outline = S.load_outline(root)
t2 = time.perf_counter()
surface = S.build_surface(infra, outline, int(sys.argv[1]))
t3 = time.perf_counter()
scores = surface.scores(default_weights())
t4 = time.perf_counter()
print(json.dumps({"imports": t1 - t0, "load": t2 - t1, "build": t3 - t2, "first_score": t4 - t3,
                  "cells": len(surface), "scored": surface.n_scored,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def cold(resolution: int, runs: int) -> dict:
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", COLD, str(resolution)], cwd=ROOT, capture_output=True,
                             text=True, check=True, timeout=600)
        results.append(json.loads(out.stdout))
    return {k: statistics.median(r[k] for r in results) for k in results[0]}




def png_bytes(surface: S.Surface, scores: np.ndarray, step_deg: float) -> tuple[int, tuple[int, int]]:
    """Size of a PNG of the surface on a lon/lat raster of ``step_deg`` (transparent off the cells)."""
    from PIL import Image
    from scipy.spatial import cKDTree

    lon0, lat0, lon1, lat1 = surface.lon.min(), surface.lat.min(), surface.lon.max(), surface.lat.max()
    lons = np.arange(lon0, lon1, step_deg)
    lats = np.arange(lat1, lat0, -step_deg)
    gx, gy = np.meshgrid(lons, lats)
    scale = np.cos(np.radians(46.5))
    tree = cKDTree(np.column_stack([surface.lon * scale, surface.lat]))
    dist, idx = tree.query(np.column_stack([gx.ravel() * scale, gy.ravel()]), workers=-1)
    inside = dist <= S.cell_radius_km(surface.resolution) / 111.0
    s = scores[idx]
    ok = inside & np.isfinite(s)
    rgba = np.zeros((gx.size, 4), dtype=np.uint8)
    rgba[ok, :3] = S.score_colours(s[ok])
    rgba[ok, 3] = 200
    image = Image.fromarray(rgba.reshape(gx.shape + (4,)), "RGBA")
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=True)
    return len(buf.getvalue()), image.size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    parser.add_argument("--skip-res8", action="store_true", help="leave out the resolution-8 run")
    parser.add_argument("--runs", type=int, default=3, help="fresh interpreters per cold measurement")
    args = parser.parse_args()

    rows: list[tuple[str, str, str, str, str]] = []
    c7 = cold(7, args.runs)
    rows.append(("resolution 7 from cold: build (layers loaded)", f"{c7['build']:.2f}", "", "", "< 3 s"))
    rows.append(("  + interpreter imports, + layer loading and validation",
                 f"{c7['imports']:.2f} + {c7['load']:.2f}", "", "", ""))
    rows.append(("  cells in the outline / scored (dense urban cores excluded)",
                 f"{c7['cells']:,} / {c7['scored']:,}", "", "", ""))

    inputs = load_inputs(ROOT)
    infra = Infrastructure.of(inputs)
    outline = S.load_outline(ROOT)
    surfaces = {r: S.build_surface(infra, outline, r) for r in (5, 6, 7)}
    s7 = surfaces[7]
    rng = np.random.default_rng(0)
    keys = list(default_weights())
    weight_sets = [{k: float(rng.integers(0, 11)) for k in keys} | {"dist_grid_400_km": 1.0 + i % 9}
                   for i in range(50)]
    it = iter(weight_sets * 4)
    ours, _ = timed(lambda: s7.scores(next(it)), 50)
    u = s7.utilities
    share = S.location_weights(weight_sets[0]) / S.location_weights(weight_sets[0]).sum()
    base, _ = timed(lambda: 100.0 * (u * share).sum(axis=1), 50)
    rows.append(("rescore resolution 7 for new weights (check, renormalise, WSM, exclusions)", f"{ours * 1000:.2f} ms",
                 f"{base * 1000:.2f} ms", f"{ours / base:.1f}×", "< 50 ms"))

    kv = infra.grid["voltage_kv"].to_numpy(float)
    targets = infra.grid_xy[(kv >= 400) & infra.in_service]
    kd, _ = timed(lambda: S.nearest_km(s7.xy, targets), 5)
    st, _ = timed(lambda: nearest(s7.xy, targets), 3)

    def brute():
        out = np.empty(len(s7.xy))
        for a in range(0, len(s7.xy), 20_000):
            d = s7.xy[a:a + 20_000, None, :] - targets[None, :, :]
            out[a:a + 20_000] = np.sqrt((d ** 2).sum(-1)).min(1) / 1000
        return out

    bf, bf_out = timed(brute, 3)
    assert np.allclose(bf_out, S.nearest_km(s7.xy, targets))
    rows.append((f"nearest in-service 400 kV substation, {len(s7):,} cells × {len(targets)} (k-d tree)",
                 f"{kd:.3f}", f"{bf:.3f}", f"{kd / bf:.2f}×", ""))
    rows.append(("  same with the site model's STRtree (`proximity.nearest`)", f"{st:.3f}", f"{bf:.3f}",
                 f"{st / bf:.2f}×", ""))

    grid = S.population_grid(infra, outline)
    ours_pop, approx = timed(lambda: S.population_within_50km(s7.xy, infra, grid), 3)
    sample = rng.choice(len(s7), 5000, replace=False)
    exact_t, exact = timed(lambda: sum_within(s7.xy[sample], infra.communes_xy, infra.population, 50.0), 1)
    grid_t, _ = timed(lambda: S.build_population_grid(infra, S.shapely.transform(
        outline, lambda c: S.to_metric(c[:, 0], c[:, 1]))), 3)
    rows.append((f"people within 50 km, all cells: 1 km grid + FFT, towns ≥ {S.EXACT_TOWN_POPULATION:,} exact",
                 f"{ours_pop:.3f} (+ grid {grid_t:.2f})", f"{exact_t * len(s7) / len(sample):.1f} (extrapolated)",
                 "", ""))
    rel = np.abs(approx[sample] - exact) / exact
    from siting.schema import CRITERIA_BY_KEY
    from siting.scoring import utility

    crit = CRITERIA_BY_KEY["population_50km"]
    du = np.abs(utility(approx[sample], crit) - utility(exact, crit))
    pop_line = (f"Gridded people within 50 km vs the exact sum on {len(sample):,} resolution-7 cells: relative error "
                f"median {np.median(rel):.2%}, 95th percentile {np.percentile(rel, 95):.2%}, 99th "
                f"{np.percentile(rel, 99):.2%}, worst {rel.max():.1%}; worst utility error {du.max():.3f}.")

    from siting.locate import locate_zones

    sc = s7.scores(default_weights())
    loc1, _ = timed(lambda: locate_zones(s7, sc, infra, top=10, known_sites=inputs.sites), 3)
    loc7, _ = timed(lambda: locate_zones(s7, sc, infra, top=10, min_area_km2=30, known_sites=inputs.sites), 1)
    prepared = prepare_sites(inputs.sites, infra)
    pct, _ = timed(lambda: locate.zone_percentiles(s7, prepared, PRESETS["inference"].weights), 3)
    rows.append(("locate 10 zones, resolution 7, single cells / 7-cell clusters (≥ 30 km²)",
                 f"{loc1:.2f} / {loc7:.2f}", "", "", ""))
    rows.append(("percentiles of the 35 zones on the resolution-7 surface (overall and per group)",
                 f"{pct:.2f}", "", "", ""))

    if not args.skip_res8:
        c8 = cold(8, 1)
        rows.append((f"resolution 8 from cold ({c8['cells']:,} cells): build / peak memory of the process",
                     f"{c8['build']:.2f} s / {c8['rss_mb']:.0f} MB", "", "", "≤ 2 GB"))

    payload = ["| resolution | scored cells | deck records with colour | without colour (colour from score) "
               "| weight-free utilities, 2 decimals (a static file, sent once) |", "|---|---|---|---|---|"]
    for r, sf in surfaces.items():
        s = sf.scores(default_weights())
        full = S.payload_bytes(S.deck_records(sf, s))
        lean = S.payload_bytes(S.deck_records(sf, s, colour=False))
        kept = np.flatnonzero(~sf.excluded)
        static = S.payload_bytes([{"h3": sf.ids[i], "u": np.round(sf.utilities[i], 2).tolist()} for i in kept])
        payload.append(f"| {r} | {sf.n_scored:,} | {full / 1e6:.2f} MB | {lean / 1e6:.2f} MB | {static / 1e6:.2f} MB |")
    png, size = png_bytes(s7, sc, 0.01)
    payload_line = (f"A BitmapLayer image of the resolution-7 surface on a 0.01° raster ({size[0]}×{size[1]} px, "
                    f"RGBA PNG, optimised) is {png / 1e6:.2f} MB; it changes with every weight change, as the "
                    "records do.")

    lines = ["| measurement | ours (s) | numpy baseline (s) | ratio | target |", "|---|---|---|---|---|"]
    lines += [f"| {a} | {b} | {c} | {d} | {e} |" for a, b, c, d, e in rows]
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    import h3
    import scipy

    block = (f"Measured {stamp} on {machine()}, h3 {h3.__version__}, scipy {scipy.__version__}.\n"
             f"Command: `.venv/bin/python benchmarks/bench_surface.py` (cold rows: median of {args.runs} fresh "
             "interpreters; others median of repeated calls).\n\n" + "\n".join(lines) + "\n\n" + pop_line + "\n\n"
             + "Deck payload of `surface.deck_records` (compact JSON):\n\n" + "\n".join(payload) + "\n\n"
             + payload_line + "\n")
    print(block)
    if not args.no_write:
        write_block("surface", block)


if __name__ == "__main__":
    main()
