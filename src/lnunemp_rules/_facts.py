"""Derived facts: from a validated input to the flat facts the rules test.

Each derived fact is recorded as a :class:`Derivation` (value, how it was computed, sources),
which the decision's trace and explanation show. This is the only place where inputs become
facts; the rules in ``rules/`` decide everything else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from ._calendar import Deadline
from ._errors import CalendarCoverageError
from ._evaluate import Subject
from ._memo import remember
from ._minimum_wage import (
    MinimumWageNotInForceError,
    highest_amount_on,
    lowest_amount_on,
    minimum_wage_on,
)
from ._models import Registrant, RegistrationApplication, id_info
from ._periods import (
    add_months,
    age_in_full_years,
    legal_period_end,
)
from ._retirement import RetirementAge, statutory_retirement
from ._rulebook import RuleBook

__all__ = ["Derivation", "RegistrationFacts", "ReviewFacts", "registration_facts", "review_facts"]


@dataclass(frozen=True, slots=True)
class Derivation:
    """How one derived fact was obtained."""

    fact: str
    value: Any
    how: str
    sources: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        value = self.value.isoformat() if isinstance(self.value, dt.date) else self.value
        return {"fact": self.fact, "value": value, "how": self.how, "sources": list(self.sources)}


@dataclass(slots=True)
class RegistrationFacts:
    subjects: list[Subject]
    derivations: list[Derivation]
    deadline: Deadline | None
    warnings: list[str]
    subject_masked: str | None = None


@dataclass
class ReviewFacts:
    subjects: list[Subject]
    derivations: list[Derivation]
    next_review_date: dt.date | None
    warnings: list[str] = field(default_factory=list)
    ignored_events: int = 0


def _minimum_wage(
    book: RuleBook,
    day: dt.date,
    income: float,
    tier: int | None,
    amount: float | None,
    field_name: str,
) -> tuple[float | None, str, tuple[str, ...]]:
    """The minimum wage to compare an income with (4.5(3)), or None when it cannot be known.

    Tier (or amount) come from the caller: the county-to-tier mapping is not published. Without
    either, an income at or above the highest tier is not below any tier's minimum wage, and an
    income below the lowest tier is below all of them; in between, the answer depends on the
    tier and is left undecided.
    """
    if amount is not None:
        return amount, f"given by the caller ({field_name}.minimum_wage_amount)", ()
    try:
        if tier is not None:
            wage = minimum_wage_on(
                day, tier, field=f"{field_name}.minimum_wage_tier", path=book.minimum_wage_path
            )
            return float(wage.amount), wage.derivation, (wage.source,)
        path = book.minimum_wage_path
        high, low = highest_amount_on(day, path=path), lowest_amount_on(day, path=path)
    except MinimumWageNotInForceError as exc:
        return None, f"no minimum wage on file for {day.isoformat()}: {exc}", ()
    if income >= high.amount:
        return (
            float(high.amount),
            f"tier not given; income {income:g} is not below the highest tier: {high.derivation}",
            (high.source,),
        )
    if income < low.amount:
        return (
            float(low.amount),
            f"tier not given; income {income:g} is below the lowest tier: {low.derivation}",
            (low.source,),
        )
    return (
        None,
        f"tier not given and income {income:g} lies between the lowest ({low.amount}) and "
        f"highest ({high.amount}) tiers in force on {day.isoformat()}: the tier decides",
        (high.source,),
    )


# The text of one group's part of the retirement derivation, per RetirementAge (which
# statutory_retirement shares per birth month): keyed by id(), the object kept alive beside it
# so the id cannot be reused; bounded.
_PART_TEXT: dict[tuple[int, str], tuple[RetirementAge, str]] = {}


def _part_text(name: str, info: RetirementAge) -> str:
    key = (id(info), name)
    entry = _PART_TEXT.get(key)
    if entry is not None and entry[0] is info:
        return entry[1]
    # The birth month is personal data: the summary gives the result, not the birth date.
    text = (
        f"{name}: statutory retirement age {info.age_years}y{info.age_months}m "
        f"(delay {info.delay_months} months), past it from {info.retired_from.isoformat()}"
    )
    remember(_PART_TEXT, key, (info, text), 20_000)
    return text


def _retirement_status(
    book: RuleBook, birth: dt.date, sex: str, group: int | None, on: dt.date
) -> tuple[str, str, tuple[str, ...]]:
    """Whether ``on`` is past the statutory retirement age (人社部发〔2024〕94号 and the
    2024 NPC Standing Committee decision), per women's group when the group is not given."""
    groups = _retirement_groups(sex, group)
    path = book.retirement_path
    if len(groups) == 1:
        info = statutory_retirement(birth, groups[0], path=path)
        status = "reached" if on >= info.retired_from else "below"
        return status, _part_text(groups[0], info), (info.source,)
    parts, statuses, sources = [], set(), set()
    for name in groups:
        info = statutory_retirement(birth, name, path=path)
        statuses.add("reached" if on >= info.retired_from else "below")
        parts.append(_part_text(name, info))
        sources.add(info.source)
    status = statuses.pop() if len(statuses) == 1 else "unknown"
    how = "; ".join(parts)
    if status == "unknown":
        how += "; the two women's groups disagree on this date, so the group decides"
    return status, how, tuple(sorted(sources))


