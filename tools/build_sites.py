#!/usr/bin/env python3
"""Build the two curated site layers from the facts in ``data/sites/``.

    python3 tools/build_sites.py             # write sites/candidate_sites.geojson and
                                             #   sites/announced_projects.geojson
    python3 tools/build_sites.py --check     # exit 1, naming the file, if a committed
                                             #   GeoJSON is not what the data builds
    python3 tools/build_sites.py --out DIR   # write DIR/sites/*.geojson instead
    python3 tools/build_sites.py --data DIR  # read DIR/*.toml instead of data/sites/

The facts live in TOML, one ``[[site]]`` table per feature:

* ``data/sites/candidate_sites.toml``: the 35 zones of February 2025, each filled with the
  best-evidenced public site in its region;
* ``data/sites/announced_projects.toml``: other announced projects with a known commune;
* ``data/sites/sources.toml``: metadata shared by both collections, source URLs cited by
  several records (``"@name"`` in a ``sources`` list) and shared sentences (``{name}`` in
  a text field).

This script only reads, checks and writes: every figure, note and URL is in the data. A
field left out of a record is null (unknown). Where sources disagree the field holds the
lowest sourced figure and ``value_notes`` lists the others. The only estimate is
``area_programme_mean`` (``[build] area_programme_mean_ha``), applied to the 35 zones whose
area no source gives and recorded per feature in ``estimated_fields``.

The checks here are structural (known keys, types, required fields, resolvable references,
http(s) sources, unique ids, field order = ``siting.schema.SITE_FIELDS``); value ranges and
allowed values are checked by ``python -m siting validate sites/*.geojson``. Stdlib only;
the output is deterministic (same data, same bytes).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data" / "sites"
SHARED = "sources.toml"

# data/sites/<name>.toml -> sites/<name>.geojson, in this order.
COLLECTIONS = ("candidate_sites", "announced_projects")

# The field order of siting.schema.SITE_FIELDS (checked against the schema when importable).
FIELDS = (
    "site_id", "name", "commune", "department", "region", "evidence", "evidence_note",
    "location_precision_km", "area_ha", "power_mw", "available_year", "land_price_eur_m2",
    "brownfield", "turnkey_site", "edf_site", "fast_track", "developer", "status",
    "sources", "estimated_fields", "value_notes",
)
COMPUTED = {"estimated_fields"}
RECORD_KEYS = (set(FIELDS) - COMPUTED) | {"lon", "lat"}
REQUIRED = ("site_id", "name", "region", "evidence", "evidence_note", "location_precision_km",
            "sources", "lon", "lat")
TEXT = ("site_id", "name", "commune", "department", "region", "evidence", "evidence_note",
        "developer", "status", "value_notes")
NUMBERS = ("location_precision_km", "area_ha", "power_mw", "land_price_eur_m2", "lon", "lat")
INTEGERS = ("available_year",)
BOOLEANS = ("brownfield", "turnkey_site", "edf_site", "fast_track")
SHARED_METADATA = ("compiled", "licence", "precision", "estimation_rules")

SITE_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
NOTE_REF = re.compile(r"\{(\w+)\}")
URL = re.compile(r"https?://\S+")


class DataError(Exception):
    """The site data cannot be built; ``problems`` lists every reason found."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def _label(path: Path) -> str:
    """The path as messages name it: relative to the repository when inside it."""
    try:
        return path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return str(path)


