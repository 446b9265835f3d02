"""Differential test: the durable_rules engine and the pure-Python engine decide identically.

Issue 3 item 5: every fixture of tests/fixtures and at least 10,000 generated inputs
(registration and review together) go through both engines and must give the same decision
JSON, apart from ``meta.engine``. The inputs are valid by construction (tests/strategies.py):
an InputError is a failure, and so is a CalendarCoverageError escaping the facade.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from lnunemp_rules import assess_deregistration, assess_registration, available_engines
from lnunemp_rules.analyst.fixtures import load_fixture_cases
from strategies import registrants, registration_applications

pytestmark = [
    pytest.mark.durable,
    pytest.mark.skipif(
        "durable" not in available_engines(), reason="durable_rules does not import here"
    ),
]

# 5,000 applications + 5,000 registrants = 10,000 inputs through both engines.
EXAMPLES_PER_KIND = 5_000
_SETTINGS = settings(
    max_examples=EXAMPLES_PER_KIND,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def _without_engine(decision: dict[str, Any]) -> dict[str, Any]:
    meta = dict(decision["meta"])
    meta.pop("engine")
    return {**decision, "meta": meta}


def _assert_same(python: Any, durable: Any) -> None:
    assert python.meta.engine == "python"
    assert durable.meta.engine == "durable"
    assert _without_engine(durable.to_dict()) == _without_engine(python.to_dict())


FIXTURES = Path(__file__).resolve().parent / "fixtures"


def test_every_fixture_is_decided_identically_on_both_engines() -> None:
    """Each analysts' fixture case gets the same decision JSON from durable and python."""
    cases = load_fixture_cases([FIXTURES])
    assert cases, "no fixture cases found"
    for case in cases:
        if case.kind == "registration":
            python = assess_registration(case.input, engine="python")
            durable = assess_registration(case.input, engine="durable")
        else:
            python = assess_deregistration(case.input, as_of=case.as_of, engine="python")
            durable = assess_deregistration(case.input, as_of=case.as_of, engine="durable")
        _assert_same(python, durable)


def test_durable_survives_reviews_in_which_no_rule_fires() -> None:
    """Thousands of reviews that fire nothing do not crash durable_rules (delete_state bug)."""
    quiet = {
        "person": {"birth_date": "1980-01-01", "sex": "male"},
        "registration_date": "2004-01-01",
        "residence_region": "210102",
        "events": [],
    }
    for _ in range(3_000):
        decision = assess_deregistration(quiet, as_of="2004-01-01", engine="durable")
        assert decision.outcome == "remain_registered"


def test_registration_decisions_are_identical_on_both_engines() -> None:
    """Every generated application gets the same decision JSON from durable and python."""
    outcomes: dict[str, int] = {}

    @_SETTINGS
    @given(registration_applications())
    def check(application: dict[str, Any]) -> None:
        python = assess_registration(application, engine="python")
        durable = assess_registration(application, engine="durable")
        _assert_same(python, durable)
        outcomes[python.outcome] = outcomes.get(python.outcome, 0) + 1

    check()
    assert sum(outcomes.values()) >= EXAMPLES_PER_KIND
    # The generator must reach every outcome, or the comparison proves little.
    assert set(outcomes) == {"eligible", "ineligible", "needs_review", "incomplete"}


def test_review_decisions_are_identical_on_both_engines() -> None:
    """Every generated registrant gets the same review decision JSON from durable and python."""
    outcomes: dict[str, int] = {}

    @_SETTINGS
    @given(registrants())
    def check(case: tuple[dict[str, Any], str]) -> None:
        registrant, as_of = case
        python = assess_deregistration(registrant, as_of=as_of, engine="python")
        durable = assess_deregistration(registrant, as_of=as_of, engine="durable")
        _assert_same(python, durable)
        outcomes[python.outcome] = outcomes.get(python.outcome, 0) + 1

    check()
    assert sum(outcomes.values()) >= EXAMPLES_PER_KIND
    assert set(outcomes) == {"deregister", "remain_registered", "needs_review"}
