"""Explanations speak the reader's language (issue 13, item 7): a Chinese explanation holds no
Latin-letter word, an English one no Chinese, over every fixture and 10,000 generated decisions.

The only Latin words a Chinese explanation may hold (documented in docs/cli.md): the rules
digest (64 hexadecimal digits), a masked ID number ending in X, the national-standard codes GB
and GB/T, and a reason the service recorded for 4.5(15), quoted as it was recorded. English
explanations may quote Chinese only inside quotation marks (the official title of a State
Council notice in an operator calendar file, a recorded reason).
"""

from __future__ import annotations

import datetime as dt
import html.parser
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lnunemp_rules import assess_deregistration, assess_registration
from lnunemp_rules.analyst.fixtures import load_fixture_cases
from lnunemp_rules.analyst.generate import DEFAULT_AS_OF, generate_records
from lnunemp_rules.decide import Decision, procedure
from lnunemp_rules.explain.document import RECORDED_WITHHELD, Personal

ROOT = Path(__file__).resolve().parent.parent
GENERATED_PER_PROCEDURE = 5_000
_ALLOWED = re.compile(r"[0-9a-f]{64}|\d{6}(?:\\?\*){11}[\dX]|GB/T|GB")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_HAN = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
_QUOTED = re.compile(r"'[^']*'|“[^”]*”|‘[^’]*’")
# A reason the service recorded (4.5(15)) is shown as recorded, in quotation marks.
_RECORDED = re.compile(r"(记录的原因：|recorded reason: )“[^”]*”")


def latin_words(text: str) -> list[str]:
    """The Latin-letter words of ``text`` outside the documented allow-list."""
    return _LATIN_WORD.findall(_ALLOWED.sub(" ", _RECORDED.sub(" ", text)))


def han_outside_quotes(text: str) -> list[str]:
    return _HAN.findall(_QUOTED.sub(" ", _RECORDED.sub(" ", text)))


