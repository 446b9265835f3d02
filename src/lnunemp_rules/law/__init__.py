"""Counting as the law counts: working days, legal periods, ages, retirement, minimum wages.

Functions over tables that are passed in (a rule book's calendar, conventions and parameter
tables); nothing here reads a file.
"""

from __future__ import annotations

from .calendar import DayStep, Deadline, WorkingDayCalendar, YearSchedule
from .minimum_wage import MinimumWage, MinimumWageParameters, MinimumWageTable, minimum_wage_on
from .periods import (
    PeriodConventions,
    PeriodEnd,
    add_months,
    age_in_full_years,
    date_age_reached,
    legal_period_end,
    more_than_months_elapsed,
)
from .retirement import RetirementAge, RetirementParameters, statutory_retirement

__all__ = [
    "DayStep",
    "Deadline",
    "MinimumWage",
    "MinimumWageParameters",
    "MinimumWageTable",
    "PeriodConventions",
    "PeriodEnd",
    "RetirementAge",
    "RetirementParameters",
    "WorkingDayCalendar",
    "YearSchedule",
    "add_months",
    "age_in_full_years",
    "date_age_reached",
    "legal_period_end",
    "minimum_wage_on",
    "more_than_months_elapsed",
    "statutory_retirement",
]
