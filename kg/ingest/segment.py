"""Segmentation: masthead, table of contents, sections and items with provenance.

General rules (no rule knows a particular newsletter):

- a table of contents (目录 / 本期要目 / a 导读 list closed by 正文, or lines ending in page
  numbers) is read for structure and then skipped: a TOC entry is never an item;
- headings are recognised by their enumerators (一、 / （一） / 1. / month headings such as
  ``1 月``) or by matching a TOC entry; where the TOC lists items, only lines matching an
  entry open an item, so numbered lists inside an item stay inside it; where it does not,
  item numbers must follow each other (1, 2, 3 …) within a section;
- 导读 / 关键词 / 执行摘要 blocks introduce a section and are not items;
- without a TOC, an end marker (来源：URL, 原文链接, （来源：…）) closes an item and the next
  heading-like line opens the next one;
- a line naming the publisher again after the body started opens the back matter (ads,
  self-descriptions), which holds no items;
- an item keeps its section path, line span, source URL (来源 / 原文链接 / footnotes) and
  the credited source names; its lines are joined where the PDF broke a sentence.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ..facts.values import PDate
from ..model.ids import clean_text, nfkc, squash_spaces
from .clean import URL_RE, Cleaned, CleanLine, Footnote

CN_NUM = "一二三四五六七八九十"
RE_L1 = re.compile(rf"^(?:[{CN_NUM}]{{1,3}}[、．.]\s*\S|第[{CN_NUM}\d]{{1,3}}(?:部分|篇)|(?:附录?|附件)[{CN_NUM}\d]*[：:、]"
                   rf"|(?:境内|境外|国内|国际|行业|地方|专题)\S{{0,6}}观察[{CN_NUM}]*[：:]"
                   # a section label alone on its line: 国内动态, 国际要闻, 执法资讯 …
                   rf"|(?:境内|境外|国内|国际|海外|域外|全球|行业|地方|专题|政策|立法|执法|司法|监管)[\u4e00-\u9fff]{{0,6}}"
                   rf"(?:观察|动态|资讯|要闻|速递|快讯|聚焦)[{CN_NUM}]*$)")
RE_L2 = re.compile(rf"^(?:[（(][{CN_NUM}]{{1,3}}[）)]\s*\S|\d{{1,2}}\s*月份?$)")
RE_ITEM = re.compile(r"^(\d{1,3})\s*[.．、](?!\d)\s*\S")
RE_INTRO = re.compile(r"^(?:导读|关键词|摘要|编者按|本期导读|内容提要)\s*[：:]")
INTRO_SECTIONS = {"执行摘要", "导读", "前言", "引言", "编者按", "结语", "摘要", "目录"}
TOC_MARKERS = {"目录", "本期要目", "本期目录", "要目", "导读", "目次", "contents"}
BODY_MARKERS = {"正文"}
RE_TOC_PAGE = re.compile(r"(?:\t|\s\.{1,}\s*|\.{2,}\s*|\s{2,})\s*\d{1,3}\s*$|\t\d{1,3}\s*$")
RE_TOC_DASH = re.compile(r"^[-–—]\s*(\d{1,3})\s+\S")
RE_END_URL = re.compile(r"^(?:来源|原文链接|原文地址|链接|出处|Source)\s*[：:]\s*<?(https?://\S+?)>?\s*$", re.I)
RE_SOURCE_NAME = re.compile(r"[（(]\s*(?:来源|来自|信息来源)\s*[：:]\s*([^（）()]{1,80})[）)]\s*$")
RE_SOURCE_PLAIN = re.compile(r"^(?:来源|信息来源)\s*[：:]\s*([^\s<>]{1,60})$")
TERMINAL = tuple("。！？；：!?;:")
RE_MASTHEAD_ISSUE = re.compile(
    r"((?:\d{4}\s*年\s*\d{1,2}\s*月\s*)?第\s*\d+\s*期(?:\s*[（(]?\s*总第\s*\d+\s*期\s*[）)]?)?)")
RE_PUBLISHER = re.compile(r"^(?:主办单位|主办|主编|编印|出品|编辑出版|编制单位)\s*[：:]?\s*(\S{4,40})")
RE_DATE_FULL = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
RE_DATE_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月")
RE_DATE_YEAR = re.compile(r"(\d{4})\s*年度?")


@dataclass
class TocEntry:
    """One entry of a table of contents."""

    text: str
    level: int  # 0 section, 1 subsection, 2 item
    line: int
    sections: list[str] = field(default_factory=list)  # enclosing section titles


@dataclass
class Item:
    """One news item: heading, text and provenance."""

    id: str
    heading: str
    section: list[str]
    first_line: int
    last_line: int
    text: str
    offsets: list[tuple[int, int]]  # (character offset in text, source line) ascending
    urls: list[str] = field(default_factory=list)
    source_names: list[str] = field(default_factory=list)

    def line_at(self, offset: int) -> int:
        """The source line of a character of :attr:`text`."""
        line = self.first_line
        for off, no in self.offsets:
            if off > offset:
                break
            line = no
        return line

    @property
    def url(self) -> str | None:
        """The item's source URL (the first one found)."""
        return self.urls[0] if self.urls else None


