"""The explorer tab: site card, ranking table, downloads and scenario files."""

from __future__ import annotations

import re
from dataclasses import replace

import pandas as pd
import streamlit as st

from siting import export, urlstate
from siting.dossier import build_dossier
from siting.explain import site_report
from siting.robustness import monte_carlo, weight_sensitivity
from siting.scoring import ScoringError
from siting.text import md_escape, safe_link
from views.context import Context, text

ss = st.session_state


def _pick_from_card() -> None:
    ss["site"] = ss["card_pick"]


def render_card(ctx: Context) -> None:
    """Site selector and the selected site's card (drawn beside the map, where the eye is)."""
    ranking, view, names = ctx.ranking, ctx.view, ctx.names
    ranked = ranking.table
    card_options = [*ranked["site_id"], *ranking.excluded["site_id"]]
    ss["card_pick"] = view.site if view.site in card_options else None
    st.selectbox("Site card", card_options, key="card_pick", on_change=_pick_from_card, index=None,
                 placeholder="Pick a site, or click one on the map or in the ranking",
                 format_func=lambda s: names[s])
    if not view.site or view.site not in card_options:
        st.info("Click a circle on the map, a row of the ranking below, or pick a site above: its card opens "
                "here with every fact, its sources and why it ranks where it does.")
        return
    report = site_report(ranking, view.site)
    row = report.row
    with st.container(border=True):
        st.subheader(md_escape(row["name"]))
        badge = {"official": "green", "reported": "blue", "project": "orange", "indicative": "red"}[row["evidence"]]
        where = (f":gray-badge[placeholder: real zone not public (±{row['location_precision_km']:g} km)]"
                 if row["evidence"] == "indicative" else f":gray-badge[position ±{row['location_precision_km']:g} km]")
        st.markdown(f":{badge}-badge[evidence: {row['evidence']}] {where} "
                    + (f":violet-badge[rank {report.rank} of {report.of} · score {report.score:.1f}]"
                       if report.ranked else f":gray-badge[filtered out: {md_escape(row['excluded_reason'])}]"))
        st.markdown(md_escape(row["evidence_note"], 2000))
        if row.get("uploaded") is True:
            st.caption("Uploaded by you for this session: facts not checked against public sources.")
        st.markdown(
            f"**Commune** {md_escape(text(row['commune']))} ({md_escape(text(row['department'], '?'))}), "
            f"{md_escape(text(row['region']))}  \n**Developer** {md_escape(text(row['developer']))}  \n"
            f"**Status** {md_escape(text(row['status']))}")
        st.markdown(
            "**Distances are straight lines** (Lambert-93), to RTE's published substation positions  \n"
            f"**Nearest 400 kV** {md_escape(row['nearest_grid_400_name'])} — {row['dist_grid_400_km']:.1f} km  \n"
            f"**Nearest 225 kV+** {md_escape(row['nearest_grid_225_name'])} — {row['dist_grid_225_km']:.1f} km  \n"
            + _planned_line(row) +
            f"**Nearest nuclear plant** {_nuclear_text(row)}  \n"
            f"**People within 50 km** {_people_text(row)}  \n"
            f"**Nearest international landing** {md_escape(row['nearest_landing_name'])} — "
            f"{row['dist_landing_km']:.0f} km ({_cables(row['nearest_landing_intl_cables'])})  \n"
            f"**Round trip (estimate)** Paris {row['latency_paris_ms']:.1f} ms · Frankfurt "
            f"{row['latency_frankfurt_ms']:.1f} ms · Marseille {row['latency_marseille_ms']:.1f} ms")
        facts = report.facts.copy()
        if report.ranked:
            chart = facts.loc[facts["weight"] > 0, ["criterion", "contribution"]]
            st.markdown("**What makes the score**" + ("" if report.method == "wsm" else
                        " (weighted-sum points, shown for every method: they drive but do not add up to this "
                        "method's score)"))
            # a Vega-Lite spec written out: st.bar_chart builds it through Altair, ~4x slower per rerun
            st.vega_lite_chart(chart, {
                "mark": {"type": "bar"},
                "encoding": {
                    "y": {"field": "criterion", "type": "nominal", "sort": "-x", "title": None,
                          "axis": {"labelLimit": 220}},
                    "x": {"field": "contribution", "type": "quantitative", "title": "points of the score"},
                    "tooltip": [{"field": "criterion", "type": "nominal"},
                                {"field": "contribution", "type": "quantitative", "format": ".1f", "title": "points"}],
                },
            }, width="stretch")
        with st.expander("Every criterion: value, utility, weight, points", expanded=False):
            facts["value"] = facts["value"] + facts["estimated"].map({True: " (estimate)", False: ""}) \
                + facts["unknown"].map({True: f" (scored by the '{view.unknown}' rule)", False: ""})
            st.dataframe(facts[["criterion", "value", "utility", "weight", "contribution"]], hide_index=True,
                         height=38 + 35 * len(facts),
                         column_config={"criterion": st.column_config.TextColumn("criterion", width="medium"),
                                        "value": st.column_config.TextColumn("value", width="medium"),
                                        "utility": st.column_config.NumberColumn("utility", format="%.2f"),
                                        "weight": st.column_config.NumberColumn("weight", format="%.1f"),
                                        "contribution": st.column_config.NumberColumn("points", format="%.1f")})
        if isinstance(row["value_notes"], str) and row["value_notes"]:
            st.caption("Other figures: " + md_escape(row["value_notes"], 1500))
        links = [link for link in (safe_link(u) for u in row["sources"]) if link]
        st.markdown("**Sources** (for the site's facts; distances come from RTE, JRC, INSEE and TeleGeography data) "
                    + " · ".join(links))
        for neighbour in report.neighbours:
            label = "Why it ranks below" if neighbour.where == "above" else "Why it ranks above"
            st.markdown(f"**{label} {md_escape(neighbour.name)}** — {md_escape(neighbour.lines[0], 300)}")
            st.markdown("\n".join(f"- {md_escape(line, 400)}" for line in neighbour.lines[1:]) or "- tie")

    def dossier() -> str:
        # Runs only when the button is clicked: robustness figures for the current scenario included.
        return build_dossier(ranking, report.site_id, robustness=monte_carlo(ranking, draws=2000, seed=0),
                             sensitivity=weight_sensitivity(ranking), report=report)

    st.download_button("Site dossier (printable HTML)", dossier,
                       f"dossier-{re.sub(r'[^A-Za-z0-9_-]', '-', view.site)[:60]}.html", "text/html",
                       key="dossier_download",
                       help="One page with facts, sources, score, contributions and the scenario's weights.")


