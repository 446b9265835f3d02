"""Registration (standard 4.1, 4.2, 5.1-5.3): an application's facts, the combination policy,
and the decision.

How fired rules combine into an outcome (docs/rules.md): a ``bar`` makes it ``ineligible``;
otherwise missing information (``incomplete`` rules) makes it ``incomplete``; otherwise an
undecided point (``review`` rules) makes it ``needs_review``; otherwise a matched 4.1.2
category makes it ``eligible``; otherwise (every base condition met, no category) it is
``needs_review`` citing 4.1.2, whose list is "包括但不限于". 4.2.1 notices are part of an
eligible decision only. The 4.2.2 deadline is computed for every application (the result must
be fed back whatever it is).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import state
from ..engines.evaluation import Evaluation, Subject
from ..errors import CalendarCoverageError
from ..inputs.models import RegistrationApplication, id_info
from ..law.calendar import Deadline
from ..law.periods import age_in_full_years
from ..rulebook.book import RuleBook, load_rule_book
from ..rulebook.memos import Memo
from ..rulebook.rules import OUTSIDE_CATEGORIES_RULE, Rule
from .citations import citation, match, reason
from .decision import (
    Citation,
    DecisionMeta,
    Derivation,
    Match,
    Reason,
    RegistrationDecision,
    Warning,
)
from .derivations import (
    age_derivation,
    bilingual,
    minimum_wage_for,
    residence_derivation,
    retirement_derivation,
)
from .procedure import Prepared, Procedure

__all__ = [
    "APPLICATION_COLUMNS",
    "REGISTRATION",
    "ApplicationFacts",
    "RegistrationProcedure",
    "application_facts",
    "assess_registration",
]

#: CSV columns of an application: dotted paths into RegistrationApplication (docs/batch.md).
APPLICATION_COLUMNS = (
    "applicant.id_number", "applicant.name", "applicant.birth_date", "applicant.sex",
    "applicant.hukou", "applicant.residence_region", "applicant.habitual_urban_resident",
    "applicant.able_to_work", "applicant.wants_employment", "applicant.female_retirement_group",
    "voluntary",
    "cause.category", "cause.school_status", "cause.contract_ending", "cause.transfer_intent",
    "cause.state_placement", "cause.meets_local_conditions", "cause.release_type",
    "cause.reason", "cause.description", "unemployment_date", "application_date", "submitted_at",
    "channel",
    "insurance_contribution_months", "employment_assistance_possible",
    "current_situation.employed", "current_situation.licensed_business",
    "current_situation.monthly_income", "current_situation.minimum_wage_tier",
    "current_situation.minimum_wage_amount", "current_situation.public_welfare_post",
    "current_situation.flexible_employment_insured", "current_situation.receiving_pension",
    "current_situation.in_school", "current_situation.military_service",
    "current_situation.emigrated", "current_situation.imprisoned",
)  # fmt: skip

_OUTSIDE_CATEGORIES = (
    OUTSIDE_CATEGORIES_RULE,
    "4.1.2",
    "申请人符合基本条件，但不属于4.1.2所列13类情形；该范围“包括但不限于”所列情形，需经办人员审核决定。",
    'Every base condition is met but no category of 4.1.2 applies; that list is "including but '
    'not limited to", so staff must decide.',
)
_SITUATION_FACTS = tuple(
    (f"situation_{name}", name)
    for name in ("employed", "licensed_business", "public_welfare_post",
                 "flexible_employment_insured", "receiving_pension", "in_school",
                 "military_service", "emigrated", "imprisoned")
)  # fmt: skip
_CAUSE_FIELDS = (
    ("school_status", "school_status"),
    ("contract_ending", "contract_ending"),
    ("transfer_intent", "transfer_intent"),
    ("state_placement", "state_placement"),
    ("release_type", "release_type"),
    ("land_local_conditions", "meets_local_conditions"),
    ("resignation_reason", "reason"),
)


@dataclass(slots=True)
class ApplicationFacts:
    """An application's facts for the rules, with how the derived ones were obtained."""

    subject: Subject
    derivations: list[Derivation]
    deadline: Deadline | None
    warnings: list[Warning]
    subject_masked: str


