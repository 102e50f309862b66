"""Agreement across methods and across scenarios: consensus ranks, weighted Spearman, rank shifts.

Analysts trust agreement more than one ranking. :func:`consensus_frame` ranks the sites of a
:class:`~siting.scoring.Ranking` under several aggregation methods (:mod:`siting.methods`) on the same
utilities and weights, combines the ranks by :data:`CONSENSUS_RULE` and measures how far each pair of
methods agrees with pymcdm's weighted Spearman coefficient ``rw``. :func:`compare_scenarios` ranks the
same sites under two or three named scenarios and says what changed between them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from siting.methods import DISTINCT_METHODS, METHODS, MethodResult, check_methods, get_method, run_method
from siting.schema import CRITERIA, UNKNOWN_RULES
from siting.scoring import Ranking, Scenario, ScoringError, dense_min_rank, rank_sites
from siting.text import is_safe_text

CONSENSUS_RULE = (
    "Consensus rank: sites ordered by their mean rank across the methods shown (the same order as a Borda "
    "count giving each site n − rank points per method). Sites with the same mean rank share the better "
    "consensus rank and are listed by name."
)
AGREEMENT_RULE = (
    "Agreement: weighted Spearman rank correlation rw (pymcdm) between two rankings of the same sites, tied "
    "sites at their average rank; 1 = the same order, lower when they disagree, disagreements near the top "
    "counting more."
)
MAX_SCENARIOS = 3
SCENARIO_NAME_MAX = 40


@dataclass(frozen=True)
class Consensus:
    """Ranks under several methods and their agreement.

    ``table``: ``site_id``, ``name``, ``rank_<method>`` per method, ``consensus_rank``, ``mean_rank``,
    ``rank_range`` (worst minus best rank across methods), sorted by consensus rank then name.
    ``agreement``: methods × methods weighted Spearman ``rw`` (index and columns are method keys).
    ``results``: each method's :class:`~siting.methods.MethodResult`, aligned on ``table``'s rows.
    """

    table: pd.DataFrame
    agreement: pd.DataFrame
    methods: tuple[str, ...]
    results: dict[str, MethodResult]
    rule: str = CONSENSUS_RULE

    def agreement_long(self) -> pd.DataFrame:
        """Return the agreement matrix as rows ``a, b, rw`` (for CSV and charts)."""
        return agreement_long(self.agreement)


def average_ranks(rank: np.ndarray) -> np.ndarray:
    """Ranks with ties at their average position (1, 2.5, 2.5, 4), from any ranks where 1 is best."""
    from pymcdm.helpers import rankdata

    return rankdata(np.asarray(rank, dtype="float64"))


def weighted_spearman(rank_a: np.ndarray, rank_b: np.ndarray) -> float:
    """Return pymcdm's weighted Spearman ``rw`` between two rankings of the same sites (ties averaged).

    One site, or none: 1.0 (nothing can disagree).
    """
    from pymcdm.correlations import rw

    if len(rank_a) != len(rank_b):
        raise ScoringError("rankings of different lengths cannot be compared")
    if len(rank_a) < 2:
        return 1.0
    return float(rw(average_ranks(rank_a), average_ranks(rank_b)))


def agreement_matrix(ranks: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """Square table of :func:`weighted_spearman` between every pair of rankings (symmetric, diagonal 1)."""
    names = list(ranks)
    out = np.ones((len(names), len(names)))
    for i, a in enumerate(names):
        for j in range(i + 1, len(names)):
            out[i, j] = out[j, i] = weighted_spearman(ranks[a], ranks[names[j]])
    return pd.DataFrame(out, index=pd.Index(names, name="method"), columns=names)


def agreement_long(agreement: pd.DataFrame) -> pd.DataFrame:
    """Turn an agreement matrix into rows ``a, b, rw`` (every ordered pair, diagonal included)."""
    names = list(agreement.index)
    rows = [{"a": a, "b": b, "rw": float(agreement.loc[a, b])} for a in names for b in names]
    return pd.DataFrame(rows, columns=["a", "b", "rw"])


def consensus_rank(ranks: Mapping[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """(mean rank, consensus rank) per site by :data:`CONSENSUS_RULE` (integer sums, so ties are exact)."""
    if not ranks:
        raise ScoringError("no method given")
    stacked = np.vstack([np.asarray(r, dtype=np.int64) for r in ranks.values()])
    total = stacked.sum(axis=0)
    return total / stacked.shape[0], dense_min_rank(-total.astype("float64"))


def consensus_from_utilities(u, w, site_ids: Sequence[str], names: Sequence[str],
                             methods: Sequence[str] | str | None = None) -> Consensus:
    """Consensus of ``methods`` (default: :data:`siting.methods.DISTINCT_METHODS`) on utilities ``u``."""
    keys = check_methods(DISTINCT_METHODS if methods is None else methods)
    u = np.asarray(u, dtype="float64")
    if len(u) == 0:
        raise ScoringError("no site passes the constraints: there is nothing to rank")
    if len(site_ids) != len(u) or len(names) != len(u):
        raise ScoringError("site ids and names must match the utility rows")
    results = {k: run_method(k, u, w) for k in keys}
    ranks = {k: r.rank for k, r in results.items()}
    mean, consensus = consensus_rank(ranks)
    best = np.vstack(list(ranks.values()))
    table = pd.DataFrame({"site_id": np.asarray(site_ids, dtype=object), "name": np.asarray(names, dtype=object)})
    for k in keys:
        table[f"rank_{k}"] = ranks[k]
    table["consensus_rank"] = consensus
    table["mean_rank"] = mean
    table["rank_range"] = best.max(axis=0) - best.min(axis=0)
    order = np.lexsort((table["site_id"].to_numpy(), table["name"].to_numpy(), consensus))
    table = table.iloc[order].reset_index(drop=True)
    results = {k: _take(r, order) for k, r in results.items()}
    return Consensus(table, agreement_matrix({k: r.rank for k, r in results.items()}), keys, results)


def _take(result: MethodResult, order: np.ndarray) -> MethodResult:
    return replace(result, score=result.score[order], rank=result.rank[order], preference=result.preference[order],
                   details={k: v[order] for k, v in result.details.items()})


def utilities_of(ranking: Ranking) -> tuple[np.ndarray, np.ndarray]:
    """(utilities n × k, weights k) of a ranking's ranked sites, in its table's order."""
    table = ranking.table
    u = np.column_stack([table[f"u_{c.key}"].to_numpy(dtype="float64") for c in CRITERIA]) if len(table) else \
        np.zeros((0, len(CRITERIA)))
    w = np.array([ranking.weights[c.key] for c in CRITERIA], dtype="float64")
    return u, w


def consensus_frame(ranking: Ranking, methods: Sequence[str] | str | None = None) -> Consensus:
    """Consensus of the sites ranked by ``ranking`` (after its constraints and unknown rule).

    Every method reads the ranking's utilities (``u_<key>`` columns) and its scenario's weights; the
    scenario's own method does not matter. ``methods``: keys of :data:`siting.methods.METHODS` (a list
    or a comma-separated string); default :data:`siting.methods.DISTINCT_METHODS`. Raises
    :class:`ScoringError` for an unknown method or when no site is ranked.
    """
    u, w = utilities_of(ranking)
    return consensus_from_utilities(u, w, ranking.table["site_id"].tolist(), ranking.table["name"].tolist(),
                                    methods)


def agreement_chart_spec(agreement: pd.DataFrame, labels: Mapping[str, str] | None = None) -> dict:
    """Vega-Lite spec (plain dict) of an agreement matrix as a heat map with the values written in."""
    labels = labels or {k: METHODS[k].label if k in METHODS else str(k) for k in agreement.index}
    long = agreement_long(agreement)
    values = [{"a": labels.get(r.a, r.a), "b": labels.get(r.b, r.b), "rw": round(r.rw, 3)}
              for r in long.itertuples()]
    order = [labels.get(k, k) for k in agreement.index]
    encoding = {
        "x": {"field": "b", "type": "nominal", "sort": order, "title": None},
        "y": {"field": "a", "type": "nominal", "sort": order, "title": None},
    }
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "encoding": encoding,
        "layer": [
            {"mark": "rect", "encoding": {"color": {
                "field": "rw", "type": "quantitative", "title": "rw",
                "scale": {"domain": [min(0.0, float(long["rw"].min()) if len(long) else 0.0), 1],
                          "scheme": "blues"}}}},
            {"mark": {"type": "text", "baseline": "middle"},
             "encoding": {"text": {"field": "rw", "type": "quantitative", "format": ".2f"},
                          "color": {"condition": {"test": "datum.rw > 0.8", "value": "white"}, "value": "black"}}},
        ],
    }


# ---------------------------------------------------------------------------------------
# Named scenarios side by side
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioComparison:
    """Two or three scenarios on the same sites.

    ``ranks``: ``site_id``, ``name``, ``rank_<scenario name>`` per scenario (``<NA>`` where the site is
    excluded), ``shift_<name>`` for every scenario after the first (rank under the first minus rank
    under that one: positive = the site moves up), ``in_all`` (ranked in every scenario); sorted by the
    first scenario's rank. ``weights``: one row per criterion whose weight differs, ``key``, ``label``
    and the weight under each scenario. ``settings``: method, unknown rule and each constraint under
    each scenario, ``changed`` flagging differences. ``agreement``: scenarios × scenarios ``rw`` on the
    ``common_sites`` ranked in all of them (NaN when there are none).
    """

    names: tuple[str, ...]
    ranks: pd.DataFrame
    weights: pd.DataFrame
    settings: pd.DataFrame
    agreement: pd.DataFrame
    common_sites: int

    def long_ranks(self) -> pd.DataFrame:
        """Rows ``site_id, name, scenario, rank`` of the ranked sites (for a slope chart)."""
        rows = []
        for name in self.names:
            column = self.ranks[f"rank_{name}"]
            kept = column.notna()
            rows.append(pd.DataFrame({"site_id": self.ranks.loc[kept, "site_id"], "name": self.ranks.loc[kept, "name"],
                                      "scenario": name, "rank": column[kept].astype("int64")}))
        return pd.concat(rows, ignore_index=True)

    def changes(self) -> list[str]:
        """Plain-words list of what differs from the first scenario, one line per other scenario."""
        first = self.names[0]
        lines = []
        for name in self.names[1:]:
            parts = []
            for row in self.settings.to_dict("records"):
                if row[first] != row[name]:
                    parts.append(f"{row['setting']} {row[first]} → {row[name]}")
            for row in self.weights.to_dict("records"):
                if row[first] != row[name]:
                    parts.append(f"{row['label']} weight {row[first]:g} → {row[name]:g}")
            lines.append(f"{name} vs {first}: " + ("; ".join(parts) if parts else "same weights and settings"))
        return lines


def check_names(names: Sequence[str]) -> tuple[str, ...]:
    """Validate scenario names: 2 to 3, distinct, 1-40 visible characters, no control characters."""
    names = tuple(names)
    if not 2 <= len(names) <= MAX_SCENARIOS:
        raise ScoringError(f"compare 2 to {MAX_SCENARIOS} scenarios, got {len(names)}")
    for name in names:
        if not isinstance(name, str) or not name.strip():
            raise ScoringError("every scenario needs a name")
        if len(name) > SCENARIO_NAME_MAX or not is_safe_text(name):
            raise ScoringError(f"scenario names must be at most {SCENARIO_NAME_MAX} printable characters")
    if len(set(names)) != len(names):
        raise ScoringError("give each scenario a different name")
    return names


def scenario_ranks(prepared: pd.DataFrame, scenario: Scenario) -> tuple[Ranking, np.ndarray]:
    """(ranking, ranks) of ``prepared`` under ``scenario``, for any method of :data:`siting.methods.METHODS`.

    The utilities, weights and kept sites come from :func:`siting.scoring.rank_sites`; the ranks from
    the scenario's method in :mod:`siting.methods`, aligned on ``ranking.table``'s rows (for the
    weighted sum and TOPSIS they equal ``ranking.table["rank"]`` of a direct ``rank_sites``).
    """
    method = get_method(scenario.method).key
    ranking = rank_sites(prepared, replace(scenario, method="wsm"))
    u, w = utilities_of(ranking)
    ranks = run_method(method, u, w).rank if len(u) else np.zeros(0, dtype=np.int64)
    return ranking, ranks


def _setting_text(value) -> str:
    if value is None or value == ():
        return "none"
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def compare_scenarios(prepared: pd.DataFrame, scenarios: Mapping[str, Scenario]) -> ScenarioComparison:
    """Rank ``prepared`` under 2-3 named scenarios and line the results up (see :class:`ScenarioComparison`).

    Raises :class:`ScoringError` for bad names, an invalid scenario (naming it) or a scenario whose
    constraints leave no site.
    """
    names = check_names(list(scenarios))
    rankings: dict[str, Ranking] = {}
    ranks: dict[str, pd.Series] = {}
    for name in names:
        try:
            ranking, rank = scenario_ranks(prepared, scenarios[name])
        except ScoringError as exc:
            raise ScoringError(f"scenario {name!r}: {exc}") from None
        if not len(ranking.table):
            raise ScoringError(f"scenario {name!r} ranks no site: its constraints or unknown rule exclude them all")
        rankings[name] = ranking
        ranks[name] = pd.Series(rank, index=ranking.table["site_id"].to_numpy())

    ids = prepared["site_id"].to_numpy()
    frame = pd.DataFrame({"site_id": ids, "name": prepared["name"].to_numpy()})
    for name in names:
        frame[f"rank_{name}"] = pd.array(ranks[name].reindex(ids).to_numpy(), dtype="Int64")
    first = frame[f"rank_{names[0]}"]
    for name in names[1:]:
        frame[f"shift_{name}"] = first - frame[f"rank_{name}"]
    frame["in_all"] = frame[[f"rank_{n}" for n in names]].notna().all(axis=1).to_numpy(dtype=bool)
    order = np.lexsort((frame["site_id"].to_numpy(), frame["name"].to_numpy(),
                        first.fillna(len(frame) + 1).to_numpy(dtype="int64")))
    frame = frame.iloc[order].reset_index(drop=True)

    common = frame.loc[frame["in_all"], [f"rank_{n}" for n in names]].to_numpy(dtype="int64")
    if len(common):
        agreement = agreement_matrix({n: common[:, i] for i, n in enumerate(names)})
    else:
        agreement = pd.DataFrame(np.where(np.eye(len(names)) > 0, 1.0, np.nan), index=list(names), columns=list(names))
    agreement.index.name = "scenario"

    weight_rows = []
    for c in CRITERIA:
        values = [rankings[n].weights[c.key] for n in names]
        if len(set(values)) > 1:
            weight_rows.append({"key": c.key, "label": c.label, **dict(zip(names, values))})
    weights = pd.DataFrame(weight_rows, columns=["key", "label", *names])

    setting_rows = [
        {"setting": "method", **{n: METHODS[scenarios[n].method].label for n in names}},
        {"setting": "unknown values", **{n: UNKNOWN_RULES.get(scenarios[n].unknown, scenarios[n].unknown)
                                         for n in names}},
    ]
    for f in dataclasses.fields(rankings[names[0]].scenario.constraints):
        setting_rows.append({"setting": f.name.replace("_", " "),
                             **{n: _setting_text(getattr(rankings[n].scenario.constraints, f.name)) for n in names}})
    settings = pd.DataFrame(setting_rows, columns=["setting", *names])
    settings["changed"] = settings[list(names)].nunique(axis=1).to_numpy() > 1
    return ScenarioComparison(names, frame, weights, settings, agreement, int(len(common)))


def slope_chart_spec(comparison: ScenarioComparison, top: int | None = 15) -> dict:
    """Vega-Lite spec (plain dict): one line per site from scenario to scenario, rank 1 at the top.

    ``top``: only sites in the first ``top`` of at least one scenario (None: every ranked site).
    """
    long = comparison.long_ranks()
    if top is not None:
        shown = set(long.loc[long["rank"] <= top, "site_id"])
        long = long[long["site_id"].isin(shown)]
    values = [{"site": r.name, "site_id": r.site_id, "scenario": r.scenario, "rank": int(r.rank)}
              for r in long.itertuples(index=False)]
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "data": {"values": values},
        "encoding": {
            "x": {"field": "scenario", "type": "ordinal", "sort": list(comparison.names), "title": None,
                  "axis": {"labelAngle": 0, "orient": "top"}},
            "y": {"field": "rank", "type": "quantitative", "scale": {"reverse": True, "zero": False, "nice": False},
                  "title": "rank (1 = best)"},
            "color": {"field": "site_id", "type": "nominal", "legend": None},
            "detail": {"field": "site_id", "type": "nominal"},
            "tooltip": [{"field": "site", "type": "nominal"}, {"field": "scenario", "type": "nominal"},
                        {"field": "rank", "type": "quantitative"}],
        },
        "layer": [{"mark": {"type": "line", "strokeWidth": 1.5}}, {"mark": {"type": "point", "filled": True}}],
    }
