"""One-page printable site dossier: a self-contained HTML page for one site under one scenario.

The page loads nothing at all (no scripts, web fonts, images or style sheets from anywhere):
its CSS is inline, with an ``@media print`` block laid out for A4, and a Content Security
Policy forbids any resource should a browser be tempted. Every string that comes from the
data is treated as hostile: it is escaped with :func:`siting.text.html_escape` before it is
written, only the ``http``/``https`` URLs :func:`siting.text.is_http_url` accepts become links,
and no data string ever reaches a tag name, an attribute name, a style or a script (the page
has no script).

This module imports only the standard library, numpy/pandas and ``siting.schema``,
``siting.scoring``, ``siting.robustness`` and ``siting.text``; it never imports Streamlit.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any

import numpy as np
import pandas as pd

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
from siting.scoring import METHODS, Ranking, ScoringError, explain_site, format_quantity, why_above
from siting.text import MAX_URL, html_escape, is_http_url

__all__ = ["build_dossier", "safe_href"]

MAX_TEXT = 4000
"""Longest data string written to the page; longer ones are cut with an ellipsis."""
_SITE_UNITS = {f.name: f.unit for f in SITE_FIELDS}

# Key facts, in the order shown: (field, label, kind)
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

ATTRIBUTION = (
    "Data: substations from an extract of the ENTSO-E transmission system map (RTE network, 225/400 kV); "
    "subsea cable landings © TeleGeography, Submarine Cable Map; site facts from the public sources "
    "listed above. A screening aid under one scenario's weights, not a siting decision."
)

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; font-src 'none'; "
    "base-uri 'none'; form-action 'none'"
)

_CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:#eef0f3;color:#1b1f24;
 font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
 font-size:10.5pt;line-height:1.35}
main{max-width:194mm;margin:6mm auto;padding:8mm 10mm;background:#fff;box-shadow:0 1px 4px rgba(0,0,0,.15)}
h1{font-size:16pt;margin:0 0 1mm;line-height:1.2}
h2{font-size:10.5pt;margin:3.5mm 0 1.2mm;padding-bottom:.6mm;border-bottom:1px solid #c9ced6;
 text-transform:uppercase;letter-spacing:.04em;color:#33404f}
h3{font-size:9.5pt;margin:2mm 0 .8mm}
p{margin:.8mm 0}
ul,ol{margin:.8mm 0;padding-left:5mm}
li{margin:.3mm 0}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;vertical-align:top;padding:.5mm 1.5mm .5mm 0;border-bottom:1px solid #e4e7eb}
th{font-weight:600;color:#33404f}
td.num,th.num{text-align:right;white-space:nowrap}
.sub{color:#4a5563;margin:0}
.muted{color:#5d6875}
.small{font-size:8.5pt}
.note{white-space:pre-line}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:0 6mm}
.banner{margin:2mm 0;padding:1.8mm 2.5mm;border:1.5px solid #b45309;background:#fff4e0;color:#5c2c00}
.badge{display:inline-block;padding:0 1.5mm;border-radius:1mm;border:1px solid #7b8794;font-size:8.5pt;
 text-transform:uppercase;letter-spacing:.03em}
.badge.official{border-color:#166534;color:#166534}
.badge.reported{border-color:#1d4ed8;color:#1d4ed8}
.badge.project{border-color:#6d28d9;color:#6d28d9}
.badge.indicative{border-color:#b45309;color:#b45309}
.tag{display:inline-block;margin-left:1mm;padding:0 1mm;border-radius:.8mm;font-size:7.5pt;
 font-weight:600;text-transform:uppercase;letter-spacing:.03em}
.tag.est{background:#fde68a;color:#713f12}
.tag.unk{background:#e5e7eb;color:#374151}
.est-note{color:#713f12;font-size:8.5pt}
.top{display:flex;gap:5mm;align-items:flex-start;justify-content:space-between}
.ident{flex:1 1 auto;min-width:0}
.scorecard{flex:0 0 44mm;text-align:right;border-left:3px solid #2f5d8a;padding-left:3mm}
.score{font-size:20pt;font-weight:700;line-height:1.1}
.rank{font-size:12pt;font-weight:600}
.excluded{font-weight:600;color:#7f1d1d}
.crit td{font-size:9pt;padding-top:.3mm;padding-bottom:.3mm}
.crit tr.zero td{color:#8a94a1}
.crit tfoot td{font-weight:600;border-bottom:none}
.bar{position:relative;height:2.6mm;width:30mm;background:transparent}
.track{height:100%;background:#e4e7eb}
.fill{height:100%;background:#2f5d8a}
.kv th{width:1%;white-space:nowrap;padding-right:3mm}
.crit td:first-child,.crit td:nth-child(2){white-space:nowrap}
.weights{font-size:8.5pt}
.sens{columns:3;column-gap:6mm;list-style:none;padding:0;font-size:8.5pt}
.sens li{break-inside:avoid}
.sources{font-size:8.5pt;padding-left:5mm}
.sources a{color:#1d4ed8;word-break:break-all}
.bad-url{word-break:break-all}
footer{margin-top:3mm;padding-top:1.5mm;border-top:1px solid #c9ced6;font-size:8pt;color:#4a5563}
@page{size:A4;margin:8mm 9mm}
@media print{
 body{background:#fff;font-size:7.5pt;line-height:1.16}
 main{max-width:none;margin:0;padding:0;box-shadow:none}
 h1{font-size:13pt}
 h2{font-size:8pt;margin:1.5mm 0 .6mm;padding-bottom:.2mm}
 h3{font-size:8pt;margin:1mm 0 .4mm}
 p{margin:.5mm 0}
 ul,ol{margin:.5mm 0}
 li{margin:0}
 .tag{line-height:1.1;padding:0 .8mm}
 .bar{height:2.2mm}
 .score{font-size:15pt}
 .rank{font-size:11pt}
 th,td{padding-top:.15mm;padding-bottom:.15mm}
 .crit td{font-size:7.4pt;padding-top:0;padding-bottom:0}
 .small,.sources,.weights,.sens,.est-note{font-size:6.8pt}
 footer{font-size:6.6pt}
 section,table,tr,.banner{break-inside:avoid}
 h2,h3{break-after:avoid}
 a{color:inherit;text-decoration:none}
 .banner,.tag,.track,.fill,.badge{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""


# ---------------------------------------------------------------------------------------
# Escaping and formatting
# ---------------------------------------------------------------------------------------


def _missing(value: Any) -> bool:
    """Tell whether ``value`` is a null of any flavour (None, NaN, pd.NA, NaT)."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, (float, np.floating)):
        return math.isnan(value)
    return False


