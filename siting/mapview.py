"""Build the pydeck map from a ranking and the infrastructure layers; return it, draw nothing.

Layer ids are fixed (tests and the app's selection handling rely on them). Tooltips are
plain text assembled here from the data and shown through deck.gl's text tooltip, which
never interprets HTML.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely

from siting.data import SitingInputs
from siting.schema import CRITERIA_BY_KEY
from siting.scoring import Ranking, format_value

LAYER_IDS = ("regions", "grid_points", "cable_landings", "announced", "excluded_sites", "sites",
             "indicative_rings", "connections", "selected")
SELECTABLE_LAYERS = ("sites", "excluded_sites")

# Score colour scale (0 → 100): pale yellow to deep blue (ColorBrewer YlGnBu, colour-blind safe).
# Stops are denser in the middle, where most scores fall, so neighbours stay distinguishable.
SCORE_STOPS: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0, (255, 255, 204)),
    (30, (199, 233, 180)),
    (45, (127, 205, 187)),
    (55, (65, 182, 196)),
    (65, (29, 145, 192)),
    (75, (34, 94, 168)),
    (100, (12, 44, 132)),
)
EXCLUDED_RGBA = (150, 150, 150, 110)
ANNOUNCED_RGBA = (128, 0, 128, 170)
GRID_400_RGBA = (200, 30, 30, 170)
GRID_225_RGBA = (245, 140, 20, 120)
LANDING_INTL_RGBA = (0, 150, 136, 220)
LANDING_DOMESTIC_RGBA = (120, 144, 156, 160)
LINE_GRID_RGBA = (200, 30, 30, 230)
LINE_LANDING_RGBA = (0, 150, 136, 230)
SITE_OUTLINE_RGBA = (30, 30, 30, 220)
INDICATIVE_RING_RGBA = (90, 90, 90, 230)
SELECTED_RGBA = (255, 64, 129, 255)
REGION_FILL_OFFLINE_RGBA = (238, 238, 232, 255)
REGION_LINE_RGBA = (110, 110, 110, 200)
INITIAL_VIEW = {"longitude": 2.6, "latitude": 46.6, "zoom": 4.9}

BASEMAPS: dict[str, dict] = {
    "carto-light": {"label": "CARTO light", "map_provider": "carto", "map_style": "light"},
    "carto-dark": {"label": "CARTO dark", "map_provider": "carto", "map_style": "dark"},
    "none": {"label": "None (offline: region outlines only)", "map_provider": None, "map_style": None},
}
LAYER_TOGGLES: dict[str, str] = {
    "announced": "Other announced projects",
    "grid_points": "Grid substations (400 / 225 kV)",
    "cable_landings": "Subsea cable landings",
    "regions": "Region outlines",
    "excluded_sites": "Sites filtered out (grey)",
}


@dataclass(frozen=True)
class MapOptions:
    """What to draw: visible layers, basemap and the selected site."""

    layers: tuple[str, ...] = tuple(LAYER_TOGGLES)
    basemap: str = "none"
    selected_site: str | None = None
    carto_key: str | None = None
    height: int = 620


def score_color(score: float) -> list[int]:
    """RGB colour of a score on :data:`SCORE_STOPS` (linear between stops)."""
    if score is None or not math.isfinite(score):
        return list(EXCLUDED_RGBA[:3])
    s = min(max(float(score), 0.0), 100.0)
    for (s0, c0), (s1, c1) in zip(SCORE_STOPS, SCORE_STOPS[1:]):
        if s <= s1:
            t = 0 if s1 == s0 else (s - s0) / (s1 - s0)
            return [round(a + (b - a) * t) for a, b in zip(c0, c1)]
    return list(SCORE_STOPS[-1][1])


def legend_items() -> list[tuple[str, tuple[int, int, int]]]:
    """Score legend: (label, colour) pairs for the app to draw."""
    return [(f"{int(s)}", c) for s, c in SCORE_STOPS]


def power_radius_m(power_mw) -> np.ndarray:
    """Marker radius in metres: grows with √power; unknown power gets a middle size."""
    p = pd.to_numeric(pd.Series(power_mw), errors="coerce").to_numpy(dtype="float64")
    return np.where(np.isnan(p), 12000.0, 4000.0 + 900.0 * np.sqrt(np.clip(p, 0, None)))


def _clean(text, limit: int = 120) -> str:
    """Plain, single-line, bounded text for tooltips (control characters dropped)."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return "unknown"
    value = "".join(ch if ch.isprintable() else " " for ch in str(text))
    return value if len(value) <= limit else value[: limit - 1] + "…"


def _lonlat(gdf) -> np.ndarray:
    return shapely.get_coordinates(gdf.geometry.values)


