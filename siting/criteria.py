"""The criteria registry: the one list that drives the sliders, scoring, the CLI, the docs and the tests.

Each :class:`Criterion` names a column (its key, with the unit in the name), how its raw value
becomes a 0–1 utility, its default weight and its documented range for the robustness analysis.
Standard library only; :mod:`siting.schema` re-exports every name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# ---------------------------------------------------------------------------------------
# Criteria registry: the one list that drives sliders, scoring, the CLI, docs and tests.
# ---------------------------------------------------------------------------------------

Direction = Literal["benefit", "cost"]
TransformKind = Literal["linear", "log", "decay", "threshold", "boolean"]
GROUPS: dict[str, str] = {
    "power": "Power and grid",
    "land": "Land",
    "connectivity": "Connectivity and latency",
    "deployment": "Deployment speed",
    "people": "People and workforce",
    "confidence": "Data confidence",
}

REFERENCE_YEAR = 2026
"""`years_to_power` counts from this year (the data were compiled in November 2026)."""

LATENCY_ROUTE_FACTOR = 1.5
"""Fibre route length over great-circle distance (typical 1.3-1.6)."""
FIBRE_KM_PER_MS = 200.0
"""Light in fibre: about 200 km per millisecond (refractive index ≈ 1.47)."""
LATENCY_REFERENCES: dict[str, tuple[float, float]] = {
    # name: (lon, lat)
    "paris": (2.3522, 48.8566),
    "frankfurt": (8.6821, 50.1109),
    "marseille": (5.3698, 43.2965),
}
CABLE_RADIUS_KM = 150.0
"""Radius within which international cables count towards `intl_cables_150km`."""
POPULATION_RADIUS_KM = 50.0
"""Radius of `population_50km`: people of the communes whose centroid lies within it."""
LARGE_TOWN_POPULATION = 50_000
"""A commune of at least this many people is a "large town" (nearest one shown on the card)."""

EVIDENCE_CONFIDENCE: dict[str, float] = {
    "official": 1.0,
    "reported": 0.75,
    "project": 0.6,
    "indicative": 0.25,
}
CONFIDENCE_PENALTY_PER_ESTIMATE = 0.1


def _num(x: float) -> str:
    """Format a bound as people read it: ``2,000,000`` rather than ``2e+06``."""
    return f"{int(x):,}" if float(x).is_integer() and abs(x) >= 10_000 else f"{x:g}"


@dataclass(frozen=True)
class Criterion:
    """One scoring criterion.

    The raw value in column ``key`` (unit in the name) is mapped to a utility in [0, 1]:

    * ``linear``: 0 at ``low`` and 1 at ``high`` for a benefit (reversed for a cost), clipped;
    * ``log``: 0 at ``low`` and 1 at ``high`` on a logarithmic scale (``log(x/low) / log(high/low)``),
      clipped; for quantities spanning orders of magnitude (people);
    * ``decay``: ``0.5 ** (x / high)`` (``high`` is the half-utility distance) for costs;
    * ``threshold``: 1 when the value reaches ``low`` (benefit) or stays below it (cost), else 0;
    * ``boolean``: 1 for true, 0 for false.

    ``unknown_range`` is the documented range within which an unknown or estimated raw
    value is sampled by the robustness analysis (``None``: the utility is drawn uniformly).
    """

    key: str
    label: str
    group: str
    unit: str
    direction: Direction
    transform: TransformKind
    low: float
    high: float
    default_weight: float
    description: str
    computed: bool
    unknown_range: tuple[float, float] | None = None
    range_source: str = ""

    def transform_text(self) -> str:
        """Describe the transform as a formula, for docs and the UI."""
        u, lo, hi = self.unit, _num(self.low), _num(self.high)
        if self.transform == "linear":
            if self.direction == "benefit":
                return f"0 at {lo} {u} → 1 at {hi} {u} (linear, clipped)"
            return f"1 at {lo} {u} → 0 at {hi} {u} (linear, clipped)"
        if self.transform == "log":
            ends = ("0", "1") if self.direction == "benefit" else ("1", "0")
            return (f"{ends[0]} at {lo} {u} → {ends[1]} at {hi} {u}, logarithmic (each tenfold counts the same), "
                    "clipped")
        if self.transform == "decay":
            return f"0.5^(x / {hi} {u}): halves every {hi} {u}"
        if self.transform == "threshold":
            op = "≥" if self.direction == "benefit" else "≤"
            return f"1 if x {op} {lo} {u}, else 0"
        return "1 if yes, 0 if no"


CRITERIA: tuple[Criterion, ...] = (
    Criterion("power_mw", "Announced power", "power", "MW", "benefit", "linear", 0, 1000, 8,
              "Power announced for the site; 1 GW (the programme's ceiling) scores 1.", False,
              (0, 1000), "brochure: up to 1 GW per zone"),
    Criterion("dist_grid_400_km", "Distance to a 400 kV substation", "power", "km", "cost", "decay", 0, 15, 8,
              "Straight-line distance (Lambert-93) to the nearest 400 kV substation; utility halves every "
              "15 km. A proxy for connection cost and delay: RTE's hosting capacity is not modelled.", True),
    Criterion("dist_grid_225_km", "Distance to a 225 kV+ substation", "power", "km", "cost", "decay", 0, 10, 3,
              "Straight-line distance to the nearest substation of 225 kV or more; halves every 10 km.", True),
    Criterion("dist_nuclear_km", "Distance to a nuclear power plant", "power", "km", "cost", "decay", 0, 40, 3,
              "Straight-line distance to the nearest operating nuclear site (RTE and JRC data: 18 sites, "
              "57 reactors); utility halves every 40 km. Firm low-carbon power next to the grid: sites near a "
              "plant sit where RTE's 400 kV network is densest. It says nothing about contracts for that power.",
              True),
    Criterion("area_ha", "Land area", "land", "ha", "benefit", "linear", 0, 150, 4,
              "Area of the zone; 150 ha (the brochure's largest class) scores 1.", False,
              (18, 150), "brochure: 18 to 150+ ha per zone"),
    Criterion("land_price_eur_m2", "Land price", "land", "€/m²", "cost", "linear", 10, 100, 0,
              "Land price; €10/m² scores 1 and €100/m² scores 0 (the brochure's range). No public per-site "
              "price exists for the 35 zones, so its default weight is 0; it matters for uploaded sites.", False,
              (10, 100), "brochure: €10-100/m²"),
    Criterion("brownfield", "Brownfield land", "land", "", "benefit", "boolean", 0, 1, 2,
              "Former industrial land: reuses artificialised soil (no farmland lost).", False),
    Criterion("dist_landing_km", "Distance to an international cable landing", "connectivity", "km", "cost",
              "decay", 0, 150, 3,
              "Straight-line distance to the nearest landing of an international subsea cable; "
              "halves every 150 km.", True),
    Criterion("intl_cables_150km", "International cables within 150 km", "connectivity", "cables",
              "benefit", "linear", 0, 16, 1,
              "International subsea cables landing within 150 km (Marseille's 16 score 1).", True),
    Criterion("latency_paris_ms", "Round trip to Paris", "connectivity", "ms", "cost", "linear", 0, 10, 4,
              "Estimated fibre round trip to Paris: great circle × 1.5 route factor at 200 km/ms, ×2.", True),
    Criterion("latency_frankfurt_ms", "Round trip to Frankfurt", "connectivity", "ms", "cost", "linear", 0, 20, 2,
              "Estimated fibre round trip to Frankfurt (Europe's largest exchange), same rule.", True),
    Criterion("years_to_power", "Years to power", "deployment", "years", "cost", "linear", 0, 8, 6,
              f"Years from {REFERENCE_YEAR} to the announced first power (`available_year`); "
              "0 scores 1, 8 years or more scores 0.", True,
              (0, 5), "brochure: 16 zones available at once, 9 more by 2028; RTE: 3-5 years to connect"),
    Criterion("fast_track", "Fast-track site", "deployment", "", "benefit", "boolean", 0, 1, 3,
              "One of Bercy's five fast-track sites (>700 MW within 3-4 years).", False),
    Criterion("turnkey_site", "France 2030 turnkey site", "deployment", "", "benefit", "boolean", 0, 1, 2,
              "A France 2030 'site clé en main' with permits and studies done in advance.", False),
    Criterion("edf_site", "EDF land", "deployment", "", "benefit", "boolean", 0, 1, 2,
              "Land offered by EDF next to its own high-voltage stations.", False),
    Criterion("population_50km", "People within 50 km", "people", "people", "benefit", "log", 100_000, 10_000_000,
              2,
              "Legal population (INSEE) of the French communes whose centroid lies within 50 km (Lambert-93); "
              "100,000 scores 0, 10 million (Paris) 1, each tenfold in between counts the same. Users close by "
              "for inference, and a workforce. People across a border "
              "(Belgium, Germany, Switzerland, Italy, Spain) are not counted.", True),
    Criterion("data_confidence", "Data confidence", "confidence", "", "benefit", "linear", 0, 1, 3,
              "How much the facts about the site can be trusted: official 1, reported 0.75, project 0.6, "
              "indicative 0.25, minus 0.1 per estimated value.", True),
)
CRITERIA_BY_KEY: dict[str, Criterion] = {c.key: c for c in CRITERIA}
WEIGHT_MAX = 10.0

UNKNOWN_RULES: dict[str, str] = {
    "worst": "unknown values score as the worst known value of that criterion among the sites scored",
    "neutral": "unknown values score 0.5",
    "pessimistic": "unknown values score 0",
    "exclude": "sites with any unknown weighted value are left out",
}
