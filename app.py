"""AI data-centre siting explorer for France (Streamlit UI only; the model lives in `siting/`)."""

from __future__ import annotations

import gc
import logging
import os
from pathlib import Path

import streamlit as st

from siting import mapview, urlstate
from siting.data import DataValidationError, data_root, layer_paths, load_inputs
from siting.proximity import Infrastructure
from siting.schema import OFFICIAL_ZONE_COUNT
from siting.scoring import ScoringError, prepare_sites, rank_sites
from views import (
    ahp,
    compare,
    consensus,
    curves,
    explorer,
    header,
    method,
    regions,
    robustness,
    saved,
    sidebar,
    state,
    upload,
)
from views import surface as surface_view
from views.context import Context

st.set_page_config(page_title="AI data-centre siting — France", page_icon="🗺️", layout="wide")
STATIC_DIR = Path(__file__).resolve().parent / "static"  # served by Streamlit (enableStaticServing)
_LOG = logging.getLogger("siting.app")
MAP_DRAWN = "_map_drawn"  # session state: the map was drawn by the session's previous run


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
    # The loaded layers live as long as the process: move them out of the collector's reach, so any
    # full collection (Streamlit's or Python's) stops re-scanning them (105-140 ms -> 2-3 ms measured).
    gc.collect()
    gc.freeze()
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

# ---- state: the URL is read once per session, then widgets own the state ----
ss = st.session_state
if "url_loaded" not in ss:
    view, ss["url_notices"] = urlstate.parse_query(st.query_params.to_dict(), frozenset(prepared["site_id"]))
    sidebar.load_view(view)
    ss["tab"] = urlstate.TABS[view.tab]
    ss["url_loaded"] = True

# The sidebar's frame and the title run only in full reruns (first view, preset, reset, a section
# opened or closed, a tab switched); the knobs are drawn into the frame by the results fragment
# below, so a knob change, a weight's included, reruns that fragment alone, in one script run.
places = sidebar.render()
header.page_style()
st.title("Where to build an AI data centre in France")
# Neither depends on the scenario: drawn by full runs only, never re-sent by a knob change
header.first_view_hint()
header.link_notices()
# The page's frame, drawn by full runs only: the results fragment below fills it. The tabs are lazy:
# switching tabs reruns the page and only the open tab's content is built and sent; a knob change
# re-sends that content, not the tab bar (rebuilding the bar costs the browser more than the ranking).
lead = st.container()
figures = st.container(key="metrics")
tabs = st.tabs(list(urlstate.TABS.values()), key="tab", on_change="rerun")
open_tab, open_box = next(((key, tab) for key, tab in zip(urlstate.TABS, tabs) if tab.open), ("map", tabs[0]))


@st.fragment(key=sidebar.RESULTS)
def results() -> None:
    """Everything that depends on the scenario and the knobs: rerun alone when a knob changes (a fragment)."""
    _results()
    sidebar.render_knobs(places)  # last, also when the scenario cannot be scored: the knobs stay reachable


def _results() -> None:
    # Only the open tab runs (lazy tabs): keep the choices made in the hidden ones.
    state.keep_hidden_widget_state()
    # Whether the session's previous run drew the map (set again when this run draws it); read first, so a run
    # that draws no map (another tab, a scenario that cannot be scored) leaves the next map drawn anew.
    map_was_drawn = ss.pop(MAP_DRAWN, False)
    # ---- your sites (session only): parsed once per uploaded file, merged before scoring ----
    uploaded, upload_report = upload.current_upload(inputs, set(prepared["site_id"]))
    sites = upload.merge(prepared, uploaded)
    sites = upload.merge_located(sites, surface_view.located_sites())
    site_ids = frozenset(sites["site_id"])
    view = sidebar.current_view(open_tab)

    replaced = uploaded is not None and ss.get("upload_mode", "add") == "replace"
    lead.caption((f"Your {len(sites)} uploaded sites (they replace the 35 zones for this session)" if replaced else
                  f"The {OFFICIAL_ZONE_COUNT} candidate zones of February 2025")
                 + ", scored by a weighted multi-criteria model on RTE's grid, the nuclear fleet, people and cables. "
                 "Positions are approximate (see each site's precision); indicative zones are placeholders where the "
                 "real zone is not public.")

    # ---- compute ----
    try:
        ranking = rank_sites(sites, view.scenario())
    except ScoringError as exc:
        lead.error(f"Cannot score this scenario: {exc}")
        return

    # ---- selection: map click or table row, whichever changed last ----
    site = ss.get("site")
    for source, picked in (("map", _picked_from_map(site_ids)), ("table", _picked_from_table())):
        if picked and ss.get(f"last_{source}_pick") != picked:
            site = picked
        ss[f"last_{source}_pick"] = picked
    view.site = ss["site"] = site if site in site_ids else None

    names = dict(zip(sites["site_id"], sites["name"]))
    ctx = Context(inputs, sites, announced, static_layers, ranking, view, names)
    render = {
        "map": lambda: _map_tab(ctx, fresh=not map_was_drawn), "compare": lambda: compare.render(ctx),
        "robustness": lambda: robustness.render(ctx), "methods": lambda: _methods_tab(ctx),
        "regions": lambda: regions.render(ctx), "surface": lambda: surface_view.render(ctx, str(root), _stamps(root)),
        "upload": lambda: upload.render(upload_report), "method": lambda: _method_tab(ctx), "ahp": ahp.render,
    }
    with open_box:
        render[open_tab]()
    with figures:  # after the open tab, so the ranking is the first thing sent
        header.key_figures(ranking.table, len(sites))

    # ---- keep the URL in step with the view (shareable link) ----
    st.query_params.from_dict(urlstate.encode_query(view))


