"""Regions tab: the officials' view of candidate zones, a choropleth and two regions side by side."""

from __future__ import annotations

import streamlit as st

from siting import mapview
from siting.regions import summarise_regions
from siting.schema import OFFICIAL_ZONES_CONTESTED, REGIONS
from views import state
from views.context import Context


def render(ctx: Context) -> None:
    """Draw the regions tab."""
    summary = summarise_regions(ctx.ranking)
    metric = st.radio("Colour regions by", list(mapview.REGION_METRICS), horizontal=True, key="region_metric",
                      format_func=lambda m: mapview.REGION_METRICS[m])
    st.pydeck_chart(mapview.build_region_deck(summary, ctx.static, metric), height=480, key="region_map")
    st.caption("Grey: no site shown in that region under the current constraints (or none located). "
               "Official zones per region: " + OFFICIAL_ZONES_CONTESTED)
    st.dataframe(summary.drop(columns=["best_site_id"]), hide_index=True, column_config={
        "official_zones": st.column_config.NumberColumn("official zones", help="Élysée map, Feb 2025"),
        "zones_in_data": st.column_config.NumberColumn("located in data", help="Sites of the current set"),
        "indicative_zones": st.column_config.NumberColumn("of which indicative"),
        "sites_shown": st.column_config.NumberColumn("shown", help="After the constraints"),
        "power_mw_shown": st.column_config.NumberColumn("MW shown", format="%.0f"),
        "area_ha_shown": st.column_config.NumberColumn("ha shown", format="%.0f"),
        "best_score": st.column_config.ProgressColumn("best score", min_value=0, max_value=100, format="%.1f"),
        "mean_score": st.column_config.NumberColumn("mean score", format="%.1f"),
    })
    st.markdown("**Two regions side by side**")
    c1, c2 = st.columns(2)
    regions = [r for r in REGIONS if (summary.set_index("region").loc[r, "zones_in_data"] > 0)]
    state.default("region_a", regions[0], regions)
    state.default("region_b", regions[min(1, len(regions) - 1)], regions)
    picks = [c1.selectbox("Region A", regions, key="region_a"), c2.selectbox("Region B", regions, key="region_b")]
    by_region = summary.set_index("region")
    for col, region in zip((c1, c2), picks):
        row = by_region.loc[region]
        col.metric("Sites shown / official zones", f"{int(row['sites_shown'])} / {int(row['official_zones'])}")
        col.metric("Power shown", f"{row['power_mw_shown']:,.0f} MW")
        sites = ctx.ranking.table[ctx.ranking.table["region"] == region]
        col.dataframe(sites[["rank", "name", "score", "power_mw", "evidence"]], hide_index=True,
                      column_config={"score": st.column_config.ProgressColumn(min_value=0, max_value=100,
                                                                              format="%.1f")})
