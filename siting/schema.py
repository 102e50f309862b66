"""The one declaration of every layer's fields, units, allowed values and provenance.

Validation (:mod:`siting.data`), the README's field tables, the command line and the
app all read these declarations; nothing else in the package spells a field's rules.
This module imports no other ``siting`` module and never imports Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

STORAGE_CRS = "EPSG:4326"
"""GeoJSON is WGS84 longitude/latitude (RFC 7946); deck.gl draws lon/lat too."""

METRIC_CRS = "EPSG:2154"
"""Lambert-93, France's official projected CRS: distances in metres, errors < 0.1 %."""

# Mainland France plus Corsica, with a small margin: anything outside is an error
# (and catches most swapped lat/lon pairs, since France's lon < lat everywhere).
MAINLAND_BOUNDS = {"lon_min": -5.5, "lon_max": 9.9, "lat_min": 41.2, "lat_max": 51.3}

MAX_FILE_BYTES = 50 * 1024 * 1024

Kind = Literal["str", "int", "float", "bool", "list[str]"]


@dataclass(frozen=True)
class FieldSpec:
    """One property of a layer's features.

    ``unit`` is ``""`` for unitless values; numeric names end with their unit
    (``_mw``, ``_ha``, ``_km``, ``_eur_m2``, ``_year``, ``_kv``).
    """

    name: str
    kind: Kind
    description: str
    unit: str = ""
    required: bool = False
    minimum: float | None = None
    maximum: float | None = None
    allowed: tuple[str, ...] | None = None
    max_length: int | None = None

    def constraint_text(self) -> str:
        """Describe the allowed values in words, for docs and error messages."""
        parts = []
        if self.allowed is not None:
            parts.append("one of " + ", ".join(f"`{a}`" for a in self.allowed))
        if self.minimum is not None and self.maximum is not None:
            parts.append(f"{self.minimum:g} to {self.maximum:g}")
        elif self.minimum is not None:
            parts.append(f"≥ {self.minimum:g}")
        elif self.maximum is not None:
            parts.append(f"≤ {self.maximum:g}")
        if self.max_length is not None:
            parts.append(f"at most {self.max_length} characters")
        return "; ".join(parts)


