"""Objective weights: let the spread of the sites' utilities set the weights (entropy, CRITIC).

An option beside presets and AHP. Both read the utility matrix of the sites being ranked (after the
unknown rule), so they say which criteria *separate these sites*, not which matter for a data centre:
a decisive criterion on which every site scores alike gets almost no weight. A criterion with the
same utility at every site gets 0. Weights are returned as shares summing to 1, and on the sliders'
0-10 scale by :func:`slider_weights`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from siting.schema import CRITERIA, WEIGHT_MAX
from siting.scoring import ScoringError


@dataclass(frozen=True)
class ObjectiveWeighting:
    """A registered objective-weighting method: ``meaning`` is the sentence shown to users."""

    key: str
    label: str
    meaning: str
    function: Callable[[np.ndarray], np.ndarray]


def entropy(u: np.ndarray) -> np.ndarray:
    """Shannon-entropy weights of the columns of ``u`` (n × k, values ≥ 0, at least one varying column).

    Each column becomes shares pᵢ = uᵢ / Σu, its entropy E = −Σ pᵢ ln pᵢ / ln n (0 · ln 0 = 0), and its
    weight is proportional to 1 − E. This is pymcdm's ``entropy_weights`` (equal on matrices without
    zeros), except that pymcdm refuses any utility of 0 (its sum normalisation requires positive values),
    and yes/no criteria are 0 at many sites. A column of zeros carries no information: weight 0.
    """
    u = np.asarray(u, dtype="float64")
    n = u.shape[0]
    totals = u.sum(axis=0)
    shares = np.divide(u, totals, out=np.zeros_like(u), where=totals > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(shares > 0, shares * np.log(np.where(shares > 0, shares, 1.0)), 0.0)
    e = -terms.sum(axis=0) / np.log(n)
    divergence = np.where(totals > 0, np.clip(1.0 - e, 0.0, None), 0.0)
    divergence[np.ptp(u, axis=0) == 0] = 0.0  # a constant column: E = 1 in exact arithmetic
    return _normalised(divergence)


def critic(u: np.ndarray) -> np.ndarray:
    """CRITIC weights through pymcdm (``critic_weights``): spread × disagreement with the other criteria.

    Each column is min-max normalised; its weight is proportional to its standard deviation times
    Σ (1 − correlation with each other column). Constant columns (pymcdm would divide by a zero
    variance) are left out with weight 0; a single varying column takes all the weight.
    """
    from pymcdm.weights import critic_weights

    u = np.asarray(u, dtype="float64")
    varies = np.ptp(u, axis=0) > 0
    out = np.zeros(u.shape[1])
    if varies.sum() == 1:
        out[varies] = 1.0
        return out
    # constant columns are gone, so pymcdm's Pearson never meets a zero variance (its only warning);
    # C sums to 0 only when every varying column is perfectly correlated with all the others
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = critic_weights(u[:, varies])
    if not np.all(np.isfinite(shares)):
        raise ScoringError("CRITIC is undefined here: every criterion that varies tells the same story "
                           "(perfectly correlated); use entropy weights")
    out[varies] = shares
    return _normalised(out)


def _normalised(raw: np.ndarray) -> np.ndarray:
    total = raw.sum()
    if not np.isfinite(total) or total <= 0:
        raise ScoringError("the sites do not differ on any criterion: objective weights are undefined")
    return raw / total


OBJECTIVE_WEIGHTS: dict[str, ObjectiveWeighting] = {w.key: w for w in (
    ObjectiveWeighting(
        "entropy", "Entropy",
        "Criteria on which the sites' utilities are most unevenly spread weigh most: a criterion that "
        "barely separates the sites gets almost no weight, however important it is.",
        entropy),
    ObjectiveWeighting(
        "critic", "CRITIC",
        "Criteria that vary most across the sites and repeat the other criteria least weigh most, so "
        "criteria telling the same story, such as two latencies, share their weight.",
        critic),
)}


def objective_weights(utilities, method: str = "entropy", keys: Sequence[str] | None = None,
                      criteria_keys: Sequence[str] | None = None) -> dict[str, float]:
    """Objective weights (shares summing to 1) from an (n × k) utility matrix, by criterion key.

    ``criteria_keys`` names the matrix's columns (default: every criterion of the registry, in order);
    ``keys`` restricts the weighting to those criteria (the others get 0). Needs at least two sites
    and known utilities; raises :class:`ScoringError` otherwise or for an unknown method.
    """
    if method not in OBJECTIVE_WEIGHTS:
        raise ScoringError(f"unknown weighting {str(method)[:40]!r}; expected one of {', '.join(OBJECTIVE_WEIGHTS)}")
    criteria_keys = list(criteria_keys or [c.key for c in CRITERIA])
    u = np.asarray(utilities, dtype="float64")
    if u.ndim != 2 or u.shape[1] != len(criteria_keys):
        raise ScoringError(f"utilities must be a sites × {len(criteria_keys)} criteria matrix, got shape {u.shape}")
    if u.shape[0] < 2:
        raise ScoringError("objective weights need at least two sites to compare")
    if not np.all(np.isfinite(u)):
        raise ScoringError("utilities must be known numbers: apply the unknown rule first")
    chosen = list(criteria_keys) if keys is None else list(keys)
    unknown = [k for k in chosen if k not in criteria_keys]
    if unknown:
        raise ScoringError(f"unknown criterion {str(unknown[0])[:60]!r}")
    if not chosen:
        raise ScoringError("choose at least one criterion to weight")
    columns = [criteria_keys.index(k) for k in chosen]
    shares = OBJECTIVE_WEIGHTS[method].function(u[:, columns])
    out = dict.fromkeys(criteria_keys, 0.0)
    out.update({k: float(s) for k, s in zip(chosen, shares)})
    return out


def slider_weights(shares: dict[str, float], step: float = 0.5) -> dict[str, float]:
    """Weights on the sliders' scale: the largest share becomes :data:`WEIGHT_MAX`, rounded to ``step``."""
    top = max(shares.values(), default=0.0)
    if top <= 0:
        raise ScoringError("all weights are zero: give at least one criterion a weight above 0")
    return {k: float(round(WEIGHT_MAX * v / top / step) * step) for k, v in shares.items()}
