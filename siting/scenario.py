"""Every knob a user sets, declared once: constraints, method, unknown rule, preset, map and tab.

This is the scenario's registry, as :data:`siting.schema.CRITERIA` is the criteria's: the
sidebar widgets, the shareable link (:mod:`siting.urlstate`), the command-line options
(:mod:`siting.cli`), the scenario file (:mod:`siting.export`), the README and the tests are
all generated from the entries below. Adding a constraint is one :class:`ConstraintSpec`.

Each knob has one name (``key``: the :class:`Constraints` attribute, the scenario-file key
and the session-state key), a link parameter (``url``) and, for what changes a ranking, a
command-line flag (``cli``). Link names are those of the first shareable links, so old
links keep working. This module imports only :mod:`siting.schema` (no pydeck, no pandas).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from siting.schema import (
    CANDIDATE_SITES,
    CRITERIA,
    CRITERIA_BY_KEY,
    EVIDENCE_LEVELS,
    EVIDENCE_MEANING,
    REGIONS,
    UNKNOWN_RULES,
    WEIGHT_MAX,
)


class ScoringError(ValueError):
    """A scenario that cannot be scored (bad weights, unknown key, empty selection…)."""


ALL_WEIGHTS_ZERO = "all weights are zero: give at least one criterion a weight above 0"

# ---------------------------------------------------------------------------------------
# Constraints: hard filters applied before scoring, never mixed into the score.
# ---------------------------------------------------------------------------------------

ConstraintKind = Literal["min", "max", "year", "in"]
NO_FILTER = "any"
"""A constraint's link or command-line value meaning "no filter" (e.g. to lift a preset's minimum)."""


def _bounds(name: str) -> tuple[float, float]:
    spec = CANDIDATE_SITES.field(name)
    return float(spec.minimum), float(spec.maximum)


@dataclass(frozen=True)
class ConstraintSpec:
    """One hard filter.

    ``kind``: ``min`` keeps sites whose ``column`` is at least the value, ``max`` at most, ``year``
    keeps sites whose year is the value or earlier, ``in`` keeps sites whose ``column`` is one of
    the chosen names (none chosen: no filter). Unknown values fail ``min``/``max``/``year``.
    ``fails`` and ``shows`` are templates with ``{v}`` (the value, formatted).
    """

    key: str
    url: str
    cli: str
    label: str
    kind: ConstraintKind
    column: str
    fails: str
    shows: str
    help: str = ""
    bounds: tuple[float, float] | None = None
    step: float | None = None
    choices: tuple[str, ...] = ()
    choice_help: Mapping[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> Any:
        """The value meaning "no filter"."""
        return () if self.kind == "in" else None

    def check(self, value: Any) -> Any:
        """Return ``value`` normalised (float, int or tuple of names), or raise ``ValueError`` saying why."""
        if value is None or (self.kind == "in" and not value):
            return self.empty
        if self.kind == "in":
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, (list, tuple)) or not all(isinstance(v, str) for v in names):
                raise ValueError(f"{self.key} must be a list of names")
            bad = [v for v in names if v not in self.choices]
            if bad:
                raise ValueError(f"unknown {self.key} value {bad[0][:60]!r}; expected one of {', '.join(self.choices)}")
            return tuple(dict.fromkeys(names))
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValueError(f"{self.key} must be a number")
        low, high = self.bounds
        if not low <= value <= high:
            raise ValueError(f"{self.key} must be from {low:g} to {high:g}, got {value:g}")
        if self.kind == "year":
            if value != int(value):
                raise ValueError(f"{self.key} must be a whole year, got {value:g}")
            return int(value)
        return float(value)

    def parse(self, text: str) -> Any:
        """Read the value from link or command-line text (``in``: comma-separated names; ``any``: no filter)."""
        if str(text).strip().lower() == NO_FILTER:
            return self.empty
        if self.kind == "in":
            return self.check([part.strip() for part in str(text).split(",") if part.strip()])
        try:
            number = float(text)
        except (TypeError, ValueError):
            raise ValueError(f"{self.key} must be a number, got {str(text)[:40]!r}") from None
        return self.check(number)

    def text(self, value: Any) -> str:
        """Write the value as link text (the inverse of :meth:`parse`)."""
        if value == self.empty:
            return NO_FILTER
        if self.kind == "in":
            return ",".join(value)
        return str(int(value)) if self.kind == "year" else f"{value:g}"

    def shown(self, value: Any) -> str:
        """Format the value for ``fails``/``shows``."""
        if self.kind == "in":
            return ", ".join(value)
        return str(int(value)) if self.kind == "year" else f"{value:g}"


CONSTRAINTS: tuple[ConstraintSpec, ...] = (
    ConstraintSpec("min_power_mw", "min_mw", "--min-power-mw", "Minimum power (MW, 0 = any)", "min", "power_mw",
                   fails="power below {v} MW or unknown", shows="power ≥ {v} MW",
                   help="Keeps sites whose announced power is at least this; unknown power fails.",
                   bounds=_bounds("power_mw"), step=50.0),
    ConstraintSpec("min_area_ha", "min_ha", "--min-area-ha", "Minimum area (ha, 0 = any)", "min", "area_ha",
                   fails="area below {v} ha or unknown", shows="area ≥ {v} ha",
                   help="Keeps sites of at least this area (estimated areas count); unknown area fails.",
                   bounds=_bounds("area_ha"), step=5.0),
    ConstraintSpec("available_by", "avail_by", "--available-by", "Available by", "year", "available_year",
                   fails="not announced as available by {v}", shows="available by {v}",
                   help="Keeps sites whose announced first power is that year or earlier.",
                   bounds=_bounds("available_year"), step=1.0),
    ConstraintSpec("max_dist_grid_400_km", "max_grid_km", "--max-dist-grid-400-km",
                   "Max distance to a 400 kV substation (km, 0 = any)", "max", "dist_grid_400_km",
                   fails="more than {v} km from a 400 kV substation", shows="≤ {v} km from a 400 kV substation",
                   help="Keeps sites within this straight-line distance of an in-service RTE 400 kV substation.",
                   bounds=(0.0, 500.0), step=5.0),
    ConstraintSpec("regions", "regions", "--region", "Regions (none = all)", "in", "region",
                   fails="outside the selected regions", shows="regions: {v}",
                   help="Keeps sites in these regions.", choices=REGIONS),
    ConstraintSpec("evidence", "evidence", "--evidence", "Evidence levels (none = all)", "in", "evidence",
                   fails="evidence level not selected", shows="evidence: {v}",
                   help="Keeps sites with these evidence levels.", choices=EVIDENCE_LEVELS,
                   choice_help=EVIDENCE_MEANING),
)
CONSTRAINTS_BY_KEY: dict[str, ConstraintSpec] = {s.key: s for s in CONSTRAINTS}


def _describe(self) -> list[str]:
    """Plain-words list of the active filters."""
    out = []
    for spec in CONSTRAINTS:
        value = getattr(self, spec.key)
        if value != spec.empty:
            out.append(spec.shows.format(v=spec.shown(value)))
    return out


def _active(self) -> dict[str, Any]:
    """Return the filters that are set, by key."""
    return {s.key: getattr(self, s.key) for s in CONSTRAINTS if getattr(self, s.key) != s.empty}


Constraints = dataclasses.make_dataclass(
    "Constraints",
    [(s.key, tuple[str, ...] if s.kind == "in" else (int | None if s.kind == "year" else float | None),
      field(default=s.empty)) for s in CONSTRAINTS],
    frozen=True,
    namespace={"describe": _describe, "active": _active,
               "__doc__": "Hard filters (one attribute per :data:`CONSTRAINTS` entry), applied before scoring.",
               "__module__": __name__},
)


def constraints_from(values: Mapping[str, Any]) -> Constraints:
    """Build checked :class:`Constraints` from ``{key: value}``; raise :class:`ScoringError` naming the knob."""
    unknown = sorted(set(values) - set(CONSTRAINTS_BY_KEY))
    if unknown:
        raise ScoringError(f"unknown constraint {unknown[0][:60]!r}; expected one of {', '.join(CONSTRAINTS_BY_KEY)}")
    out = {}
    for key, value in values.items():
        try:
            out[key] = CONSTRAINTS_BY_KEY[key].check(value)
        except ValueError as exc:
            raise ScoringError(f"constraint {exc}") from None
    return Constraints(**out)


def failing(spec: ConstraintSpec, value: Any, column) -> Any:
    """Boolean mask (array-like) of the rows that fail ``spec`` set to ``value`` (unknowns fail)."""
    if spec.kind == "in":
        return ~column.isin(value)
    if spec.kind == "min":
        return ~(column >= value)
    return ~(column <= value)  # max, year


# ---------------------------------------------------------------------------------------
# Methods, presets, weights
# ---------------------------------------------------------------------------------------

Method = Literal["wsm", "topsis", "spotis", "vikor", "promethee_ii"]
UnknownRule = Literal["worst", "neutral", "pessimistic", "exclude"]
METHODS: dict[str, str] = {
    "wsm": "Weighted sum: score = 100 · Σ wᵢ·uᵢ / Σ wᵢ",
    "topsis": "TOPSIS: closeness to the ideal site, × 100",
    "spotis": "SPOTIS: distance to a fixed ideal, × 100 (ranks as the weighted sum; adding sites never reorders)",
    "vikor": "VIKOR: compromise of average performance and worst shortfall, × 100",
    "promethee_ii": "PROMETHEE II: net outranking flow of pairwise comparisons, 0–100",
}
"""The aggregation methods' keys and labels; :data:`siting.methods.METHODS` implements each (tested)."""