class _Visible(html.parser.HTMLParser):
    """The text a reader sees on an HTML page (no tags, no style sheet, no attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._style = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        self._style = self._style or tag == "style"

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._style = False

    def handle_data(self, data: str) -> None:
        if not self._style:
            self.parts.append(data)


def visible(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return "".join(parser.parts)


def _fixture_decisions() -> Iterator[Decision]:
    for case in load_fixture_cases([ROOT / "tests" / "fixtures"]):
        yield case.procedure.decide(case.input, as_of=case.as_of)


def _generated(count: int) -> Iterator[Decision]:
    for record in generate_records("registration", count, seed=13, bad_share=0.0):
        yield assess_registration(record)
    for record in generate_records("review", count, seed=13, bad_share=0.0):
        yield assess_deregistration(record, as_of=DEFAULT_AS_OF)


def test_the_language_checks_can_fail() -> None:
    """The checks see an English word in Chinese and Chinese in English, and let the digest,
    a masked ID number and GB/T through."""
    assert latin_words("结论：符合 eligible") == ["eligible"]
    assert latin_words("记录的原因：“Duplicate record”；yes") == ["yes"]
    digest = "96d9afe5fc490f723d6408d458d53b5c0a85b7f8ec24714b148ec9716e6d38df"
    assert latin_words(f"摘要：{digest}；身份证号码：210102***********X；GB/T 2260") == []
    assert han_outside_quotes("Outcome: 符合") == ["符", "合"]
    assert han_outside_quotes("per notice '国务院办公厅关于2099年部分节假日安排的通知'") == []
    assert "x" not in visible("<style>body{x}</style><p lang='en'>说明</p>")


def test_chinese_explanations_of_every_fixture_hold_no_english_in_any_format() -> None:
    """Text, Markdown and the visible text of the HTML page of every fixture case."""
    checked = 0
    for decision in _fixture_decisions():
        for text in (decision.explain("zh"), decision.render("md", "zh"),
                     visible(decision.render("html", "zh"))):  # fmt: skip
            assert latin_words(text) == [], text
            checked += 1
        english = decision.explain("en")
        assert han_outside_quotes(english) == [], english
    assert checked >= 3 * 146


@pytest.mark.slow
def test_chinese_explanations_of_10000_generated_decisions_hold_no_english() -> None:
    """5,000 generated applications and 5,000 generated registrants on both procedures: not one
    Latin word in a Chinese explanation, not one Chinese character in an English one."""
    outcomes: set[str] = set()
    count = 0
    for decision in _generated(GENERATED_PER_PROCEDURE):
        zh = decision.explain("zh")
        assert latin_words(zh) == [], zh
        en = decision.explain("en")
        assert han_outside_quotes(en) == [], en
        outcomes.add(decision.outcome)
        count += 1
    assert count == 2 * GENERATED_PER_PROCEDURE
    assert len(outcomes) >= 6


def test_a_recorded_reason_is_shown_only_with_the_personal_data() -> None:
    """4.5(15) "其他" says in the decision, its JSON and both explanations that a reason was
    recorded; the free text itself (which may name anyone) is withheld, and shown only when
    the personal data is shown."""
    reason = "王小明本人书面申请注销，联系电话13912345678，证件11010519491231002X"
    registrant = {
        # Born 1985 (not 1949, as the ID number in the reason): past retirement age, she would
        # be deregistered under 5.5 as well.
        "person": {"birth_date": "1985-04-01", "sex": "female", "name": "王小明"},
        "registration_date": "2026-03-02",
        "residence_region": "210102",
        "events": [{"type": "other", "date": "2026-05-06", "reason": reason}],
    }  # fmt: skip
    decision = assess_deregistration(registrant, as_of="2026-06-01")
    (trigger,) = decision.triggers
    assert trigger.clause.id == "4.5(15)"
    assert trigger.recorded == (RECORDED_WITHHELD,)
    assert decision.to_dict()["triggers"][0]["recorded"] == [RECORDED_WITHHELD]
    said = {"zh": "已记录原因", "en": "a reason is recorded"}
    for lang in ("zh", "en"):
        text = decision.explain(lang)  # type: ignore[arg-type]
        assert said[lang] in text
        assert "13912345678" not in text and "王小明" not in text and "19491231" not in text
    shown = Personal("11010519491231002X", "王小明", show=True, reasons=((0, reason),))
    assert reason in decision.render("text", "zh", shown)
    assert reason not in decision.render("text", "zh", Personal(reasons=((0, reason),)))


def test_a_review_asks_for_what_is_missing_under_its_own_clauses() -> None:
    """What a review needs is asked for under 4.5 and 5.5, never under 4.1.4 (registration)."""
    registrant = {
        "person": {"birth_date": "1985-04-01", "sex": "male"},
        "registration_date": "2026-03-02", "residence_region": "210102",
        "events": [{"type": "income_work", "date": "2026-06-15", "monthly_income": 2000}],
    }  # fmt: skip
    decision = assess_deregistration(registrant, as_of="2026-11-28")
    assert decision.missing_facts == ("events[0].minimum_wage_tier",)
    zh = decision.explain("zh")
    assert "需补充或核实的信息（标准4.5、5.5）" in zh and "4.1.4" not in zh
    assert "第1项事件：从事有收入劳动时所在县（市、区）适用的最低工资标准档次" in zh


def test_the_html_page_is_made_for_printing_and_reading_aloud() -> None:
    """A4 pages with the decision, its date and rules version and the page number; a CJK font
    stack; headings a screen reader follows; the other language marked with its lang."""
    registrant = {"person": {"birth_date": "1985-04-01", "sex": "male"},
                  "registration_date": "2026-03-02", "residence_region": "210102"}  # fmt: skip
    decision = assess_deregistration(registrant, as_of="2026-11-28")
    page = decision.render("html", "en")
    assert "@page{size:A4" in page and "counter(page)" in page
    assert "2026-11-28" in page.split("@page", 1)[1].split("}", 1)[0]
    assert '"Noto Sans CJK SC"' in page and "section{break-inside:avoid-page}" in page
    assert '<section aria-labelledby="s1"><h2 id="s1">' in page
    zh = decision.render("html", "zh")
    assert '<html lang="zh-CN">' in zh
    assert re.search(r'<span lang="en">[0-9a-f]', zh) is None or "规则文件摘要" in zh
    with_rule_ids = decision.render("html", "zh", technical=True)
    assert '<pre lang="en">' in with_rule_ids and "trigger.contact-lapse" in with_rule_ids


def test_dates_are_iso_in_english_and_written_out_in_chinese() -> None:
    """No date in US order anywhere: a substituted day off says 2026-09-20, not 09/20/2026."""
    app = {
        "applicant": {"id_number": "11010519491231002X", "residence_region": "210102",
                      "habitual_urban_resident": True},
        "voluntary": True, "cause": {"category": "resignation"},
        "unemployment_date": "2026-08-31", "application_date": "2026-09-30", "channel": "online",
    }  # fmt: skip
    decision = assess_registration(app)
    en, zh = decision.explain("en"), decision.explain("zh")
    assert "Day off (in exchange for 2026-09-20)" in en
    assert re.search(r"\d\d/\d\d/\d{4}", en + zh) is None
    assert "2026年10月10日" in zh and "2026-10-10" not in zh
    assert dt.date(2026, 10, 10).isoformat() in en


def test_every_procedure_names_its_missing_heading_in_the_glossary() -> None:
    """Registration asks under 4.1.4, the review under 4.5 and 5.5 (the glossary's headings)."""
    from lnunemp_rules import load_rule_book

    glossary = load_rule_book().glossary
    assert "4.1.4" in glossary.heading("missing.registration", "zh")
    assert "4.1.4" not in glossary.heading("missing.review", "zh")
    assert procedure("review").name == "review"
