"""Rule files that refuse typos (issue 11, item 6): each corruption of a shipped rule, fact,
parameter, calendar or manifest file is refused, with its file and line, by ``lint`` and by
the rule book itself -- never read into a changed decision.

The table holds the 31 corruptions the adversarial test found accepted or refused without a
line, and more of the same kinds; each is one textual edit of a copy of ``rules/``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from lnunemp_rules.errors import RuleFileError
from lnunemp_rules.rulebook.book import read_rule_book
from lnunemp_rules.rulebook.folder import rules_dir
from lnunemp_rules.rulebook.lint import lint_rules_folder


@dataclass(frozen=True)
class Corruption:
    """Replace ``old`` (which must occur) by ``new`` in ``file``; expect ``words`` on ``line``
    (the line of the corruption in the edited file, or None: any line)."""

    file: str
    old: str
    new: str
    words: str
    line: int | None = None
    count: int = 1  # the occurrence to replace (1: the first)


def _add(file: str, text: str, words: str) -> Corruption:
    """A new file ``file`` holding ``text``."""
    return Corruption(file, "", text, words)


BASE = "registration/base.yaml"
TRIGGERS = "review/triggers.yaml"
WAGE = "parameters/minimum_wage.yaml"
REVIEW = "parameters/review.yaml"
RETIRE = "parameters/retirement_age.yaml"
PERIODS = "parameters/periods.yaml"
CALENDAR_2027 = """year: 2027
notice: {number: 国办发明电〔2026〕99号, issued: 2026-11-20, title: 通知, source: https://example.org}
holidays: []
make_up_working_days: []
"""

CORRUPTIONS: dict[str, Corruption] = {
    # -- the adversarial test's findings ---------------------------------------------------
    "a second effect key in a rule (last wins: ineligible becomes eligible)": Corruption(
        BASE, "    effect: bar\n    subject: application\n    clause: \"4.1.1\"",
        "    effect: bar\n    subject: application\n    effect: category\n    clause: \"4.1.1\"",
        "duplicate key 'effect' (first on line 10)", 12),
    "a duplicate tier key (tier 1 set to 9,999)": Corruption(
        WAGE, "tiers: {1: 2230, 2: 2080", "tiers: {1: 2230, 1: 9999, 2: 2080",
        "duplicate key '1'"),
    "a minimum wage of true (1 yuan)": Corruption(
        WAGE, "{1: 2230,", "{1: true,", "valid integer"),
    "a contact event type misspelt": Corruption(
        REVIEW, "[contact, refusal]", "[contact, refusall]", "'refusall' is not an event type",
        14),
    "no contact event at all": Corruption(
        REVIEW, "[contact, refusal]", "[]", "a non-empty list of event types", 14),
    "a refusal window of 0 months": Corruption(
        REVIEW, "  window: registration\n", "  window: {months: 0}\n",
        "refusal_counting.window: {'months': 0}; accepted: 'registration'", 29),
    "a refusal window in years": Corruption(
        REVIEW, "  window: registration\n", "  window: {years: 1}\n",
        "or {months: N}, a whole number of months from 1 to 120", 29),
    "a rule id with ;": Corruption(BASE, "id: bar.not-voluntary", "id: bar.not;voluntary",
                                   "accepted: lowercase", 9),
    "a rule id with @": Corruption(BASE, "id: bar.not-voluntary", "id: bar@not-voluntary",
                                   "accepted: lowercase", 9),
    "the durable engine's reserved session id": Corruption(
        BASE, "id: bar.not-voluntary", "id: lnunemp:session-open", "accepted: lowercase", 9),
    "the library's reserved rule id": Corruption(
        BASE, "id: bar.not-voluntary", "id: policy.outside-categories", "reserved", 9),
    "a contact lapse of 100,000 months": Corruption(
        REVIEW, "  value: 6", "  value: 100000", "contact_lapse_months: 100000", 7),
    "a rule file named .yml (not loaded, yet in the digest)": _add(
        "registration/extra.yml", "ruleset: registration\nrules: []\n", "rename it to .yaml"),
    "a .nan value compared with a number fact": Corruption(
        TRIGGERS, "op: \">=\", ref: minimum_wage}", "op: \">=\", value: .nan}",
        "not a finite number"),
    "a review file declaring the registration ruleset": Corruption(
        TRIGGERS, "ruleset: review", "ruleset: registration", "in the folder review/", 4),
    "missing: naming no field": Corruption(
        BASE, "missing: [applicant.habitual_urban_resident]",
        "missing: [applicant.habitual_urban]", "is not an input of registration"),
    "a clause id not in the registry (minimum wage)": Corruption(
        WAGE, 'clause_ids: ["4.5(3)", liaoning-minimum-wage]',
        'clause_ids: ["4.5(3)", liaoning-minimum-wages]', "not in the clause registry"),
    "an empty 2027 holiday list": _add("calendar/2027.yaml", CALENDAR_2027, "'holidays' is empty"),
    "a retirement age of 6": Corruption(
        RETIRE, "base_age_years: 60 ", "base_age_years: 6 ", "greater than or equal to 40"),
    "a fact given twice in facts.yaml": Corruption(
        "facts.yaml", "      hukou:\n", "      voluntary:\n        type: int\n      hukou:\n",
        "duplicate key 'voluntary'"),
    # -- the same kinds, further -------------------------------------------------------------
    "a minimum wage of 22,300 (a digit too many)": Corruption(
        WAGE, "{1: 2230,", "{1: 22300,", "must lie between 500 and 10000"),
    "a minimum wage written as text": Corruption(
        WAGE, "{1: 2230,", "{1: \"2230\",", "valid integer"),
    "an hourly amount of .nan": Corruption(
        WAGE, "hourly: {1: 22,", "hourly: {1: .nan,", "valid integer"),
    "an effective date that is not a date": Corruption(
        WAGE, "effective_from: 2025-12-01", "effective_from: 2025-12", "valid date"),
    "a contact lapse of true": Corruption(
        REVIEW, "  value: 6", "  value: true", "contact_lapse_months: True", 7),
    "a contact lapse written as text": Corruption(
        REVIEW, "  value: 6", "  value: \"6\"", "contact_lapse_months: '6'", 7),
    "a misspelt review parameter": Corruption(
        REVIEW, "contact_lapse_months:", "contact_lapse_month:", "unknown parameter", 6),
    "a delay cap of 1,000 months": Corruption(
        RETIRE, "max_delay_months: 36 ", "max_delay_months: 1000 ",
        "less than or equal to 120"),
    "birth months per month of delay given as true": Corruption(
        RETIRE, "birth_months_per_delay_month: 4 ", "birth_months_per_delay_month: true ",
        "valid integer"),
    "the retirement decision's clause id misspelt": Corruption(
        RETIRE, "clause_id: npc-2024-retirement-decision",
        "clause_id: npc-2024-retirement-decisions", "not in the clause registry"),
    "100 working days online": Corruption(
        PERIODS, "online_processing_working_days:\n  value: 3",
        "online_processing_working_days:\n  value: 100", "from 1 to 30"),
    "an art. 203 extension of yes (YAML 1.1 would read true)": Corruption(
        PERIODS, "art203_extension:\n  value: true", "art203_extension:\n  value: yes",
        "art203_extension: 'yes'"),
    "a rule value true for a whole-number fact": Corruption(
        BASE, "value: 16}", "value: true}", "not a whole number", 65),
    "a rule value of ten billion": Corruption(
        BASE, "value: 16}", "value: 10000000000}", "not a whole number", 65),
    "an unknown fact": Corruption(BASE, "{fact: voluntary,", "{fact: volontary,",
                                  "unknown fact 'volontary'", 14),
    "an enum value misspelt": Corruption(
        BASE, "value: tier_decides}", "value: tier_decide}", "not one of", 152),
    "an unknown rule key": Corruption(
        BASE, "    reason_zh: 申请人未表示", "    reasons_zh: 申请人未表示", "unknown rule keys"),
    "a duplicate rule id": Corruption(
        BASE, "id: bar.not-habitual-urban-resident", "id: bar.not-voluntary",
        "duplicate rule id bar.not-voluntary"),
    "an unknown parameter file": _add("parameters/review_extra.yaml", "x: 1\n",
                                      "does not read"),
    "an unknown fact type": Corruption(
        "facts.yaml", "      voluntary:\n        type: bool",
        "      voluntary:\n        type: boolean", "type must be one of"),
    "a misspelt key of a fact": Corruption(
        "facts.yaml", "      voluntary:\n        type: bool",
        "      voluntary:\n        type: bool\n        value: [true]", "unknown keys value"),
    "a make-up working day on a weekday": _add(
        "calendar/2027.yaml", CALENDAR_2027.replace("holidays: []", "holidays: [{date: "
        "2027-01-01, name: New Year}]").replace("make_up_working_days: []",
        "make_up_working_days: [{date: 2027-01-05}]"), "is a weekday"),
    "no rules version": Corruption(
        "manifest.yaml", 'rules_version: "2026.12.01.6"', "rules_versions: 2026.12.01.6",
        "rules_version: accepted"),
    "an alias bomb in a rule value": Corruption(
        BASE, "ruleset: registration",
        "ruleset: registration\nx: &a [1,1,1,1,1,1,1,1,1,1]\n" + "".join(
            f"x{n}: &a{n} [{', '.join([f'*a{n - 1}' if n > 1 else '*a'] * 10)}]\n"
            for n in range(1, 7)), "expands to more than"),
    "a province code of one digit": Corruption(
        "parameters/province.yaml", 'value: "21"', 'value: "2"', "2-digit province prefix"),
}  # fmt: skip


def _corrupt(folder: Path, corruption: Corruption) -> Path:
    path = folder / corruption.file
    if corruption.old == "":
        path.write_text(corruption.new, encoding="utf-8")
        return path
    text = path.read_text(encoding="utf-8")
    assert corruption.old in text, f"the shipped {corruption.file} changed: update this test"
    path.write_text(text.replace(corruption.old, corruption.new, 1), encoding="utf-8")
    return path


def _load_everything(folder: Path) -> None:
    """What a decision reads of the folder, the lazily read tables included."""
    book = read_rule_book(folder)
    for name in ("period_conventions", "retirement", "minimum_wages", "calendar"):
        getattr(book.tables, name)


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("shipped") / "rules"
    shutil.copytree(rules_dir(), folder)
    return folder


def test_the_shipped_rules_have_no_problem(shipped: Path) -> None:
    """The oracle of every case below: the unedited folder lints clean and loads."""
    assert lint_rules_folder(shipped) == []
    _load_everything(shipped)


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_a_corruption_is_refused_with_its_file_and_line(
    name: str, shipped: Path, tmp_path: Path
) -> None:
    """lint names the corrupted file with a line and says what is wrong; loading the rule
    book (as any decision does) refuses the folder."""
    corruption = CORRUPTIONS[name]
    folder = tmp_path / "rules"
    shutil.copytree(shipped, folder)
    _corrupt(folder, corruption)
    problems = lint_rules_folder(folder)
    mine = [p for p in problems if Path(p.file).as_posix().endswith(corruption.file)]
    assert mine, f"{name}: no problem reported in {corruption.file}: {problems}"
    matching = [p for p in mine if corruption.words in p.message]
    assert matching, f"{name}: {[str(p) for p in mine]}"
    assert all(p.line is not None for p in problems), [str(p) for p in problems]
    if corruption.line is not None:
        assert any(p.line == corruption.line for p in matching), [str(p) for p in matching]
    with pytest.raises(RuleFileError):
        _load_everything(folder)


def test_there_are_at_least_the_31_corruptions_of_the_issue() -> None:
    """The table is not allowed to shrink below what the issue asks for."""
    assert len(CORRUPTIONS) >= 31
