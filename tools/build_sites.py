#!/usr/bin/env python3
"""Build the two curated site layers from the records held in this file.

    python3 tools/build_sites.py

writes ``sites/candidate_sites.geojson`` (the 35 zones of February 2025, filled with the
best-evidenced public sites) and ``sites/announced_projects.geojson`` (other announced
projects with a known commune). Output is deterministic: same input, same bytes.

Stdlib only. Every fact below carries its public source in ``sources``; the wording of
``evidence_note`` and ``value_notes`` is ours. Where sources disagree on a number the
field holds the lowest sourced figure and ``value_notes`` lists the others. The only
estimate applied is ``area_programme_mean`` (1,200 ha / 35 zones ≈ 34 ha), and only to
zones of the 35 whose area no source gives; ``estimated_fields`` says so per feature.

Coordinates: commune centroids (±5 km) unless ``location_precision_km`` says otherwise,
from our own geographic knowledge and checked against each site's description in its
sources; indicative zones are placeholders, not real plots.
"""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPILED = "2026-11-23"

# The field order of siting.schema.SITE_FIELDS (checked against the schema when importable).
FIELDS = (
    "site_id", "name", "commune", "department", "region", "evidence", "evidence_note",
    "location_precision_km", "area_ha", "power_mw", "available_year", "land_price_eur_m2",
    "brownfield", "turnkey_site", "edf_site", "fast_track", "developer", "status",
    "sources", "estimated_fields", "value_notes",
)

# Programme facts from the government brochure: ~1,200 ha over 35 zones.
AREA_PROGRAMME_MEAN_HA = 34

# ---------------------------------------------------------------------------------------
# Sources used by several records
# ---------------------------------------------------------------------------------------
DCMAG_MAP = "https://dcmag.fr/la-carte-regionale-des-35-sites-dedies-aux-data-centers/"
LEMAGIT_BERCY = ("https://www.lemagit.fr/actualites/366638581/"
                 "Datacenters-pour-lIA-la-France-se-felicite-davancees-rapides")
EDF_AMI = "https://edf.fr/groupe-edf/accompagner-nos-clients-au-quotidien/ami-data-centers"
AFP_EDF_SITES = ("https://techniques-ingenieur.fr/actualite/breves-afp/"
                 "ia-edf-veut-accueillir-des-centres-de-donnees-sur-ses-terrains-143082")
CLUBIC_EDF_REGIONS = ("https://www.clubic.com/actualite-553365-plug-baby-plug-edf-est-prete-"
                      "a-accueillir-a-bras-ouverts-tous-les-nouveaux-data-centers-ia.html")
SILICON_EDF = ("https://www.silicon.fr/Thematique/business-1367/Breves/"
               "edf-foncier-datacenters-premiers-sites-choisis-468386.htm")
GAZETTE_ECLAIRION_MOSELLE = ("https://www.lagazettefrance.fr/article/"
                             "eclairion-va-injecter-2-milliards-d-euros-dans-deux-datacenters-en-moselle")
PREF_HDF_TURNKEY = ("https://www.prefectures-regions.gouv.fr/hauts-de-france/Actualites/"
                    "5-sites-des-Hauts-de-France-retenus-dans-le-dispositif-France-2030")
GETTOTEXT_55 = "https://gettotext.com/55-turnkey-sites-to-build-factories-in-france/"
NOUVELLES_55 = ("https://nouvelles.news/18/04/2024/"
                "reindustrialisation-consultez-la-liste-des-sites-cles-en-main-pour-les-investisseurs")
NODECHEV_SOFTBANK = "https://nodechev.com/articles/softbank-france-ai-data-centers-45-billion"
BEBEEZ_EDF_PICKS = "https://bebeez.eu/?p=73246"
DATACENTRAL_EDF_PICKS = "https://data-central.co.uk/edf-picks-data-centre-bidders-for-power-sites/"
DELTAFM_NO_MICROSOFT = ("https://www.deltafm.fr/"
                        "le-projet-de-data-centers-toujours-d-actualite-dans-la-region-mais-sans-microsoft")
NOUVELLES_DUJOUR_MICROSOFT = ("https://nouvelles-dujour.com/microsoft-le-geant-americain-de-"
                              "linformatique-envisage-de-simplanter-dans-le-nord-et-le-pas-de-calais/amp")
CLUBIC_SESTERCE = ("https://clubic.com/actualite-553125-milliards-d-euros-data-centers-et-"
                   "supercalculateur-l-entreprise-francaise-sesterce-met-le-paquet-sur-l-ia.html")
LJDE_GRAND_EST = ("https://www.lejournaldesentreprises.com/article/"
                  "le-grand-est-une-terre-propice-pour-y-faire-pousser-des-datacenters-2115379")
LATRIBUNE_IDF_TURNKEY = ("https://www.latribune.fr/entreprises-finance/industrie/aeronautique-defense/"
                         "reindustrialisation-en-ile-de-france-les-elus-locaux-revent-d-accueillir-"
                         "l-industrie-aeronautique-998242.html")
DAYFR_GPS_TURNKEY = "https://news.dayfr.com/local/3719280.html"
VOXLOG_PROLOGIS = ("https://www.voxlog.fr/actualite/9772/prologis-projette-dinvestir-64-milliards-"
                   "deuros-en-france-dans-les-entrepots-et-les-centres-de-donnees")
IICTF_CAMPUS_IA_2 = "https://iictf.in/mgx-expands-campus-ai-france-second-site/"
PEW_ARDIAN = "https://www.privateequitywire.co.uk/ardian-backs-e5bn-ai-gigafactory-near-paris/"
LEMONITEUR77_TEN_SITES = "https://www.lemoniteur77.com/dix-sites-a-vendre-en-seine-et-marne-5732.html"
FR3_CVL_TURNKEY_2024 = ("https://france3-regions.francetvinfo.fr/centre-val-de-loire/industrie-quels-sont-"
                        "les-trois-sites-laureats-cles-en-main-france-2030-en-region-centre-val-de-loire-"
                        "2958869.html")
FR3_CVL_TURNKEY_2021 = ("https://france3-regions.francetvinfo.fr/centre-val-de-loire/cher/bourges/"
                        "reindustrialisation-deux-nouveaux-sites-cles-en-main-en-centre-val-de-loire-"
                        "2265898.html")
LJDE_NORMANDY = ("https://www.lejournaldesentreprises.com/article/"
                 "la-hague-et-caen-sur-la-carte-des-projets-francais-de-lia-2115008")
LJDE_PACA = ("https://www.lejournaldesentreprises.com/article/"
             "ia-des-projets-bien-lances-en-paca-et-quelques-zones-de-flou-2118050")
CLUBIC_ECLAIRION_FR = ("https://www.clubic.com/actualite-587344-ca-se-passe-en-france-et-cela-pourrait-"
                       "tout-changer-pour-l-intelligence-artificielle-europeenne.html")

FAST_TRACK_NOTE = ("Bercy (30 Jan 2026) says each of its five fast-track sites can exceed 700 MW "
                   "within 3-4 years; where the site has no announced figure of its own, the field "
                  "holds that lower bound.")

