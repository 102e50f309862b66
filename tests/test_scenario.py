"""The knob registry: every constraint and knob round-trips through the link, the scenario file and
the CLI, and links and scenario files written before the registry give the same view."""

from __future__ import annotations

import json
import subprocess
import sys
from urllib.parse import parse_qsl

import pytest

from siting import export, scenario, urlstate
from siting.scenario import CONSTRAINTS, KNOBS, Constraints, ScoringError, constraints_from
from tests.conftest import DATA, REPO_ROOT

# A value per constraint that is not its default, and what the filter must say about it.
SAMPLE = {"min_power_mw": 250.0, "min_area_ha": 30.0, "available_by": 2028, "max_dist_grid_400_km": 12.5,
          "regions": ("Grand Est", "Hauts-de-France"), "evidence": ("official",)}


def test_every_constraint_has_a_sample_and_distinct_names():
    assert set(SAMPLE) == {s.key for s in CONSTRAINTS}
    for attr in ("key", "url", "cli"):
        names = [getattr(s, attr) for s in CONSTRAINTS] + [getattr(k, attr) for k in KNOBS if getattr(k, attr)]
        assert len(names) == len(set(names)), attr


@pytest.mark.parametrize("spec", CONSTRAINTS, ids=lambda s: s.key)
def test_each_constraint_round_trips_through_link_file_and_cli(spec):
    value = SAMPLE[spec.key]
    view = urlstate.ViewState(constraints=Constraints(**{spec.key: value}))
    query = urlstate.encode_query(view)
    assert list(query) == [spec.url, "v"]
    parsed, notices = urlstate.parse_query(query)
    assert notices == [] and getattr(parsed.constraints, spec.key) == value
    file = export.scenario_from_json(export.scenario_dict_json(view.scenario()))
    assert getattr(file.constraints, spec.key) == value
    args = [] if spec.kind != "in" else None
    if spec.kind == "in":
        args = [a for v in value for a in (spec.cli, v)]
    else:
        args = [spec.cli, spec.text(value)]
    from siting.cli import build_parser
    from siting.cli_common import scenario_from_args
    cli = scenario_from_args(build_parser().parse_args(["rank", *args]))
    assert getattr(cli.constraints, spec.key) == value
    assert spec.shows.format(v=spec.shown(value)) in Constraints(**{spec.key: value}).describe()


@pytest.mark.parametrize("spec", [s for s in CONSTRAINTS if s.kind != "in"], ids=lambda s: s.key)
def test_out_of_range_constraints_are_refused_everywhere(spec):
    low, high = spec.bounds
    with pytest.raises(ScoringError, match=spec.key):
        constraints_from({spec.key: high + 1})
    parsed, notices = urlstate.parse_query({spec.url: str(high + 1)})
    assert getattr(parsed.constraints, spec.key) is None and spec.url in notices[0]
    out = subprocess.run([sys.executable, "-m", "siting", "rank", spec.cli, str(low - 1)], capture_output=True,
                         text=True, cwd=REPO_ROOT, timeout=120)
    assert out.returncode == 2 and spec.key in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize("knob", [k for k in KNOBS if k.cli], ids=lambda k: k.key)
def test_cli_knobs_offer_the_registry_options(knob):
    from siting.cli import build_parser

    option = next(a for a in build_parser()._subparsers._group_actions[0].choices["rank"]._actions
                  if knob.cli in a.option_strings)
    assert list(option.choices) == list(knob.options)


def test_new_links_carry_their_version_and_the_bare_address_opens_the_new_defaults():
    assert urlstate.encode_query(urlstate.ViewState()) == {}
    view, _ = urlstate.parse_query({})
    assert view.unknown == "worst" and view.basemap == "none"
    link = urlstate.encode_query(urlstate.ViewState(method="topsis"))
    assert link == {"method": "topsis", "v": "2"}
    assert urlstate.parse_query(link)[0].unknown == "worst"
    old, _ = urlstate.parse_query({"method": "topsis"})  # the same link written before v=2
    assert old.unknown == "neutral" and old.basemap == "carto-light"