@dataclass
class Segmented:
    """A newsletter cut into items."""

    doc_id: str
    title: str | None
    issue: str | None
    date: PDate | None
    publisher: str | None
    items: list[Item]
    toc: list[TocEntry]
    body_start: int
    body_end: int
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- helpers


RE_ENUM = re.compile(rf"^(?:[-–—]\s*\d{{1,3}}\s+|\d{{1,3}}\s*[.．、](?!\d)\s*|[（(][{CN_NUM}\d]{{1,3}}[）)]\s*"
                     rf"|[{CN_NUM}]{{1,3}}[、．.]\s*)")


def heading_key(text: str) -> str:
    """The comparable form of a heading or TOC entry: no enumerator, page number or spaces."""
    t = nfkc(text).strip()
    t = RE_TOC_PAGE.sub("", t)
    t = re.sub(r"[\s.…]+$", "", t)
    t = RE_ENUM.sub("", t)
    return clean_text(t).strip(" .。:：")


def heading_level(text: str) -> int | None:
    """0, 1 or 2 (item) for a line that looks like a heading by its enumerator, else None."""
    t = text.strip()
    if RE_L1.match(t):
        return 0
    if RE_L2.match(t):
        return 1
    if RE_ITEM.match(t):
        return 2
    return None


def _is_toc_like(text: str) -> bool:
    return bool(RE_TOC_PAGE.search(text) or RE_TOC_DASH.match(text))


# ---------------------------------------------------------------- masthead


def parse_masthead(lines: list[CleanLine], end: int) -> tuple[str | None, str | None, PDate | None, str | None]:
    """Title, issue designation, date and publisher from the lines before ``end`` (a line number)."""
    head = [ln for ln in lines if ln.kind == "text" and ln.no < end][:80]
    date: PDate | None = None
    issue = None
    publisher = None
    for ln in head:
        t = ln.text
        if date is None or date.precision != "day":
            m = RE_DATE_FULL.search(t)
            if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
                date = PDate(f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}")
            elif date is None and (m := RE_DATE_MONTH.search(t)) and 1 <= int(m.group(2)) <= 12:
                date = PDate(f"{m.group(1)}-{int(m.group(2)):02d}")
            elif date is None and (m := RE_DATE_YEAR.search(t)) and 1990 <= int(m.group(1)) <= 2100:
                date = PDate(m.group(1))
        if issue is None and (m := RE_MASTHEAD_ISSUE.search(t)):
            issue = re.sub(r"\s+", "", m.group(1))
        if publisher is None and (m := RE_PUBLISHER.match(squash_spaces(t))):
            publisher = m.group(1)
    return _masthead_title(head), issue, date, publisher


def _title_candidate(t: str) -> bool:
    cjk = len(re.findall(r"[\u4e00-\u9fff]", t))
    return (4 <= len(t) <= 30 and cjk >= 4 and not re.search(r"[，。、：:；;|]", t)
            and not re.search(r"主办|编辑|单位|顾问|电话|邮箱|地址|声明|扫描", t))


def _masthead_title(head: list[CleanLine]) -> str | None:
    texts = [ln.text for ln in head]
    # a name printed twice (cover and inside cover), or the common start of two masthead lines
    seen: dict[str, int] = {}
    for t in texts:
        base = re.sub(r"[（(].*?[）)]|\s*\d{4}\s*年.*$", "", t).strip()
        if _title_candidate(base):
            seen[base] = seen.get(base, 0) + 1
            if seen[base] >= 2:
                return base
    # consecutive Chinese title lines separated only by a non-Chinese line (an English subtitle)
    for i, t in enumerate(texts):
        if _title_candidate(t) and not re.search(r"\d{4}\s*年", t):
            if i + 2 < len(texts) and not re.search(r"[\u4e00-\u9fff]", texts[i + 1]) \
                    and _title_candidate(texts[i + 2]) and len(texts[i + 2]) <= 8:
                return t + texts[i + 2]
            return t
    for t in texts:
        if re.search(r"[\u4e00-\u9fff]{4}", t):
            return re.sub(r"\s+", "", t)[:40]
    return None


