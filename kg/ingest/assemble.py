"""Per-item extraction and assembly of a document's fact file.

For each item: find the instruments it names, decide which it is about (its *main*
instruments: named in the heading, or the object of an issuing verb) and which it only
cites; give the main ones their issuers (the subject of the issuing verb, a passive
由…发布, the issuers written in the title or in the order number), dates, status, kind,
jurisdiction and topics; turn the cited ones into relations; find enforcement actions and
court cases. Then merge what several items say about one instrument and produce the
fact-file mapping (data/README.md).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from ..facts.values import PDate
from ..model.ids import format_standard_number, instrument_key, match_title, name_key, normalize_title, title_key
from ..model.vocabularies import vocabulary
from .extract import actions as actions_mod
from .extract import cases as cases_mod
from .extract.dates import deadline, effective_date, event_date, expiry_date
from .extract.instruments import (
    TitleMention,
    classify_kind,
    find_titles,
    is_instrument,
    number_issuers,
    publication_note,
    type_word,
    unbracketed_titles,
)
from .extract.numerals import parse_count
from .extract.relations import annex_parent_word, changes_basis, is_annex, relation_cue
from .extract.topics import topics_of
from .resolve import KnowledgeBase
from .segment import Item, Segmented

SENTENCE_END = re.compile(r"[。！？!?；;\n]")
CN_DIGITS = "一二三四五六七八九十百零〇两\\d"
ADOPTED = r"(?:(?<=[院会委府部局读议致决])|(?<=正式|高票|表决))通过"
ISSUE_BEFORE = re.compile(
    rf"(?:联合印发|联合发布|联合公布|正式发布|正式印发|批准发布|印发|发布|公布|出台|颁布|签署|签发|{ADOPTED}|"
    r"批准|推出|发出|下发|制定|修订|提出|启动|公开征求|起草)(?:了|新版|首份|首部|一份|一项|一部|第二版)?"
    r"(?:\s*(?:[\u4e00-\u9fff]{2,4}\s*)?(?:关于)?|[^，。；《》]{0,30}的|[^，。；《》]{0,12}(?:——|—|：|:))?\s*$")
ISSUE_VERB = re.compile(rf"(?:联合|正式|共同)?(?:印发|发布|公布|出台|颁布|签署|签发|{ADOPTED}|批准发布|批准|推出|发出|下发|制定|提出|启动)")
ISSUE_AFTER = re.compile(r"^\s*(?:[（(][^）)]{0,60}[）)]\s*)*(?:由[^。；，《]{2,80}?)?(?:正式|近日|日前|联合|批准)?(?:发布|公布|印发|出台|施行|实施|获批发布|获批|通过|"
                         r"生效|颁布|出炉|落地|推出)")
CITE_BEFORE = re.compile(r"(?:根据|依据|依照|按照|遵守|违反|参照|对照|贯彻落实|落实|为贯彻|为落实|基于|援引|适用|符合|关于|"
                         r"涉嫌违反|不得违反|补充|配套|废止|撤销|修订|修改|代替)[^，。；]{0,12}$")
PASSIVE_ISSUERS = re.compile(r"^[^。；]{0,20}?由\s*([^。；，]{2,80}?)(?:联合)?(?:批准)?(?:发布|印发|公布|制定|提出)")
DRAFT_VERBS = re.compile(r"提出|起草|草案|征求意见|提案|审议中")
CONSULTATION = re.compile(r"征求意见|意见反馈|公开征求")
SUBJECT_COUNT = re.compile(r"等\s*([一二三四五六七八九十两\d]+)\s*(?:个)?(?:部门|单位|机构|部委)")
DATE_LEAD = re.compile(r"^(?:\d{4}\s*年)?\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*消息)?\s*[，,]?|^(?:近日|日前|近期|今年|此前)\s*[，,]?")
# what may stand between two titles of one run: an abbreviation in brackets, a conjunction
TITLE_RUN_GAP = re.compile(r"(?:\s*[（(][^（）()]{0,40}[）)])*\s*(?:[、，,和及与]|以及)?\s*")
TITLE_RUN_END = re.compile(r"(?:《[^《》]*》(?:\s*[（(][^（）()]*[）)])*[、和及与\s]*)+$")
EFFECT_ONLY = re.compile(r"^[^，。；]{0,12}(?:正式)?(?:生效|施行|实施)|部分条款[^，。；]{0,6}生效")
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


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a text (split at 。！？；and line ends; quotes stay with their sentence)."""
    out = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        end = m.end()
        if text[start:end].strip():
            out.append((start, end))
        start = end
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence span containing a position."""
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return (0, 0)


class Assembler:
    """Extracts and assembles the facts of one segmented newsletter."""

    def __init__(self, seg: Segmented, kb: KnowledgeBase):
        self.seg = seg
        self.kb = kb
        self.reference = seg.date
        self.items: list[ItemFacts] = []

    # ------------------------------------------------------------ context

    def item_jurisdiction(self, item: Item) -> str | None:
        """The place an item is about: the first place in its heading, else in its first sentence,
        else abroad if its section is foreign."""
        for text in (item.heading, item.text[: 120]):
            found = self.kb.jurisdictions_in(text)
            for _pos, code in found:
                if code not in ("INT",):
                    return code
            for _start, _end, name in self.kb.find_authorities(text):
                keys = self.kb.registry.candidates(name)
                if len(keys) == 1:
                    return self.kb.registry.authorities[keys[0]].jurisdiction
        if any(re.search(r"境外|国际|海外|全球", s) for s in item.section):
            return "INT"
        return "CN"

    # ------------------------------------------------------------ authorities

    def parse_subject(self, clause: str, jur: str | None) -> tuple[list[str], int | None]:
        """Authorities named in a subject clause (国家发展改革委、市场监管总局、国家网信办), and a stated
        count (等五部门)."""
        clause = DATE_LEAD.sub("", clause.strip())
        # 浙江省第十四届人民代表大会常务委员会第二十一次会议: the body, not its session
        clause = re.sub(rf"第[{CN_DIGITS}]+届", "", clause)
        clause = re.sub(rf"第[{CN_DIGITS}]+次(?:全体|常务)?会议|(?:常务|全体)会议|[一二三]读$|表决$|审议$", "", clause)
        clause = re.sub(r"^(?:近日|日前|近期|此前|今年|本月|上月)[，,]?", "", clause)
        count = None
        if m := SUBJECT_COUNT.search(clause):
            count = parse_count(m.group(1) + "部门")
            clause = clause[: m.start()]
        clause = re.sub(r"(?:近日|日前|已经|已|正式|共同|联合|依法|近期|等有关部门|等相关部门|等部门|等)+$", "", clause)
        keys: list[str] = []
        foreign = bool(jur) and not jur.startswith("CN")
        spans = self.kb.find_authorities(clause)
        rest = clause
        place_of_match: str | None = None
        for s, _e, name in sorted(spans, key=lambda t: t[0]):
            # a longer body name that merely contains a registry name (山东省公安厅 contains 公安厅?) is not it
            prefix = clause[max(0, s - 6): s]
            place_before = re.search(r"[\u4e00-\u9fff]{1,6}(?:省|市|区|县|州)$", prefix)
            if place_before and not re.search(r"[、，,与及和]$", prefix[: len(prefix) - len(place_before.group(0))]
                                              or "、"):
                continue
            key = self.kb.resolve_authority(name, jur, foreign)
            office = re.match(r"办公厅|办公室", clause[_e:])
            if key and office:
                # 工业和信息化部办公厅: the general office of a known body is a body of its own
                sub = self.kb.resolve_authority(name + office.group(0), jur, foreign)
                if sub and sub in self.kb.new_authorities and not self.kb.new_authorities[sub].get("parent"):
                    self.kb.new_authorities[sub]["parent"] = key
                key = sub or key
                name += office.group(0)
            if key and key not in keys:
                keys.append(key)
            rest = rest.replace(name, "、", 1)
            named_place = self.kb.place_prefix(name)[1]
            place_of_match = named_place or place_of_match
        # 北京、浙江等通信管理局: places sharing one body name
        if m := re.search(r"((?:[\u4e00-\u9fff]{2,6}[、和])+[\u4e00-\u9fff]{2,6})等\s*([\u4e00-\u9fff]{2,10}(?:局|厅|办|委员会|办公室))",
                          rest):
            places = re.split(r"[、和]", m.group(1))
            if all(self.kb.place_pattern_full(p) for p in places):
                for p in places:
                    key = self.kb.resolve_authority(p + m.group(2), jur, foreign)
                    if key and key not in keys:
                        keys.append(key)
                rest = rest[: m.start()] + "、" + rest[m.end():]
        place = place_of_match  # 北京市人社局、人才局: the place of a registry name carries over
        for part in re.split(r"[、，,]|与|及|以及|会同|联合|同", rest):
            part = part.strip()
            if len(part) < 3:
                continue
            p_jur, p_text = self.kb.place_prefix(part)
            if p_text and p_text == part and (p_jur or "").startswith("CN-"):
                part = p_text + "人民政府"  # 成都市出台…: a Chinese province or city acts through its government
            if p_text:
                place = p_text
            elif place and not re.match(r"^(?:国家|中央|全国)", part):
                part = place + part  # 北京市人社局、人才局: the place carries over
            key = self.kb.resolve_authority(part, jur, foreign)
            if key and key not in keys:
                keys.append(key)
        return keys, count

    def item_subject(self, item: Item, jur: str | None) -> tuple[list[str], int | None]:
        """Who the item says acted: the subject of the first issuing verb of the heading or the body's
        first sentence (公安部近日发布公告，… / 山东省工业和信息化厅…印发)."""
        spans = sentences(item.text)
        for s, e in spans[:3]:
            sent = item.text[s:e]
            for verb in ISSUE_VERB.finditer(sent):
                start = max(sent.rfind("，", 0, verb.start()), sent.rfind(",", 0, verb.start())) + 1
                keys, count = self.parse_subject(sent[start: verb.start()], jur)
                if keys:
                    return keys, count
        return [], None

    def issuers_near(self, text: str, start: int, spans: list[tuple[int, int]], jur: str | None,
                     end: int | None = None) -> tuple[list[str], int | None]:
        """The authorities that issued the title at ``start``: the subject of the verb before it,
        or a passive 由… after it."""
        s, _e = sentence_of(spans, start)
        before = TITLE_RUN_END.sub("", text[s:start])
        if end is not None and (m := PASSIVE_ISSUERS.match(text[end: end + 120])):
            keys, count = self.parse_subject(m.group(1), jur)
            if keys:
                return keys, count
        verb = None
        for m in ISSUE_VERB.finditer(before):
            verb = m
        if verb is not None:
            clause_start = max(before.rfind("，", 0, verb.start()), before.rfind(",", 0, verb.start()),
                               before.rfind("：", 0, verb.start())) + 1
            clause = before[clause_start: verb.start()]
            # 近日，X、Y和Z联合印发: the subject may follow a leading date clause
            keys, count = self.parse_subject(clause, jur)
            if not keys and clause_start > 0:
                prev_comma = max(before.rfind("，", 0, clause_start - 1), -1) + 1
                keys, count = self.parse_subject(before[prev_comma: verb.start()], jur)
            if keys:
                return keys, count
        # X、Y《T》: issuers written right before the title
        m = re.search(r"([\u4e00-\u9fff（）()、]{4,60})$", before)
        if m and not re.search(r"[《》]", m.group(1)):
            keys, count = self.parse_subject(m.group(1), jur)
            if keys and len(m.group(1)) - sum(len(self.kb.authority_name(k)) for k in keys) < 12:
                return keys, count
        return [], None

    # ------------------------------------------------------------ instruments

    def item_instruments(self, item: Item, jur: str | None) -> list[Mention]:
        text = item.text
        heading_end = len(item.heading)
        spans = sentences(text)
        raw = [m for m in find_titles(text) if is_instrument(m, text)]
        aliases = {m.alias: m for m in raw if m.alias}
        mentions: dict[str, Mention] = {}
        order: list[Mention] = []

        def add(tm: TitleMention | None, title: str, start: int, end: int, number: str | None = None) -> Mention:
            key = match_title(title)
            mention = mentions.get(key)
            std = format_standard_number(number) if number else None
            if mention is None and std:
                mention = next((x for x in order if x.number and format_standard_number(x.number) == std), None)
            if mention is None:
                mention = Mention(title=title, number=number, mention=tm)
                mentions[key] = mention
                order.append(mention)
            if number and not mention.number:
                mention.number = number
            return mention

        cue_at: dict[int, str | None] = {}
        for tm in raw:
            title = tm.title
            # a short back-reference (《规则》, 《办法》, a declared alias) means an instrument named before
            target = None
            if title in aliases and aliases[title] is not tm:
                target = aliases[title]
            elif len(title) <= 6 and not tm.number:
                target = next((o for o in raw if o is not tm and len(o.title) > len(title)
                               and (_bare(o.title).endswith(title) or o.alias == title)), None)
                if target is None and type_word(title) and len(title) <= 4 and not self.kb.find_instrument(title, jur):
                    continue  # 《意见》 with nothing to refer to (《个保法》 is a known short title)
            if target is not None:
                tgt = add(target, target.title, target.start, target.end, target.number)
                tgt.occurrences.append(Occurrence(tm.start, tm.end, False))
                if title not in tgt.short_titles and title != tgt.title and len(title) > 4:
                    tgt.short_titles.append(title)
                continue
            m = add(tm, title, tm.start, tm.end, tm.number)
            if tm.alias and tm.alias not in m.short_titles and len(tm.alias) > 4:
                m.short_titles.append(tm.alias)
            if tm.status and not m.status:
                m.status = tm.status
            before = text[max(0, tm.start - 40): tm.start]
            after = text[tm.context_after: tm.context_after + 40]
            in_heading = tm.start < heading_end
            cited = bool(CITE_BEFORE.search(text[sentence_of(spans, tm.start)[0]: tm.start][-14:]))
            main = not cited and (in_heading or bool(ISSUE_BEFORE.search(before)) or bool(ISSUE_AFTER.match(after)))
            if tm.tail and not tm.compound:
                # 《A》与《B》协同适用的指南: the composite is the instrument, A and B are cited
                full = title + re.sub(r"[《》]|\s*[（(][^（）()]*[）)]", "", tm.tail)
                comp = add(None, full, tm.start, tm.context_after)
                comp.occurrences.append(Occurrence(tm.start, tm.context_after, main))
                m.occurrences.append(Occurrence(tm.start, tm.end, False))
                continue
            if tm.compound:
                # 《X》实施条例: the implementing act is the main instrument, X is cited
                comp = add(None, f"{title}{tm.compound}", tm.start, tm.context_after)
                comp.compound_of, comp.compound = m, tm.compound
                comp.occurrences.append(Occurrence(tm.start, tm.context_after, main))
                m.occurrences.append(Occurrence(tm.start, tm.end, False, "implements"))
                continue
            if any(p.tail and p.context_after <= tm.start < p.context_after + len(p.tail) + 2 for p in raw):
                main = False
            prev = next((p for p in reversed(raw) if p.context_after <= tm.start), None)
            if not main and not cited and prev is not None and re.fullmatch(r"[、和及与\s]*", text[prev.context_after:tm.start]):
                prev_m = mentions.get(match_title(prev.title))
                main = bool(prev_m and any(o.main and o.start == prev.start for o in prev_m.occurrences))
            cue = relation_cue(text[sentence_of(spans, tm.start)[0]: tm.start], after) if not main else None
            if cue is None and not main and prev is not None and prev.start in cue_at \
                    and TITLE_RUN_GAP.fullmatch(text[prev.context_after:tm.start]):
                cue = cue_at[prev.start]  # 根据《A》《B》和《C》: one cue for the whole run of titles
            cue_at[tm.start] = cue
            m.occurrences.append(Occurrence(tm.start, tm.end, main, cue))
        # standards written by number only (GB/T 35273、GB/T 46068)
        inside = [(tm.start, tm.context_after) for tm in raw]
        for sm in PLAIN_STANDARD.finditer(text):
            if any(a <= sm.start() < b for a, b in inside):
                continue
            number = format_standard_number(sm.group(1))
            m = add(None, number, sm.start(), sm.end(), number)
            cue = relation_cue(text[sentence_of(spans, sm.start())[0]: sm.start()], text[sm.end(): sm.end() + 40])
            m.occurrences.append(Occurrence(sm.start(), sm.end(), False, cue))
        # titles a heading gives without brackets
        main_bracketed = [x for x in order if any(o.main for o in x.occurrences)]
        for ub in unbracketed_titles(item.heading):
            tw = type_word(ub.title)
            group = _kind_group(tw[1] if tw else None)
            if any(match_title(ub.title) in match_title(x.title) or match_title(x.title) in match_title(ub.title)
                   or (group and _kind_group(type_word(x.title)[1] if type_word(x.title) else None) == group)
                   for x in main_bracketed):
                continue
            m = add(None, ub.title, ub.start, ub.end)
            m.occurrences.append(Occurrence(ub.start, ub.end, True))
            m.confidence = 0.7
        # a heading title and a differently named body title for one instrument
        heading_only = [x for x in order if all(o.start < heading_end for o in x.occurrences) and x.mention]
        body_main = [x for x in order if any(o.main and o.start >= heading_end for o in x.occurrences)]
        if len(heading_only) == 1 and body_main and heading_only[0] not in body_main \
                and len([x for x in order if any(o.start < heading_end for o in x.occurrences)]) == 1:
            h, b = heading_only[0], body_main[0]
            b.alt_titles.append(h.title)
            b.occurrences.extend(h.occurrences)
            order.remove(h)
        # a heading announcing several instruments (深圳发布四项…行动计划): titles standing alone on a
        # line are the instruments it announces
        if MANY_RELEASED.search(item.heading):
            for tm in raw:
                line_start = text.rfind("\n", 0, tm.start) + 1
                line_end = text.find("\n", tm.end)
                if not text[line_start:tm.start].strip() and not text[tm.context_after: line_end if line_end >= 0
                                                                      else len(text)].strip(" 。"):
                    mm = mentions.get(match_title(tm.title))
                    for o in mm.occurrences if mm else []:
                        if o.start == tm.start:
                            o.main = True
        # an item announcing standards (…6项…标准获批发布) is about the standards it lists by number
        if STANDARDS_RELEASE.search(item.heading):
            for m in order:
                # …but not the ones it names as replaced or as a basis (代替 / 依据 GB/T …)
                if m.number and format_standard_number(m.number) and m.mention is not None \
                        and not any(o.cue for o in m.occurrences):
                    for o in m.occurrences:
                        o.main = True
        for m in order:
            m.main = any(o.main for o in m.occurrences)
        self._attributes(item, order, spans, jur)
        return order

    def _attributes(self, item: Item, order: list[Mention], spans: list[tuple[int, int]], jur: str | None) -> None:
        text = item.text
        heading_end = len(item.heading)
        mains = [m for m in order if m.main]
        main_starts = sorted(o.start for m in mains for o in m.occurrences if o.main and o.start >= heading_end)
        for m in order:
            tm = m.mention
            # jurisdiction: a known instrument's, the issuers', a place in the title, the item's
            known = self.kb.find_instrument(m.title, jur, m.number)
            if known is None and m.compound_of is None and (jur or "CN").startswith("CN"):
                known = self.kb.find_instrument(m.title, "CN", m.number)
            if known:
                m.key = known
                m.jurisdiction = self.kb.instruments[known].jurisdiction
                m.kind = self.kb.instruments[known].kind
            if m.main:
                body_occ = [o for o in m.occurrences if o.main and o.start >= heading_end] or \
                           [o for o in m.occurrences if o.main]
                occ = body_occ[0]
                end = next((o.end for o in m.occurrences if o.start == occ.start), occ.end)
                issuers, count = self.issuers_near(text, occ.start, spans, jur, end)
                if not issuers and occ.start >= heading_end:
                    head = [o for o in m.occurrences if o.start < heading_end]
                    if head:
                        issuers, count = self.issuers_near(text, head[0].start, spans, jur, head[0].end)
                if not issuers and (len(mains) == 1 or STANDARDS_RELEASE.search(item.heading)):
                    issuers, count = self.item_subject(item, jur)
                named_in_number = (tm.number_issuers if tm is not None else None) or number_issuers(m.number)
                if named_in_number and not issuers:
                    issuers, _ = self.parse_subject(named_in_number, jur)
                prefix = re.match(r"^(.{2,40}?)关于", m.title)
                if prefix and not issuers:
                    issuers, _ = self.parse_subject(prefix.group(1), jur)
                m.issuers = issuers
                m.issuer_count = count if count and count > len(issuers) else None
                # the text about this instrument: from its sentence to the next main instrument's
                s0 = sentence_of(spans, occ.start)[0]
                nxt = next((p for p in main_starts if p > occ.start and sentence_of(spans, p)[0] > s0), len(text))
                window = text[s0:nxt]
                sent = text[s0: sentence_of(spans, occ.start)[1]]
                effect_only = bool(EFFECT_ONLY.search(text[end: end + 30] + " " + item.heading)) and not re.search(
                    r"发布|印发|公布|通过|签署|出台|颁布", sent)
                m.date_issued = None if effect_only else event_date(sent, self.reference) or (
                    event_date(text[heading_end: heading_end + 80], self.reference) if occ.start < heading_end + 80
                    else None)
                m.date_effective = effective_date(window, self.reference, issued=m.date_issued)
                if effect_only and not re.search(r"部分|条款|首批", sent + item.heading):
                    m.date_effective = m.date_effective or event_date(sent, self.reference)
                elif effect_only:
                    m.date_effective = None  # only some provisions took effect
                if note := publication_note(text, m.title):
                    # the note under a reproduced rule's title is authoritative
                    m.date_issued = event_date(note.text, self.reference) or m.date_issued
                    m.date_effective = effective_date(note.text, self.reference) or m.date_effective
                    if not m.number or m.number in note.number:
                        m.number = note.number
                    if m.status in (None, "consultation"):  # a published rule is no draft
                        eff = m.date_effective
                        m.status = "in-force" if eff and self.reference and str(eff) <= str(self.reference) else "issued"
                    named, _ = self.parse_subject(note.issuers, jur)
                    if named:
                        m.issuers, m.issuer_count = named, None
                m.date_expiry = expiry_date(window, self.reference)
                m.consultation_deadline = deadline(window, self.reference)
                if not m.status:
                    if CONSULTATION.search(window) or CONSULTATION.search(item.heading):
                        m.status = "consultation"
                    elif re.search(r"提出|起草|草案|提案", sent) and not re.search(r"通过|发布|印发|公布|签署", sent):
                        m.status = "draft"
                    elif m.date_effective and self.reference and str(m.date_effective) <= str(self.reference):
                        m.status = "in-force"
                    else:
                        m.status = "issued"
                m.confidence = max(m.confidence, 0.85 if m.mention else 0.7)
            elif known is None and tm is not None:
                # a cited instrument names its issuers in its order number (…等十三部门令第8号)
                # or at the head of its title (中共中央 国务院关于…的意见)
                named_in_number = tm.number_issuers or number_issuers(m.number)
                issuers, count = self.parse_subject(named_in_number, jur) if named_in_number else ([], None)
                prefix = re.match(r"^(.{2,40}?)关于", m.title)
                if not issuers and prefix:
                    named, _ = self.parse_subject(prefix.group(1), jur)
                    rest = re.sub(r"[\s、，,和与及]", "", prefix.group(1))
                    if named and len(rest) <= sum(len(name_key(self.kb.authority_name(k))) for k in named):
                        issuers = named
                m.issuers = issuers
                m.issuer_count = count if count and count > len(issuers) else None
            if not m.jurisdiction:
                m.jurisdiction = self._instrument_jurisdiction(m, jur)
                # the instrument's own jurisdiction may name a known one the item's did not
                # (澳大利亚…《网络安全法》 is AU's Online Safety Act; GDPR applied in Italy is the EU's)
                for j in dict.fromkeys([m.jurisdiction, *eu_of(m.jurisdiction)]):
                    again = self.kb.find_instrument(m.title, j, m.number) if m.compound_of is None else None
                    if again:
                        m.key, m.jurisdiction = again, self.kb.instruments[again].jurisdiction
                        m.kind = m.kind or self.kb.instruments[again].kind
                        break
            if not m.kind:
                issuer_kinds = [self._authority_kind(k) for k in m.issuers]
                ctx = text[max(0, m.first - 20): m.first]
                probe = m.mention or TitleMention(title=m.title, start=m.first, end=m.first, number=m.number)
                m.kind = classify_kind(probe, m.jurisdiction, issuer_kinds, ctx)
                if m.compound:
                    foreign = not (m.jurisdiction or "CN").startswith("CN")
                    m.kind = "foreign-regulation" if foreign else (
                        "administrative-regulation" if m.compound == "实施条例" else "normative-document")

    def _nearest_jurisdiction(self, m: Mention) -> str | None:
        """The jurisdiction of the authority or country named last before the title in its sentence;
        INT when two countries are named (美英签署…, 中法德印等…)."""
        text = getattr(self, "_current_text", "")
        if not text or not m.occurrences:
            return None
        pos = m.first
        start = max(text.rfind("。", 0, pos), text.rfind("\n", 0, pos), text.rfind("；", 0, pos)) + 1
        before = text[start:pos]
        found: list[tuple[int, str]] = []
        for s0, _e, name in self.kb.find_authorities(before):
            key = self.kb.resolve_authority(name, None)
            j = self.kb.authority_jurisdiction(key) if key else None
            if j:
                found.append((s0, j))
        found += [(p, c) for p, c in self.kb.jurisdictions_in(before)]
        if not found:
            return None
        countries = {c.split("-")[0] for _p, c in found if c not in ("INT",)}
        if len(countries) >= 2 and _type_kind(m.title) in ("declaration", "international-agreement"):
            return "INT"
        return max(found, key=lambda t: t[0])[1]

    def _authority_kind(self, key: str) -> str:
        if key in self.kb.registry.authorities:
            return self.kb.registry.authorities[key].kind
        return self.kb.new_authorities.get(key, {}).get("kind", "agency")

    def _instrument_jurisdiction(self, m: Mention, jur: str | None) -> str:
        if m.compound_of is not None and m.compound_of.jurisdiction:
            return m.compound_of.jurisdiction
        juris = {self.kb.authority_jurisdiction(k) for k in m.issuers} - {None}
        if juris:
            countries = {j.split("-")[0] for j in juris}
            if len(countries) > 1:
                return "INT"
            if len(juris) == 1:
                return next(iter(juris))
            return next(iter(countries))
        place, _ = self.kb.place_prefix(re.sub(r"^中国[（(]", "", m.title))
        if place:
            return place
        issuer_prefix = [k for s0, _e, name in self.kb.find_authorities(m.title[:12]) if s0 == 0
                         for k in [self.kb.resolve_authority(name, jur)] if k]
        if issuer_prefix:
            return self.kb.authority_jurisdiction(issuer_prefix[0]) or jur or "CN"
        # a Chinese local instrument carries its place in its title (湖南省…条例): one without a place
        # prefix, named near a local body or in a local item, is national
        near = self._nearest_jurisdiction(m)
        if near:
            return "CN" if near.startswith("CN-") else near
        if _type_kind(m.title) in ("declaration", "international-agreement"):
            return "INT"
        if m.number and re.match(r"(?:GB|GA|JR|YD|GM|SJ|JT|WS|T/|DB)", m.number):
            return "CN"
        if m.number and re.match(r"(?:ISO|IEC|IEEE)", m.number):
            return "INT"
        return "CN" if not jur or jur.startswith("CN") else jur

    # ------------------------------------------------------------ relations

    def item_relations(self, item: Item, order: list[Mention]) -> list[tuple[Mention, str, Mention, float]]:
        text = item.text
        spans = sentences(text)
        mains = [m for m in order if m.main]
        out: list[tuple[Mention, str, Mention, float]] = []
        if not mains:
            return out

        def subject_for(pos: int) -> Mention:
            s, e = sentence_of(spans, pos)
            in_sentence = [m for m in mains if any(s <= o.start < e for o in m.occurrences)]
            if in_sentence:
                return in_sentence[0]
            before = [(max((o.start for o in m.occurrences if o.start < pos), default=-1), m) for m in mains]
            before = [b for b in before if b[0] >= 0]
            return max(before, key=lambda t: t[0])[1] if before else mains[0]

        for m in order:
            if m.compound_of is not None:
                out.append((m, "amends" if m.compound in ("修正案", "修订案") else "implements", m.compound_of, 0.9))
                continue
            if m.main:
                continue
            for occ in m.occurrences:
                subj = subject_for(occ.start)
                if occ.cue == "based-on":
                    # 《A》…依据《B》制定: the title opening the sentence is what was made on that basis
                    s0 = sentence_of(spans, occ.start)[0]
                    opener = next((x for x in order for o in x.occurrences
                                   if x is not m and s0 <= o.start < occ.start and not text[s0:o.start].strip()), None)
                    subj = opener or subj
                if subj is m:
                    continue
                rel = occ.cue or "cites"
                conf = 0.8 if occ.cue else 0.6
                out.append((subj, rel, m, conf))
                break
        # 《X》（…）附件《C》: C is an annex of X
        titled = sorted(((o.start, o.end, m) for m in order for o in m.occurrences if m.mention), key=lambda t: t[0])
        for (_s1, e1, x), (s2, _e2, c) in itertools.pairwise(titled):
            if x is not c and is_annex(text[e1:s2]):
                out.append((c, "annex-of", x, 0.9))
        # 《C》作为公告附件: C is an annex of the item's 公告
        for c in order:
            for o in c.occurrences:
                word = annex_parent_word(text[o.end: o.end + 40])
                parents = [x for x in mains if x is not c and x.title.rstrip("）)").endswith(word)] if word else []
                if parents and not any(r[0] is c and r[1] == "annex-of" for r in out):
                    out = [r for r in out if not (r[0] is parents[0] and r[2] is c and r[1] == "cites")]
                    out.append((c, "annex-of", parents[0], 0.85))
        # …依据标准变更为 S1、S2: the item's instrument changes the basis of the one named before
        for s, e in spans:
            sent = text[s:e]
            if not changes_basis(sent):
                continue
            cut = s + re.search(r"变更为|调整为|修改为", sent).start()
            targets = [m for m in order if not m.main and any(s <= o.start < cut for o in m.occurrences)
                       and m.mention is not None and not (m.number and format_standard_number(m.number))]
            standards = [m for m in order if m.number and format_standard_number(m.number)
                         and any(o.start >= cut and o.start < e for o in m.occurrences)]
            if targets and standards:
                changed = max(targets, key=lambda m: max(o.start for o in m.occurrences if o.start < cut))
                subj = subject_for(s)
                out = [r for r in out if not (r[2] is changed and r[1] == "cites")]
                out.append((subj, "changes-basis-of", changed, 0.85))
                for std in standards:
                    out.append((changed, "based-on", std, 0.85))
        return out

    # ------------------------------------------------------------ driver

    def run(self) -> list[ItemFacts]:
        """Extract the facts of every item."""
        for item in self.seg.items:
            jur = self.item_jurisdiction(item)
            facts = ItemFacts(item, jur)
            self._current_text = item.text
            facts.instruments = self.item_instruments(item, jur)
            facts.relations = self.item_relations(item, facts.instruments)
            facts.actions = actions_mod.extract_actions(item, self, jur)
            facts.cases = cases_mod.extract_cases(item, self, jur)
            self.items.append(facts)
        return self.items


def _type_kind(title: str) -> str | None:
    tw = type_word(title)
    return tw[1] if tw else None


def _bare(title: str) -> str:
    """A title without trailing parentheses ((试行), (2025版))."""
    return re.sub(r"(?:\s*[（(][^（）()]*[）)])+$", "", title)


def _kind_group(kind: str | None) -> str | None:
    if kind in ("declaration",):
        return "declaration"
    if kind in ("guidance", "technical-guideline"):
        return "guidance"
    if kind in ("policy-plan",):
        return "plan"
    if kind in ("report",):
        return "report"
    return None


# ---------------------------------------------------------------- the fact file


EU_MEMBERS = frozenset(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"])


def eu_of(jurisdiction: str | None) -> list[str]:
    """["EU"] for a member state of the European Union (whose law applies there too), else []."""
    return ["EU"] if (jurisdiction or "").split("-")[0] in EU_MEMBERS else []


def mention_key(m: Mention) -> str:
    """The key a mention's instrument gets in the fact file."""
    if m.key:
        return m.key
    return instrument_key({"title": m.title if not (m.number and m.title == m.number) else None,
                           "number": m.number, "kind": m.kind, "jurisdiction": m.jurisdiction or "CN"})


