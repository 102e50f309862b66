"""The reference page with the explorer's own map: a check of what the 1.3x target leaves (issue 15).

    .venv/bin/python benchmarks/bench_ui.py --pages reference,refmap,refsites --no-write \\
        --page refmap=benchmarks/reference_explorer_map_app.py:weight \\
        --page refsites=benchmarks/reference_explorer_map_app.py:weight --page-env refsites:SITES_ONLY=1

Same slider and 6-column table as `reference_app.py`, but the weight changes the real model's
scenario (`rank_sites`, default weights, "Announced power" set by the slider) and the map is the
explorer's deck (`mapview.build_deck`, every default layer, offline base, fixed layers served as
static files like the app's). With ``SITES_ONLY=1`` the map keeps only the scored sites' layers.
"""

import os
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402
import streamlit as st  # noqa: E402

from siting import mapview  # noqa: E402
from siting.data import load_inputs  # noqa: E402
from siting.proximity import Infrastructure  # noqa: E402
from siting.scoring import Scenario, prepare_sites, rank_sites  # noqa: E402

st.set_page_config(page_title="Reference page, explorer's map", layout="wide")
SITE_LAYERS = ("sites", "site_hits", "indicative_rings", "excluded_sites")


@st.cache_resource
def load():
    inputs = load_inputs(str(ROOT))
    infra = Infrastructure.of(inputs)
    sites, announced = prepare_sites(inputs.sites, infra), prepare_sites(inputs.announced, infra)
    static = mapview.build_static_layers(inputs, announced)
    # served from this script's folder (benchmarks/static), as the app serves its own
    static = mapview.publish_static_layers(static, Path(__file__).resolve().parent / "static" / "mapdata",
                                           "app/static/mapdata")
    return inputs, sites, announced, static


inputs, sites, announced, static = load()
weight = st.sidebar.slider("Announced power — weight", 0.0, 10.0, 5.0, step=0.5, key="weight", format="%.1f")
base = Scenario()
ranking = rank_sites(sites, replace(base, weights={**base.weights, "power_mw": weight}))
deck = mapview.build_deck(ranking, inputs, announced=announced, static=static)
if os.environ.get("SITES_ONLY"):
    deck.layers = [layer for layer in deck.layers if layer.id in SITE_LAYERS]
left, _right = st.columns([3, 2], gap="medium")
with left:
    st.pydeck_chart(deck, key="map", height=560)
t = ranking.table
st.dataframe(pd.DataFrame({"rank": t["rank"].to_numpy(), "site": t["name"].to_numpy(), "region": t["region"].to_numpy(),
                           "score": t["score"].to_numpy(), "power": t["power_mw"].astype(str).to_numpy(),
                           "evidence": t["evidence"].to_numpy()}),
             hide_index=True, key="ranking_table",
             column_config={"rank": st.column_config.NumberColumn("#", width=40, format="%d"),
                            "site": st.column_config.TextColumn("site", width=300),
                            "score": st.column_config.ProgressColumn("score", min_value=0, max_value=100,
                                                                     format="%.1f", width=110)})
