"""The screening surface: cells against h3 itself, distances against haversine, one model, exclusions."""

from __future__ import annotations

import json

import h3
import numpy as np
import pytest
import shapely

from siting import locate
from siting import surface as S
from siting.data import DataValidationError
from siting.proximity import great_circle_km, nearest, sum_within
from siting.schema import CRITERIA, CRITERIA_BY_KEY
from siting.scoring import PRESETS, ScoringError, default_weights, prepare_sites, utility
from tests.conftest import REPO_ROOT

H = h3.api.numpy_int


@pytest.fixture(scope="module")
def outline():
    return S.load_outline(REPO_ROOT)


@pytest.fixture(scope="module")
def surface5(infra, outline):
    return S.build_surface(infra, outline, 5)


@pytest.fixture(scope="module")
def surface6(infra, outline):
    return S.build_surface(infra, outline, 6)


@pytest.fixture(scope="module")
def prepared(inputs, infra):
    return prepare_sites(inputs.sites, infra)


def cell_at(surface, lat, lon):
    return surface.index_of([H.latlng_to_cell(lat, lon, surface.resolution)])[0]


# --------------------------------------------------------------------------- criteria: one model


def test_location_criteria_are_the_registry_criteria_that_exist_anywhere():
    keys = [c.key for c in S.LOCATION_CRITERIA]
    assert keys == [c.key for c in CRITERIA if c.key in S.LOCATION_KEYS]  # registry order
    assert set(keys) == {"dist_grid_400_km", "dist_grid_225_km", "dist_nuclear_km", "dist_landing_km",
                         "intl_cables_150km", "latency_paris_ms", "latency_frankfurt_ms", "population_50km"}
    assert all(c is CRITERIA_BY_KEY[c.key] for c in S.LOCATION_CRITERIA)  # the registry's objects, not copies
    assert {c.key for c in S.SITE_ONLY_CRITERIA} | set(keys) == set(CRITERIA_BY_KEY)
    for c in S.SITE_ONLY_CRITERIA:
        assert c.key in S.SITE_ONLY_NOTE


def test_utilities_are_the_registry_transforms_and_the_score_their_weighted_mean(surface6):
    for j, c in enumerate(S.LOCATION_CRITERIA):
        np.testing.assert_array_equal(surface6.utilities[:, j], utility(surface6.raw[:, j], c))
    weights = PRESETS["inference"].weights
    share = S.location_weights(weights) / S.location_weights(weights).sum()
    expected = 100 * surface6.utilities @ share
    scores = surface6.scores(weights)
    kept = ~surface6.excluded
    np.testing.assert_allclose(scores[kept], expected[kept], rtol=1e-12)
    assert np.isnan(scores[surface6.excluded]).all()


def test_site_only_weights_are_left_out_and_the_rest_renormalised(surface5):
    weights = default_weights()
    location_only = {k: (v if k in S.LOCATION_KEYS else 0.0) for k, v in weights.items()}
    doubled = {k: 2 * v for k, v in location_only.items() if v <= 5}
    doubled.update({k: v for k, v in location_only.items() if v > 5})
    np.testing.assert_array_equal(surface5.scores(weights), surface5.scores(location_only))
    assert S.ignored_weights(weights) == {c.key: c.default_weight for c in S.SITE_ONLY_CRITERIA if c.default_weight}
    assert abs(sum(S.location_shares(weights).values()) - 1) < 1e-12
    assert not np.array_equal(surface5.scores(weights), surface5.scores(doubled))
    with pytest.raises(S.SurfaceError, match="no location criterion") as err:
        surface5.scores({"power_mw": 5, "area_ha": 3})
    assert isinstance(err.value, ScoringError)  # the CLI's exit 2
    with pytest.raises(ScoringError, match="unknown criterion"):
        surface5.scores({"nope": 1})


def test_only_one_criterion_scores_its_utility(surface5):
    j = S.LOCATION_COLUMNS.index("latency_paris_ms")
    scores = surface5.scores(S.only_weights("latency_paris_ms"))
    kept = ~surface5.excluded
    np.testing.assert_allclose(scores[kept], 100 * surface5.utilities[kept, j])
    with pytest.raises(S.SurfaceError, match="not a location criterion"):
        S.only_weights("power_mw")


# --------------------------------------------------------------------------- cell geometry


