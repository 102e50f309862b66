"""The sidebar: every scenario knob as a widget, generated from the registries.

One name per knob: the widget's session-state key is the knob's ``key`` in
:mod:`siting.scenario` (a constraint's key, ``method``…) and ``weight_<criterion>`` for weights.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from siting.scenario import (
    CONSTRAINTS,
    CONSTRAINTS_BY_KEY,
    KNOBS_BY_KEY,
    PRESETS,
    Constraints,
    ConstraintSpec,
    preset_constraints,
)
from siting.schema import CRITERIA, GROUPS, UNKNOWN_RULES, WEIGHT_MAX
from siting.text import md_escape
from siting.urlstate import ViewState

ss = st.session_state
ANY = "any"
RESULTS = "results"
"""Key of the app's results fragment: the knobs and everything that depends on them (key figures, the open
tab's content, the link). A knob change reruns it alone, in one script run: its widgets are in it."""
OPEN_GROUPS = ("power", "deployment")
"""Weight groups open on a first visit; the others open with a click."""
SECTIONS = {"scoring": "Method and unknown values", "constraints": "Constraints", "map": "Map layers and base"}
"""The sidebar's settings below the weights, each in its own section (closed on a first visit)."""
SECTION_KEYS = tuple(f"open_{key}" for key in (*GROUPS, *SECTIONS))
"""Session-state keys of every section's open state."""
KEEP = "session"
"""Widgets in a closed section are not drawn; Streamlit keeps their values for the session (``persist_state``)."""


def section(key: str, label: str, expanded: bool = False):
    """Open an expander whose content is built and sent only while it is open; None when closed.

    A closed section draws nothing but its header: every widget on the page costs the browser
    time on each rerun, a weight change included (benchmarks/RESULTS.md, block "ui"). Opening or
    closing it reruns the page. Its open state is kept under ``open_<key>``.
    """
    box = st.expander(label, expanded=expanded, key=f"open_{key}", on_change="rerun")
    return box if box.open else None


def widget_value(spec: ConstraintSpec, value: Any) -> Any:
    """Return a constraint value as its widget holds it (0 or "any" mean no filter)."""
    if spec.kind == "in":
        return list(value)
    if spec.kind == "year":
        return ANY if value is None else int(value)
    return float(value or 0.0)


def constraint_value(spec: ConstraintSpec, widget: Any) -> Any:
    """Return the constraint value a widget holds (the inverse of :func:`widget_value`)."""
    if spec.kind == "in":
        return tuple(widget or ())
    if spec.kind == "year":
        return None if widget in (None, ANY) else int(widget)
    return float(widget) if widget else None


def load_view(view: ViewState) -> None:
    """Put a view (from the link or a scenario file) into the widgets' session state."""
    ss["preset"] = view.preset
    for c in CRITERIA:
        ss[f"weight_{c.key}"] = float(view.weights[c.key])
    for key in ("method", "unknown", "basemap"):
        ss[key] = getattr(view, key)
    ss["layers"] = list(view.layers)
    for spec in CONSTRAINTS:
        ss[spec.key] = widget_value(spec, getattr(view.constraints, spec.key))
    ss["site"] = view.site
    ss["saved_scenarios"] = list(view.saved)


def _apply_preset() -> None:
    for c in CRITERIA:
        ss[f"weight_{c.key}"] = float(PRESETS[ss["preset"]].weights[c.key])
    for key, value in preset_constraints(ss["preset"]).items():
        ss[key] = widget_value(CONSTRAINTS_BY_KEY[key], value)


def _reset() -> None:
    for key in list(ss.keys()):
        del ss[key]
    st.query_params.clear()


def _constraint_widget(spec: ConstraintSpec) -> None:
    if spec.kind == "in":
        st.multiselect(spec.label, list(spec.choices), key=spec.key, help=spec.help, persist_state=KEEP,
                       format_func=lambda v: f"{v} — {spec.choice_help[v]}" if v in spec.choice_help else v)
    elif spec.kind == "year":
        low, high = spec.bounds
        st.selectbox(spec.label, [ANY, *range(int(low), int(high) + 1)], key=spec.key, help=spec.help,
                     persist_state=KEEP)
    else:
        low, high = spec.bounds
        st.number_input(spec.label, low, high, step=spec.step, key=spec.key, help=spec.help, format="%g",
                        persist_state=KEEP)


