"""Hostile inputs: every file gets a clear, bounded, inert message and never a crash.

The corpus in ``tests/data/hostile/`` is written by ``tools/make_hostile_corpus.py``;
``EXPECTED.json`` holds each file's exit code and message fragments under the strict site schema
(``--layer candidate_sites``). The same files are also read with the upload rules (the default for
a sites file, as in the app): valid rows kept, the others listed, never a crash. The command line
is run once per batch of files (``validate`` accepts several paths) to keep this module fast.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest

from siting import schema
from siting.data import DataValidationError, load_layer, load_sites_file, load_upload
from tests.conftest import DATA, REPO_ROOT

HOSTILE = DATA / "hostile"
EXPECTED: dict[str, dict] = json.loads((HOSTILE / "EXPECTED.json").read_text(encoding="utf-8"))
INVALID = sorted(name for name, e in EXPECTED.items() if e["exit"] == 1)
VALID = sorted(name for name, e in EXPECTED.items() if e["exit"] == 0)
MAX_OUTPUT = 20_000  # characters per file in the CLI's output
MAX_LINE = 1_000
# What must never reach a terminal from a data file: controls (newline excepted, it ends
# lines), bidi embeddings/overrides/isolates, invisible separators, BOMs, replacement chars.
UNSAFE_OUTPUT = re.compile(
    r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u200b\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffd]")


def _spec(name: str) -> schema.LayerSpec:
    layer = EXPECTED[name].get("layer")
    return schema.LAYERS_BY_KEY[layer] if layer else schema.CANDIDATE_SITES


def _run_validate(paths: list[Path], layer: str | None = None) -> subprocess.CompletedProcess:
    args = [sys.executable, "-m", "siting", "validate", *map(str, paths)]
    if layer != "default":  # the strict site schema unless a layer is named
        args += ["--layer", layer or schema.CANDIDATE_SITES.key]
    return subprocess.run(args, cwd=REPO_ROOT, capture_output=True, text=True, encoding="utf-8",
                          errors="replace", timeout=300)


def _split_sections(stdout: str, paths: list[Path]) -> dict[str, tuple[str, list[str]]]:
    """Map each path to (status, problem lines); fail on any line outside a file's section."""
    headers = {f"{p}: {status} — ": (str(p), status) for p in paths for status in ("OK", "PARTIAL", "INVALID")}
    sections: dict[str, tuple[str, list[str]]] = {}
    current: list[str] | None = None
    for line in stdout.splitlines():
        match = next((headers[h] for h in headers if line.startswith(h)), None)
        if match:
            assert match[0] not in sections, f"{match[0]} reported twice"
            current = [line]
            sections[match[0]] = (match[1], current)
        else:
            assert current is not None, f"output line outside any file's report: {line!r}"
            current.append(line)
    return sections


@pytest.fixture(scope="module")
def cli_reports() -> dict[str, dict]:
    """Run ``validate`` once per (layer, expected exit) batch; return each file's report."""
    batches: dict[tuple[str | None, int], list[str]] = defaultdict(list)
    for name, expected in EXPECTED.items():
        batches[(expected.get("layer"), expected["exit"])].append(name)
    reports: dict[str, dict] = {}
    for (layer, exit_code), names in sorted(batches.items(), key=lambda item: (item[0][0] or "", item[0][1])):
        paths = [HOSTILE / n for n in names]
        started = time.perf_counter()
        result = _run_validate(paths, layer)
        elapsed = time.perf_counter() - started
        sections = _split_sections(result.stdout, paths)
        for name, path in zip(names, paths):
            status, lines = sections.get(str(path), ("MISSING", []))
            reports[name] = {"batch_exit": result.returncode, "expected_batch_exit": exit_code, "status": status,
                             "lines": lines, "stderr": result.stderr, "batch_seconds": elapsed}
    return reports


def test_corpus_is_complete_and_large_enough():
    on_disk = sorted(str(p.relative_to(HOSTILE)) for p in HOSTILE.rglob("*") if p.is_file())
    assert on_disk == sorted([*EXPECTED, "EXPECTED.json"])
    assert len(INVALID) >= 30 and len(VALID) >= 2
    # The bad/ corpus already has one file per rule; hostile/ must not repeat its contents.
    bad = {p.read_bytes() for p in (DATA / "bad").iterdir()}
    assert not any((HOSTILE / n).read_bytes() in bad for n in EXPECTED)


