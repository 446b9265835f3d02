"""Registration decisions (standard 4.1, 4.2): categories, base conditions, outcomes, notices.

Every case runs on each available engine (``engine`` fixture, tests/conftest.py). Expected
dates are worked out by hand in the docstrings from the conventions in rules/parameters/.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest

import lnunemp_rules as L
from builders import NAME, application, id_number


def decide(engine: str, **kwargs: Any) -> L.RegistrationDecision:
    return L.assess_registration(application(**kwargs), engine=engine)


def clause_ids(matches: tuple[Any, ...]) -> list[str]:
    return [m.clause.id for m in matches]


# --- 4.1.2: each of the 13 categories fires ------------------------------------------------

# 4.1.2(5) 在城镇: rural labour in town is a habitual urban resident (chapeau of 4.1.2).
RURAL = {"hukou": "rural", "habitual_urban_resident": True}

FIRING = [
    pytest.param({"category": "graduate", "school_status": "graduated"}, {}, "4.1.2(1)",
                 id="(1) graduated"),
    pytest.param({"category": "graduate", "school_status": "dropped_out"}, {}, "4.1.2(1)",
                 id="(1) left school without graduating"),
    pytest.param({"category": "enterprise_contract_ended", "contract_ending": "terminated"}, {},
                 "4.1.2(2)", id="(2) enterprise terminated the contract"),
    pytest.param({"category": "enterprise_contract_ended", "contract_ending": "expired"}, {},
                 "4.1.2(2)", id="(2) contract ended"),
    pytest.param({"category": "enterprise_bankruptcy"}, {}, "4.1.2(3)", id="(3) bankruptcy"),
    pytest.param({"category": "public_sector_dismissal"}, {}, "4.1.2(4)",
                 id="(4) dismissed by a public institution"),
    pytest.param({"category": "rural_labour", "transfer_intent": True}, RURAL, "4.1.2(5)",
                 id="(5) rural labour in town wanting transfer employment"),
    pytest.param({"category": "veteran", "state_placement": False}, {}, "4.1.2(6)",
                 id="(6) veteran not placed by the state"),
    pytest.param({"category": "private_business_closed"}, {}, "4.1.2(7)",
                 id="(7) private business closed"),
    pytest.param({"category": "self_employment_exit"}, {}, "4.1.2(8)",
                 id="(8) left self-employment"),
    pytest.param({"category": "public_welfare_post_exit"}, {}, "4.1.2(9)",
                 id="(9) left a public-welfare post"),
    pytest.param({"category": "land_requisition", "meets_local_conditions": "yes"}, {},
                 "4.1.2(10)", id="(10) land requisitioned, local conditions met"),
    pytest.param({"category": "resignation"}, {}, "4.1.2(11)", id="(11) resigned"),
    pytest.param({"category": "flexible_employment_exit"}, {}, "4.1.2(12)",
                 id="(12) left flexible employment"),
    pytest.param({"category": "released_from_prison", "release_type": "sentence_completed"}, {},
                 "4.1.2(13)", id="(13) sentence completed"),
    pytest.param({"category": "released_from_prison", "release_type": "parole"}, {},
                 "4.1.2(13)", id="(13) parole"),
    pytest.param({"category": "released_from_prison", "release_type": "serving_outside_prison"},
                 {}, "4.1.2(13)", id="(13) serving the sentence outside prison"),
]  # fmt: skip


@pytest.mark.parametrize(("cause", "applicant", "clause"), FIRING)
def test_each_category_fires_alone_and_makes_an_otherwise_complete_case_eligible(
    engine: str, cause: dict[str, Any], applicant: dict[str, Any], clause: str
) -> None:
    """A complete application under one 4.1.2 category is eligible, matching that item only."""
    decision = decide(engine, cause=cause, applicant=applicant, birth=dt.date(2004, 6, 1))
    assert decision.outcome == "eligible"
    assert clause_ids(decision.categories) == [clause]
    assert decision.categories[0].clause.source == "standard"
    assert decision.reasons == ()
    assert decision.missing_facts == ()


def test_every_category_of_4_1_2_has_a_firing_case() -> None:
    """The firing table above covers all 13 items of 4.1.2."""
    covered = {p.values[2] for p in FIRING}
    assert covered == {f"4.1.2({n})" for n in range(1, 14)}


# --- 4.1.2: near misses ------------------------------------------------------------------


def other(description: str) -> dict[str, str]:
    return {"category": "other", "description": description}


NEAR_MISSES = [
    pytest.param(other("labour contract suspended (中止), not ended"), {}, "4.1.2(2)",
                 id="(2) contract suspended, not ended"),
    pytest.param(other("enterprise stopped production; employment continues"), {}, "4.1.2(3)",
                 id="(3) production stopped but no bankruptcy"),
    pytest.param(other("unpaid leave from a public institution"), {}, "4.1.2(4)",
                 id="(4) unpaid leave, not dismissed"),
    pytest.param({"category": "rural_labour", "transfer_intent": False}, RURAL, "4.1.2(5)",
                 id="(5) rural labour without transfer intent"),
    pytest.param({"category": "rural_labour", "transfer_intent": True},
                 {"hukou": "urban", "habitual_urban_resident": True}, "4.1.2(5)",
                 id="(5) transfer intent but urban hukou"),
    pytest.param({"category": "veteran", "state_placement": True}, {}, "4.1.2(6)",
                 id="(6) veteran placed by the state"),
    pytest.param(other("private enterprise sold to a new owner"), {}, "4.1.2(7)",
                 id="(7) business sold, not closed"),
    pytest.param(other("self-employed, business paused for the winter"), {}, "4.1.2(8)",
                 id="(8) self-employment paused"),
    pytest.param(other("public-welfare post contract extended then waiting"), {}, "4.1.2(9)",
                 id="(9) still attached to the post"),
    pytest.param({"category": "land_requisition", "meets_local_conditions": "no"}, {},
                 "4.1.2(10)", id="(10) land requisitioned, local conditions not met"),
    pytest.param(other("laid off from a foreign NGO office"), {}, "4.1.2(11)",
                 id="(11) not a resignation"),
    pytest.param(other("platform account suspended, still registered as a rider"), {},
                 "4.1.2(12)", id="(12) flexible employment not left"),
    pytest.param(other("released on bail awaiting trial (取保候审)"), {}, "4.1.2(13)",
                 id="(13) bail is not release after a sentence"),
]  # fmt: skip


@pytest.mark.parametrize(("cause", "applicant", "missed"), NEAR_MISSES)
def test_near_miss_of_a_category_matches_nothing_and_needs_review_citing_4_1_2(
    engine: str, cause: dict[str, Any], applicant: dict[str, Any], missed: str
) -> None:
    """Just outside an item of 4.1.2 no category matches; the list is 包括但不限于, so review."""
    decision = decide(engine, cause=cause, applicant=applicant)
    assert missed not in clause_ids(decision.categories)
    assert decision.categories == ()
    assert decision.outcome == "needs_review"
    assert [r.clause.id for r in decision.reasons] == ["4.1.2"]
    assert decision.notices == ()


def test_land_requisition_with_local_conditions_unknown_needs_review_citing_4_1_2_10(
    engine: str,
) -> None:
    """Land requisitioned but local conditions unknown: staff must check them (4.1.2(10))."""
    decision = decide(
        engine, cause={"category": "land_requisition", "meets_local_conditions": "unknown"}
    )
    assert decision.outcome == "needs_review"
    assert decision.categories == ()
    assert [r.clause.id for r in decision.reasons] == ["4.1.2(10)"]
    assert decision.missing_facts == ("cause.meets_local_conditions",)


def test_rural_labour_without_hukou_is_incomplete_citing_4_1_2_5(engine: str) -> None:
    """Applying as rural labour without stating the hukou type asks for it (4.1.2(5))."""
    decision = decide(
        engine,
        cause={"category": "rural_labour", "transfer_intent": True},
        applicant={"habitual_urban_resident": True},
    )
    assert decision.outcome == "incomplete"
    assert [r.clause.id for r in decision.reasons] == ["4.1.2(5)"]
    assert decision.missing_facts == ("applicant.hukou",)


# --- working age: 16 and the retirement month ---------------------------------------------


@pytest.mark.parametrize(
    ("on", "outcome"),
    [
        (dt.date(2026, 5, 10), "ineligible"),  # the 16th birthday: still 15 full years
        (dt.date(2026, 5, 11), "eligible"),  # the day after: 16 reached (day_after_birthday)
    ],
)
def test_graduate_reaches_16_on_the_day_after_the_16th_birthday(
    engine: str, on: dt.date, outcome: str
) -> None:
    """Born 2010-05-10: aged 15 on 2026-05-10 (barred, no 4.1.2(1)), 16 on 2026-05-11."""
    decision = decide(
        engine,
        birth=dt.date(2010, 5, 10),
        on=on,
        cause={"category": "graduate", "school_status": "graduated"},
        unemployment_date=on.isoformat(),
    )
    assert decision.outcome == outcome
    if outcome == "ineligible":
        assert decision.categories == ()
        assert [r.rule_id for r in decision.reasons] == ["bar.under-working-age"]
        assert decision.reasons[0].clause.id == "labour-law-art15"
        assert decision.reasons[0].clause.source == "national"
    else:
        assert clause_ids(decision.categories) == ["4.1.2(1)"]


RETIREMENT = [
    # Men born 1966-01: delay 4 months (n = 12, k = 4), age 60y4m, retirement month 2026-05.
    pytest.param(dt.date(1966, 1, 10), "male", None, dt.date(2026, 5, 31), id="man"),
    # Women 55 born 1971-01: delay 4 months, age 55y4m, retirement month 2026-05.
    pytest.param(dt.date(1971, 1, 10), "female", 55, dt.date(2026, 5, 31), id="woman-55"),
    # Women 50 born 1976-01: delay 7 months (n = 12, k = 2), age 50y7m, month 2026-08.
    pytest.param(dt.date(1976, 1, 10), "female", 50, dt.date(2026, 8, 31), id="woman-50"),
]


@pytest.mark.parametrize(("birth", "sex", "group", "last_day"), RETIREMENT)
def test_working_age_lasts_through_the_retirement_month(
    engine: str, birth: dt.date, sex: str, group: int | None, last_day: dt.date
) -> None:
    """The last day of the retirement month is still working age; the 1st of the next is not."""
    extra = {} if group is None else {"female_retirement_group": group}
    still = decide(engine, birth=birth, sex=sex, on=last_day, applicant=extra)
    assert still.outcome == "eligible"
    barred = decide(
        engine, birth=birth, sex=sex, on=last_day + dt.timedelta(days=1), applicant=extra
    )
    assert barred.outcome == "ineligible"
    assert [r.rule_id for r in barred.reasons] == ["bar.retirement-age-reached"]
    assert barred.reasons[0].clause.id == "npc-2024-retirement-decision"


def test_woman_between_the_two_groups_dates_must_give_her_group(engine: str) -> None:
    """Born 1976-01: past the 50-group age from 2026-09-01, not the 55-group's; group asked."""
    decision = decide(engine, birth=dt.date(1976, 1, 10), sex="female", on=dt.date(2026, 9, 30))
    assert decision.outcome == "incomplete"
    assert decision.missing_facts == ("applicant.female_retirement_group",)
    assert [r.clause.id for r in decision.reasons] == ["npc-2024-retirement-decision"]
    # The same woman before either group's date needs no group.
    before = decide(engine, birth=dt.date(1976, 1, 10), sex="female", on=dt.date(2026, 8, 31))
    assert before.outcome == "eligible"