@dataclass(frozen=True, slots=True)
class _RetirementView:
    """One birth month's (or, under the "anniversary" convention, birth day's) first retired
    days per women's group in question, and its derivation per status, built on first use."""

    retired_from: tuple[dt.date, ...]
    derivations: dict[str, Derivation]


# (id(book), birth year, month, day or 0, sex, group) -> (the book, kept alive so its id is not
# reused; the view). Bounded: a register has a few thousand birth months.
_ViewKey = tuple[int, int, int, int, str, int | None]
_RETIREMENT_VIEWS: dict[_ViewKey, tuple[RuleBook, _RetirementView]] = {}


def _retirement_derivation(
    book: RuleBook, birth: dt.date, sex: str, group: int | None, on: dt.date
) -> Derivation:
    """``Derivation("retirement_status", *_retirement_status(...))``, shared: the status only
    compares ``on`` with the first retired day(s), and the text depends on the birth month
    (the day too under "anniversary") and the status alone."""
    day = birth.day if book.retirement_by_birth_day else 0
    key = (id(book), birth.year, birth.month, day, sex, group)
    entry = _RETIREMENT_VIEWS.get(key)
    if entry is None or entry[0] is not book:
        path = book.retirement_path
        names = _retirement_groups(sex, group)
        retired = tuple(statutory_retirement(birth, n, path=path).retired_from for n in names)
        entry = remember(_RETIREMENT_VIEWS, key, (book, _RetirementView(retired, {})), 20_000)
    view = entry[1]
    first, *other = view.retired_from
    status = "reached" if on >= first else "below"
    if other and ("reached" if on >= other[0] else "below") != status:
        status = "unknown"
    found = view.derivations.get(status)
    if found is None:
        computed, how, sources = _retirement_status(book, birth, sex, group, on)
        found = view.derivations[status] = Derivation("retirement_status", computed, how, sources)
    return found


def _retirement_groups(sex: str, group: int | None) -> tuple[str, ...]:
    if sex == "male":
        return ("male",)
    if group is not None:
        return (f"female_{group}",)
    return ("female_50", "female_55")


_SITUATION_FACTS = tuple(
    (f"situation_{name}", name)
    for name in ("employed", "licensed_business", "public_welfare_post",
                 "flexible_employment_insured", "receiving_pension", "in_school",
                 "military_service", "emigrated", "imprisoned")
)  # fmt: skip
_AGE_HOW: dict[dt.date, str] = {}


_AGE_DERIVATIONS: dict[tuple[dt.date, int], Derivation] = {}


def _age_derivation(on: dt.date, age: int) -> Derivation:
    """The age derivation for an application date and age: immutable, so one object is shared
    by every applicant of that age on that date (bounded)."""
    key = (on, age)
    found = _AGE_DERIVATIONS.get(key)
    if found is None:
        derivation = Derivation("age_years", age, _age_how(on), _AGE_SOURCES)
        found = remember(_AGE_DERIVATIONS, key, derivation, 50_000)
    return found


def _age_how(on: dt.date) -> str:
    """The age derivation's text for an application date (the same for every applicant)."""
    found = _AGE_HOW.get(on)
    if found is None:
        text = (
            f"full years from the birth date in the ID number to {on.isoformat()}, counted "
            "under the age convention of rules/parameters/periods.yaml"
        )
        found = remember(_AGE_HOW, on, text, 10_000)
    return found


