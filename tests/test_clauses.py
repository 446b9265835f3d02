"""The clause registry: every item is present, quoted verbatim, and the text's quirks handled."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from lnunemp_rules import load_rule_book
from lnunemp_rules.errors import RuleFileError, UnknownClauseError
from lnunemp_rules.rulebook import clauses
from lnunemp_rules.rulebook.clauses import Clause, ClauseRegistry, lint_clause_registry
from lnunemp_rules.rulebook.folder import rules_dir


def load_clause_registry(path: Path | None = None) -> ClauseRegistry:
    """The registry in use, or the one read from ``path``."""
    if path is None:
        return load_rule_book().clauses
    return clauses.load_clause_registry(path)


def clause_registry_path() -> Path:
    return rules_dir() / "clauses.yaml"


REPO = Path(__file__).resolve().parents[1]
SEED = REPO.parent / "shared" / "seed" / "standard.zh.txt"

ENUMERATIONS = {"4.1.2": 13, "4.1.3": 3, "4.2.1": 6, "4.5": 15}
OTHER_CLAUSES = [
    "3.1",
    "4.1.1",
    "4.1.4",
    "4.2.2",
    "4.3.1",
    "4.3.2",
    "4.4.1",
    "4.4.2",
    "4.4.2bis",
    "5.1",
    "5.2.1",
    "5.2.2",
    "5.3",
    "5.4.1",
    "5.4.2",
    "5.5",
]
NATIONAL = [
    "labour-law-art15",
    "social-insurance-law-art45",
    "npc-2024-retirement-decision",
    "employment-services-regulation",
    "civil-code-art201",
    "civil-code-art202",
    "civil-code-art203",
    "civil-code-art1259",
    "spc-2006-1-art2",
    "gb-11643-1999",
    "administrative-licensing-law-art82",
    "liaoning-minimum-wage",
]


@pytest.mark.parametrize(("chapeau", "count"), sorted(ENUMERATIONS.items()))
def test_every_enumerated_item_is_registered(chapeau: str, count: int) -> None:
    """Each enumeration has its chapeau and exactly its numbered items, (1) to (n), in order."""
    registry = load_clause_registry()
    items = registry.items_of(chapeau)
    assert [c.id for c in items] == [f"{chapeau}({n})" for n in range(1, count + 1)]
    assert all(c.source == "standard" and c.parent_id == chapeau for c in items)


@pytest.mark.parametrize("clause_id", OTHER_CLAUSES)
def test_other_cited_clauses_are_registered(clause_id: str) -> None:
    """Every clause the library uses or may cite resolves to an entry of the standard."""
    assert load_clause_registry().get(clause_id).source == "standard"


@pytest.mark.parametrize("clause_id", NATIONAL)
def test_national_rules_are_cited_under_their_own_names(clause_id: str) -> None:
    """National rules resolve, carry their own citation and are never clauses of the standard."""
    entry = load_clause_registry().get(clause_id)
    assert entry.source == "national"
    assert entry.text_zh is None
    assert entry.citation_zh
    assert entry.citation == entry.citation_zh


def test_every_entry_has_titles_and_gloss() -> None:
    """Decisions can show a zh and en title and a gloss for every registered id."""
    for entry in load_clause_registry().entries.values():
        assert entry.title_zh.strip() and entry.title_en.strip() and entry.gloss_en.strip()


@pytest.mark.skipif(not SEED.is_file(), reason="the standard's text is not beside the repo")
def test_every_text_zh_is_verbatim_from_the_standard() -> None:
    """The wording of each clause of the standard is found character for character in the text."""
    text = SEED.read_text(encoding="utf-8")
    registry = load_clause_registry()
    missing = [
        cid for cid in registry.standard_ids() if (registry.get(cid).text_zh or "") not in text
    ]
    assert missing == []


@pytest.mark.skipif(not SEED.is_file(), reason="the standard's text is not beside the repo")
def test_items_are_quoted_without_their_number_prefix() -> None:
    """Each item's text follows its （n） prefix in the standard and does not repeat it."""
    text = SEED.read_text(encoding="utf-8")
    registry = load_clause_registry()
    for chapeau in ENUMERATIONS:
        for item in registry.items_of(chapeau):
            number = item.id.split("(", 1)[1].rstrip(")")
            assert not (item.text_zh or "").startswith("（")
            assert f"（{number}）{item.text_zh}" in text


def test_the_duplicated_4_4_2_is_cited_unambiguously() -> None:
    """The second 4.4.2 (career guidance) is 4.4.2bis, noted as meant to be 4.4.3."""
    registry = load_clause_registry()
    first, second = registry.get("4.4.2"), registry.get("4.4.2bis")
    assert "职业介绍" in (first.text_zh or "")
    assert "职业指导" in (second.text_zh or "")
    assert "4.4.3" in (second.note or "")


