"""Locate new zones: spacing, clusters, distance from known sites, facts, and zones as sites."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from siting import locate as L
from siting import surface as S
from siting.data import load_layer
from siting.schema import REGION_CODES, REGIONS, SITE_FIELDS, UPLOADED_SITES
from siting.scoring import PRESETS, default_weights, prepare_sites, rank_sites
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def surface(infra):
    return S.build_surface(infra, S.load_outline(REPO_ROOT), 6)


@pytest.fixture(scope="module")
def scores(surface):
    return surface.scores(default_weights())


def pairwise_km(zones, surface):
    xy = surface.xy[surface.index_of(list(zones["h3"]))]
    return np.hypot(*(xy[:, None, :] - xy[None, :, :]).transpose(2, 0, 1)) / 1000.0


def test_zones_are_the_best_cells_in_descending_order_and_spaced_apart(surface, scores, infra):
    zones = L.locate_zones(surface, scores, infra, top=15, min_spacing_km=40)
    assert len(zones) == 15
    assert list(zones["rank"]) == list(range(1, 16))
    assert list(zones.columns[:7]) == ["rank", "h3", "lat", "lon", "score", "region", "commune"]
    assert (np.diff(zones["score"]) <= 0).all()
    assert zones["score"].iloc[0] == pytest.approx(np.nanmax(scores), abs=1e-3)  # the best cell is first
    d = pairwise_km(zones, surface)
    assert d[np.triu_indices(len(zones), 1)].min() >= 40
    rows = surface.index_of(list(zones["h3"]))
    assert (rows >= 0).all() and not surface.excluded[rows].any()
    np.testing.assert_allclose(zones["score"], np.round(scores[rows], 3))


def test_a_larger_spacing_gives_fewer_closer_alternatives(surface, scores, infra):
    tight = L.locate_zones(surface, scores, infra, top=5, min_spacing_km=0)
    assert pairwise_km(tight, surface)[np.triu_indices(5, 1)].min() < 20  # neighbours of the best cell
    wide = L.locate_zones(surface, scores, infra, top=1000, min_spacing_km=300)
    assert 3 <= len(wide) < 20  # France holds only a handful of places 300 km apart
    assert pairwise_km(wide, surface)[np.triu_indices(len(wide), 1)].min() >= 300


def test_zones_as_clusters_of_cells_reach_the_minimum_area(surface, scores, infra):
    area = 2.5 * surface.cell_area_km2
    zones = L.locate_zones(surface, scores, infra, top=6, min_spacing_km=0, min_area_km2=area)
    assert (zones["cells"] == 7).all() and (zones["area_km2"] >= area).all()
    import h3

    seen = set()
    for cell, score in zip(zones["h3"], zones["score"]):
        members = [h3.int_to_str(int(c)) for c in h3.api.numpy_int.grid_disk(h3.str_to_int(cell), 1)]
        rows = surface.index_of(members)
        assert (rows >= 0).all()
        assert score == pytest.approx(np.mean(scores[rows]), abs=1e-3)
        assert not seen & set(members), "zones share a cell"
        seen |= set(members)
    assert L.zone_rings(5.0, 0) == 0 and L.zone_rings(5.0, 5.0) == 0 and L.zone_rings(5.0, 5.1) == 1
    assert L.zone_rings(5.0, 36) == 2


def test_zones_can_keep_away_from_the_known_sites(surface, scores, infra, inputs):
    near = L.locate_zones(surface, scores, infra, top=10, known_sites=inputs.sites)
    assert near["dist_nearest_site_km"].min() < 25
    away = L.locate_zones(surface, scores, infra, top=10, known_sites=inputs.sites, avoid_km=25)
    assert (away["dist_nearest_site_km"] >= 25).all()
    assert set(away["nearest_site_id"]) <= set(inputs.sites["site_id"])


def test_zone_facts_are_the_site_models_at_the_zone_centre(surface, scores, infra, inputs):
    zones = L.locate_zones(surface, scores, infra, top=8, known_sites=inputs.sites)
    again = prepare_sites(L.zones_as_sites(zones), infra)
    for column in ("dist_grid_400_km", "dist_nuclear_km", "dist_landing_km", "population_50km",
                   "latency_paris_ms"):
        np.testing.assert_allclose(zones[column], again[column], atol=1e-3, err_msg=column)
    assert list(zones["nearest_grid_400_name"]) == list(again["nearest_grid_400_name"])
    assert set(zones["region"]) <= set(REGIONS)
    # the commune is the nearest commune centroid, and the région its region
    communes = inputs.communes
    first = zones.iloc[0]
    row = communes[communes["code_insee"] == first["code_insee"]].iloc[0]
    assert row["name"] == first["commune"]
    assert REGION_CODES[row["region_code"]] == first["region"]


def test_region_code_map_names_every_region_once():
    assert sorted(REGION_CODES.values()) == sorted(REGIONS)


def test_located_zones_join_the_ranking_as_sites_marked_as_located(surface, infra, inputs):
    weights = PRESETS["ai-training"].weights
    zones = L.locate_zones(surface, surface.scores(weights), infra, top=3, known_sites=inputs.sites)
    located = L.zones_as_sites(zones, "preset ai-training")
    assert set(f.name for f in SITE_FIELDS) <= set(located.columns)
    assert located["located"].all()
    assert (located["evidence"] == "indicative").all()
    assert located["evidence_note"].str.contains("not an announced site").all()
    assert located["status"].eq(L.LOCATED_STATUS).all()
    assert (located["location_precision_km"] == L.zone_radius_km(6, 0)).all()
    assert located["power_mw"].isna().all() and located["area_ha"].isna().all()
    combined = pd.concat([inputs.sites, located], ignore_index=True)
    ranking = rank_sites(prepare_sites(combined, infra))
    assert set(located["site_id"]) <= set(ranking.table["site_id"])
    assert len(ranking.table) == len(inputs.sites) + 3


def test_located_zones_pass_the_site_schema(surface, scores, infra, tmp_path):
    located = L.zones_as_sites(L.locate_zones(surface, scores, infra, top=4, min_area_km2=100))
    features = []
    for rec in located.drop(columns=["geometry", "located"]).to_dict(orient="records"):
        props = {k: (None if (isinstance(v, float) and np.isnan(v)) or v is pd.NA else v) for k, v in rec.items()}
        features.append({"type": "Feature", "properties": props,
                         "geometry": {"type": "Point", "coordinates": [float(located.geometry.iloc[len(features)].x),
                                                                       float(located.geometry.iloc[len(features)].y)]}})
    path = tmp_path / "located.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    loaded = load_layer(path, UPLOADED_SITES)  # raises DataValidationError listing any problem
    assert len(loaded) == 4
    assert (loaded["location_precision_km"] > S.cell_radius_km(6)).all()  # clusters are wider than a cell


@pytest.mark.parametrize("kwargs, message", [
    ({"top": 0}, "top"), ({"top": 1001}, "top"), ({"top": 2.5}, "top"),
    ({"min_spacing_km": -1}, "spacing"), ({"min_spacing_km": float("nan")}, "spacing"),
    ({"min_area_km2": -5}, "area"), ({"avoid_km": float("inf")}, "known sites"),
])
def test_bad_options_are_refused(surface, scores, infra, kwargs, message):
    with pytest.raises(S.SurfaceError, match=message):
        L.locate_zones(surface, scores, infra, **kwargs)


def test_scores_must_come_from_the_surface(surface, infra):
    with pytest.raises(S.SurfaceError, match="one per cell"):
        L.locate_zones(surface, np.zeros(3), infra)