_AGE_SOURCES = ("spc-2006-1-art2", "civil-code-art201", "civil-code-art202")
_CAUSE_FIELDS = (
    ("school_status", "school_status"),
    ("contract_ending", "contract_ending"),
    ("transfer_intent", "transfer_intent"),
    ("state_placement", "state_placement"),
    ("release_type", "release_type"),
    ("land_local_conditions", "meets_local_conditions"),
)


def registration_facts(app: RegistrationApplication, book: RuleBook) -> RegistrationFacts:
    """The facts of one application for the registration ruleset.

    A fact whose value is None is left out (the rules treat it as missing, 4.1.4); facts are
    added in a fixed order, the one of the catalogue's registration section.
    """
    applicant = app.applicant
    info = id_info(applicant.id_number)
    on = app.application_date
    warnings: list[str] = []
    facts: dict[str, Any] = {"voluntary": app.voluntary}
    value: Any = applicant.habitual_urban_resident
    if value is not None:
        facts["habitual_urban_resident"] = value
    value = applicant.hukou
    if value is not None:
        facts["hukou"] = value
    if applicant.residence_region:
        facts["residence_region"] = "given"
    value = applicant.able_to_work
    if value is not None:
        facts["able_to_work"] = value
    value = app.insurance_contribution_months
    if value is not None:
        facts["insurance_months"] = value
    value = app.employment_assistance_possible
    if value is not None:
        facts["employment_assistance_possible"] = value
    if app.unemployment_date:
        facts["unemployment_date"] = app.unemployment_date.toordinal()
    age = age_in_full_years(info.birth_date, on, conventions=book.period_conventions)
    facts["age_years"] = age
    retirement = _retirement_derivation(
        book, info.birth_date, info.sex, applicant.female_retirement_group, on
    )
    facts["retirement_status"] = retirement.value
    derivations = [_age_derivation(on, age), retirement]

    cause = app.cause
    if cause is not None:
        facts["cause"] = cause.category
        # The model's field values (pydantic keeps them in __dict__): a field the cause type
        # does not have is None, as getattr(cause, name, None) gave, without its slow miss.
        fields = cause.__dict__
        for fact, name in _CAUSE_FIELDS:
            value = fields.get(name)
            if value is not None:
                facts[fact] = value

    situation = app.current_situation
    values = situation.__dict__
    for fact, name in _SITUATION_FACTS:
        value = values[name]
        if value is not None:
            facts[fact] = value
    income = situation.monthly_income
    if income is not None:
        facts["monthly_income"] = income
        wage, how, sources = _minimum_wage(
            book, on, income, situation.minimum_wage_tier,
            situation.minimum_wage_amount, "current_situation",
        )  # fmt: skip
        if wage is not None:
            facts["minimum_wage"] = wage
        derivations.append(Derivation("minimum_wage", wage, how, sources))

    deadline: Deadline | None = None
    try:
        deadline = book.calendar.processing_deadline(app.submitted_at or on, app.channel)
    except CalendarCoverageError as exc:
        warnings.append(f"4.2.2 deadline not computed: {exc}")
    return RegistrationFacts(
        [Subject("application", 0, facts)], derivations, deadline, warnings, info.masked
    )


@dataclass(frozen=True, slots=True)
class _ContactLapse:
    facts: dict[str, int]
    derivations: tuple[Derivation, ...]
    warnings: tuple[str, ...]
    next_review: dt.date | None


