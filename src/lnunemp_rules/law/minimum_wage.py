"""Liaoning monthly minimum wage in force on a date, by tier (standard 4.5(3)).

The dated rows, their sources and verification status are in
``rules/parameters/minimum_wage.yaml`` (read by the rule book into a :class:`MinimumWageTable`).
The county-to-tier mapping is not published in any source the project found, so the tier
always comes from the caller.

References:
    - 辽宁省失业登记管理服务规范 4.5(3): 月收入不低于当地最低工资标准.
    - 最低工资规定 (劳动和社会保障部令第21号), and the Liaoning government's notices adjusting
      the monthly minimum wage, cited row by row in the parameter file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Annotated, Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, Strict, model_validator

from ..errors import InputError, MinimumWageNotInForceError, UnknownMinimumWageTierError

__all__ = [
    "PLAUSIBLE_HOURLY",
    "PLAUSIBLE_MONTHLY",
    "MinimumWage",
    "MinimumWageParameters",
    "MinimumWageRow",
    "MinimumWageTable",
    "highest_amount_on",
    "lowest_amount_on",
    "minimum_wage_on",
    "tiers_on",
]


#: Monthly amounts the parameter file may hold, in yuan: a guard against typing errors (every
#: Liaoning row on file lies between 1,420 and 2,230), not a legal limit.
PLAUSIBLE_MONTHLY: Final = range(500, 10_001)
#: Hourly amounts, in yuan (the rows on file: 19 to 22).
PLAUSIBLE_HOURLY: Final = range(5, 101)


# The YAML reader gives every mapping key as text: a tier number's digits are its number.
_TierKey = Annotated[int, Strict(False)]


class MinimumWageRow(BaseModel):
    """One dated row: the amounts of each tier from ``effective_from``.

    Strict: a tier and an amount are whole numbers (``true`` is not 1 yuan), within
    :data:`PLAUSIBLE_MONTHLY` / :data:`PLAUSIBLE_HOURLY`.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    effective_from: dt.date
    tiers: dict[_TierKey, int] = Field(min_length=1)
    hourly: dict[_TierKey, int] | None = None
    source: str = Field(min_length=1)
    verification: str = Field(min_length=1)
    source_zh: str = Field(min_length=1)
    verification_zh: str = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _tiers_are_1_to_n_and_descending(self) -> MinimumWageRow:
        numbers = sorted(self.tiers)
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"tiers must be numbered 1..n, got {numbers}")
        amounts = [self.tiers[n] for n in numbers]
        if any(a <= 0 for a in amounts) or amounts != sorted(amounts, reverse=True):
            raise ValueError(f"amounts must be positive and fall from tier 1, got {amounts}")
        low, high = PLAUSIBLE_MONTHLY.start, PLAUSIBLE_MONTHLY.stop - 1
        if any(a not in PLAUSIBLE_MONTHLY for a in amounts):
            raise ValueError(f"monthly amounts must lie between {low} and {high} yuan (a typing "
                             f"error otherwise), got {amounts}")  # fmt: skip
        hourly = list((self.hourly or {}).values())
        if any(a not in PLAUSIBLE_HOURLY for a in hourly):
            raise ValueError(f"hourly amounts must lie between {PLAUSIBLE_HOURLY.start} and "
                             f"{PLAUSIBLE_HOURLY.stop - 1} yuan, got {hourly}")  # fmt: skip
        if self.hourly is not None and set(self.hourly) != set(self.tiers):
            raise ValueError("hourly amounts must be given for the same tiers")
        return self


class MinimumWageParameters(BaseModel):
    """Contents of ``rules/parameters/minimum_wage.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid", strict=True)

    parameter: Literal["liaoning_monthly_minimum_wage"]
    # A YAML list is read as the tuple (the only relaxation of strict mode here).
    clause_ids: tuple[str, ...] = Field(strict=False, min_length=1)
    unit: Literal["yuan_per_month"]
    values: tuple[MinimumWageRow, ...] = Field(strict=False, min_length=1)

    @model_validator(mode="after")
    def _dates_strictly_increase(self) -> MinimumWageParameters:
        dates = [row.effective_from for row in self.values]
        if dates != sorted(set(dates)):
            raise ValueError("values: effective_from dates must be unique and in order")
        return self


@dataclass(frozen=True)
class MinimumWageTable:
    """The validated rows of a minimum-wage parameter file, and that file's name (which every
    derivation cites)."""

    parameters: MinimumWageParameters
    file: str


@dataclass(frozen=True)
class MinimumWage:
    """The monthly minimum wage of one tier on one day, with where it comes from."""

    amount: int
    tier: int
    tiers: int
    effective_from: dt.date
    effective_until: dt.date | None
    hourly: int | None
    source: str
    verification: str
    source_zh: str
    verification_zh: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (dates as ISO strings)."""
        data = asdict(self)
        data["effective_from"] = self.effective_from.isoformat()
        data["effective_until"] = self.effective_until.isoformat() if self.effective_until else None
        return data


def minimum_wage_on(
    table: MinimumWageTable, day: dt.date, tier: int, *, field: str = "tier"
) -> MinimumWage:
    """The monthly minimum wage of ``tier`` in force on ``day``.

    Raises :class:`~lnunemp_rules.errors.MinimumWageNotInForceError` before the first row, and
    :class:`~lnunemp_rules.errors.UnknownMinimumWageTierError` (an ``InputError`` on ``field``)
    when the row in force has no such tier, e.g. tier 4 after 2024-05-01.
    """
    row, until = _row_on(table, day)
    if isinstance(tier, bool) or not isinstance(tier, int) or tier not in row.tiers:
        raise UnknownMinimumWageTierError(field, tier, day, sorted(row.tiers))
    return MinimumWage(
        amount=row.tiers[tier],
        tier=tier,
        tiers=len(row.tiers),
        effective_from=row.effective_from,
        effective_until=until,
        hourly=row.hourly[tier] if row.hourly else None,
        source=row.source,
        verification=row.verification,
        source_zh=row.source_zh,
        verification_zh=row.verification_zh,
    )


def tiers_on(table: MinimumWageTable, day: dt.date) -> list[int]:
    """The tier numbers of the row in force on ``day`` (1 = highest amount)."""
    row, _ = _row_on(table, day)
    return sorted(row.tiers)


def highest_amount_on(table: MinimumWageTable, day: dt.date) -> MinimumWage:
    """The highest tier's minimum wage in force on ``day``."""
    row, _ = _row_on(table, day)
    return minimum_wage_on(table, day, max(row.tiers, key=lambda t: row.tiers[t]))


def lowest_amount_on(table: MinimumWageTable, day: dt.date) -> MinimumWage:
    """The lowest tier's minimum wage in force on ``day``."""
    row, _ = _row_on(table, day)
    return minimum_wage_on(table, day, min(row.tiers, key=lambda t: row.tiers[t]))


def _row_on(table: MinimumWageTable, day: dt.date) -> tuple[MinimumWageRow, dt.date | None]:
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise InputError("day", f"expected a date, got {type(day).__name__}")
    rows = table.parameters.values
    in_force = [i for i, row in enumerate(rows) if row.effective_from <= day]
    if not in_force:
        raise MinimumWageNotInForceError(day, rows[0].effective_from, table.file)
    index = in_force[-1]
    until = rows[index + 1].effective_from - dt.timedelta(days=1) if index + 1 < len(rows) else None
    return rows[index], until