# --- every outcome kind, with the clause it cites ------------------------------------------

BARS = [
    pytest.param({"voluntary": False}, {}, "4.1.1", id="not voluntary (4.1.1)"),
    pytest.param({}, {"habitual_urban_resident": False}, "3.1", id="not an urban resident"),
    pytest.param({"current_situation": {"employed": True}}, {}, "4.5(1)", id="employed"),
    pytest.param({"current_situation": {"licensed_business": True}}, {}, "4.5(2)",
                 id="licensed business"),
    pytest.param({"current_situation": {"public_welfare_post": True}}, {}, "4.5(4)",
                 id="public-welfare post"),
    pytest.param({"current_situation": {"flexible_employment_insured": True}}, {}, "4.5(5)",
                 id="insured flexible employment"),
    pytest.param({"current_situation": {"receiving_pension": True}}, {}, "4.5(6)",
                 id="pensioner"),
    pytest.param({}, {"able_to_work": False}, "4.5(7)", id="unable to work"),
    pytest.param({"current_situation": {"in_school": True}}, {}, "4.5(8)", id="in school"),
    pytest.param({"current_situation": {"military_service": True}}, {}, "4.5(8)",
                 id="serving"),
    pytest.param({"current_situation": {"emigrated": True}}, {}, "4.5(8)", id="emigrated"),
    pytest.param({"current_situation": {"imprisoned": True}}, {}, "4.5(9)", id="imprisoned"),
]  # fmt: skip


