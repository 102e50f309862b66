"""Monte Carlo rank statistics and one-at-a-time weight sensitivity."""

from __future__ import annotations

import numpy as np
import pytest

from siting import robustness, schema, scoring
from siting.scoring import Scenario, ScoringError, rank_sites
from tests.conftest import make_infra, make_sites
from tests.support.sites import GRID, LANDINGS, PREPARED


def _random_prepared(n=25, seed=0):
    rng = np.random.default_rng(seed)
    rows = [dict(site_id=f"s{i:02d}", lon=float(rng.uniform(0, 7)), lat=float(rng.uniform(44, 50)),
                 power_mw=float(rng.uniform(50, 1000)), area_ha=float(rng.uniform(18, 150)),
                 available_year=int(rng.integers(2026, 2033))) for i in range(n)]
    return scoring.prepare_sites(make_sites(rows), make_infra(GRID, LANDINGS))


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_same_seed_same_result_and_other_seed_differs(method):
    ranking = rank_sites(_random_prepared(), Scenario(method=method))
    a = robustness.monte_carlo(ranking, draws=500, seed=7).table
    b = robustness.monte_carlo(ranking, draws=500, seed=7).table
    c = robustness.monte_carlo(ranking, draws=500, seed=8).table
    assert a.equals(b)
    assert not np.allclose(a["p_top3"], c["p_top3"]) or not np.allclose(a["median_rank"], c["median_rank"])


def test_probabilities_are_consistent():
    result = robustness.monte_carlo(rank_sites(PREPARED), draws=1000, seed=1)
    t = result.table
    n = len(t)
    assert t["p_top3"].sum() == pytest.approx(min(3, n))
    assert t["p_top5"].sum() == pytest.approx(min(5, n))
    assert (t["rank_p05"] <= t["median_rank"]).all() and (t["median_rank"] <= t["rank_p95"]).all()
    assert t["rank_p95"].max() <= n and t["rank_p05"].min() >= 1
    assert result.uncertain_values > 0  # the indicative site's unknowns are sampled


def test_without_perturbation_or_uncertainty_ranks_equal_the_ranking():
    weights = {"dist_grid_400_km": 1.0, "latency_paris_ms": 1.0}  # known for every site
    ranking = rank_sites(PREPARED, Scenario(weights=weights))
    result = robustness.monte_carlo(ranking, draws=50, seed=0, weight_sigma=0.0)
    assert result.uncertain_values == 0
    assert list(result.table["median_rank"]) == list(ranking.table["rank"].astype(float))
    assert (result.table["rank_p05"] == result.table["rank_p95"]).all()


def test_a_site_that_dominates_everywhere_is_always_first():
    weights = {"power_mw": 1.0, "area_ha": 1.0}
    ranking = rank_sites(PREPARED, Scenario(weights=weights, unknown="exclude"))
    t = robustness.monte_carlo(ranking, draws=500, seed=0, weight_sigma=1.0).table.set_index("site_id")
    assert t.loc["big", "p_top3"] == 1.0 and t.loc["big", "rank_p95"] == 1


def test_bad_draws_are_refused():
    with pytest.raises(ScoringError, match="draws"):
        robustness.monte_carlo(rank_sites(PREPARED), draws=0)


@pytest.mark.parametrize("method", ["wsm", "topsis"])
def test_sensitivity_interval_is_where_the_first_site_stays_first(method):
    ranking = rank_sites(PREPARED, Scenario(method=method))
    first = ranking.table.iloc[0]["site_id"]
    steps = 201
    sens = robustness.weight_sensitivity(ranking, steps=steps)
    assert len(sens) == len(ranking.weights)
    # exact for the weighted sum; TOPSIS scans a grid, so its bounds are within half a step
    slack = 1e-6 if method == "wsm" else schema.WEIGHT_MAX / (steps - 1) / 2 + 1e-9
    for row in sens.itertuples():
        assert row.min_weight - slack <= row.weight <= row.max_weight + slack, (row.key, row.weight)
        for x in (row.min_weight, row.max_weight):
            probe = dict(ranking.weights, **{row.key: x + (1e-6 if x == row.min_weight else -1e-6)})
            probe[row.key] = min(max(probe[row.key], 0.0), 10.0)
            if sum(probe.values()) <= 0:
                continue
            top = rank_sites(PREPARED, Scenario(weights=probe, method=method)).table
            assert first in set(top[top["rank"] == 1]["site_id"]), (row.key, x)
        if row.max_weight < 10 - 0.1:  # just past the bound another site takes first place
            past = dict(ranking.weights, **{row.key: row.max_weight + 0.1})
            top = rank_sites(PREPARED, Scenario(weights=past, method=method)).table
            assert top.iloc[0]["site_id"] != first or top.iloc[0]["rank"] == top.iloc[1]["rank"]


def test_table_carries_the_current_rank_after_the_name():
    ranking = rank_sites(PREPARED)
    table = robustness.monte_carlo(ranking, draws=100, seed=0).table
    assert list(table.columns) == ["site_id", "name", "current_rank", "median_rank", "rank_p05", "rank_p95",
                                   "p_top3", "p_top5"]
    assert list(table["current_rank"]) == list(ranking.table["rank"])
    empty = robustness.monte_carlo(rank_sites(PREPARED, Scenario(constraints=scoring.Constraints(min_power_mw=5000))))
    assert list(empty.table.columns) == list(table.columns) and empty.table.empty
