"""Rendering decisions: near misses, deadline derivation and masking, the same in every format."""

from __future__ import annotations

import datetime as dt
from typing import Any

from lnunemp_rules import assess_deregistration, assess_registration, load_rule_book
from lnunemp_rules.explain import Personal, near_misses, render
from lnunemp_rules.inputs.idnumber import make_id_number

ID = make_id_number("210102", dt.date(1990, 5, 17), 3)


def review(income: float) -> dict[str, Any]:
    return {
        "person": {"id_number": ID, "name": "示例"},
        "registration_date": "2026-03-02",
        "residence_region": "210102",
        "events": [
            {"type": "refusal", "date": "2026-06-20"},
            {"type": "income_work", "date": "2026-06-15", "monthly_income": income,
             "minimum_wage_tier": 1},
        ],
    }  # fmt: skip


def test_income_one_yuan_below_is_a_near_miss() -> None:
    """Income 1 yuan below the tier-1 minimum wage is a near miss of 4.5(3) with both values and
    the derivation of the minimum wage."""
    data = assess_deregistration(review(2229), as_of="2026-11-28").to_dict()
    misses = {m["rule_id"]: m for m in near_misses(data)}
    miss = misses["trigger.income-work"]
    assert miss["subject"] == "events[1]"
    assert miss["missed"]["actual"] == {"monthly_income": 2229.0, "minimum_wage": 2230.0}
    assert "tier 1" in miss["derivations"][0]["how"]


def test_fired_trigger_is_not_a_near_miss() -> None:
    """Income equal to the minimum wage fires 4.5(3), so it is not listed as a near miss."""
    data = assess_deregistration(review(2230), as_of="2026-11-28").to_dict()
    assert data["outcome"] == "deregister"
    assert "trigger.income-work" not in {m["rule_id"] for m in near_misses(data)}


def test_a_trigger_with_no_event_of_its_kind_is_not_close() -> None:
    """No hiring event at all is not a near miss of 4.5(1): only rules one condition short, on
    a condition other than the kind of event, are shown."""
    data = assess_deregistration(review(2229), as_of="2026-11-28").to_dict()
    shown = {m["rule_id"] for m in near_misses(data)}
    assert "trigger.hired" not in shown
    # One refusal is two short of three (the margin is one), the lapse ends 23 days later.
    assert shown == {"trigger.income-work", "trigger.contact-lapse"}


def test_a_date_or_count_far_from_its_threshold_is_not_close() -> None:
    """The no-contact period ending 4 months after the review date, and a second refusal a
    week before, are shown only when within the margins (31 days, one refusal)."""
    early = assess_deregistration(review(1000), as_of="2026-08-20").to_dict()
    assert "trigger.contact-lapse" not in {m["rule_id"] for m in near_misses(early)}
    second = review(1000)
    second["events"].append({"type": "refusal", "date": "2026-06-21"})
    data = assess_deregistration(second, as_of="2026-11-28").to_dict()
    assert "trigger.refusals" in {m["rule_id"] for m in near_misses(data)}


def _application(cause: dict[str, Any]) -> dict[str, Any]:
    return {
        "applicant": {"id_number": ID, "residence_region": "210102",
                      "habitual_urban_resident": True, "able_to_work": True},
        "voluntary": True, "cause": cause,
        "unemployment_date": "2026-08-31", "application_date": "2026-09-30", "channel": "offline",
    }  # fmt: skip


def test_other_causes_are_not_near_misses_of_a_registration() -> None:
    """A resignation is not "close" to the other twelve categories: each differs by its cause,
    so none is listed (the full trace stays in the JSON)."""
    data = assess_registration(_application({"category": "resignation"})).to_dict()
    assert near_misses(data) == []
    categories = {t["rule_id"] for t in data["trace"] if t["effect"] == "category"}
    assert len(categories) == 13


def test_a_category_one_condition_short_is_a_near_miss_in_plain_words() -> None:
    """A veteran placed by the state misses 4.1.2(6) by that one condition, and the Chinese
    explanation says so in words with the actual value."""
    decision = assess_registration(_application({"category": "veteran", "state_placement": True}))
    assert [m["rule_id"] for m in near_misses(decision.to_dict())] == ["category.veteran"]
    assert "已纳入国家统一安置：否（实际：是）" in decision.explain("zh")
    assert "placed by the state: no (actual: yes)" in decision.explain("en")


def test_formats_carry_the_same_facts() -> None:
    """Text, Markdown and HTML all show the outcome, the masked subject and the near-miss values."""
    data = assess_deregistration(review(2229), as_of="2026-11-28").to_dict()
    personal = Personal(ID, "示例")
    for fmt in ("text", "md", "html"):
        out = render(data, fmt=fmt, lang="en", personal=personal)  # type: ignore[arg-type]
        assert "remain" in out
        assert "2,229" in out and "2,230" in out
        assert ID not in out and "示例" not in out
        assert data["meta"]["subject"].replace("*", "") in out.replace("\\*", "").replace("*", "")


def test_explain_is_the_text_rendering() -> None:
    """Decision.explain is the text form of the renderer, in both languages."""
    decision = assess_deregistration(review(2229), as_of="2026-11-28")
    for lang in ("zh", "en"):
        book = load_rule_book()
        text = render(decision.to_dict(), fmt="text", lang=lang, book=book)  # type: ignore[arg-type]
        assert decision.explain(lang) == text
    assert "如无新情况，标准4.5(13)将于该日起适用：2026年12月22日" in decision.explain("zh")


def test_near_miss_titles_come_from_the_rule_book_that_decided(tmp_path: Any) -> None:
    """A decision made under another rules folder names its near misses with that folder's
    clause titles, not the default book's."""
    import shutil

    from lnunemp_rules.rulebook.folder import rules_dir

    folder = tmp_path / "rules"
    shutil.copytree(rules_dir(), folder)
    clauses = folder / "clauses.yaml"
    text = clauses.read_text(encoding="utf-8")
    old = "title_zh: 月收入不低于当地最低工资标准"
    assert old in text
    clauses.write_text(text.replace(old, "title_zh: 另一个标题"), encoding="utf-8")
    book = load_rule_book(folder)
    decision = assess_deregistration(review(2229), as_of="2026-11-28", rule_book=book)
    assert "标准4.5(3)“另一个标题”" in decision.explain("zh")
    default = assess_deregistration(review(2229), as_of="2026-11-28")
    assert "标准4.5(3)“月收入不低于当地最低工资标准”" in default.explain("zh")
