"""Docs that stay true (issue 15, item 5): every fenced block of README.md, docs/*.md and
examples/README.md is run as a reader would run it, and compared with its output where the
document shows output (tests/docblocks.py says how each kind of block is treated; after a
change of output, ``python scripts/refresh_docs.py`` rewrites what the documents show)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from docblocks import (
    ROOT,
    Block,
    DocRun,
    blocks_of,
    commands,
    console,
    document_server,
    documents,
    json_subset,
    needs_server,
    text_matches,
)

pytestmark = pytest.mark.skipif(not (ROOT / "docs").is_dir(), reason="docs/ not in this checkout")

DOCS = [d for d in documents() if d.exists()]


def _tail(text: str, n: int = 12) -> str:
    return "\n".join(text.rstrip().splitlines()[-n:])


def run_block(run: DocRun, block: Block) -> list[str]:
    """The failures of one block (empty when it ran as the document says)."""
    where = block.where
    if block.ci:
        ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
        found = f"readme-cmd {block.ci})" in ci
        return [] if found else [f"{where}: ci:{block.ci} is not run by .ci/run"]
    if block.directive("not run") or _unmet(block):
        return []
    command = block.source(run.port)
    if command is not None:
        done = run.output_of(command)
        if done.returncode != 0:
            return [f"{where}: `{command}` exited {done.returncode}:\n{_tail(done.stderr)}"]
        shown = block.prepared(run.port)
        if block.lang == "json":
            problems = json_subset(json.loads(shown), json.loads(done.stdout))
            return [f"{where}: {p}" for p in problems]
        if text_matches(shown.splitlines(), done.stdout):
            return []
        return [f"{where}: the output of `{command}` is not what is shown:\n{_tail(done.stdout)}"]
    if block.lang == "sh":
        failures = []
        for command, code in commands(block.prepared(run.port)):
            done = run.shell(command)
            if done.returncode != code:
                failures.append(f"{where}: `{command}` exited {done.returncode}, not {code}:\n"
                                f"{_tail(done.stderr or done.stdout)}")  # fmt: skip
        return failures
    if block.lang == "console":
        failures = []
        for command, code, expected, _, _ in console(block.prepared(run.port)):
            done = run.shell(command)
            if done.returncode != code:
                failures.append(f"{where}: `{command}` exited {done.returncode}, not {code}:\n"
                                f"{_tail(done.stderr)}")  # fmt: skip
            elif not text_matches(expected, done.stdout):
                failures.append(f"{where}: `{command}` printed something else "
                                f"(scripts/refresh_docs.py):\n{_tail(done.stdout)}")  # fmt: skip
        return failures
    if block.lang == "python":
        try:
            run.run_python(block)
        except Exception as exc:
            return [f"{where}: {type(exc).__name__}: {exc}"]
        return []
    if block.lang == "yaml" and block.directive("rule-file"):
        return _rule_file(run, block)
    if block.lang == "yaml" and block.directive("fixture"):
        path = run.sandbox / f"fixture-{block.line}.yaml"
        path.write_text(block.prepared(), encoding="utf-8")
        done = run.shell(f"lnunemp-rules test {path}")
        return [] if done.returncode == 0 else [f"{where}: {_tail(done.stdout)}"]
    return [f"{where}: a ```{block.lang} block with no way to run it: give it a language that "
            "runs (sh, console, python) or <!-- docs-run: not run: REASON -->"]  # fmt: skip


def _unmet(block: Block) -> str | None:
    """Why a block that needs something this Python lacks is not run here, or None."""
    from lnunemp_rules import available_engines

    needs = block.directive("needs")
    if "durable" in needs and "durable" not in available_engines():
        return "needs durable_rules, which does not run on this Python"
    if "server" in needs and not all(importlib.util.find_spec(m) for m in ("fastapi", "uvicorn")):
        return "needs the server extra (the service step of .ci/run installs it)"
    return None


def _rule_file(run: DocRun, block: Block) -> list[str]:
    from lnunemp_rules import RuleFileError, load_rule_book
    from lnunemp_rules.rulebook.rules import load_rule_files

    book = load_rule_book()
    path = run.sandbox / f"rule-{block.line}.yaml"
    path.write_text(block.prepared(), encoding="utf-8")
    texts = {cid: c.text_zh for cid, c in book.clauses.entries.items() if c.text_zh}
    try:
        load_rule_files([(path, path.name)], book.catalogue, book.clauses.ids(), texts)
    except RuleFileError as exc:
        return [f"{block.where}: {p}" for p in exc.problems]
    return []


@pytest.mark.parametrize("doc", DOCS, ids=lambda d: str(d.relative_to(ROOT)))
def test_every_block_of_the_document_runs_as_shown(
    doc: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each block of the document, in order, in a sandbox: commands exit as the document says,
    shown outputs are what the commands print, Python snippets run and their shown values
    hold, and every block that is not run says why."""
    failures: list[str] = []
    if needs_server(doc):
        pytest.importorskip("fastapi", reason="the server extra is not installed")
        pytest.importorskip("httpx", reason="httpx (service-test extra) is not installed")
    with document_server(doc, tmp_path) as port:
        run = DocRun(doc, tmp_path, port)
        for block in blocks_of(doc):
            failures += run_block(run, block)
    with capsys.disabled():
        for block in blocks_of(doc):
            for reason in [*block.directive("not run"), _unmet(block)]:
                if reason:
                    print(f"\n  not run: {block.where}: {reason}", end="")
    assert not failures, "\n\n".join(failures)


def test_every_block_is_run_or_says_why() -> None:
    """No block of any document is left out silently: each runs, is compared, or carries a
    reason for not being run."""
    silent = []
    for doc in DOCS:
        for block in blocks_of(doc):
            runs = block.lang in ("sh", "console", "python") or block.ci
            compared = block.directive("output of")
            checked = block.lang == "yaml" and (block.directive("rule-file")
                                                or block.directive("fixture"))  # fmt: skip
            reason = block.directive("not run")
            if not (runs or compared or checked or reason):
                silent.append(block.where)
    assert not silent, "blocks with no way to run them: " + ", ".join(silent)


def test_the_matcher_can_fail() -> None:
    """The output comparison rejects a wrong line, a missing line and a wrong JSON value, and
    accepts ``...`` elisions (so a test through it can fail)."""
    assert text_matches(["a", "...", "z"], "a\nb\nc\nz\n")
    assert text_matches(["a ..."], "abc\n")
    assert not text_matches(["a", "z"], "a\nb\nz\n")
    assert not text_matches(["a", "b"], "a\n")
    assert json_subset({"a": [1, "...", 3]}, {"a": [1, 2, 3], "b": 0}) == []
    assert json_subset({"a": 2}, {"a": 3}) != []
    assert json_subset({"a": [3, 1]}, {"a": [1, 2, 3]}) != []
    assert list(commands("x \\\n  --y 1   # exit 1: why\n# only a comment\n")) == [("x --y 1", 1)]
    assert [c[:3] for c in console("$ a\nout\n...\n$ b  # exit 2\n")] == [
        ("a", 0, ["out", "..."]),
        ("b", 2, []),
    ]
