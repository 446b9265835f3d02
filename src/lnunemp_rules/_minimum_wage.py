"""Liaoning monthly minimum wage in force on a date, by tier (standard 4.5(3)).

The dated rows, their sources and verification status are in
``rules/parameters/minimum_wage.yaml``. The county-to-tier mapping is not published in any
source the project found, so the tier always comes from the caller.

References:
    - 辽宁省失业登记管理服务规范 4.5(3): 月收入不低于当地最低工资标准.
    - ../shared/reference/national-context.md, "Liaoning monthly minimum wage".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ._errors import InputError, LnunempError, Problem, RuleFileError
from ._memo import OwnerMemos, remember
from ._resources import rules_dir
from ._yamlfile import SAFE_LOADER

__all__ = [
    "MinimumWage",
    "MinimumWageNotInForceError",
    "MinimumWageParameters",
    "MinimumWageRow",
    "UnknownMinimumWageTierError",
    "highest_amount_on",
    "load_minimum_wage_parameters",
    "lowest_amount_on",
    "minimum_wage_on",
    "tiers_on",
]

PARAMETER_FILE = Path("parameters") / "minimum_wage.yaml"


class MinimumWageNotInForceError(LnunempError, LookupError):
    """No minimum-wage row of the parameter file is in force on the day asked for."""

    def __init__(self, day: dt.date, earliest: dt.date) -> None:
        self.day = day
        self.earliest = earliest
        super().__init__(
            f"{day.isoformat()}: no Liaoning minimum wage is on file for this day; the "
            f"parameter file covers {earliest.isoformat()} onwards ({PARAMETER_FILE})"
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


class MinimumWageRow(BaseModel):
    """One dated row: the amounts of each tier from ``effective_from``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    effective_from: dt.date
    tiers: dict[int, int] = Field(min_length=1)
    hourly: dict[int, int] | None = None
    source: str = Field(min_length=1)
    verification: str = Field(min_length=1)
    note: str | None = None

    @model_validator(mode="after")
    def _tiers_are_1_to_n_and_descending(self) -> MinimumWageRow:
        numbers = sorted(self.tiers)
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"tiers must be numbered 1..n, got {numbers}")
        amounts = [self.tiers[n] for n in numbers]
        if any(a <= 0 for a in amounts) or amounts != sorted(amounts, reverse=True):
            raise ValueError(f"amounts must be positive and fall from tier 1, got {amounts}")
        if self.hourly is not None and set(self.hourly) != set(self.tiers):
            raise ValueError("hourly amounts must be given for the same tiers")
        return self


class MinimumWageParameters(BaseModel):
    """Contents of ``rules/parameters/minimum_wage.yaml``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    parameter: Literal["liaoning_monthly_minimum_wage"]
    clause_ids: tuple[str, ...]
    unit: Literal["yuan_per_month"]
    values: tuple[MinimumWageRow, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates_strictly_increase(self) -> MinimumWageParameters:
        dates = [row.effective_from for row in self.values]
        if dates != sorted(set(dates)):
            raise ValueError("values: effective_from dates must be unique and in order")
        return self


@dataclass(frozen=True)
class MinimumWage:
    """The monthly minimum wage of one tier on one day, with where it comes from."""

    amount: int
    tier: int
    effective_from: dt.date
    effective_until: dt.date | None
    hourly: int | None
    source: str
    verification: str
    derivation: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly form (dates as ISO strings)."""
        data = asdict(self)
        data["effective_from"] = self.effective_from.isoformat()
        data["effective_until"] = self.effective_until.isoformat() if self.effective_until else None
        return data


@lru_cache(maxsize=8)
def load_minimum_wage_parameters(path: Path | None = None) -> MinimumWageParameters:
    """Read and validate the parameter file (once per path). Raises :class:`RuleFileError`."""
    file = path if path is not None else rules_dir() / PARAMETER_FILE
    try:
        text = file.read_text(encoding="utf-8")
        raw = yaml.load(text, Loader=SAFE_LOADER)
        rows = yaml.compose(text, Loader=SAFE_LOADER)
    except (OSError, yaml.YAMLError) as exc:
        mark = getattr(exc, "problem_mark", None)
        line = int(mark.line) + 1 if mark is not None else None
        raise RuleFileError([Problem(str(file), line, str(exc))]) from exc
    try:
        return MinimumWageParameters.model_validate(raw)
    except ValidationError as exc:
        raise RuleFileError(
            [
                Problem(
                    str(file),
                    _line_of(rows, e["loc"]),
                    f"{'.'.join(map(str, e['loc'])) or 'file'}: {e['msg']}",
                )
                for e in exc.errors()
            ]
        ) from exc


