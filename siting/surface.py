"""The national screening surface: every H3 cell of mainland France scored on the location criteria.

What it is
----------
Every H3 cell (resolution 7 by default, about 5.2 km² a cell; 4 to 8 allowed) whose centre lies
inside the IGN outline of **mainland France, Corsica and ten coastal islands**
(``layers/mainland_outline.geojson``) gets the raw values of the criteria that exist at any
location (:data:`LOCATION_CRITERIA`): distances to RTE's in-service 400 kV and 225 kV+
substations, to an operating nuclear site and to an international cable landing, international
cables within 150 km, round trips to Paris and Frankfurt, and the people within 50 km. Raw values
become utilities with **the registry's own transforms** (:func:`siting.scoring.utility_matrix`)
and the score is the weighted sum of :func:`siting.scoring.wsm_scores`: one model for sites and
cells. Site-only criteria (announced power, area, land price, dates, brownfield / fast-track /
turnkey / EDF flags, data confidence) have no value at an arbitrary location; the surface leaves
them out and renormalises the user's weights over the location criteria (:data:`SITE_ONLY_NOTE`).
The round trip to Marseille is computed by :mod:`siting.proximity` but is not a registry
criterion, so it is reported by ``locate`` and never scored.

Exclusions
----------
* **Outside the outline**: a cell exists only when its centre lies inside the outline (H3's own
  "centre containment" rule; :func:`land_cells` returns exactly ``h3.geo_to_cells``' set).
* **Dense urban cores** (:func:`urban_core_grid`): Eurostat's degree-of-urbanisation rule for an
  *urban centre* — contiguous (4-connected) 1 km² grid cells of at least
  :data:`URBAN_DENSITY_PER_KM2` = 1,500 people/km², gaps filled by the majority rule (a cell with
  at least 5 of its 8 neighbours dense joins), clusters of at least
  :data:`URBAN_CLUSTER_POPULATION` = 50,000 people — applied to a 1 km Lambert-93 population grid
  made from the commune populations: commune polygons are not shipped, so each commune's people
  are spread evenly over the land pixels closer to its centroid than to any other (a Voronoi
  proxy for its territory). A cell is excluded when its centre falls in an urban-centre pixel.
  Excluded cells keep their values but get no score.

Approximation of the people within 50 km
----------------------------------------
Summing 34,735 communes for 100,000+ cells pairwise is ~50 M pairs. Instead the commune
populations are binned onto a 1 km Lambert-93 grid, convolved (FFT) with a disc of 50 km and read
at the pixel holding each cell centre (:class:`PopulationGrid`); towns of
:data:`EXACT_TOWN_POPULATION` people or more — the ones whose side of the 50 km line moves a cell's
value most — are summed exactly (STRtree ``dwithin``, as for sites). Communes and cell centres move
by at most 0.71 km each, so only the small communes within about 1.4 km of the 50 km circle can be
counted on the wrong side. Measured against the exact per-point sum
(:func:`siting.proximity.sum_within`) on 5,000 random resolution-7 cells: median relative error
0.3 %, 99th percentile 3.1 %, worst 7 % (a cell with few people); the worst error on the
criterion's utility is 0.015 (1.5 points if it were weighted alone). With no town summed exactly
the worst utility error is 0.11. ``tests/test_surface.py`` holds the bounds and
``benchmarks/RESULTS.md`` the figures.

What the surface does NOT know
------------------------------
See :data:`SURFACE_CAVEAT`: protected areas, flood and seismic zones, land availability, zoning,
grid hosting capacity. It is a screening surface, not a site offer.

Speed
-----
The weight-independent part (cells, raw values, utilities) is built once (:func:`build_surface`);
rescoring for new weights (:meth:`Surface.scores`) is one matrix-vector product. Timings are in
``benchmarks/RESULTS.md`` (``benchmarks/bench_surface.py``).

Past one machine
----------------
Every cell's values are a pure function of its centre and of small, broadcastable layers (a few
thousand points), so the same computation partitions by cell. With **dask.dataframe**: partition
the cells by a coarse parent (``h3.cell_to_children`` of each resolution-3 cell inside the outline,
``dd.from_map``), broadcast the infrastructure, and ``map_partitions`` the functions of this module
(:func:`cell_criteria` on a chunk of cell centres: STRtree nearest, ``sum_within``, latencies; the
population FFT on each partition's tile padded by a 50 km halo, or the exact ``sum_within`` since
a partition is small), then ``map_partitions`` the utilities; persist raw values and utilities as
Parquet partitioned by parent cell, and a rescore is ``ddf[u_columns] @ share``. With **DuckDB**
and its ``h3`` community extension: ``h3_polygon_wkt_to_cells`` generates the cells,
``h3_cell_to_lat`` / ``h3_cell_to_lng`` their centres, the ``spatial`` extension's
``ST_Transform`` / ``ST_DWithin`` / a lateral ``ORDER BY ST_Distance LIMIT 1`` the nearest and
within-radius values (or the Parquet written above), and the score is one
``SELECT h3, 100 * (w1 * u_1 + …) / Σw`` over the utility columns. For all of Europe, Lambert-93 is
replaced by an equal-area European projection (ETRS89-LAEA, EPSG:3035) per partition.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import h3
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from siting.data import DataValidationError, Problem, data_root
from siting.popgrid import (  # noqa: F401  (re-exported: the surface's population grid)
    EXACT_TOWN_POPULATION,
    PIXEL_M,
    URBAN_CLUSTER_POPULATION,
    URBAN_DENSITY_PER_KM2,
    PopulationGrid,
    build_population_grid,
    cluster_labels,
    disc_sum,
    population_grid,
    population_within_50km,
    to_metric,
    urban_centres,
)
from siting.proximity import Infrastructure, great_circle_km, latency_ms, sum_within
from siting.schema import (
    CABLE_RADIUS_KM,
    CRITERIA,
    LATENCY_REFERENCES,
    SCORE_STOPS,
    Criterion,
)
from siting.scoring import ScoringError, check_weights, utility_matrix, wsm_scores

_H3 = h3.api.numpy_int  # uint64 cell ids in numpy arrays

# --------------------------------------------------------------------------- criteria

LOCATION_KEYS: frozenset[str] = frozenset({
    "dist_grid_400_km", "dist_grid_225_km", "dist_nuclear_km", "dist_landing_km", "intl_cables_150km",
    "latency_paris_ms", "latency_frankfurt_ms", "population_50km",
})
LOCATION_CRITERIA: tuple[Criterion, ...] = tuple(c for c in CRITERIA if c.key in LOCATION_KEYS)
"""The criteria that exist at any location, in registry order: the only ones the surface scores."""
SITE_ONLY_CRITERIA: tuple[Criterion, ...] = tuple(c for c in CRITERIA if c.key not in LOCATION_KEYS)
"""Criteria that need a site's own facts (power, area, price, dates, flags, confidence)."""
LOCATION_COLUMNS: tuple[str, ...] = tuple(c.key for c in LOCATION_CRITERIA)

