"""The Chinese explanation excerpts in README.md and docs/cli.md are what the command prints
(issue 13): every line of an excerpt is a line of the real output, in the same order; a line
``……`` stands for lines left out."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from lnunemp_rules import assess_deregistration

ROOT = Path(__file__).resolve().parent.parent
_BLOCK = re.compile(r"```text\n(失业登记动态管理（注销审查）决定\n.*?)```", re.S)


def _review_explanation() -> list[str]:
    registrant = json.loads((ROOT / "examples" / "review.json").read_text(encoding="utf-8"))
    return assess_deregistration(registrant, as_of="2026-11-28").explain("zh").splitlines()


def _in_order(excerpt: list[str], output: list[str]) -> list[str]:
    """The lines of ``excerpt`` not found in ``output`` after the previous one found."""
    position, absent = 0, []
    for line in excerpt:
        if line.strip() == "……":
            continue
        try:
            position = output.index(line, position) + 1
        except ValueError:
            absent.append(line)
    return absent


def test_the_check_sees_a_line_that_is_not_printed() -> None:
    assert _in_order(["结论：继续保持失业登记", "结论：注销失业登记"],
                     ["结论：继续保持失业登记"]) == ["结论：注销失业登记"]  # fmt: skip
    assert _in_order(["b", "a"], ["a", "b"]) == ["a"]


@pytest.mark.parametrize("page", ["README.md", "docs/cli.md"])
def test_the_chinese_excerpt_is_what_explain_prints(page: str) -> None:
    blocks = _BLOCK.findall((ROOT / page).read_text(encoding="utf-8"))
    assert blocks, f"{page} has no Chinese review excerpt"
    output = _review_explanation()
    for block in blocks:
        assert _in_order(block.splitlines(), output) == []
