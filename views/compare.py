"""Compare 2 to 4 sites side by side: values, utilities, points, and why one ranks above another."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from siting.explain import compare_sites, why_above
from siting.text import md_escape
from views.context import Context, checked, enough
from views.header import short_name

ss = st.session_state


def _unique(labels: dict[str, str]) -> dict[str, str]:
    """Label each site as given, adding its id where two sites would read the same."""
    values = list(labels.values())
    return {s: v if values.count(v) == 1 else f"{v} ({s})" for s, v in labels.items()}


def render(ctx: Context) -> None:
    """Draw the compare tab."""
    ranking = ctx.ranking
    ranked_ids = list(ranking.table["site_id"])
    if len(ranked_ids) < 2:
        st.info("At least two sites must pass the constraints to compare them.")
        return
    default = [s for s in ss.get("compare_ids", []) if s in ranked_ids] or ranked_ids[:2]
    if ctx.view.site in ranked_ids and ctx.view.site not in default and len(default) < 4:
        default = [ctx.view.site, *default][:4]
    ss["compare_ids"] = default
    picked = st.multiselect("Sites to compare (2 to 4)", ranked_ids, key="compare_ids", max_selections=4,
                            format_func=lambda s: ctx.names[s],
                            help="The selected site on the map is added here automatically.")
    long = checked(compare_sites, ranking, picked) if enough(picked, "sites") else None
    if long is None:
        return
    names = {s: ctx.names[s] for s in picked}
    header = st.columns(len(picked))
    rows = ranking.table.set_index("site_id")
    for col, site_id in zip(header, picked):
        col.metric(md_escape(names[site_id], 40), f"{rows.loc[site_id, 'score']:.1f}",
                   f"rank {int(rows.loc[site_id, 'rank'])}", delta_color="off", delta_arrow="off")

    labels = _unique(names)
    order = list(dict.fromkeys(long["criterion"]))

    def table(values: str) -> pd.DataFrame:
        wide = long.pivot(index="criterion", columns="site_id", values=values).loc[order, picked]
        return wide.rename(columns=labels)

    flags = long.assign(flag=long["estimated"].map({True: " (estimate)", False: ""})
                        + long["unknown"].map({True: " (unknown)", False: ""}))
    shown = table("value") + flags.pivot(index="criterion", columns="site_id", values="flag").loc[
        order, picked].rename(columns=labels)
    best = table("best")
    site_width = max(110, min(260, 760 // len(picked)))
    widths = {"_index": st.column_config.TextColumn("criterion", width=250),
              **{labels[s]: st.column_config.Column(labels[s][:40], width=site_width) for s in picked}}
    st.markdown("**Raw values** — the best value of each criterion among these sites is highlighted")
    st.dataframe(shown.style.apply(lambda _: best.map(lambda b: "background-color: #d7f0dd" if b else ""),
                                   axis=None), column_config=widths)
    weights = ranking.weights
    weighted = [c for c in order if weights[long.loc[long["criterion"] == c, "key"].iloc[0]] > 0]
    points, utilities = table("points").loc[weighted], table("utility")
    st.markdown("**Utilities (0 worst – 1 best) and points of the weighted-sum score**, side by side per site")
    both = pd.concat({"utility": utilities.loc[weighted], "points": points}, axis=1).swaplevel(axis=1)
    both = both[[(labels[s], kind) for s in picked for kind in ("utility", "points")]]
    # the kind first and the site's place after it, so a narrow column still says what it holds
    short = _unique({s: short_name(names[s], rows.loc[s].get("commune")) for s in picked})
    both.columns = [f"{kind} · {short[s][:40]}" for s in picked for kind in ("utility", "points")]
    st.dataframe(both.round(2), column_config={
        "_index": st.column_config.TextColumn("criterion (weighted)", width=250),
        **{c: st.column_config.NumberColumn(c, format="%.2f", width=max(90, site_width // 2 + 20))
           for c in both.columns}})
    chart = long[long["criterion"].isin(weighted)].assign(site=long["site_id"].map(labels))
    site_order = [labels[s] for s in picked]
    # a written-out Vega-Lite spec: labels kept whole, sites in the order picked, only weighted criteria
    st.vega_lite_chart(chart[["criterion", "site", "points"]], {
        "mark": {"type": "bar"},
        "height": {"step": 12},
        "encoding": {
            "y": {"field": "criterion", "type": "nominal", "sort": weighted, "title": None,
                  "axis": {"labelLimit": 260}},
            "yOffset": {"field": "site", "sort": site_order},
            "x": {"field": "points", "type": "quantitative", "title": "points of the weighted-sum score"},
            "color": {"field": "site", "type": "nominal", "sort": site_order,
                      "legend": {"orient": "bottom", "labelLimit": 320, "title": None}},
            "tooltip": [{"field": "site"}, {"field": "criterion"},
                        {"field": "points", "type": "quantitative", "format": ".1f"}],
        },
    }, width="stretch")
    st.markdown("**Why one ranks above the other**")
    first = picked[0]
    for other in picked[1:]:
        lines = why_above(ranking, first, other)
        st.markdown("\n".join(f"- {md_escape(line, 400)}" for line in lines))
