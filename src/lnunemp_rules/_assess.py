"""The facade: ``assess_registration`` and ``assess_deregistration``.

How fired rules combine into an outcome (the combination policy, docs/rules.md):

Registration -- a ``bar`` makes it ``ineligible``; otherwise missing information
(``incomplete`` rules) makes it ``incomplete``; otherwise an undecided point (``review`` rules)
makes it ``needs_review``; otherwise a matched 4.1.2 category makes it ``eligible``; otherwise
(every base condition met, no category) it is ``needs_review`` citing 4.1.2, whose list is
"包括但不限于". 4.2.1 notices are part of an eligible decision only. The 4.2.2 deadline is
computed for every application (the result must be fed back whatever it is).

Review -- any trigger makes it ``deregister`` with effect from the earliest trigger date;
otherwise an undecided point makes it ``needs_review``; otherwise ``remain_registered`` with
the next date a time-based trigger (4.5(13)) would fire if nothing new happens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._calendar import Deadline
from ._clauses import ClauseRegistry
from ._decision import (
    Citation,
    DecisionMeta,
    DeregistrationDecision,
    Match,
    Reason,
    RegistrationDecision,
    new_registration_decision,
)
from ._engines import check_engine, get_engine
from ._evaluate import Evaluation, RuleResult, Subject, evaluate_fired
from ._facts import registration_facts, review_facts
from ._inputs import as_date, validate_input
from ._masking import mask_id_number
from ._memo import OwnerMemos, remember
from ._models import Registrant, RegistrationApplication
from ._rulebook import RuleBook, load_rule_book
from ._ruleset import Rule

__all__ = ["assess_deregistration", "assess_registration"]

_OUTSIDE_CATEGORIES = (
    "policy.outside-categories",
    "4.1.2",
    "申请人符合基本条件，但不属于4.1.2所列13类情形；该范围“包括但不限于”所列情形，需经办人员审核决定。",
    'Every base condition is met but no category of 4.1.2 applies; that list is "including but '
    'not limited to", so staff must decide.',
)


# Citation objects (and the Reasons and Matches built from them) are immutable: one per
# clause and registry, built on first use, in the registry's own memory.
_CITATIONS: OwnerMemos[Any, Any] = OwnerMemos(64)


def _cache_for(registry: ClauseRegistry) -> dict[Any, Any]:
    return _CITATIONS.of(registry)


def _citation(registry: ClauseRegistry, clause_id: str) -> Citation:
    return _cited(_cache_for(registry), registry, clause_id)


def _cited(cache: dict[Any, Any], registry: ClauseRegistry, clause_id: str) -> Citation:
    """:func:`_citation` with the registry's cache already looked up."""
    found: Citation | None = cache.get(clause_id)
    if found is None:
        entry = registry.get(clause_id)
        found = cache[clause_id] = Citation(entry.id, entry.title_zh, entry.title_en, entry.source)
    return found


def _citations(registry: ClauseRegistry, rule: Rule) -> tuple[Citation, ...]:
    cache = _cache_for(registry)
    key = ("rule", rule.clause, rule.also_cites)
    found: tuple[Citation, ...] | None = cache.get(key)
    if found is None:
        found = cache[key] = tuple(_citation(registry, c) for c in rule.citations)
    return found


_library_version: str | None = None


def _version() -> str:
    """The package version, read once on first use (importlib.metadata is slow to import)."""
    global _library_version
    found = _library_version
    if found is None:
        from . import __version__

        found = _library_version = __version__
    return found


def _by_effect(results: Evaluation) -> dict[str, list[RuleResult]]:
    """The fired results grouped by effect, in evaluation order."""
    groups: dict[str, list[RuleResult]] = {}
    for r in results.fired:
        groups.setdefault(r.rule.effect, []).append(r)
    return groups


def _reason(registry: ClauseRegistry, result: RuleResult) -> Reason:
    """The reason a fired rule gives; Reasons are immutable, so one per rule and subject place
    is kept in the registry's cache (keyed by the rule's id(), the rule kept beside it)."""
    return _reason_in(_cache_for(registry), registry, result.rule, result.subject)


