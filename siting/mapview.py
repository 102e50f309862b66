"""Build the pydeck map from a ranking and the infrastructure layers; return it, draw nothing.

Layer ids are fixed (tests and the app's selection handling rely on them). Tooltips are
plain text assembled here from the data and shown through deck.gl's text tooltip, which
never interprets HTML.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
import tempfile
import tomllib
from dataclasses import dataclass, field
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from pydeck.bindings.json_tools import default_serialize

from siting.data import SitingInputs
from siting.scenario import BASEMAPS, DEFAULT_LAYERS, LAYER_TOGGLES  # noqa: F401  (re-exported for the app)
from siting.schema import CRITERIA_BY_KEY, SCORE_STOPS
from siting.scoring import Ranking, ScoringError, format_value, site_row
from siting.text import clean

LAYER_IDS = ("regions", "surface", "grid_points", "power_plants", "cable_landings", "announced", "excluded_sites",
             "sites", "site_hits",
             "indicative_rings", "uploaded_rings", "connections", "selected")
SELECTABLE_LAYERS = ("site_hits", "sites", "excluded_sites")
HIT_RADIUS_PX = 7
"""A click within this many pixels of a site's centre picks that site, whatever circle covers the point."""


class Palette(dict):
    """The map's named colours, name → (red, green, blue, alpha); an unknown name says where to add it."""

    def __init__(self, colours: dict[str, tuple[int, int, int, int]], source: str) -> None:
        super().__init__(colours)
        self.source = source

    def __missing__(self, name: str):
        raise KeyError(f"no colour {name!r} in {self.source}")


def load_palette(path: Path | Traversable) -> Palette:
    """Read a palette file: a TOML table ``[rgba]`` of name = [red, green, blue, alpha], each 0 to 255.

    Raises
    ------
    ValueError
        The file has no ``[rgba]`` table, or colours are not four whole numbers from 0 to 255 (all named).
    """
    table = tomllib.loads(path.read_text(encoding="utf-8")).get("rgba")
    if not isinstance(table, dict) or not table:
        raise ValueError(f"{path}: no [rgba] table of colours")
    bad = [f"colour {name!r} must be [red, green, blue, alpha], four whole numbers from 0 to 255, not {value!r}"
           for name, value in table.items()
           if not (isinstance(value, list) and len(value) == 4
                   and all(type(c) is int and 0 <= c <= 255 for c in value))]
    if bad:  # every bad colour at once
        raise ValueError(f"{path}: {len(bad)} bad colour(s): " + "; ".join(bad))
    return Palette({name: tuple(value) for name, value in table.items()}, str(path))


PALETTE_FILE = files("siting").joinpath("palette.toml")
PALETTE = load_palette(PALETTE_FILE)
"""Every named colour the map draws with (``siting/palette.toml``, one comment a colour on what it draws)."""

# Offline base: neighbouring regions get different light tones instead of outlines. Outlines are
# drawn by deck.gl's path shader, which costs ~0.3 s per frame in software WebGL (no GPU); filled
# polygons cost a fifth of that (benchmarks/RESULTS.md).
REGION_TONES_OFFLINE = ((234, 234, 222), (216, 224, 210), (244, 234, 216), (220, 230, 236), (232, 222, 232))
INITIAL_VIEW = {"longitude": 2.5, "latitude": 46.5, "zoom": 4.45}
"""All of mainland France and Corsica in the map column (about 560 px square at 1440 px wide)."""

@dataclass(frozen=True)
class MapOptions:
    """What to draw: visible layers, basemap and the selected site."""

    layers: tuple[str, ...] = DEFAULT_LAYERS
    basemap: str = "none"
    selected_site: str | None = None
    carto_key: str | None = None
    height: int = 620


def score_color(score: float) -> list[int]:
    """RGB colour of a score on :data:`SCORE_STOPS` (linear between stops)."""
    if score is None or not math.isfinite(score):
        return list(PALETTE["excluded"][:3])
    s = min(max(float(score), 0.0), 100.0)
    for (s0, c0), (s1, c1) in zip(SCORE_STOPS, SCORE_STOPS[1:]):
        if s <= s1:
            t = 0 if s1 == s0 else (s - s0) / (s1 - s0)
            return [round(a + (b - a) * t) for a, b in zip(c0, c1)]
    return list(SCORE_STOPS[-1][1])


def legend_items() -> list[tuple[str, tuple[int, int, int]]]:
    """Score legend: (label, colour) pairs for the app to draw."""
    return [(f"{int(s)}", c) for s, c in SCORE_STOPS]


