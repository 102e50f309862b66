"""Build the grid and subsea-cable layers from the research CSV files.

Reads ``grid_substations.csv``, ``cable_landings.csv`` and ``subsea_cables.csv`` from the
research folder (default ``../shared/research`` relative to the repository root) and writes

* ``layers/grid_connection_points.geojson``: all 659 ENTSO-E map nodes at 225 kV and above;
* ``layers/subsea_cable_landings.geojson``: the 27 landing points of submarine telecom cables.

Only the standard library is used (plus :mod:`siting.schema`, itself stdlib-only, to check
that every feature carries exactly the declared fields). The output is deterministic: the
same inputs give byte-identical files, one feature per line so that diffs stay readable.

Usage::

    python tools/build_layers.py [RESEARCH_DIR] [--out-dir LAYERS_DIR]
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RESEARCH = REPO_ROOT.parent / "shared" / "research"
DEFAULT_OUT = REPO_ROOT / "layers"
COMPILED = "2026-11-23"

sys.path.insert(0, str(REPO_ROOT))
from siting.schema import GRID_FIELDS, LANDING_FIELDS  # noqa: E402

GRID_SOURCE = "ENTSO-E transmission system map (unofficial GridKit extract, 2022)"
LANDING_SOURCE = "TeleGeography Submarine Cable Map"

GRID_METADATA = {
    "title": "Grid connection points (400 / 225 kV)",
    "description": (
        "French transmission substations and power-plant nodes at 225 kV and above, as drawn on "
        "the ENTSO-E transmission system map. Names are the map's (often abbreviated) labels; "
        "29 nodes carry no label and are named 'unnamed'. Positions are rounded to 0.01°. "
        "Superseded by RTE's official list when it is imported with `python -m siting import-rte`."
    ),
    "source": "ENTSO-E transmission system map (unofficial GridKit extract, March 2022; names from "
              "its May 2018 extract)",
    "source_url": "https://www.entsoe.eu/data/map/",
    "licence": "not stated by ENTSO-E; cited as ENTSO-E transmission system map (unofficial GridKit extract)",
    "attribution": "ENTSO-E transmission system map (unofficial GridKit extract)",
    "date": "2022-03",
    "compiled": COMPILED,
    "precision": "±5 km; part of the 225 kV network missing",
}

LANDING_METADATA = {
    "title": "Subsea cable landings",
    "description": (
        "Landing points of submarine telecom cables in mainland France and Corsica, with the "
        "cables landing at each, how many of them reach another country (island-only links are "
        "domestic) and the ready-for-service year of the newest one (planned cables included). "
        "Landing facts only: no cable route geometry is redistributed."
    ),
    "source": "TeleGeography Submarine Cable Map",
    "source_url": "https://www.submarinecablemap.com/",
    "licence": (
        "TeleGeography data is under a commercial licence; landing facts cited with attribution, "
        "no route geometries redistributed"
    ),
    "attribution": "© TeleGeography, submarinecablemap.com",
    "date": "2026-11",
    "compiled": COMPILED,
    "precision": "±2 km (town level, positions rounded to 0.01°)",
}


class BuildError(Exception):
    """The research files disagree with each other or with what the layers need."""


def slug(text: str) -> str:
    """Lower-case ASCII slug: accents dropped, any other run of characters becomes one hyphen.

    ``"L’Île-Rousse"`` gives ``"l-ile-rousse"``.
    """
    text = text.lower().replace("œ", "oe").replace("æ", "ae").replace("ß", "ss")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(fh)]


def number(text: str) -> int | float:
    """Parse a CSV number, keeping integers as ``int`` so JSON shows them as written."""
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def point(lon: str, lat: str) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [number(lon), number(lat)]}


def feature_line(feature_id: str, geometry: dict[str, Any], properties: dict[str, Any]) -> str:
    feature = {"type": "Feature", "id": feature_id, "geometry": geometry, "properties": properties}
    return json.dumps(feature, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def write_feature_collection(path: Path, metadata: dict[str, Any], lines: list[str]) -> None:
    """Write a FeatureCollection with one feature per line (lean JSON, UTF-8, final newline)."""
    head = json.dumps({"type": "FeatureCollection", "metadata": metadata},
                      ensure_ascii=False, separators=(",", ":"))
    text = head[:-1] + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"
    json.loads(text)  # never write a file that does not parse
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def check_fields(properties: dict[str, Any], fields: tuple, what: str) -> None:
    expected = [f.name for f in fields]
    if list(properties) != expected:
        raise BuildError(f"{what}: properties {list(properties)} differ from the schema's {expected}")


# --------------------------------------------------------------------------- grid points


def grid_base_id(row: dict[str, str]) -> str:
    if row["name"]:
        return f"entsoe-{slug(row['name'])}-{row['max_kv']}"
    lat, lon = float(row["lat"]), float(row["lon"])
    return (f"entsoe-unnamed-{abs(lat):.2f}{'n' if lat >= 0 else 's'}"
            f"-{abs(lon):.2f}{'e' if lon >= 0 else 'w'}")


def build_grid(rows: list[dict[str, str]]) -> list[str]:
    # Duplicates of one base id get -2, -3… in a fixed order (position, kind), so ids do
    # not depend on the order of the CSV rows.
    by_base: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        by_base.setdefault(grid_base_id(row), []).append(row)
    ids: dict[int, str] = {}
    for base, group in by_base.items():
        group.sort(key=lambda r: (float(r["lat"]), float(r["lon"]), r["kind"], r["kv_classes"]))
        for n, row in enumerate(group, start=1):
            ids[id(row)] = base if n == 1 else f"{base}-{n}"

    lines = []
    for row in rows:
        kind_text = row["kind"]
        if kind_text == "substation":
            kind, plant_type = "substation", None
        elif kind_text.startswith("plant node:"):
            kind, plant_type = "plant node", kind_text.split(":", 1)[1].strip() or None
        else:
            raise BuildError(f"grid_substations.csv: unknown kind {kind_text!r} for {row['name']!r}")
        classes = [int(c) for c in row["kv_classes"].split(";") if c]
        max_kv = int(row["max_kv"])
        if max_kv != max(classes) or max_kv < 225:
            raise BuildError(f"grid_substations.csv: max_kv {max_kv} disagrees with classes {classes}")
        gid = ids[id(row)]
        props = {
            "grid_point_id": gid,
            "name": row["name"] or "unnamed",
            "voltage_kv": max_kv,
            "voltage_classes_kv": row["kv_classes"],
            "operator": "RTE",
            "kind": kind,
            "plant_type": plant_type,
            "position_precision_km": 5,
            "source": GRID_SOURCE,
        }
        check_fields(props, GRID_FIELDS, gid)
        lines.append(feature_line(gid, point(row["lon"], row["lat"]), props))
    if len(set(ids.values())) != len(rows):
        raise BuildError("grid ids are not unique")
    return lines


# --------------------------------------------------------------------------- cable landings


def build_landings(landings: list[dict[str, str]], cables: list[dict[str, str]]) -> list[str]:
    cable_by_name = {c["cable"]: c for c in cables}
    lines = []
    seen: set[str] = set()
    for row in landings:
        name = row["landing"]
        names = [c.strip() for c in row["cables"].split(";") if c.strip()]
        if len(names) != int(row["n_cables"]):
            raise BuildError(f"{name}: n_cables {row['n_cables']} but {len(names)} cables listed")
        years = []
        international = 0
        for cable_name in names:
            cable = cable_by_name.get(cable_name)
            if cable is None:
                continue  # unknown cable: no year, cannot check; the CSV's count stands
            if name not in [x.strip() for x in cable["french_landings"].split(";")]:
                raise BuildError(f"{name}: cable {cable_name!r} does not list it among its French landings")
            if cable["rfs_year"]:
                years.append(int(cable["rfs_year"]))
            if cable["other_landing_countries"]:
                international += 1
        if international != int(row["n_international_cables"]):
            raise BuildError(f"{name}: n_international_cables {row['n_international_cables']} but "
                             f"{international} of its cables reach another country")
        landing_id = f"landing-{slug(name)}"
        if landing_id in seen:
            raise BuildError(f"duplicate landing id {landing_id}")
        seen.add(landing_id)
        n_intl = int(row["n_international_cables"])
        props = {
            "landing_id": landing_id,
            "name": name,
            "commune": row["commune"] or None,
            "n_cables": int(row["n_cables"]),
            "n_international_cables": n_intl,
            "cable_names": names,
            "newest_rfs_year": max(years) if years else None,
            "international": n_intl > 0,
            "position_precision_km": 2,
            "source": LANDING_SOURCE,
        }
        check_fields(props, LANDING_FIELDS, landing_id)
        lines.append(feature_line(landing_id, point(row["lon"], row["lat"]), props))
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("research", nargs="?", type=Path, default=DEFAULT_RESEARCH,
                        help="folder holding the research CSV files (default: %(default)s)")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT,
                        help="folder to write the layers into (default: %(default)s)")
    args = parser.parse_args(argv)

    try:
        grid_rows = read_csv(args.research / "grid_substations.csv")
        landing_rows = read_csv(args.research / "cable_landings.csv")
        cable_rows = read_csv(args.research / "subsea_cables.csv")
        grid = build_grid(grid_rows)
        landings = build_landings(landing_rows, cable_rows)
    except (OSError, BuildError, KeyError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    grid_path = args.out_dir / "grid_connection_points.geojson"
    landing_path = args.out_dir / "subsea_cable_landings.geojson"
    write_feature_collection(grid_path, GRID_METADATA, grid)
    write_feature_collection(landing_path, LANDING_METADATA, landings)
    kv = Counter(r["max_kv"] for r in grid_rows)
    intl = sum(1 for r in landing_rows if int(r["n_international_cables"]) > 0)
    print(f"wrote {len(grid)} grid points ({kv['400']} at 400 kV, {kv['225']} at 225 kV) to {grid_path}")
    print(f"wrote {len(landings)} landings ({intl} international) to {landing_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