def _site_records(frame: pd.DataFrame, scored: bool) -> list[dict]:
    xy = _lonlat(frame)
    radius = power_radius_m(frame["power_mw"])
    records = []
    for i, (_, row) in enumerate(frame.iterrows()):
        indicative = row["evidence"] == "indicative"
        score = float(row["score"]) if scored else float("nan")
        rgb = score_color(score) if scored else list(EXCLUDED_RGBA[:3])
        alpha = 90 if indicative else 230
        if not scored:
            alpha = EXCLUDED_RGBA[3]
        lines = [_clean(row["name"])]
        if scored:
            lines.append(f"Rank {int(row['rank'])} · score {score:.1f}")
        else:
            lines.append(f"Filtered out: {_clean(row.get('excluded_reason'))}")
        lines.append(f"{_clean(row['region'])} · evidence: {row['evidence']}"
                     + (" (placeholder location)" if indicative else ""))
        lines.append(f"Power {format_value(row['power_mw'], CRITERIA_BY_KEY['power_mw'])} · "
                     f"area {format_value(row['area_ha'], CRITERIA_BY_KEY['area_ha'])}"
                     + (" (estimate)" if "area_ha" in (row.get("estimated_fields") or []) else ""))
        lines.append(f"400 kV: {row['dist_grid_400_km']:.0f} km ({_clean(row['nearest_grid_400_name'], 40)})")
        records.append({
            "site_id": str(row["site_id"]),
            "lon": float(xy[i, 0]), "lat": float(xy[i, 1]),
            "fill": [*rgb, alpha],
            "indicative": bool(indicative),
            "radius": float(radius[i]),
            "tooltip": "\n".join(lines),
        })
    return records