@pytest.mark.parametrize(("fields", "applicant", "clause"), BARS)
def test_a_failed_base_condition_is_ineligible_citing_its_clause(
    engine: str, fields: dict[str, Any], applicant: dict[str, Any], clause: str
) -> None:
    """One failed base condition refuses registration with one reason citing its clause."""
    decision = decide(engine, applicant=applicant, **fields)
    assert decision.outcome == "ineligible"
    assert [r.clause.id for r in decision.reasons] == [clause]
    assert decision.reasons[0].text_zh and decision.reasons[0].text_en
    assert decision.missing_facts == ()
    assert decision.notices == ()


def test_rural_labour_must_be_in_town_like_every_cause(engine: str) -> None:
    """The chapeau of 4.1.2 (城镇常住) binds every item: rural labour not in town is barred
    under 3.1 like any other cause; in town it is eligible under 4.1.2(5)."""
    rural = decide(
        engine, cause={"category": "rural_labour", "transfer_intent": True}, applicant=RURAL
    )
    assert rural.outcome == "eligible"
    not_in_town = {**RURAL, "habitual_urban_resident": False}
    for cause in ({"category": "rural_labour", "transfer_intent": True}, None):
        kwargs = {"cause": cause} if cause else {}
        refused = decide(engine, applicant=not_in_town, **kwargs)
        assert refused.outcome == "ineligible"
        assert [r.rule_id for r in refused.reasons] == ["bar.not-habitual-urban-resident"]


