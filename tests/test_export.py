"""Downloads: formula-safe CSV, valid GeoJSON, scenario files that load back."""

from __future__ import annotations

import json

import pytest

from siting import export
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