# ---------------------------------------------------------------- table of contents


def find_toc(lines: list[CleanLine]) -> tuple[int, int, list[TocEntry]]:
    """The TOC region (first and last line numbers, 0 if none) and its entries."""
    text_lines = [ln for ln in lines if ln.kind in ("text", "table")]
    start_idx = None
    for i, ln in enumerate(text_lines[:200]):
        if squash_spaces(ln.text).lower() in TOC_MARKERS:
            start_idx = i
            break
    body_marker = next((ln for ln in text_lines if squash_spaces(ln.text) in BODY_MARKERS), None)
    if start_idx is None:
        # no marker: a run of at least 5 lines ending in page numbers near the start
        run: list[int] = []
        for i, ln in enumerate(text_lines[:300]):
            if _is_toc_like(ln.raw.strip()):
                run.append(i)
                if len(run) >= 5:
                    start_idx = run[0] - 1
                    break
            elif run and len(ln.text) > 12:
                run = []
        if start_idx is None:
            return 0, 0, []
    entries_raw: list[CleanLine] = []
    j = start_idx + 1
    while j < len(text_lines):
        ln = text_lines[j]
        raw = ln.raw.strip()
        if body_marker is not None and body_marker.no > text_lines[start_idx].no:
            if ln.no >= body_marker.no:
                break
            entries_raw.append(ln)
        elif _is_toc_like(raw):
            entries_raw.append(ln)
        elif len(squash_spaces(ln.text)) <= 10 and j + 1 < len(text_lines) and _is_toc_like(text_lines[j + 1].raw.strip()):
            entries_raw.append(ln)  # a section label without a page number
        elif j + 1 < len(text_lines) and _is_toc_like(text_lines[j + 1].raw.strip()) \
                and heading_level(text_lines[j + 1].text) is None and not RE_TOC_DASH.match(text_lines[j + 1].text):
            entries_raw.append(ln)  # an entry wrapped onto the next line
        else:
            break
        j += 1
    if not entries_raw:
        return 0, 0, []
    end_no = body_marker.no if body_marker is not None and body_marker.no > entries_raw[-1].no else entries_raw[-1].no
    return text_lines[start_idx].no, end_no, _toc_entries(entries_raw)


def _toc_entries(raw: list[CleanLine]) -> list[TocEntry]:
    entries: list[TocEntry] = []
    merged: list[CleanLine] = []
    for ln in raw:
        text = ln.raw.strip()
        # a continuation of a wrapped entry: no enumerator, and the previous entry had no page number
        if merged and heading_level(text) is None and not RE_TOC_DASH.match(text) \
                and not _is_toc_like(merged[-1].raw.strip()) and len(merged[-1].text) > 10:
            prev = merged[-1]
            merged[-1] = CleanLine(prev.no, prev.raw.strip() + text, prev.text + ln.text)
            continue
        merged.append(ln)
    stack: dict[int, str] = {}
    has_dash = any(RE_TOC_DASH.match(ln.raw.strip()) for ln in merged)
    for ln in merged:
        text = ln.raw.strip()
        level = heading_level(re.sub(r"[\s.…]+$", "", RE_TOC_PAGE.sub("", nfkc(text))))
        if RE_TOC_DASH.match(text):
            level = 2
        elif level is None:
            level = 0 if (has_dash or len(heading_key(text)) <= 16 or not _is_toc_like(text)) else 2
        key = heading_key(text)
        if not key:
            continue
        sections = [stack[k] for k in sorted(stack) if k < level]
        entries.append(TocEntry(key, level, ln.no, sections))
        if level < 2:
            stack = {k: v for k, v in stack.items() if k < level}
            stack[level] = key
    return entries


# ---------------------------------------------------------------- body


@dataclass
class _Heading:
    level: int
    text: str
    first: int  # line number
    last: int
    entry: TocEntry | None = None  # the TOC entry it matched


def _publisher_names(publisher: str | None, lines: list[CleanLine], end: int) -> set[str]:
    names = set()
    if publisher:
        names.add(squash_spaces(publisher))
    for ln in lines:
        if ln.no >= end:
            break
        m = re.match(r"^(?:主办单位|主办|主编|编印|出品|联合主办|协办单位)\s*[：:]?\s*(\S{4,40})", squash_spaces(ln.text))
        if m:
            names.add(squash_spaces(m.group(1)))
    return {n for n in names if len(n) >= 6}