def minimum_wage_on(
    day: dt.date, tier: int, *, field: str = "tier", path: Path | None = None
) -> MinimumWage:
    """The monthly minimum wage of ``tier`` in force on ``day``.

    Raises :class:`MinimumWageNotInForceError` before the first row, and
    :class:`UnknownMinimumWageTierError` (an :class:`InputError` on ``field``) when the row
    in force has no such tier, e.g. tier 4 after 2024-05-01.
    """
    # The result is immutable and depends on the day, the tier and the table read from the
    # file: remembered per table object (a reloaded file is a new object) once the types are
    # exact (True == 1 as a dict key), so bad input still takes the checks below.
    if type(day) is not dt.date or type(tier) is not int:
        return _minimum_wage_on(day, tier, field, path)
    memo = _REMEMBERED.of(load_minimum_wage_parameters(path))
    found = memo.get((day, tier))
    if found is None:
        found = remember(memo, (day, tier), _minimum_wage_on(day, tier, field, path), 20_000)
    return found


# Per loaded table: (day, tier) -> MinimumWage.
_REMEMBERED: OwnerMemos[tuple[dt.date, int], MinimumWage] = OwnerMemos(8)


def _minimum_wage_on(day: dt.date, tier: int, field: str, path: Path | None) -> MinimumWage:
    row, until = _row_on(day, path)
    if isinstance(tier, bool) or not isinstance(tier, int) or tier not in row.tiers:
        raise UnknownMinimumWageTierError(field, tier, day, sorted(row.tiers))
    amount = row.tiers[tier]
    period = f"{row.effective_from.isoformat()} to {until.isoformat() if until else 'now'}"
    return MinimumWage(
        amount=amount,
        tier=tier,
        effective_from=row.effective_from,
        effective_until=until,
        hourly=row.hourly[tier] if row.hourly else None,
        source=row.source,
        verification=row.verification,
        derivation=(
            f"Liaoning monthly minimum wage, tier {tier} of {len(row.tiers)}, in force "
            f"{period} (row of {row.effective_from.isoformat()} in {PARAMETER_FILE}): "
            f"{amount} yuan on {day.isoformat()}; verification: {row.verification}"
        ),
    )


def tiers_on(day: dt.date, *, path: Path | None = None) -> list[int]:
    """The tier numbers of the row in force on ``day`` (1 = highest amount)."""
    row, _ = _row_on(day, path)
    return sorted(row.tiers)


def highest_amount_on(day: dt.date, *, path: Path | None = None) -> MinimumWage:
    """The highest tier's minimum wage in force on ``day``."""
    row, _ = _row_on(day, path)
    return minimum_wage_on(day, max(row.tiers, key=lambda t: row.tiers[t]), path=path)


def lowest_amount_on(day: dt.date, *, path: Path | None = None) -> MinimumWage:
    """The lowest tier's minimum wage in force on ``day``."""
    row, _ = _row_on(day, path)
    return minimum_wage_on(day, min(row.tiers, key=lambda t: row.tiers[t]), path=path)


def _row_on(day: dt.date, path: Path | None = None) -> tuple[MinimumWageRow, dt.date | None]:
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        raise InputError("day", f"expected a date, got {type(day).__name__}")
    rows = load_minimum_wage_parameters(path).values
    in_force = [i for i, row in enumerate(rows) if row.effective_from <= day]
    if not in_force:
        raise MinimumWageNotInForceError(day, rows[0].effective_from)
    index = in_force[-1]
    until = rows[index + 1].effective_from - dt.timedelta(days=1) if index + 1 < len(rows) else None
    return rows[index], until


def _line_of(root: yaml.Node | None, loc: tuple[int | str, ...]) -> int | None:
    """The line of the deepest YAML node along a pydantic error location."""
    node = root
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if str(k.value) == str(part)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if part < len(node.value) else None
        else:
            node = None
        if node is None:
            break
        line = node.start_mark.line + 1
    return line
