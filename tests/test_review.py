"""Periodic review (standard 4.3.1, 4.5, 5.5): the 15 triggers, their boundaries, outcomes.

Every case runs on each available engine. Registrants are registered on 2026-01-15 unless
said otherwise; a contact on 2026-03-01 keeps 4.5(13) (no contact for more than 6 months)
out of the way until 2026-09-01 (a Tuesday), so its next date is 2026-09-02.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import lnunemp_rules as L
from builders import NAME, event, id_number, registrant

CONTACT = event("contact", dt.date(2026, 3, 1))
DAY = dt.timedelta(days=1)


def review(engine: str, person: dict[str, Any], as_of: dt.date) -> L.DeregistrationDecision:
    return L.assess_deregistration(person, as_of=as_of, engine=engine)


def trigger_ids(decision: L.DeregistrationDecision) -> list[str]:
    return [m.clause.id for m in decision.triggers]


def assert_remains(decision: L.DeregistrationDecision) -> None:
    assert decision.outcome == "remain_registered"
    assert decision.triggers == ()
    assert decision.effective_date is None
    assert decision.reasons == ()


# --- the triggers that a dated event sets off ----------------------------------------------

ON = dt.date(2026, 4, 20)
EVENT_TRIGGERS = [
    pytest.param(event("hired", ON), "4.5(1)", id="(1) hired"),
    pytest.param(event("business_licence", ON), "4.5(2)", id="(2) business licence"),
    pytest.param(event("income_work", ON, monthly_income=2230, minimum_wage_tier=1), "4.5(3)",
                 id="(3) income equal to the minimum wage"),
    pytest.param(event("public_welfare_post", ON), "4.5(4)", id="(4) public-welfare post"),
    pytest.param(event("flexible_employment", ON, social_insurance=True, income_tax=False),
                 "4.5(5)", id="(5) flexible employment with social insurance"),
    pytest.param(event("flexible_employment", ON, social_insurance=False, income_tax=True),
                 "4.5(5)", id="(5) flexible employment with income tax"),
    pytest.param(event("pension_start", ON), "4.5(6)", id="(6) pension"),
    pytest.param(event("lost_working_ability", ON), "4.5(7)", id="(7) unable to work"),
    pytest.param(event("school_enrolment", ON), "4.5(8)", id="(8) school"),
    pytest.param(event("military_service", ON), "4.5(8)", id="(8) military service"),
    pytest.param(event("emigration", ON), "4.5(8)", id="(8) moved abroad"),
    pytest.param(event("imprisonment", ON), "4.5(9)", id="(9) imprisoned"),
    pytest.param(event("death", ON), "4.5(10)", id="(10) died"),
    pytest.param(event("withdrawal", ON), "4.5(11)", id="(11) withdrew the request"),
    pytest.param(event("move", ON, new_region="110105"), "4.5(14)",
                 id="(14) moved to Beijing"),
    pytest.param(event("other", ON, reason="registered twice by mistake"), "4.5(15)",
                 id="(15) other, with a reason"),
]  # fmt: skip


@pytest.mark.parametrize(("happened", "clause"), EVENT_TRIGGERS)
def test_event_trigger_deregisters_from_the_event_date(
    engine: str, happened: dict[str, Any], clause: str
) -> None:
    """Reviewed on the event day, the trigger fires with effect from that day, naming the event."""
    decision = review(engine, registrant(CONTACT, happened), ON)
    assert decision.outcome == "deregister"
    assert trigger_ids(decision) == [clause]
    match = decision.triggers[0]
    assert match.effective_date == ON
    assert match.events == (1,)
    assert decision.effective_date == ON
    assert decision.next_review_date is None
    assert clause in decision.citations


@pytest.mark.parametrize(("happened", "clause"), EVENT_TRIGGERS)
def test_event_after_the_as_of_date_is_ignored(
    engine: str, happened: dict[str, Any], clause: str
) -> None:
    """Reviewed the day before the event, nothing fires: later events are not known yet."""
    decision = review(engine, registrant(CONTACT, happened), ON - DAY)
    assert_remains(decision)
    assert decision.next_review_date == dt.date(2026, 9, 2)


NON_TRIGGERS = [
    pytest.param(event("flexible_employment", ON, social_insurance=False, income_tax=False),
                 id="(5) flexible employment without insurance or tax"),
    pytest.param(event("move", ON, new_region="210202"), id="(14) move within Liaoning"),
    pytest.param(event("income_work", ON, monthly_income=2229, minimum_wage_tier=1),
                 id="(3) income one yuan below the minimum wage"),
    pytest.param(event("income_work", ON, monthly_income=1929), id="(3) below every tier"),
    pytest.param(event("income_work", ON, monthly_income=5000, minimum_wage_amount=5000.01),
                 id="(3) below a minimum wage the caller gives"),
    pytest.param(event("contact", ON), id="a contact"),
    pytest.param(event("refusal", ON), id="(12) a single refusal"),
]  # fmt: skip


@pytest.mark.parametrize("happened", NON_TRIGGERS)
def test_near_miss_of_a_trigger_keeps_the_registration(
    engine: str, happened: dict[str, Any]
) -> None:
    """An event just short of a 4.5 item leaves the person registered."""
    assert_remains(review(engine, registrant(CONTACT, happened), ON))


# --- 4.5(3): income against the minimum wage in force on the event date -------------------


@pytest.mark.parametrize(
    ("day", "income", "fires"),
    [
        # Tier 1 is 2100 yuan until 2025-11-30 and 2230 yuan from 2025-12-01.
        (dt.date(2025, 11, 30), 2099, False),
        (dt.date(2025, 11, 30), 2100, True),
        (dt.date(2025, 11, 30), 2150, True),
        (dt.date(2025, 12, 1), 2150, False),
        (dt.date(2025, 12, 1), 2229, False),
        (dt.date(2025, 12, 1), 2230, True),
    ],
)
def test_income_is_compared_with_the_minimum_wage_in_force_on_the_event_day(
    engine: str, day: dt.date, income: int, fires: bool
) -> None:
    """Not below the tier-1 minimum wage of the event day deregisters (不低于 includes equal)."""
    person = registrant(
        event("income_work", day, monthly_income=income),
        registered=dt.date(2025, 10, 1),
        minimum_wage_tier=1,
    )
    decision = review(engine, person, dt.date(2025, 12, 31))
    if fires:
        assert trigger_ids(decision) == ["4.5(3)"]
        assert decision.effective_date == day
    else:
        assert_remains(decision)
    derived = {d.fact: d.value for d in decision.derivations}
    assert derived["events[0].minimum_wage"] == (2100 if day.month == 11 else 2230)


def test_income_between_tiers_with_no_tier_needs_review(engine: str) -> None:
    """2000 yuan lies between tier 3 (1930) and tier 1 (2230): without a tier, staff decide."""
    person = registrant(CONTACT, event("income_work", ON, monthly_income=2000))
    decision = review(engine, person, ON)
    assert decision.outcome == "needs_review"
    assert decision.triggers == ()
    assert [(r.clause.id, r.events) for r in decision.reasons] == [("4.5(3)", (1,))]
    assert decision.missing_facts == ("events[1].minimum_wage_tier",)
    assert decision.next_review_date == dt.date(2026, 9, 2)


def test_income_not_below_the_highest_tier_needs_no_tier(engine: str) -> None:
    """2230 yuan is not below any tier's minimum wage in 2026: deregistered without a tier."""
    person = registrant(CONTACT, event("income_work", ON, monthly_income=2230))
    assert trigger_ids(review(engine, person, ON)) == ["4.5(3)"]


