"""Analyst views through AppTest: each renders without exception and shows the model's numbers."""

from __future__ import annotations

import json

import h3
import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from siting.data import load_inputs
from siting.explain import compare_sites
from siting.proximity import Infrastructure
from siting.regions import summarise_regions
from siting.robustness import monte_carlo
from siting.schema import CRITERIA
from siting.scoring import prepare_sites, rank_sites
from siting.text import md_escape
from siting.urlstate import TABS
from tests.conftest import DATA, REPO_ROOT
from views import header, sidebar
from views import method as method_view
from views.ahp import SCALE, judgement
from views.surface import MAP_RESOLUTION

APP = str(REPO_ROOT / "app.py")


@pytest.fixture(scope="module")
def model():
    inputs = load_inputs(REPO_ROOT)
    return rank_sites(prepare_sites(inputs.sites, Infrastructure.of(inputs)))


def _run(**params):
    at = AppTest.from_file(APP, default_timeout=60)
    if params:
        params.setdefault("v", "2")  # links written by this version
    for key in sidebar.SECTION_KEYS:  # every sidebar section open, as a user who opened them all
        at.session_state[key] = True
    for k, v in params.items():
        at.query_params[k] = v
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _frames(at):
    return [df.value for df in at.dataframe]


def _open(at, label: str):
    """Switch to the tab ``label`` (what a click on it does) and rerun."""
    at.session_state["tab"] = label
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def _keys(at) -> set:
    return {w.key for w in at.multiselect}


def _ranking(at):
    return next(f for f in _frames(at) if "rank" in f.columns and "score" in f.columns)


@pytest.fixture(scope="module")
def app():
    return _run(tab="compare")


def test_every_tab_renders_and_only_the_open_tab_runs():
    at = _run()
    assert [t.label for t in at.tabs] == list(TABS.values())
    assert len(at.get("deck_gl_json_chart")) == 1 and "compare_ids" not in _keys(at)
    for label in TABS.values():
        _open(at, label)
        assert not at.error, label
    # the last tab opened (AHP) is the only one whose content ran
    assert "ahp_keys" in _keys(at) and not at.get("deck_gl_json_chart")


def test_tab_is_part_of_the_shareable_link():
    at = _run(tab="regions")
    assert at.session_state["tab"] == "Regions" and at.query_params["tab"] == "regions"
    _open(at, "Map & ranking")
    assert "tab" not in at.query_params


def test_choices_in_hidden_tabs_are_kept(model):
    at = _run(tab="robustness")
    at.number_input(key="rob_seed").set_value(7).run()
    at.select_slider(key="rob_draws").set_value(500).run()
    _open(at, "Compare")
    ids = list(model.table["site_id"][[4, 0, 9]])
    at.multiselect(key="compare_ids").set_value(ids).run()
    _open(at, "Map & ranking")
    _open(at, "Robustness")
    assert at.number_input(key="rob_seed").value == 7 and at.select_slider(key="rob_draws").value == 500
    _open(at, "Compare")
    assert at.multiselect(key="compare_ids").value == ids


def test_compare_shows_the_models_values(app, model):
    ids = app.multiselect(key="compare_ids").value
    assert len(ids) == 2 and ids == list(model.table["site_id"][:2])
    expected = compare_sites(model, ids)
    frames = [f for f in _frames(app) if "Announced power" in list(getattr(f, "index", []))]
    assert frames, "comparison tables missing"
    raw = frames[0]
    power = expected[(expected["key"] == "power_mw")].set_index("site_id")["value"]
    assert raw.loc["Announced power"].iloc[0].startswith(power[ids[0]])
    both = frames[1]  # utility and points per site, side by side
    points = both.loc["Announced power", [c for c in both.columns if c.startswith("points · ")]]
    np.testing.assert_allclose(points.to_numpy(dtype=float),
                               expected[expected["key"] == "power_mw"]["points"].to_numpy(), atol=0.005)
    assert all(c.startswith(("utility · ", "points · ")) for c in both.columns)
    assert len(points) == 2 and len(set(both.columns)) == len(both.columns)


def test_compare_four_sites():
    at = _run(tab="compare")
    ids = list(at.multiselect(key="compare_ids").options)[:4]
    at.multiselect(key="compare_ids").set_value(ids).run()
    assert not at.exception and len(at.multiselect(key="compare_ids").value) == 4