def application_facts(app: RegistrationApplication, book: RuleBook) -> ApplicationFacts:
    """The facts of one application for the registration ruleset.

    A fact whose value is None is left out (the rules treat it as missing, 4.1.4); facts are
    added in a fixed order, the one of the catalogue's registration section.
    """
    applicant = app.applicant
    info = id_info(applicant.id_number)
    on = app.application_date
    warnings: list[Warning] = []
    facts: dict[str, Any] = {"voluntary": app.voluntary}
    value: Any = applicant.habitual_urban_resident
    if value is not None:
        facts["habitual_urban_resident"] = value
    value = applicant.hukou
    if value is not None:
        facts["hukou"] = value
    derivations: list[Derivation] = []
    if applicant.residence_region:
        facts["residence_region"] = "given"
        inside, found = residence_derivation(book, applicant.residence_region)
        facts["residence_in_province"] = inside
        derivations.append(found)
    value = applicant.able_to_work
    if value is not None:
        facts["able_to_work"] = value
    value = applicant.wants_employment
    if value is not None:
        facts["wants_employment"] = value
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
    retirement = retirement_derivation(
        book, info.birth_date, info.sex, applicant.female_retirement_group, on
    )
    facts["retirement_status"] = retirement.value
    derivations += [age_derivation(book, on, age), retirement]

    cause = app.cause
    if cause is not None:
        facts["cause"] = cause.category
        # The model's field values (pydantic keeps them in __dict__): a field the cause type
        # does not have is None, as getattr(cause, name, None) gives, without its slow miss.
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
        wage = minimum_wage_for(
            book, on, income, situation.minimum_wage_tier,
            situation.minimum_wage_amount, "current_situation.minimum_wage_tier", "minimum_wage",
        )  # fmt: skip
        if wage.amount is not None:
            facts["minimum_wage"] = wage.amount
        facts["minimum_wage_status"] = wage.status
        derivations.append(wage.derivation)

    deadline: Deadline | None = None
    try:
        deadline = book.calendar.processing_deadline(app.submitted_at or on, app.channel)
    except CalendarCoverageError as exc:
        en, zh = bilingual(book, "warning.deadline_calendar", year=exc.year)
        warnings.append(Warning("deadline_calendar", zh, en))
    return ApplicationFacts(
        Subject("application", 0, facts), derivations, deadline, warnings, info.masked
    )


@dataclass(frozen=True, slots=True)
class _Verdict:
    """What a registration decision takes from the rules that fired (the combination policy
    of the module docstring): the same for every application whose rules fired alike."""

    outcome: str
    reasons: tuple[Reason, ...]
    missing: tuple[str, ...]
    basis: tuple[Citation, ...]
    categories: tuple[Match, ...]
    notices: tuple[Match, ...]


# Per rule book: the fired flags of the registration rules -> the verdict. A few hundred
# patterns cover 20,000 synthetic applications. Saves 24% of a registration decision
# (benchmarks/bench_memories.py).
_VERDICTS: Memo[tuple[bool, ...], _Verdict] = Memo("registration verdicts", 20_000)


def _verdict(book: RuleBook, results: Evaluation) -> _Verdict:
    """The verdict for the fired rules, computed once per fired pattern and rule book."""
    ((_, _, flags, _),) = results.rows  # a registration has exactly one subject
    return book.recall(_VERDICTS, flags, lambda: _combine(book, results))


