"""Validate layer files against :mod:`siting.schema`: fields, geometries, encodings, CSV rows.

Every check runs on every feature and all problems are reported together (:class:`Problem`,
:class:`DataValidationError`). Files are treated as hostile: nothing in them is executed,
trusted or echoed unbounded. Reading files from disk, the shipped layers and uploads are
:mod:`siting.data`'s business (which re-exports the names here).

Problems count features (GeoJSON) or data rows (CSV) from 1: "feature 1" is the first feature,
"row 1" the first row under the CSV header.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import shape

from siting.schema import MAINLAND_BOUNDS, MAX_FILE_BYTES, STORAGE_CRS, FieldSpec, LayerSpec
from siting.text import MAX_URL as MAX_URL_LENGTH
from siting.text import UNSAFE_CHARS as _UNSAFE_TEXT  # the one unsafe-character rule
from siting.text import clip as _clip
from siting.text import escape_unsafe, is_http_url

MAX_PROBLEMS_SHOWN = 200
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
"""What a ``site_id`` must be: lower-case letters and digits, words joined by single hyphens."""
# Whole-name match: "WGS 84 / Pseudo-Mercator" (EPSG:3857) or "EPSG::43260" must not pass.
_ACCEPTED_CRS = re.compile(
    r"\s*(?:urn:ogc:def:crs:)?(?:OGC:(?:1\.3:|:)?CRS84|CRS84|EPSG:(?:[\d.]*:)?4326|WGS\s*84"
    r"|https?://www\.opengis\.net/def/crs/(?:OGC/1\.3/CRS84|EPSG/0/4326))\s*",
    re.IGNORECASE)


def plural(count: int, word: str) -> str:
    """``1 row``, ``3 rows`` (regular English plurals only)."""
    return f"{count:,} {word}{'' if count == 1 else 's'}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one feature (the whole file when ``index`` is None).

    ``index`` counts from 0, the message from 1, in ``unit``: ``feature`` (GeoJSON) or ``row`` (CSV data).
    """

    source: str
    message: str
    index: int | None = None
    feature_id: str | None = None
    field: str | None = None
    unit: str = "feature"

    def __str__(self) -> str:
        where = self.source
        if self.index is not None:
            where += f": {self.unit} {self.index + 1}"
            if self.feature_id:
                where += f" ({_clip(self.feature_id, 60)})"
        if self.field:
            where += f": field `{self.field}`"
        return f"{where}: {self.message}"


def problem_summary(problems: Iterable[Problem]) -> str:
    """How many problems in how many features or rows, e.g. ``3 problems in 1 row``."""
    problems = list(problems)
    text = plural(len(problems), "problem")
    located = [p for p in problems if p.index is not None]
    if located:
        text += f" in {plural(len({p.index for p in located}), located[0].unit)}"
        if located[0].unit == "row":
            text += " (row 1 is the first row under the header)"
    return text


class DataValidationError(ValueError):
    """A layer failed validation; ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = [str(p) for p in self.problems[:MAX_PROBLEMS_SHOWN]]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"… and {len(self.problems) - MAX_PROBLEMS_SHOWN} more problems")
        super().__init__(f"{problem_summary(self.problems)}:\n" + "\n".join(shown))


def slugify(text: str, limit: int = 80) -> str:
    """Make a ``site_id`` from any text: ``'Bad ID!'`` → ``'bad-id'`` (accents dropped; may be empty)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:limit].strip("-")


def parse_layer(raw: bytes, spec: LayerSpec, source: str) -> gpd.GeoDataFrame:
    """Validate file content ``raw`` named ``source``; any problem rejects the whole file."""
    gdf, problems = parse_layer_partial(raw, spec, source)
    if problems:
        raise DataValidationError(problems)
    return gdf