@dataclass(frozen=True)
class Preset:
    """A documented weight vector for one kind of user, with the constraints its name implies.

    ``constraints`` (constraint key → value) are set with the weights when the preset is picked, and
    said so in ``description``; the user can change them like any other.
    """

    label: str
    description: str
    weights: dict[str, float]
    constraints: Mapping[str, Any] = field(default_factory=dict)


def _preset(base: float = 0.0, **weights: float) -> dict[str, float]:
    return {c.key: float(weights.get(c.key, base)) for c in CRITERIA}


PRESETS: dict[str, Preset] = {
    "balanced": Preset(
        "Balanced", "Every criterion at its default weight.",
        {c.key: c.default_weight for c in CRITERIA}),
    "ai-training": Preset(
        "AI training campus (≥ 1 GW)",
        "Power first: big sites near the 400 kV grid and firm nuclear power; latency matters little. Keeps only "
        "sites announced at 1 GW or more (Constraints → Minimum power; set it to 0 to see every site).",
        _preset(power_mw=10, dist_grid_400_km=9, dist_grid_225_km=3, dist_nuclear_km=5, area_ha=6,
                years_to_power=5, fast_track=3, edf_site=2, data_confidence=3, latency_paris_ms=1),
        constraints={"min_power_mw": 1000.0}),
    "inference": Preset(
        "Inference close to users", "Latency first: close to Paris, Frankfurt and many people, near cables.",
        _preset(latency_paris_ms=10, latency_frankfurt_ms=6, population_50km=6, dist_landing_km=4,
                intl_cables_150km=2, power_mw=3, dist_grid_400_km=4, dist_grid_225_km=2, years_to_power=4,
                data_confidence=3)),
    "fastest-power": Preset(
        "Fastest to power", "Earliest power: announced dates, fast-track and turnkey status, grid nearby.",
        _preset(years_to_power=10, fast_track=8, turnkey_site=5, edf_site=5, dist_grid_400_km=6,
                power_mw=3, data_confidence=4)),
    "connectivity-hub": Preset(
        "Connectivity hub", "Subsea cables and short routes to European exchanges.",
        _preset(dist_landing_km=10, intl_cables_150km=8, latency_frankfurt_ms=5, latency_paris_ms=5,
                power_mw=3, dist_grid_400_km=3, data_confidence=2)),
    "brownfield-public": Preset(
        "Brownfield and public land", "For officials: reuse industrial and public land, no farmland lost.",
        _preset(brownfield=10, edf_site=6, turnkey_site=6, area_ha=3, population_50km=2,
                dist_grid_400_km=4, power_mw=3, data_confidence=4)),
}


