"""How much a ranking can be trusted.

Monte Carlo over weights and uncertain values, and one-at-a-time weight sensitivity. Seeded and vectorised with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from siting.schema import CRITERIA, WEIGHT_MAX
from siting.scoring import (
    Ranking,
    ScoringError,
    method_scores,
    raw_matrix,
    topsis_scores,
    utility,
    utility_matrix,
)

WEIGHT_SIGMA = 0.25
"""Weights are perturbed as w · exp(σ·z), z ~ N(0, 1), then renormalised."""
MAX_DRAWS = 100_000
_CHUNK_CELLS = 4_000_000  # draws × sites per batch, to bound memory


@dataclass(frozen=True)
class RobustnessResult:
    """Per-site rank statistics, with the settings that produced them."""

    table: pd.DataFrame
    draws: int
    seed: int
    weight_sigma: float
    uncertain_values: int


def monte_carlo(
    ranking: Ranking,
    draws: int = 2000,
    seed: int = 0,
    weight_sigma: float = WEIGHT_SIGMA,
) -> RobustnessResult:
    """Rank distribution of the ranked sites under perturbed weights and uncertain values.

    The table: ``site_id, name, current_rank`` (the ranking's, ties shared), ``median_rank,
    rank_p05, rank_p95, p_top3, p_top5``.

    Unknown values and values marked as estimated are redrawn in every draw, uniformly
    within the criterion's documented ``unknown_range`` (then transformed), or as a
    uniform utility where no range is documented (0/1 with equal odds for yes/no facts).
    Only sites kept by the scenario's constraints take part.
    """
    if not 1 <= draws <= MAX_DRAWS:
        raise ScoringError(f"draws must be between 1 and {MAX_DRAWS:,}")
    if not (0 <= weight_sigma <= 2):
        raise ScoringError("weight_sigma must be between 0 and 2")
    table = ranking.table
    n, k = len(table), len(CRITERIA)
    columns = ["site_id", "name", "current_rank", "median_rank", "rank_p05", "rank_p95", "p_top3", "p_top5"]
    if n == 0:
        return RobustnessResult(pd.DataFrame(columns=columns), draws, seed, weight_sigma, 0)
    rng = np.random.default_rng(seed)
    w0 = np.array([ranking.weights[c.key] for c in CRITERIA], dtype="float64")

    base_u = np.column_stack([table[f"u_{c.key}"].to_numpy(dtype="float64") for c in CRITERIA])
    raw_u = utility_matrix(raw_matrix(table))
    uncertain = np.isnan(raw_u)
    for j, c in enumerate(CRITERIA):
        estimated = np.array([c.key in v for v in table["estimated_criteria"]], dtype=bool)
        uncertain[:, j] |= estimated
    uncertain &= (w0 > 0)[None, :]
    cells_site, cells_crit = np.nonzero(uncertain)

    ranks = np.empty((draws, n), dtype=np.int32)
    chunk = max(1, _CHUNK_CELLS // max(n, 1))
    for start in range(0, draws, chunk):
        d = min(chunk, draws - start)
        w = w0[None, :] * np.exp(weight_sigma * rng.standard_normal((d, k)))
        w /= w.sum(axis=1, keepdims=True)
        samples = _sample_utilities(rng, d, cells_crit)
        method = ranking.scenario.method
        if method in ("wsm", "spotis"):  # SPOTIS ranks as the weighted sum on 0-1 utilities
            scores = w @ base_u.T  # (d, n)
            if len(cells_site):
                delta = w[:, cells_crit] * (samples - base_u[cells_site, cells_crit][None, :])
                np.add.at(scores.T, cells_site, delta.T)
        else:
            u = np.broadcast_to(base_u, (d, n, k)).copy()
            u[:, cells_site, cells_crit] = samples
            if method == "topsis":
                scores = topsis_scores(u, w)
            else:  # VIKOR, PROMETHEE II: one pymcdm run per draw
                scores = np.stack([method_scores(method, u[i], w[i]) for i in range(d)])
        # rank 1 = best; ties broken by the current order (stable sort on -score)
        order = np.argsort(-scores, axis=1, kind="stable")
        ranks[start:start + d][np.arange(d)[:, None], order] = np.arange(1, n + 1, dtype=np.int32)[None, :]

    out = pd.DataFrame({
        "site_id": table["site_id"].to_numpy(),
        "name": table["name"].to_numpy(),
        "current_rank": table["rank"].to_numpy(dtype="int64"),
        "median_rank": np.median(ranks, axis=0),
        "rank_p05": np.percentile(ranks, 5, axis=0, method="lower"),
        "rank_p95": np.percentile(ranks, 95, axis=0, method="higher"),
        "p_top3": (ranks <= 3).mean(axis=0),
        "p_top5": (ranks <= 5).mean(axis=0),
    })
    return RobustnessResult(out, draws, seed, weight_sigma, int(len(cells_site)))


def _sample_utilities(rng: np.random.Generator, d: int, cells_crit: np.ndarray) -> np.ndarray:
    """(d, m) utilities for the m uncertain cells, drawn per their criterion's rule."""
    out = np.empty((d, len(cells_crit)))
    for j, c in enumerate(CRITERIA):
        cols = np.flatnonzero(cells_crit == j)
        if not len(cols):
            continue
        if c.transform == "boolean":
            out[:, cols] = rng.integers(0, 2, size=(d, len(cols)))
        elif c.unknown_range is not None:
            lo, hi = c.unknown_range
            out[:, cols] = utility(rng.uniform(lo, hi, size=(d, len(cols))), c)
        else:
            out[:, cols] = rng.uniform(0.0, 1.0, size=(d, len(cols)))
    return out


def weight_sensitivity(ranking: Ranking, steps: int = 201) -> pd.DataFrame:
    """For each criterion, the weight range (others fixed) within which the first site stays first.

    Weighted sum (and SPOTIS, which ranks as it does): exact, since every site's score numerator is
    linear in the weight and the denominator is shared. Other methods: scanned on ``steps`` weights
    between 0 and the slider maximum.
    """
    table = ranking.table
    columns = ["key", "label", "weight", "min_weight", "max_weight", "stays_first_everywhere"]
    if len(table) < 2:
        return pd.DataFrame(columns=columns)
    u = np.column_stack([table[f"u_{c.key}"].to_numpy(dtype="float64") for c in CRITERIA])
    w0 = np.array([ranking.weights[c.key] for c in CRITERIA], dtype="float64")
    top = 0  # the table is sorted best first
    rows = []
    for i, c in enumerate(CRITERIA):
        if ranking.scenario.method in ("wsm", "spotis"):
            lo, hi = _wsm_interval(u, w0, i, top)
        else:
            lo, hi = _scan_interval(u, w0, i, top, steps, ranking.scenario.method)
        rows.append({
            "key": c.key, "label": c.label, "weight": w0[i],
            "min_weight": lo, "max_weight": hi,
            "stays_first_everywhere": bool(lo <= 0 and hi >= WEIGHT_MAX),
        })
    return pd.DataFrame(rows, columns=columns)


def _wsm_interval(u: np.ndarray, w: np.ndarray, i: int, top: int) -> tuple[float, float]:
    others = np.delete(np.arange(len(w)), i)
    a = u[:, others] @ w[others]  # score numerator without criterion i
    lo, hi = 0.0, WEIGHT_MAX
    for s in range(len(u)):
        if s == top:
            continue
        d = u[top, i] - u[s, i]
        need = a[s] - a[top]  # top stays first when x·d ≥ need
        if abs(d) < 1e-12:
            if need > 1e-9:
                return float("nan"), float("nan")
        elif d > 0:
            lo = max(lo, need / d)
        else:
            hi = min(hi, need / d)
    if others.size and w[others].sum() <= 0:
        lo = max(lo, 1e-9)  # the weight cannot fall to zero when it is the only one
    if lo > hi:
        return float("nan"), float("nan")
    return float(lo), float(hi)


def _scan_interval(u: np.ndarray, w: np.ndarray, i: int, top: int, steps: int,
                   method: str = "topsis") -> tuple[float, float]:
    grid = np.linspace(0, WEIGHT_MAX, steps)
    ws = np.repeat(w[None, :], steps, axis=0)
    ws[:, i] = grid
    valid = ws.sum(axis=1) > 0
    scores = np.full((steps, len(u)), -np.inf)
    if method == "topsis":
        scores[valid] = topsis_scores(np.broadcast_to(u, (valid.sum(), *u.shape)), ws[valid])
    else:
        scores[valid] = np.stack([method_scores(method, u, wv) for wv in ws[valid]])
    first = scores[:, top] >= scores.max(axis=1) - 1e-9
    first &= valid
    if not first.any():
        return float("nan"), float("nan")
    # the contiguous run around the current weight
    current = int(np.argmin(np.abs(grid - w[i])))
    if not first[current]:
        return float(grid[first].min()), float(grid[first].max())
    lo = current
    while lo > 0 and first[lo - 1]:
        lo -= 1
    hi = current
    while hi < steps - 1 and first[hi + 1]:
        hi += 1
    return float(grid[lo]), float(grid[hi])
