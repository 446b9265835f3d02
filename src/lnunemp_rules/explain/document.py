"""What an explanation of a decision says, as one neutral :class:`Document`.

Every format (:mod:`.formats`: text, Markdown, a self-contained HTML page) is rendered from the
same document, built from the same data -- the decision's ``to_dict()`` -- and the rule book
that made it, whose glossary (``rules/glossary.yaml``) gives every word: a Chinese explanation
is wholly Chinese, an English one English, and neither shows a field name, a rule id or a code
unless the reader asks for the technical view.

What is shown (issue 13): the outcome; the ground that decided (each category or trigger with
the conditions it met, the events behind it numbered from 1, a recorded reason), or the
reasons of a negative outcome; what the person must still supply; the 4.2.1 notices; the 4.2.2
deadline day by day; the near misses -- rules one condition short, where that condition is not
the one naming the kind of case (the unemployment cause, the event type); every derived fact
with how it was derived; the warnings; the provenance. The full trace stays in the JSON and in
the technical view.

Personal data (standard 4.3.1: 保护劳动者个人隐私): the decision data carries only the masked
ID number; the raw ID number and name appear only in their own summary rows, and only when the
caller passes them as ``personal`` with ``show`` (the CLI's ``--show-personal-data``), with any
control character escaped. Nothing is masked by searching the rendered text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from ..errors import InputError, UnknownClauseError
from ..law.calendar import step_status, submission_sentence
from ..law.wording import Lang, format_date, weekday
from ..rulebook.book import RuleBook, load_rule_book
from ..rulebook.rules import AnyOf, Comparison, Condition, Rule

__all__ = [
    "NEAR_COUNT",
    "NEAR_DAYS",
    "NEAR_SHARE",
    "RECORDED_WITHHELD",
    "SELECTOR_FACTS",
    "Block",
    "Document",
    "Lang",
    "Personal",
    "Section",
    "build_document",
    "near_misses",
    "safe_personal",
]

# The facts that name the kind of case a rule is about: a rule that fails only on one of them
# is not "close" (another cause, another kind of event).
SELECTOR_FACTS = frozenset({("application", "cause"), ("event", "type")})
# How close a failed comparison must be to its threshold to be shown as a near miss: a date
# within 31 days, a whole number (an age, a count) within 1, an amount within 10%.
NEAR_DAYS = 31
NEAR_COUNT = 1
NEAR_SHARE = 0.10


@dataclass(frozen=True)
class Personal:
    """Raw personal data from the input, shown only on request."""

    id_number: str | None = None
    name: str | None = None
    show: bool = False
    #: (event index, reason) of each reason recorded with an event (4.5(15)): free text that
    #: may hold anyone's personal data, so a decision carries it withheld (RECORDED_WITHHELD).
    reasons: tuple[tuple[int, str], ...] = ()


#: What a decision carries for a reason recorded as free text (4.5(15)): the text may hold
#: names, addresses or numbers of anyone, which no pattern can find, so it is shown only with
#: the personal data (standard 4.3.1; docs/api.md, "Personal data").
RECORDED_WITHHELD = "***"


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
    """What every format renders: a title, a key/value summary, sections, and what the pages
    print on every sheet (the decision's date and rules version)."""

    title: str
    summary: list[tuple[str, str]]
    sections: list[Section]
    lang: Lang
    footer: str = ""


def safe_personal(text: str) -> str:
    """A personal value as it may be shown: control characters (a newline, an escape code)
    written as ``\\uXXXX`` so a value can never start a line or drive a terminal."""
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)


