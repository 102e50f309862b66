"""One-page printable site dossier: a self-contained HTML page for one site under one scenario.

The page loads nothing at all (no scripts, web fonts, images or style sheets from anywhere):
its CSS (``templates/dossier.css``) is inlined, with an ``@media print`` block laid out for A4,
and a Content Security Policy forbids any resource should a browser be tempted. The HTML is the
Jinja2 template ``templates/dossier.html.j2``, rendered with autoescaping and
``StrictUndefined``; this module only gathers plain values for it. Every string that comes from
the data is treated as hostile: every value the template prints passes through
:mod:`siting.text` (unsafe characters blanked, clipped, escaped with :func:`html.escape`), only
http(s) URLs that :func:`siting.text.is_http_url` accepts become links, and no data string ever
reaches a tag name, an attribute name, a style or a script (the page has no script).

This module imports only the standard library, numpy/pandas, jinja2/markupsafe and
``siting.schema``, ``siting.scoring``, ``siting.robustness`` and ``siting.text``; it never
imports Streamlit.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from functools import cache
from importlib.resources import files
from typing import Any

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from siting.explain import SiteReport, site_report
from siting.robustness import RobustnessResult
from siting.schema import (
    CABLE_RADIUS_KM,
    CRITERIA,
    ESTIMATION_RULES,
    EVIDENCE_MEANING,
    FIBRE_KM_PER_MS,
    LATENCY_REFERENCES,
    LATENCY_ROUTE_FACTOR,
    SITE_FIELDS,
    UNKNOWN_RULES,
)
from siting.scoring import METHODS, Ranking, format_quantity
from siting.text import MAX_URL, clean, html_escape, is_http_url

__all__ = ["build_dossier", "safe_href"]

MAX_TEXT = 4000
"""Longest data string written to the page; longer ones are cut with an ellipsis."""

_SITE_UNITS = {f.name: f.unit for f in SITE_FIELDS}

# Key facts, in the order shown: (field, label, kind); the yes/no facts share one row
_FACTS: tuple[tuple[str, str, str], ...] = (
    ("area_ha", "Land area", "number"),
    ("power_mw", "Announced power", "number"),
    ("available_year", "First power", "year"),
    ("land_price_eur_m2", "Land price", "number"),
    ("brownfield", "brownfield", "bool"),
    ("turnkey_site", "France 2030 turnkey", "bool"),
    ("edf_site", "EDF land", "bool"),
    ("fast_track", "Bercy fast-track", "bool"),
    ("developer", "Developer", "text"),
    ("status", "Status", "text"),
)


# ---------------------------------------------------------------------------------------
# The template
# ---------------------------------------------------------------------------------------


def _finalize(value: Any) -> Markup:
    """Turn whatever a ``{{ … }}`` prints into HTML: markup the template built stays, data becomes text."""
    if isinstance(value, Markup):  # a macro's output: built by the template itself
        return value
    return Markup(html_escape("" if _missing(value) else value, MAX_TEXT))  # noqa: S704 — escaped right here


@cache
def _template() -> jinja2.Template:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("siting", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template("dossier.html.j2")


@cache
def _css() -> Markup:
    """Return the page's style sheet, a package file (trusted, so not escaped)."""
    return Markup(files("siting").joinpath("templates", "dossier.css").read_text(encoding="utf-8"))  # noqa: S704


# ---------------------------------------------------------------------------------------
# Values and formatting
# ---------------------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    """Tell whether ``value`` is a null of any flavour (None, NaN, pd.NA, NaT)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    return False


def _text(value: Any, limit: int = MAX_TEXT) -> str:
    """Return a data value as display text ("" when missing), unsafe characters blanked and clipped."""
    return "" if _missing(value) else clean(value, limit)


def safe_href(url: Any) -> str | None:
    """Return the escaped ``href`` value for an http(s) URL, or None when it must not be a link.

    Parameters
    ----------
    url
        Candidate URL, straight from the data (hostile).

    Returns
    -------
    str or None
        The URL escaped for a double-quoted attribute, or None for anything
        :func:`siting.text.is_http_url` refuses (``javascript:``, ``data:``, relative paths,
        URLs with spaces, control characters or credentials, over-long strings...).
    """
    return html_escape(url) if is_http_url(url) else None


