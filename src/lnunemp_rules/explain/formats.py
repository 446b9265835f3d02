"""An explanation's document as plain text, Markdown or a self-contained HTML page.

The HTML page is made to be printed and signed: a Chinese font stack, A4 pages with the
decision's title, date and rules version and the page number on every sheet, page breaks
between sections rather than inside them when printed, headings and table headers a screen
reader follows, and ``lang`` on every span in the other language. It has no scripts and
loads nothing.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from .document import Document, Lang, Personal, build_document

if TYPE_CHECKING:
    from ..rulebook.book import RuleBook

__all__ = ["Format", "render", "render_html", "render_markdown", "render_text"]

Format = Literal["text", "md", "html"]


def render_text(doc: Document) -> str:
    """Plain text (the form of ``Decision.explain``)."""
    sep = "：" if doc.lang == "zh" else ": "
    lines = [doc.title, *(f"{k}{sep}{v}" for k, v in doc.summary)]
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
    return "\n".join(lines)


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
    return "\n".join(lines).rstrip() + "\n"


_FONTS = (
    '"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei","SimSun",'
    "system-ui,sans-serif"
)
_CSS = (
    "body{font-family:" + _FONTS + ";max-width:60rem;margin:2rem auto;padding:0 1rem;"
    "color:#1a1a1a;line-height:1.6}"
    "h1{font-size:1.5rem;border-bottom:2px solid #444}h2{font-size:1.15rem;margin-top:1.6rem}"
    "dl.summary{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}"
    "dl.summary dt{font-weight:600}table{border-collapse:collapse;font-size:.9rem}"
    "caption{text-align:left;font-weight:600}"
    "td,th{border:1px solid #bbb;padding:.2rem .5rem;text-align:left;vertical-align:top}"
    "li{margin:.2rem 0;white-space:pre-wrap}pre{white-space:pre-wrap;font-size:.8rem}"
    "p.note{color:#555;font-size:.9rem}"
    "@media print{body{max-width:none;margin:0;padding:0;font-size:10.5pt}"
    "section{break-inside:avoid-page}"
    "h2,caption{break-after:avoid}tr,li{break-inside:avoid}}"
)


def _page_css(doc: Document) -> str:
    """A4 pages with the decision, its date and rules version, and the page number."""
    footer = doc.footer.replace("\\", "\\\\").replace('"', '\\"')
    page = '"第 " counter(page) " 页"' if doc.lang == "zh" else '"Page " counter(page)'
    return (
        "@page{size:A4;margin:18mm 16mm 20mm 16mm;"
        f'@bottom-left{{content:"{footer}";font-size:8pt;color:#555}}'
        f"@bottom-right{{content:{page};font-size:8pt;color:#555}}}}"
    )


_HAN = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+(?:[\s\d.()（）]*"
                  r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+)*")  # fmt: skip
# Words (two letters or more, not glued to digits as in a digest), and the phrases they make.
_LATIN_WORDS = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{2,}(?:[\s'’.\-]+[A-Za-z]{2,})*(?![0-9A-Za-z])")


def _escaped(text: str, lang: Lang) -> str:
    """Escaped HTML of ``text``; a run in the other language carries its own ``lang``."""
    marker = _HAN if lang == "en" else _LATIN_WORDS
    other = "zh-CN" if lang == "en" else "en"
    out, last = [], 0
    for found in marker.finditer(text):
        out.append(html.escape(text[last : found.start()], quote=True))
        out.append(f'<span lang="{other}">{html.escape(found.group(), quote=True)}</span>')
        last = found.end()
    out.append(html.escape(text[last:], quote=True))
    return "".join(out)


def render_html(doc: Document) -> str:
    """A self-contained HTML page: inline CSS, no scripts, no external assets, all escaped."""

    def e(text: str) -> str:
        return _escaped(text, doc.lang)

    lang = "zh-CN" if doc.lang == "zh" else "en"
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{html.escape(doc.title)}</title><style>{_CSS}{_page_css(doc)}</style></head>",
        "<body><main>",
        f"<h1>{e(doc.title)}</h1>",
        '<dl class="summary">',
        *(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in doc.summary),
        "</dl>",
    ]
    for n, section in enumerate(doc.sections, start=1):
        out.append(f'<section aria-labelledby="s{n}"><h2 id="s{n}">{e(section.title)}</h2>')
        for b in section.blocks:
            if b.kind == "para":
                out.append(f"<p>{e(b.text)}</p>")
            elif b.kind == "list":
                out.append("<ul>" + "".join(f"<li>{e(i)}</li>" for i in b.items) + "</ul>")
            elif b.kind == "table":
                head = "".join(f'<th scope="col">{e(h)}</th>' for h in b.header)
                body = "".join(
                    "<tr>" + "".join(f"<td>{e(c)}</td>" for c in row) + "</tr>" for row in b.rows
                )
                out.append(f"<table><caption>{e(section.title)}</caption><thead><tr>{head}"
                           f"</tr></thead><tbody>{body}</tbody></table>")  # fmt: skip
            else:
                out.append(f'<pre lang="en">{html.escape(b.text)}</pre>')
        out.append("</section>")
    out.append("</main></body></html>")
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
    book: RuleBook | None = None,
    technical: bool = False,
) -> str:
    """A decision's ``to_dict()`` data as text, Markdown or HTML, in the words of ``book`` (the
    rule book that made it; default: the one in use)."""
    return _RENDERERS[fmt](build_document(data, lang, personal, book=book, technical=technical))