@pytest.mark.parametrize("resolution", [5, 6])
def test_cells_are_h3s_own_centre_containment_fill(outline, resolution):
    cells = S.land_cells(outline, resolution)
    reference = np.sort(H.geo_to_cells(outline, resolution))
    np.testing.assert_array_equal(cells, reference)
    assert {h3.get_resolution(c) for c in S.cell_ids(cells[:50])} == {resolution}
    assert all(h3.is_valid_cell(c) for c in S.cell_ids(cells[::97]))


def test_cell_centres_ids_and_areas_are_h3s(surface6, outline):
    for i in range(0, len(surface6), 811):
        cid = surface6.ids[i]
        assert cid == h3.int_to_str(int(surface6.cells[i]))
        lat, lon = h3.cell_to_latlng(cid)
        assert (surface6.lat[i], surface6.lon[i]) == (lat, lon)
        x, y = S.to_metric(np.array([lon]), np.array([lat]))[0]
        assert (x, y) == tuple(surface6.xy[i])
    # the cells tile the outline: their area equals the outline's within 1 %
    import geopandas as gpd

    area = gpd.GeoSeries([outline], crs="EPSG:4326").to_crs("EPSG:6933").area.iloc[0] / 1e6
    cell_area = sum(h3.cell_area(c, unit="km^2") for c in surface6.ids)
    assert abs(cell_area / area - 1) < 0.01
    assert abs(surface6.cell_area_km2 / h3.average_hexagon_area(6, unit="km^2") - 1) < 1e-12


def test_outside_the_outline_there_is_no_cell_and_corsica_is_in(surface6):
    outside = {"Bay of Biscay": (46.0, -3.0), "Geneva": (46.204, 6.143), "Brussels": (50.85, 4.35),
               "Jersey": (49.21, -2.13), "Mediterranean": (42.5, 5.0)}
    for name, (lat, lon) in outside.items():
        assert cell_at(surface6, lat, lon) == -1, name
    inside = {"Bourges": (47.08, 2.40), "Ajaccio hinterland": (41.98, 8.85), "Corte": (42.31, 9.15),
              "Strasbourg area": (48.60, 7.70)}
    for name, (lat, lon) in inside.items():
        assert cell_at(surface6, lat, lon) >= 0, name


def test_check_resolution_refuses_out_of_range_values():
    for bad in (3, 9, -1, True, 7.0, "7"):
        with pytest.raises(S.SurfaceError, match="out of range"):
            S.check_resolution(bad)
    assert S.check_resolution(np.int64(6)) == 6


# --------------------------------------------------------------------------- distances


def test_distances_match_a_haversine_recomputation_within_one_percent(surface6, infra):
    grid = infra.grid
    kv = grid["voltage_kv"].to_numpy(float)
    glon, glat = grid.geometry.x.to_numpy(), grid.geometry.y.to_numpy()
    nuclear = infra.nuclear
    intl = infra.landings[infra.landings["international"].astype(bool)]
    targets = {
        "dist_grid_400_km": (glon[(kv >= 400) & infra.in_service], glat[(kv >= 400) & infra.in_service]),
        "dist_grid_225_km": (glon[infra.in_service], glat[infra.in_service]),
        "dist_nuclear_km": (nuclear.geometry.x.to_numpy(), nuclear.geometry.y.to_numpy()),
        "dist_landing_km": (intl.geometry.x.to_numpy(), intl.geometry.y.to_numpy()),
    }
    rows = np.random.default_rng(1).choice(len(surface6), 400, replace=False)
    for key, (tlon, tlat) in targets.items():
        j = S.LOCATION_COLUMNS.index(key)
        gc = great_circle_km(surface6.lon[rows, None], surface6.lat[rows, None], tlon[None, :], tlat[None, :]).min(1)
        np.testing.assert_allclose(surface6.raw[rows, j], gc, rtol=0.01, atol=0.05, err_msg=key)


def test_kd_tree_distances_equal_the_site_models_strtree_nearest(surface6, infra):
    rows = np.arange(0, len(surface6), 23)
    for targets in (infra.grid_xy[infra.in_service], infra.nuclear_xy):
        np.testing.assert_allclose(S.nearest_km(surface6.xy[rows], targets), nearest(surface6.xy[rows], targets)[1],
                                   rtol=1e-12)


def test_latency_and_cables_follow_the_site_rule(surface5, infra, inputs):
    # a site at a cell centre gets the same values from prepare_sites as the cell
    from tests.conftest import make_sites

    rows = np.arange(0, len(surface5), 157)
    sites = make_sites([{"site_id": f"c{i}", "lon": surface5.lon[i], "lat": surface5.lat[i]} for i in rows])
    prepared = prepare_sites(sites, infra)
    for key in ("dist_grid_400_km", "dist_grid_225_km", "dist_nuclear_km", "dist_landing_km", "intl_cables_150km",
                "latency_paris_ms", "latency_frankfurt_ms"):
        np.testing.assert_allclose(surface5.raw[rows, S.LOCATION_COLUMNS.index(key)], prepared[key].to_numpy(),
                                   rtol=1e-9, atol=1e-9, err_msg=key)


