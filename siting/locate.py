"""Locate new zones (the best places on the screening surface, spaced apart) and rank the known ones.

:func:`locate_zones` returns site-like rows; :func:`zone_percentiles` says where each known zone
stands on the surface ("top 5 % of France").

A *zone* is a seed cell with the ring of cells around it: the smallest hexagonal disk of
``1 + 3k(k+1)`` cells whose area reaches the requested minimum (one cell when no minimum is given,
or when one cell is already large enough). Its score is the mean score of its cells, and it counts
only when every cell of the disk is scored (inside the outline, not a dense urban core).

Zones are picked greedily, best first: after each pick, every seed closer than the minimum
spacing (straight Lambert-93 distance between cell centres) and every zone sharing a cell with a
picked one is dropped; with ``avoid_km`` the seeds within that distance of a known site are dropped
beforehand. The facts reported for each zone (nearest substations, landing, nuclear site, people
within 50 km, latencies) are recomputed exactly at the seed cell's centre by
:func:`siting.proximity.compute_proximity`, the same code as for the candidate sites; the score is
the surface's. :func:`zones_as_sites` turns zones into rows of the site schema, marked *located by
the model, not an announced site*, so that they can be ranked, compared and put in a dossier with
the 35 zones.
"""

from __future__ import annotations

import math

import geopandas as gpd
import h3
import numpy as np
import pandas as pd
import shapely

from siting.proximity import Infrastructure, compute_proximity
from siting.schema import GROUPS, REGION_CODES, SITE_FIELDS, STORAGE_CRS, Criterion
from siting.scoring import raw_matrix, utility_matrix, wsm_scores
from siting.surface import (
    LOCATION_COLUMNS,
    LOCATION_CRITERIA,
    SURFACE_CAVEAT,
    Surface,
    SurfaceError,
    cell_radius_km,
    location_weights,
    to_metric,
)
from siting.validate import typed_frame

DEFAULT_TOP = 10
MAX_TOP = 1000
DEFAULT_SPACING_KM = 30.0
MAX_DISK_CELLS = 30_000_000
"""Cap on cells × disk size when zones are clusters (memory); beyond it, ask for a coarser resolution."""

LOCATED_EVIDENCE = "indicative"
LOCATED_STATUS = "located by the model, not an announced site"
LOCATED_SOURCES: tuple[str, ...] = (
    "https://odre.opendatasoft.com/explore/dataset/postes-electriques-rte/",
    "https://doi.org/10.5281/zenodo.3574566",
    "https://www.submarinecablemap.com/",
    "https://www.insee.fr/fr/information/2008354",
    "https://geoservices.ign.fr/adminexpress",
    "https://h3geo.org/",
)
"""The data a located zone rests on: RTE substations, JRC plants, TeleGeography landings, INSEE
populations, IGN outline and centroids, and the H3 grid."""

LOCATE_COLUMNS: tuple[str, ...] = (
    "rank", "h3", "lat", "lon", "score", "region", "commune",
    "nearest_grid_400_name", "dist_grid_400_km", "nearest_grid_225_name", "dist_grid_225_km",
    "nearest_nuclear_name", "dist_nuclear_km", "nearest_landing_name", "dist_landing_km", "intl_cables_150km",
    "population_50km", "latency_paris_ms", "latency_frankfurt_ms", "latency_marseille_ms",
    "department", "code_insee", "cells", "area_km2", "nearest_site_id", "nearest_site_name", "dist_nearest_site_km",
)
"""Column order of ``python -m siting locate`` (the contract starts ``rank, h3, lat, lon, score``)."""


def disk_size(k: int) -> int:
    """Cells in a hexagonal disk of ``k`` rings."""
    return 1 + 3 * k * (k + 1)


def zone_rings(cell_area_km2: float, min_area_km2: float) -> int:
    """Smallest ``k`` whose disk of cells covers at least ``min_area_km2``."""
    k = 0
    while disk_size(k) * cell_area_km2 < min_area_km2:
        k += 1
    return k


def check_locate_options(top: int, min_spacing_km: float, min_area_km2: float, avoid_km: float) -> None:
    """Raise :class:`SurfaceError` for a count or a distance that makes no sense."""
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or not 1 <= top <= MAX_TOP:
        raise SurfaceError(f"top must be a whole number from 1 to {MAX_TOP}, got {top!r}")
    for name, value in (("min spacing", min_spacing_km), ("min area", min_area_km2), ("distance from known sites",
                                                                                      avoid_km)):
        if not isinstance(value, (int, float, np.floating, np.integer)) or not math.isfinite(value) or value < 0:
            raise SurfaceError(f"{name} must be a finite number ≥ 0, got {value!r}")


