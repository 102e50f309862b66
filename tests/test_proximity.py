"""Distances in Lambert-93, nearest infrastructure, latency estimates."""

from __future__ import annotations

import numpy as np
import pytest

from siting import proximity
from tests.conftest import make_communes, make_grid, make_infra, make_landings, make_plants, make_sites

PARIS = (2.3522, 48.8566)
MARSEILLE = (5.3698, 43.2965)


def test_paris_marseille_great_circle_is_about_660_km():
    d = proximity.great_circle_km(*PARIS, *MARSEILLE)
    assert d == pytest.approx(661, abs=5)


def test_latency_rule_is_distance_times_route_factor_over_fibre_speed_times_two():
    # 660 km × 1.5 / 200 km/ms × 2 = 9.9 ms
    assert proximity.latency_ms(660.0) == pytest.approx(9.9)
    assert proximity.latency_ms(660.0, route_factor=1.0) == pytest.approx(6.6)


def test_metric_distance_matches_geodesic_within_half_a_percent():
    # two points 0.5° of longitude apart at 47° N: geodesic ≈ 37.9 km
    sites = make_sites([{"site_id": "a", "lon": 2.0, "lat": 47.0}])
    grid = make_grid([("g", 2.5, 47.0, 400)])
    landings = make_landings([("l", 2.5, 47.0, 1)])
    out = proximity.compute_proximity(sites, make_infra(grid, landings))
    geodesic = proximity.great_circle_km(2.0, 47.0, 2.5, 47.0)
    assert out.loc[0, "dist_grid_400_km"] == pytest.approx(float(geodesic), rel=0.005)


def test_nearest_400_and_225_are_chosen_separately():
    sites = make_sites([{"site_id": "a", "lon": 2.0, "lat": 48.0}])
    grid = make_grid([("near225", 2.05, 48.0, 225), ("far400", 2.5, 48.0, 400)])
    landings = make_landings([("l", -1.6, 49.6, 2)])
    out = proximity.compute_proximity(sites, make_infra(grid, landings))
    assert out.loc[0, "nearest_grid_400_id"] == "far400"
    assert out.loc[0, "nearest_grid_225_id"] == "near225"
    assert out.loc[0, "dist_grid_225_km"] < out.loc[0, "dist_grid_400_km"]


def test_domestic_landings_are_ignored_and_cables_counted_within_radius():
    sites = make_sites([{"site_id": "a", "lon": 5.4, "lat": 43.4}])
    grid = make_grid([("g", 5.4, 43.4, 400)])
    landings = make_landings([
        ("domestic", 5.4, 43.35, 0),      # closer, but island-only link
        ("marseille", 5.37, 43.29, 16),
        ("toulon", 5.93, 43.12, 2),        # ~50 km: inside 150 km
        ("brest", -4.49, 48.39, 3),        # far away
    ])
    out = proximity.compute_proximity(sites, make_infra(grid, landings))
    assert out.loc[0, "nearest_landing_id"] == "marseille"
    assert out.loc[0, "nearest_landing_intl_cables"] == 16
    assert out.loc[0, "intl_cables_150km"] == 18


def test_ties_go_to_the_first_target():
    sites = make_sites([{"site_id": "a", "lon": 2.0, "lat": 48.0}])
    xy = proximity.metric_xy(sites)
    targets = np.vstack([xy + [1000, 0], xy - [1000, 0]])
    idx, dist = proximity.nearest(xy, targets)
    assert idx[0] == 0 and dist[0] == pytest.approx(1.0)


def test_layers_in_another_crs_are_refused():
    sites = make_sites([{"site_id": "a", "lon": 2.0, "lat": 48.0}]).to_crs("EPSG:2154")
    with pytest.raises(ValueError, match="EPSG:4326"):
        proximity.compute_proximity(sites, make_infra(make_grid([("g", 2, 48, 400)]), make_landings([("l", 2, 48, 1)])))


def test_output_is_aligned_on_site_index_and_complete():
    sites = make_sites([{"site_id": s, "lon": 2 + i, "lat": 47 + i} for i, s in enumerate("abc")])
    sites.index = [10, 20, 30]
    out = proximity.compute_proximity(sites, make_infra(make_grid([("g", 3, 48, 400)]),
                                                        make_landings([("l", -1, 47, 1)])))
    assert list(out.index) == [10, 20, 30]
    assert list(out.columns) == list(proximity.PROXIMITY_COLUMNS)
    assert out.loc[20, "dist_grid_400_km"] == pytest.approx(0, abs=0.01)


def test_planned_substations_do_not_count_but_are_reported():
    sites = make_sites([{"site_id": "a", "lon": 2.0, "lat": 48.0}])
    grid = make_grid([("planned", 2.01, 48.0, 400), ("built", 2.3, 48.0, 400)])
    grid["status"] = ["planned", "in service"]
    out = proximity.compute_proximity(sites, make_infra(grid, make_landings([("l", -1.6, 49.6, 2)])))
    assert out.loc[0, "nearest_grid_400_id"] == "built"
    assert out.loc[0, "dist_grid_400_km"] == pytest.approx(22.4, abs=0.3)
    assert out.loc[0, "nearest_planned_grid_name"] == "PLANNED"
    assert out.loc[0, "dist_planned_grid_km"] == pytest.approx(0.75, abs=0.05)


def test_nearest_operating_nuclear_plant_only():
    sites = make_sites([{"site_id": "a", "lon": 2.0, "lat": 48.0}])
    plants = make_plants([("closed", 2.0, 48.05, 1760.0), ("gas", 2.0, 48.1, 400.0), ("far", 2.0, 48.9, 2620.0)])
    plants["status"] = ["closed", "operating", "operating"]
    plants["fuel"] = ["nuclear", "gas", "nuclear"]
    infra = make_infra(make_grid([("g", 2, 48, 400)]), make_landings([("l", 2, 48, 1)]), plants=plants)
    out = proximity.compute_proximity(sites, infra)
    assert out.loc[0, "nearest_nuclear_id"] == "far"
    assert out.loc[0, "dist_nuclear_km"] == pytest.approx(100.1, abs=0.5)  # 0.9° of latitude
    assert out.loc[0, "nearest_nuclear_units"] == "1 × 2,620 MW"


def test_population_counts_communes_within_50_km_and_nearest_large_town():
    sites = make_sites([{"site_id": "a", "lon": 2.0, "lat": 48.0}])
    communes = make_communes([
        ("Village", 2.0, 48.01, 300),        # 1 km
        ("Town", 2.0, 48.40, 60_000),         # 44.5 km: inside, and the nearest large town
        ("Edge", 2.0, 48.46, 1_000),          # 51.2 km: outside
        ("City", 2.0, 49.0, 500_000),         # 111 km
    ])
    infra = make_infra(make_grid([("g", 2, 48, 400)]), make_landings([("l", 2, 48, 1)]), communes=communes)
    out = proximity.compute_proximity(sites, infra)
    assert out.loc[0, "population_50km"] == 60_300
    assert out.loc[0, "nearest_large_town_name"] == "Town"
    assert out.loc[0, "dist_large_town_km"] == pytest.approx(44.5, abs=0.5)


def test_geographic_distance_warning_fails_the_build():
    # Guard for the pyproject filterwarnings=error setting: measuring in degrees must fail.
    sites = make_sites([{"site_id": "a", "lon": 2.0, "lat": 48.0}])
    with pytest.raises(UserWarning, match="[Gg]eographic CRS"):
        sites.geometry.distance(sites.geometry)
