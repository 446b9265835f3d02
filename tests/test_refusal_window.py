"""4.5(12) refusals counted within a window of N months (``refusal_counting.window: {months:
N}`` in rules/parameters/review.yaml), against an oracle written out here.

The semantics (review.yaml's note, docs/rules.md ``review.refusal-counting``): a refusal on day
R counts toward the number of a refusal on day D (R on or before D, in date order, a contact
before a refusal on the same day) when D is not after the last day of the N-month period that
begins with R (民法典 arts. 201-202: the corresponding day of the Nth month, or that month's
last day; under ``art202_anchor: first_counted_day`` that of R + 1 day; no art. 203).
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import lnunemp_rules as L
from builders import event, id_number, registrant
from lnunemp_rules.decide.review import _refusal_numbers, registrant_facts
from lnunemp_rules.errors import RuleFileError
from lnunemp_rules.inputs.models import Registrant
from lnunemp_rules.law.periods import PeriodConventions
from lnunemp_rules.rulebook.book import RuleBook, load_rule_book
from lnunemp_rules.rulebook.folder import rules_dir
from test_explanation_language import han_outside_quotes, latin_words

WINDOW_LINE = "  window: registration\n"


class Ev(NamedTuple):
    type: str
    date: dt.date


def book_with(**review: object) -> RuleBook:
    book = load_rule_book()
    return dataclasses.replace(book, review=dataclasses.replace(book.review, **review))


def conventions_with(anchor: str) -> PeriodConventions:
    """The packaged period conventions under an art202_anchor (rules/parameters/periods.yaml)."""
    return dataclasses.replace(load_rule_book().period_conventions, art202_anchor=anchor)


# ---- the oracle --------------------------------------------------------------------------


def period_last_day(start: dt.date, months: int, anchor: str) -> dt.date:
    """The last day of an N-month period beginning with ``start`` (民法典 art. 202), by hand."""
    day = start + dt.timedelta(days=1) if anchor == "first_counted_day" else start
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def oracle(
    events: list[Ev], months: int | None, reset: bool, same_day: str, anchor: str = "start_day"
) -> dict[int, int]:
    """Each refusal's number, by counting again from scratch for every refusal."""
    kept = [i for i, e in enumerate(events) if e.type in ("refusal", "contact")]
    order = sorted(kept, key=lambda i: (events[i].date, events[i].type != "contact", i))
    numbers = {}
    for position, index in enumerate(order):
        if events[index].type != "refusal":
            continue
        day = events[index].date
        before = order[: position + 1]
        if reset:
            contacts = [p for p, i in enumerate(before) if events[i].type == "contact"]
            if contacts:
                before = before[contacts[-1] + 1 :]
        days = [events[i].date for i in before if events[i].type == "refusal"]
        if months is not None:
            days = [r for r in days if day <= period_last_day(r, months, anchor)]
        numbers[index] = len(set(days)) if same_day == "once" else len(days)
    return numbers


def oracle_count(
    events: list[Ev], as_of: dt.date, months: int | None, reset: bool, same_day: str
) -> int:
    """refusal_count: the refusals counted on the as-of date -- after the last contact when a
    contact resets, within the window ending on the as-of date."""
    known = sorted((e for e in events if e.date <= as_of and e.type in ("refusal", "contact")),
                   key=lambda e: (e.date, e.type != "contact"))  # fmt: skip
    if reset:
        contacts = [p for p, e in enumerate(known) if e.type == "contact"]
        if contacts:
            known = known[contacts[-1] + 1 :]
    days = [e.date for e in known if e.type == "refusal"]
    if months is not None:
        days = [r for r in days if as_of <= period_last_day(r, months, "start_day")]
    return len(set(days)) if same_day == "once" else len(days)


# ---- properties --------------------------------------------------------------------------

# Days crowd month ends (28th-31st) and a leap day, over three years.
_MONTH_ENDS = [dt.date(y, m, calendar.monthrange(y, m)[1]) for y in (2026, 2027, 2028)
               for m in range(1, 13)]  # fmt: skip
