"""AI data-centre siting explorer for France (Streamlit UI only; the model lives in `siting/`)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import streamlit as st

from siting import mapview, urlstate
from siting.data import DataValidationError, data_root, layer_paths, load_inputs
from siting.proximity import Infrastructure
from siting.schema import OFFICIAL_ZONE_COUNT
from siting.scoring import ScoringError, prepare_sites, rank_sites
from siting.text import md_escape
from views import ahp, compare, explorer, method, regions, robustness, sidebar, state, upload
from views.context import Context

st.set_page_config(page_title="AI data-centre siting — France", page_icon="🗺️", layout="wide")
TAB_KEYS = {label: key for key, label in urlstate.TABS.items()}
STATIC_DIR = Path(__file__).resolve().parent / "static"  # served by Streamlit (enableStaticServing)
_LOG = logging.getLogger("siting.app")


# ---- load (cached on file paths and modification times, never on GeoDataFrames) ----
@st.cache_resource(show_spinner="Loading layers and measuring distances…")
def _load(root: str, stamps: tuple) -> tuple:
    # Shared read-only across sessions (nothing below mutates it); cache_data would deep-copy
    # the GeoDataFrames on every rerun, which costs more than the whole scoring step.
    inputs = load_inputs(root)
    infra = Infrastructure.of(inputs)
    sites = prepare_sites(inputs.sites, infra)
    announced = prepare_sites(inputs.announced, infra)
    static = mapview.build_static_layers(inputs, announced)
    if st.get_option("server.enableStaticServing"):
        try:  # served by Streamlit from ./static; the map then re-sends only addresses for these layers
            static = mapview.publish_static_layers(static, STATIC_DIR / "mapdata", "app/static/mapdata")
        except OSError as exc:  # read-only install: the layers stay inline (slower updates, same map)
            _LOG.warning("map layers kept inline: cannot write %s (%s)", STATIC_DIR, exc)
    return inputs, sites, announced, static


def _stamps(root) -> tuple:
    return tuple((key, os.path.getmtime(p) if p.exists() else 0.0) for key, p in layer_paths(root).items())


root = data_root()
try:
    inputs, prepared, announced, static_layers = _load(str(root), _stamps(root))
except DataValidationError as exc:
    st.error("The data layers failed validation; fix these problems and reload:")
    st.code("\n".join(str(p) for p in exc.problems[:100]), language=None)
    st.stop()

# Only the open tab runs (lazy tabs): keep the choices made in the hidden ones.
state.keep_hidden_widget_state()

# ---- your sites (session only): parsed once per uploaded file, merged before scoring ----
uploaded, upload_report = upload.current_upload(inputs, set(prepared["site_id"]))
prepared = upload.merge(prepared, uploaded)
site_ids = frozenset(prepared["site_id"])

# ---- state: the URL is read once per session, then widgets own the state ----
ss = st.session_state
if "url_loaded" not in ss:
    view, ss["url_notices"] = urlstate.parse_query(st.query_params.to_dict(), site_ids)
    sidebar.load_view(view)
    ss["tab"] = urlstate.TABS[view.tab]
    ss["url_loaded"] = True

sidebar.render()
view = sidebar.current_view(TAB_KEYS.get(ss.get("tab"), "map"))

# ---- page header ----
st.title("Where to build an AI data centre in France")
st.caption(f"The {OFFICIAL_ZONE_COUNT} candidate zones of February 2025, scored by a weighted multi-criteria model. "
           "Zone positions are approximate (see each site's precision); indicative zones are placeholders "
           "where the real zone is not public.")
for notice in ss.get("url_notices", []):
    st.warning(md_escape(notice, 400), icon="⚠️")

# ---- compute ----
try:
    ranking = rank_sites(prepared, view.scenario())
except ScoringError as exc:
    st.error(f"Cannot score this scenario: {exc}")
    st.stop()
ranked = ranking.table

# ---- selection: map click or table row, whichever changed last ----
def _picked_from_map() -> str | None:
    event = ss.get("map")
    objects = (event or {}).get("selection", {}).get("objects", {}) if isinstance(event, dict) else {}
    for layer_id in mapview.SELECTABLE_LAYERS:
        for obj in objects.get(layer_id, []) or []:
            if isinstance(obj, dict) and obj.get("site_id") in site_ids:
                return obj["site_id"]
    return None


def _picked_from_table() -> str | None:
    event = ss.get("ranking_table")
    rows = (event or {}).get("selection", {}).get("rows", []) if isinstance(event, dict) else []
    order = ss.get("table_order", [])
    if rows and 0 <= rows[0] < len(order):
        return order[rows[0]]
    return None


site = ss.get("site")
for source, picked in (("map", _picked_from_map()), ("table", _picked_from_table())):
    if picked and ss.get(f"last_{source}_pick") != picked:
        site = picked
    ss[f"last_{source}_pick"] = picked
view.site = ss["site"] = site if site in site_ids else None

# ---- key figures ----
names = dict(zip(prepared["site_id"], prepared["name"]))
ctx = Context(inputs, prepared, announced, static_layers, ranking, view, names)
c1, c2, c3, c4 = st.columns([1, 1, 1, 2])
c1.metric("Sites shown", f"{len(ranked)} of {len(prepared)}")
c2.metric("Announced power shown", f"{ranked['power_mw'].sum():,.0f} MW",
          help="Sum of known power figures; unknown power counts as 0.")
c3.metric("Area shown", f"{ranked['area_ha'].sum():,.0f} ha", help="Includes estimated areas (34 ha rule).")
c4.metric("Top site", ranked.iloc[0]["name"].split(" – ")[0][:40] if len(ranked) else "—",
          f"score {ranked.iloc[0]['score']:.1f}" if len(ranked) else None, delta_color="off", delta_arrow="off",
          help=None if ranked.empty else f"{md_escape(ranked.iloc[0]['name'])} (rank 1 under this scenario)")


def _map_tab() -> None:
    deck = mapview.build_deck(ranking, inputs, mapview.MapOptions(
        layers=view.layers, basemap=view.basemap, selected_site=view.site,
        carto_key=os.environ.get("CARTO_API_KEY") or None), announced=announced, static=static_layers)
    st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key="map", height=620)
    legend = " ".join(
        f"<span style='background:rgb{c};padding:0 10px;margin-right:2px;border:1px solid #999'></span>{label}"
        for label, c in mapview.legend_items())
    st.html(f"<div style='font-size:0.8rem'>Score: {legend} &nbsp;·&nbsp; larger circle = more MW · ringed = "
            "indicative placeholder · pink ring = your uploaded sites · grey = filtered out · purple = other "
            "announced projects · red/orange dots = 400/225 kV RTE substations (violet = planned) · yellow = "
            "nuclear plants (blue = hydro, brown = fossil, grey = closed) · teal = international cable landings"
            "</div>")
    if len(ranked) == 0:
        st.info("No site meets these constraints. Loosen them in the sidebar.")
    explorer.render_card(ctx)
    explorer.render_table(ctx)
    explorer.render_downloads(ctx)


# Lazy tabs: switching tabs reruns the script and only the open tab's content is built and sent.
tab_map, tab_compare, tab_robust, tab_regions, tab_upload, tab_method, tab_ahp = st.tabs(
    list(urlstate.TABS.values()), key="tab", on_change="rerun")
for tab, render in ((tab_map, _map_tab), (tab_compare, lambda: compare.render(ctx)),
                    (tab_robust, lambda: robustness.render(ctx)),
                    (tab_regions, lambda: regions.render(ctx)), (tab_upload, lambda: upload.render(upload_report)),
                    (tab_method, lambda: method.render(inputs)), (tab_ahp, ahp.render)):
    if tab.open:
        with tab:
            render()

# ---- keep the URL in step with the view (shareable link) ----
st.query_params.from_dict(urlstate.encode_query(view))
