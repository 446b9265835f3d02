"""Tools for policy analysts: YAML fixtures and their runner, clause coverage, mutation of the
rule files, and seeded synthetic inputs."""

from __future__ import annotations

from .coverage import CLAUSE_ITEMS, EXCLUDED, CoverageReport, clause_coverage
from .fixtures import CaseResult, FixtureCase, load_fixture_cases, matched_ids, run_case
from .generate import generate_records, iter_synthetic
from .mutate import MutationReport, enumerate_mutants, load_equivalent_mutants, run_mutation_check

__all__ = [
    "CLAUSE_ITEMS",
    "EXCLUDED",
    "CaseResult",
    "CoverageReport",
    "FixtureCase",
    "MutationReport",
    "clause_coverage",
    "enumerate_mutants",
    "generate_records",
    "iter_synthetic",
    "load_equivalent_mutants",
    "load_fixture_cases",
    "matched_ids",
    "run_case",
    "run_mutation_check",
]