# --------------------------------------------------------------------------- monotonicity


@pytest.mark.parametrize("key", ["dist_grid_400_km", "dist_grid_225_km", "dist_nuclear_km"])
def test_with_only_a_distance_weighted_a_farther_cell_never_scores_higher(surface6, key):
    j = S.LOCATION_COLUMNS.index(key)
    scores = surface6.scores({key: 5})
    kept = ~surface6.excluded
    order = np.argsort(surface6.raw[kept, j], kind="stable")
    assert np.all(np.diff(scores[kept][order]) <= 1e-12)
    assert np.nanmax(scores) > 90 and np.nanmin(scores) < 50


def test_with_only_people_weighted_more_people_never_score_lower(surface6):
    j = S.LOCATION_COLUMNS.index("population_50km")
    scores = surface6.scores({"population_50km": 1})
    kept = ~surface6.excluded
    order = np.argsort(surface6.raw[kept, j], kind="stable")
    assert np.all(np.diff(scores[kept][order]) >= -1e-12)


# --------------------------------------------------------------------------- people within 50 km


def test_gridded_people_within_50km_match_the_exact_sum(surface6, infra):
    rows = np.random.default_rng(0).choice(len(surface6), 1500, replace=False)
    j = S.LOCATION_COLUMNS.index("population_50km")
    approx = surface6.raw[rows, j]
    exact = sum_within(surface6.xy[rows], infra.communes_xy, infra.population, 50.0)
    rel = np.abs(approx - exact) / exact
    c = CRITERIA_BY_KEY["population_50km"]
    du = np.abs(utility(approx, c) - utility(exact, c))
    assert np.median(rel) < 0.01
    assert np.percentile(rel, 99) < 0.06
    assert du.max() < 0.03


def test_disc_sum_counts_the_pixels_within_the_radius():
    grid = np.zeros((41, 41))
    grid[20, 20] = 7.0
    grid[20, 30] = 1.0  # 10 px away
    out = S.disc_sum(grid, 10.0)
    assert out[20, 20] == 8 and out[20, 10] == 7 and out[20, 9] == 0
    assert out[20, 40] == 1 and out[27, 27] == 8  # √98 < 10 from both points
    assert out.sum() == 8 * 317  # 317 lattice points within 10 of the origin (Gauss's circle problem)


# --------------------------------------------------------------------------- dense urban cores


def test_urban_centre_rule_on_a_synthetic_grid():
    density = np.zeros((40, 40))
    density[5:15, 5:15] = 2000.0  # 100 km² × 2,000 = 200,000 people: an urban centre
    density[9, 9] = 100.0  # a hole with 8 dense neighbours: filled
    density[25:28, 25:28] = 3000.0  # 27,000 people: too few
    density[30:40, 0:10] = 1400.0  # 140,000 people but below the density
    urban = S.urban_centres(density)
    assert urban[5:15, 5:15].all() and urban.sum() == 100
    assert not urban[25:28, 25:28].any() and not urban[30:, :10].any()
    # diagonal contact does not join clusters (4-connectivity)
    labels = S.cluster_labels(np.eye(4, dtype=bool))
    assert len(np.unique(labels[labels > 0])) == 4


def test_dense_urban_cores_are_excluded_and_the_countryside_is_not(surface6):
    for name, (lat, lon) in {"Paris": (48.8566, 2.3522), "Lyon": (45.764, 4.8357),
                             "Marseille": (43.2965, 5.3698), "Lille": (50.6292, 3.0573),
                             "Bordeaux": (44.8378, -0.5792)}.items():
        i = cell_at(surface6, lat, lon)
        assert i >= 0 and surface6.excluded[i], name
    for name, (lat, lon) in {"Creuse": (46.17, 1.87), "Beauce": (48.25, 1.6), "Causses": (44.2, 3.2),
                             "Landes forest": (44.2, -0.8)}.items():
        i = cell_at(surface6, lat, lon)
        assert i >= 0 and not surface6.excluded[i], name
    assert 0.002 < surface6.excluded.mean() < 0.03
    assert np.isnan(surface6.scores(default_weights())[surface6.excluded]).all()


