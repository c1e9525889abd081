"""Segmentation: masthead, table of contents, sections and items with provenance.

General rules (no rule knows a particular newsletter):

- a table of contents (目录 / 本期目录 CONTENTS / AT A GLANCE, or lines ending in page numbers)
  is read for structure and then skipped: a TOC entry is never an item (:mod:`.toc`);
- where the TOC lists items and the body repeats most of them, each entry stands for one body
  heading (:mod:`.governed`);
- otherwise the outline is read from the line markers (一、 / （一） / 1. / 01 ｜ / [01] / A1 |
  / Part 1 / months / ◆ ● bullets / 【…】 labels): the style whose lines read most like news
  headings opens items, higher styles open sections (:mod:`.outline`); a document without
  any is one item;
- a table with one row per case or per news item gives one item per row; other tables
  (statistics) give none (:mod:`.tables`);
- a line naming the publisher again after the body started opens the back matter (ads,
  self-descriptions), which holds no items;
- an item keeps its section path, line span, source URL (来源 / 原文链接 / footnotes / a bare
  URL line) and the credited source names; its lines are joined where the PDF broke a
  sentence (:mod:`.items`).
"""

from __future__ import annotations

from ...model.ids import squash_spaces
from ..clean import Cleaned, CleanLine
from .governed import build_items, find_headings, toc_index
from .masthead import parse_masthead, publisher_names
from .model import Item, Segmented, TocEntry
from .outline import build_outline_items
from .tables import find_tables
from .toc import find_toc, heading_key, heading_level

__all__ = ["Item", "Segmented", "TocEntry", "find_toc", "heading_key", "segment"]


def segment(doc_id: str, cleaned: Cleaned) -> Segmented:
    """Cut a cleaned newsletter into items."""
    lines = cleaned.lines
    toc_start, toc_end, toc = find_toc(lines)
    first_text = next((ln.no for ln in lines if ln.kind == "text"), 1)
    masthead_end = toc_start if toc_start else first_text + 60
    title, issue, date, publisher = parse_masthead(lines, masthead_end)
    tables = {t.first: t for t in find_tables(lines)}
    body = [ln for ln in lines if ln.no > max(toc_end, 0) and ln.kind in ("text", "url", "table")]
    body = _without_back_matter(body, publisher_names(publisher, lines, masthead_end), toc)
    seg = Segmented(doc_id, title, issue, date, publisher, [], toc, body[0].no if body else 0,
                    body[-1].no if body else 0)
    headings = find_headings(body, toc) if any(e.level == 2 for e in toc) else {}
    if _governs(toc, headings):
        # bare URL lines there are reference lists at the end of sections, not an item's source
        body = [ln for ln in body if ln.kind != "url"]
        headings = find_headings(body, toc)
        build_items(seg, body, headings, {e.level for e in toc}, tables, cleaned.footnotes)
    else:
        build_outline_items(seg, body, tables, cleaned.footnotes, lead_item=not toc)
    return seg


def _governs(toc: list[TocEntry], headings: dict) -> bool:
    """Whether the TOC lists items and the body repeats at least half of them."""
    listed = sum(1 for e in toc if e.level == 2)
    matched = sum(1 for h in headings.values() if h.entry is not None and h.entry.level == 2)
    return listed > 0 and matched >= listed / 2


def _without_back_matter(body: list[CleanLine], publishers: set[str], toc: list[TocEntry]) -> list[CleanLine]:
    """The body up to the publisher's name standing alone on a line after the first item."""
    toc_keys = toc_index(toc)
    seen_item = False
    for i, ln in enumerate(body):
        if ln.kind != "text":
            continue
        if seen_item and squash_spaces(ln.text) in publishers:
            return body[:i]
        if heading_level(ln.raw) == 2 or heading_key(ln.text) in toc_keys:
            seen_item = True
    return body
