"""What every command of ``python -m siting`` shares.

The parser class, the scenario options (generated from the registries), the scenario built from
them, site loading and printing.

:mod:`siting.cli` and the commands kept in their own modules (:mod:`siting.cli_consensus`,
:mod:`siting.cli_surface`) import it; it imports none of them.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from siting import export
from siting.data import MAX_PROBLEMS_SHOWN, SitesFile, data_root, load_layer, load_sites_file
from siting.proximity import Infrastructure
from siting.scenario import CONSTRAINTS, KNOBS, PRESETS, Scenario, constraints_from, default_weights, preset_constraints
from siting.schema import (
    CABLE_LANDINGS,
    CANDIDATE_SITES,
    COMMUNES,
    CRITERIA_BY_KEY,
    GRID_POINTS,
    POWER_PLANTS,
    WEIGHT_MAX,
)
from siting.scoring import prepare_sites


class UsageError(Exception):
    """Bad command-line arguments (exit code 2)."""


class Parser(argparse.ArgumentParser):
    """An argument parser whose errors raise :class:`UsageError` (exit code 2, no usage dump)."""

    def error(self, message: str) -> None:  # noqa: D102  # argparse would print usage and exit 2 itself
        raise UsageError(message)


def parse_weight(text: str) -> tuple[str, float]:
    """Read ``KEY=VALUE`` for ``--weight`` (a known criterion, 0 to the slider maximum)."""
    key, sep, value = text.partition("=")
    if not sep:
        raise argparse.ArgumentTypeError(f"expected KEY=VALUE, got {text!r}")
    if key not in CRITERIA_BY_KEY:
        raise argparse.ArgumentTypeError(f"unknown criterion {key!r}; see `python -m siting criteria`")
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"weight of {key} must be a number, got {value!r}") from None
    if not 0 <= number <= WEIGHT_MAX:  # NaN fails too
        raise argparse.ArgumentTypeError(f"weight of {key} must be a number from 0 to {WEIGHT_MAX:g}, got {value}")
    return key, number


UNSET = object()
"""Default of a constraint option not given (``--min-power-mw any`` gives None: no filter, even under a preset)."""


def _constraint_type(spec):
    def parse(text: str):
        try:
            return spec.parse(text) if spec.kind != "in" else spec.check([text])[0]
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None
    parse.__name__ = spec.key  # argparse names the option's type in its messages
    return parse


def scenario_options(p: argparse.ArgumentParser) -> None:
    """Add the scenario options, generated from the knob and constraint registries."""
    for knob in KNOBS:
        if knob.cli:
            p.add_argument(knob.cli, choices=list(knob.options), default=None if knob.key == "preset" else knob.default,
                           help=knob.help)
    p.add_argument("--weight", action="append", type=parse_weight, default=[], metavar="KEY=VALUE",
                   help=f"set one criterion's weight, 0 to {WEIGHT_MAX:g} (repeatable)")
    p.add_argument("--sites", type=Path, help="sites file (GeoJSON or CSV); default: the 35 zones")
    for spec in CONSTRAINTS:
        dest = spec.key
        if spec.kind == "in":
            p.add_argument(spec.cli, dest=dest, action="append", type=_constraint_type(spec), default=[],
                           metavar=spec.cli.lstrip("-").upper(), help=f"{spec.help} Repeatable; one of: "
                           + ", ".join(spec.choices))
        else:
            low, high = spec.bounds
            p.add_argument(spec.cli, dest=dest, type=_constraint_type(spec), default=UNSET,
                           metavar="YEAR" if spec.kind == "year" else "N", help=f"{spec.help} ({low:g}-{high:g})")


def scenario_from_args(args: argparse.Namespace) -> Scenario:
    """Build the scenario: preset (or default weights), then --weight overrides."""
    weights = dict(PRESETS[args.preset].weights) if args.preset else default_weights()
    weights.update(dict(args.weight))
    # a preset's constraints (e.g. ai-training: ≥ 1 GW) apply unless the option is given ("any" lifts it)
    values = preset_constraints(args.preset) if args.preset else {}
    for spec in CONSTRAINTS:
        given = getattr(args, spec.key, UNSET)
        if given is not UNSET and not (spec.kind == "in" and not given):
            values[spec.key] = given
    constraints = constraints_from(values)
    knobs = {k.key: getattr(args, k.key) for k in KNOBS if k.scenario}
    return Scenario(weights=weights, constraints=constraints, **knobs)


def month(text: str) -> str:
    """Read a ``YYYY-MM`` month."""
    if not re.fullmatch(r"(19|20)\d\d-(0[1-9]|1[0-2])", text):
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a month such as 2024-09")
    return text


def prepared_sites(args: argparse.Namespace):
    """Load ``--sites`` (default: the 35 zones) and the infrastructure; return the prepared sites.

    A sites file follows the app's upload rules (:func:`siting.data.load_sites_file`): rows left
    out are listed on stderr as warnings; a file with no valid row is invalid data (exit 1).
    """
    root = data_root()
    sites_path = args.sites or root / CANDIDATE_SITES.path
    if args.sites is not None and not Path(args.sites).is_file():
        raise UsageError(f"cannot read sites file {args.sites}")
    sites_file = load_sites_file(sites_path)
    warn_left_out(sites_file)
    sites = sites_file.sites
    infra = Infrastructure(*(load_layer(root / spec.path, spec) for spec in (GRID_POINTS, CABLE_LANDINGS,
                                                                              POWER_PLANTS, COMMUNES)))
    return prepare_sites(sites, infra)


def printable(text: str) -> str:
    """Text safe to print whatever the terminal encoding (undecodable bytes shown escaped)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def warn_left_out(sites_file: SitesFile) -> None:
    """Print the rows a sites file lost to stderr, one ``warning:`` line each (stdout stays clean)."""
    if not sites_file.problems:
        return
    print(f"warning: {printable(sites_file.source)}: {len(sites_file.sites)} of {sites_file.total} "
          f"{sites_file.sites.attrs.get('unit', 'feature')}s used; {sites_file.left_out}:", file=sys.stderr)
    for problem in sites_file.problems[:MAX_PROBLEMS_SHOWN]:
        print(f"warning: {printable(str(problem))}", file=sys.stderr)
    if len(sites_file.problems) > MAX_PROBLEMS_SHOWN:
        print(f"warning: … and {len(sites_file.problems) - MAX_PROBLEMS_SHOWN} more problems", file=sys.stderr)


