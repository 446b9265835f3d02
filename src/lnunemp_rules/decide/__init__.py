"""Deciding: the two procedures of the standard, their facts, combination policies and decisions.

:data:`PROCEDURES` holds registration (4.1, 4.2, 5.1-5.3) and the periodic review (4.3.1, 4.5,
5.5); :func:`procedure` finds one by name. Each decision names the clauses it rests on, the
facts it used and how each was derived.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..errors import InputError
from .decision import (
    Citation,
    Decision,
    DecisionBase,
    DecisionMeta,
    DeregistrationDecision,
    Derivation,
    Match,
    Reason,
    RegistrationDecision,
    TraceEntry,
)
from .procedure import Procedure
from .registration import REGISTRATION, assess_registration
from .review import REVIEW, assess_deregistration

__all__ = [
    "PROCEDURES",
    "REGISTRATION",
    "REVIEW",
    "Citation",
    "Decision",
    "DecisionBase",
    "DecisionMeta",
    "DeregistrationDecision",
    "Derivation",
    "Match",
    "Procedure",
    "Reason",
    "RegistrationDecision",
    "TraceEntry",
    "assess_deregistration",
    "assess_registration",
    "guess_kind",
    "procedure",
]

#: The procedures by name: the ruleset, the decision's ``kind``, the command-line word.
PROCEDURES: dict[str, Procedure[Any, Any]] = {p.name: p for p in (REGISTRATION, REVIEW)}


def procedure(name: str, field: str = "kind") -> Procedure[Any, Any]:
    """The procedure called ``name``, or an InputError on ``field`` naming the accepted ones."""
    found = PROCEDURES.get(name)
    if found is None:
        accepted = ", ".join(PROCEDURES)
        raise InputError(field, f"{name!r} is not a kind; accepted: {accepted}")
    return found


def guess_kind(data: object) -> str | None:
    """The name of the procedure whose input ``data`` looks like (by its signature key), or
    None; used to say "this looks like a review, not a registration"."""
    if isinstance(data, Mapping):
        for name, found in PROCEDURES.items():
            if found.signature_key in data:
                return name
    return None
