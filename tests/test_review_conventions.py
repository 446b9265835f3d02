"""The review conventions of rules/parameters/review.yaml and their alternative readings
(issue 10): which date a deregistration takes effect on, and how 4.5(12) refusals count."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

import lnunemp_rules as L
from builders import event, registrant
from lnunemp_rules.errors import RuleFileError
from lnunemp_rules.rulebook.book import RuleBook, load_rule_book
from lnunemp_rules.rulebook.folder import rules_dir
from lnunemp_rules.rulebook.parameters import load_review_parameters

REGISTERED = dt.date(2026, 6, 1)
AS_OF = dt.date(2026, 8, 1)


def book_with(**review: object) -> RuleBook:
    book = load_rule_book()
    return dataclasses.replace(book, review=dataclasses.replace(book.review, **review))


def hired() -> dict[str, object]:
    return registrant(event("hired", dt.date(2026, 7, 15)), registered=REGISTERED)


def test_by_default_a_deregistration_takes_effect_from_the_ground_and_states_both_dates() -> None:
    """ground_date: effective from the day the ground arose; established on the review date;
    the explanation names the convention and the alternative."""
    decision = L.assess_deregistration(hired(), as_of=AS_OF)
    assert decision.effective_date == dt.date(2026, 7, 15)
    assert decision.established_date == AS_OF
    assert decision.effective_date_from == "ground_date"
    assert decision.triggers[0].effective_date == dt.date(2026, 7, 15)
    data = decision.to_dict()
    assert data["established_date"] == "2026-08-01" and data["effective_date_from"] == "ground_date"
    zh = decision.explain("zh")
    assert "注销情形认定日期" in zh and "另一读法：以认定之日为准" in zh
    assert "2026年7月15日" in zh and "2026年8月1日" in zh


def test_under_the_alternative_a_deregistration_takes_effect_when_established() -> None:
    """established_date: effective from the review date; the trigger keeps its own date."""
    book = book_with(effective_date_from="established_date")
    decision = L.assess_deregistration(hired(), as_of=AS_OF, rule_book=book)
    assert decision.effective_date == AS_OF == decision.established_date
    assert decision.triggers[0].effective_date == dt.date(2026, 7, 15)
    assert "另一读法：以情形发生之日为准" in decision.explain("zh")


def test_a_registrant_who_stays_has_no_established_date() -> None:
    """Only a deregistration states the day its ground was established."""
    decision = L.assess_deregistration(registrant(registered=REGISTERED), as_of=AS_OF)
    assert decision.outcome == "remain_registered"
    assert decision.established_date is None and decision.effective_date_from is None


SAME_DAY = [event("refusal", dt.date(2026, 7, 10)) for _ in range(3)]
RESET = [
    event("refusal", dt.date(2026, 6, 10)),
    event("contact", dt.date(2026, 7, 1)),
    event("refusal", dt.date(2026, 7, 10)),
    event("refusal", dt.date(2026, 7, 20)),
]


@pytest.mark.parametrize(
    ("events", "review", "outcome"),
    [
        pytest.param(SAME_DAY, {}, "deregister", id="3 on one day: each counts (default)"),
        pytest.param(SAME_DAY, {"refusal_same_day": "once"}, "remain_registered",
                     id="3 on one day: once (alternative)"),
        pytest.param(RESET, {}, "deregister", id="contact between: no reset (default)"),
        pytest.param(RESET, {"refusal_reset_on_contact": True}, "remain_registered",
                     id="contact between: reset (alternative)"),
    ],
)  # fmt: skip
def test_refusal_counting_follows_the_convention(
    events: list[dict[str, object]], review: dict[str, object], outcome: str
) -> None:
    """4.5(12) counts refusals as refusal_counting says; both alternatives are implemented."""
    person = registrant(*events, registered=REGISTERED)
    decision = L.assess_deregistration(person, as_of=AS_OF, rule_book=book_with(**review))
    assert decision.outcome == outcome


def test_a_review_parameter_outside_its_accepted_values_is_refused(tmp_path: Path) -> None:
    """An unknown counting window or effective-date convention stops the rule book loading."""
    text = (rules_dir() / "parameters" / "review.yaml").read_text(encoding="utf-8")
    for old, new in (("window: registration", "window: 12_months"),
                     ("value: ground_date", "value: tomorrow"),
                     ("reset_on_contact: false", "reset_on_contact: 0")):  # fmt: skip
        path = tmp_path / "review.yaml"
        path.write_text(text.replace(old, new), encoding="utf-8")
        with pytest.raises(RuleFileError):
            load_review_parameters(path)