def default_weights() -> dict[str, float]:
    """Each criterion's default weight, from the registry."""
    return {c.key: float(c.default_weight) for c in CRITERIA}


def check_weights(weights: Mapping[str, Any]) -> dict[str, float]:
    """Return a complete weight dict (missing keys → 0) or raise :class:`ScoringError`.

    Weights are numbers from 0 to :data:`siting.schema.WEIGHT_MAX`, the sliders' range, everywhere
    (app, link, command line, scenario file); at least one must be above 0.
    """
    unknown = sorted(set(weights) - set(CRITERIA_BY_KEY))
    if unknown:
        raise ScoringError(f"unknown criterion {', '.join(str(u)[:60] for u in unknown)}; expected one of "
                           + ", ".join(CRITERIA_BY_KEY))
    out = {}
    for c in CRITERIA:
        value = weights.get(c.key, 0.0)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ScoringError(f"weight of {c.key} must be a number, got {str(value)[:40]!r}")
        value = float(value)
        if not math.isfinite(value) or not 0 <= value <= WEIGHT_MAX:
            raise ScoringError(f"weight of {c.key} is {value:g}; weights must be from 0 to {WEIGHT_MAX:g}")
        out[c.key] = value
    if sum(out.values()) <= 0:
        raise ScoringError(ALL_WEIGHTS_ZERO)
    return out


