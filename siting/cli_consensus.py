"""``python -m siting consensus``: each site's rank under every method, a consensus rank, the agreement.

Wired into :mod:`siting.cli` (``add_parser(sub)`` in ``build_parser``, ``run`` in its command table);
it shares the scenario options, scenario builder, site loading and printing of :mod:`siting.cli_common`.
:func:`main` runs the command on its own with the same exit codes (0 success, 1 invalid data,
2 bad arguments: unknown method, empty scenario…).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pandas as pd

from siting import cli_common as cli
from siting.consensus import AGREEMENT_RULE, CONSENSUS_RULE, compare_scenarios, consensus_frame
from siting.export import saved_from_json, scenario_from_json
from siting.methods import DISTINCT_METHODS, METHODS, check_methods
from siting.scenario import PRESETS
from siting.scoring import ScoringError, rank_sites

HELP = "rank the sites under several methods: consensus rank and agreement between methods"


def add_parser(subparsers) -> argparse.ArgumentParser:
    """Add the ``consensus`` sub-command (the same scenario options as ``rank``) to ``subparsers``."""
    p = subparsers.add_parser("consensus", help=HELP, description=f"{HELP}. {CONSENSUS_RULE} {AGREEMENT_RULE}")
    cli.scenario_options(p)
    p.add_argument("--methods", default=",".join(DISTINCT_METHODS), metavar="M1,M2,...",
                   help=f"comma-separated methods to compare, from: {', '.join(METHODS)} (default: "
                        f"%(default)s; spotis ranks as wsm does). --method is ignored here")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--agreement", action="store_true",
                   help="with --format csv: print the agreement matrix between methods instead of the ranks")
    return p


def consensus_for_args(args: argparse.Namespace):
    """(ranking, consensus) for parsed arguments; raises ScoringError / UsageError / DataValidationError."""
    methods = check_methods(args.methods)
    scenario = replace(cli.scenario_from_args(args), method="wsm")  # every method reads the same utilities
    ranking = rank_sites(cli.prepared_sites(args), scenario)
    if not len(ranking.table):
        raise ScoringError(f"no site passes the constraints ({len(ranking.excluded)} excluded): nothing to rank")
    return ranking, consensus_frame(ranking, methods)


def run(args: argparse.Namespace) -> int:
    """Print the consensus table (and the agreement matrix); return the exit code."""
    ranking, result = consensus_for_args(args)
    agreement = result.agreement.reset_index()
    if args.format == "csv":
        cli.print_frame(agreement if args.agreement else result.table, "csv")
    elif args.format == "json":
        payload = {
            "methods": list(result.methods),
            "rule": CONSENSUS_RULE,
            "agreement_rule": AGREEMENT_RULE,
            "ranking": json.loads(result.table.to_json(orient="records", force_ascii=False)),
            "agreement": {a: {b: float(result.agreement.loc[a, b]) for b in result.methods} for a in result.methods},
            "excluded": [{"site_id": s, "reason": r}
                         for s, r in zip(ranking.excluded["site_id"], ranking.excluded["excluded_reason"])],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        t = result.table
        shown = pd.DataFrame({"consensus": t["consensus_rank"], "site": t["name"].str.slice(0, 48),
                              **{METHODS[m].label: t[f"rank_{m}"] for m in result.methods},
                              "mean": t["mean_rank"].round(2), "range": t["rank_range"]})
        cli.print_frame(shown, "table")
        print(f"\nAgreement between methods (weighted Spearman rw, {len(t)} sites):")
        cli.print_frame(agreement.rename(columns={m: METHODS[m].label for m in result.methods}).assign(
            method=[METHODS[m].label for m in result.methods]).round(3), "table")
        print()
        print(CONSENSUS_RULE)
        print(AGREEMENT_RULE)
        if len(ranking.excluded):
            print(f"{len(ranking.excluded)} site(s) excluded by the constraints or unknown rule.")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """Build a parser with only the ``consensus`` sub-command (what :func:`main` runs)."""
    parser = cli.Parser(prog="python -m siting", description="AI data-centre siting model for France.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=cli.Parser)
    add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``consensus ...`` with :mod:`siting.cli`'s exit codes, before it is wired into that module."""
    from siting.data import DataValidationError

    try:
        return run(build_parser().parse_args(argv))
    except (cli.UsageError, ScoringError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except DataValidationError as exc:
        print(f"invalid data: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


SCENARIOS_HELP = "compare 2-3 scenarios side by side: each site's rank and shift, what changed, the agreement"


def add_scenarios_parser(subparsers) -> argparse.ArgumentParser:
    """Add ``scenarios FILE...``: scenario files (and their saved scenarios) compared side by side."""
    p = subparsers.add_parser("scenarios", help=SCENARIOS_HELP, description=f"{SCENARIOS_HELP}. {AGREEMENT_RULE}")
    p.add_argument("files", nargs="+", metavar="SCENARIO.json",
                   help="scenario files from the app or `rank`; each file's saved scenarios join the comparison")
    p.add_argument("--preset", action="append", default=[], choices=list(PRESETS), metavar="PRESET",
                   help="also compare a preset (with the first file's method, unknown rule and constraints)")
    p.add_argument("--sites", help="sites file (GeoJSON or CSV); default: the 35 zones")
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    return p


def run_scenarios(args: argparse.Namespace) -> int:
    """Print the comparison of the named scenarios; return the exit code."""
    named: dict[str, object] = {}
    for raw in args.files:
        path = Path(raw)
        try:
            text = path.read_bytes()
        except OSError as exc:
            raise cli.UsageError(f"cannot read scenario file {raw} ({exc.strerror})") from None
        named[path.stem] = scenario_from_json(text)
        for name, scenario in saved_from_json(text):
            named[name if name not in named else f"{path.stem}: {name}"] = scenario
    first = next(iter(named.values()))
    for key in args.preset:
        named[PRESETS[key].label] = replace(first, weights=dict(PRESETS[key].weights))
    comparison = compare_scenarios(cli.prepared_sites(args), named)
    if args.format == "csv":
        cli.print_frame(comparison.ranks, "csv")
    elif args.format == "json":
        payload = {"scenarios": list(named), "changes": comparison.changes(),
                   "ranks": json.loads(comparison.ranks.to_json(orient="records", force_ascii=False)),
                   "agreement": json.loads(comparison.agreement.to_json(force_ascii=False))}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        shown = comparison.ranks.drop(columns=["in_all"], errors="ignore").astype(object)
        cli.print_frame(shown.where(shown.notna(), "filtered out"), "table")
        print()
        for line in comparison.changes():
            print(f"- {line}")
        print(f"\nAgreement (weighted Spearman rw):\n{comparison.agreement.round(3).to_string()}")
    return 0
