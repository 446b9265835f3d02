"""Liaoning monthly minimum wage in force on a date, by tier (standard 4.5(3))."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lnunemp_rules import load_rule_book
from lnunemp_rules.errors import (
    InputError,
    MinimumWageNotInForceError,
    RuleFileError,
    UnknownMinimumWageTierError,
)
from lnunemp_rules.law import minimum_wage as wages
from lnunemp_rules.law.minimum_wage import MinimumWage
from lnunemp_rules.rulebook.folder import rules_dir
from lnunemp_rules.rulebook.parameters import load_minimum_wages

D = dt.date
TABLE = load_rule_book().minimum_wages


def minimum_wage_on(day: dt.date, tier: int, *, field: str = "tier") -> MinimumWage:
    return wages.minimum_wage_on(TABLE, day, tier, field=field)


def tiers_on(day: dt.date) -> list[int]:
    return wages.tiers_on(TABLE, day)


def highest_amount_on(day: dt.date) -> MinimumWage:
    return wages.highest_amount_on(TABLE, day)


def lowest_amount_on(day: dt.date) -> MinimumWage:
    return wages.lowest_amount_on(TABLE, day)


# (day, tier, amount) on both sides of every effective date in national-context.md.
BOUNDARIES = [
    (D(2021, 11, 1), 1, 1910),
    (D(2021, 11, 1), 4, 1420),
    (D(2024, 4, 30), 1, 1910),
    (D(2024, 4, 30), 3, 1580),
    (D(2024, 4, 30), 4, 1420),
    (D(2024, 5, 1), 1, 2100),
    (D(2024, 5, 1), 2, 1900),
    (D(2024, 5, 1), 3, 1700),
    (D(2025, 11, 30), 1, 2100),
    (D(2025, 11, 30), 3, 1700),
    (D(2025, 12, 1), 1, 2230),
    (D(2025, 12, 1), 2, 2080),
    (D(2025, 12, 1), 3, 1930),
]


@pytest.mark.parametrize(("day", "tier", "amount"), BOUNDARIES)
def test_amount_on_both_sides_of_each_effective_date(day: dt.date, tier: int, amount: int) -> None:
    """The day before a change keeps the old amount; the change day has the new one."""
    assert minimum_wage_on(day, tier).amount == amount


def test_day_before_the_first_row_has_no_minimum_wage_on_file() -> None:
    """On 2021-10-31 no row is in force, and the error says from when the file covers."""
    with pytest.raises(MinimumWageNotInForceError, match="2021-11-01"):
        minimum_wage_on(D(2021, 10, 31), 1)
    with pytest.raises(LookupError):
        tiers_on(D(2021, 10, 31))


def test_tier_4_exists_until_2024_04_30_only() -> None:
    """The 2021 row has 4 tiers; from 2024-05-01 tier 4 is an unknown tier naming 1, 2, 3."""
    assert tiers_on(D(2024, 4, 30)) == [1, 2, 3, 4]
    assert tiers_on(D(2024, 5, 1)) == [1, 2, 3]
    with pytest.raises(UnknownMinimumWageTierError) as info:
        minimum_wage_on(D(2024, 5, 1), 4, field="events[0].minimum_wage_tier")
    assert isinstance(info.value, InputError)
    assert info.value.field == "events[0].minimum_wage_tier"
    assert info.value.accepted == [1, 2, 3]
    assert "accepted tiers: 1, 2, 3" in str(info.value)


@pytest.mark.parametrize("tier", [0, 5, "1", True, None])
def test_tier_must_be_an_existing_integer(tier: object) -> None:
    """Tier 0, 5, the text '1', True and None are rejected as unknown tiers."""
    with pytest.raises(UnknownMinimumWageTierError):
        minimum_wage_on(D(2025, 1, 1), tier)  # type: ignore[arg-type]


def test_result_carries_period_source_verification_in_both_languages() -> None:
    """A looked-up amount says when its row is in force, its source and how sure it is, in
    English and in Chinese, and how many tiers its row has."""
    wage = minimum_wage_on(D(2024, 5, 1), 2)
    assert (wage.amount, wage.tier, wage.tiers) == (1900, 2, 3)
    assert wage.effective_from == D(2024, 5, 1)
    assert wage.effective_until == D(2025, 11, 30)
    assert wage.verification == "two secondary sources"
    assert wage.verification_zh == "经两份二手资料核实"
    assert "2024年5月1日" in wage.source_zh
    assert wage.to_dict()["effective_until"] == "2025-11-30"


def test_latest_row_has_hourly_amounts_and_no_end() -> None:
    """The 2025-12-01 row is open-ended and carries the hourly amounts 22 / 20 / 19."""
    wages = [minimum_wage_on(D(2026, 6, 1), tier) for tier in (1, 2, 3)]
    assert [w.hourly for w in wages] == [22, 20, 19]
    assert all(w.effective_until is None for w in wages)
    assert minimum_wage_on(D(2024, 5, 1), 1).hourly is None


def test_highest_and_lowest_amounts_follow_the_row_in_force() -> None:
    """Highest and lowest amounts switch with the row: 1910/1420, then 2100/1700, then 2230/1930."""
    assert (highest_amount_on(D(2024, 4, 30)).amount, lowest_amount_on(D(2024, 4, 30)).amount) == (
        1910,
        1420,
    )
    assert (highest_amount_on(D(2024, 5, 1)).amount, lowest_amount_on(D(2024, 5, 1)).amount) == (
        2100,
        1700,
    )
    assert lowest_amount_on(D(2025, 12, 1)).tier == 3
    assert highest_amount_on(D(2025, 12, 1)).amount == 2230


def test_every_row_records_source_and_verification() -> None:
    """Each dated row of the parameter file has a source and a verification status."""
    rows = TABLE.parameters.values
    assert [r.effective_from for r in rows] == [D(2021, 11, 1), D(2024, 5, 1), D(2025, 12, 1)]
    assert all(r.source.strip() and r.verification.strip() for r in rows)
    assert "1420" in rows[0].verification


def test_a_datetime_is_not_accepted_as_a_day() -> None:
    """A datetime is rejected so that a time of day never shifts the row in force."""
    with pytest.raises(InputError, match="expected a date"):
        minimum_wage_on(dt.datetime(2024, 5, 1, 12), 1)


def test_bad_parameter_file_is_reported_with_its_line(tmp_path: Path) -> None:
    """A rising amount across tiers is reported with the file and the line of the row."""
    text = (rules_dir() / "parameters" / "minimum_wage.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "minimum_wage.yaml"
    bad.write_text(text.replace("{1: 2100, 2: 1900", "{1: 2100, 2: 2900", 1), "utf-8")
    with pytest.raises(RuleFileError) as info:
        load_minimum_wages(bad, str(bad))
    (problem,) = info.value.problems
    assert problem.file == str(bad)
    line = text.splitlines().index("  - effective_from: 2024-05-01") + 1
    assert problem.line == line


def test_to_dict_gives_dates_as_text_and_every_field() -> None:
    """A closed row and the open latest row, as JSON: ISO dates, no end date for the latest."""
    old = minimum_wage_on(D(2025, 11, 30), 3).to_dict()
    expected = {
        "amount": 1700,
        "tier": 3,
        "effective_from": "2024-05-01",
        "effective_until": "2025-11-30",
        "hourly": None,
        "verification": "two secondary sources",
    }
    assert {k: old[k] for k in expected} == expected
    new = minimum_wage_on(D(2025, 12, 1), 1).to_dict()
    assert (new["amount"], new["effective_from"], new["effective_until"], new["hourly"]) == (
        2230, "2025-12-01", None, 22,
    )  # fmt: skip
    assert new["source"].startswith("Liaoning provincial minimum-wage notice in force from 2025")
    assert (new["tiers"], new["verification"]) == (3, "one secondary source")
    assert new["source_zh"].startswith("辽宁省2025年12月1日起执行的最低工资标准通知")
    assert new["verification_zh"] == "经一份二手资料核实"


def test_a_bad_day_or_tier_is_refused_naming_the_field_and_the_value() -> None:
    """Text instead of a date names ``day`` and the type given; an unknown tier names the
    field (``tier`` unless the caller names another), the tier and the tiers accepted."""
    with pytest.raises(InputError) as bad_day:
        wages.minimum_wage_on(TABLE, "2025-12-01", 1)  # type: ignore[arg-type]
    assert (bad_day.value.field, bad_day.value.message) == ("day", "expected a date, got str")
    with pytest.raises(UnknownMinimumWageTierError) as bad_tier:
        wages.minimum_wage_on(TABLE, D(2025, 12, 1), 9)
    assert bad_tier.value.field == "tier"
    assert "tier 9 does not exist" in bad_tier.value.message
    assert "accepted tiers: 1, 2, 3" in bad_tier.value.message


def test_an_unknown_tier_in_a_decision_names_the_input_field() -> None:
    """The tier of an application, and of a registrant's event, is named by its path."""
    import lnunemp_rules as L
    from builders import application, event, registrant

    with pytest.raises(InputError) as app:
        L.assess_registration(
            application(current_situation={"monthly_income": 2000, "minimum_wage_tier": 7})
        )
    assert app.value.field == "current_situation.minimum_wage_tier"
    person = registrant(
        event("contact", D(2026, 3, 1)),
        event("income_work", D(2026, 4, 1), monthly_income=2000, minimum_wage_tier=7),
    )
    with pytest.raises(InputError) as review:
        L.assess_deregistration(person, as_of="2026-04-20")
    assert review.value.field == "events[1].minimum_wage_tier"
