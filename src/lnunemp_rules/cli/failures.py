"""How a command tells that it failed: every problem, in words, as text or one JSON object.

A failure is a :class:`Failure`: its exit code (docs/cli.md), a kind (``usage``, ``input``,
``rules``, ``output``, ``internal``), a one-line message and every problem, each with the
field (input errors) or the file and line (rule files). Text goes to stderr as
``lnunemp-rules COMMAND: message`` then one indented line per problem; with ``--json`` the
same is one JSON object on stderr. An internal error names only the exception's type, never
its message (it may hold personal data), and shows a traceback only with ``--debug``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import InputError, LnunempError, RuleFileError

__all__ = ["EXIT_CHECK_FAILED", "EXIT_INTERNAL", "EXIT_OK", "EXIT_USAGE", "Failure",
           "UsageError", "failure_of"]  # fmt: skip

EXIT_OK, EXIT_CHECK_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3

Kind = Literal["usage", "input", "rules", "output", "internal"]


class UsageError(Exception):
    """A command line argparse refused (raised instead of argparse's own exit)."""


@dataclass(frozen=True)
class Failure:
    """A failed command: what the user is told, and the exit code."""

    command: str
    kind: Kind
    message: str
    exit_code: int
    problems: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "command": self.command,
            "error": self.kind,
            "message": self.message,
            "exit_code": self.exit_code,
            "problems": self.problems,
        }

    def text(self) -> str:
        lines = [f"{self.command}: {self.message}"]
        if self.kind == "input" and len(self.problems) == 1:
            return lines[0]  # the message is the problem
        for problem in self.problems:
            if "field" in problem:
                lines.append(f"  {problem['field']}: {problem['message']}")
            else:
                where = problem["file"] + (f":{problem['line']}" if problem["line"] else "")
                lines.append(f"  {where}: {problem['message']}")
        return "\n".join(lines)

    def render(self, as_json: bool) -> str:
        if as_json:
            return json.dumps(self.to_dict(), ensure_ascii=False)
        return self.text()


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


def failure_of(command: str, exc: BaseException) -> Failure:
    """The failure to report for ``exc`` raised by ``command``."""
    from .io import OutputError

    if isinstance(exc, UsageError):
        return Failure(command, "usage", f"usage error: {exc}", EXIT_USAGE)
    if isinstance(exc, InputError):
        problems: list[dict[str, Any]] = [{"field": f, "message": m} for f, m in exc.problems]
        if len(problems) == 1:
            return Failure(command, "input", f"input error: {exc.field}: {exc.message}",
                           EXIT_USAGE, problems)  # fmt: skip
        message = f"input error: {_count(len(problems), 'problem')}"
        return Failure(command, "input", message, EXIT_USAGE, problems)
    if isinstance(exc, RuleFileError):
        problems = [{"file": p.file, "line": p.line, "message": p.message} for p in exc.problems]
        message = f"the rules cannot be used: {_count(len(problems), 'problem')}"
        return Failure(command, "rules", message, EXIT_USAGE, problems)
    if isinstance(exc, OutputError):
        return Failure(command, "output", str(exc), EXIT_INTERNAL)
    if isinstance(exc, LnunempError):
        return Failure(command, "input", str(exc), EXIT_USAGE)
    return Failure(
        command,
        "internal",
        f"internal error ({type(exc).__name__}); please report it with the command that "
        "caused it (--debug shows where it happened)",
        EXIT_INTERNAL,
    )