def _combine(book: RuleBook, results: Evaluation) -> _Verdict:
    """The combination policy for registration (module docstring)."""
    categories: list[Match] = []
    bars: list[Reason] = []
    incomplete: list[Reason] = []
    review: list[Reason] = []
    notice_rules: list[Rule] = []
    for rule, subject in results.fired_rules():
        effect = rule.effect
        if effect == "category":
            categories.append(match(book, rule))
        elif effect == "notice":
            notice_rules.append(rule)
        elif effect == "bar":
            bars.append(reason(book, rule, subject))
        elif effect == "incomplete":
            incomplete.append(reason(book, rule, subject))
        elif effect == "review":
            review.append(reason(book, rule, subject))
    reasons: list[Reason]
    if bars:
        outcome, reasons = "ineligible", bars
    elif incomplete:
        outcome, reasons = "incomplete", incomplete + review
    elif review:
        outcome, reasons = "needs_review", review
    elif categories:
        outcome, reasons = "eligible", []
    else:
        rule_id, clause, zh, en = _OUTSIDE_CATEGORIES
        chapeau = citation(book, clause)
        outcome, reasons = "needs_review", [Reason(rule_id, "review", chapeau, (chapeau,), zh, en)]
    missing: tuple[str, ...] = ()
    if outcome != "ineligible" and reasons:
        missing = tuple(dict.fromkeys(m for r in reasons for m in r.missing))
    notices: tuple[Match, ...] = ()
    if outcome == "eligible" and notice_rules:
        notices = tuple(match(book, rule) for rule in notice_rules)
    # 4.1.4: every missing item is told at once (一次性告知).
    basis = (citation(book, "4.1.4"),) if outcome == "incomplete" else ()
    return _Verdict(outcome, tuple(reasons), missing, basis, tuple(categories), notices)


def assess_registration(
    application: RegistrationApplication | Mapping[str, Any],
    *,
    engine: str | None = None,
    rule_book: RuleBook | None = None,
) -> RegistrationDecision:
    """Decide a registration application (standard 4.1, 4.2, 5.1-5.3).

    ``application`` is a :class:`RegistrationApplication` or a plain dict of the same shape.
    Bad input raises :class:`~lnunemp_rules.errors.InputError` (never a decision). ``engine``
    is ``"python"`` (default) or ``"durable"``.
    """
    return REGISTRATION.decide(application, engine=engine, rule_book=rule_book)


class RegistrationProcedure(Procedure[RegistrationApplication, RegistrationDecision]):
    """Registration of unemployment (4.1, 4.2, 5.1-5.3)."""

    name = "registration"
    input_model = RegistrationApplication
    csv_columns = APPLICATION_COLUMNS
    outcomes = ("eligible", "ineligible", "needs_review", "incomplete")
    needs_as_of = False
    person_key = "applicant"
    signature_key = "applicant"
    date_fields = ("deadline",)

    def prepare(
        self,
        data: RegistrationApplication | Mapping[str, Any],
        *,
        as_of: dt.date | str | None = None,
        rule_book: RuleBook | None = None,
    ) -> Prepared[RegistrationApplication]:
        """The application validated, with its facts; it is decided on its application date
        (``as_of`` is not used)."""
        app = self.validate(data)
        book = rule_book or load_rule_book()
        derived = application_facts(app, book)
        return Prepared(app, app.application_date, book, derived, (derived.subject,))

    def conclude(
        self, prepared: Prepared[RegistrationApplication], results: Evaluation, engine: str
    ) -> RegistrationDecision:
        book, derived = prepared.book, prepared.derived
        verdict = _verdict(book, results)
        deadline = derived.deadline
        meta = DecisionMeta(
            state.library_version(), book.version, book.digest, engine,
            prepared.on, derived.subject_masked,
        )  # fmt: skip
        return RegistrationDecision._assemble(
            verdict.outcome, verdict.reasons, verdict.missing, tuple(derived.derivations),
            tuple(derived.warnings), meta, results, verdict.basis, book,
            verdict.categories, verdict.notices, deadline,
            citation(book, "4.2.2") if deadline is not None else None,
        )  # fmt: skip

    def grounds(self, decision: RegistrationDecision) -> tuple[Match, ...]:
        return decision.categories

    def matches(self, decision: RegistrationDecision) -> tuple[Match, ...]:
        return (*decision.categories, *decision.notices)

    def region(self, model: RegistrationApplication) -> str | None:
        return model.applicant.residence_region

    def summary(self, decision: RegistrationDecision) -> dict[str, Any]:
        deadline = decision.deadline
        return {"deadline": deadline.date.isoformat() if deadline else None}

    def receipt_result(self, decision: RegistrationDecision) -> dict[str, Any]:
        return {
            "categories": [m.rule_id for m in decision.categories],
            "notices": [m.rule_id for m in decision.notices],
            "deadline": decision.deadline.date.isoformat() if decision.deadline else None,
        }


#: The registration procedure.
REGISTRATION = RegistrationProcedure()