def _cables(n) -> str:
    if pd.isna(n):
        return "unknown cables"
    return f"{int(n)} international cable" + ("" if int(n) == 1 else "s")


def _nuclear_text(row) -> str:
    """``Gravelines, 6 × 910 MW, 6 km`` (or unknown)."""
    if not isinstance(row.get("nearest_nuclear_name"), str) or pd.isna(row.get("dist_nuclear_km")):
        return "unknown"
    return (f"{md_escape(row['nearest_nuclear_name'])}, {md_escape(text(row['nearest_nuclear_units']))}, "
            f"{row['dist_nuclear_km']:.0f} km")


def _people_text(row) -> str:
    """People within 50 km and the nearest town of 50,000 or more."""
    if pd.isna(row.get("population_50km")):
        return "unknown"
    out = f"{row['population_50km']:,.0f} (INSEE, French communes only)"
    if isinstance(row.get("nearest_large_town_name"), str):
        out += (f" · nearest large town {md_escape(row['nearest_large_town_name'])} "
                f"({row['nearest_large_town_population']:,.0f} people), {row['dist_large_town_km']:.0f} km")
    return out


PLANNED_SHOWN_KM = 25.0


def _planned_line(row) -> str:
    """Describe a planned (approved, not built) RTE substation within 25 km; distances do not count it."""
    dist = row.get("dist_planned_grid_km")
    if pd.isna(dist) or dist > PLANNED_SHOWN_KM or not isinstance(row.get("nearest_planned_grid_name"), str):
        return ""
    return (f"**Planned substation** {md_escape(row['nearest_planned_grid_name'])} "
            f"({row['nearest_planned_grid_kv']:.0f} kV, approved, not built) — {dist:.1f} km, "
            "not counted in the distances  \n")


def _quantity(values: pd.Series, unit: str, estimated: pd.Series | None = None, digits: int = 0) -> list[str]:
    """Text cells: ``700 MW``, ``34 ha (est.)`` or ``unknown`` (a number column would show "None")."""
    out = []
    for i, value in enumerate(values):
        if pd.isna(value):
            out.append("unknown")
            continue
        cell = f"{float(value):,.{digits}f} {unit}".strip()
        if estimated is not None and estimated.iloc[i]:
            cell += " (est.)"
        out.append(cell)
    return out


def _people(values: pd.Series) -> list[str]:
    return ["unknown" if pd.isna(v) else f"{v / 1e6:.1f} M" if v >= 1e6 else f"{v / 1e3:,.0f} k" for v in values]


TABLE_HELP = {
    "power": "Announced power; 'unknown' when no source gives one.",
    "area": "Zone area; '(est.)' marks the programme-mean estimate (34 ha), not a sourced figure.",
    "400 kV": "Straight line to the nearest in-service RTE 400 kV substation.",
    "nuclear": "Straight line to the nearest operating nuclear plant.",
    "people 50 km": "People of the French communes within 50 km (INSEE).",
}
# Status flags (fast-track, EDF land, turnkey, brownfield) are in the card, Compare and the CSV.