class _Words:
    """The glossary and clause registry of the rule book that made a decision, in one
    language: how each clause, fact, value and sentence reads."""

    def __init__(self, book: RuleBook, lang: Lang) -> None:
        self.book = book
        self.glossary = book.glossary
        self.lang: Lang = lang

    def say(self, key: str, **values: object) -> str:
        return self.glossary.say(key, self.lang, **values)

    def heading(self, key: str) -> str:
        return self.glossary.heading(key, self.lang)

    def sep(self) -> str:
        return "、" if self.lang == "zh" else ", "

    def space(self) -> str:
        """What stands between two phrases: nothing in Chinese, a space in English."""
        return "" if self.lang == "zh" else " "

    def date(self, value: str | dt.date) -> str:
        return format_date(value, self.lang)

    def clause(self, clause_id: str) -> str:
        """A clause of the standard with its number and title, or a national rule's name."""
        try:
            entry = self.book.clauses.get(clause_id)
        except UnknownClauseError:
            return clause_id
        if entry.source == "national":
            return (
                (entry.citation_zh or entry.title_zh)
                if self.lang == "zh"
                else _short(entry.title_en)
            )
        title = entry.title_zh if self.lang == "zh" else entry.title_en
        if self.lang == "zh":
            return f"标准{entry.id}“{title}”"
        return f"standard {entry.id} “{title}”"

    def citation(self, clause_id: str) -> str:
        """A clause cited as a basis: ``标准4.1.1`` or the national rule's name."""
        try:
            entry = self.book.clauses.get(clause_id)
        except UnknownClauseError:
            return clause_id
        if entry.source == "national":
            return (
                (entry.citation_zh or entry.title_zh)
                if self.lang == "zh"
                else _short(entry.title_en)
            )
        return f"标准{entry.id}" if self.lang == "zh" else f"standard {entry.id}"

    def source(self, text: str) -> str:
        """A derivation's source: a registry id named in words, or the text as given."""
        return self.citation(text) if text in self.book.clauses else text

    def fact(self, subject: str, name: str) -> str:
        return self.glossary.fact(subject, name).label.in_(self.lang)

    def value(self, subject: str, name: str, value: Any, *, date: bool = False) -> str:
        return self.glossary.value(subject, name, value, self.lang, date=date)

    def event(self, index: int) -> str:
        return self.say("event.label", number=index + 1)


def _short(title_en: str) -> str:
    """A national rule's English citation: the closing parenthesis of its title when it has one
    ("Start of a period (Civil Code art. 201)" -> "Civil Code art. 201")."""
    if title_en.endswith(")") and "(" in title_en:
        return title_en[title_en.rindex("(") + 1 : -1]
    return title_en


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _subject_kind(subject: str) -> str:
    return "event" if subject.startswith("events[") else subject


def _shown(c: Comparison, subject: str, value: Any, words: _Words) -> str:
    if isinstance(value, tuple | list):
        return words.sep().join(_shown(c, subject, v, words) for v in value)
    return words.value(subject, c.fact, value, date=c.type == "date")


def condition_text(
    condition: Condition, subject: str, words: _Words, actual: Any = None, *, with_actual: bool
) -> str:
    """A condition in plain words, with the actual value(s) when asked."""
    if isinstance(condition, AnyOf):
        options = ("；" if words.lang == "zh" else "; ").join(
            condition_text(o, subject, words, with_actual=False) for o in condition.options
        )
        text = words.say("condition.any", value=options)
        if with_actual and isinstance(actual, Mapping):
            shown = words.sep().join(
                f"{words.fact(subject, f)} {words.value(subject, f, v)}" for f, v in actual.items()
            )
            text += words.space() + words.say("condition.actual", actual=shown)
        return text
    c = condition
    label = words.fact(subject, c.fact)
    if c.op in ("present", "absent"):
        text = words.say(f"condition.{c.op}", fact=label)
    elif c.ref is not None:
        key = _op_key(c)
        text = words.say(key, fact=label, value=words.fact(subject, c.ref))
    elif c.type == "bool":
        text = words.say("condition.bool", fact=label, value=_shown(c, subject, c.value, words))
        if c.op == "!=":
            text = words.say("condition.ne", fact=label, value=_shown(c, subject, c.value, words))
    else:
        text = words.say(_op_key(c), fact=label, value=_shown(c, subject, c.value, words))
    if not with_actual:
        return text
    if c.ref is not None and isinstance(actual, Mapping):
        shown = words.sep().join(
            f"{words.fact(subject, f)}{'' if words.lang == 'zh' else ' '}"
            f"{_shown(c, subject, v, words)}"
            for f, v in actual.items()
        )
    else:
        shown = _shown(c, subject, actual, words)
    return text + words.space() + words.say("condition.actual", actual=shown)


