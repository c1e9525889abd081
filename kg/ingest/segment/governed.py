"""Items of a newsletter whose contents list names them: each entry stands for one body heading.

Where the contents list lists items (and the body repeats most of them), only a line matching an
unused entry opens an item, so numbered lists inside an item stay inside it; a heading may
wrap over up to three lines or differ slightly from its entry (a word the list shortened).
Where the list names only sections, numbered lines below its deepest level open items when
their numbers follow each other.
"""

from __future__ import annotations

import difflib
import functools
import re

from ..clean import CleanLine, Footnote
from ..lexicon import words
from .items import TERMINAL, heading_like, is_end_marker, make_item
from .markers import parse_marker
from .model import Heading, Segmented, TocEntry
from .tables import Table, row_items
from .toc import heading_key, heading_level

RE_INTRO = re.compile(r"^(?:导读|导语|关键词|摘要|编者按|本期导读|内容提要)\s*[：:]")
INTRO_SECTIONS = set(words("layout", "intro_sections"))


def toc_index(toc: list[TocEntry]) -> dict[str, TocEntry]:
    """The TOC entries by key (the first of equal keys)."""
    out: dict[str, TocEntry] = {}
    for e in toc:
        out.setdefault(e.text, e)
    return out


def find_headings(body: list[CleanLine], toc: list[TocEntry]) -> dict[int, Heading]:
    """Heading lines by body index (a heading may span several lines)."""
    toc_levels = {e.level for e in toc}
    out: dict[int, Heading] = {}
    # each TOC entry stands for one body heading: a matched entry is used up
    remaining: dict[str, list[TocEntry]] = {}
    for e in toc_index(toc).values():
        remaining.setdefault(e.text, []).append(e)
    last_number: dict[tuple, tuple] = {}
    section_path: tuple = ()
    i = 0
    while i < len(body):
        ln = body[i]
        text = ln.text
        level = heading_level(ln.raw) if ln.kind == "text" else None
        matched, span, joined = _match_entry(body, i, remaining) if ln.kind == "text" else (None, 1, text)
        if matched is None and ln.kind == "text" and (level is not None or len(text) <= 60):
            matched = _fuzzy_toc(heading_key(text), remaining)
            span, joined = 1, text
        if matched is not None:
            remaining[matched.text].remove(matched)
            if not remaining[matched.text]:
                del remaining[matched.text]
            h = Heading(matched.level, joined, ln.no, body[i + span - 1].no, matched)
        elif level is not None and level > max(toc_levels, default=-1) and not RE_INTRO.match(text):
            if level == 2:
                n = parse_marker(ln.raw).ordinal
                prev = last_number.get(section_path)
                if n is None or n[-1] != (prev[-1] if prev else 0) + 1:
                    i += 1
                    continue
                last_number[section_path] = n
            h = Heading(level, text, ln.no, ln.no)
            # a wrapped heading: the next line continues it if the heading has no end punctuation
            if level < 2 and i + 1 < len(body) and not text.endswith(TERMINAL) and len(text) > 30 \
                    and heading_level(body[i + 1].raw) is None and len(body[i + 1].text) < 20:
                h.text += body[i + 1].text
                h.last = body[i + 1].no
                span = 2
        else:
            i += 1
            continue
        if h.level < 2:
            section_path = (*section_path[: h.level], heading_key(h.text))
        out[i] = h
        i += span
    return out


def _match_entry(body: list[CleanLine], i: int, remaining: dict[str, list[TocEntry]]
                 ) -> tuple[TocEntry | None, int, str]:
    """The unused entry the heading at ``i`` matches, possibly wrapped over up to three lines."""
    joined = ""
    for k in range(3):
        if i + k >= len(body) or body[i + k].kind != "text":
            break
        joined += body[i + k].text
        key = heading_key(joined)
        if key in remaining:
            return remaining[key][0], k + 1, joined
        if not any(e.startswith(key) for e in remaining) or len(key) < 4:
            break
    return None, 1, body[i].text


def _fuzzy_toc(key: str, remaining: dict[str, list[TocEntry]]) -> TocEntry | None:
    """The unused TOC entry a heading matches despite small differences (a word the TOC
    shortened, a separator the body added), when one entry is clearly closest."""
    if len(key) < 8:
        return None
    best = _closest(key, tuple(remaining))
    return remaining[best][0] if best is not None else None


