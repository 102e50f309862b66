"""Aggregation methods, objective weights and value → utility curves.

Every method's ranks are checked against pymcdm run directly on the same matrix, on the 35 real
sites and on generated matrices; SPOTIS is checked free of rank reversal when a site is uploaded.
"""

from __future__ import annotations

import json
import warnings

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pymcdm import weights as pymcdm_weights
from pymcdm.methods import PROMETHEE_II, SPOTIS, TOPSIS, VIKOR

from siting import methods as m
from siting.curves import curve_spec, value_curve
from siting.data import complete_upload, load_inputs, load_upload
from siting.proximity import Infrastructure
from siting.schema import CRITERIA, UPLOADED_SITES, WEIGHT_MAX
from siting.scoring import (
    PRESETS,
    Scenario,
    ScoringError,
    prepare_sites,
    rank_sites,
    topsis_scores_pymcdm,
    utility,
    wsm_scores,
)
from siting.weights import OBJECTIVE_WEIGHTS, critic, entropy, objective_weights, slider_weights
from tests.conftest import REPO_ROOT

U_COLUMNS = [f"u_{c.key}" for c in CRITERIA]


@pytest.fixture(scope="module")
def world():
    inputs = load_inputs(REPO_ROOT)
    infra = Infrastructure.of(inputs)
    return inputs, infra, prepare_sites(inputs.sites, infra)


@pytest.fixture(scope="module")
def prepared(world):
    return world[2]


def _matrix(ranking):
    u = ranking.table[U_COLUMNS].to_numpy(dtype="float64")
    w = np.array([ranking.weights[c.key] for c in CRITERIA])
    return u, w


# ---------------------------------------------------------------------------------------
# The reference: pymcdm called directly, as its documentation shows, on the weighted criteria
# ---------------------------------------------------------------------------------------


def _identity(x, cost=False):
    return x


def pymcdm_reference(key: str, u: np.ndarray, w: np.ndarray):
    """(pymcdm object, preference) on the positive-weight columns, weights as shares, all benefit."""
    keep = w > 0
    v, share = u[:, keep], w[keep] / w[keep].sum()
    k = v.shape[1]
    if key == "vikor":  # pymcdm refuses a criterion equal at every site; it adds no regret anyway
        varies = np.ptp(v, axis=0) > 0
        v, share, k = v[:, varies], share[varies] / share[varies].sum(), int(varies.sum())  # Q ignores the scale
        if k == 0:
            return VIKOR(), np.full(len(u), np.nan)  # pymcdm cannot run: every site is the same
    body = {
        "wsm": None,
        "topsis": TOPSIS(normalization_function=_identity),
        "spotis": SPOTIS(np.tile([0.0, 1.0], (k, 1))),
        "vikor": VIKOR(normalization_function=_identity),
        "promethee_ii": PROMETHEE_II("vshape_2", p=[m.PROMETHEE_P] * k, q=[m.PROMETHEE_Q] * k),
    }[key]
    if body is None:
        return None, v @ share
    with warnings.catch_warnings():
        # pymcdm's validation warns when one site is best (or worst) on every weighted criterion;
        # that is a legitimate problem here, and the only warning its validation can give these inputs
        warnings.filterwarnings("ignore", message=r"Alternatives with indices .* are domin", category=UserWarning)
        with np.errstate(divide="ignore", invalid="ignore"):  # degenerate generated cases give NaN
            pref = body(v, share, np.ones(k), validation=True)
    return body, np.asarray(pref, dtype="float64")


def expected_score(key: str, pref: np.ndarray) -> np.ndarray:
    return {"wsm": lambda p: 100 * p, "topsis": lambda p: 100 * p, "spotis": lambda p: 100 * (1 - p),
            "vikor": lambda p: 100 * (1 - p), "promethee_ii": lambda p: 50 * (1 + p)}[key](pref)


def _average_ranks_of_min_ranks(rank):
    from pymcdm.helpers import rankdata

    return rankdata(rank.astype(float))