def test_robustness_matches_the_model_with_the_same_seed(model):
    app = _run(tab="robustness")
    expected = monte_carlo(model, draws=2000, seed=0).table
    table = next(f for f in _frames(app) if "p_top3" in f.columns)
    np.testing.assert_allclose(table["p_top3"].to_numpy(), expected["p_top3"].head(len(table)).to_numpy())
    assert any("2,000 draws, seed 0" in c.value for c in app.caption)
    sens = next(f for f in _frames(app) if "range" in f.columns)
    assert len(sens) == len(CRITERIA)


def test_regions_table_matches_the_summary(model):
    app = _run(tab="regions")
    table = next(f for f in _frames(app) if "official_zones" in f.columns)
    expected = summarise_regions(model)
    assert list(table["official_zones"]) == list(expected["official_zones"])
    for shown, mw, known, n in zip(table["power"], expected["power_mw_shown"], expected["power_known_sites"],
                                   expected["sites_shown"]):
        # unknown power is said, never shown as 0 MW
        assert shown == ("unknown" if known == 0 and n else "—" if not n else shown)
        if known:
            assert shown.startswith(f"{mw:,.0f} MW")
    assert any("Best site's score (score)" in h.proto.body for h in app.get("html"))
    charts = [json.loads(c.proto.json) for c in app.get("deck_gl_json_chart")]
    choropleth = [c for c in charts if c["layers"][0]["id"] == "region_choropleth"]
    assert len(choropleth) == 1 and len(choropleth[0]["layers"][0]["data"]["features"]) == 13
    assert any("regional split is contested" in c.value and "28 first sites" in c.value for c in app.caption)


def test_data_and_method_shows_provenance_and_completeness():
    app = _run(tab="method")
    overview = method_view.layer_overview(load_inputs(REPO_ROOT))
    assert len(overview) == 7 and overview["features"].iloc[0] == 35
    layers = overview.set_index("file")
    assert layers.loc["layers/grid_connection_points.geojson", "licence"] == "Licence Ouverte / Etalab 2.0"
    assert layers.loc["layers/power_plants.geojson", "licence"] == "CC-BY-4.0"
    # shown whole in a static table (no column cut off), the files' text escaped for its Markdown cells
    shown = next(t.value for t in app.table if "licence" in t.value.columns)
    assert list(shown.columns) == list(overview.columns) and len(shown) == 7
    assert list(shown["licence"]) == [md_escape(v, 600) for v in overview["licence"]]
    assert shown["features"].iloc[4] == f"{overview['features'].iloc[4]:,}"
    completeness = next(f for f in _frames(app) if "sourced (%)" in f.columns).set_index("field")
    assert completeness.loc["site_id", "sourced (%)"] == 100
    # an estimated area is not a known one: the three shares of area_ha match the data
    sites = load_inputs(REPO_ROOT).sites
    estimated = sites["estimated_fields"].map(lambda v: "area_ha" in v).mean() * 100
    assert estimated > 0
    assert completeness.loc["area_ha", "estimated (%)"] == round(estimated)
    assert completeness.loc["area_ha", "sourced (%)"] == round(100 * sites["area_ha"].notna().mean() - estimated)
    assert any("Limits of the model" in m.value for m in app.markdown)


def test_ahp_applies_weights_and_warns_when_inconsistent():
    at = _run(tab="ahp")
    keys = at.multiselect(key="ahp_keys").value
    assert len(keys) == 4
    at.select_slider(key=f"ahp_pair_{keys[0]}_{keys[1]}").set_value(9)
    at.select_slider(key=f"ahp_pair_{keys[1]}_{keys[2]}").set_value(9)
    at.select_slider(key=f"ahp_pair_{keys[0]}_{keys[2]}").set_value(1 / 9)
    at.run()
    assert any("Consistency ratio" in w.value and "> 0.1" in w.value for w in at.warning)
    at.select_slider(key=f"ahp_pair_{keys[0]}_{keys[2]}").set_value(9).run()
    at.button(key="ahp_apply").click().run()
    assert not at.exception
    assert at.slider(key=f"weight_{keys[0]}").value == 10.0
    assert at.slider(key="weight_area_ha").value == 0.0


