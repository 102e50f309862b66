"""The siting model: criteria values, utilities, weights, methods, constraints, explanations.

This is the single place where a score is computed; the app and the command line both
call :func:`rank_sites`. Everything is vectorised over sites with numpy.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from siting.methods import (  # noqa: F401  (re-exported: robustness and tests use them from here)
    dense_min_rank,
    method_scores,
    topsis_scores,
    topsis_scores_pymcdm,
    wsm_scores,
)
from siting.proximity import Infrastructure, compute_proximity
from siting.scenario import (  # noqa: F401  (re-exported: the model's public names)
    ALL_WEIGHTS_ZERO,
    CONSTRAINTS,
    METHODS,
    PRESETS,
    Constraints,
    Method,
    Preset,
    Scenario,
    ScoringError,
    UnknownRule,
    check_scenario,
    check_weights,
    default_weights,
    failing,
)
from siting.schema import (
    CONFIDENCE_PENALTY_PER_ESTIMATE,
    CRITERIA,
    EVIDENCE_CONFIDENCE,
    REFERENCE_YEAR,
    Criterion,
)

NEUTRAL_UTILITY = 0.5


def prepare_sites(sites: gpd.GeoDataFrame, infra: Infrastructure) -> gpd.GeoDataFrame:
    """Add proximity, population, latency and the computed criteria to the site attributes.

    This is the expensive step (projection and nearest-neighbour search): compute it
    once per data set and score many scenarios against it.
    """
    prepared = sites.copy()
    # The layer's metadata stays with the loaded layer: pandas deep-copies ``attrs`` into every frame
    # derived from this one, and scoring derives ~1,600 of them per weight change.
    prepared.attrs = {}
    prox = compute_proximity(sites, infra)
    for column in prox.columns:
        prepared[column] = prox[column].to_numpy()
    year = pd.to_numeric(prepared["available_year"], errors="coerce").astype("float64")
    prepared["years_to_power"] = np.clip(year - REFERENCE_YEAR, 0, None)
    prepared["data_confidence"] = data_confidence(prepared["evidence"], prepared["estimated_fields"])
    # Text as plain Python strings: every rerun takes rows of this frame, and pandas' Arrow-backed
    # string columns cost 3x more to take than object columns (rank_sites 26 -> 17 ms, 35 sites).
    text = [c for c in prepared.columns if isinstance(prepared[c].dtype, pd.StringDtype)]
    if text:
        prepared[text] = prepared[text].astype(object)
    return prepared


def data_confidence(evidence: pd.Series, estimated_fields: pd.Series) -> np.ndarray:
    """Confidence in [0, 1] from the evidence level, minus a penalty per estimated value."""
    base = evidence.map(EVIDENCE_CONFIDENCE).astype("float64").to_numpy()
    n_estimates = np.array([len(v) if isinstance(v, list) else 0 for v in estimated_fields], dtype=float)
    return np.clip(base - CONFIDENCE_PENALTY_PER_ESTIMATE * n_estimates, 0.0, 1.0)


def raw_matrix(frame: pd.DataFrame, criteria: tuple[Criterion, ...] = CRITERIA) -> np.ndarray:
    """(n sites × k criteria) raw values as floats; NaN where unknown, booleans as 0/1."""
    out = np.empty((len(frame), len(criteria)), dtype="float64", order="F")
    for j, c in enumerate(criteria):
        series = frame[c.key]
        if c.transform == "boolean":
            series = series.astype("boolean").astype("float64")
        out[:, j] = pd.to_numeric(series, errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    return out


def utility(raw: np.ndarray, c: Criterion) -> np.ndarray:
    """Map raw values of criterion ``c`` to utilities in [0, 1] (NaN stays NaN)."""
    x = np.asarray(raw, dtype="float64")
    if c.transform == "boolean":
        return x.copy()
    if c.transform == "linear":
        u = np.clip((x - c.low) / (c.high - c.low), 0.0, 1.0)
        return 1.0 - u if c.direction == "cost" else u
    if c.transform == "decay":
        u = np.power(0.5, np.clip(x, 0, None) / c.high)
        return 1.0 - u if c.direction == "benefit" else u
    if c.transform == "log":
        with np.errstate(divide="ignore", invalid="ignore"):
            u = np.clip(np.log(np.clip(x, c.low, None) / c.low) / np.log(c.high / c.low), 0.0, 1.0)
        u[np.isnan(x)] = np.nan
        return 1.0 - u if c.direction == "cost" else u
    # threshold: comparisons turn NaN into False, so put unknowns back explicitly
    u = (x >= c.low if c.direction == "benefit" else x <= c.low).astype("float64")
    u[np.isnan(x)] = np.nan
    return u


def utility_matrix(raw: np.ndarray, criteria: tuple[Criterion, ...] = CRITERIA) -> np.ndarray:
    """Apply every criterion's transform column by column (NaN in, NaN out)."""
    out = np.empty(raw.shape, dtype="float64", order="F")
    for j, c in enumerate(criteria):
        out[:, j] = utility(raw[:, j], c)
    return out


