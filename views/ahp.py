"""AHP weights: a Saaty pairwise-comparison editor whose weights can be applied to the sliders."""

from __future__ import annotations

import itertools

import numpy as np
import streamlit as st

from siting.schema import CRITERIA, CRITERIA_BY_KEY, WEIGHT_MAX
from siting.scoring import ScoringError, ahp_weights
from siting.text import md_escape
from views import state

ss = st.session_state
SCALE = [9, 7, 5, 3, 1, 1 / 3, 1 / 5, 1 / 7, 1 / 9]
INTENSITY = {1: "equal", 3: "moderately", 5: "strongly", 7: "very strongly", 9: "extremely"}
"""Saaty's words for the odd steps of his scale."""


def judgement(value: float, left: str, right: str) -> str:
    """Return a pairwise judgement in words, naming the criterion that weighs more ("5 · Power strongly more …")."""
    if value == 1:
        return "1 · equally important"
    step = round(value if value > 1 else 1 / value)  # 1/5 for the left one is 5 for the right one
    return f"{step} · {left if value > 1 else right} {INTENSITY[step]} more important"


def _apply(keys: list[str], weights: np.ndarray) -> None:
    top = float(weights.max()) if len(weights) else 1.0
    for c in CRITERIA:
        ss[f"weight_{c.key}"] = 0.0
    for key, w in zip(keys, weights):
        ss[f"weight_{key}"] = float(round(2 * WEIGHT_MAX * w / top) / 2)  # slider step 0.5


def render() -> None:
    """Draw the AHP tab."""
    st.markdown("Compare criteria two by two on Saaty's 1–9 scale: slide towards the criterion that matters "
                "more, as far as it matters more (each position says it in words). The weights are the principal "
                "eigenvector of the matrix; a consistency ratio above 0.1 means the judgements contradict each "
                "other and should be revised.")
    default = ["power_mw", "dist_grid_400_km", "years_to_power", "latency_paris_ms"]
    options = [c.key for c in CRITERIA]
    state.default("ahp_keys", default)
    keys = st.multiselect("Criteria to compare (2 to 7)", options, max_selections=7, key="ahp_keys",
                          format_func=lambda k: CRITERIA_BY_KEY[k].label)
    if len(keys) < 2:
        st.info("Pick at least two criteria.")
        return
    n = len(keys)
    matrix = np.ones((n, n))
    for i, j in itertools.combinations(range(n), 2):
        a, b = CRITERIA_BY_KEY[keys[i]].label, CRITERIA_BY_KEY[keys[j]].label
        key = f"ahp_pair_{keys[i]}_{keys[j]}"
        state.default(key, 1, SCALE)
        value = st.select_slider(f"{a} vs {b}", SCALE, key=key,
                                 format_func=lambda v, a=a, b=b: judgement(v, a, b))
        matrix[i, j], matrix[j, i] = value, 1 / value
    try:
        weights, cr = ahp_weights(matrix)
    except ScoringError as exc:
        st.error(md_escape(str(exc)))
        return
    st.dataframe({"criterion": [CRITERIA_BY_KEY[k].label for k in keys], "weight": weights.round(3),
                  "slider value": [round(2 * WEIGHT_MAX * w / weights.max()) / 2 for w in weights]},
                 hide_index=True)
    if cr > 0.1:
        st.warning(f"Consistency ratio {cr:.3f} > 0.1: the comparisons are inconsistent; revise them before "
                   "relying on these weights.")
    else:
        st.success(f"Consistency ratio {cr:.3f} (≤ 0.1: acceptable).")
    st.button("Apply these weights to the sliders (other criteria set to 0)", on_click=_apply,
              args=(list(keys), weights), key="ahp_apply")
