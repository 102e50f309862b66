"""The top of the page: what to do first, link notices, key figures and the map legend."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from siting import mapview
from siting.text import md_escape
from siting.urlstate import ViewState

ss = st.session_state


def _dismiss(key: str) -> None:
    ss[key] = True


PAGE_CSS = """
<style>
h1 { font-size: 2.1rem !important; padding-top: 0 !important; }
@media (max-width: 640px) {
  h1 { font-size: 1.35rem !important; }
  .st-key-metrics [data-testid="stHorizontalBlock"] { flex-direction: row !important; flex-wrap: wrap !important;
                                                    gap: 0.2rem 0.8rem !important; }
  .st-key-metrics [data-testid="stColumn"] { width: auto !important; flex: 1 1 40% !important;
                                            min-width: 40% !important; }
  .st-key-metrics [data-testid="stMetricValue"] { font-size: 1.1rem !important; }
  .st-key-hint [data-testid="stAlert"] p { font-size: 0.8rem; }
}
/* the top site's name wraps instead of being cut ("Montereau-Vallée-de-…") */
.st-key-metrics [data-testid="stColumn"]:last-child [data-testid="stMetricValue"] > div {
  font-size: 1.7rem; line-height: 1.2; }
.st-key-metrics [data-testid="stColumn"]:last-child [data-testid="stMetricValue"] p {
  white-space: normal !important; overflow-wrap: anywhere; }
@media (max-width: 640px) {
  .st-key-metrics [data-testid="stColumn"]:last-child [data-testid="stMetricValue"] > div { font-size: 1.1rem; }
}
</style>
"""
"""Smaller title; on a phone the four key figures sit two by two so the map starts on the first screen; the top
site's name wraps."""


def page_style() -> None:
    """Inject the page's few layout rules (no script, no external resource)."""
    st.html(PAGE_CSS)


def first_view_hint() -> None:
    """Say what to do, once per session, until dismissed."""
    if ss.get("hint_dismissed"):
        return
    box, button = st.container(key="hint").columns([12, 1], vertical_alignment="center")
    box.info("**Start here:** pick a preset for your use in the sidebar (AI training, inference, fastest power…), "
             "then click a site on the map or a row of the ranking to open its card. The tabs compare sites, test "
             "how robust the ranking is, compare methods and scenarios, look beyond the 35 zones and show every "
             "source.")
    button.button("Got it", key="hint_close", on_click=_dismiss, args=("hint_dismissed",),
                  help="Hide this hint for the rest of the session")


def link_notices() -> None:
    """Notices about ignored link parameters, with a button to dismiss them."""
    notices = ss.get("url_notices", [])
    if not notices or ss.get("notices_dismissed"):
        return
    box, button = st.columns([12, 1], vertical_alignment="center")
    box.warning("\n".join(f"- {md_escape(n, 400)}" for n in notices), icon="⚠️")
    button.button("Dismiss", key="notices_close", on_click=_dismiss, args=("notices_dismissed",))


INDICATIVE_PREFIX = "Indicative zone – "


def short_name(name: str, commune: object = None) -> str:
    """Return a site's name as a key figure shows it: the place before the dash ("Fouju – Campus IA…" → "Fouju").

    An indicative zone's name starts with "Indicative zone": its commune says where it is instead
    ("Bourges (indicative zone)"); without a commune the whole name is kept.
    """
    if name.startswith(INDICATIVE_PREFIX):
        if isinstance(commune, str) and commune.strip():
            return f"{commune.strip()} (indicative zone)"
        return name
    return name.split(" – ")[0]


def key_figures(ranked: pd.DataFrame, total: int) -> None:
    """Sites shown, known power, area (estimates said), top site."""
    estimated = ranked["estimated_criteria"].map(lambda v: "area_ha" in v) if len(ranked) else pd.Series(dtype=bool)
    known_power = ranked["power_mw"].notna()
    c1, c2, c3, c4 = st.columns([1, 1, 1, 2])
    c1.metric("Sites shown", f"{len(ranked)} of {total}")
    c2.metric("Announced power shown", f"{ranked['power_mw'].sum():,.0f} MW",
              help=f"Sum over the {int(known_power.sum())} sites with a sourced figure; "
                   f"{int((~known_power).sum())} have no published power (not counted).")
    c3.metric("Area shown", f"{ranked['area_ha'].sum():,.0f} ha",
              help=f"Includes {int(estimated.sum())} estimated areas (34 ha programme-mean rule), "
                   f"{ranked.loc[estimated, 'area_ha'].sum():,.0f} ha in all.")
    if len(ranked):
        top = ranked.iloc[0]
        c4.metric("Top site", md_escape(short_name(top["name"], top.get("commune")), 60), f"score {top['score']:.1f}",
                  delta_color="off", delta_arrow="off", help=f"{md_escape(top['name'])} (rank 1 under this scenario)")
    else:
        c4.metric("Top site", "—")


def map_legend(view: ViewState) -> None:
    """Draw the legend right under the map."""
    scale = " ".join(
        f"<span style='background:rgb{c};padding:0 10px;margin-right:2px;border:1px solid #999'></span>{label}"
        for label, c in mapview.legend_items())
    base = ("Base (offline): regions in alternating light tones — they only tell regions apart, they mean nothing."
            if view.basemap == "none" else
            "CARTO basemap: its tiles come from the internet; if the map stays blank, the network blocks them — "
            "choose Basemap → None (offline).")
    st.html(f"<div style='font-size:0.8rem;line-height:1.5'>Score: {scale}<br>Circles: larger = more MW announced · "
            "ringed grey = indicative placeholder · pink ring = your uploaded sites · dark ring = selected · grey = "
            "filtered out · purple = other announced projects.<br>Infrastructure: red/orange dots = RTE 400/225 kV "
            "substations (violet = planned) · yellow = nuclear plants (blue = hydro, brown = fossil, grey = closed) · "
            f"teal = international cable landings.<br>{base} Zoom: double-click, pinch or shift-drag (the wheel "
            "scrolls the page).</div>")
