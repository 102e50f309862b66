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
"""Key of the app's results fragment: everything that depends on the scenario (key figures, tabs, link)."""
MODIFIED = "modified"
"""Key of the sidebar fragment that says which weights differ from the preset."""
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


def rerun_results() -> None:
    """Rerun only what the scenario changes: the results and the "Modified" line (a widget callback).

    The sidebar itself is not rebuilt: its widgets already show what the user set.
    """
    st.rerun([RESULTS, MODIFIED])


def rerun_app() -> None:
    """Rerun the whole page (the tail of a callback inside the results that sets the sidebar's widgets).

    AHP and objective weights set the sliders, which live outside the results fragment.
    """
    st.rerun()


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
        st.multiselect(spec.label, list(spec.choices), key=spec.key, help=spec.help, on_change=rerun_results,
                       persist_state=KEEP,
                       format_func=lambda v: f"{v} — {spec.choice_help[v]}" if v in spec.choice_help else v)
    elif spec.kind == "year":
        low, high = spec.bounds
        st.selectbox(spec.label, [ANY, *range(int(low), int(high) + 1)], key=spec.key, help=spec.help,
                     on_change=rerun_results, persist_state=KEEP)
    else:
        low, high = spec.bounds
        st.number_input(spec.label, low, high, step=spec.step, key=spec.key, help=spec.help, format="%g",
                        on_change=rerun_results, persist_state=KEEP)


@st.fragment(key=MODIFIED)
def _preset_caption() -> None:
    """Say what the preset is for, which weights differ from it and the settings in force.

    Rerun with the results, so the settings line always shows what the closed sections hold.
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


def render() -> None:
    """Draw the scenario, constraints and map controls.

    Weight groups and settings sit in sections; a closed one builds and sends nothing but its
    header, and its widgets keep their values (``persist_state``).
    """
    preset, method, unknown = KNOBS_BY_KEY["preset"], KNOBS_BY_KEY["method"], KNOBS_BY_KEY["unknown"]
    with st.sidebar:
        st.header("Scenario")
        st.selectbox(preset.label, list(preset.options), key="preset", on_change=_apply_preset,
                     format_func=lambda k: preset.options[k], help=preset.help)
        _preset_caption()
        for group, group_label in GROUPS.items():
            box = section(group, group_label, expanded=group in OPEN_GROUPS)
            if box is None:
                continue
            with box:
                for c in (c for c in CRITERIA if c.group == group):
                    st.slider(f"{c.label} — weight", 0.0, WEIGHT_MAX, step=0.5, key=f"weight_{c.key}",
                              format="%.1f", on_change=rerun_results, persist_state=KEEP,
                              help=f"How much this criterion counts (0 = ignored, 10 = most). "
                                   f"{c.description} Utility: {c.transform_text()}.")
        if box := section("scoring", SECTIONS["scoring"]):
            with box:
                st.radio(method.label, list(method.options), key="method", format_func=lambda m: method.options[m],
                         help=method.help, on_change=rerun_results, persist_state=KEEP)
                st.radio(unknown.label, list(unknown.options), key="unknown", help=unknown.help,
                         on_change=rerun_results, persist_state=KEEP,
                         format_func=lambda r: f"{r.capitalize()}: {UNKNOWN_RULES[r]}")
        if box := section("constraints", SECTIONS["constraints"]):
            with box:
                for spec in CONSTRAINTS:
                    _constraint_widget(spec)
        if box := section("map", SECTIONS["map"]):
            with box:
                for key in ("layers", "basemap"):
                    knob = KNOBS_BY_KEY[key]
                    widget = st.multiselect if knob.multi else st.selectbox
                    widget(knob.label, list(knob.options), key=key, format_func=lambda k, o=knob.options: o[k],
                           help=knob.help, on_change=rerun_results, persist_state=KEEP)
        st.button("Reset everything", on_click=_reset, type="secondary")


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
