"""The instruments of one item as mentions: titles in 《》, standards by number, titles of a heading."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..facts.values import PDate
from ..model.ids import format_standard_number, match_title
from .extract.instruments import TitleMention, type_word, unbracketed_titles
from .extract.relations import relation_cue
from .extract.text import sentence_of
from .resolve import KnowledgeBase, eu_number
from .segment import Item

MANY_RELEASED = re.compile(r"(?:发布|印发|出台|公布)[^，。]{0,4}[两二三四五六七八九十\d]+(?:项|份|部|个)")
STANDARDS_RELEASE = re.compile(r"标准[^，。]{0,12}(?:发布|获批|批准|出台|公布|实施)")
PLAIN_STANDARD = re.compile(r"(?<![A-Za-z0-9/])((?:GB|GA|JR|YD|GM)\s*/\s*[TZ]\s*\d+(?:\.\d+)*(?:\s*-\s*\d{4})?)")


@dataclass
class Occurrence:
    """One place an instrument is mentioned in an item."""

    start: int
    end: int
    main: bool
    cue: str | None = None


@dataclass
class Mention:
    """An instrument as one item speaks of it."""

    title: str
    number: str | None = None
    status: str | None = None
    kind: str | None = None
    jurisdiction: str | None = None
    issuers: list[str] = field(default_factory=list)
    issuer_count: int | None = None
    date_issued: PDate | None = None
    date_effective: PDate | None = None
    date_expiry: PDate | None = None
    consultation_deadline: PDate | None = None
    short_titles: list[str] = field(default_factory=list)
    alt_titles: list[str] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)
    main: bool = False
    confidence: float = 0.8
    mention: TitleMention | None = None
    key: str | None = None
    compound_of: Mention | None = None
    compound: str | None = None
    about: bool = False  # named by a short title an earlier item declared: the article's subject
    titled_by_issuer: bool = False  # 关于修改〈X〉的决定 quoted without its issuer: prefix the issuer's name

    @property
    def first(self) -> int:
        """Position of the first occurrence."""
        return min(o.start for o in self.occurrences)


@dataclass
class ItemFacts:
    """What one item says."""

    item: Item
    jurisdiction: str | None
    instruments: list[Mention] = field(default_factory=list)
    relations: list[tuple[Mention, str, Mention, float]] = field(default_factory=list)
    actions: list[dict] = field(default_factory=list)
    cases: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def kind_group(kind: str | None) -> str | None:
    if kind in ("declaration",):
        return "declaration"
    if kind in ("guidance", "technical-guideline"):
        return "guidance"
    if kind in ("policy-plan",):
        return "plan"
    if kind in ("report",):
        return "report"
    return None


class Mentions:
    """The instruments of one item, one :class:`Mention` each, in the order first named."""

    def __init__(self) -> None:
        self.mentions: dict[str, Mention] = {}
        self.order: list[Mention] = []

    def add(self, tm: TitleMention | None, title: str, number: str | None = None) -> Mention:
        """The mention of ``title`` (or of the same standard number), created when new."""
        key = match_title(title)
        mention = self.mentions.get(key)
        std = format_standard_number(number) if number else None
        if mention is None and std:
            mention = next((x for x in self.order if x.number and format_standard_number(x.number) == std), None)
        if mention is None:
            mention = Mention(title=title, number=number, mention=tm)
            self.mentions[key] = mention
            self.order.append(mention)
        if number and not mention.number:
            mention.number = number
        if mention.mention is None and tm is not None:
            mention.mention = tm  # first named inside another title, now quoted on its own
        return mention


def composite(tm: TitleMention, m: Mention, main: bool, found: Mentions) -> bool:
    """《A》与《B》协同适用的指南 (the composite is the instrument, A is cited) and 《X》实施条例 (the
    implementing act is the instrument, X is cited): True when ``tm`` is one of them."""
    if tm.tail and not tm.compound:
        full = tm.title + re.sub(r"[《》]|\s*[（(][^（）()]*[）)]", "", tm.tail)
        comp = found.add(None, full)
        comp.occurrences.append(Occurrence(tm.start, tm.context_after, main))
        m.occurrences.append(Occurrence(tm.start, tm.end, False))
        return True
    if tm.compound:
        comp = found.add(None, f"{tm.title}{tm.compound}")
        comp.compound_of, comp.compound = m, tm.compound
        comp.occurrences.append(Occurrence(tm.start, tm.context_after, main))
        m.occurrences.append(Occurrence(tm.start, tm.end, False, "implements"))
        return True
    return False


def plain_standards(text: str, raw: list[TitleMention], spans: list[tuple[int, int]], found: Mentions) -> None:
    """Standards written by number only (GB/T 35273、GB/T 46068), outside any 《》."""
    inside = [(tm.start, tm.context_after) for tm in raw]
    for sm in PLAIN_STANDARD.finditer(text):
        if any(a <= sm.start() < b for a, b in inside):
            continue
        number = format_standard_number(sm.group(1))
        m = found.add(None, number, number)
        cue = relation_cue(text[sentence_of(spans, sm.start())[0]: sm.start()], text[sm.end(): sm.end() + 40])
        m.occurrences.append(Occurrence(sm.start(), sm.end(), False, cue))


EU_IN_TEXT = re.compile(r"\(\s*E[UC]\s*\)\s*(?:No\.?\s*)?\d{4}\s*/\s*\d{1,4}|(?<![\d/])\d{4}\s*/\s*\d{1,4}\s*/\s*E[UC]\b"
                        r"|(?<=第)\s*\d{4}\s*/\s*\d{1,4}(?=\s*号\s*(?:条例|指令|决定))")


def named_in_text(kb: KnowledgeBase, text: str, raw: list[TitleMention], spans: list[tuple[int, int]],
                  jur: str | None, found: Mentions) -> None:
    """Known instruments named outside 《》: by a Latin short title (GDPR, UK GDPR, NIS2, CCPA) or,
    for EU acts, by number ((EU) 2016/1148, 第2019/1020号条例)."""
    inside = [(tm.start, tm.context_after) for tm in raw]
    hits = [(s, e, kb.latin(t)) for s, e, t in kb.latin_titles_in(text)]
    for m in EU_IN_TEXT.finditer(text):
        number = m.group(0) if "E" in m.group(0) else f"(EU) {m.group(0).strip()}"
        keys = kb.by_number(eu_number(number) or "")
        hits.append((m.start(), m.end(), keys))
    for s, e, keys in sorted(hits, key=lambda h: h[0]):
        keys = {k for k in keys if kb.visible_instrument(k)}
        if any(a <= s < b for a, b in inside) or not keys:
            continue
        key = next(iter(keys)) if len(keys) == 1 else next((k for k in keys if kb.instruments[k].jurisdiction == jur), None)
        if key is None:
            continue
        known = kb.instruments[key]
        m = found.add(None, known.title, known.number)
        m.key, m.jurisdiction, m.kind = key, known.jurisdiction, known.kind
        cue = relation_cue(text[sentence_of(spans, s)[0]: s], text[e: e + 40])
        m.occurrences.append(Occurrence(s, e, False, cue))


def heading_titles(item: Item, found: Mentions) -> None:
    """Titles a heading gives without brackets; and a heading title and a differently named body
    title for one instrument (the body's title wins, the heading's is an alternative title)."""
    heading_end = len(item.heading)
    order = found.order
    main_bracketed = [x for x in order if any(o.main for o in x.occurrences)]
    for ub in unbracketed_titles(item.heading):
        tw = type_word(ub.title)
        group = kind_group(tw[1] if tw else None)
        if any(match_title(ub.title) in match_title(x.title) or match_title(x.title) in match_title(ub.title)
               or (group and kind_group(type_word(x.title)[1] if type_word(x.title) else None) == group)
               for x in main_bracketed):
            continue
        m = found.add(None, ub.title)
        m.occurrences.append(Occurrence(ub.start, ub.end, True))
        m.confidence = 0.7
    heading_only = [x for x in order if all(o.start < heading_end for o in x.occurrences) and x.mention]
    body_main = [x for x in order if any(o.main and o.start >= heading_end for o in x.occurrences)]
    if len(heading_only) == 1 and body_main and heading_only[0] not in body_main \
            and len([x for x in order if any(o.start < heading_end for o in x.occurrences)]) == 1:
        h, b = heading_only[0], body_main[0]
        b.alt_titles.append(h.title)
        b.occurrences.extend(h.occurrences)
        order.remove(h)


def announced(item: Item, raw: list[TitleMention], found: Mentions) -> None:
    """A heading announcing several instruments (深圳发布四项…行动计划): titles standing alone on a line
    are what it announces; one announcing standards (…6项…标准获批发布) is about the standards it lists
    by number, but not those it names as replaced or as a basis (代替 / 依据 GB/T …)."""
    text = item.text
    if MANY_RELEASED.search(item.heading):
        for tm in raw:
            line_start = text.rfind("\n", 0, tm.start) + 1
            line_end = text.find("\n", tm.end)
            rest = text[tm.context_after: line_end if line_end >= 0 else len(text)]
            if not text[line_start:tm.start].strip() and not rest.strip(" 。"):
                mm = found.mentions.get(match_title(tm.title))
                for o in mm.occurrences if mm else []:
                    if o.start == tm.start:
                        o.main = True
    if STANDARDS_RELEASE.search(item.heading):
        for m in found.order:
            if m.number and format_standard_number(m.number) and m.mention is not None \
                    and not any(o.cue for o in m.occurrences):
                for o in m.occurrences:
                    o.main = True