@pytest.mark.parametrize("preset", sorted(PRESETS))
@pytest.mark.parametrize("key", list(m.METHODS))
def test_each_method_ranks_the_35_sites_as_pymcdm_does(prepared, key, preset):
    ranking = rank_sites(prepared, Scenario(weights=PRESETS[preset].weights))
    u, w = _matrix(ranking)
    result = m.run_method(key, u, w)
    body, pref = pymcdm_reference(key, u, w)
    np.testing.assert_allclose(result.preference, pref, atol=1e-12)
    np.testing.assert_allclose(result.score, expected_score(key, pref), atol=1e-9)
    if body is not None:
        expected_rank = body.rank(pref)  # pymcdm's own ranking: ties at their average rank
        np.testing.assert_array_equal(_average_ranks_of_min_ranks(result.rank), expected_rank)
    assert sorted(result.rank) == list(range(1, len(u) + 1)) or len(set(np.round(result.score, 6))) < len(u)


@pytest.mark.parametrize("key", ["wsm", "topsis"])
def test_weighted_sum_and_topsis_are_scorings_own(prepared, key):
    ranking = rank_sites(prepared, Scenario(method=key))
    u, w = _matrix(ranking)
    reference = wsm_scores(u, w) if key == "wsm" else topsis_scores_pymcdm(u, w)
    np.testing.assert_array_equal(m.method_scores(key, u, w), reference)
    np.testing.assert_array_equal(m.run_method(key, u, w).rank, ranking.table["rank"].to_numpy())


def test_spotis_on_utilities_ranks_exactly_as_the_weighted_sum(prepared):
    u, w = _matrix(rank_sites(prepared))
    np.testing.assert_allclose(m.method_scores("spotis", u, w), m.method_scores("wsm", u, w), atol=1e-9)
    assert m.METHODS["spotis"].same_ranking_as == "wsm" and "spotis" not in m.DISTINCT_METHODS


matrices = st.integers(2, 9).flatmap(lambda n: st.integers(1, 5).flatmap(lambda k: st.tuples(
    st.lists(st.lists(st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 1.0]) | st.floats(0, 1), min_size=k, max_size=k),
             min_size=n, max_size=n),
    st.lists(st.sampled_from([0.0, 0.5, 1.0, 3.0, 10.0]), min_size=k, max_size=k).filter(lambda w: sum(w) > 0))))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(matrices, st.sampled_from(list(m.METHODS)))
def test_each_method_matches_pymcdm_on_generated_matrices(data, key):
    u, w = np.array(data[0]), np.array(data[1])
    result = m.run_method(key, u, w)
    assert np.all(np.isfinite(result.score)) and np.all((result.score >= -1e-9) & (result.score <= 100 + 1e-9))
    assert result.rank.min() == 1 and result.rank.max() <= len(u)
    _, pref = pymcdm_reference(key, u, w)
    if not np.all(np.isfinite(pref)):
        return  # pymcdm divides 0 by 0 here (identical sites for TOPSIS, equal S or R for VIKOR)
    v = u[:, w > 0]
    if key == "topsis" and np.allclose(v, v[0]):
        assert (result.score == 50).all()  # scoring's rule: sites equal to np.allclose's tolerance tie at 50
        return
    np.testing.assert_allclose(result.score, expected_score(key, pref), atol=1e-7)
    # the same order wherever pymcdm's preferences are distinguishable
    sign = 1 if m.METHODS[key].higher_is_better else -1
    for i in range(len(u)):
        for j in range(len(u)):
            if sign * (pref[i] - pref[j]) > 1e-5:
                assert result.rank[i] < result.rank[j]


@settings(max_examples=80, deadline=None)
@given(matrices, st.sampled_from(list(m.METHODS)), st.floats(0.1, 50))
def test_zero_weight_criteria_and_weight_scale_do_not_matter(data, key, scale):
    u, w = np.array(data[0]), np.array(data[1])
    base = m.method_scores(key, u, w)
    np.testing.assert_allclose(m.method_scores(key, u, w * scale), base, atol=1e-7)
    noisy = u.copy()
    noisy[:, w == 0] = 1 - noisy[:, w == 0]
    np.testing.assert_allclose(m.method_scores(key, noisy, w), base, atol=1e-9)


