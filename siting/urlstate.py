"""The explorer's shareable state: parse URL query parameters safely, and encode them back.

Every value from a URL is hostile: anything unknown, malformed, out of range or too long
is dropped with a notice and the default is kept. Nothing here raises on user input.
The parameters are generated from the knob registry (:mod:`siting.scenario`): ``w_<key>``
per criterion, one parameter per constraint and per knob, and ``site``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qsl, urlencode

from siting.scenario import (
    CONSTRAINTS,
    KNOBS,
    KNOBS_BY_KEY,
    LEGACY_LINK_DEFAULTS,
    LINK_VERSION,
    MAX_SAVED,
    PRESETS,
    SAVED_NAME_MAX,
    SAVED_URLS,
    SITE_URL,
    TABS,  # noqa: F401  (the app's tab table, re-exported for its callers)
    VERSION_URL,
    WEIGHT_URL_PREFIX,
    Constraints,
    Scenario,
    default_weights,
    preset_constraints,
)
from siting.schema import CRITERIA, WEIGHT_MAX
from siting.text import clean, is_safe_text

MAX_PARAM_LENGTH = 400
MAX_NOTICES = 8
SITE_ID_MAX = 80


@dataclass
class ViewState:
    """Everything the URL can carry.

    The knobs of :data:`siting.scenario.KNOBS`, the weights, the constraints and the selected site.
    """

    preset: str = KNOBS_BY_KEY["preset"].default
    weights: dict[str, float] = field(default_factory=default_weights)
    method: str = KNOBS_BY_KEY["method"].default
    unknown: str = KNOBS_BY_KEY["unknown"].default
    constraints: Constraints = field(default_factory=Constraints)
    layers: tuple[str, ...] = KNOBS_BY_KEY["layers"].default
    basemap: str = KNOBS_BY_KEY["basemap"].default
    site: str | None = None
    tab: str = KNOBS_BY_KEY["tab"].default
    saved: tuple[tuple[str, Scenario], ...] = ()
    """Named scenarios saved beside the current one (at most :data:`siting.scenario.MAX_SAVED`)."""

    def scenario(self) -> Scenario:
        """Return the scoring scenario this view describes."""
        return Scenario(weights=dict(self.weights), method=self.method, unknown=self.unknown,
                        constraints=self.constraints)


KNOWN_PARAMS = {*(k.url for k in KNOBS), *(s.url for s in CONSTRAINTS), SITE_URL, VERSION_URL, *SAVED_URLS,
                *(f"{WEIGHT_URL_PREFIX}{c.key}" for c in CRITERIA)}


def _shown(text: str) -> str:
    """Quote a hostile value for a notice: unsafe characters as "?", bounded, repr-quoted."""
    return repr(clean(text, 41, replacement="?"))


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

    # A link written before v=2 opens as it did then: its old defaults, no preset constraint.
    legacy = bool(values) and values.get(VERSION_URL) != LINK_VERSION
    if VERSION_URL in values and values[VERSION_URL] != LINK_VERSION:
        note(f"Link version {_shown(values[VERSION_URL])} is unknown; read as an older link.")
    if legacy:
        for key, value in LEGACY_LINK_DEFAULTS.items():
            setattr(state, key, value)
    for knob in KNOBS:
        if knob.url not in values:
            continue
        text = values[knob.url]
        try:
            setattr(state, knob.key, knob.parse(text))
        except ValueError:
            if knob.multi:  # keep the known names, say which were dropped
                names = [p.strip() for p in text.split(",") if p.strip()]
                good = [n for n in names if n in knob.options]
                bad = [n for n in names if n not in knob.options]
                note(f"Ignored {len(bad)} unknown value(s) in {knob.url}, e.g. {_shown(bad[0])}.")
                setattr(state, knob.key, tuple(dict.fromkeys(good)))
            elif knob.key == "preset":
                note(f"Ignored unknown preset {_shown(text)}; using the balanced weights.")
            else:
                note(f"Ignored {knob.url}={_shown(text)}: expected one of {', '.join(knob.options)}.")
    state.weights = dict(PRESETS[state.preset].weights)

    for c in CRITERIA:
        key = f"{WEIGHT_URL_PREFIX}{c.key}"
        if key in values:
            try:
                number = float(values[key])
            except ValueError:
                number = float("nan")
            if not 0 <= number <= WEIGHT_MAX:  # NaN fails too
                note(f"Ignored weight {key}={_shown(values[key])}: expected a number from 0 to {WEIGHT_MAX:g}.")
            else:
                state.weights[c.key] = number
    if sum(state.weights.values()) <= 0:
        note("All weights in the link were zero; using the default weights.")
        state.weights = default_weights()

    constraints = {} if legacy else {k: v for k, v in preset_constraints(state.preset).items() if v is not None}
    for spec in CONSTRAINTS:
        if spec.url not in values:
            continue
        text = values[spec.url]
        try:
            constraints[spec.key] = spec.parse(text)
        except ValueError:
            if spec.kind == "in":
                names = [p.strip() for p in text.split(",") if p.strip()]
                good = [n for n in names if n in spec.choices]
                bad = [n for n in names if n not in spec.choices]
                note(f"Ignored {len(bad)} unknown value(s) in {spec.url}, e.g. {_shown(bad[0])}.")
                constraints[spec.key] = tuple(dict.fromkeys(good))
            elif spec.kind == "year":
                low, high = spec.bounds
                note(f"Ignored {spec.url}={_shown(text)}: expected a year from {low:g} to {high:g}.")
            else:
                low, high = spec.bounds
                note(f"Ignored {spec.url}={_shown(text)}: expected a number from {low:g} to {high:g}.")
    state.constraints = Constraints(**constraints)

    saved = []
    for key in SAVED_URLS:
        if key not in values:
            continue
        name, sep, rest = values[key].partition("~")
        name = name.strip()
        if not sep or not name or len(name) > SAVED_NAME_MAX or not is_safe_text(name) \
                or name in {n for n, _ in saved}:
            note(f"Ignored saved scenario {key}={_shown(values[key])}: expected <name>~<scenario>.")
            continue
        inner, inner_notes = parse_query({**dict(parse_qsl(rest)), VERSION_URL: LINK_VERSION}) \
            if _scenario_only(rest) else (None, ["bad"])
        if inner is None or inner_notes:
            note(f"Ignored saved scenario {_shown(name)}: its settings are not valid.")
            continue
        saved.append((name, inner.scenario()))
    state.saved = tuple(saved[:MAX_SAVED])

    if SITE_URL in values:
        site = values[SITE_URL]
        if len(site) <= SITE_ID_MAX and (not site_ids or site in site_ids):
            state.site = site
        else:
            note(f"Ignored site={_shown(site)}: no such site.")
    return state, notices


def encode_query(state: ViewState) -> dict[str, str]:
    """Query parameters for ``state``; values equal to the preset's or the defaults are left out."""
    out: dict[str, str] = {}
    for knob in KNOBS:
        value = getattr(state, knob.key)
        if (tuple(value) if knob.multi else value) != knob.default:
            out[knob.url] = knob.text(value)
    base = PRESETS[state.preset].weights if state.preset in PRESETS else default_weights()
    for c in CRITERIA:
        value = state.weights.get(c.key, 0.0)
        if abs(value - base.get(c.key, 0.0)) > 1e-9:
            out[f"{WEIGHT_URL_PREFIX}{c.key}"] = f"{value:g}"
    base_constraints = preset_constraints(state.preset) if state.preset in PRESETS else {}
    for spec in CONSTRAINTS:
        value = getattr(state.constraints, spec.key)
        if value != base_constraints.get(spec.key, spec.empty):
            out[spec.url] = spec.text(value)
    if state.site:
        out[SITE_URL] = state.site
    for key, (name, scenario) in zip(SAVED_URLS, state.saved):
        out[key] = f"{name}~{urlencode(scenario_params(scenario))}"
    if out:
        out[VERSION_URL] = LINK_VERSION
    # a stable order: the registry's (knobs, weights, constraints, site), whatever was set first
    order = [k.url for k in KNOBS] + [f"{WEIGHT_URL_PREFIX}{c.key}" for c in CRITERIA] \
        + [s.url for s in CONSTRAINTS] + [SITE_URL, *SAVED_URLS, VERSION_URL]
    return {key: out[key] for key in order if key in out}


SCENARIO_PARAMS = {"preset", "method", "unknown", *(s.url for s in CONSTRAINTS),
                   *(f"{WEIGHT_URL_PREFIX}{c.key}" for c in CRITERIA)}
"""The link parameters that describe a scenario (what a saved scenario carries)."""


def _scenario_only(text: str) -> bool:
    return all(key in SCENARIO_PARAMS for key, _ in parse_qsl(text))


def scenario_params(scenario: Scenario) -> dict[str, str]:
    """Link parameters of a scenario alone (weights against its closest preset, knobs, constraints)."""
    view = view_from_scenario(scenario, ViewState())
    return {k: v for k, v in encode_query(replace(view, site=None, saved=())).items() if k in SCENARIO_PARAMS}


def view_from_scenario(scenario: Scenario, current: ViewState) -> ViewState:
    """Return ``current`` with the scenario's weights, method, unknown rule and constraints."""
    weights = dict(scenario.weights)
    preset = next((name for name, p in PRESETS.items() if p.weights == weights), current.preset)
    return replace(current, preset=preset, weights=weights, method=scenario.method, unknown=scenario.unknown,
                   constraints=scenario.constraints)