@dataclass(frozen=True)
class Scenario:
    """Everything that decides a ranking: weights, method, unknown rule, constraints."""

    weights: dict[str, float] = field(default_factory=default_weights)
    method: Method = "wsm"
    unknown: UnknownRule = "worst"
    constraints: Constraints = field(default_factory=Constraints)


def check_scenario(scenario: Scenario) -> Scenario:
    """Validate a scenario's method, unknown rule and constraint values."""
    if scenario.method not in METHODS:
        raise ScoringError(f"unknown method {str(scenario.method)[:40]!r}; expected one of {', '.join(METHODS)}")
    if scenario.unknown not in UNKNOWN_RULES:
        raise ScoringError(f"unknown rule {str(scenario.unknown)[:40]!r}; expected one of {', '.join(UNKNOWN_RULES)}")
    for spec in CONSTRAINTS:
        try:
            spec.check(getattr(scenario.constraints, spec.key))
        except ValueError as exc:
            raise ScoringError(f"constraint {exc}") from None
    return replace(scenario, weights=check_weights(scenario.weights))


# ---------------------------------------------------------------------------------------
# The other knobs: what the user chooses beside weights and constraints.
# ---------------------------------------------------------------------------------------

BASEMAPS: dict[str, dict] = {
    "none": {"label": "None (offline: regions drawn by the app)", "map_provider": None, "map_style": None},
    "carto-light": {"label": "CARTO light (needs internet)", "map_provider": "carto", "map_style": "light"},
    "carto-dark": {"label": "CARTO dark (needs internet)", "map_provider": "carto", "map_style": "dark"},
}
LAYER_TOGGLES: dict[str, str] = {
    "announced": "Other announced projects",
    "grid_points": "Grid substations (400 / 225 kV)",
    "power_plants": "Power plants (nuclear and ≥ 100 MW)",
    "cable_landings": "Subsea cable landings",
    "regions": "Region outlines",
    "excluded_sites": "Sites filtered out (grey)",
    "surface": "National screening surface (H3, location criteria)",
}
DEFAULT_LAYERS: tuple[str, ...] = tuple(k for k in LAYER_TOGGLES if k != "surface")
"""Layers drawn unless the user says otherwise (the screening surface is opt-in)."""
TABS: dict[str, str] = {
    "map": "Map & ranking", "compare": "Compare", "robustness": "Robustness", "methods": "Methods & scenarios",
    "regions": "Regions", "surface": "Beyond the 35", "upload": "Your sites", "method": "Data & method",
    "ahp": "AHP weights",
}
"""The explorer's tabs: link value → tab label. The first is the default."""


