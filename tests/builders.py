"""Builders of valid inputs for the decision tests: change one fact, keep the rest valid.

Every builder returns a plain dict (the JSON shape integrators send), so a test states only
the fact it is about. ID numbers come from :func:`make_id_number` (GB 11643-1999 check
character computed); names are fixed so that tests can prove they never leak.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from lnunemp_rules.inputs.idnumber import make_id_number

__all__ = [
    "NAME",
    "application",
    "event",
    "id_number",
    "registrant",
    "with_value",
]

#: A name that must never appear in any output (standard 4.3.1: privacy).
NAME = "王小明"


def id_number(birth: dt.date = dt.date(1990, 5, 10), sex: str = "male") -> str:
    """A valid Liaoning (210102, 沈阳和平区) ID number; odd sequence = male, even = female."""
    return make_id_number("210102", birth, 3 if sex == "male" else 4)


def application(
    *,
    birth: dt.date = dt.date(1990, 5, 10),
    sex: str = "male",
    on: dt.date = dt.date(2026, 9, 30),
    cause: dict[str, Any] | None = None,
    applicant: dict[str, Any] | None = None,
    drop: tuple[str, ...] = (),
    **fields: Any,
) -> dict[str, Any]:
    """A complete application that is eligible under 4.1.2(11) (resignation) unless changed.

    ``applicant`` entries update the applicant; ``fields`` update the top level; ``drop``
    removes top-level or ``applicant.<name>`` keys (to make information missing).
    """
    data: dict[str, Any] = {
        "applicant": {
            "id_number": id_number(birth, sex),
            "name": NAME,
            "residence_region": "210102",
            "habitual_urban_resident": True,
        },
        "voluntary": True,
        "cause": cause if cause is not None else {"category": "resignation"},
        "unemployment_date": (on - dt.timedelta(days=20)).isoformat(),
        "application_date": on.isoformat(),
        "channel": "offline",
    }
    data["applicant"].update(applicant or {})
    data.update(copy.deepcopy(fields))
    for key in drop:
        if key.startswith("applicant."):
            data["applicant"].pop(key.removeprefix("applicant."))
        else:
            data.pop(key)
    return data


def event(kind: str, on: dt.date, **facts: Any) -> dict[str, Any]:
    """One dated event of a registrant's history."""
    return {"type": kind, "date": on.isoformat(), **facts}


def registrant(
    *events: dict[str, Any],
    registered: dt.date = dt.date(2026, 1, 15),
    region: str = "210102",
    **fields: Any,
) -> dict[str, Any]:
    """A registrant (with masked-able identity) registered on ``registered`` with ``events``."""
    return {
        "person": {"id_number": id_number(), "name": NAME},
        "registration_date": registered.isoformat(),
        "residence_region": region,
        "events": list(events),
        **fields,
    }


def with_value(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    """A deep copy of ``data`` with ``value`` at ``path`` (keys and list indexes)."""
    changed = copy.deepcopy(data)
    node = changed
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return changed