def apply_constraints(frame: pd.DataFrame, constraints: Constraints) -> pd.Series:
    """Reason each site fails the constraints ('' when it passes), aligned on ``frame``.

    The first failing filter, in :data:`siting.scenario.CONSTRAINTS` order, gives the reason.
    """
    reasons = pd.Series("", index=frame.index, dtype=object)
    for spec in CONSTRAINTS:
        value = getattr(constraints, spec.key)
        if value == spec.empty:
            continue
        column = frame[spec.column]
        if spec.kind == "year":
            column = pd.to_numeric(column, errors="coerce")
        mask = pd.Series(failing(spec, value, column), index=frame.index).fillna(True).astype(bool)
        reasons[mask & (reasons == "")] = spec.fails.format(v=spec.shown(value))
    return reasons


@dataclass(frozen=True)
class Ranking:
    """Result of :func:`rank_sites`.

    ``table`` holds the ranked sites (best first) with every criterion's raw value (column
    named by its key), utility (``u_<key>``, after the unknown rule), contribution to the
    weighted sum in points (``contrib_<key>``), ``score``, ``rank``, ``unknown_criteria``
    and ``estimated_criteria``. ``excluded`` holds the other sites with ``excluded_reason``.
    """

    table: gpd.GeoDataFrame
    excluded: gpd.GeoDataFrame
    scenario: Scenario

    @property
    def weights(self) -> dict[str, float]:
        """The scenario's complete, checked weights."""
        return self.scenario.weights


@dataclass(frozen=True)
class Scores:
    """Vectorised result of :func:`score_sites`, aligned on the input rows.

    ``utilities`` (n × k) are after the unknown rule; ``unknown`` marks missing raw values;
    ``score`` is NaN and ``rank`` 0 for excluded rows; ``reasons`` says why a row is excluded.
    """

    utilities: np.ndarray
    unknown: np.ndarray
    weights: np.ndarray
    score: np.ndarray
    rank: np.ndarray
    reasons: np.ndarray

    @property
    def kept(self) -> np.ndarray:
        """Boolean mask of the rows that are ranked."""
        return self.reasons == ""


def score_sites(prepared: pd.DataFrame, scenario: Scenario) -> Scores:
    """Score every row of ``prepared`` under a checked scenario, fully vectorised (no per-row Python).

    This is the model's core; :func:`rank_sites` wraps it into the explained, sorted table.
    """
    w = np.array([scenario.weights[c.key] for c in CRITERIA], dtype="float64")
    n = len(prepared)
    if scenario.constraints == Constraints():
        reasons = np.full(n, "", dtype=object)
        keep = np.ones(n, dtype=bool)
    else:
        reasons = np.array(apply_constraints(prepared, scenario.constraints).to_numpy(dtype=object), dtype=object)
        keep = reasons == ""
    u = utility_matrix(raw_matrix(prepared))
    unknown = np.isnan(u)
    if scenario.unknown == "exclude":
        missing = unknown & (w > 0)[None, :]
        rows = missing.any(axis=1) & keep
        if rows.any():
            keys = np.array([c.key for c in CRITERIA], dtype=object)
            reasons[rows] = ["unknown: " + ", ".join(keys[m]) for m in missing[rows]]
            keep &= ~rows
        u_filled = np.where(unknown, 0.0, u)
    elif scenario.unknown == "worst":
        # never above the worst known value among the sites scored together (0 when none is known)
        known = np.where(unknown | ~keep[:, None], np.inf, u)
        worst = known.min(axis=0)
        worst[~np.isfinite(worst)] = 0.0
        np.copyto(u, np.broadcast_to(worst, u.shape), where=unknown)
        u_filled = u
    else:
        np.copyto(u, NEUTRAL_UTILITY if scenario.unknown == "neutral" else 0.0, where=unknown)
        u_filled = u
    score = np.full(n, np.nan)
    rank = np.zeros(n, dtype=np.int64)
    if keep.any():
        all_kept = bool(keep.all())
        kept_u = u_filled if all_kept else u_filled[keep]
        kept_score = method_scores(scenario.method, kept_u, w)
        kept_score = np.round(kept_score, 6)
        if all_kept:
            score, rank = kept_score, dense_min_rank(kept_score)
        else:
            score[keep] = kept_score
            rank[keep] = dense_min_rank(kept_score)
    return Scores(u_filled, unknown, w, score, rank, reasons)