def _as_list(value: Any) -> list:
    """Return a list from a list-like cell (list, tuple, array); a lone string becomes one item."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple, np.ndarray, pd.Series)):
        return [v for v in list(value) if not _missing(v)]
    return []


def _finite(value: Any) -> float | None:
    """Return the value as a finite float, or None (missing, boolean, text or non-finite)."""
    if _missing(value) or isinstance(value, (bool, np.bool_)):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _number(value: Any, digits: int = 1) -> str | None:
    """Format a finite number with ``digits`` decimals, or None when it is not one."""
    number = _finite(value)
    return None if number is None else f"{number:,.{digits}f}"


def _quantity(value: Any, unit: str) -> str | None:
    """Format a number with its unit, as :func:`siting.scoring.format_value` writes it."""
    number = _finite(value)
    return None if number is None else format_quantity(number, unit)


def _pct(fraction: Any) -> str:
    """Format a probability in [0, 1] as a percentage with one decimal ("87.5%")."""
    text = _number(100.0 * float(fraction), 1) if not _missing(fraction) else None
    return f"{text}%" if text is not None else "unknown"


def _width(fraction: float) -> str:
    """Return a CSS width from a computed fraction, clamped to 0-100 % (never from a data string)."""
    f = float(fraction) if fraction is not None and math.isfinite(float(fraction)) else 0.0
    return f"{100.0 * min(max(f, 0.0), 1.0):.1f}%"


def _rule_keys(field: str) -> list[str]:
    """Return the keys of the :data:`siting.schema.ESTIMATION_RULES` that fill ``field``."""
    return [r.key for r in ESTIMATION_RULES if r.field == field]


# ---------------------------------------------------------------------------------------
# What each part of the page shows (plain values; the template writes the HTML)
# ---------------------------------------------------------------------------------------


def _coordinates(row: pd.Series) -> str | None:
    geometry = row.get("geometry")
    try:
        lon, lat = float(geometry.x), float(geometry.y)
    except (AttributeError, TypeError, ValueError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return None
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat):.4f}° {ns}, {abs(lon):.4f}° {ew} (WGS84)"


def _site(row: pd.Series, site_id: str) -> dict:
    evidence = row.get("evidence")
    meaning = EVIDENCE_MEANING.get(evidence) if isinstance(evidence, str) else None
    dept = _text(row.get("department"))
    place = [_text(row.get("commune")), f"dept. {dept}" if dept else "", _text(row.get("region"))]
    values = _text(row.get("value_notes"))
    return {
        "title": _text(row.get("name")) or _text(site_id),
        "site_id": _text(row.get("site_id")),
        "place": [p for p in place if p],
        "coordinates": _coordinates(row),
        "precision": _quantity(row.get("location_precision_km"), "km"),
        "evidence": _text(evidence) or "unknown",
        "meaning": _text(meaning) if meaning else "unrecognised evidence level",
        # the class is the schema's own token, never the data string
        "badge": evidence if isinstance(evidence, str) and evidence in EVIDENCE_MEANING else "",
        "indicative": evidence == "indicative",
        "evidence_note": _text(row.get("evidence_note")),
        "value_notes": values if values.strip() else None,
    }


def _score(ranking: Ranking, row: pd.Series, ranked: bool) -> dict:
    method = ranking.scenario.method
    score = {"ranked": ranked, "method": METHODS.get(method, method).split(":")[0]}
    if not ranked:
        return score | {"reason": _text(row.get("excluded_reason")) or "no reason recorded"}
    rank = int(row.get("rank"))
    unknown = [c.label for c in CRITERIA if c.key in set(_as_list(row.get("unknown_criteria")))]
    return score | {
        "score": _number(row.get("score"), 1) or "unknown",
        "rank": rank,
        "total": len(ranking.table),
        "tied": int((ranking.table["rank"] == rank).sum()) > 1,
        "unknown_labels": ", ".join(unknown),
        "unknown_rule": UNKNOWN_RULES.get(ranking.scenario.unknown, ranking.scenario.unknown),
        "excluded": len(ranking.excluded),
    }


def _fact_value(row: pd.Series, field: str, kind: str) -> str | None:
    """Return a key fact as text, or None for 'unknown' (nulls and blanks)."""
    value = row.get(field)
    if _missing(value):
        return None
    if kind == "bool":
        try:
            return "yes" if bool(value) else "no"
        except (TypeError, ValueError):
            return None
    if kind == "year":
        text = _number(value, 0)
        return text.replace(",", "") if text is not None else _text(value, 50)
    if kind == "number":
        text = _quantity(value, _SITE_UNITS.get(field, ""))
        return text if text is not None else _text(value, 50)
    text = _text(value)
    return text if text.strip() else None


def _facts(row: pd.Series) -> list[dict]:
    """Return the key-fact table rows: one per fact, and one "Site status" row for the yes/no facts."""
    estimated = {str(v) for v in _as_list(row.get("estimated_fields"))}
    rows, flags = [], []
    for field, label, kind in _FACTS:
        fact = {"label": label, "value": _fact_value(row, field, kind), "estimated": field in estimated,
                "rules": _rule_keys(field)}
        if kind != "bool":
            rows.append({"label": label, "flags": False, "facts": [fact]})
            continue
        flags.append(fact)
        if len(flags) == 1:  # the status row takes the place of the first yes/no fact
            rows.append({"label": "Site status", "flags": True, "facts": flags})
    return rows


def _infrastructure(row: pd.Series) -> dict:
    def nearest(name: str, dist: str) -> dict:
        return {"name": _text(row.get(name)), "km": _number(row.get(dist), 1)}

    return {
        "grid_400": nearest("nearest_grid_400_name", "dist_grid_400_km"),
        "grid_225": nearest("nearest_grid_225_name", "dist_grid_225_km")
        | {"kv": _number(row.get("nearest_grid_225_kv"), 0)},
        "landing": nearest("nearest_landing_name", "dist_landing_km")
        | {"cables": _number(row.get("nearest_landing_intl_cables"), 0)},
        "nuclear": nearest("nearest_nuclear_name", "dist_nuclear_km")
        | {"units": _text(row.get("nearest_nuclear_units"))},
        "people": _number(row.get("population_50km"), 0),
        "town": nearest("nearest_large_town_name", "dist_large_town_km")
        | {"population": _number(row.get("nearest_large_town_population"), 0)},
        "cable_radius_km": f"{CABLE_RADIUS_KM:g}",
        "cables_within": _number(row.get("intl_cables_150km"), 0),
        "round_trips": [(ref.title(), _number(row.get(f"latency_{ref}_ms"), 1)) for ref in LATENCY_REFERENCES],
        "route_factor": f"{LATENCY_ROUTE_FACTOR:g}",
        "fibre_km_per_ms": f"{FIBRE_KM_PER_MS:g}",
    }


def _criteria(ranking: Ranking, explained: pd.DataFrame, row: pd.Series) -> dict:
    weights = np.array([float(w) for w in explained["weight"]], dtype="float64")
    total_weight = weights.sum()
    shares = weights / total_weight if total_weight > 0 else np.zeros_like(weights)
    max_share = shares.max() if len(shares) and shares.max() > 0 else 1.0
    rows = []
    for share, rec in zip(shares, explained.to_dict(orient="records")):
        utility = float(rec["utility"])
        rows.append({
            "label": rec["criterion"], "value": rec["value"], "estimated": bool(rec["estimated"]),
            "unknown": bool(rec["unknown"]), "zero": float(rec["weight"]) <= 0,
            "utility": _number(utility, 2), "weight": _number(rec["weight"], 1),
            "points": _number(float(rec["contribution"]), 1),
            "track": _width(share / max_share), "fill": _width(utility if math.isfinite(utility) else 0.0),
        })
    rules = {}  # every estimation rule behind the site's estimated fields, once each
    for field in _as_list(row.get("estimated_fields")):
        rules.update({r.key: r for r in ESTIMATION_RULES if r.field == str(field)})
    unknown = ranking.scenario.unknown
    return {
        "rows": rows,
        "total": _number(float(np.nansum(explained["contribution"].to_numpy(dtype="float64"))), 1),
        "weighted_sum": ranking.scenario.method == "wsm",
        "unknown_rule": UNKNOWN_RULES.get(unknown, unknown),
        "rules": [{"key": r.key, "text": r.rule} for r in rules.values()],
    }


def _neighbours(report: SiteReport) -> list[dict] | None:
    """Return why the site sits below the one above it and above the one below (None when not ranked)."""
    if not report.ranked:
        return None
    return [{"where": "Next one up" if n.where == "above" else "Next one down", "lead": n.lines[0],
             "reasons": n.lines[1:]} for n in report.neighbours]


def _robustness(result: RobustnessResult | None, site_id: str) -> dict | None:
    if result is None:
        return None
    table = result.table
    match = table[table["site_id"] == site_id] if "site_id" in table else table.iloc[0:0]
    settings = (
        f"{int(result.draws):,} draws, seed {int(result.seed)}, weight noise σ = {float(result.weight_sigma):g}, "
        f"{int(result.uncertain_values)} uncertain value(s) redrawn"
    )
    cells = []
    if len(match):
        r = match.iloc[0]
        cells = [
            ("Median rank", _number(r.get("median_rank"), 1)),
            ("Rank range (5th-95th percentile)", f"{_number(r.get('rank_p05'), 0)}–{_number(r.get('rank_p95'), 0)}"),
            ("P(top 3)", _pct(r.get("p_top3"))),
            ("P(top 5)", _pct(r.get("p_top5"))),
        ]
    return {"settings": settings, "cells": cells}


def _sensitivity(ranking: Ranking, sensitivity: pd.DataFrame | None, site_id: str, ranked: bool) -> list | None:
    if sensitivity is None or not ranked or not len(sensitivity) or not len(ranking.table):
        return None
    if ranking.table["site_id"].iloc[0] != site_id:
        return None  # the table describes first place only
    return [{"label": rec.get("label"), "weight": _number(rec.get("weight"), 1),
             "everywhere": bool(rec.get("stays_first_everywhere")),
             "low": _number(rec.get("min_weight"), 1), "high": _number(rec.get("max_weight"), 1)}
            for rec in sensitivity.to_dict(orient="records")]


def _scenario(ranking: Ranking) -> dict:
    scenario = ranking.scenario
    weights = ranking.weights
    total = sum(float(w) for w in weights.values()) or 1.0
    return {
        "method": METHODS.get(scenario.method, scenario.method),
        "unknown": scenario.unknown,
        "unknown_rule": UNKNOWN_RULES.get(scenario.unknown, ""),
        "constraints": scenario.constraints.describe(),
        "weights": [{"label": c.label, "weight": _number(weights.get(c.key, 0.0), 1),
                     "share": _number(100.0 * float(weights.get(c.key, 0.0)) / total, 0)} for c in CRITERIA],
    }


def _sources(row: pd.Series) -> list[dict]:
    return [{"text": _text(source, MAX_URL), "href": source if is_http_url(source) else None}
            for source in _as_list(row.get("sources"))]


# ---------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------


def build_dossier(
    ranking: Ranking,
    site_id: str,
    *,
    robustness: RobustnessResult | None = None,
    sensitivity: pd.DataFrame | None = None,
    generated_at: str | None = None,
    report: SiteReport | None = None,
) -> str:
    """Build a one-page printable dossier for one site under the ranking's scenario.

    Parameters
    ----------
    ranking
        Result of :func:`siting.scoring.rank_sites`; the site may be ranked or excluded.
    site_id
        Id of the site, in ``ranking.table`` or ``ranking.excluded``.
    robustness
        Optional :func:`siting.robustness.monte_carlo` result: the site's rank statistics
        and the draws/seed are shown.
    sensitivity
        Optional :func:`siting.robustness.weight_sensitivity` table; shown only when the
        site is first in the ranking (it describes first place).
    generated_at
        Timestamp text for the footer; defaults to the current UTC time.
    report
        The site's :class:`siting.explain.SiteReport` under ``ranking``, when the caller has it
        (the site card does); built here otherwise.

    Returns
    -------
    str
        A complete, self-contained HTML document (UTF-8, inline CSS, no script, no external
        resource), laid out for A4 when printed.

    Raises
    ------
    ScoringError
        When no site has id ``site_id``.
    """
    if report is None or report.site_id != site_id:
        report = site_report(ranking, site_id)  # raises ScoringError for an unknown id
    explained, row, ranked = report.facts, report.row, report.ranked
    stamp = generated_at if generated_at is not None else datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return _template().render(
        css=_css(),
        site=_site(row, site_id),
        score=_score(ranking, row, ranked),
        facts=_facts(row),
        infra=_infrastructure(row),
        criteria=_criteria(ranking, explained, row),
        neighbours=_neighbours(report),
        robustness=_robustness(robustness, site_id),
        sensitivity=_sensitivity(ranking, sensitivity, site_id, ranked),
        scenario=_scenario(ranking),
        sources=_sources(row),
        generated_at=_text(stamp, 100),
    )