UNKNOWN_POWER_RADIUS_M = 7000.0
"""Sites of unknown power get the size of a ~10 MW site: a placeholder must not cover a real campus."""


def power_radius_m(power_mw) -> np.ndarray:
    """Marker radius in metres: grows with √power; unknown power gets a middle size."""
    p = pd.to_numeric(pd.Series(power_mw), errors="coerce").to_numpy(dtype="float64")
    return np.where(np.isnan(p), UNKNOWN_POWER_RADIUS_M, 4000.0 + 900.0 * np.sqrt(np.clip(p, 0, None)))


def _clean(text, limit: int = 120) -> str:
    """Plain, single-line, bounded text for tooltips (unsafe characters blanked, see :mod:`siting.text`)."""
    if text is None or (isinstance(text, float) and math.isnan(text)) or text is pd.NA:
        return "unknown"
    return clean(text, limit)


def _lonlat(gdf) -> np.ndarray:
    return shapely.get_coordinates(gdf.geometry.values)


def _site_records(frame: pd.DataFrame, scored: bool) -> list[dict]:
    xy = _lonlat(frame)
    radius = power_radius_m(frame["power_mw"])
    power_c, area_c = CRITERIA_BY_KEY["power_mw"], CRITERIA_BY_KEY["area_ha"]
    columns = [frame[c] for c in ("site_id", "name", "region", "evidence", "power_mw", "area_ha",
                                  "estimated_fields", "dist_grid_400_km", "nearest_grid_400_name")]
    scores = frame["score"].to_numpy(float) if scored else np.full(len(frame), np.nan)
    ranks = frame["rank"].to_numpy() if scored else np.zeros(len(frame), dtype=int)
    reasons = frame["excluded_reason"].to_numpy() if not scored else [""] * len(frame)
    records = []
    for i, (site_id, name, region, evidence, power, area, estimated, dist, grid_name) in enumerate(zip(*columns)):
        indicative = evidence == "indicative"
        if scored:
            rgb, alpha = score_color(scores[i]), (90 if indicative else 230)
            status = f"Rank {int(ranks[i])} · score {scores[i]:.1f}"
        else:
            rgb, alpha = list(PALETTE["excluded"][:3]), PALETTE["excluded"][3]
            status = f"Filtered out: {_clean(reasons[i])}"
        estimate = " (estimate)" if isinstance(estimated, list) and "area_ha" in estimated else ""
        records.append({
            "site_id": str(site_id),
            "lon": float(xy[i, 0]), "lat": float(xy[i, 1]),
            "fill": [*rgb, alpha],
            "indicative": bool(indicative),
            "radius": float(radius[i]),
            "tooltip": "\n".join([
                _clean(name), status,
                f"{_clean(region)} · evidence: {evidence}" + (" (placeholder location)" if indicative else ""),
                f"Power {format_value(power, power_c)} · area {format_value(area, area_c)}{estimate}",
                f"400 kV: {dist:.0f} km ({_clean(grid_name, 40)})",
            ]),
        })
    return records


class CompactDeck(pdk.Deck):
    """A Deck whose JSON is compact: pydeck indents it, which makes every rerun's payload ~4× larger."""

    def to_json(self) -> str:
        """Serialise without indentation (Streamlit sends this string to the browser)."""
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"))


@dataclass(frozen=True)
class StaticLayers:
    """Map data that does not depend on the scenario: built once per data set, reused every rerun.

    ``urls`` maps a layer id to the address of a published copy of its data (see
    :func:`publish_static_layers`); such layers are sent as that address instead of inline data.
    """

    regions: dict
    grid: list
    landings: list
    announced: list
    plants: list = field(default_factory=list)
    urls: dict[str, str] = field(default_factory=dict)

    def records(self, layer_id: str):
        """Return the layer's records (a GeoJSON dict for the regions)."""
        return {"regions": self.regions, "grid_points": self.grid, "cable_landings": self.landings,
                "announced": self.announced, "power_plants": self.plants}[layer_id]

    def data(self, layer_id: str):
        """Return the layer's data as the deck gets it: its published address, or the records inline."""
        return self.urls.get(layer_id) or self.records(layer_id)

    def inline(self) -> StaticLayers:
        """Return the same layers with their records inline (no addresses)."""
        return dataclasses.replace(self, urls={})


STATIC_LAYER_IDS = ("regions", "grid_points", "cable_landings", "announced", "power_plants")


