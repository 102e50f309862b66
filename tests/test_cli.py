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
    assert a.stdout.splitlines()[0] == "site_id,name,current_rank,median_rank,rank_p05,rank_p95,p_top3,p_top5"
    rows = _csv(a.stdout)
    assert sum(float(r["p_top3"]) for r in rows) == pytest.approx(3, abs=1e-3)  # rounded to 4 decimals
    ranking = _csv(run("rank", "--format", "csv").stdout)
    assert [(r["site_id"], r["current_rank"]) for r in rows] == [(r["site_id"], r["rank"]) for r in ranking]


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
    (("explain", "fouju"), "no site with id 'fouju'; did you mean fouju-campus-ia?"),
    (("explain", "foju"), "did you mean fouju-campus-ia?"),
    (("explain", "fouju-campus-ia", "--vs", "montereau"), "did you mean montereau-edf?"),
    (("robustness", "--draws", "0"), "draws"),
])
def test_bad_arguments_exit_2_with_a_message_and_no_traceback(args, fragment):
    out = run(*args)
    assert out.returncode == 2, (out.stdout, out.stderr)
    assert fragment in out.stderr and "Traceback" not in out.stderr


def test_invalid_sites_file_exits_1():
    # every row of this file is invalid, so nothing is left to rank
    out = run("rank", "--sites", str(DATA / "bad" / "several_problems.geojson"))
    assert out.returncode == 1 and "Traceback" not in out.stderr
    assert "invalid data: 3 problems in 3 features:" in out.stderr and "feature 1 (site_id=test-lille)" in out.stderr


# The CSV the new-user review uploaded: the app accepts 2 of its 3 rows, so must the command line.
REVIEW_CSV = ("site_id,name,lat,lon,power_mw,area_ha,brownfield,available_year\n"
              "my-north,Northern campus,50.0,3.0,800,90,yes,2028\n"
              "my-south,Southern campus,44.0,4.0,200,30,no,2030\n"
              "my-bad,Bad one,95,2,100,20,maybe,2029\n")


