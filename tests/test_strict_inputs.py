"""Strict and bounded inputs (issue 11): every lax spelling the adversarial test found decided,
every bomb that hung or crashed, is now an InputError naming the field -- never a decision.

The table holds the 22 wrong inputs of the issue (each once decided) and the documents that
ran out of time, memory or stack; each row says the field the error must name.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable
from typing import Any

import pytest

import lnunemp_rules as L
from builders import NAME, application, id_number, registrant
from lnunemp_rules.inputs.documents import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    MAX_NUMBER_CHARACTERS,
    parse_json,
)
from lnunemp_rules.inputs.idnumber import make_id_number

NUMBER = id_number()
CLI = "import sys; from lnunemp_rules.cli import main; sys.exit(main())"


def _with(path: str, value: Any) -> dict[str, Any]:
    data = application(submitted_at="2026-09-30T10:00:00+08:00", channel="online")
    node: Any = data
    *parents, last = path.split(".")
    for part in parents:
        node = node.setdefault(part, {})
    node[last] = value
    return data


# (what, application field path, the wrong value): each was decided before issue 11.
LAX_APPLICATIONS: list[tuple[str, str, Any]] = [
    ("a boolean written yes", "voluntary", "yes"),
    ("a boolean written 1", "voluntary", 1),
    ("a boolean written off", "voluntary", "off"),
    ("a boolean written true as text", "voluntary", "true"),
    ("a boolean written n", "current_situation.employed", "n"),
    ("a boolean written 0.0", "current_situation.in_school", 0.0),
    ("months as text", "insurance_contribution_months", "36"),
    ("months as a boolean", "insurance_contribution_months", True),
    ("months as a decimal", "insurance_contribution_months", 36.0),
    ("a tier as a boolean", "current_situation.minimum_wage_tier", True),
    ("a tier as a decimal", "current_situation.minimum_wage_tier", 2.0),
    ("a tier as text", "current_situation.minimum_wage_tier", "2"),
    ("a retirement group as a decimal", "applicant.female_retirement_group", 50.0),
    ("a retirement group as text", "applicant.female_retirement_group", "50"),
    ("a date with a time and offset", "application_date", "2026-09-30T00:00:00-10:00"),
    ("a date without dashes", "application_date", "20260930"),
    ("an ISO week date", "application_date", "2026-W40-3"),
    ("a date with a space and time", "unemployment_date", "2026-09-01 00:00"),
    ("a datetime object as a date", "unemployment_date", dt.datetime(2026, 9, 1)),
    ("an income as text", "current_situation.monthly_income", "2100"),
    ("an income that is not a number", "current_situation.monthly_income", float("nan")),
    ("an income as a boolean", "current_situation.monthly_income", True),
    ("a submission time without an offset", "submitted_at", "2026-09-30T10:00:00"),
    ("a submission time as a bare date", "submitted_at", "2026-09-30"),
    ("a channel padded with spaces", "channel", " online"),
]


def _refused(call: Callable[[], object]) -> L.InputError:
    with pytest.raises(L.InputError) as info:
        call()
    text = f"{info.value} {info.value.problems}"
    assert NUMBER not in text and NAME not in text
    return info.value


@pytest.mark.parametrize(
    ("what", "path", "value"), LAX_APPLICATIONS, ids=[r[0] for r in LAX_APPLICATIONS]
)
def test_a_lax_spelling_is_an_input_error_on_its_field(what: str, path: str, value: Any) -> None:
    """Each wrong spelling is refused on its own field, with what is accepted."""
    error = _refused(lambda: L.assess_registration(_with(path, value)))
    assert error.field == path, what
    assert "accepted" in error.message or "expected" in error.message or "should" in error.message


def test_the_correct_spellings_of_the_same_fields_are_decided() -> None:
    """The oracle of the table: the right spelling of each field gives a decision."""
    data = application(submitted_at="2026-09-30T10:00:00+08:00", channel="online",
                       insurance_contribution_months=36,
                       current_situation={"employed": False, "in_school": False,
                                          "monthly_income": 0, "minimum_wage_tier": 2})  # fmt: skip
    data["applicant"]["female_retirement_group"] = None
    assert L.assess_registration(data).outcome == "eligible"
    data["unemployment_date"] = dt.date(2026, 9, 1)  # a date object is a date
    assert L.assess_registration(data).outcome == "eligible"


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ({"type": "contact", "date": "2026-03-01T00:00:00Z"}, "events[0].date"),
        ({"type": "refusal", "date": "20260301"}, "events[0].date"),
        ({"type": "income_work", "date": "2026-03-01", "monthly_income": "3000"},
         "events[0].monthly_income"),
        ({"type": "flexible_employment", "date": "2026-03-01", "social_insurance": "true",
          "income_tax": False}, "events[0].social_insurance"),
    ],
)  # fmt: skip
def test_a_lax_event_is_an_input_error_on_its_field(value: dict[str, Any], field: str) -> None:
    """Events are as strict as applications."""
    error = _refused(lambda: L.assess_deregistration(registrant(value), as_of="2026-11-28"))
    assert error.field == field


@pytest.mark.parametrize("as_of", ["20261128", "2026-W48-6", "2026-11-28T00:00", " 2026-11-28"])
def test_as_of_takes_one_spelling(as_of: str) -> None:
    """``as_of`` is a date or YYYY-MM-DD text, nothing else."""
    error = _refused(lambda: L.assess_deregistration(registrant(), as_of=as_of))
    assert error.field == "as_of"


@pytest.mark.parametrize("birth", [dt.date(1, 1, 1), dt.date(1850, 6, 1), dt.date(1899, 12, 31)])
def test_an_id_number_born_before_1900_is_refused(birth: dt.date) -> None:
    """No applicant was born before 1900-01-01: such a number is a typing error."""
    number = make_id_number("210102", birth, 3)
    error = _refused(lambda: L.assess_registration(application(applicant={"id_number": number})))
    assert error.field == "applicant.id_number"
    assert "1900-01-01" in error.message
    assert number not in error.message


def test_an_id_number_born_after_the_registration_is_refused() -> None:
    """A registrant cannot be born after their own registration."""
    later = make_id_number("210102", dt.date(2026, 2, 1), 3)
    data = registrant(registered=dt.date(2026, 1, 15))
    data["person"]["id_number"] = later
    error = _refused(lambda: L.assess_deregistration(data, as_of="2026-11-28"))
    assert error.field == "person.id_number"


def test_born_on_1900_01_01_and_on_the_application_day_are_the_accepted_ends() -> None:
    """Both ends of the documented window are accepted (the age rules then decide)."""
    first = make_id_number("210102", dt.date(1900, 1, 1), 3)
    assert L.assess_registration(application(applicant={"id_number": first})).outcome
    same_day = make_id_number("210102", dt.date(2026, 9, 30), 3)
    data = application(applicant={"id_number": same_day}, drop=("unemployment_date",))
    assert L.assess_registration(data).outcome == "ineligible"  # under 16


# -- documents: JSON text with bounds ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('{"voluntary": false, "voluntary": true}', "key 'voluntary'"),
        ('{"a": 1, "210102199005170032": 1, "210102199005170032": 2}', "key number 3"),
        ('{"x": NaN}', "NaN"),
        ('{"x": -Infinity}', "Infinity"),
        ('{"x": 1e999}', "finite"),
        ('{"x": ' + "9" * 5000 + "}", "5000 characters"),
        ('{"x": 0.' + "1" * 40 + "}", f"at most {MAX_NUMBER_CHARACTERS}"),
        ("[" * 100_000 + "]" * 100_000, "nested deeper"),
        ("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1), f"{MAX_DEPTH} levels"),
    ],
)
def test_a_malformed_json_document_is_an_input_error(text: str, words: str) -> None:
    """Duplicate keys, NaN, huge numbers and deep nesting: a clear error, in bounded time."""
    started = time.perf_counter()
    with pytest.raises(L.InputError) as info:
        parse_json(text, "FILE")
    assert time.perf_counter() - started < 5
    assert info.value.field == "FILE"
    assert words in info.value.message
    assert "210102199005170032" not in str(info.value)


def test_a_document_at_the_depth_limit_is_read() -> None:
    """The limit is inclusive: MAX_DEPTH levels are read."""
    text = "[" * MAX_DEPTH + "]" * MAX_DEPTH
    value: Any = parse_json(text)
    for _ in range(MAX_DEPTH - 1):
        value = value[0]
    assert value == []


def test_a_document_larger_than_the_limit_is_refused_before_parsing() -> None:
    """A document over MAX_DOCUMENT_BYTES is refused by its size."""
    text = json.dumps({"x": "a" * MAX_DOCUMENT_BYTES})
    with pytest.raises(L.InputError, match="bytes"):
        parse_json(text)


def test_the_command_line_refuses_duplicate_keys_and_bombs(tmp_path: Any) -> None:
    """``assess`` reads documents with the same bounds: exit 2 with the reason, no traceback."""
    import subprocess
    import sys

    data = application()
    text = json.dumps(data)[:-1] + ', "voluntary": false}'
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]\n" for i in range(8)
    )
    for name, body, words in (
        ("dup.json", text, "repeats an earlier key"),
        ("bomb.yaml", bomb, "expands to more than"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested deeper"),
        ("huge.json", '{"x": ' + "1" * 5000 + "}", "5000 characters"),
    ):
        path = tmp_path / name
        path.write_text(body, encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CLI, "assess", "registration", str(path)],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip
        assert time.perf_counter() - started < 30, name
        assert done.returncode == 2, (name, done.stderr)
        assert words in done.stderr, (name, done.stderr)
        assert "Traceback" not in done.stderr


def test_yaml_1_1_booleans_are_text_so_yes_is_refused(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    """In a YAML input ``voluntary: yes`` is the text "yes" (YAML 1.2), refused on voluntary;
    ``voluntary: true`` is decided."""
    import yaml

    from lnunemp_rules.cli import main

    data = application()
    path = tmp_path / "app.yaml"
    path.write_text(yaml.safe_dump(data).replace("voluntary: true", "voluntary: yes"), "utf-8")
    assert main(["assess", "registration", str(path)]) == 2
    assert "voluntary: expected true or false" in capsys.readouterr().err
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    assert main(["assess", "registration", str(path)]) == 0
