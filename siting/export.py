"""Downloads: ranking CSV (safe against spreadsheet formulas), scored GeoJSON, scenario JSON.

The CSV column order is a contract other tools rely on (see the README).
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from siting.scenario import CONSTRAINTS, KNOBS, Scenario, ScoringError, check_scenario, constraints_from
from siting.schema import CRITERIA
from siting.scoring import Ranking

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
SCENARIO_FORMAT = "dc-siting-scenario/1"


BASE_COLUMNS = ("rank", "site_id", "name", "region", "score")
NAME_COLUMNS = ("nearest_grid_400_name", "nearest_landing_name")
PROVENANCE_COLUMNS = ("evidence", "location_precision_km", "estimated_fields", "unknown_criteria", "sources",
                      "uploaded")
SCENARIO_COLUMNS = ("scenario_method", "scenario_unknown", "scenario_weights", "scenario_constraints")
LIST_SEPARATOR = ";"
"""Joins field and criterion keys in one CSV cell (they never contain it)."""
SOURCE_SEPARATOR = " | "
"""Joins source URLs in one CSV cell (a URL may hold ``;`` but never a space)."""
# Raw values in the CSV, by unit: decimals kept (distances 0.1 km, round trips 0.1 ms, people to
# the nearest 1,000, counts whole); other units (MW, ha, €/m²) are written as the data give them.
CSV_DECIMALS = {"km": 1, "ms": 1, "people": -3, "cables": 0, "years": 0}
CSV_DECIMALS_BY_KEY = {"data_confidence": 2}


def ranking_columns() -> list[str]:
    """Column order of the ranking CSV (the README's contract; new columns only ever go at the end)."""
    cols = list(BASE_COLUMNS)
    for c in CRITERIA:
        cols += [c.key, f"u_{c.key}"]
    return cols + [*NAME_COLUMNS, *PROVENANCE_COLUMNS, *SCENARIO_COLUMNS]


def neutralise_formula(value: Any) -> Any:
    """Prefix text that a spreadsheet would run as a formula with a quote (OWASP advice)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def ranking_frame(ranking: Ranking) -> pd.DataFrame:
    """Return the ranking as a plain table: rank, ids, score, raw values and utilities, nearest names."""
    columns = [c for c in ranking_columns() if c not in PROVENANCE_COLUMNS + SCENARIO_COLUMNS]
    frame = pd.DataFrame(ranking.table.drop(columns="geometry"))[columns].copy()
    for c in CRITERIA:
        if c.transform == "boolean":
            frame[c.key] = frame[c.key].astype("boolean")
    frame["score"] = frame["score"].round(2)
    for c in CRITERIA:
        frame[f"u_{c.key}"] = frame[f"u_{c.key}"].astype("float64").round(4)
    return frame.reset_index(drop=True)


def _joined(values: Any, separator: str = LIST_SEPARATOR) -> str:
    return separator.join(str(v) for v in values) if isinstance(values, (list, tuple)) else ""


def _csv_bool(value: Any) -> str:
    return "" if value is None or value is pd.NA else ("true" if bool(value) else "false")


def scenario_cells(scenario: Scenario) -> dict[str, str]:
    """Write the scenario in four CSV cells: method, unknown rule, ``key=value;…`` weights and constraints.

    Weights list every criterion (registry order); constraints list the ones set, a choice of
    several as ``regions=Grand Est|Hauts-de-France``.
    """
    weights = LIST_SEPARATOR.join(f"{c.key}={float(scenario.weights.get(c.key, 0)):g}" for c in CRITERIA)
    constraints = []
    for spec in CONSTRAINTS:
        value = getattr(scenario.constraints, spec.key)
        if value is None or (spec.kind == "in" and not value):
            continue
        text = "|".join(map(str, value)) if spec.kind == "in" else f"{value:g}"
        constraints.append(f"{spec.key}={text}")
    return {"scenario_method": scenario.method, "scenario_unknown": scenario.unknown,
            "scenario_weights": weights, "scenario_constraints": LIST_SEPARATOR.join(constraints)}


def ranking_csv(ranking: Ranking) -> str:
    """CSV text of the ranking (README contract), every text cell neutralised against formula injection.

    Raw values are rounded to what their precision supports (:data:`CSV_DECIMALS`); yes/no facts
    are ``true``/``false``; unknown values are empty cells; each row carries its provenance
    (evidence, precision, estimated fields, unknown criteria, sources) and the scenario.
    """
    frame = ranking_frame(ranking)
    table = ranking.table.reset_index(drop=True)
    for c in CRITERIA:
        if c.transform == "boolean":
            frame[c.key] = frame[c.key].map(_csv_bool)
        elif (decimals := CSV_DECIMALS_BY_KEY.get(c.key, CSV_DECIMALS.get(c.unit))) is not None:
            rounded = pd.to_numeric(frame[c.key], errors="coerce").astype("float64").round(decimals)
            frame[c.key] = rounded.astype("Int64") if decimals <= 0 else rounded
    frame["evidence"] = table["evidence"]
    frame["location_precision_km"] = table["location_precision_km"]
    frame["estimated_fields"] = table["estimated_fields"].map(_joined)
    frame["unknown_criteria"] = table["unknown_criteria"].map(_joined)
    frame["sources"] = table["sources"].map(lambda v: _joined(v, SOURCE_SEPARATOR))
    uploaded = table["uploaded"] if "uploaded" in table else [False] * len(table)
    frame["uploaded"] = ["true" if isinstance(v, (bool, np.bool_)) and v else "false" for v in uploaded]
    for key, value in scenario_cells(ranking.scenario).items():
        frame[key] = value
    frame = frame[ranking_columns()]
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(neutralise_formula)
    return frame.to_csv(index=False, lineterminator="\n")


def ranking_records(ranking: Ranking) -> list[dict]:
    """JSON-ready records (NaN → null) with unknown and estimated criteria listed."""
    frame = ranking_frame(ranking)
    frame["unknown_criteria"] = list(ranking.table["unknown_criteria"])
    frame["estimated_criteria"] = list(ranking.table["estimated_criteria"])
    return [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]


def scored_geojson(ranking: Ranking) -> str:
    """Return the ranked sites as a GeoJSON FeatureCollection with scores and key proximity values."""
    records = ranking_records(ranking)
    table = ranking.table
    features = []
    extra = ["evidence", "location_precision_km", "sources", "dist_grid_400_km", "dist_landing_km"]
    for rec, (_, row) in zip(records, table.iterrows()):
        props = dict(rec)
        for key in extra:
            props[key] = _json_value(row[key])
        features.append({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(row.geometry.x, 5), round(row.geometry.y, 5)]},
            "properties": props,
        })
    collection = {"type": "FeatureCollection", "scenario": scenario_dict(ranking.scenario), "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False)


def _json_value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if value is None or value is pd.NA:
        return None
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    return value


def scenario_dict(scenario: Scenario) -> dict:
    """Return a scenario as plain JSON data: weights, the scenario knobs, the constraints (registry order)."""
    out: dict[str, Any] = {"format": SCENARIO_FORMAT,
                           "weights": {key: float(v) for key, v in scenario.weights.items()}}
    for knob in KNOBS:
        if knob.scenario:
            out[knob.key] = getattr(scenario, knob.key)
    out["constraints"] = {
        spec.key: list(value) if spec.kind == "in" else value
        for spec in CONSTRAINTS for value in [getattr(scenario.constraints, spec.key)]
    }
    return out


def scenario_from_json(text: str | bytes) -> Scenario:
    """Parse a scenario file written by :func:`scenario_dict`; raise ScoringError if invalid.

    Every problem names the knob (e.g. "constraint <key> must be a number"); a missing knob
    takes its default, so files written before a knob existed still load.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ScoringError("the scenario file is not valid JSON") from None
    if not isinstance(data, dict) or data.get("format") != SCENARIO_FORMAT:
        raise ScoringError(f"not a scenario file (expected \"format\": \"{SCENARIO_FORMAT}\")")
    weights = data.get("weights")
    if not isinstance(weights, dict):
        raise ScoringError("the scenario file has no `weights` object")
    raw = data.get("constraints") or {}
    if not isinstance(raw, dict):
        raise ScoringError("`constraints` must be an object")
    knobs = {k.key: data.get(k.key, k.default) for k in KNOBS if k.scenario}
    return check_scenario(Scenario(weights=weights, constraints=constraints_from(raw), **knobs))


def scenario_dict_json(scenario: Scenario, saved: Sequence[tuple[str, Scenario]] = ()) -> str:
    """Return the scenario file's text (see :func:`scenario_from_json` to read it back).

    ``saved`` named scenarios go under ``"saved"`` (name → the same scenario object); readers that do
    not know the key ignore it.
    """
    data = scenario_dict(scenario)
    if saved:
        data["saved"] = {name: {k: v for k, v in scenario_dict(s).items() if k != "format"} for name, s in saved}
    return json.dumps(data, ensure_ascii=False, indent=1)


def saved_from_json(text: str | bytes) -> tuple[tuple[str, Scenario], ...]:
    """Return the named scenarios of a scenario file (empty when none); raise ScoringError naming a bad one."""
    from siting.scenario import MAX_SAVED, SAVED_NAME_MAX
    from siting.text import is_safe_text

    scenario_from_json(text)  # the file itself must be valid
    data = json.loads(text)
    saved = data.get("saved") or {}
    if not isinstance(saved, dict):
        raise ScoringError("`saved` must be an object of named scenarios")
    out = []
    for name, body in list(saved.items())[:MAX_SAVED]:
        if not isinstance(name, str) or not name.strip() or len(name) > SAVED_NAME_MAX or not is_safe_text(name):
            raise ScoringError(f"saved scenario name {str(name)[:40]!r} is not a short plain name")
        if not isinstance(body, dict):
            raise ScoringError(f"saved scenario {name!r} is not an object")
        try:
            out.append((name, scenario_from_json(json.dumps({**body, "format": SCENARIO_FORMAT}))))
        except ScoringError as exc:
            raise ScoringError(f"saved scenario {name!r}: {exc}") from None
    return tuple(out)