SITE_ONLY_NOTE = (
    "Site-only criteria (" + ", ".join(c.key for c in SITE_ONLY_CRITERIA) + ") have no value at an "
    "arbitrary location: the surface leaves them out and renormalises the weights over the location "
    "criteria (" + ", ".join(LOCATION_COLUMNS) + "), with the same utility transforms as the sites."
)
SURFACE_CAVEAT = (
    "Screening surface, not a site offer. It knows distances to RTE's substations, nuclear sites and "
    "cable landings, estimated latencies and the people within 50 km; it does NOT know protected areas "
    "(Natura 2000, parks), flood and seismic zones, land availability or ownership, zoning (PLU), or "
    "RTE's grid hosting capacity and connection queue. Dense urban cores are excluded by a population "
    "rule; everything else inside the mainland outline is scored."
)

# --------------------------------------------------------------------------- grid and rules

RESOLUTIONS: tuple[int, ...] = (4, 5, 6, 7, 8)
DEFAULT_RESOLUTION = 7
OUTLINE_PATH = "layers/mainland_outline.geojson"
"""Built by ``tools/build_layers.py`` from IGN's outline. Not declared in :mod:`siting.schema` yet
(a ``LayerSpec`` for it is a registry change left to its owner); read here with its own checks."""



class SurfaceError(ScoringError):
    """A surface request that cannot be answered (bad resolution, no location weight…); exit code 2."""


# --------------------------------------------------------------------------- the outline


