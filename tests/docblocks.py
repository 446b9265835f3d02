"""The fenced blocks of README.md, docs/*.md and examples/README.md, run as a reader would run
them (tests/test_docs_run.py) and their shown output refreshed (scripts/refresh_docs.py).

How a block is treated, by its language and the ``<!-- docs-run: ... -->`` comments on the
lines right above its opening fence (docs/cli.md, "Docs that stay true"):

- ``sh``: each command is run with bash in the document's sandbox (a temporary folder with
  the repository's examples/, tests/, rules/, benchmarks/, scripts/ and src/ linked in), in
  order; it must exit 0, or N when its line ends with ``# exit N``.
- ``console``: ``$ command`` lines are run the same way; the lines after one are its expected
  standard output. A line ``...`` stands for any lines; a line ending in `` ...`` for any line
  that starts with the text before it.
- ``python``: executed in the sandbox; a top-level line ``expression  # value`` checks that
  ``repr(expression)`` starts the comment.
- ``json`` or a plain block after ``<!-- docs-run: output of: COMMAND -->``: COMMAND is run
  and the block compared with its output: JSON as a subset (every key shown has the value
  shown; a list shown is a subsequence; ``"..."`` matches anything), text as a console block.
- ``yaml`` after ``<!-- docs-run: rule-file -->`` is loaded as a rule file against the rules'
  facts and clauses; after ``<!-- docs-run: fixture -->`` it is run as a fixture file.
- ``<!-- docs-run: replace: OLD => NEW -->`` changes the block's text before it is run (a
  million records become two thousand; the comment says so where the reader sees it).
- ``<!-- docs-run: not run: REASON -->``: not run, and the reason is reported.
- ``<!-- ci:NAME -->`` (README): run by .ci/run through .ci/readme-cmd, not here.
- A document holding ``<!-- docs-run: serve -->`` gets a ``lnunemp-rules serve`` on a free
  port for its blocks; ``127.0.0.1:8000`` in its commands and outputs means that port.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ROOT", "Block", "DocRun", "blocks_of", "commands", "console", "document_server",
           "documents", "json_subset", "needs_server", "refreshed", "text_matches"]  # fmt: skip

ROOT = Path(__file__).resolve().parent.parent
_MARK = re.compile(r"<!--\s*docs-run:\s*(.*?)\s*-->")
_CI = re.compile(r"<!--\s*ci:(\S+)\s*-->")
_EXIT = re.compile(r"\s#\s*exit (\d+)\b.*$")
_COMMENT = re.compile(r"\s+#(\s.*)?$")
LINKED = ("examples", "tests", "rules", "benchmarks", "scripts", "src", "pyproject.toml")


def documents() -> list[Path]:
    """The documents whose blocks are run: README.md, docs/*.md, examples/README.md."""
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")),
            ROOT / "examples" / "README.md"]  # fmt: skip


@dataclass
class Block:
    """One fenced block and the directives above it."""

    doc: Path
    line: int  # of the opening fence, 1-based
    lang: str
    text: str
    end: int  # line of the closing fence
    directives: list[str] = field(default_factory=list)
    ci: str | None = None

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(ROOT)}:{self.line}"

    def directive(self, name: str) -> list[str]:
        """The values of the directives ``name: value`` (or ``[""]`` for a bare ``name``)."""
        found = []
        for d in self.directives:
            key, _, value = d.partition(":")
            if key.strip() == name:
                found.append(value.strip())
        return found

    def source(self, port: int | None = None) -> str | None:
        """The command of an ``output of`` directive, with the block's replacements made."""
        found = self.directive("output of")
        if not found:
            return None
        return Block(self.doc, self.line, "", found[0], 0, self.directives).prepared(port)

    def prepared(self, port: int | None = None) -> str:
        """The text with its replacements made (and the server's port)."""
        text = self.text
        for rule in self.directive("replace"):
            old, _, new = rule.partition("=>")
            text = text.replace(old.strip(), new.strip())
        if port is not None:
            text = text.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
        return text


def blocks_of(doc: Path) -> list[Block]:
    """Every fenced block of ``doc``."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    out: list[Block] = []
    i = 0
    while i < len(lines):
        opening = re.match(r"^(```+)(\S*)\s*$", lines[i])
        if not opening:
            i += 1
            continue
        fence, lang = opening.groups()
        directives, ci, k = [], None, i - 1
        while k >= 0 and lines[k].strip().startswith("<!--"):
            mark, ci_mark = _MARK.search(lines[k]), _CI.search(lines[k])
            if mark:
                directives.insert(0, mark.group(1))
            if ci_mark:
                ci = ci_mark.group(1)
            k -= 1
        j = i + 1
        while j < len(lines) and lines[j].rstrip() != fence:
            j += 1
        out.append(Block(doc, i + 1, lang, "\n".join(lines[i + 1 : j]), j + 1, directives, ci))
        i = j + 1
    return out


def commands(text: str) -> Iterator[tuple[str, int]]:
    """The commands of a shell block (continuations joined, comments dropped) and the exit
    code each must give."""
    joined: list[str] = []
    for raw in text.splitlines():
        if joined and joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1].rstrip() + " " + raw.strip()
        else:
            joined.append(raw)
    for line in joined:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        code = _EXIT.search(stripped)
        yield _COMMENT.sub("", stripped), int(code.group(1)) if code else 0


def console(text: str) -> Iterator[tuple[str, int, list[str], int, int]]:
    """Each ``$ command`` of a console block: the command, its exit code, the expected lines,
    and the block-relative line range of those lines."""
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if not lines[i].startswith("$ "):
            i += 1
            continue
        command = lines[i][2:]
        while command.endswith("\\") and i + 1 < len(lines):
            i += 1
            command = command[:-1].rstrip() + " " + lines[i].strip()
        start = i + 1
        j = start
        while j < len(lines) and not lines[j].startswith("$ "):
            j += 1
        code = _EXIT.search(command)
        yield _COMMENT.sub("", command), int(code.group(1)) if code else 0, lines[start:j], \
            start, j  # fmt: skip
        i = j


def _pattern(expected: list[str]) -> re.Pattern[str]:
    parts = []
    for line in expected:
        line = line.rstrip()
        if line.strip() == "...":
            parts.append(r"(?:[^\n]*\n)*?")
        elif line.endswith(" ..."):
            parts.append(re.escape(line[:-4]) + r"[^\n]*\n")
        else:
            parts.append(re.escape(line) + r"[ \t]*\n")
    return re.compile("".join(parts))


def text_matches(expected: list[str], actual: str) -> bool:
    """Whether ``actual`` is what the ``expected`` lines show (with their ``...``)."""
    while expected and not expected[-1].strip():
        expected = expected[:-1]
    lines = actual.rstrip("\n").splitlines()
    text = "".join(line.rstrip() + "\n" for line in lines)
    return _pattern(expected).fullmatch(text) is not None


def refreshed(expected: list[str], actual: str) -> list[str]:
    """``expected`` rewritten from ``actual``, keeping its ``...`` elision (the lines before
    the first and after the last elision are taken from the head and tail of ``actual``; the
    lines between are left out) and each line ``X ...`` whose real line still starts with X."""
    real = actual.rstrip("\n").splitlines()

    def keep(shown: str, line: str) -> str:
        return shown if shown.endswith(" ...") and line.startswith(shown[:-4]) else line

    marks = [i for i, line in enumerate(expected) if line.strip() == "..."]
    if not marks:
        if len(expected) == len(real):
            return [keep(e, r) for e, r in zip(expected, real, strict=True)]
        return real
    head, tail = marks[0], len(expected) - marks[-1] - 1
    if head + tail > len(real):
        return real
    heads = [keep(e, r) for e, r in zip(expected[:head], real[:head], strict=True)]
    tails = (
        [
            keep(e, r)
            for e, r in zip(expected[len(expected) - tail :], real[len(real) - tail :], strict=True)
        ]
        if tail
        else []
    )
    return [*heads, expected[marks[0]], *tails]


def json_subset(shown: Any, real: Any) -> list[str]:
    """Where ``shown`` is not a subset of ``real`` (empty when it is)."""
    if shown == "..." or (isinstance(shown, str) and shown.startswith("... ")):
        return []
    if isinstance(shown, dict):
        if not isinstance(real, dict):
            return [f"expected an object, got {real!r:.80}"]
        found: list[str] = []
        for key, value in shown.items():
            if key == "...":
                continue
            if key not in real:
                found.append(f"key {key!r} is not in the output")
            else:
                found += [f"{key}.{p}" for p in json_subset(value, real[key])]
        return found
    if isinstance(shown, list):
        if not isinstance(real, list):
            return [f"expected a list, got {real!r:.80}"]
        position = 0
        for item in shown:
            if item == "..." or (isinstance(item, str) and item.startswith("... ")):
                continue
            while position < len(real) and json_subset(item, real[position]):
                position += 1
            if position == len(real):
                return [f"list item {json.dumps(item, ensure_ascii=False):.120} is not in the "
                        "output (in this order)"]  # fmt: skip
            position += 1
        return []
    return [] if shown == real else [f"shown {shown!r:.80}, output {real!r:.80}"]


def needs_server(doc: Path) -> bool:
    """Whether the document's blocks call a running ``lnunemp-rules serve``."""
    return "<!-- docs-run: serve -->" in doc.read_text(encoding="utf-8")


@contextlib.contextmanager
def document_server(doc: Path, sandbox: Path) -> Iterator[int | None]:
    """A server for the document if it needs one (its port), else None."""
    if not needs_server(doc):
        yield None
        return
    from served import serving

    with serving(sandbox) as server:
        yield server.port


class DocRun:
    """Runs one document's blocks in its own sandbox, in order."""

    def __init__(self, doc: Path, sandbox: Path, port: int | None = None) -> None:
        self.doc = doc
        self.sandbox = sandbox
        self.port = port
        for name in LINKED:
            target = sandbox / name
            if not target.exists() and (ROOT / name).exists():
                target.symlink_to(ROOT / name)
        bin_dir = str(Path(sys.executable).parent)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("LNUNEMP_")}
        self.env["PATH"] = bin_dir + os.pathsep + self.env.get("PATH", "")
        self.env["PYTHONIOENCODING"] = "utf-8"
        self.env["COLUMNS"] = "100"
        self.namespace: dict[str, Any] = {}

    def shell(self, command: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["bash", "-o", "pipefail", "-c", command], cwd=self.sandbox,
                              env=self.env, capture_output=True, text=True, timeout=timeout,
                              check=False)  # fmt: skip

    def output_of(self, command: str) -> subprocess.CompletedProcess[str]:
        """The result of ``command``: a shell command, or ``python: EXPRESSION`` evaluated
        in the namespace of the document's Python blocks (its ``str`` is the output)."""
        if command.startswith("python:"):
            with _cwd(self.sandbox):
                value = eval(command[len("python:") :].strip(), self.namespace)
            return subprocess.CompletedProcess(command, 0, str(value), "")
        return self.shell(command)

    def run_python(self, block: Block) -> None:
        checked: list[str] = []
        for line in block.prepared(self.port).splitlines():
            match = re.match(r"^(\S.*?)\s+#\s+(.+)$", line)
            if match and _is_expression(match.group(1)):
                checked.append(f"__check__({match.group(1)}, {match.group(2)!r}, {line!r})")
            else:
                checked.append(line)

        def check(value: Any, comment: str, line: str) -> None:
            assert comment.startswith(repr(value)), f"{line}: the value is {value!r}"

        self.namespace["__check__"] = check
        with _cwd(self.sandbox):
            exec(compile("\n".join(checked), block.where, "exec"), self.namespace)


def _is_expression(code: str) -> bool:
    try:
        compile(code, "<doc>", "eval")
    except SyntaxError:
        return False
    return True


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    before = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)