def static_layer_files(static: StaticLayers) -> dict[str, tuple[str, bytes]]:
    """Return ``{layer id: (file name, compact JSON bytes)}``; names carry a hash of the content."""
    files = {}
    for layer_id in STATIC_LAYER_IDS:
        payload = json.dumps(static.records(layer_id), sort_keys=True, separators=(",", ":"),
                             ensure_ascii=False).encode("utf-8")
        files[layer_id] = (f"{layer_id}-{hashlib.sha256(payload).hexdigest()[:16]}.json", payload)
    return files


def publish_static_layers(static: StaticLayers, directory: Path, url_prefix: str) -> StaticLayers:
    """Write the scenario-independent layers as JSON files; return ``static`` pointing at them.

    Why: the deck is re-sent on every rerun, and deck.gl rebuilds a layer whose inline data is a new
    object, even when identical; a layer whose data is the same address is neither re-fetched nor
    rebuilt, so a weight change only redraws the sites. Files are named by content hash and written
    atomically, so replicas sharing the folder and older pages never read a half-written or changed
    file. Raises OSError when the folder cannot be written (the caller keeps the inline data).
    """
    directory.mkdir(parents=True, exist_ok=True)
    urls = {}
    for layer_id, (name, payload) in static_layer_files(static).items():
        target = directory / name
        if not target.exists():
            fd, tmp = tempfile.mkstemp(dir=directory, prefix=".tmp-", suffix=".json")
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(payload)
                os.replace(tmp, target)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        urls[layer_id] = f"{url_prefix.rstrip('/')}/{name}"
    return dataclasses.replace(static, urls=urls)


def _colour_regions(geoms) -> list[int]:
    """Give each polygon a tone index that differs from every touching polygon's (greedy, largest first)."""
    n = len(geoms)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    neighbours = [set() for _ in range(n)]
    for a, b in zip(left, right):
        if a != b:
            neighbours[a].add(int(b))
    tones = [-1] * n
    for i in sorted(range(n), key=lambda k: (-len(neighbours[k]), k)):
        used = {tones[j] for j in neighbours[i]}
        free = [t for t in range(len(REGION_TONES_OFFLINE)) if t not in used]
        tones[i] = free[0] if free else 0  # never happens for France's 13 regions (tested)
    return tones


def build_static_layers(inputs: SitingInputs, announced: pd.DataFrame | None = None) -> StaticLayers:
    """Build the records of the regions, grid, landings and announced-project layers."""
    regions = inputs.regions[["region", "geometry"]].copy()
    # Display only: a coarser coverage-preserving simplification (~1 km) keeps the payload small.
    regions["geometry"] = shapely.coverage_simplify(regions.geometry.values, 0.01)
    regions["tone"] = [list(REGION_TONES_OFFLINE[i]) for i in _colour_regions(regions.geometry.values)]
    regions_geojson = json.loads(regions.to_json(drop_id=True, to_wgs84=False))

    grid = inputs.grid
    xy = np.round(_lonlat(grid), 4)
    kv = grid["voltage_kv"].to_numpy(dtype=float)
    status = grid["status"].to_numpy() if "status" in grid.columns else np.full(len(grid), "in service")
    grid_records = []
    for i, (name, code, precision) in enumerate(zip(grid["name"], grid["rte_code"], grid["position_precision_km"])):
        planned = status[i] == "planned"
        grid_records.append({
            "lon": float(xy[i, 0]), "lat": float(xy[i, 1]),
            "fill": list(PALETTE["grid_planned" if planned else "grid_400" if kv[i] >= 400 else "grid_225"]),
            "radius": 1800.0 if kv[i] >= 400 else 1200.0,
            "tooltip": f"{_clean(name, 60)} ({_clean(code, 12)}) · RTE substation, {int(kv[i])} kV\n"
                       + ("Planned: approved, not built (not counted in distances)" if planned else "In service")
                       + f" · position ±{precision:g} km",
        })

    plant_records = []
    plants = inputs.plants
    xy = np.round(_lonlat(plants), 4)
    for i, (name, fuel, state, units, mw, closed, date) in enumerate(zip(
            plants["name"], plants["fuel"], plants["status"], plants["units_text"],
            plants["capacity_mw"], plants["closed_year"], plants["status_date"])):
        nuclear = fuel == "nuclear"
        group = "plant_hydro" if str(fuel).startswith("hydro") \
            else "plant_fossil" if fuel in ("gas", "coal", "oil") else "plant_other"
        colour = PALETTE["nuclear" if nuclear and state == "operating" else "plant_closed" if state == "closed"
                         else group]
        if state == "operating":
            detail = f"{_clean(units, 60)} = {float(mw):,.0f} MW"
        else:
            detail = "closed" + (f" in {int(closed)}" if pd.notna(closed) else "")
        plant_records.append({
            "lon": float(xy[i, 0]), "lat": float(xy[i, 1]), "fill": list(colour),
            "radius": 2500.0 + 60.0 * math.sqrt(float(mw)) * (2.5 if nuclear else 1.0),
            "tooltip": f"{_clean(name, 60)} · {fuel} power plant\n{detail} · status {_clean(date, 40)}",
        })

    land = inputs.landings
    xy = _lonlat(land)
    landing_records = []
    for i, (name, n, n_intl, intl) in enumerate(zip(
            land["name"], land["n_cables"], land["n_international_cables"], land["international"])):
        landing_records.append({
            "lon": float(xy[i, 0]), "lat": float(xy[i, 1]),
            "fill": list(PALETTE["landing_intl" if intl else "landing_domestic"]),
            "radius": 3000.0 + 1500.0 * math.sqrt(int(n)),
            "tooltip": f"{_clean(name, 60)} cable landing\n{int(n)} cable(s), {int(n_intl)} international"
                       + ("" if intl else " (domestic island links only)"),
        })

    announced_records = []
    if announced is not None and len(announced):
        xy = _lonlat(announced)
        radius = power_radius_m(announced["power_mw"])
        for i, (site_id, name, power) in enumerate(zip(announced["site_id"], announced["name"],
                                                       announced["power_mw"])):
            announced_records.append({
                "site_id": str(site_id), "lon": float(xy[i, 0]), "lat": float(xy[i, 1]),
                "radius": float(radius[i]),
                "tooltip": f"{_clean(name)}\nAnnounced project (not one of the 35)\n"
                           f"Power {format_value(power, CRITERIA_BY_KEY['power_mw'])}",
            })
    return StaticLayers(regions_geojson, grid_records, landing_records, announced_records, plant_records)