def _esc(value: Any, limit: int = MAX_TEXT) -> str:
    """Escape any value as HTML text (attribute-safe), unsafe characters blanked (:mod:`siting.text`)."""
    return "" if _missing(value) else html_escape(value, limit)


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


def _unknown() -> str:
    return '<span class="muted">unknown</span>'


def _fact_value(row: pd.Series, field: str, kind: str) -> str:
    """Return escaped HTML for a key fact ('unknown' for nulls and blanks)."""
    value = row.get(field)
    if _missing(value):
        return _unknown()
    if kind == "bool":
        try:
            return "yes" if bool(value) else "no"
        except (TypeError, ValueError):
            return _unknown()
    if kind == "year":
        text = _number(value, 0)
        return _esc(text.replace(",", "")) if text is not None else _esc(value, 50)
    if kind == "number":
        text = _quantity(value, _SITE_UNITS.get(field, ""))
        return _esc(text) if text is not None else _esc(value, 50)
    text = _esc(value)
    return text if text.strip() else _unknown()


def _estimate_rules(field: str) -> list:
    """Return the :data:`siting.schema.ESTIMATION_RULES` that fill ``field``."""
    return [r for r in ESTIMATION_RULES if r.field == field]


def _estimate_note(field: str) -> str:
    """Return '(estimate, rule …)' naming the estimation rule(s) for ``field``."""
    rules = _estimate_rules(field)
    named = ", ".join(f"<i>{_esc(r.key)}</i>" for r in rules) if rules else "not recorded"
    return f'<span class="est-note">(estimate, rule {named})</span>'


# ---------------------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------------------


def _find_row(ranking: Ranking, site_id: str) -> tuple[pd.Series, bool]:
    """Return the site's row and whether it is ranked (False: it is in ``ranking.excluded``)."""
    for frame, ranked in ((ranking.table, True), (ranking.excluded, False)):
        match = frame[frame["site_id"] == site_id]
        if len(match):
            return match.iloc[0], ranked
    raise ScoringError(f"no site with id {site_id!r}")