@pytest.mark.parametrize("key", list(m.METHODS))
def test_degenerate_inputs_give_numbers_not_nan(key):
    w = np.array([1.0, 2.0, 0.0])
    empty = m.run_method(key, np.zeros((0, 3)), w)
    assert empty.score.shape == (0,) and empty.rank.shape == (0,)
    one = m.run_method(key, np.array([[0.2, 0.9, 0.4]]), w)
    assert np.isfinite(one.score).all() and one.rank.tolist() == [1]
    same = m.run_method(key, np.tile([0.3, 0.6, 0.1], (4, 1)), w)
    assert np.isfinite(same.score).all() and len(set(same.score.round(9))) == 1 and same.rank.tolist() == [1] * 4
    for values in same.details.values():
        assert np.isfinite(values).all()


@pytest.mark.parametrize("key", list(m.METHODS))
def test_bad_inputs_raise_scoring_errors(key):
    u = np.array([[0.1, 0.2], [0.3, 0.4]])
    with pytest.raises(ScoringError, match="all weights are zero"):
        m.method_scores(key, u, np.zeros(2))
    with pytest.raises(ScoringError, match="unknown rule"):
        m.method_scores(key, np.array([[np.nan, 0.2], [0.3, 0.4]]), np.ones(2))
    with pytest.raises(ScoringError, match="between 0 and 1"):
        m.method_scores(key, u * 3, np.ones(2))
    with pytest.raises(ScoringError, match="weights"):
        m.method_scores(key, u, np.array([1.0, -1.0]))
    with pytest.raises(ScoringError, match="expected 2 weights"):
        m.method_scores(key, u, np.ones(3))


def test_unknown_method_names_say_what_is_allowed():
    with pytest.raises(ScoringError, match=r"unknown method 'electre'; expected one of wsm, topsis, spotis"):
        m.method_scores("electre", np.zeros((2, 1)), np.ones(1))
    with pytest.raises(ScoringError, match="unknown method 'bogus'"):
        m.check_methods("wsm, bogus")
    with pytest.raises(ScoringError, match="no method"):
        m.check_methods(" , ")
    assert m.check_methods("vikor,wsm,vikor") == ("vikor", "wsm")


def test_registry_is_complete_and_honest():
    assert list(m.METHODS) == ["wsm", "topsis", "spotis", "vikor", "promethee_ii"]
    u = np.array([[0.1, 0.9], [0.8, 0.3], [0.5, 0.5], [0.2, 0.2]])
    w = np.array([2.0, 1.0])
    for key, method in m.METHODS.items():
        assert method.key == key and method.label and method.score_rule
        for sentence in (method.description, method.explanation):
            assert sentence.endswith(".") and len(sentence) < 260
        assert method.description.count(". ") == 0, "the description is one sentence"
        assert method.points == (key == "wsm"), "only the weighted sum has points that add up"
        if not method.points:
            assert "no additive points" in method.explanation
        result = m.run_method(key, u, w)
        assert set(result.details) == set(method.details)
        # the 0-100 score follows pymcdm's preference in the registered direction
        order = np.argsort(result.preference)
        steps = np.diff(result.score[order])
        assert np.all(steps >= -1e-12) if method.higher_is_better else np.all(steps <= 1e-12)
    assert m.METHODS["spotis"].rank_reversal_free and not m.METHODS["topsis"].rank_reversal_free


def test_weighted_sum_points_add_up_to_the_score(prepared):
    ranking = rank_sites(prepared)
    u, w = _matrix(ranking)
    points = m.points(u, w)
    np.testing.assert_allclose(points.sum(axis=1), m.method_scores("wsm", u, w), atol=1e-9)
    np.testing.assert_allclose(points, ranking.table[[f"contrib_{c.key}" for c in CRITERIA]].to_numpy(), atol=1e-9)


def test_details_frame_names_every_quantity(prepared):
    ranking = rank_sites(prepared)
    u, w = _matrix(ranking)
    frame = m.details_frame(m.run_method("vikor", u, w), ranking.table["site_id"])
    assert list(frame.columns) == ["site_id", "score", "rank", "S", "R", "Q"]
    assert frame["Q"].between(0, 1).all() and frame.loc[frame["rank"] == 1, "Q"].iloc[0] == frame["Q"].min()
    # Q is 0 only for a site best on both S and R: the compromise index is relative
    assert (frame["Q"] == 0).any() == (frame["S"].idxmin() == frame["R"].idxmin())


# ---------------------------------------------------------------------------------------
# Rank reversal when a site is uploaded
# ---------------------------------------------------------------------------------------