# --- 4.5(12): the 3rd refusal --------------------------------------------------------------


def refusals(*days: int) -> list[dict[str, Any]]:
    return [event("refusal", dt.date(2026, 3, d)) for d in days]


def test_second_refusal_does_not_deregister(engine: str) -> None:
    """Two refusals are not 达3次."""
    assert_remains(review(engine, registrant(*refusals(2, 9)), dt.date(2026, 3, 31)))


def test_third_refusal_deregisters_from_its_date(engine: str) -> None:
    """The 3rd refusal fires 4.5(12) with effect from the day of the 3rd."""
    decision = review(engine, registrant(*refusals(2, 9, 16)), dt.date(2026, 3, 31))
    assert trigger_ids(decision) == ["4.5(12)"]
    assert decision.triggers[0].effective_date == dt.date(2026, 3, 16)
    assert decision.triggers[0].events == (2,)


def test_refusals_are_counted_in_date_order_not_list_order(engine: str) -> None:
    """The 3rd refusal is the 3rd by date: listed first, it still takes effect on its own day."""
    person = registrant(*refusals(16, 2, 9, 20))
    decision = review(engine, person, dt.date(2026, 3, 31))
    assert decision.effective_date == dt.date(2026, 3, 16)
    assert decision.triggers[0].events[0] == 0
    derived = {d.fact: d.value for d in decision.derivations}
    assert derived["refusal_count"] == 4


def test_a_refusal_after_the_as_of_date_is_not_counted(engine: str) -> None:
    """Reviewed the day before the 3rd refusal, only two count."""
    assert_remains(review(engine, registrant(*refusals(2, 9, 16)), dt.date(2026, 3, 15)))


# --- 4.5(13): more than 6 months without contact -------------------------------------------