@pytest.mark.parametrize(("income", "outcome"), [(2229, "eligible"), (2230, "ineligible")])
def test_current_income_one_yuan_below_the_minimum_wage_does_not_bar(
    engine: str, income: int, outcome: str
) -> None:
    """Tier 1 on 2026-09-30 is 2230 yuan: 2229 is below it, 2230 is not below (4.5(3))."""
    situation = {"monthly_income": income, "minimum_wage_tier": 1}
    decision = decide(engine, current_situation=situation)
    assert decision.outcome == outcome
    if outcome == "ineligible":
        assert [r.clause.id for r in decision.reasons] == ["4.5(3)"]


def test_current_income_between_tiers_without_a_tier_asks_for_it(engine: str) -> None:
    """2000 yuan lies between tier 3 (1930) and tier 1 (2230): the tier decides, so ask."""
    decision = decide(engine, current_situation={"monthly_income": 2000})
    assert decision.outcome == "incomplete"
    assert [r.clause.id for r in decision.reasons] == ["4.5(3)"]
    assert decision.missing_facts == ("current_situation.minimum_wage_tier",)


def test_missing_unemployment_date_is_incomplete_citing_4_1_3_3(engine: str) -> None:
    """Without the unemployment date the application is incomplete under 4.1.3(3)."""
    decision = decide(engine, drop=("unemployment_date",))
    assert decision.outcome == "incomplete"
    assert [r.clause.id for r in decision.reasons] == ["4.1.3(3)"]
    assert decision.missing_facts == ("unemployment_date",)


def test_every_missing_item_is_asked_for_at_once(engine: str) -> None:
    """4.1.4 一次性告知: all missing information is listed in one decision."""
    decision = decide(
        engine,
        drop=(
            "unemployment_date",
            "cause",
            "applicant.residence_region",
            "applicant.habitual_urban_resident",
        ),
    )
    assert decision.outcome == "incomplete"
    assert set(decision.missing_facts) == {
        "unemployment_date",
        "cause",
        "applicant.residence_region",
        "applicant.habitual_urban_resident",
    }
    assert len(decision.missing_facts) == 4
    assert {r.clause.id for r in decision.reasons} == {"4.1.3(1)", "4.1.3(2)", "4.1.3(3)", "3.1"}


def test_a_bar_outweighs_missing_information(engine: str) -> None:
    """An employed applicant is refused (4.5(1)) even with information missing; none is asked."""
    decision = decide(engine, current_situation={"employed": True}, drop=("unemployment_date",))
    assert decision.outcome == "ineligible"
    assert [r.clause.id for r in decision.reasons] == ["4.5(1)"]
    assert decision.missing_facts == ()


def test_cause_outside_the_categories_needs_review_citing_4_1_2(engine: str) -> None:
    """Every base condition met but no category: needs_review citing 4.1.2 (包括但不限于)."""
    decision = decide(engine, cause=other("contract with a foreign employer lapsed"))
    assert decision.outcome == "needs_review"
    assert decision.categories == ()
    assert [(r.rule_id, r.clause.id) for r in decision.reasons] == [
        ("policy.outside-categories", "4.1.2")
    ]
    assert "4.1.2" in decision.citations


