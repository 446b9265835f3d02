"""No personal data in any error or masked output (issue 11, item 4; standard 4.3.1).

An ID number, a phone number, names and an address are planted in every string position and
as every key of both input models, and sent through every output and error path this issue
owns: decisions (JSON, text, Markdown, HTML, both languages), receipts, the batch output,
error file and summary, CSV headers and cells, input errors of the Python API, the command
line's messages (assess, explain, replay, test, lint) and YAML documents. None may come back
unmasked, and where a personal field is accepted, no other text may change with it.

What a masked output may show is in docs/api.md ("What a masked decision reveals"): the ID
number's address code and check character, the age in full years, whether the retirement
age is reached.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import lnunemp_rules as L
from builders import application, registrant, with_value
from lnunemp_rules.batch.records import read_csv
from lnunemp_rules.inputs.idnumber import make_id_number
from lnunemp_rules.law.retirement import statutory_retirement
from lnunemp_rules.report.receipts import make_receipt, replay

#: A valid ID number (GB 11643-1999 sample of docs), a phone, names and an address.
PLANTED_ID = "11010519491231002X"
PLANTS = {
    "id": PLANTED_ID,
    "phone": "13812345678",
    "name": "欧阳娜娜",
    "latin name": "Ouyang Nana",
    "address": "辽宁省沈阳市和平区南京北街100号",
}
CLI = "import sys; from lnunemp_rules.cli import main; sys.exit(main())"


def _leaks(text: str) -> list[str]:
    """The planted values found in ``text`` (the ID also by its birth-date digits)."""
    found = [name for name, value in PLANTS.items() if value in text]
    if "19491231" in text:
        found.append("the ID's birth date")
    return found


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every position of a JSON-like value: each key of each mapping, each list item."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield (*prefix, key)
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield (*prefix, index)
            yield from _paths(value, (*prefix, index))


def _mappings(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        yield prefix
        for key, value in data.items():
            yield from _mappings(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _mappings(value, (*prefix, index))


def _full_application() -> dict[str, Any]:
    data = application(
        cause={"category": "other", "description": "工厂关闭"},
        submitted_at="2026-09-30T10:00:00+08:00", channel="online",
        insurance_contribution_months=24, employment_assistance_possible=True,
        current_situation={"employed": False, "monthly_income": 0, "minimum_wage_tier": 1},
    )  # fmt: skip
    data["applicant"].update(sex="male", hukou="urban", able_to_work=True,
                             birth_date="1990-05-10")  # fmt: skip
    return data


def _full_registrant() -> dict[str, Any]:
    events = [
        {"type": "contact", "date": "2026-02-01"},
        {"type": "refusal", "date": "2026-03-01", "service": "培训"},
        {"type": "income_work", "date": "2026-04-01", "monthly_income": 1000,
         "minimum_wage_tier": 1},
        {"type": "move", "date": "2026-05-01", "new_region": "210102"},
        {"type": "other", "date": "2026-06-01", "reason": "本人申请"},
    ]  # fmt: skip
    return registrant(*events, minimum_wage_tier=1)


INPUTS = {"registration": _full_application(), "review": _full_registrant()}


def _decide(kind: str, data: Any) -> Any:
    if kind == "registration":
        return L.assess_registration(data)
    return L.assess_deregistration(data, as_of="2026-11-28")


def _outputs(kind: str, data: Any) -> str:
    """Every masked output of one decision, joined."""
    decision = _decide(kind, data)
    texts = [decision.to_json()]
    for fmt in ("text", "md", "html"):
        for lang in ("en", "zh"):
            texts.append(decision.render(fmt, lang))
    receipt = make_receipt(decision, data)
    # The digests of the input (and of the receipt) change with it, as they must.
    receipt["input_digest"] = receipt["digest"] = "sha256:..."
    texts.append(json.dumps(receipt, ensure_ascii=False))
    texts += [json.dumps(r, ensure_ascii=False) for r in L.assess_partition([data], kind=kind,
              as_of="2026-11-28")]  # fmt: skip
    texts += [json.dumps(r, ensure_ascii=False) for r in L.assess_partition([data], kind=kind,
              as_of="2026-11-28", full=True)]  # fmt: skip
    return "\n".join(texts)


# -- accepted personal fields: masked, and nothing else changes -------------------------------

FREE_TEXT = {
    "registration": [("applicant", "name"), ("cause", "description")],
    "review": [("person", "name"), ("events", 1, "service"), ("events", 4, "reason")],
}


@pytest.mark.parametrize(("kind", "path"), [(k, p) for k, ps in FREE_TEXT.items() for p in ps])
@pytest.mark.parametrize("plant", list(PLANTS))
def test_a_personal_field_is_never_shown_and_changes_no_other_text(
    kind: str, path: tuple[Any, ...], plant: str
) -> None:
    """A name, phone, address or ID number in a name or free-text field: no output shows it,
    and every output is the same as with a neutral text there."""
    neutral = _outputs(kind, with_value(INPUTS[kind], path, "张三"))
    planted = _outputs(kind, with_value(INPUTS[kind], path, PLANTS[plant]))
    assert _leaks(planted) == []
    assert planted == neutral


@pytest.mark.parametrize("kind", list(INPUTS))
def test_an_id_number_is_shown_masked_only(kind: str) -> None:
    """The ID number appears as its address code and check character, never whole."""
    path = ("applicant", "id_number") if kind == "registration" else ("person", "id_number")
    data = with_value(INPUTS[kind], path, PLANTED_ID)
    if kind == "registration":  # the planted number's own birth date and sex
        del data["applicant"]["birth_date"], data["applicant"]["sex"]
    text = _outputs(kind, data)
    assert _leaks(text) == []
    assert "110105***********X" in text


def test_a_masked_decision_does_not_reveal_the_birth_month_through_the_retirement_age() -> None:
    """For 2,000 applicants (every birth month of 1960-2000), the outputs name no date of
    the statutory retirement (an oracle from law/retirement.py), and the retirement
    derivation holds no digit but its group names (it states whether the age is reached, not
    when)."""
    book = L.load_rule_book()
    on = dt.date(2026, 9, 30)
    for n in range(2_000):
        birth = dt.date(1960 + n % 41, 1 + n % 12, 1 + n % 28)
        sex = "male" if n % 2 else "female"
        data = application(birth=birth, sex=sex, on=on)
        decision = L.assess_registration(data)
        # The decision's citation names the NPC decision of 2024-09-13: a constant, not a date
        # of this person.
        text = (decision.to_json() + decision.explain("en")).replace("2024-09-13", "")
        derivation = next(d for d in decision.derivations if d.fact == "retirement_status")
        said = derivation.how
        for label in ("women originally retiring at 50", "women originally retiring at 55"):
            said = said.replace(label, "")
        assert not any(c.isdigit() for c in said), derivation.how
        groups = ["male"] if sex == "male" else ["female_50", "female_55"]
        for group in groups:
            retired = statutory_retirement(book.retirement, birth, group)
            if retired.retired_from not in (on, on - dt.timedelta(days=20)):
                assert retired.retired_from.isoformat() not in text
            month = f"{retired.retirement_year}-{retired.retirement_month:02d}"
            if month != on.isoformat()[:7]:
                assert month not in text
        assert birth.isoformat() not in text


def test_a_masked_review_does_not_reveal_a_retirement_day_still_to_come() -> None:
    """Reviewed before the statutory retirement age, 1,000 registrants (every birth month of
    1966-2005, men and women of both groups): no output names the first day past the age or
    its month - neither as a derived fact nor in the near misses (it gives away the birth
    year and month). Before rules 2026.12.01.5 every review explanation showed it."""
    book = L.load_rule_book()
    on = dt.date(2026, 11, 28)
    for n in range(1_000):
        birth = dt.date(1966 + n % 40, 1 + n % 12, 1 + n % 28)
        sex = "male" if n % 2 else "female"
        group = (50, 55)[n // 2 % 2]
        data = registrant(registered=dt.date(2026, 6, 1))
        data["person"] = {"id_number": make_id_number("210102", birth, 3 if sex == "male" else 4)}
        if sex == "female":
            data["person"]["female_retirement_group"] = group
        name = "male" if sex == "male" else f"female_{group}"
        retired = statutory_retirement(book.retirement, birth, name)
        if retired.retired_from <= on:
            continue
        decision = L.assess_deregistration(data, as_of=on)
        text = decision.to_json() + decision.explain("en") + decision.explain("zh")
        day = retired.retired_from
        for shown in (day.isoformat(), f"{day.year}年{day.month}月{day.day}日",
                      f"{day.year}-{day.month:02d}", f"{day.year}年{day.month}月"):  # fmt: skip
            assert shown not in text, (birth, sex, group, shown)


# -- every other position: refused without repeating the value --------------------------------


def _string_positions(kind: str) -> list[tuple[Any, ...]]:
    return [p for p in _paths(INPUTS[kind]) if p not in [tuple(x) for x in FREE_TEXT[kind]]]


def _cases() -> Iterator[tuple[str, str, tuple[Any, ...], str]]:
    for kind in INPUTS:
        for path in _string_positions(kind):
            for plant in PLANTS:
                yield kind, "value", path, plant
        for where in _mappings(INPUTS[kind]):
            for plant in PLANTS:
                yield kind, "key", where, plant


CASES = list(_cases())


def _planted(kind: str, how: str, path: tuple[Any, ...], plant: str) -> Any:
    if how == "value":
        return with_value(INPUTS[kind], path, PLANTS[plant])
    changed = copy.deepcopy(INPUTS[kind])
    node = changed
    for part in path:
        node = node[part]
    node[PLANTS[plant]] = 1
    return changed


def test_every_position_and_key_is_planted() -> None:
    """The cases cover each field of both full inputs and each of their mappings."""
    for kind, data in INPUTS.items():
        planted = {c[2] for c in CASES if c[0] == kind and c[1] == "value"}
        assert planted | {tuple(p) for p in FREE_TEXT[kind]} == set(_paths(data))
        assert {c[2] for c in CASES if c[0] == kind and c[1] == "key"} == set(_mappings(data))
    assert len(CASES) == 280


@pytest.mark.parametrize("case", CASES, ids=[f"{c[0]}:{c[1]}:{c[2]}:{c[3]}" for c in CASES])
def test_a_planted_value_or_key_is_refused_or_masked_everywhere(
    case: tuple[str, str, tuple[Any, ...], str],
) -> None:
    """The API raises an InputError (or decides, for an ID number where one belongs) and no
    message, problem or output repeats the planted value."""
    kind, how, path, plant = case
    data = _planted(kind, how, path, plant)
    try:
        text = _outputs(kind, data)
    except L.InputError as error:
        text = f"{error}\n{error.field}\n{error.problems}"
    assert _leaks(text) == [], text


# -- files: batch, CSV, documents, the command line --------------------------------------------


def _bad_lines() -> list[str]:
    lines = []
    for kind, how, path, plant in CASES:
        if kind == "review":
            lines.append(json.dumps(_planted(kind, how, path, plant), ensure_ascii=False))
    lines.append('{"registration_date": "2026-01-01", "registration_date": "' + PLANTED_ID + '"}')
    lines.append('{"' + PLANTS["phone"] + '": 1, "' + PLANTS["phone"] + '": 2}')
    return lines


def test_the_batch_output_error_file_and_summary_show_no_planted_value(tmp_path: Path) -> None:
    """Every planted review record swept: the output, the error file, the summary and the
    manifest repeat none of them."""
    source = tmp_path / "in.jsonl"
    source.write_text("\n".join(_bad_lines()) + "\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    L.run_batch(str(source), str(output), kind="review", as_of="2026-11-28", workers=2,
                summary_path=str(tmp_path / "s.json"), progress=False)  # fmt: skip
    for name in ("out.jsonl", "out.jsonl.errors.jsonl", "s.json", "out.jsonl.manifest.json"):
        text = (tmp_path / name).read_text(encoding="utf-8")
        assert _leaks(text) == [], name


def test_a_csv_without_a_header_and_planted_cells_show_no_planted_value(tmp_path: Path) -> None:
    """A CSV whose first row is a person's data is refused without echoing the row; planted
    cells are rejected in the error file naming their column only."""
    row = ",".join([PLANTED_ID, PLANTS["name"], PLANTS["address"], PLANTS["phone"]])
    with pytest.raises(L.InputError) as info:
        list(read_csv(io.BytesIO((row + "\n" + row + "\n").encode()), "registration"))
    assert _leaks(str(info.value)) == []
    header = "applicant.id_number,applicant.name,voluntary,channel,applicant.residence_region"
    rows = [",".join([PLANTS[a], PLANTS[b], PLANTS[c], PLANTS[d], PLANTS[e]])
            for a, b, c, d, e in zip(*([list(PLANTS)] * 5), strict=True)]  # fmt: skip
    rows += [",".join([PLANTED_ID, "x", "true", "online", PLANTS["phone"]])]
    source = tmp_path / "in.csv"
    source.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    output = tmp_path / "out.jsonl"
    summary = L.run_batch(str(source), str(output), kind="registration", workers=1,
                          progress=False)  # fmt: skip
    assert summary.errors == len(rows)
    for name in ("out.jsonl", "out.jsonl.errors.jsonl", "out.jsonl.manifest.json"):
        assert _leaks((tmp_path / name).read_text(encoding="utf-8")) == [], name


def _cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", CLI, *args], input=stdin, capture_output=True,
                          text=True, timeout=120, check=False)  # fmt: skip


def test_the_command_line_messages_show_no_planted_value(tmp_path: Path) -> None:
    """assess, explain and replay on planted documents (JSON and YAML), test and lint on a
    planted fixture: neither standard output nor standard error repeats a planted value."""
    import yaml

    documents = [
        _planted("registration", "value", ("cause",), "id"),
        _planted("registration", "key", ("applicant",), "phone"),
        _planted("registration", "value", ("applicant", "sex"), "name"),
        _planted("registration", "value", ("channel",), "address"),
        with_value(_full_application(), ("cause",), {"category": PLANTS["phone"]}),
    ]
    for n, document in enumerate(documents):
        for suffix, text in ((".json", json.dumps(document, ensure_ascii=False)),
                             (".yaml", yaml.safe_dump(document, allow_unicode=True))):  # fmt: skip
            path = tmp_path / f"doc{n}{suffix}"
            path.write_text(text, encoding="utf-8")
            for args in (("assess", "registration", str(path)),
                         ("explain", str(path), "--kind", "registration")):  # fmt: skip
                done = _cli(*args)
                assert done.returncode == 2, (args, done.stderr)
                assert _leaks(done.stdout + done.stderr) == [], (args, done.stderr)
    receipt = make_receipt(L.assess_registration(_full_application()), _full_application(),
                           include_input=True)  # fmt: skip
    for field, value in (("subject", PLANTS["phone"]), ("kind", PLANTS["name"]),
                         ("rules_version", PLANTS["address"])):  # fmt: skip
        path = tmp_path / f"receipt-{field}.json"
        path.write_text(json.dumps({**receipt, field: value}, ensure_ascii=False), "utf-8")
        done = _cli("replay", str(path))
        assert done.returncode == 2, done.stderr
        assert _leaks(done.stdout + done.stderr) == []
    fixture = tmp_path / "fixture.yaml"
    case = {"name": "A planted input is refused", "kind": "registration",
            "input": _planted("registration", "key", ("applicant",), "id"),
            "expect": {"outcome": "eligible"}}  # fmt: skip
    fixture.write_text(yaml.safe_dump({"cases": [case]}, allow_unicode=True), encoding="utf-8")
    for args in (("test", str(fixture)), ("lint", str(fixture))):
        done = _cli(*args)
        assert done.returncode in (1, 2), (args, done.stderr)
        assert _leaks(done.stdout + done.stderr) == [], (args, done.stdout, done.stderr)


def test_a_planted_receipt_field_is_refused_without_repeating_it() -> None:
    """A receipt field edited into personal data: an InputError naming the field only."""
    receipt = make_receipt(L.assess_registration(_full_application()), _full_application(),
                           include_input=True)  # fmt: skip
    for path in [p for p in _paths(receipt) if not p or p[0] not in ("input",)]:
        for plant in PLANTS.values():
            edited = with_value(receipt, path, plant)
            try:
                result = replay(edited)
                text = result.explain() + json.dumps(result.to_dict(), ensure_ascii=False)
            except L.InputError as error:
                text = f"{error} {error.problems}"
            assert _leaks(text) == [], (path, text)


def test_an_id_number_of_any_length_or_alphabet_is_not_echoed() -> None:
    """Where an ID number is expected, a phone, a name or an address is described by its
    length only (the masking of an 18-character number would show 7 of a phone's digits)."""
    for plant in PLANTS.values():
        if plant == PLANTED_ID:
            continue
        with pytest.raises(L.InputError) as info:
            L.assess_registration(application(applicant={"id_number": plant}))
        assert _leaks(str(info.value)) == []
        assert "characters" in str(info.value)
    number = make_id_number("210102", dt.date(1990, 5, 10), 3)
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(L.InputError) as info:
        L.assess_registration(application(applicant={"id_number": wrong}))
    assert wrong not in str(info.value) and "210102***********" in str(info.value)
