"""The State Council's holiday notices, read from their published text: the ten notices for
2017-2026 and their two amendments give exactly the schedule of the ``holidays`` package for
every day of those years, and a notice with a deliberate error is refused with the sentence
quoted (tests/data/notices, provenance in sources.yaml)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import holidays
import pytest
import yaml

from lnunemp_rules.errors import InputError, NoticeError
from lnunemp_rules.rulebook.calendar_files import (
    CalendarFile,
    dump_calendar_file,
    load_calendar,
    parse_calendar_text,
)
from lnunemp_rules.rulebook.folder import rules_dir
from lnunemp_rules.rulebook.notice import parse_notice
from lnunemp_rules.rulebook.notice_file import amend_calendar_file, calendar_file_from_notice

D = dt.date
NOTICES = Path(__file__).parent / "data" / "notices"
SOURCES: list[dict[str, Any]] = yaml.safe_load((NOTICES / "sources.yaml").read_text("utf-8"))
BY_FILE = {s["file"]: s for s in SOURCES}
YEARS = range(2017, 2027)


def _text(name: str) -> str:
    return (NOTICES / name).read_bytes().decode("utf-8")


def _number(name: str) -> str | None:
    """The 文号 as an operator gives it with --number: only when the text lacks it."""
    entry = BY_FILE[name]
    return None if entry["number_in_text"] else entry["number"]


def _year_file(year: int) -> CalendarFile:
    """The year's file as from-notice and amend write it, read back by the library's reader."""
    name = f"{year}.txt"
    content = calendar_file_from_notice(
        parse_notice(_text(name), year, name=name),
        number=_number(name),
        source=BY_FILE[name]["official"],
    )
    for entry in SOURCES:
        if entry["year"] == year and entry["kind"] != "schedule":
            amendment = parse_notice(_text(entry["file"]), year, name=entry["file"])
            content = amend_calendar_file(
                content,
                amendment,
                number=_number(entry["file"]),
                source=entry["official"],
                name=entry["file"],
            )
    problems: list[Any] = []
    again = parse_calendar_text(dump_calendar_file(content), f"{year}.yaml", problems)
    assert problems == [] and again == content
    return content


FILES = {year: _year_file(year) for year in YEARS}
HOLIDAYS = holidays.country_holidays("CN", years=range(2016, 2028), language="en_US")


def _days(year: int) -> list[dt.date]:
    return [
        D(year, 1, 1) + dt.timedelta(days=i)
        for i in range((D(year + 1, 1, 1) - D(year, 1, 1)).days)
    ]


def test_the_collected_notices_cover_ten_years_with_their_provenance() -> None:
    """Every year 2017-2026 has its notice's text and provenance; no text lacks an entry."""
    assert {s["year"] for s in SOURCES if s["kind"] == "schedule"} == set(YEARS)
    assert {p.name for p in NOTICES.glob("*.txt")} == set(BY_FILE)
    for entry in SOURCES:
        assert entry["official"].startswith(("http://www.gov.cn/", "https://www.gov.cn/"))
        assert entry["text_from"].startswith(("http://", "https://"))


@pytest.mark.parametrize("entry", SOURCES, ids=lambda e: e["file"])
def test_title_number_and_date_are_read_from_the_text(entry: dict[str, Any]) -> None:
    """The title, the issue date and (where printed) the 文号 read from each text are those of
    its provenance record."""
    notice = parse_notice(_text(entry["file"]), entry["year"])
    assert notice.kind == entry["kind"]
    assert notice.title == entry["title"]
    assert notice.issued == entry["issued"]
    assert notice.number == (entry["number"] if entry["number_in_text"] else None)


@pytest.mark.parametrize("year", YEARS)
def test_every_day_of_the_year_is_as_the_holidays_package_has_it(year: int) -> None:
    """Working day or rest day, every day of the year read from the notices (the year's, its
    amendments, and the next year's for its December) is what holidays.China says."""
    content = FILES[year]
    off = {d for d in content.days_off() if d.year == year}
    working = {d for d in content.working_days() if d.year == year}
    following = FILES.get(year + 1)
    if following is not None:  # the next notice can change this December (2019's did)
        later_off = {d for d in following.days_off() if d.year == year}
        later_working = {d for d in following.working_days() if d.year == year}
        off = (off - later_working) | later_off
        working = (working - later_off) | later_working
    differing = [
        d
        for d in _days(year)
        if ((d in working) if d.weekday() >= 5 else (d not in off)) != HOLIDAYS.is_working_day(d)
    ]
    assert differing == []
    assert working == {d for d in HOLIDAYS.weekend_workdays if d.year == year}
    # Every day holidays names (statutory, observed, exchanged) is a day off of the notice.
    assert {d for d in HOLIDAYS if d.year == year} <= off


