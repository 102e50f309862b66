"""Widget state that must outlive a hidden tab.

Tabs are lazy: only the open tab's content runs, so the widgets of the other tabs are not created
in that run, and Streamlit forgets the state of widgets it did not create. Re-saving their keys at
the start of every run keeps the user's choices (Streamlit's documented workaround). Widgets whose
state is kept take their initial value from :func:`default`, never from a ``value=`` argument, so
Streamlit sees one source of truth.

Buttons, file uploaders and selection events cannot be written through session state; the uploaded
sites are kept by :mod:`views.upload` in a plain key instead.
"""

from __future__ import annotations

import streamlit as st

KEPT = ("compare_ids", "region_metric", "region_a", "region_b", "rob_draws", "rob_seed", "rob_top",
        "upload_mode", "method_layer", "ahp_keys", "locate_top", "locate_spacing", "locate_area", "locate_avoid",
        "save_name")
KEPT_PREFIXES = ("ahp_pair_",)


def kept(key: str) -> bool:
    """Whether the widget ``key`` keeps its state while its tab is hidden."""
    return key in KEPT or key.startswith(KEPT_PREFIXES)


def keep_hidden_widget_state() -> None:
    """Re-save the state of the widgets listed in :data:`KEPT` (call once, early in every run)."""
    ss = st.session_state
    for key in [k for k in ss.keys() if kept(k)]:
        ss[key] = ss[key]


def default(key: str, value, allowed=None):
    """Give ``key`` its initial value, or reset it when its stored value is no longer allowed."""
    ss = st.session_state
    if key not in ss or (allowed is not None and ss[key] not in allowed):
        ss[key] = value
    return ss[key]
