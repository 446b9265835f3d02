"""Reading the text of a State Council holiday notice into the days it sets, or refusing it.

The General Office of the State Council publishes each year's schedule as a notice
(国务院办公厅关于<year>年部分节假日安排的通知) whose numbered items follow one pattern:
``二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
2月14日（周六）、2月28日（周六）上班。`` Two rarer kinds change a published schedule: an
adjustment of one festival (国务院办公厅关于调整2019年劳动节假期安排的通知, 国办发明电〔2019〕3号)
and an extension of one (国务院办公厅关于延长2020年春节假期的通知, 国办发明电〔2020〕1号).

:func:`parse_notice` reads the text as pasted (full- or half-width punctuation, with or without
weekday and lunar annotations) and returns a :class:`Notice`, or raises
:class:`~lnunemp_rules.errors.NoticeError` quoting every sentence it cannot read for certain:
an unknown sentence or festival, a range whose end cannot be resolved or runs backwards, a
weekday annotation that contradicts its date, a "共N天" that is not the number of days given, a
make-up working day that is not a Saturday or Sunday, a day listed twice, a day outside the
year and the December before it. Nothing is guessed.

Checked against the notices for 2017-2026 and their two amendments (tests/data/notices): they
give exactly the schedule of ``holidays.China`` for every day of those years.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from ..errors import NoticeError, Problem

__all__ = [
    "HOLIDAY_NAMES",
    "NOTICE_NUMBER",
    "Arrangement",
    "Extension",
    "Notice",
    "NoticeKind",
    "parse_notice",
]

#: The festivals a notice arranges (全国年节及纪念日放假办法 art. 2), with the English names
#: holidays.China gives them, so a derivation reads the same whichever source a year has.
HOLIDAY_NAMES: dict[str, str] = {
    "元旦": "New Year's Day",
    "春节": "Chinese New Year (Spring Festival)",
    "清明节": "Tomb-Sweeping Day",
    "劳动节": "Labor Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-Autumn Festival",
    "国庆节": "National Day",
}

NoticeKind = Literal["schedule", "adjustment", "extension"]

_NUMERALS = "一二三四五六七八九十"
_ITEM = re.compile(rf"^([{_NUMERALS}]+)、(.*)$")
_FESTIVAL = "|".join(HOLIDAY_NAMES)
_TITLES: tuple[tuple[NoticeKind, re.Pattern[str]], ...] = (
    ("schedule", re.compile(r"国务院办公厅关于(\d{4})年部分节假日安排的通知")),
    ("adjustment", re.compile(rf"国务院办公厅关于调整(\d{{4}})年({_FESTIVAL})假期安排的通知")),
    ("extension", re.compile(rf"国务院办公厅关于延长(\d{{4}})年({_FESTIVAL})假期的通知")),
)
#: A notice number (文号) as printed, with any of the brackets pasted text gives it.
NOTICE_NUMBER = re.compile(r"国办发明电[〔\[【(]\s*(\d{4})\s*[〕\]】)]\s*(\d+)\s*号")
# A day as the notices write it: [YYYY年][M月]D日[(annotation)] (after NFKC: half-width).
_DAY = re.compile(r"(?:(\d{4})年)?(?:(\d{1,2})月)?(\d{1,2})日(?:\(([^()]*)\))?")
_ANY_DAY = re.compile(r"\d{1,2}月\d{1,2}日|\d{1,2}日\(")
_SIGNED = re.compile(r"^国务院办公厅((\d{4})年(\d{1,2})月(\d{1,2})日)?$")
_ISSUED = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_WEEKDAY = re.compile(r"^(?:星期|周|礼拜)([一二三四五六日天])$")
_WEEKDAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_EXTENSION = re.compile(rf"^延长(\d{{4}})年({_FESTIVAL})假期至")


@dataclass(frozen=True)
class Arrangement:
    """The days one numbered item of a notice gives a festival (or two festivals together)."""

    names_zh: tuple[str, ...]
    days_off: tuple[dt.date, ...]
    make_up_days: tuple[dt.date, ...]
    text: str  # the item as read, half-width punctuation
    line: int

    @property
    def name(self) -> str:
        """English name, as holidays.China gives it (two festivals joined by "; ")."""
        return "; ".join(HOLIDAY_NAMES[n] for n in self.names_zh)

    @property
    def name_zh(self) -> str:
        """Chinese name as the notice writes it (两节 joined by "、")."""
        return "、".join(self.names_zh)


@dataclass(frozen=True)
class Extension:
    """An extension notice's item: the festival's days off now run until ``until``."""

    name_zh: str
    until: dt.date
    text: str
    line: int


@dataclass(frozen=True)
class Notice:
    """What a notice says, read for certain.

    ``kind`` is ``"schedule"`` (a year's notice), ``"adjustment"`` (its ``arrangements`` replace
    those of the festival ``festival``) or ``"extension"`` (``extension``). ``notes`` are the
    sentences read as changing no day (an encouragement, an item on schools or pay), shown to
    the operator. ``text_sha256`` is the SHA-256 of the text as given, UTF-8 encoded (for a
    file, ``sha256sum`` of it).
    """

    year: int
    kind: NoticeKind
    title: str
    number: str | None
    issued: dt.date
    text_sha256: str
    arrangements: tuple[Arrangement, ...]
    extension: Extension | None
    festival: str | None
    notes: tuple[str, ...]

    def days_off(self) -> dict[dt.date, Arrangement]:
        """Every day off the notice sets, with the item setting it."""
        return {d: a for a in self.arrangements for d in a.days_off}

    def make_up_days(self) -> dict[dt.date, Arrangement]:
        """Every weekend day the notice makes a working day, with the item setting it."""
        return {d: a for a in self.arrangements for d in a.make_up_days}


def _normalise(line: str) -> str:
    """Half-width punctuation and digits (NFKC), no spaces: one spelling for every paste."""
    return "".join(unicodedata.normalize("NFKC", line).split())


class _Reader:
    """One pass over a notice's text, collecting every problem before refusing it."""

    def __init__(self, text: str, year: int, name: str) -> None:
        self.year = year
        self.name = name
        self.problems: list[Problem] = []
        self.lines = [(i, _normalise(raw)) for i, raw in enumerate(text.splitlines(), 1)]
        self.lines = [(i, s) for i, s in self.lines if s]
        self.seen: dict[dt.date, str] = {}
        self.notes: list[str] = []

    def bad(self, line: int | None, quote: str | None, message: str) -> None:
        where = f"«{quote}»: " if quote else ""
        self.problems.append(Problem(self.name, line, where + message))

    # ---- days ----------------------------------------------------------------------------

    def day(
        self,
        m: re.Match[str],
        year: int | None,
        month: int | None,
        ctx: tuple[int, str],
        after: dt.date | None = None,
    ) -> dt.date | None:
        """The date of a matched day; the year and month default to those given. ``after``:
        the day is the end of a range starting then, and may not precede it."""
        y = int(m[1]) if m[1] else (year if year is not None else self.year)
        mo = int(m[2]) if m[2] else month
        if mo is None:
            self.bad(*ctx, f"'{m[0]}' gives no month, and none precedes it: cannot resolve it")
            return None
        try:
            day = dt.date(y, mo, int(m[3]))
        except ValueError:
            self.bad(*ctx, f"'{m[0]}' is not a real date in {y}")
            return None
        if after is not None and day < after:
            self.bad(
                *ctx,
                f"cannot resolve the range: it runs backwards, from {after} to '{m[0]}' read as "
                f"{day} (a range into another year gives the end's year)",
            )
            return None
        if not (day.year == self.year or (day.year == self.year - 1 and day.month == 12)):
            self.bad(
                *ctx,
                f"{day} is neither in {self.year} nor in December {self.year - 1} "
                "(a notice can change only its year and the December before it)",
            )
            return None
        for part in re.split(r"[、,]", m[4]) if m[4] else ():
            weekday = _WEEKDAY.match(part)
            if weekday:
                said = _WEEKDAY_INDEX[weekday[1]]
                if said != day.weekday():
                    self.bad(
                        *ctx,
                        f"the annotation '{part}' contradicts the date: {day} is a "
                        f"{day.strftime('%A')}",
                    )
                    return None
            elif not part.startswith("农历"):
                self.bad(*ctx, f"cannot read the annotation '{part}' of '{m[0]}'")
                return None
        return day

    def listed(self, day: dt.date, quote: str, ctx: tuple[int, str]) -> bool:
        """Record ``day`` as listed by ``quote``; False (and a problem) if it already was."""
        if day in self.seen:
            self.bad(*ctx, f"{day} is already listed, by «{self.seen[day]}»")
            return False
        self.seen[day] = quote
        return True

    def days_off(self, sentence: str, ctx: tuple[int, str]) -> list[dt.date] | None:
        """The days off of a sentence "<day>[至<day>]放假[调休][N天][,clause...]", or None if
        it is not such a sentence. Clauses: 共N天, 不调休, 与周末连休, <day>补休."""
        first = _DAY.match(sentence)
        if first is None or "放假" not in sentence:
            return None
        start = self.day(first, None, None, ctx)
        pos, end = first.end(), start
        if sentence.startswith("至", pos):
            second = _DAY.match(sentence, pos + 1)
            if second is None:
                self.bad(*ctx, "cannot resolve the end of the range after '至'")
                return []
            if start is not None:
                end = self.day(second, start.year, start.month, ctx, after=start)
            pos = second.end()
        if not sentence.startswith("放假", pos):
            return None
        if start is None or end is None:
            return []
        rest = sentence[pos + 2 :].removeprefix("调休")
        stated = re.match(r"(\d+)天", rest)
        counts = [int(stated[1])] if stated else []
        rest = rest[stated.end() :] if stated else rest
        days = [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]
        if rest and not rest.startswith(","):
            self.bad(*ctx, f"cannot read '{rest}' after '放假'")
            return []
        joins_weekend = False
        for clause in rest.split(",")[1:]:
            total = re.fullmatch(r"共(\d+)天", clause)
            swap = _DAY.fullmatch(clause.removesuffix("补休")) if clause.endswith("补休") else None
            if total:
                counts.append(int(total[1]))
            elif clause == "不调休":
                pass  # checked by the item: it must then have no make-up day
            elif clause == "与周末连休":
                joins_weekend = True
            elif swap:
                extra = self.day(swap, start.year, start.month, ctx)
                if extra is None:
                    return []
                if extra.weekday() >= 5:
                    self.bad(*ctx, f"the day off in lieu (补休) {extra} is a weekend day")
                    return []
                days.append(extra)
            else:
                self.bad(*ctx, f"cannot read the clause '{clause}'")
                return []
        for count in counts:
            if count != len(days):
                self.bad(*ctx, f"says {count} day(s) but gives {len(days)}: {_span(days)}")
                return []
        if joins_weekend and not any(
            (d + dt.timedelta(days=k)).weekday() >= 5 for d in days for k in (-1, 0, 1)
        ):
            self.bad(*ctx, f"says it joins the weekend, but no weekend day adjoins {_span(days)}")
            return []
        return [d for d in days if self.listed(d, sentence, ctx)]

    def make_up_days(self, sentence: str, ctx: tuple[int, str]) -> list[dt.date] | None:
        """The days of "<day>、<day>上班", or None if it is not such a sentence."""
        if not sentence.endswith("上班") or "放假" in sentence or "起正常上班" in sentence:
            return None
        body, pos, found = sentence[:-2], 0, []
        year: int | None = None
        month: int | None = None
        while True:
            m = _DAY.match(body, pos)
            if m is None:
                self.bad(*ctx, f"cannot read the working days at '{body[pos:]}'")
                return []
            day = self.day(m, year, month, ctx)
            if day is None:
                return []
            if day.weekday() < 5:
                self.bad(
                    *ctx,
                    f"{day} is a {day.strftime('%A')}: a make-up working day (调休上班) must be "
                    "a Saturday or Sunday",
                )
                return []
            found.append(day)
            year, month, pos = day.year, day.month, m.end()
            if pos == len(body):
                break
            if body[pos] != "、":
                self.bad(*ctx, f"cannot read the working days at '{body[pos:]}'")
                return []
            pos += 1
        return [d for d in found if self.listed(d, sentence, ctx)]

    # ---- items ---------------------------------------------------------------------------

    def item(self, names: tuple[str, ...], body: str, line: int, text: str) -> Arrangement | None:
        """The days off and make-up days of one item's sentences."""
        off: list[dt.date] = []
        work: list[dt.date] = []
        no_swap = False
        known = len(self.problems)
        for sentence in [s for s in body.split("。") if s]:
            ctx = (line, sentence)
            if sentence.startswith("鼓励"):
                self.notes.append(sentence)  # an encouragement sets no day (e.g. 2024 除夕)
                continue
            days = self.days_off(sentence, ctx)
            if days is not None:
                off += days
                no_swap = no_swap or "不调休" in sentence
                continue
            days = self.make_up_days(sentence, ctx)
            if days is not None:
                work += days
                continue
            self.bad(*ctx, "not a sentence of a holiday arrangement this reader knows")
        if no_swap and work:
            self.bad(line, text, "says 不调休 (no exchange) but lists make-up working days")
        if not off and not work:
            if len(self.problems) == known:
                self.bad(line, text, "gives no day off and no working day")
            return None
        return Arrangement(names, tuple(sorted(off)), tuple(sorted(work)), text, line)

    def extension(self, festival: str, body: str, line: int) -> Extension | None:
        """ "延长<year>年<festival>假期至<day>,<day>起正常上班" (one sentence)."""
        sentence = body.removesuffix("。")
        ctx = (line, sentence)
        head = _EXTENSION.match(sentence)
        if head is None or int(head[1]) != self.year or head[2] != festival:
            self.bad(*ctx, f"expected '延长{self.year}年{festival}假期至<day>，<day>起正常上班'")
            return None
        until_m = _DAY.match(sentence, head.end())
        resume_m = _DAY.match(sentence, until_m.end() + 1) if until_m else None
        if until_m is None or resume_m is None or sentence[until_m.end()] != ",":
            self.bad(*ctx, "cannot read the last day off and the day work resumes")
            return None
        if sentence[resume_m.end() :] != "起正常上班":
            self.bad(*ctx, f"cannot read '{sentence[resume_m.end() :]}'")
            return None
        until = self.day(until_m, None, None, ctx)
        resume = self.day(resume_m, None, None, ctx)
        if until is None or resume is None:
            return None
        if resume != until + dt.timedelta(days=1):
            self.bad(*ctx, f"work resumes on {resume}, not on the day after {until}")
            return None
        return Extension(festival, until, sentence, line)