def test_the_2019_notice_changes_the_december_before_it() -> None:
    """The 2019 notice makes Saturday 2018-12-29 a working day and 2018-12-30/31 days off."""
    content = FILES[2019]
    assert {d for d in content.working_days() if d.year == 2018} == {D(2018, 12, 29)}
    assert {d for d in content.days_off() if d.year == 2018} == {D(2018, 12, 30), D(2018, 12, 31)}
    assert HOLIDAYS.is_working_day(D(2018, 12, 29))
    assert not HOLIDAYS.is_working_day(D(2018, 12, 31))


def test_the_notices_loaded_as_operator_files_give_the_package_calendar(tmp_path: Path) -> None:
    """With the ten converted files in place of the package's data, the library's calendar
    answers every day of 2016-2026 as before (2018's December through the 2019 file)."""
    for year, content in FILES.items():
        (tmp_path / f"{year}.yaml").write_text(dump_calendar_file(content), encoding="utf-8")
    from_files = load_calendar(rules_dir(), online_working_days=3, extra_overrides=tmp_path)
    from_package = load_calendar(rules_dir(), online_working_days=3)
    for year in range(2016, 2027):
        for day in _days(year):
            assert from_files.is_working_day(day) == from_package.is_working_day(day), day
    deadline = from_files.processing_deadline(D(2018, 12, 28), "online")
    assert deadline.date == D(2019, 1, 3)  # 12-29 Sat worked, 12-30..01-01 off, 01-02, 01-03
    assert "国办发明电〔2018〕15号" in deadline.steps[0].reason  # the make-up day cites 2019's


def test_the_adjustment_and_the_extension_change_only_their_festival() -> None:
    """2019 Labor Day becomes 05-01..05-04 with two make-up Sundays; the 2020 Spring Festival
    runs to 02-02 and its make-up Saturday 02-01 is cancelled."""
    original = calendar_file_from_notice(
        parse_notice(_text("2019.txt"), 2019), number=None, source="x"
    )
    assert set(FILES[2019].days_off()) - set(original.days_off()) == {
        D(2019, 5, 2), D(2019, 5, 3), D(2019, 5, 4),
    }  # fmt: skip
    assert FILES[2019].working_days() - original.working_days() == {D(2019, 4, 28), D(2019, 5, 5)}
    assert FILES[2020].working_days() == {
        D(2020, 1, 19), D(2020, 4, 26), D(2020, 5, 9), D(2020, 6, 28), D(2020, 9, 27),
        D(2020, 10, 10),
    }  # fmt: skip
    assert {D(2020, 1, 31), D(2020, 2, 1), D(2020, 2, 2)} <= set(FILES[2020].days_off())
    assert [a.number for a in FILES[2020].amendments] == ["国办发明电〔2020〕1号"]


def _full_width(text: str) -> str:
    return text.translate(str.maketrans({":": "：", ",": "，", "(": "（", ")": "）"}))


@pytest.mark.parametrize("year", [2019, 2025, 2026])
def test_full_width_punctuation_and_no_annotations_read_the_same(year: int) -> None:
    """The same notice with full-width punctuation, or without its weekday and lunar notes,
    gives the same days; only the digest of the text differs."""
    text = _text(f"{year}.txt")
    plain = parse_notice(text, year)
    for variant in (_full_width(text), re.sub(r"\((?:农历|星期|周)[^()]*\)", "", text)):
        other = parse_notice(variant, year)
        assert other.days_off().keys() == plain.days_off().keys()
        assert other.make_up_days().keys() == plain.make_up_days().keys()
        assert other.text_sha256 != plain.text_sha256


def test_an_encouragement_names_a_day_but_sets_none() -> None:
    """2024: 'encourage ... rest on 除夕 (2月9日)' is kept as a note; 2024-02-09 is no day off."""
    notice = parse_notice(_text("2024.txt"), 2024)
    assert D(2024, 2, 9) not in notice.days_off()
    assert any("除夕(2月9日)" in note for note in notice.notes)


