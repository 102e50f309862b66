"""The curated site facts (data/sites/*.toml) rebuild the committed GeoJSON byte for byte."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT

SCRIPT = REPO_ROOT / "tools" / "build_sites.py"
DATA_DIR = REPO_ROOT / "data" / "sites"


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_sites", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_sites = _load_builder()


def _run(*args):
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=REPO_ROOT,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def built():
    return build_sites.collections()


def _features(built, name):
    return {f["id"]: f["properties"] for f in built[f"sites/{name}.geojson"]["features"]}


def test_rebuilding_into_a_tmp_dir_reproduces_the_committed_geojson(tmp_path):
    result = _run("--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    committed = sorted(p.name for p in (REPO_ROOT / "sites").glob("*.geojson"))
    assert sorted(p.name for p in (tmp_path / "sites").iterdir()) == committed
    for name in committed:
        assert (tmp_path / "sites" / name).read_bytes() == (REPO_ROOT / "sites" / name).read_bytes(), (
            f"sites/{name} is stale: run `python tools/build_sites.py`")


def test_check_passes_on_the_committed_files():
    result = _run("--check")
    assert result.returncode == 0, result.stderr
    assert "OK" in result.stdout


def test_check_fails_and_names_the_file_that_differs(tmp_path):
    shutil.copytree(REPO_ROOT / "sites", tmp_path / "sites")
    target = tmp_path / "sites" / "announced_projects.geojson"
    target.write_bytes(target.read_bytes().replace(b'"power_mw": 240', b'"power_mw": 241'))
    (tmp_path / "sites" / "candidate_sites.geojson").unlink()
    result = _run("--check", "--out", str(tmp_path))
    assert result.returncode == 1
    assert "sites/announced_projects.geojson: differs" in result.stderr
    assert "sites/candidate_sites.geojson: missing" in result.stderr


def test_the_build_is_deterministic():
    assert build_sites.build() == build_sites.build()


def test_every_record_has_http_sources_and_a_precision(built):
    for collection in built.values():
        for feature in collection["features"]:
            props = feature["properties"]
            assert props["sources"], props["site_id"]
            assert all(url.startswith(("https://", "http://")) for url in props["sources"]), props["site_id"]
            assert props["location_precision_km"] > 0, props["site_id"]
            lon, lat = feature["geometry"]["coordinates"]
            assert -5.5 < lon < 9.9 and 41.2 < lat < 51.3, props["site_id"]


def test_only_the_programme_mean_is_estimated(built):
    for name, collection in built.items():
        for feature in collection["features"]:
            props = feature["properties"]
            if name == "sites/announced_projects.geojson":
                assert props["estimated_fields"] == []
            elif props["estimated_fields"]:
                assert props["estimated_fields"] == ["area_ha"] and props["area_ha"] == 34


def _broken_copy(tmp_path, old, new, name="announced_projects.toml"):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return data


@pytest.mark.parametrize("old, new, fragment", [
    ('area_ha = 17\n', 'area_ha = "17"\n', "`area_ha` must be a number"),
    ('area_ha = 17\n', 'estimated_fields = ["area_ha"]\n', "unknown key `estimated_fields` (computed"),
    ('"@deltafm_no_microsoft",\n', '"@no_such_source",\n', "unknown shared source '@no_such_source'"),
    ('"@deltafm_no_microsoft",\n', '"www.example.org",\n', "is not an http(s) URL"),
    ('location_precision_km = 5\narea_ha = 17', 'area_ha = 17', "`location_precision_km` is required"),
    ('brownfield = true', 'brownfield = "yes"', "`brownfield` must be true or false"),
])
def test_broken_data_is_reported_with_its_record(tmp_path, old, new, fragment):
    data = _broken_copy(tmp_path, old, new)
    with pytest.raises(build_sites.DataError) as info:
        build_sites.build(data)
    message = str(info.value)
    assert fragment in message
    assert "announced_projects.toml: site #" in message


def test_duplicate_site_ids_are_refused(tmp_path):
    data = _broken_copy(tmp_path, 'site_id = "zouafques-business-zone"', 'site_id = "bethune-nebius-azur"')
    with pytest.raises(build_sites.DataError, match=r"duplicate site_id .*'bethune-nebius-azur'"):
        build_sites.build(data)


def test_a_record_without_sources_is_refused(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "announced_projects.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("sources = [", text.index('site_id = "zouafques-business-zone"'))
    end = text.index("]\n", start) + 2
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    with pytest.raises(build_sites.DataError, match=r"zouafques-business-zone\): `sources` is required"):
        build_sites.build(data)


def test_unknown_shared_note_is_reported(tmp_path):
    data = _broken_copy(tmp_path, "{fast_track}", "{fast_trak}", name="candidate_sites.toml")
    with pytest.raises(build_sites.DataError, match=r"unknown shared note \{fast_trak\}"):
        build_sites.build(data)


def test_invalid_toml_exits_1_naming_the_file(tmp_path):
    data = _broken_copy(tmp_path, "\n[[site]]\n", "\n[[site]\n", name="candidate_sites.toml")
    with pytest.raises(build_sites.DataError, match="candidate_sites.toml: not valid TOML"):
        build_sites.build(data)
    result = _run("--data", str(data), "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "not valid TOML" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()