def parse_layer_partial(raw: bytes, spec: LayerSpec, source: str) -> tuple[gpd.GeoDataFrame, list[Problem]]:
    """Validate ``raw`` and return (valid features, all problems) instead of raising.

    File-level problems (not JSON, wrong top level, too large…) still raise
    :class:`DataValidationError`, since no feature can be trusted then.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise DataValidationError([Problem(
            source, f"file is {len(raw) / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB")])
    text = _decode(raw, source)
    is_csv = source.lower().endswith(".csv")
    if is_csv:
        features, problems = _features_from_csv(text, spec, source)
        collection_meta: dict[str, Any] = {}
    else:
        collection = _parse_json(text, source)
        features, problems = _features_from_collection(collection, source)
        collection_meta = collection.get("metadata") if isinstance(collection.get("metadata"), dict) else {}
    if problems:
        raise DataValidationError(problems)
    records, geometries, problems = _validate_features(features, spec, source, "row" if is_csv else "feature")
    bad = {p.index for p in problems}
    keep = [i for i in range(len(records)) if i not in bad]
    gdf = _to_geodataframe([records[i] for i in keep], [geometries[i] for i in keep], spec)
    gdf.attrs["metadata"] = collection_meta
    gdf.attrs["source"] = source
    gdf.attrs["feature_index"] = keep
    gdf.attrs["unit"] = "row" if is_csv else "feature"
    return gdf, problems


def _visible(text: Any, limit: int) -> str:
    r"""Clip raw file text for a message, unsafe characters shown as ``\uXXXX`` escapes."""
    return _clip(escape_unsafe(text), limit)


def _text_problem(text: str) -> str | None:
    found = _UNSAFE_TEXT.search(text)
    if found is None:
        return None
    code, at = ord(found.group()), found.start() + 1
    if 0xD800 <= code <= 0xDFFF:
        return f"contains an unpaired surrogate (U+{code:04X} at character {at}), which is not valid Unicode"
    return f"contains control or bidirectional-override characters (U+{code:04X} at character {at}); remove them"


def _decode(raw: bytes, source: str) -> str:
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        raise DataValidationError([Problem(source, "file is UTF-32 encoded; save it as UTF-8")])
    if b"\x00" in raw[:4] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataValidationError([Problem(
            source, "file looks UTF-16 encoded (NUL bytes, no byte-order mark); save it as UTF-8")])
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise DataValidationError([Problem(source, "file is UTF-16 encoded; save it as UTF-8")])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataValidationError([Problem(
            source, f"file is not valid UTF-8 text (byte {exc.start}); save it as UTF-8")]) from None


def _reject_constant(name: str) -> float:
    # JSON has no NaN/Infinity; Python's parser accepts them, so mark them for the checks.
    return float("nan") if name == "NaN" else float("inf")


def _parse_int(digits: str) -> int | float:
    # Past 18 digits an integer means nothing here; as a float it stays comparable (1e400 is
    # inf) instead of overflowing later or tripping Python's 4,300-digit conversion limit.
    return int(digits) if len(digits) <= 18 else float(digits)


def _parse_json(text: str, source: str) -> dict:
    if not text.strip():
        raise DataValidationError([Problem(source, "file is empty")])
    try:
        data = json.loads(text, parse_constant=_reject_constant, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise DataValidationError([Problem(
            source, f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")]) from None
    except RecursionError:
        raise DataValidationError([Problem(source, "JSON is nested too deeply to be GeoJSON")]) from None
    if not isinstance(data, dict):
        raise DataValidationError([Problem(
            source, f"top level is a JSON {_json_type(data)}; expected a GeoJSON FeatureCollection object")])
    if data.get("type") != "FeatureCollection":
        got = data.get("type")
        raise DataValidationError([Problem(
            source, f"top-level type is {_clip(repr(got), 40)}; expected \"FeatureCollection\"")])
    crs = data.get("crs")
    if crs is not None:
        name = _crs_name(crs)
        if name is None or not _ACCEPTED_CRS.fullmatch(name):
            raise DataValidationError([Problem(
                source,
                f"declares CRS {_clip(repr(name), 60)}; expected WGS84 longitude/latitude "
                "(EPSG:4326 / OGC:CRS84) — reproject the file to WGS84")])
    return data


def _crs_name(crs: Any) -> str | None:
    if isinstance(crs, dict):
        props = crs.get("properties")
        if isinstance(props, dict) and isinstance(props.get("name"), str):
            return props["name"]
    if isinstance(crs, str):
        return crs
    return None


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    kinds = ((int, "number"), (float, "number"), (str, "string"), (list, "array"), (dict, "object"))
    return next((name for kind, name in kinds if isinstance(value, kind)), "null")


def _features_from_collection(data: dict, source: str) -> tuple[list[Any], list[Problem]]:
    features = data.get("features")
    problem = ("`features` is missing or not an array" if not isinstance(features, list)
               else None if features else "the FeatureCollection has no features")
    return ([], [Problem(source, problem)]) if problem else (features, [])


def _features_from_csv(text: str, spec: LayerSpec, source: str) -> tuple[list[Any], list[Problem]]:
    """Turn CSV rows with ``lat``/``lon`` columns into GeoJSON-like features."""
    if "Point" not in spec.geometry_types:
        return [], [Problem(source, f"{spec.title} cannot be read from CSV (it needs polygons)")]
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    try:
        fieldnames, rows = reader.fieldnames, list(reader)
    except csv.Error as exc:
        return [], [Problem(source, f"the CSV file cannot be read (line {reader.line_num}): {exc}")]
    header = [h.strip() for h in (fieldnames or [])]
    if not header:
        return [], [Problem(source, "the CSV file has no header row")]
    missing = [c for c in ("lat", "lon") if c not in header]
    if missing:
        return [], [Problem(source, f"CSV needs `lat` and `lon` columns; missing {', '.join(missing)}")]
    features: list[Any] = []
    for row in rows:
        row = {(k or "").strip(): (v.strip() if isinstance(v, str) else v) for k, v in row.items()}
        props: dict[str, Any] = {}
        for f in spec.fields:
            if f.name in row:
                props[f.name] = _csv_value(row[f.name], f, delimiter)
        lat = _csv_number(row.get("lat"), delimiter)
        lon = _csv_number(row.get("lon"), delimiter)
        geometry = {"type": "Point", "coordinates": [lon, lat]}
        features.append({"type": "Feature", "geometry": geometry, "properties": props})
    if not features:
        return [], [Problem(source, "the CSV file has a header but no rows")]
    return features, []


def _csv_number(value: Any, delimiter: str) -> Any:
    if value is None or value == "":
        return None
    text = value.replace(",", ".") if delimiter == ";" else value
    try:
        return float(text)
    except ValueError:
        return value  # left as text so validation names it


def _csv_value(value: Any, spec: FieldSpec, delimiter: str) -> Any:
    if value is None or value == "":
        return None
    if spec.kind in ("int", "float"):
        return _csv_number(value, delimiter)
    if spec.kind == "bool":
        lowered = value.lower()
        if lowered in ("true", "yes", "1", "oui", "vrai"):
            return True
        if lowered in ("false", "no", "0", "non", "faux"):
            return False
        return value
    if spec.kind == "list[str]":
        return [part for part in re.split(r"[\s|]+" if delimiter == ";" else r"[\s|;]+", value) if part]
    return value


def _validate_features(
    features: list[Any], spec: LayerSpec, source: str, unit: str = "feature"
) -> tuple[list[dict], list[Any], list[Problem]]:
    problems: list[Problem] = []

    def problem(message: str, index: int, feature_id: str | None = None, field: str | None = None) -> Problem:
        return Problem(source, message, index, feature_id, field, unit)

    records: list[dict] = []
    geometries: list[Any] = []
    seen_ids: dict[str, int] = {}
    for index, feature in enumerate(features):
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            problems.append(problem("is not a GeoJSON Feature object", index))
            continue
        props = feature.get("properties")
        if props is None:
            props = {}
        if not isinstance(props, dict):
            problems.append(problem("`properties` is not an object", index))
            continue
        raw_id = props.get(spec.id_field)
        feature_id = f"{spec.id_field}={_visible(raw_id, 60)}" if isinstance(raw_id, str) and raw_id else None
        record: dict[str, Any] = {}
        for f in spec.fields:
            value, message = _check_value(props.get(f.name), f)
            if message:
                problems.append(problem(message, index, feature_id, f.name))
            record[f.name] = value
        if isinstance(raw_id, str) and raw_id:
            if raw_id in seen_ids:
                problems.append(problem(f"duplicate id; {unit} {seen_ids[raw_id] + 1} has the same {spec.id_field}",
                                        index, feature_id, spec.id_field))
            else:
                seen_ids[raw_id] = index
        geometry, message = _check_geometry(feature.get("geometry"), spec)
        if message:
            problems.append(problem(message, index, feature_id, "geometry"))
        records.append(record)
        geometries.append(geometry)
    return records, geometries, problems


def _slug_problem(value: str) -> str:
    suggestion = slugify(value)
    example = f", e.g. {suggestion!r}" if suggestion else ""
    return f"{_clip(repr(value), 60)} must be lower case letters, digits and hyphens{example}"


def _check_value(value: Any, f: FieldSpec) -> tuple[Any, str | None]:
    """Return the cleaned value and a message when it breaks ``f``'s rules."""
    if value is None or (isinstance(value, str) and f.kind != "str" and not value.strip()):
        return None, ("required field is missing or null" if f.required else None)
    if f.kind == "str":
        if not isinstance(value, str):
            return None, f"is a {_json_type(value)}, expected text"
        problem = _text_problem(value)
        if problem:
            return None, problem
        if f.required and not value.strip():
            return None, "required field is empty"
        if f.max_length is not None and len(value) > f.max_length:
            return None, f"is {len(value)} characters long; at most {f.max_length} allowed"
        if f.allowed is not None and value not in f.allowed:
            return None, f"is {_clip(repr(value), 60)}; expected {f.constraint_text()}"
        if f.name == "site_id" and not SLUG.fullmatch(value):
            return None, _slug_problem(value)
        return value, None
    if f.kind in ("int", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None, f"is a {_json_type(value)} ({_clip(repr(value), 40)}), expected a number"
        if not math.isfinite(value):
            return None, "is NaN or Infinity, expected a finite number"
        if f.kind == "int" and float(value) != int(value):
            return None, f"is {value}, expected a whole number"
        number = int(value) if f.kind == "int" else float(value)
        if (f.minimum is not None and number < f.minimum) or (f.maximum is not None and number > f.maximum):
            unit = f" {f.unit}" if f.unit else ""
            return None, f"is {number:g}{unit}; expected {f.constraint_text()}{unit}"
        return number, None
    if f.kind == "bool":
        if not isinstance(value, bool):
            return None, f"is a {_json_type(value)} ({_clip(repr(value), 40)}), expected true, false or null"
        return value, None
    # list[str]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return None, f"is a {_json_type(value)}, expected an array of text"
    for k, item in enumerate(value):
        problem = _text_problem(item)
        if problem:
            return None, f"item {k + 1} {problem}"
    if f.allowed is not None:
        bad = [item for item in value if item not in f.allowed]
        if bad:
            return None, f"contains {_clip(repr(bad), 60)}; items must be {f.constraint_text()}"
    if f.name == "sources":
        long = [k for k, item in enumerate(value) if len(item) > MAX_URL_LENGTH]
        if long:
            return None, (f"item {long[0] + 1} is {len(value[long[0]])} characters long; "
                          f"a source URL may have at most {MAX_URL_LENGTH}")
        bad = [item for item in value if not is_http_url(item)]
        if bad:
            return None, f"{_clip(repr(bad[0]), 80)} is not an http(s) URL"
        if f.required and not value:
            return None, "needs at least one source URL"
    return list(value), None


def _check_geometry(geometry: Any, spec: LayerSpec) -> tuple[Any, str | None]:
    if geometry is None:
        return None, "geometry is missing (null)"
    if not isinstance(geometry, dict) or not isinstance(geometry.get("type"), str):
        return None, "geometry is not a GeoJSON geometry object"
    kind = geometry["type"]
    if kind not in spec.geometry_types:
        return None, f"geometry is a {_visible(kind, 40)}; expected {' or '.join(spec.geometry_types)}"
    coords = geometry.get("coordinates")
    if kind == "Point":
        if (
            not isinstance(coords, list)
            or len(coords) < 2
            or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coords[:2])
        ):
            return None, "Point coordinates must be two numbers [longitude, latitude]"
        lon, lat = float(coords[0]), float(coords[1])
        message = _check_lon_lat(lon, lat)
        return (None, message) if message else (shapely.Point(lon, lat), None)
    message = _coordinates_problem(coords, kind)
    if message:
        return None, message
    try:
        geom = shape(geometry)
        if not geom.is_empty and not geom.is_valid:
            geom = shapely.make_valid(geom)
    except (ValueError, TypeError, AttributeError, IndexError, shapely.errors.GEOSException):
        return None, f"{kind} coordinates are malformed"
    if geom.is_empty:
        return None, f"{kind} is empty"
    if kind in ("Polygon", "MultiPolygon") and geom.area == 0:
        return None, f"{kind} has no area"
    minx, miny, maxx, maxy = geom.bounds
    for lon, lat in ((minx, miny), (maxx, maxy)):
        message = _check_lon_lat(lon, lat)
        if message:
            return None, message
    return geom, None


