"""Seeded synthetic registration applications and registrants, for benchmarks and tests.

Everything here is invented: the people, their ID numbers (built with a valid GB 11643-1999
check character by :func:`make_id_number`) and their histories. Region codes use the 14
Liaoning prefecture prefixes ``2101``..``2114`` of GB/T 2260 with county suffixes chosen only to
look plausible (``02``, ``03``, ``11``, ``21``, ``81``...): no code is claimed to be a real
county. All dates of applications, registrations and events lie in 2024-2026, the years the
working-day calendar covers.

The mixes aim to be realistic, not statistically faithful (no published distribution exists):
every 4.1.2 category and ``other``, every 4.5 trigger, registrants with no trigger, and the
undecided cases (tier unknown, local conditions unknown). A share ``bad_share`` of records is
deliberately invalid (:data:`DEFECTS`); each one must be rejected by the input models.

Generation is a generator over ``random.Random(seed)``: the same arguments give the same
records, no global state is touched, and nothing is held in memory but the current record.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Final, Literal

from ..inputs.idnumber import id_check_character, make_id_number

__all__ = [
    "DEFAULT_AS_OF",
    "DEFECTS",
    "FIRST_DAY",
    "LIAONING_PREFECTURES",
    "SyntheticRecord",
    "generate_records",
    "iter_synthetic",
]

Kind = Literal["registration", "review"]

#: Default review date of generated registrants (all their events are on or before it).
DEFAULT_AS_OF: Final = dt.date(2026, 11, 28)
#: First date of generated applications, registrations and events.
FIRST_DAY: Final = dt.date(2024, 1, 1)
_FIRST_DAY: Final = FIRST_DAY.toordinal()
# From 2024-05-01 the tiers are 2100/1900/1700 then 2230/2080/1930 (rules/parameters/
# minimum_wage.yaml): 2000 yuan lies between the lowest and highest, so the tier decides.
_TIERS_OF_2024: Final = dt.date(2024, 5, 1).toordinal()

#: GB/T 2260 prefecture prefixes of Liaoning (2101 沈阳 ... 2114 葫芦岛).
LIAONING_PREFECTURES: Final = tuple(f"21{n:02d}" for n in range(1, 15))
# Plausible-looking county suffixes; synthetic, not a list of real counties.
_COUNTY_SUFFIXES: Final = ("02", "03", "04", "05", "11", "12", "21", "22", "81", "82")
# Other provinces (北京 11, 河北 13, 吉林 22, 上海 31, 山东 37) for 4.5(14) moves.
_OTHER_PROVINCES: Final = ("11", "13", "22", "31", "37")

#: Kinds of deliberately bad record.
DEFECTS: Final = (
    "wrong_check_character",
    "unknown_cause",
    "negative_income",
    "dates_reversed",
    "missing_required_field",
    "wrong_type",
)

_CAUSES: Final = (  # (category, weight): an invented but plausible mix
    ("enterprise_contract_ended", 20), ("resignation", 18), ("graduate", 15),
    ("rural_labour", 8), ("private_business_closed", 6), ("self_employment_exit", 6),
    ("flexible_employment_exit", 6), ("enterprise_bankruptcy", 5), ("land_requisition", 4),
    ("veteran", 3), ("public_welfare_post_exit", 3), ("public_sector_dismissal", 2),
    ("released_from_prison", 2), ("other", 2),
)  # fmt: skip
_REVIEW_CASES: Final = (  # (case, weight); a case is a trigger's event type or a situation
    ("active", 40), ("lapsed", 8), ("undecided_income", 3), ("hired", 14),
    ("business_licence", 4), ("income_work", 6), ("public_welfare_post", 2),
    ("flexible_employment", 5), ("pension_start", 2), ("lost_working_ability", 1),
    ("school_military_emigration", 3), ("imprisonment", 1), ("death", 1), ("withdrawal", 3),
    ("refusals", 3), ("cross_province_move", 2), ("other", 2),
)  # fmt: skip
_SURNAMES: Final = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
_GIVEN: Final = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"


@dataclass(frozen=True, slots=True)
class SyntheticRecord:
    """One generated record; ``defect`` names what was broken (None: a valid record)."""

    record: dict[str, Any]
    defect: str | None


def _weighted(options: tuple[tuple[str, int], ...]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    names = tuple(o[0] for o in options)
    total, cumulative = 0, []
    for _, weight in options:
        total += weight
        cumulative.append(total)
    return names, tuple(cumulative)


_CAUSE_TABLE: Final = _weighted(_CAUSES)
_REVIEW_TABLE: Final = _weighted(_REVIEW_CASES)


def _day(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


class _Maker:
    """Draws from one ``random.Random``; no state besides it."""

    def __init__(self, seed: int, as_of: dt.date) -> None:
        self.rng = random.Random(seed)
        self.last = as_of.toordinal()
        if self.last <= _FIRST_DAY:
            raise ValueError("as_of must be after 2024-01-01")

    def between(self, low: int, high: int) -> int:
        """An integer in low..high (faster than ``randint``; same stream for the same seed)."""
        return low + int(self.rng.random() * (high - low + 1))

    def pick(self, table: tuple[tuple[str, ...], tuple[int, ...]]) -> str:
        names, cumulative = table
        return self.rng.choices(names, cum_weights=cumulative)[0]

    def region(self) -> str:
        return self.rng.choice(LIAONING_PREFECTURES) + self.rng.choice(_COUNTY_SUFFIXES)

    def name(self) -> str:
        r = self.rng
        return r.choice(_SURNAMES) + "".join(r.choices(_GIVEN, k=self.between(1, 2)))

    def person(self, on: int, age_low: int, age_high: int, region: str) -> tuple[str, str]:
        """An ID number of someone aged age_low..age_high on day ``on``, and the sex."""
        born = on - self.between(age_low * 366, age_high * 365 + 300)
        sequence = self.between(0, 999)
        number = make_id_number(region, dt.date.fromordinal(born), sequence)
        return number, "male" if sequence % 2 else "female"

    # -- registration applications (4.1, 4.2) -------------------------------------------------

    def application(self) -> dict[str, Any]:
        r = self.rng
        on = self.between(_FIRST_DAY, self.last)
        region = self.region()
        category = self.pick(_CAUSE_TABLE) if r.random() > 0.01 else None
        if category == "graduate":
            number, sex = self.person(on, 16, 25, region)
        else:
            number, sex = self.person(on, 18, 59, region)
        applicant: dict[str, Any] = {"id_number": number, "residence_region": region}
        if r.random() < 0.5:
            applicant["name"] = self.name()
        if r.random() < 0.3:
            applicant["sex"] = sex
        roll = r.random()
        applicant["habitual_urban_resident"] = (
            True if roll < 0.95 else (None if roll < 0.97 else False)
        )
        applicant["able_to_work"] = r.random() > 0.005
        # 有就业要求 (issue 10): mostly stated, rarely denied, sometimes not asked.
        wish = r.random()
        if wish < 0.9:
            applicant["wants_employment"] = wish < 0.89
        if sex == "female" and r.random() < 0.8:
            applicant["female_retirement_group"] = r.choice((50, 55))
        if r.random() < 0.01:
            del applicant["residence_region"]
        app: dict[str, Any] = {
            "applicant": applicant,
            "voluntary": r.random() > 0.01,
            "application_date": _day(on),
            "channel": "online" if r.random() < 0.6 else "offline",
        }
        if category is not None:
            app["cause"] = self.cause(category, applicant)
        if r.random() > 0.03:
            app["unemployment_date"] = _day(on - self.between(0, min(365, on - _FIRST_DAY)))
        if app["channel"] == "online" and r.random() < 0.5:
            hour, minute = self.between(0, 23), self.between(0, 59)
            app["submitted_at"] = f"{_day(on)}T{hour:02d}:{minute:02d}:00+08:00"
        if r.random() < 0.7:
            app["insurance_contribution_months"] = self.between(0, 240)
        if r.random() < 0.5:
            app["employment_assistance_possible"] = r.random() < 0.2
        if r.random() < 0.08:
            app["current_situation"] = self.situation()
        return app

    def cause(self, category: str, applicant: dict[str, Any]) -> dict[str, Any]:
        r = self.rng
        cause: dict[str, Any] = {"category": category}
        if category == "graduate":
            cause["school_status"] = "graduated" if r.random() < 0.9 else "dropped_out"
        elif category == "enterprise_contract_ended":
            cause["contract_ending"] = r.choice(("terminated", "expired"))
        elif category == "resignation":
            if r.random() < 0.5:  # why, when it is known (4.2.1(5) notice for employer_fault)
                cause["reason"] = "employer_fault" if r.random() < 0.2 else "own_choice"
        elif category == "rural_labour":
            applicant["hukou"] = "rural" if r.random() < 0.95 else "urban"
            # 在城镇无业 (4.1.2(5)): those who come to a town's office are mostly in town.
            applicant["habitual_urban_resident"] = r.random() < 0.9
            cause["transfer_intent"] = r.random() < 0.9
        elif category == "veteran":
            cause["state_placement"] = r.random() < 0.1
        elif category == "land_requisition":
            cause["meets_local_conditions"] = r.choices(("yes", "unknown", "no"), (7, 2, 1))[0]
        elif category == "released_from_prison":
            cause["release_type"] = r.choice(
                ("sentence_completed", "parole", "serving_outside_prison")
            )
        elif category == "other":
            cause["description"] = "synthetic: a cause outside the 13 listed categories"
        if category != "rural_labour" and r.random() < 0.2:
            applicant["hukou"] = r.choice(("urban", "rural"))
        return cause

    def situation(self) -> dict[str, Any]:
        r = self.rng
        flag = r.choice(
            ("employed", "licensed_business", "public_welfare_post", "flexible_employment_insured",
             "receiving_pension", "in_school", "military_service", "emigrated", "imprisoned",
             "income", "income"),
        )  # fmt: skip
        if flag != "income":
            return {flag: True}
        situation: dict[str, Any] = {"monthly_income": float(r.choice((800, 1500, 1800, 2500)))}
        if r.random() < 0.8:
            situation["minimum_wage_tier"] = self.between(1, 3)
        return situation

    # -- registrants under review (4.3.1, 4.5, 5.5) -------------------------------------------

    def registrant(self) -> dict[str, Any]:
        r = self.rng
        region = self.region()
        case = self.pick(_REVIEW_TABLE)
        latest = self.last - 200 if case == "lapsed" else self.last - 1
        start = self.between(_FIRST_DAY, max(_FIRST_DAY, latest))
        number, sex = self.person(start, 18, 58, region)
        person: dict[str, Any] = {"id_number": number}
        if r.random() < 0.5:
            person["name"] = self.name()
        if sex == "female" and r.random() < 0.8:  # as for applicants (5.5 review, issue 10)
            person["female_retirement_group"] = r.choice((50, 55))
        record: dict[str, Any] = {
            "person": person,
            "registration_date": _day(start),
            "residence_region": region,
        }
        if case != "undecided_income" and r.random() < 0.7:
            record["minimum_wage_tier"] = self.between(1, 3)
        events = self.history(case, start)
        if case not in ("active", "lapsed", "undecided_income") and r.random() < 0.1:
            events += self.history(self.pick(_REVIEW_TABLE), start)
        events.sort(key=lambda e: str(e["date"]))
        record["events"] = events
        return record

    def history(self, case: str, start: int) -> list[dict[str, Any]]:
        r = self.rng
        last = self.last
        if case == "lapsed":  # no contact for more than 6 months before as_of (4.5(13))
            end = last - 200
            if start > end:
                return []
            return [{"type": "contact", "date": _day(self.between(start, end))}
                    for _ in range(self.between(0, 2))]  # fmt: skip
        events: list[dict[str, Any]] = [
            {"type": "contact", "date": _day(max(start, last - self.between(0, 170)))}
        ]
        for _ in range(self.between(0, 2)):
            events.append({"type": "contact", "date": _day(self.between(start, last))})
        when = self.between(start, last)
        if case == "active":
            benign = self.benign(start)
            if benign is not None:
                events.append(benign)
        elif case == "undecided_income":  # between tiers, no tier given -> needs_review
            when = self.between(max(start, _TIERS_OF_2024), last)
            events.append({"type": "income_work", "date": _day(when), "monthly_income": 2000.0,
                           "minimum_wage_tier": None})  # fmt: skip
        elif case == "income_work":
            event = {"type": "income_work", "date": _day(when), "monthly_income": 3000.0}
            if r.random() < 0.5:
                event["minimum_wage_tier"] = self.between(1, 3)
            events.append(event)
        elif case == "flexible_employment":
            insured = r.random() < 0.5
            events.append({"type": "flexible_employment", "date": _day(when),
                           "social_insurance": insured, "income_tax": not insured})  # fmt: skip
        elif case == "school_military_emigration":
            kind = r.choice(("school_enrolment", "military_service", "emigration"))
            events.append({"type": kind, "date": _day(when)})
        elif case == "refusals":
            for _ in range(3):
                events.append({"type": "refusal", "date": _day(self.between(start, last))})
        elif case == "cross_province_move":
            new = r.choice(_OTHER_PROVINCES) + r.choice(("01", "02")) + r.choice(_COUNTY_SUFFIXES)
            events.append({"type": "move", "date": _day(when), "new_region": new})
        elif case == "other":
            events.append({"type": "other", "date": _day(when),
                           "reason": "synthetic: recorded by the service"})  # fmt: skip
        else:
            events.append({"type": case, "date": _day(when)})
        return events

    def benign(self, start: int) -> dict[str, Any] | None:
        """An event that triggers nothing: a move within Liaoning, low income, a refusal..."""
        r = self.rng
        when = _day(self.between(start, self.last))
        roll = r.random()
        if roll < 0.5:
            return None
        if roll < 0.65:
            return {"type": "refusal", "date": when, "service": "synthetic job offer"}
        if roll < 0.8:
            return {"type": "move", "date": when, "new_region": self.region()}
        if roll < 0.9:
            return {"type": "income_work", "date": when, "monthly_income": 900.0}
        return {"type": "flexible_employment", "date": when, "social_insurance": False,
                "income_tax": False}  # fmt: skip


# -- defects: each makes the record invalid for the input models ---------------------------


def _wrong_check(number: str) -> str:
    right = id_check_character(number[:17])
    return number[:17] + ("0" if right != "0" else "1")


def _break_registration(app: dict[str, Any], defect: str, rng: random.Random) -> None:
    applicant = app["applicant"]
    if defect == "wrong_check_character":
        applicant["id_number"] = _wrong_check(applicant["id_number"])
    elif defect == "unknown_cause":
        app["cause"] = {"category": "seasonal_layoff"}
    elif defect == "negative_income":
        app["current_situation"] = {"monthly_income": -float(rng.randint(1, 3000)),
                                    "minimum_wage_tier": 2}  # fmt: skip
    elif defect == "dates_reversed":
        on = dt.date.fromisoformat(app["application_date"]).toordinal()
        app["unemployment_date"] = _day(on + rng.randint(1, 30))
    elif defect == "missing_required_field":
        del app[rng.choice(("application_date", "channel", "voluntary"))]
    else:
        app["voluntary"] = "maybe"


def _break_registrant(person: dict[str, Any], defect: str, rng: random.Random) -> None:
    events: list[dict[str, Any]] = person["events"]
    start = dt.date.fromisoformat(person["registration_date"]).toordinal()
    if defect == "wrong_check_character":
        person["person"]["id_number"] = _wrong_check(person["person"]["id_number"])
    elif defect == "unknown_cause":
        events.append({"type": "holiday_abroad", "date": person["registration_date"]})
    elif defect == "negative_income":
        events.append({"type": "income_work", "date": person["registration_date"],
                       "monthly_income": -float(rng.randint(1, 3000))})  # fmt: skip
    elif defect == "dates_reversed":
        events.insert(0, {"type": "contact", "date": _day(start - rng.randint(1, 60))})
    elif defect == "missing_required_field":
        del person[rng.choice(("registration_date", "residence_region"))]
    else:
        person["minimum_wage_tier"] = "two"


# Per procedure: how a record is made, and how it is broken.
_MAKERS: Final = {
    "registration": (_Maker.application, _break_registration),
    "review": (_Maker.registrant, _break_registrant),
}


def iter_synthetic(
    kind: Kind,
    count: int,
    *,
    seed: int,
    bad_share: float = 0.01,
    as_of: dt.date = DEFAULT_AS_OF,
) -> Iterator[SyntheticRecord]:
    """``count`` records of ``kind``, each bad with probability ``bad_share``, lazily.

    Registrants have every event on or before ``as_of``; applications are dated from
    2024-01-01 to ``as_of``. The same arguments always give the same records.
    """
    if kind not in _MAKERS:
        raise ValueError(f"kind must be 'registration' or 'review', not {kind!r}")
    if not 0.0 <= bad_share <= 1.0:
        raise ValueError("bad_share must be between 0 and 1")
    maker = _Maker(seed, as_of)
    make, corrupt = _MAKERS[kind]
    rng = maker.rng
    for _ in range(count):
        record = make(maker)
        defect: str | None = None
        if bad_share and rng.random() < bad_share:
            defect = rng.choice(DEFECTS)
            corrupt(record, defect, rng)
        yield SyntheticRecord(record, defect)


def generate_records(
    kind: Kind,
    count: int,
    *,
    seed: int,
    bad_share: float = 0.01,
    as_of: dt.date = DEFAULT_AS_OF,
) -> Iterator[dict[str, Any]]:
    """The records of :func:`iter_synthetic` without their defect labels."""
    for item in iter_synthetic(kind, count, seed=seed, bad_share=bad_share, as_of=as_of):
        yield item.record