def _coordinates(row: pd.Series) -> str:
    geometry = row.get("geometry")
    try:
        lon, lat = float(geometry.x), float(geometry.y)
    except (AttributeError, TypeError, ValueError):
        return _unknown()
    if not (math.isfinite(lon) and math.isfinite(lat)):
        return _unknown()
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat):.4f}° {ns}, {abs(lon):.4f}° {ew} (WGS84)"


def _header(row: pd.Series, scorecard: str) -> str:
    evidence = row.get("evidence")
    evidence_text = _esc(evidence) or "unknown"
    meaning = EVIDENCE_MEANING.get(evidence) if isinstance(evidence, str) else None
    meaning_html = _esc(meaning) if meaning else "unrecognised evidence level"
    # the class is the schema's own token, never the data string
    badge_tokens = {level: f" {level}" for level in EVIDENCE_MEANING}
    badge_class = badge_tokens.get(evidence, "") if isinstance(evidence, str) else ""
    place = " · ".join(p for p in (_esc(row.get("commune")), _dept(row), _esc(row.get("region"))) if p)
    precision = _quantity(row.get("location_precision_km"), "km")
    parts = [
        '<header class="top">',
        '<div class="ident">',
        f"<h1>{_esc(row.get('name')) or _esc(row.get('site_id'))}</h1>",
        f'<p class="sub">{place or _unknown()}</p>',
        f'<p class="sub small">Site id <code>{_esc(row.get("site_id"))}</code> · {_coordinates(row)}'
        f" · location precision: {'within ± ' + _esc(precision) if precision else _unknown()}</p>",
        f'<p>Evidence: <span class="badge{badge_class}">{evidence_text}</span> — {meaning_html}.</p>',
        "</div>",
        scorecard,
        "</header>",
    ]
    if evidence == "indicative":
        parts.append(
            '<div class="banner" role="note"><strong>Indicative placeholder.</strong> The exact zone is not '
            "public: this point is a documented candidate location in its region, not the real site. "
            "Its distances, latencies and score are only as good as that placement"
            + (f" (± {_esc(precision)})" if precision else "")
            + ".</div>"
        )
    return "\n".join(parts)


def _dept(row: pd.Series) -> str:
    dept = _esc(row.get("department"))
    return f"dept. {dept}" if dept else ""


def _key_facts(row: pd.Series) -> str:
    estimated = {str(v) for v in _as_list(row.get("estimated_fields"))}
    rows, flags = [], []
    for field, label, kind in _FACTS:
        value = _fact_value(row, field, kind)
        if field in estimated:
            value += f' <span class="tag est">estimate</span> {_estimate_note(field)}'
        if kind == "bool":  # yes/no facts share one row
            flags.append(f"{_esc(label)}: <b>{value}</b>")
            if len(flags) == sum(k == "bool" for _, _, k in _FACTS):
                rows.append(f"<tr><th>Site status</th><td>{' · '.join(flags)}</td></tr>")
            continue
        rows.append(f"<tr><th>{_esc(label)}</th><td>{value}</td></tr>")
    return '<section>\n<h2>Key facts</h2>\n<table class="kv">\n' + "\n".join(rows) + "\n</table>\n</section>"


def _rules_text(row: pd.Series) -> str:
    """Return the text of every estimation rule behind the site's estimated fields."""
    rules = {}
    for field in _as_list(row.get("estimated_fields")):
        rules.update({r.key: r for r in _estimate_rules(str(field))})
    return " ".join(f"Rule <i>{_esc(r.key)}</i>: {_esc(r.rule)}" for r in rules.values())


def _notes(row: pd.Series) -> str:
    note = _esc(row.get("evidence_note"))
    values = _esc(row.get("value_notes"))
    parts = ["<section>", "<h2>Evidence</h2>", f'<p class="note">{note or _unknown()}</p>']
    if values.strip():
        parts.append(f'<h3>Where sources disagree</h3>\n<p class="note small">{values}</p>')
    parts.append("</section>")
    return "\n".join(parts)


