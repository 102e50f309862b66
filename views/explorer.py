"""The explorer tab: site card, ranking table, downloads and scenario files."""

from __future__ import annotations

import re

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
    """Site selector and the selected site's card."""
    ranking, view, names = ctx.ranking, ctx.view, ctx.names
    ranked = ranking.table
    card_options = [None, *ranked["site_id"], *ranking.excluded["site_id"]]
    ss["card_pick"] = view.site if view.site in card_options else None
    st.selectbox("Site card", card_options, key="card_pick", on_change=_pick_from_card,
                 format_func=lambda s: "— pick a site (or click the map / a table row) —" if s is None else names[s])
    if not view.site or view.site not in card_options:
        return
    report = site_report(ranking, view.site)
    with st.container(border=True):
        row = report.row
        st.subheader(md_escape(row["name"]))
        scored = report.ranked
        badge = {"official": "green", "reported": "blue", "project": "orange", "indicative": "red"}[row["evidence"]]
        st.markdown(f":{badge}-badge[evidence: {row['evidence']}] "
                    f":gray-badge[position ±{row['location_precision_km']:g} km] "
                    + (f":violet-badge[rank {report.rank} of {report.of} · score {report.score:.1f}]"
                       if scored else f":gray-badge[filtered out: {md_escape(row['excluded_reason'])}]"))
        st.markdown(md_escape(row["evidence_note"], 2000))
        if row.get("uploaded") is True:
            st.caption("Uploaded by you for this session: facts not checked against public sources.")
        left, right = st.columns([3, 2])
        with left:
            facts = report.facts.copy()
            facts["value"] = facts["value"] + facts["estimated"].map({True: " (estimate)", False: ""}) \
                + facts["unknown"].map({True: " → scored as " + view.unknown, False: ""})
            st.dataframe(facts[["criterion", "value", "utility", "weight", "contribution"]], hide_index=True,
                         height=38 + 35 * len(facts),
                         column_config={"utility": st.column_config.NumberColumn(format="%.2f"),
                                        "contribution": st.column_config.NumberColumn("points", format="%.1f")})
            if scored:
                chart = facts.loc[facts["weight"] > 0, ["criterion", "contribution"]]
                # a Vega-Lite spec written out: st.bar_chart builds it through Altair, ~4x slower per rerun
                st.vega_lite_chart(chart, {
                    "mark": {"type": "bar"},
                    "encoding": {
                        "y": {"field": "criterion", "type": "nominal", "sort": "-x", "title": None},
                        "x": {"field": "contribution", "type": "quantitative", "title": "points of the score"},
                        "tooltip": [{"field": "criterion", "type": "nominal"},
                                    {"field": "contribution", "type": "quantitative", "format": ".1f",
                                     "title": "points"}],
                    },
                }, width="stretch")
        with right:
            st.markdown(
                f"**Commune** {md_escape(text(row['commune']))} ({md_escape(text(row['department'], '?'))}), "
                f"{md_escape(text(row['region']))}  \n**Developer** {md_escape(text(row['developer']))}  \n"
                f"**Status** {md_escape(text(row['status']))}  \n"
                f"**Nearest 400 kV** {md_escape(row['nearest_grid_400_name'])} — {row['dist_grid_400_km']:.1f} km  \n"
                f"**Nearest 225 kV+** {md_escape(row['nearest_grid_225_name'])} — {row['dist_grid_225_km']:.1f} km  \n"
                + _planned_line(row) +
                f"**Nearest nuclear plant** {_nuclear_text(row)}  \n"
                f"**People within 50 km** {_people_text(row)}  \n"
                f"**Nearest international landing** {md_escape(row['nearest_landing_name'])} — "
                f"{row['dist_landing_km']:.0f} km ({row['nearest_landing_intl_cables']:.0f} cables)  \n"
                f"**Round trip (estimate)** Paris {row['latency_paris_ms']:.1f} ms · Frankfurt "
                f"{row['latency_frankfurt_ms']:.1f} ms · Marseille {row['latency_marseille_ms']:.1f} ms")
            if isinstance(row["value_notes"], str) and row["value_notes"]:
                st.caption("Other figures: " + md_escape(row["value_notes"], 1500))
            links = [link for link in (safe_link(u) for u in row["sources"]) if link]
            st.markdown("**Sources** " + " · ".join(links))
            for neighbour in report.neighbours:
                label = "Why it ranks below" if neighbour.where == "above" else "Why it ranks above"
                st.markdown(f"**{label} {md_escape(neighbour.name)}**")
                st.markdown("\n".join(f"- {md_escape(line, 400)}" for line in neighbour.lines[1:]) or "- tie")

    def dossier() -> str:
        # Runs only when the button is clicked: robustness figures for the current scenario included.
        return build_dossier(ranking, report.site_id, robustness=monte_carlo(ranking, draws=2000, seed=0),
                             sensitivity=weight_sensitivity(ranking), report=report)

    st.download_button("Site dossier (printable HTML)", dossier,
                       f"dossier-{re.sub(r'[^A-Za-z0-9_-]', '-', view.site)[:60]}.html", "text/html",
                       key="dossier_download",
                       help="One page with facts, sources, score, contributions and the scenario's weights.")


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


