"""The small scored world several test modules share: four sites, three substations, two landings.

``big`` (Hauts-de-France, official) dominates on size and power; ``mid`` and ``big`` are both
brownfield; ``small`` is far south; ``vague`` is an indicative placeholder with an estimated area
and unknown power. Test modules import these names instead of importing each other.
"""

from __future__ import annotations

from siting import scoring
from tests.conftest import make_grid, make_infra, make_landings, make_sites

GRID = make_grid([("g-north", 3.0, 50.3, 400), ("g-east", 6.2, 49.2, 400), ("g-south", 4.8, 45.5, 225)])
LANDINGS = make_landings([("marseille", 5.37, 43.29, 16), ("dunkerque", 2.37, 51.03, 2)])
SITES = make_sites([
    dict(site_id="big", lon=3.02, lat=50.31, region="Hauts-de-France", evidence="official",
         power_mw=1000.0, area_ha=150.0, available_year=2027, brownfield=True, fast_track=True,
         turnkey_site=True, edf_site=False, land_price_eur_m2=20.0),
    dict(site_id="mid", lon=6.1, lat=49.1, region="Grand Est", evidence="reported",
         power_mw=500.0, area_ha=60.0, available_year=2029, brownfield=True, fast_track=False,
         turnkey_site=False, edf_site=True, land_price_eur_m2=40.0),
    dict(site_id="small", lon=4.9, lat=45.6, region="Auvergne-Rhône-Alpes", evidence="project",
         power_mw=50.0, area_ha=20.0, available_year=2030, brownfield=False, fast_track=False,
         turnkey_site=False, edf_site=False, land_price_eur_m2=80.0),
    dict(site_id="vague", lon=2.4, lat=48.8, region="Île-de-France", evidence="indicative",
         area_ha=34.0, estimated_fields=["area_ha"]),
])
PREPARED = scoring.prepare_sites(SITES, make_infra(GRID, LANDINGS))