def segment(doc_id: str, cleaned: Cleaned) -> Segmented:
    """Cut a cleaned newsletter into items."""
    lines = cleaned.lines
    toc_start, toc_end, toc = find_toc(lines)
    first_text = next((ln.no for ln in lines if ln.kind == "text"), 1)
    masthead_end = toc_start if toc_start else first_text + 60
    title, issue, date, publisher = parse_masthead(lines, masthead_end)
    toc_keys: dict[str, TocEntry] = {}
    for e in toc:
        toc_keys.setdefault(e.text, e)
    toc_levels = {e.level for e in toc}
    body = [ln for ln in lines if ln.no > max(toc_end, 0) and ln.kind == "text"]
    if not toc:
        # no TOC: the body starts after the masthead (the first heading-like line)
        first_heading = next((ln.no for ln in body if heading_level(ln.text) is not None), None)
        if first_heading:
            body = [ln for ln in body if ln.no >= first_heading]
    publishers = _publisher_names(publisher, lines, masthead_end)
    seg = Segmented(doc_id, title, issue, date, publisher, [], toc, body[0].no if body else 0, 0)
    # back matter: the publisher's name alone on a line, after the first item
    cut = len(body)
    seen_item = False
    for i, ln in enumerate(body):
        if seen_item and squash_spaces(ln.text) in publishers:
            cut = i
            break
        if heading_level(ln.text) == 2 or heading_key(ln.text) in toc_keys:
            seen_item = True
    body = body[:cut]
    seg.body_end = body[-1].no if body else 0
    headings = _find_headings(body, toc_keys, toc_levels)
    _build_items(seg, body, headings, toc_keys, toc_levels, cleaned.footnotes)
    return seg


def _find_headings(body: list[CleanLine], toc_keys: dict[str, TocEntry], toc_levels: set[int]) -> dict[int, _Heading]:
    """Heading lines by body index (a heading may span several lines)."""
    out: dict[int, _Heading] = {}
    # each TOC entry stands for one body heading: a matched entry is used up
    remaining: dict[str, list[TocEntry]] = {}
    for e in toc_keys.values():
        remaining.setdefault(e.text, []).append(e)
    last_number: dict[tuple, int] = {}
    section_path: tuple = ()
    i = 0
    while i < len(body):
        ln = body[i]
        text = ln.text
        level = heading_level(text)
        matched = None
        span = 1
        # a heading that matches a TOC entry, possibly wrapped over up to three lines
        joined = ""
        for k in range(3):
            if i + k >= len(body):
                break
            joined += body[i + k].text
            key = heading_key(joined)
            if key in remaining:
                matched, span = remaining[key][0], k + 1
                break
            if not any(e.startswith(key) for e in remaining) or len(key) < 4:
                break
        if matched is None and (level is not None or len(text) <= 60):
            matched = _fuzzy_toc(heading_key(text), remaining)
            span = 1
            joined = text
        if matched is not None:
            remaining[matched.text].remove(matched)
            if not remaining[matched.text]:
                del remaining[matched.text]
            h = _Heading(matched.level, joined, ln.no, body[i + span - 1].no, matched)
        elif level is not None and level > max(toc_levels, default=-1) and not RE_INTRO.match(text):
            if level == 2:
                m = RE_ITEM.match(text)
                n = int(m.group(1))
                prev = last_number.get(section_path, 0)
                if n != prev + 1:
                    i += 1
                    continue
                last_number[section_path] = n
            h = _Heading(level, text, ln.no, ln.no)
            # a wrapped heading: the next line continues it if the heading has no end punctuation
            if level < 2 and i + 1 < len(body) and not text.endswith(TERMINAL) and len(text) > 30 \
                    and heading_level(body[i + 1].text) is None and len(body[i + 1].text) < 20:
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


def _fuzzy_toc(key: str, remaining: dict[str, list[TocEntry]]) -> TocEntry | None:
    """The unused TOC entry a heading matches despite small differences (a word the TOC
    shortened, a separator the body added), when one entry is clearly closest."""
    if len(key) < 8:
        return None
    best, best_ratio = None, 0.0
    for entry_key, entries in remaining.items():
        entry = entries[0]
        sm = difflib.SequenceMatcher(None, key, entry_key, autojunk=False)
        if sm.real_quick_ratio() < 0.85 or sm.quick_ratio() < 0.85:
            continue
        r = sm.ratio()
        if r > best_ratio:
            best, best_ratio = entry, r
    return best if best_ratio >= 0.88 else None