def print_frame(frame: pd.DataFrame, fmt: str) -> None:
    """Print a table as CSV (formula-safe), JSON records or aligned text."""
    if fmt == "csv":
        out = frame.copy()
        for column in out.columns:
            if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
                out[column] = out[column].map(export.neutralise_formula)
        sys.stdout.write(out.to_csv(index=False, lineterminator="\n"))
    elif fmt == "json":
        sys.stdout.write(frame.to_json(orient="records", force_ascii=False) + "\n")
    else:
        print(text_table(frame))


_NUMBER_TEXT = re.compile(r"-?[\d,]*\.?\d+\*?|unknown")


def _cell(value) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "unknown"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (float, np.floating)):
        return np.format_float_positional(float(value), trim="-")
    return str(value)


def text_table(frame: pd.DataFrame) -> str:
    """Align a table for the terminal: text left, numbers right, missing values as ``unknown``."""
    columns = [str(c) for c in frame.columns]
    cells = [[_cell(v) for v in frame[c]] for c in frame.columns]
    numeric = [(pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c]))
               or all(_NUMBER_TEXT.fullmatch(v) for v in col) for c, col in zip(frame.columns, cells)]
    widths = [max([len(name), *map(len, col)]) for name, col in zip(columns, cells)]

    def line(values: list[str]) -> str:
        return "  ".join(v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric)).rstrip()

    return "\n".join([line(columns), *(line(list(row)) for row in zip(*cells))])