def build_fact_file(seg: Segmented, items: list[ItemFacts], kb: KnowledgeBase, source_file: str,
                    sha256: str) -> dict:
    """The fact-file mapping of one document (see data/README.md)."""
    doc: dict = {"id": seg.doc_id}
    for k, v in (("title", seg.title), ("issue", seg.issue), ("date", str(seg.date) if seg.date else None),
                 ("publisher", seg.publisher), ("source_file", source_file), ("sha256", sha256)):
        if v:
            doc[k] = v
    out: dict = {"format": "kg-facts/1", "document": doc, "items": []}
    for f in items:
        it = f.item
        rec = {"id": it.id, "section": it.section, "lines": [it.first_line, it.last_line]}
        if it.url:
            rec["url"] = it.url
        if it.source_names:
            rec["source_name"] = "、".join(it.source_names)
        out["items"].append(rec)
    instruments: dict[str, dict] = {}
    for f in items:
        for m in f.instruments:
            key = mention_key(m)
            m.key = key
            rec = instruments.get(key)
            if rec is None:
                rec = {"key": key, "title": m.title} if not (m.number and m.title == m.number) else {
                    "key": key, "number": m.number}
                instruments[key] = rec
            _merge_mention(rec, m, f.item.id, kb)
    _fold_yearless(instruments, items, kb)
    _fold_short_titles(instruments, items)
    relations = []
    seen = set()
    for f in items:
        for subj, rel, obj, conf in f.relations:
            sk, ok = subj.key or mention_key(subj), obj.key or mention_key(obj)
            if sk == ok or (sk, rel, ok) in seen:
                continue
            seen.add((sk, rel, ok))
            relations.append({"subject": sk, "type": rel, "object": ok, "items": [f.item.id], "confidence": conf})
    out["authorities"] = [dict(spec, key=key, items=sorted(_items_of_authority(key, items)))
                          for key, spec in sorted(kb.new_authorities.items()) if _items_of_authority(key, items)]
    for a in out["authorities"]:
        if not a.get("aliases"):
            a.pop("aliases", None)
        if not a.get("parent"):
            a.pop("parent", None)
    out["instruments"] = list(instruments.values())
    out["relations"] = relations
    out["actions"] = [a for f in items for a in f.actions]
    out["cases"] = [c for f in items for c in f.cases]
    return out