def render_table(ctx: Context) -> None:
    """Draw the sortable ranking table; selecting a row selects the site."""
    ranking = ctx.ranking
    ranked = ranking.table
    st.subheader("Ranking")
    table = pd.DataFrame({
        "rank": ranked["rank"], "site": ranked["name"], "region": ranked["region"], "score": ranked["score"],
        "power_mw": ranked["power_mw"], "area_ha": ranked["area_ha"], "available_year": ranked["available_year"],
        "dist_grid_400_km": ranked["dist_grid_400_km"], "latency_paris_ms": ranked["latency_paris_ms"],
        "evidence": ranked["evidence"], "brownfield": ranked["brownfield"], "edf_site": ranked["edf_site"],
        "fast_track": ranked["fast_track"],
        "estimates": ranked["estimated_criteria"].map(", ".join),
        "unknown": ranked["unknown_criteria"].map(len),
    })
    ss["table_order"] = list(ranked["site_id"])
    st.dataframe(table, hide_index=True, key="ranking_table", on_select="rerun", selection_mode="single-row",
                 column_config={
                     "score": st.column_config.ProgressColumn("score", min_value=0, max_value=100, format="%.1f"),
                     "power_mw": st.column_config.NumberColumn("power (MW)", format="%.0f"),
                     "area_ha": st.column_config.NumberColumn("area (ha)", format="%.0f"),
                     "available_year": st.column_config.NumberColumn("available", format="%d"),
                     "dist_grid_400_km": st.column_config.NumberColumn("400 kV (km)", format="%.1f"),
                     "latency_paris_ms": st.column_config.NumberColumn("Paris RTT (ms)", format="%.1f"),
                     "unknown": st.column_config.NumberColumn("unknown values",
                                                              help="Weighted criteria with no value for this site"),
                 })
    if len(ranking.excluded):
        with st.expander(f"{len(ranking.excluded)} site(s) filtered out"):
            st.dataframe(pd.DataFrame({"site": ranking.excluded["name"],
                                       "reason": ranking.excluded["excluded_reason"]}), hide_index=True)



def render_downloads(ctx: Context) -> None:
    """Ranking CSV, scored GeoJSON, scenario JSON, and loading a scenario file back."""
    ranking, view = ctx.ranking, ctx.view
    d1, d2, d3 = st.columns(3)
    d1.download_button("Ranking (CSV)", lambda: export.ranking_csv(ranking), "ranking.csv", "text/csv")
    d2.download_button("Scored sites (GeoJSON)", lambda: export.scored_geojson(ranking), "scored_sites.geojson",
                       "application/geo+json")
    d3.download_button("Scenario (JSON)", lambda: export.scenario_dict_json(ranking.scenario), "scenario.json",
                       "application/json")
    uploaded = st.file_uploader("Load a scenario file", type=["json"], key="scenario_file",
                                help="A scenario.json downloaded from this page (weights and filters).")
    if uploaded is not None and ss.get("scenario_loaded") != uploaded.file_id:
        try:
            loaded = export.scenario_from_json(uploaded.getvalue())
        except ScoringError as exc:
            st.error(f"Could not load that scenario: {md_escape(str(exc))}")
        else:
            ss["scenario_loaded"] = uploaded.file_id
            params = urlstate.encode_query(urlstate.view_from_scenario(loaded, view))
            keep = {"scenario_loaded", "scenario_file", "upload_file", "upload_mode", "upload_cache", "upload_store"}
            for key in list(ss.keys()):
                if key not in keep:
                    del ss[key]
            st.query_params.from_dict(params)
            st.rerun()
