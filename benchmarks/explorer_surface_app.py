"""The explorer with the national screening surface layer on, for the UI benchmark (issue 14).

    .venv/bin/python benchmarks/bench_ui.py --pages explorer,surface \\
        --page surface=benchmarks/explorer_surface_app.py:weight_power_mw

Same app, same slider; only the link's layers differ (every default layer plus ``surface``).
"""

from pathlib import Path

import streamlit as st

from siting.scenario import DEFAULT_LAYERS

APP = Path(__file__).resolve().parent.parent / "app.py"
if "url_loaded" not in st.session_state and "layers" not in st.query_params:
    st.query_params.update({"layers": ",".join((*DEFAULT_LAYERS, "surface")), "v": "2"})
exec(compile(APP.read_text(encoding="utf-8"), str(APP), "exec"))  # noqa: S102 (the app's own source)
