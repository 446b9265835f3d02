"""An explanation's document as plain text, Markdown or a self-contained HTML page.

Personal data (standard 4.3.1): when the raw ID number or name is known but not to be shown
(:class:`~.document.Personal`), any accidental occurrence in the output is masked as a last
line of defence.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from typing import Any, Literal

from ..rulebook.clauses import ClauseRegistry
from .document import Document, Lang, Personal, build_document

__all__ = ["Format", "render", "render_html", "render_markdown", "render_text"]

Format = Literal["text", "md", "html"]


def _scrub(text: str, doc: Document) -> str:
    for raw, masked in doc.secrets:
        text = text.replace(raw, masked)
    return text


def render_text(doc: Document) -> str:
    """Plain text (the form of ``Decision.explain``)."""
    sep = "：" if doc.lang == "zh" else ": "
    lines = [f"{k}{sep}{v}" for k, v in doc.summary]
    for section in doc.sections:
        lines.append(section.title + ("：" if doc.lang == "zh" else ":"))
        for b in section.blocks:
            if b.kind == "para":
                lines.append("  " + b.text)
            elif b.kind == "list":
                for item in b.items:
                    first, *rest = item.split("\n")
                    lines.append("  - " + first)
                    lines += ["    " + r for r in rest]
            elif b.kind == "table":
                lines += ["    " + "  ".join(row) for row in b.rows]
            else:
                lines += ["  " + t for t in b.text.splitlines()]
    return _scrub("\n".join(lines), doc)


def _md_escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for ch in "|*_`[]<>#":
        out = out.replace(ch, "\\" + ch)
    return out


def render_markdown(doc: Document) -> str:
    """GitHub-flavoured Markdown; every value escaped."""
    lines = [f"# {_md_escape(doc.title)}", ""]
    lines += [f"- **{_md_escape(k)}**: {_md_escape(v)}" for k, v in doc.summary]
    for section in doc.sections:
        lines += ["", f"## {_md_escape(section.title)}", ""]
        for b in section.blocks:
            if b.kind == "para":
                lines += [_md_escape(b.text), ""]
            elif b.kind == "list":
                for item in b.items:
                    first, *rest = item.split("\n")
                    lines.append("- " + _md_escape(first))
                    lines += ["  " + _md_escape(r.strip()) for r in rest]
            elif b.kind == "table":
                lines.append("| " + " | ".join(map(_md_escape, b.header)) + " |")
                lines.append("|" + "---|" * len(b.header))
                lines += ["| " + " | ".join(map(_md_escape, row)) + " |" for row in b.rows]
                lines.append("")
            else:
                lines += ["```", b.text, "```"]
    return _scrub("\n".join(lines).rstrip() + "\n", doc)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a;line-height:1.5}
h1{font-size:1.5rem;border-bottom:2px solid #444}h2{font-size:1.15rem;margin-top:1.6rem}
dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dl.summary dt{font-weight:600}table{border-collapse:collapse;font-size:.9rem}
td,th{border:1px solid #bbb;padding:.2rem .5rem;text-align:left;vertical-align:top}
li{margin:.2rem 0;white-space:pre-wrap}p.note{color:#555;font-size:.9rem}
"""


def render_html(doc: Document) -> str:
    """A self-contained HTML page: inline CSS, no scripts, no external assets, all escaped."""

    def e(text: str) -> str:
        return html.escape(_scrub(text, doc), quote=True)

    lang = "zh-CN" if doc.lang == "zh" else "en"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{e(doc.title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(doc.title)}</h1>",
        '<dl class="summary">',
        *(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in doc.summary),
        "</dl>",
    ]
    for section in doc.sections:
        out.append(f"<section><h2>{e(section.title)}</h2>")
        for b in section.blocks:
            if b.kind == "para":
                out.append(f"<p>{e(b.text)}</p>")
            elif b.kind == "list":
                out.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul>")
            elif b.kind == "table":
                head = "".join(f"<th>{e(h)}</th>" for h in b.header)
                body = "".join(
                    "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in b.rows
                )
                out.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
            else:
                out.append(f"<pre>{e(b.text)}</pre>")
        out.append("</section>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


_RENDERERS: dict[str, Callable[[Document], str]] = {
    "text": render_text,
    "md": render_markdown,
    "html": render_html,
}


def render(
    data: Mapping[str, Any],
    *,
    fmt: Format = "text",
    lang: Lang = "en",
    personal: Personal | None = None,
    clauses: ClauseRegistry | None = None,
) -> str:
    """A decision's ``to_dict()`` data as text, Markdown or HTML (``clauses``: the registry of
    the rule book that made it, for the titles of near misses)."""
    return _RENDERERS[fmt](build_document(data, lang, personal, clauses=clauses))
