"""The layers are rebuilt from the shipped source copies, and their stated precision holds.

Each check measures a layer against an independent reference where one exists: RTE's own
file (read here with the csv module, not through the importer), the JRC plant positions,
the IGN département outlines.
"""

from __future__ import annotations

import csv
import filecmp
import json
import subprocess
import sys

import geopandas as gpd
import numpy as np
import pytest
import shapely

from siting.proximity import Infrastructure, great_circle_km
from siting.scoring import prepare_sites
from tests.conftest import REPO_ROOT

DATA = REPO_ROOT / "data"
BUILD = REPO_ROOT / "tools" / "build_layers.py"
OUTPUTS = ("grid_connection_points.geojson", "subsea_cable_landings.geojson", "power_plants.geojson",
           "communes_population.geojson", "regions.geojson", "mainland_outline.geojson")


@pytest.fixture(scope="module")
def prepared(inputs):
    return prepare_sites(inputs.sites, Infrastructure.of(inputs))


@pytest.fixture(scope="module")
def rte_rows():
    """RTE's rows read with nothing but the csv module: the reference for the grid layer."""
    with (DATA / "open_data" / "rte_postes_electriques_2024-09.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter=";"))


def test_rebuilding_from_the_shipped_sources_reproduces_every_layer(tmp_path):
    result = subprocess.run([sys.executable, str(BUILD), "--out-dir", str(tmp_path)], capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    for name in OUTPUTS:
        assert filecmp.cmp(tmp_path / name, REPO_ROOT / "layers" / name, shallow=False), f"{name} differs"
    check = subprocess.run([sys.executable, str(BUILD), "--check"], capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stderr


def test_check_names_a_layer_that_differs(tmp_path):
    for name in OUTPUTS:
        (tmp_path / name).write_bytes((REPO_ROOT / "layers" / name).read_bytes())
    (tmp_path / "power_plants.geojson").write_text("{}", encoding="utf-8")
    check = subprocess.run([sys.executable, str(BUILD), "--check", "--out-dir", str(tmp_path)],
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 1 and "power_plants.geojson" in check.stderr


def test_nothing_in_the_project_reads_the_shared_research_folder():
    for folder in ("siting", "views", "tools", "tests", "benchmarks"):
        for path in (REPO_ROOT / folder).rglob("*.py"):
            if path.name == "test_build_layers.py":
                continue
            text = path.read_text(encoding="utf-8")
            assert '"shared"' not in text and "shared/research" not in text, path


def test_grid_layer_holds_rte_s_substations_at_rte_s_positions(inputs, rte_rows):
    grid = inputs.grid
    published: dict[str, list[tuple[float, float]]] = {}
    for row in rte_rows:
        if row["FONCTION"] == "Poste de transformation" and row["Tension (kV)"] in ("400kV", "225kV"):
            published.setdefault(row["Code poste"], []).append(
                (float(row["Longitude poste (DD)"]), float(row["Latitude poste (DD)"])))
    in_service = grid[grid["status"] == "in service"]
    assert (in_service["voltage_kv"] == 400).sum() == 189 and (in_service["voltage_kv"] == 225).sum() == 834
    assert set(grid["rte_code"]) == set(published)
    for row in grid.itertuples():
        # the layer's point is one of RTE's published points for that code (rounded to 1e-5°, ~1 m)
        gaps = [great_circle_km(row.geometry.x, row.geometry.y, lon, lat) for lon, lat in published[row.rte_code]]
        assert min(gaps) < 0.002, row.grid_point_id
    assert set(grid["source"]) == {"RTE – ODRÉ, postes électriques RTE (Licence Ouverte / Etalab 2.0)"}


def test_every_site_distance_equals_a_recomputation_from_rte_s_file(prepared, rte_rows):
    points = {"400": [], "225": []}
    for row in rte_rows:
        if (row["FONCTION"], row["Etat"]) != ("Poste de transformation", "EN EXPLOITATION"):
            continue
        xy = (float(row["Longitude poste (DD)"]), float(row["Latitude poste (DD)"]))
        if row["Tension (kV)"] == "400kV":
            points["400"].append(xy)
        if row["Tension (kV)"] in ("400kV", "225kV"):
            points["225"].append(xy)
    lon = prepared.geometry.x.to_numpy()[:, None]
    lat = prepared.geometry.y.to_numpy()[:, None]
    for kv, xy in points.items():
        ref = np.array(xy)
        expected = great_circle_km(lon, lat, ref[None, :, 0], ref[None, :, 1]).min(axis=1)
        assert np.abs(prepared[f"dist_grid_{kv}_km"].to_numpy() - expected).max() < 1.0


def test_flagship_sites_are_measured_next_to_their_400_kv_substations(prepared):
    rows = prepared.set_index("site_id")
    assert rows.loc["montereau-edf", "nearest_grid_400_name"] == "MONTEREAU"
    assert rows.loc["montereau-edf", "dist_grid_400_km"] == pytest.approx(1.0, abs=0.3)
    assert rows.loc["bouchain-edf", "nearest_grid_400_name"] == "BOUCHAIN"
    assert rows.loc["bouchain-edf", "dist_grid_400_km"] == pytest.approx(1.1, abs=0.3)


def test_nuclear_fleet_is_the_2026_fleet(inputs):
    plants = inputs.plants
    nuclear = plants[plants["fuel"] == "nuclear"].set_index("name")
    operating = nuclear[nuclear["status"] == "operating"]
    assert len(operating) == 18 and operating["operating_units"].sum() == 57
    assert nuclear.loc["Fessenheim", "status"] == "closed" and nuclear.loc["Fessenheim", "closed_year"] == 2020
    assert nuclear.loc["Flamanville", "units_text"] == "2 × 1,330 MW + 1 × 1,650 MW"
    assert nuclear.loc["Gravelines", "units_text"] == "6 × 910 MW"
    assert operating["capacity_mw"].sum() == pytest.approx(61_370 + 1_650)
    for name in ("Havre", "Provence"):
        coal = plants[(plants["name"] == name) & (plants["fuel"] == "coal")]
        assert list(coal["status"]) == ["closed"], name


def test_plant_positions_hold_their_precision_against_rte_s_substations(inputs):
    """Each nuclear plant has its own 400 kV substation next to it (RTE): an independent position check."""
    grid = inputs.grid[(inputs.grid["voltage_kv"] == 400)]
    nuclear = inputs.plants[inputs.plants["fuel"] == "nuclear"]
    for plant in nuclear.itertuples():
        gaps = great_circle_km(plant.geometry.x, plant.geometry.y, grid.geometry.x, grid.geometry.y)
        # plant ±precision, substation ±1 km, and the substation sits beside the plant (≤ 0.5 km)
        assert gaps.min() <= plant.position_precision_km + 1.0 + 0.5, plant.name


def test_landing_corrections_are_applied(inputs):
    landings = inputs.landings.set_index("name")
    assert "Toulon" not in landings.index
    assert "SeaMeWe-5" in landings.loc["La Seyne", "cable_names"]
    assert bool(landings.loc["La Seyne", "international"])
    assert set(landings.loc["Penmarch", "cable_names"]) == {"Africa Coast to Europe (ACE)", "SeaMeWe-3"}
    assert landings.loc["Penmarch", "n_international_cables"] == 2


def test_communes_lie_in_their_departement(inputs):
    """Every commune point is inside its IGN département (5 km allowed for the simplified outline).

    Small islands (Ouessant, Groix, Aix…) fall off the simplified outline: for them the nearest
    département must be their own.
    """
    departements = gpd.read_file(DATA / "open_data" / "ign_departements_simplified.geojson").to_crs("EPSG:2154")
    communes = inputs.communes.to_crs("EPSG:2154")
    outline = dict(zip(departements["code"], departements.geometry))
    land = shapely.union_all(list(outline.values()))
    far = []
    for c in communes.itertuples():
        if c.department not in outline:
            far.append(c.code_insee)
        elif land.contains(c.geometry) or land.distance(c.geometry) < 5000:
            if outline[c.department].distance(c.geometry) > 5000:
                far.append(c.code_insee)
        elif min(outline, key=lambda k: outline[k].distance(c.geometry)) != c.department:
            far.append(c.code_insee)
    assert not far
    assert communes["population"].sum() == pytest.approx(66.17e6, rel=0.01)


def test_sites_lie_in_the_departement_they_name(inputs):
    departements = gpd.read_file(DATA / "open_data" / "ign_departements_simplified.geojson").to_crs("EPSG:2154")
    outline = dict(zip(departements["code"], departements.geometry))
    for layer in (inputs.sites, inputs.announced):
        metric = layer.to_crs("EPSG:2154")
        for row in metric.itertuples():
            codes = [c for c in str(row.department or "").split("/") if c in outline]
            if not codes:
                continue
            gap_km = min(outline[c].distance(row.geometry) for c in codes) / 1000
            assert gap_km <= max(2.0, row.location_precision_km), (row.site_id, gap_km)


def test_population_within_50_km_is_the_sum_of_commune_populations(inputs, prepared):
    """Recomputed with a plain haversine over the source CSV."""
    with (DATA / "open_data" / "communes_population_centroids.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["lat"]]
    lon = np.array([float(r["lon"]) for r in rows])
    lat = np.array([float(r["lat"]) for r in rows])
    pop = np.array([int(r["population"]) for r in rows])
    for site in prepared.head(8).itertuples():
        d = great_circle_km(site.geometry.x, site.geometry.y, lon, lat)
        inside = pop[d <= 50].sum()
        # Lambert-93 and the sphere differ by < 0.1 %: only communes right at 50 km can differ
        edge = pop[(d > 49.8) & (d < 50.2)].sum()
        assert abs(site.population_50km - inside) <= edge, site.site_id


def test_layer_metadata_names_source_licence_and_date():
    for name in OUTPUTS:
        head = json.loads((REPO_ROOT / "layers" / name).read_text(encoding="utf-8"))["metadata"]
        assert head["licence"] and head["source"] and head["date"] and head["precision"], name


def test_every_feature_carries_its_source_and_precision(inputs):
    for layer in (inputs.grid, inputs.landings, inputs.plants, inputs.communes):
        assert layer["source"].notna().all() and (layer["position_precision_km"] > 0).all()
        assert shapely.get_coordinates(layer.geometry.values).shape[0] == len(layer)
