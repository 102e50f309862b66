"""The ``surface`` and ``locate`` commands: column contracts, notes on stderr, exit 2 on bad arguments."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pandas as pd
import pytest

from siting import cli
from siting import surface as S
from siting.locate import LOCATE_COLUMNS
from tests.conftest import REPO_ROOT


def run(argv, capsys):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def expected_surface_columns():
    cols = ["h3", "lat", "lon", "score"]
    for c in S.LOCATION_CRITERIA:
        cols += [c.key, f"u_{c.key}"]
    return cols


def test_surface_csv_contract(capsys):
    code, out, err = run(["surface", "--resolution", "4"], capsys)
    assert code == 0, err
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns) == expected_surface_columns()
    assert 300 < len(frame) <= 336  # resolution 4: 336 cells, minus the urban cores
    assert frame["h3"].str.fullmatch(r"84[0-9a-f]{13}").all()
    assert frame["score"].between(0, 100).all()
    assert not out.startswith("#")  # the CSV stays clean: notes go to stderr
    assert "not a site offer" in err and "Site-only criteria" in err and "power_mw 8" in err


def test_surface_only_weights_one_criterion_and_geojson_carries_the_notes(capsys):
    code, out, err = run(["surface", "--resolution", "4", "--only", "dist_grid_400_km", "--format", "geojson"],
                         capsys)
    assert code == 0, err
    data = json.loads(out)
    assert "not a site offer" in " ".join(data["metadata"]["notes"])
    feature = data["features"][0]
    assert feature["geometry"]["type"] == "Polygon" and len(feature["geometry"]["coordinates"][0]) == 7
    for f in data["features"]:
        p = f["properties"]
        assert p["score"] == pytest.approx(100 * p["u_dist_grid_400_km"], abs=0.01)


def test_locate_table_csv_and_json(capsys):
    code, out, err = run(["locate", "--resolution", "5", "--top", "4", "--min-spacing-km", "60", "--format", "csv"],
                         capsys)
    assert code == 0, err
    frame = pd.read_csv(io.StringIO(out))
    assert list(frame.columns) == list(LOCATE_COLUMNS)
    assert list(frame["rank"]) == [1, 2, 3, 4] and frame["score"].is_monotonic_decreasing
    assert "not announced sites" in err
    code, out, err = run(["locate", "--resolution", "5", "--top", "3", "--preset", "ai-training",
                          "--away-from-sites-km", "20", "--format", "json"], capsys)
    assert code == 0, err
    payload = json.loads(out)
    assert len(payload["zones"]) == 3 and all(z["dist_nearest_site_km"] >= 20 for z in payload["zones"])
    assert any("not a site offer" in n for n in payload["notes"])
    code, out, err = run(["locate", "--resolution", "5", "--top", "2"], capsys)
    assert code == 0, err
    assert out.startswith("# screening surface") and "not a site offer" in out


@pytest.mark.parametrize("argv, message", [
    (["surface", "--resolution", "9"], "out of range"),
    (["surface", "--resolution", "3"], "out of range"),
    (["surface", "--resolution", "seven"], "whole number"),
    (["surface", "--weight", "nope=3"], "unknown criterion"),
    (["surface", "--weight", "dist_grid_400_km=-1"], "from 0 to"),
    (["surface", "--weight", "dist_grid_400_km=nan"], "from 0 to"),
    (["surface", "--only", "power_mw"], "site-only criterion"),
    (["surface", "--only", "nope"], "not a criterion"),
    (["surface", "--only", "dist_grid_400_km", "--weight", "dist_grid_225_km=2"], "alone"),
    (["surface", "--weight", "dist_grid_400_km=0", "--weight", "dist_grid_225_km=0", "--weight",
      "dist_nuclear_km=0", "--weight", "dist_landing_km=0", "--weight", "intl_cables_150km=0", "--weight",
      "latency_paris_ms=0", "--weight", "latency_frankfurt_ms=0", "--weight", "population_50km=0"],
     "no location criterion"),
    (["surface", "--format", "xlsx"], "invalid choice"),
    (["locate", "--min-spacing-km", "-5"], "finite number ≥ 0"),
    (["locate", "--min-spacing-km", "inf"], "finite number ≥ 0"),
    (["locate", "--min-area-km2", "-1"], "finite number ≥ 0"),
    (["locate", "--top", "0"], "from 1 to"),
    (["locate", "--top", "ten"], "whole number"),
    (["locate", "--preset", "nope"], "invalid choice"),
])
def test_bad_arguments_exit_2_with_a_message(argv, message, capsys):
    code, out, err = run(argv, capsys)
    assert code == 2
    assert message in err and "Traceback" not in err
    assert out == ""


def test_python_m_siting_surface_runs_end_to_end():
    result = subprocess.run([sys.executable, "-m", "siting", "surface", "--resolution", "4", "--preset", "inference"],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0].startswith("h3,lat,lon,score,dist_grid_400_km,u_dist_grid_400_km")
    bad = subprocess.run([sys.executable, "-m", "siting", "locate", "--resolution", "12"], cwd=REPO_ROOT,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "Traceback" not in bad.stderr and "out of range" in bad.stderr