def test_a_preset_carries_its_constraints_in_links_and_the_cli():
    from siting.cli import build_parser
    from siting.cli_common import scenario_from_args

    view, _ = urlstate.parse_query({"preset": "ai-training", "v": "2"})
    assert view.constraints.min_power_mw == 1000.0
    assert urlstate.encode_query(view) == {"preset": "ai-training", "v": "2"}
    lifted = urlstate.ViewState(preset="ai-training", weights=view.weights, constraints=Constraints())
    link = urlstate.encode_query(lifted)
    assert link["min_mw"] == "any" and urlstate.parse_query(link)[0].constraints.min_power_mw is None
    legacy, _ = urlstate.parse_query({"preset": "ai-training"})  # before presets carried constraints
    assert legacy.constraints.min_power_mw is None
    parse = build_parser().parse_args
    assert scenario_from_args(parse(["rank", "--preset", "ai-training"])).constraints.min_power_mw == 1000.0
    assert scenario_from_args(parse(["rank", "--preset", "ai-training", "--min-power-mw", "any"])
                              ).constraints.min_power_mw is None
    assert scenario_from_args(parse(["rank", "--preset", "ai-training", "--min-power-mw", "500"])
                              ).constraints.min_power_mw == 500.0


def test_links_written_before_the_registry_give_the_same_view():
    saved = json.loads((DATA / "links" / "links_before_registry.json").read_text(encoding="utf-8"))
    assert len(saved["links"]) >= 6
    for case in saved["links"]:
        if not case["query"]:
            continue  # the bare address is no saved state: it opens today's defaults (tested above)
        view, notices = urlstate.parse_query(dict(parse_qsl(case["query"])), {"la-maxe-edf"})
        expected = case["view"]
        assert notices == [], case["query"]
        for key in ("preset", "weights", "method", "unknown", "basemap", "site", "tab"):
            assert getattr(view, key) == expected[key], (case["query"], key)
        assert list(view.layers) == expected["layers"]
        for spec in CONSTRAINTS:
            got = getattr(view.constraints, spec.key)
            assert (list(got) if spec.kind == "in" else got) == expected[spec.key], (case["query"], spec.key)
        # the link the new code writes for that view opens the same view again
        again, notices = urlstate.parse_query(urlstate.encode_query(view), {"la-maxe-edf"})
        assert notices == [] and again == view, case["query"]


def test_scenario_files_written_before_the_registry_still_load():
    loaded = export.scenario_from_json((DATA / "links" / "scenario_before_registry.json").read_bytes())
    assert loaded.method == "topsis" and loaded.unknown == "pessimistic"
    assert loaded.constraints == Constraints(min_power_mw=300.0, available_by=2029, regions=("Île-de-France",),
                                             max_dist_grid_400_km=20.0)
    assert loaded.weights["power_mw"] == 10.0


def test_constraint_names_live_in_the_registry_only():
    """Each constraint is spelled in at most two product files: the registry and one reader."""
    product = [p for p in (REPO_ROOT / "siting").glob("*.py")] + [REPO_ROOT / "app.py"] \
        + list((REPO_ROOT / "views").glob("*.py"))
    for spec in CONSTRAINTS:
        if spec.kind == "in":
            continue  # "regions" and "evidence" are also ordinary words of the data
        files = {p.name for p in product if spec.key in p.read_text(encoding="utf-8")}
        assert "scenario.py" in files and len(files) <= 2, (spec.key, files)


def test_scenario_module_needs_no_pydeck_or_pandas():
    code = "import sys, siting.scenario, siting.urlstate; print(sorted({'pydeck', 'pandas'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "[]", out.stderr
    assert scenario.__doc__


def test_method_knob_offers_exactly_the_implemented_methods():
    from siting import methods

    assert list(scenario.METHODS) == list(methods.METHODS)
    for key, label in scenario.METHODS.items():
        assert label.startswith(methods.METHODS[key].label)


@pytest.mark.parametrize("method", list(scenario.METHODS))
def test_every_method_ranks_the_35_zones_through_rank_sites(method):
    from siting import methods
    from siting.data import load_inputs
    from siting.proximity import Infrastructure
    from siting.scoring import Scenario, prepare_sites, rank_sites

    inputs = load_inputs(REPO_ROOT)
    prepared = prepare_sites(inputs.sites, Infrastructure.of(inputs))
    ranking = rank_sites(prepared, Scenario(method=method))
    u = ranking.table[[f"u_{c.key}" for c in scenario.CRITERIA]].to_numpy(dtype=float)
    w = [ranking.weights[c.key] for c in scenario.CRITERIA]
    expected = methods.run_method(method, u, w)
    assert list(ranking.table["rank"]) == list(expected.rank)