@functools.lru_cache(maxsize=8192)
def _closest(key: str, entry_keys: tuple[str, ...]) -> str | None:
    """The entry key closest to ``key`` (the first of equals) if close enough; cached, as the
    segmenter may try a document's lines against the same entries twice."""
    best, best_ratio = None, 0.0
    chars = set(key)
    for entry_key in entry_keys:
        if not 0.78 <= len(key) / max(len(entry_key), 1) <= 1.28:
            continue  # lengths too far apart for a ratio of 0.88
        # an upper bound of quick_ratio: a character of one side that the other lacks matches nothing
        entry_chars = _chars(entry_key)
        common = min(len(key) - len(chars - entry_chars), len(entry_key) - len(entry_chars - chars))
        if 2.0 * common / (len(key) + len(entry_key)) < 0.85:
            continue
        sm = _matcher(entry_key)
        sm.set_seq1(key)
        if sm.real_quick_ratio() < 0.85 or sm.quick_ratio() < 0.85:
            continue
        r = sm.ratio()
        if r > best_ratio:
            best, best_ratio = entry_key, r
    return best if best_ratio >= 0.88 else None


@functools.lru_cache(maxsize=4096)
def _chars(entry_key: str) -> frozenset[str]:
    return frozenset(entry_key)


@functools.lru_cache(maxsize=4096)
def _matcher(entry_key: str) -> difflib.SequenceMatcher:
    """A matcher with the entry as its second sequence (difflib indexes that one, once)."""
    return difflib.SequenceMatcher(None, "", entry_key, autojunk=False)


def build_items(seg: Segmented, body: list[CleanLine], headings: dict[int, Heading], toc_levels: set[int],
                tables: dict[int, Table], footnotes: dict[int, Footnote]) -> None:
    """Cut ``body`` at ``headings`` into items appended to ``seg``."""
    sections: dict[int, str] = {}
    current: list[CleanLine] | None = None
    current_heading: Heading | None = None
    current_section: list[str] = []
    item_level_governed = 2 in toc_levels
    has_items = any(h.level == 2 for h in headings.values())

    def close() -> None:
        nonlocal current, current_heading
        if current_heading is not None and current is not None:
            seg.items.append(make_item(seg.doc_id, current_heading, current, current_section, footnotes))
        current, current_heading = None, None

    i = 0
    while i < len(body):
        h = headings.get(i)
        if body[i].no in tables:
            close()
            table = tables[body[i].no]
            if table.lists_items:
                seg.items.extend(row_items(seg.doc_id, table, [sections[k] for k in sorted(sections)]))
            while i < len(body) and body[i].no <= table.last:
                i += 1
            continue
        if h is not None:
            close()
            if h.level < 2:
                sections = {k: v for k, v in sections.items() if k < h.level}
                sections[h.level] = heading_key(h.text)
            else:
                entry = h.entry
                current_section = list(entry.sections) if entry and entry.sections else [sections[k] for k in sorted(sections)]
                current_heading, current = h, []
            i += 1
            while i < len(body) and body[i].no <= h.last:
                i += 1
            continue
        ln = body[i]
        if current is not None:
            current.append(ln)
            # without a governing TOC, an end marker closes the item and a heading-like line opens the next
            if not item_level_governed and ln.kind == "text" and is_end_marker(ln.text) and i + 1 < len(body) \
                    and headings.get(i + 1) is None and body[i + 1].kind == "text" and heading_like(body[i + 1].text):
                close()
                nxt = body[i + 1]
                current_heading, current = Heading(2, nxt.text, nxt.no, nxt.no), []
                i += 2
                continue
        elif sections and ln.kind == "text" and not RE_INTRO.match(ln.text) \
                and not (set(sections.values()) & INTRO_SECTIONS) and not item_level_governed and not has_items:
            # a section without numbered items: its text is one item, headed by the section title
            current_heading = Heading(2, sections[max(sections)], ln.no, ln.no - 1)
            current_section = [sections[k] for k in sorted(sections)]
            current = [ln]
        i += 1
    close()
    seg.items.sort(key=lambda it: it.first_line)