def _fold_short_titles(instruments: dict[str, dict], items: list[ItemFacts]) -> None:
    """A title that another instrument of the document declares as its short title (《人工智能基本法》
    for 《人工智能发展及可信基础构建基本法》（简称《人工智能基本法》）), in the same country, is that
    instrument, even when an earlier item used the short title alone."""
    def country(rec: dict) -> str:
        return (rec.get("jurisdiction") or "CN").split("-")[0]

    short: dict[tuple[str, str], set[str]] = {}
    for key, rec in instruments.items():
        for t in rec.get("short_titles", []):
            short.setdefault((country(rec), match_title(t)), set()).add(key)
    for key in list(instruments):
        rec = instruments[key]
        targets = short.get((country(rec), match_title(rec.get("title") or "")), set()) - {key}
        if len(targets) != 1 or rec.get("number"):
            continue
        _merge_record(instruments, items, key, next(iter(targets)))


def _merge_record(instruments: dict[str, dict], items: list[ItemFacts], key: str, target: str) -> None:
    """Fold the record ``key`` into ``target``: items joined, missing fields filled, mentions re-keyed."""
    rec = instruments.pop(key)
    merged = instruments[target]
    merged["items"] = list(dict.fromkeys(merged.get("items", []) + rec.get("items", [])))
    for name, value in rec.items():
        if name not in ("key", "title", "items", "confidence", "short_titles", "alt_titles", "jurisdiction") \
                and name not in merged:
            merged[name] = value
    for f in items:
        for m in f.instruments:
            if m.key == key:
                m.key = target