_DAYS = st.one_of(
    st.dates(dt.date(2026, 1, 1), dt.date(2028, 12, 31)),
    st.sampled_from(_MONTH_ENDS).flatmap(
        lambda d: st.integers(-3, 3).map(lambda k: d + dt.timedelta(days=k))),
)  # fmt: skip
_EVENTS = st.lists(
    st.builds(Ev, st.sampled_from(["refusal", "refusal", "refusal", "contact", "hired"]), _DAYS),
    max_size=12,
)


@given(
    events=_EVENTS,
    months=st.integers(1, 24),
    reset=st.booleans(),
    same_day=st.sampled_from(["each", "once"]),
    anchor=st.sampled_from(["start_day", "first_counted_day"]),
)
@settings(max_examples=400)
def test_refusal_numbers_under_a_window_equal_the_oracle(
    events: list[Ev], months: int, reset: bool, same_day: str, anchor: str
) -> None:
    """Every refusal's number, under every combination of window, reset and same-day rule and
    both art. 202 anchors, is the oracle's."""
    params = book_with(refusal_window_months=months, refusal_reset_on_contact=reset,
                       refusal_same_day=same_day).review  # fmt: skip
    got = _refusal_numbers(params, list(enumerate(events)), conventions_with(anchor))
    assert got == oracle(events, months, reset, same_day, anchor)


@given(
    events=st.lists(st.builds(Ev, st.sampled_from(["refusal"] * 6 + ["contact"]), _DAYS),
                    min_size=20, max_size=80),
    months=st.integers(1, 6),
    reset=st.booleans(),
    same_day=st.sampled_from(["each", "once"]),
)  # fmt: skip
@settings(max_examples=60)
def test_long_refusal_histories_under_a_window_equal_the_oracle(
    events: list[Ev], months: int, reset: bool, same_day: str
) -> None:
    """Histories of 20-80 events, most of them refusals, some on one day, under short windows
    (refusals enter and leave the window many times): every number is the oracle's."""
    params = book_with(refusal_window_months=months, refusal_reset_on_contact=reset,
                       refusal_same_day=same_day).review  # fmt: skip
    got = _refusal_numbers(params, list(enumerate(events)), conventions_with("start_day"))
    assert got == oracle(events, months, reset, same_day, "start_day")