# --- notices of 4.2.1 and the deadline of 4.2.2 --------------------------------------------

INVOLUNTARY = {"category": "enterprise_contract_ended", "contract_ending": "terminated"}


@pytest.mark.parametrize(
    ("cause", "months", "expected"),
    [
        pytest.param(INVOLUNTARY, 12, True, id="12 months, contract ended by the enterprise"),
        pytest.param(INVOLUNTARY, 11, False, id="11 months"),
        pytest.param(INVOLUNTARY, None, False, id="months not reported"),
        pytest.param({"category": "enterprise_bankruptcy"}, 12, True, id="bankruptcy"),
        pytest.param({"category": "public_sector_dismissal"}, 40, True, id="dismissal"),
        pytest.param({"category": "resignation"}, 120, False, id="resignation is voluntary"),
    ],
)
def test_unemployment_insurance_notice_needs_12_months_and_an_involuntary_cause(
    engine: str, cause: dict[str, Any], months: int | None, expected: bool
) -> None:
    """4.2.1(5) needs >= 12 contribution months and involuntary loss (社会保险法 art. 45)."""
    decision = decide(engine, cause=cause, insurance_contribution_months=months)
    assert decision.outcome == "eligible"
    notices = clause_ids(decision.notices)
    assert notices[:3] == ["4.2.1(1)", "4.2.1(2)", "4.2.1(3)"]
    assert ("4.2.1(5)" in notices) is expected
    if expected:
        match = decision.notices[notices.index("4.2.1(5)")]
        assert "social-insurance-law-art45" in [c.id for c in match.citations]


def test_employment_assistance_notice_only_when_the_service_found_it_possible(
    engine: str,
) -> None:
    """4.2.1(4) is given only when the service found the person may apply for assistance."""
    assert "4.2.1(4)" in clause_ids(decide(engine, employment_assistance_possible=True).notices)
    assert "4.2.1(4)" not in clause_ids(decide(engine).notices)


def test_no_notices_when_not_eligible(engine: str) -> None:
    """Notices come with a registration certificate: none for an ineligible application."""
    decision = decide(
        engine,
        cause=INVOLUNTARY,
        insurance_contribution_months=24,
        current_situation={"employed": True},
    )
    assert decision.outcome == "ineligible"
    assert decision.notices == ()


@pytest.mark.parametrize(
    ("channel", "deadline"),
    [
        # 2026-10-01..07 National Day; 10-08 Thu, 10-09 Fri, 10-10 Sat (make-up working day).
        ("online", dt.date(2026, 10, 10)),
        ("offline", dt.date(2026, 9, 30)),
    ],
)
def test_processing_deadline_of_4_2_2(engine: str, channel: str, deadline: dt.date) -> None:
    """Submitted 2026-09-30: online within 3 working days (2026-10-10), offline the same day."""
    decision = decide(engine, channel=channel, on=dt.date(2026, 9, 30))
    assert decision.deadline is not None
    assert decision.deadline.date == deadline
    assert "4.2.2" in decision.citations


def test_deadline_is_computed_whatever_the_outcome(engine: str) -> None:
    """The result of an ineligible application must be fed back too, within 4.2.2's time."""
    decision = decide(engine, voluntary=False, channel="online")
    assert decision.outcome == "ineligible"
    assert decision.deadline is not None
    assert decision.deadline.date == dt.date(2026, 10, 10)


# --- trace, JSON and explanations ----------------------------------------------------------


def test_trace_lists_every_rule_fired_or_not_with_required_and_actual_values(
    engine: str,
) -> None:
    """The trace holds each registration rule once, with each condition's values."""
    decision = decide(engine)
    book = L.load_rule_book()
    assert [t.rule_id for t in decision.trace] == [r.id for r in book.rules_for("registration")]
    fired = {t.rule_id for t in decision.trace if t.fired}
    assert "category.resignation" in fired
    assert "bar.employed" not in fired
    age = next(t for t in decision.trace if t.rule_id == "bar.under-working-age")
    assert age.conditions[0].actual == 36
    assert age.conditions[0].required == "< 16"
    assert age.conditions[0].holds is False


def test_json_round_trips_with_rules_version_digest_engine_and_as_of(engine: str) -> None:
    """to_json() parses back and carries what an auditor needs to replay the decision."""
    decision = decide(engine, cause=INVOLUNTARY, insurance_contribution_months=12)
    data = json.loads(decision.to_json())
    assert data == decision.to_dict()
    book = L.load_rule_book()
    assert data["meta"]["rules_version"] == book.version
    assert data["meta"]["rules_digest"] == book.digest
    assert data["meta"]["engine"] == engine
    assert data["meta"]["as_of"] == "2026-09-30"
    assert data["outcome"] == "eligible"
    assert [c["clause"]["id"] for c in data["categories"]] == ["4.1.2(2)"]