def _fold_yearless(instruments: dict[str, dict], items: list[ItemFacts], kb: KnowledgeBase) -> None:
    """A standard written without its year (GB/T 99001) is the edition the document or the graph names
    with one (GB/T 99001-2025), when there is exactly one."""
    from ..model.ids import standard_editions

    keys = set(instruments) | set(kb.instruments)
    for key in [k for k in instruments if k.startswith("std/")]:
        editions = standard_editions(keys, key)
        if not editions:
            continue
        target = editions[-1]  # the current (latest) edition
        rec = instruments.pop(key)
        if target in instruments:
            merged = instruments[target]
            merged["items"] = list(dict.fromkeys(merged.get("items", []) + rec.get("items", [])))
        else:
            rec["key"] = target
            rec.pop("number", None)
            rec["title"] = rec.get("title") if rec.get("title") and rec.get("title") != key else None
            rec = {k: v for k, v in rec.items() if v is not None}
            rec.setdefault("number", kb.instruments[target].number if target in kb.instruments else None)
            instruments[target] = rec
        for f in items:
            for m in f.instruments:
                if m.key == key:
                    m.key = target


def _items_of_authority(key: str, items: list[ItemFacts]) -> set[str]:
    found = set()
    for f in items:
        if any(key in m.issuers for m in f.instruments) or any(key in a.get("authorities", []) for a in f.actions) \
                or any(c.get("court") == key for c in f.cases):
            found.add(f.item.id)
    return found


