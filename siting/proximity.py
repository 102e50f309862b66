"""Distances from sites to grid and cable infrastructure, and latency estimates.

Straight-line distances are measured in Lambert-93 (EPSG:2154), never in degrees;
nearest-neighbour search uses shapely's STRtree, vectorised over all sites. Latency
uses great-circle distances (haversine) times a documented route factor.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting.schema import (
    CABLE_RADIUS_KM,
    FIBRE_KM_PER_MS,
    LATENCY_REFERENCES,
    LATENCY_ROUTE_FACTOR,
    METRIC_CRS,
    STORAGE_CRS,
)

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

PROXIMITY_COLUMNS: tuple[str, ...] = (
    "dist_grid_400_km",
    "nearest_grid_400_id",
    "nearest_grid_400_name",
    "dist_grid_225_km",
    "nearest_grid_225_id",
    "nearest_grid_225_name",
    "nearest_grid_225_kv",
    "dist_landing_km",
    "nearest_landing_id",
    "nearest_landing_name",
    "nearest_landing_intl_cables",
    "intl_cables_150km",
    "latency_paris_ms",
    "latency_frankfurt_ms",
    "latency_marseille_ms",
)


def metric_xy(gdf: gpd.GeoDataFrame) -> np.ndarray:
    """Return an (n, 2) array of Lambert-93 coordinates in metres for point features."""
    if gdf.crs is None:
        raise ValueError("layer has no CRS; expected EPSG:4326")
    projected = gdf.geometry.to_crs(METRIC_CRS)
    return shapely.get_coordinates(projected.values)


def nearest(site_xy: np.ndarray, target_xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Index of the nearest target and its distance in km, for every site (metric CRS input).

    Ties go to the lowest target index, so results are the same on every run.
    """
    if len(target_xy) == 0:
        return np.full(len(site_xy), -1), np.full(len(site_xy), np.nan)
    tree = shapely.STRtree(shapely.points(target_xy))
    (site_idx, target_idx), dist = tree.query_nearest(
        shapely.points(site_xy), return_distance=True, all_matches=True
    )
    # all_matches returns every tied target; keep the lowest index per site.
    order = np.lexsort((target_idx, site_idx))
    site_idx, target_idx, dist = site_idx[order], target_idx[order], dist[order]
    first = np.ones(len(site_idx), dtype=bool)
    first[1:] = site_idx[1:] != site_idx[:-1]
    out_idx = np.full(len(site_xy), -1)
    out_dist = np.full(len(site_xy), np.nan)
    out_idx[site_idx[first]] = target_idx[first]
    out_dist[site_idx[first]] = dist[first] / 1000.0
    return out_idx, out_dist


def great_circle_km(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Haversine distance in km on a sphere of the mean Earth radius (degrees in)."""
    lon1, lat1, lon2, lat2 = (np.radians(np.asarray(v, dtype=float)) for v in (lon1, lat1, lon2, lat2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0, 1)))


def latency_ms(distance_km, route_factor: float = LATENCY_ROUTE_FACTOR) -> np.ndarray:
    """Round-trip time in ms over fibre: distance × route factor / 200 km/ms, times two."""
    return 2.0 * np.asarray(distance_km, dtype=float) * route_factor / FIBRE_KM_PER_MS


def compute_proximity(
    sites: gpd.GeoDataFrame,
    grid: gpd.GeoDataFrame,
    landings: gpd.GeoDataFrame,
    route_factor: float = LATENCY_ROUTE_FACTOR,
) -> pd.DataFrame:
    """Proximity and latency columns for every site, aligned on ``sites.index``.

    Parameters
    ----------
    sites, grid, landings
        Point layers in EPSG:4326, as returned by :func:`siting.data.load_layer`.
    route_factor
        Fibre route length over great-circle distance for the latency estimates.

    Returns
    -------
    DataFrame with :data:`PROXIMITY_COLUMNS`: distances in km, latencies in ms.
    """
    for name, layer in (("sites", sites), ("grid", grid), ("landings", landings)):
        if layer.crs is None or not layer.crs.equals(STORAGE_CRS):
            raise ValueError(f"{name} must be in {STORAGE_CRS}, got {layer.crs}")
    out = pd.DataFrame(index=sites.index)
    site_xy = metric_xy(sites)
    grid_xy = metric_xy(grid)
    grid_kv = grid["voltage_kv"].to_numpy(dtype=float)

    for label, mask in (("400", grid_kv >= 400), ("225", grid_kv >= 225)):
        subset = np.flatnonzero(mask)
        idx, dist = nearest(site_xy, grid_xy[subset])
        found = idx >= 0
        rows = subset[np.where(found, idx, 0)]
        out[f"dist_grid_{label}_km"] = dist
        out[f"nearest_grid_{label}_id"] = np.where(found, grid["grid_point_id"].to_numpy()[rows], None)
        out[f"nearest_grid_{label}_name"] = np.where(found, grid["name"].to_numpy()[rows], None)
        if label == "225":
            out["nearest_grid_225_kv"] = np.where(found, grid_kv[rows], np.nan)

    intl = landings[landings["international"].astype(bool)]
    intl_xy = metric_xy(intl) if len(intl) else np.empty((0, 2))
    idx, dist = nearest(site_xy, intl_xy)
    found = idx >= 0
    rows = np.where(found, idx, 0)
    out["dist_landing_km"] = dist
    out["nearest_landing_id"] = np.where(found, intl["landing_id"].to_numpy()[rows] if len(intl) else None, None)
    out["nearest_landing_name"] = np.where(found, intl["name"].to_numpy()[rows] if len(intl) else None, None)
    cables = intl["n_international_cables"].to_numpy(dtype=float)
    out["nearest_landing_intl_cables"] = np.where(found, cables[rows] if len(intl) else np.nan, np.nan)
    out["intl_cables_150km"] = cables_within(site_xy, intl_xy, cables, CABLE_RADIUS_KM)

    coords = shapely.get_coordinates(sites.geometry.values)
    for name, (lon, lat) in LATENCY_REFERENCES.items():
        gc = great_circle_km(coords[:, 0], coords[:, 1], lon, lat)
        out[f"latency_{name}_ms"] = latency_ms(gc, route_factor)
    return out


def cables_within(site_xy: np.ndarray, target_xy: np.ndarray, counts: np.ndarray, radius_km: float) -> np.ndarray:
    """Sum of ``counts`` over targets within ``radius_km`` of each site (metric input)."""
    total = np.zeros(len(site_xy))
    if len(target_xy) == 0:
        return total
    tree = shapely.STRtree(shapely.points(target_xy))
    site_idx, target_idx = tree.query(
        shapely.points(site_xy), predicate="dwithin", distance=radius_km * 1000.0
    )
    np.add.at(total, site_idx, counts[target_idx])
    return total
