"""Data & method tab: provenance and completeness of every layer, the criteria, rules and limits."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from siting import docs
from siting.data import SitingInputs
from siting.schema import ANNOUNCED_PROJECTS, CABLE_LANDINGS, CANDIDATE_SITES, GRID_POINTS, REGION_OUTLINES
from siting.text import md_escape

LIMITS = """
- **Grid capacity is not modelled.** Distance to a substation stands in for connection cost and delay;
  RTE's real hosting capacity and queue (15 GW already reserved for data centres in January 2026,
  connection delays of 3–5 years, up to 7) are not in the data.
- **Positions are approximate:** sites are commune centroids (±5 km, more for vague or indicative zones),
  substations ±5 km (ENTSO-E map extract), cable landings ±2 km.
- **Latency is an estimate:** great-circle distance × 1.5 route factor at 200 km/ms in fibre, round trip;
  real routes and equipment add delay.
- **The official list of the 35 zones was never published.** Indicative zones are placeholders at documented
  candidate locations; their score says nothing about the real zone.
- **Announcements are not commitments:** power and dates are those announced by developers or officials.
"""


def completeness(gdf: pd.DataFrame, spec) -> pd.DataFrame:
    """Percentage of features with a known value, per field."""
    rows = []
    for f in spec.fields:
        column = gdf[f.name]
        if f.kind == "list[str]":
            known = column.map(lambda v: isinstance(v, list) and len(v) > 0)
        else:
            known = column.notna()
        rows.append({"field": f.name, "unit": f.unit, "known (%)": round(100.0 * float(known.mean()), 0)})
    return pd.DataFrame(rows)


def render(inputs: SitingInputs) -> None:
    """Draw the data & method tab."""
    layers = ((CANDIDATE_SITES, inputs.sites), (ANNOUNCED_PROJECTS, inputs.announced), (GRID_POINTS, inputs.grid),
              (CABLE_LANDINGS, inputs.landings), (REGION_OUTLINES, inputs.regions))
    st.markdown("#### Layers")
    overview = pd.DataFrame([{
        "layer": spec.title, "file": spec.path, "features": len(gdf),
        "source": gdf.attrs.get("metadata", {}).get("source", "public sources cited per feature (sources)"),
        "licence": gdf.attrs.get("metadata", {}).get("licence", ""),
        "date": gdf.attrs.get("metadata", {}).get("date") or gdf.attrs.get("metadata", {}).get("compiled", ""),
        "precision": gdf.attrs.get("metadata", {}).get("precision", ""),
    } for spec, gdf in layers])
    st.dataframe(overview, hide_index=True)
    pick = st.selectbox("Field completeness of", [spec.title for spec, _ in layers], key="method_layer")
    spec, gdf = next((s, g) for s, g in layers if s.title == pick)
    st.dataframe(completeness(gdf, spec), hide_index=True, column_config={
        "known (%)": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f %%")})
    st.markdown("#### Criteria and formulas")
    st.markdown(docs.criteria_table())
    st.markdown("Weighted sum: score = 100 · Σ wᵢ·uᵢ / Σ wᵢ. TOPSIS: closeness of the weighted utilities to the "
                "ideal site, × 100. Unknown values: neutral 0.5, pessimistic 0, or the site is excluded.")
    st.markdown("#### Estimation rules")
    st.markdown(docs.estimation_table())
    st.markdown("#### Presets")
    st.markdown(docs.presets_table())
    st.markdown("#### Limits of the model")
    st.markdown(LIMITS)
    st.caption(md_escape("Attribution: ENTSO-E transmission system map (unofficial GridKit extract); "
                         "© TeleGeography submarinecablemap.com; Natural Earth; public sources per site."))
