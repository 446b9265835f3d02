"""lnunemp-rules: the Liaoning unemployment-registration standard as executable rules.

Public surface (everything else is private and may change):

- decisions: :func:`assess_registration`, :func:`assess_deregistration`, the input models
  :class:`RegistrationApplication` and :class:`Registrant`, and the decision types;
- the working-day calendar and legal periods of 民法典 arts. 201-203, 1259;
- the error types.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names below are imported on first use (module __getattr__)
    from ._assess import assess_deregistration, assess_registration
    from ._batch import BatchSummary, assess_partition, run_batch, sweep
    from ._calendar import (
        Deadline,
        WorkingDayCalendar,
        add_working_days,
        covered_years,
        is_working_day,
        processing_deadline,
        working_days_between,
    )
    from ._decision import DeregistrationDecision, RegistrationDecision
    from ._engines import EngineDisagreementError, available_engines
    from ._errors import (
        CalendarCoverageError,
        EngineUnavailableError,
        InputError,
        LnunempError,
        RuleFileError,
    )
    from ._models import Registrant, RegistrationApplication
    from ._periods import (
        add_months,
        age_in_full_years,
        date_age_reached,
        legal_period_end,
        more_than_months_elapsed,
    )
    from ._receipts import ReplayResult, make_receipt, replay
    from ._rulebook import RuleBook, load_rule_book

    __version__: str

# Where each public name lives. ``import lnunemp_rules`` imports none of them (pydantic models,
# the calendar, importlib.metadata): each module is imported when one of its names is first
# used, then the name is an ordinary attribute (PEP 562).
_LAZY: dict[str, str] = {
    "assess_deregistration": "_assess",
    "assess_registration": "_assess",
    "BatchSummary": "_batch",
    "assess_partition": "_batch",
    "run_batch": "_batch",
    "sweep": "_batch",
    "ReplayResult": "_receipts",
    "make_receipt": "_receipts",
    "replay": "_receipts",
    "Deadline": "_calendar",
    "WorkingDayCalendar": "_calendar",
    "add_working_days": "_calendar",
    "covered_years": "_calendar",
    "is_working_day": "_calendar",
    "processing_deadline": "_calendar",
    "working_days_between": "_calendar",
    "DeregistrationDecision": "_decision",
    "RegistrationDecision": "_decision",
    "EngineDisagreementError": "_engines",
    "available_engines": "_engines",
    "CalendarCoverageError": "_errors",
    "EngineUnavailableError": "_errors",
    "InputError": "_errors",
    "LnunempError": "_errors",
    "RuleFileError": "_errors",
    "Registrant": "_models",
    "RegistrationApplication": "_models",
    "add_months": "_periods",
    "age_in_full_years": "_periods",
    "date_age_reached": "_periods",
    "legal_period_end": "_periods",
    "more_than_months_elapsed": "_periods",
    "RuleBook": "_rulebook",
    "load_rule_book": "_rulebook",
}


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("lnunemp-rules")
    except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
        return "0+unknown"


def __getattr__(name: str) -> Any:
    if name == "__version__":
        value: Any = _version()
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
    "Registrant",
    "RegistrationApplication",
    "RegistrationDecision",
    "ReplayResult",
    "RuleBook",
    "RuleFileError",
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