def _picked_from_map(site_ids: frozenset) -> str | None:
    event = ss.get("map")
    objects = (event or {}).get("selection", {}).get("objects", {}) if isinstance(event, dict) else {}
    for layer_id in mapview.SELECTABLE_LAYERS:
        for obj in objects.get(layer_id, []) or []:
            if isinstance(obj, dict) and obj.get("site_id") in site_ids:
                return obj["site_id"]
    return None


def _picked_from_table() -> str | None:
    event = ss.get("ranking_table")
    selection = (event or {}).get("selection", {}) if isinstance(event, dict) else {}
    rows = list(selection.get("rows", []) or [])
    cells = selection.get("cells", []) or []  # a click on any cell, or the keyboard's cell cursor
    rows += [c[0] for c in cells if isinstance(c, (list, tuple)) and c and isinstance(c[0], int)]
    order = ss.get("table_order", [])
    if rows and isinstance(rows[0], int) and 0 <= rows[0] < len(order):
        return order[rows[0]]
    return None


def _map_tab(ctx: Context, fresh: bool) -> None:
    """The map, its card and the ranking; ``fresh``: the session's previous run did not draw the map."""
    ranking, view = ctx.ranking, ctx.view
    if len(ranking.table) == 0:
        st.info("No site meets these constraints. Loosen them in the sidebar.")
    left, right = st.columns([3, 2], gap="medium")
    map_slot, card_slot = left.container(), right.container()
    explorer.render_table(ctx)  # first: what a weight change is judged by; the map and card fill their places next
    with map_slot:
        overlay = surface_view.overlay_records(ctx, str(root), _stamps(root)) if "surface" in view.layers else None
        # The fixed layers travel inline when the map is drawn anew (first view, back from another tab): deck.gl
        # then draws the whole map in its first frame instead of drawing again as the files arrive (a next
        # visitor's page complete 0.5 s sooner without a GPU, RESULTS.md "ui"). Afterwards they travel as
        # addresses: a weight change re-sends ≈ 32 KB of map, not ≈ 320 KB, and deck.gl fetches each file once,
        # then neither re-fetches nor rebuilds them (it keeps drawing the inline copy while it fetches).
        static = static_layers.inline() if fresh else static_layers
        deck = mapview.build_deck(ranking, inputs, mapview.MapOptions(
            layers=view.layers, basemap=view.basemap, selected_site=view.site,
            carto_key=os.environ.get("CARTO_API_KEY") or None), announced=announced, static=static,
            surface=overlay)
        st.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key="map", height=560)
        ss[MAP_DRAWN] = True
        header.map_legend(view)
    with card_slot:
        explorer.render_card(ctx)
    explorer.render_downloads(ctx)


def _methods_tab(ctx: Context) -> None:
    saved.render(ctx)
    saved.render_objective(ctx)
    consensus.render(ctx, named=saved.comparable(ctx))


def _method_tab(ctx: Context) -> None:
    method.render(inputs)
    st.markdown("#### Value → utility curves, with the sites on them")
    curves.render(ctx)


results()
