"""The ``lnunemp-rules`` console script: one module per command, shared options in
:mod:`.options`, reading and writing documents in :mod:`.io`, failures in :mod:`.failures`.

Each command module exposes ``add_parser(subparsers) -> argparse.ArgumentParser`` (which sets
``func`` to a function taking the parsed arguments and returning the exit code). Commands are
imported only when the script runs, so importing the library stays cheap.

Exit codes (docs/cli.md): 0 success; 1 a check failed (a fixture, lint, coverage or mutation
threshold, a replay that differs); 2 usage or input error; 3 internal error, or an output that
could not be written (a full disk). No traceback is shown unless ``--debug`` is given.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
import traceback
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from ..state import library_version
from .failures import (
    EXIT_CHECK_FAILED,
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE,
    Failure,
    UsageError,
    failure_of,
)

__all__ = ["COMMANDS", "EXIT_CHECK_FAILED", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE",
           "build_parser", "main", "version_text"]  # fmt: skip

#: The commands, each defined by the module of its name in this package.
COMMANDS: tuple[str, ...] = (
    "assess", "explain", "replay", "lint", "schema", "test", "coverage", "mutate", "batch",
    "generate", "calendar", "serve", "impact",
)  # fmt: skip

PROG = "lnunemp-rules"
EXAMPLES = """examples:
  lnunemp-rules assess registration examples/registration.json
  lnunemp-rules --version
  lnunemp-rules assess --help"""


class _Formatter(argparse.HelpFormatter):
    """argparse's formatter, but an ``examples:`` epilog keeps its lines as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("examples:"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises :class:`UsageError` instead of exiting, and gives every
    command ``--debug``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, **kwargs)
        self.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS,
            help="show the traceback of an internal error",
        )  # fmt: skip

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see {self.prog} --help)")


def version_text() -> str:
    """The package version, and the version, digest and folder of the rules in use."""
    from ..rulebook.book import load_rule_book

    book = load_rule_book()
    return (
        f"{PROG} {library_version()}\n"
        f"rules version {book.version}\n"
        f"rules digest {book.digest}\n"
        f"rules folder {book.directory}"
    )


class _VersionAction(argparse.Action):
    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)

    def __call__(self, parser: argparse.ArgumentParser, *_: Any) -> None:
        from .io import write_output

        write_output(version_text(), None)
        parser.exit(EXIT_OK)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description="Liaoning unemployment-registration rules (辽宁省失业登记管理服务规范). "
        "The rules folder in use is the packaged one, LNUNEMP_RULES_DIR if set, or --rules "
        "DIR on any command that decides or checks.",
        epilog=EXAMPLES,
    )
    parser.add_argument(
        "-V", "--version", action=_VersionAction,
        help="print the package version and the rules version, digest and folder, then exit",
    )  # fmt: skip
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").add_parser(sub)
    return parser


@contextlib.contextmanager
def _rules_in_use(folder: Path | None) -> Iterator[None]:
    """``--rules DIR`` for the length of one command: the same as ``LNUNEMP_RULES_DIR=DIR``, so
    every decision, receipt, worker process and server worker of the command uses it."""
    if folder is None:
        yield
        return
    before = os.environ.get("LNUNEMP_RULES_DIR")
    os.environ["LNUNEMP_RULES_DIR"] = str(folder)
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("LNUNEMP_RULES_DIR", None)
        else:
            os.environ["LNUNEMP_RULES_DIR"] = before


def _silence_stdout() -> None:
    """After stdout failed, point it at /dev/null so the interpreter's last flush cannot fail
    again with a traceback (the Python docs' advice for a closed pipe)."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


def _command_name(argv: Sequence[str]) -> str:
    named = next((a for a in argv if a in COMMANDS), None)
    return f"{PROG} {named}" if named else PROG


def _tell(failure: Failure, as_json: bool) -> int:
    with contextlib.suppress(OSError):  # without stderr the exit code is all that is left
        print(failure.render(as_json), file=sys.stderr)
    return failure.exit_code


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args_list
    debug = "--debug" in args_list
    command = _command_name(args_list)
    try:
        parser = build_parser()
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except BaseException as exc:
        if debug:
            traceback.print_exc()
        return _tell(failure_of(command, exc), as_json)
    func = getattr(args, "func", None)
    if func is None:
        parser.print_help()
        return EXIT_USAGE
    try:
        with _rules_in_use(getattr(args, "rules", None)):
            code: int = func(args)
        sys.stdout.flush()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except KeyboardInterrupt:
        return _tell(Failure(command, "internal", "interrupted", 130), as_json)
    except BaseException as exc:
        failure = failure_of(command, exc)
        if failure.kind == "output":
            _silence_stdout()
        if debug and failure.kind == "internal":
            traceback.print_exc()
        return _tell(failure, as_json)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
