"""Rewrite the outputs that README.md, docs/*.md and examples/README.md show, from real runs.

After a change that alters output on purpose (new explanation texts, a rules change that moves
the digest), run ``python scripts/refresh_docs.py`` from the repository root, then read
``git diff docs README.md`` before committing. What it rewrites (tests/docblocks.py):

- the output lines of each ``$ command`` in a ``console`` block, keeping the document's
  ``...`` elisions (the lines before and after them are taken from the head and tail of the
  real output);
- a text block after ``<!-- docs-run: output of: COMMAND -->`` in the same way;
- in a JSON block after ``output of``, each value that differs from the real one at the same
  place (the shortened shape and the layout stay as written).

Commands run in a sandbox exactly as ``tests/test_docs_run.py`` runs them; a document with
``<!-- docs-run: serve -->`` gets a server. ``--check`` only lists what would change (exit 1
if anything would).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from docblocks import (
    ROOT,
    Block,
    DocRun,
    blocks_of,
    commands,
    console,
    document_server,
    documents,
    refreshed,
)


def _json_changes(shown: Any, real: Any, out: list[tuple[str, Any, Any]]) -> None:
    """The (key, shown, real) values of an object that differ at the same place."""
    if isinstance(shown, dict) and isinstance(real, dict):
        for key, value in shown.items():
            if key == "..." or key not in real:
                continue
            if isinstance(value, (dict, list)):
                _json_changes(value, real[key], out)
            elif value != real[key] and value != "..." and not isinstance(real[key], (dict, list)):
                out.append((key, value, real[key]))
    elif isinstance(shown, list) and isinstance(real, list):
        keys = ("rule_id", "fact", "id", "condition", "date")
        for item in shown:
            if isinstance(item, dict):
                ident = next(((k, item[k]) for k in keys if k in item), None)
                match = next((r for r in real if isinstance(r, dict) and ident
                              and r.get(ident[0]) == ident[1]), None)  # fmt: skip
                if match is not None:
                    _json_changes(item, match, out)


def _replace_value(text: str, key: str, old: Any, new: Any) -> str:
    """``"key": old`` made ``"key": new`` in the JSON text, wherever the layout puts it."""
    dumped_key = re.escape(json.dumps(key, ensure_ascii=False))
    pattern = re.compile(rf"({dumped_key}\s*:\s*){re.escape(json.dumps(old, ensure_ascii=False))}"
                         r"(?=\s*[,}\]]|\s*$)")  # fmt: skip
    replacement = json.dumps(new, ensure_ascii=False)
    return pattern.sub(lambda m: m.group(1) + replacement, text)


def _new_text(run: DocRun, block: Block) -> str | None:
    """The block's text with its outputs refreshed, or None if it shows no output."""
    if block.directive("not run") or block.ci:
        return None
    command = block.source(run.port)
    if command is not None:
        done = run.output_of(command)
        if block.lang == "json":
            changes: list[tuple[str, Any, Any]] = []
            _json_changes(json.loads(block.prepared(run.port)), json.loads(done.stdout), changes)
            text = block.text
            for key, old, new in changes:
                text = _replace_value(text, key, old, new)
            return text
        return "\n".join(refreshed(block.text.splitlines(), done.stdout))
    if block.lang == "console":
        lines = block.text.splitlines()
        prepared = block.prepared(run.port).splitlines()
        pieces: list[str] = []
        last = 0
        for command, _, expected, start, end in console("\n".join(prepared)):
            done = run.shell(command)
            pieces += lines[last:start]
            pieces += refreshed(expected, done.stdout)
            last = end
        pieces += lines[last:]
        return "\n".join(pieces)
    if block.lang == "sh":
        for command, _ in commands(block.prepared(run.port)):
            run.shell(command)  # later blocks may need what it makes
    elif block.lang == "python":
        run.run_python(block)
    return None


def refresh(doc: Path, check: bool) -> bool:
    """Refresh one document; whether anything changed (or would)."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    changed = False
    with tempfile.TemporaryDirectory() as tmp, document_server(doc, Path(tmp)) as port:
        run = DocRun(doc, Path(tmp), port)
        edits = []
        for block in blocks_of(doc):
            text = _new_text(run, block)
            if text is not None and text != block.text:
                edits.append((block, text))
    for block, text in reversed(edits):
        print(f"{block.where}: output {'would change' if check else 'refreshed'}")
        lines[block.line : block.end - 1] = text.splitlines()
        changed = True
    if changed and not check:
        doc.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("docs", nargs="*", type=Path, help="documents (default: all)")
    parser.add_argument("--check", action="store_true", help="only list what would change")
    args = parser.parse_args()
    chosen = [d.resolve() for d in args.docs] or [d for d in documents() if d.exists()]
    changed = [refresh(doc, args.check) for doc in chosen]
    print(f"{sum(changed)} of {len(chosen)} document(s) {'differ' if args.check else 'changed'}"
          f" ({ROOT})")  # fmt: skip
    return 1 if args.check and any(changed) else 0


if __name__ == "__main__":
    sys.exit(main())
