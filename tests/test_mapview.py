"""The map is tested as data: layer ids, types, colours, coordinates, tooltips."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from siting import mapview
from siting.data import load_inputs
from siting.proximity import Infrastructure
from siting.scoring import Constraints, Scenario, prepare_sites, rank_sites
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def world():
    inputs = load_inputs(REPO_ROOT)
    prepared = prepare_sites(inputs.sites, Infrastructure.of(inputs))
    announced = prepare_sites(inputs.announced, Infrastructure.of(inputs))
    return inputs, prepared, announced


def _spec(deck):
    return json.loads(deck.to_json())


def _layer(spec, layer_id):
    return next(layer for layer in spec["layers"] if layer["id"] == layer_id)


def test_default_map_has_the_expected_layers_in_order(world):
    inputs, prepared, announced = world
    spec = _spec(mapview.build_deck(rank_sites(prepared), inputs, announced=announced))
    assert [layer["id"] for layer in spec["layers"]] == ["regions", "grid_points", "power_plants", "cable_landings",
                                                       "announced", "sites", "site_hits", "indicative_rings"]
    assert all(layer["id"] in mapview.LAYER_IDS for layer in spec["layers"])
    # no plain-string property may be turned into a JS expression by pydeck
    for layer in spec["layers"]:
        for key, value in layer.items():
            if isinstance(value, str) and value.startswith("@@="):
                assert key.startswith("get"), (layer["id"], key)
    assert _layer(spec, "sites")["@@type"] == "ScatterplotLayer"
    assert _layer(spec, "regions")["@@type"] == "GeoJsonLayer"
    assert len(_layer(spec, "sites")["data"]) == 35
    assert len(_layer(spec, "grid_points")["data"]) == len(inputs.grid)


def test_where_sites_overlap_the_better_ranked_one_is_on_top_and_takes_the_click(world):
    """Fouju (a real 1.4 GW campus) and the Villaroche placeholder overlap at national zoom."""
    inputs, prepared, _ = world
    ranking = rank_sites(prepared)
    data = _layer(_spec(mapview.build_deck(ranking, inputs)), "sites")["data"]
    order = [d["site_id"] for d in data]
    assert order == list(ranking.table["site_id"])[::-1]
    fouju = next(d for d in data if d["site_id"] == "fouju-campus-ia")
    placeholder = next(d for d in data if d["site_id"] == "ile-de-france-indicative-villaroche")
    rank = dict(zip(ranking.table["site_id"], ranking.table["rank"]))
    assert rank["fouju-campus-ia"] < rank["ile-de-france-indicative-villaroche"]
    assert order.index("fouju-campus-ia") > order.index("ile-de-france-indicative-villaroche")
    assert placeholder["radius"] < fouju["radius"]  # unknown power: a small circle, not a big one
    rings = _layer(_spec(mapview.build_deck(ranking, inputs)), "indicative_rings")
    assert rings["pickable"] is False  # rings never catch the click


def test_site_colours_follow_the_score(world):
    inputs, prepared, _ = world
    ranking = rank_sites(prepared)
    data = _layer(_spec(mapview.build_deck(ranking, inputs)), "sites")["data"]
    best, worst = data[-1], data[0]  # drawn best last (on top)
    assert best["site_id"] == ranking.table.iloc[0]["site_id"]
    assert best["fill"][:3] == mapview.score_color(ranking.table.iloc[0]["score"])
    assert best["fill"][:3] != worst["fill"][:3]
    # darker (lower sum of RGB) means a higher score on this scale
    assert sum(best["fill"][:3]) < sum(worst["fill"][:3])


def test_score_colour_scale_is_monotone_and_bounded():
    sums = [sum(mapview.score_color(s)) for s in range(0, 101, 5)]
    assert sums == sorted(sums, reverse=True)
    assert mapview.score_color(-5) == mapview.score_color(0)
    assert mapview.score_color(500) == mapview.score_color(100)


def test_indicative_zones_are_drawn_hollow_and_thick_lined(world):
    inputs, prepared, _ = world
    ranking = rank_sites(prepared)
    data = {d["site_id"]: d for d in _layer(_spec(mapview.build_deck(ranking, inputs)), "sites")["data"]}
    evidence = dict(zip(ranking.table["site_id"], ranking.table["evidence"]))
    for site_id, d in data.items():
        if evidence[site_id] == "indicative":
            assert d["fill"][3] < 128 and d["indicative"]
            assert "placeholder" in d["tooltip"]
        else:
            assert d["fill"][3] > 200


def test_coordinates_are_lon_lat(world):
    inputs, prepared, _ = world
    data = _layer(_spec(mapview.build_deck(rank_sites(prepared), inputs)), "sites")["data"]
    for d in data:
        assert -5.5 < d["lon"] < 10 and 41 < d["lat"] < 51.5


def test_selected_site_gets_lines_to_its_nearest_substation_and_landing(world):
    inputs, prepared, _ = world
    ranking = rank_sites(prepared)
    site = ranking.table.iloc[3]
    spec = _spec(mapview.build_deck(ranking, inputs, mapview.MapOptions(selected_site=site["site_id"])))
    lines = _layer(spec, "connections")["data"]
    grid = inputs.grid.set_index("grid_point_id").loc[site["nearest_grid_400_id"]].geometry
    assert lines[0]["from"] == [pytest.approx(site.geometry.x), pytest.approx(site.geometry.y)]
    assert lines[0]["to"] == [pytest.approx(grid.x), pytest.approx(grid.y)]
    assert "selected" in [layer["id"] for layer in spec["layers"]]
    for layer in spec["layers"]:
        for key, value in layer.items():
            if isinstance(value, str) and value.startswith("@@="):
                assert key.startswith("get"), (layer["id"], key)


def test_offline_basemap_has_no_provider_and_fills_regions(world):
    inputs, prepared, _ = world
    spec = _spec(mapview.build_deck(rank_sites(prepared), inputs, mapview.MapOptions(basemap="none", layers=())))
    assert spec.get("mapProvider") in (None, "")
    # Streamlit treats a missing/None style as "use a CARTO default"; only pydeck's sentinel means none
    assert spec.get("mapStyle") == "__MAP_STYLE__"
    assert _layer(spec, "regions")["filled"] is True


def test_carto_basemap_is_configured(world):
    inputs, prepared, _ = world
    spec = _spec(mapview.build_deck(rank_sites(prepared), inputs, mapview.MapOptions(basemap="carto-dark")))
    assert spec["mapProvider"] == "carto" and "dark" in spec["mapStyle"]


def test_tooltips_use_text_mode_and_keep_hostile_names_inert(world):
    inputs, prepared, _ = world
    hostile = prepared.copy()
    hostile.loc[hostile.index[0], "name"] = "<img src=x onerror=alert(1)>\u202e\x07"
    deck = mapview.build_deck(rank_sites(hostile), inputs)
    spec = _spec(deck)
    assert set(deck._tooltip) >= {"text"} and "html" not in deck._tooltip
    tips = [d["tooltip"] for d in _layer(spec, "sites")["data"]]
    assert any("<img src=x onerror=alert(1)>" in t for t in tips)  # shown as text, never as markup
    assert not any("\x07" in t or "\u202e" in t for t in tips)


def test_filtered_out_sites_are_grey_in_their_own_layer(world):
    inputs, prepared, _ = world
    ranking = rank_sites(prepared, Scenario(constraints=Constraints(min_power_mw=500)))
    spec = _spec(mapview.build_deck(ranking, inputs))
    grey = _layer(spec, "excluded_sites")["data"]
    assert len(grey) == len(ranking.excluded) > 0
    assert all(d["fill"][:3] == list(mapview.PALETTE["excluded"][:3]) for d in grey)


def test_offline_base_gives_touching_regions_different_tones(world):
    inputs, _, _ = world
    static = mapview.build_static_layers(inputs)
    tones = {f["properties"]["region"]: tuple(f["properties"]["tone"]) for f in static.regions["features"]}
    geoms = inputs.regions.set_index("region").geometry
    touching = [(a, b) for a in geoms.index for b in geoms.index if a < b and geoms[a].intersects(geoms[b])]
    assert len(touching) >= 20  # mainland regions share borders
    assert all(tones[a] != tones[b] for a, b in touching)
    spec = _spec(mapview.build_deck(rank_sites(prepare_sites(inputs.sites, Infrastructure.of(inputs))),
                                    inputs, mapview.MapOptions(basemap="none"), static=static))
    regions = _layer(spec, "regions")
    assert regions["stroked"] is False and regions["getFillColor"] == "@@=properties.tone"


def test_power_plant_layer_shows_nuclear_units_and_closed_plants(world):
    inputs, prepared, announced = world
    static = mapview.build_static_layers(inputs, announced)
    tips = [r["tooltip"] for r in static.plants]
    assert len(static.plants) == len(inputs.plants)
    gravelines = next(t for t in tips if t.startswith("Gravelines · nuclear"))
    assert "6 × 910 MW = 5,460 MW" in gravelines
    fessenheim = next(r for r in static.plants if r["tooltip"].startswith("Fessenheim · nuclear"))
    assert "closed in 2020" in fessenheim["tooltip"] and fessenheim["fill"] == list(mapview.PALETTE["plant_closed"])
    planned = [r for r in static.grid if "Planned" in r["tooltip"]]
    assert len(planned) == int((inputs.grid["status"] == "planned").sum()) > 0
    assert all(r["fill"] == list(mapview.PALETTE["grid_planned"]) for r in planned)


def test_selected_site_is_joined_to_its_nearest_nuclear_plant(world):
    inputs, prepared, announced = world
    spec = _spec(mapview.build_deck(rank_sites(prepared), inputs,
                                    mapview.MapOptions(selected_site="dunkerque-loon-plage"), announced=announced))
    tips = [line["tooltip"] for line in _layer(spec, "connections")["data"]]
    assert any(t.startswith("Nearest nuclear power plant: Gravelines, 6 km") for t in tips), tips


def test_published_layers_are_sent_as_addresses_of_identical_files(world, tmp_path):
    inputs, prepared, announced = world
    static = mapview.build_static_layers(inputs, announced)
    published = mapview.publish_static_layers(static, tmp_path / "mapdata", "app/static/mapdata")
    again = mapview.publish_static_layers(static, tmp_path / "mapdata", "app/static/mapdata")
    assert published.urls == again.urls and len(list((tmp_path / "mapdata").iterdir())) == 5  # idempotent
    spec = _spec(mapview.build_deck(rank_sites(prepared), inputs, announced=announced, static=published))
    for layer_id, inline in (("regions", static.regions), ("grid_points", static.grid),
                             ("cable_landings", static.landings), ("announced", static.announced),
                             ("power_plants", static.plants)):
        url = _layer(spec, layer_id)["data"]
        assert url.startswith("app/static/mapdata/") and url.endswith(".json"), url
        assert json.loads((tmp_path / "mapdata" / url.rsplit("/", 1)[1]).read_text(encoding="utf-8")) == inline
    assert isinstance(_layer(spec, "sites")["data"], list)  # scenario-dependent layers stay inline
    changed = mapview.StaticLayers(static.regions, static.grid[1:], static.landings, static.announced)
    assert mapview.publish_static_layers(changed, tmp_path / "mapdata", "x").urls["grid_points"] != \
        "x/" + published.urls["grid_points"].rsplit("/", 1)[1]  # new content, new name: no stale cache


def test_publishing_into_a_read_only_folder_raises_oserror(world, tmp_path):
    inputs, _, _ = world
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the folder should be")
    with pytest.raises(OSError):
        mapview.publish_static_layers(mapview.build_static_layers(inputs), blocker / "mapdata", "app/static")


def test_palette_colours_are_four_channels_and_each_one_is_drawn():
    assert mapview.PALETTE
    assert all(len(c) == 4 and all(type(v) is int and 0 <= v <= 255 for v in c) for c in mapview.PALETTE.values())
    source = Path(mapview.__file__).read_text(encoding="utf-8")
    asked = set(re.findall(r'PALETTE\["(\w+)"', source))
    assert asked and asked <= set(mapview.PALETTE)  # every colour the map asks for by name is in the file
    unused = [name for name in mapview.PALETTE if f'"{name}"' not in source]
    assert not unused, f"colours in siting/palette.toml that the map never draws: {unused}"


@pytest.mark.parametrize("text, fragment", [
    ("[rgba]\nsite = [1, 2, 3]\n", "colour 'site' must be [red, green, blue, alpha]"),
    ("[rgba]\nsite = [1, 2, 3, 256]\n", "not [1, 2, 3, 256]"),
    ("[rgba]\nsite = [1, 2, 3, 0.5]\n", "four whole numbers from 0 to 255"),
    ("[rgba]\nsite = [1, 2, 3, true]\n", "four whole numbers from 0 to 255"),
    ("[rgba]\nsite = \"#ff0000\"\n", "colour 'site'"),
    ("site = [1, 2, 3, 4]\n", "no [rgba] table"),
])
def test_a_malformed_palette_is_refused_with_the_colour_named(tmp_path, text, fragment):
    path = tmp_path / "palette.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(fragment)):
        mapview.load_palette(path)


def test_every_malformed_colour_is_named_at_once(tmp_path):
    path = tmp_path / "palette.toml"
    path.write_text('[rgba]\nsite = [1, 2, 3]\nexcluded = [1, 2, 3, 300]\nannounced = [1, 2, 3, 4]\n', encoding="utf-8")
    with pytest.raises(ValueError, match="2 bad colour") as err:
        mapview.load_palette(path)
    assert "'site'" in str(err.value) and "'excluded'" in str(err.value) and "'announced'" not in str(err.value)


def test_a_colour_missing_from_the_palette_names_the_file(tmp_path):
    path = tmp_path / "palette.toml"
    path.write_text("[rgba]\nsite = [1, 2, 3, 4]\n", encoding="utf-8")
    palette = mapview.load_palette(path)
    assert palette["site"] == (1, 2, 3, 4)
    with pytest.raises(KeyError, match=re.escape(f"no colour 'excluded' in {path}")):
        palette["excluded"]
