"""Command line for the screening surface: ``python -m siting surface`` and ``python -m siting locate``.

:func:`add_parsers` adds both commands to ``siting.cli``'s subparsers, whose parser class
(``siting.cli_common.Parser``) turns argparse errors into ``UsageError``, exit code 2;
:data:`COMMANDS` maps them to their handlers; ``--weight`` is read by the shared
``cli_common.parse_weight``. Bad values are refused while parsing (exit 2); a request the surface
cannot answer raises :class:`siting.surface.SurfaceError`, a ``ScoringError`` (exit 2); a missing
or broken layer raises ``DataValidationError`` (exit 1). CSV and JSON go to stdout; the caveat
and the note on site-only criteria go to stderr (and into the table, GeoJSON and JSON outputs), so
CSV stays clean.
"""

from __future__ import annotations

import argparse
import json
import math
import sys

import numpy as np
import pandas as pd

from siting.cli_common import parse_weight
from siting.export import neutralise_formula
from siting.schema import CRITERIA_BY_KEY, WEIGHT_MAX
from siting.scoring import PRESETS, default_weights

RESOLUTION_RANGE = (4, 8)  # siting.surface.RESOLUTIONS; kept here so that parsing imports no h3/scipy
DEFAULT_RESOLUTION = 7


def _resolution(text: str) -> int:
    low, high = RESOLUTION_RANGE
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"resolution must be a whole number from {low} to {high}, "
                                         f"got {text[:40]!r}") from None
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"resolution {value} is out of range; expected {low} to {high} "
                                         "(7 ≈ 5 km² a cell, 8 ≈ 0.7 km²)")
    return value


def _location_key(text: str) -> str:
    from siting.surface import LOCATION_COLUMNS

    if text not in LOCATION_COLUMNS:
        what = "a site-only criterion" if text in CRITERIA_BY_KEY else "not a criterion"
        raise argparse.ArgumentTypeError(f"{text[:60]!r} is {what}; the surface scores "
                                         + ", ".join(LOCATION_COLUMNS))
    return text


def _non_negative(name: str):
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{name} must be a number, got {text[:40]!r}") from None
        if not math.isfinite(value) or value < 0:
            raise argparse.ArgumentTypeError(f"{name} must be a finite number ≥ 0, got {text[:40]}")
        return value
    parse.__name__ = name
    return parse


def _top(text: str) -> int:
    from siting.locate import MAX_TOP

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--top must be a whole number, got {text[:40]!r}") from None
    if not 1 <= value <= MAX_TOP:
        raise argparse.ArgumentTypeError(f"--top must be from 1 to {MAX_TOP}, got {value}")
    return value


def _weight_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--resolution", type=_resolution, default=DEFAULT_RESOLUTION, metavar="R",
                   help=f"H3 resolution, {RESOLUTION_RANGE[0]}-{RESOLUTION_RANGE[1]} (default %(default)s, "
                        "≈ 5 km² a cell)")
    p.add_argument("--preset", choices=sorted(PRESETS), help="start from a documented weight vector")
    p.add_argument("--weight", action="append", type=parse_weight, default=[], metavar="KEY=VALUE",
                   help=f"set one criterion's weight, 0 to {WEIGHT_MAX:g} (repeatable); site-only criteria "
                        "are accepted and left out")
    p.add_argument("--only", type=_location_key, metavar="KEY", help="weight this location criterion alone")


def add_parsers(subparsers) -> None:
    """Add the ``surface`` and ``locate`` commands to ``siting.cli``'s subparsers."""
    surface = subparsers.add_parser(
        "surface", help="score every H3 cell of mainland France on the location criteria",
        description="Score every H3 cell of mainland France and Corsica on the location criteria (a screening "
                    "surface, not a site offer).")
    _weight_options(surface)
    surface.add_argument("--format", choices=["csv", "geojson"], default="csv")

    locate = subparsers.add_parser(
        "locate", help="the best zones on the surface, spaced apart",
        description="Locate the best zones of the screening surface: cells or clusters of cells, spaced apart, "
                    "optionally away from the known candidate zones.")
    _weight_options(locate)
    locate.add_argument("--top", type=_top, default=10, metavar="N", help="zones to return (default %(default)s)")
    locate.add_argument("--min-spacing-km", type=_non_negative("--min-spacing-km"), default=30.0, metavar="K",
                        help="minimum distance between zone centres (default %(default)s km)")
    locate.add_argument("--min-area-km2", type=_non_negative("--min-area-km2"), default=0.0, metavar="A",
                        help="minimum zone area: clusters of adjacent cells (default: one cell)")
    locate.add_argument("--away-from-sites-km", type=_non_negative("--away-from-sites-km"), default=0.0,
                        metavar="D", help="keep zones at least D km from the 35 candidate zones (default 0: off)")
    locate.add_argument("--format", choices=["table", "csv", "json"], default="table")


def weights_from_args(args: argparse.Namespace) -> dict[str, float]:
    """Preset (or default weights), then ``--weight`` overrides; ``--only`` alone replaces them all."""
    if args.only:
        if args.weight or args.preset:
            from siting.surface import SurfaceError

            raise SurfaceError("--only weights one criterion alone: leave out --preset and --weight")
        return {args.only: 1.0}
    weights = dict(PRESETS[args.preset].weights) if args.preset else default_weights()
    weights.update(dict(args.weight))
    return weights