def test_upload_scores_valid_rows_and_lists_bad_ones():
    at = _run(tab="upload")
    csv = (b"site_id,name,lat,lon,power_mw\n"
           b"mine-1,My Lyon site,45.75,4.85,900\n"
           b"mine-2,Broken row,45.75,4.85,-5\n"
           b"mine-3,<img src=x onerror=alert(1)>,48.85,2.35,100\n")
    at.file_uploader(key="upload_file").set_value(("mine.csv", csv, "text/csv")).run()
    assert not at.exception
    assert any("2 of 3 site(s)" in s.value for s in at.success)
    assert any("power_mw" in c.value for c in at.code)
    _open(at, "Map & ranking")
    ranking = _ranking(at)
    assert {"My Lyon site", "<img src=x onerror=alert(1)>"} <= set(ranking["site"]) and len(ranking) == 37
    deck = next(json.loads(c.proto.json) for c in at.get("deck_gl_json_chart")
                if any(layer["id"] == "sites" for layer in json.loads(c.proto.json)["layers"]))
    assert "uploaded_rings" in [layer["id"] for layer in deck["layers"]]
    _open(at, "Your sites")
    at.radio(key="upload_mode").set_value("replace").run()
    assert _ranking(_open(at, "Map & ranking")).shape[0] == 2


def test_uploaded_sites_stay_while_their_tab_is_hidden_until_removed():
    at = _run(tab="upload")
    at.file_uploader(key="upload_file").set_value(
        ("mine.csv", b"site_id,name,lat,lon\nmine-1,My site,45.75,4.85\n", "text/csv")).run()
    for label in ("Map & ranking", "Compare", "Map & ranking"):
        _open(at, label)
    assert len(_ranking(at)) == 36 and "My site" in set(_ranking(at)["site"])
    _open(at, "Your sites")
    assert any("In use: mine" in c.value for c in at.caption)
    at.button(key="upload_remove").click().run()
    assert len(_ranking(_open(at, "Map & ranking"))) == 35


def test_broken_upload_shows_an_error_and_keeps_the_35():
    at = _run(tab="upload")
    at.file_uploader(key="upload_file").set_value(
        ("bad.geojson", (DATA / "bad" / "not_json.geojson").read_bytes(), "application/json")).run()
    assert not at.exception
    assert any("could not be read" in e.value for e in at.error)
    assert at.metric[0].value == "35 of 35"


HOSTILE = DATA / "hostile"


