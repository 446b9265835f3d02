"""Statutory retirement age under the 2025 reform (NPCSC decision of 2024-09-13)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lnunemp_rules import load_rule_book
from lnunemp_rules.errors import InputError, RuleFileError
from lnunemp_rules.law import retirement
from lnunemp_rules.law.retirement import RETIREMENT_GROUPS, RetiredFromConvention, RetirementAge
from lnunemp_rules.rulebook.parameters import load_retirement

PARAMETERS = load_rule_book().retirement


def statutory_retirement(
    birth: dt.date, group: str, *, convention: RetiredFromConvention | None = None
) -> RetirementAge:
    return retirement.statutory_retirement(PARAMETERS, birth, group, convention=convention)


# The rows of the decision's published tables that rules/parameters/retirement_age.yaml
# (`verification`) says its parameters reproduce, checked against public copies: (group,
# birth year-month, age years, age months, retirement year-month or None
# where the table gives only the age).
VERIFIED_ROWS = [
    ("male", "1964-12", 60, 0, "2024-12"),
    ("male", "1965-01", 60, 1, "2025-02"),
    ("male", "1965-04", 60, 1, "2025-05"),
    ("male", "1965-05", 60, 2, "2025-07"),
    ("male", "1965-12", 60, 3, "2026-03"),
    ("male", "1967-05", 60, 8, "2028-01"),
    ("male", "1976-08", 62, 11, None),
    ("male", "1976-09", 63, 0, None),
    ("male", "1976-12", 63, 0, "2039-12"),
    ("female_55", "1970-01", 55, 1, "2025-02"),
    ("female_55", "1971-04", 55, 4, "2026-08"),
    ("female_55", "1974-10", 56, 3, "2031-01"),
    ("female_55", "1981-09", 58, 0, None),
    ("female_55", "1981-12", 58, 0, "2039-12"),
    ("female_50", "1975-01", 50, 1, "2025-02"),
    ("female_50", "1975-03", 50, 2, "2025-05"),
    ("female_50", "1975-11", 50, 6, "2026-05"),
    ("female_50", "1984-10", 54, 11, None),
    ("female_50", "1984-11", 55, 0, "2039-11"),
    ("female_50", "1995-12", 55, 0, "2050-12"),
]


def _born(year_month: str, day: int = 15) -> dt.date:
    year, month = (int(x) for x in year_month.split("-"))
    return dt.date(year, month, day)


@pytest.mark.parametrize(("group", "born", "years", "months", "retires"), VERIFIED_ROWS)
def test_verified_table_rows(
    group: str, born: str, years: int, months: int, retires: str | None
) -> None:
    """Each verified public-table row gives the same statutory age and retirement month."""
    result = statutory_retirement(_born(born), group)
    assert (result.age_years, result.age_months) == (years, months)
    if retires is not None:
        assert f"{result.retirement_year:04d}-{result.retirement_month:02d}" == retires


def test_default_convention_keeps_working_age_through_the_retirement_month() -> None:
    """By default a man born 1965-05-20 (retiring 2025-07) is past that age from 2025-08-01."""
    result = statutory_retirement(dt.date(1965, 5, 20), "male")
    assert result.convention == "first_day_of_month_after_retirement_month"
    assert result.retired_from == dt.date(2025, 8, 1)


def test_anniversary_convention_starts_the_day_after_the_anniversary() -> None:
    """Under 'anniversary', born 1965-05-20 is past 60y2m from 2025-07-21."""
    result = statutory_retirement(dt.date(1965, 5, 20), "male", convention="anniversary")
    assert result.retired_from == dt.date(2025, 7, 21)


def test_anniversary_convention_clamps_month_end() -> None:
    """Born 1965-05-31 with 60y2m: the anniversary is clamped to 2025-07-31, past from 08-01."""
    result = statutory_retirement(dt.date(1965, 5, 31), "male", convention="anniversary")
    assert result.retired_from == dt.date(2025, 8, 1)


def test_anniversary_convention_for_a_leap_day_birth() -> None:
    """A woman (55) born 1960-02-29 reaches 55 on 2015-02-28 and is past it from 2015-03-01."""
    result = statutory_retirement(dt.date(1960, 2, 29), "female_55", convention="anniversary")
    assert result.retired_from == dt.date(2015, 3, 1)


def test_derivation_and_dict_name_the_numbers_and_the_source() -> None:
    """The derivation shows n, the delay formula and the convention; to_dict is JSON-friendly."""
    result = statutory_retirement(dt.date(1967, 5, 1), "male")
    assert "n = 28" in result.derivation
    assert "min(28 // 4 + 1, 36) = 8" in result.derivation
    assert "2028-01" in result.derivation
    data = result.to_dict()
    assert data["retired_from"] == "2028-02-01"
    assert data["source"] == "npc-2024-retirement-decision"


def test_unknown_group_is_an_input_error_listing_the_groups() -> None:
    """A group other than male, female_55 or female_50 is rejected, naming the accepted ones."""
    with pytest.raises(InputError, match="female_50") as info:
        statutory_retirement(dt.date(1970, 1, 1), "female")
    assert info.value.field == "retirement_group"


def test_parameter_file_names_its_source_and_default_convention() -> None:
    """The parameter file cites the NPCSC decision with its dates and names the default day rule."""
    params = PARAMETERS
    assert params.source.adopted == dt.date(2024, 9, 13)
    assert params.source.in_force_from == dt.date(2025, 1, 1)
    assert params.conventions.retired_from.default == "first_day_of_month_after_retirement_month"
    assert set(params.groups) == set(RETIREMENT_GROUPS)


def test_inconsistent_parameter_file_is_rejected(tmp_path: Path) -> None:
    """A file whose cap disagrees with its own full-age birth month is reported, not used."""
    from lnunemp_rules.rulebook.folder import rules_dir

    text = (rules_dir() / "parameters" / "retirement_age.yaml").read_text(encoding="utf-8")
    bad = tmp_path / "retirement_age.yaml"
    bad.write_text(text.replace("max_delay_months: 36", "max_delay_months: 35", 1), "utf-8")
    with pytest.raises(RuleFileError, match=r"groups\.male"):
        load_retirement(bad)


@given(
    group=st.sampled_from(RETIREMENT_GROUPS),
    a=st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2010, 12, 31)),
    b=st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2010, 12, 31)),
)
def test_delay_never_decreases_with_a_later_birth(group: str, a: dt.date, b: dt.date) -> None:
    """A later birth never gets a shorter delay, nor an earlier end of working age."""
    early, late = sorted((a, b))
    first, second = statutory_retirement(early, group), statutory_retirement(late, group)
    assert first.delay_months <= second.delay_months
    assert first.retired_from <= second.retired_from


@given(
    group=st.sampled_from(RETIREMENT_GROUPS),
    born=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
)
def test_delay_is_capped_and_anniversary_is_never_later(group: str, born: dt.date) -> None:
    """The delay stays within 0..C, and the anniversary rule never ends working age later."""
    cap = PARAMETERS.groups[group].max_delay_months  # type: ignore[index]
    result = statutory_retirement(born, group)
    assert 0 <= result.delay_months <= cap
    assert result.age_years * 12 + result.age_months >= 50 * 12
    other = statutory_retirement(born, group, convention="anniversary")
    assert other.retired_from <= result.retired_from
    assert (other.retirement_year, other.retirement_month) == (
        result.retirement_year,
        result.retirement_month,
    )


@pytest.mark.parametrize("month", ["1976-08", "1976-10", "1977-01"])
def test_a_full_age_birth_month_other_than_the_first_at_the_cap_is_refused(
    tmp_path: Path, month: str
) -> None:
    """Men reach the 36-month cap first for births in 1976-09 (the 2024 decision's table):
    the month before is below the cap, the month after and the next January are past its
    first month, and each is refused as full_age_from_birth_month."""
    from lnunemp_rules.rulebook.folder import rules_dir

    text = (rules_dir() / "parameters" / "retirement_age.yaml").read_text(encoding="utf-8")
    shipped = 'full_age_from_birth_month: "1976-09"'
    assert shipped in text
    bad = tmp_path / "retirement_age.yaml"
    bad.write_text(text.replace(shipped, f'full_age_from_birth_month: "{month}"', 1), "utf-8")
    with pytest.raises(RuleFileError, match=r"groups\.male: full_age_from_birth_month"):
        load_retirement(bad)


@pytest.mark.parametrize(
    ("born", "years", "months", "delay", "text"),
    [
        (dt.date(1964, 12, 15), 60, 0, 0, "n = -1 (born before 1965-01), delay 0; "
         "statutory age 60y + 0m = 60y0m"),
        (dt.date(1965, 1, 15), 60, 1, 1, "n = 0 months after 1965-01, delay = "
         "min(0 // 4 + 1, 36) = 1; statutory age 60y + 1m = 60y1m"),
        (dt.date(1976, 9, 15), 63, 0, 36, "n = 140 months after 1965-01, delay = "
         "min(140 // 4 + 1, 36) = 36; statutory age 60y + 36m = 63y0m"),
    ],
    ids=["born 1964-12", "born 1965-01", "born 1976-09"],
)  # fmt: skip
def test_men_on_both_sides_of_the_first_delayed_month_and_at_the_cap(
    born: dt.date, years: int, months: int, delay: int, text: str
) -> None:
    """The 2024 NPC decision's table for men: born 1964-12, 60 years; born 1965-01 (the first
    month delayed), 60 years 1 month; born 1976-09, 63 years (the 36-month cap). The
    derivation says how, and the JSON names the group."""
    result = statutory_retirement(born, "male")
    assert (result.age_years, result.age_months, result.delay_months) == (years, months, delay)
    assert text in result.derivation
    assert result.to_dict()["group"] == "male"


def test_an_unknown_group_or_convention_is_refused_listing_those_accepted() -> None:
    """Each refusal names its field and every accepted value."""
    params = load_rule_book().retirement
    with pytest.raises(InputError) as group:
        retirement.statutory_retirement(params, dt.date(1970, 1, 1), "female")
    assert (group.value.field, group.value.message) == (
        "retirement_group",
        "'female' is not a retirement group; accepted: male, female_55, female_50",
    )
    with pytest.raises(InputError) as convention:
        retirement.statutory_retirement(params, dt.date(1970, 1, 1), "male", convention="yearly")  # type: ignore[arg-type]
    assert (convention.value.field, convention.value.message) == (
        "convention",
        "'yearly' is not known; accepted: first_day_of_month_after_retirement_month, anniversary",
    )


@pytest.mark.parametrize(
    ("text", "expected"), [("1976-12", (1976, 12)), ("1976-01", (1976, 1)), ("1976-13", None),
                           ("1976-00", None)],
)  # fmt: skip
def test_year_months_of_the_parameter_file_run_from_01_to_12(
    text: str, expected: tuple[int, int] | None
) -> None:
    """December is a month; 13 and 00 are refused with what is accepted."""
    if expected is not None:
        assert retirement._year_month(text) == expected
    else:
        with pytest.raises(ValueError, match=r"is not a year-month \(YYYY-MM\)"):
            retirement._year_month(text)


def test_a_woman_whose_group_is_not_given_is_unknown_only_while_the_groups_disagree() -> None:
    """Born 1972-01-15: past retirement age from 2022-02-01 in the 50 group (not delayed) and
    from 2027-09-01 in the 55 group (55y7m); without the group the status is 'reached' when
    both are, 'below' when neither is, 'unknown' in between. Asked in this order of one rule
    book, so a remembered status can never stand in for another."""
    from lnunemp_rules.decide.derivations import retirement_derivation
    from lnunemp_rules.rulebook.book import read_rule_book

    book = read_rule_book(load_rule_book().directory)
    born = dt.date(1972, 1, 15)
    asked = [
        (dt.date(2030, 1, 1), None, "reached"),
        (dt.date(2025, 6, 1), None, "unknown"),
        (dt.date(2020, 1, 1), None, "below"),
        (dt.date(2027, 9, 1), None, "reached"),
        (dt.date(2027, 8, 31), None, "unknown"),
        (dt.date(2022, 2, 1), None, "unknown"),
        (dt.date(2022, 1, 31), None, "below"),
        (dt.date(2025, 6, 1), 50, "reached"),
        (dt.date(2025, 6, 1), 55, "below"),
    ]
    for on, group, status in asked:
        derivation = retirement_derivation(book, born, "female", group, on)
        assert derivation.value == status, (on, group)
        disagree = (
            "the two women's groups disagree on this date, so the original retirement age decides"
        )
        assert (disagree in derivation.how) == (status == "unknown"), (on, group)


def test_a_cap_first_reached_in_january_is_checked_against_the_december_before(
    tmp_path: Path,
) -> None:
    """With a 37-month cap for men the first capped birth month is 1977-01 (n = 144 months
    after 1965-01, 144 // 4 + 1 = 37): that file is consistent (December 1976 is below the
    cap), 1977-02 is not."""
    from lnunemp_rules.rulebook.folder import rules_dir

    text = (rules_dir() / "parameters" / "retirement_age.yaml").read_text(encoding="utf-8")
    shipped = '    max_delay_months: 36              # C\n    full_age_from_birth_month: "1976-09"'
    assert shipped in text
    for month, consistent in (("1977-01", True), ("1977-02", False)):
        path = tmp_path / f"retirement_{month}.yaml"
        changed = shipped.replace("36", "37").replace("1976-09", month)
        path.write_text(text.replace(shipped, changed, 1), encoding="utf-8")
        if consistent:
            assert load_retirement(path).groups["male"].max_delay_months == 37
        else:
            with pytest.raises(RuleFileError, match=r"groups\.male"):
                load_retirement(path)
