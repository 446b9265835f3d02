"""The rule book is read with libyaml's parser where PyYAML has it (the first decision's
latency); it must read every rule file exactly as the pure-Python parser does, line numbers
included, and report a broken file on the same line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from lnunemp_rules.rulebook.folder import rules_dir
from lnunemp_rules.rulebook.yamlfile import SAFE_LOADER, LineDict, LineList, _line_loader

pytestmark = pytest.mark.skipif(
    SAFE_LOADER is yaml.SafeLoader, reason="PyYAML without libyaml: only one parser to compare"
)
_C = _line_loader(SAFE_LOADER)
_PURE = _line_loader(yaml.SafeLoader)


def _with_lines(value: Any) -> Any:
    """The value with every mapping's and sequence's line numbers made part of it."""
    if isinstance(value, LineDict):
        items = {k: _with_lines(v) for k, v in value.items()}
        return ("map", value.line, dict(value.key_lines), items)
    if isinstance(value, LineList):
        return ("seq", value.line, [_with_lines(v) for v in value])
    return (type(value).__name__, value)


@pytest.mark.parametrize(
    "path", sorted(rules_dir().rglob("*.yaml")), ids=lambda p: p.relative_to(rules_dir()).as_posix()
)
def test_both_parsers_read_each_rule_file_alike(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = yaml.load(text, Loader=_C)
    assert _with_lines(fast) == _with_lines(yaml.load(text, Loader=_PURE))
    assert isinstance(fast, LineDict) and fast.line is not None  # lines were kept


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\nb: [1, 2\nc: 3\n",
        "a: 1\n  b: 2\n",
        "a:\n  - 1\n - 2\n",
        "when: {x: 1}\nday: 2026-02-30\n",
        'a: "unterminated\nb: 2\n',
    ],
)
def test_both_parsers_report_a_broken_file_on_the_same_line(text: str) -> None:
    lines = []
    for loader in (_C, _PURE):
        with pytest.raises(yaml.MarkedYAMLError) as caught:
            yaml.load(text, Loader=loader)
        assert caught.value.problem_mark is not None
        lines.append(caught.value.problem_mark.line)
    assert lines[0] == lines[1]
