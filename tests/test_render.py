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
    """Income 1 yuan below the tier-1 minimum wage is a near miss of 4.5(3) with both values."""
    data = assess_deregistration(review(2229), as_of="2026-11-28").to_dict()
    misses = {m["rule_id"]: m for m in near_misses(data, "trigger")}
    miss = misses["trigger.income-work"]
    assert miss["subject"] == "events[1]"
    assert miss["failed"][0]["actual"] == {"monthly_income": 2229.0, "minimum_wage": 2230.0}
    assert "tier 1" in miss["derivations"][0]["how"]


def test_fired_trigger_is_not_a_near_miss() -> None:
    """Income equal to the minimum wage fires 4.5(3), so it is not listed as a near miss."""
    data = assess_deregistration(review(2230), as_of="2026-11-28").to_dict()
    assert data["outcome"] == "deregister"
    assert "trigger.income-work" not in {m["rule_id"] for m in near_misses(data, "trigger")}


def test_missing_event_type_is_one_entry() -> None:
    """A trigger with no event of its type gets one entry saying so, not one per event."""
    data = assess_deregistration(review(2229), as_of="2026-11-28").to_dict()
    hired = [m for m in near_misses(data, "trigger") if m["rule_id"] == "trigger.hired"]
    assert len(hired) == 1
    assert hired[0]["failed"][0]["no_event"] == ["income_work", "refusal"]


def test_category_near_misses_of_registration() -> None:
    """Every 4.1.2 category that did not apply is listed, and the matched one is not."""
    app = {
        "applicant": {"id_number": ID, "residence_region": "210102",
                      "habitual_urban_resident": True, "able_to_work": True},
        "voluntary": True, "cause": {"category": "resignation"},
        "unemployment_date": "2026-08-31", "application_date": "2026-09-30", "channel": "offline",
    }  # fmt: skip
    data = assess_registration(app).to_dict()
    matched = {m["rule_id"] for m in data["categories"]}
    missed = {m["rule_id"] for m in near_misses(data, "category")}
    categories = {t["rule_id"] for t in data["trace"] if t["effect"] == "category"}
    assert matched and not matched & missed
    assert matched | missed == categories


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
        clauses = load_rule_book().clauses
        text = render(decision.to_dict(), fmt="text", lang=lang, clauses=clauses)  # type: ignore[arg-type]
        assert decision.explain(lang) == text
    assert "下次可能触发4.5(13)的日期" in decision.explain("zh")


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
    assert "4.5(3) 另一个标题" in decision.explain("zh")
    default = assess_deregistration(review(2229), as_of="2026-11-28")
    assert "4.5(3) 月收入不低于当地最低工资标准" in default.explain("zh")