def _op_key(c: Comparison) -> str:
    names = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge",
             "in": "in", "not in": "not_in"}  # fmt: skip
    name = names[c.op]
    if c.type == "date" and name in ("lt", "le", "gt", "ge"):
        name = "date_" + name
    return f"condition.{name}"


def _trace_values(condition: Mapping[str, Any], rule_condition: Condition) -> Any:
    """The actual value(s) of a trace condition, dates back as ordinals for the glossary."""
    actual = condition.get("actual")

    def back(value: Any) -> Any:
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                return value
        return value

    if isinstance(actual, Mapping):
        return {k: back(v) for k, v in actual.items()}
    return back(actual)


def near_misses(data: Mapping[str, Any], book: RuleBook | None = None) -> list[dict[str, Any]]:
    """The category or trigger rules that came close: on some subject, every condition held
    but one, that one is not on a fact that names the kind of case (``SELECTOR_FACTS``), and,
    when it compares numbers or dates, the actual value was within the stated margin of the
    threshold (``NEAR_DAYS``, ``NEAR_COUNT``, ``NEAR_SHARE``).

    One entry per rule (its closest subject, the later one on a tie): ``rule_id``, ``clause``,
    ``subject``, ``missed`` (the failed condition of the trace) and ``derivations`` (of the
    facts it compares).
    """
    rules = {r.id: r for rules in (book or load_rule_book()).rules.values() for r in rules}
    effect = "category" if "categories" in data else "trigger"
    derivations = {d["fact"]: d for d in data.get("derivations", [])}
    chosen: dict[str, dict[str, Any]] = {}
    fired = {e["rule_id"] for e in data.get("trace", []) if e["fired"]}
    for entry in data.get("trace", []):
        rule_id = entry["rule_id"]
        if entry["effect"] != effect or rule_id in fired or rule_id not in rules:
            continue
        failed = [
            (i, c) for i, c in enumerate(entry["conditions"]) if not c["holds"]
        ]  # fmt: skip
        if len(failed) != 1:
            continue
        index, missed = failed[0]
        condition = rules[rule_id].when[index]
        kind = _subject_kind(entry["subject"])
        if isinstance(condition, Comparison) and (kind, condition.fact) in SELECTOR_FACTS:
            continue
        if isinstance(condition, Comparison) and not _close(condition, missed["actual"]):
            continue
        facts = [condition.fact, condition.ref] if isinstance(condition, Comparison) else []
        related = []
        for name in facts:
            if name is None:
                continue
            key = f"{entry['subject']}.{name}" if kind == "event" else name
            if key in derivations:
                related.append(derivations[key])
        chosen[rule_id] = {"rule_id": rule_id, "clause": entry["clause"],
                           "subject": entry["subject"], "missed": missed, "index": index,
                           "derivations": related}  # fmt: skip
    return list(chosen.values())


def _close(c: Comparison, actual: Any) -> bool:
    """Whether a failed comparison came within the stated margin of its threshold; a
    comparison of a fact that is absent is not close (it could not be compared)."""
    if c.op not in ("<", "<=", ">", ">="):
        return actual is not None or c.op in ("present", "absent")
    if c.ref is not None:
        if not isinstance(actual, Mapping):
            return False
        a, b = actual.get(c.fact), actual.get(c.ref)
    else:
        a, b = actual, c.value
    if a is None or b is None:
        return False
    if c.type == "date":
        a = dt.date.fromisoformat(a).toordinal() if isinstance(a, str) else a
        b = dt.date.fromisoformat(b).toordinal() if isinstance(b, str) else b
        return bool(abs(a - b) <= NEAR_DAYS)
    if c.type == "int":
        return bool(abs(a - b) <= NEAR_COUNT)
    return bool(abs(a - b) <= NEAR_SHARE * max(abs(b), 1))


def _rule(book: RuleBook, rule_id: str) -> Rule | None:
    try:
        return book.rule(rule_id)
    except KeyError:
        return None