def _load(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise DataError([f"{_label(path)}: cannot read ({exc.strerror})"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError([f"{_label(path)}: not valid TOML ({exc})"]) from None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_types(record: dict, where: str) -> list[str]:
    problems = []
    for key in sorted(set(record) - RECORD_KEYS):
        hint = " (computed by the build)" if key in COMPUTED else ""
        problems.append(f"{where}: unknown key `{key}`{hint}")
    for key in REQUIRED:
        if key not in record:
            problems.append(f"{where}: `{key}` is required")
    for key, value in record.items():
        if key in TEXT and not (isinstance(value, str) and value.strip()):
            problems.append(f"{where}: `{key}` must be a non-empty string")
        elif key in NUMBERS and not _is_number(value):
            problems.append(f"{where}: `{key}` must be a number, not {value!r}")
        elif key in INTEGERS and not (isinstance(value, int) and not isinstance(value, bool)):
            problems.append(f"{where}: `{key}` must be an integer, not {value!r}")
        elif key in BOOLEANS and not isinstance(value, bool):
            problems.append(f"{where}: `{key}` must be true or false (leave it out when unknown)")
    if isinstance(record.get("site_id"), str) and not SITE_ID.fullmatch(record["site_id"]):
        problems.append(f"{where}: `site_id` must be a lower-case slug")
    return problems


def _resolve_text(text: str, notes: dict[str, str], where: str, problems: list[str]) -> str:
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in notes:
            problems.append(f"{where}: unknown shared note {{{name}}} (sources.toml [notes])")
            return match.group(0)
        return notes[name]

    return NOTE_REF.sub(replace, text)


def _resolve_sources(items: object, urls: dict[str, str], where: str, problems: list[str]) -> list[str]:
    if not isinstance(items, list) or not items:
        problems.append(f"{where}: `sources` must list at least one source")
        return []
    resolved = []
    for item in items:
        url = urls.get(item[1:]) if isinstance(item, str) and item.startswith("@") else item
        if url is None:
            problems.append(f"{where}: unknown shared source {item!r} (sources.toml [urls])")
        elif not (isinstance(url, str) and URL.fullmatch(url)):
            problems.append(f"{where}: source {item!r} is not an http(s) URL")
        else:
            resolved.append(url)
    if len(set(resolved)) != len(resolved):
        problems.append(f"{where}: a source is listed twice")
    return resolved


def _feature(record: dict, shared: dict, area_mean: float | None, where: str, problems: list[str]) -> dict:
    props: dict = {}
    for name in FIELDS:
        value = record.get(name)
        if isinstance(value, str):
            value = _resolve_text(value, shared["notes"], where, problems)
        props[name] = value
    props["sources"] = _resolve_sources(record.get("sources"), shared["urls"], where, problems)
    estimated = []
    if area_mean is not None and props["area_ha"] is None:
        props["area_ha"] = area_mean
        estimated.append("area_ha")
    props["estimated_fields"] = estimated
    lon, lat = record.get("lon"), record.get("lat")
    coordinates = [round(lon, 3), round(lat, 3)] if _is_number(lon) and _is_number(lat) else None
    return {
        "type": "Feature",
        "id": props["site_id"],
        "geometry": {"type": "Point", "coordinates": coordinates},
        "properties": props,
    }


def _collection(source: str, doc: dict, shared: dict, problems: list[str]) -> dict:
    unknown = sorted(set(doc) - {"build", "metadata", "site"})
    problems += [f"{source}: unknown table [{key}]" for key in unknown]
    build = doc.get("build", {})
    problems += [f"{source}: unknown [build] key `{k}`" for k in sorted(set(build) - {"area_programme_mean_ha"})]
    area_mean = build.get("area_programme_mean_ha")
    if area_mean is not None and not _is_number(area_mean):
        problems.append(f"{source}: [build] area_programme_mean_ha must be a number")
        area_mean = None
    own = doc.get("metadata", {})
    if set(own) != {"title", "description"}:
        problems.append(f"{source}: [metadata] needs exactly `title` and `description`")
    metadata = {"title": own.get("title"), "description": own.get("description")}
    metadata.update((key, shared["metadata"].get(key)) for key in SHARED_METADATA)
    records = doc.get("site", [])
    if not records:
        problems.append(f"{source}: no [[site]] records")
    features = []
    for index, record in enumerate(records):
        where = f"{source}: site #{index} ({record.get('site_id', 'no site_id')})"
        problems += _check_types(record, where)
        features.append(_feature(record, shared, area_mean, where, problems))
    return {"type": "FeatureCollection", "metadata": metadata, "features": features}


def _shared(data_dir: Path) -> tuple[dict, list[str]]:
    source = _label(data_dir / SHARED)
    doc = _load(data_dir / SHARED)
    problems = [f"{source}: unknown table [{key}]"
                for key in sorted(set(doc) - {"metadata", "urls", "notes"})]
    shared = {key: doc.get(key, {}) for key in ("metadata", "urls", "notes")}
    missing = [key for key in SHARED_METADATA if not shared["metadata"].get(key)]
    if missing:
        problems.append(f"{source}: [metadata] lacks {', '.join(missing)}")
    for key, url in shared["urls"].items():
        if not (isinstance(url, str) and URL.fullmatch(url)):
            problems.append(f"{source}: [urls] {key} is not an http(s) URL")
    return shared, problems


def _check_schema() -> None:
    """Compare FIELDS with siting.schema when the package imports (skipped otherwise)."""
    sys.path.insert(0, str(ROOT))
    try:
        from siting.schema import SITE_FIELDS
    except ImportError:
        return
    finally:
        sys.path.pop(0)
    declared = tuple(f.name for f in SITE_FIELDS)
    if declared != FIELDS:
        raise DataError([f"FIELDS out of date with siting.schema.SITE_FIELDS: {declared}"])


def collections(data_dir: Path = DATA_DIR) -> dict[str, dict]:
    """Every collection built from ``data_dir``, keyed by its path under the repository."""
    _check_schema()
    shared, problems = _shared(data_dir)
    built = {}
    for name in COLLECTIONS:
        path = data_dir / f"{name}.toml"
        built[f"sites/{name}.geojson"] = _collection(_label(path), _load(path), shared, problems)
    ids = [f["id"] for c in built.values() for f in c["features"]]
    duplicates = sorted({i for i in ids if ids.count(i) > 1 and i is not None})
    if duplicates:
        problems.append(f"duplicate site_id across {_label(data_dir)}: {duplicates}")
    if problems:
        raise DataError(problems)
    return built


def render(collection: dict) -> bytes:
    """The bytes written for one collection (UTF-8, one-space indent, final newline)."""
    return (json.dumps(collection, indent=1, ensure_ascii=False) + "\n").encode("utf-8")


def build(data_dir: Path = DATA_DIR) -> dict[str, bytes]:
    """Every output file's bytes, keyed by its path under the repository."""
    return {path: render(c) for path, c in collections(data_dir).items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="compare the committed GeoJSON with what the data builds; exit 1 if it differs")
    parser.add_argument("--data", type=Path, default=DATA_DIR,
                        help="read the TOML files from DIR (default: data/sites)")
    parser.add_argument("--out", type=Path, default=ROOT,
                        help="write DIR/sites/*.geojson (default: the repository)")
    args = parser.parse_args(argv)
    try:
        outputs = build(args.data)
    except DataError as exc:
        print(f"site data has {len(exc.problems)} problem(s):", file=sys.stderr)
        for problem in exc.problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    if args.check:
        stale = []
        for path, data in outputs.items():
            target = args.out / path
            if not target.is_file():
                stale.append(f"{path}: missing")
            elif target.read_bytes() != data:
                stale.append(f"{path}: differs from what {_label(args.data / Path(path).stem)}.toml builds")
        for line in stale:
            print(line, file=sys.stderr)
        if stale:
            print("run `python tools/build_sites.py` and commit the result", file=sys.stderr)
            return 1
        print(f"OK: {', '.join(outputs)} match {_label(args.data)}")
        return 0
    for path, data in outputs.items():
        target = args.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
