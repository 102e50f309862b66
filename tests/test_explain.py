"""Explanations: per-criterion facts, "why A ranks above B", comparisons and the one site report."""

from __future__ import annotations

import pytest

from siting import explain, schema
from siting.scoring import Scenario, ScoringError, rank_sites
from tests.support.sites import PREPARED

KEYS = [c.key for c in schema.CRITERIA]


def test_explain_site_lists_every_criterion_with_units_and_flags():
    ranking = rank_sites(PREPARED)
    table = explain.explain_site(ranking, "vague")
    assert list(table["key"]) == KEYS
    row = table.set_index("key")
    assert row.loc["power_mw", "value"] == "unknown" and row.loc["power_mw", "unknown"]
    assert row.loc["area_ha", "value"] == "34 ha" and row.loc["area_ha", "estimated"]
    assert table["contribution"].sum() == pytest.approx(ranking.table.set_index("site_id").loc["vague", "score"])


def test_why_above_names_the_criteria_that_differ_most():
    ranking = rank_sites(PREPARED, Scenario(weights={"power_mw": 10.0, "brownfield": 0.1}))
    lines = explain.why_above(ranking, "big", "small")
    assert lines[0].startswith("Big (#1") and "ranks above Small" in lines[0]
    assert lines[1].startswith("Announced power: 1,000 MW vs 50 MW")
    assert "in favour of Big" in lines[1]
    reverse = explain.why_above(ranking, "small", "big")
    assert "ranks below" in reverse[0]


def test_unknown_site_id_is_a_clear_error():
    with pytest.raises(ScoringError, match="no site with id 'nope'"):
        explain.explain_site(rank_sites(PREPARED), "nope")


def test_compare_sites_marks_the_best_and_keeps_units():
    frame = explain.compare_sites(rank_sites(PREPARED), ["big", "small"])
    power = frame[frame["key"] == "power_mw"].set_index("site_id")
    assert power.loc["big", "value"] == "1,000 MW" and power.loc["big", "best"] and not power.loc["small", "best"]
    assert len(frame) == 2 * len(schema.CRITERIA)
    tied = explain.compare_sites(rank_sites(PREPARED), ["big", "mid"])
    same = tied[tied["key"] == "brownfield"]  # both are brownfield: a tie marks neither best
    assert len(same) == 2 and same["utility"].nunique() == 1
    assert not same["best"].any()


@pytest.mark.parametrize("ids", [["big"], ["big", "big"], ["big", "mid", "small", "vague", "big"]])
def test_compare_needs_two_to_four_distinct_sites(ids):
    with pytest.raises(ScoringError):
        explain.compare_sites(rank_sites(PREPARED), ids)



def test_site_report_is_the_card_dossier_and_cli_explanation():
    ranking = rank_sites(PREPARED, Scenario(weights={"power_mw": 10.0, "brownfield": 1.0}))
    order = list(ranking.table["site_id"])
    report = explain.site_report(ranking, order[1])
    assert report.ranked and report.rank == 2 and report.of == len(order)
    assert [n.where for n in report.neighbours] == ["above", "below"]
    assert [n.site_id for n in report.neighbours] == [order[0], order[2]]
    assert report.neighbours[0].lines == explain.why_above(ranking, order[1], order[0])
    assert report.facts.equals(explain.explain_site(ranking, order[1]))
    assert report.headline().endswith(f"rank 2 of {len(order)}, score {report.score:.1f}")
    first = explain.site_report(ranking, order[0])
    assert [n.where for n in first.neighbours] == ["below"]


def test_site_report_of_a_filtered_out_site_says_why():
    from siting.scenario import Constraints

    ranking = rank_sites(PREPARED, Scenario(constraints=Constraints(min_power_mw=600.0)))
    report = explain.site_report(ranking, "small")
    assert not report.ranked and report.neighbours == () and "power below 600 MW" in report.headline()
    with pytest.raises(ScoringError, match="no site with id"):
        explain.site_report(ranking, "nope")