def rank_sites(prepared: gpd.GeoDataFrame, scenario: Scenario | None = None) -> Ranking:
    """Score and rank prepared sites (see :func:`prepare_sites`) under ``scenario``."""
    scenario = check_scenario(scenario or Scenario())
    scores = score_sites(prepared, scenario)
    w = scores.weights
    keys = [c.key for c in CRITERIA]
    weighted_unknown = scores.unknown & (w > 0)[None, :]
    share = w / w.sum()
    columns: dict[str, object] = {}
    for j, key in enumerate(keys):
        columns[f"u_{key}"] = scores.utilities[:, j]
        columns[f"contrib_{key}"] = 100.0 * share[j] * scores.utilities[:, j]
    columns["unknown_criteria"] = [[keys[j] for j in np.flatnonzero(row)] for row in weighted_unknown]
    columns["estimated_criteria"] = [
        [k for k in keys if k in fields] if isinstance(fields, list) else [] for fields in prepared["estimated_fields"]
    ]
    columns["score"] = scores.score
    columns["rank"] = scores.rank
    # Rows in their final order (ranked best first, then the filtered out), computed on three arrays;
    # then one positional take of the wide frame and one concatenation: sorting, masking and dropping
    # the wide frame cost pandas 4x more than the scoring itself.
    names, ids = prepared["name"].to_numpy(dtype=object), prepared["site_id"].to_numpy(dtype=object)
    kept_rows = sorted(np.flatnonzero(scores.kept), key=lambda i: (-scores.score[i], names[i], ids[i]))
    order = np.array([*kept_rows, *np.flatnonzero(~scores.kept)], dtype=np.intp)
    base = prepared.iloc[order]
    clashes = [c for c in columns if c in prepared.columns]
    if clashes:
        base = base.drop(columns=clashes)
    added = pd.DataFrame({k: (v[order] if isinstance(v, np.ndarray) else [v[i] for i in order])
                          for k, v in columns.items()}, index=base.index)
    table = gpd.GeoDataFrame(pd.concat([base, added], axis=1), geometry=prepared.geometry.name, crs=prepared.crs)
    n_kept = len(kept_rows)
    kept = table.iloc[:n_kept]
    excluded = table.iloc[n_kept:].drop(columns=["score", "rank"])
    excluded["excluded_reason"] = scores.reasons[order[n_kept:]]
    return Ranking(table=kept, excluded=excluded, scenario=scenario)


def format_value(value, c: Criterion) -> str:
    """Human-readable raw value with its unit ('unknown' for missing)."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return "unknown"
    if c.transform == "boolean":
        return "yes" if bool(value) else "no"
    return format_quantity(float(value), c.unit)


def format_quantity(number: float, unit: str) -> str:
    """Format a number with its unit: whole from 100 up, else one decimal without trailing zeros."""
    text = f"{number:,.0f}" if abs(number) >= 100 else f"{number:,.1f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()


def site_row(ranking: Ranking, site_id: str) -> pd.Series:
    """Return the row of ``site_id``, shown or filtered out; raise ScoringError when there is none."""
    for frame in (ranking.table, ranking.excluded):
        # positional lookup: a boolean mask would copy the whole wide frame first
        positions = np.flatnonzero(frame["site_id"].to_numpy() == site_id)
        if len(positions):
            return frame.iloc[positions[0]]
    raise ScoringError(f"no site with id {site_id!r}")


def ahp_weights(matrix: np.ndarray) -> tuple[np.ndarray, float]:
    """Weights (summing to 1) and consistency ratio from a Saaty pairwise matrix.

    ``matrix[i, j]`` says how much more important criterion i is than j (1/9 to 9);
    it must be positive and reciprocal. A consistency ratio above 0.1 calls for revision.
    """
    from pymcdm.weights.subjective import AHP

    m = np.asarray(matrix, dtype="float64")
    if m.ndim != 2 or m.shape[0] != m.shape[1] or not 2 <= m.shape[0] <= 15:
        raise ScoringError("the pairwise matrix must be square, between 2×2 and 15×15")
    if not np.all(np.isfinite(m)) or np.any(m <= 0):
        raise ScoringError("pairwise judgements must be positive numbers (1/9 to 9)")
    if not np.allclose(m * m.T, 1.0, rtol=1e-6) or not np.allclose(np.diag(m), 1.0):
        raise ScoringError("the pairwise matrix must be reciprocal: a[j, i] = 1 / a[i, j], diagonal 1")
    try:
        ahp = AHP(matrix=m)
    except ValueError:
        raise ScoringError("pairwise judgements must be on Saaty's scale: 1 to 9 or 1/2 to 1/9") from None
    weights = np.asarray(ahp(), dtype="float64")
    return weights, float(ahp.get_cr())
