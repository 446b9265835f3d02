"""Plain-text explanations of decisions, in Chinese or English, personal data masked."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from ._decision import _DecisionBase

__all__ = ["explain_decision"]

_OUTCOMES = {
    "eligible": ("符合失业登记条件", "eligible for registration"),
    "ineligible": ("不符合失业登记条件", "not eligible for registration"),
    "needs_review": ("需人工审核", "needs review by staff"),
    "incomplete": ("材料不全，需补充信息", "incomplete: information missing"),
    "deregister": ("注销失业登记", "deregister"),
    "remain_registered": ("继续保持失业登记", "remains registered"),
}


def explain_decision(decision: _DecisionBase, lang: Literal["zh", "en"] = "en") -> str:
    """Render a decision as text; ID numbers appear masked, names never appear."""
    from ._decision import DeregistrationDecision, RegistrationDecision

    if lang not in ("zh", "en"):
        from ._errors import InputError

        raise InputError("lang", f"{lang!r} is not a language; accepted: zh, en")
    zh = lang == "zh"
    meta = decision.meta
    label = _OUTCOMES[decision.outcome][0 if zh else 1]
    lines = [
        ("结论：" if zh else "Outcome: ") + f"{label} ({decision.outcome})",
        ("对象：" if zh else "Subject: ") + (meta.subject_masked or "-"),
        ("日期：" if zh else "As of: ") + meta.as_of.isoformat(),
    ]

    def title(c: object) -> str:
        from ._decision import Citation

        assert isinstance(c, Citation)
        return f"{c.id} {c.title_zh if zh else c.title_en}"

    if isinstance(decision, RegistrationDecision) and decision.categories:
        lines.append("符合的登记范围：" if zh else "Categories matched:")
        lines += [f"  - {title(m.clause)}" for m in decision.categories]
    if isinstance(decision, DeregistrationDecision):
        if decision.triggers:
            lines.append("注销情形：" if zh else "Deregistration triggers:")
            for m in decision.triggers:
                date = m.effective_date.isoformat() if m.effective_date else "-"
                where = f" events {list(m.events)}" if m.events else ""
                lines.append(f"  - {title(m.clause)}; " + ("生效日期 " if zh else "effective ")
                             + date + where)  # fmt: skip
            if decision.effective_date:
                lines.append(("注销生效日期：" if zh else "Deregistration takes effect on: ")
                             + decision.effective_date.isoformat())  # fmt: skip
        if decision.next_review_date:
            lines.append(("下次可能触发4.5(13)的日期：" if zh else
                          "Next date 4.5(13) fires if nothing changes: ")
                         + decision.next_review_date.isoformat())  # fmt: skip
    if decision.reasons:
        lines.append("理由：" if zh else "Reasons:")
        for r in decision.reasons:
            cites = ", ".join(c.id for c in r.citations)
            lines.append(f"  - [{cites}] " + (r.text_zh if zh else r.text_en))
    if decision.missing_facts:
        head = (
            "需一次性补充的信息（4.1.4）：" if zh else "Missing information (all at once, 4.1.4): "
        )
        lines.append(head + ", ".join(decision.missing_facts))
    if isinstance(decision, RegistrationDecision):
        if decision.notices:
            lines.append("告知事项（4.2.1）：" if zh else "Notices (4.2.1):")
            lines += [f"  - {title(m.clause)}" for m in decision.notices]
        if decision.deadline is not None:
            lines.append(("办结期限（4.2.2）：" if zh else "Processing deadline (4.2.2): ")
                         + decision.deadline.date.isoformat())  # fmt: skip
            lines += ["  " + line for line in decision.deadline.explain(lang).splitlines()]
    if decision.derivations:
        lines.append("推导：" if zh else "Derived facts:")
        for d in decision.derivations:
            value = d.to_dict()["value"]
            lines.append(f"  - {d.fact} = {value}: {d.how}")
    if decision.warnings:
        lines.append("提示：" if zh else "Warnings:")
        lines += [f"  - {w}" for w in decision.warnings]
    lines.append(
        ("规则版本 " if zh else "Rules version ")
        + f"{meta.rules_version} ({meta.rules_digest[:12]}), "
        + ("引擎 " if zh else "engine ")
        + meta.engine
    )
    return "\n".join(lines)
