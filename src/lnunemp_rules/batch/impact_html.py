"""The impact analysis as one self-contained HTML page: the transition table and bar charts of
the changed records by prefecture and by clause, drawn as inline SVG (no script, no network),
so an analyst can open it in any browser or send it as one file."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from .impact import ImpactSummary

__all__ = ["impact_html"]

_BAR = 18
_LABEL = 150
_WIDTH = 420


def _bars(title: str, counts: Mapping[str, int]) -> str:
    """A horizontal bar chart of ``counts`` as inline SVG, largest first."""
    if not counts:
        return f"<h2>{escape(title)}</h2><p>No changed record.</p>"
    items = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    top = max(counts.values())
    height = _BAR * len(items) + 10
    rows = []
    for i, (label, count) in enumerate(items):
        y = i * _BAR + 5
        width = max(1, round(_WIDTH * count / top))
        rows.append(
            f'<text x="{_LABEL - 6}" y="{y + 13}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{_LABEL}" y="{y + 2}" width="{width}" height="{_BAR - 4}" fill="#3b6ea5">'
            f"<title>{escape(label)}: {count:,}</title></rect>"
            f'<text x="{_LABEL + width + 4}" y="{y + 13}">{count:,}</text>'
        )
    total = _LABEL + _WIDTH + 80
    return (
        f"<h2>{escape(title)}</h2>"
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{total}" height="{height}" '
        f'viewBox="0 0 {total} {height}" font-family="sans-serif" font-size="12">'
        f"<title>{escape(title)}</title>{''.join(rows)}</svg>"
    )


def impact_html(summary: ImpactSummary) -> str:
    """The page (module docstring)."""
    files = "".join(
        f"<tr><td>{escape(str(f['file']))}</td><td><code>{escape(str(f['before'])[:16])}</code>"
        f"</td><td><code>{escape(str(f['after'])[:16])}</code></td></tr>"
        for f in summary.files
    )
    transitions = "".join(
        f"<tr><td>{escape(a)}</td><td>{escape(b)}</td><td class=n>{n:,}</td></tr>"
        for (a, b), n in sorted(summary.transitions.items(), key=lambda item: -item[1])
    )
    as_of = f" as of {escape(summary.as_of)}" if summary.as_of else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Impact of a rule change: {escape(summary.kind)}{as_of}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:60em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #bbb;padding:.2em .6em}}
.n{{text-align:right}}</style></head><body>
<h1>Impact of a rule change ({escape(summary.kind)}{as_of})</h1>
<p>{summary.records:,} records; {summary.changed:,} changed; {summary.rejected:,} rejected.</p>
<h2>Rule and parameter files that differ (SHA-256)</h2>
<table><tr><th>file</th><th>before</th><th>after</th></tr>{files}</table>
<h2>Outcome transitions of the changed records</h2>
<table><tr><th>before</th><th>after</th><th>records</th></tr>{transitions}</table>
{_bars("Changed records by prefecture", summary.prefectures)}
{_bars("Changed records by clause", summary.clauses)}
</body></html>
"""
