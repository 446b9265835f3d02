"""How a decision reads: one neutral document, rendered as text, Markdown or HTML.

Built from a decision's ``to_dict()`` data alone (plus the clause registry of the rule book that
made it), so every format says the same; personal data masked unless the caller asks.
"""

from __future__ import annotations

from .document import Block, Document, Personal, Section, build_document, near_misses
from .formats import render, render_html, render_markdown, render_text

__all__ = [
    "Block",
    "Document",
    "Personal",
    "Section",
    "build_document",
    "near_misses",
    "render",
    "render_html",
    "render_markdown",
    "render_text",
]