def _preset_caption() -> None:
    """Say what the preset is for, which weights differ from it and the settings in force.

    Drawn by the results fragment, so the settings line always shows what the closed sections hold.
    """
    edited = [c.label for c in CRITERIA if ss[f"weight_{c.key}"] != PRESETS[ss["preset"]].weights[c.key]]
    method = KNOBS_BY_KEY["method"]
    constraints = _constraints().describe()
    st.caption(PRESETS[ss["preset"]].description
               + (f" **Modified:** {len(edited)} weight(s) changed ({', '.join(edited[:3])}"
                  f"{'…' if len(edited) > 3 else ''})." if edited else "")
               + f"  \n**In force:** {md_escape(method.options[ss['method']].split(':')[0])}; unknown values scored "
               f"*{ss['unknown']}*; "
               + ("constraints: " + md_escape("; ".join(constraints), 300) if constraints else "no constraint") + ".")


def render() -> dict[str, Any]:
    """Draw the sidebar's frame: the preset, the sections' headers and the reset button.

    Return the places the knobs go, by section (None for a closed section): the results fragment
    fills them (:func:`render_knobs`), so a knob change reruns that fragment alone, in one run.
    """
    preset = KNOBS_BY_KEY["preset"]
    with st.sidebar:
        st.header("Scenario")
        st.selectbox(preset.label, list(preset.options), key="preset", on_change=_apply_preset,
                     format_func=lambda k: preset.options[k], help=preset.help)
        places: dict[str, Any] = {"caption": st.container()}
        for group, group_label in GROUPS.items():
            places[group] = section(group, group_label, expanded=group in OPEN_GROUPS)
        for key, label in SECTIONS.items():
            places[key] = section(key, label)
        st.button("Reset everything", on_click=_reset, type="secondary")
    return places


def render_knobs(places: dict[str, Any]) -> None:
    """Draw every knob of an open section into its place in the sidebar (called by the results fragment).

    A closed section builds and sends nothing but its header, and its widgets keep their values
    (``persist_state``).
    """
    method, unknown = KNOBS_BY_KEY["method"], KNOBS_BY_KEY["unknown"]
    with places["caption"]:
        _preset_caption()
    for group in GROUPS:
        if (box := places[group]) is None:
            continue
        with box:
            for c in (c for c in CRITERIA if c.group == group):
                st.slider(f"{c.label} — weight", 0.0, WEIGHT_MAX, step=0.5, key=f"weight_{c.key}",
                          format="%.1f", persist_state=KEEP,
                          help=f"How much this criterion counts (0 = ignored, 10 = most). "
                               f"{c.description} Utility: {c.transform_text()}.")
    if box := places["scoring"]:
        with box:
            st.radio(method.label, list(method.options), key="method", format_func=lambda m: method.options[m],
                     help=method.help, persist_state=KEEP)
            st.radio(unknown.label, list(unknown.options), key="unknown", help=unknown.help, persist_state=KEEP,
                     format_func=lambda r: f"{r.capitalize()}: {UNKNOWN_RULES[r]}")
    if box := places["constraints"]:
        with box:
            for spec in CONSTRAINTS:
                _constraint_widget(spec)
    if box := places["map"]:
        with box:
            for key in ("layers", "basemap"):
                knob = KNOBS_BY_KEY[key]
                widget = st.multiselect if knob.multi else st.selectbox
                widget(knob.label, list(knob.options), key=key, format_func=lambda k, o=knob.options: o[k],
                       help=knob.help, persist_state=KEEP)


def _constraints() -> Constraints:
    """Return the constraints the widgets hold now (their sections open or closed)."""
    return Constraints(**{s.key: constraint_value(s, ss[s.key]) for s in CONSTRAINTS})


def current_view(tab: str) -> ViewState:
    """Return the view the widgets hold now."""
    return ViewState(
        preset=ss["preset"], weights={c.key: float(ss[f"weight_{c.key}"]) for c in CRITERIA},
        method=ss["method"], unknown=ss["unknown"],
        constraints=_constraints(),
        layers=tuple(ss["layers"]), basemap=ss["basemap"], site=ss.get("site"), tab=tab,
        saved=tuple(ss.get("saved_scenarios", [])),
    )
