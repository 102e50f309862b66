"""Downloads: formula-safe CSV, valid GeoJSON, scenario files that load back."""

from __future__ import annotations

import csv
import io
import json

import pytest

from siting import export
from siting.schema import CRITERIA
from siting.scoring import Constraints, Scenario, ScoringError, rank_sites
from tests.support.sites import PREPARED


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\t=x", "\r=x", "＝1"])
def test_formula_prefixes_are_neutralised(value):
    assert export.neutralise_formula(value) == "'" + value


@pytest.mark.parametrize("value", ["Fouju", "1-2", "", 5, None])
def test_other_values_are_untouched(value):
    assert export.neutralise_formula(value) == value


def test_scenario_round_trip():
    scenario = Scenario(weights={"power_mw": 3.0, "area_ha": 1.5}, method="topsis", unknown="exclude",
                        constraints=Constraints(min_power_mw=100, available_by=2030, regions=("Grand Est",),
                                                evidence=("official",), max_dist_grid_400_km=20))
    ranking = rank_sites(PREPARED, scenario)
    loaded = export.scenario_from_json(export.scenario_dict_json(ranking.scenario))
    assert loaded == ranking.scenario


@pytest.mark.parametrize("text, message", [
    ("{", "not valid JSON"),
    ("[]", "not a scenario file"),
    ('{"format": "dc-siting-scenario/1"}', "no `weights`"),
    ('{"format": "dc-siting-scenario/1", "weights": {"power_mw": -1}}', "from 0 to 10"),
    ('{"format": "dc-siting-scenario/1", "weights": {"power_mw": 1000}}', "from 0 to 10"),
    ('{"format": "dc-siting-scenario/1", "weights": {"x": 1}}', "unknown criterion"),
    ('{"format": "dc-siting-scenario/1", "weights": {"power_mw": 1}, "method": "magic"}', "unknown method"),
    ('{"format": "dc-siting-scenario/1", "weights": {"power_mw": 1}, "constraints": {"min_power_mw": "9"}}',
     "must be a number"),
])
def test_bad_scenario_files_are_refused_clearly(text, message):
    with pytest.raises(ScoringError, match=message):
        export.scenario_from_json(text)


def test_scored_geojson_is_valid_json_with_scores_and_no_nan():
    geo = json.loads(export.scored_geojson(rank_sites(PREPARED)))
    assert geo["type"] == "FeatureCollection" and len(geo["features"]) == len(PREPARED)
    props = geo["features"][0]["properties"]
    assert props["rank"] == 1 and 0 <= props["score"] <= 100
    vague = next(f for f in geo["features"] if f["properties"]["site_id"] == "vague")
    assert vague["properties"]["power_mw"] is None and "power_mw" in vague["properties"]["unknown_criteria"]


def _csv_rows(ranking):
    return list(csv.DictReader(io.StringIO(export.ranking_csv(ranking))))


def test_ranking_csv_keeps_the_old_columns_first_and_appends_provenance_and_scenario():
    header = export.ranking_csv(rank_sites(PREPARED)).splitlines()[0].split(",")
    old = ["rank", "site_id", "name", "region", "score", *[k for c in CRITERIA for k in (c.key, f"u_{c.key}")],
           "nearest_grid_400_name", "nearest_landing_name"]
    assert header[:len(old)] == old
    assert header[len(old):] == ["evidence", "location_precision_km", "estimated_fields", "unknown_criteria",
                                 "sources", "uploaded", "scenario_method", "scenario_unknown", "scenario_weights",
                                 "scenario_constraints"]
    assert header == export.ranking_columns()


def test_ranking_csv_says_what_is_estimated_unknown_and_sourced():
    rows = {r["site_id"]: r for r in _csv_rows(rank_sites(PREPARED))}
    vague = rows["vague"]
    assert vague["evidence"] == "indicative" and vague["location_precision_km"] == "5.0"
    assert vague["estimated_fields"] == "area_ha"
    assert "power_mw" in vague["unknown_criteria"].split(";")
    assert vague["power_mw"] == "" and vague["brownfield"] == ""  # unknown: an empty cell
    assert rows["big"]["unknown_criteria"] == "" and rows["big"]["estimated_fields"] == ""
    assert rows["big"]["sources"] == "https://example.org"
    assert {r["uploaded"] for r in rows.values()} == {"false"}


def test_ranking_csv_writes_booleans_one_way_and_rounds_to_the_data_precision():
    rows = _csv_rows(rank_sites(PREPARED))
    for c in CRITERIA:
        values = {r[c.key] for r in rows}
        if c.transform == "boolean":
            assert values <= {"true", "false", ""}, (c.key, values)
        elif c.unit in ("km", "ms"):
            assert all(v == "" or len(v.partition(".")[2]) <= 1 for v in values), (c.key, values)
        elif c.unit in ("people", "cables", "years"):
            assert all(v == "" or v.lstrip("-").isdigit() for v in values), (c.key, values)
    assert all(r["population_50km"] == "" or int(r["population_50km"]) % 1000 == 0 for r in rows)


def test_ranking_csv_carries_the_scenario():
    scenario = Scenario(weights={"power_mw": 3.0, "area_ha": 1.5}, method="topsis", unknown="pessimistic",
                        constraints=Constraints(min_power_mw=100, regions=("Grand Est", "Hauts-de-France")))
    row = _csv_rows(rank_sites(PREPARED, scenario))[0]
    assert row["scenario_method"] == "topsis" and row["scenario_unknown"] == "pessimistic"
    weights = dict(item.split("=") for item in row["scenario_weights"].split(";"))
    assert list(weights) == [c.key for c in CRITERIA]
    assert weights["power_mw"] == "3" and weights["area_ha"] == "1.5" and weights["latency_paris_ms"] == "0"
    assert row["scenario_constraints"] == "min_power_mw=100;regions=Grand Est|Hauts-de-France"


def test_new_text_cells_are_formula_safe_too():
    prepared = PREPARED.copy()
    prepared["name"] = ["=1+1", "+x", "-y", "@z"]
    prepared["region"] = ["=HYPERLINK(\"http://evil\")"] * 4
    for row in _csv_rows(rank_sites(prepared)):
        for value in row.values():
            assert not value.startswith(export.FORMULA_PREFIXES), value
    assert export.scenario_cells(Scenario())["scenario_constraints"] == ""