@pytest.mark.parametrize(
    ("registered", "last_day"),
    [
        # 2026-07-15 is a Wednesday: no extension.
        pytest.param(dt.date(2026, 1, 15), dt.date(2026, 7, 15), id="working day"),
        # 2026-07-18 is a Saturday: art. 203 moves the last day to Monday 2026-07-20.
        pytest.param(dt.date(2026, 1, 18), dt.date(2026, 7, 20), id="weekend"),
        # 2026-10-01..07 National Day: the last day becomes Thursday 2026-10-08.
        pytest.param(dt.date(2026, 4, 1), dt.date(2026, 10, 8), id="National Day"),
    ],
)
def test_no_contact_fires_the_day_after_the_periods_last_day(
    engine: str, registered: dt.date, last_day: dt.date
) -> None:
    """On the last day (after any art. 203 extension) still registered; the next day not."""
    person = registrant(registered=registered)
    on_last = review(engine, person, last_day)
    assert_remains(on_last)
    assert on_last.next_review_date == last_day + DAY
    after = review(engine, person, last_day + DAY)
    assert after.outcome == "deregister"
    assert trigger_ids(after) == ["4.5(13)"]
    assert after.effective_date == last_day + DAY
    assert after.triggers[0].events == ()
    assert "civil-code-art203" in after.citations


def test_a_contact_restarts_the_six_months(engine: str) -> None:
    """A contact on 2026-03-01 moves the end of the period to 2026-09-01."""
    person = registrant(CONTACT)
    decision = review(engine, person, dt.date(2026, 7, 16))
    assert_remains(decision)
    assert decision.next_review_date == dt.date(2026, 9, 2)


def test_contact_lapse_whose_art_203_check_needs_2027_needs_review(engine: str) -> None:
    """6 months from 2026-07-03 end on Sunday 2027-01-03 or later: 2027's rest days are unknown."""
    person = registrant(registered=dt.date(2026, 7, 3))
    decision = review(engine, person, dt.date(2027, 1, 4))
    assert decision.outcome == "needs_review"
    assert decision.triggers == ()
    assert [r.clause.id for r in decision.reasons] == ["4.5(13)"]
    assert decision.missing_facts == ()  # nothing the registrant could supply
    assert any("2027" in w.text_zh and "2027" in w.text_en for w in decision.warnings)
    # On the corresponding day itself the period has not passed under any schedule.
    assert review(engine, person, dt.date(2027, 1, 3)).outcome == "remain_registered"


# --- combining triggers --------------------------------------------------------------------


def test_deregistration_takes_effect_on_the_earliest_trigger(engine: str) -> None:
    """Hired on 03-10 and moved out of Liaoning on 02-20: effect from 02-20, both listed."""
    person = registrant(
        event("hired", dt.date(2026, 3, 10)),
        event("move", dt.date(2026, 2, 20), new_region="110105"),
    )
    decision = review(engine, person, dt.date(2026, 4, 1))
    assert decision.outcome == "deregister"
    assert trigger_ids(decision) == ["4.5(14)", "4.5(1)"]
    assert decision.effective_date == dt.date(2026, 2, 20)
    assert [m.events for m in decision.triggers] == [(1,), (0,)]


def test_contact_lapse_before_a_later_event_sets_the_effective_date(engine: str) -> None:
    """No contact since 2026-01-15 and hired on 08-01: effect from 07-16, the lapse."""
    person = registrant(event("hired", dt.date(2026, 8, 1)))
    decision = review(engine, person, dt.date(2026, 8, 10))
    assert trigger_ids(decision) == ["4.5(13)", "4.5(1)"]
    assert decision.effective_date == dt.date(2026, 7, 16)


def test_repeated_events_of_one_trigger_take_effect_on_the_first(engine: str) -> None:
    """Hired twice: one 4.5(1) trigger naming both events, effective from the first."""
    person = registrant(event("hired", dt.date(2026, 3, 20)), event("hired", dt.date(2026, 3, 5)))
    decision = review(engine, person, dt.date(2026, 4, 1))
    assert trigger_ids(decision) == ["4.5(1)"]
    assert decision.triggers[0].effective_date == dt.date(2026, 3, 5)
    assert set(decision.triggers[0].events) == {0, 1}


def test_a_registrant_with_nothing_new_remains_registered(engine: str) -> None:
    """No event and within 6 months: remain_registered with the 4.5(13) date to act before."""
    decision = review(engine, registrant(), dt.date(2026, 1, 15))
    assert_remains(decision)
    assert decision.next_review_date == dt.date(2026, 7, 16)
    assert decision.missing_facts == ()


# --- JSON and explanations -----------------------------------------------------------------