@dataclass(frozen=True)
class Knob:
    """A choice among named options (``multi``: several); ``cli`` is empty when the CLI has none."""

    key: str
    url: str
    label: str
    options: Mapping[str, str]
    default: Any
    cli: str = ""
    multi: bool = False
    help: str = ""
    scenario: bool = False
    """True when the knob changes the ranking (it is then in the scenario file and the CLI)."""

    def check(self, value: Any) -> Any:
        """Return the value, or raise ``ValueError`` when it is not one of the options."""
        if self.multi:
            names = [value] if isinstance(value, str) else list(value or ())
            bad = [v for v in names if v not in self.options]
            if bad:
                raise ValueError(f"unknown {self.key} value {str(bad[0])[:40]!r}; expected one of "
                                 + ", ".join(self.options))
            return tuple(dict.fromkeys(names))
        if value not in self.options:
            raise ValueError(f"unknown {self.key} {str(value)[:40]!r}; expected one of {', '.join(self.options)}")
        return value

    def parse(self, text: str) -> Any:
        """Read the value from link text (``multi``: comma-separated)."""
        if self.multi:
            return self.check([p.strip() for p in str(text).split(",") if p.strip()])
        return self.check(str(text))

    def text(self, value: Any) -> str:
        """Write the value as link text."""
        return ",".join(value) if self.multi else str(value)


KNOBS: tuple[Knob, ...] = (
    Knob("preset", "preset", "Preset", {k: p.label for k, p in PRESETS.items()}, "balanced", cli="--preset",
         help="Sets every weight slider below."),
    Knob("method", "method", "Method", METHODS, "wsm", cli="--method", scenario=True,
         help="How utilities and weights become a score."),
    Knob("unknown", "unknown", "Unknown values", UNKNOWN_RULES, "worst", cli="--unknown", scenario=True,
         help="What a site scores on a weighted criterion whose value nobody published. 'Worst' never lets an "
              "unknown beat a known value; the Robustness tab shows the upside if the unknowns turn out well."),
    Knob("layers", "layers", "Layers", LAYER_TOGGLES, DEFAULT_LAYERS, multi=True,
         help="Map layers drawn over the sites."),
    Knob("basemap", "basemap", "Basemap", {k: b["label"] for k, b in BASEMAPS.items()}, "none",
         help="'None' (the default) is the offline mode: the app draws its own base and no request leaves this "
              "server's page. CARTO basemaps need the internet."),
    Knob("tab", "tab", "Tab", TABS, "map", help="The open tab."),
)
KNOBS_BY_KEY: dict[str, Knob] = {k.key: k for k in KNOBS}
PRESET_CONSTRAINT_KEYS: tuple[str, ...] = tuple(dict.fromkeys(k for p in PRESETS.values() for k in p.constraints))
"""Constraints some preset sets: picking any preset resets them to that preset's value (or no filter)."""


def preset_constraints(preset: str) -> dict[str, Any]:
    """Return the constraint values picking ``preset`` gives (every key of :data:`PRESET_CONSTRAINT_KEYS`)."""
    own = PRESETS[preset].constraints if preset in PRESETS else {}
    return {k: own.get(k, CONSTRAINTS_BY_KEY[k].empty) for k in PRESET_CONSTRAINT_KEYS}


LINK_VERSION = "2"
"""Links written since presets carry constraints and the defaults became ``worst`` / ``none`` say ``v=2``."""
LEGACY_LINK_DEFAULTS: dict[str, str] = {"unknown": "neutral", "basemap": "carto-light"}
"""The defaults of links written before ``v=2``: such a link opens as it did (no preset constraint either)."""
VERSION_URL = "v"
MAX_SAVED = 3
"""Named scenarios a user can save beside the current one (the comparison shows up to three)."""
SAVED_URLS: tuple[str, ...] = tuple(f"s{i}" for i in range(1, MAX_SAVED + 1))
"""Link parameters of the saved scenarios: ``s1=<name>~<that scenario's own link parameters>``."""
SAVED_NAME_MAX = 40
WEIGHT_URL_PREFIX = "w_"
"""A criterion's weight travels in the link as ``w_<criterion key>``."""
SITE_URL = "site"
"""The selected site travels in the link as ``site=<site_id>``."""
