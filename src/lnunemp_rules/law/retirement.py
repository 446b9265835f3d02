"""Statutory retirement age under the gradual reform in force from 2025-01-01.

Parameters and the day-of-month convention live in ``rules/parameters/retirement_age.yaml``
(read by the rule book into :class:`RetirementParameters`); this module only applies the
formula::

    n = months from S to the birth month (negative before S)
    d = 0 if n < 0 else min(n // k + 1, C)
    statutory age = B years + d months
    retirement year-month = birth year-month + (12 * B + d) months

Which group a woman belongs to (original retirement age 50 or 55) is a fact about her that
the ID number does not carry: the caller must supply it.

References:
    - 全国人民代表大会常务委员会关于实施渐进式延迟法定退休年龄的决定 (2024-09-13, in force
      2025-01-01; registry id ``npc-2024-retirement-decision``), and its annexed tables
      (附件《渐进式延迟法定退休年龄对照表》), from which B, S, k and C are read.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..errors import InputError
from .periods import shift_months

__all__ = [
    "RETIREMENT_GROUPS",
    "RetiredFromConvention",
    "RetirementAge",
    "RetirementGroup",
    "RetirementParameters",
    "statutory_retirement",
]

RetirementGroup = Literal["male", "female_55", "female_50"]
RetiredFromConvention = Literal["first_day_of_month_after_retirement_month", "anniversary"]
RETIREMENT_GROUPS: tuple[str, ...] = get_args(RetirementGroup)
_CONVENTIONS: tuple[str, ...] = get_args(RetiredFromConvention)


def _year_month(value: str) -> tuple[int, int]:
    parts = value.split("-")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(f"{value!r} is not a year-month (YYYY-MM)")
    year, month = int(parts[0]), int(parts[1])
    if not 1 <= month <= 12 or not 1900 <= year <= 2100:
        raise ValueError(f"{value!r} is not a year-month (YYYY-MM) from 1900 to 2100")
    return year, month


class _Source(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    citation_zh: str
    clause_id: str
    adopted: dt.date
    in_force_from: dt.date


class GroupParameters(BaseModel):
    """B, S, k, C of one group (the module docstring's formula).

    Strict, and bounded against typing errors (not by law): a base age of 40 to 70 years (the
    decision's are 50, 55 and 60), 1 to 12 birth months per month of delay (2 and 4), at most
    120 months of delay (36 and 60).
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    label_zh: str = Field(min_length=1)
    label_en: str = Field(min_length=1)
    base_age_years: int = Field(ge=40, le=70)
    first_affected_birth_month: str
    birth_months_per_delay_month: int = Field(ge=1, le=12)
    max_delay_months: int = Field(ge=0, le=120)
    full_age_from_birth_month: str

    @field_validator("first_affected_birth_month", "full_age_from_birth_month")
    @classmethod
    def _is_year_month(cls, value: str) -> str:
        _year_month(value)
        return value


class _RetiredFrom(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    default: RetiredFromConvention
    options: dict[RetiredFromConvention, str]
    # The marker of a named convention (docs/rules.md lists every id) and its other reading.
    convention_id: str | None = None
    alternative: str | None = None


class _Conventions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    retired_from: _RetiredFrom


class RetirementParameters(BaseModel):
    """Contents of ``rules/parameters/retirement_age.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    parameter: Literal["statutory_retirement_age"]
    source: _Source
    verification: str
    groups: dict[RetirementGroup, GroupParameters]
    conventions: _Conventions

    @model_validator(mode="after")
    def _consistent(self) -> RetirementParameters:
        for name in RETIREMENT_GROUPS:
            if name not in self.groups:
                raise ValueError(f"groups: missing group {name}")
        for name, group in self.groups.items():
            if not _reaches_cap_first_at(group, *_year_month(group.full_age_from_birth_month)):
                raise ValueError(
                    f"groups.{name}: full_age_from_birth_month is not the first birth month "
                    "whose delay reaches max_delay_months under B, S, k, C"
                )
        return self


@dataclass(frozen=True)
class RetirementAge:
    """The statutory retirement age of one person and when working age ends.

    ``retired_from`` is the first day on which the person is past the statutory retirement
    age (no longer of working age), under ``convention``.
    """

    group: RetirementGroup
    age_years: int
    age_months: int
    delay_months: int
    retirement_year: int
    retirement_month: int
    retired_from: dt.date
    convention: RetiredFromConvention
    derivation: str
    source: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (dates as ISO strings)."""
        data = asdict(self)
        data["retired_from"] = self.retired_from.isoformat()
        return data


def statutory_retirement(
    params: RetirementParameters,
    birth_date: dt.date,
    group: str,
    *,
    convention: RetiredFromConvention | None = None,
) -> RetirementAge:
    """Statutory retirement age, year-month and first retired day for a birth date and group.

    ``group`` is ``male``, ``female_55`` (women originally retiring at 55) or ``female_50``
    (originally 50). ``convention`` defaults to the one named in the parameter file.
    """
    if group not in RETIREMENT_GROUPS:
        raise InputError(
            "retirement_group",
            f"{group!r} is not a retirement group; accepted: {', '.join(RETIREMENT_GROUPS)}",
        )
    chosen = convention or params.conventions.retired_from.default
    if chosen not in _CONVENTIONS:
        raise InputError(
            "convention", f"{chosen!r} is not known; accepted: {', '.join(_CONVENTIONS)}"
        )
    key: RetirementGroup = group  # type: ignore[assignment]
    return _compute(params, birth_date, key, chosen)


def _compute(
    params: RetirementParameters,
    birth_date: dt.date,
    key: RetirementGroup,
    chosen: RetiredFromConvention,
) -> RetirementAge:
    p = params.groups[key]
    s_year, s_month = _year_month(p.first_affected_birth_month)
    n = (birth_date.year - s_year) * 12 + (birth_date.month - s_month)
    d = _delay(p, birth_date.year, birth_date.month)
    total = 12 * p.base_age_years + d
    index = birth_date.year * 12 + (birth_date.month - 1) + total
    r_year, r_month = divmod(index, 12)
    r_month += 1
    if chosen == "anniversary":
        retired_from = shift_months(birth_date, total) + dt.timedelta(days=1)
    else:
        retired_from = shift_months(dt.date(r_year, r_month, 1), 1)
    if n < 0:
        how = f"n = {n} (born before {p.first_affected_birth_month}), delay 0"
    else:
        how = (
            f"n = {n} months after {p.first_affected_birth_month}, "
            f"delay = min({n} // {p.birth_months_per_delay_month} + 1, {p.max_delay_months}) = {d}"
        )
    derivation = (
        f"{p.label_en}, born {birth_date:%Y-%m}: {how}; "
        f"statutory age {p.base_age_years}y + {d}m = {p.base_age_years + d // 12}y{d % 12}m; "
        f"retirement month = {birth_date:%Y-%m} + {total} months = {r_year:04d}-{r_month:02d}; "
        f"past retirement age from {retired_from.isoformat()} (convention {chosen})"
    )
    return RetirementAge(
        group=key,
        age_years=p.base_age_years + d // 12,
        age_months=d % 12,
        delay_months=d,
        retirement_year=r_year,
        retirement_month=r_month,
        retired_from=retired_from,
        convention=chosen,
        derivation=derivation,
        source=params.source.clause_id,
    )


def _delay(p: GroupParameters, year: int, month: int) -> int:
    s_year, s_month = _year_month(p.first_affected_birth_month)
    n = (year - s_year) * 12 + (month - s_month)
    if n < 0:
        return 0
    return min(n // p.birth_months_per_delay_month + 1, p.max_delay_months)


def _reaches_cap_first_at(p: GroupParameters, year: int, month: int) -> bool:
    before_year, before_month = (year, month - 1) if month > 1 else (year - 1, 12)
    return (
        _delay(p, year, month) == p.max_delay_months
        and _delay(p, before_year, before_month) < p.max_delay_months
    )