@dataclass(frozen=True)
class LayerSpec:
    """A GeoJSON layer: where it lives, its id field, geometry and fields."""

    key: str
    path: str
    title: str
    id_field: str
    geometry_types: tuple[str, ...]
    fields: tuple[FieldSpec, ...]
    description: str = ""

    def field(self, name: str) -> FieldSpec:
        """Return the spec of field ``name`` (``KeyError`` if undeclared)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(name)

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


# Regions of metropolitan France (2016 boundaries), by their usual French names.
REGIONS: tuple[str, ...] = (
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
)

# Élysée regional map of the 35 zones (7-8 Feb 2025); regions not listed have none.
OFFICIAL_ZONES_BY_REGION: dict[str, int] = {
    "Hauts-de-France": 8,
    "Grand Est": 7,
    "Île-de-France": 7,
    "Auvergne-Rhône-Alpes": 4,
    "Centre-Val de Loire": 3,
    "Normandie": 2,
    "Provence-Alpes-Côte d'Azur": 2,
    "Bourgogne-Franche-Comté": 1,
    "Nouvelle-Aquitaine": 1,
}
OFFICIAL_ZONE_COUNT = 35
OFFICIAL_ZONES_SOURCE = "https://dcmag.fr/la-carte-regionale-des-35-sites-dedies-aux-data-centers/"

EVIDENCE_LEVELS: tuple[str, ...] = ("official", "reported", "project", "indicative")
EVIDENCE_MEANING: dict[str, str] = {
    "official": "named by the government, EDF or Bercy as part of the programme",
    "reported": "the press ties it to the list; no official confirmation",
    "project": "a publicly announced large data-centre project in that region",
    "indicative": "exact zone not public: placed at a documented candidate location in its region",
}

# Numeric site fields that an estimation rule may fill; listed in ``estimated_fields``.
ESTIMABLE_SITE_FIELDS: tuple[str, ...] = (
    "area_ha",
    "power_mw",
    "available_year",
    "land_price_eur_m2",
)


@dataclass(frozen=True)
class EstimationRule:
    """A written-down rule that fills an unknown value; shown to users as an estimate."""

    key: str
    field: str
    rule: str
    low: float
    high: float


# Programme facts from the government brochure (Feb 2025): 35 zones, ~1,200 ha in all,
# 18 to 150+ ha each. Every estimate in the data follows one of these rules.
ESTIMATION_RULES: tuple[EstimationRule, ...] = (
    EstimationRule(
        key="area_programme_mean",
        field="area_ha",
        rule=(
            "Area of a programme zone with no published area: the programme mean, "
            "1,200 ha / 35 zones ≈ 34 ha. Robustness analysis samples it between the "
            "brochure's bounds, 18 and 150 ha."
        ),
        low=18.0,
        high=150.0,
    ),
)

SITE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("site_id", "str", "Stable slug identifying the site (lower case, digits, hyphens).",
              required=True, max_length=80),
    FieldSpec("name", "str", "Site or project name.", required=True, max_length=200),
    FieldSpec("commune", "str", "Commune(s) of the site, as sources name them.", max_length=200),
    FieldSpec("department", "str", "Department code (INSEE), e.g. `59`, `2A`; `59/62` when it straddles two.",
              max_length=20),
    FieldSpec("region", "str", "Administrative region (2016 boundaries).", required=True, allowed=REGIONS),
    FieldSpec("evidence", "str", "How strongly the site is tied to the programme's list.",
              required=True, allowed=EVIDENCE_LEVELS),
    FieldSpec("evidence_note", "str", "Why the site stands here, in plain words.", required=True,
              max_length=2000),
    FieldSpec("location_precision_km", "float", "Radius within which the real site lies.",
              unit="km", required=True, minimum=0, maximum=200),
    FieldSpec("area_ha", "float", "Land area of the zone.", unit="ha", minimum=0, maximum=10000),
    FieldSpec("power_mw", "float", "Electrical power announced for the site (grid or IT, as sourced).",
              unit="MW", minimum=0, maximum=5000),
    FieldSpec("available_year", "int", "Year the site can first take power / first commissioning.",
              unit="year", minimum=2020, maximum=2040),
    FieldSpec("land_price_eur_m2", "float", "Land price.", unit="€/m²", minimum=0, maximum=10000),
    FieldSpec("brownfield", "bool", "Former industrial land (friche); null when unknown."),
    FieldSpec("turnkey_site", "bool", "A France 2030 'site clé en main'; null when unknown."),
    FieldSpec("edf_site", "bool", "Land offered by EDF near its high-voltage stations."),
    FieldSpec("fast_track", "bool", "One of the five fast-track sites named by Bercy (Jan 2026)."),
    FieldSpec("developer", "str", "Owner or developer, as sourced.", max_length=300),
    FieldSpec("status", "str", "Project status at the latest source.", max_length=500),
    FieldSpec("sources", "list[str]", "URLs of the public sources for this feature's facts.",
              required=True),
    FieldSpec("estimated_fields", "list[str]",
              "Numeric fields whose value comes from an estimation rule rather than a source.",
              allowed=ESTIMABLE_SITE_FIELDS),
    FieldSpec("value_notes", "str", "Where sources disagree, the other figures they give.",
              max_length=2000),
)

GRID_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("grid_point_id", "str", "Stable id of the connection point.", required=True, max_length=80),
    FieldSpec("name", "str", "Substation name (ENTSO-E map label, may be abbreviated; `unnamed` if none).",
              required=True, max_length=200),
    FieldSpec("voltage_kv", "int", "Highest voltage class at the node.", unit="kV", required=True,
              minimum=225, maximum=400),
    FieldSpec("voltage_classes_kv", "str", "All voltage classes present, separated by `;`.",
              unit="kV", required=True, max_length=50),
    FieldSpec("operator", "str", "Transmission system operator.", required=True, max_length=50),
    FieldSpec("kind", "str", "A substation, or a node at a power plant.", required=True,
              allowed=("substation", "plant node")),
    FieldSpec("plant_type", "str", "For plant nodes: the plant's fuel, as the source gives it.",
              max_length=100),
    FieldSpec("position_precision_km", "float", "Radius within which the real node lies.", unit="km",
              required=True, minimum=0, maximum=50),
    FieldSpec("source", "str", "Where the feature comes from (attribution).", required=True,
              max_length=300),
)

LANDING_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("landing_id", "str", "Stable id of the landing point.", required=True, max_length=80),
    FieldSpec("name", "str", "Landing point name.", required=True, max_length=200),
    FieldSpec("commune", "str", "Commune and department.", max_length=200),
    FieldSpec("n_cables", "int", "Submarine cables landing here.", required=True, minimum=0, maximum=100),
    FieldSpec("n_international_cables", "int", "Cables that also land outside France.",
              required=True, minimum=0, maximum=100),
    FieldSpec("cable_names", "list[str]", "Names of the cables landing here.", required=True),
    FieldSpec("newest_rfs_year", "int", "Ready-for-service year of the newest cable.", unit="year",
              minimum=1980, maximum=2040),
    FieldSpec("international", "bool",
              "True when at least one cable reaches another country (island-only links are domestic).",
              required=True),
    FieldSpec("position_precision_km", "float", "Radius within which the landing lies.", unit="km",
              required=True, minimum=0, maximum=50),
    FieldSpec("source", "str", "Where the feature comes from (attribution).", required=True,
              max_length=300),
)

REGION_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("region_code", "str", "INSEE region code.", required=True, max_length=3),
    FieldSpec("region", "str", "Region name.", required=True, allowed=REGIONS),
    FieldSpec("official_zone_count", "int", "Zones of the 35 in this region on the Élysée map.",
              required=True, minimum=0, maximum=35),
    FieldSpec("source", "str", "Where the boundary comes from (attribution).", required=True,
              max_length=300),
)

CANDIDATE_SITES = LayerSpec(
    key="candidate_sites",
    path="sites/candidate_sites.geojson",
    title="Candidate zones (the 35 of Feb 2025)",
    id_field="site_id",
    geometry_types=("Point",),
    fields=SITE_FIELDS,
    description="The 35 zones of the government's programme, filled with the best-evidenced public sites.",
)
ANNOUNCED_PROJECTS = LayerSpec(
    key="announced_projects",
    path="sites/announced_projects.geojson",
    title="Other announced data-centre projects",
    id_field="site_id",
    geometry_types=("Point",),
    fields=SITE_FIELDS,
    description="Large data-centre projects announced in mainland France that take none of the 35 slots.",
)
GRID_POINTS = LayerSpec(
    key="grid_points",
    path="layers/grid_connection_points.geojson",
    title="Grid connection points (400 / 225 kV)",
    id_field="grid_point_id",
    geometry_types=("Point",),
    fields=GRID_FIELDS,
    description="RTE transmission substations at 225 kV and above.",
)
CABLE_LANDINGS = LayerSpec(
    key="cable_landings",
    path="layers/subsea_cable_landings.geojson",
    title="Subsea cable landings",
    id_field="landing_id",
    geometry_types=("Point",),
    fields=LANDING_FIELDS,
    description="Landing points of submarine telecom cables in mainland France and Corsica.",
)
REGION_OUTLINES = LayerSpec(
    key="regions",
    path="layers/regions.geojson",
    title="Regions",
    id_field="region_code",
    geometry_types=("Polygon", "MultiPolygon"),
    fields=REGION_FIELDS,
    description="Simplified outlines of the 13 regions of metropolitan France.",
)

SITE_LAYERS: tuple[LayerSpec, ...] = (CANDIDATE_SITES, ANNOUNCED_PROJECTS)
LAYERS: tuple[LayerSpec, ...] = (
    CANDIDATE_SITES,
    ANNOUNCED_PROJECTS,
    GRID_POINTS,
    CABLE_LANDINGS,
    REGION_OUTLINES,
)
LAYERS_BY_KEY: dict[str, LayerSpec] = {layer.key: layer for layer in LAYERS}