def _span(days: list[dt.date]) -> str:
    return f"{days[0]}" if len(days) == 1 else f"{min(days)} to {max(days)} ({len(days)} days)"


def parse_notice(text: str, year: int, *, name: str = "notice") -> Notice:
    """Read the text of the State Council's holiday notice for ``year`` (or an adjustment or
    extension of it). ``name`` is how problems name the text (e.g. its file).

    Raises NoticeError listing each sentence that cannot be read for certain.
    """
    if type(year) is not int or not 1949 < year < 10000:
        raise NoticeError([Problem(name, None, f"year must be a year such as 2027, got {year!r}")])
    reader = _Reader(text, year, name)
    lines = reader.lines
    first = next((k for k, (_, s) in enumerate(lines) if _ITEM.match(s)), None)
    if first is None:
        raise NoticeError([Problem(name, None, "no numbered item (一、…) starts a line")])
    # The title and 文号 stand above the addressee (各省、自治区…) or, without one, above the
    # preamble: a preamble may cite another notice's title or number, which must not be taken.
    top = next(
        (k for k, (_, s) in enumerate(lines[:first]) if s.startswith("各省") or "通知如下" in s),
        first,
    )
    front = "".join(s for _, s in lines[:top])
    kind, festival, title = _title(reader, front)
    if kind is None:
        raise NoticeError(reader.problems)
    number_m = NOTICE_NUMBER.search(front)
    number = f"国办发明电〔{number_m[1]}〕{number_m[2]}号" if number_m else None
    _preamble(reader, lines[:first])

    items: list[tuple[int, str, str]] = []  # (line, numeral, body)
    signed: int | None = None
    for k in range(first, len(lines)):
        line, s = lines[k]
        m = _ITEM.match(s)
        if m:
            items.append((line, m[1], m[2]))
        elif _SIGNED.match(s):
            signed = k
            break
        elif _ANY_DAY.search(s):
            reader.bad(line, s, "a line outside the numbered items names a day")
        # any other line there is the closing paragraph (值班和安全…): it sets no day
    issued = _issued(reader, lines, signed)
    for expected, (line, numeral, _) in enumerate(items, 1):
        if numeral != _numeral(expected):
            reader.bad(line, f"{numeral}、", f"item {_numeral(expected)} was expected here")

    arrangements: list[Arrangement] = []
    extension: Extension | None = None
    for line, numeral, body in items:
        text_of_item = f"{numeral}、{body}"
        if kind == "schedule":
            head = re.match(r"^([^:]+):(.*)$", body)
            names = tuple(head[1].split("、")) if head else ()
            unknown = [n for n in names if n not in HOLIDAY_NAMES]
            if head is None or unknown:
                what = f"unknown festival {'、'.join(unknown)}" if unknown else "no festival"
                reader.bad(line, text_of_item, f"{what}; expected '<festival>：…' with one of "
                           + "、".join(HOLIDAY_NAMES))  # fmt: skip
                continue
            found = reader.item(names, head[2], line, text_of_item)
            if found is not None:
                arrangements.append(found)
        elif not _ANY_DAY.search(body):
            reader.notes.append(text_of_item)  # e.g. schools reopen later; pay for duty days
        elif kind == "extension":
            assert festival is not None
            if extension is not None:
                reader.bad(line, text_of_item, "a second extension in one notice")
            extension = reader.extension(festival, body, line)
        else:
            assert festival is not None
            found = reader.item((festival,), body, line, text_of_item)
            if found is not None:
                arrangements.append(found)
    if kind == "extension" and extension is None and not reader.problems:
        reader.bad(None, None, "an extension notice without the sentence '延长…假期至…'")
    if kind == "adjustment" and not arrangements and not reader.problems:
        reader.bad(None, None, "an adjustment notice that gives no day")
    if reader.problems or issued is None:
        raise NoticeError(reader.problems)
    assert title is not None and kind is not None
    return Notice(
        year=year,
        kind=kind,
        title=title,
        number=number,
        issued=issued,
        text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
        arrangements=tuple(arrangements),
        extension=extension,
        festival=festival,
        notes=tuple(reader.notes),
    )