def load_outline(root: Path | None = None) -> shapely.MultiPolygon:
    """Read the mainland outline (lon/lat) from ``layers/``; a missing or broken file is invalid data."""
    path = (data_root() if root is None else Path(root)) / OUTLINE_PATH
    source = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        geoms = [shape(f["geometry"]) for f in data["features"]]
    except OSError as exc:
        raise DataValidationError([Problem(source, f"cannot read the outline ({exc.strerror}); "
                                           "build it with tools/build_layers.py")]) from None
    except (ValueError, KeyError, TypeError, AttributeError, IndexError, shapely.errors.GEOSException):
        raise DataValidationError([Problem(source, "is not a GeoJSON FeatureCollection of polygons")]) from None
    polygons = [p for g in geoms for p in getattr(g, "geoms", [g])]
    if not polygons or not all(p.geom_type == "Polygon" and p.is_valid and p.area > 0 for p in polygons):
        raise DataValidationError([Problem(source, "must hold valid, non-empty polygons")])
    outline = shapely.MultiPolygon(polygons)
    minx, miny, maxx, maxy = outline.bounds
    if not (-6 < minx < maxx < 10.5 and 41 < miny < maxy < 52):
        raise DataValidationError([Problem(source, "does not lie over mainland France (lon/lat expected)")])
    return outline


def check_resolution(resolution: int) -> int:
    """Return the resolution or raise :class:`SurfaceError` when it is outside 4–8."""
    if isinstance(resolution, bool) or not isinstance(resolution, (int, np.integer)) or resolution not in RESOLUTIONS:
        raise SurfaceError(f"resolution {resolution!r} is out of range; expected an integer from "
                           f"{RESOLUTIONS[0]} to {RESOLUTIONS[-1]}")
    return int(resolution)


def land_cells(outline: shapely.Geometry, resolution: int) -> np.ndarray:
    """Sorted uint64 ids of the H3 cells whose centre lies inside ``outline`` (lon/lat)."""
    return _land_cells(outline, resolution)[0]


