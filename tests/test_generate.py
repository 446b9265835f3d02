"""The seeded synthetic data generator (issue 5): determinism, validity, defects and coverage."""

from __future__ import annotations

import collections
import json
import re
from pathlib import Path

import pytest

from lnunemp_rules import assess_deregistration, assess_registration
from lnunemp_rules.analyst.generate import (
    DEFECTS,
    LIAONING_PREFECTURES,
    generate_records,
    iter_synthetic,
)
from lnunemp_rules.cli import main
from lnunemp_rules.errors import InputError
from lnunemp_rules.inputs.idnumber import parse_id_number
from lnunemp_rules.inputs.models import Registrant, RegistrationApplication
from lnunemp_rules.inputs.validation import validate_input

AS_OF = "2026-11-28"
MODELS = {"registration": RegistrationApplication, "review": Registrant}


@pytest.mark.parametrize("kind", ["registration", "review"])
def test_same_seed_gives_same_records(kind: str) -> None:
    """Two runs with one seed give identical records; another seed gives different ones."""
    first = list(generate_records(kind, 300, seed=11, bad_share=0.1))  # type: ignore[arg-type]
    again = list(generate_records(kind, 300, seed=11, bad_share=0.1))  # type: ignore[arg-type]
    other = list(generate_records(kind, 300, seed=12, bad_share=0.1))  # type: ignore[arg-type]
    assert first == again
    assert first != other


@pytest.mark.parametrize("kind", ["registration", "review"])
def test_records_without_defects_validate(kind: str) -> None:
    """Every record not marked bad validates, with a Liaoning region and 2024-2026 dates."""
    for item in iter_synthetic(kind, 1500, seed=3, bad_share=0.0):  # type: ignore[arg-type]
        assert item.defect is None
        model = validate_input(MODELS[kind], item.record)
        if isinstance(model, RegistrationApplication):
            number = model.applicant.id_number
            dates = [model.application_date, model.unemployment_date]
        else:
            assert model.person is not None and model.person.id_number is not None
            number = model.person.id_number
            dates = [model.registration_date, *(e.date for e in model.events)]
        assert parse_id_number(number).prefecture_code in LIAONING_PREFECTURES
        assert all(d is None or 2024 <= d.year <= 2026 for d in dates)
        assert all(d is None or d.isoformat() <= AS_OF for d in dates)


@pytest.mark.parametrize("kind", ["registration", "review"])
def test_bad_share_is_respected_and_every_bad_record_is_rejected(kind: str) -> None:
    """About bad_share of the records are bad, each defect occurs, and the models reject each."""
    items = list(iter_synthetic(kind, 4000, seed=5, bad_share=0.1))  # type: ignore[arg-type]
    bad = [i for i in items if i.defect is not None]
    assert 0.08 * len(items) <= len(bad) <= 0.12 * len(items)
    assert {i.defect for i in bad} == set(DEFECTS)
    for item in bad:
        with pytest.raises(InputError):
            validate_input(MODELS[kind], item.record)


def test_every_category_appears_in_a_sample_of_applications() -> None:
    """2,000 applications yield decisions matching all 13 categories of 4.1.2 and 'other'."""
    clauses: collections.Counter[str] = collections.Counter()
    outcomes: set[str] = set()
    for record in generate_records("registration", 2000, seed=1, bad_share=0.0):
        decision = assess_registration(record)
        outcomes.add(decision.outcome)
        clauses.update(m.clause.id for m in decision.categories)
        clauses.update(r.rule_id for r in decision.reasons)
    assert {f"4.1.2({n})" for n in range(1, 14)} <= set(clauses)
    assert clauses["policy.outside-categories"] > 0
    assert outcomes == {"eligible", "ineligible", "incomplete", "needs_review"}


def test_every_trigger_appears_in_a_sample_of_registrants() -> None:
    """2,000 registrants yield decisions citing all 15 triggers of 4.5, the retirement age under
    5.5, and some with no trigger."""
    clauses: set[str] = set()
    outcomes: collections.Counter[str] = collections.Counter()
    for record in generate_records("review", 2000, seed=1, bad_share=0.0):
        decision = assess_deregistration(record, as_of=AS_OF)
        outcomes[decision.outcome] += 1
        clauses.update(m.clause.id for m in decision.triggers)
    assert clauses == {f"4.5({n})" for n in range(1, 16)} | {"5.5"}
    assert outcomes["remain_registered"] > 0
    assert outcomes["needs_review"] > 0


def test_generate_command_writes_the_requested_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The CLI writes COUNT JSON lines to stdout, and a header plus COUNT rows to a CSV file."""
    assert main(["generate", "--kind", "review", "--count", "25", "--seed", "4"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 25
    assert all(isinstance(json.loads(line), dict) for line in lines)
    target = tmp_path / "apps.csv"
    code = main(["generate", "--kind", "registration", "--count", "30", "-o", str(target)])
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert text.splitlines()[0].startswith("applicant.id_number,")
    assert len(text.splitlines()) == 31
    assert re.search(r"^21\d{16}", text.splitlines()[1])


def test_generation_streams() -> None:
    """Asking for a billion records returns at once: records are made one at a time."""
    stream = generate_records("review", 10**9, seed=0)
    first = [next(stream) for _ in range(3)]
    assert len(first) == 3
    assert first[0] == next(generate_records("review", 1, seed=0))
