"""Plain-text explanations of decisions, in Chinese or English, personal data masked.

``Decision.explain(lang)`` is the text form of :mod:`lnunemp_rules._render`, built from the
decision's ``to_dict()`` data like the Markdown and HTML forms of ``lnunemp-rules explain``.
A decision carries only the masked ID number (standard 4.3.1), so nothing here can print the
raw one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ._decision import _DecisionBase

__all__ = ["explain_decision"]


def explain_decision(decision: _DecisionBase, lang: Literal["zh", "en"] = "en") -> str:
    """Render a decision as text; ID numbers appear masked, names never appear."""
    from ._render import build_document, render_text

    return render_text(build_document(decision.to_dict(), lang))
