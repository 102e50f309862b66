"""Methods tab: ranks under every method, consensus, agreement; named scenarios side by side.

The consensus part shows each site's rank under every method, a consensus rank and the methods'
agreement; the scenario part shows rank shifts as a slope chart, what changed and the agreement.

Choices are copied into plain session keys by the widgets' callbacks, so they survive while the tab
is hidden (a hidden tab's widgets are not created and Streamlit forgets their state).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

import pandas as pd
import streamlit as st

from siting.consensus import (
    AGREEMENT_RULE,
    CONSENSUS_RULE,
    MAX_SCENARIOS,
    agreement_chart_spec,
    compare_scenarios,
    consensus_frame,
    slope_chart_spec,
)
from siting.export import neutralise_formula
from siting.methods import DISTINCT_METHODS, METHODS, details_frame
from siting.scoring import PRESETS, Scenario, ScoringError
from siting.text import md_escape
from views.context import Context, checked, enough

ss = st.session_state
CURRENT = "Current"


def _kept(widget_key: str, plain_key: str, default, allowed) -> None:
    """Seed widget ``widget_key`` from the plain copy ``plain_key`` (kept while the tab is hidden)."""
    current = ss.get(widget_key)
    if current is None:
        ss[widget_key] = [v for v in ss.get(plain_key, default) if v in allowed]
    elif any(v not in allowed for v in current):  # e.g. a saved scenario was deleted meanwhile
        ss[widget_key] = [v for v in current if v in allowed]


def _copy(widget_key: str, plain_key: str) -> None:
    ss[plain_key] = list(ss.get(widget_key, []))


def render(ctx: Context, named: Mapping[str, Scenario] | None = None) -> None:
    """Draw the methods tab: consensus across methods, then the scenario comparison."""
    ranking = ctx.ranking
    if len(ranking.table) < 2:
        st.info("At least two sites must pass the constraints to compare methods.")
        return
    _kept("consensus_methods", "consensus_methods_kept", list(DISTINCT_METHODS), METHODS)
    picked = st.multiselect(
        "Methods", list(METHODS), key="consensus_methods", format_func=lambda m: METHODS[m].label,
        on_change=_copy, args=("consensus_methods", "consensus_methods_kept"),
        help="Every method reads the same utilities and weights. SPOTIS ranks exactly as the weighted sum on "
             "0–1 utilities, so it is left out by default (it would count the weighted sum twice).")
    result = checked(consensus_frame, ranking, picked) if enough(picked, "methods") else None
    if result is None:
        return
    labels = {m: METHODS[m].label for m in result.methods}
    table = result.table
    shown = pd.DataFrame({"consensus": table["consensus_rank"], "site": table["name"],
                          **{labels[m]: table[f"rank_{m}"] for m in result.methods},
                          "mean rank": table["mean_rank"].round(2), "spread": table["rank_range"]})
    st.markdown("**Rank of each site under each method**")
    st.dataframe(shown, hide_index=True, column_config={
        "spread": st.column_config.NumberColumn(help="Worst minus best rank across the methods")})
    st.caption(md_escape(CONSENSUS_RULE, 600))
    st.download_button("Consensus (CSV)", lambda: csv_text(table), "consensus.csv", "text/csv",
                       key="consensus_download", help="site_id, name, rank under every method, consensus rank")
    c1, c2 = st.columns([1, 1])
    with c1:
        st.markdown("**Agreement between methods**")
        st.vega_lite_chart(agreement_chart_spec(result.agreement, labels), width="stretch")
        st.caption(md_escape(AGREEMENT_RULE, 600))
    with c2:
        st.markdown("**What each method shows instead of points**")
        st.markdown("\n".join(f"- {md_escape(METHODS[m].explanation, 400)}" for m in result.methods))
    _render_site_details(ctx, result)
    st.divider()
    render_scenarios(ctx, named)


def _render_site_details(ctx: Context, result) -> None:
    ids = list(result.table["site_id"])
    default = ctx.view.site if ctx.view.site in ids else ids[0]
    site = st.selectbox("Details for", ids, index=ids.index(default), format_func=lambda s: ctx.names.get(s, s),
                        key="consensus_site")
    row = ids.index(site)
    lines = []
    for key in result.methods:
        method = METHODS[key]
        res = result.results[key]
        if method.points:
            lines.append(f"- **{method.label}**: rank {int(res.rank[row])}, score {res.score[row]:.1f} — points "
                         "per criterion in the site card and the Compare tab.")
            continue
        frame = details_frame(res)
        parts = ", ".join(f"{name} = {frame.loc[row, name]:.3f}" for name in method.details)
        lines.append(f"- **{method.label}**: rank {int(res.rank[row])}, score {res.score[row]:.1f}; {parts}")
    st.markdown("\n".join(lines))


def csv_text(frame: pd.DataFrame) -> str:
    """CSV of a table with every text cell neutralised against spreadsheet formulas."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralise_formula)
    return out.to_csv(index=False, lineterminator="\n")


