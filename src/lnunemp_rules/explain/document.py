"""What an explanation of a decision says, as one neutral :class:`Document`.

Every format (:mod:`.formats`: text, Markdown, a self-contained HTML page) is rendered from the
same document, built from the same data -- the decision's ``to_dict()`` -- so they can never
disagree. The document shows the outcome and its clauses (standard 4.1.2, 4.5), the reasons,
the missing information (4.1.4: 一次性告知), the 4.2.1 notices, the 4.2.2 deadline with its
day-by-day derivation, the *near misses* (categories or triggers that did not fire, with each
failed condition's required and actual values), the derived facts and the provenance.

Personal data (standard 4.3.1: 保护劳动者个人隐私): the decision data carries only the masked
ID number; the raw ID number and name appear only when the caller passes them as
``personal`` (the CLI's ``--show-personal-data``). When they are known but not to be shown,
any accidental occurrence in the output is masked as a last line of defence.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import InputError, UnknownClauseError
from ..inputs.masking import mask_id_number, mask_name
from ..law.calendar import WEEKDAYS, WEEKDAYS_ZH, step_status, submission_sentence
from ..rulebook.clauses import ClauseRegistry

__all__ = [
    "Block",
    "Document",
    "Lang",
    "Personal",
    "Section",
    "build_document",
    "near_misses",
]

Lang = Literal["zh", "en"]

_OUTCOMES = {
    "eligible": ("符合失业登记条件", "eligible for registration"),
    "ineligible": ("不符合失业登记条件", "not eligible for registration"),
    "needs_review": ("需人工审核", "needs review by staff"),
    "incomplete": ("材料不全，需补充信息", "incomplete: information missing"),
    "deregister": ("注销失业登记", "deregister"),
    "remain_registered": ("继续保持失业登记", "remains registered"),
}

_L = {
    "title_registration": ("失业登记申请决定", "Registration decision"),
    "title_review": ("失业登记动态管理（注销审查）决定", "Periodic review decision"),
    "outcome": ("结论", "Outcome"),
    "subject": ("对象", "Subject"),
    "name": ("姓名", "Name"),
    "as_of": ("日期", "As of"),
    "categories": ("符合的登记范围（4.1.2）", "Categories matched (4.1.2)"),
    "triggers": ("注销情形（4.5）", "Deregistration triggers (4.5)"),
    "effective": ("注销生效日期", "Deregistration takes effect on"),
    "next_review": ("下次可能触发4.5(13)的日期", "Next date 4.5(13) fires if nothing changes"),
    "reasons": ("理由", "Reasons"),
    "missing": ("需一次性补充的信息（4.1.4）", "Missing information, all at once (4.1.4)"),
    "notices": ("告知事项（4.2.1）", "Notices (4.2.1)"),
    "deadline": ("办结期限（4.2.2）", "Processing deadline (4.2.2)"),
    "near_categories": (
        "未符合的登记范围（差在哪里）",
        "Categories that did not apply (near misses)",
    ),
    "near_triggers": ("未触发的注销情形（差在哪里）", "Triggers that did not fire (near misses)"),
    "derivations": ("推导的事实", "Derived facts"),
    "warnings": ("提示", "Warnings"),
    "provenance": ("依据与版本", "Provenance"),
    "citations": ("引用条款", "Citations"),
    "rules_version": ("规则版本", "Rules version"),
    "rules_digest": ("规则文件摘要", "Rules digest"),
    "engine": ("引擎", "Engine"),
    "library": ("程序版本", "Library version"),
    "effective_on": ("生效日期", "effective"),
    "events": ("事件", "events"),
    "required": ("要求", "required"),
    "actual": ("实际", "actual"),
    "none": ("无", "none"),
    "no_event": ("无此类事件", "no such event"),
    "masked_note": (
        "个人信息已脱敏（标准 4.3.1：保护劳动者个人隐私）。",
        "Personal data is masked (standard 4.3.1: protect the worker's privacy).",
    ),
    "day": ("日期", "Date"),
    "weekday": ("星期", "Day"),
    "status": ("计数", "Counts as"),
    "why": ("原因", "Why"),
    "rest": ("休息日", "rest day"),
    "schedule": ("日历来源", "Schedule source"),
    "basis": ("法律依据", "Legal basis"),
}
_WEEKDAYS_ZH = dict(zip(WEEKDAYS, WEEKDAYS_ZH, strict=True))
# The heading of each kind of decision (the JSON form's "kind").
_TITLES = {"registration": "title_registration", "review": "title_review"}
# The list of matches a decision's data holds, and the rule effect whose near misses it shows.
_MATCHES = (("categories", "category"), ("triggers", "trigger"))


def _t(key: str, lang: Lang) -> str:
    zh, en = _L[key]
    return zh if lang == "zh" else en


@dataclass(frozen=True)
class Personal:
    """Raw personal data from the input, shown only on request."""

    id_number: str | None = None
    name: str | None = None
    show: bool = False


@dataclass(frozen=True)
class Block:
    """A paragraph, a bulleted list, a table or preformatted lines."""

    kind: Literal["para", "list", "table", "pre"]
    text: str = ""
    items: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass
class Section:
    """A titled part of the document."""

    title: str
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Document:
    """What every format renders: a title, a key/value summary and sections."""

    title: str
    summary: list[tuple[str, str]]
    sections: list[Section]
    lang: Lang
    secrets: tuple[tuple[str, str], ...] = ()  # (raw, masked) to scrub if shown by accident


def fmt_value(value: Any) -> str:
    """A fact value as an auditor reads it: 2229.0 -> 2,229; None -> null; dicts as k = v."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    if isinstance(value, int | float):
        return f"{value:,}"
    if isinstance(value, Mapping):
        return ", ".join(f"{k} = {fmt_value(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(fmt_value(v) for v in value)
    return str(value)


def _derivation_key(subject: str, fact: str) -> str:
    return f"{subject}.{fact}" if subject.startswith("events[") else fact


def near_misses(data: Mapping[str, Any], effect: str) -> list[dict[str, Any]]:
    """Rules with ``effect`` (``category`` or ``trigger``) that fired on no subject.

    One entry per subject the rule came closest on: an event of another type is skipped when
    an event of the rule's type exists; when none does, one entry says so. Each entry lists
    the failed conditions with required and actual values, and the derivations of the facts
    they compare (e.g. the minimum wage in force, with its tier and date, for 4.5(3)).
    """
    derivations = {d["fact"]: d for d in data.get("derivations", [])}
    by_rule: dict[str, list[Mapping[str, Any]]] = {}
    for entry in data.get("trace", []):
        if entry["effect"] == effect:
            by_rule.setdefault(entry["rule_id"], []).append(entry)
    out: list[dict[str, Any]] = []
    for rule_id, entries in by_rule.items():
        if any(e["fired"] for e in entries):
            continue
        chosen: list[Mapping[str, Any]] = []
        other_types: list[Any] = []
        for e in entries:
            type_miss = [
                c for c in e["conditions"] if c["condition"].startswith("type ") and not c["holds"]
            ]
            if e["subject"].startswith("events[") and type_miss:
                other_types.append(type_miss[0]["actual"])
                continue
            chosen.append(e)
        if not chosen:
            first = next(c for c in entries[0]["conditions"] if c["condition"].startswith("type "))
            failed = [{**first, "actual": None, "no_event": sorted(set(map(str, other_types)))}]
            out.append({"rule_id": rule_id, "clause": entries[0]["clause"], "subject": "events",
                        "failed": failed, "derivations": []})  # fmt: skip
            continue
        fewest = min(sum(not c["holds"] for c in e["conditions"]) for e in chosen)
        closest: dict[tuple[str, ...], Mapping[str, Any]] = {}
        for e in chosen:  # the later subject wins: e.g. the 2nd refusal over the 1st
            failed_names = tuple(c["condition"] for c in e["conditions"] if not c["holds"])
            if len(failed_names) == fewest:
                closest.pop(failed_names, None)
                closest[failed_names] = e
        for e in closest.values():
            failed = [dict(c) for c in e["conditions"] if not c["holds"]]
            related = []
            for c in failed:
                names = list(c["actual"]) if isinstance(c["actual"], Mapping) else []
                for name in names:
                    d = derivations.get(_derivation_key(e["subject"], name))
                    if d is not None and d not in related:
                        related.append(d)
            out.append({"rule_id": rule_id, "clause": e["clause"], "subject": e["subject"],
                        "failed": failed, "derivations": related})  # fmt: skip
    return out


def _failed_text(c: Mapping[str, Any], lang: Lang) -> str:
    if "no_event" in c:
        seen = ", ".join(c["no_event"]) or _t("none", lang)
        return f"{c['condition']}: {_t('no_event', lang)} ({seen})"
    return (
        f"{c['condition']} — {_t('required', lang)} {c['required']}; "
        f"{_t('actual', lang)} {fmt_value(c['actual'])}"
    )


def _clause_title_lookup(clauses: ClauseRegistry | None, lang: Lang) -> Callable[[str], str]:
    """``id title`` of a clause in the registry of the rule book that made the decision."""

    def title(cid: str) -> str:
        if clauses is None:
            return cid
        try:
            entry = clauses.get(cid)
        except UnknownClauseError:
            return cid
        return f"{cid} {entry.title_zh if lang == 'zh' else entry.title_en}"

    return title


def _cite(clause: Mapping[str, Any], lang: Lang) -> str:
    return f"{clause['id']} {clause['title_zh'] if lang == 'zh' else clause['title_en']}"


def _deadline_blocks(deadline: Mapping[str, Any], lang: Lang) -> list[Block]:
    zh = lang == "zh"
    blocks = [Block("para", text=f"{deadline['date']}")]
    sentence = submission_sentence(
        deadline["channel"], deadline["submitted"], deadline["working_days"], lang
    )
    blocks.append(Block("para", text=sentence))
    if deadline["channel"] == "offline":
        return blocks
    rows = []
    for s in deadline.get("steps", []):
        status = step_status(s.get("working_day_number"), lang)
        weekday = _WEEKDAYS_ZH.get(s["weekday"], s["weekday"]) if zh else s["weekday"]
        rows.append((s["date"], weekday, status, s["reason_zh"] if zh else s["reason"]))
    if rows:
        header = (_t("day", lang), _t("weekday", lang), _t("status", lang), _t("why", lang))
        blocks.append(Block("table", header=header, rows=tuple(rows)))
    if deadline.get("sources"):
        blocks.append(
            Block("para", text=f"{_t('schedule', lang)}: " + "; ".join(deadline["sources"]))
        )
    if deadline.get("basis"):
        blocks.append(Block("para", text=f"{_t('basis', lang)}: " + "; ".join(deadline["basis"])))
    return blocks


def build_document(
    data: Mapping[str, Any],
    lang: Lang = "en",
    personal: Personal | None = None,
    *,
    clauses: ClauseRegistry | None = None,
) -> Document:
    """The neutral document for a decision's ``to_dict()`` data.

    ``clauses`` is the clause registry of the rule book that made the decision: it gives the
    titles of the clauses near misses cite (without it, their ids alone).
    """
    if lang not in ("zh", "en"):
        raise InputError("lang", f"{lang!r} is not a language; accepted: zh, en")
    zh = lang == "zh"
    meta = data["meta"]
    personal = personal or Personal()
    label = _OUTCOMES[data["outcome"]][0 if zh else 1]
    subject = meta.get("subject") or "-"
    secrets: list[tuple[str, str]] = []
    if personal.id_number:
        if personal.show:
            subject = personal.id_number
        else:
            secrets.append((personal.id_number, mask_id_number(personal.id_number)))
    summary = [
        (_t("outcome", lang), f"{label} ({data['outcome']})"),
        (_t("subject", lang), subject),
    ]
    if personal.name:
        if personal.show:
            summary.append((_t("name", lang), personal.name))
        else:
            secrets.append((personal.name, mask_name(personal.name)))
    summary.append((_t("as_of", lang), meta["as_of"]))
    sections: list[Section] = []

    def add(title_key: str, *blocks: Block) -> None:
        sections.append(Section(_t(title_key, lang), list(blocks)))

    if data.get("categories"):
        add(
            "categories",
            Block("list", items=tuple(_cite(m["clause"], lang) for m in data["categories"])),
        )
    if data.get("triggers"):
        triggers = []
        for m in data["triggers"]:
            when = m["effective_date"] or "-"
            line = f"{_cite(m['clause'], lang)}; {_t('effective_on', lang)} {when}"
            if m.get("events"):
                line += f"; {_t('events', lang)} {m['events']}"
            triggers.append(line)
        add("triggers", Block("list", items=tuple(triggers)))
    if data.get("effective_date"):
        summary.append((_t("effective", lang), data["effective_date"]))
    if data.get("next_review_date"):
        summary.append((_t("next_review", lang), data["next_review_date"]))
    if data.get("reasons"):
        items = tuple(
            f"[{', '.join(r['citations'])}] {r['text_zh'] if zh else r['text_en']}"
            for r in data["reasons"]
        )
        add("reasons", Block("list", items=items))
    if data.get("missing_facts"):
        add("missing", Block("list", items=tuple(data["missing_facts"])))
    if data.get("notices"):
        add(
            "notices",
            Block("list", items=tuple(_cite(m["clause"], lang) for m in data["notices"])),
        )
    if data.get("deadline"):
        summary.append((_t("deadline", lang), data["deadline"]["date"]))
        add("deadline", *_deadline_blocks(data["deadline"], lang))
    effect = next((effect for key, effect in _MATCHES if key in data), "category")
    misses = near_misses(data, effect)
    if misses:
        clause_title = _clause_title_lookup(clauses, lang)
        lines = []
        for miss in misses:
            parts = [f"{clause_title(miss['clause'])} [{miss['rule_id']}, {miss['subject']}]: "
                     + "; ".join(_failed_text(c, lang) for c in miss["failed"])]  # fmt: skip
            parts += [
                f"  ↳ {d['fact']} = {fmt_value(d['value'])}: {d['how']}"
                for d in miss["derivations"]
            ]
            lines.append("\n".join(parts))
        add("near_categories" if effect == "category" else "near_triggers",
            Block("list", items=tuple(lines)))  # fmt: skip
    if data.get("derivations"):
        derived = tuple(
            f"{d['fact']} = {fmt_value(d['value'])}: {d['how']}"
            + (f" [{'; '.join(d['sources'])}]" if d.get("sources") else "")
            for d in data["derivations"]
        )
        add("derivations", Block("list", items=derived))
    if data.get("warnings"):
        add("warnings", Block("list", items=tuple(data["warnings"])))
    provenance = [
        (_t("citations", lang), ", ".join(data.get("citations", [])) or "-"),
        (_t("rules_version", lang), str(meta["rules_version"])),
        (_t("rules_digest", lang), str(meta["rules_digest"])),
        (_t("engine", lang), str(meta["engine"])),
        (_t("library", lang), str(meta["library_version"])),
    ]
    blocks = [Block("list", items=tuple(f"{k}: {v}" for k, v in provenance))]
    if not personal.show:
        blocks.append(Block("para", text=_t("masked_note", lang)))
    add("provenance", *blocks)
    title = _t(_TITLES[data["kind"]], lang)
    return Document(title, summary, sections, lang, tuple(secrets))
