"""``lnunemp-rules calendar``: from-notice writes a file the library loads, amend applies a
later notice, show draws the year the library uses, coverage lists every year and its source;
a refused notice writes nothing and names the sentence."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import shutil
from pathlib import Path

import holidays
import pytest
import yaml

from lnunemp_rules.cli import COMMANDS, main
from lnunemp_rules.cli.calendar import month_grid
from lnunemp_rules.rulebook.calendar_files import load_calendar
from lnunemp_rules.rulebook.folder import rules_dir

NOTICES = Path(__file__).parent / "data" / "notices"
OFFICIAL_2026 = "https://www.gov.cn/zhengce/content/202511/content_7047090.htm"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    """A copy of the shipped rules folder, to add calendar files to."""
    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    return folder


def test_calendar_is_a_command_with_four_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    """--help lists from-notice, amend, show and coverage."""
    assert "calendar" in COMMANDS
    assert main(["calendar", "--help"]) == 0
    out = capsys.readouterr().out
    for sub in ("from-notice", "amend", "show", "coverage"):
        assert sub in out


def test_from_notice_writes_a_file_the_library_loads(
    rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The 2026 notice becomes rules/calendar/2026.yaml: it cites the notice and the text's
    digest, and the calendar it gives is holidays.China's on every day of 2026."""
    notice = NOTICES / "2026.txt"
    target = rules / "calendar" / "2026.yaml"
    code, out, err = run(
        capsys, "calendar", "from-notice", str(notice), "--year", "2026",
        "--number", "国办发明电〔2025〕7号", "--source", OFFICIAL_2026, "-o", str(target),
    )  # fmt: skip
    assert code == 0, err
    assert out == ""
    assert "33 days off, 6 make-up working days" in err and "calendar show 2026" in err
    doc = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert doc["notice"]["text_sha256"] == hashlib.sha256(notice.read_bytes()).hexdigest()
    assert doc["notice"]["number"] == "国办发明电〔2025〕7号"
    assert doc["notice"]["issued"] == dt.date(2025, 11, 4)
    assert doc["notice"]["source"] == OFFICIAL_2026
    calendar = load_calendar(rules, online_working_days=3)
    assert calendar.schedule(2026).source.startswith("国办发明电〔2025〕7号 of 2025-11-04")
    china = holidays.country_holidays("CN", years=2026)
    day = dt.date(2026, 1, 1)
    while day.year == 2026:
        assert calendar.is_working_day(day) == china.is_working_day(day), day
        day += dt.timedelta(days=1)
    code, out, _ = run(capsys, "lint", "--rules", str(rules))
    assert code == 0, out


