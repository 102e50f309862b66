"""Shareable URL state: round trip, and hostile parameters ignored with a notice."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siting import urlstate
from siting.scenario import Constraints
from siting.schema import CRITERIA
from siting.scoring import PRESETS, check_scenario

SITES = frozenset({"fouju-campus-ia", "escaudain-soufflantes"})


def test_empty_query_gives_defaults_without_notices():
    state, notices = urlstate.parse_query({}, SITES)
    assert state == urlstate.ViewState() and notices == []
    assert urlstate.encode_query(state) == {}


def test_round_trip_of_a_full_state():
    state = urlstate.ViewState(
        preset="inference", weights=dict(PRESETS["inference"].weights, power_mw=7.5), method="topsis",
        unknown="exclude", constraints=Constraints(min_power_mw=200, min_area_ha=20, available_by=2028,
                                                   regions=("Grand Est",), evidence=("official", "reported"),
                                                   max_dist_grid_400_km=25),
        layers=("grid_points",), basemap="none", site="fouju-campus-ia", tab="compare")
    params = urlstate.encode_query(state)
    assert params["w_power_mw"] == "7.5" and "w_latency_paris_ms" not in params  # only diffs from the preset
    parsed, notices = urlstate.parse_query(params, SITES)
    assert notices == [] and parsed == state


@pytest.mark.parametrize("params, fragment", [
    ({"w_power_mw": "NaN"}, "w_power_mw"),
    ({"w_power_mw": "1e309"}, "expected a number from 0 to 10"),
    ({"w_power_mw": "-3"}, "expected a number"),
    ({"preset": "<script>alert(1)</script>"}, "unknown preset"),
    ({"method": "magic"}, "method"),
    ({"basemap": "javascript:alert(1)"}, "basemap"),
    ({"tab": "<img src=x onerror=alert(1)>"}, "Ignored tab="),
    ({"avail_by": "2028.5"}, "avail_by"),
    ({"regions": "Grand Est,Atlantis"}, "unknown value"),
    ({"site": "no-such-site"}, "no such site"),
    ({"x" * 50: "1"}, "unknown link parameter"),
    ({"min_mw": "9" * 500}, "too long"),
])
def test_hostile_parameters_are_ignored_with_a_notice(params, fragment):
    state, notices = urlstate.parse_query(params, SITES)
    assert any(fragment in n for n in notices), notices
    check_scenario(state.scenario())  # the state is still a valid scenario


def test_all_zero_weights_fall_back_to_defaults():
    params = {f"w_{c.key}": "0" for c in CRITERIA}
    state, notices = urlstate.parse_query(params, SITES)
    assert sum(state.weights.values()) > 0 and any("zero" in n for n in notices)


def test_notices_are_bounded():
    params = {f"junk{i}": "1" for i in range(50)}
    _, notices = urlstate.parse_query(params, SITES)
    assert len(notices) == urlstate.MAX_NOTICES + 1


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(
    st.one_of(st.sampled_from(sorted(urlstate.KNOWN_PARAMS)), st.text(max_size=30)),
    st.one_of(st.text(max_size=60), st.floats(allow_nan=True).map(str), st.integers().map(str),
              st.lists(st.text(max_size=10), max_size=3)),
    max_size=12))
def test_any_query_parses_to_a_valid_scenario(params):
    state, notices = urlstate.parse_query(params, SITES)
    scenario = check_scenario(state.scenario())
    assert all(math.isfinite(w) and 0 <= w <= 10 for w in scenario.weights.values())
    assert all(len(n) < 300 for n in notices)
