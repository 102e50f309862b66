"""Named scenarios: save the current scenario under a name, list and delete the saved ones.

They live in the session (``saved_scenarios``: a list of (name, Scenario)), travel in the shareable
link (``s1``…``s3``) and in the scenario file, and are compared side by side in this tab.
"""

from __future__ import annotations

import streamlit as st

from siting.consensus import utilities_of
from siting.scenario import MAX_SAVED, PRESETS, SAVED_NAME_MAX, Scenario, ScoringError
from siting.text import is_safe_text, md_escape
from siting.weights import OBJECTIVE_WEIGHTS, objective_weights, slider_weights
from views.context import Context

ss = st.session_state
KEY = "saved_scenarios"


def saved() -> list[tuple[str, Scenario]]:
    """Return the saved scenarios of this session, in the order saved."""
    return list(ss.get(KEY, []))


def _save(scenario: Scenario) -> None:
    name = str(ss.get("save_name", "")).strip()
    items = [(n, s) for n, s in saved() if n != name]
    if not name or len(name) > SAVED_NAME_MAX or not is_safe_text(name):
        ss["save_problem"] = f"Give the scenario a plain name of 1 to {SAVED_NAME_MAX} characters."
        return
    if len(items) >= MAX_SAVED:
        ss["save_problem"] = f"At most {MAX_SAVED} saved scenarios: delete one first."
        return
    ss[KEY] = [*items, (name, scenario)]
    ss["save_name"] = ""
    ss.pop("save_problem", None)


def _delete(name: str) -> None:
    ss[KEY] = [(n, s) for n, s in saved() if n != name]


def render(ctx: Context) -> None:
    """Draw the save form and the list of saved scenarios."""
    st.markdown("**Saved scenarios** — keep the current weights, method, unknown rule and constraints under a "
                "name, then compare them below. They are kept in this session, in the shareable link and in the "
                "scenario file.")
    c1, c2 = st.columns([3, 1], vertical_alignment="bottom")
    c1.text_input("Name", key="save_name", max_chars=SAVED_NAME_MAX, placeholder="e.g. 1 GW, fast power")
    c2.button("Save the current scenario", on_click=_save, args=(ctx.ranking.scenario,),
              disabled=len(saved()) >= MAX_SAVED)
    if ss.get("save_problem"):
        st.warning(ss["save_problem"])
    for name, scenario in saved():
        left, right = st.columns([5, 1], vertical_alignment="center")
        changes = ", ".join(scenario.constraints.describe()) or "no constraint"
        left.markdown(f"- **{md_escape(name, SAVED_NAME_MAX)}** — {scenario.method}, unknown: {scenario.unknown}, "
                      f"{md_escape(changes, 300)}")
        right.button("Delete", key=f"delete_saved_{name}", on_click=_delete, args=(name,))


def _objective(ctx: Context, method: str) -> None:
    """Set every weight slider from objective weights of the sites shown."""
    try:
        shares = objective_weights(utilities_of(ctx.ranking)[0], method)
        weights = slider_weights(shares)
    except ScoringError as exc:
        ss["objective_problem"] = str(exc)
        return
    for key, value in weights.items():
        ss[f"weight_{key}"] = value
    ss.pop("objective_problem", None)


def render_objective(ctx: Context) -> None:
    """Objective weights (entropy, CRITIC) as an option beside presets and AHP."""
    st.markdown("**Objective weights** — let the data set the weights instead of a preset or AHP:")
    for key, weighting in OBJECTIVE_WEIGHTS.items():
        left, right = st.columns([4, 1], vertical_alignment="center")
        left.markdown(f"- **{weighting.label}**: {md_escape(weighting.meaning, 400)}")
        right.button(f"Use {weighting.label}", key=f"objective_{key}", on_click=_objective, args=(ctx, key),
                     help="Sets every weight slider (largest = 10) from the utilities of the sites shown now")
    if ss.get("objective_problem"):
        st.warning(md_escape(ss["objective_problem"], 300))


def comparable(ctx: Context) -> dict[str, Scenario]:
    """Scenarios the comparison offers: the saved ones, then every preset (with the current settings)."""
    from dataclasses import replace

    out = {name: scenario for name, scenario in saved()}
    for preset in PRESETS.values():
        if preset.label not in out:
            out[f"Preset: {preset.label}"] = replace(ctx.ranking.scenario, weights=dict(preset.weights))
    return out
