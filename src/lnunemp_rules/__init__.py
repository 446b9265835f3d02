"""lnunemp-rules: the Liaoning unemployment-registration standard as executable rules.

Public surface (everything else is private and may change):

- decisions: :func:`assess_registration`, :func:`assess_deregistration`, the input models
  :class:`RegistrationApplication` and :class:`Registrant`, and the decision types;
- the working-day calendar and legal periods of 民法典 arts. 201-203, 1259;
- the error types.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("lnunemp-rules")
except PackageNotFoundError:  # pragma: no cover - running from a bare source tree
    __version__ = "0+unknown"

from ._assess import assess_deregistration, assess_registration
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
from ._rulebook import RuleBook, load_rule_book

__all__ = [
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
    "RuleBook",
    "RuleFileError",
    "WorkingDayCalendar",
    "__version__",
    "add_months",
    "add_working_days",
    "age_in_full_years",
    "assess_deregistration",
    "assess_registration",
    "available_engines",
    "covered_years",
    "date_age_reached",
    "is_working_day",
    "legal_period_end",
    "load_rule_book",
    "more_than_months_elapsed",
    "processing_deadline",
    "working_days_between",
]
