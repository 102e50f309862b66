"""Transforms you can see: each criterion's value → utility curve, with the sites placed on it.

:func:`value_curve` samples the curve over the criterion's meaningful range with
:func:`siting.scoring.utility` itself (so the drawing is the model, not a copy of it) and places every
site whose raw value is known on it; :func:`curve_spec` turns that into a Vega-Lite line + point chart
(a plain dict: ``st.vega_lite_chart`` or any Vega-Lite renderer draws it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from siting.schema import CRITERIA_BY_KEY, Criterion
from siting.scoring import ScoringError, format_value, raw_matrix, utility

CURVE_POINTS = 201
DECAY_HALF_LIVES = 4
"""A decay curve is drawn out to 4 half-distances (utility 1/16) or the farthest site, whichever is farther."""


@dataclass(frozen=True)
class Curve:
    """A criterion's curve and the sites on it.

    ``line``: columns ``x`` (raw value, in the criterion's unit) and ``u`` (utility), x increasing;
    a yes/no criterion has the two points 0 and 1. ``sites``: ``site_id``, ``name``, ``x``, ``u``,
    ``value`` (formatted with unit) for every site with a known value; ``unknown`` counts the others
    (they score by the unknown rule, which the curve does not show).
    """

    criterion: Criterion
    line: pd.DataFrame
    sites: pd.DataFrame
    unknown: int

    @property
    def log_x(self) -> bool:
        """True when the x axis is logarithmic (the ``log`` transform)."""
        return self.criterion.transform == "log"


def _criterion(key_or_criterion) -> Criterion:
    if isinstance(key_or_criterion, Criterion):
        return key_or_criterion
    if key_or_criterion not in CRITERIA_BY_KEY:
        raise ScoringError(f"unknown criterion {str(key_or_criterion)[:60]!r}; expected one of "
                           + ", ".join(CRITERIA_BY_KEY))
    return CRITERIA_BY_KEY[key_or_criterion]


def curve_range(c: Criterion, values: np.ndarray | None = None) -> tuple[float, float]:
    """Return the x range drawn: the transform's bounds with a margin, widened to cover the sites' values."""
    known = np.asarray(values, dtype="float64") if values is not None else np.zeros(0)
    known = known[np.isfinite(known)]
    if c.transform == "boolean":
        return 0.0, 1.0
    if c.transform == "decay":
        lo, hi = 0.0, DECAY_HALF_LIVES * c.high
    elif c.transform == "log":
        lo, hi = c.low / 2, c.high * 2
    elif c.transform == "threshold":
        span = abs(c.low) or 1.0
        lo, hi = min(0.0, c.low - span), c.low + span
    else:
        margin = 0.1 * (c.high - c.low)
        lo, hi = c.low - margin, c.high + margin
        if c.low >= 0:
            lo = max(lo, 0.0)  # quantities such as MW, ha, ms or years are never negative
    if c.transform == "log":
        known = known[known > 0]  # a logarithmic axis cannot show 0: such a site is listed, not drawn
    if known.size:
        lo, hi = min(lo, float(known.min())), max(hi, float(known.max()))
    return float(lo), float(hi)


def value_curve(key_or_criterion, sites: pd.DataFrame | None = None, points: int = CURVE_POINTS) -> Curve:
    """Sample the value → utility curve of a criterion (key or :class:`~siting.schema.Criterion`).

    ``sites``: a frame with ``site_id``, ``name`` and the criterion's raw column (a prepared site
    set or a :class:`~siting.scoring.Ranking`'s table); None draws the curve alone.
    """
    c = _criterion(key_or_criterion)
    if sites is not None:
        raw = raw_matrix(sites, (c,))[:, 0]
    else:
        raw = np.zeros(0)
    lo, hi = curve_range(c, raw)
    if c.transform == "boolean":
        x = np.array([0.0, 1.0])
    elif c.transform == "log":
        x = np.geomspace(lo, hi, points)
    else:
        x = np.linspace(lo, hi, points)
        if c.transform == "threshold":  # both sides of the step, exactly at the threshold
            x = np.unique(np.concatenate([x, [c.low, np.nextafter(c.low, -np.inf), np.nextafter(c.low, np.inf)]]))
        else:  # the curve's corners (clipping at low and high) are points of the line
            corners = [b for b in (c.low, c.high) if lo <= b <= hi and c.transform == "linear"]
            x = np.unique(np.concatenate([x, corners]))
    line = pd.DataFrame({"x": x, "u": utility(x, c)})
    if sites is None:
        placed = pd.DataFrame(columns=["site_id", "name", "x", "u", "value"])
        unknown = 0
    else:
        known = np.isfinite(raw)
        placed = pd.DataFrame({
            "site_id": sites["site_id"].to_numpy()[known],
            "name": sites["name"].to_numpy()[known],
            "x": raw[known],
            "u": utility(raw[known], c),
            "value": [format_value(v, c) for v in sites[c.key].to_numpy()[known]],
        })
        unknown = int((~known).sum())
    return Curve(c, line, placed, unknown)


def curve_spec(curve: Curve, highlight: str | None = None, height: int = 260) -> dict:
    """Vega-Lite spec (plain dict): the curve as a line, the sites as points (``highlight``: a site id)."""
    c = curve.criterion
    unit = f" ({c.unit})" if c.unit else ""
    x_title = f"{c.label}{unit}" if c.transform != "boolean" else f"{c.label} (0 = no, 1 = yes)"
    x_scale: dict = {"type": "log"} if curve.log_x else {"zero": False}
    x_axis: dict = {"values": [0, 1]} if c.transform == "boolean" else {}
    x = {"field": "x", "type": "quantitative", "title": x_title, "scale": x_scale}
    if x_axis:
        x["axis"] = x_axis
    y = {"field": "u", "type": "quantitative", "title": "utility", "scale": {"domain": [0, 1]}}
    line_values = [{"x": float(a), "u": float(b)} for a, b in zip(curve.line["x"], curve.line["u"])]
    site_values = [{"x": float(r.x), "u": float(r.u), "site": str(r.name), "site_id": str(r.site_id),
                    "value": str(r.value), "selected": r.site_id == highlight}
                   for r in curve.sites.itertuples(index=False) if r.x > 0 or not curve.log_x]
    line_mark = {"type": "line", "interpolate": "step-after" if c.transform == "threshold" else "linear",
                 "color": "#1f3f73"}
    if c.transform == "boolean":
        line_mark = {"type": "line", "strokeDash": [4, 4], "color": "#1f3f73"}
    layers = [{"data": {"values": line_values}, "mark": line_mark, "encoding": {"x": x, "y": y}}]
    if site_values:
        layers.append({
            "data": {"values": site_values},
            "mark": {"type": "point", "filled": True, "opacity": 0.75},
            "encoding": {
                "x": x, "y": y,
                "color": {"condition": {"test": "datum.selected", "value": "#d62728"}, "value": "#7aa6d6"},
                "size": {"condition": {"test": "datum.selected", "value": 140}, "value": 50},
                "tooltip": [{"field": "site", "type": "nominal"}, {"field": "value", "type": "nominal"},
                            {"field": "u", "type": "quantitative", "format": ".2f", "title": "utility"}],
            },
        })
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "title": {"text": c.label, "subtitle": c.transform_text()},
        "height": height,
        "layer": layers,
    }