def render_table(ctx: Context) -> None:
    """Draw the ranking: the essentials in human units; a click on any cell (or the keyboard) selects the site."""
    ranking = ctx.ranking
    ranked = ranking.table
    st.subheader("Ranking")
    area_estimated = ranked["estimated_criteria"].map(lambda v: "area_ha" in v)
    table = pd.DataFrame({
        "rank": ranked["rank"].to_numpy(), "site": ranked["name"].to_numpy(), "region": ranked["region"].to_numpy(),
        "score": ranked["score"].to_numpy(),
        "power": _quantity(ranked["power_mw"], "MW"),
        "area": _quantity(ranked["area_ha"], "ha", area_estimated.reset_index(drop=True)),
        "first power": ["unknown" if pd.isna(y) else str(int(y)) for y in ranked["available_year"]],
        "400 kV": _quantity(ranked["dist_grid_400_km"], "km", digits=1),
        "nuclear": _quantity(ranked["dist_nuclear_km"], "km"),
        "people 50 km": _people(ranked["population_50km"]),
        "evidence": ranked["evidence"].to_numpy(),
        "unknowns": [len(v) for v in ranked["unknown_criteria"]],
    })
    ss["table_order"] = list(ranked["site_id"])
    st.caption("Click any cell of a row (or move to it with the arrow keys) to open the site's card. "
               "Unknown values say so; '(est.)' marks an estimate.")
    st.dataframe(table, hide_index=True, key="ranking_table", on_select="rerun",
                 selection_mode=["single-row", "single-cell"],
                 column_config={
                     # widths fit a 1400 px window without scrolling (≈ 940 px beside the sidebar, the selection
                     # column included; tests/test_browser.py checks it)
                     "rank": st.column_config.NumberColumn("#", width=30, format="%d"),
                     "site": st.column_config.TextColumn("site", width=168),
                     "region": st.column_config.TextColumn("region", width=100),
                     "score": st.column_config.ProgressColumn("score", min_value=0, max_value=100, format="%.1f",
                                                              width=72),
                     "power": st.column_config.TextColumn("power", help=TABLE_HELP["power"], width=72),
                     "area": st.column_config.TextColumn("area", help=TABLE_HELP["area"], width=78),
                     "first power": st.column_config.TextColumn("online", width=60,
                                                                help="Year of the announced first power"),
                     "400 kV": st.column_config.TextColumn("400 kV", help=TABLE_HELP["400 kV"], width=62),
                     "nuclear": st.column_config.TextColumn("nuclear", help=TABLE_HELP["nuclear"], width=58),
                     "people 50 km": st.column_config.TextColumn("people", help=TABLE_HELP["people 50 km"], width=60),
                     "evidence": st.column_config.TextColumn("evidence", width=60),
                     "unknowns": st.column_config.NumberColumn("unknown", width=58, format="%d",
                                                               help="Weighted criteria with no value for this site: "
                                                                    "the card lists them and how they were scored"),
                 })
    if len(ranking.excluded):
        with st.expander(f"{len(ranking.excluded)} site(s) filtered out"):
            st.dataframe(pd.DataFrame({"site": ranking.excluded["name"],
                                       "reason": ranking.excluded["excluded_reason"]}), hide_index=True,
                         column_config={"site": st.column_config.TextColumn(width="large"),
                                        "reason": st.column_config.TextColumn(width="large")})


def render_downloads(ctx: Context) -> None:
    """Ranking CSV, scored GeoJSON, scenario JSON, and loading a scenario file back."""
    ranking, view = ctx.ranking, ctx.view
    d1, d2, d3 = st.columns(3)
    d1.download_button("Ranking (CSV)", lambda: export.ranking_csv(ranking), "ranking.csv", "text/csv")
    d2.download_button("Scored sites (GeoJSON)", lambda: export.scored_geojson(ranking), "scored_sites.geojson",
                       "application/geo+json")
    d3.download_button("Scenario (JSON)", lambda: export.scenario_dict_json(ranking.scenario, view.saved),
                       "scenario.json", "application/json",
                       help="Weights, method, unknown rule, constraints and your saved scenarios.")
    uploaded = st.file_uploader("Load a scenario file", type=["json"], key="scenario_file",
                                help="A scenario.json downloaded from this page (weights and filters).")
    if uploaded is not None and ss.get("scenario_loaded") != uploaded.file_id:
        try:
            loaded = export.scenario_from_json(uploaded.getvalue())
            saved = export.saved_from_json(uploaded.getvalue())
        except ScoringError as exc:
            st.error(f"Could not load that scenario: {md_escape(str(exc))}")
        else:
            ss["scenario_loaded"] = uploaded.file_id
            params = urlstate.encode_query(replace(urlstate.view_from_scenario(loaded, view), saved=saved))
            keep = {"scenario_loaded", "scenario_file", "upload_file", "upload_mode", "upload_cache", "upload_store"}
            for key in list(ss.keys()):
                if key not in keep:
                    del ss[key]
            st.query_params.from_dict(params)
            st.rerun()