def _merge_mention(rec: dict, m: Mention, item_id: str, kb: KnowledgeBase) -> None:
    rec.setdefault("items", [])
    if item_id not in rec["items"]:
        rec["items"].append(item_id)
    main = m.main
    if m.number and "number" not in rec:
        rec["number"] = m.number
    for name in ("short_titles", "alt_titles"):
        for t in getattr(m, name):
            if t != rec.get("title") and t not in rec.setdefault(name, []):
                rec[name].append(t)
        if not rec.get(name):
            rec.pop(name, None)
    if m.kind and not rec.get("kind"):
        rec["kind"] = m.kind
    if main:
        # the first main mention decides; a later one (a timeline entry after a summary) fills the gaps
        first = not rec.get("_main")
        rec["_main"] = True
        for name in ("status", "date_issued", "date_effective", "date_expiry", "consultation_deadline"):
            v = getattr(m, name)
            if v is not None and (first or name not in rec):
                rec[name] = str(v)
        if m.issuers and (first or not rec.get("issuers")):
            rec["issuers"] = list(m.issuers)
            if m.issuer_count:
                rec["issuer_count"] = m.issuer_count
        topics = topics_of(m.title)
        if topics and "topics" not in rec:
            rec["topics"] = topics
    elif m.issuers and not rec.get("issuers"):
        rec["issuers"] = list(m.issuers)  # a cited instrument's issuers, from its number or title
        if m.issuer_count:
            rec["issuer_count"] = m.issuer_count
    rec["jurisdiction"] = rec.get("jurisdiction") or m.jurisdiction or "CN"
    rec["confidence"] = round(max(rec.get("confidence", 0), m.confidence), 2)
    if m.key and m.key in kb.instruments:
        rec.setdefault("kind", kb.instruments[m.key].kind)


def finalize(fact_file: dict) -> dict:
    """Drop internal markers and empty sections; order fields for reading."""
    order = ["key", "title", "number", "short_titles", "alt_titles", "kind", "status", "issuers", "issuer_count",
             "date_issued", "date_effective", "date_expiry", "consultation_deadline", "jurisdiction", "topics",
             "items", "confidence"]
    insts = []
    for rec in fact_file["instruments"]:
        rec.pop("_main", None)
        if rec.get("kind") is None:
            rec.pop("kind", None)
        insts.append({k: rec[k] for k in order if k in rec})
    fact_file["instruments"] = insts
    for sec in ("authorities", "relations", "actions", "cases"):
        if not fact_file.get(sec):
            fact_file.pop(sec, None)
    return fact_file


__all__ = ["Assembler", "build_fact_file", "finalize", "normalize_title", "title_key", "vocabulary"]