def build_deck(ranking: Ranking, inputs: SitingInputs, options: MapOptions | None = None,
               announced: pd.DataFrame | None = None, static: StaticLayers | None = None,
               surface: list[dict] | None = None) -> pdk.Deck:
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
    static
        Pre-built scenario-independent layer data (:func:`build_static_layers`); built here if omitted.
    surface
        Records of the national screening surface (``{"h3", "score", "color", "tooltip"}``, see
        :func:`siting.surface.deck_records`), drawn as an H3 hexagon layer when ``surface`` is on.
    """
    options = options or MapOptions()
    static = static or build_static_layers(inputs, announced)
    base = BASEMAPS.get(options.basemap, BASEMAPS["none"])
    offline = base["map_provider"] is None
    layers: list[pdk.Layer] = []

    if offline:  # the base map: regions in alternating tones (no outline: see REGION_TONES_OFFLINE)
        layers.append(pdk.Layer(
            "GeoJsonLayer", id="regions", data=static.data("regions"), stroked=False, filled=True,
            get_fill_color="properties.tone", pickable=False,
        ))
    elif "regions" in options.layers:
        layers.append(pdk.Layer(
            "GeoJsonLayer", id="regions", data=static.data("regions"), stroked=True, filled=False,
            get_line_color=list(PALETTE["region_line"]), line_width_min_pixels=1, pickable=False,
        ))

    if "surface" in options.layers and surface:
        layers.append(pdk.Layer(
            "H3HexagonLayer", id="surface", data=surface, get_hexagon="h3", get_fill_color="color",
            stroked=False, extruded=False, filled=True, opacity=0.45, pickable=True,
        ))

    if "grid_points" in options.layers:
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="grid_points", data=static.data("grid_points"), get_position=["lon", "lat"],
            get_fill_color="fill", get_radius="radius", radius_min_pixels=1.5, radius_max_pixels=6,
            pickable=True,
        ))

    if "power_plants" in options.layers and static.plants:
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="power_plants", data=static.data("power_plants"), get_position=["lon", "lat"],
            get_fill_color="fill", get_radius="radius", radius_min_pixels=2, radius_max_pixels=14,
            stroked=True, get_line_color=[60, 60, 60, 200], line_width_min_pixels=1, pickable=True,
        ))

    if "cable_landings" in options.layers:
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="cable_landings", data=static.data("cable_landings"), get_position=["lon", "lat"],
            get_fill_color="fill", get_radius="radius", radius_min_pixels=3, radius_max_pixels=18,
            stroked=True, get_line_color=[255, 255, 255, 230], line_width_min_pixels=1, pickable=True,
        ))

    if "announced" in options.layers and static.announced:
        layers.append(pdk.Layer(
            "ScatterplotLayer", id="announced", data=static.data("announced"), get_position=["lon", "lat"],
            get_fill_color=list(PALETTE["announced"]), get_radius="radius", radius_min_pixels=3,
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

    # drawn best last: where circles overlap, the better-ranked site is on top and takes the click
    site_data = _site_records(ranking.table, scored=True)[::-1]
    layers.append(pdk.Layer(
        "ScatterplotLayer", id="sites", data=site_data,
        get_position=["lon", "lat"], get_fill_color="fill", get_radius="radius",
        radius_min_pixels=6, radius_max_pixels=40, stroked=True, get_line_color=list(PALETTE["site_outline"]),
        line_width_min_pixels=1, line_width_max_pixels=1, pickable=True, auto_highlight=True,
    ))
    # Hit targets: a small, almost invisible disc at each centre, above the circles. Circles are sized
    # by power and overlap at national zoom; a click near a site's centre picks that site, not the
    # bigger neighbour whose circle covers the point (the better-ranked one on a tie).
    layers.append(pdk.Layer(
        "ScatterplotLayer", id="site_hits", data=site_data, get_position=["lon", "lat"],
        get_fill_color=[0, 0, 0, 1], get_radius=1, radius_min_pixels=HIT_RADIUS_PX, radius_max_pixels=HIT_RADIUS_PX,
        pickable=True,
    ))
    # Rings on top: placeholders never pass for real plots, and uploaded sites stand apart.
    uploaded = list(ranking.table["uploaded"])[::-1] if "uploaded" in ranking.table.columns \
        else [False] * len(site_data)
    for layer_id, ring_data, color, min_px, max_px in (
        ("indicative_rings", [d for d in site_data if d["indicative"]], PALETTE["indicative_ring"], 6, 40),
        ("uploaded_rings", [d for d, up in zip(site_data, uploaded) if up is True], PALETTE["uploaded_ring"], 8, 42),
    ):
        if ring_data:
            layers.append(pdk.Layer(
                "ScatterplotLayer", id=layer_id, data=ring_data, get_position=["lon", "lat"],
                get_radius="radius", radius_min_pixels=min_px, radius_max_pixels=max_px, filled=False,
                stroked=True, get_line_color=list(color), line_width_min_pixels=3, line_width_max_pixels=3,
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
            get_position=["lon", "lat"], filled=False, stroked=True, get_line_color=list(PALETTE["selected"]),
            get_radius=9000, radius_min_pixels=12, line_width_min_pixels=3, pickable=False,
        ))

    deck_kwargs = {}
    if not offline:
        # Offline: leave map_style unset. pydeck then sends its "__MAP_STYLE__" sentinel, which
        # Streamlit reads as "no basemap"; an explicit None would make it pick a CARTO style.
        deck_kwargs["map_style"] = base["map_style"]
    if options.carto_key:
        deck_kwargs["api_keys"] = {"carto": options.carto_key}
    return CompactDeck(
        layers=layers,
        initial_view_state=pdk.ViewState(**INITIAL_VIEW),
        # the mouse wheel scrolls the page, not the map (zoom: double-click, pinch or shift-drag)
        views=[pdk.View(type="MapView", controller={"scrollZoom": False, "doubleClickZoom": True,
                                                    "touchZoom": True, "dragPan": True, "keyboard": True})],
        map_provider=base["map_provider"],
        tooltip={"text": "{tooltip}", "style": {"fontSize": "12px", "maxWidth": "360px", "whiteSpace": "pre-line"}},
        **deck_kwargs,
    )


def _selected_row(ranking: Ranking, site_id: str | None):
    if not site_id:
        return None
    try:
        return site_row(ranking, site_id)
    except ScoringError:
        return None


def _connection_lines(row, inputs: SitingInputs) -> list[dict]:
    lines = []
    site = [float(row.geometry.x), float(row.geometry.y)]
    targets = (
        (inputs.grid, "grid_point_id", row.get("nearest_grid_400_id"), PALETTE["line_grid"],
         "dist_grid_400_km", "400 kV substation"),
        (inputs.landings, "landing_id", row.get("nearest_landing_id"), PALETTE["line_landing"],
         "dist_landing_km", "international cable landing"),
        (inputs.plants, "plant_id", row.get("nearest_nuclear_id"), PALETTE["line_nuclear"],
         "dist_nuclear_km", "nuclear power plant"),
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
