"""Beyond the 35: the national screening surface, where the 35 zones stand on it, and located zones.

The surface is built once per process and resolution (weight-independent, cached); a weight change
only rescores it (one matrix-vector product). Located zones can be added to the session's sites:
they are then ranked, compared and put in a dossier like any site, marked as located by the model.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import streamlit as st

from siting import mapview
from siting.locate import DEFAULT_SPACING_KM, locate_zones, top_text, zone_percentiles, zones_as_sites
from siting.proximity import Infrastructure
from siting.scoring import ScoringError, prepare_sites
from siting.surface import (
    LOCATION_CRITERIA,
    SITE_ONLY_NOTE,
    SURFACE_CAVEAT,
    SurfaceError,
    build_surface,
    deck_records,
    load_outline,
    location_shares,
)
from siting.text import md_escape
from views import state
from views.context import Context

ss = st.session_state
ANALYSIS_RESOLUTION = 7
"""Percentiles and located zones: resolution 7 (≈ 5 km² cells, 112,000 scored cells)."""
MAP_RESOLUTION = 4
"""The map overlay: resolution 4 (≈ 1,770 km² cells, 334 cells, 0.05 MB per redraw). Resolution 5 (≈ 2,200
cells) made a weight change 1.6× slower than without the overlay on this machine, resolution 4 1.1×
(benchmarks/RESULTS.md); the tab's own map and the located zones keep the finer grids."""
TAB_MAP_RESOLUTION = 6
"""The tab's own map: resolution 6 (≈ 36 km² cells, ≈ 15,000 cells, ≈ 0.6 MB, sent only with the tab open)."""
LOCATED_KEY = "located_sites"


@st.cache_resource(show_spinner="Building the national screening surface (once)…")
def surface_at(resolution: int, root: str, stamps: tuple, _inputs) -> object:
    """Return the weight-independent surface at ``resolution``, shared by every session (read-only)."""
    from pathlib import Path

    return build_surface(Infrastructure.of(_inputs), load_outline(Path(root)), resolution)


def overlay_records(ctx: Context, root: str, stamps: tuple) -> list[dict]:
    """Return the explorer map's ``surface`` records under the current weights (empty when none apply)."""
    surf = surface_at(MAP_RESOLUTION, root, stamps, ctx.inputs)
    try:
        scores = surf.scores(ctx.ranking.weights)
    except SurfaceError:
        return []
    records = deck_records(surf, scores, colour=True, decimals=0)
    for r in records:
        r["tooltip"] = f"Screening surface: {r['score']:.0f} / 100 (location criteria only; not a site offer)"
    return records


def located_sites() -> gpd.GeoDataFrame | None:
    """Located zones the user added, prepared like any site (None when there are none)."""
    return ss.get(LOCATED_KEY)


def _add_located(zones: gpd.GeoDataFrame, inputs, weights_text: str) -> None:
    rows = zones_as_sites(zones, weights_text)
    prepared = prepare_sites(gpd.GeoDataFrame(rows.drop(columns="located"), crs=rows.crs), Infrastructure.of(inputs))
    prepared["located"] = True
    prepared["uploaded"] = True  # drawn with the session's own sites (pink ring), never written to disk
    old = ss.get(LOCATED_KEY)
    if old is not None:
        prepared = prepared[~prepared["site_id"].isin(old["site_id"])]
        prepared = gpd.GeoDataFrame(pd.concat([old, prepared], ignore_index=True), crs=old.crs)
    ss[LOCATED_KEY] = prepared


def _clear_located() -> None:
    ss.pop(LOCATED_KEY, None)


