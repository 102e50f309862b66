"""Shared fixtures: repo paths and tiny layers built in code at known positions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def write_geojson(tmp_path):
    """Write a dict as a GeoJSON file under tmp_path and return its path."""

    def _write(collection: dict, name: str = "sites.geojson") -> Path:
        path = tmp_path / name
        path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")
        return path

    return _write
