"""The operator calendar file (rules/calendar/<year>.yaml): what the writer writes the reader
reads back unchanged, a notice's days in the December before its year change that year, and
the keys added for converted notices (amendments, text digest, quotes) are checked."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lnunemp_rules.errors import RuleFileError
from lnunemp_rules.rulebook.calendar_files import (
    CalendarFile,
    DayRun,
    NoticeCitation,
    dump_calendar_file,
    lint_calendar_files,
    load_calendar,
    parse_calendar_text,
)
from lnunemp_rules.rulebook.folder import rules_dir

D = dt.date

FILE_2098 = """\
    year: 2098
    notice:
      number: 国办发明电〔2097〕1号
      issued: 2097-11-01
      title: 国务院办公厅关于2098年部分节假日安排的通知
      source: https://example.invalid/made-up-2098
    holidays:
      - from: 2098-10-01
        to: 2098-10-07
        name: National Day
    make_up_working_days:
      - date: 2098-12-27
"""
# A made-up notice for 2099 that, like the real 2019 one, sets days of the December before.
FILE_2099 = """\
    year: 2099
    notice:
      number: 国办发明电〔2098〕2号
      issued: 2098-11-02
      title: 国务院办公厅关于2099年部分节假日安排的通知
      source: https://example.invalid/made-up-2099
      text_sha256: 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    amendments:
      - number: 国办发明电〔2099〕3号
        issued: 2099-03-01
        title: 国务院办公厅关于调整2099年劳动节假期安排的通知
        source: https://example.invalid/made-up-2099-adjustment
    holidays:
      - from: 2098-12-29
        to: 2099-01-01
        name: New Year's Day
        name_zh: 元旦
        quote: 一、元旦：2098年12月29日至2099年1月1日放假调休，共4天。
    make_up_working_days:
      - date: 2098-12-27
        name: New Year's Day
      - date: 2099-01-03
"""


def _folder(tmp_path: Path, *files: tuple[str, str]) -> Path:
    for name, text in files:
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return tmp_path


def test_a_notice_changes_the_december_before_its_year(tmp_path: Path) -> None:
    """The 2099 file's days of December 2098 change 2098's schedule, and the make-up day they
    share cites the 2099 notice; 2099's own days are unchanged."""
    folder = _folder(tmp_path, ("2098.yaml", FILE_2098), ("2099.yaml", FILE_2099))
    calendar = load_calendar(rules_dir(), online_working_days=3, extra_overrides=folder)
    assert not calendar.is_working_day(D(2098, 12, 29))  # a Monday made a day off
    assert not calendar.is_working_day(D(2098, 12, 31))
    assert calendar.holiday_name(D(2098, 12, 30)) == "New Year's Day"
    assert calendar.schedule(2098).make_up_days[D(2098, 12, 27)] == 2099
    steps = calendar.day_steps(D(2098, 12, 26), D(2098, 12, 27))
    assert "国办发明电〔2098〕2号" in steps[0].reason
    assert calendar.is_working_day(D(2099, 1, 3)) and not calendar.is_working_day(D(2099, 1, 1))
    source = calendar.schedule(2099).source
    assert source.endswith("; amended by 国办发明电〔2099〕3号 of 2099-03-01 "
                           "'国务院办公厅关于调整2099年劳动节假期安排的通知' "
                           "(https://example.invalid/made-up-2099-adjustment)")  # fmt: skip


def test_the_december_before_needs_that_year_to_be_covered(tmp_path: Path) -> None:
    """Without a schedule for 2098, the 2099 file's December days do not make 2098 covered."""
    folder = _folder(tmp_path, ("2099.yaml", FILE_2099))
    calendar = load_calendar(rules_dir(), online_working_days=3, extra_overrides=folder)
    assert 2098 not in calendar.years and 2099 in calendar.years


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("    quote: 一", "    note: 一", "holidays[0]: unknown key 'note'"),
        ("text_sha256: 0123", "text_sha256: 0x23", "notice.text_sha256 must be 64 hex digits"),
        ("  - date: 2099-01-03", "  - date: 2098-11-28", "2098-11-28 is not in 2099 or December"),
        ("    title: 国务院办公厅关于调整", "    heading: 国务院办公厅关于调整",
         "unknown key amendments[0].heading"),
        ("    name: New Year's Day\n  - date", "    name: 1\n  - date",
         "make_up_working_days[0].name must be a text"),
    ],
)  # fmt: skip
def test_the_keys_of_a_converted_file_are_checked(
    tmp_path: Path, old: str, new: str, message: str
) -> None:
    """A wrong key, digest, date or value type is refused with its line."""
    text = textwrap.dedent(FILE_2099)
    assert text.count(old) == 1
    (tmp_path / "2099.yaml").write_text(text.replace(old, new), encoding="utf-8")
    problems = lint_calendar_files(tmp_path)
    assert [p for p in problems if message in p.message], problems
    assert all(p.line is not None for p in problems)
    with pytest.raises(RuleFileError):
        load_calendar(rules_dir(), online_working_days=3, extra_overrides=tmp_path)


texts = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=30)
days = st.dates(D(2098, 12, 1), D(2099, 12, 31))


@st.composite
def calendar_files(draw: st.DrawFn) -> CalendarFile:
    chosen = sorted(draw(st.sets(days, min_size=1, max_size=12)))  # a file lists a day off
    off = [DayRun(d, d, draw(texts), draw(texts), draw(st.none() | texts)) for d in chosen[::2]]
    weekend = [d for d in chosen[1::2] if d.weekday() >= 5]
    working = [DayRun(d, d, draw(st.just("") | texts)) for d in weekend]
    cite = NoticeCitation(
        draw(texts), draw(days), draw(texts), draw(texts), draw(st.none() | st.just("a" * 64))
    )
    return CalendarFile(2099, cite, tuple(off), tuple(working), (cite,) * draw(st.integers(0, 2)))


@settings(deadline=None, max_examples=150)
@given(calendar_files(), texts)
def test_what_the_writer_writes_the_reader_reads_back(content: CalendarFile, header: str) -> None:
    """Any file content, with any text in its names, quotes, notice and header comment, reads
    back equal from its YAML (quotes, colons, '#', line and paragraph separators included)."""
    problems: list[object] = []
    text = dump_calendar_file(content, header=header)
    again = parse_calendar_text(text, "2099.yaml", problems)  # type: ignore[arg-type]
    stripped = [n.strip() for n in (content.notice.number, content.notice.title)]
    if (
        not all(stripped)
        or not content.notice.source.strip()
        or not all(r.name for r in content.holidays)
    ):
        assert again is None and problems  # a blank required text is refused, not written
        return
    assert problems == [] and again == content
