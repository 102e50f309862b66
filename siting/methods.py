"""Aggregation methods on the utility matrix: weighted sum, TOPSIS, SPOTIS, VIKOR, PROMETHEE II.

Every method reads the same input as :func:`siting.scoring.wsm_scores`: utilities ``u`` (n sites ×
k criteria) in [0, 1], all of them benefits (the transforms already reversed the costs), after the
unknown rule, and non-negative weights ``w`` (k,). Criteria of weight 0 are left out, all-zero
weights raise :class:`~siting.scoring.ScoringError`, and fewer than two sites or identical sites give
scores without NaN. Each method returns a score from 0 to 100, **higher is better** (the mapping from
pymcdm's own preference value is written in :attr:`AggregationMethod.score_rule`), and ranks (1 =
best; sites whose scores agree to 6 decimals share the better rank, as in :func:`siting.scoring.score_sites`).

Only the weighted sum has points per criterion that add up to the score. For the other methods
:attr:`AggregationMethod.explanation` says what is shown instead, and :attr:`MethodResult.details`
holds those per-site quantities.

The pymcdm calls run with ``validation=False``: this module checks the inputs itself, and pymcdm's
validation would warn (``UserWarning``) whenever one site is best or worst on every criterion, which
is a legitimate decision problem here. Floating-point warnings are silenced only around the one
VIKOR division that can be 0/0, whose result is then replaced explicitly.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from siting.scenario import ALL_WEIGHTS_ZERO, ScoringError


def dense_min_rank(score: np.ndarray) -> np.ndarray:
    """Rank 1 = highest score; tied scores share the best rank ("min" method), vectorised."""
    n = len(score)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(-score, kind="stable")
    ordered = score[order]
    new_block = np.empty(n, dtype=bool)
    new_block[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=new_block[1:])
    first = np.where(new_block, np.arange(n), 0)
    np.maximum.accumulate(first, out=first)
    rank = np.empty(n, dtype=np.int64)
    rank[order] = first + 1
    return rank


def wsm_scores(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Weighted sum in 0-100; ``u`` is (..., n, k), ``w`` is (..., k)."""
    w = np.asarray(w, dtype="float64")
    total = w.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise ScoringError(ALL_WEIGHTS_ZERO)
    share = w / total
    return 100.0 * np.einsum("...nk,...k->...n", u, share)


