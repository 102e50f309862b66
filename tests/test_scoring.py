"""The siting model: transforms, weights, methods, unknowns, constraints, explanations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siting import schema, scoring
from siting.scoring import Constraints, Scenario, ScoringError, rank_sites
from tests.support.sites import GRID, LANDINGS, PREPARED, SITES  # noqa: F401  (the shared four-site world)

KEYS = [c.key for c in schema.CRITERIA]

weights_strategy = st.lists(st.floats(0, 10, allow_nan=False), min_size=len(KEYS), max_size=len(KEYS)).filter(
    lambda ws: sum(ws) > 0.01).map(lambda ws: dict(zip(KEYS, ws)))


def _scores(ranking):
    return dict(zip(ranking.table["site_id"], ranking.table["score"]))


@pytest.mark.parametrize("c", schema.CRITERIA, ids=lambda c: c.key)
def test_every_transform_is_monotone_and_bounded(c):
    lo, hi = (c.unknown_range or (c.low, c.high if c.transform != "decay" else 5 * c.high))
    x = np.linspace(lo - 10, hi + 10, 200) if c.transform != "boolean" else np.array([0.0, 1.0])
    u = scoring.utility(x, c)
    assert np.all((u >= 0) & (u <= 1))
    steps = np.diff(u)
    assert np.all(steps >= -1e-12) if c.direction == "benefit" else np.all(steps <= 1e-12)


def test_unknown_raw_value_stays_unknown_through_the_transform():
    c = schema.CRITERIA_BY_KEY["power_mw"]
    assert np.isnan(scoring.utility(np.array([np.nan]), c))[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(weights=weights_strategy, method=st.sampled_from(["wsm", "topsis"]))
def test_scores_stay_between_0_and_100(weights, method):
    ranking = rank_sites(PREPARED, Scenario(weights=weights, method=method))
    assert ranking.table["score"].between(0, 100).all()
    assert ranking.table["score"].notna().all()


@settings(max_examples=60, deadline=None)
@given(weights=weights_strategy, factor=st.floats(0.01, 1), method=st.sampled_from(["wsm", "topsis"]))
def test_multiplying_all_weights_changes_nothing(weights, factor, method):
    # weights stay within the sliders' 0-10 range; scaling them down must not change a score
    if sum(v * factor for v in weights.values()) <= 0:
        return
    a = rank_sites(PREPARED, Scenario(weights=weights, method=method))
    b = rank_sites(PREPARED, Scenario(weights={k: v * factor for k, v in weights.items()}, method=method))
    assert list(a.table["site_id"]) == list(b.table["site_id"])
    np.testing.assert_allclose(a.table["score"], b.table["score"], atol=1e-6)


@settings(max_examples=80, deadline=None)
@given(weights=weights_strategy, key=st.sampled_from([c.key for c in schema.CRITERIA if c.transform != "boolean"]),
       delta=st.floats(0.1, 500))
def test_raising_a_benefit_never_lowers_a_score_and_raising_a_cost_never_raises_it(weights, key, delta):
    c = schema.CRITERIA_BY_KEY[key]
    before = rank_sites(PREPARED, Scenario(weights=weights))
    changed = PREPARED.copy()
    changed.loc[changed["site_id"] == "mid", key] = changed.loc[changed["site_id"] == "mid", key] + delta
    after = rank_sites(changed, Scenario(weights=weights))
    old, new = _scores(before)["mid"], _scores(after)["mid"]
    if c.direction == "benefit":
        assert new >= old - 1e-9
    else:
        assert new <= old + 1e-9


@settings(max_examples=60, deadline=None)
@given(weights=weights_strategy, method=st.sampled_from(["wsm", "topsis"]))
def test_a_dominating_site_never_ranks_below_the_dominated_one(weights, method):
    ranking = rank_sites(PREPARED, Scenario(weights=weights, method=method, unknown="pessimistic"))
    u = ranking.table.set_index("site_id")[[f"u_{k}" for k in KEYS]]
    rank = ranking.table.set_index("site_id")["rank"]
    for a in u.index:
        for b in u.index:
            if a != b and (u.loc[a] >= u.loc[b]).all():
                assert rank[a] <= rank[b]


def test_all_zero_weights_are_a_clear_error_not_nan():
    with pytest.raises(ScoringError, match="all weights are zero"):
        rank_sites(PREPARED, Scenario(weights=dict.fromkeys(KEYS, 0.0)))


@pytest.mark.parametrize("weights, message", [
    ({"no_such": 1.0}, "unknown criterion no_such"),
    ({"power_mw": -1.0}, "weights must be from 0 to 10"),
    ({"power_mw": float("nan")}, "weights must be from 0 to 10"),
    ({"power_mw": 1000.0}, "weights must be from 0 to 10"),
    ({"power_mw": "heavy"}, "must be a number"),
])
def test_bad_weights_are_refused(weights, message):
    with pytest.raises(ScoringError, match=message):
        rank_sites(PREPARED, Scenario(weights=weights))


def test_missing_weights_count_as_zero():
    ranking = rank_sites(PREPARED, Scenario(weights={"power_mw": 1.0}))
    assert ranking.table.iloc[0]["site_id"] == "big"
    assert ranking.weights["area_ha"] == 0.0


def test_weighted_sum_is_100_times_weighted_mean_utility():
    ranking = rank_sites(PREPARED, Scenario(weights={"power_mw": 3.0, "area_ha": 1.0}))
    row = ranking.table.set_index("site_id").loc["mid"]
    expected = 100 * (3 * 0.5 + 1 * 60 / 150) / 4
    assert row["score"] == pytest.approx(expected)


def test_contributions_add_up_to_the_weighted_sum():
    ranking = rank_sites(PREPARED)
    contrib = ranking.table[[f"contrib_{k}" for k in KEYS]].sum(axis=1)
    np.testing.assert_allclose(contrib, ranking.table["score"], atol=1e-5)


def test_unknown_rules_neutral_pessimistic_exclude():
    weights = {"power_mw": 1.0}
    neutral = rank_sites(PREPARED, Scenario(weights=weights, unknown="neutral"))
    pessimistic = rank_sites(PREPARED, Scenario(weights=weights, unknown="pessimistic"))
    excluded = rank_sites(PREPARED, Scenario(weights=weights, unknown="exclude"))
    assert _scores(neutral)["vague"] == pytest.approx(50)
    assert _scores(pessimistic)["vague"] == pytest.approx(0)
    assert "vague" not in _scores(excluded)
    reason = excluded.excluded.set_index("site_id").loc["vague", "excluded_reason"]
    assert reason == "unknown: power_mw"
    flagged = neutral.table.set_index("site_id")["unknown_criteria"]
    assert flagged["vague"] == ["power_mw"] and flagged["big"] == []


def test_unweighted_unknowns_are_not_flagged_or_excluding():
    ranking = rank_sites(PREPARED, Scenario(weights={"area_ha": 1.0}, unknown="exclude"))
    assert "vague" in set(ranking.table["site_id"])


def test_estimated_values_are_marked():
    ranking = rank_sites(PREPARED)
    assert ranking.table.set_index("site_id").loc["vague", "estimated_criteria"] == ["area_ha"]


@pytest.mark.parametrize("constraints, kept", [
    (Constraints(min_power_mw=400), {"big", "mid"}),
    (Constraints(min_area_ha=30), {"big", "mid", "vague"}),
    (Constraints(available_by=2029), {"big", "mid"}),
    (Constraints(regions=("Grand Est", "Île-de-France")), {"mid", "vague"}),
    (Constraints(evidence=("official", "reported")), {"big", "mid"}),
    (Constraints(max_dist_grid_400_km=20), {"big", "mid"}),
])
def test_constraints_filter_sites_and_say_why(constraints, kept):
    ranking = rank_sites(PREPARED, Scenario(constraints=constraints))
    assert set(ranking.table["site_id"]) == kept
    assert ranking.excluded["excluded_reason"].str.len().gt(0).all()
    assert len(ranking.table) + len(ranking.excluded) == len(PREPARED)


def test_constraints_that_exclude_everything_give_an_empty_ranking():
    ranking = rank_sites(PREPARED, Scenario(constraints=Constraints(min_power_mw=4000)))
    assert ranking.table.empty and len(ranking.excluded) == len(PREPARED)


def test_ranks_are_dense_from_one_and_ties_share_a_rank():
    twins = pd.concat([PREPARED, PREPARED.iloc[[0]].assign(site_id="big-twin", name="Big twin")],
                      ignore_index=True)
    ranking = rank_sites(twins)
    top = ranking.table.iloc[:2]
    assert set(top["site_id"]) == {"big", "big-twin"} and list(top["rank"]) == [1, 1]
    assert ranking.table.iloc[2]["rank"] == 3


def test_topsis_vectorised_matches_pymcdm():
    rng = np.random.default_rng(3)
    u = rng.uniform(size=(12, 6))
    w = rng.uniform(size=6)
    np.testing.assert_allclose(scoring.topsis_scores(u, w), scoring.topsis_scores_pymcdm(u, w), atol=1e-9)


def test_topsis_ranks_the_ideal_site_first():
    weights = {"power_mw": 5.0, "area_ha": 5.0, "land_price_eur_m2": 5.0}
    ranking = rank_sites(PREPARED, Scenario(weights=weights, method="topsis"))
    assert ranking.table.iloc[0]["site_id"] == "big"
    # best on every weighted criterion, so it is the ideal point itself: closeness 1
    assert ranking.table.iloc[0]["score"] == pytest.approx(100.0)


def test_presets_cover_every_criterion_and_differ():
    vectors = []
    for name, preset in scoring.PRESETS.items():
        assert set(preset.weights) == set(KEYS), name
        scoring.check_weights(preset.weights)
        vectors.append(tuple(preset.weights[k] for k in KEYS))
    assert len(set(vectors)) == len(vectors)
    assert {"balanced", "ai-training", "inference", "fastest-power", "connectivity-hub",
            "brownfield-public"} <= set(scoring.PRESETS)


def test_inference_preset_prefers_the_site_near_paris():
    ranking = rank_sites(PREPARED, Scenario(weights=scoring.PRESETS["inference"].weights))
    by_paris = ranking.table.sort_values("latency_paris_ms")
    assert by_paris.iloc[0]["site_id"] == "vague"
    assert ranking.table.iloc[0]["latency_paris_ms"] <= ranking.table["latency_paris_ms"].median()


def test_ahp_consistent_matrix_gives_exact_weights_and_zero_cr():
    w = np.array([4, 2, 1]) / 7
    matrix = np.array([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    weights, cr = scoring.ahp_weights(matrix)
    np.testing.assert_allclose(weights, w, atol=1e-9)
    assert abs(cr) < 1e-9


def test_ahp_inconsistent_matrix_has_cr_above_0_1():
    matrix = np.array([[1, 9, 1 / 9], [1 / 9, 1, 9], [9, 1 / 9, 1]])
    _, cr = scoring.ahp_weights(matrix)
    assert cr > 0.1


@pytest.mark.parametrize("matrix, message", [
    ([[1, 2], [2, 1]], "reciprocal"),
    ([[1, -2], [-0.5, 1]], "positive"),
    ([[1, 2, 3]], "square"),
    ([[1, 2.5], [0.4, 1]], "Saaty"),
])
def test_ahp_rejects_malformed_matrices(matrix, message):
    with pytest.raises(ScoringError, match=message):
        scoring.ahp_weights(np.array(matrix, dtype=float))


def test_data_confidence_follows_evidence_and_estimates():
    conf = PREPARED.set_index("site_id")["data_confidence"]
    assert conf["big"] == 1.0 and conf["mid"] == 0.75 and conf["small"] == 0.6
    assert conf["vague"] == pytest.approx(0.25 - 0.1)


def test_years_to_power_counts_from_the_reference_year():
    years = PREPARED.set_index("site_id")["years_to_power"]
    assert years["big"] == 2027 - schema.REFERENCE_YEAR and np.isnan(years["vague"])


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from([0.0, 12.5, 50.0, 50.0, 77.7, 100.0]) | st.floats(0, 100), max_size=40))
def test_dense_min_rank_matches_pandas_min_rank(values):
    scores = np.array(values, dtype=float)
    expected = pd.Series(scores).rank(ascending=False, method="min").to_numpy(dtype=int) if len(scores) else []
    np.testing.assert_array_equal(scoring.dense_min_rank(scores), expected)




def test_default_unknown_rule_never_lets_an_unknown_beat_a_known_value():
    """'worst': an unknown scores as the worst known value of its criterion among the sites scored."""
    ranking = rank_sites(PREPARED)  # the default rule
    assert ranking.scenario.unknown == "worst"
    table = ranking.table.set_index("site_id")
    known = table.loc[table["power_mw"].notna(), "u_power_mw"]
    assert table.loc["vague", "u_power_mw"] == pytest.approx(known.min())  # 'vague' has no power figure
    assert "power_mw" in table.loc["vague", "unknown_criteria"]
    # the other rules stay selectable and do what they say
    neutral = rank_sites(PREPARED, Scenario(unknown="neutral")).table.set_index("site_id")
    assert neutral.loc["vague", "u_power_mw"] == 0.5
