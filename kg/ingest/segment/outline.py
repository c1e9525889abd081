"""Items of a newsletter whose contents list does not name them: the outline read from line markers.

Every line's marker (see :mod:`.markers`) is collected by style. The style that opens items is
the one whose lines read most like news headings: numbered styles whose numbers follow each
other (1, 2, 3 or A1, A2, B1, restarting at 1), bulleted or labelled lines that state news
(X发布《Y》, an amount, a verb of enforcing); a style whose lines follow one another without a
blank line and do not state news is a list inside an item. Styles that usually sit higher
(parts, chapters, months) and are used as headings open sections; deeper ones stay inside
items. A heading repeated at once with the same number (the second language of a bilingual
issue) or an open 《 continues the heading. The text of a section without items is one item;
an article with no item headings at all is one item. A lead paragraph before the first heading
that states news (an article's standfirst) is an item when there is no contents list.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..clean import CleanLine, Footnote
from .governed import INTRO_SECTIONS
from .items import TERMINAL, is_end_marker, make_item
from .markers import Marker, is_next, is_statement, parse_marker
from .model import Heading, Segmented
from .tables import Table, row_items
from .toc import heading_key


@dataclass
class Outline:
    """Which body lines open items and which open sections (with their level)."""

    items: set[int]
    sections: dict[int, int]  # body index -> level
    item_style: str | None


def markers_of(body: list[CleanLine]) -> dict[int, Marker]:
    """The marker of each text line of ``body`` (by index)."""
    out = {}
    for i, ln in enumerate(body):
        if ln.kind == "text" and len(ln.text) <= 200 and (m := parse_marker(ln.raw)) is not None:
            out[i] = m
    return out


def _adjacent(body: list[CleanLine], marks: dict[int, Marker], i: int) -> bool:
    """Whether the line before ``i`` (with no blank line between) has the same style."""
    return i > 0 and body[i - 1].no == body[i].no - 1 and i - 1 in marks and marks[i - 1].style == marks[i].style


def _groups(body: list[CleanLine], marks: dict[int, Marker]) -> dict[str, list[int]]:
    """Body indices by style; a line repeating the previous line's number right after it (a
    translation of the heading) is not an occurrence of its own."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, m in sorted(marks.items()):
        g = groups[m.style]
        if g and m.ordinal is not None and marks[g[-1]].ordinal == m.ordinal and body[i].no - body[g[-1]].no <= 2:
            continue
        g.append(i)
    return groups


def _sequence_share(ordinals: list[tuple[int, ...] | None]) -> float:
    prev, good = None, 0
    for o in ordinals:
        if o is None:
            continue
        if is_next(prev, o) or (prev is not None and o[-1] == 1):
            good += 1
        prev = o
    return good / len(ordinals) if ordinals else 0.0


def _item_score(body: list[CleanLine], marks: dict[int, Marker], idx: list[int]) -> float:
    """How well a style's lines read as item headings (0 when they cannot be)."""
    n = len(idx)
    if n < 2:
        return 0.0
    ms = [marks[i] for i in idx]
    rests = [m.rest for m in ms]
    statement = sum(is_statement(r) for r in rests) / n
    adjacent = sum(_adjacent(body, marks, i) for i in idx) / n
    if len(set(rests)) / n < 0.6 or (adjacent >= 0.5 and statement < 0.6):
        return 0.0
    if ms[0].numbered:
        sequence = _sequence_share([m.ordinal for m in ms])
        if sequence < 0.6 or (n < 3 and statement < 1):
            return 0.0
        return n * max(statement, 0.5 if sequence >= 0.9 and n >= 3 else 0.3)
    if ms[0].kind == "date" or statement < 0.5:
        return 0.0
    # bullets that are sentences (closing punctuation) are points of an argument more often than headings
    sentences = sum(r.rstrip().endswith(TERMINAL) for r in rests) / n
    return n * statement * (1 - sentences / 2)


def _is_section_style(body: list[CleanLine], marks: dict[int, Marker], idx: list[int]) -> bool:
    ms = [marks[i] for i in idx]
    if ms[0].kind in ("bullet", "nump"):
        return False
    if any(_adjacent(body, marks, i) for i in idx) and len(idx) > 1:
        return False
    if any(len(m.rest) > 60 or m.rest.endswith(TERMINAL) for m in ms):
        return False
    if ms[0].kind == "label" and len({m.rest for m in ms}) < len(ms):
        return False  # 【要点】 / 【来源】 repeated in every item: furniture
    return not ms[0].numbered or _sequence_share([m.ordinal for m in ms]) >= 0.8


def read_outline(body: list[CleanLine], marks: dict[int, Marker]) -> Outline:
    """The item and section lines of ``body`` (whose markers are ``marks``)."""
    groups = _groups(body, marks)
    scored = {s: _item_score(body, marks, idx) for s, idx in groups.items()}
    best = max((s for s in scored if scored[s] > 0), key=lambda s: (scored[s], marks[groups[s][0]].rank), default=None)
    rank = marks[groups[best][0]].rank if best is not None else 99
    section_styles = [s for s, idx in groups.items()
                      if s != best and marks[idx[0]].rank < rank and _is_section_style(body, marks, idx)]
    section_styles.sort(key=lambda s: (marks[groups[s][0]].rank, groups[s][0]))
    sections = {i: level for level, s in enumerate(section_styles) for i in groups[s]}
    items = _accepted_items(marks, groups[best], sections) if best is not None else set()
    return Outline(items, sections, best)


