"""Command line: ``python -m siting validate|rank|criteria|robustness|explain|import-rte``.

Exit codes are a contract: 0 success, 1 invalid data, 2 bad arguments. No traceback is
ever shown for a user error. CSV column orders are documented in the README.
"""

from __future__ import annotations

import argparse
import difflib
import json
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from siting import cli_consensus, cli_surface, export
from siting.cli_common import (
    Parser,
    UsageError,
    month,
    prepared_sites,
    print_frame,
    printable,
    scenario_from_args,
    scenario_options,
)
from siting.data import (
    MAX_PROBLEMS_SHOWN,
    DataValidationError,
    layer_summary,
    load_layer,
    load_sites_file,
    spec_for_path,
)
from siting.explain import site_report, why_above
from siting.robustness import monte_carlo
from siting.schema import (
    CRITERIA,
    CRITERIA_BY_KEY,
    LAYERS_BY_KEY,
    UPLOADED_SITES,
)
from siting.scoring import (
    Ranking,
    ScoringError,
    format_value,
    rank_sites,
)
from siting.text import clip

_VALIDATE_LAYERS = {**LAYERS_BY_KEY, UPLOADED_SITES.key: UPLOADED_SITES}


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser (errors raise UsageError instead of exiting)."""
    parser = Parser(prog="python -m siting", description="AI data-centre siting model for France.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)

    validate = sub.add_parser("validate", help="validate layer files against the schema")
    validate.add_argument("paths", nargs="+", metavar="PATH", help="GeoJSON (or sites CSV) files")
    validate.add_argument("--layer", choices=sorted(_VALIDATE_LAYERS),
                          help="validate every PATH as this layer (default: a shipped layer by its file name, "
                               "any other file as a sites upload, as the app reads it)")
    validate.add_argument("--strict", action="store_true",
                          help="exit 1 when a sites file has any row left out (default: when none is valid)")

    rank = sub.add_parser("rank", help="rank sites under a scenario")
    scenario_options(rank)
    rank.add_argument("--format", choices=["table", "csv", "json"], default="table")

    crit = sub.add_parser("criteria", help="list the criteria registry")
    crit.add_argument("--format", choices=["table", "csv"], default="table")

    robust = sub.add_parser("robustness", help="Monte Carlo rank statistics")
    scenario_options(robust)
    robust.add_argument("--draws", type=int, default=2000)
    robust.add_argument("--seed", type=int, default=0)
    robust.add_argument("--format", choices=["table", "csv", "json"], default="table")

    explain = sub.add_parser("explain", help="explain one site's score")
    explain.add_argument("site_id")
    explain.add_argument("--vs", metavar="OTHER_ID", help="say why SITE_ID ranks above/below OTHER_ID")
    scenario_options(explain)

    docs = sub.add_parser("docs", help="check or refresh the README's generated tables")
    docs.add_argument("--write", action="store_true", help="rewrite the README in place")
    docs.add_argument("--readme", type=Path, default=Path(__file__).resolve().parent.parent / "README.md")

    rte = sub.add_parser("import-rte", help="convert RTE's ODRÉ substation CSV into the grid layer")
    rte.add_argument("path", metavar="PATH", help="postes-electriques-rte CSV (semicolon-separated)")
    rte.add_argument("-o", "--output", default="layers/grid_connection_points.geojson",
                     help="GeoJSON file to write (default: %(default)s)")
    rte.add_argument("--date", default=None, metavar="YYYY-MM", type=month,
                     help="date of the export (default: a _YYYY-MM in the file name, else unknown)")
    cli_consensus.add_parser(sub)
    cli_consensus.add_scenarios_parser(sub)
    cli_surface.add_parsers(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    try:
        args = build_parser().parse_args(argv)
        return _COMMANDS[args.command](args)
    except (UsageError, ScoringError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DataValidationError as exc:
        print(f"invalid data: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. piped into `head`
        return 0


def _cmd_validate(args: argparse.Namespace) -> int:
    status = 0
    for raw in args.paths:
        path = Path(raw)
        shown = printable(str(path))
        spec = _VALIDATE_LAYERS[args.layer] if args.layer else spec_for_path(path)
        try:
            if spec is UPLOADED_SITES:
                sites_file = load_sites_file(path, as_upload=True)
            else:
                gdf = load_layer(path, spec)
        except DataValidationError as exc:
            print(f"{shown}: INVALID — {printable(str(exc))}")
            status = 1
            continue
        if spec is not UPLOADED_SITES:
            print(f"{shown}: OK — {layer_summary(gdf, spec)}")
            continue
        problems = sites_file.problems
        status_word, colon = ("PARTIAL", ":") if problems else ("OK", "")
        print(f"{shown}: {status_word} — {printable(sites_file.summary())}{colon}")
        for problem in problems[:MAX_PROBLEMS_SHOWN]:
            print(printable(str(problem)))
        if len(problems) > MAX_PROBLEMS_SHOWN:
            print(f"… and {len(problems) - MAX_PROBLEMS_SHOWN} more problems")
        if problems and args.strict:
            status = 1
    return status


def _cmd_rank(args: argparse.Namespace) -> int:
    ranking = rank_sites(prepared_sites(args), scenario_from_args(args))
    if args.format == "csv":
        sys.stdout.write(export.ranking_csv(ranking))
    elif args.format == "json":
        payload = {"scenario": export.scenario_dict(ranking.scenario), "ranking": export.ranking_records(ranking),
                   "excluded": [{"site_id": s, "reason": r} for s, r in
                                zip(ranking.excluded["site_id"], ranking.excluded["excluded_reason"])]}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        frame, estimates = _rank_table(ranking)
        print_frame(frame, "table")
        if estimates:
            print("* estimate (an estimation rule, not a source): see `python -m siting explain SITE_ID`")
        if len(ranking.excluded):
            print(f"\n{len(ranking.excluded)} site(s) excluded by the constraints or unknown rule.")
    return 0


_TABLE_VALUES = {"power_mw": "power", "area_ha": "area", "dist_grid_400_km": "400 kV", "available_year": "available"}


def _rank_table(ranking: Ranking) -> tuple[pd.DataFrame, bool]:
    """Return the ranking as printed text: values with units, ``unknown`` spelled out, estimates marked ``*``."""
    t = ranking.table
    frame = pd.DataFrame({"rank": t["rank"].astype(int), "score": t["score"].map("{:.1f}".format),
                          "site": t["name"].map(lambda n: clip(n, 50)), "region": t["region"].fillna("unknown")})
    marked = False
    for key, header in _TABLE_VALUES.items():
        if key in CRITERIA_BY_KEY:
            values = [format_value(v, CRITERIA_BY_KEY[key]) for v in t[key]]
        else:  # a site field, not a criterion
            values = ["unknown" if pd.isna(v) else str(int(v)) for v in t[key]]
        estimated = [key in est for est in t["estimated_criteria"]] if key in CRITERIA_BY_KEY else [False] * len(t)
        marked |= any(estimated)
        frame[header] = [f"{v}*" if e else v for v, e in zip(values, estimated)]
    frame["evidence"] = t["evidence"].to_numpy()
    frame["site_id"] = t["site_id"].to_numpy()
    return frame, marked


def _cmd_criteria(args: argparse.Namespace) -> int:
    frame = pd.DataFrame([{
        "key": c.key, "label": c.label, "group": c.group, "unit": c.unit, "direction": c.direction,
        "transform": c.transform, "low": c.low, "high": c.high, "default_weight": c.default_weight,
        "computed": c.computed, "description": c.description,
    } for c in CRITERIA])
    if args.format == "table":
        frame = frame.drop(columns=["description"])
    print_frame(frame, args.format)
    return 0


def _cmd_robustness(args: argparse.Namespace) -> int:
    ranking = rank_sites(prepared_sites(args), scenario_from_args(args))
    result = monte_carlo(ranking, draws=args.draws, seed=args.seed)
    frame = result.table.copy()
    for col in ("p_top3", "p_top5"):
        frame[col] = frame[col].round(4)
    if args.format == "table":
        print(f"{result.draws} draws, seed {result.seed}, weight σ {result.weight_sigma}, "
              f"{result.uncertain_values} uncertain values sampled")
        frame["name"] = frame["name"].map(lambda n: clip(n, 50))
    print_frame(frame, args.format)
    return 0


def _check_site_id(ranking: Ranking, site_id: str) -> None:
    """Refuse an unknown site id (exit 2), suggesting close ones: ``fouju`` → ``fouju-campus-ia``."""
    ids = [str(i) for frame in (ranking.table, ranking.excluded) for i in frame["site_id"]]
    if site_id in ids:
        return
    wanted = site_id.strip().lower()

    def likeness(candidate: str) -> float:  # the whole id, its start, or one of its words
        parts = [candidate, candidate[:len(wanted)], *candidate.split("-")]
        return max(difflib.SequenceMatcher(None, wanted, part).ratio() for part in parts)

    prefix = [i for i in ids if wanted and (i.startswith(wanted) or f"-{wanted}" in i)]
    close = sorted((i for i in ids if likeness(i) >= 0.75), key=likeness, reverse=True)
    suggestions = list(dict.fromkeys(prefix[:3] + close))[:3]
    hint = (f"; did you mean {' or '.join(suggestions)}?" if suggestions
            else "; `python -m siting rank` lists the ids (last column)")
    raise UsageError(f"no site with id {clip(site_id, 80)!r}{hint}")


_SINGULAR = re.compile(r"(?<![\d.,])1 (cable|year)s\b")


def _singular(text: str) -> str:
    """``1 cables`` → ``1 cable``, ``1 years`` → ``1 year`` (units are plural in the registry)."""
    return _SINGULAR.sub(r"1 \1", text)


def _cmd_explain(args: argparse.Namespace) -> int:
    ranking = rank_sites(prepared_sites(args), scenario_from_args(args))
    for site_id in (args.site_id, args.vs):
        if site_id is not None:
            _check_site_id(ranking, site_id)
    report = site_report(ranking, args.site_id)
    table = report.facts
    print(report.headline())
    values = []
    for value, unknown, estimated in zip(table["value"], table["unknown"], table["estimated"]):
        value = _singular(value)
        if unknown and value != "unknown":  # "unknown" says it once
            value += " (unknown)"
        values.append(value + (" (estimate)" if estimated else ""))
    shown = pd.DataFrame({
        "criterion": table["criterion"], "value": values,
        "utility": table["utility"].map("{:.2f}".format), "weight": table["weight"].map("{:g}".format),
        "points": table["contribution"].map("{:.1f}".format),
    })
    print_frame(shown, "table")
    if args.vs:
        print()
        for line in why_above(ranking, args.site_id, args.vs):
            print(_singular(line))
    return 0


def _cmd_docs(args: argparse.Namespace) -> int:
    from siting import docs

    try:
        text = args.readme.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot read {args.readme}: {exc.strerror}") from None
    fresh = docs.render(text)
    missing = set(docs.generated_blocks()) - docs.block_names(text)
    if args.write:
        args.readme.write_text(fresh, encoding="utf-8")
        print(f"refreshed {args.readme}")
    elif fresh != text:
        print(f"{args.readme} is stale: run `python -m siting docs --write`")
        return 1
    if missing:
        print(f"{args.readme} lacks generated blocks: {', '.join(sorted(missing))}")
        return 1
    return 0


def _cmd_import_rte(args: argparse.Namespace) -> int:
    from siting.rte_import import RteImportError, read_rte_substations, write_layer_geojson

    if not Path(args.path).is_file():
        raise UsageError(f"cannot read {args.path}")
    try:
        gdf = read_rte_substations(Path(args.path), source_date=args.date)
    except RteImportError as exc:
        print(f"{args.path}: cannot import — {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"{args.path}: cannot read the file ({exc.strerror})", file=sys.stderr)
        return 1
    write_layer_geojson(gdf, Path(args.output))
    n = gdf.attrs["import_summary"]
    print(f"wrote {len(gdf)} substations to {args.output}: {n['in_service_400_kv']} in service at 400 kV, "
          f"{n['in_service_225_kv']} at 225 kV, {n['planned']} planned (approved, not built); left out "
          f"{n['tap_points']} tap points, {n['below_225_kv']} below 225 kV, {n['not_in_service']} out of service")
    return 0


_COMMANDS = {
    "validate": _cmd_validate,
    "rank": _cmd_rank,
    "criteria": _cmd_criteria,
    "robustness": _cmd_robustness,
    "explain": _cmd_explain,
    "import-rte": _cmd_import_rte,
    "docs": _cmd_docs,
    "consensus": cli_consensus.run,
    "scenarios": cli_consensus.run_scenarios,
    **cli_surface.COMMANDS,
}