@pytest.mark.parametrize(
    "case",
    [
        pytest.param({}, id="eligible"),
        pytest.param({"current_situation": {"employed": True}}, id="ineligible"),
        pytest.param({"drop": ("unemployment_date",)}, id="incomplete"),
        pytest.param({"cause": {"category": "other", "description": "x"}}, id="needs_review"),
    ],
)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_explanations_and_json_never_show_the_id_number_or_the_name(
    engine: str, case: dict[str, Any], lang: str
) -> None:
    """explain() and to_json() mask the ID number and leave out the name (4.3.1 privacy)."""
    decision = decide(engine, **case)
    number = id_number()
    for text in (decision.explain(lang), decision.to_json()):  # type: ignore[arg-type]
        assert number not in text
        assert number[6:14] not in text  # the birth date digits
        assert NAME not in text
    assert decision.meta.subject_masked == number[:6] + "*" * 11 + number[-1]
    assert decision.meta.subject_masked in decision.explain(lang)  # type: ignore[arg-type]


# --- what a decision rests on (its basis) ---------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "outcome", "basis"),
    [
        pytest.param({}, "eligible", [], id="eligible: its categories, no 4.1.4"),
        pytest.param({"voluntary": False}, "ineligible", [], id="ineligible: its bars only"),
        pytest.param({"drop": ("unemployment_date",)}, "incomplete", ["4.1.4"],
                     id="incomplete: 4.1.4, every missing item at once"),
        pytest.param({"cause": {"category": "land_requisition", "meets_local_conditions":
                                "unknown"}}, "needs_review", [],
                     id="needs_review: its review reason only"),
        pytest.param({"cause": {"category": "other", "description": "家庭原因离职"}},
                     "needs_review", [],
                     id="needs_review outside the 13 categories: 4.1.2 as its reason"),
    ],
)  # fmt: skip
def test_only_an_incomplete_decision_rests_on_4_1_4(
    engine: str, changes: dict[str, Any], outcome: str, basis: list[str]
) -> None:
    """4.1.4 (一次性告知: tell every missing item at once) is the basis of an incomplete decision
    and of no other: a refusal, a referral to staff and an eligible decision do not cite it."""
    decision = decide(engine, **changes)
    assert decision.outcome == outcome
    assert [c.id for c in decision.basis] == basis


def test_what_a_sweep_and_a_receipt_keep_of_a_registration(engine: str) -> None:
    """A sweep's line keeps the deadline; a receipt the categories, the notices and the
    deadline (docs/batch.md, docs/api.md)."""
    from lnunemp_rules.decide import PROCEDURES

    procedure = PROCEDURES["registration"]
    decision = decide(engine, channel="online")
    assert procedure.summary(decision) == {"deadline": "2026-10-10"}
    assert procedure.receipt_result(decision) == {
        "categories": ["category.resignation"],
        "notices": ["notice.certificate-use", "notice.policies-and-services",
                    "notice.obligations"],
        "deadline": "2026-10-10",
    }  # fmt: skip


def test_a_sweep_and_a_receipt_keep_no_deadline_when_none_could_be_computed(engine: str) -> None:
    """Submitted online on 2026-12-30, the 3rd working day falls in 2027, whose schedule is
    not published: the decision has no deadline, and neither has its line or receipt."""
    from lnunemp_rules.decide import PROCEDURES

    procedure = PROCEDURES["registration"]
    decision = decide(engine, on=dt.date(2026, 12, 30), channel="online")
    assert decision.deadline is None and decision.deadline_citation is None
    assert decision.warnings[0].code == "deadline_calendar"
    assert "2027" in decision.warnings[0].text_en and "2027" in decision.warnings[0].text_zh
    assert procedure.summary(decision) == {"deadline": None}
    assert procedure.receipt_result(decision)["deadline"] is None


def test_no_bar_rule_names_missing_facts() -> None:
    """A refusal asks for nothing (4.1.4 applies to incomplete applications): no bar rule
    lists missing facts, which tests/code_mutants.yaml relies on for three mutants."""
    book = L.load_rule_book()
    assert [r.id for r in book.rules_for("registration") if r.effect == "bar" and r.missing] == []