@pytest.fixture
def review_csv(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(REVIEW_CSV, encoding="utf-8")
    return path


def test_validate_accepts_what_the_app_accepts(review_csv):
    out = run("validate", str(review_csv))
    assert out.returncode == 0, out.stdout + out.stderr
    lines = out.stdout.splitlines()
    assert lines[0].startswith(f"{review_csv}: PARTIAL — sites file (upload rules, as in the app): 2 of 3 rows valid")
    assert "region from the position (2)" in lines[0] and "evidence 'project' (2)" in lines[0]
    assert lines[0].endswith("2 problems in 1 row (row 1 is the first row under the header); that row was left out:")
    assert lines[1:] == [
        "mine.csv: row 3 (site_id=my-bad): field `brownfield`: is a string ('maybe'), expected true, false or null",
        "mine.csv: row 3 (site_id=my-bad): field `geometry`: position (lon 2, lat 95) is outside mainland France "
        "and Corsica (lon -5.5..9.9, lat 41.2..51.3)"]
    strict = run("validate", "--strict", str(review_csv))
    assert strict.returncode == 1 and "PARTIAL" in strict.stdout
    schema_only = run("validate", "--layer", "candidate_sites", str(review_csv))
    assert schema_only.returncode == 1 and "field `region`: required field is missing" in schema_only.stdout


@pytest.mark.parametrize("command", [("rank", "--format", "csv"), ("robustness", "--draws", "50", "--format", "csv"),
                                     ("explain", "my-north"), ("consensus",)])
def test_every_command_with_sites_keeps_the_valid_rows_and_warns(review_csv, command):
    out = run(*command, "--sites", str(review_csv))
    assert out.returncode == 0, out.stderr
    warnings = out.stderr.splitlines()
    assert warnings[0] == ("warning: mine.csv: 2 of 3 rows used; 2 problems in 1 row (row 1 is the first row "
                           "under the header); that row was left out:")
    assert all(line.startswith("warning: mine.csv: row 3 (site_id=my-bad)") for line in warnings[1:3])
    assert "my-bad" not in out.stdout
    if command[0] == "rank":
        rows = {r["site_id"]: r for r in _csv(out.stdout)}
        assert set(rows) == {"my-north", "my-south"}
        assert rows["my-north"]["region"] == "Hauts-de-France" and rows["my-south"]["region"] == "Occitanie"
        assert {r["evidence"] for r in rows.values()} == {"project"}
        assert {r["uploaded"] for r in rows.values()} == {"true"}


def test_a_sites_file_with_only_site_id_and_name_ranks(tmp_path):
    path = tmp_path / "bare.csv"
    path.write_text("site_id,name,lat,lon\nmy-site,My site,45.75,4.85\n", encoding="utf-8")
    out = run("rank", "--sites", str(path), "--format", "json")
    assert out.returncode == 0 and out.stderr == "", out.stderr
    ranking = json.loads(out.stdout)["ranking"]
    assert [(r["site_id"], r["region"]) for r in ranking] == [("my-site", "Auvergne-Rhône-Alpes")]


def test_validate_flags_a_site_id_that_is_not_a_slug(tmp_path):
    path = tmp_path / "ids.csv"
    path.write_text("site_id,name,lat,lon\nBad ID!,Bad,48.1,2.1\ngood-id,Good,48.2,2.2\n", encoding="utf-8")
    out = run("validate", str(path))
    assert out.returncode == 0 and "1 of 2 rows valid" in out.stdout
    assert ("ids.csv: row 1 (site_id=Bad ID!): field `site_id`: 'Bad ID!' must be lower case letters, digits and "
            "hyphens, e.g. 'bad-id'") in out.stdout.splitlines()
    only_bad = tmp_path / "bad.csv"
    only_bad.write_text("site_id,name,lat,lon\nBad ID!,Bad,48.1,2.1\n", encoding="utf-8")
    out = run("validate", str(only_bad))
    assert out.returncode == 1 and f"{only_bad}: INVALID — 1 problem in 1 row" in out.stdout


def test_rank_table_spells_out_unknowns_and_marks_estimates():
    out = run("rank", "--preset", "ai-training")
    assert out.returncode == 0, out.stderr
    assert "NaN" not in out.stdout and "None" not in out.stdout and "<NA>" not in out.stdout
    lines = out.stdout.splitlines()
    header = lines[0].split()
    assert header[:4] == ["rank", "score", "site", "region"] and header[-1] == "site_id"
    cambrai = next(line for line in lines if "cambrai-e-valley" in line)
    assert "unknown" in cambrai  # its available year is not public
    bosquel = next(line for line in lines if "le-bosquel-ai-campus" in line)
    assert "34 ha*" in bosquel
    assert "* estimate (an estimation rule, not a source)" in out.stdout
    long_name = next(line for line in lines if "fouju-campus-ia" in line)
    assert "Fouju – Campus IA (MGX, Bpifrance, Mistral AI, NV…" in long_name  # cut with an ellipsis


def test_explain_says_unknown_once_and_counts_in_the_singular():
    out = run("explain", "fouju-campus-ia")
    assert out.returncode == 0, out.stderr
    assert "unknown (unknown)" not in out.stdout
    assert any(line.startswith("EDF land") and " unknown " in line for line in out.stdout.splitlines())
    # Blanquefort has 1 international cable within 150 km; Montereau is 1 year from power
    vs = run("explain", "nouvelle-aquitaine-indicative-blanquefort-ford", "--vs", "montereau-edf",
             "--weight", "intl_cables_150km=10", "--weight", "years_to_power=10")
    assert vs.returncode == 0, vs.stderr
    assert "  1 cable  " in vs.stdout and "vs 1 year —" in vs.stdout
    assert " 1 cables" not in vs.stdout and " 1 years" not in vs.stdout


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