def _derivation_text(d: Mapping[str, Any], words: _Words) -> str:
    """``label: value. how [sources]`` of a derived fact, in words."""
    fact = str(d["fact"])
    subject, name = "application", fact
    prefix = ""
    if fact.startswith("events["):
        index = int(fact[7 : fact.index("]")])
        subject, name = "event", fact[fact.index("]") + 2 :]
        prefix = words.event(index) + ("：" if words.lang == "zh" else ": ")
    elif name not in words.glossary.facts["application"]:
        subject = "registrant"
    spec = words.book.catalogue.get(subject, name)
    value = d["value"]
    if spec is not None and spec.type == "date" and isinstance(value, str):
        shown = words.date(value)
    else:
        shown = words.value(subject, name, value)
    how = d.get("how_zh") if words.lang == "zh" else d.get("how")
    sources = d.get("sources_zh" if words.lang == "zh" else "sources") or []
    named = words.sep().join(dict.fromkeys(words.source(s) for s in sources))
    if words.lang == "zh":
        text = f"{prefix}{words.fact(subject, name)}：{shown}。{how}"
        return text + (f"（依据：{named}）" if named else "")
    text = f"{prefix}{words.fact(subject, name)}: {shown}. {_capital(str(how))}"
    return _capital(text) + (f" (basis: {named})" if named else "")


def _ground_lines(data: Mapping[str, Any], words: _Words, personal: Personal) -> list[str]:
    """Each category or trigger the outcome rests on: the events behind it (numbered from 1,
    with their kind), the conditions it met, a reason recorded with it, and its date."""
    trace = [e for e in data.get("trace", []) if e["fired"]]
    semicolon = "；" if words.lang == "zh" else "; "
    lines = []
    for match in (*data.get("categories", []), *data.get("triggers", [])):
        rule = _rule(words.book, match["rule_id"])
        parts: list[str] = []
        for entry in trace:
            if entry["rule_id"] != match["rule_id"] or rule is None:
                continue
            kind = _subject_kind(entry["subject"])
            if kind == "event":
                index = int(entry["subject"][7 : entry["subject"].index("]")])
                types = [c["actual"] for c in entry["conditions"]
                         if c["condition"].startswith("type ")]  # fmt: skip
                label = words.value("event", "type", types[0]) if types else "?"
                event = words.say("ground.event", number=index + 1, type=label)
                if event not in parts:
                    parts.append(event)
            for condition in rule.when:
                if isinstance(condition, Comparison) and (kind, condition.fact) == (
                    "event",
                    "type",
                ):
                    continue
                text = condition_text(condition, kind, words, with_actual=False)
                if text not in parts:
                    parts.append(text)
        if match.get("recorded"):
            raw = dict(personal.reasons) if personal.show else {}
            shown = [raw[i] for i in match.get("events", []) if i in raw]
            parts += [words.say("ground.recorded", reason=safe_personal(r)) for r in shown]
            if not shown:
                parts.append(words.say("ground.recorded_withheld"))
        clause = words.clause(match["clause"]["id"])
        said = semicolon.join(parts) or words.heading("none")
        if match.get("effective_date"):
            lines.append(words.say("ground.trigger", clause=clause, met=said,
                                   date=words.date(match["effective_date"])))  # fmt: skip
        else:
            lines.append(words.say("ground.category", clause=clause, met=said))
    return lines


def _deadline_blocks(deadline: Mapping[str, Any], words: _Words) -> list[Block]:
    lang = words.lang
    submitted = words.date(deadline["submitted"])
    blocks = [
        Block("para", text=submission_sentence(
            deadline["channel"], submitted, deadline["working_days"], lang)),
    ]  # fmt: skip
    if deadline["channel"] == "offline":
        return blocks
    rows = []
    for s in deadline.get("steps", []):
        status = step_status(s.get("working_day_number"), lang)
        rows.append((words.date(s["date"]), weekday(s["date"], lang), status,
                     s["reason_zh"] if lang == "zh" else s["reason"]))  # fmt: skip
    if rows:
        header = (words.heading("day"), words.heading("weekday"), words.heading("counts_as"),
                  words.heading("why"))  # fmt: skip
        blocks.append(Block("table", header=header, rows=tuple(rows)))
    sources = deadline.get("sources_zh" if lang == "zh" else "sources") or []
    if sources:
        joined = ("；" if lang == "zh" else "; ").join(sources)
        blocks.append(Block("para", text=f"{words.heading('schedule')}{_colon(lang)}{joined}"))
    if deadline.get("basis"):
        joined = words.sep().join(words.citation(b) for b in deadline["basis"])
        blocks.append(Block("para", text=f"{words.heading('basis')}{_colon(lang)}{joined}"))
    return blocks