def _reason_in(
    cache: dict[Any, Any], registry: ClauseRegistry, rule: Rule, subject: Subject
) -> Reason:
    """:func:`_reason` for a fired rule and its subject, the registry's cache looked up."""
    index = subject.index
    event = subject.kind == "event"
    key = ("reason", id(rule), index, event)
    entry = cache.get(key)
    if entry is not None and entry[0] is rule:
        found: Reason = entry[1]
        return found
    missing = tuple(m.replace("events[]", f"events[{index}]") for m in rule.missing)
    found = Reason(
        rule.id, rule.effect, _citation(registry, rule.clause), _citations(registry, rule),
        rule.reason_zh or "", rule.reason_en or "", missing, (index,) if event else (),
    )  # fmt: skip
    cache[key] = (rule, found)
    return found


def _match(cache: dict[Any, Any], registry: ClauseRegistry, rule: Rule) -> Match:
    """The Match of a fired category or notice rule (no date, no events), kept like _reason;
    ``cache`` is ``_cache_for(registry)``."""
    key = ("match", id(rule))
    entry = cache.get(key)
    if entry is not None and entry[0] is rule:
        found: Match = entry[1]
        return found
    found = Match(rule.id, _citation(registry, rule.clause), _citations(registry, rule))
    cache[key] = (rule, found)
    return found


def _evaluate(
    book: RuleBook, ruleset: str, subjects: list[Any], engine_name: str | None
) -> tuple[Evaluation, str]:
    """The shared evaluation and the engine's name.

    The engine's fired rules are checked against the evaluation (a disagreement raises), so
    the evaluation is what the chosen engine decided.
    """
    engine = get_engine(engine_name)
    rules = book.rules_for(ruleset)
    results = evaluate_fired(rules, subjects)
    check_engine(engine, ruleset, book.digest, rules, subjects, results)
    return results, engine.name


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


# Verdicts per clause registry and fired pattern: (rule group, subject kind and index, fired
# flags) -> (the group, kept alive so its id() is not reused; the verdict).
_VERDICTS: OwnerMemos[Any, tuple[Any, _Verdict]] = OwnerMemos(64)
_VERDICT_LIMIT = 20_000


def _registration_verdict(registry: ClauseRegistry, results: Evaluation) -> _Verdict:
    """The verdict for the fired rules, computed once per fired pattern and registry."""
    rows = results.rows
    if len(rows) != 1:  # pragma: no cover - a registration has exactly one subject
        return _combine_registration(registry, results)
    group, subject, flags = rows[0]
    memo = _VERDICTS.of(registry)
    key = (id(group), subject.kind, subject.index, flags)
    found = memo.get(key)
    if found is not None and found[0] is group:
        return found[1]
    verdict = _combine_registration(registry, results)
    remember(memo, key, (group, verdict), _VERDICT_LIMIT)
    return verdict


def _combine_registration(registry: ClauseRegistry, results: Evaluation) -> _Verdict:
    """The combination policy for registration (module docstring)."""
    cache = _cache_for(registry)
    categories: list[Match] = []
    bars: list[Reason] = []
    incomplete: list[Reason] = []
    review: list[Reason] = []
    notice_rules: list[Rule] = []
    for rule, subject in results.fired_rules():
        effect = rule.effect
        if effect == "category":
            categories.append(_match(cache, registry, rule))
        elif effect == "notice":
            notice_rules.append(rule)
        elif effect == "bar":
            bars.append(_reason_in(cache, registry, rule, subject))
        elif effect == "incomplete":
            incomplete.append(_reason_in(cache, registry, rule, subject))
        elif effect == "review":
            review.append(_reason_in(cache, registry, rule, subject))
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
        chapeau = _cited(cache, registry, clause)
        outcome, reasons = "needs_review", [Reason(rule_id, "review", chapeau, (chapeau,), zh, en)]
    missing: tuple[str, ...] = ()
    if outcome != "ineligible" and reasons:
        missing = tuple(dict.fromkeys(m for r in reasons for m in r.missing))
    notices: tuple[Match, ...] = ()
    if outcome == "eligible" and notice_rules:
        notices = tuple(_match(cache, registry, rule) for rule in notice_rules)
    # 4.1.4: every missing item is told at once (一次性告知).
    basis = (_cited(cache, registry, "4.1.4"),) if outcome == "incomplete" else ()
    return _Verdict(outcome, tuple(reasons), missing, basis, tuple(categories), notices)