def _build_items(seg: Segmented, body: list[CleanLine], headings: dict[int, _Heading], toc_keys: dict[str, TocEntry],
                 toc_levels: set[int], footnotes: dict[int, Footnote]) -> None:
    sections: dict[int, str] = {}
    current: list[CleanLine] | None = None
    current_heading: _Heading | None = None
    current_section: list[str] = []
    item_level_governed = 2 in toc_levels

    def close() -> None:
        nonlocal current, current_heading
        if current_heading is not None and current is not None:
            item = _make_item(seg.doc_id, current_heading, current, current_section, footnotes)
            if item is not None:
                seg.items.append(item)
        current, current_heading = None, None

    i = 0
    while i < len(body):
        h = headings.get(i)
        if h is not None:
            close()
            key = heading_key(h.text)
            if h.level < 2:
                sections = {k: v for k, v in sections.items() if k < h.level}
                sections[h.level] = key
                if key in INTRO_SECTIONS:
                    sections[h.level] = key  # its text is an introduction, not an item
                i += 1
                while i < len(body) and body[i].no <= h.last:
                    i += 1
                continue
            entry = h.entry
            current_section = list(entry.sections) if entry and entry.sections else [sections[k] for k in sorted(sections)]
            current_heading = h
            current = []
            i += 1
            while i < len(body) and body[i].no <= h.last:
                i += 1
            continue
        ln = body[i]
        if current is not None:
            current.append(ln)
            # without a governing TOC, an end marker closes the item and a heading-like line opens the next
            if not item_level_governed and _is_end_marker(ln.text) and i + 1 < len(body) \
                    and headings.get(i + 1) is None and _heading_like(body[i + 1].text):
                close()
                nxt = body[i + 1]
                current_heading = _Heading(2, nxt.text, nxt.no, nxt.no)
                current = []
                i += 2
                continue
        elif sections and not RE_INTRO.match(ln.text) and not (set(sections.values()) & INTRO_SECTIONS) \
                and 2 not in toc_levels and not any(k for k, hh in headings.items() if hh.level == 2):
            # a section without numbered items: its text is one item, headed by the section title
            current_heading = _Heading(2, sections[max(sections)], ln.no, ln.no - 1)
            current_section = [sections[k] for k in sorted(sections)]
            current = [ln]
        i += 1
    close()


def _is_end_marker(text: str) -> bool:
    return bool(RE_END_URL.match(text) or RE_SOURCE_NAME.search(text) or RE_SOURCE_PLAIN.match(text))


def _heading_like(text: str) -> bool:
    return 4 <= len(text) <= 60 and not text.endswith(TERMINAL) and not text.endswith("。")


def _make_item(doc_id: str, h: _Heading, lines: list[CleanLine], section: list[str],
               footnotes: dict[int, Footnote]) -> Item | None:
    heading = re.sub(r"^\d{1,3}\s*[.．、]\s*", "", h.text).strip()
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    explicit: list[str] = []  # 来源：URL, 原文链接：URL
    noted: list[str] = []  # footnote URLs
    names: list[str] = []
    text = ""
    last = h.last
    for ln in lines:
        t = ln.text
        last = ln.no
        for n in ln.footnotes:
            fn = footnotes.get(n)
            if fn and fn.url:
                noted.append(fn.url)
        if m := RE_END_URL.match(t):
            explicit.append(m.group(1).rstrip("."))
            continue
        if m := RE_SOURCE_NAME.search(t):
            names.extend(re.sub(r"[“”\"]", "", n).strip() for n in re.split(r"[、,，]", m.group(1)) if n.strip())
            t = t[: m.start()].rstrip()
            if not t:
                continue
        elif m := RE_SOURCE_PLAIN.match(t):
            names.append(m.group(1))
            continue
        if re.search(r"原文|链接|来源", t):
            explicit.extend(u.rstrip(".") for u in URL_RE.findall(t))
        if parts and (parts[-1].endswith(TERMINAL) or re.match(r"^[（(]?\d{1,2}[）).、]|^[一二三四五六七八九十]+是", t)):
            text += "\n"
        offsets.append((len(text), ln.no))
        text += t
        parts.append(t)
    urls = list(dict.fromkeys(explicit + noted))
    heading_text = re.sub(r"^\d{1,3}\s*[.．、]\s*", "", heading)
    full = heading_text + "\n" + text if text else heading_text
    shift = len(heading_text) + 1 if text else 0
    offsets = [(0, h.first)] + [(o + shift, no) for o, no in offsets]
    return Item(
        id=f"L{h.first}", heading=heading_text, section=section, first_line=h.first, last_line=max(last, h.last),
        text=full, offsets=offsets, urls=urls, source_names=list(dict.fromkeys(names)),
    )
