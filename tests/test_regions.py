"""Per-region summary: official counts, located zones, totals and best site."""

from __future__ import annotations

import numpy as np
import pytest

from siting.data import load_inputs
from siting.proximity import Infrastructure
from siting.regions import summarise_regions
from siting.schema import OFFICIAL_ZONES_BY_REGION, REGIONS
from siting.scoring import Constraints, Scenario, prepare_sites, rank_sites
from tests.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def prepared():
    inputs = load_inputs(REPO_ROOT)
    return prepare_sites(inputs.sites, Infrastructure.of(inputs))


def test_every_region_listed_and_official_counts_match_the_data(prepared):
    summary = summarise_regions(rank_sites(prepared)).set_index("region")
    assert list(summary.index) == list(REGIONS)
    assert summary["official_zones"].sum() == 35
    for region, count in OFFICIAL_ZONES_BY_REGION.items():
        assert summary.loc[region, "official_zones"] == count == summary.loc[region, "zones_in_data"]
    assert summary.loc["Bretagne", "zones_in_data"] == 0 and np.isnan(summary.loc["Bretagne", "best_score"])


def test_totals_and_best_site_follow_the_ranking(prepared):
    ranking = rank_sites(prepared)
    summary = summarise_regions(ranking).set_index("region")
    hdf = ranking.table[ranking.table["region"] == "Hauts-de-France"]
    assert summary.loc["Hauts-de-France", "power_mw_shown"] == pytest.approx(hdf["power_mw"].sum())
    assert summary.loc["Hauts-de-France", "best_site_id"] == hdf.iloc[0]["site_id"]
    assert summary.loc["Hauts-de-France", "best_score"] == pytest.approx(hdf["score"].max())


def test_constraints_reduce_shown_but_not_located(prepared):
    ranking = rank_sites(prepared, Scenario(constraints=Constraints(regions=("Grand Est",))))
    summary = summarise_regions(ranking).set_index("region")
    assert summary.loc["Hauts-de-France", "sites_shown"] == 0
    assert summary.loc["Hauts-de-France", "zones_in_data"] == 8
    assert summary.loc["Grand Est", "sites_shown"] == 7
