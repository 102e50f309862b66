"""Benchmark the model: scoring, proximity and robustness, each beside a plain-numpy baseline.

Run: `make bench` (or `.venv/bin/python benchmarks/bench_model.py [--quick]`). Prints a Markdown
section and rewrites `benchmarks/RESULTS.md`'s model block. Synthetic sites are drawn uniformly
over mainland France's bounding box with a fixed seed; grid and landings are the shipped layers.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from siting import proximity, robustness, scoring  # noqa: E402
from siting.data import load_inputs  # noqa: E402
from siting.schema import CRITERIA, METRIC_CRS  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def timed(fn, repeat: int) -> tuple[float, object]:
    """Median wall time in seconds of ``repeat`` calls, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def synthetic_sites(n: int, seed: int = 0) -> gpd.GeoDataFrame:
    """Sites with random positions and attributes (a quarter of power and area unknown)."""
    rng = np.random.default_rng(seed)
    lon, lat = rng.uniform(-1.5, 7.5, n), rng.uniform(43.3, 50.8, n)
    power = rng.uniform(20, 1200, n)
    power[rng.random(n) < 0.25] = np.nan
    area = rng.uniform(10, 200, n)
    area[rng.random(n) < 0.25] = np.nan
    frame = pd.DataFrame({
        "site_id": np.char.add("s", np.arange(n).astype(str)).astype(object),
        "name": "synthetic", "region": "Grand Est",
        "evidence": rng.choice(["official", "reported", "project", "indicative"], n),
        "power_mw": power, "area_ha": area,
        "available_year": pd.array(rng.integers(2025, 2034, n), dtype="Int64"),
        "land_price_eur_m2": rng.uniform(10, 100, n),
        "brownfield": pd.array(rng.random(n) < 0.4, dtype="boolean"),
        "turnkey_site": pd.array(rng.random(n) < 0.3, dtype="boolean"),
        "edf_site": pd.array(rng.random(n) < 0.1, dtype="boolean"),
        "fast_track": pd.array(rng.random(n) < 0.05, dtype="boolean"),
    })
    frame["estimated_fields"] = [[] for _ in range(n)]
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(lon, lat), crs="EPSG:4326")


def numpy_scoring_baseline(raw: np.ndarray, w: np.ndarray) -> np.ndarray:
    """The same arithmetic as the weighted sum, written directly in numpy (neutral unknowns)."""
    u = np.empty_like(raw)
    for j, c in enumerate(CRITERIA):
        x = raw[:, j]
        if c.transform == "boolean":
            u[:, j] = x
        elif c.transform == "linear":
            v = np.clip((x - c.low) / (c.high - c.low), 0, 1)
            u[:, j] = 1 - v if c.direction == "cost" else v
        else:
            u[:, j] = 0.5 ** (np.clip(x, 0, None) / c.high)
    u = np.where(np.isnan(u), 0.5, u)
    score = 100 * u @ (w / w.sum())
    order = np.argsort(-score, kind="stable")
    return score[order]


def numpy_proximity_baseline(site_xy: np.ndarray, target_xy: np.ndarray) -> np.ndarray:
    """Brute-force nearest distance (km) in chunks: what the STRtree search replaces."""
    out = np.empty(len(site_xy))
    for start in range(0, len(site_xy), 20_000):
        block = site_xy[start:start + 20_000]
        d2 = ((block[:, None, :] - target_xy[None, :, :]) ** 2).sum(axis=2)
        out[start:start + 20_000] = np.sqrt(d2.min(axis=1)) / 1000
    return out


def numpy_robustness_baseline(u: np.ndarray, w0: np.ndarray, draws: int, seed: int) -> np.ndarray:
    """Weight perturbation + ranks, plain numpy (no uncertain-value sampling)."""
    rng = np.random.default_rng(seed)
    w = w0[None, :] * np.exp(0.25 * rng.standard_normal((draws, len(w0))))
    w /= w.sum(axis=1, keepdims=True)
    scores = w @ u.T
    order = np.argsort(-scores, axis=1, kind="stable")
    ranks = np.empty_like(order)
    np.put_along_axis(ranks, order, np.arange(1, u.shape[0] + 1)[None, :], axis=1)
    return np.median(ranks, axis=0)


