"""lnunemp-rules: the Liaoning unemployment-registration standard as executable rules.

Public surface, the names of ``__all__`` (the subpackages are the library's own rooms, see
docs/architecture.md, and may change):

- decisions: :func:`assess_registration`, :func:`assess_deregistration`, the input models
  :class:`RegistrationApplication` and :class:`Registrant`, and the decision types;
- sweeps, receipts and their replay;
- the working-day calendar and legal periods of 民法典 arts. 201-203, 1259;
- the error types.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are imported on first use (module __getattr__)
    from .batch.run import run_batch
    from .batch.summary import BatchSummary
    from .batch.sweep import assess_partition, sweep
    from .decide.decision import DeregistrationDecision, RegistrationDecision
    from .decide.registration import assess_registration
    from .decide.review import assess_deregistration
    from .engines.select import available_engines
    from .errors import (
        CalendarCoverageError,
        EngineDisagreementError,
        EngineUnavailableError,
        InputError,
        LnunempError,
        MinimumWageNotInForceError,
        NoticeError,
        RuleFileError,
        SweepStoppedError,
        UnknownClauseError,
        UnknownMinimumWageTierError,
    )
    from .inputs.models import Registrant, RegistrationApplication
    from .law.calendar import Deadline, WorkingDayCalendar
    from .report.receipts import ReplayResult, make_receipt, replay
    from .rulebook.book import RuleBook, load_rule_book
    from .rulebook.in_force import (
        add_months,
        add_working_days,
        age_in_full_years,
        covered_years,
        date_age_reached,
        is_working_day,
        legal_period_end,
        more_than_months_elapsed,
        processing_deadline,
        working_days_between,
    )

    __version__: str

# Where each public name lives. ``import lnunemp_rules`` imports none of them (pydantic models,
# the calendar, importlib.metadata): each module is imported when one of its names is first
# used, then the name is an ordinary attribute (PEP 562).
_LAZY: dict[str, str] = {
    "BatchSummary": "batch.summary",
    "assess_partition": "batch.sweep",
    "run_batch": "batch.run",
    "sweep": "batch.sweep",
    "DeregistrationDecision": "decide.decision",
    "RegistrationDecision": "decide.decision",
    "assess_registration": "decide.registration",
    "assess_deregistration": "decide.review",
    "available_engines": "engines.select",
    "CalendarCoverageError": "errors",
    "EngineDisagreementError": "errors",
    "EngineUnavailableError": "errors",
    "InputError": "errors",
    "LnunempError": "errors",
    "MinimumWageNotInForceError": "errors",
    "NoticeError": "errors",
    "RuleFileError": "errors",
    "SweepStoppedError": "errors",
    "UnknownClauseError": "errors",
    "UnknownMinimumWageTierError": "errors",
    "Registrant": "inputs.models",
    "RegistrationApplication": "inputs.models",
    "Deadline": "law.calendar",
    "WorkingDayCalendar": "law.calendar",
    "ReplayResult": "report.receipts",
    "make_receipt": "report.receipts",
    "replay": "report.receipts",
    "RuleBook": "rulebook.book",
    "load_rule_book": "rulebook.book",
    "add_months": "rulebook.in_force",
    "add_working_days": "rulebook.in_force",
    "age_in_full_years": "rulebook.in_force",
    "covered_years": "rulebook.in_force",
    "date_age_reached": "rulebook.in_force",
    "is_working_day": "rulebook.in_force",
    "legal_period_end": "rulebook.in_force",
    "more_than_months_elapsed": "rulebook.in_force",
    "processing_deadline": "rulebook.in_force",
    "working_days_between": "rulebook.in_force",
}


def __getattr__(name: str) -> Any:
    if name == "__version__":
        from .state import library_version

        value: Any = library_version()
    elif name in _LAZY:
        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__all__ = [
    "BatchSummary",
    "CalendarCoverageError",
    "Deadline",
    "DeregistrationDecision",
    "EngineDisagreementError",
    "EngineUnavailableError",
    "InputError",
    "LnunempError",
    "MinimumWageNotInForceError",
    "NoticeError",
    "Registrant",
    "RegistrationApplication",
    "RegistrationDecision",
    "ReplayResult",
    "RuleBook",
    "RuleFileError",
    "SweepStoppedError",
    "UnknownClauseError",
    "UnknownMinimumWageTierError",
    "WorkingDayCalendar",
    "__version__",
    "add_months",
    "add_working_days",
    "age_in_full_years",
    "assess_deregistration",
    "assess_partition",
    "assess_registration",
    "available_engines",
    "covered_years",
    "date_age_reached",
    "is_working_day",
    "legal_period_end",
    "load_rule_book",
    "make_receipt",
    "more_than_months_elapsed",
    "processing_deadline",
    "replay",
    "run_batch",
    "sweep",
    "working_days_between",
]