def _land_cells(outline: shapely.Geometry, resolution: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Cells, latitudes and longitudes of :func:`land_cells`.

    The same set as ``h3.geo_to_cells(outline, resolution)`` (tested), about 3× faster: fill two
    resolutions coarser, add the coarse cells holding a vertex (small islands) and one ring, take
    the children and keep those whose centre is inside.
    """
    resolution = check_resolution(resolution)
    coarse_res = max(resolution - 2, 0)
    vertices = shapely.get_coordinates(outline)
    coarse = np.union1d(_H3.geo_to_cells(outline, coarse_res),
                        np.array([_H3.latlng_to_cell(lat, lon, coarse_res) for lon, lat in vertices], dtype=np.uint64))
    ring = np.unique(np.concatenate([_H3.grid_disk(c, 1) for c in coarse]))
    children = np.unique(np.concatenate([_H3.cell_to_children(c, resolution) for c in ring]))
    lat, lon = cell_centres(children)
    shapely.prepare(outline)
    inside = shapely.contains_xy(outline, lon, lat)
    return children[inside], lat[inside], lon[inside]


def cell_centres(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Latitude and longitude (degrees) of each cell's centre, as H3 gives them."""
    if len(cells) == 0:
        return np.empty(0), np.empty(0)
    ll = np.array([_H3.cell_to_latlng(c) for c in cells], dtype="float64")
    return ll[:, 0].copy(), ll[:, 1].copy()




def cell_ids(cells: np.ndarray) -> list[str]:
    """H3 ids as the usual 15-character hexadecimal strings."""
    return [format(c, "x") for c in np.asarray(cells, dtype=np.uint64).tolist()]


def cell_area_km2(resolution: int) -> float:
    """Average area of an H3 cell at ``resolution`` (km²)."""
    return float(h3.average_hexagon_area(check_resolution(resolution), unit="km^2"))


def cell_radius_km(resolution: int) -> float:
    """Centre-to-vertex distance of an average cell (km): the hexagon's edge length."""
    return float(h3.average_hexagon_edge_length(check_resolution(resolution), unit="km"))


# --------------------------------------------------------------------------- the 1 km grid


def cell_criteria(lat: np.ndarray, lon: np.ndarray, xy: np.ndarray, infra: Infrastructure,
                  grid: PopulationGrid) -> np.ndarray:
    """(n × 8) raw values of :data:`LOCATION_CRITERIA` at points (the per-chunk function)."""
    kv = infra.grid["voltage_kv"].to_numpy(dtype="float64")
    values: dict[str, np.ndarray] = {}
    for label, mask in (("400", (kv >= 400) & infra.in_service), ("225", (kv >= 225) & infra.in_service)):
        values[f"dist_grid_{label}_km"] = nearest_km(xy, infra.grid_xy[mask])
    values["dist_nuclear_km"] = nearest_km(xy, infra.nuclear_xy)
    landings = infra.landings
    intl = landings[landings["international"].astype(bool)]
    intl_xy = _points_xy(intl)
    values["dist_landing_km"] = nearest_km(xy, intl_xy)
    values["intl_cables_150km"] = sum_within(xy, intl_xy, intl["n_international_cables"].to_numpy(dtype=float),
                                             CABLE_RADIUS_KM)
    for name in ("paris", "frankfurt"):
        ref_lon, ref_lat = LATENCY_REFERENCES[name]
        values[f"latency_{name}_ms"] = latency_ms(great_circle_km(lon, lat, ref_lon, ref_lat))
    values["population_50km"] = (population_within_50km(xy, infra, grid) if len(infra.communes)
                                 else np.full(len(xy), np.nan))
    if len(xy) == 0:
        return np.empty((0, len(LOCATION_COLUMNS)))
    return np.column_stack([values[key] for key in LOCATION_COLUMNS])


def nearest_km(xy: np.ndarray, target_xy: np.ndarray) -> np.ndarray:
    """Distance (km) from each point to the nearest target, Lambert-93 coordinates in metres.

    The same straight Lambert-93 distance as :func:`siting.proximity.nearest` (tests compare the two
    on a sample), through a k-d tree: 8× faster than the STRtree for 100,000+ query points.
    """
    from scipy.spatial import cKDTree

    if len(target_xy) == 0:
        return np.full(len(xy), np.nan)
    return cKDTree(target_xy).query(xy, workers=-1)[0] / 1000.0


def _points_xy(gdf) -> np.ndarray:
    if len(gdf) == 0:
        return np.empty((0, 2))
    coords = shapely.get_coordinates(gdf.geometry.values)
    return to_metric(coords[:, 0], coords[:, 1])


# --------------------------------------------------------------------------- the surface


@dataclass(frozen=True, eq=False)
class Surface:
    """The weight-independent part of the surface: cells, raw values, utilities, exclusions.

    Rows are the cells of :func:`land_cells` (sorted ids); ``raw`` and ``utilities`` have one
    column per :data:`LOCATION_CRITERIA`; ``excluded`` marks the dense urban cores.
    """

    resolution: int
    cells: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    xy: np.ndarray
    raw: np.ndarray
    utilities: np.ndarray
    excluded: np.ndarray

    criteria: tuple[Criterion, ...] = LOCATION_CRITERIA

    def __len__(self) -> int:
        return len(self.cells)

    @property
    def n_scored(self) -> int:
        """Cells that get a score (inside the outline, not a dense urban core)."""
        return int((~self.excluded).sum())

    @cached_property
    def ids(self) -> list[str]:
        """H3 ids as strings, aligned on the rows."""
        return cell_ids(self.cells)

    @property
    def cell_area_km2(self) -> float:
        """Average cell area at this resolution."""
        return cell_area_km2(self.resolution)

    def index_of(self, cells) -> np.ndarray:
        """Row of each H3 id (int or str) in the surface; -1 when the cell is not on it."""
        if isinstance(cells, np.ndarray) and cells.dtype == np.uint64:
            ids = cells
        else:
            ids = np.array([c if isinstance(c, (int, np.integer)) else int(c, 16) for c in cells], dtype=np.uint64)
        if len(self.cells) == 0:
            return np.full(len(ids), -1)
        pos = np.minimum(np.searchsorted(self.cells, ids), len(self.cells) - 1)
        return np.where(self.cells[pos] == ids, pos, -1)

    def scores(self, weights: dict[str, float]) -> np.ndarray:
        """Score (0–100) of every cell for ``weights`` over the location criteria; NaN when excluded."""
        score = wsm_scores(self.utilities, location_weights(weights))
        score[self.excluded] = np.nan
        return score

    def frame(self, scores: np.ndarray, include_excluded: bool = False) -> pd.DataFrame:
        """Return the CSV contract's table: ``h3, lat, lon, score``, then each criterion's raw value and ``u_<key>``."""
        keep = np.ones(len(self), bool) if include_excluded else ~self.excluded
        rows = np.flatnonzero(keep)
        columns: dict[str, object] = {
            "h3": [self.ids[i] for i in rows],
            "lat": self.lat[rows].round(5),
            "lon": self.lon[rows].round(5),
            "score": np.round(scores[rows], 3),
        }
        for j, c in enumerate(self.criteria):
            raw = self.raw[rows, j]
            columns[c.key] = np.rint(raw).astype(np.int64) if c.key == "population_50km" else raw.round(3)
            columns[f"u_{c.key}"] = self.utilities[rows, j].round(4)
        if include_excluded:
            columns["excluded"] = np.where(self.excluded[rows], "dense urban core", "")
        return pd.DataFrame(columns)


def build_surface(infra: Infrastructure, outline: shapely.Geometry,
                  resolution: int = DEFAULT_RESOLUTION) -> Surface:
    """Build the surface at ``resolution`` (4–8) over ``outline`` (lon/lat, see :func:`load_outline`)."""
    resolution = check_resolution(resolution)
    cells, lat, lon = _land_cells(outline, resolution)
    xy = to_metric(lon, lat)
    grid = population_grid(infra, outline)
    raw = np.ascontiguousarray(cell_criteria(lat, lon, xy, infra, grid))
    utilities = np.ascontiguousarray(utility_matrix(raw, LOCATION_CRITERIA))
    row, col = grid.pixel_of(xy)
    excluded = grid.urban[row, col]
    return Surface(resolution, cells, lat, lon, xy, raw, utilities, excluded)


def load_surface(resolution: int = DEFAULT_RESOLUTION, root: Path | None = None,
                 infra: Infrastructure | None = None) -> Surface:
    """Load the layers the surface needs from ``root`` (validated) and build it."""
    from siting.data import load_layer
    from siting.schema import CABLE_LANDINGS, COMMUNES, GRID_POINTS, POWER_PLANTS

    resolution = check_resolution(resolution)
    base = data_root() if root is None else Path(root)
    if infra is None:
        infra = Infrastructure(*(load_layer(base / spec.path, spec)
                                 for spec in (GRID_POINTS, CABLE_LANDINGS, POWER_PLANTS, COMMUNES)))
    return build_surface(infra, load_outline(base), resolution)


# --------------------------------------------------------------------------- weights


def location_weights(weights: dict[str, float]) -> np.ndarray:
    """Return the user's weights of :data:`LOCATION_CRITERIA` (checked with the registry's rule).

    Raises :class:`SurfaceError` when no location criterion has a weight above 0.
    """
    checked = check_weights(dict(weights))
    w = np.array([checked[c.key] for c in LOCATION_CRITERIA], dtype="float64")
    if w.sum() <= 0:
        raise SurfaceError("no location criterion has a weight: the surface scores only "
                           + ", ".join(LOCATION_COLUMNS) + " (site-only criteria have no value at a location)")
    return w


def location_shares(weights: dict[str, float]) -> dict[str, float]:
    """Each location criterion's share of the renormalised weight (sums to 1)."""
    w = location_weights(weights)
    return {c.key: float(x) for c, x in zip(LOCATION_CRITERIA, w / w.sum())}


def ignored_weights(weights: dict[str, float]) -> dict[str, float]:
    """Site-only criteria the user weighted, which the surface leaves out."""
    checked = check_weights(dict(weights))
    return {c.key: checked[c.key] for c in SITE_ONLY_CRITERIA if checked[c.key] > 0}


def only_weights(key: str) -> dict[str, float]:
    """Weights giving one location criterion the whole score."""
    if key not in LOCATION_KEYS:
        raise SurfaceError(f"{key!r} is not a location criterion; expected one of " + ", ".join(LOCATION_COLUMNS))
    return {key: 1.0}


# --------------------------------------------------------------------------- sites on the surface


def score_colours(scores: np.ndarray) -> np.ndarray:
    """(n, 3) uint8 colours of scores on :data:`SCORE_STOPS`, vectorised (NaN → the 0 colour)."""
    s = np.clip(np.nan_to_num(np.asarray(scores, dtype="float64"), nan=0.0), 0.0, 100.0)
    stops = np.array([x for x, _ in SCORE_STOPS], dtype="float64")
    rgb = np.array([c for _, c in SCORE_STOPS], dtype="float64")
    return np.rint(np.column_stack([np.interp(s, stops, rgb[:, k]) for k in range(3)])).astype(np.uint8)


def deck_records(surface: Surface, scores: np.ndarray, colour: bool = True, decimals: int = 1) -> list[dict]:
    """Compact per-cell records for a deck.gl ``H3HexagonLayer``: ``{"h3", "score"[, "color"]}``.

    Only scored cells are sent. With ``colour=False`` the layer can colour cells from ``score``
    itself (an accessor expression), which makes the payload about 40 % smaller.
    """
    rows = np.flatnonzero(np.isfinite(scores))
    values = np.round(scores[rows], decimals).tolist()
    ids = surface.ids
    if not colour:
        return [{"h3": ids[i], "score": s} for i, s in zip(rows.tolist(), values)]
    colours = score_colours(scores[rows]).tolist()
    return [{"h3": ids[i], "score": s, "color": c} for i, s, c in zip(rows.tolist(), values, colours)]


def payload_bytes(records: list[dict]) -> int:
    """Size of records as compact JSON (what the deck payload adds)."""
    return len(json.dumps(records, separators=(",", ":")).encode("utf-8"))
