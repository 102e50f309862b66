"""Explanations of a ranking: per-criterion facts, "why A ranks above B", comparisons, site reports.

A :class:`SiteReport` is built once per site and scenario (:func:`site_report`) and read by the
site card, the printable dossier and ``python -m siting explain``: one lookup, one explanation,
whichever way it is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from siting.scenario import ScoringError
from siting.schema import CRITERIA, CRITERIA_BY_KEY
from siting.scoring import Ranking, format_value, site_row


def explain_site(ranking: Ranking, site_id: str, *, row: pd.Series | None = None) -> pd.DataFrame:
    """Per criterion: raw value, utility, weight and contribution to the site's score."""
    row = site_row(ranking, site_id) if row is None else row
    records = []
    for c in CRITERIA:
        raw = row[c.key]
        records.append({
            "key": c.key,
            "criterion": c.label,
            "group": c.group,
            "value": format_value(raw, c),
            "unit": c.unit,
            "utility": float(row[f"u_{c.key}"]),
            "weight": ranking.weights[c.key],
            "contribution": float(row[f"contrib_{c.key}"]),
            "unknown": c.key in row["unknown_criteria"],
            "estimated": c.key in row["estimated_criteria"],
        })
    return pd.DataFrame.from_records(records)


def why_above(ranking: Ranking, site_a: str, site_b: str, top: int = 3) -> list[str]:
    """Plain-words reasons why ``site_a`` ranks where it does relative to ``site_b``."""
    a, b = site_row(ranking, site_a), site_row(ranking, site_b)
    for row in (a, b):
        if "score" not in row or pd.isna(row.get("score")):
            raise ScoringError(f"{row['name']} is excluded from this ranking: {row.get('excluded_reason')}")
    diff = {c.key: float(a[f"contrib_{c.key}"]) - float(b[f"contrib_{c.key}"]) for c in CRITERIA}
    gap = float(a["score"]) - float(b["score"])
    verb = "ranks above" if gap > 0 else ("ties with" if gap == 0 else "ranks below")
    lines = [f"{a['name']} (#{int(a['rank'])}, {a['score']:.1f}) {verb} {b['name']} "
             f"(#{int(b['rank'])}, {b['score']:.1f}); gap {abs(gap):.1f} points."]
    if ranking.scenario.method == "topsis":
        lines.append("Method is TOPSIS: the differences below are in weighted-sum points, "
                     "which drive but do not add up to the TOPSIS gap.")
    ordered = sorted(diff.items(), key=lambda kv: abs(kv[1]), reverse=True)
    for key, delta in ordered[:top]:
        if abs(delta) < 0.05:
            break
        c = CRITERIA_BY_KEY[key]
        better, worse = (a, b) if delta > 0 else (b, a)
        lines.append(f"{c.label}: {format_value(a[key], c)} vs {format_value(b[key], c)} — "
                     f"{abs(delta):.1f} points in favour of {better['name']}.")
    if len(lines) == 1 + (ranking.scenario.method == "topsis"):
        lines.append("No criterion separates them by more than 0.05 points.")
    return lines


def compare_sites(ranking: Ranking, site_ids: list[str]) -> pd.DataFrame:
    """Long table for a side-by-side comparison: one row per (criterion, site).

    Columns: ``key``, ``criterion``, ``unit``, ``site_id``, ``site``, ``value`` (formatted, with
    unit), ``raw`` (float, NaN when unknown), ``utility``, ``points``, ``estimated``, ``unknown``,
    ``best`` (True where the site has the highest utility of those compared, ties included).
    """
    if not 2 <= len(site_ids) <= 4:
        raise ScoringError("compare 2 to 4 sites")
    if len(set(site_ids)) != len(site_ids):
        raise ScoringError("pick different sites to compare")
    rows = []
    for site_id in site_ids:
        row = site_row(ranking, site_id)
        for c in CRITERIA:
            raw = row[c.key]
            value = float(raw) if raw is not None and raw is not pd.NA and not (
                isinstance(raw, float) and np.isnan(raw)) else np.nan
            rows.append({
                "key": c.key, "criterion": c.label, "unit": c.unit, "site_id": site_id, "site": row["name"],
                "value": format_value(raw, c), "raw": value, "utility": float(row[f"u_{c.key}"]),
                "points": float(row[f"contrib_{c.key}"]), "estimated": c.key in row["estimated_criteria"],
                "unknown": c.key in row["unknown_criteria"],
            })
    frame = pd.DataFrame(rows)
    best = frame.groupby("key")["utility"].transform("max")
    spread = frame.groupby("key")["utility"].transform(lambda u: u.max() - u.min())
    frame["best"] = (frame["utility"] >= best - 1e-12) & (spread > 1e-9)
    return frame


@dataclass(frozen=True)
class Neighbour:
    """Why the site sits where it does next to one neighbour in the ranking."""

    where: str
    """``above`` (the neighbour ranks one place higher) or ``below``."""
    site_id: str
    name: str
    lines: list[str]
    """:func:`why_above` of the site against this neighbour: a lead sentence, then reasons."""


@dataclass(frozen=True)
class SiteReport:
    """Everything said about one site under one scenario, computed once.

    ``row`` is the site's row of the ranking (all raw values, proximity columns, utilities and
    points); ``facts`` is :func:`explain_site`; ``neighbours`` explains its place against the
    sites just above and below (empty when it is filtered out).
    """

    site_id: str
    row: pd.Series
    facts: pd.DataFrame
    ranked: bool
    rank: int | None
    score: float | None
    of: int
    excluded_reason: str | None
    neighbours: tuple[Neighbour, ...]
    method: str

    @property
    def name(self) -> str:
        """The site's name."""
        return str(self.row["name"])

    def headline(self) -> str:
        """One line: rank and score, or why the site is filtered out."""
        if not self.ranked:
            return f"{self.name}: excluded ({self.excluded_reason})"
        return f"{self.name}: rank {self.rank} of {self.of}, score {self.score:.1f}"


def site_report(ranking: Ranking, site_id: str) -> SiteReport:
    """Build the :class:`SiteReport` of ``site_id``; raise :class:`ScoringError` when there is none."""
    row = site_row(ranking, site_id)
    facts = explain_site(ranking, site_id, row=row)
    ids = ranking.table["site_id"].to_numpy()
    positions = np.flatnonzero(ids == site_id)
    ranked = bool(len(positions))
    neighbours = []
    if ranked:
        pos = int(positions[0])
        for other, where in ((pos - 1, "above"), (pos + 1, "below")):
            if 0 <= other < len(ids):
                other_id = str(ids[other])
                neighbours.append(Neighbour(where, other_id, str(ranking.table.iloc[other]["name"]),
                                            why_above(ranking, site_id, other_id)))
    reason = row.get("excluded_reason")
    return SiteReport(
        site_id=site_id, row=row, facts=facts, ranked=ranked,
        rank=int(row["rank"]) if ranked else None, score=float(row["score"]) if ranked else None,
        of=len(ranking.table), excluded_reason=None if ranked else str(reason), neighbours=tuple(neighbours),
        method=ranking.scenario.method,
    )
