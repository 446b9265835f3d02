"""The malformed-input suite (issue 11, items 2-4): over 10,000 hypothesis inputs -- lax
spellings of every typed field, planted personal data in every position and key, and texts
with duplicate keys, NaN, huge numbers, deep nesting, bad bytes and YAML alias bombs.

Each must give a clear error naming the field (an ``InputError``, a ``Rejected`` sweep line,
a ``RuleFileError`` for a YAML file) in bounded time, never a decision, never another
exception, and never repeat a planted value. The oracle of "wrong" is written here from the
documented rules (docs/api.md, "Strict inputs" and "Limits"), not from the library.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import time
from typing import Any, Final

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import lnunemp_rules as L
from builders import application, registrant, with_value
from lnunemp_rules.batch.records import Rejected, record_of
from lnunemp_rules.errors import RuleFileError
from lnunemp_rules.inputs.documents import MAX_DEPTH, parse_json
from lnunemp_rules.rulebook.yamlfile import parse_yaml

SETTINGS: Final = settings(
    max_examples=2_600,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
PLANTS: Final = ("11010519491231002X", "13812345678", "欧阳娜娜", "Ouyang Nana",
                 "辽宁省沈阳市和平区南京北街100号")  # fmt: skip

APPLICATION: Final = application(
    cause={"category": "enterprise_contract_ended", "contract_ending": "expired"},
    submitted_at="2026-09-30T10:00:00+08:00", channel="online",
    insurance_contribution_months=24, employment_assistance_possible=True,
    current_situation={"employed": False, "monthly_income": 1000, "minimum_wage_tier": 1},
)  # fmt: skip
REGISTRANT: Final = registrant(
    {"type": "contact", "date": "2026-02-01"},
    {"type": "income_work", "date": "2026-04-01", "monthly_income": 1000,
     "minimum_wage_tier": 1},
    {"type": "flexible_employment", "date": "2026-05-01", "social_insurance": False,
     "income_tax": False},
    {"type": "move", "date": "2026-06-01", "new_region": "210102"},
    minimum_wage_tier=1,
)  # fmt: skip

# Each typed field of the two inputs (path, kind): what the documented rules accept.
FIELDS: Final = {
    "registration": [
        (("voluntary",), "bool"), (("applicant", "habitual_urban_resident"), "bool"),
        (("employment_assistance_possible",), "bool"), (("current_situation", "employed"), "bool"),
        (("insurance_contribution_months",), "int"),
        (("current_situation", "minimum_wage_tier"), "int"),
        (("current_situation", "monthly_income"), "number"),
        (("application_date",), "date"), (("unemployment_date",), "date"),
        (("submitted_at",), "instant"), (("channel",), "choice"),
        (("cause", "contract_ending"), "choice"), (("applicant", "residence_region"), "region"),
        (("applicant", "id_number"), "id"),
    ],
    "review": [
        (("registration_date",), "date"), (("residence_region",), "region"),
        (("minimum_wage_tier",), "int"), (("events", 0, "date"), "date"),
        (("events", 1, "monthly_income"), "number"), (("events", 1, "minimum_wage_tier"), "int"),
        (("events", 2, "social_insurance"), "bool"), (("events", 2, "income_tax"), "bool"),
        (("events", 3, "new_region"), "region"), (("person", "id_number"), "id"),
    ],
}  # fmt: skip
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _acceptable(kind: str, value: Any) -> bool:
    """The documented rule for each kind (the oracle): True if ``value`` may be accepted."""
    if kind == "bool":
        return type(value) is bool
    if kind == "int":
        return type(value) is int
    if kind == "number":
        return type(value) in (int, float) and value == value and abs(value) != float("inf")
    if kind == "date":
        if isinstance(value, dt.datetime):
            return False
        return isinstance(value, dt.date) or (
            isinstance(value, str) and bool(_DATE.fullmatch(value))
        )
    if kind == "instant":
        return isinstance(value, str) and value.endswith(("Z", "+08:00")) and "T" in value
    return isinstance(value, str)  # choice, region, id: text, checked further by the model


SCALARS = st.one_of(
    st.booleans(), st.integers(), st.integers(min_value=10**20, max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.sampled_from(["yes", "no", "on", "off", "y", "n", "true", "false", "1", "0", "36",
                     "36.0", "2.0", "50", " true", "TRUE", "None", "null", ""]),
    st.sampled_from(PLANTS),
    st.dates().map(lambda d: d.strftime("%Y%m%d")),
    st.dates().map(lambda d: d.isocalendar()).map(lambda c: f"{c[0]}-W{c[1]:02d}-{c[2]}"),
    st.datetimes().map(lambda d: d.isoformat() + "-10:00"),
    st.datetimes(), st.dates(),
)  # fmt: skip
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3),
                   st.dictionaries(st.text(max_size=5), SCALARS, max_size=2))  # fmt: skip


def _decide(kind: str, data: Any) -> Any:
    if kind == "registration":
        return L.assess_registration(data)
    return L.assess_deregistration(data, as_of="2026-11-28")


def _no_plant(text: str) -> None:
    assert not [p for p in PLANTS if p in text], text


def _path_text(path: tuple[Any, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else ("." if out else "") + part
    return out


CASES = [(kind, path, what) for kind, fields in FIELDS.items() for path, what in fields]


@SETTINGS
@given(case=st.sampled_from(CASES), value=VALUES)
def test_a_value_of_the_wrong_type_or_spelling_is_an_input_error_on_its_field(
    case: tuple[str, tuple[Any, ...], str], value: Any
) -> None:
    """Lax spellings (yes, 1, "36", 36.0, true, 20260930, week dates, datetimes, NaN, huge
    numbers, lists, objects) of every typed field: InputError naming that field."""
    kind, path, what = case
    assume(not _acceptable(what, value))
    data = with_value(APPLICATION if kind == "registration" else REGISTRANT, path, value)
    try:
        decision = _decide(kind, data)
    except L.InputError as error:
        assert error.field == _path_text(path), (error.field, error.message)
        _no_plant(f"{error} {error.problems}")
        return
    raise AssertionError(f"{_path_text(path)} = {value!r} gave a decision: {decision.outcome}")


def _positions(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found: list[tuple[Any, ...]] = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _positions(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _positions(value, (*prefix, index))
    return found


POSITIONS = [(k, p) for k, d in (("registration", APPLICATION), ("review", REGISTRANT))
             for p in _positions(d)]  # fmt: skip


@SETTINGS
@given(
    where=st.sampled_from(POSITIONS),
    plant=st.sampled_from(PLANTS),
    around=st.text(alphabet="ab -_.:", max_size=4),
    as_key=st.booleans(),
)
def test_planted_personal_data_in_any_position_or_key_is_never_repeated(
    where: tuple[str, tuple[Any, ...]], plant: str, around: str, as_key: bool
) -> None:
    """An ID number, phone, name or address, alone or inside other text, as any value or as a
    key of any object: an InputError or a decision, and no text of either repeats it."""
    kind, path = where
    data = copy.deepcopy(APPLICATION if kind == "registration" else REGISTRANT)
    text = around + plant + around
    node = data
    for part in path:
        node = node[part]
    if (as_key and isinstance(node, dict)) or not path:  # the whole record takes a key
        node[text] = text
    else:
        data = with_value(data, path, text)
    try:
        decision = _decide(kind, data)
        said = decision.to_json() + decision.explain("en") + decision.explain("zh")
    except L.InputError as error:
        said = f"{error} {error.problems}"
    _no_plant(said)


def _deep(depth: int) -> str:
    return "[" * depth + "]" * depth


DOCUMENT_FAULTS = st.one_of(
    st.integers(MAX_DEPTH + 1, 200_000).map(_deep),
    st.integers(33, 6_000).map(lambda n: '{"voluntary": ' + "9" * n + "}"),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-1e999"]).map(
        lambda v: '{"monthly_income": ' + v + "}"),
    st.sampled_from((*PLANTS, "voluntary", "channel")).map(
        lambda k: json.dumps({"a": 1})[:-1] + f', "{k}": 1, "{k}": 2}}'),
)  # fmt: skip


@SETTINGS
@given(text=DOCUMENT_FAULTS)
def test_a_document_over_a_limit_is_an_input_error_in_bounded_time(text: str) -> None:
    """Deep nesting, long numbers, NaN and infinities, a key given twice: InputError from
    the parser and a Rejected sweep line, within a second, repeating no planted key."""
    started = time.perf_counter()
    try:
        parse_json(text, "FILE")
    except L.InputError as error:
        _no_plant(str(error))
    else:
        raise AssertionError("accepted")
    rejected = record_of(2, text.encode(), "review")
    assert isinstance(rejected, Rejected)
    _no_plant(rejected.message)
    assert time.perf_counter() - started < 1.0


@SETTINGS
@given(data=st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_as_a_sweep_line_give_a_record_or_a_reason(data: bytes) -> None:
    """Random bytes as a line of a sweep: a record (a JSON object), None (blank) or Rejected
    with a message -- never an exception."""
    found = record_of(3, data, "review")
    assert found is None or isinstance(found, dict | Rejected)
    if isinstance(found, Rejected):
        assert found.message


def _bomb(width: int, levels: int) -> str:
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    for n in range(1, levels + 1):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None)
@given(width=st.integers(2, 12), levels=st.integers(1, 12))
def test_yaml_aliases_are_read_within_the_budget_or_refused_at_once(
    width: int, levels: int
) -> None:
    """A YAML document whose aliases expand past 200,000 values is refused in milliseconds;
    one within the budget is read. The expansion is computed here, not by the library."""
    expanded = sum(width ** (n + 1) for n in range(levels + 1)) + levels + 2
    started = time.perf_counter()
    try:
        parse_yaml(_bomb(width, levels), "doc.yaml", private=True)
    except RuleFileError as error:
        assert "expands to more than 200000" in str(error)
        assert expanded > 200_000 - 2 * (levels + 2) * width
    else:
        assert expanded <= 200_000 + 2 * (levels + 2) * (width + 1)
    assert time.perf_counter() - started < 1.0