# ---------------------------------------------------------------------------------------
# The 35 zones of the Élysée map (7-8 Feb 2025), by region.
# ---------------------------------------------------------------------------------------
CANDIDATES: list[dict] = [
    # --- Hauts-de-France: 8 zones ------------------------------------------------------
    dict(
        site_id="escaudain-soufflantes",
        name="Escaudain – Les Soufflantes (Data4 campus)",
        commune="Escaudain", department="59", region="Hauts-de-France",
        evidence="official",
        evidence_note=("Named by Bercy in January 2026 among the five fast-track sites of the "
                       "programme. The plot is the Parc Premium des Soufflantes, a former Usinor "
                       "blast-furnace site and a France 2030 turnkey site, where Data4 was chosen "
                       "in December 2025."),
        lon=3.344, lat=50.333, location_precision_km=5,
        area_ha=38, power_mw=700, available_year=2030,
        brownfield=True, turnkey_site=True, edf_site=False, fast_track=True,
        developer="Data4 with Brookfield and BT Immo; land: CA La Porte du Hainaut",
        status="Developer selected Dec 2025 (exclusive talks); about €5bn announced",
        sources=[
            LEMAGIT_BERCY,
            "https://www.agglo-porteduhainaut.fr/campus-data-centers",
            "https://dcmag.fr/le-consortium-brookfield-bt-immo-et-data4-retenu-pour-le-futur-campus-de-"
            "data-centers-a-escaudain",
            "https://www.lagazettefrance.fr/article/escaudain-data4-choisi-pour-le-futur-campus-numerique-"
            "de-la-porte-du-hainaut",
            PREF_HDF_TURNKEY,
        ],
        value_notes=("Area: 38 ha per the agglomeration, La Gazette and DCmag; other outlets (not "
                     "identified in our research) give 33 or 80 ha. Power: " + FAST_TRACK_NOTE
                     + " The agglomeration calls it one of 'four' fast-track sites; Bercy says five."),
    ),
    dict(
        site_id="le-bosquel-ai-campus",
        name="Le Bosquel – AI campus (SoftBank–Sesterce joint venture)",
        commune="Le Bosquel", department="80", region="Hauts-de-France",
        evidence="official",
        evidence_note=("One of Bercy's five fast-track sites (January 2026). SoftBank announced in "
                       "May 2026 a 1 GW campus here with Sesterce as part of its Hauts-de-France "
                       "first phase."),
        lon=2.200, lat=49.750, location_precision_km=5,
        power_mw=1000, available_year=2031,
        brownfield=None, turnkey_site=None, edf_site=None, fast_track=True,
        developer="Joint venture majority-owned by SoftBank Group, with Sesterce",
        status="Announced 31 May 2026 (Choose France 2026); not yet built",
        sources=[
            LEMAGIT_BERCY,
            "https://dcpulse.com/news/softbank-sesterce-ai-data-center-france",
            "https://cxovoice.com/softbank-plans-5-gw-ai-data-center-network-in-france-starts-with-1-gw-"
            "bosquel-project/",
            NODECHEV_SOFTBANK,
        ],
        value_notes=("Power: " + FAST_TRACK_NOTE + " The field holds the 1,000 MW (1 GW) "
                     "SoftBank/Sesterce announce for this campus (the site's own figure). Year: SoftBank's Hauts-de-France phase 1 is due by 2031. "
                     "No source gives the site's area."),
    ),
    dict(
        site_id="dunkerque-loon-plage",
        name="Dunkirk port – Loon-Plage (SoftBank)",
        commune="Loon-Plage", department="59", region="Hauts-de-France",
        evidence="official",
        evidence_note=("Bercy named the Grand Port Maritime de Dunkerque among its five fast-track "
                       "sites; SoftBank places its Dunkirk campus at Loon-Plage. The point is the "
                       "Loon-Plage commune, where the port's industrial zone lies."),
        lon=2.218, lat=50.997, location_precision_km=5,
        power_mw=700, available_year=2028,
        brownfield=None, turnkey_site=None, edf_site=False, fast_track=True,
        developer="SoftBank Group; port land: Grand Port Maritime de Dunkerque",
        status="Announced 30-31 May 2026 (Choose France 2026)",
        sources=[
            LEMAGIT_BERCY,
            NODECHEV_SOFTBANK,
            "https://www.deltafm.fr/dunkerque-500-emplois-annonces-autour-du-projet-de-data-center",
            PREF_HDF_TURNKEY,
        ],
        value_notes=("Power: " + FAST_TRACK_NOTE + " SoftBank's 3.1 GW is the total of its "
                     "Hauts-de-France phase 1 (Dunkirk, Le Bosquel, Bouchain), not this site's "
                     "value. Year: the Dunkirk mayor cites first production in 2028; SoftBank "
                     "gives 2031 for the whole phase 1. Turnkey: 'ZI d'avenir phase 1, Loon-Plage' "
                     "is a France 2030 turnkey site, but no source says the data centre sits on "
                     "it, so turnkey_site is left unknown."),
    ),
    dict(
        site_id="bouchain-edf",
        name="Bouchain – former EDF power station (SoftBank)",
        commune="Bouchain", department="59", region="Hauts-de-France",
        evidence="reported",
        evidence_note=("EDF's fifth data-centre site, where SoftBank was picked as preferred "
                       "bidder in 2026. It is tied to the 35 only indirectly: EDF said its sites "
                       "belong to the list, and Le Figaro placed one of them in Hauts-de-France."),
        lon=3.315, lat=50.286, location_precision_km=5,
        power_mw=400, available_year=2031,
        brownfield=True, turnkey_site=None, edf_site=True, fast_track=False,
        developer="EDF (land, building lease) / SoftBank Group (preferred bidder)",
        status="SoftBank preferred bidder (~June 2026); due diligence and preliminary lease",
        sources=[
            BEBEEZ_EDF_PICKS,
            DATACENTRAL_EDF_PICKS,
            "https://www.sfeninenglish.org/edf-scales-up-artificial-intelligence-data-centers-europe/",
            CLUBIC_EDF_REGIONS,
        ],
        value_notes=("Year: SoftBank's Hauts-de-France phase 1 is due by 2031. The site still "
                     "has an operating 585 MW gas plant; a 250 MW coal unit closed in 2015."),
    ),
    dict(
        site_id="cambrai-e-valley",
        name="Cambrai – E-Valley, former air base 103 (Data4, 1 GW)",
        commune="Haynecourt / Épinoy / Sauchy-Lestrée / Sancourt", department="59/62",
        region="Hauts-de-France",
        evidence="reported",
        evidence_note=("Data4 announced a 1 GW campus on the E-Valley park (ex-air base 103) in "
                       "February 2025; La Voix du Nord reported the site as strongly tipped to be "
                       "one of the 35, without official confirmation."),
        lon=3.155, lat=50.214, location_precision_km=5,
        area_ha=200, power_mw=1000,
        brownfield=True, turnkey_site=None, edf_site=False, fast_track=False,
        developer="Data4 (Brookfield); E-Valley park: BT Immo with Brookfield",
        status="Announced Feb 2025; about €10bn confirmed at Choose France (May 2025)",
        sources=[
            "https://topimmo.info/intelligence-artificielle-pourquoi-le-site-e-valley-est-pressenti-pour-"
            "accueillir-le-data-center-annonce-a-cambrai-la-voix-du-nord/",
            "https://arabnews.fr/node/500743/france",
            "https://le-meridien.fr/une-excellente-nouvelle-la-commune-de-cambrai-choisie-pour-devenir-"
            "le-futur-laboratoire-de-lia-en-france/amp",
            "https://lagazettefrance.fr/article/e-valley-d-une-base-militaire-au-plus-grand-parc-"
            "logistique-d-europe",
            "https://data-central.co.uk/brookfield-lifts-french-ai-infrastructure-plan/",
        ],
        value_notes=("Area: 200 ha for the data centre (le-meridien.fr); the whole E-Valley park "
                     "covers 320 ha. The park straddles Nord (59) and Pas-de-Calais (62); the "
                     "point is the Haynecourt centroid."),
    ),
    dict(
        site_id="vieux-reng-la-salmagne",
        name="La Salmagne business park – data-centre campus (Vieux-Reng / Elesmes)",
        commune="Elesmes / Vieux-Reng", department="59", region="Hauts-de-France",
        evidence="project",
        evidence_note=("A data-centre campus on this 83 ha park was presented to the Maubeuge "
                       "agglomeration in March 2025. ZA La Salmagne is also one of the region's "
                       "France 2030 turnkey sites; no source links it to the list of 35."),
        lon=4.000, lat=50.308, location_precision_km=5,
        area_ha=83,
        brownfield=None, turnkey_site=True, edf_site=False, fast_track=False,
        developer="Venturi Renewable Energy Ltd with an unnamed client; CA Maubeuge Val de Sambre",
        status="Presented to the agglomeration council on 12 Mar 2025; under NDA",
        sources=[
            "https://canalfm.fr/la-creation-d-un-data-center-sur-le-site-de-la-salmagne",
            PREF_HDF_TURNKEY,
        ],
        value_notes="Point: Elesmes centroid; the park lies on Elesmes and Vieux-Reng.",
    ),
    dict(
        site_id="quaedypre-data-centre-site",
        name="Quaëdypre – data-centre candidate site (ex-Microsoft)",
        commune="Quaëdypre", department="59", region="Hauts-de-France",
        evidence="project",
        evidence_note=("One of the sites Microsoft had lined up for data centres in the North; "
                       "after Microsoft withdrew in January 2025 another, unnamed investor showed "
                       "interest. No source ties it to the list of 35."),
        lon=2.458, lat=50.935, location_precision_km=5,
        area_ha=30,
        brownfield=None, turnkey_site=None, edf_site=False, fast_track=False,
        developer="Microsoft withdrew (Jan 2025); new unnamed investor interested",
        status="Candidate site",
        sources=[DELTAFM_NO_MICROSOFT, NOUVELLES_DUJOUR_MICROSOFT],
        value_notes="Land is partly municipal, partly owned by farmers.",
    ),
    dict(
        site_id="nouvelle-eglise-porte-d-opale",
        name="Nouvelle-Église – Parc d'activités de la Porte d'Opale (ex-Microsoft candidate)",
        commune="Nouvelle-Église", department="62", region="Hauts-de-France",
        evidence="project",
        evidence_note=("Another former Microsoft candidate site, near Calais; the intercommunality "
                       "says it is negotiating with several firms. No source ties it to the list "
                       "of 35."),
        lon=2.052, lat=50.978, location_precision_km=5,
        area_ha=22,
        brownfield=None, turnkey_site=None, edf_site=False, fast_track=False,
        developer="CC de la région d'Audruicq (landowner); negotiating with several firms",
        status="Candidate site; zone still being developed (2025)",
        sources=[DELTAFM_NO_MICROSOFT, NOUVELLES_DUJOUR_MICROSOFT],
        value_notes=("An earlier article names the neighbouring commune Vieille-Église instead; "
                     "the two are adjacent, within the stated precision."),
    ),
    # --- Grand Est: 7 zones ------------------------------------------------------------
    dict(
        site_id="la-maxe-edf",
        name="La Maxe – former EDF coal plant (Eclairion)",
        commune="La Maxe", department="57", region="Grand Est",
        evidence="official",
        evidence_note=("Offered by EDF in its second call for interest (March 2025); EDF said its "
                       "sites are among the 35. Eclairion won the call and announced €2bn for "
                       "La Maxe and Richemont in November 2025."),
        lon=6.192, lat=49.167, location_precision_km=5,
        power_mw=500,
        brownfield=True, turnkey_site=None, edf_site=True, fast_track=False,
        developer="EDF (land) / Eclairion",
        status="Eclairion selected; €2bn for both Moselle sites announced 17 Nov 2025",
        sources=[
            EDF_AMI, GAZETTE_ECLAIRION_MOSELLE, "https://tout-metz.com/?p=253681", SILICON_EDF,
            "https://moselle.tv/la-maxe-et-richemont-deux-data-centers-en-projet",
        ],
        value_notes=("Power: Eclairion gives more than 500 MW; 'over 1 GW' is the total for La Maxe "
                     "and Richemont together, not this site's value. Coal plant ran 1971-2015 "
                     "(on La Maxe and Woippy) and is being dismantled."),
    ),
    dict(
        site_id="richemont-edf",
        name="Richemont – former EDF power station (Eclairion)",
        commune="Richemont", department="57", region="Grand Est",
        evidence="official",
        evidence_note=("Offered by EDF with La Maxe in its second call for interest (March 2025); "
                       "EDF said its sites are among the 35. Eclairion won the call."),
        lon=6.165, lat=49.276, location_precision_km=5,
        power_mw=500,
        brownfield=True, turnkey_site=None, edf_site=True, fast_track=False,
        developer="EDF (land) / Eclairion",
        status="Eclairion selected; announced 17 Nov 2025",
        sources=[
            EDF_AMI, GAZETTE_ECLAIRION_MOSELLE,
            "https://courriermessin.fr/data-centers-moselle-la-maxe-richemont", SILICON_EDF,
        ],
        value_notes=("Power: Eclairion gives more than 500 MW; 'over 1 GW' is the total for La Maxe "
                     "and Richemont together. The blast-furnace-gas plant stopped in 2009 (other "
                     "sources say 2010 or 2011); last buildings demolished in 2018."),
    ),
    dict(
        site_id="saint-avold-emile-huchet",
        name="Saint-Avold – Émile-Huchet power station (GazelEnergie)",
        commune="Saint-Avold", department="57", region="Grand Est",
        evidence="project",
        evidence_note=("GazelEnergie announced a possible data centre of up to 300 MW at its "
                       "coal plant, which is being converted to gas. No source ties it to the list "
                       "of 35."),
        lon=6.707, lat=49.104, location_precision_km=8,
        power_mw=300, available_year=2028,
        brownfield=True, turnkey_site=None, edf_site=False, fast_track=False,
        developer="GazelEnergie (EPH group)",
        status="In talks with partners (2025)",
        sources=["https://moselle.tv/gazelenergie-annonce-un-possible-projet-de-data-center-a-saint-avold"],
        value_notes=("Power is an upper bound ('up to 300 MW'); 2028 is given as possible. Point: "
                     "Saint-Avold centroid; the plant lies a few km north of the town, hence 8 km."),
    ),
    dict(
        site_id="petit-landau-microsoft",
        name="Petit-Landau – Microsoft data centre",
        commune="Petit-Landau", department="68", region="Grand Est",
        evidence="project",
        evidence_note=("Microsoft's €2bn data centre announced at Choose France 2024, on 36 ha of "
                       "farmland near Mulhouse. It predates the programme and no source ties it to "
                       "the list of 35."),
        lon=7.515, lat=47.727, location_precision_km=5,
        area_ha=36,
        brownfield=False, turnkey_site=None, edf_site=None, fast_track=False,
        developer="Microsoft",
        status="Public meeting Jun 2025; local plan (PLU) change planned",
        sources=[
            "https://demo2.contexte.io/fr/article/tech/cest-des-donnees-pres-de-chez-vous-a-petit-landau-"
            "operation-seduction-dun-geant-du-cloud_232854",
            "https://cste68.fr/author/jakub",
            "https://www.rue89strasbourg.com/alsace-data-center-microsoft-consommera-comme-350000-foyers-"
            "347813",
        ],
    ),
    dict(
        site_id="grand-est-indicative-micheville",
        name="Indicative zone – Micheville brownfield (Villerupt)",
        commune="Villerupt (Micheville)", department="54", region="Grand Est",
        evidence="indicative",
        evidence_note=("Placeholder: this Grand Est zone's real location is not public (Sesterce "
                       "announced two Grand Est sites without naming them, and Lorr'Up declines to "
                       "name its data-centre sites). It is drawn at the 300 ha Micheville steel "
                       "brownfield facing Esch-Belval, where a data-centre park was proposed in 2013."),
        lon=5.945, lat=49.475, location_precision_km=25,
        brownfield=True, turnkey_site=None, edf_site=None, fast_track=False,
        status="Exact zone not public",
        sources=[
            DCMAG_MAP, CLUBIC_SESTERCE, LJDE_GRAND_EST,
            "http://blogerslorrainsengages.unblog.fr/2013/05/01/des-data-centers-a-micheville/",
        ],
        value_notes=("The Micheville brownfield itself covers about 300 ha (EPF Lorraine land); the "
                     "zone's area is the programme-mean estimate."),
    ),
    dict(
        site_id="grand-est-indicative-europort-illange",
        name="Indicative zone – Europort Thionville-Illange (Illange)",
        commune="Illange / Thionville / Uckange", department="57", region="Grand Est",
        evidence="indicative",
        evidence_note=("Placeholder: the zone's real location is not public. Drawn at the Europort "
                       "Thionville-Illange, a large former steelworks platform on the Moselle with "
                       "rail, road and river links, as a documented large industrial site in the "
                       "region; no source links it to data centres."),
        lon=6.179, lat=49.327, location_precision_km=25,
        brownfield=True, turnkey_site=None, edf_site=None, fast_track=False,
        status="Exact zone not public",
        sources=[
            DCMAG_MAP,
            "https://actu-transport-logistique.fr/lantenne/actualite/logistique-supply-chain/"
            "moselle-leuroport-prend-son-envol-logistique-727447.php",
            "https://paperjam.lu/article/news-leuroport-complementaire-a-bettembourg",
        ],
        value_notes=("The Europort site covers about 185-200 ha of steel brownfield, of which "
                     "55 ha went to a logistics project; the zone's area is the programme-mean "
                     "estimate."),
    ),
    dict(
        site_id="grand-est-indicative-hoerdt",
        name="Indicative zone – Basse-Zorn economic hub (Hoerdt)",
        commune="Hoerdt", department="67", region="Grand Est",
        evidence="indicative",
        evidence_note=("Placeholder: the zone's real location is not public and we found no "
                       "documented data-centre candidate in Alsace besides Petit-Landau. Drawn at "
                       "the 250 ha Basse-Zorn economic hub north of Strasbourg, which ADIRA calls "
                       "the largest in the Grand Est region."),
        lon=7.784, lat=48.698, location_precision_km=50,
        brownfield=None, turnkey_site=None, edf_site=None, fast_track=False,
        status="Exact zone not public",
        sources=[DCMAG_MAP, "https://adira.com/?p=149034"],
        value_notes="The hub covers about 250 ha; the zone's area is the programme-mean estimate.",
    ),
    # --- Île-de-France: 7 zones --------------------------------------------------------
    dict(
        site_id="fouju-campus-ia",
        name="Fouju – Campus IA (MGX, Bpifrance, Mistral AI, NVIDIA)",
        commune="Fouju", department="77", region="Île-de-France",
        evidence="official",
        evidence_note=("One of Bercy's five fast-track sites (January 2026). The Campus IA joint "
                       "venture announced a 1.4 GW campus here in May 2025; the zone is farmland "
                       "in a planned urbanisation area."),
        lon=2.777, lat=48.584, location_precision_km=5,
        area_ha=70, power_mw=1400, available_year=2028,
        brownfield=False, turnkey_site=None, edf_site=None, fast_track=True,
        developer="Campus IA JV: MGX, Bpifrance, Mistral AI, NVIDIA (partners incl. Bouygues, EDF, RTE)",
        status="Announced May 2025; local plan consultation Sep-Oct 2025; works from H2 2026",
        sources=[
            "https://www.concertation-campus-ia.fr/fr/comprendre-le-projet",
            "https://www.bfmtv.com/paris/seine-et-marne/ia-un-campus-geant-a-50-milliards-d-euros-s-"
            "installera-en-seine-et-marne_AN-202509110417.html",
            "https://www.europesays.com/fr/123374",
            "https://www.channelnews.fr/arcadis-prend-part-a-la-construction-du-plus-grand-campus-ia-"
            "deurope-153472",
            "https://www.usine-digitale.fr/article/mgx-bpifrance-nvidia-et-mistral-ai-vont-creer-en-france-"
            "le-plus-grand-campus-ia-d-europe.N2232196",
            LEMAGIT_BERCY,
        ],
        value_notes=("Area: 70 ha (Le Parisien via BFM); 73 ha (CCBRC business park, actu.fr); "
                     "87 ha (Arcadis, channelnews.fr). Power: " + FAST_TRACK_NOTE + " The field holds the "
                     "1,400 MW (1.4 GW) Campus IA announces for this site. Year: first buildings 2028, full build 2033."),
    ),
    dict(
        site_id="montereau-edf",
        name="Montereau-Vallée-de-la-Seine – former EDF power station (OpCore)",
        commune="Vernou-La-Celle-sur-Seine / La Grande-Paroisse", department="77",
        region="Île-de-France",
        evidence="official",
        evidence_note=("Offered by EDF in its first call for interest (March 2025) and named by "
                       "Bercy among its five fast-track sites (January 2026). OpCore (iliad and "
                       "InfraVia) is in exclusive talks for a €4bn data centre."),
        lon=2.848, lat=48.389, location_precision_km=5,
        area_ha=20, power_mw=700, available_year=2027,
        brownfield=True, turnkey_site=None, edf_site=True, fast_track=True,
        developer="EDF (land) / OpCore (iliad + InfraVia)",
        status="Exclusive negotiations announced 17 Nov 2025; about €4bn",
        sources=[
            EDF_AMI,
            "https://next.ink/brief_article/datacenters-edf-propose-trois-sites-en-seine-et-marne-et-en-"
            "moselle/",
            "https://rss.mirtouf.fr/p/i/?a=reader&rid=691ca0118f470",
            "https://www.techniques-ingenieur.fr/actualite/breves-afp/choose-france-loperateur-opcore-va-"
            "investir-4-mds-deuros-dans-un-centre-de-donnees-en-seine-et-marne-152974",
            "https://lafibre.info/opcore/opcore-montereau/msg1138941",
            LEMAGIT_BERCY,
        ],
        value_notes=("Area: about 20 ha (Montereau mayor); 20.6 ha for the EDF plot (LaFibre). "
                     "Power: " + FAST_TRACK_NOTE + " The mayor also says up to 700 MW; EDF/OpCore "
                     "say 'several hundred MW'. Point: Vernou-La-Celle-sur-Seine centroid."),
    ),
    dict(
        site_id="ile-de-france-indicative-ris-orangis-lu",
        name="Indicative zone – former LU biscuit factory (Ris-Orangis)",
        commune="Ris-Orangis", department="91", region="Île-de-France",
        evidence="indicative",
        evidence_note=("Placeholder: the zone's real location is not public (Prologis, Ardian/Verne "
                       "and Campus IA's second site have not disclosed theirs). Drawn at the 17 ha "
                       "former LU factory, a France 2030 turnkey site chosen in April 2024, the "
                       "largest of the region's turnkey sites we could source."),
        lon=2.414, lat=48.653, location_precision_km=5,
        brownfield=True, turnkey_site=True, edf_site=None, fast_track=False,
        status="Exact zone not public",
        sources=[
            DCMAG_MAP,
            "https://www.tf1.fr/tf1/jt-20h/videos/industrie-des-usines-pour-remplacer-les-friches-"
            "20640807.html",
            DAYFR_GPS_TURNKEY, VOXLOG_PROLOGIS, PEW_ARDIAN, IICTF_CAMPUS_IA_2,
        ],
        value_notes="The turnkey site covers 17 ha; the zone's area is the programme-mean estimate.",
    ),
    dict(
        site_id="ile-de-france-indicative-evry-bois-sauvage",
        name="Indicative zone – Bois-Sauvage (Évry-Courcouronnes)",
        commune="Évry-Courcouronnes", department="91", region="Île-de-France",
        evidence="indicative",
        evidence_note=("Placeholder: the zone's real location is not public. Drawn at Bois-Sauvage, "
                       "a 5 ha France 2030 turnkey site near Genopole labelled in April 2024, one "
                       "of the few sourced turnkey sites in the region."),
        lon=2.430, lat=48.640, location_precision_km=5,
        brownfield=None, turnkey_site=True, edf_site=None, fast_track=False,
        status="Exact zone not public",
        sources=[DCMAG_MAP, DAYFR_GPS_TURNKEY],
        value_notes=("The turnkey site covers only 5 ha, below the programme's 18 ha minimum; the "
                     "zone's area is the programme-mean estimate."),
    ),
    dict(
        site_id="ile-de-france-indicative-cergy-linandes",
        name="Indicative zone – Linandes Est-Aerocity (Cergy)",
        commune="Cergy", department="95", region="Île-de-France",
        evidence="indicative",
        evidence_note=("Placeholder: the zone's real location is not public. Drawn at Linandes "
                       "Est-Aerocity, a 6 ha France 2030 turnkey site (April 2024), to give the "
                       "region's north-west one sourced candidate location."),
        lon=2.065, lat=49.036, location_precision_km=5,
        brownfield=None, turnkey_site=True, edf_site=None, fast_track=False,
        status="Exact zone not public",
        sources=[DCMAG_MAP, LATRIBUNE_IDF_TURNKEY],
        value_notes=("The turnkey site covers only 6 ha, below the programme's 18 ha minimum; the "
                     "zone's area is the programme-mean estimate."),
    ),
    dict(
        site_id="ile-de-france-indicative-croissy-beaubourg",
        name="Indicative zone – Croissy-Beaubourg industrial plot",
        commune="Croissy-Beaubourg", department="77", region="Île-de-France",
        evidence="indicative",
        evidence_note=("Placeholder: the zone's real location is not public. Drawn at the 37.5 ha "
                       "Croissy-Beaubourg plot, the largest of the ready-to-build industrial sites "
                       "that Choose Paris Region listed in Seine-et-Marne (2020-2021); it is not a "
                       "France 2030 turnkey site as far as we know."),
        lon=2.666, lat=48.829, location_precision_km=10,
        brownfield=None, turnkey_site=None, edf_site=None, fast_track=False,
        status="Exact zone not public",
        sources=[DCMAG_MAP, LEMONITEUR77_TEN_SITES, "https://banquedesterritoires.fr/26-sites-cles-en-main"],
        value_notes="The listed plot covers 37.5 ha; the zone's area is the programme-mean estimate.",
    ),
    dict(
        site_id="ile-de-france-indicative-villaroche",
        name="Indicative zone – Tertre de Montereau, Villaroche (Montereau-sur-le-Jard)",
        commune="Montereau-sur-le-Jard", department="77", region="Île-de-France",
        evidence="indicative",
        evidence_note=("Placeholder: the zone's real location is not public. Drawn at the ZAC du "
                       "Tertre de Montereau by the Melun-Villaroche aerodrome, designated an "
                       "industrial turnkey site by the government in 2021 (an earlier label than "
                       "France 2030), with 20 ha and 6 ha plots listed for sale."),
        lon=2.670, lat=48.594, location_precision_km=10,
        brownfield=None, turnkey_site=None, edf_site=None, fast_track=False,
        status="Exact zone not public",
        sources=[
            DCMAG_MAP,
            "https://www.lemoniteur77.com/le-tertre-de-montereau-egalement-designe-site-cle-en-main-5381.html",
            LEMONITEUR77_TEN_SITES,
        ],
        value_notes="Listed plots of 20 ha and 6 ha; the zone's area is the programme-mean estimate.",
    ),
    # --- Auvergne-Rhône-Alpes: 4 zones -------------------------------------------------
    dict(
        site_id="loire-sur-rhone-edf",
        name="Loire-sur-Rhône – former EDF power station (Eclairion)",
        commune="Loire-sur-Rhône", department="69", region="Auvergne-Rhône-Alpes",
        evidence="reported",
        evidence_note=("L'Usine Nouvelle identified it as the fourth EDF data-centre site, the one "
                       "EDF announced but did not name in March 2025; EDF picked Eclairion in 2026. "
                       "The link to the 35 rests on EDF's statement that its sites are on the list."),
        lon=4.801, lat=45.551, location_precision_km=5,
        area_ha=60, power_mw=330,
        brownfield=True, turnkey_site=None, edf_site=True, fast_track=False,
        developer="EDF (land) / Eclairion (selected)",
        status="Call for interest Dec 2025-Jan 2026; Eclairion selected (~June 2026)",
        sources=[
            "https://e-voltaire.fr/?p=11896",
            "https://www.vivre-villes.fr/vienne/vienne-a-la-une/2026/01/22/edf-prevoit-dinstaller-un-data-"
            "center-de-grande-puissance-sur-le-site-de-lancienne-centrale-thermique-de-loire-sur-rhone",
            BEBEEZ_EDF_PICKS, DATACENTRAL_EDF_PICKS,
        ],
        value_notes="Power: 330 MW (DCD via BeBeez); about 350 MW (Data Central).",
    ),
    dict(
        site_id="alixan-rovaltain-sesterce",
        name="Alixan – Rovaltain AI data centre (Sesterce, ex-Pôle Ecotox)",
        commune="Alixan", department="26", region="Auvergne-Rhône-Alpes",
        evidence="project",
        evidence_note=("Sesterce's AI data centre, announced in February 2025, in a never-used "
                       "Institut Mérieux building at Rovaltain by Valence TGV station. The Mérieux "
                       "Rovaltain site is a France 2030 turnkey site; no source ties it to the 35."),
        lon=4.980, lat=44.990, location_precision_km=2,
        power_mw=40, available_year=2026,
        brownfield=None, turnkey_site=True, edf_site=False, fast_track=False,
        developer="Sesterce",
        status="Permit granted late Dec 2025; appeal filed 18 Feb 2026",
        sources=[
            "https://www.journaldunet.com/business/1539145-valence-mise-sur-l-intelligence-artificielle-"
            "avec-un-data-center-de-450-millions-d-euros/",
            "https://www.lyoncapitale.fr/actualite/un-supercalculateur-implante-au-coeur-de-la-drome",
            "https://rcf.fr/articles/economie-et-societe/les-chiffres-etourdissants-du-supercalculateur-"
            "de-rovaltain",
            "https://smi24.net/foreign/421611433",
            "https://www.informatiquenews.fr/sesterce-va-bien-implanter-son-supercalculateur-ia-des-2026-"
            "dans-la-drome-103869",
            GETTOTEXT_55, NOUVELLES_55,
        ],
        value_notes=("Power: 40 MW (RCF, written '40 megawatts/heure'); a doubling was announced in "
                     "Nov 2025. Area: 'several hectares' bought from Institut Mérieux, no figure. "
                     "Point: the Rovaltain park by Valence TGV station (moved from the Alixan "
                     "village centroid, ~4 km away)."),
    ),
    dict(
        site_id="eybens-dataone",
        name="Eybens – DataOne AI data centre (former HP site)",
        commune="Eybens", department="38", region="Auvergne-Rhône-Alpes",
        evidence="project",
        evidence_note=("DataOne is converting a former Hewlett-Packard building near Grenoble into "
                       "an AI data centre announced in February 2025. No source ties it to the "
                       "list of 35."),
        lon=5.751, lat=45.148, location_precision_km=5,
        power_mw=15, available_year=2026,
        brownfield=True, turnkey_site=None, edf_site=None, fast_track=False,
        developer="DataOne (Oreus consortium; Core42/G42 investor)",
        status="Works under way; public meeting Jan 2026",
        sources=[
            "https://tgplus.fr/?p=35672",
            "https://www.europesays.com/fr/?p=665789",
            "https://www.off-investigation.fr/macron-ia-et-les-milliards-des-emiratis",
            "https://obscura.fr/science/supercalculateurs-en-isere-un-projet-controverse-a-800-millions-e",
        ],
        value_notes=("Power: 15 MW at start; 200 MW at term (down from 1 GW announced in Feb 2025). "
                     "Year: first 15 MW in Q2 2026."),
    ),
    dict(
        site_id="villefontaine-dataone",
        name="Villefontaine – DataOne second Isère site",
        commune="Villefontaine", department="38", region="Auvergne-Rhône-Alpes",
        evidence="project",
        evidence_note=("DataOne's planned second data centre in Isère, reported alongside Eybens. "
                       "No source gives its size or ties it to the list of 35."),
        lon=5.151, lat=45.614, location_precision_km=5,
        brownfield=None, turnkey_site=None, edf_site=None, fast_track=False,
        developer="DataOne (Oreus consortium)",
        status="Planned ('next winter' per Obscura)",
        sources=[
            "https://obscura.fr/science/supercalculateurs-en-isere-un-projet-controverse-a-800-millions-e",
            "https://tgplus.fr/?p=35672",
        ],
    ),
    # --- Centre-Val de Loire: 3 zones --------------------------------------------------
    dict(
        site_id="etrechet-ozans-google",
        name="Étrechet – ZAC d'Ozans (Google land option)",
        commune="Étrechet", department="36", region="Centre-Val de Loire",
        evidence="project",
        evidence_note=("Google, through Tricolore Computing, took a one-year land option on the "
                       "Ozans park near Châteauroux in 2025. Ozans is a France 2030 turnkey site, "
                       "ready since 2024; no source ties it to the list of 35."),
        lon=1.760, lat=46.785, location_precision_km=5,
        area_ha=187,
        brownfield=None, turnkey_site=True, edf_site=False, fast_track=False,
        developer="Google (via Tricolore Computing); land: Châteauroux Métropole ZAC",
        status="Sale agreement / land option (~June 2025), one year for studies",
        sources=[
            "https://www.generation-nt.com/actualites/google-datacenter-chateauroux-ozans-tricolore-"
            "computing-2059487",
            FR3_CVL_TURNKEY_2024, GETTOTEXT_55,
        ],
        value_notes=("Area: 187 ha for the Ozans park (France 3); 195 ha in the Google option "
                     "report (generation-nt). €58.5m land option. RTE plans a new 400 kV line "
                     "nearby."),
    ),
    dict(
        site_id="centre-val-de-loire-indicative-bourges-moutet",
        name="Indicative zone – Parc du Moutet (Bourges)",
        commune="Bourges", department="18", region="Centre-Val de Loire",
        evidence="indicative",
        evidence_note=("Placeholder: the zone's real location is not public and we could not "
                       "source the region's two other France 2030 turnkey sites. Drawn at the "
                       "Parc du Moutet in Bourges, labelled an industrial turnkey site by the "
                       "government in September 2021."),
        lon=2.399, lat=47.081, location_precision_km=10,
        brownfield=None, turnkey_site=None, edf_site=None, fast_track=False,
        status="Exact zone not public",
        sources=[DCMAG_MAP, FR3_CVL_TURNKEY_2021, FR3_CVL_TURNKEY_2024],
        value_notes="Point: Bourges centroid. No area sourced; the zone's area is the programme-mean estimate.",
    ),
    dict(
        site_id="centre-val-de-loire-indicative-controis-agroparc",
        name="Indicative zone – AgroParc du Controis-en-Sologne",
        commune="Le Controis-en-Sologne", department="41", region="Centre-Val de Loire",
        evidence="indicative",
        evidence_note=("Placeholder: the zone's real location is not public. Drawn at the AgroParc "
                       "du Controis-en-Sologne south of Blois, labelled an industrial turnkey site "
                       "by the government in September 2021."),
        lon=1.429, lat=47.418, location_precision_km=10,
        brownfield=None, turnkey_site=None, edf_site=None, fast_track=False,
        status="Exact zone not public",
        sources=[DCMAG_MAP, FR3_CVL_TURNKEY_2021],
        value_notes="Point: Contres (Le Controis-en-Sologne) centroid; the zone's area is the programme-mean estimate.",
    ),
    # --- Normandie: 2 zones ------------------------------------------------------------
    dict(
        site_id="la-hague-sector",
        name="La Hague sector – pre-identified Normandy site",
        commune="La Hague (sector)", department="50", region="Normandie",
        evidence="reported",
        evidence_note=("A source close to the file told Le Journal des Entreprises in February 2025 "
                       "that one of Normandy's two zones lies in the La Hague sector; the exact "
                       "plot is not public."),
        lon=-1.830, lat=49.670, location_precision_km=10,
        area_ha=18, available_year=2028,
        brownfield=None, turnkey_site=None, edf_site=None, fast_track=False,
        status="Pre-identified site; exact location not public",
        sources=[LJDE_NORMANDY],
        value_notes=("Area: 18 to 50 ha is the range given for the two Normandy sites; 18 is its "
                     "low end. Year: available within 18-24 months, i.e. by 2028."),
    ),
    dict(
        site_id="caen-area",
        name="Caen area – pre-identified Normandy site",
        commune="Caen area", department="14", region="Normandie",
        evidence="reported",
        evidence_note=("The same February 2025 source placed Normandy's second zone in the Caen "
                       "area. In October 2025 officials south of Caen said there was no project yet."),
        lon=-0.371, lat=49.183, location_precision_km=15,
        area_ha=18, available_year=2028,
        brownfield=None, turnkey_site=None, edf_site=None, fast_track=False,
        status="Pre-identified site; exact location not public",
        sources=[LJDE_NORMANDY, "https://sansnom.noblogs.org/archives/26793"],
        value_notes=("Area: 18 to 50 ha is the range given for the two Normandy sites; 18 is its "
                     "low end. AD Normandie was reported seeking 20-30 ha (Oct 2025). Year: "
                     "available within 18-24 months, i.e. by 2028. Point: Caen centroid."),
    ),
    # --- Provence-Alpes-Côte d'Azur: 2 zones -------------------------------------------
    dict(
        site_id="bouc-bel-air-digital-realty-mrs6",
        name="Bouc-Bel-Air – Digital Realty MRS6 (former Decathlon warehouse)",
        commune="Bouc-Bel-Air", department="13", region="Provence-Alpes-Côte d'Azur",
        evidence="project",
        evidence_note=("Digital Realty filed for a €700m data centre in a former Decathlon "
                       "warehouse, chosen to be near the planned Fos–Jonquières 400 kV line. It is "
                       "not clearly tied to the AI programme."),
        lon=5.415, lat=43.452, location_precision_km=5,
        brownfield=True, turnkey_site=None, edf_site=None, fast_track=False,
        developer="Digital Realty",
        status="Permit and ICPE application filed; local opposition; public inquiry closed end 2025",
        sources=[
            "https://gomet.net/data-center-digital-realty-mrs6-bouc-bel-air",
            "https://madeinmarseille.net/170087-apres-marseille-le-futur-des-data-centers-secrit-a-ouest-"
            "de-la-metropole",
            "https://lepartisan.info/portail/modxls.php?l=mediaslibres&length=11&start=0",
        ],
        value_notes=("The building is 25,000 m² with 20,000 m² of IT rooms; no land area is "
                     "sourced, so the zone's area is the programme-mean estimate."),
    ),
    dict(
        site_id="paca-indicative-arles-port",
        name="Indicative zone – Arles port site (Arles)",
        commune="Arles", department="13", region="Provence-Alpes-Côte d'Azur",
        evidence="indicative",
        evidence_note=("Placeholder: the zone's real location is not public (EDF's site in Région "
                       "Sud is unnamed, and regional sources say the reserves cannot yet be "
                       "located). Drawn at Arles's port site, one of the five France 2030 turnkey "
                       "sites ready in 2024."),
        lon=4.626, lat=43.695, location_precision_km=5,
        brownfield=None, turnkey_site=True, edf_site=None, fast_track=False,
        status="Exact zone not public",
        sources=[
            DCMAG_MAP, NOUVELLES_55, GETTOTEXT_55, CLUBIC_EDF_REGIONS, LJDE_PACA,
            "https://www.batiweb.com/actualites/vie-des-societes/55-sites-cles-en-main-pour-inciter-des-"
            "investisseurs-a-batir-des-usines-en-france-44203",
        ],
        value_notes=("Point: Arles river port, north of the town (own knowledge). No area sourced; "
                     "the zone's area is the programme-mean estimate."),
    ),
    # --- Bourgogne-Franche-Comté: 1 zone -----------------------------------------------
    dict(
        site_id="bfc-indicative-chalon-nordeon",
        name="Indicative zone – Nordéon brownfield, SaôneOr (Chalon-sur-Saône)",
        commune="Chalon-sur-Saône", department="71", region="Bourgogne-Franche-Comté",
        evidence="indicative",
        evidence_note=("Placeholder: the region's single zone is not public and no data-centre "
                       "project was found in the region. Drawn at the former Philips/Nordéon plant "
                       "in the SaôneOr industrial park, one of the region's two France 2030 turnkey "
                       "sites, cleared in 2024."),
        lon=4.850, lat=46.810, location_precision_km=5,
        brownfield=True, turnkey_site=True, edf_site=None, fast_track=False,
        status="Exact zone not public",
        sources=[
            DCMAG_MAP,
            "https://legrandchalon.fr/actualites/la-rehabilitation-de-la-friche-nordeon",
            "https://gazettebourgogne.fr/article/la-friche-nordeon-entame-sa-renaissance",
            "https://gazettebourgogne.fr/article/en-saone-et-loire-un-avenir-industriel-cle-en-main",
            "https://latribune.fr/entreprises-finance/industrie/reindustrialisation-la-bourgogne-franche-"
            "comte-se-rebiffe-contre-les-sites-cles-en-main-de-bercy-997652.html",
        ],
        value_notes=("The turnkey plot covers 7 ha (Grand Chalon); 15 ha with the adjoining former "
                     "refinery (Gazette Bourgogne). The zone's area is the programme-mean estimate."),
    ),
    # --- Nouvelle-Aquitaine: 1 zone ----------------------------------------------------
    dict(
        site_id="nouvelle-aquitaine-indicative-blanquefort-ford",
        name="Indicative zone – former Ford plant (Blanquefort)",
        commune="Blanquefort", department="33", region="Nouvelle-Aquitaine",
        evidence="indicative",
        evidence_note=("Placeholder: the region's single zone is not public; BXIA at Bordeaux-Lac "
                       "is kept as a separate announced project. Drawn at the former Ford "
                       "gearbox plant north of Bordeaux, a France 2030 turnkey site being "
                       "reindustrialised."),
        lon=-0.637, lat=44.910, location_precision_km=5,
        brownfield=True, turnkey_site=True, edf_site=None, fast_track=False,
        status="Exact zone not public",
        sources=[
            DCMAG_MAP,
            "https://www.prefectures-regions.gouv.fr/nouvelle-aquitaine/nouvelle-aquitaine/"
            "nouvelle-aquitaine/Actualites/Sites-cles-en-main-France-2030-4-sites-industriels-"
            "laureats-en-Nouvelle-Aquitaine",
            "https://www.placeco.fr/gironde/strategie/article/ford-blanquefort-promesse-signee-avec-"
            "axtom-projet-de-village-industriel-sur-250000m%C2%B2-2500-emplois-evoques-3201",
        ],
        value_notes=("The ex-Ford land sold to Axtom covers 50 ha; the zone's area is the "
                     "programme-mean estimate. Point: Blanquefort centroid."),
    ),
]