def test_4_4_3_is_not_silently_redirected_but_suggests_4_4_2bis() -> None:
    """Asking for 4.4.3, which the text lacks, fails and names 4.4.2bis first."""
    with pytest.raises(UnknownClauseError) as info:
        load_clause_registry().resolve("4.4.3")
    assert info.value.suggestions[0] == "4.4.2bis"


def test_5_4_1_and_5_4_2_are_two_entries() -> None:
    """The two clauses run together on one line of the text are split into two entries."""
    registry = load_clause_registry()
    assert registry.get("5.4.1").text_zh != registry.get("5.4.2").text_zh
    assert "5.4.2" not in (registry.get("5.4.1").text_zh or "")


def test_standard_number_and_effective_date_are_unknown_not_invented() -> None:
    """The text gives neither a standard number nor an effective date, so both are None."""
    document = load_clause_registry().document
    assert document.standard_number is None
    assert document.effective_date is None
    assert document.title_zh == "辽宁省失业登记管理服务规范"
    assert document.proposer_zh == "辽宁省人力资源和社会保障厅"
    assert "辽宁省就业和人才服务中心" in document.drafters_zh


def test_4_1_2_chapeau_keeps_including_but_not_limited_to() -> None:
    """The 4.1.2 chapeau carries 包括但不限于, on which the needs_review outcome rests."""
    assert "包括但不限于" in (load_clause_registry().get("4.1.2").text_zh or "")


def test_unknown_id_error_is_a_key_error_listing_close_ids() -> None:
    """An unknown id raises a catchable KeyError subclass whose message names close ids."""
    with pytest.raises(KeyError) as info:
        load_clause_registry().get("4.5(16)")
    assert isinstance(info.value, UnknownClauseError)
    assert "4.5(16)" in str(info.value)
    assert "4.5(1)" in str(info.value)


def test_resolve_accepts_full_width_brackets_and_spaces() -> None:
    """resolve() normalises 4.1.2（５） and stray spaces to the registered id."""
    assert load_clause_registry().resolve(" 4.1.2（５） ").id == "4.1.2(5)"


def test_registry_is_not_read_at_import() -> None:
    """Importing the library reads no rule file: the rule book is loaded on first use."""
    code = (
        "import lnunemp_rules, lnunemp_rules.rulebook, lnunemp_rules.decide;"
        "from lnunemp_rules import state;"
        "assert not state._rule_books and not state._default_rule_book"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_shipped_registry_lints_clean() -> None:
    """The registry file in use has no problems."""
    assert lint_clause_registry(clause_registry_path()) == []


def test_lint_reports_duplicate_ids_and_missing_fields_with_lines(tmp_path: Path) -> None:
    """A duplicate id and a missing field are each reported with the file and line."""
    bad = tmp_path / "clauses.yaml"
    bad.write_text(
        "schema_version: 1\n"
        "document:\n"
        "  title_zh: t\n  title_en: t\n  proposer_zh: p\n  drafters_zh: [d]\n"
        "  standard_number: null\n  effective_date: null\n"
        "clauses:\n"
        '  - id: "4.5"\n    title_zh: a\n    title_en: a\n    text_zh: a\n    gloss_en: a\n'
        '  - id: "4.5"\n    title_zh: b\n    title_en: b\n    text_zh: b\n    gloss_en: b\n'
        '  - id: "4.5(1)"\n    title_zh: c\n    title_en: c\n    gloss_en: c\n',
        encoding="utf-8",
    )
    messages = [str(p) for p in lint_clause_registry(bad)]
    assert f"{bad}:15: duplicate id '4.5' (first at line 10)" in messages
    assert any(m.startswith(f"{bad}:20:") and "'text_zh'" in m for m in messages)
    with pytest.raises(RuleFileError):
        load_clause_registry(bad)


def test_lint_requires_the_unknown_metadata_fields_to_be_present(tmp_path: Path) -> None:
    """Dropping standard_number from the document block is a problem: unknown means null."""
    bad = tmp_path / "clauses.yaml"
    bad.write_text(
        "schema_version: 1\n"
        "document:\n  title_zh: t\n  title_en: t\n  proposer_zh: p\n  drafters_zh: [d]\n"
        "  effective_date: null\n"
        "clauses: []\n",
        encoding="utf-8",
    )
    assert any("standard_number" in p.message for p in lint_clause_registry(bad))


def test_entries_are_immutable() -> None:
    """A clause cannot be altered after loading, so a cached registry stays correct."""
    entry: Clause = load_clause_registry().get("4.5(13)")
    with pytest.raises(ValueError):
        entry.title_zh = "x"  # type: ignore[misc]