def _score(ranking: Ranking, row: pd.Series, ranked: bool) -> tuple[str, str]:
    """Return the header's score card and the status notes shown under the header."""
    method = ranking.scenario.method
    method_text = _esc(METHODS.get(method, method).split(":")[0])
    if not ranked:
        reason = _esc(row.get("excluded_reason")) or "no reason recorded"
        card = ('<section class="scorecard" aria-label="Status">\n<div class="excluded">Not ranked</div>\n'
                f'<div class="small muted">{method_text}</div>\n</section>')
        notes = (f'<p class="excluded">Excluded from this scenario — {reason}.</p>\n'
                 '<p class="small muted">The criterion table shows the points the site would earn under the '
                 "scenario's weights; it takes no place in the ranking.</p>")
        return card, notes
    score = _number(row.get("score"), 1) or "unknown"
    rank = int(row.get("rank"))
    total = len(ranking.table)
    tied = int((ranking.table["rank"] == rank).sum()) > 1
    card = (
        '<section class="scorecard" aria-label="Score and rank">\n'
        f'<div class="score">{_esc(score)}<span class="small muted"> / 100</span></div>\n'
        f'<div class="rank">Rank {rank} of {total}{" (tied)" if tied else ""}</div>\n'
        f'<div class="small muted">{method_text}</div>\n</section>'
    )
    notes = []
    unknown = [c.label for c in CRITERIA if c.key in set(_as_list(row.get("unknown_criteria")))]
    if unknown:
        rule = _esc(UNKNOWN_RULES.get(ranking.scenario.unknown, ranking.scenario.unknown))
        notes.append(f"Unknown weighted values ({rule}): {_esc(', '.join(unknown))}.")
    if len(ranking.excluded):
        notes.append(f"{len(ranking.excluded)} other site(s) excluded by this scenario's constraints.")
    return card, (f'<p class="small">{" ".join(notes)}</p>' if notes else "")


def _criteria_table(ranking: Ranking, site_id: str, rules: str, ranked: bool) -> str:
    explained = explain_site(ranking, site_id)
    weights = np.array([float(w) for w in explained["weight"]], dtype="float64")
    total_weight = weights.sum()
    shares = weights / total_weight if total_weight > 0 else np.zeros_like(weights)
    max_share = shares.max() if len(shares) and shares.max() > 0 else 1.0
    rule = ranking.scenario.unknown
    body = []
    for share, rec in zip(shares, explained.to_dict(orient="records")):
        value = _esc(rec["value"])
        if rec["estimated"]:
            value += ' <span class="tag est">estimate</span>'
        if rec["unknown"]:
            value = '<span class="tag unk">unknown</span>'
        utility = float(rec["utility"])
        points = float(rec["contribution"])
        track = share / max_share
        fill = utility if math.isfinite(utility) else 0.0
        bar = (f'<div class="bar"><div class="track" style="width:{_width(track)}">'
               f'<div class="fill" style="width:{_width(fill)}"></div></div></div>')
        zero = ' class="zero"' if float(rec["weight"]) <= 0 else ""
        body.append(
            f"<tr{zero}><td>{_esc(rec['criterion'])}</td><td>{value}</td>"
            f'<td class="num">{_esc(_number(utility, 2) or "–")}</td>'
            f'<td class="num">{_esc(_number(rec["weight"], 1) or "–")}</td>'
            f'<td class="num">{_esc(_number(points, 1) or "–")}</td><td>{bar}</td></tr>'
        )
    total_points = _number(float(np.nansum(explained["contribution"].to_numpy(dtype="float64"))), 1)
    if not ranked:
        foot_label = "Weighted sum it would earn (not ranked)"
    elif ranking.scenario.method == "wsm":
        foot_label = "Weighted sum"
    else:
        foot_label = "Weighted sum (TOPSIS ranks on closeness, not on this sum)"
    legend = (
        "Utility: 0-1 after the criterion's transform. Points: 100 × weight share × utility. "
        "Bar: the grey track is the most points the criterion can give under these weights, "
        "the blue fill the points earned. <b>estimate</b>: value filled by a written estimation rule; "
        f"<b>unknown</b>: no public value, scored by the rule “{_esc(UNKNOWN_RULES.get(rule, rule))}”."
    )
    if rules:
        legend += f' <span class="est-note">{rules}</span>'
    return (
        '<section>\n<h2>Criterion contributions</h2>\n<table class="crit">\n'
        '<thead><tr><th>Criterion</th><th>Value</th><th class="num">Utility</th><th class="num">Weight</th>'
        '<th class="num">Points</th><th>Points bar</th></tr></thead>\n<tbody>\n'
        + "\n".join(body)
        + f'\n</tbody>\n<tfoot><tr><td colspan="4">{foot_label}</td>'
        f'<td class="num">{_esc(total_points or "–")}</td><td></td></tr></tfoot>\n</table>\n'
        f'<p class="small muted">{legend}</p>\n</section>'
    )


