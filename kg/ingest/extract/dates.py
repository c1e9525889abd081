"""Dates in newsletter text: absolute, partial and relative, with what each date is for.

Forms (spaces may sit anywhere between the parts, full-width characters are folded):

- absolute: ``2025年2月11日``, ``2025 年 12 月 30 日``, ``二〇二五年三月一日``, ``2025-02-11``,
  ``2025.02.11``, ``2025/2/11``; ``2025年2月`` is a month; a year alone (``2026 年生效``) only in
  an effective or expiry phrase;
- ranges: ``12月29日至30日``, ``2025年2月4-7日``, ``2月10-11日``: the first day is the mention,
  the last day a second mention with role ``range-end``;
- without a year (``12月9日``, ``本月4日``, ``上月31日``, ``6日``, ``今年3月``) and relative words
  (``近日``, ``日前``, ``近期``, ``目前``): resolved against the newsletter's date (``reference``).
  An event date is never later than the reference (``12月9日`` in an issue of 2026-01-15 is
  2025-12-09); an effective date, expiry or deadline takes the year that puts it nearest the
  reference, the next one when the sentence says 将/拟 (it is announced for the future);
- a news date (``12月13日消息，…近日…``) bounds the relative words after it in its sentence.

Roles: ``effective`` (…起施行 / 实施 / 生效), ``expiry`` (有效期至…), ``deadline`` (…前反馈,
截止时间为…), ``range-end`` and ``event`` (everything else).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from ...facts.values import PDate
from ...model.ids import fold_width
from .numerals import parse_int

# ---------------------------------------------------------------- gazetteers

ROLES = ("event", "effective", "expiry", "deadline", "range-end")

#: Words (after a date) that make it the date a text takes effect.
EFFECTIVE_VERBS = ("施行", "实施", "生效", "执行", "实行", "适用", "启用")
#: Words (before a date) that make it the end of a validity period.
EXPIRY_BEFORE = ("有效期至", "有效期到", "有效期截至", "有效期截止至", "有效期截止到", "有效期截止")
#: Words before a range whose end is the expiry (有效期为2026年1月1日至2028年12月31日).
VALIDITY_BEFORE = ("有效期为", "有效期是", "有效期自", "有效期从", "有效期:", "有效期")
#: Words before a range whose end is a deadline (征求意见时间为12月1日至12月31日).
PERIOD_DEADLINE_BEFORE = ("征求意见时间为", "征求意见期为", "征求意见期限为", "反馈时间为", "反馈期限为",
                          "征求意见时间", "征求意见期", "反馈时间", "征求意见")
#: Words (before a date) that make it a deadline. A bare 截止到 / 截至 is left out: it is often
#: written for "as of" (截止到12月31日，全市已有…), a status date, not a deadline.
DEADLINE_BEFORE = ("截止时间为", "截止时间是", "截止日期为", "截止日期是", "截止时间", "截止日期", "截止日",
                   "征求意见截止", "意见反馈截止", "反馈截止", "报名截止", "申报截止", "提交截止",
                   "反馈期限为", "期限为", "期限至")
#: Words (after a date) that make it a deadline (…前反馈, 截至…前); 前往, 前夕 are not.
DEADLINE_AFTER = ("24时前", "24:00前", "二十四时前", "之前", "以前", "前")
DEADLINE_AFTER_NOT = "往夕后进沿景身列期述"
#: Words after an effective verb that make it part of a name (2025年实施方案), not a phrase.
EFFECTIVE_NOT_BEFORE = ("方案", "意见", "细则", "办法", "计划", "条例", "规则", "情况", "指南", "路径", "要求",
                        "工作", "步骤", "效果", "主体", "机制", "纲要", "规划")
#: Relative words that stand for the reference month (or a news date's month).
RELATIVE_WORDS = ("近日", "日前", "近期", "目前")
#: Words (after a date) that make it the date of a news report, bounding 近日 after it
#: (电 and 讯 only when they do not start another word: 电信, 讯息).
NEWS_AFTER = ("消息", "电", "讯")
NEWS_NOT_WORD = "信子话力脑视商网器池动源息号"
#: Words that announce a future date (将于…起施行).
FUTURE_WORDS = ("将于", "将自", "拟于", "拟自", "计划于", "预计于", "定于", "将")
#: Characters before a bare day (6日) that make it a duration or an ordinal, not a date.
BARE_DAY_NOT_AFTER = "0123456789.月年第前后近每数几个余多内续满逾超共计期的约拘留为达长"
#: Words after a bare day that make it a duration (15日内, 3日后).
BARE_DAY_NOT_BEFORE = ("内", "以内", "之内", "后", "以后", "之后", "起算", "左右", "为限", "时间", "的处罚", "的拘留")
#: Words before a yearless date that make it a rule, not a date (每年1月1日, 当年1月1日起).
GENERIC_YEAR_BEFORE = ("每年", "当年", "次年", "同年", "每月", "翌年")

# ---------------------------------------------------------------- patterns


def _spaced(word: str) -> str:
    """A regex for ``word`` that allows whitespace (a broken line) between its characters."""
    return r"\s*".join(re.escape(c) for c in word)


def _alt(words) -> str:
    return "|".join(_spaced(w) for w in sorted(set(words), key=len, reverse=True))


_S = r"\s*"
_YEAR = r"(?:\d{4}|[〇零○一二三四五六七八九]{4})"
_MON = r"(?:\d{1,2}|十[一二]?|[一二三四五六七八九])"
_DAY = r"(?:\d{1,2}|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_DAYMARK = r"(?:日|号)"
_SEP = r"(?:[-–—~至到]|－)"
_RANGE = (
    rf"(?:{_S}(?P<sep>{_SEP}){_S}(?:(?P<y2>\d{{4}}){_S}年{_S})?(?:(?P<m2>{_MON}){_S}月{_S})?"
    rf"(?P<d2>{_DAY}){_S}{_DAYMARK})"
)
_CN_NUM = "〇零○一二三四五六七八九十"

RE_FULL = re.compile(
    rf"(?<![\d{_CN_NUM}])(?P<y>{_YEAR}){_S}年{_S}(?P<m>{_MON}){_S}月{_S}(?P<d>{_DAY})"
    rf"(?P<dm>{_S}{_DAYMARK})?{_RANGE}?"
)
RE_MONTH = re.compile(rf"(?<![\d{_CN_NUM}])(?P<y>{_YEAR}){_S}年{_S}(?P<m>{_MON}){_S}月")
RE_ISO = re.compile(r"(?<![\d.\-/])(?P<y>\d{4})(?P<s>[-./])(?P<m>\d{1,2})(?P=s)(?P<d>\d{1,2})(?![\d.\-/])")
RE_MONTH_DAY = re.compile(
    rf"(?<![\d{_CN_NUM}])(?P<m>{_MON}){_S}月{_S}(?P<d>{_DAY})(?P<dm>{_S}{_DAYMARK})?{_RANGE}?"
)
_VERB = rf"(?:{_alt(EFFECTIVE_VERBS)})(?!{_S}(?:{_alt(EFFECTIVE_NOT_BEFORE)}))"
RE_YEAR_EFFECTIVE = re.compile(
    rf"(?<![\d{_CN_NUM}])(?P<y>\d{{4}}){_S}年(?=(?:{_S}(?:起|开始|正式|全面))*{_S}{_VERB})"
)
RE_YEAR_EXPIRY = re.compile(
    rf"(?<=[至到止])(?P<pre>{_S})(?P<y>\d{{4}}){_S}年(?!{_S}(?:\d|[{_CN_NUM}]))"
)
RE_RELATIVE_WORD = re.compile(rf"(?<![\d{_CN_NUM}之当该本次每前])(?:{_alt(RELATIVE_WORDS)})")
RE_THIS_LAST_MONTH = re.compile(rf"(?P<w>本月|上月|上个月){_S}(?:(?P<d>{_DAY}){_S}{_DAYMARK})?")
RE_NAMED_YEAR = re.compile(
    rf"(?P<w>今年|本年|去年|上年|明年){_S}(?P<m>{_MON}){_S}月(?:{_S}(?P<d>{_DAY}){_S}{_DAYMARK})?"
)
RE_BARE_DAY = re.compile(rf"(?<![\d{_CN_NUM}])(?P<d>\d{{1,2}}){_S}日")

_EFFECTIVE_AFTER = re.compile(rf"{_S}(?:(?:起|开始|正式|全面|将){_S})*{_VERB}")
_EXPIRY_BEFORE = re.compile(rf"(?:{_alt(EXPIRY_BEFORE)}){_S}$")
_DEADLINE_BEFORE = re.compile(rf"(?:{_alt(DEADLINE_BEFORE)}){_S}[:：]?{_S}$")
_DEADLINE_AFTER = re.compile(rf"{_S}(?:{_alt(DEADLINE_AFTER)})(?![{DEADLINE_AFTER_NOT}])")
_NEWS_AFTER = re.compile(rf"{_S}(?:{_alt(NEWS_AFTER)})(?![{NEWS_NOT_WORD}])")
_VALIDITY_BEFORE = re.compile(rf"(?:{_alt(VALIDITY_BEFORE)}){_S}[:：]?{_S}(?:自|从)?{_S}$")
_PERIOD_DEADLINE_BEFORE = re.compile(rf"(?:{_alt(PERIOD_DEADLINE_BEFORE)}){_S}[:：]?{_S}(?:自|从)?{_S}$")
_FUTURE = re.compile(_alt(FUTURE_WORDS))
_SENTENCE_END = re.compile(r"[。!?！？]|\n\s*\n")
_ISSUED = re.compile(
    rf"自{_S}(?:本\S{{0,8}}?)?(?:{_alt(('发布', '公布', '印发', '颁布', '公告'))}){_S}之{_S}日{_S}起"
)

# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class DateMention:
    """One date found in a text."""

    date: PDate  # "YYYY-MM-DD", "YYYY-MM" or "YYYY"
    start: int  # span in the input text
    end: int
    relative: bool  # inferred: no year written, or a relative word (近日, 上月31日 ...)
    role: str  # "event" | "effective" | "expiry" | "deadline" | "range-end"


@dataclass
class _Raw:
    """A date as written, before the year of a yearless date is chosen."""

    start: int
    end: int
    year: int | None
    month: int | None
    day: int | None
    kind: str  # "abs" | "yearless" | "relword" | "thismonth" | "lastmonth" | "bareday" | "named"
    role: str = "event"
    range_end: _Raw | None = None
    range_end_role: str = "range-end"
    news: bool = False
    offset: int = 0  # years added to the reference year (今年 0, 去年 -1, 明年 1)


def _num(text: str | None) -> int | None:
    if text is None:
        return None
    return parse_int(text)


def _valid(y: int, m: int | None, d: int | None) -> bool:
    if not 1000 <= y <= 2999:
        return False
    try:
        dt.date(y, 1 if m is None else m, 1 if d is None else d)
    except (ValueError, TypeError, OverflowError):
        return False
    return True


def _fmt(y: int, m: int | None = None, d: int | None = None) -> PDate:
    if m is None:
        return PDate(f"{y:04d}")
    if d is None:
        return PDate(f"{y:04d}-{m:02d}")
    return PDate(f"{y:04d}-{m:02d}-{d:02d}")


def _ref_parts(reference: PDate | None) -> tuple[int, int | None, int | None] | None:
    if reference is None:
        return None
    try:
        parts = [int(p) for p in str(reference).split("-")]
    except ValueError:
        return None
    if not parts:
        return None
    return parts[0], (parts[1] if len(parts) > 1 else None), (parts[2] if len(parts) > 2 else None)


def _range_end(m: re.Match) -> _Raw | None:
    if not m.group("d2"):
        return None
    start = min(m.start(g) for g in ("y2", "m2", "d2") if m.group(g))
    return _Raw(start, m.end(), _num(m.group("y2")), _num(m.group("m2")), _num(m.group("d2")), "range")


def _found(rx: re.Pattern, text: str, word: str) -> Iterable[re.Match]:
    """The matches of ``rx``, a pattern whose every match contains ``word``: a text without the
    word is not scanned."""
    return rx.finditer(text) if word in text else ()


def _scan(folded: str) -> list[_Raw]:
    """Every date-like span, earliest first, overlaps resolved (longest at one start wins)."""
    out: list[_Raw] = []
    for m in _found(RE_FULL, folded, "年"):
        y, mo, d = _num(m.group("y")), _num(m.group("m")), _num(m.group("d"))
        if y is None or mo is None or d is None:
            continue
        if not m.group("dm") and not m.group("d2"):
            continue  # 2025年2月4 without 日: left to RE_MONTH
        raw = _Raw(m.start(), m.end("dm") if m.group("dm") else m.end("d"), y, mo, d, "abs")
        raw.range_end = _range_end(m)
        out.append(raw)
    for m in _found(RE_MONTH, folded, "年"):
        y, mo = _num(m.group("y")), _num(m.group("m"))
        if y is not None and mo is not None:
            out.append(_Raw(m.start(), m.end(), y, mo, None, "abs"))
    for m in RE_ISO.finditer(folded):
        out.append(_Raw(m.start(), m.end(), int(m.group("y")), int(m.group("m")), int(m.group("d")), "abs"))
    for m in _found(RE_MONTH_DAY, folded, "月"):
        mo, d = _num(m.group("m")), _num(m.group("d"))
        if mo is None or d is None or (not m.group("dm") and not m.group("d2")):
            continue
        if folded[max(0, m.start() - 4):m.start()].rstrip().endswith(GENERIC_YEAR_BEFORE):
            continue
        raw = _Raw(m.start(), m.end("dm") if m.group("dm") else m.end("d"), None, mo, d, "yearless")
        raw.range_end = _range_end(m)
        out.append(raw)
    for m in _found(RE_YEAR_EFFECTIVE, folded, "年"):
        out.append(_Raw(m.start(), m.end(), int(m.group("y")), None, None, "abs", role="effective"))
    for m in _found(RE_YEAR_EXPIRY, folded, "年"):
        if _EXPIRY_BEFORE.search(folded[max(0, m.start() - 12):m.end("pre")]):
            out.append(_Raw(m.start("y"), m.end(), int(m.group("y")), None, None, "abs", role="expiry"))
    for m in RE_RELATIVE_WORD.finditer(folded):
        out.append(_Raw(m.start(), m.end(), None, None, None, "relword"))
    for m in _found(RE_THIS_LAST_MONTH, folded, "月"):
        kind = "thismonth" if m.group("w") in ("本月", "当月") else "lastmonth"
        out.append(_Raw(m.start(), m.end(), None, None, _num(m.group("d")), kind))
    for m in _found(RE_NAMED_YEAR, folded, "年"):
        offset = {"今年": 0, "本年": 0, "去年": -1, "上年": -1, "明年": 1}[m.group("w")]
        raw = _Raw(m.start(), m.end(), None, _num(m.group("m")), _num(m.group("d")), "named", offset=offset)
        out.append(raw)
    for m in _found(RE_BARE_DAY, folded, "日"):
        before = folded[max(0, m.start() - 16):m.start()].rstrip()
        if before and before[-1] in BARE_DAY_NOT_AFTER:
            continue
        after = folded[m.end():m.end() + 4].lstrip()
        if after.startswith(BARE_DAY_NOT_BEFORE):
            continue
        out.append(_Raw(m.start(), m.end(), None, None, _num(m.group("d")), "bareday"))
    out.sort(key=lambda r: (r.start, -(r.end - r.start)))
    chosen: list[_Raw] = []
    for r in out:
        if chosen and r.start < _full_end(chosen[-1]):
            continue
        chosen.append(r)
    return chosen


def _full_end(r: _Raw) -> int:
    """The end of a mention including its range end."""
    return r.range_end.end if r.range_end else r.end


def _assign_roles(folded: str, raws: list[_Raw]) -> None:
    for r in raws:
        if r.kind == "relword":
            continue
        full_end = _full_end(r)
        before = folded[max(0, r.start - 16):r.start]
        if r.range_end is not None:
            if _VALIDITY_BEFORE.search(before):
                r.range_end_role = "expiry"
                if r.role == "event":
                    r.role = "effective"  # the validity period starts
            elif _PERIOD_DEADLINE_BEFORE.search(before):
                r.range_end_role = "deadline"
        if r.role == "event":
            if _EXPIRY_BEFORE.search(before):
                r.role = "expiry"
            elif _EFFECTIVE_AFTER.match(folded, full_end):
                r.role = "effective"
            elif _DEADLINE_BEFORE.search(before) or _DEADLINE_AFTER.match(folded, full_end):
                r.role = "deadline"
        r.news = r.role == "event" and bool(_NEWS_AFTER.match(folded, full_end))


def _sentence_start(folded: str, pos: int) -> int:
    start = 0
    for m in _SENTENCE_END.finditer(folded, max(0, pos - 400), pos):
        start = m.end()
    return start


def _future(folded: str, pos: int) -> bool:
    clause = folded[_sentence_start(folded, pos):pos]
    clause = re.split(r"[,，;；]", clause)[-1]
    return bool(_FUTURE.search(clause))


def _choose_year(mo: int, d: int | None, ref: tuple[int, int | None, int | None], role: str, future: bool) -> int:
    """The year of a yearless month/day given the reference and what the date is for."""
    ry, rm, rd = ref
    if rm is None:
        return ry
    ref_day = rd or (calendar.monthrange(ry, rm)[1] if role == "event" else 15)
    ref_date = dt.date(ry, rm, ref_day)

    def as_date(y: int) -> dt.date | None:
        day = d or 1
        try:
            return dt.date(y, mo, day)
        except ValueError:
            return None

    if role in ("event", "range-end"):
        if d is None or rd is None:
            return ry - 1 if mo > rm else ry
        return ry - 1 if (mo, d) > (rm, rd) else ry
    candidates = [(y, as_date(y)) for y in (ry - 1, ry, ry + 1)]
    candidates = [(y, c) for y, c in candidates if c is not None]
    if not candidates:
        return ry
    if future:
        ahead = [(y, c) for y, c in candidates if c >= ref_date.replace(day=1)]
        if ahead:
            return ahead[0][0]
    return min(candidates, key=lambda yc: abs((yc[1] - ref_date).days))[0]


def _resolve(
    r: _Raw, ref: tuple[int, int | None, int | None] | None, anchor: PDate | None, folded: str
) -> tuple[PDate, bool] | None:
    """The date of a raw mention and whether it was inferred; None when it cannot be known."""
    if r.kind == "abs":
        assert r.year is not None
        if not _valid(r.year, r.month, r.day):
            return None
        return _fmt(r.year, r.month, r.day), False
    if r.kind == "relword":
        if anchor is not None:
            return PDate(str(anchor)[:7]) if len(str(anchor)) >= 7 else anchor, True
        if ref is None:
            return None
        ry, rm, _ = ref
        return (_fmt(ry, rm) if rm else _fmt(ry)), True
    if ref is None:
        return None
    ry, rm, rd = ref
    if r.kind == "yearless":
        assert r.month is not None
        y = _choose_year(r.month, r.day, ref, r.role, _future(folded, r.start))
        return (_fmt(y, r.month, r.day), True) if _valid(y, r.month, r.day) else None
    if r.kind == "named":
        y = ry + r.offset
        if r.month is None or not _valid(y, r.month, r.day):
            return None
        return _fmt(y, r.month, r.day), True
    if rm is None:
        return None
    if r.kind in ("thismonth", "lastmonth"):
        y, mo = ry, rm
        if r.kind == "lastmonth":
            y, mo = (ry - 1, 12) if rm == 1 else (ry, rm - 1)
        if r.day is not None and _valid(y, mo, r.day):
            return _fmt(y, mo, r.day), True
        return _fmt(y, mo), True  # 上月31日 in a month without a 31st: the month is all we know
    if r.kind == "bareday":
        if r.day is None:
            return None
        y, mo = ry, rm
        if (rd is not None and r.day > rd) or not _valid(y, mo, r.day):
            y, mo = (ry - 1, 12) if rm == 1 else (ry, rm - 1)
        return (_fmt(y, mo, r.day), True) if _valid(y, mo, r.day) else None
    return None


def _resolve_range_end(end: _Raw, start_date: PDate) -> PDate | None:
    parts = [int(p) for p in str(start_date).split("-")]
    if len(parts) < 3:
        return None
    y, mo, d = parts
    y2 = end.year or y
    m2 = end.month or mo
    d2 = end.day
    if d2 is None:
        return None
    if end.year is None and (m2, d2) < (mo, d):
        y2 += 1  # 12月29日至1月2日
    if not _valid(y2, m2, d2):
        return None
    return _fmt(y2, m2, d2)


@lru_cache(maxsize=4096)
def _mentions(text: str, reference: PDate | None) -> tuple[tuple[DateMention, bool], ...]:
    """Mentions with a flag for news dates (``12月13日消息``); cached, as the date finders of an
    item often read one text."""
    folded = fold_width(text)
    raws = _scan(folded)
    _assign_roles(folded, raws)
    ref = _ref_parts(reference)
    out: list[tuple[DateMention, bool]] = []
    anchor: PDate | None = None
    anchor_sentence = -1
    for r in raws:
        sentence = _sentence_start(folded, r.start)
        use_anchor = anchor if anchor_sentence == sentence else None
        resolved = _resolve(r, ref, use_anchor, folded)
        if resolved is None:
            continue
        date, relative = resolved
        out.append((DateMention(date, r.start, r.end, relative, r.role), r.news))
        if r.news:
            anchor, anchor_sentence = date, sentence
        if r.range_end is not None:
            end_date = _resolve_range_end(r.range_end, date)
            if end_date is not None:
                role = "deadline" if r.role == "deadline" else r.range_end_role
                out.append((DateMention(end_date, r.range_end.start, r.range_end.end, relative, role), False))
    return tuple(out)


# ---------------------------------------------------------------- public API


def find_dates(text: str, reference: PDate | None) -> list[DateMention]:
    """Every date in ``text``, in order; yearless and relative dates resolved against ``reference``."""
    if not isinstance(text, str) or not text:
        return []
    try:
        return [m for m, _ in _mentions(text, reference)]
    except Exception:  # never fail on odd input
        return []


def _first(text: str, reference: PDate | None, role: str) -> PDate | None:
    for m in find_dates(text, reference):
        if m.role == role:
            return m.date
    return None


def effective_date(text: str, reference: PDate | None, issued: PDate | None = None) -> PDate | None:
    """The date ``text`` says something takes effect (自2026年4月10日起施行, 将于…起正式实施,
    2026 年生效); for 自(本…)发布之日起 the ``issued`` date, else the event date of the text."""
    date = _first(text, reference, "effective")
    if date is not None:
        return date
    try:
        if isinstance(text, str) and _ISSUED.search(fold_width(text)):
            return issued if issued is not None else event_date(text, reference)
    except Exception:  # never fail on odd input
        return None
    return None


def expiry_date(text: str, reference: PDate | None) -> PDate | None:
    """The end of a validity period (有效期至2028年12月31日)."""
    return _first(text, reference, "expiry")


def deadline(text: str, reference: PDate | None) -> PDate | None:
    """A deadline: 意见反馈截止时间为…, 截至…前, 于…前反馈, 应在…前完成."""
    return _first(text, reference, "deadline")


def event_date(sentence: str, reference: PDate | None) -> PDate | None:
    """The date of the event a sentence reports: its first date that is not an effective date,
    expiry, deadline or range end. A news date (``12月13日消息``) gives way to a later date in
    its sentence (近日 then stands for the news date's month) and is the answer otherwise."""
    if not isinstance(sentence, str) or not sentence:
        return None
    try:
        mentions = _mentions(sentence, reference)
    except Exception:  # never fail on odd input
        return None
    news_date: PDate | None = None
    for m, news in mentions:
        if m.role != "event":
            continue
        if news:
            news_date = news_date or m.date
            continue
        return m.date
    return news_date