# ---------------------------------------------------------------------------------------
# Other announced projects with a known commune (no slot among the 35).
# ---------------------------------------------------------------------------------------
ANNOUNCED: list[dict] = [
    dict(
        site_id="bethune-nebius-azur",
        name="Béthune – former Bridgestone plant (Nebius / Azur Datacenter)",
        commune="Béthune", department="62", region="Hauts-de-France",
        evidence="project",
        evidence_note=("Nebius announced a 240 MW AI data centre in February 2026, built by Azur "
                       "Datacenter on the former Bridgestone plant. No source ties it to the 35."),
        lon=2.641, lat=50.530, location_precision_km=5,
        power_mw=240, available_year=2026,
        brownfield=True, turnkey_site=None, edf_site=None, fast_track=False,
        developer="Azur Datacenter (builds, finances); Nebius (AI cloud tenant)",
        status="Announced 12 Feb 2026; phased build",
        sources=[
            "https://dcmag.fr/nebius-annonce-un-mega-datacenter-de-240-mw-a-bethune-pas-de-calais-chez-"
            "azur-datacenter",
            "https://www.boursorama.com/bourse/actualites/l-entreprise-d-ia-nebius-basee-a-amsterdam-va-"
            "construire-un-centre-de-donnees-de-240-mw-pres-de-lille-en-france-"
            "6d868f845dff10a95298bc9ced2e13dc",
            "https://www.computeforecast.com/news/nebius-240mw-ai-data-centre-france",
        ],
        value_notes=("Year: 120 MW by end 2026 and 240 MW by end 2027 (DCmag); Reuters says first "
                     "capacity in late summer 2026. Campus cited as 26,000 m² of buildings."),
    ),
    dict(
        site_id="zouafques-business-zone",
        name="Zouafques business zone (ex-Microsoft candidate)",
        commune="Zouafques", department="62", region="Hauts-de-France",
        evidence="project",
        evidence_note=("A former Microsoft candidate site between Calais and Saint-Omer; a new, "
                       "unnamed investor is interested but power supply is the main issue."),
        lon=2.059, lat=50.818, location_precision_km=5,
        area_ha=17,
        brownfield=None, turnkey_site=None, edf_site=None, fast_track=False,
        developer="Microsoft withdrew (Jan 2025); new unnamed investor interested",
        status="Candidate site; talks under way",
        sources=[DELTAFM_NO_MICROSOFT, NOUVELLES_DUJOUR_MICROSOFT],
    ),
    dict(
        site_id="bruyeres-le-chatel-eclairion",
        name="Bruyères-le-Châtel – Eclairion (Mistral AI cluster)",
        commune="Bruyères-le-Châtel", department="91", region="Île-de-France",
        evidence="project",
        evidence_note=("Eclairion's high-density data centre hosting Mistral AI's training cluster, "
                       "announced in February 2025 and already in service. No source ties it to "
                       "the 35."),
        lon=2.190, lat=48.589, location_precision_km=5,
        power_mw=40, available_year=2025,
        brownfield=None, turnkey_site=None, edf_site=None, fast_track=False,
        developer="Eclairion (HPC Capital); tenant Mistral AI",
        status="Operating and expanding",
        sources=[
            "https://polesocietes.com/actualites/economie/mistral-ai-annonce-la-construction-de-son-premier-"
            "centre-de-donnees-dans-l-essonne",
            CLUBIC_ECLAIRION_FR,
            "https://scrutica.com/facilities/fac-eclairion-bruyeres-mistral-compute",
            "https://www.lemagit.fr/actualites/366639017/Mistral-AI-met-un-deuxieme-pied-et-12-milliard-"
            "deuros-dans-linfrastructure",
        ],
        value_notes=("Power: 40 MW initially, to be doubled at least twice; the Mistral GB300 "
                     "cluster is 44 MW; an extension to 100 MW was announced in Nov 2025. Year: in "
                     "service in 2025 (one tracker gives end-June 2026)."),
    ),
    dict(
        site_id="les-ulis-mistral",
        name="Les Ulis – Mistral AI inference data centre",
        commune="Les Ulis", department="91", region="Île-de-France",
        evidence="project",
        evidence_note=("A 10 MW inference site in Mistral AI's France and Sweden compute plan. No "
                       "source ties it to the 35."),
        lon=2.170, lat=48.682, location_precision_km=5,
        power_mw=10, available_year=2026,
        brownfield=None, turnkey_site=None, edf_site=None, fast_track=False,
        developer="Mistral AI",
        status="Planned",
        sources=[
            "https://datacenters.economictimes.indiatimes.com/news/ai-compute-infrastructure/"
            "mistral-ai-to-expand-data-center-capacity-in-france/131388204",
        ],
        value_notes=("Year: Q3 2026. Part of Mistral's €4bn plan (200 MW by 2027, 1 GW by 2030 "
                     "across France and Sweden; programme totals, not this site's values)."),
    ),
    dict(
        site_id="dugny-digital-realty",
        name="Dugny – Digital Realty Digital Hub (PAR15)",
        commune="Dugny", department="93", region="Île-de-France",
        evidence="project",
        evidence_note=("Digital Realty's campus on former military land next to Le Bourget airport, "
                       "part of its Choose France 2025 pledge; building work on PAR15 has begun."),
        lon=2.417, lat=48.954, location_precision_km=5,
        area_ha=10, power_mw=176, available_year=2027,
        brownfield=True, turnkey_site=None, edf_site=None, fast_track=False,
        developer="Digital Realty",
        status="Construction of PAR15 started",
        sources=[
            "https://b2bdaily.com/it/digital-realty-breaks-ground-on-66mw-paris-data-center/",
            "https://uniqueparis.fr/pourquoi-linstallation-imminente-du-plus-grand-data-center-de-france-"
            "a-dugny-suscite-des-inquietudes-chez-les-riverains-inquietude-des-riverains-face-au-plus-"
            "grand-data-center-de-france-a-dugny/",
            "https://cryptoast.fr/37-milliards-euros-sommet-choose-france-attire-investissements/",
        ],
        value_notes=("Power: 176 MW for the campus (b2bdaily); 200 MW (uniqueparis); the first "
                     "building PAR15 is 66 MW. Year: first 12 MW phase in 2027. €2.3bn covers "
                     "two projects (Marseille and Dugny)."),
    ),
    dict(
        site_id="mougins-evroc",
        name="Mougins – evroc AI data centre (Sophia Antipolis)",
        commune="Mougins", department="06", region="Provence-Alpes-Côte d'Azur",
        evidence="project",
        evidence_note=("evroc is retrofitting a late-2010s data-centre building that never really "
                       "operated into a 96 MW AI site. No source ties it to the 35."),
        lon=6.995, lat=43.600, location_precision_km=5,
        area_ha=10, power_mw=96, available_year=2026,
        brownfield=None, turnkey_site=None, edf_site=False, fast_track=False,
        developer="evroc; land owner Valimmo Reim",
        status="Construction/retrofit started (June 2025)",
        sources=[
            "https://www.sophiamag.eu/article/un-data-center-hyperscale-peut-il-etre-frugal."
            "2025.1750971097_685db2d9d819c",
            "https://www.journaldunet.com/cloud/1543943-evroc-les-dessous-de-son-data-center-de-4-"
            "milliards-d-euros-a-sophia-antipolis/",
            "https://datacenter-forum.com/evroc/evroc-expands-hyperscale-ai-ambitions-with-new-site-in-france",
        ],
        value_notes="About €4bn at full capacity; up to 50,000 GPUs.",
    ),
    dict(
        site_id="bordeaux-bxia",
        name="Bordeaux-Lac – BXIA AI campus",
        commune="Bordeaux", department="33", region="Nouvelle-Aquitaine",
        evidence="project",
        evidence_note=("BXIA plans a sovereign AI campus on part of the Parc des Expositions car "
                       "park at Bordeaux-Lac; Bordeaux Métropole voted in January 2026 to negotiate "
                       "the land sale. No source ties it to the 35."),
        lon=-0.564, lat=44.886, location_precision_km=3,
        area_ha=19, power_mw=250, available_year=2028,
        brownfield=False, turnkey_site=None, edf_site=None, fast_track=False,
        developer="BXIA (NFU + Osae Partners)",
        status="Bordeaux Métropole vote (30 Jan 2026) to negotiate the land sale",
        sources=[
            "https://www.lemondeinformatique.fr/actualites/lire-bordeaux-pret-a-accueillir-un-campus-ia-et-"
            "un-supercalculateur-99039.html",
            "https://kulturegeek.fr/news-346502/bordeaux-valide-bxia-data-center-souverain-3-milliards-"
            "deuros-lia",
            "https://www.europesays.com/fr/699659",
            LEMAGIT_BERCY,
        ],
        value_notes=("Area: about 19 ha of car park; 20 ha in other reports. Power: 250 MW IT; "
                     "380 MW grid connection. Year: first buildings late 2028; some outlets say "
                     "2030. Point: Parc des Expositions, Bordeaux-Lac (own knowledge), not the "
                     "commune centroid, which lies ~5 km south."),
    ),
    dict(
        site_id="besse-sur-braye-eclairion",
        name="Bessé-sur-Braye – Eclairion (former Arjowiggins paper mill)",
        commune="Bessé-sur-Braye", department="72", region="Pays de la Loire",
        evidence="project",
        evidence_note=("Eclairion bought 9 ha of the Arjowiggins brownfield for its second "
                       "high-density computing centre, near an RTE substation. Pays de la Loire "
                       "had no zone on the February 2025 map."),
        lon=0.750, lat=47.833, location_precision_km=5,
        area_ha=9, available_year=2026,
        brownfield=True, turnkey_site=None, edf_site=None, fast_track=False,
        developer="Eclairion",
        status="Under construction (Nov 2025)",
        sources=[
            "https://www.lejournaldesentreprises.com/article/eclairion-va-investir-600-millions-deuros-en-"
            "sarthe-pour-implanter-un-centre-de-calcul-haute-densite-2113448",
            CLUBIC_ECLAIRION_FR,
            "https://tout-metz.com/?p=253681",
        ],
        value_notes=("Year: operational from early 2026 per Le Journal des Entreprises. About "
                     "€600m; part of Eclairion's €500m for its Essonne and Sarthe sites."),
    ),
]


