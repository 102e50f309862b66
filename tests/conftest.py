"""Shared fixtures: repo paths and tiny layers built in code at known positions."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def module_imports(path: Path) -> set[str]:
    """Names a Python file imports (``from siting import x`` also counts as ``siting.x``)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            if node.module == "siting":
                names |= {f"siting.{alias.name}" for alias in node.names}
    return names


@pytest.fixture
def write_geojson(tmp_path):
    """Write a dict as a GeoJSON file under tmp_path and return its path."""

    def _write(collection: dict, name: str = "sites.geojson") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
        return path

    return _write


def _gdf(records, lonlats):
    import geopandas as gpd
    import shapely

    return gpd.GeoDataFrame(records, geometry=[shapely.Point(x, y) for x, y in lonlats], crs="EPSG:4326")


def make_sites(rows: list[dict]):
    """Site layer from dicts with at least site_id, lon, lat; other fields default to unknown."""
    import pandas as pd

    from siting import schema

    records = []
    for row in rows:
        rec = {f.name: None for f in schema.SITE_FIELDS}
        rec.update(name=row["site_id"].title(), region="Île-de-France", evidence="project",
                   evidence_note="test", location_precision_km=5.0, sources=["https://example.org"],
                   estimated_fields=[])
        rec.update({k: v for k, v in row.items() if k not in ("lon", "lat")})
        records.append(rec)
    gdf = _gdf(records, [(r["lon"], r["lat"]) for r in rows])
    for f in schema.SITE_FIELDS:
        if f.kind == "float":
            gdf[f.name] = pd.to_numeric(gdf[f.name]).astype("float64")
        elif f.kind == "int":
            gdf[f.name] = pd.array(gdf[f.name].tolist(), dtype="Int64")
        elif f.kind == "bool":
            gdf[f.name] = pd.array(gdf[f.name].tolist(), dtype="boolean")
    return gdf


def make_grid(points: list[tuple[str, float, float, int]]):
    """Grid layer from (id, lon, lat, kv) tuples."""
    records = [{"grid_point_id": p[0], "name": p[0].upper(), "voltage_kv": p[3]} for p in points]
    return _gdf(records, [(p[1], p[2]) for p in points])


def make_landings(points: list[tuple[str, float, float, int]]):
    """Landing layer from (id, lon, lat, n_international_cables) tuples."""
    records = [{"landing_id": p[0], "name": p[0].title(), "n_international_cables": p[3],
                "n_cables": max(p[3], 1), "international": p[3] > 0} for p in points]
    return _gdf(records, [(p[1], p[2]) for p in points])


def make_plants(points: list[tuple[str, float, float, float]]):
    """Operating nuclear plants from (id, lon, lat, MW) tuples."""
    records = [{"plant_id": p[0], "name": p[0].title(), "fuel": "nuclear", "status": "operating",
                "capacity_mw": p[3], "units_text": f"1 × {p[3]:,.0f} MW"} for p in points]
    return _gdf(records, [(p[1], p[2]) for p in points])


def make_communes(points: list[tuple[str, float, float, int]]):
    """Communes from (name, lon, lat, population) tuples."""
    records = [{"code_insee": f"{k:05d}", "name": p[0], "population": p[3]} for k, p in enumerate(points)]
    return _gdf(records, [(p[1], p[2]) for p in points])


# One nuclear plant and three towns, used wherever a test does not care about them.
DEFAULT_PLANTS = [("gravelines", 2.133, 51.014, 5460.0)]
DEFAULT_COMMUNES = [("Paris", 2.342, 48.857, 2_100_000), ("Lille", 3.06, 50.63, 236_000),
                    ("Lyon", 4.84, 45.76, 520_000)]


def make_infra(grid, landings, plants=None, communes=None):
    """An Infrastructure from test layers; plants and communes default to the small sets above."""
    from siting.proximity import Infrastructure

    return Infrastructure(grid, landings, plants if plants is not None else make_plants(DEFAULT_PLANTS),
                          communes if communes is not None else make_communes(DEFAULT_COMMUNES))


@pytest.fixture(scope="session")
def inputs():
    """The shipped layers, validated (loaded once per test run)."""
    from siting.data import load_inputs

    return load_inputs(REPO_ROOT)


@pytest.fixture(scope="session")
def infra(inputs):
    """The shipped infrastructure (grid, landings, plants, communes)."""
    from siting.proximity import Infrastructure

    return Infrastructure.of(inputs)