def machine() -> str:
    """One line describing this machine and the library versions."""
    import pydeck
    import shapely
    import streamlit

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}, numpy {np.__version__}, "
            f"pandas {pd.__version__}, geopandas {gpd.__version__}, shapely {shapely.__version__}, "
            f"streamlit {streamlit.__version__}, pydeck {pydeck.__version__}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller sizes (smoke test)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    args = parser.parse_args()
    inputs = load_inputs(ROOT)
    rows = []
    w = np.array([c.default_weight for c in CRITERIA], dtype=float)
    scenario = scoring.check_scenario(scoring.Scenario())

    sizes = (100, 10_000, 100_000) if args.quick else (100, 10_000, 1_000_000)
    for n in sizes:
        sites = synthetic_sites(n)
        t_prox, prepared = timed(lambda s=sites: scoring.prepare_sites(s, proximity.Infrastructure.of(inputs)),
                                 1 if n >= 1_000_000 else 3)
        raw = scoring.raw_matrix(prepared)
        repeat = 3 if n >= 1_000_000 else 5
        t_score, _ = timed(lambda p=prepared: scoring.score_sites(p, scenario), repeat)
        t_base, _ = timed(lambda r=raw: numpy_scoring_baseline(r, w), repeat)
        rows.append((f"score {n:,} sites (WSM, proximity excluded)", t_score, t_base, "< 1 s and ≤ 3× numpy"
                     if n == 1_000_000 else ""))
        if n <= 10_000:
            t_rank, _ = timed(lambda p=prepared: scoring.rank_sites(p, scenario), repeat)
            rows.append((f"rank_sites {n:,} sites (full explained table)", t_rank, None, ""))
        rows.append((f"prepare_sites {n:,} sites (projection + nearest + latency)", t_prox, None, ""))

    n = 100_000
    sites = synthetic_sites(n, seed=1)
    xy = proximity.metric_xy(sites)
    grid_xy = proximity.metric_xy(inputs.grid)
    t_near, _ = timed(lambda: proximity.compute_proximity(sites, proximity.Infrastructure.of(inputs)), 3)
    t_brute, _ = timed(lambda: numpy_proximity_baseline(xy, grid_xy), 3)
    rows.append((f"proximity {n:,} sites (all columns) vs brute-force nearest grid only", t_near, t_brute, "< 2 s"))
    t_proj, _ = timed(lambda: sites.geometry.to_crs(METRIC_CRS), 3)
    rows.append((f"  of which projection to Lambert-93 of {n:,} points", t_proj, None, ""))

    prepared35 = scoring.prepare_sites(inputs.sites, proximity.Infrastructure.of(inputs))
    ranking35 = scoring.rank_sites(prepared35)
    u35 = np.column_stack([ranking35.table[f"u_{c.key}"].to_numpy(float) for c in CRITERIA])
    t_rob, res = timed(lambda: robustness.monte_carlo(ranking35, draws=10_000, seed=0), 5)
    t_rob_base, _ = timed(lambda: numpy_robustness_baseline(u35, w, 10_000, 0), 5)
    rows.append((f"robustness 10,000 draws × 35 zones ({res.uncertain_values} uncertain values sampled)",
                 t_rob, t_rob_base, "< 0.5 s"))
    big = synthetic_sites(1000, seed=2)
    ranking1k = scoring.rank_sites(scoring.prepare_sites(big, proximity.Infrastructure.of(inputs)))
    u1k = np.column_stack([ranking1k.table[f"u_{c.key}"].to_numpy(float) for c in CRITERIA])
    t_rob1k, res1k = timed(lambda: robustness.monte_carlo(ranking1k, draws=10_000, seed=0), 1)
    t_rob1k_base, _ = timed(lambda: numpy_robustness_baseline(u1k, w, 10_000, 0), 1)
    rows.append((f"robustness 10,000 draws × 1,000 sites ({res1k.uncertain_values} uncertain values sampled)",
                 t_rob1k, t_rob1k_base, ""))
    t_sens, _ = timed(lambda: robustness.weight_sensitivity(ranking35), 5)
    rows.append(("weight sensitivity, 15 criteria × 35 zones (WSM, exact)", t_sens, None, ""))

    lines = ["| measurement | ours (s) | numpy baseline (s) | ratio | target |", "|---|---|---|---|---|"]
    for label, ours, base, target in rows:
        ratio = f"{ours / base:.2f}×" if base else ""
        base_text = f"{base:.4f}" if base else ""
        lines.append(f"| {label} | {ours:.4f} | {base_text} | {ratio} | {target} |")
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = (f"Measured {stamp} on {machine()}.\n"
             f"Command: `.venv/bin/python benchmarks/bench_model.py{' --quick' if args.quick else ''}` "
             "(median of repeated runs; 1M-site rows median of 3).\n\n" + "\n".join(lines) + "\n")
    print(block)
    if not args.no_write:
        write_block("model", block)


def write_block(name: str, block: str) -> None:
    """Replace the ``<!-- bench:NAME -->`` block of RESULTS.md (creating the file if needed)."""
    text = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else "# Benchmark results\n"
    pattern = re.compile(rf"<!-- bench:{name} -->\n.*?<!-- /bench:{name} -->", re.S)
    new = f"<!-- bench:{name} -->\n{block}<!-- /bench:{name} -->"
    if pattern.search(text):
        text = pattern.sub(lambda _: new, text)
    else:
        text = text.rstrip("\n") + f"\n\n## {name}\n\n{new}\n"
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
