"""Validation messages: features and rows counted from 1, site ids as slugs, problem counts in words."""

from __future__ import annotations

import json

import pytest

from siting import data, schema, validate
from siting.validate import DataValidationError, Problem, parse_layer, parse_layer_partial, problem_summary, slugify
from tests.conftest import DATA

GOOD = DATA / "good_sites.geojson"


def _collection(**overrides_by_index) -> bytes:
    collection = json.loads(GOOD.read_text())
    for index, props in overrides_by_index.items():
        collection["features"][int(index[1:])]["properties"].update(props)
    return json.dumps(collection).encode()


def test_data_re_exports_the_validation_names():
    assert data.DataValidationError is validate.DataValidationError
    assert data.Problem is validate.Problem
    assert data.parse_layer is validate.parse_layer and data.parse_layer_partial is validate.parse_layer_partial


@pytest.mark.parametrize("problem, text", [
    (Problem("a.geojson", "is bad", 0, "site_id=x", "name"), "a.geojson: feature 1 (site_id=x): field `name`: is bad"),
    (Problem("a.csv", "is bad", 2, None, "power_mw", "row"), "a.csv: row 3: field `power_mw`: is bad"),
    (Problem("a.geojson", "file is empty"), "a.geojson: file is empty"),
])
def test_problems_count_from_one(problem, text):
    assert str(problem) == text


def test_the_third_csv_row_is_row_3_and_the_summary_counts_rows():
    raw = (b"site_id,name,lat,lon,brownfield\n"
           b"a,A,48.1,2.1,yes\nb,B,48.2,2.2,no\nc,C,95,2,maybe\n")
    gdf, problems = parse_layer_partial(raw, schema.UPLOADED_SITES, "mine.csv")
    assert list(gdf["site_id"]) == ["a", "b"] and gdf.attrs["unit"] == "row"
    assert {str(p).split(":")[1].strip() for p in problems} == {"row 3 (site_id=c)"}
    assert problem_summary(problems) == "2 problems in 1 row (row 1 is the first row under the header)"


def test_geojson_features_count_from_one_and_duplicates_name_the_first():
    raw = _collection(f2={"site_id": "test-lille"})
    with pytest.raises(DataValidationError) as info:
        parse_layer(raw, schema.CANDIDATE_SITES, "dup.geojson")
    message = str(info.value)
    assert message.startswith("1 problem in 1 feature:\n")
    assert "dup.geojson: feature 3 (site_id=test-lille): field `site_id`: duplicate id; feature 1 has the same" \
        in message


@pytest.mark.parametrize("problems, text", [
    ([], "0 problems"),
    ([Problem("f", "m")], "1 problem"),
    ([Problem("f", "m", 0), Problem("f", "n", 0)], "2 problems in 1 feature"),
    ([Problem("f", "m", 0), Problem("f", "n", 4)], "2 problems in 2 features"),
])
def test_problem_summary_says_how_many_features(problems, text):
    assert problem_summary(problems) == text


@pytest.mark.parametrize("value, suggestion", [
    ("Bad ID!", "bad-id"),
    ("Fouju Campus IA", "fouju-campus-ia"),
    ("Île-de-France  2", "ile-de-france-2"),
    ("--a--b--", "a-b"),
    ("数据中心", ""),
])
def test_slugify(value, suggestion):
    assert slugify(value) == suggestion
    assert suggestion == "" or validate.SLUG.fullmatch(suggestion)


@pytest.mark.parametrize("spec", [schema.CANDIDATE_SITES, schema.UPLOADED_SITES], ids=lambda s: s.key)
def test_a_site_id_that_is_not_a_slug_is_refused_with_a_suggestion(spec):
    raw = _collection(f0={"site_id": "Bad ID!"}, f1={"site_id": "数据中心"})
    gdf, problems = parse_layer_partial(raw, spec, "ids.geojson")
    assert list(gdf["site_id"]) == ["test-marseille"]  # nothing silently renamed
    messages = [str(p) for p in problems]
    assert messages[0] == ("ids.geojson: feature 1 (site_id=Bad ID!): field `site_id`: "
                           "'Bad ID!' must be lower case letters, digits and hyphens, e.g. 'bad-id'")
    assert messages[1].endswith("'数据中心' must be lower case letters, digits and hyphens")


@pytest.mark.parametrize("site_id", ["a", "a1", "fouju-campus-ia", "2a-corse", "x" * 80])
def test_slugs_pass(site_id):
    raw = _collection(f0={"site_id": site_id})
    assert site_id in set(parse_layer(raw, schema.CANDIDATE_SITES, "ok.geojson")["site_id"])


def test_only_site_ids_must_be_slugs():
    # other layers' ids keep their own rules (RTE codes, INSEE codes…)
    assert all(f.name != "site_id" for f in schema.GRID_FIELDS + schema.COMMUNE_FIELDS)


def test_list_items_count_from_one():
    raw = _collection(f0={"sources": ["https://example.org/a", "https://example.org/\u202eb"]})
    _, problems = parse_layer_partial(raw, schema.CANDIDATE_SITES, "src.geojson")
    assert "item 2 contains control or bidirectional-override characters" in str(problems[0])
