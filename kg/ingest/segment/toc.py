"""The table of contents: where it is, its entries and their levels.

A contents list opens with a marker line (目录, 目  录, 本期目录 CONTENTS, AT A GLANCE | 本期速览 …,
the ``toc_markers`` of the layout lexicon) or, without one, is a run of lines ending in page
numbers. Its entries run to a body marker (正文) when there is one; otherwise to the first line
that is not an entry: a separator, a paragraph, the body repeating the first entry, or a blank
line after which no page-numbered entry follows. Entries may carry page numbers after tabs,
spaces or leaders (……, ·····, ....) or none at all.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...model.ids import clean_text, nfkc, squash_spaces
from ..clean import CleanLine
from ..lexicon import words
from .markers import RANKS, parse_marker
from .model import TocEntry

_LEADER = r"(?:\s*[.…·•・‧∙⋯_]{2,}\s*|\s*[.…·]\s+|\t|\s{2,})"
RE_TOC_PAGE = re.compile(rf"(?:{_LEADER})\s*(?:[-–—]\s*)?\d{{1,3}}(?:\s*[-–—])?\s*$")
RE_TOC_DASH = re.compile(r"^[-–—]\s*(\d{1,3})\s+\S")
_SEPARATOR = re.compile(r"^[\s=\-—–_~·*#.…•■◆●▪※|｜]{5,}$")
_MARKER_WORDS = re.compile("^(?:" + "|".join(re.escape(w.replace(" ", "").lower())
                                            for w in words("layout", "toc_markers")) + ")+$")
_BODY_WORDS = set(words("layout", "body_markers"))
_NOT_MARKER_CHARS = re.compile(r"[\s|｜/·:：\-—_*#\[\]【】()（）]+|[^\w]", re.U)


def is_toc_marker(text: str) -> bool:
    """A line that only says "contents" (in one or two languages, with decoration)."""
    t = _NOT_MARKER_CHARS.sub("", nfkc(text).lower())
    return bool(t) and bool(_MARKER_WORDS.match(t))


def is_toc_like(text: str) -> bool:
    """A line ending in a page number (after a tab, spaces or leaders) or opening with ``- 01``."""
    return bool((_ends_in_number(text) and RE_TOC_PAGE.search(text)) or RE_TOC_DASH.match(text))


def _ends_in_number(text: str) -> bool:
    """Whether ``text`` ends as every match of RE_TOC_PAGE does (a digit, perhaps a dash after it,
    then spaces): the pattern is not scanned over a line that cannot hold one."""
    end = text.rstrip()
    if end.endswith(("-", "–", "—")):
        end = end[:-1].rstrip()
    return end[-1:].isdecimal()


def _without_page(text: str) -> str:
    """``text`` without the page number (and leaders) at its end."""
    return RE_TOC_PAGE.sub("", text) if _ends_in_number(text) else text


@lru_cache(maxsize=1 << 16)
def heading_key(text: str) -> str:
    """The comparable form of a heading or TOC entry: no enumerator, page number or spaces."""
    t = nfkc(text).strip()
    t = _without_page(t)
    t = re.sub(r"[\s.…·]+$", "", t)
    t = re.sub(r"^[-–—]\s*\d{1,3}\s+", "", t)
    m = parse_marker(t)
    if m is not None and m.kind not in ("date", "word", "label"):
        t = m.rest
    return clean_text(t).strip(" .。:：|")


@lru_cache(maxsize=1 << 16)
def heading_level(text: str) -> int | None:
    """0 (part, chapter, section label), 1 (subsection, month) or 2 (numbered item) for a line
    that looks like a heading by its marker, else None. Bullets and labels are not levels."""
    m = parse_marker(text.strip())
    if m is None or m.kind in ("bullet", "label", "nump"):
        return None
    rank = RANKS[m.kind]
    return 0 if rank <= 2 else 1 if rank <= 4 else 2


def find_toc(lines: list[CleanLine]) -> tuple[int, int, list[TocEntry]]:
    """The TOC region (first and last line numbers, 0 if none) and its entries."""
    text_idx = [i for i, ln in enumerate(lines) if ln.kind in ("text", "table")]
    start = next((i for i in text_idx[:200] if is_toc_marker(lines[i].raw)), None)
    body_marker = next((ln for ln in lines if ln.kind == "text" and squash_spaces(ln.text) in _BODY_WORDS), None)
    if start is None:
        start = _unmarked_toc(lines, text_idx)
        if start is None:
            return 0, 0, []
    entries = _entries(lines, start, body_marker)
    if not entries:
        return 0, 0, []
    end_no = body_marker.no if body_marker is not None and body_marker.no > entries[-1].no else entries[-1].no
    return lines[start].no, end_no, _toc_entries(entries)


def _unmarked_toc(lines: list[CleanLine], text_idx: list[int]) -> int | None:
    """Without a marker: a run of at least 5 page-numbered lines near the start (the index
    before its first line is returned)."""
    run: list[int] = []
    for i in text_idx[:300]:
        ln = lines[i]
        if is_toc_like(ln.raw.strip()):
            run.append(i)
            if len(run) >= 5:
                return run[0] - 1
        elif run and len(ln.text) > 12:
            run = []
    return None


def _next_text(lines: list[CleanLine], j: int) -> int | None:
    while j < len(lines) and lines[j].kind not in ("text", "table"):
        j += 1
    return j if j < len(lines) else None


def _entries(lines: list[CleanLine], start: int, body_marker: CleanLine | None) -> list[CleanLine]:
    out: list[CleanLine] = []
    j = start + 1
    until_body = body_marker is not None and body_marker.no > lines[start].no
    while j < len(lines):
        ln = lines[j]
        if until_body:
            if ln.no >= body_marker.no:
                break
            if ln.kind in ("text", "table"):
                out.append(ln)
            j += 1
            continue
        if ln.kind not in ("text", "table"):
            if ln.kind == "blank" and out and not _continues_after_gap(lines, j, out):
                break
            j += 1
            continue
        raw = ln.raw.strip()
        if _SEPARATOR.match(nfkc(raw)) or (out and heading_key(raw) == heading_key(out[0].raw)) \
                or _is_paragraph(raw):
            break
        out.append(ln)
        j += 1
    return out


def _continues_after_gap(lines: list[CleanLine], j: int, out: list[CleanLine]) -> bool:
    """After a blank line the list goes on only with a page-numbered entry (or a short group
    label before one), never with the body repeating an entry."""
    k = _next_text(lines, j)
    if k is None:
        return False
    raw = lines[k].raw.strip()
    if heading_key(raw) == heading_key(out[0].raw):
        return False
    if is_toc_like(raw):
        return True
    k2 = _next_text(lines, k + 1)
    return len(squash_spaces(lines[k].text)) <= 12 and k2 is not None and is_toc_like(lines[k2].raw.strip())


def _is_paragraph(raw: str) -> bool:
    t = nfkc(raw).strip()
    return len(t) > 160 or (t.endswith("。") and not is_toc_like(t) and len(t) > 40)


def _toc_entries(raw: list[CleanLine]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    merged: list[CleanLine] = []
    for ln in raw:
        text = ln.raw.strip()
        # a continuation of a wrapped entry: no enumerator, and the previous entry had no page number
        if merged and heading_level(text) is None and not RE_TOC_DASH.match(text) \
                and not is_toc_like(merged[-1].raw.strip()) and len(merged[-1].text) > 10 \
                and parse_marker(text) is None:
            prev = merged[-1]
            merged[-1] = CleanLine(prev.no, prev.raw.strip() + text, prev.text + ln.text)
            continue
        merged.append(ln)
    stack: dict[int, str] = {}
    has_dash = any(RE_TOC_DASH.match(ln.raw.strip()) for ln in merged)
    for ln in merged:
        text = ln.raw.strip()
        level = heading_level(re.sub(r"[\s.…·]+$", "", _without_page(nfkc(text))))
        if RE_TOC_DASH.match(text):
            level = 2
        elif level is None:
            level = 0 if (has_dash or len(heading_key(text)) <= 16 or not is_toc_like(text)) else 2
        key = heading_key(text)
        if not key:
            continue
        sections = [stack[k] for k in sorted(stack) if k < level]
        entries.append(TocEntry(key, level, ln.no, sections))
        if level < 2:
            stack = {k: v for k, v in stack.items() if k < level}
            stack[level] = key
    return entries