def _numeral(n: int) -> str:
    """一 … 十, 十一 … 十九: the numbering of a notice's items."""
    return _NUMERALS[n - 1] if n <= 10 else "十" + _NUMERALS[n - 11]


def _title(reader: _Reader, front: str) -> tuple[NoticeKind | None, str | None, str | None]:
    """The first title of a known kind in the header (a page may name other notices after)."""
    found = [
        (m.start(), kind, m) for kind, pattern in _TITLES for m in [pattern.search(front)] if m
    ]
    if found:
        _, kind, m = min(found, key=lambda f: f[0])
        if int(m[1]) != reader.year:
            reader.bad(None, m[0], f"the notice is for {m[1]}, not {reader.year}")
        return kind, (m[2] if kind != "schedule" else None), m[0]
    reader.bad(
        None,
        None,
        f"no title found before item 一: paste the notice's title too "
        f"(国务院办公厅关于{reader.year}年部分节假日安排的通知, or of an adjustment "
        "or extension of it)",
    )
    return None, None, None


def _preamble(reader: _Reader, front: list[tuple[int, str]]) -> None:
    """The lines before item 一 end with "…通知如下。": nothing after it is left unread."""
    at = next((k for k, (_, s) in enumerate(front) if "通知如下" in s), None)
    if at is None:
        reader.bad(None, None, "no '…通知如下' sentence before item 一: is this a notice?")
        return
    line, s = front[at]
    after = s.split("通知如下", 1)[1]
    if after not in ("", "。", ":"):
        reader.bad(line, after, "text after '通知如下' outside a numbered item is not read")
    for line, s in front[at + 1 :]:
        reader.bad(line, s, "text between '通知如下' and item 一 is not read")


def _issued(reader: _Reader, lines: list[tuple[int, str]], signed: int | None) -> dt.date | None:
    """The date under the signature 国务院办公厅 (on its line or the next)."""
    if signed is None:
        reader.bad(None, None, "the signature '国务院办公厅' and its date were not found")
        return None
    line, s = lines[signed]
    m = _SIGNED.match(s)
    assert m is not None
    date_m = _ISSUED.match(m[1]) if m[1] else None
    if date_m is None and signed + 1 < len(lines):
        line, s = lines[signed + 1]
        date_m = _ISSUED.match(s)
    if date_m is None:
        reader.bad(line, s, "expected the notice's date (YYYY年M月D日) after '国务院办公厅'")
        return None
    try:
        issued = dt.date(int(date_m[1]), int(date_m[2]), int(date_m[3]))
    except ValueError:
        reader.bad(line, s, "not a real date")
        return None
    if issued.year not in (reader.year - 1, reader.year):
        reader.bad(line, s, f"a notice for {reader.year} is dated {issued}")
    return issued
