"""Load the layers: the shipped files, a sites file given on the command line, an upload.

Reading is bounded (:data:`~siting.schema.MAX_FILE_BYTES`); validation is :mod:`siting.validate`'s
(:class:`DataValidationError`, :class:`Problem` and the parsers are re-exported here). A layer that
passes reaches the rest of the package as a GeoDataFrame in WGS84 whose columns are exactly the
layer's declared fields.

Two rules for site files, one per use:

* the shipped layers (``sites/candidate_sites.geojson``, ``sites/announced_projects.geojson``,
  ``layers/*.geojson``, recognised by file name) are strict: any problem rejects the file;
* any other sites file is read as the app's "Your sites" upload (:data:`~siting.schema.UPLOADED_SITES`:
  only ``site_id`` and ``name`` required), valid rows kept, the others listed, defaults filled by
  :func:`complete_upload` — the app and ``python -m siting`` share :func:`load_sites_file`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd

from siting.schema import (
    ANNOUNCED_PROJECTS,
    CABLE_LANDINGS,
    CANDIDATE_SITES,
    COMMUNES,
    GRID_POINTS,
    LAYERS,
    MAX_FILE_BYTES,
    OTHER_LAYERS,
    POWER_PLANTS,
    REGION_OUTLINES,
    SITE_LAYERS,
    UPLOADED_SITES,
    LayerSpec,
)
from siting.validate import (
    MAX_PROBLEMS_SHOWN,
    DataValidationError,
    Problem,
    parse_layer,
    parse_layer_partial,
    plural,
    problem_summary,
)

__all__ = [
    "DATA_ROOT_ENV", "MAX_PROBLEMS_SHOWN", "REPO_ROOT", "UPLOAD_DEFAULTS", "DataValidationError", "PartialLoad",
    "Problem", "SitesFile", "SitingInputs", "complete_upload", "data_root", "layer_paths", "layer_summary",
    "load_inputs", "load_layer", "load_sites_file", "load_upload", "parse_layer", "parse_layer_partial",
    "read_file", "spec_for_path",
]

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_ROOT_ENV = "SITING_DATA_ROOT"


@dataclass(frozen=True)
class SitingInputs:
    """All layers the model needs, validated, in WGS84."""

    sites: gpd.GeoDataFrame
    announced: gpd.GeoDataFrame
    grid: gpd.GeoDataFrame
    landings: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    plants: gpd.GeoDataFrame
    communes: gpd.GeoDataFrame


def data_root() -> Path:
    """Return the folder holding ``sites/`` and ``layers/`` (``$SITING_DATA_ROOT`` or the repo)."""
    override = os.environ.get(DATA_ROOT_ENV)
    return Path(override) if override else REPO_ROOT


def layer_paths(root: Path | None = None) -> dict[str, Path]:
    """Map each layer key to its file under ``root``."""
    root = data_root() if root is None else Path(root)
    return {layer.key: root / layer.path for layer in LAYERS}


def load_inputs(root: Path | None = None) -> SitingInputs:
    """Load and validate every shipped layer; raise one error listing all problems."""
    paths = layer_paths(root)
    problems: list[Problem] = []
    loaded: dict[str, gpd.GeoDataFrame] = {}
    for layer in LAYERS:
        try:
            loaded[layer.key] = load_layer(paths[layer.key], layer)
        except DataValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DataValidationError(problems)
    return SitingInputs(
        sites=loaded[CANDIDATE_SITES.key],
        announced=loaded[ANNOUNCED_PROJECTS.key],
        grid=loaded[GRID_POINTS.key],
        landings=loaded[CABLE_LANDINGS.key],
        regions=loaded[REGION_OUTLINES.key],
        plants=loaded[POWER_PLANTS.key],
        communes=loaded[COMMUNES.key],
    )


def read_file(path: Path | str) -> tuple[bytes, str]:
    """Read a layer file's bytes, bounded by the size limit; return (bytes, file name for messages)."""
    path = Path(path)
    source = path.name
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise DataValidationError([Problem(source, f"cannot read the file ({exc.strerror})")]) from None
    if size > MAX_FILE_BYTES:
        raise DataValidationError([Problem(
            source, f"file is {size / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB")])
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)  # bounded even when stat() says 0 (pipes, /dev/zero)
    except OSError as exc:
        raise DataValidationError([Problem(source, f"cannot read the file ({exc.strerror})")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise DataValidationError([Problem(
            source, f"file is over {MAX_FILE_BYTES / 1e6:.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:.0f} MB")])
    return raw, source


def load_layer(path: Path | str, spec: LayerSpec) -> gpd.GeoDataFrame:
    """Read ``path`` (GeoJSON, or CSV with ``lat``/``lon`` for point layers) and validate it strictly."""
    raw, source = read_file(path)
    return parse_layer(raw, spec, source)


@dataclass(frozen=True)
class PartialLoad:
    """An upload split into accepted features and the problems of the rejected ones."""

    accepted: gpd.GeoDataFrame
    problems: list[Problem]
    total: int

    @property
    def rejected_indexes(self) -> list[int]:
        """Feature indexes (from 0) with at least one problem."""
        return sorted({p.index for p in self.problems if p.index is not None})

    @property
    def unit(self) -> str:
        """``row`` for a CSV file, ``feature`` for GeoJSON."""
        return self.accepted.attrs.get("unit", "feature")

    def left_out(self) -> str:
        """Say what was left out and why, e.g. ``3 problems in 1 row; that row was left out`` ('' if nothing)."""
        if not self.problems:
            return ""
        count = len(self.rejected_indexes)
        which = f"that {self.unit} was" if count == 1 else f"those {self.unit}s were"
        return f"{problem_summary(self.problems)}; {which} left out"


def load_upload(raw: bytes, spec: LayerSpec, source: str) -> PartialLoad:
    """Validate an uploaded file, keeping its valid features (rows) and listing the others' problems."""
    gdf, problems = parse_layer_partial(raw, spec, source)
    total = len(gdf) + len({p.index for p in problems if p.index is not None})
    return PartialLoad(gdf, problems, total)


def layer_summary(gdf: gpd.GeoDataFrame, spec: LayerSpec) -> str:
    """One line describing a valid layer, e.g. for ``python -m siting validate``."""
    return f"{spec.title}: {plural(len(gdf), gdf.attrs.get('unit', 'feature'))}, all fields valid"


def spec_for_path(path: Path | str) -> LayerSpec:
    """Return the shipped layer a file name matches (strict rules); any other name is a sites upload."""
    name = Path(path).name
    for layer in (*LAYERS, *OTHER_LAYERS):
        if Path(layer.path).name == name:
            return layer
    return UPLOADED_SITES


UPLOAD_DEFAULTS = {
    "evidence": "project",
    "evidence_note": "Uploaded by the user for this session; not checked against public sources.",
    "location_precision_km": 1.0,
}


def complete_upload(gdf: gpd.GeoDataFrame, regions: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Fill an uploaded site layer's missing region and defaults; mark every row ``uploaded``.

    The region comes from the point's position (the nearest region within 20 km for points just
    off the simplified coast); evidence defaults to `project` with a note saying nobody checked it.
    """
    out = gdf.copy()
    for column, value in UPLOAD_DEFAULTS.items():
        out[column] = out[column].where(out[column].notna(), value)
    out["sources"] = [v if isinstance(v, list) else [] for v in out["sources"]]
    out["estimated_fields"] = [v if isinstance(v, list) else [] for v in out["estimated_fields"]]
    missing = out["region"].isna()
    if missing.any():
        points = out.loc[missing, ["geometry"]].to_crs("EPSG:2154")
        outlines = regions[["region", "geometry"]].to_crs("EPSG:2154")
        joined = gpd.sjoin_nearest(points, outlines, how="left", max_distance=20_000, distance_col="_d")
        joined = joined[~joined.index.duplicated(keep="first")]
        out.loc[missing, "region"] = joined["region_right"] if "region_right" in joined else joined["region"]
    out["uploaded"] = True
    return out


_FILLED_TEXT = {
    "region": "region from the position",
    "evidence": f"evidence {UPLOAD_DEFAULTS['evidence']!r}",
    "evidence_note": "a note that nobody checked it",
    "location_precision_km": f"precision ±{UPLOAD_DEFAULTS['location_precision_km']:g} km",
}


@dataclass(frozen=True)
class SitesFile:
    """A sites file read for the model: its valid sites, completed, and what was left out.

    ``spec`` is the shipped site layer the file name matched (strict: ``problems`` is empty) or
    :data:`~siting.schema.UPLOADED_SITES`; ``filled`` counts, per field, the rows whose value came
    from a default (``region`` from the position, see :func:`complete_upload`).
    """

    sites: gpd.GeoDataFrame
    spec: LayerSpec
    source: str
    total: int
    problems: list[Problem]
    left_out: str
    filled: dict[str, int]

    def summary(self) -> str:
        """One line: how many sites were kept, the defaults filled, and what was left out."""
        unit = self.sites.attrs.get("unit", "feature")
        if self.spec is not UPLOADED_SITES:
            return layer_summary(self.sites, self.spec)
        text = f"sites file (upload rules, as in the app): {len(self.sites):,} of {plural(self.total, unit)} valid"
        filled = [f"{_FILLED_TEXT.get(name, name)} ({count})" for name, count in self.filled.items() if count]
        if filled:
            text += f"; filled as in the app, in so many {unit}s: {', '.join(filled)}"
        if self.left_out:
            text += f"; {self.left_out}"
        return text


def load_sites_file(path: Path | str, regions: gpd.GeoDataFrame | None = None, *,
                    as_upload: bool = False) -> SitesFile:
    """Read a sites file as ``python -m siting`` and the app do.

    A shipped site layer (by file name) must be entirely valid. Any other file follows the
    upload rules: invalid rows are left out and listed, and a file with no valid row raises
    :class:`DataValidationError` listing every problem. ``regions`` (default: the shipped layer
    under :func:`data_root`) places sites whose region is not given. ``as_upload`` applies the
    upload rules whatever the file's name.
    """
    spec = UPLOADED_SITES if as_upload else spec_for_path(path)
    raw, source = read_file(path)
    if spec in SITE_LAYERS:
        gdf = parse_layer(raw, spec, source)
        return SitesFile(gdf, spec, source, len(gdf), [], "", {})
    result = load_upload(raw, UPLOADED_SITES, source)
    if not len(result.accepted):
        raise DataValidationError(result.problems)
    if regions is None:
        regions = load_layer(data_root() / REGION_OUTLINES.path, REGION_OUTLINES)
    accepted = result.accepted
    completed = complete_upload(accepted, regions)
    filled = {name: int((accepted[name].isna() & completed[name].notna()).sum())
              for name in ("region", *UPLOAD_DEFAULTS)}
    completed.attrs.update(accepted.attrs)
    return SitesFile(completed, UPLOADED_SITES, source, result.total, result.problems, result.left_out(), filled)