# ---- refusals: each class of error, on a real notice with one deliberate change -------------

REFUSALS = [
    # (file, year, replace this, by this, quoted in the message, what is wrong)
    ("2019.txt", 2019, "2018年12月30日至2019年1月1日", "2018年12月30日至1月1日",
     "2018年12月30日至1月1日放假调休", "runs backwards"),
    ("2026.txt", 2026, "至23日(", "至3日(", "2月15日(农历腊月二十八、周日)至3日",
     "runs backwards"),
    ("2026.txt", 2026, "1月4日(周日)上班", "1月4日(周六)上班", "1月4日(周六)上班",
     "contradicts the date: 2026-01-04 is a Sunday"),
    ("2025.txt", 2025, "5月31日(周六)", "5月31日(周五)", "5月31日(周五)",
     "contradicts the date"),
    ("2026.txt", 2026, "5月9日(周六)上班", "5月8日上班", "5月8日上班",
     "2026-05-08 is a Friday: a make-up working day"),
    ("2018.txt", 2018, "4月28日(星期六)上班", "4月27日(星期五)上班", "4月27日",
     "must be a Saturday or Sunday"),
    ("2026.txt", 2026, "1月4日(周日)上班", "1月3日(周六)上班", "1月3日(周六)上班",
     "2026-01-03 is already listed"),
    ("2023.txt", 2023, "6月22日至24日", "6月21日至24日", "6月21日至24日",
     "says 3 day(s) but gives 4"),
    ("2026.txt", 2026, "放假调休,共9天", "放假调休,共8天", "2月15日(农历腊月二十八",
     "says 8 day(s) but gives 9"),
    ("2017.txt", 2017, "5月1日放假,与周末连休", "5月3日放假,与周末连休", "5月3日",
     "no weekend day adjoins 2017-05-03"),
    ("2025.txt", 2025, "放假1天,不调休。", "放假1天,不调休。1月4日(周六)上班。", "一、元旦",
     "不调休"),
    ("2021.txt", 2021, "共7天。2月7日", "共7天。另行通知。2月7日", "另行通知",
     "not a sentence of a holiday arrangement"),
    ("2021.txt", 2021, "五、端午节:", "五、龙舟节:", "五、龙舟节", "unknown festival 龙舟节"),
    ("2022.txt", 2022, "  三、清明节", "  四、清明节", "四、", "item 三 was expected"),
    ("2022.txt", 2022, "9月10日至12日", "9月31日至12日", "9月31日", "not a real date"),
    ("2022.txt", 2022, "10月8日(星期六)", "2023年1月7日(星期六)", "2023年1月7日",
     "neither in 2022 nor in December 2021"),
    ("2020-extension.txt", 2020, "2月3日(星期一)起", "2月4日(星期二)起",
     "延长2020年春节假期至2月2日", "not on the day after 2020-02-02"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "year", "old", "new", "quoted", "wrong"),
    REFUSALS,
    ids=[f"{r[0]}:{r[5][:30]}" for r in REFUSALS],
)
def test_a_notice_with_an_error_is_refused_naming_the_sentence(
    name: str, year: int, old: str, new: str, quoted: str, wrong: str
) -> None:
    """The one changed sentence is refused, quoted with its line; nothing is returned."""
    text = _text(name)
    assert text.count(old) == 1
    changed = text.replace(old, new)
    line = next(i for i, s in enumerate(changed.splitlines(), 1) if quoted in s.strip())
    with pytest.raises(NoticeError) as caught:
        parse_notice(changed, year, name=name)
    problems = caught.value.problems
    assert len(problems) == 1, problems
    assert problems[0].file == name and problems[0].line == line
    assert f"«{quoted}" in problems[0].message and wrong in problems[0].message
    assert str(problems[0]).startswith(f"{name}:{line}: «")


