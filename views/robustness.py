"""Robustness tab: rank intervals, top-3/top-5 odds and one-at-a-time weight sensitivity."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from siting.robustness import WEIGHT_SIGMA, monte_carlo, weight_sensitivity
from siting.scoring import ScoringError
from siting.text import md_escape
from views import state
from views.context import Context

ss = st.session_state


def compute(ctx: Context, draws: int, seed: int):
    """Monte Carlo result for the current ranking, memoised per scenario in the session."""
    key = (repr(ctx.ranking.scenario), tuple(ctx.ranking.table["site_id"]), draws, seed)
    cached = ss.get("robustness_cache")
    if cached and cached[0] == key:
        return cached[1]
    with st.spinner(f"Drawing {draws:,} scenarios…"):
        result = monte_carlo(ctx.ranking, draws=draws, seed=seed)
    ss["robustness_cache"] = (key, result)
    return result


def _finding(table: pd.DataFrame) -> str:
    """Say the key finding in one sentence: how solid first place is, and who else is often on top."""
    first = table.iloc[0]
    name = md_escape(first["name"], 80)
    solid = first["p_top3"] >= 0.9 and first["median_rank"] <= 1.5
    challengers = table.iloc[1:][table.iloc[1:]["p_top3"] >= first["p_top3"]]
    text = (f"**{'Solid' if solid else 'Fragile'} first place:** {name} is in the top 3 in "
            f"{first['p_top3']:.0%} of the draws, with a median rank of {first['median_rank']:.1f}.")
    if len(challengers):
        other = challengers.iloc[0]
        text += (f" {md_escape(other['name'], 80)} (rank {int(other['current_rank'])} now) is in the top 3 as often "
                 f"or more ({other['p_top3']:.0%}): the order at the top depends on the exact weights and unknowns.")
    elif not solid:
        text += " Other sites often take the lead when weights or unknown values move."
    return text


def render(ctx: Context) -> None:
    """Draw the robustness tab."""
    ranking = ctx.ranking
    if len(ranking.table) < 2:
        st.info("At least two sites must pass the constraints.")
        return
    c1, c2, c3 = st.columns([2, 1, 1])
    draw_options = [500, 1000, 2000, 5000, 10000, 20000]
    state.default("rob_draws", 2000, draw_options)
    state.default("rob_seed", 0)
    state.default("rob_top", 12)
    draws = c1.select_slider("Draws", draw_options, key="rob_draws")
    seed = int(c2.number_input("Seed", 0, 2**31 - 1, step=1, key="rob_seed"))
    top_n = int(c3.number_input("Sites shown", 3, 35, key="rob_top"))
    try:
        result = compute(ctx, draws, seed)
    except ScoringError as exc:
        st.error(md_escape(str(exc)))
        return
    st.caption(f"{result.draws:,} draws, seed {result.seed}: weights perturbed as w·exp({WEIGHT_SIGMA}·z) and "
               f"renormalised; {result.uncertain_values} unknown or estimated values redrawn within their "
               "documented ranges. The same seed gives the same figures.")
    table = result.table.copy()
    table["current_rank"] = ranking.table["rank"].to_numpy()
    top = table.head(top_n)
    st.markdown(_finding(table))
    chart_data = top.assign(site=top["name"].str.slice(0, 45))
    order = list(chart_data["site"])
    base = alt.Chart(chart_data).encode(y=alt.Y("site:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)))
    chart = (base.mark_rule(strokeWidth=3, color="#7aa6d6").encode(
                 x=alt.X("rank_p05:Q", title="rank (5th–95th percentile, median dot; 1 = best)",
                         scale=alt.Scale(domain=[0.5, max(top["rank_p95"].max(), min(top_n, len(table))) + 0.5]),
                         axis=alt.Axis(tickMinStep=1, format="d")),
                 x2="rank_p95:Q")
             + base.mark_point(filled=True, size=70, color="#1f3f73").encode(x="median_rank:Q")
             + base.mark_tick(color="#d62728", thickness=2).encode(x="current_rank:Q"))
    st.altair_chart(chart.properties(height=28 * len(top) + 40), width="stretch")
    st.caption("Blue bar: 90 % of ranks across draws; dark dot: median; red tick: rank under the current weights.")
    st.dataframe(top[["name", "current_rank", "median_rank", "rank_p05", "rank_p95", "p_top3", "p_top5"]],
                 hide_index=True, column_config={
                     "name": st.column_config.TextColumn("site", width=320),
                     "current_rank": st.column_config.NumberColumn("rank now", format="%d", width=80),
                     "median_rank": st.column_config.NumberColumn("median rank", format="%.1f", width=95),
                     "rank_p05": st.column_config.NumberColumn("best 5 %", format="%d", width=80,
                                                               help="5th percentile of the ranks drawn"),
                     "rank_p95": st.column_config.NumberColumn("worst 5 %", format="%d", width=80,
                                                               help="95th percentile of the ranks drawn"),
                     "p_top3": st.column_config.ProgressColumn("P(top 3)", min_value=0, max_value=1, format="%.2f",
                                                               width=110),
                     "p_top5": st.column_config.ProgressColumn("P(top 5)", min_value=0, max_value=1, format="%.2f",
                                                               width=110),
                 })
    st.markdown(f"**Weight sensitivity** — the range of each weight (others fixed) within which "
                f"*{md_escape(ranking.table.iloc[0]['name'])}* stays first")
    sens = weight_sensitivity(ranking)
    if ranking.scenario.method not in ("wsm", "spotis"):
        st.caption("Ranges found by scanning 201 weights from 0 to 10 (exact for the weighted sum only).")
    sens = sens.assign(range=[
        "never first" if pd.isna(lo) else ("any weight 0–10" if everywhere else f"{lo:.2f} – {hi:.2f}")
        for lo, hi, everywhere in zip(sens["min_weight"], sens["max_weight"], sens["stays_first_everywhere"])])
    st.dataframe(sens[["label", "weight", "range"]], hide_index=True, column_config={
        "label": st.column_config.TextColumn("criterion", width=300),
        "weight": st.column_config.NumberColumn("weight now", format="%.1f", width=90),
        "range": st.column_config.TextColumn("first place holds for weights", width=220)})