# ---------------------------------------------------------------------------------------
# Assembly
# ---------------------------------------------------------------------------------------
def _properties(record: dict, *, estimate_area: bool) -> dict:
    extra = set(record) - set(FIELDS) - {"lon", "lat"}
    if extra:
        raise ValueError(f"{record['site_id']}: unknown keys {sorted(extra)}")
    props = {name: record.get(name) for name in FIELDS}
    estimated: list[str] = []
    if estimate_area and props["area_ha"] is None:
        props["area_ha"] = AREA_PROGRAMME_MEAN_HA
        estimated.append("area_ha")
    props["estimated_fields"] = estimated
    props["sources"] = list(record["sources"])
    return props


def _feature(record: dict, *, estimate_area: bool) -> dict:
    props = _properties(record, estimate_area=estimate_area)
    return {
        "type": "Feature",
        "id": props["site_id"],
        "geometry": {"type": "Point",
                     "coordinates": [round(record["lon"], 3), round(record["lat"], 3)]},
        "properties": props,
    }


def _collection(title: str, description: str, records: list[dict], *, estimate_area: bool) -> dict:
    return {
        "type": "FeatureCollection",
        "metadata": {
            "title": title,
            "description": description,
            "compiled": COMPILED,
            "licence": "Facts from public sources, cited per feature (sources). Compilation: CC BY 4.0.",
            "precision": ("Points are commune centroids (±5 km) unless location_precision_km says "
                          "otherwise; indicative zones are not real plots."),
            "estimation_rules": "see README (area_programme_mean)",
        },
        "features": [_feature(r, estimate_area=estimate_area) for r in records],
    }


