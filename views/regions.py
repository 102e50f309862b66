"""Regions tab: the officials' view of candidate zones, a choropleth and two regions side by side."""

from __future__ import annotations

import streamlit as st

from siting import mapview, regionmap
from siting.regions import summarise_regions
from siting.schema import OFFICIAL_ZONES_CONTESTED, REGIONS
from views import state
from views.context import Context


def _legend(summary, metric: str) -> str:
    """Draw the choropleth's colour scale in the metric's own units."""
    if metric in ("best_score", "mean_score"):
        stops = [(label, c) for label, c in mapview.legend_items()]
        unit = "score"
    else:
        top = float(summary[metric].max() or 0) or 1.0
        stops = [(f"{top * float(label) / 100:,.0f}", c) for label, c in mapview.legend_items()]
        unit = {"power_mw_shown": "MW shown", "official_zones": "official zones"}.get(metric, metric)
    scale = " ".join(f"<span style='background:rgb{c};padding:0 10px;margin-right:2px;border:1px solid #999'>"
                     f"</span>{label}" for label, c in stops)
    return (f"<div style='font-size:0.8rem'>{regionmap.REGION_METRICS[metric]} ({unit}): {scale} · light grey = no "
            "site shown there under the current constraints (or no value). Hover a region for its figures.</div>")


def render(ctx: Context) -> None:
    """Draw the regions tab."""
    summary = summarise_regions(ctx.ranking)
    metric = st.radio("Colour regions by", list(regionmap.REGION_METRICS), horizontal=True, key="region_metric",
                      format_func=lambda m: regionmap.REGION_METRICS[m])
    st.pydeck_chart(regionmap.build_region_deck(summary, ctx.static, metric), height=480, key="region_map")
    st.html(_legend(summary, metric))
    st.caption("Official zones per region: " + OFFICIAL_ZONES_CONTESTED)
    shown = summary.drop(columns=["best_site_id"]).assign(
        power=[("unknown" if n == 0 and s else "—" if not s else f"{mw:,.0f} MW" + (f" ({n} of {s} known)" if n < s
                                                                                  else ""))
               for mw, n, s in zip(summary["power_mw_shown"], summary["power_known_sites"], summary["sites_shown"])],
        best_site=summary["best_site"].fillna("—"))
    st.dataframe(shown[["region", "official_zones", "zones_in_data", "indicative_zones", "sites_shown", "power",
                        "area_ha_shown", "best_site", "best_score", "mean_score"]], hide_index=True, column_config={
        "region": st.column_config.TextColumn("region", width=170),
        "official_zones": st.column_config.NumberColumn("official zones", help="Élysée map, Feb 2025", width=75),
        "zones_in_data": st.column_config.NumberColumn("located", help="Sites of the current set", width=65),
        "indicative_zones": st.column_config.NumberColumn("indicative", width=70),
        "sites_shown": st.column_config.NumberColumn("shown", help="After the constraints", width=60),
        "power": st.column_config.TextColumn("power shown", width=150,
                                             help="Sum of the announced power figures; unknown ones are not zero"),
        "area_ha_shown": st.column_config.NumberColumn("ha shown", format="%.0f", width=70),
        "best_site": st.column_config.TextColumn("best site", width=230),
        "best_score": st.column_config.ProgressColumn("best score", min_value=0, max_value=100, format="%.1f",
                                                      width=100),
        "mean_score": st.column_config.NumberColumn("mean score", format="%.1f", width=75),
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
        col.metric("Power shown", "unknown" if row["power_known_sites"] == 0 and row["sites_shown"] else
                   f"{row['power_mw_shown']:,.0f} MW", help=f"{int(row['power_known_sites'])} of "
                   f"{int(row['sites_shown'])} sites have a published power figure")
        sites = ctx.ranking.table[ctx.ranking.table["region"] == region]
        col.dataframe(sites[["rank", "name", "score", "power_mw", "evidence"]], hide_index=True,
                      column_config={"score": st.column_config.ProgressColumn(min_value=0, max_value=100,
                                                                              format="%.1f")})
