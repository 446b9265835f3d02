"""The two views of a decision's JSON form (``to_dict(view)``): ``full``, the default, with
the evidence (derivations and trace), and ``basic``, the same without it, which the service
answers to ``?view=basic`` (docs/service.md). Each matches its mirror model."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from lnunemp_rules import assess_deregistration, assess_registration
from lnunemp_rules.analyst.generate import DEFAULT_AS_OF, generate_records
from lnunemp_rules.report.schemas import (
    RegistrationDecisionBasicModel,
    RegistrationDecisionModel,
    ReviewDecisionBasicModel,
    ReviewDecisionModel,
)

EVIDENCE = {"derivations", "trace"}


def _decisions(kind: str) -> list[Any]:
    records = generate_records(kind, 150, seed=15, bad_share=0.0)  # type: ignore[arg-type]
    if kind == "registration":
        return [assess_registration(r) for r in records]
    return [assess_deregistration(r, as_of=DEFAULT_AS_OF) for r in records]


@pytest.mark.parametrize(
    ("kind", "full_model", "basic_model"),
    [("registration", RegistrationDecisionModel, RegistrationDecisionBasicModel),
     ("review", ReviewDecisionModel, ReviewDecisionBasicModel)],
)  # fmt: skip
def test_the_basic_view_is_the_full_one_without_its_evidence(
    kind: str, full_model: type[BaseModel], basic_model: type[BaseModel]
) -> None:
    """For every outcome of 150 synthetic inputs, the basic view is the full view less
    derivations and trace, in the same key order, and each validates against its mirror
    model (extra keys forbidden)."""
    decisions = _decisions(kind)
    outcomes = Counter(d.outcome for d in decisions)
    assert len(outcomes) >= 2, outcomes
    for decision in decisions:
        full, basic = decision.to_dict(), decision.to_dict("basic")
        assert decision.to_dict("full") == full
        assert list(basic) == [k for k in full if k not in EVIDENCE]
        assert basic == {k: v for k, v in full.items() if k not in EVIDENCE}
        full_model.model_validate(full)
        basic_model.model_validate(basic)
        with pytest.raises(ValidationError, match="Extra inputs are not permitted"):
            basic_model.model_validate(full)


def test_an_unknown_view_is_refused() -> None:
    """A view other than full or basic raises ValueError naming the two."""
    decision = _decisions("registration")[0]
    with pytest.raises(ValueError, match="'full' or 'basic'"):
        decision.to_dict("compact")
    with pytest.raises(ValueError, match="'full' or 'basic'"):
        decision.to_json(view="compact")
