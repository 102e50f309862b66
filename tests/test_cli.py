"""`python -m siting` is a contract other tools rely on: columns, exit codes, determinism."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from siting import export
from siting.schema import CRITERIA
from tests.conftest import DATA, REPO_ROOT


def run(*args):
    return subprocess.run([sys.executable, "-m", "siting", *args], cwd=REPO_ROOT, capture_output=True,
                          text=True, timeout=180)


def _csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_rank_csv_has_the_documented_columns_in_order():
    out = run("rank", "--format", "csv")
    assert out.returncode == 0, out.stderr
    header = out.stdout.splitlines()[0].split(",")
    expected = ["rank", "site_id", "name", "region", "score"]
    for c in CRITERIA:
        expected += [c.key, f"u_{c.key}"]
    assert header == expected + ["nearest_grid_400_name", "nearest_landing_name",  # old columns first, unchanged
                                 "evidence", "location_precision_km", "estimated_fields", "unknown_criteria",
                                 "sources", "uploaded", "scenario_method", "scenario_unknown", "scenario_weights",
                                 "scenario_constraints"]
    rows = _csv(out.stdout)
    assert len(rows) == 35 and rows[0]["rank"] == "1"
    scores = [float(r["score"]) for r in rows]
    assert scores == sorted(scores, reverse=True)
    assert sum("area_ha" in r["estimated_fields"].split(";") for r in rows) == 23  # the 34-ha programme mean
    assert {r["scenario_method"] for r in rows} == {"wsm"}


def test_rank_csv_carries_the_scenario_and_its_constraints():
    rows = _csv(run("rank", "--preset", "inference", "--weight", "power_mw=0", "--region", "Grand Est",
                    "--region", "Hauts-de-France", "--min-power-mw", "100", "--format", "csv").stdout)
    weights = dict(item.split("=") for item in rows[0]["scenario_weights"].split(";"))
    assert list(weights) == [c.key for c in CRITERIA]
    assert weights["power_mw"] == "0" and weights["latency_paris_ms"] == "10"
    assert "min_power_mw=100" in rows[0]["scenario_constraints"].split(";")
    assert "regions=Grand Est|Hauts-de-France" in rows[0]["scenario_constraints"].split(";")


def test_rank_preset_weights_and_filters_are_applied():
    out = run("rank", "--preset", "inference", "--weight", "power_mw=0", "--region", "Grand Est",
              "--min-power-mw", "100", "--format", "json")
    assert out.returncode == 0, out.stderr
    payload = json.loads(out.stdout)
    assert payload["scenario"]["weights"]["power_mw"] == 0
    assert payload["scenario"]["weights"]["latency_paris_ms"] == 10
    assert {r["region"] for r in payload["ranking"]} == {"Grand Est"}
    assert all(r["power_mw"] >= 100 for r in payload["ranking"])
    assert payload["excluded"]


def test_rank_accepts_any_valid_sites_file_including_csv():
    out = run("rank", "--sites", str(DATA / "good_sites.csv"), "--format", "csv")
    assert out.returncode == 0, out.stderr
    assert {r["site_id"] for r in _csv(out.stdout)} == {"csv-a", "csv-b"}


def test_rank_topsis_differs_from_wsm_but_keeps_all_sites():
    wsm = _csv(run("rank", "--format", "csv").stdout)
    topsis = _csv(run("rank", "--method", "topsis", "--format", "csv").stdout)
    assert len(wsm) == len(topsis)
    assert [r["score"] for r in wsm] != [r["score"] for r in topsis]


def test_criteria_csv_lists_the_registry():
    out = run("criteria", "--format", "csv")
    rows = _csv(out.stdout)
    assert [r["key"] for r in rows] == [c.key for c in CRITERIA]
    assert {"key", "label", "unit", "direction", "default_weight"} <= set(rows[0])


def test_robustness_is_deterministic_for_a_seed():
    args = ("robustness", "--draws", "300", "--seed", "5", "--format", "csv")
    a, b = run(*args), run(*args)
    assert a.returncode == 0, a.stderr
    assert a.stdout == b.stdout
    assert a.stdout.splitlines()[0] == "site_id,name,median_rank,rank_p05,rank_p95,p_top3,p_top5"
    rows = _csv(a.stdout)
    assert sum(float(r["p_top3"]) for r in rows) == pytest.approx(3, abs=1e-3)  # rounded to 4 decimals


def test_explain_with_vs_gives_plain_words():
    out = run("explain", "fouju-campus-ia", "--vs", "escaudain-soufflantes")
    assert out.returncode == 0, out.stderr
    assert "Fouju" in out.stdout and "points in favour of" in out.stdout
    assert "Announced power" in out.stdout


@pytest.mark.parametrize("args, fragment", [
    (("rank", "--weight", "nope=1"), "unknown criterion"),
    (("rank", "--weight", "power_mw=-1"), "from 0 to 10"),
    (("rank", "--weight", "power_mw=1000"), "from 0 to 10"),
    (("rank", "--weight", "power_mw=abc"), "must be a number"),
    (("rank", "--preset", "nope"), "invalid choice"),
    (("rank", "--sites", "/no/such/file.geojson"), "cannot read"),
    (("rank", *[x for c in CRITERIA for x in ("--weight", f"{c.key}=0")]), "all weights are zero"),
    (("explain", "no-such-site"), "no site with id"),
    (("robustness", "--draws", "0"), "draws"),
])
def test_bad_arguments_exit_2_with_a_message_and_no_traceback(args, fragment):
    out = run(*args)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert fragment in out.stderr and "Traceback" not in out.stderr


def test_invalid_sites_file_exits_1():
    out = run("rank", "--sites", str(DATA / "bad" / "negative_area.geojson"))
    assert out.returncode == 1 and "area_ha" in out.stderr and "Traceback" not in out.stderr


def test_formula_cells_are_neutralised_in_csv(tmp_path):
    sites = json.loads((DATA / "good_sites.geojson").read_text())
    sites["features"][0]["properties"]["name"] = '=HYPERLINK("http://evil","x")'
    sites["features"][1]["properties"]["name"] = "+cmd|' /C calc'!A0"
    path = tmp_path / "evil.geojson"
    path.write_text(json.dumps(sites))
    out = run("rank", "--sites", str(path), "--format", "csv")
    names = {r["name"] for r in _csv(out.stdout)}
    assert "'=HYPERLINK(\"http://evil\",\"x\")" in names and "'+cmd|' /C calc'!A0" in names
    assert all(not n.startswith(export.FORMULA_PREFIXES) for n in names)


def test_import_rte_cli_writes_a_valid_layer(tmp_path):
    out_path = tmp_path / "grid.geojson"
    result = run("import-rte", str(DATA / "rte" / "postes-electriques-rte-excerpt-latin1.csv"), "-o", str(out_path))
    assert result.returncode == 0, result.stderr
    assert "4 in service at 400 kV, 2 at 225 kV, 1 planned" in result.stdout
    check = run("validate", "--layer", "grid_points", str(out_path))
    assert check.returncode == 0, check.stdout


def test_import_rte_of_the_shipped_copy_reproduces_the_grid_layer(tmp_path):
    out_path = tmp_path / "grid.geojson"
    result = run("import-rte", str(REPO_ROOT / "data" / "open_data" / "rte_postes_electriques_2024-09.csv"),
                 "-o", str(out_path))
    assert result.returncode == 0, result.stderr
    assert "189 in service at 400 kV, 834 at 225 kV, 17 planned" in result.stdout
    assert out_path.read_bytes() == (REPO_ROOT / "layers" / "grid_connection_points.geojson").read_bytes()


@pytest.mark.parametrize("content, expected", [
    ("Code poste;Nom poste;FONCTION;Etat\nA;B;Poste de transformation;EN EXPLOITATION\n",
     ["missing column(s) `Tension (kV)`, `Longitude poste (DD)`, `Latitude poste (DD)`"]),
    ("Code poste,Nom poste,Tension (kV),Longitude poste (DD),Latitude poste (DD)\nA,B,400kV,2,48\n",
     ["comma-separated", "semicolon"]),
    ("", ["the file is empty"]),
    ("Code poste;Nom poste;Etat;Tension (kV);Longitude poste (DD);Latitude poste (DD)\n"
     "MADRI;MADRID;EN EXPLOITATION;400kV;-3.70;40.42\nBERLN;BERLIN;EN EXPLOITATION;400kV;13.40;52.52\n"
     "LAMB9;LAMBERT;EN EXPLOITATION;225kV;652000;6862000\n",
     ["3 bad row(s)", "line 2 (MADRI)", "line 3 (BERLN)", "outside mainland France", "line 4 (LAMB9)",
      "not degrees"]),
], ids=["missing-column", "wrong-separator", "empty", "outside-france"])
def test_import_rte_bad_inputs_exit_1_with_every_problem(tmp_path, content, expected):
    path = tmp_path / "postes.csv"
    path.write_text(content, encoding="utf-8")
    result = run("import-rte", str(path), "-o", str(tmp_path / "out.geojson"))
    assert result.returncode == 1, result.stdout
    for text in expected:
        assert text in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out.geojson").exists()


def test_import_rte_missing_file_exits_2():
    result = run("import-rte", "/no/such.csv")
    assert result.returncode == 2 and "cannot read" in result.stderr


def test_validate_prints_undecodable_paths_without_crashing(tmp_path):
    odd = tmp_path / "caf\udcff.geojson"  # a file name that is not valid UTF-8
    odd.write_bytes((DATA / "good_sites.geojson").read_bytes())
    out = run("validate", str(odd))
    assert out.returncode == 0 and "\\udcff" in out.stdout and "Traceback" not in out.stderr


def test_validate_a_directory_is_a_clear_error(tmp_path):
    out = run("validate", str(tmp_path))
    assert out.returncode == 1 and "cannot read the file" in out.stdout and "Traceback" not in out.stderr