def _check_schema() -> None:
    """Compare FIELDS with siting.schema when the package imports (skipped otherwise)."""
    import sys

    sys.path.insert(0, str(ROOT))
    try:
        from siting.schema import SITE_FIELDS
    except ImportError:
        return
    finally:
        sys.path.pop(0)
    declared = tuple(f.name for f in SITE_FIELDS)
    if declared != FIELDS:
        raise SystemExit(f"FIELDS out of date with siting.schema.SITE_FIELDS: {declared}")


def _write(path: Path, collection: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(collection, indent=1, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    _check_schema()
    ids = [r["site_id"] for r in CANDIDATES + ANNOUNCED]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise SystemExit(f"duplicate site_id: {duplicates}")
    _write(ROOT / "sites" / "candidate_sites.geojson", _collection(
        "Candidate zones (the 35 of Feb 2025)",
        ("The 35 zones of France's AI data-centre programme (Élysée regional map, 7-8 Feb 2025), "
         "each filled with the best-evidenced public site in its region: official, reported, "
         "announced project, or an indicative placeholder where the zone is not public. The "
         "official list was never published."),
        CANDIDATES, estimate_area=True))
    _write(ROOT / "sites" / "announced_projects.geojson", _collection(
        "Other announced data-centre projects",
        ("Large data-centre projects announced in mainland France (2025-2026) with a known "
         "commune that take none of the 35 slots. Projects without a public location are not "
         "drawn."),
        ANNOUNCED, estimate_area=False))


if __name__ == "__main__":
    main()