# Nesting depth of the positions inside each geometry type's `coordinates` (Point apart).
_POSITION_DEPTH = {"MultiPoint": 1, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def _coordinates_problem(coords: Any, kind: str) -> str | None:
    """Check nesting and numbers without recursion, before shapely sees hostile input."""
    depth = _POSITION_DEPTH.get(kind)
    if depth is None:
        return None
    stack = [(coords, 0)]
    while stack:
        item, level = stack.pop()
        if not isinstance(item, list):
            return f"{kind} coordinates are malformed"
        if level < depth:
            stack.extend((child, level + 1) for child in item)
        elif len(item) < 2 or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in item):
            return f"{kind} coordinates are malformed"
        elif not all(math.isfinite(c) for c in item):
            return "coordinates are NaN or Infinity"
    return None


def _check_lon_lat(lon: float, lat: float) -> str | None:
    b = MAINLAND_BOUNDS
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return "coordinates are NaN or Infinity"
    if abs(lon) > 360 or abs(lat) > 360:
        return (f"coordinates ({lon:g}, {lat:g}) look projected (metres, e.g. Lambert-93); "
                "expected WGS84 longitude/latitude in degrees")
    inside = b["lon_min"] <= lon <= b["lon_max"] and b["lat_min"] <= lat <= b["lat_max"]
    if inside:
        return None
    if b["lon_min"] <= lat <= b["lon_max"] and b["lat_min"] <= lon <= b["lat_max"]:
        return f"coordinates ({lon:g}, {lat:g}) look swapped; GeoJSON order is [longitude, latitude]"
    return (f"position (lon {lon:g}, lat {lat:g}) is outside mainland France and Corsica "
            f"(lon {b['lon_min']}..{b['lon_max']}, lat {b['lat_min']}..{b['lat_max']})")


def typed_frame(records: list[dict], fields) -> pd.DataFrame:
    """Return records as a frame with the dtypes of ``fields`` (float64, nullable Int64/boolean, lists)."""
    frame = pd.DataFrame.from_records(records, columns=[f.name for f in fields])
    for f in fields:
        if f.kind == "float":
            frame[f.name] = pd.to_numeric(frame[f.name], errors="coerce").astype("float64")
        elif f.kind == "int":
            frame[f.name] = pd.array(frame[f.name].tolist(), dtype="Int64")
        elif f.kind == "bool":
            frame[f.name] = pd.array(frame[f.name].tolist(), dtype="boolean")
        elif f.kind == "list[str]":
            frame[f.name] = [v if isinstance(v, list) else [] for v in frame[f.name]]
    return frame


def _to_geodataframe(records: list[dict], geometries: list[Any], spec: LayerSpec) -> gpd.GeoDataFrame:
    geometry = gpd.GeoSeries(geometries, crs=STORAGE_CRS)
    return gpd.GeoDataFrame(typed_frame(records, spec.fields), geometry=geometry, crs=STORAGE_CRS)
