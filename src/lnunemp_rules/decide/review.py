"""The periodic review (standard 4.3.1, 4.5, 5.5): a registrant's facts as of a date, the
combination policy, and the decision.

Any 4.5 trigger makes it ``deregister`` with effect from the earliest trigger date; otherwise
an undecided point makes it ``needs_review``; otherwise ``remain_registered`` with the next
date a time-based trigger (4.5(13)) would fire if nothing new happens.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import state
from ..engines.evaluation import Evaluation, RuleResult, Subject
from ..errors import CalendarCoverageError, InputError
from ..explain.document import RECORDED_WITHHELD
from ..inputs.masking import mask_id_number
from ..inputs.models import Registrant
from ..inputs.validation import as_date
from ..law.periods import PeriodConventions, add_months, legal_period_end, shift_months
from ..law.wording import format_date
from ..rulebook.book import RuleBook, load_rule_book
from ..rulebook.memos import Memo
from .citations import citation, citations, reason
from .decision import (
    Citation,
    DecisionMeta,
    DeregistrationDecision,
    Derivation,
    Match,
    Warning,
)
from .derivations import (
    bilingual,
    minimum_wage_for,
    residence_derivation,
    retired_from_dates,
    retirement_derivation,
)
from .procedure import Prepared, Procedure

__all__ = [
    "REGISTRANT_COLUMNS",
    "REVIEW",
    "RegistrantFacts",
    "ReviewProcedure",
    "assess_deregistration",
    "registrant_facts",
]

#: CSV columns of a registrant; ``events`` holds the JSON array of events (docs/batch.md).
REGISTRANT_COLUMNS = (
    "person.id_number", "person.name", "person.birth_date", "person.sex",
    "person.female_retirement_group", "registration_date", "residence_region",
    "minimum_wage_tier", "events",
)  # fmt: skip


@dataclass
class RegistrantFacts:
    """A registrant's facts for the rules as of a date, with how the derived ones were
    obtained."""

    subjects: list[Subject]
    derivations: list[Derivation]
    next_review_date: dt.date | None
    warnings: list[Warning] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _ContactLapse:
    facts: dict[str, int]
    derivations: tuple[Derivation, ...]
    warnings: tuple[Warning, ...]
    next_review: dt.date | None


def _compute_contact_lapse(book: RuleBook, last_contact: dt.date) -> _ContactLapse:
    """4.5(13): the end of the contact-lapse period from the last contact (民法典 arts. 201-203,
    1259), its derivations, and the warning when the calendar cannot extend it."""
    params = book.review
    months = params.contact_lapse_months
    conventions = book.period_conventions
    unextended = add_months(last_contact, months, conventions=conventions)
    facts = {"contact_lapse_end_unextended": unextended.toordinal()}
    kinds = {
        lang: ("、" if lang == "zh" else ", ").join(
            book.glossary.value("event", "type", kind, lang)
            for kind in sorted(params.contact_events)
        )
        for lang in ("en", "zh")
    }
    start = {lang: book.glossary.say("derivation.lapse.start", lang, kinds=kinds[lang],
                                     last=format_date(last_contact, lang), months=months)
             for lang in ("en", "zh")}  # fmt: skip
    try:
        end = legal_period_end(
            last_contact, months, conventions=conventions, calendar=book.calendar
        )
    except CalendarCoverageError as exc:
        rest = {lang: book.glossary.say("derivation.lapse.calendar_unknown", lang, year=exc.year,
                                        day=format_date(unextended, lang))
                for lang in ("en", "zh")}  # fmt: skip
        derivation = Derivation(
            "contact_lapse_end", None, f"{start['en']} {rest['en']}",
            ("civil-code-art202", "civil-code-art203"), start["zh"] + rest["zh"],
        )  # fmt: skip
        en, zh = bilingual(book, "warning.lapse_calendar", year=exc.year)
        return _ContactLapse(facts, (derivation,), (Warning("lapse_calendar", zh, en),), None)
    facts["contact_lapse_end"] = end.date.toordinal()
    effective = end.date + dt.timedelta(days=1)
    facts["contact_lapse_effective"] = effective.toordinal()
    effective_en, effective_zh = bilingual(
        book, "derivation.lapse.effective", date=effective, months=months
    )
    derivations = (
        Derivation(
            "contact_lapse_end", end.date,
            start["en"] + " " + " ".join(end.sentences("en")),
            (*end.basis, *end.sources),
            start["zh"] + "".join(end.sentences("zh")),
            (*end.basis, *end.sources_zh),
        ),
        Derivation(
            "contact_lapse_effective", effective, effective_en, ("civil-code-art1259",),
            effective_zh,
        ),
    )  # fmt: skip
    return _ContactLapse(facts, derivations, (), effective)


# Per rule book: last contact day -> the 4.5(13) period from it; many registrants share a last
# contact. Saves 28% of a review: the period computation for all but the first registrant of
# a day (benchmarks/bench_memories.py).
_LAPSES: Memo[dt.date, _ContactLapse] = Memo("contact lapses", 20_000)


def _contact_lapse(book: RuleBook, last_contact: dt.date) -> _ContactLapse:
    return book.recall(_LAPSES, last_contact, lambda: _compute_contact_lapse(book, last_contact))


def registrant_facts(registrant: Registrant, as_of: dt.date, book: RuleBook) -> RegistrantFacts:
    """The facts of one registrant as of a date for the review ruleset."""
    params = book.review
    derivations: list[Derivation] = []
    warnings: list[Warning] = []
    events = [(i, e) for i, e in enumerate(registrant.events) if e.date <= as_of]

    contacts = [e.date for _, e in events if e.type in params.contact_events]
    last_contact = max([registrant.registration_date, *contacts])
    lapse = _contact_lapse(book, last_contact)
    own: dict[str, Any] = {"as_of": as_of.toordinal(), **lapse.facts}
    derivations.extend(lapse.derivations)
    warnings.extend(lapse.warnings)
    next_review = lapse.next_review

    conventions = book.period_conventions
    refusal_number, refusals = _counted_refusals(params, events, conventions)
    # refusal_count: those a refusal on the as-of date would find counted before it.
    refusals.move_to(as_of)
    count = refusals.count(params.refusal_same_day == "once")
    own["refusal_count"] = count
    window = params.refusal_window_months
    how = (
        "derivation.refusals"
        + (".window" if window is not None else "")
        + (".reset" if params.refusal_reset_on_contact else "")
        + (".same_day_once" if params.refusal_same_day == "once" else "")
    )
    shown: dict[str, object] = {"on": as_of, "count": count}
    if window is not None:
        shown.update(months=window, start=_window_start(as_of, window, conventions))
    derivations.append(_said(book, "refusal_count", count, how, (), **shown))
    own.update(_retirement_facts(book, registrant, as_of, derivations))
    inside, found = residence_derivation(book, registrant.residence_region)
    own["residence_in_province"] = inside
    derivations.append(found)
    subjects = [Subject("registrant", -1, own)]
    for index, event in events:
        facts: dict[str, Any] = {"type": event.type, "date": event.date.toordinal()}
        if event.type == "refusal":
            facts["refusal_number"] = refusal_number[index]
        elif event.type == "income_work":
            facts["monthly_income"] = event.monthly_income
            tier = event.minimum_wage_tier or registrant.minimum_wage_tier
            # An unknown tier is blamed on the field it came from (the registrant's default).
            tier_field = (f"events[{index}].minimum_wage_tier" if event.minimum_wage_tier
                          else "minimum_wage_tier")  # fmt: skip
            wage = minimum_wage_for(
                book, event.date, event.monthly_income, tier, event.minimum_wage_amount,
                tier_field, f"events[{index}].minimum_wage",
            )  # fmt: skip
            facts["minimum_wage"] = wage.amount
            facts["minimum_wage_status"] = wage.status
            derivations.append(wage.derivation)
        elif event.type == "flexible_employment":
            facts["social_insurance"] = event.social_insurance
            facts["income_tax"] = event.income_tax
        elif event.type == "move":
            province = book.province
            cross = not province.contains(event.new_region)
            facts["cross_province"] = cross
            key = "derivation.move.outside" if cross else "derivation.move.inside"
            texts = [
                book.glossary.say(key, lang, code=event.new_region, prefix=province.code,
                                  province=province.name_zh if lang == "zh" else province.name_en)
                for lang in ("en", "zh")
            ]  # fmt: skip
            derivations.append(
                Derivation(f"events[{index}].cross_province", cross, texts[0], (), texts[1])
            )
        subjects.append(Subject("event", index, {k: v for k, v in facts.items() if v is not None}))
    return RegistrantFacts(subjects, derivations, next_review, warnings)


# Per rule book: a derivation told by one glossary sentence, by its fact, value, sentence and
# the values the sentence shows. A review's refusal count (one review date, a few counts) and
# retirement day repeat across registrants; their sentences cost more than the rest of the
# facts (docs/performance.md, issue 12).
_SAID: Memo[tuple[object, ...], Derivation] = Memo("derivations said", 20_000)


def _said(book: RuleBook, fact: str, value: object, key: str, sources: tuple[str, ...],
          **shown: object) -> Derivation:  # fmt: skip
    """``Derivation(fact, value, ...)`` in the words of the glossary sentence ``key``."""

    def said() -> Derivation:
        en, zh = bilingual(book, key, **shown)
        return Derivation(fact, value, en, sources, zh)

    return book.recall(_SAID, (fact, value, key, sources, *shown.items()), said)


class _Refusals:
    """4.5(12): the refusals counted so far, in date order -- since the registration, or since
    the last contact when a contact starts the count again -- and on how many days they fall;
    with a window of N months, only those within the N months up to the day it was last moved
    to (:func:`_in_window`).

    The days it is moved to only grow, and a period's end grows with its start (add_months),
    so a refusal that has left the window has left it for good: it is dropped from the front
    once, and each refusal costs one add_months, however many a registrant has (the model
    allows 10,000 events; re-scanning every earlier refusal took 23 s for them).
    """

    __slots__ = ("conventions", "days", "distinct", "months")

    def __init__(self, months: int | None, conventions: PeriodConventions | None) -> None:
        assert months is None or conventions is not None, "a window needs the conventions"
        self.months, self.conventions = months, conventions
        self.days: deque[dt.date] = deque()
        self.distinct = 0

    def clear(self) -> None:
        self.days.clear()
        self.distinct = 0

    def add(self, day: dt.date) -> None:
        """A refusal on ``day`` (no earlier than any counted), the window moved to it."""
        days = self.days
        if not days or days[-1] != day:
            self.distinct += 1
        days.append(day)
        self.move_to(day)

    def move_to(self, day: dt.date) -> None:
        """Drop the refusals outside the window ending on ``day`` (none without a window)."""
        months, days = self.months, self.days
        if months is None:
            return
        assert self.conventions is not None
        while days and not _in_window(days[0], day, months, self.conventions):
            first = days.popleft()
            if not days or days[0] != first:
                self.distinct -= 1

    def count(self, once: bool) -> int:
        """The refusals counted; with ``once``, the days that have one."""
        return self.distinct if once else len(self.days)


def _counted_refusals(
    params: Any, events: list[tuple[int, Any]], conventions: PeriodConventions | None
) -> tuple[dict[int, int], _Refusals]:
    """Each refusal's number in the count, under the convention refusal_counting of
    rules/parameters/review.yaml (counted since the registration or within a window of N
    months; optionally started again by a contact; several refusals on one day each count, or
    once), and the refusals counted after the last event."""
    once = params.refusal_same_day == "once"
    refusals = _Refusals(params.refusal_window_months, conventions)
    numbers: dict[int, int] = {}
    ordered = sorted(((e.date, e.type != "contact", i, e.type) for i, e in events
                      if e.type in ("refusal", "contact")))  # fmt: skip
    for day, _, index, kind in ordered:
        if kind == "contact":
            if params.refusal_reset_on_contact:
                refusals.clear()
            continue
        refusals.add(day)
        numbers[index] = refusals.count(once)
    return numbers, refusals


def _refusal_numbers(
    params: Any, events: list[tuple[int, Any]], conventions: PeriodConventions | None = None
) -> dict[int, int]:
    """4.5(12): each refusal's number in the count (:func:`_counted_refusals`).
    ``conventions`` (the rule book's period conventions) are needed for a window only."""
    return _counted_refusals(params, events, conventions)[0]


def _in_window(refusal: dt.date, day: dt.date, months: int, conventions: PeriodConventions) -> bool:
    """Whether a refusal on or before ``day`` is within the ``months``-month window ending on
    ``day``: the ``months``-month period that begins with the refusal (民法典 arts. 201-202,
    :func:`~lnunemp_rules.law.periods.add_months` under rules/parameters/periods.yaml
    art202_anchor; no art. 203 extension) has not ended before ``day``."""
    return day <= add_months(refusal, months, conventions=conventions)


def _window_start(day: dt.date, months: int, conventions: PeriodConventions) -> dt.date:
    """The first day of the ``months``-month window ending on ``day``: the earliest refusal day
    :func:`_in_window` counts (``add_months`` never decreases as its start day grows)."""
    start = shift_months(day, -months)
    while _in_window(start - dt.timedelta(days=1), day, months, conventions):
        start -= dt.timedelta(days=1)
    while not _in_window(start, day, months, conventions):
        start += dt.timedelta(days=1)
    return start


def _retirement_facts(
    book: RuleBook, registrant: Registrant, as_of: dt.date, derivations: list[Derivation]
) -> dict[str, Any]:
    """5.5 and the statutory retirement age (the same national rule and day convention as at
    registration): the status on the as-of date and, unless the women's group decides and is
    not given, the first day past the age (not before the registration date; the later of the
    two groups when the group is not given and both agree) -- only once it is reached: a day
    still to come would give away the birth year and month, which the explanation withholds
    (standard 4.3.1; docs/api.md, "Personal data")."""
    person = registrant.person
    known = person.birth_and_sex()
    assert known is not None
    birth, sex = known
    group = person.female_retirement_group
    status = retirement_derivation(book, birth, sex, group, as_of)
    derivations.append(status)
    facts: dict[str, Any] = {"retirement_status": status.value}
    if status.value == "reached":
        day = max(retired_from_dates(book, birth, sex, group))
        key = "derivation.retirement.effective"
        if day < registrant.registration_date:
            day, key = registrant.registration_date, "derivation.retirement.before_registration"
        sources = ("npc-2024-retirement-decision",)
        derivations.append(_said(book, "retirement_effective", day, key, sources, date=day))
        facts["retirement_effective"] = day.toordinal()
    return facts


def assess_deregistration(
    registrant: Registrant | Mapping[str, Any],
    *,
    as_of: dt.date | str,
    engine: str | None = None,
    rule_book: RuleBook | None = None,
) -> DeregistrationDecision:
    """Review one registrant as of a date (standard 4.3.1, 4.5, 5.5).

    Events after ``as_of`` are ignored. Bad input raises
    :class:`~lnunemp_rules.errors.InputError`.
    """
    return REVIEW.decide(registrant, as_of=as_of, engine=engine, rule_book=rule_book)


def _triggers(book: RuleBook, fired: tuple[RuleResult, ...], person: Registrant) -> list[Match]:
    """One match per trigger rule that fired, dated by its earliest subject, earliest first; a
    ground recorded as text (4.5(15)) says so, its text withheld (explain/document.py)."""
    by_rule: dict[str, list[RuleResult]] = {}
    for r in fired:
        if r.rule.effect == "trigger":
            by_rule.setdefault(r.rule.id, []).append(r)
    triggers: list[Match] = []
    for rule_id, hits in by_rule.items():
        rule = hits[0].rule
        assert rule.effective_date is not None
        dates = [dt.date.fromordinal(h.subject.facts[rule.effective_date]) for h in hits]
        events = tuple(h.subject.index for h in hits if h.subject.kind == "event")
        # Only some kinds of event have a reason; a model's fields are in its __dict__, read
        # without pydantic's __getattr__, which costs about 3 us per event that has none.
        recorded = tuple(
            RECORDED_WITHHELD for index in events if vars(person.events[index]).get("reason")
        )
        triggers.append(Match(rule_id, citation(book, rule.clause), citations(book, rule),
                              min(dates), events, recorded))  # fmt: skip
    triggers.sort(key=lambda m: (m.effective_date or dt.date.max, m.clause.id))
    return triggers


def _basis(book: RuleBook, outcome: str, next_review: dt.date | None) -> tuple[Citation, ...]:
    """5.5 (动态管理) for every review; for a registrant who stays registered also 4.5, none of
    whose items holds, and 4.5(13) when its date is the next review date."""
    cited = ["5.5"]
    if outcome == "remain_registered":
        cited.append("4.5")
        if next_review is not None:
            cited.append("4.5(13)")
    return tuple(citation(book, c) for c in cited)


class ReviewProcedure(Procedure[Registrant, DeregistrationDecision]):
    """The periodic review of a registrant (4.3.1, 4.5, 5.5)."""

    name = "review"
    input_model = Registrant
    csv_columns = REGISTRANT_COLUMNS
    outcomes = ("deregister", "remain_registered", "needs_review")
    needs_as_of = True
    person_key = "person"
    signature_key = "registration_date"
    date_fields = ("effective_date", "next_review_date")

    def prepare(
        self,
        data: Registrant | Mapping[str, Any],
        *,
        as_of: dt.date | str | None = None,
        rule_book: RuleBook | None = None,
    ) -> Prepared[Registrant]:
        """The registrant validated, with its facts as of ``as_of`` (required)."""
        person = self.validate(data)
        if as_of is None:
            raise InputError("as_of", "a review needs the date it is made on (YYYY-MM-DD)")
        on = as_date(as_of, "as_of")
        if on < person.registration_date:
            raise InputError(
                "as_of", f"{on} is before registration_date {person.registration_date}"
            )
        book = rule_book or load_rule_book()
        derived = registrant_facts(person, on, book)
        return Prepared(person, on, book, derived, tuple(derived.subjects))

    def conclude(
        self, prepared: Prepared[Registrant], results: Evaluation, engine: str
    ) -> DeregistrationDecision:
        person, book, derived, on = prepared.model, prepared.book, prepared.derived, prepared.on
        triggers = _triggers(book, results.fired, person)
        review = [reason(book, r.rule, r.subject) for r in results.fired
                  if r.rule.effect == "review"]  # fmt: skip
        established = None
        if triggers:
            outcome = "deregister"
            # Which date takes effect is the convention deregistration_effective_date of
            # rules/parameters/review.yaml; the day the ground was established is the review's.
            established = on
            effective = (triggers[0].effective_date
                         if book.review.effective_date_from == "ground_date" else on)  # fmt: skip
        elif review:
            outcome, effective = "needs_review", None
        else:
            outcome, effective = "remain_registered", None
        missing = tuple(dict.fromkeys(m for r in review for m in r.missing))
        masked = None
        if person.person.id_number is not None:
            masked = mask_id_number(person.person.id_number)
        meta = DecisionMeta(state.library_version(), book.version, book.digest, engine, on, masked)
        return DeregistrationDecision(
            outcome=outcome,
            reasons=tuple(review),
            missing_facts=missing,
            derivations=tuple(derived.derivations),
            warnings=tuple(derived.warnings),
            meta=meta,
            _results=results,
            basis=_basis(book, outcome, derived.next_review_date),
            _book=book,
            triggers=tuple(triggers),
            effective_date=effective,
            established_date=established,
            effective_date_from=book.review.effective_date_from if triggers else None,
            next_review_date=derived.next_review_date if outcome != "deregister" else None,
        )

    def grounds(self, decision: DeregistrationDecision) -> tuple[Match, ...]:
        return decision.triggers

    def matches(self, decision: DeregistrationDecision) -> tuple[Match, ...]:
        return decision.triggers

    def region(self, model: Registrant) -> str | None:
        return model.residence_region

    def summary(self, decision: DeregistrationDecision) -> dict[str, Any]:
        effective, next_review = decision.effective_date, decision.next_review_date
        return {
            "effective_date": effective.isoformat() if effective else None,
            "next_review_date": next_review.isoformat() if next_review else None,
        }

    def receipt_result(self, decision: DeregistrationDecision) -> dict[str, Any]:
        effective, next_review = decision.effective_date, decision.next_review_date
        return {
            "triggers": [
                {"rule_id": m.rule_id,
                 "effective_date": m.effective_date.isoformat() if m.effective_date else None}
                for m in decision.triggers
            ],
            "effective_date": effective.isoformat() if effective else None,
            "next_review_date": next_review.isoformat() if next_review else None,
        }  # fmt: skip


#: The review procedure.
REVIEW = ReviewProcedure()