def zone_members(surface: Surface, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Each candidate seed's zone score and member rows (n × disk size; -1 where off the surface)."""
    n = len(surface)
    if k == 0:
        return scores.astype("float64"), np.arange(n)[:, None]
    m = disk_size(k)
    if n * m > MAX_DISK_CELLS:
        raise SurfaceError(f"zones of {m} cells at resolution {surface.resolution} need too much memory; "
                           "use a coarser resolution or a smaller minimum area")
    disks = np.zeros((n, m), dtype=np.uint64)
    for i, cell in enumerate(surface.cells):
        ring = h3.api.numpy_int.grid_disk(cell, k)  # pentagons (none in France) would give fewer cells: left as 0
        disks[i, :len(ring)] = ring
    members = surface.index_of(disks.ravel()).reshape(n, m)
    member_scores = np.where(members >= 0, scores[np.maximum(members, 0)], np.nan)
    return member_scores.mean(axis=1), members  # NaN when any member is missing or excluded


def locate_zones(surface: Surface, scores: np.ndarray, infra: Infrastructure, *, top: int = DEFAULT_TOP,
                 min_spacing_km: float = DEFAULT_SPACING_KM, min_area_km2: float = 0.0,
                 known_sites: gpd.GeoDataFrame | None = None, avoid_km: float = 0.0) -> gpd.GeoDataFrame:
    """Return the best ``top`` zones on the surface under ``scores`` (from :meth:`Surface.scores`).

    Returns a GeoDataFrame of seed-cell centres with :data:`LOCATE_COLUMNS`, best first; fewer rows
    when the spacing leaves fewer places. ``known_sites`` (e.g. the 35 zones) gives the nearest known
    site of each zone, and with ``avoid_km`` > 0 keeps zones at least that far from all of them.
    """
    check_locate_options(top, min_spacing_km, min_area_km2, avoid_km)
    scores = np.asarray(scores, dtype="float64")
    if scores.shape != (len(surface),):
        raise SurfaceError("scores must come from this surface (one per cell)")
    k = zone_rings(surface.cell_area_km2, min_area_km2)
    zone_score, members = zone_members(surface, scores, k)
    alive = np.isfinite(zone_score)
    site_xy = _site_xy(known_sites)
    if avoid_km > 0 and len(site_xy):
        alive &= _nearest(surface.xy, site_xy)[1] >= avoid_km
    used = np.zeros(len(surface), dtype=bool)
    picks: list[int] = []
    ranked = np.where(alive, zone_score, -np.inf)
    while len(picks) < top and alive.any():
        seed = int(np.argmax(ranked))  # ties: the lowest cell id, so runs agree
        picks.append(seed)
        zone = members[seed][members[seed] >= 0]
        used[zone] = True
        d = np.hypot(surface.xy[:, 0] - surface.xy[seed, 0], surface.xy[:, 1] - surface.xy[seed, 1]) / 1000.0
        alive &= d >= min_spacing_km
        if k:
            alive &= ~(used[np.maximum(members, 0)] & (members >= 0)).any(axis=1)
        alive[seed] = False
        ranked[~alive] = -np.inf
    return _zone_table(surface, infra, np.array(picks, dtype=np.int64), zone_score, k, known_sites, site_xy)


def _site_xy(sites: gpd.GeoDataFrame | None) -> np.ndarray:
    if sites is None or len(sites) == 0:
        return np.empty((0, 2))
    coords = shapely.get_coordinates(sites.geometry.values)
    return to_metric(coords[:, 0], coords[:, 1])


def _nearest(xy: np.ndarray, target_xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    from scipy.spatial import cKDTree

    dist, idx = cKDTree(target_xy).query(xy, workers=-1)
    return idx, dist / 1000.0


def _zone_table(surface: Surface, infra: Infrastructure, picks: np.ndarray, zone_score: np.ndarray, k: int,
                known_sites, site_xy: np.ndarray) -> gpd.GeoDataFrame:
    points = gpd.GeoDataFrame(geometry=shapely.points(surface.lon[picks], surface.lat[picks]), crs=STORAGE_CRS)
    prox = compute_proximity(points, infra) if len(picks) else pd.DataFrame(index=points.index)
    out = pd.DataFrame(index=points.index)
    out["rank"] = np.arange(1, len(picks) + 1)
    out["h3"] = [surface.ids[i] for i in picks]
    out["lat"] = surface.lat[picks].round(5)
    out["lon"] = surface.lon[picks].round(5)
    out["score"] = np.round(zone_score[picks], 3)
    communes = infra.communes
    if len(picks) and len(communes):
        idx, _ = _nearest(surface.xy[picks], infra.communes_xy)
        codes = communes["region_code"].to_numpy()[idx]
        out["region"] = [REGION_CODES.get(str(c)) for c in codes]
        out["commune"] = communes["name"].to_numpy()[idx]
        out["department"] = communes["department"].to_numpy()[idx]
        out["code_insee"] = communes["code_insee"].to_numpy()[idx]
    else:
        for column in ("region", "commune", "department", "code_insee"):
            out[column] = pd.Series([None] * len(picks), index=out.index, dtype=object)
    for column in LOCATE_COLUMNS:
        if column in prox.columns:
            out[column] = prox[column].to_numpy()
    for column in ("dist_grid_400_km", "dist_grid_225_km", "dist_nuclear_km", "dist_landing_km",
                   "latency_paris_ms", "latency_frankfurt_ms", "latency_marseille_ms"):
        if column in out:
            out[column] = out[column].astype("float64").round(3)
    out["cells"] = disk_size(k)
    out["area_km2"] = round(disk_size(k) * surface.cell_area_km2, 2)
    if len(picks) and len(site_xy):
        idx, dist = _nearest(surface.xy[picks], site_xy)
        out["nearest_site_id"] = known_sites["site_id"].to_numpy()[idx]
        out["nearest_site_name"] = known_sites["name"].to_numpy()[idx]
        out["dist_nearest_site_km"] = dist.round(3)
    else:
        out["nearest_site_id"] = None
        out["nearest_site_name"] = None
        out["dist_nearest_site_km"] = np.nan
    zones = gpd.GeoDataFrame(out[list(LOCATE_COLUMNS)], geometry=points.geometry, crs=STORAGE_CRS)
    zones.attrs["resolution"] = surface.resolution
    zones.attrs["rings"] = k
    return zones


def zone_radius_km(resolution: int, rings: int) -> float:
    """Radius within which a zone's land lies: from the seed centre to the far vertex of its disk."""
    return round(min(cell_radius_km(resolution) * (1 + math.sqrt(3) * rings), 200.0), 2)  # schema's maximum


def zones_as_sites(zones: gpd.GeoDataFrame, weights_text: str = "") -> gpd.GeoDataFrame:
    """Turn located zones into rows of the site schema (:data:`siting.schema.SITE_FIELDS`).

    The rows are ready for :func:`siting.scoring.prepare_sites`, comparison and the dossier.
    Every row is marked: ``evidence`` is ``indicative``; ``status`` and ``evidence_note`` say
    *located by the model, not an announced site*, with the surface's caveat; ``sources`` list the
    data used; ``location_precision_km`` is the zone's radius; the site-only facts (power, area,
    dates, flags, price) are unknown; ``located`` is True (an extra column).
    """
    resolution = int(zones.attrs.get("resolution", 7))
    rings = int(zones.attrs.get("rings", 0))
    precision = zone_radius_km(resolution, rings)
    rows = []
    for z in zones.itertuples(index=False):
        near = f" near {z.commune}" if isinstance(z.commune, str) else ""
        note = (f"Located by the model, not an announced site: zone #{z.rank} of the national screening surface "
                f"(H3 cell {z.h3}, resolution {resolution}, {z.cells} cell(s), {z.area_km2:g} km²; location score "
                f"{z.score:.1f}{'; ' + weights_text if weights_text else ''}). {SURFACE_CAVEAT}")
        record = {f.name: None for f in SITE_FIELDS}
        record.update(
            site_id=f"located-{z.h3}",
            name=f"Located zone {z.rank}{near} (model)"[:200],
            commune=z.commune if isinstance(z.commune, str) else None,
            department=z.department if isinstance(z.department, str) else None,
            region=z.region,
            evidence=LOCATED_EVIDENCE,
            evidence_note=note[:2000],
            location_precision_km=precision,
            status=LOCATED_STATUS,
            sources=list(LOCATED_SOURCES),
            estimated_fields=[],
            value_notes=None,
        )
        rows.append(record)
    frame = typed_frame(rows, SITE_FIELDS)
    frame["located"] = True
    return gpd.GeoDataFrame(frame, geometry=list(zones.geometry.values), crs=STORAGE_CRS)


# --------------------------------------------------------------------------- where the zones stand


def site_location_scores(prepared_sites: pd.DataFrame, weights: dict[str, float],
                         criteria: tuple[Criterion, ...] = LOCATION_CRITERIA) -> np.ndarray:
    """Location-only score of prepared sites (:func:`siting.scoring.prepare_sites`); NaN when unknown."""
    keys = [c.key for c in criteria]
    all_w = location_weights(weights)
    w = np.array([all_w[LOCATION_COLUMNS.index(k)] for k in keys])
    u = utility_matrix(raw_matrix(prepared_sites, criteria), criteria)
    if w.sum() <= 0:
        return np.full(len(prepared_sites), np.nan)
    used = w > 0
    score = wsm_scores(np.nan_to_num(u), w)
    score[np.isnan(u[:, used]).any(axis=1)] = np.nan
    return score


def _top_share(sorted_scores: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Percentage of the cells scoring strictly higher than each value (NaN stays NaN)."""
    n = len(sorted_scores)
    above = n - np.searchsorted(sorted_scores, values, side="right")
    out = 100.0 * above / max(n, 1)
    out[np.isnan(values)] = np.nan
    return out


def top_text(share: float) -> str:
    """'top 0.4 %', 'top 5 %' (share of France's cells scoring higher, rounded up)."""
    if not np.isfinite(share):
        return "not scored"
    if share < 1:
        return f"top {max(math.ceil(share * 10) / 10, 0.1):.1f} %"
    return f"top {min(math.ceil(share), 100)} %"


PERCENTILE_GROUPS: tuple[str, ...] = tuple(dict.fromkeys(c.group for c in LOCATION_CRITERIA))


def zone_percentiles(surface: Surface, prepared_sites: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Where each site stands on the national surface under ``weights`` (location criteria only).

    Sites are scored with the same renormalised weights and transforms as the cells (their raw values
    are the exact ones of :func:`siting.scoring.prepare_sites`) and compared with the scores of the
    surface's scored cells (dense urban cores left out). Columns: ``site_id``, ``name``,
    ``location_score``, ``percentile`` (share of cells scoring at most as much, %), ``top_pct`` (share
    scoring higher, %: "top 5 %"), ``top_pct_<group>`` for each criterion group (power and grid,
    connectivity and latency, people) scored with the user's weights inside that group (NaN when the
    user gives the group no weight), and ``summary`` in words.
    """
    w = location_weights(weights)
    kept = ~surface.excluded
    u = surface.utilities[kept]

    def shares(cols: np.ndarray, criteria) -> tuple[np.ndarray, np.ndarray]:
        wg = w[cols]
        cell = np.sort(wsm_scores(u[:, cols], wg))
        site = site_location_scores(prepared_sites, {c.key: float(x) for c, x in zip(criteria, wg)}, criteria)
        return site, _top_share(cell, site)

    all_cols = np.arange(len(LOCATION_CRITERIA))
    site_score, top = shares(all_cols, LOCATION_CRITERIA)
    out = pd.DataFrame({
        "site_id": prepared_sites["site_id"].to_numpy(),
        "name": prepared_sites["name"].to_numpy(),
        "location_score": np.round(site_score, 3),
        "percentile": np.round(100.0 - top, 2),
        "top_pct": np.round(top, 2),
    }, index=prepared_sites.index)
    for group in PERCENTILE_GROUPS:
        cols = np.array([j for j, c in enumerate(LOCATION_CRITERIA) if c.group == group])
        if w[cols].sum() <= 0:
            out[f"top_pct_{group}"] = np.nan
            continue
        crit = tuple(LOCATION_CRITERIA[j] for j in cols)
        out[f"top_pct_{group}"] = np.round(shares(cols, crit)[1], 2)

    def summary(row) -> str:
        if not np.isfinite(row["top_pct"]):
            return "not scored (a weighted location value is unknown)"
        parts = [f"{GROUPS[g].lower()} {top_text(row[f'top_pct_{g}'])}" for g in PERCENTILE_GROUPS
                 if np.isfinite(row[f"top_pct_{g}"])]
        return f"{top_text(row['top_pct'])} of France's scored cells" + (f" ({'; '.join(parts)})" if parts else "")

    out["summary"] = [summary(row) for _, row in out.iterrows()]
    return out


# --------------------------------------------------------------------------- map payload
