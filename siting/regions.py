"""The officials' view of candidate zones: per-region figures for a ranking.

Counts the Élysée map's official zones against the zones located in the data, and sums
the power and area of the sites a scenario keeps. No Streamlit here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from siting.schema import OFFICIAL_ZONES_BY_REGION, REGIONS
from siting.scoring import Ranking

SUMMARY_COLUMNS = ("region", "official_zones", "zones_in_data", "indicative_zones", "sites_shown",
                   "power_mw_shown", "power_known_sites", "area_ha_shown", "best_site", "best_site_id", "best_score",
                   "mean_score")


def summarise_regions(ranking: Ranking) -> pd.DataFrame:
    """One row per region of metropolitan France (all 13, zero where nothing is located).

    ``zones_in_data`` counts every site of the ranked set (kept or filtered out);
    ``sites_shown``, ``power_mw_shown`` (known figures only; ``power_known_sites`` says how many) and
    ``area_ha_shown`` count the kept ones; ``best_site`` is the top-ranked kept site of the region.
    """
    everything = pd.concat([ranking.table.drop(columns="geometry"), ranking.excluded.drop(columns="geometry")])
    kept = ranking.table
    rows = []
    for region in REGIONS:
        here = everything[everything["region"] == region]
        shown = kept[kept["region"] == region]
        best = shown.sort_values(["rank", "name"]).head(1)
        rows.append({
            "region": region,
            "official_zones": OFFICIAL_ZONES_BY_REGION.get(region, 0),
            "zones_in_data": len(here),
            "indicative_zones": int((here["evidence"] == "indicative").sum()),
            "sites_shown": len(shown),
            "power_mw_shown": float(shown["power_mw"].sum()),
            "power_known_sites": int(shown["power_mw"].notna().sum()),
            "area_ha_shown": float(shown["area_ha"].sum()),
            "best_site": best["name"].iloc[0] if len(best) else None,
            "best_site_id": best["site_id"].iloc[0] if len(best) else None,
            "best_score": float(best["score"].iloc[0]) if len(best) else np.nan,
            "mean_score": float(shown["score"].mean()) if len(shown) else np.nan,
        })
    return pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