def test_the_caveat_says_what_the_surface_does_not_know():
    for word in ("protected areas", "flood", "seismic", "land availability", "zoning", "hosting capacity",
                 "not a site offer"):
        assert word in S.SURFACE_CAVEAT
    assert "not know" in S.__doc__.lower() or "NOT know" in S.__doc__


# --------------------------------------------------------------------------- resolution 7


def test_resolution_7_covers_france_with_finite_values(infra, outline):
    surface = S.build_surface(infra, outline, 7)
    assert 110_000 < len(surface) < 116_000
    assert np.isfinite(surface.raw).all() and np.isfinite(surface.utilities).all()
    assert surface.raw.flags.c_contiguous and surface.utilities.flags.c_contiguous
    scores = surface.scores(default_weights())
    assert np.isfinite(scores).sum() == surface.n_scored
    assert 0 < np.nanmin(scores) < np.nanmax(scores) < 100
    frame = surface.frame(scores)
    assert list(frame.columns[:4]) == ["h3", "lat", "lon", "score"]
    assert len(frame) == surface.n_scored


# --------------------------------------------------------------------------- percentiles


def test_zone_percentiles_compare_sites_with_the_cells(surface6, prepared):
    weights = {"dist_grid_400_km": 5, "latency_paris_ms": 5, "population_50km": 2}
    table = locate.zone_percentiles(surface6, prepared, weights)
    assert list(table["site_id"]) == list(prepared["site_id"])
    cells = surface6.scores(weights)
    cells = cells[np.isfinite(cells)]
    for _, row in table.head(8).iterrows():
        above = 100 * (cells > row["location_score"]).mean()
        assert abs(row["top_pct"] - above) < 0.01
        assert abs(row["percentile"] + row["top_pct"] - 100) < 0.02
        assert row["summary"].startswith("top ")
    assert table["top_pct_power"].notna().all() and table["top_pct_people"].notna().all()
    # the best site on this scale sits in France's top few per cent
    assert table["top_pct"].min() < 5
    only_grid = locate.zone_percentiles(surface6, prepared, {"dist_grid_400_km": 1})
    assert only_grid["top_pct_connectivity"].isna().all()
    best = only_grid.loc[prepared["dist_grid_400_km"].idxmin()]
    assert best["top_pct"] <= only_grid["top_pct"].min() + 1e-9


def test_top_text():
    assert locate.top_text(4.2) == "top 5 %"
    assert locate.top_text(0.04) == "top 0.1 %"
    assert locate.top_text(0.34) == "top 0.4 %"
    assert locate.top_text(float("nan")) == "not scored"


# --------------------------------------------------------------------------- map payload


def test_deck_records_are_compact_and_coloured_like_the_map(surface5):
    from siting.mapview import score_color

    scores = surface5.scores(default_weights())
    records = S.deck_records(surface5, scores)
    assert len(records) == surface5.n_scored
    assert set(records[0]) == {"h3", "score", "color"}
    for rec in records[::53]:
        assert rec["color"] == score_color(rec["score"]) or np.abs(
            np.subtract(rec["color"], score_color(rec["score"]))).max() <= 1
    for s in (0, 12.5, 30, 50, 64.9, 75, 99, 100):
        assert S.score_colours(np.array([s]))[0].tolist() == score_color(s)
    assert S.payload_bytes(records) < 1_000_000
    lean = S.deck_records(surface5, scores, colour=False)
    assert S.payload_bytes(lean) < S.payload_bytes(records)
    json.loads(json.dumps(records))


# --------------------------------------------------------------------------- outline file


def test_outline_layer_is_read_with_checks(tmp_path):
    with pytest.raises(DataValidationError, match="cannot read the outline"):
        S.load_outline(tmp_path)
    (tmp_path / "layers").mkdir()
    (tmp_path / S.OUTLINE_PATH).write_text("{not json", encoding="utf-8")
    with pytest.raises(DataValidationError, match="FeatureCollection"):
        S.load_outline(tmp_path)
    far = shapely.geometry.mapping(shapely.box(20, 10, 21, 11))
    (tmp_path / S.OUTLINE_PATH).write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": far, "properties": {}}]}), encoding="utf-8")
    with pytest.raises(DataValidationError, match="mainland France"):
        S.load_outline(tmp_path)


def test_outline_is_mainland_corsica_and_islands(outline):
    assert len(outline.geoms) == 12
    assert outline.bounds[0] < -4.7 and outline.bounds[2] > 9.5  # Brittany to Corsica