def _why(ranking: Ranking, site_id: str, ranked: bool) -> str:
    if not ranked:
        return ""
    ids = list(ranking.table["site_id"])
    pos = ids.index(site_id)
    blocks = []
    for other_pos, where in ((pos - 1, "Next one up"), (pos + 1, "Next one down")):
        if not 0 <= other_pos < len(ids):
            continue
        lines = why_above(ranking, site_id, ids[other_pos])
        items = "".join(f"<li>{_esc(line)}</li>" for line in lines[1:])
        blocks.append(
            f"<p><b>{_esc(where)}:</b> {_esc(lines[0])}</p>"
            + (f'\n<ul class="small">{items}</ul>' if items else "")
        )
    if not blocks:
        blocks.append("<p>It is the only ranked site in this scenario.</p>")
    return "<section>\n<h2>Why it ranks where it does</h2>\n" + "\n".join(blocks) + "\n</section>"


def _infrastructure(row: pd.Series) -> str:
    def dist(column: str) -> str:
        text = _number(row.get(column), 1)
        return f"{_esc(text)} km" if text is not None else _unknown()

    def name(column: str) -> str:
        return _esc(row.get(column)) or _unknown()

    kv = _number(row.get("nearest_grid_225_kv"), 0)
    cables = _number(row.get("nearest_landing_intl_cables"), 0)
    within = _number(row.get("intl_cables_150km"), 0)
    rows = [
        ("400 kV substation", f"{name('nearest_grid_400_name')} — {dist('dist_grid_400_km')}"),
        ("225 kV+ substation",
         f"{name('nearest_grid_225_name')}{f' ({_esc(kv)} kV)' if kv else ''} — {dist('dist_grid_225_km')}"),
        ("Intl. cable landing",
         f"{name('nearest_landing_name')} — {dist('dist_landing_km')}"
         + (f", {_esc(cables)} intl. cable(s)" if cables is not None else "")),
        (f"Intl. cables ≤ {CABLE_RADIUS_KM:g} km", _esc(within) if within else _unknown()),
    ]
    trips = []
    for ref in LATENCY_REFERENCES:
        text = _number(row.get(f"latency_{ref}_ms"), 1)
        trips.append(f"{_esc(ref.title())} ≈ {_esc(text)} ms" if text else f"{_esc(ref.title())} {_unknown()}")
    rows.append(("Round trip (estimate)", " · ".join(trips)))
    table = "\n".join(f"<tr><th>{_esc(label)}</th><td>{value}</td></tr>" for label, value in rows)
    note = (
        "Nearest points. Estimates, not measurements: distances are straight lines (Lambert-93), not "
        f"connection or cable routes; latency = great circle × {LATENCY_ROUTE_FACTOR:g} / "
        f"{FIBRE_KM_PER_MS:g} km/ms × 2 (round trip). Grid hosting capacity is not modelled."
    )
    return (
        '<section>\n<h2>Grid and cable infrastructure</h2>\n<table class="kv">\n' + table
        + f'\n</table>\n<p class="small muted">{_esc(note)}</p>\n</section>'
    )


def _robustness(result: RobustnessResult | None, site_id: str) -> str:
    if result is None:
        return ""
    table = result.table
    match = table[table["site_id"] == site_id] if "site_id" in table else table.iloc[0:0]
    settings = (
        f"{int(result.draws):,} draws, seed {int(result.seed)}, weight noise σ = {float(result.weight_sigma):g}"
    )
    uncertain = getattr(result, "uncertain_values", None)
    if uncertain is not None:
        settings += f", {int(uncertain)} uncertain value(s) redrawn"
    if not len(match):
        body = "<p>The site took no part in the robustness analysis (it is not ranked in this scenario).</p>"
    else:
        r = match.iloc[0]
        cells = [
            ("Median rank", _number(r.get("median_rank"), 1)),
            ("Rank range (5th-95th percentile)",
             f"{_number(r.get('rank_p05'), 0)}–{_number(r.get('rank_p95'), 0)}"),
            ("P(top 3)", _pct(r.get("p_top3"))),
            ("P(top 5)", _pct(r.get("p_top5"))),
        ]
        body = '<table class="kv">\n' + "\n".join(
            f'<tr><th>{_esc(label)}</th><td class="num">{_esc(value or "unknown")}</td></tr>' for label, value in cells
        ) + "\n</table>"
    return (
        "<section>\n<h2>Robustness (Monte Carlo)</h2>\n" + body
        + f'\n<p class="small muted">{_esc(settings)}. Weights are perturbed log-normally and unknown or '
        "estimated values are redrawn within their documented ranges.</p>\n</section>"
    )