def _colon(lang: Lang) -> str:
    return "：" if lang == "zh" else ": "


def build_document(
    data: Mapping[str, Any],
    lang: Lang = "en",
    personal: Personal | None = None,
    *,
    book: RuleBook | None = None,
    technical: bool = False,
) -> Document:
    """The neutral document for a decision's ``to_dict()`` data, in the words of ``book`` (the
    rule book that made the decision; default: the one in use). ``technical`` adds the rule
    ids and every condition evaluated."""
    if lang not in ("zh", "en"):
        raise InputError("lang", f"{lang!r} is not a language; accepted: zh, en")
    words = _Words(book or load_rule_book(), lang)
    glossary = words.glossary
    kind = str(data["kind"])
    meta = data["meta"]
    personal = personal or Personal()
    colon = _colon(lang)
    summary = [(words.heading("outcome"), glossary.outcomes[data["outcome"]].in_(lang))]
    subject = meta.get("subject") or "—"
    if personal.show and personal.id_number:
        subject = safe_personal(personal.id_number)
    summary.append((words.heading("subject"), subject))
    if personal.show and personal.name:
        summary.append((words.heading("name"), safe_personal(personal.name)))
    summary.append((words.heading(f"as_of.{kind}"), words.date(meta["as_of"])))
    deadline = data.get("deadline")
    if deadline:
        summary.append((words.heading("channel"),
                        glossary.channels[deadline["channel"]].in_(lang)))  # fmt: skip
        summary.append((words.heading("deadline"), words.date(deadline["date"])))
    if data.get("effective_date"):
        summary.append((words.heading("effective"), words.date(data["effective_date"])))
    if data.get("established_date"):
        summary.append((words.heading("established"), words.date(data["established_date"])))
    if data.get("next_review_date"):
        summary.append((words.heading("next_review"), words.date(data["next_review_date"])))
    sections: list[Section] = []

    def add(title: str, *blocks: Block) -> None:
        if lang == "en":  # sentences start with a capital, whatever word a glossary gave first
            blocks = tuple(
                Block(b.kind, _capital(b.text), tuple(_capital(i) for i in b.items), b.header,
                      b.rows) if b.kind in ("para", "list") else b
                for b in blocks
            )  # fmt: skip
        sections.append(Section(title, list(blocks)))

    grounds = _ground_lines(data, words, personal)
    if grounds:
        add(words.heading(f"grounds.{kind}"), Block("list", items=tuple(grounds)))
    elif data["outcome"] == "remain_registered":
        basis = words.sep().join(words.citation(c) for c in data.get("citations", []))
        text = words.say("ground.remain", basis=basis)
        add(words.heading("grounds.remain"), Block("para", text=text))
    convention = data.get("effective_date_from")
    if convention and data.get("triggers"):
        ground = data["triggers"][0].get("effective_date") or data["established_date"]
        text = words.say(f"effective.{convention}", effective=words.date(data["effective_date"]),
                         established=words.date(data["established_date"]),
                         ground=words.date(ground))  # fmt: skip
        add(words.heading("effective_basis"), Block("para", text=text))
    if data.get("reasons"):
        items = []
        for r in data["reasons"]:
            text = r["text_zh"] if lang == "zh" else r["text_en"]
            cited = words.sep().join(words.citation(c) for c in r["citations"])
            items.append(f"{text}（依据：{cited}）" if lang == "zh" else f"{text} (basis: {cited})")
        add(words.heading("reasons"), Block("list", items=tuple(items)))
    if data.get("missing_facts"):
        items = []
        for path in data["missing_facts"]:
            item = glossary.missing_item(path, lang)
            if path.startswith("events["):
                index = int(path[7 : path.index("]")])
                item = f"{words.event(index)}{colon}{item}"
            items.append(item)
        add(words.heading(f"missing.{kind}"), Block("list", items=tuple(items)))
    if data.get("notices"):
        notices = tuple(words.clause(m["clause"]["id"]) for m in data["notices"])
        add(words.heading("notices"), Block("list", items=notices))
    if deadline:
        add(words.heading("deadline"), *_deadline_blocks(deadline, words))
    misses = near_misses(data, words.book)
    if misses:
        lines = []
        for miss in misses:
            rule = _rule(words.book, miss["rule_id"])
            if rule is None:
                continue
            condition = rule.when[miss["index"]]
            subject = _subject_kind(miss["subject"])
            actual = _trace_values(miss["missed"], condition)
            missed = condition_text(condition, subject, words, actual, with_actual=True)
            clause = words.clause(miss["clause"])
            if subject == "event":
                index = int(miss["subject"][7 : miss["subject"].index("]")])
                clause = f"{clause}（{words.event(index)}）" if lang == "zh" else (
                    f"{clause} ({words.event(index)})")  # fmt: skip
            parts = [words.say("near.one_missed", clause=clause, missed=missed)]
            parts += ["  ↳ " + _derivation_text(d, words) for d in miss["derivations"]]
            lines.append("\n".join(parts))
        if lines:
            add(words.heading("near"), Block("list", items=tuple(lines)))
    if data.get("derivations"):
        add(words.heading("derivations"), Block("list", items=tuple(
            _derivation_text(d, words) for d in data["derivations"])))  # fmt: skip
    if data.get("warnings"):
        add(words.heading("warnings"), Block("list", items=tuple(
            w["text_zh"] if lang == "zh" else w["text_en"] for w in data["warnings"])))  # fmt: skip
    cited = words.sep().join(words.citation(c) for c in data.get("citations", []))
    engine = glossary.engines.get(str(meta["engine"]))
    provenance = [
        (words.heading("citations"), cited or words.heading("none")),
        (words.heading("rules_version"), str(meta["rules_version"])),
        (words.heading("rules_digest"), str(meta["rules_digest"])),
        (words.heading("engine"), engine.in_(lang) if engine else str(meta["engine"])),
        (words.heading("library"), str(meta["library_version"])),
    ]
    blocks = [Block("list", items=tuple(f"{k}{colon}{v}" for k, v in provenance))]
    if not personal.show:
        blocks.append(Block("para", text=words.heading("masked")))
    add(words.heading("provenance"), *blocks)
    if technical:
        add(words.heading("technical"), *_technical(data))
    title = words.heading(f"title.{kind}")
    footer = f"{title} · {words.date(meta['as_of'])} · {words.heading('rules_version')} " \
             f"{meta['rules_version']}"  # fmt: skip
    return Document(title, summary, sections, lang, footer)


def _technical(data: Mapping[str, Any]) -> list[Block]:
    """Rule ids, outcome code, missing fields and every rule evaluated with its conditions."""
    lines = [f"outcome = {data['outcome']}"]
    lines += [f"missing_facts = {', '.join(data.get('missing_facts', [])) or '-'}"]
    for entry in data.get("trace", []):
        mark = "FIRED" if entry["fired"] else "-"
        conditions = "; ".join(
            f"{c['condition']} [{'holds' if c['holds'] else 'fails'}; actual {_plain(c['actual'])}]"
            for c in entry["conditions"]
        )
        lines.append(f"{mark} {entry['rule_id']} ({entry['clause']}, {entry['subject']}): "
                     f"{conditions or 'always'}")  # fmt: skip
    return [Block("pre", text="\n".join(lines))]


def _plain(value: Any) -> str:
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_plain(v)}" for k, v in value.items())
    if isinstance(value, Sequence) and not isinstance(value, str):
        return "[" + ", ".join(_plain(v) for v in value) + "]"
    return "null" if value is None else str(value)
