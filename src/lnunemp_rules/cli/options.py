"""Options shared by several commands, so each is spelled and documented once."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..engines.select import ENGINES
from ..rulebook.folder import folder_problem

__all__ = [
    "add_common_options",
    "add_engine_option",
    "add_fixture_paths",
    "add_json_option",
    "add_lang_option",
    "add_rules_option",
    "examples",
    "rules_folder",
]


def add_engine_option(
    parser: argparse.ArgumentParser,
    *,
    default: str | None = None,
    help: str = "rule engine (default: the library's default, python)",
) -> None:
    """``--engine`` with the engines the library knows (docs/engines.md)."""
    parser.add_argument("--engine", choices=ENGINES, default=default, help=help)


def add_lang_option(
    parser: argparse.ArgumentParser,
    help: str = "language of the text (default: en)",
) -> None:
    """``--lang zh|en`` (default en)."""
    parser.add_argument("--lang", choices=("zh", "en"), default="en", help=help)


def add_json_option(parser: argparse.ArgumentParser, help: str) -> None:
    """``--json``: machine-readable output instead of text."""
    parser.add_argument("--json", action="store_true", help=help)


def add_fixture_paths(parser: argparse.ArgumentParser) -> None:
    """Fixture files or folders, ``tests/fixtures`` when none is given (run from the repo)."""
    parser.add_argument(
        "paths",
        nargs="*",
        default=["tests/fixtures"],
        metavar="PATH",
        help="fixture files or folders (default: tests/fixtures)",
    )


def add_common_options(parser: argparse.ArgumentParser) -> None:
    """``--lang``, ``--engine`` and ``--technical``, shared by assess and explain."""
    add_lang_option(parser)
    add_engine_option(parser)
    parser.add_argument(
        "--technical",
        action="store_true",
        help="add the technical view: rule ids and every condition evaluated, with field names",
    )


def examples(*commands: str) -> str:
    """The ``examples:`` epilog that ends a command's ``--help`` (kept as written)."""
    return "examples:\n" + "\n".join(f"  {command}" for command in commands)


def rules_folder(text: str) -> Path:
    """``--rules DIR``: a folder that may hold rules, or a usage error saying why not."""
    folder = Path(text)
    problem = folder_problem(folder)
    if problem is not None:
        raise argparse.ArgumentTypeError(f"{text}: {problem}")
    return folder.resolve()


def add_rules_option(parser: argparse.ArgumentParser, what: str = "to decide with") -> None:
    """``--rules DIR``: the rules folder for this command (as ``LNUNEMP_RULES_DIR=DIR``)."""
    parser.add_argument(
        "--rules", type=rules_folder, metavar="DIR",
        help=f"rules folder {what} (default: LNUNEMP_RULES_DIR, else the packaged rules)",
    )  # fmt: skip
