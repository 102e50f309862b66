"""Data & method tab: provenance and completeness of every layer, the criteria, rules and limits."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from siting import docs
from siting.data import SitingInputs
from siting.schema import (
    ANNOUNCED_PROJECTS,
    CABLE_LANDINGS,
    CANDIDATE_SITES,
    COMMUNES,
    GRID_POINTS,
    POWER_PLANTS,
    REGION_OUTLINES,
)
from siting.text import md_escape

LIMITS = """
- **Grid capacity is not modelled.** Distance to a substation stands in for connection cost and delay;
  RTE's real hosting capacity and queue (15 GW already reserved for data centres in January 2026,
  connection delays of 3–5 years, up to 7) are not in the data.
- **Positions are approximate:** sites are commune centroids (±5 km, more for vague or indicative zones);
  substations are RTE's published positions (±1 km, the size of a substation); power plants ±1–2 km (JRC);
  cable landings ±2 km. Distances are straight lines, not cable or line routes.
- **Firm power is a proxy:** the distance to an operating nuclear plant says where France's firm low-carbon
  output and its densest 400 kV network are; it says nothing about supply contracts or spare capacity.
  Plants other than nuclear carry the JRC's status of about 2019 (coal closures of 2021–22 applied).
- **People within 50 km** sum the legal population of the French communes whose centroid lies within 50 km:
  people across a border are not counted (Lille, Metz, Strasbourg, Mulhouse, Nice lose neighbours), a commune
  counts wholly or not at all, and 11 communes created after 2018 have no position.
- **Latency is an estimate:** great-circle distance × 1.5 route factor at 200 km/ms in fibre, round trip;
  real routes and equipment add delay.
- **The official list of the 35 zones was never published.** Indicative zones are placeholders at documented
  candidate locations; their score says nothing about the real zone.
- **Announcements are not commitments:** power and dates are those announced by developers or officials.
"""


def completeness(gdf: pd.DataFrame, spec) -> pd.DataFrame:
    """Per field, the share of features with a sourced value, an estimated value, or none (%).

    A value filled by an estimation rule (listed in the feature's ``estimated_fields``) counts as
    estimated, never as known.
    """
    estimated_lists = gdf["estimated_fields"] if "estimated_fields" in gdf.columns else None
    rows = []
    n = max(len(gdf), 1)
    for f in spec.fields:
        column = gdf[f.name]
        if f.kind == "list[str]":
            present = column.map(lambda v: isinstance(v, list) and len(v) > 0)
        else:
            present = column.notna()
        if estimated_lists is not None:
            estimated = estimated_lists.map(lambda v, name=f.name: isinstance(v, list) and name in v) & present
        else:
            estimated = pd.Series(False, index=gdf.index)
        rows.append({"field": f.name, "unit": f.unit,
                     "sourced (%)": round(100.0 * float((present & ~estimated).sum()) / n, 0),
                     "estimated (%)": round(100.0 * float(estimated.sum()) / n, 0),
                     "unknown (%)": round(100.0 * float((~present).sum()) / n, 0)})
    return pd.DataFrame(rows)


def _layers(inputs: SitingInputs) -> tuple:
    return ((CANDIDATE_SITES, inputs.sites), (ANNOUNCED_PROJECTS, inputs.announced), (GRID_POINTS, inputs.grid),
            (POWER_PLANTS, inputs.plants), (COMMUNES, inputs.communes), (CABLE_LANDINGS, inputs.landings),
            (REGION_OUTLINES, inputs.regions))


def layer_overview(inputs: SitingInputs) -> pd.DataFrame:
    """Return one row per layer: title, file, features, and the provenance its file declares.

    Source, licence, date and precision are given as written in the layer file's metadata.
    """
    rows = []
    for spec, gdf in _layers(inputs):
        meta = gdf.attrs.get("metadata", {})
        rows.append({"layer": spec.title, "file": spec.path, "features": len(gdf),
                     "source": meta.get("source", "public sources cited per feature (sources)"),
                     "licence": meta.get("licence", ""), "date": meta.get("date") or meta.get("compiled", ""),
                     "precision": meta.get("precision", "")})
    return pd.DataFrame(rows)


def render(inputs: SitingInputs) -> None:
    """Draw the data & method tab."""
    layers = _layers(inputs)
    st.markdown("#### Layers")
    overview = layer_overview(inputs)
    # a static table: long sources and precisions wrap and every column shows (a grid cut them off); its cells
    # are Markdown, so the files' text is escaped
    shown = overview.assign(features=overview["features"].map("{:,}".format))
    st.table(shown.map(lambda v: md_escape(v, 600)), hide_index=True)
    pick = st.selectbox("Field completeness of", [spec.title for spec, _ in layers], key="method_layer")
    spec, gdf = next((s, g) for s, g in layers if s.title == pick)
    st.dataframe(completeness(gdf, spec), hide_index=True, column_config={
        "sourced (%)": st.column_config.ProgressColumn(min_value=0, max_value=100, format="%.0f %%"),
        "estimated (%)": st.column_config.NumberColumn(format="%.0f %%",
                                                       help="Filled by a written estimation rule, not a source"),
        "unknown (%)": st.column_config.NumberColumn(format="%.0f %%")})
    st.caption("Layers are rebuilt from the source copies shipped in `data/` by `tools/build_layers.py` and "
               "`tools/build_sites.py` (see `data/README.md` for each file's publisher, licence and origin).")
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
    st.caption(md_escape("Attribution: RTE – ODRÉ, postes électriques (Licence Ouverte / Etalab 2.0); "
                         "JRC Open Power Plants Database, European Commission (CC-BY-4.0); INSEE and Etalab "
                         "(populations), IGN Admin Express (centroids), Licence Ouverte; © TeleGeography "
                         "submarinecablemap.com; Natural Earth; public sources per site."))