def test_corpus_matches_its_generator(tmp_path):
    result = subprocess.run([sys.executable, "tools/make_hostile_corpus.py", "--out", str(tmp_path)],
                            cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    for name in [*EXPECTED, "EXPECTED.json"]:
        assert (tmp_path / name).read_bytes() == (HOSTILE / name).read_bytes(), f"{name} is stale: rerun the tool"


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_cli_reports_each_file_clearly(name, cli_reports):
    expected, report = EXPECTED[name], cli_reports[name]
    status = {0: "OK", 1: "INVALID"}[expected["exit"]]
    assert report["status"] == status, report
    assert report["batch_exit"] == report["expected_batch_exit"] == expected["exit"]
    assert "Traceback" not in report["stderr"] and report["stderr"].strip() == "", report["stderr"]
    text = "\n".join(report["lines"])
    assert "Traceback" not in text
    assert len(text) < MAX_OUTPUT, f"{len(text)} characters of output"
    assert max(len(line) for line in report["lines"]) <= MAX_LINE
    for fragment in expected["fragments"]:
        assert fragment in text, f"{fragment!r} not in {text[:3000]!r}"
    for payload in expected.get("absent", []):
        assert payload not in text, f"{payload[:80]!r} echoed unclipped"
    unsafe = UNSAFE_OUTPUT.search(text)
    assert unsafe is None, f"raw U+{ord(unsafe.group()):04X} in output"
    # Every problem line names its file first: nothing in the data can forge a line.
    basename = Path(name).name
    for line in report["lines"][1:]:
        assert line.startswith(f"{basename}: ") or line.startswith("… and "), line


@pytest.mark.parametrize("name", INVALID)
def test_load_layer_raises_only_data_validation_error(name):
    with pytest.raises(DataValidationError) as info:
        load_layer(HOSTILE / name, _spec(name))
    problems = info.value.problems
    assert problems and all(p.source == Path(name).name for p in problems)
    message = str(info.value)
    for fragment in EXPECTED[name]["fragments"]:
        assert fragment in message


@pytest.mark.parametrize("name", INVALID)
def test_upload_path_rejects_or_splits_without_losing_rows(name):
    raw = (HOSTILE / name).read_bytes()
    try:
        result = load_upload(raw, _spec(name), Path(name).name)
    except DataValidationError as exc:
        assert exc.problems
        return
    assert result.problems, "an invalid file came back with no problem"
    assert len(result.accepted) + len(result.rejected_indexes) == result.total
    assert not set(result.accepted.attrs["feature_index"]) & set(result.rejected_indexes)


@pytest.mark.parametrize("name", VALID)
def test_valid_unicode_and_payloads_round_trip_exactly(name):
    gdf = load_layer(HOSTILE / name, _spec(name))
    for column, values in EXPECTED[name]["columns"].items():
        assert gdf[column].tolist() == values


def test_ten_thousand_features_name_the_bad_one_quickly(cli_reports):
    name = "ten_thousand_and_one.geojson"
    started = time.perf_counter()
    with pytest.raises(DataValidationError) as info:
        load_layer(HOSTILE / name, schema.CANDIDATE_SITES)
    assert time.perf_counter() - started < 15
    assert [(p.index, p.field) for p in info.value.problems] == [(7321, "evidence")]
    assert cli_reports[name]["status"] == "INVALID"
    upload = load_upload((HOSTILE / name).read_bytes(), schema.CANDIDATE_SITES, name)
    assert len(upload.accepted) == 10_000 and upload.rejected_indexes == [7321] and upload.total == 10_001


def test_60_mb_file_is_refused_by_size_before_reading(tmp_path):
    big = tmp_path / "huge.geojson"
    with big.open("wb") as fh:  # sparse: no 60 MB actually written
        fh.truncate(60 * 1024 * 1024)
    started = time.perf_counter()
    result = _run_validate([big])
    assert time.perf_counter() - started < 30
    assert result.returncode == 1 and "Traceback" not in result.stdout + result.stderr
    assert "huge.geojson: file is 63 MB; the limit is 52 MB" in result.stdout


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_endless_stream_is_read_no_further_than_the_limit():
    # stat() says 0 bytes; the reader must stop at the limit instead of filling memory.
    with pytest.raises(DataValidationError, match="limit is 52 MB"):
        load_layer("/dev/zero", schema.CANDIDATE_SITES)


@pytest.fixture(scope="module")
def upload_reports() -> tuple[subprocess.CompletedProcess, dict[str, tuple[str, list[str]]]]:
    """``validate`` with no ``--layer`` on every site file: the upload rules, as the app reads them."""
    paths = [HOSTILE / n for n in sorted(EXPECTED) if not EXPECTED[n].get("layer")]
    result = _run_validate(paths, "default")
    return result, _split_sections(result.stdout, paths)


@pytest.mark.parametrize("name", sorted(n for n in EXPECTED if not EXPECTED[n].get("layer")))
def test_upload_rules_keep_valid_rows_and_report_the_rest_inertly(name, upload_reports):
    result, sections = upload_reports
    assert "Traceback" not in result.stderr and result.stderr.strip() == "", result.stderr
    status, lines = sections[str(HOSTILE / name)]
    try:
        sites_file = load_sites_file(HOSTILE / name, as_upload=True)
    except DataValidationError:
        expected = "INVALID"  # no valid row, or the file itself is unreadable
    else:
        expected = "PARTIAL" if sites_file.problems else "OK"
        assert len(sites_file.sites) + len({p.index for p in sites_file.problems}) == sites_file.total
        if EXPECTED[name]["exit"] == 0:
            assert expected == "OK"
    assert status == expected, lines[:3]
    text = "\n".join(lines)
    assert len(text) < MAX_OUTPUT and max(len(line) for line in lines) <= MAX_LINE
    unsafe = UNSAFE_OUTPUT.search(text)
    assert unsafe is None, f"raw U+{ord(unsafe.group()):04X} in output"
    for payload in EXPECTED[name].get("absent", []):
        if payload.startswith(("feature ", "row ")):
            continue  # numbering fragments are about the strict report
        assert payload not in text, f"{payload[:80]!r} echoed unclipped"
    basename = Path(name).name
    for line in lines[1:]:
        assert line.startswith(f"{basename}: ") or line.startswith("… and "), line


def test_upload_rules_exit_0_while_one_row_is_valid(upload_reports):
    result, sections = upload_reports
    statuses = {status for status, _ in sections.values()}
    assert {"OK", "PARTIAL", "INVALID"} <= statuses
    assert result.returncode == 1  # some files have no valid row
    bulk = sections[str(HOSTILE / "ten_thousand_and_one.geojson")]
    assert bulk[0] == "PARTIAL" and "10,000 of 10,001 features valid" in bulk[1][0]
