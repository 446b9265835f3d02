"""Seeded synthetic inputs for the benchmarks and scripts (not shipped in the wheel).

A small stand-in for ``lnunemp_rules.analyst.generate`` (issue 5, item 2) so that the benchmarks and
the soak run do not depend on it: registration applications covering the 13 categories of
4.1.2 and the other outcomes, and registrants with every event type of 4.5. ID numbers are
valid (GB 11643-1999) and made up; region codes are Liaoning's (GB/T 2260, prefix 21).
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from lnunemp_rules.inputs.idnumber import make_id_number

__all__ = ["REGIONS", "application", "applications", "registrant", "registrants"]

# Liaoning prefecture-level city districts (GB/T 2260): Shenyang, Dalian, Anshan, Fushun, ...
REGIONS = ("210102", "210202", "210302", "210402", "210502", "210602", "210702", "210802",
           "210902", "211002", "211102", "211202", "211302", "211402")  # fmt: skip
_CAUSES: tuple[dict[str, Any], ...] = (
    {"category": "graduate", "school_status": "graduated"},
    {"category": "graduate", "school_status": "dropped_out"},
    {"category": "enterprise_contract_ended", "contract_ending": "terminated"},
    {"category": "enterprise_contract_ended", "contract_ending": "expired"},
    {"category": "enterprise_bankruptcy"},
    {"category": "public_sector_dismissal"},
    {"category": "rural_labour", "transfer_intent": True},
    {"category": "veteran", "state_placement": False},
    {"category": "veteran", "state_placement": True},
    {"category": "private_business_closed"},
    {"category": "self_employment_exit"},
    {"category": "public_welfare_post_exit"},
    {"category": "land_requisition", "meets_local_conditions": "yes"},
    {"category": "land_requisition", "meets_local_conditions": "unknown"},
    {"category": "resignation"},
    {"category": "flexible_employment_exit"},
    {"category": "released_from_prison", "release_type": "parole"},
    {"category": "other", "description": "contract not renewed by a foreign firm"},
)
_SITUATIONS = ("employed", "licensed_business", "public_welfare_post",
               "flexible_employment_insured", "receiving_pension", "in_school",
               "military_service", "emigrated", "imprisoned")  # fmt: skip
_SIMPLE_EVENTS = ("contact", "hired", "business_licence", "public_welfare_post", "pension_start",
                  "lost_working_ability", "school_enrolment", "military_service", "emigration",
                  "imprisonment", "death", "withdrawal")  # fmt: skip


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def application(rng: random.Random) -> dict[str, Any]:
    """One registration application as a plain dict (the shape of RegistrationApplication)."""
    applied = _day(rng, dt.date(2024, 1, 1), dt.date(2026, 11, 27))
    birth = _day(rng, dt.date(1960, 1, 1), dt.date(2011, 12, 31))
    male = rng.random() < 0.5
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    region = rng.choice(REGIONS)
    applicant: dict[str, Any] = {
        "id_number": make_id_number(region, birth, seq),
        "residence_region": region if rng.random() < 0.97 else None,
        "habitual_urban_resident": rng.random() < 0.93,
        "hukou": rng.choice(("urban", "rural")),
        "able_to_work": rng.random() < 0.98,
    }
    if not male and rng.random() < 0.8:
        applicant["female_retirement_group"] = rng.choice((50, 55))
    situation: dict[str, Any] = {}
    if rng.random() < 0.1:
        situation[rng.choice(_SITUATIONS)] = True
    if rng.random() < 0.1:
        situation["monthly_income"] = float(rng.randrange(0, 4000))
        if rng.random() < 0.7:
            situation["minimum_wage_tier"] = rng.randint(1, 3)
    unemployed = applied - dt.timedelta(days=rng.randrange(0, 400))
    data: dict[str, Any] = {
        "applicant": {k: v for k, v in applicant.items() if v is not None},
        "voluntary": rng.random() < 0.98,
        "cause": rng.choice(_CAUSES) if rng.random() < 0.97 else None,
        "unemployment_date": unemployed.isoformat() if unemployed > birth else None,
        "application_date": applied.isoformat(),
        "channel": rng.choice(("online", "offline")),
        "insurance_contribution_months": rng.randrange(0, 240),
        "employment_assistance_possible": rng.random() < 0.3,
        "current_situation": situation,
    }
    return {k: v for k, v in data.items() if v is not None}


def registrant(rng: random.Random, as_of: dt.date = dt.date(2026, 11, 28)) -> dict[str, Any]:
    """One registrant under review as a plain dict (the shape of Registrant)."""
    registered = _day(rng, dt.date(2023, 1, 1), as_of)
    region = rng.choice(REGIONS)
    birth = _day(rng, dt.date(1966, 1, 1), dt.date(2006, 12, 31))
    events: list[dict[str, Any]] = []
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        day = _day(rng, registered, as_of).isoformat()
        kind = rng.random()
        if kind < 0.5:
            events.append({"type": "contact", "date": day})
        elif kind < 0.7:
            events.append({"type": rng.choice(_SIMPLE_EVENTS), "date": day})
        elif kind < 0.8:
            events.append({"type": "refusal", "date": day})
        elif kind < 0.87:
            events.append({"type": "income_work", "date": day,
                           "monthly_income": float(rng.randrange(500, 5000)),
                           "minimum_wage_tier": rng.randint(1, 3)})  # fmt: skip
        elif kind < 0.93:
            events.append({"type": "flexible_employment", "date": day,
                           "social_insurance": rng.random() < 0.5,
                           "income_tax": False})  # fmt: skip
        elif kind < 0.98:
            events.append({"type": "move", "date": day,
                           "new_region": rng.choice(("110101", *REGIONS))})  # fmt: skip
        else:
            events.append({"type": "other", "date": day, "reason": "recorded by staff"})
    return {
        "person": {"id_number": make_id_number(region, birth, rng.randrange(1000))},
        "registration_date": registered.isoformat(),
        "residence_region": region,
        "events": events,
    }


def applications(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` applications from a seeded generator."""
    rng = random.Random(seed)
    return [application(rng) for _ in range(n)]


def registrants(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` registrants from a seeded generator."""
    rng = random.Random(seed)
    return [registrant(rng) for _ in range(n)]