def build_deck(ranking: Ranking, inputs: SitingInputs, options: MapOptions | None = None,
               announced: pd.DataFrame | None = None) -> pdk.Deck:
    """Return the explorer's map.

    Parameters
    ----------
    ranking
        Result of :func:`siting.scoring.rank_sites` on the site set shown.
    inputs
        The validated layers (grid points, landings and regions are drawn from it).
    options
        Visible layers, basemap and selected site.
    announced
        Announced projects, prepared (with proximity columns); drawn when that layer is on.
    """
    options = options or MapOptions()
    base = BASEMAPS.get(options.basemap, BASEMAPS["none"])
    offline = base["map_provider"] is None
    layers: list[pdk.Layer] = []

    if "regions" in options.layers or offline:
        regions = inputs.regions[["region", "geometry"]]
        layers.append(pdk.Layer(
            "GeoJsonLayer", id="regions", data=regions.__geo_interface__,
            stroked=True, filled=offline, get_fill_color=list(REGION_FILL_OFFLINE_RGBA),
            get_line_color=list(REGION_LINE_RGBA), line_width_min_pixels=1, pickable=False,
        ))

    if "grid_points" in options.layers:
        grid = inputs.grid
        xy = _lonlat(grid)
        kv = grid["voltage_kv"].to_numpy(dtype=float)
        data = [{
            "lon": float(xy[i, 0]), "lat": float(xy[i, 1]),
            "fill": list(GRID_400_RGBA if kv[i] >= 400 else GRID_225_RGBA),
            "radius": 1800.0 if kv[i] >= 400 else 1200.0,
            "tooltip": f"{_clean(grid['name'].iat[i], 60)} substation · {grid['voltage_classes_kv'].iat[i]} kV\n"
                       f"{grid['kind'].iat[i]} · position ±{grid['position_precision_km'].iat[i]:g} km",
        } for i in range(len(grid))]
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="grid_points", data=data, get_position=["lon", "lat"],
            get_fill_color="fill", get_radius="radius", radius_min_pixels=1.5, radius_max_pixels=6,
            pickable=True,
        ))

    if "cable_landings" in options.layers:
        land = inputs.landings
        xy = _lonlat(land)
        data = []
        for i in range(len(land)):
            intl = bool(land["international"].iat[i])
            n = int(land["n_cables"].iat[i])
            data.append({
                "lon": float(xy[i, 0]), "lat": float(xy[i, 1]),
                "fill": list(LANDING_INTL_RGBA if intl else LANDING_DOMESTIC_RGBA),
                "radius": 3000.0 + 1500.0 * math.sqrt(n),
                "tooltip": f"{_clean(land['name'].iat[i], 60)} cable landing\n{n} cable(s), "
                           f"{int(land['n_international_cables'].iat[i])} international"
                           + ("" if intl else " (domestic island links only)"),
            })
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="cable_landings", data=data, get_position=["lon", "lat"],
            get_fill_color="fill", get_radius="radius", radius_min_pixels=3, radius_max_pixels=18,
            stroked=True, get_line_color=[255, 255, 255, 230], line_width_min_pixels=1, pickable=True,
        ))

    if "announced" in options.layers and announced is not None and len(announced):
        xy = _lonlat(announced)
        data = [{
            "site_id": str(announced["site_id"].iat[i]),
            "lon": float(xy[i, 0]), "lat": float(xy[i, 1]),
            "radius": float(power_radius_m(announced["power_mw"].iat[i])[0]),
            "tooltip": f"{_clean(announced['name'].iat[i])}\nAnnounced project (not one of the 35)\n"
                       f"Power {format_value(announced['power_mw'].iat[i], CRITERIA_BY_KEY['power_mw'])}",
        } for i in range(len(announced))]
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="announced", data=data, get_position=["lon", "lat"],
            get_fill_color=list(ANNOUNCED_RGBA), get_radius="radius", radius_min_pixels=3,
            radius_max_pixels=22, stroked=True, get_line_color=[255, 255, 255, 200], line_width_min_pixels=1,
            pickable=True,
        ))

    if "excluded_sites" in options.layers and len(ranking.excluded):
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="excluded_sites", data=_site_records(ranking.excluded, scored=False),
            get_position=["lon", "lat"], get_fill_color="fill", get_radius="radius",
            radius_min_pixels=3, radius_max_pixels=26, stroked=True,
            get_line_color=[90, 90, 90, 160], line_width_min_pixels=1, line_width_max_pixels=1,
            pickable=True,
        ))

    site_data = _site_records(ranking.table, scored=True)
    layers.append(pdk.Layer(
        "ScatterplotLayer", id="sites", data=site_data,
        get_position=["lon", "lat"], get_fill_color="fill", get_radius="radius",
        radius_min_pixels=6, radius_max_pixels=40, stroked=True, get_line_color=list(SITE_OUTLINE_RGBA),
        line_width_min_pixels=1, line_width_max_pixels=1, pickable=True, auto_highlight=True,
    ))
    rings = [d for d in site_data if d["indicative"]]
    if rings:
        # Indicative zones: a thick dashed-looking ring on top, so placeholders never pass for real plots.
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="indicative_rings", data=rings, get_position=["lon", "lat"],
            get_radius="radius", radius_min_pixels=6, radius_max_pixels=40, filled=False, stroked=True,
            get_line_color=list(INDICATIVE_RING_RGBA), line_width_min_pixels=3, line_width_max_pixels=3,
            pickable=False,
        ))

    selected = _selected_row(ranking, options.selected_site)
    if selected is not None:
        lines = _connection_lines(selected, inputs)
        if lines:
            layers.append(pdk.Layer(
                "LineLayer", id="connections", data=lines, get_source_position="from",
                get_target_position="to", get_color="color", get_width=3, pickable=True,
            ))
        lon, lat = selected.geometry.x, selected.geometry.y
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="selected",
            data=[{"lon": lon, "lat": lat, "tooltip": f"Selected: {_clean(selected['name'])}"}],
            get_position=["lon", "lat"], filled=False, stroked=True, get_line_color=list(SELECTED_RGBA),
            get_radius=9000, radius_min_pixels=12, line_width_min_pixels=3, pickable=False,
        ))

    deck_kwargs = {}
    if not offline:
        # Offline: leave map_style unset. pydeck then sends its "__MAP_STYLE__" sentinel, which
        # Streamlit reads as "no basemap"; an explicit None would make it pick a CARTO style.
        deck_kwargs["map_style"] = base["map_style"]
    if options.carto_key:
        deck_kwargs["api_keys"] = {"carto": options.carto_key}
    return pdk.Deck(
        layers=layers,
        initial_view_state=pdk.ViewState(**INITIAL_VIEW),
        map_provider=base["map_provider"],
        tooltip={"text": "{tooltip}", "style": {"fontSize": "12px", "maxWidth": "360px", "whiteSpace": "pre-line"}},
        **deck_kwargs,
    )


def _selected_row(ranking: Ranking, site_id: str | None):
    if not site_id:
        return None
    for frame in (ranking.table, ranking.excluded):
        match = frame[frame["site_id"] == site_id]
        if len(match):
            return match.iloc[0]
    return None


def _connection_lines(row, inputs: SitingInputs) -> list[dict]:
    lines = []
    site = [float(row.geometry.x), float(row.geometry.y)]
    targets = (
        (inputs.grid, "grid_point_id", row.get("nearest_grid_400_id"), LINE_GRID_RGBA,
         "dist_grid_400_km", "400 kV substation"),
        (inputs.landings, "landing_id", row.get("nearest_landing_id"), LINE_LANDING_RGBA,
         "dist_landing_km", "international cable landing"),
    )
    for layer, id_col, target_id, color, dist_col, what in targets:
        if not isinstance(target_id, str):
            continue
        match = layer[layer[id_col] == target_id]
        if not len(match):
            continue
        point = match.geometry.iloc[0]
        lines.append({
            "from": site, "to": [float(point.x), float(point.y)], "color": list(color),
            "tooltip": f"Nearest {what}: {_clean(match['name'].iloc[0], 60)}, {float(row[dist_col]):.0f} km "
                       "(straight line)",
        })
    return lines
