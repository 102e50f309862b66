"""Command line: ``python -m siting validate|import-rte …``.

Exit codes are a contract: 0 success, 1 invalid data, 2 bad arguments. No traceback is
ever shown for a user error.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence

from siting.data import DataValidationError, layer_summary, load_layer, spec_for_path


class UsageError(Exception):
    """Bad command-line arguments (exit code 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would print usage and exit 2 itself
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m siting", description="AI data-centre siting model for France.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    validate = sub.add_parser("validate", help="validate layer files against the schema")
    validate.add_argument("paths", nargs="+", metavar="PATH", help="GeoJSON (or sites CSV) files")

    rte = sub.add_parser("import-rte", help="convert RTE's ODRÉ substation CSV into the grid layer")
    rte.add_argument("path", metavar="PATH", help="postes-electriques-rte CSV (semicolon-separated)")
    rte.add_argument("-o", "--output", default="layers/grid_connection_points.geojson",
                     help="GeoJSON file to write (default: %(default)s)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    try:
        args = build_parser().parse_args(argv)
        return _COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _cmd_validate(args: argparse.Namespace) -> int:
    status = 0
    for raw in args.paths:
        path = Path(raw)
        spec = spec_for_path(path)
        try:
            gdf = load_layer(path, spec)
        except DataValidationError as exc:
            print(f"{path}: INVALID — {exc}")
            status = 1
            continue
        print(f"{path}: OK — {layer_summary(gdf, spec)}")
    return status


def _cmd_import_rte(args: argparse.Namespace) -> int:
    from siting.rte_import import RteImportError, read_rte_substations, write_layer_geojson

    try:
        gdf = read_rte_substations(Path(args.path))
    except RteImportError as exc:
        print(f"{args.path}: cannot import — {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        raise UsageError(f"cannot read {args.path}: {exc.strerror}") from None
    write_layer_geojson(gdf, Path(args.output))
    print(f"wrote {len(gdf)} connection points (225 kV and above) to {args.output}")
    return 0


_COMMANDS = {"validate": _cmd_validate, "import-rte": _cmd_import_rte}
