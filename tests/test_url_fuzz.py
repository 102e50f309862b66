"""URL fuzzing: random and malicious query strings never raise; defaults are used with a notice.

1,000 cases go through the parser here and a seeded sample through the real app (AppTest);
`benchmarks/fuzz_urls.py` runs all 1,000 through AppTest and records the result.
"""

from __future__ import annotations

import math

import pytest
from streamlit.testing.v1 import AppTest

from siting.scoring import check_scenario
from siting.urlstate import KNOWN_PARAMS, parse_query
from tests.conftest import REPO_ROOT
from tests.url_fuzz_cases import cases

APP = str(REPO_ROOT / "app.py")


def test_one_thousand_queries_parse_to_valid_scenarios_with_notices():
    noticed = 0
    for query in cases(1000):
        state, notices = parse_query(query, frozenset({"la-maxe-edf"}))
        scenario = check_scenario(state.scenario())
        assert all(math.isfinite(w) and 0 <= w <= 10 for w in scenario.weights.values())
        noticed += bool(notices)
        if any(key not in KNOWN_PARAMS for key in query):
            assert notices
    assert noticed > 900


@pytest.mark.parametrize("query", cases(1000)[::40], ids=lambda q: str(abs(hash(str(q))) % 10**8))
def test_app_survives_hostile_query_strings(query):
    at = AppTest.from_file(APP, default_timeout=60)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    ranking = next(df.value for df in at.dataframe if "rank" in df.value.columns and "score" in df.value.columns)
    assert len(ranking) <= 35
