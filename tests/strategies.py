"""Hypothesis strategies for *valid* inputs: registration applications and registrants.

Every example is a plain JSON-like dict (dates as ISO strings) that the input models accept,
so an :class:`~lnunemp_rules.InputError` raised on one is a bug in this module or in the
library, never noise to filter away. Values cluster at the boundaries the rules care about:
age 16, the statutory retirement date (2025 reform), incomes one yuan below, equal to and one
fen above the minimum wage, the day a minimum wage changes, the 6-month contact lapse
(4.5(13)), the 2nd and 3rd refusal (4.5(12)), 12 months of contributions (4.2.1(5)), and the
end of the calendar's coverage (2026-12-31), where the facade must turn the missing 2027
schedule into a warning or a review, never an exception.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Final
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from lnunemp_rules import add_months, load_rule_book
from lnunemp_rules.inputs.idnumber import make_id_number
from lnunemp_rules.law.retirement import statutory_retirement

__all__ = [
    "CAUSE_CATEGORIES",
    "EVENT_TYPES",
    "registrants",
    "registration_applications",
]

FIRST_DAY: Final = dt.date(2004, 1, 1)
LAST_DAY: Final = dt.date(2026, 12, 31)  # the calendar's last covered day
BIRTH_FIRST: Final = dt.date(1940, 1, 1)
BIRTH_LAST: Final = dt.date(2015, 12, 31)

# Region codes: the 14 Liaoning prefecture prefixes 2101-2114 (national-context.md) with
# county suffixes that only look plausible -- no code is claimed to be a real county; the rules
# only test whether a code starts with 21 (4.5(14)).
_SUFFIXES: Final = ("02", "03", "04", "11", "12", "21", "81")
LIAONING_REGIONS: Final = tuple(f"21{p:02d}{s}" for p in range(1, 15) for s in _SUFFIXES)
# Codes outside Liaoning (first two digits not 21), for cross-province moves (4.5(14)).
OTHER_REGIONS: Final = tuple(f"{p}0102" for p in ("11", "13", "22", "31", "37", "44", "65"))

SIMPLE_CAUSES: Final = (
    "enterprise_bankruptcy", "public_sector_dismissal", "private_business_closed",
    "self_employment_exit", "public_welfare_post_exit", "resignation", "flexible_employment_exit",
)  # fmt: skip
CAUSE_CATEGORIES: Final = (
    "graduate", "enterprise_contract_ended", *SIMPLE_CAUSES, "rural_labour", "veteran",
    "land_requisition", "released_from_prison", "other",
)  # fmt: skip
SIMPLE_EVENTS: Final = (
    "contact", "hired", "business_licence", "public_welfare_post", "pension_start",
    "lost_working_ability", "school_enrolment", "military_service", "emigration",
    "imprisonment", "death", "withdrawal",
)  # fmt: skip
EVENT_TYPES: Final = (
    *SIMPLE_EVENTS, "refusal", "income_work", "flexible_employment", "move", "other",
)  # fmt: skip
SITUATION_FLAGS: Final = (
    "employed", "licensed_business", "public_welfare_post", "flexible_employment_insured",
    "receiving_pension", "in_school", "military_service", "emigrated", "imprisoned",
)  # fmt: skip
NAMES: Final = ("张伟", "王芳", "李娜", "刘洋", "陈静", "Zhao Lei")
SHANGHAI: Final = ZoneInfo("Asia/Shanghai")

_WAGE_ROWS: Final = load_rule_book().minimum_wages.parameters.values
# The days a minimum wage changes, and the day before each.
WAGE_CHANGE_DAYS: Final = tuple(
    d for row in _WAGE_ROWS for d in (row.effective_from - dt.timedelta(days=1), row.effective_from)
)


def _clip(day: dt.date, low: dt.date, high: dt.date) -> dt.date:
    return min(max(day, low), high)


def _tiers_on(day: dt.date) -> dict[int, int]:
    """Tier -> amount of the row in force on ``day`` (empty before the first row)."""
    rows = [row for row in _WAGE_ROWS if row.effective_from <= day]
    return dict(rows[-1].tiers) if rows else {}


def _near(draw: st.DrawFn, day: dt.date, low: dt.date, high: dt.date) -> dt.date:
    """``day`` moved by a few days either way, kept within [low, high]."""
    return _clip(day + dt.timedelta(days=draw(st.integers(-3, 3))), low, high)


def _day_between(draw: st.DrawFn, low: dt.date, high: dt.date, *anchors: dt.date) -> dt.date:
    """A day in [low, high]: uniform, or close to one of the boundary ``anchors``."""
    inside = [a for a in anchors if low - dt.timedelta(days=3) <= a <= high + dt.timedelta(days=3)]
    if inside and draw(st.booleans()):
        return _near(draw, draw(st.sampled_from(inside)), low, high)
    return draw(st.dates(low, high))


def _money(draw: st.DrawFn, day: dt.date) -> tuple[float, dict[str, Any]]:
    """A monthly income and how the minimum wage is given: a valid tier, an amount, or not."""
    tiers = _tiers_on(day)
    way = draw(st.sampled_from(["tier", "amount", "none"]))
    extra: dict[str, Any] = {}
    reference: float | None = None
    if way == "tier":
        # Before the first row no tier can be checked; 1-4 exist in the earliest row.
        tier = draw(st.sampled_from(sorted(tiers) or [1, 2, 3, 4]))
        extra["minimum_wage_tier"] = tier
        reference = tiers.get(tier)
    elif way == "amount":
        reference = draw(st.integers(100_00, 5000_00)) / 100
        extra["minimum_wage_amount"] = reference
    candidates = [float(a) for a in tiers.values()]
    if reference is not None:
        candidates.append(reference)
    if candidates and draw(st.booleans()):
        base = draw(st.sampled_from(candidates))
        income = max(0.0, round(base + draw(st.sampled_from([-1.0, -0.01, 0.0, 0.01, 1.0])), 2))
    else:
        income = draw(st.integers(0, 10_000_00)) / 100
    return income, extra


def _causes(draw: st.DrawFn) -> dict[str, Any]:
    category = draw(st.sampled_from(CAUSE_CATEGORIES))
    cause: dict[str, Any] = {"category": category}
    if category == "graduate":
        cause["school_status"] = draw(st.sampled_from(["graduated", "dropped_out"]))
    elif category == "enterprise_contract_ended":
        cause["contract_ending"] = draw(st.sampled_from(["terminated", "expired"]))
    elif category == "rural_labour":
        cause["transfer_intent"] = draw(st.booleans())
    elif category == "veteran":
        cause["state_placement"] = draw(st.booleans())
    elif category == "land_requisition":
        cause["meets_local_conditions"] = draw(st.sampled_from(["yes", "no", "unknown"]))
    elif category == "released_from_prison":
        cause["release_type"] = draw(
            st.sampled_from(["sentence_completed", "parole", "serving_outside_prison"])
        )
    elif category == "other":
        cause["description"] = draw(st.sampled_from(["家庭原因离职后求职", "合同到期后外出返乡"]))
    return cause


def _situation(draw: st.DrawFn, day: dt.date) -> dict[str, Any] | None:
    """Usually nothing of 4.5 applies (so categories decide); sometimes a few items do."""
    kind = draw(st.sampled_from(["absent", "clear", "clear", "flags", "income"]))
    if kind == "absent":
        return None
    situation: dict[str, Any] = {}
    if kind == "flags":
        for flag in draw(st.lists(st.sampled_from(SITUATION_FLAGS), max_size=3, unique=True)):
            situation[flag] = True
    if kind == "income":
        income, extra = _money(draw, day)
        situation["monthly_income"] = income
        situation.update(extra)
    return situation


def _retirement_anchors(birth: dt.date, sex: str) -> list[dt.date]:
    groups = ["male"] if sex == "male" else ["female_50", "female_55"]
    return [
        statutory_retirement(load_rule_book().retirement, birth, g).retired_from for g in groups
    ]


@st.composite
def registration_applications(draw: st.DrawFn) -> dict[str, Any]:
    """A valid registration-application dict (4.1, 4.2), dates as ISO strings."""
    birth = draw(st.dates(BIRTH_FIRST, BIRTH_LAST))
    sequence = draw(st.integers(0, 999))
    sex = "male" if sequence % 2 else "female"
    low = max(FIRST_DAY, birth)
    sixteen = add_months(birth, 16 * 12)
    on = _day_between(draw, low, LAST_DAY, sixteen, *_retirement_anchors(birth, sex),
                      *WAGE_CHANGE_DAYS, LAST_DAY)  # fmt: skip
    id_number = make_id_number(draw(st.sampled_from(LIAONING_REGIONS)), birth, sequence)

    applicant: dict[str, Any] = {"id_number": id_number}
    optional = st.booleans()
    if draw(optional):
        applicant["name"] = draw(st.sampled_from(NAMES))
    if draw(optional):
        applicant["birth_date"] = birth.isoformat()
    if draw(optional):
        applicant["sex"] = sex
    if draw(optional):
        applicant["hukou"] = draw(st.sampled_from(["urban", "rural"]))
    if draw(st.integers(0, 4)):
        applicant["residence_region"] = draw(st.sampled_from(LIAONING_REGIONS))
    if draw(st.integers(0, 4)):
        applicant["habitual_urban_resident"] = draw(st.booleans())
    if draw(optional):
        applicant["able_to_work"] = draw(st.booleans())
    if sex == "female" and draw(optional):
        applicant["female_retirement_group"] = draw(st.sampled_from([50, 55]))

    app: dict[str, Any] = {
        "applicant": applicant,
        "voluntary": draw(st.integers(0, 9)) > 0,
        "application_date": on.isoformat(),
        "channel": draw(st.sampled_from(["online", "offline"])),
    }
    if draw(st.integers(0, 9)):
        app["cause"] = _causes(draw)
    if draw(st.integers(0, 6)):
        app["unemployment_date"] = draw(st.dates(birth, on)).isoformat()
    if draw(st.integers(0, 3)) == 0:
        moment = dt.datetime.combine(on, draw(st.times()), tzinfo=SHANGHAI)
        if draw(optional):
            moment = moment.astimezone(dt.UTC)
        app["submitted_at"] = moment.isoformat()
    if draw(optional):
        app["insurance_contribution_months"] = draw(
            st.one_of(st.sampled_from([0, 11, 12, 13]), st.integers(0, 1200))
        )
    if draw(optional):
        app["employment_assistance_possible"] = draw(st.booleans())
    situation = _situation(draw, on)
    if situation is not None:
        app["current_situation"] = situation
    return app


def _event(draw: st.DrawFn, day: dt.date) -> dict[str, Any]:
    kind = draw(st.sampled_from(EVENT_TYPES))
    event: dict[str, Any] = {"type": kind, "date": day.isoformat()}
    if kind == "refusal" and draw(st.booleans()):
        event["service"] = draw(st.sampled_from(["职业介绍", "职业培训", "公益性岗位推荐"]))
    elif kind == "income_work":
        income, extra = _money(draw, day)
        event["monthly_income"] = income
        event.update(extra)
    elif kind == "flexible_employment":
        event["social_insurance"] = draw(st.booleans())
        event["income_tax"] = draw(st.booleans())
    elif kind == "move":
        event["new_region"] = draw(st.sampled_from(LIAONING_REGIONS + OTHER_REGIONS))
    elif kind == "other":
        event["reason"] = draw(st.sampled_from(["经办机构核实已不在本地", "本人书面申请"]))
    return event


@st.composite
def registrants(draw: st.DrawFn) -> tuple[dict[str, Any], str]:
    """A valid registrant dict (4.3.1, 4.5) and an as-of date, both JSON-like.

    Events may fall after the as-of date (the review must ignore them), and the registrant's
    own minimum-wage tier is one that exists in every row (1-3), so no event's default tier is
    unknown on its date.
    """
    registered = draw(st.dates(FIRST_DAY, LAST_DAY))
    count = draw(st.integers(0, 8))
    # Lapse anchors: 6 months after registration and after each contact-like event.
    days = [
        _day_between(draw, registered, LAST_DAY, add_months(registered, 6), *WAGE_CHANGE_DAYS)
        for _ in range(count)
    ]
    events = [_event(draw, day) for day in days]
    # Make the 2nd/3rd refusal boundary (4.5(12)) common: sometimes a run of refusals.
    if count >= 2 and draw(st.integers(0, 3)) == 0:
        for index in range(draw(st.integers(2, min(4, count)))):
            events[index] = {"type": "refusal", "date": days[index].isoformat()}
    contacts = [registered] + [
        dt.date.fromisoformat(e["date"]) for e in events if e["type"] in ("contact", "refusal")
    ]
    lapse = [add_months(d, 6) for d in contacts]
    as_of = _day_between(
        draw, registered, LAST_DAY, *lapse, *(a + dt.timedelta(days=1) for a in lapse)
    )

    registrant: dict[str, Any] = {
        "registration_date": registered.isoformat(),
        "residence_region": draw(st.sampled_from(LIAONING_REGIONS)),
        "events": events,
    }
    # 5.5: the register holds the birth date and sex, from the ID number or given.
    person: dict[str, Any] = {}
    birth = draw(st.dates(BIRTH_FIRST, min(BIRTH_LAST, registered)))
    if draw(st.booleans()):
        region = draw(st.sampled_from(LIAONING_REGIONS))
        person["id_number"] = make_id_number(region, birth, draw(st.integers(0, 999)))
    else:
        person["birth_date"] = birth.isoformat()
        person["sex"] = draw(st.sampled_from(["male", "female"]))
    if draw(st.booleans()):
        person["name"] = draw(st.sampled_from(NAMES))
    registrant["person"] = person
    if draw(st.booleans()):
        registrant["minimum_wage_tier"] = draw(st.sampled_from([1, 2, 3]))
    return registrant, as_of.isoformat()