def test_a_window_costs_one_period_end_per_refusal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Numbering 3,000 refusals (three a day) under a 12-month window looks up at most two
    period ends per refusal, not one per pair of refusals (the model allows 10,000 events)."""
    from lnunemp_rules.decide import review

    calls = 0
    real = review._in_window

    def counted(*args: Any) -> bool:
        nonlocal calls
        calls += 1
        return real(*args)

    monkeypatch.setattr(review, "_in_window", counted)
    events = [Ev("refusal", dt.date(2020, 1, 1) + dt.timedelta(days=i // 3)) for i in range(3_000)]
    params = book_with(refusal_window_months=12).review
    numbers = _refusal_numbers(params, list(enumerate(events)), conventions_with("start_day"))
    assert max(numbers.values()) > 1_000  # a year of refusals, three a day, in the window
    assert calls <= 2 * len(events)


@given(events=_EVENTS, reset=st.booleans(), same_day=st.sampled_from(["each", "once"]))
@settings(max_examples=200)
def test_without_a_window_the_numbers_are_the_oracles_too(
    events: list[Ev], reset: bool, same_day: str
) -> None:
    """window: registration (the default) is the oracle with no window."""
    params = dataclasses.replace(load_rule_book().review, refusal_reset_on_contact=reset,
                                 refusal_same_day=same_day)  # fmt: skip
    assert _refusal_numbers(params, list(enumerate(events))) == oracle(events, None, reset,
                                                                       same_day)  # fmt: skip


def _person(events: list[Ev]) -> dict[str, Any]:
    return registrant(*(event(e.type, e.date) for e in events), registered=dt.date(2025, 12, 1))


@given(
    events=_EVENTS.map(lambda es: [e for e in es if e.date <= dt.date(2026, 12, 31)]),
    months=st.one_of(st.none(), st.integers(1, 14)),
    reset=st.booleans(),
    same_day=st.sampled_from(["each", "once"]),
)
@settings(max_examples=60)
def test_the_decision_deregisters_from_the_first_refusal_numbered_3(
    events: list[Ev], months: int | None, reset: bool, same_day: str
) -> None:
    """A 4.5(12) trigger exactly when the oracle numbers a refusal 3 or more, effective on the
    earliest such refusal's day; refusal_count is the oracle's count on the as-of date."""
    as_of = dt.date(2026, 12, 31)
    book = book_with(refusal_window_months=months, refusal_reset_on_contact=reset,
                     refusal_same_day=same_day)  # fmt: skip
    decision = L.assess_deregistration(_person(events), as_of=as_of, rule_book=book)
    numbers = oracle(events, months, reset, same_day)
    third = [events[i].date for i, n in numbers.items() if n >= 3]
    fired = [t for t in decision.triggers if t.clause.id == "4.5(12)"]
    if third:
        assert fired and fired[0].effective_date == min(third)
    else:
        assert not fired
    count = next(d.value for d in decision.derivations if d.fact == "refusal_count")
    assert count == oracle_count(events, as_of, months, reset, same_day)


# ---- worked examples ---------------------------------------------------------------------


@pytest.mark.parametrize(("months", "same_day", "count"), [
    (None, "each", 3), (None, "once", 2), (12, "each", 3), (12, "once", 2),
])  # fmt: skip
def test_refusal_count_counts_each_refusal_or_each_day(
    months: int | None, same_day: str, count: int
) -> None:
    """Two refusals on 2026-05-04 and one on 2026-06-01: refusal_count on 2026-11-28 is 3 when
    each refusal counts and 2 when a day counts once, with or without a 12-month window."""
    events = [Ev("refusal", dt.date(2026, 5, 4)), Ev("refusal", dt.date(2026, 5, 4)),
              Ev("refusal", dt.date(2026, 6, 1))]  # fmt: skip
    book = book_with(refusal_window_months=months, refusal_same_day=same_day)
    decision = L.assess_deregistration(_person(events), as_of="2026-11-28", rule_book=book)
    assert next(d.value for d in decision.derivations if d.fact == "refusal_count") == count


def numbers_of(days: list[str], months: int | None = 12, **review: object) -> list[int]:
    params = book_with(refusal_window_months=months, **review).review
    events = [Ev("refusal", dt.date.fromisoformat(d)) for d in days]
    found = _refusal_numbers(params, list(enumerate(events)), load_rule_book().period_conventions)
    return [found[i] for i in range(len(days))]


@pytest.mark.parametrize(
    ("days", "numbers"),
    [
        # A 12-month period from 2026-01-31 ends on 2027-01-31: all three are within.
        (["2026-01-31", "2026-02-28", "2027-01-31"], [1, 2, 3]),
        # ... and not on 2027-02-01: the first has left the window.
        (["2026-01-31", "2026-02-28", "2027-02-01"], [1, 2, 2]),
        # From 2026-02-28 the period ends 2027-02-28; on 2027-03-01 only two remain.
        (["2026-02-28", "2026-03-31", "2027-02-28"], [1, 2, 3]),
        (["2026-02-28", "2026-03-31", "2027-03-01"], [1, 2, 2]),
        # Leap year: from 2027-02-28 the period ends 2028-02-28, so 2028-02-29 leaves it out
        # (the window up to 2028-02-29 begins on 2027-03-01).
        (["2027-02-28", "2027-03-01", "2028-02-29"], [1, 2, 2]),
        (["2027-02-28", "2027-03-01", "2028-02-28"], [1, 2, 3]),
        # Listed out of order: numbered by date.
        (["2027-01-31", "2026-01-31", "2026-02-28"], [3, 1, 2]),
    ],
)
def test_twelve_months_at_month_ends(days: list[str], numbers: list[int]) -> None:
    assert numbers_of(days) == numbers


def test_a_one_month_window_back_from_31_march() -> None:
    """One month up to 2026-03-31 begins on 2026-03-01: a month from 2026-02-28 ends on
    2026-03-28 (art. 202), and no February day's month ends on 29-31 March."""
    assert numbers_of(["2026-02-28", "2026-03-01", "2026-03-31"], 1) == [1, 2, 2]
    assert numbers_of(["2026-02-28", "2026-03-01", "2026-03-28"], 1) == [1, 2, 3]


