"""A one-slider page with a small deck.gl map (35 points, no basemap): the floor for any page with a map.

The UI benchmark measures it next to the minimal page to separate what deck.gl costs on the
machine from what the explorer itself costs.
"""

import pydeck as pdk
import streamlit as st

value = st.slider("Value", 0, 100, 50)
points = [{"position": [-1.5 + 0.25 * i, 43.5 + 0.18 * i], "color": [2 * value, 80, 160]} for i in range(35)]
layer = pdk.Layer("ScatterplotLayer", id="points", data=points, get_position="position", get_fill_color="color",
                  get_radius=15000)
view = pdk.ViewState(longitude=2.6, latitude=46.6, zoom=4.9)
st.pydeck_chart(pdk.Deck(layers=[layer], initial_view_state=view, map_provider=None), key="map", height=620)
st.write(f"The value is {value}")
