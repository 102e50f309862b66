"""What every view needs from one script run."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd

from siting.data import SitingInputs
from siting.mapview import StaticLayers
from siting.scoring import Ranking
from siting.urlstate import ViewState


@dataclass
class Context:
    """Inputs, the prepared site set, the ranking and the view state of the current run."""

    inputs: SitingInputs
    prepared: gpd.GeoDataFrame
    announced: gpd.GeoDataFrame
    static: StaticLayers
    ranking: Ranking
    view: ViewState
    names: dict[str, str]


def text(value, default: str = "unknown") -> str:
    """Return a display value: None/NaN become ``default``."""
    if value is None or (isinstance(value, float) and value != value):
        return default
    try:
        import pandas as pd

        if value is pd.NA:
            return default
    except ImportError:  # pragma: no cover
        pass
    return str(value)


def checked(compute, *args):
    """Run ``compute(*args)``; on a :class:`ScoringError` show its message and return None."""
    from siting.scoring import ScoringError
    from siting.text import md_escape

    try:
        return compute(*args)
    except ScoringError as exc:
        import streamlit as st

        st.error(md_escape(str(exc)))
        return None


def enough(picked, what: str) -> bool:
    """Whether at least two ``what`` are picked; says so when not."""
    if len(picked) >= 2:
        return True
    import streamlit as st

    st.info(f"Pick at least two {what}.")
    return False
