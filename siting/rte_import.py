"""Import RTE's official list of substations (ODRÉ) as the grid-connection-points layer.

RTE publishes its substations on the ODRÉ open-data portal (Open Data Réseaux Énergies) as
dataset ``postes-electriques-rte``, under the Licence Ouverte / Open Licence (Etalab):
https://odre.opendatasoft.com/explore/dataset/postes-electriques-rte/ . The project ships a
copy (``data/open_data/rte_postes_electriques_2024-09.csv``, see ``data/README.md``) and
``tools/build_layers.py`` turns it into ``layers/grid_connection_points.geojson`` with this
module; ``python -m siting import-rte`` does the same for any newer export.

What the real export looks like (checked on the 2024-09 copy, 5,079 rows):

* ``;``-separated; the portal serves Latin-1 (our copy is UTF-8): both are read, with or
  without a byte-order mark.
* Header ``Code poste;Nom poste;FONCTION;Etat;Tension (kV);Longitude poste (DD);
  Latitude poste (DD);Géo-point poste (DD)`` (field names such as ``code_poste`` or
  ``longitude_poste`` in API exports are accepted too; matching ignores case, accents and
  ``_``/``-``). Coordinates are WGS84 decimal degrees; the geo point is ``"lat, lon"``.
* **One row per substation**, and ``Tension (kV)`` is its *highest* voltage (``400kV``,
  ``225kV``, ``150kV``, ``90kV``, ``63kV``, ``45kV``, ``<45kV``, ``HORS TENSION``,
  ``COURANT CONTINU``): the lower levels a substation also has are not published.
* ``FONCTION`` is ``Poste de transformation`` or ``Point de piquage`` (a tap on a line, not a
  substation: left out); ``Etat`` is ``EN EXPLOITATION`` (in service) or ``ACCORD
  ADMINISTRATIF`` (approved, not built yet: kept with ``status = "planned"``, and left out of
  the model's distances).
* Three codes appear twice about 0.5 km apart (``CHIN2``, ``TUILI``, ``1SSF5``): one point is
  kept per code, the row with the highest voltage (the first such row on a tie), at its
  published position; the classes of both rows are listed.

Output: a GeoDataFrame in EPSG:4326 with exactly :data:`siting.schema.GRID_FIELDS` (plus
``geometry``), one point per substation at 225 kV or more. ``gdf.attrs["import_summary"]``
counts what was left out and why. Every problem in the file (missing columns, unreadable
values, positions outside mainland France) is reported at once in one :class:`RteImportError`.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from siting.schema import GRID_FIELDS, MAINLAND_BOUNDS, STORAGE_CRS, FieldSpec

MIN_KV = 225
SOURCE = "RTE – ODRÉ, postes électriques RTE (Licence Ouverte / Etalab 2.0)"
POSITION_PRECISION_KM = 1.0
"""RTE's published point for the substation; a substation's fenced area spans up to about 1 km
(the three codes published twice sit 0.5 km apart)."""
DATASET_URL = "https://odre.opendatasoft.com/explore/dataset/postes-electriques-rte/"
MAX_ERRORS_SHOWN = 20

IN_SERVICE_STATES = frozenset({"e", "en exploitation", "exploitation", "en service", "service"})
"""Normalised ``Etat`` values meaning in service."""
PLANNED_STATES = frozenset({"accord administratif"})
"""Normalised ``Etat`` values meaning approved but not built; every other value is left out."""

# Accepted header spellings, compared after :func:`_normalise_header`.
_COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "code": ("code poste", "code"),
    "name": ("nom poste", "nom"),
    "function": ("fonction", "fonction du poste", "fonction poste"),
    "state": ("etat", "etat du poste", "etat poste"),
    "voltage": ("tension (kv)", "tension", "tension kv", "tension (kv) poste"),
    "lon": ("longitude poste (dd)", "longitude poste", "longitude (dd)", "longitude", "lon"),
    "lat": ("latitude poste (dd)", "latitude poste", "latitude (dd)", "latitude", "lat"),
    "geopoint": ("geo point poste (dd)", "geo point poste", "geo point", "geo point 2d", "geopoint",
                 "geo point (dd)"),
}
_DISPLAY = {
    "code": "Code poste",
    "name": "Nom poste",
    "voltage": "Tension (kV)",
    "lon": "Longitude poste (DD)",
    "lat": "Latitude poste (DD)",
    "geopoint": "Géo-point poste (DD)",
}
_KV = re.compile(r"^(\d+(?:[.,]\d+)?)\s*(?:kv)?$", re.IGNORECASE)
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


class RteImportError(ValueError):
    """The file is not a usable ODRÉ ``postes-electriques-rte`` CSV; the message says why."""


@dataclass
class _Station:
    """The row kept for one code: the highest voltage, the first such row on a tie."""

    code: str
    name: str
    kv: int
    status: str
    point: tuple[float, float]


def read_rte_substations(path: Path | str, *, source_date: str | None = None) -> gpd.GeoDataFrame:
    """Read an ODRÉ ``postes-electriques-rte`` CSV into the grid layer's shape.

    Parameters
    ----------
    path
        The CSV file as downloaded from ODRÉ (semicolon-separated, UTF-8 with or without
        a byte-order mark; Latin-1 / Windows-1252 is accepted too).
    source_date
        Date of the export (``YYYY-MM``), written to the layer metadata; by default taken
        from a ``_YYYY-MM`` in the file name, else left unknown.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per substation at 225 kV or more (in service or planned), in EPSG:4326, with exactly
        the fields of :data:`siting.schema.GRID_FIELDS`, sorted by ``grid_point_id``.
        ``attrs["metadata"]`` holds the layer metadata and ``attrs["import_summary"]``
        the counts of rows read and left out.

    Raises
    ------
    RteImportError
        When columns are missing, or rows hold values that cannot be read (the message
        names the columns and the line numbers).
    OSError
        When the file cannot be read.
    """
    path = Path(path)
    if source_date is None:
        found = re.search(r"(\d{4}-\d{2})(?:-\d{2})?(?=\.[A-Za-z]+$)", path.name)
        source_date = found.group(1) if found else None
    text = _decode(path.read_bytes(), path.name)
    gdf = _parse(text, path.name)
    gdf.attrs["metadata"] = _metadata(source_date, gdf.attrs["import_summary"])
    return gdf


def write_layer_geojson(gdf: gpd.GeoDataFrame, path: Path | str, *, metadata: dict | None = None) -> None:
    """Write a grid layer as a FeatureCollection, one feature per line.

    Parameters
    ----------
    gdf
        Points in EPSG:4326 (or any CRS, reprojected here) with the grid layer's fields.
    path
        File to write (UTF-8); parent folders are created.
    metadata
        Collection metadata; defaults to ``gdf.attrs["metadata"]``, else RTE's.
    """
    names = [f.name for f in GRID_FIELDS]
    missing = [n for n in names if n not in gdf.columns]
    if missing:
        raise ValueError(f"cannot write the grid layer: missing columns {', '.join(missing)}")
    if gdf.crs is not None and not gdf.crs.equals(STORAGE_CRS):
        gdf = gdf.to_crs(STORAGE_CRS)
    meta = dict(metadata or gdf.attrs.get("metadata") or _metadata(None, {}))
    lines = []
    for row in gdf.itertuples(index=False):
        values = row._asdict()
        props = {f.name: _json_value(values[f.name], f) for f in GRID_FIELDS}
        geom = values[gdf.geometry.name]
        if geom is None or geom.is_empty or geom.geom_type != "Point":
            raise ValueError(f"{props['grid_point_id']}: geometry must be a Point")
        feature = {
            "type": "Feature",
            "id": props["grid_point_id"],
            "geometry": {"type": "Point", "coordinates": [round(geom.x, 5), round(geom.y, 5)]},
            "properties": props,
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":"), allow_nan=False))
    head = json.dumps({"type": "FeatureCollection", "metadata": meta}, ensure_ascii=False,
                      separators=(",", ":"), default=str)
    body = ",\n".join(lines)
    text = head[:-1] + ',"features":[\n' + body + ("\n" if lines else "") + "]}\n"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------


def _decode(raw: bytes, source: str) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16")
    if b"\x00" in raw[:4096]:
        raise RteImportError(f"{source}: binary data, not a CSV text file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # older ODRÉ exports were Latin-1


def _normalise_header(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.replace("\ufeff", "").strip().lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = re.sub(r"[_\-]+", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def _map_columns(header: list[str]) -> dict[str, str]:
    by_norm = {_normalise_header(h): h for h in header if h is not None}
    found: dict[str, str] = {}
    for key, aliases in _COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in by_norm:
                found[key] = by_norm[alias]
                break
    return found


def _parse(text: str, source: str) -> gpd.GeoDataFrame:
    if not text.strip():
        raise RteImportError(f"{source}: the file is empty")
    first_line = text.lstrip("\ufeff").splitlines()[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    reader = csv.DictReader(io.StringIO(text), delimiter=";")
    header = [h for h in (reader.fieldnames or []) if h is not None]
    columns = _map_columns(header)
    missing = [k for k in ("code", "name", "voltage") if k not in columns]
    if not ({"lon", "lat"} <= set(columns) or "geopoint" in columns):
        missing += [k for k in ("lon", "lat") if k not in columns]
    problems = []
    if delimiter != ";" and first_line.count(delimiter) > first_line.count(";"):
        problems.append(f"the file is {'comma' if delimiter == ',' else 'tab'}-separated; RTE's export is "
                        "semicolon-separated (re-export it, or save it with `;` as the separator)")
    if missing:
        shown = ", ".join(f"`{_DISPLAY[k]}`" for k in missing)
        got = ", ".join(f"`{h.strip()[:40]}`" for h in header[:12]) or "none"
        problems.append(f"missing column(s) {shown}; columns found: {got}")
    if problems:
        raise RteImportError(f"{source}: not an ODRÉ postes-electriques-rte CSV:\n" + "\n".join(problems))

    summary = {"rows": 0, "below_225_kv": 0, "not_in_service": 0, "tap_points": 0,
               "no_coordinates": 0, "duplicate_rows": 0, "planned": 0}
    errors: list[str] = []
    stations: dict[str, _Station] = {}
    classes: dict[str, set[int]] = {}  # every AC class published for a code, over all its rows

    for row in reader:
        summary["rows"] += 1
        line = reader.line_num
        get = {k: (row.get(col) or "").strip() for k, col in columns.items()}
        code = get["code"]
        if not code:
            errors.append(f"line {line}: `{_DISPLAY['code']}` is empty")
            continue
        try:
            kv, energised = _parse_voltage(get["voltage"])
            lon_lat = _coordinates(get)
        except ValueError as exc:
            errors.append(f"line {line} ({code[:20]}): {exc}")
            continue
        if "function" in get and "piquage" in _normalise_header(get["function"]):
            summary["tap_points"] += 1
            continue
        state = _normalise_header(get["state"]) if "state" in get else "en exploitation"
        if not energised or (state not in IN_SERVICE_STATES and state not in PLANNED_STATES):
            summary["not_in_service"] += 1
            continue
        if kv is not None:
            classes.setdefault(code, set()).add(kv)
        if kv is None or kv < MIN_KV:  # below 225 kV, below 45 kV or DC
            summary["below_225_kv"] += 1
            continue
        if lon_lat is None:
            summary["no_coordinates"] += 1
            continue
        status = "in service" if state in IN_SERVICE_STATES else "planned"
        name = get["name"] or code
        known = stations.get(code)
        if known is None:
            stations[code] = _Station(code, name, kv, status, lon_lat)
            continue
        summary["duplicate_rows"] += 1
        if kv > known.kv:  # keep the highest-voltage row's name, state and published position
            known.name, known.kv, known.status, known.point = name, kv, status, lon_lat

    if summary["rows"] == 0 and not errors:
        raise RteImportError(f"{source}: the file has a header but no rows")
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = f"\n… and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
        raise RteImportError(f"{source}: {len(errors)} bad row(s):\n" + "\n".join(shown) + more)

    records: list[dict[str, Any]] = []
    points: list[shapely.Point] = []
    for code in sorted(stations):
        st = stations[code]
        summary["planned"] += st.status == "planned"
        records.append({
            "grid_point_id": "",  # filled below, once every id is known
            "name": st.name,
            "rte_code": code,
            "voltage_kv": st.kv,
            "voltage_classes_kv": ";".join(str(k) for k in sorted(classes[code], reverse=True)),
            "operator": "RTE",
            "kind": "substation",
            "plant_type": None,
            "status": st.status,
            "position_precision_km": POSITION_PRECISION_KM,
            "source": SOURCE,
            "_code": code,
        })
        points.append(shapely.Point(round(st.point[0], 6), round(st.point[1], 6)))
    _assign_ids(records)

    frame = pd.DataFrame.from_records(records, columns=[f.name for f in GRID_FIELDS] + ["_code"])
    frame = frame.drop(columns="_code")
    frame["voltage_kv"] = frame["voltage_kv"].astype("int64")
    frame["position_precision_km"] = frame["position_precision_km"].astype("float64")
    frame["plant_type"] = frame["plant_type"].astype("object")
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs=STORAGE_CRS), crs=STORAGE_CRS)
    gdf = gdf.sort_values("grid_point_id", kind="stable").reset_index(drop=True)
    summary["stations"] = len(gdf)
    summary["in_service_400_kv"] = int(((gdf["voltage_kv"] >= 400) & (gdf["status"] == "in service")).sum())
    summary["in_service_225_kv"] = int(((gdf["voltage_kv"] == 225) & (gdf["status"] == "in service")).sum())
    gdf.attrs["metadata"] = _metadata(None, summary)
    gdf.attrs["import_summary"] = summary
    gdf.attrs["source"] = source
    return gdf


def _parse_voltage(text: str) -> tuple[int | None, bool]:
    """Return (kV class or None, energised) for a ``Tension (kV)`` value."""
    value = text.strip()
    norm = _normalise_header(value)
    if not value or norm in ("courant continu", "cc", "dc") or value.startswith("<"):
        return None, True
    if norm in ("hors tension", "ht"):
        return None, False
    match = _KV.match(value.replace(" ", ""))
    if not match:
        raise ValueError(f"`{_DISPLAY['voltage']}` {value[:40]!r} is not a voltage such as '225kV'")
    return int(round(float(match.group(1).replace(",", ".")))), True


def _number(text: str, column: str) -> float | None:
    text = text.strip().replace("\u00a0", "").replace(" ", "")
    if not text:
        return None
    if not _NUMBER.match(text):
        raise ValueError(f"`{column}` {text[:40]!r} is not a number")
    return float(text.replace(",", "."))


def _coordinates(get: dict[str, str]) -> tuple[float, float] | None:
    """Return (lon, lat), or ``None`` when the row has none; raise beyond mainland France."""
    lon = _number(get["lon"], _DISPLAY["lon"]) if "lon" in get else None
    lat = _number(get["lat"], _DISPLAY["lat"]) if "lat" in get else None
    if (lon is None) != (lat is None):
        raise ValueError("has only one of longitude and latitude")
    if lon is None and get.get("geopoint"):
        lat, lon = _geo_point(get["geopoint"])
    if lon is None or lat is None:
        return None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValueError("coordinates are not finite numbers")
    if abs(lon) > 180 or abs(lat) > 90:
        raise ValueError(f"coordinates ({lon:g}, {lat:g}) are not degrees (projected, e.g. Lambert-93?)")
    b = MAINLAND_BOUNDS
    if b["lon_min"] <= lon <= b["lon_max"] and b["lat_min"] <= lat <= b["lat_max"]:
        return lon, lat
    if b["lon_min"] <= lat <= b["lon_max"] and b["lat_min"] <= lon <= b["lat_max"]:
        raise ValueError(f"longitude {lon:g} and latitude {lat:g} look swapped")
    raise ValueError(f"position (lon {lon:g}, lat {lat:g}) is outside mainland France "
                     f"(lon {b['lon_min']}..{b['lon_max']}, lat {b['lat_min']}..{b['lat_max']})")


def _geo_point(text: str) -> tuple[float, float]:
    """Parse a geo point ``"lat,lon"`` / ``"lat, lon"`` (also with decimal commas)."""
    value = text.strip().strip("()[]")
    parts = [p for p in re.split(r"[;\s]+|,\s+", value) if p]
    if len(parts) != 2:
        pieces = value.split(",")
        if len(pieces) == 2:
            parts = pieces
        elif len(pieces) == 4:  # "48,85,2,35": decimal commas
            parts = [f"{pieces[0]}.{pieces[1]}", f"{pieces[2]}.{pieces[3]}"]
        else:
            raise ValueError(f"`{_DISPLAY['geopoint']}` {value[:40]!r} is not 'latitude,longitude'")
    lat = _number(parts[0], _DISPLAY["geopoint"])
    lon = _number(parts[1], _DISPLAY["geopoint"])
    if lat is None or lon is None:
        raise ValueError(f"`{_DISPLAY['geopoint']}` {value[:40]!r} is not 'latitude,longitude'")
    return lat, lon


def _slug(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "x"


def _assign_ids(records: list[dict[str, Any]]) -> None:
    """``rte-<slug(code)>``; codes that slug alike get -2, -3… in code order."""
    seen: dict[str, int] = {}
    for rec in sorted(records, key=lambda r: r["_code"]):
        base = f"rte-{_slug(rec['_code'])}"[:76]
        seen[base] = seen.get(base, 0) + 1
        rec["grid_point_id"] = base if seen[base] == 1 else f"{base}-{seen[base]}"


def _metadata(source_date: str | None, summary: dict[str, int]) -> dict[str, Any]:
    """Layer metadata; the same input gives the same metadata (no build date: reproducible)."""
    return {
        "title": "Grid connection points (RTE substations, 225 kV and above)",
        "description": (
            "RTE's transmission substations whose highest voltage is 225 kV or more, from its official list "
            "on the ODRÉ open-data portal, at RTE's published positions. Tap points (points de piquage) are "
            f"left out. {summary.get('planned', 0)} substations approved but not built (accord administratif) are "
            "kept as `planned` and do not count in the model's distances. One point per RTE code."
        ),
        "source": "RTE – ODRÉ, postes électriques RTE (dataset postes-electriques-rte)",
        "source_url": DATASET_URL,
        "licence": "Licence Ouverte / Etalab 2.0",
        "attribution": "RTE – ODRÉ, postes électriques",
        "date": source_date,
        "precision": f"±{POSITION_PRECISION_KM:g} km (RTE's published substation positions)",
        "counts": {k: int(v) for k, v in summary.items()},
    }


def _json_value(value: Any, spec: FieldSpec) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if spec.kind == "int":
        return int(value)
    if spec.kind == "float":
        number = float(value)
        return int(number) if number.is_integer() else number
    if spec.kind == "bool":
        return bool(value)
    if spec.kind == "list[str]":
        return [str(v) for v in value]
    return str(value)
