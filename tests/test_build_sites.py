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


# --- Facts corrected after the December 2026 data audit -------------------------------


def test_besse_sur_braye_has_its_sourced_120_mw(built):
    besse = _features(built, "announced_projects")["besse-sur-braye-eclairion"]
    assert besse["power_mw"] == 120
    assert any("maville.com" in url and "6674969" in url for url in besse["sources"])


def test_quaedypre_keeps_the_lowest_area_and_notes_the_other(built):
    quaedypre = _features(built, "candidate_sites")["quaedypre-data-centre-site"]
    assert quaedypre["area_ha"] == 20.5
    assert "30 ha" in quaedypre["value_notes"]
    assert any("datacenterdynamics.com" in url for url in quaedypre["sources"])


def test_etrechet_holds_the_google_option_and_explains_the_other_areas(built):
    etrechet = _features(built, "candidate_sites")["etrechet-ozans-google"]
    assert etrechet["area_ha"] == 195
    assert "187 ha" in etrechet["value_notes"] and "500 ha" in etrechet["value_notes"]


def test_telehouse_cezanne_is_an_announced_project(built):
    announced = _features(built, "announced_projects")
    telehouse = announced["les-pennes-mirabeau-telehouse-cezanne"]
    assert telehouse["region"] == "Provence-Alpes-Côte d'Azur" and telehouse["department"] == "13"
    assert (telehouse["area_ha"], telehouse["power_mw"], telehouse["available_year"]) == (6, 50, 2027)
    assert "70 MW" in telehouse["value_notes"]
    assert telehouse["location_precision_km"] == 5 and len(telehouse["sources"]) >= 2
    assert "les-pennes-mirabeau-telehouse-cezanne" not in _features(built, "candidate_sites")


def test_at_most_four_of_the_35_are_tied_to_the_list_as_edf_sites(built):
    """The brochure counts 4 EDF sites among the 35; Bouchain is EDF's fifth, added later."""
    zones = _features(built, "candidate_sites")
    tied = {i for i, p in zones.items() if p["edf_site"] and p["evidence"] in ("official", "reported")}
    assert tied == {"la-maxe-edf", "richemont-edf", "montereau-edf", "loire-sur-rhone-edf"}
    bouchain = zones["bouchain-edf"]
    assert bouchain["edf_site"] is True and bouchain["evidence"] == "project"
    assert "fifth" in bouchain["evidence_note"] and "4 EDF sites" in bouchain["evidence_note"]
    assert "fourth" in zones["loire-sur-rhone-edf"]["evidence_note"]


def test_fast_track_official_sites_say_which_list_official_refers_to(built):
    zones = _features(built, "candidate_sites")
    for site_id in ("le-bosquel-ai-campus", "fouju-campus-ia", "dunkerque-loon-plage"):
        note = zones[site_id]["evidence_note"]
        assert "63-site programme" in note and "February 2025 list of 35" in note, site_id


def test_eclairion_bruyeres_is_no_longer_called_operating(built):
    bruyeres = _features(built, "announced_projects")["bruyeres-le-chatel-eclairion"]
    assert "Operating" not in bruyeres["status"] and "already in service" not in bruyeres["evidence_note"]
    assert bruyeres["power_mw"] == 40  # lowest sourced figure; 44 and 100 MW are in the notes
    assert "brochure of February 2025" in bruyeres["value_notes"] and "Q2 2026" in bruyeres["value_notes"]


def test_metadata_notes_the_contested_split_and_the_projects_not_drawn(built):
    candidates = built["sites/candidate_sites.geojson"]["metadata"]["description"]
    assert "28 sites" in candidates and "contested" in candidates
    announced = built["sites/announced_projects.geojson"]["metadata"]["description"]
    for fragment in ("Fluidstack", "3 GW", "evroc"):
        assert fragment in announced
