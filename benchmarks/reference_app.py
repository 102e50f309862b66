"""The fair floor for the UI benchmark: the explorer's essentials and nothing else.

One weight slider (in the sidebar, as in the explorer), a 35-point deck.gl map of the real 35
candidate zones (no basemap, in a 3:2 column of the same height as the explorer's map) and the
35-row ranking as an ``st.dataframe`` with a progress column for the score. The score depends on
the slider, so every change re-colours the map and re-orders or re-draws the table, as a weight
change does in the explorer. It reads ``sites/candidate_sites.geojson`` with ``json`` only: no
model, no cache, no pandas work beyond the table itself.

Run alone: `.venv/bin/streamlit run benchmarks/reference_app.py`; timed by `benchmarks/bench_ui.py`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pydeck as pdk
import streamlit as st

SITES = Path(__file__).resolve().parent.parent / "sites" / "candidate_sites.geojson"

st.set_page_config(page_title="Reference page", layout="wide")


@st.cache_data
def load_sites() -> list[dict]:
    features = json.loads(SITES.read_text(encoding="utf-8"))["features"]
    sites = []
    for f in features:
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"][:2]
        sites.append({"site_id": p["site_id"], "name": p["name"], "region": p["region"], "lon": lon, "lat": lat,
                      "power_mw": p.get("power_mw"), "area_ha": p.get("area_ha"), "evidence": p["evidence"]})
    return sites


def score(sites: list[dict], power_weight: float) -> list[float]:
    """A weighted sum of three utilities; the power weight comes from the slider (0–10)."""
    evidence = {"official": 1.0, "reported": 0.75, "project": 0.5, "indicative": 0.1}
    out = []
    for s in sites:
        u_power = 0.3 if s["power_mw"] is None else min(1.0, math.sqrt(s["power_mw"] / 1400.0))
        u_area = 0.3 if s["area_ha"] is None else min(1.0, s["area_ha"] / 100.0)
        u_evidence = evidence.get(s["evidence"], 0.3)
        total = power_weight * u_power + 4.0 * u_area + 6.0 * u_evidence
        out.append(100.0 * total / (power_weight + 10.0))
    return out


def colour(value: float) -> list[int]:
    t = max(0.0, min(1.0, value / 100.0))
    return [int(215 - 180 * t), int(48 + 140 * t), int(39 + 60 * t), 230]


weight = st.sidebar.slider("Announced power — weight", 0.0, 10.0, 5.0, step=0.5, key="weight", format="%.1f")
sites = load_sites()
scores = score(sites, weight)
order = sorted(range(len(sites)), key=lambda i: -scores[i])

points = [{"site_id": sites[i]["site_id"], "lon": sites[i]["lon"], "lat": sites[i]["lat"], "fill": colour(scores[i]),
           "radius": 4000.0 + 900.0 * math.sqrt(sites[i]["power_mw"] or 60.0),
           "tooltip": f"{sites[i]['name']} · score {scores[i]:.1f}"} for i in order[::-1]]
layer = pdk.Layer("ScatterplotLayer", id="sites", data=points, get_position=["lon", "lat"], get_fill_color="fill",
                  get_radius="radius", radius_min_pixels=6, radius_max_pixels=40, stroked=True,
                  get_line_color=[30, 30, 30, 220], line_width_min_pixels=1, pickable=True)
deck = pdk.Deck(layers=[layer], initial_view_state=pdk.ViewState(longitude=2.5, latitude=46.5, zoom=4.45),
                map_provider=None, tooltip={"text": "{tooltip}"})

left, _right = st.columns([3, 2], gap="medium")
with left:
    st.pydeck_chart(deck, key="map", height=560)

table = pd.DataFrame({
    "rank": range(1, len(order) + 1),
    "site": [sites[i]["name"] for i in order],
    "region": [sites[i]["region"] for i in order],
    "score": [scores[i] for i in order],
    "power": ["unknown" if sites[i]["power_mw"] is None else f"{sites[i]['power_mw']:,} MW" for i in order],
    "evidence": [sites[i]["evidence"] for i in order],
})
st.dataframe(table, hide_index=True, key="ranking_table",
             column_config={"rank": st.column_config.NumberColumn("#", width=40, format="%d"),
                            "site": st.column_config.TextColumn("site", width=300),
                            "score": st.column_config.ProgressColumn("score", min_value=0, max_value=100,
                                                                     format="%.1f", width=110)})
