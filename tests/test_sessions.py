"""One session's uploads and selections are never visible in another."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import REPO_ROOT

APP = str(REPO_ROOT / "app.py")


def _ranking(at):
    return next(df.value for df in at.dataframe if "rank" in df.value.columns and "score" in df.value.columns)


def test_upload_and_selection_stay_in_their_session():
    alice = AppTest.from_file(APP, default_timeout=60)
    alice.query_params["site"] = "la-maxe-edf"
    alice.query_params["tab"] = "upload"
    alice.run()
    bob = AppTest.from_file(APP, default_timeout=60).run()
    alice.file_uploader(key="upload_file").set_value(
        ("mine.csv", b"site_id,name,lat,lon\nsecret-site,Alice's secret site,47.0,2.0\n", "text/csv"))
    alice.radio(key="upload_mode").set_value("replace")
    alice.slider(key="weight_power_mw").set_value(0.0).run()
    alice.session_state["tab"] = "Map & ranking"
    alice.run()
    assert list(_ranking(alice)["site"]) == ["Alice's secret site"]

    bob.run()
    assert not bob.exception
    names = set(_ranking(bob)["site"])
    assert len(names) == 35 and "Alice's secret site" not in names
    assert bob.slider(key="weight_power_mw").value == 8.0
    assert bob.session_state["site"] is None

    fresh = AppTest.from_file(APP, default_timeout=60).run()
    assert len(_ranking(fresh)) == 35
    assert "upload_cache" not in fresh.session_state and "upload_store" not in fresh.session_state