def test_json_round_trips_with_rules_version_digest_engine_and_as_of(engine: str) -> None:
    """to_json() parses back and carries the rules version, digest, engine and as-of date."""
    decision = review(engine, registrant(CONTACT, event("hired", ON)), ON)
    data = json.loads(decision.to_json())
    assert data == decision.to_dict()
    book = L.load_rule_book()
    assert data["meta"]["rules_version"] == book.version
    assert data["meta"]["rules_digest"] == book.digest
    assert data["meta"]["engine"] == engine
    assert data["meta"]["as_of"] == ON.isoformat()
    assert data["effective_date"] == ON.isoformat()
    assert data["triggers"][0]["clause"]["id"] == "4.5(1)"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(
    "as_of",
    [
        pytest.param(ON, id="deregister"),
        pytest.param(ON - DAY, id="remain_registered"),
    ],
)
def test_explanations_and_json_never_show_the_id_number_or_the_name(
    engine: str, lang: str, as_of: dt.date
) -> None:
    """explain() and to_json() mask the ID number and leave out the name (4.3.1 privacy)."""
    decision = review(engine, registrant(CONTACT, event("death", ON)), as_of)
    number = id_number()
    text = decision.explain(lang)  # type: ignore[arg-type]
    for shown in (text, decision.to_json()):
        assert number not in shown
        assert number[6:14] not in shown
        assert NAME not in shown
    assert decision.meta.subject_masked is not None
    assert decision.meta.subject_masked in text


# --- what a review rests on (its basis) -----------------------------------------------------


@pytest.mark.parametrize(
    ("events", "as_of", "outcome", "basis"),
    [
        pytest.param((CONTACT,), dt.date(2026, 4, 20), "remain_registered",
                     ["5.5", "4.5", "4.5(13)"], id="stays: 5.5, 4.5 and the next 4.5(13) date"),
        pytest.param((), dt.date(2026, 7, 16), "deregister", ["5.5"],
                     id="deregistered: 5.5 beside its triggers"),
        pytest.param((CONTACT, event("income_work", dt.date(2026, 4, 1), monthly_income=2000)),
                     dt.date(2026, 4, 20), "needs_review", ["5.5"],
                     id="to staff: 5.5 beside its review reason"),
    ],
)  # fmt: skip
def test_every_review_rests_on_5_5_and_one_that_keeps_the_registrant_on_4_5(
    engine: str,
    events: tuple[dict[str, Any], ...],
    as_of: dt.date,
    outcome: str,
    basis: list[str],
) -> None:
    """5.5 (动态管理) is the basis of every review; a registrant who stays registered also rests
    on 4.5, none of whose items holds, and on 4.5(13) when its date is the next review."""
    decision = review(engine, registrant(*events), as_of)
    assert decision.outcome == outcome
    assert [c.id for c in decision.basis] == basis


def test_what_a_sweep_and_a_receipt_keep_of_a_review(engine: str) -> None:
    """A sweep's line keeps the effective and next review dates; a receipt also each trigger
    with its date. Hired on 2026-04-01: deregistered from then; contacted on 2026-03-01 only:
    stays, next review 2026-09-02."""
    from lnunemp_rules.decide import PROCEDURES

    procedure = PROCEDURES["review"]
    hired = review(engine, registrant(event("hired", dt.date(2026, 4, 1))), dt.date(2026, 4, 20))
    assert procedure.summary(hired) == {"effective_date": "2026-04-01", "next_review_date": None}
    assert procedure.receipt_result(hired) == {
        "triggers": [{"rule_id": "trigger.hired", "effective_date": "2026-04-01"}],
        "effective_date": "2026-04-01",
        "next_review_date": None,
    }
    stays = review(engine, registrant(CONTACT), dt.date(2026, 4, 20))
    assert procedure.summary(stays) == {"effective_date": None, "next_review_date": "2026-09-02"}
    assert procedure.receipt_result(stays) == {
        "triggers": [], "effective_date": None, "next_review_date": "2026-09-02",
    }  # fmt: skip


def test_a_review_without_its_date_or_dated_before_registration_is_refused() -> None:
    """The review procedure needs the date it is made on, not before the registration date;
    each refusal names as_of and says what is wrong."""
    from lnunemp_rules.decide import PROCEDURES

    with pytest.raises(L.InputError) as missing:
        PROCEDURES["review"].decide(registrant(CONTACT))
    assert missing.value.field == "as_of"
    assert missing.value.message == "a review needs the date it is made on (YYYY-MM-DD)"
    with pytest.raises(L.InputError) as early:
        L.assess_deregistration(registrant(CONTACT), as_of="2026-01-14")
    assert early.value.field == "as_of"
    assert early.value.message == "2026-01-14 is before registration_date 2026-01-15"
