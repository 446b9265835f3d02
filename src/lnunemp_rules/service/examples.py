"""The request examples of the OpenAPI document: the bundled examples/ of the repository (a
test keeps them equal), fictional people with valid ID numbers (examples/README.md)."""

from __future__ import annotations

from typing import Any

__all__ = ["REGISTRATION", "REVIEW"]

REGISTRATION: dict[str, Any] = {
    "applicant": {
        "id_number": "210102199005170032",
        "name": "示例甲",
        "hukou": "urban",
        "residence_region": "210102",
        "habitual_urban_resident": True,
        "able_to_work": True,
    },
    "voluntary": True,
    "cause": {"category": "enterprise_contract_ended", "contract_ending": "expired"},
    "unemployment_date": "2026-08-31",
    "application_date": "2026-09-30",
    "submitted_at": "2026-09-30T10:15:00+08:00",
    "channel": "online",
    "insurance_contribution_months": 26,
}

REVIEW: dict[str, Any] = {
    "person": {"id_number": "210203198503090040", "name": "示例乙"},
    "registration_date": "2026-03-02",
    "residence_region": "210203",
    "minimum_wage_tier": 1,
    "events": [
        {"type": "contact", "date": "2026-04-10"},
        {"type": "refusal", "date": "2026-05-06", "service": "job fair referral"},
        {"type": "income_work", "date": "2026-06-15", "monthly_income": 2229},
        {"type": "refusal", "date": "2026-06-20", "service": "vocational training"},
    ],
}