def test_the_window_combines_with_reset_and_same_day() -> None:
    days = ["2026-01-10", "2026-01-10", "2026-06-10", "2027-02-10"]
    assert numbers_of(days) == [1, 2, 3, 2]
    assert numbers_of(days, refusal_same_day="once") == [1, 1, 2, 2]
    assert numbers_of(days, None, refusal_same_day="once") == [1, 1, 2, 3]
    with_contact = ["2026-01-10", "2026-06-10", "2026-06-20"]
    params = book_with(refusal_window_months=12, refusal_reset_on_contact=True).review
    events = [Ev("refusal", dt.date.fromisoformat(d)) for d in with_contact]
    events.append(Ev("contact", dt.date(2026, 6, 10)))  # before the refusal of its day
    found = _refusal_numbers(params, list(enumerate(events)), load_rule_book().period_conventions)
    assert found == {0: 1, 1: 1, 2: 2}


SPREAD = [event("refusal", dt.date(2025, 9, 10)), event("refusal", dt.date(2026, 3, 10)),
          event("refusal", dt.date(2026, 11, 10))]  # fmt: skip
SPREAD_AS_OF = dt.date(2026, 11, 28)


@pytest.fixture(scope="module")
def twelve_months(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The packaged rules with ``window: {months: 12}`` in review.yaml."""
    folder = tmp_path_factory.mktemp("window") / "rules"
    shutil.copytree(rules_dir(), folder)
    review = folder / "parameters" / "review.yaml"
    text = review.read_text(encoding="utf-8")
    assert WINDOW_LINE in text
    review.write_text(text.replace(WINDOW_LINE, "  window: {months: 12}\n"), encoding="utf-8")
    return folder


def test_three_refusals_over_14_months_deregister_only_without_a_window(
    engine: str, twelve_months: Path
) -> None:
    """Refusals 2025-09-10, 2026-03-10, 2026-11-10: the 3rd since the registration (default),
    only the 2nd within the 12 months up to 2026-11-10 (from 2025-11-10)."""
    person = registrant(*SPREAD, registered=dt.date(2025, 8, 1))
    default = L.assess_deregistration(person, as_of=SPREAD_AS_OF, engine=engine)
    assert default.outcome == "deregister"
    assert default.effective_date == dt.date(2026, 11, 10)
    assert [t.clause.id for t in default.triggers] == ["4.5(12)"]
    book = load_rule_book(twelve_months)
    assert book.review.refusal_window_months == 12
    windowed = L.assess_deregistration(person, as_of=SPREAD_AS_OF, engine=engine, rule_book=book)
    assert windowed.outcome == "remain_registered"
    # Ten days more than the spread: within 12 months of the 2nd, a 4th refusal is the 3rd.
    later = registrant(*SPREAD, event("refusal", dt.date(2026, 11, 20)),
                       registered=dt.date(2025, 8, 1))  # fmt: skip
    again = L.assess_deregistration(later, as_of=SPREAD_AS_OF, engine=engine, rule_book=book)
    assert again.outcome == "deregister" and again.effective_date == dt.date(2026, 11, 20)


def test_the_count_says_its_window_in_both_languages(twelve_months: Path) -> None:
    """The refusal_count derivation names the 12 months and the window's first day; the
    Chinese wholly in Chinese, the English without Chinese; the explanation too."""
    book = load_rule_book(twelve_months)
    person = registrant(*SPREAD, registered=dt.date(2025, 8, 1))
    facts = registrant_facts(Registrant.model_validate(person), SPREAD_AS_OF, book)
    found = next(d for d in facts.derivations if d.fact == "refusal_count")
    assert found.value == 2
    assert "近12个月内（2025年11月28日至2026年11月28日）累计拒绝2次" in found.how_zh
    assert "2 refusals within the 12 months up to 2026-11-28 (from 2025-11-28)" in found.how
    assert latin_words(found.how_zh) == [] and han_outside_quotes(found.how) == []
    decision = L.assess_deregistration(person, as_of=SPREAD_AS_OF, rule_book=book)
    zh, en = decision.explain("zh"), decision.explain("en")
    assert "近12个月内" in zh and latin_words(zh) == []
    assert "within the 12 months" in en and han_outside_quotes(en) == []


@pytest.mark.parametrize("reset", [False, True])
@pytest.mark.parametrize("once", [False, True])
def test_every_windowed_sentence_is_in_the_glossary_and_wholly_chinese(
    reset: bool, once: bool
) -> None:
    book = book_with(refusal_window_months=6, refusal_reset_on_contact=reset,
                     refusal_same_day="once" if once else "each")  # fmt: skip
    person = registrant(*SPREAD, registered=dt.date(2025, 8, 1))
    facts = registrant_facts(Registrant.model_validate(person), SPREAD_AS_OF, book)
    found = next(d for d in facts.derivations if d.fact == "refusal_count")
    assert "近6个月内" in found.how_zh and "within the 6 months" in found.how
    assert ("最近一次联系" in found.how_zh) is reset
    assert ("只计一次" in found.how_zh) is once
    assert latin_words(found.how_zh) == [] and han_outside_quotes(found.how) == []


# ---- bad windows -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "window",
    ["{months: 0}", "{months: 121}", "{months: 12.5}", "{months: true}", '{months: "12"}',
     "{months: 12, days: 3}", "{month: 12}", "12", "12_months", "registration_date", "[12]",
     "null"],
)  # fmt: skip
def test_a_bad_window_is_refused_naming_the_key_and_what_is_accepted(
    window: str, tmp_path: Path
) -> None:
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    review = folder / "parameters" / "review.yaml"
    text = review.read_text(encoding="utf-8")
    line = text[: text.index(WINDOW_LINE)].count("\n") + 1
    review.write_text(text.replace(WINDOW_LINE, f"  window: {window}\n"), encoding="utf-8")
    with pytest.raises(RuleFileError) as caught:
        load_rule_book(folder)
    problems = [p for p in caught.value.problems if "refusal_counting.window" in p.message]
    assert len(problems) == 1, caught.value.problems
    problem = problems[0]
    assert problem.file.endswith("parameters/review.yaml") and problem.line == line
    assert "accepted: 'registration'" in problem.message
    assert "{months: N}" in problem.message and "from 1 to 120" in problem.message


# ---- impact ------------------------------------------------------------------------------


def test_impact_of_a_12_month_window_names_4_5_12_only(twelve_months: Path, tmp_path: Path) -> None:
    """``impact --after`` a folder with a 12-month window: the registrant whose refusals
    spread over 14 months is no longer deregistered, the one with three in a month still is,
    and only review.yaml differs."""
    pytest.importorskip("pyarrow")
    from lnunemp_rules.cli import main

    register = tmp_path / "registrants.jsonl"
    close = [event("refusal", dt.date(2026, 10, d)) for d in (1, 8, 15)]
    people = [registrant(*SPREAD, registered=dt.date(2025, 8, 1)),
              registrant(*close, registered=dt.date(2025, 8, 1))]  # fmt: skip
    people[1]["person"]["id_number"] = id_number(dt.date(1985, 3, 3))
    register.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in people),
                        encoding="utf-8")  # fmt: skip
    summary_path = tmp_path / "summary.json"
    code = main(["impact", str(register), "--kind", "review", "--as-of", SPREAD_AS_OF.isoformat(),
                 "--before", "packaged", "--after", str(twelve_months),
                 "--summary", str(summary_path)])  # fmt: skip
    assert code == 0
    summary = json.loads(summary_path.read_text("utf-8"))
    assert summary["records"] == 2 and summary["changed"] == 1
    assert [f["file"] for f in summary["files_changed"]] == ["parameters/review.yaml"]
    transitions = {(t["from"], t["to"]): t["count"] for t in summary["transitions"]}
    assert transitions == {("deregister", "remain_registered"): 1}
    assert set(summary["by_clause"]) == {"4.5(12)"}
