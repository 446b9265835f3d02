"""The ``lnunemp-rules`` console script.

Each command lives in its own module ``_cli_<name>.py`` exposing
``add_parser(subparsers) -> argparse.ArgumentParser`` (which sets ``func`` to a function
taking the parsed arguments and returning the exit code). Commands are imported only when
the script runs, so importing the library stays cheap.

Exit codes (docs/cli.md): 0 success; 1 a check failed (a fixture, lint, coverage or mutation
threshold, a replay that differs); 2 usage or input error; 3 internal error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from . import __version__

__all__ = ["COMMANDS", "build_parser", "main"]

#: Command name -> module (under lnunemp_rules) that defines it.
COMMANDS: dict[str, str] = {
    "assess": "_cli_assess",
    "explain": "_cli_explain",
    "replay": "_cli_replay",
    "lint": "_cli_lint",
    "schema": "_cli_schema",
    "test": "_cli_test",
    "coverage": "_cli_coverage",
    "mutate": "_cli_mutate",
    "batch": "_cli_batch",
    "generate": "_cli_generate",
}

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lnunemp-rules",
        description="Liaoning unemployment-registration rules (辽宁省失业登记管理服务规范).",
    )
    parser.add_argument("--version", action="version", version=f"lnunemp-rules {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in COMMANDS.values():
        try:
            module = importlib.import_module(f"{__package__}.{module_name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{module_name}":
                raise
            continue  # command not built yet
        module.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from ._errors import InputError, LnunempError

    parser = build_parser()
    args = parser.parse_args(argv)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        code: int = func(args)
    except InputError as exc:
        print(f"lnunemp-rules {args.command}: input error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except LnunempError as exc:
        print(f"lnunemp-rules {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
