"""People on a 1 km Lambert-93 grid: the screening surface's population within 50 km and its urban cores.

Commune populations (points) are spread over the land pixels nearest their centroid; a 50 km disc
sum by FFT gives the people within 50 km of any pixel (towns of 10,000+ are summed exactly instead);
Eurostat's urban-centre rule on the same grid marks the dense cores the surface leaves out.
"""

from __future__ import annotations

import math
import weakref
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Transformer

from siting.proximity import Infrastructure, sum_within
from siting.schema import METRIC_CRS, POPULATION_RADIUS_KM, STORAGE_CRS

_TO_METRIC = Transformer.from_crs(STORAGE_CRS, METRIC_CRS, always_xy=True)

def to_metric(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """(n, 2) Lambert-93 coordinates in metres of lon/lat points (same transform as ``to_crs``)."""
    x, y = _TO_METRIC.transform(np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64"))
    return np.column_stack([x, y])


PIXEL_M = 1000.0
"""Side of the Lambert-93 population grid: 1 km, the grid of Eurostat's degree of urbanisation."""
URBAN_DENSITY_PER_KM2 = 1500.0
"""Eurostat / OECD degree of urbanisation: an urban centre's cells have ≥ 1,500 people per km²."""
URBAN_CLUSTER_POPULATION = 50_000.0
"""… and form a contiguous cluster of ≥ 50,000 people."""
EXACT_TOWN_POPULATION = 10_000
"""Communes this large are summed exactly in ``population_50km``; smaller ones through the grid."""



def _fast_size(n: int) -> int:
    """Smallest size ≥ n with no prime factor above 5 (fast FFT sizes)."""
    while True:
        m = n
        for p in (2, 3, 5):
            while m % p == 0:
                m //= p
        if m == 1:
            return n
        n += 1


def disc_sum(grid: np.ndarray, radius_px: float) -> np.ndarray:
    """Sum of ``grid`` over the pixels whose centre lies within ``radius_px`` of each pixel (FFT)."""
    k = int(math.floor(radius_px))
    yy, xx = np.mgrid[-k:k + 1, -k:k + 1]
    disc = (xx * xx + yy * yy <= radius_px * radius_px).astype("float64")
    ny, nx = grid.shape
    shape_ = (_fast_size(ny + 2 * k), _fast_size(nx + 2 * k))
    full = np.fft.irfft2(np.fft.rfft2(grid, shape_) * np.fft.rfft2(disc, shape_), shape_)
    out = full[k:k + ny, k:k + nx]
    return np.clip(np.rint(out), 0.0, None)  # counts are whole people; FFT noise is ~1e-6


@dataclass(frozen=True, eq=False)
class PopulationGrid:
    """A 1 km Lambert-93 grid over the outline (plus a 50 km margin), weight- and resolution-free.

    ``people_50km`` holds, per pixel, the people of the communes below :data:`EXACT_TOWN_POPULATION`
    whose centroid's pixel centre lies within 50 km of the pixel centre; ``urban`` marks the
    urban-centre pixels (see the module docstring); ``land`` the pixels whose centre is inside the
    outline.
    """

    x0: float
    y0: float
    pixel_m: float
    people_50km: np.ndarray
    urban: np.ndarray
    land: np.ndarray
    density: np.ndarray

    def pixel_of(self, xy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Row and column of the pixel holding each point (clipped to the grid)."""
        ny, nx = self.urban.shape
        col = np.clip(((xy[:, 0] - self.x0) // self.pixel_m).astype(np.int64), 0, nx - 1)
        row = np.clip(((xy[:, 1] - self.y0) // self.pixel_m).astype(np.int64), 0, ny - 1)
        return row, col


def build_population_grid(infra: Infrastructure, outline_xy: shapely.Geometry,
                          pixel_m: float = PIXEL_M) -> PopulationGrid:
    """Rasterise the communes; return the 50 km sums and the urban-centre pixels (see the docstring)."""
    from scipy.spatial import cKDTree  # nearest commune for 550,000 pixels: 0.15 s (STRtree: 1.6 s)

    xy, people = infra.communes_xy, infra.population
    minx, miny, maxx, maxy = outline_xy.bounds
    if len(xy):
        minx, miny = min(minx, xy[:, 0].min()), min(miny, xy[:, 1].min())
        maxx, maxy = max(maxx, xy[:, 0].max()), max(maxy, xy[:, 1].max())
    pad = POPULATION_RADIUS_KM * 1000.0 + 2 * pixel_m
    x0, y0 = math.floor((minx - pad) / pixel_m) * pixel_m, math.floor((miny - pad) / pixel_m) * pixel_m
    nx, ny = math.ceil((maxx + pad - x0) / pixel_m), math.ceil((maxy + pad - y0) / pixel_m)
    col = ((xy[:, 0] - x0) // pixel_m).astype(np.int64)
    row = ((xy[:, 1] - y0) // pixel_m).astype(np.int64)
    flat = row * nx + col

    small = people < EXACT_TOWN_POPULATION
    counts = np.bincount(flat[small], weights=people[small], minlength=nx * ny).reshape(ny, nx)
    people_50km = disc_sum(counts, POPULATION_RADIUS_KM * 1000.0 / pixel_m)

    # Land pixels and a Voronoi proxy for each commune's territory: its nearest land pixels.
    xs = x0 + pixel_m * (np.arange(nx) + 0.5)
    ys = y0 + pixel_m * (np.arange(ny) + 0.5)
    gx, gy = np.meshgrid(xs, ys)
    shapely.prepare(outline_xy)
    land = shapely.contains_xy(outline_xy, gx.ravel(), gy.ravel())
    land_idx = np.flatnonzero(land)
    per_pixel = np.zeros(nx * ny)
    if len(xy) and len(land_idx):
        owner = cKDTree(xy).query(np.column_stack([gx.ravel()[land_idx], gy.ravel()[land_idx]]), workers=-1)[1]
        owned = np.bincount(owner, minlength=len(xy))
        per_pixel[land_idx] = people[owner] / owned[owner]
        # communes owning no pixel (smaller than a pixel): their people stay at their centroid's pixel
        orphans = owned == 0
        np.add.at(per_pixel, flat[orphans], people[orphans])
    density = (per_pixel / (pixel_m / 1000.0) ** 2).reshape(ny, nx)
    land = land.reshape(ny, nx)

    urban = urban_centres(density, pixel_m)
    return PopulationGrid(x0, y0, pixel_m, people_50km, urban, land, density)


def _neighbour_count(mask: np.ndarray) -> np.ndarray:
    """How many of each pixel's 8 neighbours are set."""
    padded = np.pad(mask.astype(np.int8), 1)
    ny, nx = mask.shape
    return sum(padded[1 + dy:1 + dy + ny, 1 + dx:1 + dx + nx]
               for dy in (-1, 0, 1) for dx in (-1, 0, 1) if dy or dx)


def cluster_labels(mask: np.ndarray) -> np.ndarray:
    """Label the 4-connected clusters of ``mask`` (0 outside; each cluster its smallest flat index + 1)."""
    ny, nx = mask.shape
    idx = np.flatnonzero(mask)
    labels = np.zeros(ny * nx, dtype=np.int64)
    if len(idx) == 0:
        return labels.reshape(ny, nx)
    col = idx % nx
    pairs = []
    for step, ok in ((1, col < nx - 1), (nx, idx + nx < ny * nx)):  # right and up neighbours
        other = idx[ok] + step
        pos = np.searchsorted(idx, other)
        pos = np.minimum(pos, len(idx) - 1)
        hit = idx[pos] == other
        pairs.append((np.flatnonzero(ok)[hit], pos[hit]))
    a = np.concatenate([p[0] for p in pairs])
    b = np.concatenate([p[1] for p in pairs])
    label = np.arange(len(idx))
    while True:  # min-label propagation with pointer jumping: converges in O(log diameter) rounds
        low = np.minimum(label[a], label[b])
        new = label.copy()
        np.minimum.at(new, a, low)
        np.minimum.at(new, b, low)
        new = new[new]
        if np.array_equal(new, label):
            break
        label = new
    labels[idx] = idx[label] + 1
    return labels.reshape(ny, nx)


def urban_centres(density: np.ndarray, pixel_m: float = PIXEL_M) -> np.ndarray:
    """Eurostat's urban centres on a density grid (people/km²): dense, gap-filled, ≥ 50,000 people."""
    dense = density >= URBAN_DENSITY_PER_KM2
    for _ in range(100):  # gap filling: ≥ 5 of the 8 neighbours dense → dense, until stable
        grown = dense | (_neighbour_count(dense) >= 5)
        if np.array_equal(grown, dense):
            break
        dense = grown
    labels = cluster_labels(dense).ravel()
    people = density.ravel() * (pixel_m / 1000.0) ** 2
    inside = labels > 0
    totals = np.bincount(labels[inside], weights=people[inside], minlength=labels.max() + 1)
    return (inside & (totals[labels] >= URBAN_CLUSTER_POPULATION)).reshape(density.shape)


_GRIDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def population_grid(infra: Infrastructure, outline: shapely.Geometry) -> PopulationGrid:
    """:func:`build_population_grid` for ``infra``, computed once per infrastructure object and outline."""
    cached = _GRIDS.get(infra)
    if cached is not None and cached[0].equals_exact(outline, 0):
        return cached[1]
    outline_xy = shapely.transform(outline, lambda c: to_metric(c[:, 0], c[:, 1]))
    grid = build_population_grid(infra, outline_xy)
    _GRIDS[infra] = (outline, grid)
    return grid


def population_within_50km(xy: np.ndarray, infra: Infrastructure, grid: PopulationGrid) -> np.ndarray:
    """People within 50 km of each point: grid for the small communes, exact for the large towns."""
    row, col = grid.pixel_of(xy)
    out = grid.people_50km[row, col].astype("float64")
    big = infra.population >= EXACT_TOWN_POPULATION
    if big.any():
        out += sum_within(xy, infra.communes_xy[big], infra.population[big], POPULATION_RADIUS_KM)
    return out


# --------------------------------------------------------------------------- cell values