# A site in Corsica with no power and no land: it becomes the worst on several criteria.
UPLOAD = "site_id,name,lat,lon,power_mw,area_ha\nmy-corsica,My Corsican plot,42.7,9.4,0,0\n"


def _with_upload(world):
    inputs, infra, prepared = world
    loaded = load_upload(UPLOAD.encode(), UPLOADED_SITES, "mine.csv")
    completed = complete_upload(loaded.accepted, inputs.regions)
    uploaded = prepare_sites(gpd.GeoDataFrame(completed.drop(columns="uploaded"), crs=completed.crs), infra)
    return gpd.GeoDataFrame(pd.concat([prepared, uploaded], ignore_index=True), crs=prepared.crs)


def _swapped_pairs(key, before, after):
    """Pairs of the original sites whose order flips once the upload is scored with them."""
    u0, w = _matrix(before)
    ids = before.table["site_id"].to_numpy()
    table1 = after.table.set_index("site_id")
    u1 = table1[U_COLUMNS].to_numpy(dtype="float64")
    s0 = pd.Series(m.method_scores(key, u0, w), index=ids)
    s1 = pd.Series(m.method_scores(key, u1, w), index=table1.index)[ids]
    a, b = s0.to_numpy()[:, None], s1.to_numpy()[:, None]
    flips = ((a - a.T) > 1e-9) & ((b - b.T) < -1e-9)
    return [(ids[i], ids[j]) for i, j in zip(*np.nonzero(flips))], s0, s1


def test_spotis_never_reorders_existing_sites_when_a_site_is_uploaded_but_topsis_can(world):
    # a fixed unknown rule: the default "worst" rule reads the worst known value among the sites
    # scored, so an upload can move it; the method itself must not reorder anything
    before = rank_sites(world[2], Scenario(unknown="neutral"))
    after = rank_sites(_with_upload(world), Scenario(unknown="neutral"))
    assert len(after.table) == len(before.table) + 1 and "my-corsica" in set(after.table["site_id"])
    swaps, s0, s1 = _swapped_pairs("spotis", before, after)
    assert swaps == []
    np.testing.assert_allclose(s1.to_numpy(), s0.to_numpy(), atol=1e-12)  # scores do not even move
    topsis_swaps, *_ = _swapped_pairs("topsis", before, after)
    assert topsis_swaps, "TOPSIS's ideal and anti-ideal move with the upload, and here they reorder sites"


# ---------------------------------------------------------------------------------------
# Objective weights
# ---------------------------------------------------------------------------------------

positive_matrices = st.integers(2, 8).flatmap(lambda n: st.integers(2, 5).flatmap(lambda k: st.lists(
    st.lists(st.floats(0.01, 1), min_size=k, max_size=k), min_size=n, max_size=n)))


@settings(max_examples=100, deadline=None)
@given(positive_matrices)
def test_entropy_is_pymcdms_on_positive_matrices(rows):
    u = np.array(rows)
    if not (np.ptp(u, axis=0) > 1e-6).any():
        return
    with np.errstate(invalid="ignore", divide="ignore"):
        reference = pymcdm_weights.entropy_weights(u)
    if np.all(np.isfinite(reference)):
        np.testing.assert_allclose(entropy(u), reference, atol=1e-7)


@settings(max_examples=100, deadline=None)
@given(positive_matrices)
def test_critic_is_pymcdms_when_every_criterion_varies(rows):
    u = np.array(rows)
    if not (np.ptp(u, axis=0) > 1e-6).all():
        return
    with np.errstate(invalid="ignore", divide="ignore"):  # 0/0 when every column is perfectly correlated
        reference = pymcdm_weights.critic_weights(u)
    if np.all(np.isfinite(reference)):
        np.testing.assert_allclose(critic(u), reference, atol=1e-9)
    else:
        with pytest.raises(ScoringError, match="same story"):
            critic(u)


def test_entropy_handles_zeros_that_pymcdm_refuses():
    u = np.array([[0.0, 1.0, 0.5], [1.0, 1.0, 0.5], [0.0, 0.0, 0.5], [0.0, 1.0, 0.5]])
    with pytest.raises(ValueError, match="positive"):
        pymcdm_weights.entropy_weights(u)
    w = entropy(u)
    assert w[2] == 0 and w.sum() == pytest.approx(1)
    # one yes among four (entropy 0) carries more information than three among four
    assert w[0] > w[1] > 0