def _notes(surface, weights: dict[str, float]) -> list[str]:
    from siting.surface import SITE_ONLY_NOTE, SURFACE_CAVEAT, ignored_weights, location_shares

    shares = location_shares(weights)
    ignored = ignored_weights(weights)
    lines = [
        f"screening surface: H3 resolution {surface.resolution} (≈ {surface.cell_area_km2:.2f} km² a cell), "
        f"{len(surface):,} cells of mainland France, Corsica and islands; "
        f"{int(surface.excluded.sum()):,} dense urban cores excluded; {surface.n_scored:,} scored",
        "weights (renormalised over the location criteria): "
        + ", ".join(f"{k} {v:.0%}" for k, v in shares.items() if v > 0),
        SITE_ONLY_NOTE + (" Left out here: " + ", ".join(f"{k} {v:g}" for k, v in ignored.items()) + "."
                          if ignored else ""),
        SURFACE_CAVEAT,
    ]
    return lines


def _stderr(lines: list[str]) -> None:
    for line in lines:
        print(f"# {line}", file=sys.stderr)


def _build(args: argparse.Namespace):
    from siting.data import data_root, load_layer
    from siting.proximity import Infrastructure
    from siting.schema import CABLE_LANDINGS, COMMUNES, GRID_POINTS, POWER_PLANTS
    from siting.surface import build_surface, load_outline, location_weights

    weights = weights_from_args(args)
    location_weights(weights)  # refuse a scenario with no location weight before any work
    root = data_root()
    infra = Infrastructure(*(load_layer(root / spec.path, spec)
                             for spec in (GRID_POINTS, CABLE_LANDINGS, POWER_PLANTS, COMMUNES)))
    return build_surface(infra, load_outline(root), args.resolution), infra, weights


def cmd_surface(args: argparse.Namespace) -> int:
    """``surface``: every scored cell as CSV (``h3, lat, lon, score``, raw, ``u_<key>``) or GeoJSON."""
    import h3

    surface, _, weights = _build(args)
    notes = _notes(surface, weights)
    frame = surface.frame(surface.scores(weights))
    _stderr(notes)
    if args.format == "csv":
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
        return 0
    records = frame.to_dict(orient="records")
    out = sys.stdout
    head = {"type": "FeatureCollection", "metadata": {"resolution": surface.resolution, "notes": notes}}
    out.write(json.dumps(head, ensure_ascii=False)[:-1] + ',"features":[\n')
    for i, rec in enumerate(records):
        ring = [[round(lon, 6), round(lat, 6)] for lat, lon in h3.cell_to_boundary(rec["h3"])]
        feature = {"type": "Feature", "id": rec["h3"],
                   "geometry": {"type": "Polygon", "coordinates": [ring + ring[:1]]},
                   "properties": {k: _json_value(v) for k, v in rec.items()}}
        out.write(("," if i else "") + json.dumps(feature, ensure_ascii=False, allow_nan=False) + "\n")
    out.write("]}\n")
    return 0


def _json_value(v):
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        return None if not math.isfinite(v) else float(v)
    return v


def cmd_locate(args: argparse.Namespace) -> int:
    """``locate``: the best zones, best first (``rank, h3, lat, lon, score, region, commune, …``)."""
    from siting.data import data_root, load_layer
    from siting.locate import locate_zones
    from siting.schema import CANDIDATE_SITES

    surface, infra, weights = _build(args)
    sites = load_layer(data_root() / CANDIDATE_SITES.path, CANDIDATE_SITES)
    zones = locate_zones(surface, surface.scores(weights), infra, top=args.top, min_spacing_km=args.min_spacing_km,
                         min_area_km2=args.min_area_km2, known_sites=sites, avoid_km=args.away_from_sites_km)
    notes = _notes(surface, weights)
    cells = int(zones["cells"].iloc[0]) if len(zones) else 1
    notes.insert(1, f"zones of {cells} cell(s) (≈ {cells * surface.cell_area_km2:.1f} km²), centres at least "
                    f"{args.min_spacing_km:g} km apart"
                    + (f", at least {args.away_from_sites_km:g} km from the 35 candidate zones"
                       if args.away_from_sites_km else "")
                    + "; facts recomputed exactly at each zone's centre; located by the model, not announced sites")
    frame = pd.DataFrame(zones.drop(columns="geometry"))
    if args.format == "json":
        _stderr(notes)
        payload = {"notes": notes, "weights": weights, "resolution": surface.resolution,
                   "zones": [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, allow_nan=False) + "\n")
    elif args.format == "csv":
        _stderr(notes)
        for column in frame.columns:
            if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
                frame[column] = frame[column].map(neutralise_formula)
        sys.stdout.write(frame.to_csv(index=False, lineterminator="\n"))
    else:
        for line in notes:
            print(f"# {line}")
        if not len(frame):
            print("no zone satisfies the spacing and exclusions")
            return 0
        shown = frame[["rank", "h3", "score", "region", "commune", "nearest_grid_400_name", "dist_grid_400_km",
                       "nearest_nuclear_name", "dist_nuclear_km", "population_50km", "nearest_site_name",
                       "dist_nearest_site_km"]].copy()
        shown["score"] = shown["score"].round(1)
        for column in ("dist_grid_400_km", "dist_nuclear_km", "dist_nearest_site_km"):
            shown[column] = shown[column].round(1)
        shown["population_50km"] = shown["population_50km"].round(-3).astype("Int64")
        for column in ("commune", "nearest_grid_400_name", "nearest_nuclear_name", "nearest_site_name"):
            shown[column] = shown[column].astype(str).str.slice(0, 32)
        with pd.option_context("display.max_rows", None, "display.width", 250, "display.max_colwidth", 40):
            print(shown.to_string(index=False))
    return 0


COMMANDS = {"surface": cmd_surface, "locate": cmd_locate}
"""Handlers by command name, for ``siting.cli``'s dispatch table."""
