"""Derived facts both procedures need: ages, the statutory retirement status, minimum wages.

Each derived fact is recorded as a :class:`~.decision.Derivation` (value, how it was computed,
sources), which the decision's trace and explanation show. Derivations are immutable and many
applicants share one (an age on a date, a birth month's retirement date): a rule book
remembers those whose computation a benchmark shows to pay (docs/performance.md, "memories").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..errors import MinimumWageNotInForceError
from ..law.minimum_wage import (
    MinimumWage,
    highest_amount_on,
    lowest_amount_on,
    minimum_wage_on,
)
from ..law.retirement import RetirementAge, statutory_retirement
from ..law.wording import Lang, format_date
from ..rulebook.book import RuleBook
from ..rulebook.memos import Memo
from .decision import Derivation

__all__ = [
    "WageFinding",
    "age_derivation",
    "bilingual",
    "minimum_wage_for",
    "residence_derivation",
    "retired_from_dates",
    "retirement_derivation",
]

_AGE_SOURCES = ("spc-2006-1-art2", "civil-code-art201", "civil-code-art202")


def bilingual(book: RuleBook, key: str, **values: object) -> tuple[str, str]:
    """The sentence ``key`` of the glossary in English and in Chinese; a value that is a date
    is written as each language writes dates."""
    out = []
    for lang in ("en", "zh"):
        shown = {k: format_date(v, lang) if isinstance(v, dt.date) else v
                 for k, v in values.items()}  # fmt: skip
        out.append(book.glossary.say(key, lang, **shown))
    return out[0], out[1]


# Per rule book: a region code -> whether it lies in the province, and how that was found;
# a register holds a few hundred codes (issue 12, docs/performance.md).
_RESIDENCE: Memo[str, tuple[bool, Derivation]] = Memo("residence derivations", 20_000)


def residence_derivation(book: RuleBook, region: str) -> tuple[bool, Derivation]:
    """Whether a habitual-residence region code lies in the province of the standard
    (rules/parameters/province.yaml, GB/T 2260), and how that was found."""
    return book.recall(_RESIDENCE, region, lambda: _residence(book, region))


def _residence(book: RuleBook, region: str) -> tuple[bool, Derivation]:
    province = book.province
    inside = province.contains(region)
    key = "derivation.residence.inside" if inside else "derivation.residence.outside"
    texts = [
        book.glossary.say(key, lang, code=region, prefix=province.code,
                          province=province.name_zh if lang == "zh" else province.name_en)
        for lang in ("en", "zh")
    ]  # fmt: skip
    return inside, Derivation("residence_in_province", inside, texts[0], (), texts[1])


def age_derivation(book: RuleBook, on: dt.date, age: int) -> Derivation:
    """How an applicant's age in full years on ``on`` was counted (the birth date stays out:
    it is personal data)."""
    convention = book.period_conventions.age_reached_on
    en, zh = bilingual(book, f"derivation.age.{convention}", on=on, age=age)
    return Derivation("age_years", age, en, _AGE_SOURCES, zh)


@dataclass(frozen=True, slots=True)
class _RetirementView:
    """One birth month's (or, under the "anniversary" convention, birth day's) first retired
    days per women's group in question, and its derivation per status, built on first use."""

    retired_from: tuple[dt.date, ...]
    derivations: dict[str, Derivation]


# Per rule book: (birth year, month, day or 0, sex, group) -> the view. A register has a few
# thousand birth months. Saves 54% of a registration decision: the retirement computation for
# all but the first applicant of a birth month (benchmarks/bench_memories.py).
_RETIREMENT: Memo[tuple[int, int, int, str, int | None], _RetirementView] = Memo(
    "retirement by birth month", 20_000
)


def retirement_derivation(
    book: RuleBook, birth: dt.date, sex: str, group: int | None, on: dt.date
) -> Derivation:
    """Whether ``on`` is past the statutory retirement age (the 2024 NPC Standing Committee
    decision), per women's group when the group is not given.

    The status only compares ``on`` with the first retired day(s), and the text depends on the
    birth month (the day too under "anniversary") and the status alone.
    """
    view = _retirement_view(book, birth, sex, group)
    first, *other = view.retired_from
    status = "reached" if on >= first else "below"
    if other and ("reached" if on >= other[0] else "below") != status:
        status = "unknown"
    found = view.derivations.get(status)
    if found is None:
        found = view.derivations[status] = _retirement_status(book, birth, sex, group, status)
    return found


def retired_from_dates(
    book: RuleBook, birth: dt.date, sex: str, group: int | None
) -> tuple[dt.date, ...]:
    """The first day past the statutory retirement age for each group in question: one date
    for a man or a woman whose group is given, two (groups 50 and 55) otherwise."""
    return _retirement_view(book, birth, sex, group).retired_from


def _retirement_view(
    book: RuleBook, birth: dt.date, sex: str, group: int | None
) -> _RetirementView:
    day = birth.day if book.retirement_by_birth_day else 0

    def view() -> _RetirementView:
        names = _retirement_groups(sex, group)
        retired = tuple(
            statutory_retirement(book.retirement, birth, name).retired_from for name in names
        )
        return _RetirementView(retired, {})

    return book.recall(_RETIREMENT, (birth.year, birth.month, day, sex, group), view)


