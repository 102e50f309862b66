"""The Regions tab's choropleth: the 13 regions coloured by a per-region figure of the ranking."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pydeck as pdk

from siting.mapview import INITIAL_VIEW, CompactDeck, StaticLayers, _clean, score_color

REGION_METRICS: dict[str, str] = {
    "best_score": "Best site's score",
    "mean_score": "Mean score of the sites shown",
    "power_mw_shown": "Announced power shown (MW)",
    "official_zones": "Official zones (Élysée map)",
}


def build_region_deck(summary: pd.DataFrame, static: StaticLayers, metric: str = "best_score") -> pdk.Deck:
    """Choropleth of the regions coloured by ``metric`` (scores on the score scale, others scaled to max)."""
    if metric not in REGION_METRICS:
        raise ValueError(f"unknown region metric {metric!r}")
    by_region = summary.set_index("region")
    values = by_region[metric].astype(float)
    top = float(values.max()) if values.notna().any() and values.max() > 0 else 1.0
    features = []
    for feature in static.regions["features"]:
        name = feature["properties"]["region"]
        value = values.get(name, np.nan)
        if value is None or not np.isfinite(value) or (metric != "best_score" and metric != "mean_score"
                                                       and value == 0):
            fill = [225, 225, 225, 200]
        elif metric in ("best_score", "mean_score"):
            fill = [*score_color(value), 220]
        else:
            fill = [*score_color(100.0 * value / top), 220]
        row = by_region.loc[name] if name in by_region.index else None
        lines = [_clean(name)]
        if row is not None:
            lines.append(f"{int(row['official_zones'])} official zones · {int(row['zones_in_data'])} located · "
                         f"{int(row['sites_shown'])} shown")
            if isinstance(row["best_site"], str):
                lines.append(f"Best: {_clean(row['best_site'], 60)} ({row['best_score']:.1f})")
            lines.append(f"{row['power_mw_shown']:,.0f} MW · {row['area_ha_shown']:,.0f} ha shown")
        features.append({"type": "Feature", "geometry": feature["geometry"],
                         "properties": {"fill": fill, "tooltip": "\n".join(lines)}})
    layer = pdk.Layer(
        "GeoJsonLayer", id="region_choropleth", data={"type": "FeatureCollection", "features": features},
        stroked=True, filled=True, get_fill_color="properties.fill", get_line_color=[255, 255, 255, 255],
        line_width_min_pixels=1, pickable=True, auto_highlight=True,
    )
    return CompactDeck(
        layers=[layer], initial_view_state=pdk.ViewState(**{**INITIAL_VIEW, "zoom": 4.4}), map_provider=None,
        tooltip={"text": "{tooltip}", "style": {"fontSize": "12px", "whiteSpace": "pre-line"}},
    )