def render(ctx: Context, root: str, stamps: tuple) -> None:
    """Draw the tab: caveat, weights used, the surface map, the 35 zones' percentiles, locate."""
    st.warning(md_escape(SURFACE_CAVEAT, 1200))
    weights = ctx.ranking.weights
    try:
        shares = location_shares(weights)
    except ScoringError as exc:
        st.error(md_escape(str(exc)))
        return
    st.caption(md_escape(SITE_ONLY_NOTE, 1200) + " Weights used here: " + ", ".join(
        f"{c.label} {100 * shares[c.key]:.0f} %" for c in LOCATION_CRITERIA if shares.get(c.key)))
    surf = surface_at(TAB_MAP_RESOLUTION, root, stamps, ctx.inputs)
    scores = surf.scores(weights)
    records = deck_records(surf, scores, colour=True, decimals=0)
    for r in records:
        r["tooltip"] = f"Score {r['score']:.0f} / 100 on the location criteria"
    deck = mapview.CompactDeck(
        layers=[pdk.Layer("H3HexagonLayer", id="surface", data=records, get_hexagon="h3", get_fill_color="color",
                          stroked=False, extruded=False, pickable=True, opacity=0.8),
                pdk.Layer("ScatterplotLayer", id="zones",
                          data=[{"lon": float(g.x), "lat": float(g.y), "tooltip": n}
                                for g, n in zip(ctx.prepared.geometry, ctx.prepared["name"])],
                          get_position=["lon", "lat"], get_radius=4000, radius_min_pixels=3, filled=False,
                          stroked=True, get_line_color=[20, 20, 20, 230], line_width_min_pixels=2, pickable=True)],
        initial_view_state=pdk.ViewState(**mapview.INITIAL_VIEW), map_provider=None,
        views=[pdk.View(type="MapView", controller={"scrollZoom": False, "doubleClickZoom": True})],
        tooltip={"text": "{tooltip}"})
    st.pydeck_chart(deck, height=520, key="surface_map")
    st.html("<div style='font-size:0.8rem'>Hexagons: resolution-6 cells (≈ 36 km²) coloured by the location score "
            "on the explorer's scale (pale = low, dark blue = high); blank = outside the mainland outline or a dense "
            "urban core; black rings = the zones of the current site set.</div>")

    st.markdown("#### Where the candidate zones stand on the national surface")
    big = surface_at(ANALYSIS_RESOLUTION, root, stamps, ctx.inputs)
    table = zone_percentiles(big, ctx.prepared, weights)
    table = table.sort_values("top_pct", na_position="last")
    st.dataframe(table[["name", "location_score", "top_pct", "summary"]], hide_index=True, column_config={
        "name": st.column_config.TextColumn("zone", width=300),
        "location_score": st.column_config.ProgressColumn("location score", min_value=0, max_value=100,
                                                          format="%.1f", width=120),
        "top_pct": st.column_config.NumberColumn("top … % of France", format="%.1f %%", width=110,
                                                 help="Share of France's scored cells (res 7) scoring higher"),
        "summary": st.column_config.TextColumn("in words", width=520),
    })
    best = table.iloc[0]
    st.caption(f"Best placed: {md_escape(best['name'], 100)}, {top_text(best['top_pct'])} of France on these "
               f"weights. {big.n_scored:,} cells of ≈ {big.cell_area_km2:.1f} km² scored.")

    st.markdown("#### Locate new zones")
    state.default("locate_top", 10)
    state.default("locate_spacing", DEFAULT_SPACING_KM)
    state.default("locate_area", 0.0)
    state.default("locate_avoid", 10.0)
    c1, c2, c3, c4 = st.columns(4)
    top = int(c1.number_input("How many", 1, 50, key="locate_top"))
    spacing = float(c2.number_input("At least km apart", 0.0, 500.0, step=5.0, key="locate_spacing"))
    area = float(c3.number_input("Minimum area (km²)", 0.0, 2000.0, step=10.0, key="locate_area",
                                 help="0: single cells (≈ 5 km²); more: clusters of adjacent cells"))
    avoid = float(c4.number_input("Away from the zones (km)", 0.0, 200.0, step=5.0, key="locate_avoid",
                                  help="Keep located zones at least this far from the current site set"))
    try:
        zones = locate_zones(big, big.scores(weights), Infrastructure.of(ctx.inputs), top=top,
                             min_spacing_km=spacing, min_area_km2=area, known_sites=ctx.prepared, avoid_km=avoid)
    except ScoringError as exc:
        st.error(md_escape(str(exc)))
        return
    shown = pd.DataFrame(zones.drop(columns="geometry"))
    columns = [c for c in ("rank", "score", "region", "commune", "nearest_grid_400_name", "dist_grid_400_km",
                           "nearest_nuclear_name", "dist_nuclear_km", "population_50km", "nearest_site_name",
                           "dist_nearest_site_km") if c in shown.columns]
    st.dataframe(shown[columns], hide_index=True, column_config={
        "rank": st.column_config.NumberColumn("#", width=40), "score": st.column_config.NumberColumn(format="%.1f"),
        "nearest_grid_400_name": "nearest 400 kV", "dist_grid_400_km": st.column_config.NumberColumn(
            "400 kV km", format="%.1f"),
        "nearest_nuclear_name": "nearest nuclear", "dist_nuclear_km": st.column_config.NumberColumn(
            "nuclear km", format="%.0f"),
        "population_50km": st.column_config.NumberColumn("people 50 km", format="%d"),
        "nearest_site_name": "nearest zone",
        "dist_nearest_site_km": st.column_config.NumberColumn("zone km", format="%.0f"),
    })
    weights_text = "weights " + ", ".join(f"{k} {v:g}" for k, v in weights.items() if v > 0)
    b1, b2 = st.columns([2, 1])
    b1.button("Add these zones to the comparison (as sites located by the model)", on_click=_add_located,
              args=(zones, ctx.inputs, weights_text), disabled=not len(zones),
              help="They join the ranking, the map (pink ring), Compare and the dossier, marked 'located by the "
                   "model, not an announced site'. Session only.")
    if ss.get(LOCATED_KEY) is not None:
        b2.button(f"Remove the {len(ss[LOCATED_KEY])} located zones", on_click=_clear_located)
    if np.isfinite(big.scores(weights)).sum() == 0:
        st.info("No cell is scored under these weights.")
