"""Consensus across methods, agreement, named scenarios side by side, the CLI handler and the view."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pymcdm.correlations import weighted_spearman as pymcdm_rw
from pymcdm.helpers import rankdata

from siting import cli_consensus
from siting.consensus import (
    CONSENSUS_RULE,
    agreement_chart_spec,
    agreement_matrix,
    compare_scenarios,
    consensus_frame,
    consensus_from_utilities,
    consensus_rank,
    scenario_ranks,
    slope_chart_spec,
    weighted_spearman,
)
from siting.data import load_inputs
from siting.methods import DISTINCT_METHODS, METHODS, run_method
from siting.proximity import Infrastructure
from siting.schema import CRITERIA
from siting.scoring import PRESETS, Constraints, Scenario, ScoringError, prepare_sites, rank_sites
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def prepared():
    inputs = load_inputs(REPO_ROOT)
    return prepare_sites(inputs.sites, Infrastructure.of(inputs))


@pytest.fixture(scope="module")
def ranking(prepared):
    return rank_sites(prepared)


def _u(ranking):
    return ranking.table[[f"u_{c.key}" for c in CRITERIA]].to_numpy(dtype="float64"), np.array(
        [ranking.weights[c.key] for c in CRITERIA])


def test_consensus_columns_and_ranks_on_the_35_sites(ranking):
    result = consensus_frame(ranking)
    t = result.table
    assert list(t.columns) == ["site_id", "name", *[f"rank_{k}" for k in DISTINCT_METHODS], "consensus_rank",
                               "mean_rank", "rank_range"]
    assert result.methods == DISTINCT_METHODS == ("wsm", "topsis", "vikor", "promethee_ii")
    assert sorted(t["site_id"]) == sorted(ranking.table["site_id"])
    u, w = _u(ranking)
    ids = ranking.table["site_id"].to_numpy()
    for key in result.methods:
        expected = pd.Series(run_method(key, u, w).rank, index=ids)
        np.testing.assert_array_equal(t[f"rank_{key}"].to_numpy(), expected[t["site_id"]].to_numpy())
        # each method's results travel with the table's rows
        np.testing.assert_array_equal(result.results[key].rank, t[f"rank_{key}"].to_numpy())
    ranks = t[[f"rank_{k}" for k in result.methods]]
    np.testing.assert_allclose(t["mean_rank"], ranks.mean(axis=1))
    assert (t["rank_range"] == ranks.max(axis=1) - ranks.min(axis=1)).all()
    # sorted by consensus rank, which follows the mean rank; equal means share the better rank
    assert t["consensus_rank"].is_monotonic_increasing and t["mean_rank"].is_monotonic_increasing
    for value, group in t.groupby("mean_rank"):
        assert group["consensus_rank"].nunique() == 1
        assert group["consensus_rank"].iloc[0] == 1 + (t["mean_rank"] < value).sum()
    # the weighted sum's own table agrees with its rank column
    assert (t.set_index("site_id")["rank_wsm"][ids].to_numpy() == ranking.table["rank"].to_numpy()).all()


def test_agreement_is_pymcdms_weighted_spearman(ranking):
    result = consensus_frame(ranking, ["wsm", "topsis", "vikor", "promethee_ii", "spotis"])
    a = result.agreement
    assert list(a.index) == list(a.columns) == list(result.methods)
    np.testing.assert_allclose(a.to_numpy(), a.to_numpy().T)
    np.testing.assert_allclose(np.diag(a.to_numpy()), 1.0)
    t = result.table
    for x in result.methods:
        for y in result.methods:
            expected = pymcdm_rw(rankdata(t[f"rank_{x}"].to_numpy(float)), rankdata(t[f"rank_{y}"].to_numpy(float)))
            assert a.loc[x, y] == pytest.approx(expected)
    assert a.loc["wsm", "spotis"] == pytest.approx(1.0)
    assert (a.to_numpy() <= 1 + 1e-12).all()
    long = result.agreement_long()
    assert list(long.columns) == ["a", "b", "rw"] and len(long) == len(result.methods) ** 2
    json.dumps(agreement_chart_spec(a), allow_nan=False)


def test_consensus_rule_ties_and_order():
    u = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    result = consensus_from_utilities(u, [1.0, 1.0], ["b-id", "a-id", "c-id"], ["Beta", "Alpha", "Gamma"],
                                      ["wsm", "promethee_ii"])
    t = result.table
    # the first two sites tie under both methods: they share consensus rank 1, listed by name
    assert t["name"].tolist() == ["Alpha", "Beta", "Gamma"]
    assert t["consensus_rank"].tolist() == [1, 1, 3]
    mean, rank = consensus_rank({"x": np.array([1, 2, 3]), "y": np.array([2, 1, 3])})
    assert mean.tolist() == [1.5, 1.5, 3.0] and rank.tolist() == [1, 1, 3]
    assert "mean rank" in CONSENSUS_RULE and "Borda" in CONSENSUS_RULE


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 8).flatmap(lambda n: st.lists(st.permutations(list(range(1, n + 1))), min_size=1,
                                                     max_size=4)))
def test_mean_rank_orders_as_a_borda_count(perms):
    ranks = {f"m{i}": np.array(p) for i, p in enumerate(perms)}
    n = len(perms[0])
    _, rank = consensus_rank(ranks)
    borda = sum(n - r for r in ranks.values())
    for i in range(n):
        for j in range(n):
            if borda[i] > borda[j]:
                assert rank[i] < rank[j]
            elif borda[i] == borda[j]:
                assert rank[i] == rank[j]


def test_weighted_spearman_edge_cases():
    assert weighted_spearman(np.array([1]), np.array([1])) == 1.0
    assert weighted_spearman(np.array([1, 2, 3]), np.array([1, 2, 3])) == pytest.approx(1.0)
    assert weighted_spearman(np.array([1, 2, 3]), np.array([3, 2, 1])) < 0
    with pytest.raises(ScoringError):
        weighted_spearman(np.array([1, 2]), np.array([1, 2, 3]))
    single = agreement_matrix({"a": np.array([1]), "b": np.array([1])})
    assert single.to_numpy().tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_bad_method_names_and_empty_rankings_raise_clear_errors(ranking, prepared):
    with pytest.raises(ScoringError, match=r"unknown method 'electre'; expected one of wsm, topsis, spotis"):
        consensus_frame(ranking, ["wsm", "electre"])
    with pytest.raises(ScoringError, match="unknown method 'nope'"):
        consensus_frame(ranking, "wsm,nope")
    with pytest.raises(ScoringError, match="no method"):
        consensus_frame(ranking, [])
    empty = rank_sites(prepared, Scenario(constraints=Constraints(min_power_mw=5000)))
    assert not len(empty.table)
    with pytest.raises(ScoringError, match="no site passes the constraints"):
        consensus_frame(empty)


def test_one_site_consensus_is_defined(prepared):
    one = rank_sites(prepared.iloc[:1])
    result = consensus_frame(one, list(METHODS))
    assert result.table["consensus_rank"].tolist() == [1]
    assert (result.agreement.to_numpy() == 1).all()


# ---------------------------------------------------------------------------------------
# Named scenarios side by side
# ---------------------------------------------------------------------------------------


def test_compare_two_presets(prepared):
    scenarios = {"Balanced": Scenario(), "AI training": Scenario(weights=PRESETS["ai-training"].weights)}
    cmp = compare_scenarios(prepared, scenarios)
    r = cmp.ranks
    assert list(r.columns) == ["site_id", "name", "rank_Balanced", "rank_AI training", "shift_AI training", "in_all"]
    assert r["in_all"].all() and cmp.common_sites == 35
    assert (r["shift_AI training"] == r["rank_Balanced"] - r["rank_AI training"]).all()
    assert r["rank_Balanced"].is_monotonic_increasing
    for name, scenario in scenarios.items():
        direct = rank_sites(prepared, scenario).table.set_index("site_id")["rank"]
        assert (r.set_index("site_id")[f"rank_{name}"][direct.index] == direct).all()
    # the weights table lists exactly the criteria whose weight differs
    differs = {c.key for c in CRITERIA if PRESETS["ai-training"].weights[c.key] != PRESETS["balanced"].weights[c.key]}
    assert set(cmp.weights["key"]) == differs
    assert not cmp.settings["changed"].any()
    expected = weighted_spearman(r["rank_Balanced"].to_numpy(int), r["rank_AI training"].to_numpy(int))
    assert cmp.agreement.loc["Balanced", "AI training"] == pytest.approx(expected) and expected < 1
    (line,) = cmp.changes()
    assert line.startswith("AI training vs Balanced: ") and "Announced power weight 8 → 10" in line
    long = cmp.long_ranks()
    assert len(long) == 70 and set(long["scenario"]) == set(scenarios)
    spec = slope_chart_spec(cmp, top=5)
    json.dumps(spec, allow_nan=False)
    shown = {v["site_id"] for v in spec["data"]["values"]}
    assert shown == set(long.loc[long["rank"] <= 5, "site_id"])
    assert spec["encoding"]["y"]["scale"]["reverse"] is True


def test_compare_three_scenarios_with_constraints_and_methods(prepared):
    base = Scenario()
    scenarios = {"A": base, "B": replace(base, constraints=Constraints(min_power_mw=200)),
                 "C": replace(base, method="vikor")}
    cmp = compare_scenarios(prepared, scenarios)
    r = cmp.ranks
    kept = rank_sites(prepared, scenarios["B"]).table["site_id"]
    assert r.loc[r["rank_B"].notna(), "site_id"].sort_values().tolist() == sorted(kept)
    assert r["in_all"].sum() == cmp.common_sites == len(kept) < 35
    assert r.loc[~r["in_all"], "shift_B"].isna().all()
    settings_ = cmp.settings.set_index("setting")
    assert settings_.loc["method", "C"] == "VIKOR" and settings_.loc["method", "changed"]
    assert settings_.loc["min power mw", "B"] == "200" and settings_.loc["min power mw", "changed"]
    assert cmp.weights.empty
    b_line, c_line = cmp.changes()
    assert "min power mw none → 200" in b_line and "method Weighted sum → VIKOR" in c_line
    _, vikor_ranks = scenario_ranks(prepared, scenarios["C"])
    u, w = _u(rank_sites(prepared))
    np.testing.assert_array_equal(vikor_ranks, run_method("vikor", u, w).rank)
    assert cmp.agreement.shape == (3, 3)


def test_identical_scenarios_agree_fully(prepared):
    cmp = compare_scenarios(prepared, {"one": Scenario(), "two": Scenario()})
    assert cmp.agreement.loc["one", "two"] == pytest.approx(1.0)
    assert (cmp.ranks["shift_two"] == 0).all()
    assert cmp.changes() == ["two vs one: same weights and settings"]


def test_scenario_comparison_errors(prepared):
    with pytest.raises(ScoringError, match="compare 2 to 3 scenarios"):
        compare_scenarios(prepared, {"only": Scenario()})
    with pytest.raises(ScoringError, match="compare 2 to 3 scenarios"):
        compare_scenarios(prepared, {str(i): Scenario() for i in range(4)})
    with pytest.raises(ScoringError, match="needs a name"):
        compare_scenarios(prepared, {"a": Scenario(), "  ": Scenario()})
    with pytest.raises(ScoringError, match="printable"):
        compare_scenarios(prepared, {"a": Scenario(), "b\u202e": Scenario()})
    with pytest.raises(ScoringError, match="ranks no site"):
        compare_scenarios(prepared, {"a": Scenario(), "empty": Scenario(constraints=Constraints(min_power_mw=5000))})
    with pytest.raises(ScoringError, match="scenario 'b': unknown method 'electre'"):
        compare_scenarios(prepared, {"a": Scenario(), "b": Scenario(method="electre")})
    with pytest.raises(ScoringError, match="scenario 'b': all weights are zero"):
        compare_scenarios(prepared, {"a": Scenario(), "b": Scenario(weights={c.key: 0 for c in CRITERIA})})


# ---------------------------------------------------------------------------------------
# Command line (run on its own until it is wired into siting.cli)
# ---------------------------------------------------------------------------------------


def test_cli_consensus_csv(capsys):
    assert cli_consensus.main(["consensus", "--preset", "inference", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == ("site_id,name,rank_wsm,rank_topsis,rank_vikor,rank_promethee_ii,consensus_rank,mean_rank,"
                      "rank_range")
    assert len(out) == 36


def test_cli_consensus_agreement_json_and_table(capsys):
    assert cli_consensus.main(["consensus", "--format", "csv", "--agreement", "--methods", "wsm,vikor"]) == 0
    assert capsys.readouterr().out.splitlines()[0] == "method,wsm,vikor"
    assert cli_consensus.main(["consensus", "--format", "json", "--min-power-mw", "300"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["methods"] == list(DISTINCT_METHODS) and payload["excluded"]
    assert len(payload["ranking"]) + len(payload["excluded"]) == 35
    assert payload["agreement"]["wsm"]["wsm"] == 1.0
    assert cli_consensus.main(["consensus"]) == 0
    text = capsys.readouterr().out
    assert "Agreement between methods" in text and CONSENSUS_RULE in text


@pytest.mark.parametrize(("argv", "message"), [
    (["consensus", "--methods", "wsm,electre"], "unknown method 'electre'"),
    (["consensus", "--methods", ""], "no method"),
    (["consensus", "--min-power-mw", "5000"], "no site passes the constraints"),
    (["consensus", "--weight", "power_mw=-1"], "power_mw"),
])
def test_cli_consensus_bad_arguments_exit_2(capsys, argv, message):
    assert cli_consensus.main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and message in err and "Traceback" not in err


# ---------------------------------------------------------------------------------------
# The Streamlit views, on the current Context's fields (AppTest, not yet in a tab)
# ---------------------------------------------------------------------------------------


def _view_script():
    from types import SimpleNamespace

    from siting.data import load_inputs
    from siting.proximity import Infrastructure
    from siting.scoring import prepare_sites, rank_sites
    from tests.conftest import REPO_ROOT
    from views import consensus, curves

    inputs = load_inputs(REPO_ROOT)
    prepared = prepare_sites(inputs.sites, Infrastructure.of(inputs))
    ranking = rank_sites(prepared)
    ctx = SimpleNamespace(inputs=inputs, prepared=prepared, ranking=ranking,
                          view=SimpleNamespace(site=ranking.table["site_id"].iloc[2]),
                          names=dict(zip(prepared["site_id"], prepared["name"])))
    consensus.render(ctx)
    curves.render(ctx)


def test_views_render_consensus_scenarios_and_curves():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_view_script, default_timeout=60)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    frames = [df.value for df in at.dataframe]
    assert any("consensus" in f.columns and "VIKOR" in f.columns for f in frames)
    assert at.info and "Pick one or two scenarios" in at.info[0].value
    at.multiselect(key="scenario_compare").set_value([PRESETS["ai-training"].label]).run()
    assert not at.exception, [e.message for e in at.exception]
    frames = [df.value for df in at.dataframe]
    assert any(f"shift_{PRESETS['ai-training'].label}" in f.columns for f in frames)
    assert any("Announced power weight" in m.value for m in at.markdown)
    at.selectbox(key="curve_key").set_value("population_50km").run()
    assert not at.exception
    at.multiselect(key="consensus_methods").set_value(["wsm"]).run()
    assert not at.exception and any("at least two methods" in i.value for i in at.info)


def test_scenarios_command_compares_files_and_presets(tmp_path):
    import subprocess
    import sys

    from siting import export
    from tests.conftest import REPO_ROOT

    path = tmp_path / "gw.json"
    path.write_text(export.scenario_dict_json(Scenario(constraints=Constraints(min_power_mw=700.0)),
                                              [("fast", Scenario(weights=dict(PRESETS["fastest-power"].weights)))]))

    def run(*argv):
        return subprocess.run([sys.executable, "-m", "siting", "scenarios", *argv], capture_output=True, text=True,
                              cwd=REPO_ROOT, timeout=300)

    out = run(str(path), "--preset", "inference", "--format", "csv")
    assert out.returncode == 0, out.stderr
    header = out.stdout.splitlines()[0].split(",")
    assert {"rank_gw", "rank_fast", "shift_fast"} <= set(header) and any(h.startswith("rank_Inference") for h in header)
    alone = tmp_path / "alone.json"
    alone.write_text(export.scenario_dict_json(Scenario()))
    one = run(str(alone))
    assert one.returncode == 2 and "compare 2 to 3 scenarios" in one.stderr and "Traceback" not in one.stderr
    missing = run(str(tmp_path / "nope.json"))
    assert missing.returncode == 2 and "cannot read scenario file" in missing.stderr