def _compute_contact_lapse(book: RuleBook, last_contact: dt.date) -> _ContactLapse:
    """4.5(13): the end of the contact-lapse period from the last contact (民法典 arts. 201-203,
    1259), its derivations, and the warning when the calendar cannot extend it."""
    params = book.review
    months = params.contact_lapse_months
    conventions = book.period_conventions
    unextended = add_months(last_contact, months, conventions=conventions)
    facts = {"contact_lapse_end_unextended": unextended.toordinal()}
    kinds = ", ".join(sorted(params.contact_events))
    how = (
        f"last contact {last_contact.isoformat()} (latest of the registration date and events "
        f"of type {kinds}); + {months} months (rules/parameters/review.yaml)"
    )
    try:
        end = legal_period_end(
            last_contact, months, conventions=conventions, calendar=book.calendar
        )
    except CalendarCoverageError as exc:
        derivation = Derivation(
            "contact_lapse_end",
            None,
            how + f": corresponding day {unextended.isoformat()} (art. 202); art. 203 cannot "
            f"be applied: {exc}",
        )
        return _ContactLapse(facts, (derivation,), (f"4.5(13): {exc}",), None)
    facts["contact_lapse_end"] = end.date.toordinal()
    effective = end.date + dt.timedelta(days=1)
    facts["contact_lapse_effective"] = effective.toordinal()
    derivations = (
        Derivation("contact_lapse_end", end.date, how + ": " + " ".join(end.steps), end.sources),
        Derivation(
            "contact_lapse_effective",
            effective,
            "the day after the period's last day: only then has it been more than "
            f"{months} months (超过, 民法典 art. 1259)",
            ("civil-code-art1259",),
        ),
    )
    return _ContactLapse(facts, derivations, (), effective)


# The contact lapse depends only on the rule book and the last contact, and many registrants
# share a last contact: computed once per (book, day). Keyed by id() with the book kept alive
# beside it so the id cannot be reused; bounded.
_lapses: dict[tuple[int, dt.date], tuple[RuleBook, _ContactLapse]] = {}


def _contact_lapse(book: RuleBook, last_contact: dt.date) -> _ContactLapse:
    key = (id(book), last_contact)
    entry = _lapses.get(key)
    if entry is not None and entry[0] is book:
        return entry[1]
    lapse = _compute_contact_lapse(book, last_contact)
    remember(_lapses, key, (book, lapse), 20_000)
    return lapse


def review_facts(registrant: Registrant, as_of: dt.date, book: RuleBook) -> ReviewFacts:
    """The facts of one registrant as of a date for the review ruleset."""
    params = book.review
    derivations: list[Derivation] = []
    warnings: list[str] = []
    events = [(i, e) for i, e in enumerate(registrant.events) if e.date <= as_of]
    ignored = len(registrant.events) - len(events)

    contacts = [e.date for _, e in events if e.type in params.contact_events]
    last_contact = max([registrant.registration_date, *contacts])
    lapse = _contact_lapse(book, last_contact)
    registrant_facts: dict[str, Any] = {"as_of": as_of.toordinal(), **lapse.facts}
    derivations.extend(lapse.derivations)
    warnings.extend(lapse.warnings)
    next_review = lapse.next_review

    refusals = sorted((e.date, i) for i, e in events if e.type == "refusal")
    refusal_number = {index: n for n, (_, index) in enumerate(refusals, start=1)}
    registrant_facts["refusal_count"] = len(refusals)
    derivations.append(
        Derivation(
            "refusal_count",
            len(refusals),
            f"refusals on or before {as_of.isoformat()}, numbered in date order",
        )
    )
    subjects = [Subject("registrant", -1, registrant_facts)]
    for index, event in events:
        facts: dict[str, Any] = {"type": event.type, "date": event.date.toordinal()}
        if event.type == "refusal":
            facts["refusal_number"] = refusal_number[index]
        elif event.type == "income_work":
            facts["monthly_income"] = event.monthly_income
            tier = event.minimum_wage_tier or registrant.minimum_wage_tier
            wage, how_wage, sources = _minimum_wage(
                book, event.date, event.monthly_income, tier, event.minimum_wage_amount,
                f"events[{index}]",
            )  # fmt: skip
            facts["minimum_wage"] = wage
            derivations.append(Derivation(f"events[{index}].minimum_wage", wage, how_wage, sources))
        elif event.type == "flexible_employment":
            facts["social_insurance"] = event.social_insurance
            facts["income_tax"] = event.income_tax
        elif event.type == "move":
            cross = not event.new_region.startswith("21")
            facts["cross_province"] = cross
            derivations.append(
                Derivation(
                    f"events[{index}].cross_province",
                    cross,
                    f"new region code {event.new_region} "
                    + ("does not start" if cross else "starts")
                    + " with 21 (Liaoning, GB/T 2260)",
                )
            )
        subjects.append(Subject("event", index, {k: v for k, v in facts.items() if v is not None}))
    return ReviewFacts(subjects, derivations, next_review, warnings, ignored)
