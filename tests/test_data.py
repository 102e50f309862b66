"""Loading and validation: the shipped layers pass; every broken file is reported clearly."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from siting import data, schema
from siting.data import DataValidationError, load_layer, parse_layer
from tests.conftest import DATA, REPO_ROOT

GOOD = DATA / "good_sites.geojson"
BAD = DATA / "bad"

# file → fragments the message must contain (datasette-style table).
BAD_CASES = {
    "not_json.geojson": ["not valid JSON", "line 1"],
    "truncated.geojson": ["not valid JSON"],
    "wrong_top_level.geojson": ["top level is a JSON array", "FeatureCollection"],
    "not_feature_collection.geojson": ["top-level type is 'Feature'", "FeatureCollection"],
    "no_features.geojson": ["no features"],
    "null_geometry.geojson": ["feature 2 (site_id=test-lyon)", "geometry is missing"],
    "polygon_not_point.geojson": ["feature 1", "geometry is a Polygon; expected Point"],
    "line_not_point.geojson": ["geometry is a LineString; expected Point"],
    "swapped_lat_lon.geojson": ["look swapped", "[longitude, latitude]"],
    "projected_coordinates.geojson": ["look projected", "Lambert-93"],
    "outside_france.geojson": ["outside mainland France"],
    "crs_lambert93.geojson": ["declares CRS", "2154", "WGS84"],
    "missing_required.geojson": ["feature 1", "field `name`", "required field is missing",
                                 "feature 3", "field `region`"],
    "wrong_type.geojson": ["field `power_mw`", "is a string ('200'), expected a number",
                           "field `brownfield`", "expected true, false or null"],
    "negative_area.geojson": ["field `area_ha`", "is -5 ha", "0 to 10000"],
    "power_too_high.geojson": ["field `power_mw`", "is 9000 MW", "0 to 5000"],
    "year_out_of_range.geojson": ["field `available_year`", "2051", "2020 to 2040"],
    "duplicate_id.geojson": ["feature 3", "duplicate id; feature 1 has the same site_id"],
    "unknown_enum.geojson": ["field `evidence`", "'rumour'", "`official`"],
    "nan_value.geojson": ["field `power_mw`", "NaN or Infinity"],
    "no_sources.geojson": ["field `sources`", "at least one source"],
    "several_problems.geojson": ["3 problems in 3 features:", "feature 1", "feature 2", "feature 3"],
    "utf16.geojson": ["UTF-16", "UTF-8"],
    "deeply_nested.geojson": ["nested too deeply"],
}


def test_good_fixture_loads_with_declared_columns_and_crs():
    gdf = load_layer(GOOD, schema.CANDIDATE_SITES)
    assert list(gdf.columns) == [*schema.CANDIDATE_SITES.field_names, "geometry"]
    assert gdf.crs.to_epsg() == 4326
    assert gdf.loc[0, "site_id"] == "test-lille"
    assert gdf.geometry.iloc[0].x == pytest.approx(3.06)
    assert gdf["power_mw"].isna().tolist() == [False, True, False]
    assert gdf["brownfield"].isna().tolist() == [False, False, True]
    assert str(gdf["available_year"].dtype) == "Int64"


@pytest.mark.parametrize("name, fragments", sorted(BAD_CASES.items()))
def test_bad_file_is_reported_with_a_clear_message(name, fragments):
    with pytest.raises(DataValidationError) as info:
        load_layer(BAD / name, schema.CANDIDATE_SITES)
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"{fragment!r} not in {message!r}"
    assert name in message  # every problem names its file


def test_every_bad_fixture_is_covered():
    assert sorted(p.name for p in BAD.iterdir()) == sorted(BAD_CASES)


def test_all_problems_are_reported_at_once():
    with pytest.raises(DataValidationError) as info:
        load_layer(BAD / "several_problems.geojson", schema.CANDIDATE_SITES)
    problems = info.value.problems
    assert [(p.index, p.field) for p in problems] == [(0, "area_ha"), (1, "geometry"), (2, "evidence")]


def test_oversized_file_is_refused_before_parsing(tmp_path):
    big = tmp_path / "big.geojson"
    with big.open("wb") as fh:
        fh.truncate(schema.MAX_FILE_BYTES + 1)
    with pytest.raises(DataValidationError, match="limit is 52 MB"):
        load_layer(big, schema.CANDIDATE_SITES)


def test_missing_file_is_a_validation_error(tmp_path):
    with pytest.raises(DataValidationError, match="cannot read the file"):
        load_layer(tmp_path / "nope.geojson", schema.CANDIDATE_SITES)


def test_utf8_bom_is_accepted():
    raw = b"\xef\xbb\xbf" + GOOD.read_bytes()
    assert len(parse_layer(raw, schema.CANDIDATE_SITES, "bom.geojson")) == 3


def test_sites_csv_with_semicolons_and_decimal_commas_loads():
    gdf = load_layer(DATA / "good_sites.csv", schema.CANDIDATE_SITES)
    assert gdf["site_id"].tolist() == ["csv-a", "csv-b"]
    assert gdf.loc[0, "power_mw"] == pytest.approx(120.5)
    assert gdf.geometry.iloc[0].y == pytest.approx(50.63)
    assert gdf.loc[1, "sources"] == ["https://example.org/b", "https://example.org/c"]


def test_csv_without_lat_lon_is_reported():
    with pytest.raises(DataValidationError, match="needs `lat` and `lon`"):
        parse_layer(b"site_id,name\na,b\n", schema.CANDIDATE_SITES, "x.csv")


def test_hostile_strings_are_kept_as_inert_text(write_geojson):
    collection = json.loads(GOOD.read_text())
    payload = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'
    collection["features"][0]["properties"]["name"] = payload
    gdf = load_layer(write_geojson(collection), schema.CANDIDATE_SITES)
    assert gdf.loc[0, "name"] == payload  # escaping is the renderer's job; data is kept verbatim


def test_extra_properties_are_dropped(write_geojson):
    collection = json.loads(GOOD.read_text())
    collection["features"][0]["properties"]["__proto__"] = {"x": 1}
    gdf = load_layer(write_geojson(collection), schema.CANDIDATE_SITES)
    assert "__proto__" not in gdf.columns


class TestShippedLayers:
    def test_every_layer_validates(self):
        inputs = data.load_inputs(REPO_ROOT)
        assert len(inputs.sites) == schema.OFFICIAL_ZONE_COUNT
        assert len(inputs.announced) > 0
        assert len(inputs.grid) > 0 and len(inputs.landings) > 0
        assert len(inputs.regions) == 13

    def test_regional_counts_equal_the_official_map(self):
        sites = load_layer(REPO_ROOT / schema.CANDIDATE_SITES.path, schema.CANDIDATE_SITES)
        counts = sites["region"].value_counts().to_dict()
        assert counts == schema.OFFICIAL_ZONES_BY_REGION

    @pytest.mark.parametrize("spec", schema.LAYERS, ids=lambda s: s.key)
    def test_every_feature_names_a_source_and_precision(self, spec):
        gdf = load_layer(REPO_ROOT / spec.path, spec)
        if "sources" in spec.field_names:
            assert gdf["sources"].map(len).gt(0).all()
        else:
            assert gdf["source"].str.len().gt(0).all()
        precision = [f for f in spec.field_names if f.endswith("precision_km")]
        if spec is not schema.REGION_OUTLINES:
            assert precision and gdf[precision[0]].notna().all()
        metadata = gdf.attrs["metadata"]
        assert metadata.get("licence") and metadata.get("title")

    def test_site_ids_are_unique_across_both_site_files(self):
        ids = []
        for spec in schema.SITE_LAYERS:
            ids += load_layer(REPO_ROOT / spec.path, spec)["site_id"].tolist()
        assert len(ids) == len(set(ids))

    def test_estimates_follow_a_written_rule(self):
        sites = load_layer(REPO_ROOT / schema.CANDIDATE_SITES.path, schema.CANDIDATE_SITES)
        ruled = {rule.field for rule in schema.ESTIMATION_RULES}
        for fields in sites["estimated_fields"]:
            assert set(fields) <= ruled


def _run_cli(*args):
    return subprocess.run([sys.executable, "-m", "siting", *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)


def test_cli_validate_shipped_layers_exits_0():
    paths = [spec.path for spec in schema.LAYERS]
    result = _run_cli("validate", *paths)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count(": OK") == len(paths)


def test_cli_validate_broken_file_exits_1_without_traceback():
    result = _run_cli("validate", str(BAD / "several_problems.geojson"), str(GOOD))
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "INVALID" in result.stdout and "3 problems" in result.stdout
    assert "good_sites.geojson: OK" in result.stdout


def test_cli_bad_arguments_exit_2():
    result = _run_cli("no-such-command")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_upload_keeps_valid_rows_and_lists_the_others():
    result = data.load_upload((BAD / "several_problems.geojson").read_bytes(), schema.CANDIDATE_SITES, "up.geojson")
    assert result.total == 3 and result.rejected_indexes == [0, 1, 2] and len(result.accepted) == 0
    collection = json.loads(GOOD.read_text())
    collection["features"][1]["properties"]["power_mw"] = -1
    result = data.load_upload(json.dumps(collection).encode(), schema.CANDIDATE_SITES, "up.geojson")
    assert list(result.accepted["site_id"]) == ["test-lille", "test-marseille"]
    assert result.rejected_indexes == [1] and "power_mw" in str(result.problems[0])


def test_upload_with_a_broken_file_raises():
    with pytest.raises(DataValidationError, match="not valid JSON"):
        data.load_upload(b"{", schema.CANDIDATE_SITES, "x.geojson")


# The app's "Your sites" CSV from the new-user review: the app takes 2 of its 3 rows.
REVIEW_CSV = ("site_id,name,lat,lon,power_mw,area_ha,brownfield,available_year\n"
              "my-north,Northern campus,50.0,3.0,800,90,yes,2028\n"
              "my-south,Southern campus,44.0,4.0,200,30,no,2030\n"
              "my-bad,Bad one,95,2,100,20,maybe,2029\n")


def test_spec_for_path_is_strict_for_shipped_names_only():
    for spec in schema.LAYERS:
        assert data.spec_for_path(f"/anywhere/{spec.path}") is spec
    assert data.spec_for_path("mine.csv") is schema.UPLOADED_SITES


def test_sites_file_follows_the_upload_rules_as_the_app_does(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(REVIEW_CSV, encoding="utf-8")
    inputs = data.load_inputs(REPO_ROOT)
    loaded = data.load_sites_file(path, inputs.regions)
    app = data.load_upload(REVIEW_CSV.encode(), schema.UPLOADED_SITES, "mine.csv")  # what views/upload.py does
    app_sites = data.complete_upload(app.accepted, inputs.regions)
    assert list(loaded.sites["site_id"]) == list(app_sites["site_id"]) == ["my-north", "my-south"]
    for column in ("region", "evidence", "evidence_note", "location_precision_km"):
        assert list(loaded.sites[column]) == list(app_sites[column])
    assert list(loaded.sites["region"]) == ["Hauts-de-France", "Occitanie"]
    assert loaded.total == 3 and [p.index for p in loaded.problems] == [2, 2]
    assert loaded.left_out == app.left_out() == (
        "2 problems in 1 row (row 1 is the first row under the header); that row was left out")
    assert loaded.filled == {"region": 2, "evidence": 2, "evidence_note": 2, "location_precision_km": 2}
    assert "2 of 3 rows valid" in loaded.summary() and "region from the position (2)" in loaded.summary()


def test_sites_file_with_no_valid_row_is_invalid(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("site_id,name,lat,lon\nBad ID!,x,48,2\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="e.g. 'bad-id'"):
        data.load_sites_file(path)


def test_a_file_named_as_a_shipped_layer_stays_strict(tmp_path):
    path = tmp_path / "candidate_sites.geojson"
    collection = json.loads(GOOD.read_text())
    del collection["features"][0]["properties"]["region"]
    path.write_text(json.dumps(collection), encoding="utf-8")
    with pytest.raises(DataValidationError, match="field `region`: required field is missing"):
        data.load_sites_file(path)
    assert len(data.load_sites_file(path, as_upload=True).sites) == 3  # the upload rules fill it


def test_left_out_wording_counts_rows():
    collection = json.loads(GOOD.read_text())
    for feature in collection["features"][:2]:
        feature["properties"]["power_mw"] = -1
    result = data.load_upload(json.dumps(collection).encode(), schema.UPLOADED_SITES, "up.geojson")
    assert result.left_out() == "2 problems in 2 features; those features were left out"