def _preset_scenario(ctx: Context, preset: str) -> Scenario:
    """Return the current scenario with a preset's weights (same method, unknown rule and constraints)."""
    return replace(ctx.ranking.scenario, weights=dict(PRESETS[preset].weights))


def render_scenarios(ctx: Context, named: Mapping[str, Scenario] | None = None) -> None:
    """Compare the current scenario with 1-2 others: ``named`` scenarios when given, else presets."""
    st.markdown("**Scenarios side by side**")
    if named:
        options = {name: scenario for name, scenario in named.items() if name != CURRENT}
        help_text = "Saved scenarios, each compared with the current one."
    else:
        options = {PRESETS[k].label: _preset_scenario(ctx, k) for k in PRESETS}
        help_text = "Presets, each with the current method, unknown rule and constraints."
    _kept("scenario_compare", "scenario_compare_kept", [], options)
    others = st.multiselect(f"Compare the current scenario with (up to {MAX_SCENARIOS - 1})", list(options),
                            key="scenario_compare", max_selections=MAX_SCENARIOS - 1, help=help_text,
                            on_change=_copy, args=("scenario_compare", "scenario_compare_kept"))
    if not others:
        st.info("Pick one or two scenarios to compare with the current one.")
        return
    scenarios = {CURRENT: ctx.ranking.scenario, **{name: options[name] for name in others}}
    try:
        comparison = compare_scenarios(ctx.prepared, scenarios)
    except ScoringError as exc:
        st.error(md_escape(str(exc)))
        return
    st.markdown("\n".join(f"- {md_escape(line, 1200)}" for line in comparison.changes()))
    left, right = st.columns([3, 2])
    with left:
        st.vega_lite_chart(slope_chart_spec(comparison, top=15), width="stretch")
        st.caption("One line per site in the top 15 of at least one scenario; rank 1 at the top.")
    with right:
        st.markdown(f"**Agreement** (weighted Spearman rw, on the {comparison.common_sites} sites ranked in every "
                    "scenario)")
        st.dataframe(comparison.agreement.round(3))
        if len(comparison.weights):
            st.markdown("**Weights that differ**")
            st.dataframe(comparison.weights.drop(columns="key"), hide_index=True)
        changed = comparison.settings[comparison.settings["changed"]]
        if len(changed):
            st.markdown("**Settings that differ**")
            st.dataframe(changed.drop(columns="changed"), hide_index=True)
    ranks = comparison.ranks.drop(columns=["site_id", "in_all"])
    st.dataframe(ranks, hide_index=True)
    st.download_button("Scenario comparison (CSV)", lambda: csv_text(comparison.ranks), "scenario_comparison.csv",
                       "text/csv", key="comparison_download", help="Rank and shift of every site per scenario")
    st.caption("shift = rank under the current scenario minus rank under the other: positive means the site moves "
               "up. An empty rank means the scenario's constraints leave the site out.")