def _accepted_items(marks: dict[int, Marker], idx: list[int], sections: dict[int, int]) -> set[int]:
    """The item lines whose numbers continue the sequence (restarting after a section)."""
    out: set[int] = set()
    prev, prev_i = None, -1
    for i in idx:
        o = marks[i].ordinal
        if o is None:
            out.add(i)
            continue
        new_section = prev is not None and any(s for s in sections if prev_i < s < i)
        if is_next(prev, o) or (new_section and o[-1] == 1) or (prev is not None and o[-1] == prev[-1] + 1):
            out.add(i)
            prev, prev_i = o, i
        elif prev is None:
            prev, prev_i = o, i
            out.add(i)
    return out


def _heading_span(body: list[CleanLine], marks: dict[int, Marker], i: int) -> int:
    """How many lines the item heading at ``i`` takes: a repeated number (translation) or an
    open 《 continues it."""
    span = 1
    text = body[i].text
    while i + span < len(body) and span < 3:
        nxt = body[i + span]
        if nxt.kind != "text" or is_end_marker(nxt.text):
            break
        m = marks.get(i + span)
        same_number = m is not None and m.ordinal is not None and m.ordinal == marks[i].ordinal
        if same_number or (text.count("《") > text.count("》") and m is None and nxt.no == body[i + span - 1].no + 1):
            text += nxt.text
            span += 1
            continue
        break
    return span


def build_outline_items(seg: Segmented, body: list[CleanLine], tables: dict[int, Table], footnotes: dict[int, Footnote],
                        lead_item: bool) -> None:
    """Cut ``body`` by its outline into items appended to ``seg``."""
    marks = markers_of(body)
    outline = read_outline(body, marks)
    path: dict[int, str] = {}
    current: list[CleanLine] | None = None
    heading: Heading | None = None
    section_of_current: list[str] = []
    loose: dict[tuple[str, ...], list[CleanLine]] = defaultdict(list)  # text outside items, by section
    with_items: set[tuple[str, ...]] = set()
    with_tables: set[tuple[str, ...]] = set()
    lead: list[CleanLine] = []
    seen_heading = False

    def close() -> None:
        nonlocal current, heading
        if heading is not None and current is not None:
            seg.items.append(make_item(seg.doc_id, heading, current, section_of_current, footnotes))
        current, heading = None, None

    i = 0
    while i < len(body):
        ln = body[i]
        if ln.no in tables:
            close()
            table = tables[ln.no]
            section = [path[k] for k in sorted(path)]
            with_tables.add(tuple(section))  # a table's section: its text notes on the table
            if table.lists_items:
                seg.items.extend(row_items(seg.doc_id, table, section))
            while i < len(body) and body[i].no <= table.last:
                i += 1
            continue
        if i in outline.sections:
            close()
            seen_heading = True
            level = outline.sections[i]
            path = {k: v for k, v in path.items() if k < level}
            path[level] = heading_key(ln.text) or ln.text
        elif i in outline.items:
            close()
            seen_heading = True
            span = _heading_span(body, marks, i)
            text = "".join(body[i + k].text for k in range(span))
            heading = Heading(2, text, ln.no, body[i + span - 1].no)
            current, section_of_current = [], [path[k] for k in sorted(path)]
            with_items.add(tuple(section_of_current))
            i += span
            continue
        elif current is not None:
            current.append(ln)
        elif not seen_heading:
            lead.append(ln)
        else:
            loose[tuple(path[k] for k in sorted(path))].append(ln)
        i += 1
    close()
    loose = {k: v for k, v in loose.items() if k not in with_tables}
    _loose_items(seg, loose, with_items, footnotes, outline.item_style is None)
    if not seen_heading:
        _whole(seg, lead, footnotes)
    elif lead_item:
        _lead(seg, lead, footnotes)
    seg.items.sort(key=lambda it: it.first_line)


def _loose_items(seg: Segmented, loose: dict[tuple[str, ...], list[CleanLine]], with_items: set[tuple[str, ...]],
                 footnotes: dict[int, Footnote], no_item_style: bool) -> None:
    """The text of a section without items is one item headed by the section title."""
    for section, lines in loose.items():
        texts = [ln for ln in lines if ln.kind == "text"]
        if not texts or (section in with_items and not no_item_style) or set(section) & INTRO_SECTIONS:
            continue
        if not any(is_statement(ln.text) for ln in texts):
            continue
        title = section[-1] if section else texts[0].text
        h = Heading(2, title, texts[0].no, texts[0].no - 1)
        seg.items.append(make_item(seg.doc_id, h, lines, list(section), footnotes))


def _lead(seg: Segmented, lead: list[CleanLine], footnotes: dict[int, Footnote]) -> None:
    """An article's standfirst: the lines before the first heading, when they quote a title."""
    texts = [ln for ln in lead if ln.kind == "text"]
    if not texts or not any("《" in ln.text for ln in texts):
        return
    h = Heading(2, texts[0].text, texts[0].no, texts[0].no)
    seg.items.append(make_item(seg.doc_id, h, texts[1:] + [ln for ln in lead if ln.kind == "url"], [], footnotes))


def _whole(seg: Segmented, lines: list[CleanLine], footnotes: dict[int, Footnote]) -> None:
    """An article without item headings is one item (when it states news at all)."""
    texts = [ln for ln in lines if ln.kind == "text"]
    if texts and any(is_statement(ln.text) for ln in texts):
        h = Heading(2, texts[0].text, texts[0].no, texts[0].no)
        seg.items.append(make_item(seg.doc_id, h, lines[lines.index(texts[0]) + 1:], [], footnotes))
