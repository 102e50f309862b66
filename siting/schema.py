"""The one declaration of every layer's fields, units, allowed values and provenance.

Validation (:mod:`siting.data`), the README's field tables, the command line and the
app all read these declarations; nothing else in the package spells a field's rules.
This module imports only :mod:`siting.criteria` (the criteria registry, re-exported here) and never
imports Streamlit.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from siting.criteria import (  # noqa: F401  (the criteria registry lives in siting.criteria; re-exported)
    CABLE_RADIUS_KM,
    CONFIDENCE_PENALTY_PER_ESTIMATE,
    CRITERIA,
    CRITERIA_BY_KEY,
    EVIDENCE_CONFIDENCE,
    FIBRE_KM_PER_MS,
    GROUPS,
    LARGE_TOWN_POPULATION,
    LATENCY_REFERENCES,
    LATENCY_ROUTE_FACTOR,
    POPULATION_RADIUS_KM,
    REFERENCE_YEAR,
    UNKNOWN_RULES,
    WEIGHT_MAX,
    Criterion,
    Direction,
    TransformKind,
)

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
        """Names of the declared fields, in order."""
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

# INSEE code of each region (2016 regions) → its name in :data:`REGIONS`.
REGION_CODES: dict[str, str] = {
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}

# Score colour scale (0 → 100): pale yellow to deep blue (ColorBrewer YlGnBu, colour-blind safe), shared
# by the map and the screening surface. Stops are denser in the middle, where most scores fall.
SCORE_STOPS: tuple[tuple[float, tuple[int, int, int]], ...] = (
    (0, (255, 255, 204)),
    (30, (199, 233, 180)),
    (45, (127, 205, 187)),
    (55, (65, 182, 196)),
    (65, (29, 145, 192)),
    (75, (34, 94, 168)),
    (100, (12, 44, 132)),
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
OFFICIAL_ZONES_CONTESTED = (
    "The regional split is contested: La Tribune/AFP (8 Feb 2025) described a map of 28 first sites with "
    "Hauts-de-France 7, Grand Est 5, Île-de-France 5 and Auvergne-Rhône-Alpes 2; the counts shown are the "
    "Élysée's (7-8 Feb 2025), which other reports repeat."
)
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

GRID_STATUSES: tuple[str, ...] = ("in service", "planned")
GRID_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("grid_point_id", "str", "Stable id of the connection point (`rte-` + RTE's code).", required=True,
              max_length=80),
    FieldSpec("name", "str", "Substation name as RTE publishes it.", required=True, max_length=200),
    FieldSpec("rte_code", "str", "RTE's substation code (`Code poste`).", max_length=20),
    FieldSpec("voltage_kv", "int", "Highest voltage class at the node.", unit="kV", required=True,
              minimum=225, maximum=400),
    FieldSpec("voltage_classes_kv", "str",
              "Voltage classes the source gives for the node, separated by `;` (RTE's list gives the highest only).",
              unit="kV", required=True, max_length=50),
    FieldSpec("operator", "str", "Transmission system operator.", required=True, max_length=50),
    FieldSpec("kind", "str", "A substation, or a node at a power plant.", required=True,
              allowed=("substation", "plant node")),
    FieldSpec("plant_type", "str", "For plant nodes: the plant's fuel, as the source gives it.",
              max_length=100),
    FieldSpec("status", "str",
              "`in service`, or `planned` (RTE: *accord administratif*, approved but not built). "
              "Only substations in service count in the model's distances.",
              required=True, allowed=GRID_STATUSES),
    FieldSpec("position_precision_km", "float", "Radius within which the real node lies.", unit="km",
              required=True, minimum=0, maximum=50),
    FieldSpec("source", "str", "Where the feature comes from (attribution).", required=True,
              max_length=300),
)

PLANT_FUELS: tuple[str, ...] = (
    "nuclear", "gas", "coal", "oil", "hydro (pumped storage)", "hydro (reservoir)", "hydro (run-of-river)",
    "biomass", "tidal",
)
PLANT_STATUSES: tuple[str, ...] = ("operating", "closed")
PLANT_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("plant_id", "str", "Stable id of the power plant (site).", required=True, max_length=80),
    FieldSpec("name", "str", "Plant (site) name.", required=True, max_length=200),
    FieldSpec("fuel", "str", "Main fuel or technology.", required=True, allowed=PLANT_FUELS),
    FieldSpec("status", "str", "Whether the plant still produces (`closed`: every unit closed).", required=True,
              allowed=PLANT_STATUSES),
    FieldSpec("operating_units", "int", "Generating units in operation.", required=True, minimum=0, maximum=100),
    FieldSpec("capacity_mw", "float", "Capacity of the units in operation.", unit="MW", required=True,
              minimum=0, maximum=20000),
    FieldSpec("units_text", "str", "Units in operation with their capacity, e.g. `6 × 910 MW`.",
              required=True, max_length=200),
    FieldSpec("closed_year", "int", "Year the last unit closed (closed plants only).", unit="year",
              minimum=1950, maximum=2040),
    FieldSpec("status_date", "str", "Date the status and capacity are known to hold.", required=True,
              max_length=100),
    FieldSpec("position_precision_km", "float", "Radius within which the plant lies.", unit="km",
              required=True, minimum=0, maximum=50),
    FieldSpec("source", "str", "Where the feature comes from (attribution).", required=True, max_length=300),
    FieldSpec("notes", "str", "Corrections applied to the source, with their evidence.", max_length=1000),
)

COMMUNE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("code_insee", "str", "INSEE commune code.", required=True, max_length=5),
    FieldSpec("name", "str", "Commune name.", required=True, max_length=200),
    FieldSpec("department", "str", "Département code.", required=True, max_length=3),
    FieldSpec("region_code", "str", "INSEE region code.", required=True, max_length=3),
    FieldSpec("population", "int", "Legal population (INSEE).", unit="people", required=True,
              minimum=0, maximum=5_000_000),
    FieldSpec("position_precision_km", "float",
              "Radius within which the point lies from the commune's true centroid (merged communes keep one "
              "former commune's centroid); its people live across the commune.", unit="km", required=True,
              minimum=0, maximum=50),
    FieldSpec("source", "str", "Where the feature comes from (attribution).", required=True, max_length=300),
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
    title="Grid connection points (RTE substations, 400 / 225 kV)",
    id_field="grid_point_id",
    geometry_types=("Point",),
    fields=GRID_FIELDS,
    description="RTE's transmission substations at 225 kV and above, in service or approved.",
)
POWER_PLANTS = LayerSpec(
    key="power_plants",
    path="layers/power_plants.geojson",
    title="Power plants (nuclear and other large plants)",
    id_field="plant_id",
    geometry_types=("Point",),
    fields=PLANT_FIELDS,
    description="France's nuclear sites and other plants of 100 MW or more (JRC open units, corrected).",
)
COMMUNES = LayerSpec(
    key="communes",
    path="layers/communes_population.geojson",
    title="Communes with their population",
    id_field="code_insee",
    geometry_types=("Point",),
    fields=COMMUNE_FIELDS,
    description="Every commune of mainland France and Corsica with a position, as a point with its population.",
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

OUTLINE_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "str", "What the outline covers.", required=True, max_length=200),
    FieldSpec("source", "str", "Where the boundary comes from (attribution).", required=True, max_length=300),
)
MAINLAND_OUTLINE = LayerSpec(
    key="mainland_outline",
    path="layers/mainland_outline.geojson",
    title="Outline of mainland France and Corsica",
    id_field="name",
    geometry_types=("MultiPolygon", "Polygon"),
    fields=OUTLINE_FIELDS,
    description="The land the national screening surface scores (IGN, simplified).",
)

# Uploaded sites: the same fields, but only an id and a name are required; the rest is
# filled by documented defaults (see siting.data.complete_upload) or left unknown.
UPLOAD_REQUIRED = ("site_id", "name")
UPLOADED_SITES = LayerSpec(
    key="uploaded_sites",
    path="",
    title="Your sites (upload)",
    id_field="site_id",
    geometry_types=("Point",),
    fields=tuple(
        FieldSpec(f.name, f.kind, f.description, f.unit, f.name in UPLOAD_REQUIRED, f.minimum, f.maximum,
                  f.allowed, f.max_length)
        for f in SITE_FIELDS
    ),
    description="Candidate sites uploaded by a user for this session only.",
)
UPLOAD_MAX_MB = 10

SITE_LAYERS: tuple[LayerSpec, ...] = (CANDIDATE_SITES, ANNOUNCED_PROJECTS)
LAYERS: tuple[LayerSpec, ...] = (
    CANDIDATE_SITES,
    ANNOUNCED_PROJECTS,
    GRID_POINTS,
    CABLE_LANDINGS,
    REGION_OUTLINES,
    POWER_PLANTS,
    COMMUNES,
)
OTHER_LAYERS: tuple[LayerSpec, ...] = (MAINLAND_OUTLINE,)
"""Layers not loaded into :class:`siting.data.SitingInputs` (the surface reads the outline itself)."""
LAYERS_BY_KEY: dict[str, LayerSpec] = {layer.key: layer for layer in (*LAYERS, *OTHER_LAYERS)}

