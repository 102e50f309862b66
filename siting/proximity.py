"""Distances from sites to grid, power plants, cables and people, and latency estimates.

Straight-line distances are measured in Lambert-93 (EPSG:2154), never in degrees;
nearest-neighbour search uses shapely's STRtree, vectorised over all sites. Latency
uses great-circle distances (haversine) times a documented route factor. Population within
a radius sums the communes whose centroid lies within it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from siting.schema import (
    CABLE_RADIUS_KM,
    FIBRE_KM_PER_MS,
    LARGE_TOWN_POPULATION,
    LATENCY_REFERENCES,
    LATENCY_ROUTE_FACTOR,
    METRIC_CRS,
    POPULATION_RADIUS_KM,
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
    "dist_planned_grid_km",
    "nearest_planned_grid_name",
    "nearest_planned_grid_kv",
    "dist_nuclear_km",
    "nearest_nuclear_id",
    "nearest_nuclear_name",
    "nearest_nuclear_units",
    "nearest_nuclear_mw",
    "population_50km",
    "dist_large_town_km",
    "nearest_large_town_name",
    "nearest_large_town_population",
    "dist_landing_km",
    "nearest_landing_id",
    "nearest_landing_name",
    "nearest_landing_intl_cables",
    "intl_cables_150km",
    "latency_paris_ms",
    "latency_frankfurt_ms",
    "latency_marseille_ms",
)


@dataclass(eq=False)
class Infrastructure:
    """The layers distances are measured to, with their Lambert-93 coordinates computed once.

    ``grid`` may carry a ``status`` column: only substations ``in service`` count in the grid
    distances; ``planned`` ones are reported apart. ``plants`` count when ``fuel`` is ``nuclear``
    and ``status`` is ``operating``. ``communes`` are points with a ``population``.
    """

    grid: gpd.GeoDataFrame
    landings: gpd.GeoDataFrame
    plants: gpd.GeoDataFrame
    communes: gpd.GeoDataFrame

    @classmethod
    def of(cls, inputs) -> Infrastructure:
        """From anything holding the four layers as attributes (e.g. :class:`siting.data.SitingInputs`)."""
        return cls(inputs.grid, inputs.landings, inputs.plants, inputs.communes)

    def __post_init__(self) -> None:
        for name in ("grid", "landings", "plants", "communes"):
            layer = getattr(self, name)
            if layer.crs is None or not layer.crs.equals(STORAGE_CRS):
                raise ValueError(f"{name} must be in {STORAGE_CRS}, got {layer.crs}")

    @cached_property
    def grid_xy(self) -> np.ndarray:
        """Lambert-93 coordinates of the substations (m)."""
        return metric_xy(self.grid)

    @cached_property
    def in_service(self) -> np.ndarray:
        """Mask of the substations in service (all, when the layer has no status)."""
        if "status" not in self.grid.columns:
            return np.ones(len(self.grid), dtype=bool)
        return (self.grid["status"] == "in service").to_numpy()

    @cached_property
    def nuclear(self) -> gpd.GeoDataFrame:
        """The operating nuclear plants."""
        p = self.plants
        return p[(p["fuel"] == "nuclear") & (p["status"] == "operating")]

    @cached_property
    def nuclear_xy(self) -> np.ndarray:
        """Lambert-93 coordinates of the operating nuclear plants (m)."""
        return metric_xy(self.nuclear) if len(self.nuclear) else np.empty((0, 2))

    @cached_property
    def communes_xy(self) -> np.ndarray:
        """Lambert-93 coordinates of the commune centroids (m)."""
        return metric_xy(self.communes) if len(self.communes) else np.empty((0, 2))

    @cached_property
    def population(self) -> np.ndarray:
        """Population of each commune."""
        return self.communes["population"].to_numpy(dtype=float)

    @cached_property
    def towns(self) -> np.ndarray:
        """Indexes of the communes of at least :data:`LARGE_TOWN_POPULATION` people."""
        return np.flatnonzero(self.population >= LARGE_TOWN_POPULATION)


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
    infra: Infrastructure,
    route_factor: float = LATENCY_ROUTE_FACTOR,
) -> pd.DataFrame:
    """Proximity, population and latency columns for every site, aligned on ``sites.index``.

    Parameters
    ----------
    sites
        Point layer in EPSG:4326, as returned by :func:`siting.data.load_layer`.
    infra
        Grid, landings, power plants and communes (see :class:`Infrastructure`).
    route_factor
        Fibre route length over great-circle distance for the latency estimates.

    Returns
    -------
    DataFrame with :data:`PROXIMITY_COLUMNS`: distances in km, latencies in ms, people.
    """
    if sites.crs is None or not sites.crs.equals(STORAGE_CRS):
        raise ValueError(f"sites must be in {STORAGE_CRS}, got {sites.crs}")
    grid = infra.grid
    out = pd.DataFrame(index=sites.index)
    site_xy = metric_xy(sites)
    grid_kv = grid["voltage_kv"].to_numpy(dtype=float)

    def nearest_of(mask: np.ndarray, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        subset = np.flatnonzero(mask)
        idx, dist = nearest(site_xy, xy[subset])
        found = idx >= 0
        return subset[np.where(found, idx, 0)] if len(subset) else np.zeros(len(site_xy), int), dist, found

    for label, mask in (("400", (grid_kv >= 400) & infra.in_service), ("225", (grid_kv >= 225) & infra.in_service)):
        rows, dist, found = nearest_of(mask, infra.grid_xy)
        out[f"dist_grid_{label}_km"] = dist
        out[f"nearest_grid_{label}_id"] = np.where(found, grid["grid_point_id"].to_numpy()[rows], None)
        out[f"nearest_grid_{label}_name"] = np.where(found, grid["name"].to_numpy()[rows], None)
        if label == "225":
            out["nearest_grid_225_kv"] = np.where(found, grid_kv[rows], np.nan)
    rows, dist, found = nearest_of(~infra.in_service, infra.grid_xy)
    out["dist_planned_grid_km"] = dist
    out["nearest_planned_grid_name"] = np.where(found, grid["name"].to_numpy()[rows], None)
    out["nearest_planned_grid_kv"] = np.where(found, grid_kv[rows], np.nan)

    nuclear = infra.nuclear
    idx, dist = nearest(site_xy, infra.nuclear_xy)
    found = idx >= 0
    rows = np.where(found, idx, 0)
    out["dist_nuclear_km"] = dist
    for column, field in (("nearest_nuclear_id", "plant_id"), ("nearest_nuclear_name", "name"),
                          ("nearest_nuclear_units", "units_text")):
        out[column] = np.where(found, nuclear[field].to_numpy()[rows], None) if len(nuclear) else None
    out["nearest_nuclear_mw"] = (np.where(found, nuclear["capacity_mw"].to_numpy(dtype=float)[rows], np.nan)
                                 if len(nuclear) else np.nan)

    out["population_50km"] = sum_within(site_xy, infra.communes_xy, infra.population, POPULATION_RADIUS_KM) \
        if len(infra.communes) else np.nan
    towns = infra.towns
    idx, dist = nearest(site_xy, infra.communes_xy[towns])
    found = idx >= 0
    rows = towns[np.where(found, idx, 0)] if len(towns) else np.zeros(len(site_xy), int)
    out["dist_large_town_km"] = dist
    out["nearest_large_town_name"] = np.where(found, infra.communes["name"].to_numpy()[rows], None) \
        if len(towns) else None
    out["nearest_large_town_population"] = np.where(found, infra.population[rows], np.nan) if len(towns) else np.nan

    landings = infra.landings
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
    out["intl_cables_150km"] = sum_within(site_xy, intl_xy, cables, CABLE_RADIUS_KM)

    coords = shapely.get_coordinates(sites.geometry.values)
    for name, (lon, lat) in LATENCY_REFERENCES.items():
        gc = great_circle_km(coords[:, 0], coords[:, 1], lon, lat)
        out[f"latency_{name}_ms"] = latency_ms(gc, route_factor)
    return out[list(PROXIMITY_COLUMNS)]


def sum_within(site_xy: np.ndarray, target_xy: np.ndarray, counts: np.ndarray, radius_km: float) -> np.ndarray:
    """Sum of ``counts`` over targets within ``radius_km`` of each site (metric input).

    Cables within 150 km, and people within 50 km (``counts`` = commune populations).
    """
    total = np.zeros(len(site_xy))
    if len(target_xy) == 0:
        return total
    tree = shapely.STRtree(shapely.points(target_xy))
    site_idx, target_idx = tree.query(
        shapely.points(site_xy), predicate="dwithin", distance=radius_km * 1000.0
    )
    np.add.at(total, site_idx, counts[target_idx])
    return total