def _retirement_status(
    book: RuleBook, birth: dt.date, sex: str, group: int | None, status: str
) -> Derivation:
    infos = [
        statutory_retirement(book.retirement, birth, n) for n in _retirement_groups(sex, group)
    ]
    earliest = min(info.retired_from for info in infos)
    texts = {}
    for lang in ("en", "zh"):
        parts = []
        for info in infos:
            own = status if status != "unknown" else (
                "reached" if info.retired_from == earliest else "below")  # fmt: skip
            parts.append(_part_text(book, info, own, lang))
        separator = "; " if lang == "en" else "；"
        # What is withheld is said once, after the groups.
        withheld = book.glossary.say("derivation.retirement.withheld", lang)
        parts = [separator.join(parts) + (" " if lang == "en" else "") + withheld]
        if status == "unknown":
            parts.append(book.glossary.say("derivation.retirement.undecided", lang))
        texts[lang] = separator.join(parts)
    sources = tuple(sorted({info.source for info in infos}))
    return Derivation("retirement_status", status, texts["en"], sources, texts["zh"])


def _part_text(book: RuleBook, info: RetirementAge, status: str, lang: Lang) -> str:
    # What a masked decision may say of the retirement age (docs/api.md, "Personal data"):
    # whether it is reached on the decision's date, and by which rule; not the age in months,
    # the delay or the date it is reached, which give away the birth year and month.
    return book.glossary.say(
        "derivation.retirement.group", lang,
        group=book.glossary.say(f"retirement.{info.group}", lang),
        said=book.glossary.say(f"retirement.{status}", lang),
    )  # fmt: skip


def _retirement_groups(sex: str, group: int | None) -> tuple[str, ...]:
    if sex == "male":
        return ("male",)
    if group is not None:
        return (f"female_{group}",)
    return ("female_50", "female_55")


@dataclass(frozen=True, slots=True)
class WageFinding:
    """The minimum wage to compare an income with (4.5(3)), whether it is known, and how."""

    amount: float | None
    status: str  # known, tier_decides or not_on_file (rules/facts.yaml)
    derivation: Derivation


def minimum_wage_for(
    book: RuleBook,
    day: dt.date,
    income: float,
    tier: int | None,
    amount: float | None,
    tier_field: str,
    fact: str,
) -> WageFinding:
    """The minimum wage to compare an income with (4.5(3)), whether it is known, and how.

    Tier (or amount) come from the caller: the county-to-tier mapping is not published. Without
    either, an income at or above the highest tier is not below any tier's minimum wage, and an
    income below the lowest tier is below all of them; in between, the answer depends on the
    tier (``tier_decides``). Before the first row on file no tier could decide
    (``not_on_file``). ``tier_field`` names the input the tier came from, for an unknown tier.
    """
    glossary = book.glossary

    def money(value: float, lang: Lang) -> str:
        return glossary.amount(value, "yuan_per_month", lang)

    def finding(value: float | None, status: str, texts: dict[str, str]) -> WageFinding:
        sources = () if status == "known" and amount is not None else _WAGE_SOURCES
        return WageFinding(
            value, status, Derivation(fact, value, texts["en"], sources, texts["zh"])
        )

    if amount is not None:
        return finding(
            amount,
            "known",
            {
                lang: glossary.say("derivation.wage.given", lang, amount=money(amount, lang))
                for lang in _LANGS
            },
        )
    table = book.minimum_wages
    try:
        if tier is not None:
            wage = minimum_wage_on(table, day, tier, field=tier_field)
            return finding(
                float(wage.amount),
                "known",
                {lang: _row_text(book, wage, day, lang) for lang in _LANGS},
            )
        high, low = highest_amount_on(table, day), lowest_amount_on(table, day)
    except MinimumWageNotInForceError as exc:
        return finding(
            None,
            "not_on_file",
            {
                lang: glossary.say(
                    "derivation.wage.not_on_file",
                    lang,
                    day=format_date(day, lang),
                    earliest=format_date(exc.earliest, lang),
                )
                for lang in _LANGS
            },
        )
    if income >= high.amount:
        key, wage = "derivation.wage.not_below_highest", high
    elif income < low.amount:
        key, wage = "derivation.wage.below_lowest", low
    else:
        return finding(
            None,
            "tier_decides",
            {
                lang: glossary.say(
                    "derivation.wage.between",
                    lang,
                    income=money(income, lang),
                    low=money(low.amount, lang),
                    high=money(high.amount, lang),
                    day=format_date(day, lang),
                )
                for lang in _LANGS
            },
        )
    return finding(
        float(wage.amount),
        "known",
        {
            lang: glossary.say(
                key, lang, income=money(income, lang), row=_row_text(book, wage, day, lang)
            )
            for lang in _LANGS
        },
    )


_LANGS: tuple[Lang, Lang] = ("en", "zh")
_WAGE_SOURCES = ("liaoning-minimum-wage",)


def _row_text(book: RuleBook, wage: MinimumWage, day: dt.date, lang: Lang) -> str:
    glossary = book.glossary
    start = format_date(wage.effective_from, lang)
    if wage.effective_until is None:
        period = glossary.say("derivation.wage.period_open", lang, start=start)
    else:
        end = format_date(wage.effective_until, lang)
        period = glossary.say("derivation.wage.period_closed", lang, start=start, end=end)
    return glossary.say(
        "derivation.wage.tier", lang, tier=wage.tier, tiers=wage.tiers, period=period,
        amount=glossary.amount(wage.amount, "yuan_per_month", lang),
        day=format_date(day, lang),
        source=(wage.source_zh if lang == "zh" else wage.source).rstrip("。."),
        verification=(wage.verification_zh if lang == "zh" else wage.verification).rstrip("。."),
    )  # fmt: skip
