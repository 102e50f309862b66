"""The explorer's shareable state: parse URL query parameters safely, and encode them back.

Every value from a URL is hostile: anything unknown, malformed, out of range or too long
is dropped with a notice and the default is kept. Nothing here raises on user input.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from siting.mapview import BASEMAPS, LAYER_TOGGLES
from siting.schema import CRITERIA, EVIDENCE_LEVELS, REGIONS, UNKNOWN_RULES, WEIGHT_MAX
from siting.scoring import METHODS, PRESETS, Constraints, Scenario, default_weights
from siting.text import clean

MAX_PARAM_LENGTH = 400
MAX_NOTICES = 8
SITE_ID_MAX = 80
# The explorer's tabs: URL value → tab label. The first is the default.
TABS: dict[str, str] = {
    "map": "Map & ranking", "compare": "Compare", "robustness": "Robustness", "regions": "Regions",
    "upload": "Your sites", "method": "Data & method", "ahp": "AHP weights",
}


@dataclass
class ViewState:
    """Everything the URL can carry."""

    preset: str = "balanced"
    weights: dict[str, float] = field(default_factory=default_weights)
    method: str = "wsm"
    unknown: str = "neutral"
    min_power_mw: float | None = None
    min_area_ha: float | None = None
    available_by: int | None = None
    regions: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    max_dist_grid_400_km: float | None = None
    layers: tuple[str, ...] = tuple(LAYER_TOGGLES)
    basemap: str = "carto-light"
    site: str | None = None
    tab: str = "map"

    def scenario(self) -> Scenario:
        """Return the scoring scenario this view describes."""
        return Scenario(
            weights=dict(self.weights), method=self.method, unknown=self.unknown,
            constraints=Constraints(
                min_power_mw=self.min_power_mw, min_area_ha=self.min_area_ha,
                available_by=self.available_by, regions=self.regions, evidence=self.evidence,
                max_dist_grid_400_km=self.max_dist_grid_400_km,
            ),
        )


NUMBER_PARAMS: dict[str, tuple[float, float]] = {
    "min_mw": (0, 5000),
    "min_ha": (0, 10000),
    "max_grid_km": (0, 500),
}
KNOWN_PARAMS = {"preset", "method", "unknown", "avail_by", "regions", "evidence", "layers", "basemap", "site", "tab",
                *NUMBER_PARAMS, *(f"w_{c.key}" for c in CRITERIA)}


def _shown(text: str) -> str:
    """Quote a hostile value for a notice: unsafe characters as "?", bounded, repr-quoted."""
    return repr(clean(text, 41, replacement="?"))


def _number(text: str, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    if not math.isfinite(value) or not low <= value <= high:
        return None
    return value


def _names(text: str, allowed) -> tuple[list[str], list[str]]:
    good, bad = [], []
    for part in str(text).split(","):
        part = part.strip()
        if not part:
            continue
        (good if part in allowed and part not in good else bad).append(part)
    return good, bad


def parse_query(params: Mapping[str, Any], site_ids: set[str] | frozenset[str] = frozenset()) -> tuple[
        ViewState, list[str]]:
    """Turn query parameters into a :class:`ViewState` and a list of notices for ignored ones."""
    state = ViewState()
    notices: list[str] = []

    def note(message: str) -> None:
        if len(notices) < MAX_NOTICES:
            notices.append(message)
        elif len(notices) == MAX_NOTICES:
            notices.append("… more link parameters were ignored.")

    values: dict[str, str] = {}
    for key, value in params.items():
        if isinstance(value, (list, tuple)):
            value = value[-1] if value else ""
        key, value = str(key), str(value)
        if key not in KNOWN_PARAMS:
            note(f"Ignored unknown link parameter {_shown(key)}.")
            continue
        if len(value) > MAX_PARAM_LENGTH:
            note(f"Ignored link parameter {key}: value too long.")
            continue
        values[key] = value

    if "preset" in values:
        if values["preset"] in PRESETS:
            state.preset = values["preset"]
            state.weights = dict(PRESETS[state.preset].weights)
        else:
            note(f"Ignored unknown preset {_shown(values['preset'])}; using the balanced weights.")
    for c in CRITERIA:
        key = f"w_{c.key}"
        if key in values:
            number = _number(values[key], 0, WEIGHT_MAX)
            if number is None:
                note(f"Ignored weight {key}={_shown(values[key])}: expected a number from 0 to {WEIGHT_MAX:g}.")
            else:
                state.weights[c.key] = number
    if sum(state.weights.values()) <= 0:
        note("All weights in the link were zero; using the default weights.")
        state.weights = default_weights()
    for key, options, attr in (("method", METHODS, "method"), ("unknown", UNKNOWN_RULES, "unknown"),
                               ("basemap", BASEMAPS, "basemap"), ("tab", TABS, "tab")):
        if key in values:
            if values[key] in options:
                setattr(state, attr, values[key])
            else:
                note(f"Ignored {key}={_shown(values[key])}: expected one of {', '.join(options)}.")
    for key, attr in (("min_mw", "min_power_mw"), ("min_ha", "min_area_ha"), ("max_grid_km", "max_dist_grid_400_km")):
        if key in values:
            low, high = NUMBER_PARAMS[key]
            number = _number(values[key], low, high)
            if number is None:
                note(f"Ignored {key}={_shown(values[key])}: expected a number from {low:g} to {high:g}.")
            else:
                setattr(state, attr, number)
    if "avail_by" in values:
        number = _number(values["avail_by"], 2020, 2040)
        if number is None or number != int(number):
            note(f"Ignored avail_by={_shown(values['avail_by'])}: expected a year from 2020 to 2040.")
        else:
            state.available_by = int(number)
    for key, allowed, attr in (("regions", REGIONS, "regions"), ("evidence", EVIDENCE_LEVELS, "evidence"),
                               ("layers", LAYER_TOGGLES, "layers")):
        if key in values:
            good, bad = _names(values[key], allowed)
            if bad:
                note(f"Ignored {len(bad)} unknown value(s) in {key}, e.g. {_shown(bad[0])}.")
            setattr(state, attr, tuple(good))
    if "site" in values:
        site = values["site"]
        if len(site) <= SITE_ID_MAX and (not site_ids or site in site_ids):
            state.site = site
        else:
            note(f"Ignored site={_shown(site)}: no such site.")
    return state, notices


def encode_query(state: ViewState) -> dict[str, str]:
    """Query parameters for ``state``; values equal to the preset's or the defaults are left out."""
    out: dict[str, str] = {}
    defaults = ViewState()
    if state.preset != defaults.preset:
        out["preset"] = state.preset
    base = PRESETS[state.preset].weights if state.preset in PRESETS else default_weights()
    for c in CRITERIA:
        value = state.weights.get(c.key, 0.0)
        if abs(value - base.get(c.key, 0.0)) > 1e-9:
            out[f"w_{c.key}"] = f"{value:g}"
    if state.method != defaults.method:
        out["method"] = state.method
    if state.unknown != defaults.unknown:
        out["unknown"] = state.unknown
    if state.min_power_mw is not None:
        out["min_mw"] = f"{state.min_power_mw:g}"
    if state.min_area_ha is not None:
        out["min_ha"] = f"{state.min_area_ha:g}"
    if state.available_by is not None:
        out["avail_by"] = str(state.available_by)
    if state.max_dist_grid_400_km is not None:
        out["max_grid_km"] = f"{state.max_dist_grid_400_km:g}"
    if state.regions:
        out["regions"] = ",".join(state.regions)
    if state.evidence:
        out["evidence"] = ",".join(state.evidence)
    if tuple(state.layers) != defaults.layers:
        out["layers"] = ",".join(state.layers)
    if state.basemap != defaults.basemap:
        out["basemap"] = state.basemap
    if state.site:
        out["site"] = state.site
    if state.tab != defaults.tab:
        out["tab"] = state.tab
    return out


def view_from_scenario(scenario: Scenario, current: ViewState) -> ViewState:
    """Return ``current`` with the scenario's weights, method, unknown rule and constraints."""
    k = scenario.constraints
    weights = dict(scenario.weights)
    preset = next((name for name, p in PRESETS.items() if p.weights == weights), current.preset)
    return ViewState(
        preset=preset, weights=weights, method=scenario.method, unknown=scenario.unknown,
        min_power_mw=k.min_power_mw, min_area_ha=k.min_area_ha, available_by=k.available_by,
        regions=k.regions, evidence=k.evidence, max_dist_grid_400_km=k.max_dist_grid_400_km,
        layers=current.layers, basemap=current.basemap, site=current.site, tab=current.tab,
    )
