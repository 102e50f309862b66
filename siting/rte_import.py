"""Import RTE's official list of substations (ODRÉ) as the grid-connection-points layer.

RTE publishes its substations on the ODRÉ open-data portal (Open Data Réseaux Énergies) as
dataset ``postes-electriques-rte``, under the Licence Ouverte / Open Licence (Etalab):
https://odre.opendatasoft.com/explore/dataset/postes-electriques-rte/information/ (also
served from https://opendata.reseaux-energies.fr/explore/dataset/postes-electriques-rte/).
Its CSV export (``…/download/?format=csv&use_labels_for_header=true``) is UTF-8, usually
with a byte-order mark, semicolon-separated, one row per substation *and voltage level*.

Header, as found in public code that reads the real file (we could not fetch the portal):

* with labels: ``Code poste;Nom poste;Fonction;Etat;Tension (kV);Longitude poste (DD);
  Latitude poste (DD);Géo-point poste (DD)`` — powsybl-core's ODRÉ reader expects
  ``Code poste``, ``Longitude poste (DD)`` and ``Latitude poste (DD)``
  (github.com/powsybl/powsybl-core, ``iidm/iidm-geodata``, ``OdreConfig`` and test file
  ``src/test/resources/postes-electriques-rte-erreur.csv``, whose rows show the geo point);
  OSM's Osmose merge analysers read ``Code poste``, ``Nom poste``, ``Fonction``,
  ``Tension (kV)``, ``Longitude poste (DD)``, ``Latitude poste (DD)``
  (github.com/osm-fr/osmose-backend, ``analysers/analyser_merge_power_substation_FR.py``);
* with field names (API export without labels): ``code_poste;nom_poste;fonction;etat;
  tension;longitude_poste;latitude_poste;geo_point_poste`` (powsybl-core test file
  ``eurostag-test/postes-electriques-rte.csv``).

Coordinates are WGS84 decimal degrees in two columns, longitude then latitude, plus a
geo-point column holding ``"latitude,longitude"``. Values seen: ``Fonction`` =
``POSTE DE TRANSFORMATION`` or ``POINT DE PIQUAGE`` (a tap on a line, not a substation);
``Etat`` = ``E`` (en exploitation; newer ODRÉ datasets spell it ``EN EXPLOITATION``);
``Tension (kV)`` = ``400kV``, ``225kV``, ``150kV``, ``90kV``, ``63kV``, ``<45kV``,
``HORS TENSION`` or ``COURANT CONTINU``.

Not confirmed: the ``Etat`` codes other than in-service ones (any other value is treated as
not in service), whether a station's voltage levels always share one set of coordinates
(several rows of one ``Code poste`` are averaged into one point), and whether the portal
has renamed columns since; header matching therefore ignores case, accents, ``_``/``-``
and accepts common variants (``Longitude``/``Latitude``, ``lon``/``lat``, ``Geo Point``,
``geo_point_2d``). Decimal commas are accepted.

Output: a GeoDataFrame in EPSG:4326 with exactly :data:`siting.schema.GRID_FIELDS` (plus
``geometry``), one point per in-service substation whose highest in-service voltage is
225 kV or more; ``voltage_classes_kv`` lists all its in-service AC classes (e.g.
``400;225;63``). ``gdf.attrs["import_summary"]`` counts what was left out and why.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from siting.schema import GRID_FIELDS, MAINLAND_BOUNDS, STORAGE_CRS, FieldSpec

MIN_KV = 225
SOURCE = "RTE, postes électriques (ODRÉ, Licence Ouverte)"
POSITION_PRECISION_KM = 0.5
DATASET_URL = "https://odre.opendatasoft.com/explore/dataset/postes-electriques-rte/"
MAX_ERRORS_SHOWN = 20

IN_SERVICE_STATES = frozenset({"e", "en exploitation", "exploitation", "en service", "service"})
"""Normalised ``Etat`` values meaning in service; every other value means not in service."""

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
    code: str
    names: list[str] = field(default_factory=list)
    classes: set[int] = field(default_factory=set)
    points: list[tuple[float, float]] = field(default_factory=list)


def read_rte_substations(path: Path | str) -> gpd.GeoDataFrame:
    """Read an ODRÉ ``postes-electriques-rte`` CSV into the grid layer's shape.

    Parameters
    ----------
    path
        The CSV file as downloaded from ODRÉ (semicolon-separated, UTF-8 with or without
        a byte-order mark; Windows-1252 is accepted too).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per in-service substation at 225 kV or more, in EPSG:4326, with exactly
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
    text = _decode(path.read_bytes(), path.name)
    return _parse(text, path.name)


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
    meta = dict(metadata or gdf.attrs.get("metadata") or _metadata())
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
    if first_line.count(delimiter) == 0:
        delimiter = ";"
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    header = [h for h in (reader.fieldnames or []) if h is not None]
    columns = _map_columns(header)
    missing = [k for k in ("code", "name", "voltage") if k not in columns]
    if not ({"lon", "lat"} <= set(columns) or "geopoint" in columns):
        missing += [k for k in ("lon", "lat") if k not in columns]
    if missing:
        shown = ", ".join(f"`{_DISPLAY[k]}`" for k in missing)
        got = ", ".join(f"`{h.strip()}`" for h in header[:12]) or "none"
        hint = "" if delimiter == ";" else " (ODRÉ files are semicolon-separated)"
        raise RteImportError(
            f"{source}: not an ODRÉ postes-electriques-rte CSV: missing column(s) {shown}; "
            f"columns found: {got}{hint}")

    summary = {"rows": 0, "below_225_kv": 0, "not_in_service": 0, "tap_points": 0,
               "no_coordinates": 0, "outside_mainland": 0}
    errors: list[str] = []
    stations: dict[str, _Station] = {}
    below_only: set[str] = set()

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
        except ValueError as exc:
            errors.append(f"line {line} ({code}): {exc}")
            continue
        if "function" in get and "piquage" in _normalise_header(get["function"]):
            summary["tap_points"] += 1
            continue
        in_service = energised and ("state" not in get or _normalise_header(get["state"]) in IN_SERVICE_STATES)
        if not in_service:
            summary["not_in_service"] += 1
            continue
        if kv is None:  # below 45 kV, DC or no voltage given: not an AC class to list
            below_only.add(code)
            continue
        try:
            lon_lat = _coordinates(get)
        except ValueError as exc:
            errors.append(f"line {line} ({code}): {exc}")
            continue
        station = stations.setdefault(code, _Station(code))
        station.classes.add(kv)
        if get["name"]:
            station.names.append(get["name"])
        if lon_lat == "outside":
            summary["outside_mainland"] += 1
        elif lon_lat is not None:
            station.points.append(lon_lat)

    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        more = f"\n… and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
        raise RteImportError(f"{source}: {len(errors)} bad row(s):\n" + "\n".join(shown) + more)
    if summary["rows"] == 0:
        raise RteImportError(f"{source}: the file has a header but no rows")

    records: list[dict[str, Any]] = []
    points: list[shapely.Point] = []
    for code in sorted(stations):
        st = stations[code]
        top = max(st.classes)
        if top < MIN_KV:
            summary["below_225_kv"] += 1
            continue
        if not st.points:
            summary["no_coordinates"] += 1
            continue
        lon = sum(p[0] for p in st.points) / len(st.points)
        lat = sum(p[1] for p in st.points) / len(st.points)
        records.append({
            "grid_point_id": "",  # filled below, once every id is known
            "name": st.names[0] if st.names else code,
            "voltage_kv": top,
            "voltage_classes_kv": ";".join(str(k) for k in sorted(st.classes, reverse=True)),
            "operator": "RTE",
            "kind": "substation",
            "plant_type": None,
            "position_precision_km": POSITION_PRECISION_KM,
            "source": SOURCE,
            "_code": code,
        })
        points.append(shapely.Point(round(lon, 6), round(lat, 6)))
    summary["below_225_kv"] += len(below_only - set(stations))
    _assign_ids(records)

    frame = pd.DataFrame.from_records(records, columns=[f.name for f in GRID_FIELDS] + ["_code"])
    frame = frame.drop(columns="_code")
    frame["voltage_kv"] = frame["voltage_kv"].astype("int64")
    frame["position_precision_km"] = frame["position_precision_km"].astype("float64")
    frame["plant_type"] = frame["plant_type"].astype("object")
    gdf = gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs=STORAGE_CRS), crs=STORAGE_CRS)
    gdf = gdf.sort_values("grid_point_id", kind="stable").reset_index(drop=True)
    summary["stations"] = len(gdf)
    gdf.attrs["metadata"] = _metadata()
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


def _coordinates(get: dict[str, str]) -> tuple[float, float] | str | None:
    """Return (lon, lat), ``None`` when the row has none, or ``"outside"`` beyond mainland France."""
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
    return "outside"


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


def _metadata() -> dict[str, Any]:
    return {
        "title": "Grid connection points (RTE substations, 225 kV and above)",
        "description": (
            "RTE's in-service transmission substations whose highest voltage is 225 kV or more, "
            "imported from its official list on the ODRÉ open-data portal. Tap points (points de "
            "piquage) and stations out of service are left out; one point per substation, with all "
            "its in-service voltage classes."
        ),
        "source": "RTE — Postes électriques RTE (ODRÉ open-data portal, dataset postes-electriques-rte)",
        "source_url": DATASET_URL,
        "licence": "Licence Ouverte / Open Licence (Etalab)",
        "attribution": "RTE, ODRÉ (Open Data Réseaux Énergies)",
        "date": None,
        "compiled": date.today().isoformat(),
        "precision": f"±{POSITION_PRECISION_KM:g} km (RTE's published substation coordinates)",
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
