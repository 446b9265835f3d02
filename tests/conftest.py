"""Shared fixtures of the decision tests: the engines to run every case on; test settings.

``builders.py`` (valid inputs) sits beside this file; under ``--import-mode=importlib`` the
tests folder is not on ``sys.path``, so it is added here for the test modules to import it.

Hypothesis runs without a per-example deadline: a first example may build the working-day
calendar (~0.3 s, more on a loaded machine) and a deadline would fail it as a flake, not as a
finding (docs/testing.md). Under code mutation testing (mutmut sets ``MUTANT_UNDER_TEST``)
every test starts from freshly read rule books, so that no result remembered by an earlier
test hides a mutant from the test that would catch it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from lnunemp_rules import available_engines, state

__all__ = ["engine", "fresh_rule_books_under_mutation"]

settings.register_profile("lnunemp", deadline=None)
# Under mutmut each of ~2,400 mutants may run a property test: a fifth of the examples.
settings.register_profile("lnunemp-mutation", deadline=None, max_examples=20)
settings.load_profile("lnunemp-mutation" if "MUTANT_UNDER_TEST" in os.environ else "lnunemp")

_TESTS = str(Path(__file__).resolve().parent)
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)


def _engine_params() -> list[object]:
    """Every engine that runs here; durable_rules cases carry the ``durable`` marker."""
    return [
        pytest.param(name, marks=pytest.mark.durable) if name == "durable" else name
        for name in available_engines()
    ]


@pytest.fixture(params=_engine_params())
def engine(request: pytest.FixtureRequest) -> str:
    """The name of a rule engine; each test using it runs once per available engine."""
    name: str = request.param
    return name


@pytest.fixture(autouse=True)
def fresh_rule_books_under_mutation() -> Iterator[None]:
    """Under mutmut only: each test reads the rule books again (~20 ms), so a calendar or a
    memory computed by an earlier test (or by mutmut's own first run) is computed anew with
    the mutant in place."""
    if "MUTANT_UNDER_TEST" in os.environ:
        state.forget_rule_books()
    yield