def test_from_notice_reads_stdin_and_prints_the_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With NOTICE '-' and no -o, the text comes from stdin and the file goes to stdout."""
    raw = (NOTICES / "2017.txt").read_bytes()
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))
    code, out, _ = run(capsys, "calendar", "from-notice", "-", "--year", "2017", "--source", "x")
    assert code == 0
    doc = yaml.safe_load(out)
    assert doc["year"] == 2017 and doc["notice"]["number"] == "国办发明电〔2016〕17号"
    assert doc["notice"]["text_sha256"] == hashlib.sha256(raw).hexdigest()
    assert doc["holidays"][0] == {
        "from": dt.date(2017, 1, 1), "to": dt.date(2017, 1, 2), "name": "New Year's Day",
        "name_zh": "元旦", "quote": "一、元旦:1月1日放假,1月2日(星期一)补休。",
    }  # fmt: skip


def test_a_refused_notice_writes_nothing_and_quotes_the_sentence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A make-up day on a Friday: exit 2, the file:line and the sentence on stderr, no file."""
    bad = tmp_path / "2026.txt"
    bad.write_text(
        (NOTICES / "2026.txt").read_text("utf-8").replace("5月9日(周六)上班", "5月8日上班"),
        encoding="utf-8",
    )
    target = tmp_path / "2026.yaml"
    code, out, err = run(
        capsys, "calendar", "from-notice", str(bad), "--year", "2026", "--source", "x",
        "--number", "国办发明电〔2025〕7号", "-o", str(target),
    )  # fmt: skip
    line = (
        bad.read_text("utf-8")
        .splitlines()
        .index("  四、劳动节:5月1日(周五)至5日(周二)放假调休,共5天。5月8日上班。")
        + 1
    )
    assert code == 2 and out == ""
    assert f"{bad}:{line}: «5月8日上班»: 2026-05-08 is a Friday" in err
    assert not target.exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ([], "--number: the notice's number (文号) is not in the text"),
        (["--number", "国办发明电〔2025〕8号", "--year", "2027"], "the notice is for 2026"),
    ],
)
def test_from_notice_without_what_it_needs_is_refused(
    extra: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """No 文号 in the text and none given, or the wrong --year: exit 2 with the reason."""
    argv = ["calendar", "from-notice", str(NOTICES / "2026.txt"), "--source", "x", *extra]
    if "--year" not in extra:
        argv += ["--year", "2026"]
    code, _, err = run(capsys, *argv)
    assert code == 2 and message in err


def test_an_existing_file_is_replaced_only_with_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """-o onto an existing file is refused unless --force; with it the file is replaced."""
    target = tmp_path / "2017.yaml"
    target.write_text("keep me\n", encoding="utf-8")
    argv = ["calendar", "from-notice", str(NOTICES / "2017.txt"), "--year", "2017",
            "--source", "x", "-o", str(target)]  # fmt: skip
    code, _, err = run(capsys, *argv)
    assert code == 2 and "give --force" in err
    assert target.read_text(encoding="utf-8") == "keep me\n"
    code, _, _ = run(capsys, *argv, "--force")
    assert code == 0 and target.read_text(encoding="utf-8").count("year: 2017") == 1


def test_amend_applies_the_2019_adjustment_in_place(
    rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """amend turns 2019's Labor Day into 05-01..05-04 with make-up Sundays 04-28 and 05-05,
    cites the adjustment, and the calendar then agrees with holidays.China on those days."""
    target = rules / "calendar" / "2019.yaml"
    code, _, _ = run(
        capsys, "calendar", "from-notice", str(NOTICES / "2019.txt"), "--year", "2019",
        "--source", "x", "-o", str(target),
    )  # fmt: skip
    assert code == 0
    before = load_calendar(rules, online_working_days=3)
    assert before.is_working_day(dt.date(2019, 5, 2))
    code, _, err = run(
        capsys, "calendar", "amend", str(target), str(NOTICES / "2019-adjustment.txt"),
        "--source", "y",
    )  # fmt: skip
    assert code == 0, err
    assert "Read as setting no day: «二、各地区" in err
    doc = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert [a["number"] for a in doc["amendments"]] == ["国办发明电〔2019〕3号"]
    after = load_calendar(rules, online_working_days=3)
    china = holidays.country_holidays("CN", years=2019)
    for day in (
        dt.date(2019, 4, 28),
        dt.date(2019, 5, 2),
        dt.date(2019, 5, 4),
        dt.date(2019, 5, 5),
    ):
        assert after.is_working_day(day) == china.is_working_day(day)
    assert "amended by 国办发明电〔2019〕3号" in after.schedule(2019).source


def test_show_draws_the_year_with_marks_and_sources(capsys: pytest.CaptureFixture[str]) -> None:
    """show 2026 (from holidays): the source, a grid with 10-01..10-03 as days off, Sunday
    10-04 (not named by holidays) a plain rest day and 10-10 a make-up day, each run of days
    off and the count of working days."""
    code, out, _ = run(capsys, "calendar", "show", "2026")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("2026: holidays ") and "State Council notice for 2026" in lines[0]
    october = next(i for i, line in enumerate(lines) if "October 2026" in line)
    assert "  1*  2*  3*  4 " in lines[october + 2] + " "
    assert lines[october + 3].startswith("  5*  6*  7*  8 ")
    assert " 10+ " in lines[october + 3] + " "
    assert "  2026-10-10 Sat" in lines
    china = holidays.country_holidays("CN", years=2026)
    working = sum(
        china.is_working_day(dt.date(2026, 1, 1) + dt.timedelta(days=i)) for i in range(365)
    )
    assert lines[-1].endswith(f", {working} working days.")


def test_show_json_lists_every_day_off_and_make_up_day(capsys: pytest.CaptureFixture[str]) -> None:
    """show --json gives the days the holidays package has for 2025."""
    code, out, _ = run(capsys, "calendar", "show", "2025", "--json")
    assert code == 0
    doc = json.loads(out)
    china = holidays.country_holidays("CN", years=2025)
    assert [d["date"] for d in doc["days_off"]] == sorted(
        d.isoformat() for d in china if d.year == 2025
    )
    assert [d["date"] for d in doc["make_up_working_days"]] == sorted(
        d.isoformat() for d in china.weekend_workdays if d.year == 2025
    )


def test_show_a_year_without_schedule_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    """show 2027 with no file: exit 2, naming the file to add."""
    code, _, err = run(capsys, "calendar", "show", "2027")
    assert code == 2 and "rules/calendar/2027.yaml" in err


def test_coverage_lists_every_year_and_its_source(
    rules: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """coverage: one line per year of holidays' data, a file's year citing its notice, and
    the next year to add."""
    code, _, _ = run(
        capsys, "calendar", "from-notice", str(NOTICES / "2026.txt"), "--year", "2026",
        "--number", "国办发明电〔2025〕7号", "--source", OFFICIAL_2026,
        "-o", str(rules / "calendar" / "2026.yaml"),
    )  # fmt: skip
    assert code == 0
    code, out, _ = run(capsys, "calendar", "coverage", "--rules", str(rules))
    assert code == 0
    from holidays.countries.china import ChinaStaticHolidays

    years = [int(line.split()[0]) for line in out.splitlines()[1:-1]]
    assert years == sorted(ChinaStaticHolidays.special_public_holidays)
    assert "  2026  33 days off   6 make-up days  国办发明电〔2025〕7号 of 2025-11-04" in out
    assert "notice for 2027 is published" in out
    code, out, _ = run(capsys, "calendar", "coverage", "--rules", str(rules), "--json")
    by_year = {y["year"]: y for y in json.loads(out)["years"]}
    assert by_year[2026]["origin"].endswith("2026.yaml")
    assert by_year[2025]["origin"].startswith("holidays ")


def test_the_month_grid_puts_each_day_under_its_weekday() -> None:
    """2026-02-14 (Sat) is in the Sa column, marked; 2026-02-01 (Sun) in the Su column."""
    grid = month_grid(2026, 2, {dt.date(2026, 2, 14): "+"})
    header = grid[1]
    assert len(grid) == 8 and all(len(line) == 28 for line in grid[1:])
    assert grid[2].rstrip().endswith("1") and grid[2].index("1") == header.index("Su") + 1
    row = next(line for line in grid if "14+" in line)
    assert row.index("14+") == header.index("Sa")
