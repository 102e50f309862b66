"""The explorer page through Streamlit's AppTest: widgets, ranking, map JSON, URL state, bad data."""

from __future__ import annotations

import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from siting import mapview, urlstate
from siting.schema import CRITERIA
from siting.scoring import PRESETS
from tests.conftest import REPO_ROOT
from views import sidebar

APP = str(REPO_ROOT / "app.py")


def _app(**params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if params:
        params.setdefault("v", "2")  # links written by this version
    for key in sidebar.SECTION_KEYS:  # every sidebar section open, as a user who opened them all
        at.session_state[key] = True
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def _ranking(at):
    return next(df.value for df in at.dataframe if "rank" in df.value.columns and "score" in df.value.columns)


def _deck(at) -> dict:
    """The explorer's main map (the Regions tab has its own choropleth)."""
    specs = [json.loads(chart.proto.json) for chart in at.get("deck_gl_json_chart")]
    maps = [spec for spec in specs if any(layer["id"] == "sites" for layer in spec["layers"])]
    assert len(maps) == 1
    return maps[0]


def _model():
    """The 35 prepared zones, to check the table's text cells against the model's numbers."""
    from siting.data import load_inputs
    from siting.proximity import Infrastructure
    from siting.scoring import prepare_sites

    inputs = load_inputs(REPO_ROOT)
    return prepare_sites(inputs.sites, Infrastructure.of(inputs))


@pytest.fixture(scope="module")
def first_run():
    return _app()


def test_first_run_has_no_exception_or_error(first_run):
    assert not first_run.exception, [e.message for e in first_run.exception]
    assert not first_run.error
    assert len(_ranking(first_run)) == 35


def test_one_slider_per_criterion_with_registry_defaults(first_run):
    for c in CRITERIA:
        slider = first_run.slider(key=f"weight_{c.key}")
        assert slider.value == c.default_weight and slider.max == 10


def test_changing_a_weight_changes_the_ranking():
    at = _app()
    before = _ranking(at)[["site", "score"]].reset_index(drop=True)
    for c in CRITERIA:
        at.slider(key=f"weight_{c.key}").set_value(0.0)
    at.slider(key="weight_latency_paris_ms").set_value(10.0).run()
    after = _ranking(at)[["site", "score"]].reset_index(drop=True)
    assert not at.exception
    assert not before.equals(after)
    # with only Paris latency weighted, the first site is the one closest to Paris
    top = after.iloc[0]["site"]
    model = _model()
    latency = dict(zip(model["name"], model["latency_paris_ms"]))
    assert latency[top] == min(latency[name] for name in _ranking(at)["site"])


def test_a_weight_change_updates_the_knobs_the_ranking_the_map_and_the_link():
    """A weight change: the sliders keep every value, the Modified line counts them, the results follow.

    (AppTest reruns the whole page; that the browser's change reruns only the results fragment, in
    one run, is tested over the WebSocket in tests/test_protocol.py.)
    """
    at = _app()
    assert len(at.sidebar.slider) == len(CRITERIA) and at.title and len(at.tabs) == len(urlstate.TABS)
    top_before = at.metric[3].value
    for c in CRITERIA:
        at.slider(key=f"weight_{c.key}").set_value(0.0)
    at.slider(key="weight_latency_paris_ms").set_value(10.0).run()
    assert not at.exception
    assert [s.value for s in at.sidebar.slider] == [10.0 if c.key == "latency_paris_ms" else 0.0 for c in CRITERIA]
    assert f"**Modified:** {len(CRITERIA) - 1} weight(s) changed" in at.sidebar.caption[0].value
    assert [m.label for m in at.metric] == ["Sites shown", "Announced power shown", "Area shown", "Top site"]
    assert at.metric[3].value != top_before and len(_ranking(at)) == 35
    assert _deck(at)["layers"] and at.query_params["w_latency_paris_ms"] == "10"
    # a constraint filters the ranking, and the In force line says so
    at.number_input(key="min_power_mw").set_value(500.0).run()
    assert 0 < len(_ranking(at)) < 35 and "500" in at.sidebar.caption[0].value
    # a preset sets the sliders
    at.selectbox(key="preset").set_value("ai-training").run()
    assert at.slider(key="weight_latency_paris_ms").value == PRESETS["ai-training"].weights["latency_paris_ms"]


def test_a_weight_change_sends_the_ranking_before_the_map_card_and_key_figures(monkeypatch):
    """The ranking is what a weight change is judged by: it is sent first, the slower map and card after it.

    The browser draws what has arrived, so the ranking grid repaints before the map's WebGL frame
    and the card are built (benchmarks/RESULTS.md, block "ui"). The layout stays the same: the map,
    card and key figures fill places made for them above the ranking. (That the hint, the title and
    the tab bar are not re-sent by a change is tested over the WebSocket, tests/test_protocol.py.)
    """
    from streamlit.testing.v1 import local_script_runner

    sent = []
    parse = local_script_runner.parse_tree_from_messages

    def keep(messages):
        sent[:] = list(messages)
        return parse(messages)

    monkeypatch.setattr(local_script_runner, "parse_tree_from_messages", keep)
    at = _app()
    at.slider(key="weight_power_mw").set_value(2.0).run()
    assert not at.exception
    # what the results fragment sends to the page's main area, in order (the sidebar's knobs aside)
    kinds = [m.delta.new_element.WhichOneof("type") for m in sent
             if m.WhichOneof("type") == "delta" and m.delta.WhichOneof("type") == "new_element"
             and m.delta.fragment_id and m.metadata.delta_path[0] == 0]
    first = {kind: kinds.index(kind) for kind in ("dataframe", "deck_gl_json_chart", "selectbox", "metric")}
    assert first["dataframe"] < first["deck_gl_json_chart"] < first["selectbox"] < first["metric"], kinds
    # the layout is unchanged: key figures above the tabs, the map then the card, the ranking below both
    def walk(node):
        yield node
        for index in sorted(getattr(node, "children", None) or {}):
            yield from walk(node.children[index])

    shown = [getattr(node, "type", "") for node in walk(at.main)]
    where = {kind: shown.index(kind) for kind in ("metric", "tab", "deck_gl_json_chart", "selectbox", "dataframe")}
    assert where["metric"] < where["tab"] < where["deck_gl_json_chart"] < where["selectbox"] < where["dataframe"]
    assert [m.label for m in at.metric] == ["Sites shown", "Announced power shown", "Area shown", "Top site"]
    assert at.metric[3].value and len(_ranking(at)) == 35


def test_closed_sidebar_sections_draw_nothing_and_keep_their_values():
    """A first visit opens the main weight groups; the rest draw only their header, and lose nothing when closed."""
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    shown = {s.key for s in at.sidebar.slider}
    assert shown == {f"weight_{c.key}" for c in CRITERIA if c.group in sidebar.OPEN_GROUPS}
    assert not at.sidebar.radio and not at.sidebar.number_input and not at.sidebar.multiselect
    labels = [e.label for e in at.sidebar.expander]
    assert all(label in labels for label in sidebar.SECTIONS.values())
    assert "**In force:** Weighted sum; unknown values scored *worst*; no constraint." in at.sidebar.caption[0].value
    # a constraint set in its section keeps filtering, and is said, after the section is closed
    at.session_state["open_constraints"] = True
    at.run().number_input(key="min_power_mw").set_value(500.0).run()
    at.session_state["open_constraints"] = False
    at.run().run()
    assert not at.sidebar.number_input and 0 < len(_ranking(at)) < 35
    assert "constraints: power ≥ 500 MW" in at.sidebar.caption[0].value
    at.session_state["open_constraints"] = True
    assert at.run().number_input(key="min_power_mw").value == 500.0
    # a preset sets the weights of closed groups too: they show them when opened
    at.selectbox(key="preset").set_value("ai-training").run()
    closed = next(c for c in CRITERIA if c.group not in sidebar.OPEN_GROUPS)
    at.session_state[f"open_{closed.group}"] = True
    assert at.run().slider(key=f"weight_{closed.key}").value == PRESETS["ai-training"].weights[closed.key]


@pytest.mark.parametrize("preset", sorted(PRESETS))
def test_each_preset_sets_the_sliders(preset):
    at = _app()
    at.selectbox(key="preset").set_value(preset).run()
    assert not at.exception
    for c in CRITERIA:
        assert at.slider(key=f"weight_{c.key}").value == PRESETS[preset].weights[c.key]
    # a preset's constraints are set with it, and lifted when another preset is picked
    expected = PRESETS[preset].constraints.get("min_power_mw") or 0.0
    assert at.number_input(key="min_power_mw").value == expected
    at.selectbox(key="preset").set_value("balanced").run()
    assert at.number_input(key="min_power_mw").value == 0.0


def test_constraints_shrink_the_table_and_grey_sites_appear_on_the_map():
    at = _app()
    at.number_input(key="min_power_mw").set_value(500.0).run()
    table = _ranking(at)
    power = dict(zip(_model()["name"], _model()["power_mw"]))
    assert 0 < len(table) < 35 and all(power[name] >= 500 for name in table["site"])
    layer_ids = [layer["id"] for layer in _deck(at)["layers"]]
    assert "excluded_sites" in layer_ids


def test_all_zero_weights_show_an_error_not_an_exception():
    at = _app()
    for c in CRITERIA:
        at.slider(key=f"weight_{c.key}").set_value(0.0)
    at.run()
    assert not at.exception
    assert any("all weights are zero" in e.value for e in at.error)


def test_map_json_has_stable_layer_ids_and_score_colours(first_run):
    spec = _deck(first_run)
    ids = [layer["id"] for layer in spec["layers"]]
    assert ids[:6] == ["regions", "grid_points", "power_plants", "cable_landings", "announced", "sites"]
    sites = next(layer for layer in spec["layers"] if layer["id"] == "sites")["data"]
    table = _ranking(first_run)
    assert sites[-1]["fill"][:3] == mapview.score_color(table.iloc[0]["score"])  # the best is drawn last


def test_fixed_layers_are_inline_when_the_map_is_drawn_anew_and_addresses_on_a_change():
    """A map drawn anew gets its fixed layers inline (deck.gl draws them in its first frame); the
    runs that redraw a shown map send their addresses (deck.gl neither re-fetches nor rebuilds them)."""
    fixed = ("regions", "grid_points", "power_plants", "cable_landings", "announced")

    def data(at) -> dict:
        return {layer["id"]: layer["data"] for layer in _deck(at)["layers"] if layer["id"] in fixed}

    at = _app()
    first = data(at)
    assert sorted(first) == sorted(fixed)
    assert all(isinstance(d, (list, dict)) and d for d in first.values()), "inline records on the first view"
    assert len(first["grid_points"]) > 1000 and first["regions"]["type"] == "FeatureCollection"
    at.slider(key="weight_power_mw").set_value(9.0).run()
    change = data(at)
    assert all(isinstance(d, str) and d.startswith("app/static/mapdata/") and d.endswith(".json")
               for d in change.values()), change
    at.session_state["tab"] = urlstate.TABS["compare"]
    at.run()
    assert not [c for c in at.get("deck_gl_json_chart") if '"sites"' in c.proto.json]
    at.session_state["tab"] = urlstate.TABS["map"]
    at.run()
    assert data(at) == first, "back from another tab, the map is drawn anew with its layers inline"
    # a scenario that cannot be scored shows no map: the next map is drawn anew, inline again
    weights = {c.key: at.slider(key=f"weight_{c.key}").value for c in CRITERIA}
    at.slider(key="weight_power_mw").set_value(7.0).run()
    for c in CRITERIA:
        at.slider(key=f"weight_{c.key}").set_value(0.0)
    at.run()
    assert at.error and not [c for c in at.get("deck_gl_json_chart") if '"sites"' in c.proto.json]
    for key, value in weights.items():
        at.slider(key=f"weight_{key}").set_value(value)
    at.run()
    assert data(at) == first, "after a scenario that could not be scored, the map is drawn anew"


def test_query_parameters_round_trip():
    at = _app(preset="inference", w_power_mw="7.5", method="topsis", min_mw="100", regions="Grand Est",
              basemap="none", site="la-maxe-edf", layers="grid_points,regions")
    assert not at.exception and not at.warning
    assert at.selectbox(key="preset").value == "inference"
    assert at.slider(key="weight_power_mw").value == 7.5
    assert at.radio(key="method").value == "topsis"
    assert at.multiselect(key="regions").value == ["Grand Est"]
    params = at.query_params
    assert params["w_power_mw"] in ("7.5", ["7.5"])
    assert params["site"] in ("la-maxe-edf", ["la-maxe-edf"])
    assert set(_ranking(at)["region"]) == {"Grand Est"}
    assert "La Maxe" in " ".join(md.value for md in at.subheader)
    spec = _deck(at)
    assert {layer["id"] for layer in spec["layers"]} >= {"connections", "selected", "grid_points"}
    assert "cable_landings" not in {layer["id"] for layer in spec["layers"]}


def test_hostile_query_parameters_give_notices_not_exceptions():
    at = _app(w_power_mw="NaN", preset="<script>alert(1)</script>", site="../../etc/passwd",
              basemap="javascript:alert(1)", regions="Atlantis", avail_by="1e999", junk="x" * 5000)
    assert not at.exception
    notices = " ".join(w.value for w in at.warning).replace("\\", "")  # notices are Markdown-escaped
    assert "<script>" not in " ".join(w.value for w in at.warning)
    for fragment in ("w_power_mw", "unknown preset", "no such site", "basemap", "Atlantis", "avail_by"):
        assert fragment in notices
    assert len(_ranking(at)) == 35  # defaults used


def test_broken_data_shows_the_problems_and_no_exception(tmp_path, monkeypatch):
    for folder in ("sites", "layers"):
        shutil.copytree(REPO_ROOT / folder, tmp_path / folder)
    bad = tmp_path / "sites" / "candidate_sites.geojson"
    text = json.loads(bad.read_text())
    text["features"][0]["properties"]["power_mw"] = -10
    bad.write_text(json.dumps(text))
    monkeypatch.setenv("SITING_DATA_ROOT", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("failed validation" in e.value for e in at.error)
    assert "power_mw" in " ".join(c.value for c in at.code)


def test_site_card_shows_firm_power_people_and_planned_substations():
    at = _app(site="dunkerque-loon-plage")
    assert not at.exception
    card = "\n".join(m.value for m in at.markdown)
    assert "**Nearest nuclear plant** Gravelines, 6 × 910 MW, 6 km" in card
    assert "**People within 50 km** 7" in card and "nearest large town Dunkerque" in card
    # RTE's approved Craywick 225 kV substation is 4 km away: shown, and said not to count
    assert "**Planned substation** CRAYWICK (225 kV, approved, not built) — 4.1 km, not counted" in card