def assess_registration(
    application: RegistrationApplication | Mapping[str, Any],
    *,
    engine: str | None = None,
    rule_book: RuleBook | None = None,
) -> RegistrationDecision:
    """Decide a registration application (standard 4.1, 4.2, 5.1-5.3).

    ``application`` is a :class:`RegistrationApplication` or a plain dict of the same shape.
    Bad input raises :class:`InputError` (never a decision). ``engine`` is ``"python"``
    (default) or ``"durable"``.
    """
    app = validate_input(RegistrationApplication, application)
    book = rule_book or load_rule_book()
    registry = book.clauses
    derived = registration_facts(app, book)
    results, engine_name = _evaluate(book, "registration", derived.subjects, engine)
    verdict = _registration_verdict(registry, results)
    deadline: Deadline | None = derived.deadline
    meta = DecisionMeta(
        _version(), book.version, book.digest, engine_name,
        app.application_date, derived.subject_masked,
    )  # fmt: skip
    return new_registration_decision(
        verdict.outcome,
        verdict.reasons,
        verdict.missing,
        tuple(derived.derivations),
        tuple(derived.warnings),
        meta,
        results,
        verdict.basis,
        verdict.categories,
        verdict.notices,
        deadline,
        _citation(registry, "4.2.2") if deadline is not None else None,
    )


def assess_deregistration(
    registrant: Registrant | Mapping[str, Any],
    *,
    as_of: dt.date | str,
    engine: str | None = None,
    rule_book: RuleBook | None = None,
) -> DeregistrationDecision:
    """Review one registrant as of a date (standard 4.3.1, 4.5, 5.5).

    Events after ``as_of`` are ignored. Bad input raises :class:`InputError`.
    """
    person = validate_input(Registrant, registrant)
    on = as_date(as_of, "as_of")
    if on < person.registration_date:
        from ._errors import InputError

        raise InputError("as_of", f"{on} is before registration_date {person.registration_date}")
    book = rule_book or load_rule_book()
    registry = book.clauses
    derived = review_facts(person, on, book)
    results, engine_name = _evaluate(book, "review", derived.subjects, engine)
    groups = _by_effect(results)

    by_rule: dict[str, list[RuleResult]] = {}
    for r in groups.get("trigger", ()):
        by_rule.setdefault(r.rule.id, []).append(r)
    triggers: list[Match] = []
    for rule_id, hits in by_rule.items():
        rule = hits[0].rule
        assert rule.effective_date is not None
        dates = [dt.date.fromordinal(h.subject.facts[rule.effective_date]) for h in hits]
        events = tuple(h.subject.index for h in hits if h.subject.kind == "event")
        triggers.append(Match(rule_id, _citation(registry, rule.clause),
                              _citations(registry, rule), min(dates), events))  # fmt: skip
    triggers.sort(key=lambda m: (m.effective_date or dt.date.max, m.clause.id))
    review = [_reason(registry, r) for r in groups.get("review", ())]
    if triggers:
        outcome = "deregister"
        effective = triggers[0].effective_date
    elif review:
        outcome, effective = "needs_review", None
    else:
        outcome, effective = "remain_registered", None
    missing = tuple(dict.fromkeys(m for r in review for m in r.missing))
    masked = None
    if person.person is not None and person.person.id_number is not None:
        masked = mask_id_number(person.person.id_number)
    meta = DecisionMeta(_version(), book.version, book.digest, engine_name, on, masked)
    return DeregistrationDecision(
        outcome=outcome,
        reasons=tuple(review),
        missing_facts=missing,
        derivations=tuple(derived.derivations),
        warnings=tuple(derived.warnings),
        meta=meta,
        _results=results,
        triggers=tuple(triggers),
        effective_date=effective,
        next_review_date=derived.next_review_date if outcome != "deregister" else None,
        basis=_review_basis(registry, outcome, derived.next_review_date),
    )


def _review_basis(
    registry: ClauseRegistry, outcome: str, next_review: dt.date | None
) -> tuple[Citation, ...]:
    """5.5 (动态管理) for every review; for a registrant who stays registered also 4.5, none of
    whose items holds, and 4.5(13) when its date is the next review date."""
    cache = _cache_for(registry)
    key = ("basis", outcome == "remain_registered", next_review is not None)
    found: tuple[Citation, ...] | None = cache.get(key)
    if found is None:
        cited = ["5.5"]
        if outcome == "remain_registered":
            cited.append("4.5")
            if next_review is not None:
                cited.append("4.5(13)")
        found = cache[key] = tuple(_citation(registry, c) for c in cited)
    return found
