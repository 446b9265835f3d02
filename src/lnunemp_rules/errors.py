"""Every error type the library raises on purpose; users catch these.

Every message names the field (or file and line), the offending value -- masked when it is
personal data (standard 4.3.1: 保护劳动者个人隐私) -- and what would be accepted.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "CalendarCoverageError",
    "EngineDisagreementError",
    "EngineUnavailableError",
    "InputError",
    "LnunempError",
    "MinimumWageNotInForceError",
    "NoticeError",
    "Problem",
    "RuleFileError",
    "SweepStoppedError",
    "UnknownClauseError",
    "UnknownMinimumWageTierError",
]


class LnunempError(Exception):
    """Base class of every error this library raises on purpose."""


class InputError(LnunempError, ValueError):
    """An input (application, registrant, date, option) is not acceptable.

    ``field`` is a dotted path such as ``applicant.id_number`` or ``events[2].monthly_income``.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        #: Every problem found, as (field, message); the first is the one in the message.
        self.problems: list[tuple[str, str]] = [(field, message)]
        super().__init__(f"{field}: {message}")


class CalendarCoverageError(LnunempError, LookupError):
    """A date falls in a year whose official State Council holiday schedule is not known.

    The library never guesses a working-day schedule: see docs/calendar.md for how an
    operator adds a year once the notice is published.
    """

    def __init__(self, year: int, message: str | None = None) -> None:
        self.year = year
        super().__init__(
            message
            or (
                f"year {year}: no official State Council holiday schedule is known; "
                f"add rules/calendar/{year}.yaml from the published notice (docs/calendar.md)"
            )
        )


@dataclass(frozen=True)
class Problem:
    """One problem found in a rule, parameter, calendar or fixture file."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        return f"{where}: {self.message}"


class RuleFileError(LnunempError):
    """One or more rule, parameter, calendar or fixture files are invalid."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class NoticeError(LnunempError, ValueError):
    """The text of a State Council holiday notice cannot be read for certain.

    ``problems`` lists each one as a :class:`Problem` whose ``file`` is the notice's name,
    ``line`` its line in the text and ``message`` the sentence quoted and what is wrong with
    it. Nothing is written from a notice with a problem: the converter never guesses a day.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class SweepStoppedError(LnunempError, RuntimeError):
    """A file sweep (``run_batch``) stopped before the end of its input.

    ``reason`` is ``"SIGINT"`` or ``"SIGTERM"`` (asked to stop), ``"io"`` (a file could not be
    written: disk full, file too large, read-only) or ``"internal"`` (a bug in the sweep).
    What was decided is kept under temporary names with a manifest saying where it stopped
    (``manifest``; None when the output is standard output): ``run_batch(..., resume=True)``
    continues from there, with nothing lost or written twice (docs/batch.md). ``last_line``
    is the last input line whose result is kept; ``summary`` the counts so far.
    """

    def __init__(
        self,
        reason: str,
        message: str,
        *,
        last_line: int,
        manifest: str | None,
        summary: object = None,
    ) -> None:
        self.reason = reason
        self.last_line = last_line
        self.manifest = manifest
        self.summary = summary
        super().__init__(message)


class EngineUnavailableError(LnunempError, RuntimeError):
    """The requested rule engine cannot run here (e.g. durable_rules on Python >= 3.13)."""


class EngineDisagreementError(LnunempError, RuntimeError):
    """The durable_rules engine and the shared evaluator disagree: no decision is returned."""


class UnknownClauseError(LnunempError, KeyError):
    """A clause id is not in the registry; the message lists the closest known ids."""

    def __init__(self, clause_id: str, suggestions: list[str]) -> None:
        self.clause_id = clause_id
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        self.message = f"unknown clause id {clause_id!r} (not in rules/clauses.yaml){hint}"
        super().__init__(self.message)

    def __str__(self) -> str:
        # KeyError would otherwise print the repr of the message.
        return self.message


class MinimumWageNotInForceError(LnunempError, LookupError):
    """No minimum-wage row of the parameter file is in force on the day asked for."""

    def __init__(self, day: dt.date, earliest: dt.date, file: str) -> None:
        self.day = day
        self.earliest = earliest
        super().__init__(
            f"{day.isoformat()}: no Liaoning minimum wage is on file for this day; the "
            f"parameter file covers {earliest.isoformat()} onwards ({file})"
        )


class UnknownMinimumWageTierError(InputError):
    """The tier does not exist in the row in force on the day; names the accepted tiers."""

    def __init__(self, field: str, tier: object, day: dt.date, accepted: list[int]) -> None:
        self.tier = tier
        self.day = day
        self.accepted = accepted
        super().__init__(
            field,
            f"tier {tier!r} does not exist in the minimum wage in force on {day.isoformat()}; "
            f"accepted tiers: {', '.join(map(str, accepted))}",
        )
