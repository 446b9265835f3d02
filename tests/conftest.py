"""Shared fixtures of the decision tests: the engines to run every case on.

``builders.py`` (valid inputs) sits beside this file; under ``--import-mode=importlib`` the
tests folder is not on ``sys.path``, so it is added here for the test modules to import it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from lnunemp_rules import available_engines

__all__ = ["engine"]

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