def topsis_scores(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """TOPSIS closeness × 100 on utilities (all benefit), batched over leading axes.

    Utilities are already on a common 0-1 scale, so no further normalisation is applied.
    Sites identical on every weighted criterion get 50.
    """
    w = np.asarray(w, dtype="float64")
    total = w.sum(axis=-1, keepdims=True)
    if np.any(total <= 0):
        raise ScoringError(ALL_WEIGHTS_ZERO)
    v = u * (w / total)[..., None, :]
    best = v.max(axis=-2, keepdims=True)
    worst = v.min(axis=-2, keepdims=True)
    d_best = np.sqrt(((v - best) ** 2).sum(axis=-1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=-1))
    denom = d_best + d_worst
    with np.errstate(invalid="ignore", divide="ignore"):
        closeness = np.where(denom > 0, d_worst / np.where(denom > 0, denom, 1.0), 0.5)
    return 100.0 * closeness


def topsis_scores_pymcdm(u: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Single-scenario TOPSIS through pymcdm (the reference implementation)."""
    from pymcdm.methods import TOPSIS

    w = np.asarray(w, dtype="float64")
    if w.sum() <= 0:
        raise ScoringError(ALL_WEIGHTS_ZERO)
    keep = w > 0
    if len(u) < 2:
        return np.full(len(u), 50.0)
    method = TOPSIS(normalization_function=lambda x, cost=False: x)
    v = u[:, keep]
    if np.allclose(v, v[0]):
        return np.full(len(u), 50.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = method(v, w[keep] / w[keep].sum(), np.ones(keep.sum()), validation=False)
    return 100.0 * np.nan_to_num(p, nan=0.5)



SCORE_DECIMALS = 6
"""Scores are compared to this many decimals when ranking (as :func:`siting.scoring.score_sites` does)."""
VIKOR_V = 0.5
"""VIKOR's weight of the group utility S against the individual regret R in Q (0.5: consensus)."""
PROMETHEE_Q = 0.05
"""PROMETHEE II indifference threshold: a utility gap up to 0.05 counts as no preference."""
PROMETHEE_P = 0.3
"""PROMETHEE II preference threshold: a utility gap of 0.3 or more counts as full preference."""


def _identity(x, cost=False):
    """Leave utilities as they are (pymcdm normalisation hook): they are already 0-1 benefits."""
    return x


@dataclass(frozen=True)
class MethodResult:
    """One method's result on one utility matrix, aligned on its rows.

    ``score`` is 0-100, higher is better; ``rank`` 1 = best (ties share the better rank);
    ``preference`` is pymcdm's own value (direction: :attr:`AggregationMethod.higher_is_better`);
    ``details`` holds the per-site quantities shown instead of points (see
    :attr:`AggregationMethod.details`); the weighted sum has none (its points come from :func:`points`).
    """

    method: str
    score: np.ndarray
    rank: np.ndarray
    preference: np.ndarray
    details: dict[str, np.ndarray] = field(default_factory=dict)


@dataclass(frozen=True)
class AggregationMethod:
    """A registered method.

    ``higher_is_better`` is the direction of pymcdm's native preference value (``preference_name``);
    the 0-100 ``score`` is always higher-is-better, by ``score_rule``. ``points`` is True only when the
    score is a sum of per-criterion points (the weighted sum). ``explanation`` says in plain words what
    is shown instead of points; ``details`` names each per-site quantity in :attr:`MethodResult.details`.
    ``same_ranking_as`` names a method that always gives the same ranking on utilities (so a consensus
    would count it twice).
    """

    key: str
    label: str
    description: str
    function: Callable[[np.ndarray, np.ndarray], MethodResult]
    points: bool
    higher_is_better: bool
    preference_name: str
    score_rule: str
    explanation: str
    details: Mapping[str, str]
    rank_reversal_free: bool
    same_ranking_as: str | None = None


# ---------------------------------------------------------------------------------------
# Input checks shared by every method
# ---------------------------------------------------------------------------------------


def check_inputs(u, w) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (utilities, weights, positive-weight mask) as float arrays, or raise :class:`ScoringError`.

    Utilities must be an (n, k) matrix of known values in [0, 1] (apply the unknown rule first);
    weights a (k,) vector of finite numbers ≥ 0, not all zero.
    """
    u = np.asarray(u, dtype="float64")
    w = np.asarray(w, dtype="float64")
    if u.ndim != 2:
        raise ScoringError(f"utilities must be a sites × criteria matrix, got shape {u.shape}")
    if w.ndim != 1 or w.shape[0] != u.shape[1]:
        raise ScoringError(f"expected {u.shape[1]} weights (one per criterion), got shape {w.shape}")
    if not np.all(np.isfinite(w)) or np.any(w < 0):
        raise ScoringError("weights must be finite numbers ≥ 0")
    if w.sum() <= 0:
        raise ScoringError(ALL_WEIGHTS_ZERO)
    if not np.all(np.isfinite(u)):
        raise ScoringError("utilities must be known numbers: apply the unknown rule before scoring")
    if u.size and (u.min() < -1e-9 or u.max() > 1 + 1e-9):
        raise ScoringError("utilities must lie between 0 and 1")
    return np.clip(u, 0.0, 1.0), w, w > 0


def _rank(score: np.ndarray) -> np.ndarray:
    return dense_min_rank(np.round(score, SCORE_DECIMALS))


def _reduced(u, w) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Check the inputs and keep the weighted criteria: (u, v = u[:, keep], weight shares)."""
    u, w, keep = check_inputs(u, w)
    return u, u[:, keep], w[keep] / w[keep].sum()


# ---------------------------------------------------------------------------------------
# The methods
# ---------------------------------------------------------------------------------------


def points(u, w) -> np.ndarray:
    """Weighted-sum points per criterion (n × k): 100 · wᵢ / Σw · uᵢ; each row adds up to the score."""
    u, w, _ = check_inputs(u, w)
    return 100.0 * u * (w / w.sum())[None, :]


def wsm(u, w) -> MethodResult:
    """Weighted sum (``siting.scoring.wsm_scores``): 100 · Σ wᵢ·uᵢ / Σ wᵢ."""
    u, w, _ = check_inputs(u, w)
    score = wsm_scores(u, w) if len(u) else np.zeros(0)
    return MethodResult("wsm", score, _rank(score), score / 100.0, {})


def topsis(u, w) -> MethodResult:
    """TOPSIS through pymcdm (``siting.scoring.topsis_scores_pymcdm``), with both distances as details.

    ``d_ideal`` and ``d_anti_ideal`` are the Euclidean distances of the site's weighted utilities
    (weights as shares) to the best and worst values found among the sites scored together.
    """
    u, v, share = _reduced(u, w)
    if not len(u):
        empty = np.zeros(0)
        return MethodResult("topsis", empty, _rank(empty), empty, {"d_ideal": empty, "d_anti_ideal": empty})
    score = topsis_scores_pymcdm(u, w)
    weighted = v * share[None, :]
    d_ideal = np.sqrt(((weighted - weighted.max(axis=0)) ** 2).sum(axis=1))
    d_anti = np.sqrt(((weighted - weighted.min(axis=0)) ** 2).sum(axis=1))
    return MethodResult("topsis", score, _rank(score), score / 100.0,
                        {"d_ideal": d_ideal, "d_anti_ideal": d_anti})


def spotis_bounds(k: int) -> np.ndarray:
    """SPOTIS bounds on utilities: [0, 1] for each of ``k`` criteria (the transforms' range)."""
    return np.tile([0.0, 1.0], (k, 1))


def spotis(u, w) -> MethodResult:
    """SPOTIS through pymcdm: weighted distance P to the ideal point (utility 1 everywhere), bounds [0, 1].

    The bounds are fixed by the transforms, not by the sites, so a site's P never depends on the
    other sites: adding or removing a site cannot swap two others. On utilities bounded by [0, 1]
    with the ideal at 1, P = Σ sharesᵢ · (1 − uᵢ) = 1 − weighted sum / 100, so SPOTIS ranks exactly
    as the weighted sum does; it is kept as the reference rank-reversal-free method.
    """
    from pymcdm.methods import SPOTIS

    u, v, share = _reduced(u, w)
    if not len(u):
        empty = np.zeros(0)
        return MethodResult("spotis", empty, _rank(empty), empty, {"P": empty})
    distance = SPOTIS(spotis_bounds(v.shape[1]))(v, share, np.ones(v.shape[1]), validation=False)
    score = 100.0 * (1.0 - distance)
    return MethodResult("spotis", score, _rank(score), distance, {"P": distance})


def vikor(u, w, v_weight: float = VIKOR_V) -> MethodResult:
    """VIKOR through pymcdm: group utility S, individual regret R and compromise index Q (0 = best).

    S is the weighted sum of regrets (f*ⱼ − uⱼ) / (f*ⱼ − f⁻ⱼ), with f* and f⁻ the best and worst
    utilities among the sites scored together; R is the largest single weighted regret. A criterion on
    which every site has the same utility adds no regret (pymcdm refuses it, so it is left out). When
    every S (or every R) is equal, its term of Q is 0 instead of 0/0; when both are, nothing separates
    the sites and Q = 0.5 for all (as TOPSIS gives 50 to identical sites). Score = 100 · (1 − Q). The
    compromise-solution conditions (acceptable advantage and stability) are not applied: ranks follow Q.
    """
    from pymcdm.methods import VIKOR

    u, v, share = _reduced(u, w)
    n = len(u)
    varies = np.ptp(v, axis=0) > 0 if n else np.zeros(v.shape[1], dtype=bool)
    if n < 2 or not varies.any():
        q = np.full(n, 0.5)
        zeros = np.zeros(n)
        return MethodResult("vikor", 100.0 * (1.0 - q), _rank(100.0 * (1.0 - q)), q, {"S": zeros, "R": zeros,
                                                                                      "Q": q})
    method = VIKOR(normalization_function=_identity, v=v_weight)
    with np.errstate(divide="ignore", invalid="ignore"):  # Q's two ranges may be 0: handled just below
        *_, s, r, q = method._method(v[:, varies], share[varies], np.ones(int(varies.sum())))
    s_range, r_range = np.ptp(s), np.ptp(r)
    if s_range == 0 or r_range == 0:
        if s_range == 0 and r_range == 0:
            q = np.full(n, 0.5)
        else:
            s_term = (s - s.min()) / s_range if s_range > 0 else np.zeros(n)
            r_term = (r - r.min()) / r_range if r_range > 0 else np.zeros(n)
            q = v_weight * s_term + (1 - v_weight) * r_term
    score = 100.0 * (1.0 - q)
    return MethodResult("vikor", score, _rank(score), q, {"S": s, "R": r, "Q": q})


def promethee_ii(u, w, q: float = PROMETHEE_Q, p: float = PROMETHEE_P) -> MethodResult:
    """PROMETHEE II through pymcdm: net outranking flow φ = φ⁺ − φ⁻ in [−1, 1]; score = 50 · (1 + φ).

    Each pair of sites is compared criterion by criterion with a linear preference function with
    indifference (pymcdm's ``vshape_2``): a utility gap d ≤ q gives no preference, d ≥ p full
    preference, (d − q) / (p − q) in between; preferences are weighted by the weight shares. φ⁺ is the
    site's mean preference over the others, φ⁻ the others' mean preference over it. With p = 1 and
    q = 0 PROMETHEE II would rank exactly as the weighted sum; thresholds make large gaps on one
    criterion compensate less. A single site has φ = 0.
    """
    from pymcdm.methods import PROMETHEE_II

    u, v, share = _reduced(u, w)
    n, k = v.shape
    if n < 2:
        zeros = np.zeros(n)
        return MethodResult("promethee_ii", 50.0 + zeros, _rank(50.0 + zeros), zeros,
                            {"phi_plus": zeros, "phi_minus": zeros, "phi": zeros})
    # a new object per call: pymcdm keeps per-criterion thresholds in a one-shot generator
    method = PROMETHEE_II("vshape_2", p=[p] * k, q=[q] * k)
    *_, phi_plus, phi_minus, phi = method._method(v, share, np.ones(k))
    score = 50.0 * (1.0 + phi)
    return MethodResult("promethee_ii", score, _rank(score), phi,
                        {"phi_plus": phi_plus, "phi_minus": phi_minus, "phi": phi})


# ---------------------------------------------------------------------------------------
# The registry
# ---------------------------------------------------------------------------------------

METHODS: dict[str, AggregationMethod] = {m.key: m for m in (
    AggregationMethod(
        "wsm", "Weighted sum",
        "Adds up each criterion's utility times its weight share: a site can make up for a weak criterion "
        "with strong ones.",
        wsm, points=True, higher_is_better=True, preference_name="weighted sum / 100",
        score_rule="score = 100 · Σ wᵢ·uᵢ / Σ wᵢ",
        explanation="Weighted sum: points per criterion (weight share × utility × 100); they add up to the score.",
        details={}, rank_reversal_free=True),
    AggregationMethod(
        "topsis", "TOPSIS",
        "Ranks sites by how close their weighted utilities are to the best values among the sites and how "
        "far from the worst.",
        topsis, points=False, higher_is_better=True, preference_name="closeness C",
        score_rule="score = 100 · C, C = d⁻ / (d⁺ + d⁻)",
        explanation="TOPSIS: distance to the ideal (d⁺) and to the anti-ideal (d⁻) site per site; no additive "
                    "points. The ideal is built from the sites scored together, so adding a site can reorder "
                    "others.",
        details={"d_ideal": "distance to the ideal site d⁺ (smaller is better)",
                 "d_anti_ideal": "distance to the anti-ideal site d⁻ (larger is better)"},
        rank_reversal_free=False),
    AggregationMethod(
        "spotis", "SPOTIS",
        "Ranks sites by their weighted distance to a fixed ideal (utility 1 on every criterion), so adding "
        "a site never reorders the others.",
        spotis, points=False, higher_is_better=False, preference_name="distance P to the ideal point",
        score_rule="score = 100 · (1 − P)",
        explanation="SPOTIS: weighted distance P to the ideal point (utility 1 everywhere) per site; no additive "
                    "points shown. On 0–1 utilities P = 1 − weighted sum / 100, so its ranking is the weighted "
                    "sum's.",
        details={"P": "weighted distance to the ideal point, 0 to 1 (smaller is better)"},
        rank_reversal_free=True, same_ranking_as="wsm"),
    AggregationMethod(
        "vikor", "VIKOR",
        "Seeks a compromise between the best average performance and the smallest worst-case shortfall on "
        "any single criterion.",
        vikor, points=False, higher_is_better=False, preference_name="compromise index Q",
        score_rule="score = 100 · (1 − Q)",
        explanation="VIKOR: group utility S (weighted sum of regrets) and individual regret R (largest single "
                    "weighted regret) per site, combined into Q; no additive points.",
        details={"S": "group utility: weighted sum of regrets (smaller is better)",
                 "R": "individual regret: largest single weighted regret (smaller is better)",
                 "Q": f"compromise index, {VIKOR_V:g} · S scaled + {1 - VIKOR_V:g} · R scaled (0 = best)"},
        rank_reversal_free=False),
    AggregationMethod(
        "promethee_ii", "PROMETHEE II",
        "Compares every pair of sites criterion by criterion and ranks them by how much they outrank the "
        "others on balance.",
        promethee_ii, points=False, higher_is_better=True, preference_name="net outranking flow φ",
        score_rule="score = 50 · (1 + φ)",
        explanation=f"PROMETHEE II: positive flow φ⁺ (how much the site outranks the others), negative flow φ⁻ "
                    f"(how much they outrank it) and net flow φ per site; no additive points. Utility gaps up "
                    f"to {PROMETHEE_Q:g} count as ties, {PROMETHEE_P:g} or more as full preference.",
        details={"phi_plus": "positive flow φ⁺, 0 to 1 (larger is better)",
                 "phi_minus": "negative flow φ⁻, 0 to 1 (smaller is better)",
                 "phi": "net flow φ = φ⁺ − φ⁻, −1 to 1 (larger is better)"},
        rank_reversal_free=False),
)}

DISTINCT_METHODS: tuple[str, ...] = tuple(k for k, m in METHODS.items() if m.same_ranking_as is None)
"""Methods whose rankings can differ: the default set of a consensus (SPOTIS would repeat the weighted sum)."""


def get_method(key: str) -> AggregationMethod:
    """Return the registered method ``key``; raise :class:`ScoringError` listing the valid keys."""
    if not isinstance(key, str) or key not in METHODS:
        raise ScoringError(f"unknown method {str(key)[:40]!r}; expected one of {', '.join(METHODS)}")
    return METHODS[key]


def check_methods(keys) -> tuple[str, ...]:
    """Validate a list of method keys (or one comma-separated string); duplicates dropped, order kept."""
    if isinstance(keys, str):
        keys = [part.strip() for part in keys.split(",") if part.strip()]
    keys = list(keys)
    if not keys:
        raise ScoringError(f"no method given; expected some of {', '.join(METHODS)}")
    for key in keys:
        get_method(key)
    return tuple(dict.fromkeys(keys))


def run_method(method_key: str, u, w) -> MethodResult:
    """Run method ``method_key`` on utilities ``u`` (n × k) and weights ``w`` (k,)."""
    return get_method(method_key).function(u, w)


def method_scores(method_key: str, utilities, weights) -> np.ndarray:
    """0-100 scores (higher is better) of ``method_key``; same conventions as ``scoring.wsm_scores``."""
    return get_method(method_key).function(utilities, weights).score


def details_frame(result: MethodResult, site_ids=None) -> pd.DataFrame:
    """One row per site: ``site_id`` (when given), ``score``, ``rank`` and the method's details.

    The weighted sum has no details here: its explanation is its points (:func:`points`, or the
    ``contrib_<key>`` columns of a :class:`siting.scoring.Ranking`).
    """
    columns: dict[str, np.ndarray] = {}
    if site_ids is not None:
        columns["site_id"] = np.asarray(site_ids)
    columns["score"] = result.score
    columns["rank"] = result.rank
    columns.update(result.details)
    return pd.DataFrame(columns)