def _sensitivity(ranking: Ranking, sensitivity: pd.DataFrame | None, site_id: str, ranked: bool) -> str:
    if sensitivity is None or not ranked or not len(sensitivity) or not len(ranking.table):
        return ""
    if ranking.table["site_id"].iloc[0] != site_id:
        return ""  # the table describes first place only
    items = []
    for rec in sensitivity.to_dict(orient="records"):
        lo, hi = _number(rec.get("min_weight"), 1), _number(rec.get("max_weight"), 1)
        if bool(rec.get("stays_first_everywhere")):
            span = "any weight"
        elif lo is not None and hi is not None:
            span = f"{lo}–{hi}"
        else:
            span = "not first when changed alone"
        items.append(f"<li>{_esc(rec.get('label'))} ({_esc(_number(rec.get('weight'), 1) or '–')}): "
                     f"<b>{_esc(span)}</b></li>")
    return (
        "<section>\n<h2>Weight sensitivity</h2>\n"
        '<p class="small">The site stays first while each weight, changed alone with all others fixed, '
        "stays within the range shown (current weight in brackets).</p>\n"
        f'<ul class="sens">\n{chr(10).join(items)}\n</ul>\n</section>'
    )


def _scenario(ranking: Ranking) -> str:
    scenario = ranking.scenario
    weights = ranking.weights
    total = sum(float(w) for w in weights.values()) or 1.0
    items = " · ".join(
        f"{_esc(c.label)} <b>{_esc(_number(weights.get(c.key, 0.0), 1))}</b>"
        f' <span class="muted">({_esc(_number(100.0 * float(weights.get(c.key, 0.0)) / total, 0))}%)</span>'
        for c in CRITERIA
    )
    constraints = scenario.constraints.describe()
    constraints_html = "; ".join(_esc(text) for text in constraints) if constraints else "none"
    return (
        "<section>\n<h2>Scenario</h2>\n"
        f"<p><b>Method:</b> {_esc(METHODS.get(scenario.method, scenario.method))}. "
        f"<b>Unknown values:</b> {_esc(scenario.unknown)} — "
        f"{_esc(UNKNOWN_RULES.get(scenario.unknown, ''))}. "
        f"<b>Constraints:</b> {constraints_html}.</p>\n"
        f'<p class="weights"><b>Weights</b> (share of total): {items}.</p>\n</section>'
    )


def _sources(row: pd.Series) -> str:
    items = []
    for source in _as_list(row.get("sources")):
        href = safe_href(source)
        if href is not None:
            items.append(f'<li><a href="{href}" rel="noopener noreferrer">{_esc(source, MAX_URL)}</a></li>')
        else:
            items.append(f'<li><span class="bad-url">{_esc(source, MAX_URL)}</span> '
                         '<span class="muted">(not a web address; not linked)</span></li>')
    body = f'<ol class="sources">\n{chr(10).join(items)}\n</ol>' if items else "<p>No source listed.</p>"
    return f"<section>\n<h2>Sources</h2>\n{body}\n</section>"


def _footer(generated_at: str | None) -> str:
    stamp = generated_at if generated_at is not None else datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"<footer>\n<p>Generated {_esc(stamp, 100)} by the AI data-centre siting explorer (France). "
        f"{_esc(ATTRIBUTION)}</p>\n</footer>"
    )


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
    explain_site(ranking, site_id)  # raises ScoringError for an unknown id
    row, ranked = _find_row(ranking, site_id)
    title = _esc(row.get("name")) or _esc(site_id)
    # two-column pairs keep the page short
    left = f"<div>\n{_notes(row)}\n{_robustness(robustness, site_id)}\n</div>"
    scorecard, status = _score(ranking, row, ranked)
    sections = [
        _header(row, scorecard),
        status,
        f'<div class="cols">\n{_key_facts(row)}\n{_infrastructure(row)}\n</div>',
        _criteria_table(ranking, site_id, _rules_text(row), ranked),
        _why(ranking, site_id, ranked),
        f'<div class="cols">\n{left}\n{_sources(row)}\n</div>',
        _sensitivity(ranking, sensitivity, site_id, ranked),
        _scenario(ranking),
        _footer(generated_at),
    ]
    body = "\n".join(s for s in sections if s)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>Site dossier — {title}</title>\n"
        f"<style>{_CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )
