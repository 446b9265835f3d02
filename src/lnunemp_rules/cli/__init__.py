"""The ``lnunemp-rules`` console script: one module per command, shared options in
:mod:`.options`, reading and writing documents in :mod:`.io`.

Each command module exposes ``add_parser(subparsers) -> argparse.ArgumentParser`` (which sets
``func`` to a function taking the parsed arguments and returning the exit code). Commands are
imported only when the script runs, so importing the library stays cheap.

Exit codes (docs/cli.md): 0 success; 1 a check failed (a fixture, lint, coverage or mutation
threshold, a replay that differs); 2 usage or input error; 3 internal error.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from ..state import library_version

__all__ = ["COMMANDS", "EXIT_CHECK_FAILED", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE",
           "build_parser", "main"]  # fmt: skip

#: The commands, each defined by the module of its name in this package.
COMMANDS: tuple[str, ...] = (
    "assess", "explain", "replay", "lint", "schema", "test", "coverage", "mutate", "batch",
    "generate", "calendar", "impact",
)  # fmt: skip

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lnunemp-rules",
        description="Liaoning unemployment-registration rules (辽宁省失业登记管理服务规范).",
    )
    parser.add_argument("--version", action="version", version=f"lnunemp-rules {library_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from ..errors import InputError, LnunempError

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
    except Exception as exc:  # a bug: say so without echoing data that may be personal
        print(
            f"lnunemp-rules {args.command}: internal error ({type(exc).__name__}); "
            "please report it with the command that caused it",
            file=sys.stderr,
        )
        return EXIT_INTERNAL
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