def test_hostile_uploads_show_an_error_and_leave_the_35_untouched():
    expected = json.loads((HOSTILE / "EXPECTED.json").read_text())
    at = _run(tab="upload")
    invalid = sorted(name for name, spec in expected.items() if spec["exit"] == 1)
    for name in invalid[:: max(1, len(invalid) // 20)]:  # a spread of ~20 files
        content = (HOSTILE / name).read_bytes()
        if len(content) > 1_000_000:
            continue
        at.file_uploader(key="upload_file").set_value((name, content, "application/octet-stream")).run()
        assert not at.exception, (name, [e.message for e in at.exception])
        assert at.error or at.warning, name
        shown, total = at.metric[0].value.split(" of ")
        assert int(shown) >= 35, name  # the 35 zones are still scored (add mode)


def test_uploaded_ids_that_clash_with_the_35_are_renamed_and_kept():
    at = _run(tab="upload")
    at.file_uploader(key="upload_file").set_value(
        ("clash.csv", b"site_id,name,lat,lon\nla-maxe-edf,My La Maxe,49.2,6.2\n", "text/csv")).run()
    assert not at.exception
    assert any("renamed" in i.value for i in at.info)
    ranking = _ranking(_open(at, "Map & ranking"))
    assert len(ranking) == 36 and "My La Maxe" in set(ranking["site"])


def test_beyond_the_35_shows_percentiles_of_every_zone_and_locates_zones_that_join_the_ranking(model):
    at = _run(tab="surface")
    percentiles = next(f for f in _frames(at) if "top_pct" in f.columns)
    assert len(percentiles) == len(model.table) and percentiles["top_pct"].between(0, 100).all()
    assert any("not a site offer" in w.value and "flood" in w.value for w in at.warning)
    located = next(f for f in _frames(at) if "nearest_grid_400_name" in f.columns)
    assert len(located) == at.number_input(key="locate_top").value
    charts = [json.loads(c.proto.json) for c in at.get("deck_gl_json_chart")]
    assert any(layer["id"] == "surface" and layer["@@type"] == "H3HexagonLayer"
               for c in charts for layer in c["layers"])
    next(b for b in at.button if b.label.startswith("Add these zones")).click().run()
    assert not at.exception
    _open(at, "Map & ranking")
    ranking = next(f for f in _frames(at) if "score" in f.columns and "site" in f.columns)
    located_rows = ranking[ranking["site"].str.contains("(model)", regex=False)]
    assert len(located_rows) == len(located)  # ranked like any site, marked as the model's


def test_surface_overlay_follows_the_weights_and_stays_under_a_megabyte():
    at = _run(layers="grid_points,surface")
    deck = next(json.loads(c.proto.json) for c in at.get("deck_gl_json_chart"))
    layer = next(layer for layer in deck["layers"] if layer["id"] == "surface")
    assert len(json.dumps(deck)) < 1_000_000 and 250 < len(layer["data"]) < 500  # res-4 cells of France
    assert {h3.get_resolution(r["h3"]) for r in layer["data"]} == {MAP_RESOLUTION}
    before = {r["h3"]: r["score"] for r in layer["data"]}
    for c in CRITERIA:
        at.slider(key=f"weight_{c.key}").set_value(0.0)
    at.slider(key="weight_dist_nuclear_km").set_value(10.0).run()
    deck = next(json.loads(c.proto.json) for c in at.get("deck_gl_json_chart"))
    after = {r["h3"]: r["score"] for r in next(la for la in deck["layers"] if la["id"] == "surface")["data"]}
    assert before != after and set(before) == set(after)


def test_a_saved_scenario_is_compared_and_travels_in_the_link():
    at = _run(tab="methods")
    at.text_input(key="save_name").input("Balanced now")
    next(b for b in at.button if b.label == "Save the current scenario").click().run()
    assert not at.exception
    assert at.query_params["s1"].startswith("Balanced now~")
    frames = _frames(at)
    assert any("consensus_rank" in f.columns or "consensus" in f.columns for f in frames)
    again = _run(tab="methods", s1=at.query_params["s1"])
    assert any("Balanced now" in m.value for m in again.markdown)


def test_data_and_method_draws_value_utility_curves():
    at = _run(tab="method")
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    assert specs, "no curve drawn"


def test_objective_weights_set_the_sliders():
    at = _run(tab="methods")
    next(b for b in at.button if b.label == "Use Entropy").click().run()
    assert not at.exception
    weights = {c.key: at.slider(key=f"weight_{c.key}").value for c in CRITERIA}
    assert max(weights.values()) == 10.0 and weights != {c.key: c.default_weight for c in CRITERIA}
    assert any(d.label == "Consensus (CSV)" for d in at.get("download_button"))


@pytest.mark.parametrize(("name", "commune", "shown"), [
    ("Fouju – Campus IA (MGX, Bpifrance, Mistral AI, NVIDIA)", "Fouju", "Fouju"),
    ("Montereau-Vallée-de-la-Seine – former EDF power station (OpCore)", "La Grande-Paroisse",
     "Montereau-Vallée-de-la-Seine"),
    ("Indicative zone – Parc du Moutet (Bourges)", "Bourges", "Bourges (indicative zone)"),
    ("Indicative zone – Parc du Moutet (Bourges)", float("nan"), "Indicative zone – Parc du Moutet (Bourges)"),
    ("My upload without a dash", None, "My upload without a dash"),
])
def test_the_top_site_figure_names_the_place_even_for_an_indicative_zone(name, commune, shown):
    assert header.short_name(name, commune) == shown


def test_the_top_site_figure_is_the_first_ranked_site(model):
    at = _run()
    top = model.table.iloc[0]
    assert at.metric[3].label == "Top site"
    assert at.metric[3].value == md_escape(header.short_name(top["name"], top["commune"]), 60)


def test_ahp_judgements_say_in_words_which_criterion_matters_more():
    said = [judgement(v, "Power", "Latency") for v in SCALE]
    assert said[0] == "9 · Power extremely more important" and said[-1] == "9 · Latency extremely more important"
    assert said[4] == "1 · equally important"
    assert said[3] == "3 · Power moderately more important" and said[5] == "3 · Latency moderately more important"
    assert len(set(said)) == len(SCALE), "every position of the scale reads differently"