@pytest.mark.parametrize("method", list(OBJECTIVE_WEIGHTS))
def test_objective_weights_on_the_35_sites(prepared, method):
    u, _ = _matrix(rank_sites(prepared))
    weights = objective_weights(u, method)
    assert list(weights) == [c.key for c in CRITERIA]
    assert sum(weights.values()) == pytest.approx(1) and min(weights.values()) >= 0
    assert weights["land_price_eur_m2"] == 0, "no site has a land price: the criterion carries no information"
    sliders = slider_weights(weights)
    assert max(sliders.values()) == WEIGHT_MAX and all(v * 2 == int(v * 2) for v in sliders.values())
    ranking = rank_sites(prepared, Scenario(weights=sliders))
    assert len(ranking.table) == 35
    meaning = OBJECTIVE_WEIGHTS[method].meaning
    assert meaning.endswith(".") and meaning.count(". ") == 0


def test_objective_weights_restricted_to_some_criteria(prepared):
    u, _ = _matrix(rank_sites(prepared))
    weights = objective_weights(u, "critic", keys=["power_mw", "area_ha", "years_to_power"])
    assert {k for k, v in weights.items() if v > 0} == {"power_mw", "area_ha", "years_to_power"}


def test_objective_weights_errors():
    u = np.array([[0.2, 0.5], [0.4, 0.5]])
    keys = ["a", "b"]
    with pytest.raises(ScoringError, match="unknown weighting"):
        objective_weights(u, "merec", criteria_keys=keys)
    with pytest.raises(ScoringError, match="two sites"):
        objective_weights(u[:1], "entropy", criteria_keys=keys)
    with pytest.raises(ScoringError, match="do not differ"):
        objective_weights(np.full((3, 2), 0.5), "entropy", criteria_keys=keys)
    with pytest.raises(ScoringError, match="same story"):
        objective_weights(np.array([[0.1, 0.2], [0.5, 0.6], [0.9, 1.0]]), "critic", criteria_keys=keys)
    assert objective_weights(u, "critic", criteria_keys=keys) == {"a": 1.0, "b": 0.0}


# ---------------------------------------------------------------------------------------
# Value → utility curves
# ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("c", CRITERIA, ids=lambda c: c.key)
def test_curve_is_the_models_transform_and_places_every_known_site(prepared, c):
    ranking = rank_sites(prepared)
    curve = value_curve(c.key, ranking.table)
    x, u = curve.line["x"].to_numpy(), curve.line["u"].to_numpy()
    assert np.all(np.diff(x) > 0)
    np.testing.assert_array_equal(u, utility(x, c))
    assert np.all((u >= 0) & (u <= 1))
    steps = np.diff(u)
    assert np.all(steps >= -1e-12) if c.direction == "benefit" else np.all(steps <= 1e-12)
    assert u.max() - u.min() > 0.9, "the drawn range shows the whole utility scale"
    # every site with a known value is on the curve, at the utility the ranking uses
    assert len(curve.sites) + curve.unknown == len(ranking.table)
    if len(curve.sites):
        assert x.min() <= curve.sites["x"].min() and curve.sites["x"].max() <= x.max()
        used = ranking.table.set_index("site_id").loc[curve.sites["site_id"], f"u_{c.key}"].to_numpy()
        np.testing.assert_allclose(curve.sites["u"].to_numpy(), used, atol=1e-12)
    spec = curve_spec(curve, highlight=ranking.table["site_id"].iloc[0])
    json.dumps(spec, allow_nan=False)
    assert spec["layer"][0]["mark"]["type"] == "line" and len(spec["layer"]) == (2 if len(curve.sites) else 1)
    if c.transform == "log":
        assert spec["layer"][0]["encoding"]["x"]["scale"] == {"type": "log"}
    if c.transform == "boolean":
        assert x.tolist() == [0.0, 1.0]


def test_curve_without_sites_and_unknown_criterion():
    curve = value_curve("dist_grid_400_km")
    assert curve.sites.empty and curve.unknown == 0
    assert curve.line["x"].iloc[-1] == 60 and curve.line["u"].iloc[-1] == pytest.approx(1 / 16)
    with pytest.raises(ScoringError, match="unknown criterion"):
        value_curve("nope")