@pytest.mark.parametrize(
    ("change", "wrong"),
    [
        (lambda t: t.replace("国务院办公厅\n2016年12月1日", ""), "signature '国务院办公厅'"),
        (lambda t: t.replace("2016年12月1日", "2016年12月"), "expected the notice's date"),
        (lambda t: t.replace("2016年12月1日", "2015年12月1日"), "is dated 2015-12-01"),
        (lambda t: "\n".join(t.splitlines()[2:]), "no title found"),
        (lambda t: t.replace("通知如下。", "安排如下。"), "no '…通知如下'"),
        (lambda t: re.sub(r"(?m)^([一二三四五六])、", "", t), "no numbered item"),
        (lambda t: t.replace("\n节假日期间", "\n1月3日照常上班。节假日期间"), "names a day"),
    ],
)
def test_a_notice_missing_a_part_is_refused(change: Any, wrong: str) -> None:
    """Without its signature date, title, '通知如下' or numbered items, or with a day named
    outside the items, a notice is refused."""
    with pytest.raises(NoticeError) as caught:
        parse_notice(change(_text("2017.txt")), 2017)
    assert any(wrong in p.message for p in caught.value.problems), caught.value.problems


def test_a_notice_for_another_year_is_refused() -> None:
    """The title's year must be the year asked for."""
    with pytest.raises(NoticeError, match="the notice is for 2026, not 2027"):
        parse_notice(_text("2026.txt"), 2027)


@pytest.mark.parametrize("year", [True, "2027", 2027.0])
def test_the_year_must_be_a_whole_year(year: object) -> None:
    """A boolean, text or float year is refused, not coerced."""
    with pytest.raises(NoticeError, match="year must be a year"):
        parse_notice(_text("2026.txt"), year)  # type: ignore[arg-type]


def test_the_number_given_must_agree_with_the_text() -> None:
    """--number may fill in a missing 文号, never override a printed one; one is required."""
    notice = parse_notice(_text("2017.txt"), 2017)
    with pytest.raises(InputError, match="differs from the number in the text"):
        calendar_file_from_notice(notice, number="国办发明电〔2016〕18号", source="x")
    assert calendar_file_from_notice(notice, number="国办发明电[2016]17号", source="x")
    missing = parse_notice(_text("2026.txt"), 2026)
    with pytest.raises(InputError) as caught:
        calendar_file_from_notice(missing, number=None, source="x")
    assert caught.value.field == "--number"
    with pytest.raises(InputError, match="not a notice number"):
        calendar_file_from_notice(missing, number="7号", source="x")
    with pytest.raises(InputError) as caught:
        calendar_file_from_notice(missing, number="国办发明电〔2025〕7号", source=" ")
    assert caught.value.field == "--source"


def test_an_amendment_is_not_a_year_and_a_year_is_not_an_amendment() -> None:
    """from-notice refuses an adjustment; amend refuses a year's notice, another year's
    amendment, an amendment applied twice and a festival the file does not have."""
    adjustment = parse_notice(_text("2019-adjustment.txt"), 2019)
    with pytest.raises(InputError, match="amends a schedule"):
        calendar_file_from_notice(adjustment, number=None, source="x")
    year_notice = parse_notice(_text("2019.txt"), 2019)
    with pytest.raises(NoticeError, match="not an adjustment or extension"):
        amend_calendar_file(FILES[2019], year_notice, number=None, source="x", name="n")
    with pytest.raises(NoticeError, match="already cited"):
        amend_calendar_file(FILES[2019], adjustment, number=None, source="x", name="n")
    with pytest.raises(NoticeError, match="amends 2019, the file is for 2018"):
        amend_calendar_file(FILES[2018], adjustment, number=None, source="x", name="n")
    no_labor_day = CalendarFile(
        2019,
        FILES[2019].notice,
        tuple(r for r in FILES[2019].holidays if r.name_zh != "劳动节"),
        (),
    )
    with pytest.raises(NoticeError, match="no day off of 劳动节"):
        amend_calendar_file(no_labor_day, adjustment, number=None, source="x", name="n")


def test_a_title_or_number_cited_in_the_preamble_is_not_taken_for_the_notice_s() -> None:
    """An adjustment whose preamble cites the year's notice stays an adjustment, and a number
    cited there is not taken for its own (missing) 文号."""
    text = _text("2019-adjustment.txt").replace("\n国办发明电〔2019〕3号\n", "\n")
    cited = text.replace(
        "经国务院批准,",
        "根据《国务院办公厅关于2019年部分节假日安排的通知》(国办发明电〔2018〕15号),经国务院批准,",
    )
    assert cited != text
    notice = parse_notice(cited, 2019)
    assert notice.kind == "adjustment" and notice.festival == "劳动节"
    assert notice.number is None
