"""Structure rules: only the UI imports Streamlit, imports flow one way, docs match the code."""

from __future__ import annotations

import subprocess
import sys

import pytest

from siting import docs
from siting.schema import CRITERIA
from tests.conftest import REPO_ROOT, module_imports

PACKAGE = REPO_ROOT / "siting"
# module → siting modules it may import (one-way flow: schema ← data/proximity ← scoring ← mapview ← app)
ALLOWED = {
    "criteria": set(),
    "schema": {"criteria"},
    "scenario": {"schema"},
    "text": set(),
    "validate": {"schema", "text"},
    "data": {"schema", "validate"},
    "proximity": {"schema"},
    "rte_import": {"schema"},
    "scoring": {"schema", "proximity", "scenario", "methods"},
    "explain": {"schema", "scenario", "scoring"},
    "robustness": {"schema", "scoring"},  # methods' functions come re-exported from scoring
    "export": {"schema", "scenario", "scoring", "text"},
    "mapview": {"schema", "scenario", "data", "scoring", "text"},
    "regionmap": {"mapview"},
    "urlstate": {"schema", "scenario", "text"},  # no mapview, no pydeck
    "docs": {"schema", "scenario", "scoring"},
    "regions": {"schema", "scoring"},
    "dossier": {"schema", "scoring", "explain", "robustness", "text"},
    "cli": {"schema", "scenario", "data", "scoring", "explain", "robustness", "export", "rte_import", "docs", "text",
            "cli_common", "cli_consensus", "cli_surface"},
    # issue 13 (methods, consensus, objective weights, curves); scoring does not import them yet
    "methods": {"scenario"},
    "weights": {"schema", "scoring"},
    "consensus": {"schema", "scoring", "methods", "text"},
    "curves": {"schema", "scoring"},
    "cli_common": {"schema", "scenario", "data", "proximity", "scoring", "export"},
    "cli_consensus": {"cli_common", "consensus", "methods", "scoring", "data", "export", "scenario"},
    # issue 14 (screening surface): below scoring, above nothing the UI uses
    "surface": {"schema", "data", "popgrid", "proximity", "scoring"},
    "locate": {"schema", "proximity", "scoring", "surface", "validate"},
    "popgrid": {"schema", "proximity"},
    "cli_surface": {"cli_common", "schema", "data", "proximity", "scoring", "export", "surface", "locate"},
    "__init__": set(),
    "__main__": {"cli"},
}


@pytest.mark.parametrize("path", sorted(PACKAGE.glob("*.py")), ids=lambda p: p.stem)
def test_package_module_imports_follow_the_one_way_flow(path):
    imports = module_imports(path)
    assert not any(name.split(".")[0] == "streamlit" for name in imports), f"{path.name} imports streamlit"
    siting_deps = {name.split(".")[1] for name in imports if name.startswith("siting.")}
    assert path.stem in ALLOWED, f"new module {path.name}: declare its allowed imports here"
    assert siting_deps <= ALLOWED[path.stem], f"{path.name} imports {siting_deps - ALLOWED[path.stem]}"


def test_readme_generated_tables_match_the_schema():
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert docs.block_names(text) == set(docs.generated_blocks())
    assert docs.render(text) == text, "README is stale: run `python -m siting docs --write`"


def test_readme_mentions_every_criterion_and_both_commands():
    text = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    for c in CRITERIA:
        assert f"`{c.key}`" in text
    assert "`make run`" in text and "`make test`" in text


def test_ci_runs_exactly_the_readme_test_command():
    ci = (REPO_ROOT / ".ci" / "run").read_text()
    assert "\nmake test\n" in ci


def test_importing_the_package_does_not_import_streamlit():
    code = "import sys, siting.cli, siting.mapview, siting.urlstate; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "False", out.stderr
