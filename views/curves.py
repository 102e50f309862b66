"""Value → utility curves with the sites placed on them (for Data & method and the slider help)."""

from __future__ import annotations

import streamlit as st

from siting.curves import curve_spec, value_curve
from siting.schema import CRITERIA, CRITERIA_BY_KEY
from siting.text import md_escape
from views.context import Context

ss = st.session_state


def render_curve(ctx: Context, key: str) -> None:
    """Draw one criterion's curve with the ranked and filtered-out sites on it (the selected one in red)."""
    c = CRITERIA_BY_KEY[key]
    curve = value_curve(c, ctx.prepared)
    st.vega_lite_chart(curve_spec(curve, highlight=ctx.view.site), width="stretch")
    note = f"Utility: {c.transform_text()}."
    if curve.unknown:
        note += (f" {curve.unknown} site(s) with an unknown value are not on the curve: they score by the "
                 "unknown rule.")
    st.caption(md_escape(note, 400))


def render(ctx: Context) -> None:
    """Draw a criterion picker and its curve."""
    keys = [c.key for c in CRITERIA]
    if ss.get("curve_key") not in keys:
        ss["curve_key"] = ss.get("curve_key_kept", keys[0]) if ss.get("curve_key_kept") in keys else keys[0]
    key = st.selectbox("Criterion", keys, key="curve_key", format_func=lambda k: CRITERIA_BY_KEY[k].label,
                       on_change=lambda: ss.__setitem__("curve_key_kept", ss["curve_key"]))
    render_curve(ctx, key)
