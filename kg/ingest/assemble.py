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

from ..model.ids import format_standard_number, match_title, name_key
from .context import ItemContext
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
)
from .extract.relations import (
    AMENDED_INSIDE,
    AS_PART_OF,
    DECISION_AFTER,
    DECISION_BEFORE,
    REPEALED_AFTER,
    RESPECTIVELY,
    RESPECTIVELY_TYPES,
    SUPPLEMENT_GAP,
    TAKES_EFFECT,
    TITLE_RUN_GAP,
    annex_parent_word,
    bare_title,
    based_on_named_before,
    basis_runs,
    changes_basis,
    is_annex,
    relation_cue,
)
from .extract.subjects import ADOPTED, issuers_near, item_subject, parse_subject
from .extract.text import sentence_of, sentences
from .mentions import (
    STANDARDS_RELEASE,
    ItemFacts,
    Mention,
    Mentions,
    Occurrence,
    announced,
    composite,
    heading_titles,
    named_in_text,
    plain_standards,
)
from .resolve import KnowledgeBase
from .segment import Item, Segmented

ISSUE_BEFORE = re.compile(
    rf"(?:联合印发|联合发布|联合公布|正式发布|正式印发|批准发布|印发|发布|公布|出台|颁布|签署|签发|{ADOPTED}|"
    r"批准|推出|发出|下发|制定|修订|提出|启动|公开征求|起草)(?:了|新版|首份|首部|一份|一项|一部|第二版)?"
    r"(?:\s*(?:[\u4e00-\u9fff]{2,4}\s*)?(?:关于)?|[^，。；《》]{0,30}的|[^，。；《》]{0,12}(?:——|—|：|:))?\s*$")
ISSUE_AFTER = re.compile(r"^\s*(?:[（(][^）)]{0,60}[）)]\s*)*(?:由[^。；，《]{2,80}?)?(?:正式|近日|日前|联合|批准)?(?:发布|公布|印发|出台|施行|实施|获批发布|获批|通过|"
                         r"生效|颁布|出炉|落地|推出)")
CITE_BEFORE = re.compile(r"(?:根据|依据|依照|按照|遵守|违反|参照|对照|贯彻落实|落实|为贯彻|为落实|基于|援引|适用|符合|关于|"
                         r"涉嫌违反|不得违反|补充|配套|废止|撤销|修订|修改|代替)[^，。；]{0,12}$")
CONSULTATION = re.compile(r"征求意见|意见反馈|公开征求")
EFFECT_ONLY = re.compile(r"^[^，。；]{0,12}(?:正式)?(?:生效|施行|实施)|部分条款[^，。；]{0,6}生效")


class Assembler:
    """Extracts and assembles the facts of one segmented newsletter."""

    def __init__(self, seg: Segmented, kb: KnowledgeBase):
        self.seg = seg
        self.kb = kb
        self.reference = seg.date
        self.items: list[ItemFacts] = []
        # short titles declared in an earlier item (以下简称《办法》), which later items use alone
        self.doc_aliases: dict[str, TitleMention] = {}

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
                keys = self.kb.candidates(name)
                if len(keys) == 1:
                    return self.kb.registry.authorities[keys[0]].jurisdiction
        if any(re.search(r"境外|国际|海外|全球", s) for s in item.section):
            return "INT"
        return "CN"

    # ------------------------------------------------------------ authorities

    def item_instruments(self, item: Item, jur: str | None) -> list[Mention]:
        """The instruments an item names, in order, with their occurrences, main ones marked."""
        text = item.text
        spans = sentences(text)
        raw = [m for m in find_titles(text) if is_instrument(m, text)]
        found = Mentions()
        self._bracketed(item, raw, spans, jur, found)
        plain_standards(text, raw, spans, found)
        named_in_text(self.kb, text, raw, spans, jur, found)
        heading_titles(item, found)
        announced(item, raw, found)
        for m in found.order:
            m.main = any(o.main for o in m.occurrences)
        for tm in raw:
            if tm.alias and len(tm.alias) <= 6 and any(o.main and o.start == tm.start for m in found.order
                                                     for o in m.occurrences):
                self.doc_aliases.setdefault(tm.alias, tm)
        self._attributes(item, found.order, spans, jur)
        return found.order

    def _bracketed(self, item: Item, raw: list[TitleMention], spans: list[tuple[int, int]], jur: str | None,
                   found: Mentions) -> None:
        """The titles in 《》: back-references folded into what they refer to, composites and
        implementing acts apart, each occurrence main (issued by the item) or cited with its cue."""
        text = item.text
        aliases = {m.alias: m for m in raw if m.alias}
        cue_at: dict[int, str | None] = {}
        runs = basis_runs(text, raw, lambda pos: sentence_of(spans, pos)[0])
        for tm in raw:
            target = self._referent(tm, raw, aliases, jur)
            if target is False:
                continue
            if target is not None:
                tgt = found.add(target, target.title, target.number)
                tgt.occurrences.append(Occurrence(tm.start, tm.end, False))
                tgt.about = tgt.about or target not in raw  # the instrument the article is about
                if tm.title not in tgt.short_titles and tm.title != tgt.title and len(tm.title) > 4:
                    tgt.short_titles.append(tm.title)
                continue
            if self._decision_around(item, tm, found, raw):
                continue
            m = found.add(tm, tm.title, tm.number)
            if tm.alias and tm.alias not in m.short_titles and len(tm.alias) > 4:
                m.short_titles.append(tm.alias)
            if tm.status and not m.status:
                m.status = tm.status
            after = text[tm.context_after: tm.context_after + 40]
            cited = bool(CITE_BEFORE.search(text[sentence_of(spans, tm.start)[0]: tm.start][-14:]))
            main = self._issued_here(item, tm, after) and not cited
            if composite(tm, m, main, found):
                continue
            if any(p.tail and p.context_after <= tm.start < p.context_after + len(p.tail) + 2 for p in raw):
                main = False
            prev = next((p for p in reversed(raw) if p.context_after <= tm.start), None)
            main = self._sibling_main(text, tm, prev, found, main, cited)
            cue = relation_cue(text[sentence_of(spans, tm.start)[0]: tm.start], after) if not main else None
            if cue is None and not main and prev is not None and prev.start in cue_at \
                    and TITLE_RUN_GAP.fullmatch(text[prev.context_after:tm.start]):
                cue = cue_at[prev.start]  # 根据《A》《B》和《C》: one cue for the whole run of titles
            if tm.start in runs and not main:
                cue = "based-on"  # 根据《A》《B》和《C》制定
            cue_at[tm.start] = cue
            m.occurrences.append(Occurrence(tm.start, tm.end, main, cue))
            if inner := AMENDED_INSIDE.search(tm.title):  # 关于修改〈X〉的决定 amends X
                amended = found.add(None, inner.group(1) or inner.group(2))
                amended.occurrences.append(Occurrence(tm.start, tm.end, False, "amends"))

    def _issued_here(self, item: Item, tm: TitleMention, after: str) -> bool:
        """Whether the item issues the title it names at ``tm``: in the heading, after an issuing
        verb or before one; never a title said to be repealed (…同时废止)."""
        text = item.text
        if REPEALED_AFTER.match(after):
            return False
        return tm.start < len(item.heading) or bool(ISSUE_BEFORE.search(text[max(0, tm.start - 40): tm.start])) \
            or bool(ISSUE_AFTER.match(after))

    def _sibling_main(self, text: str, tm: TitleMention, prev: TitleMention | None, found: Mentions, main: bool,
                      cited: bool) -> bool:
        """《A》和《B》 after an issuing verb are both issued; 《B》配套文件《C》: C is issued and
        supplements B."""
        if prev is None:
            return main
        prev_m = found.mentions.get(match_title(prev.title))
        prev_occ = next((o for o in prev_m.occurrences if o.start == prev.start), None) if prev_m else None
        gap = text[prev.context_after:tm.start]
        if prev_occ is not None and SUPPLEMENT_GAP.fullmatch(gap):
            main = main or prev_occ.main
            prev_occ.main, prev_occ.cue = False, "supplements"
            return main
        if not main and not cited and re.fullmatch(r"[、和及与\s]*", gap):
            return bool(prev_occ and prev_occ.main)
        return main

    def _decision_around(self, item: Item, tm: TitleMention, found: Mentions, raw: list[TitleMention]) -> bool:
        """关于修改《X》的决定 with only X quoted: the decision is an instrument of its own (titled as
        the item quotes it elsewhere, else with its issuer's name once known), X is amended by it."""
        text = item.text
        before = DECISION_BEFORE.search(text[max(0, tm.start - 8): tm.start])
        tail = DECISION_AFTER.match(text[tm.context_after: tm.context_after + 20])
        if not before or not tail:
            return False
        start = tm.start - len(before.group(0))
        title = f"关于{before.group(1)}〈{tm.title}〉的决定"
        quoted = next((t for t in raw if match_title(t.title).endswith(match_title(title))), None)
        decision = found.add(quoted, quoted.title, quoted.number) if quoted else found.add(None, title)
        decision.titled_by_issuer = quoted is None
        main = start < len(item.heading) or bool(ISSUE_BEFORE.search(text[max(0, start - 40): start]))
        decision.occurrences.append(Occurrence(start, tm.context_after + tail.end(), main))
        amended = found.add(tm, tm.title, tm.number)
        amended.occurrences.append(Occurrence(tm.start, tm.end, False, "amends"))
        return True

    def _referent(self, tm: TitleMention, raw: list[TitleMention], aliases: dict, jur: str | None):
        """What a short back-reference (《规则》, 《办法》, a declared alias) refers to: the title named
        before, None when ``tm`` is a title of its own, False when it refers to nothing."""
        title = tm.title
        if title in aliases and aliases[title] is not tm:
            return aliases[title]
        if len(title) <= 6 and not tm.number:
            before = [o for o in raw if o.start < tm.start]
            if title in self.doc_aliases and not any(bare_title(o.title).endswith(title) for o in before):
                return self.doc_aliases[title]  # 《办法》 declared by an earlier item of the document
            target = next((o for o in raw if o is not tm and len(o.title) > len(title)
                           and (bare_title(o.title).endswith(title) or o.alias == title)), None)
            if target is None and type_word(title) and len(title) <= 4 and not self.kb.find_instrument(title, jur):
                return False  # 《意见》 with nothing to refer to (《个保法》 is a known short title)
            return target
        return None

    def _attributes(self, item: Item, order: list[Mention], spans: list[tuple[int, int]], jur: str | None) -> None:
        """Key, issuers, dates, status, jurisdiction and kind of each instrument of an item."""
        heading_end = len(item.heading)
        mains = [m for m in order if m.main]
        main_starts = sorted(o.start for m in mains for o in m.occurrences if o.main and o.start >= heading_end)
        for m in order:
            # a known instrument's key, jurisdiction and kind
            known = self.kb.find_instrument(m.title, jur, m.number)
            if known is None and m.compound_of is None and (jur or "CN").startswith("CN"):
                known = self.kb.find_instrument(m.title, "CN", m.number)
            if known:
                m.key = known
                m.jurisdiction = self.kb.instruments[known].jurisdiction
                m.kind = self.kb.instruments[known].kind
            if m.main:
                occ, end = self._main_issuers(item, m, spans, jur, single=len(mains) == 1)
                self._main_dates(item, m, spans, occ, end, main_starts, jur)
            elif known is None and m.mention is not None:
                self._cited_issuers(m, jur)
            if not m.jurisdiction:
                self._own_jurisdiction(m, jur)
            if not m.kind:
                self._kind(item.text, m)

    def _main_issuers(self, item: Item, m: Mention, spans: list[tuple[int, int]], jur: str | None,
                      single: bool) -> tuple[Occurrence, int]:
        """The issuers of an instrument the item is about (the subject of the verb before its main
        occurrence, else of the heading's, else of the item, else those its number or title names);
        returns the occurrence and its end."""
        text, heading_end, tm = item.text, len(item.heading), m.mention
        body_occ = [o for o in m.occurrences if o.main and o.start >= heading_end] or \
                   [o for o in m.occurrences if o.main]
        occ = body_occ[0]
        end = next((o.end for o in m.occurrences if o.start == occ.start), occ.end)
        issuers, count = issuers_near(self.kb, text, occ.start, spans, jur, end)
        if not issuers and occ.start >= heading_end:
            head = [o for o in m.occurrences if o.start < heading_end]
            if head:
                issuers, count = issuers_near(self.kb, text, head[0].start, spans, jur, head[0].end)
        if not issuers and (single or STANDARDS_RELEASE.search(item.heading)):
            issuers, count = item_subject(self.kb, item, jur)
        named_in_number = (tm.number_issuers if tm is not None else None) or number_issuers(m.number)
        if named_in_number and not issuers:
            issuers, _ = parse_subject(self.kb, named_in_number, jur)
        prefix = re.match(r"^(.{2,40}?)关于", m.title)
        if prefix and not issuers:
            issuers, _ = parse_subject(self.kb, prefix.group(1), jur)
        m.issuers = issuers
        m.issuer_count = count if count and count > len(issuers) else None
        if m.titled_by_issuer and len(issuers) == 1 and issuers[0] in self.kb.registry.authorities:
            m.title = self.kb.registry.authorities[issuers[0]].name + m.title
            m.titled_by_issuer = False
        return occ, end

    def _main_dates(self, item: Item, m: Mention, spans: list[tuple[int, int]], occ: Occurrence, end: int,
                    main_starts: list[int], jur: str | None) -> None:
        """Dates and status of an instrument the item is about, from the text about it: its sentence
        up to the next main instrument's; the publication note under a reproduced rule wins."""
        text, heading_end, ref = item.text, len(item.heading), self.reference
        s0 = sentence_of(spans, occ.start)[0]
        nxt = next((p for p in main_starts if p > occ.start and sentence_of(spans, p)[0] > s0), len(text))
        window = text[s0:nxt]
        sent = text[s0: sentence_of(spans, occ.start)[1]]
        effect_only = bool(EFFECT_ONLY.search(text[end: end + 30] + " " + item.heading)) and not re.search(
            r"发布|印发|公布|通过|签署|出台|颁布", sent)
        m.date_issued = None if effect_only else event_date(sent, ref) or (
            event_date(text[heading_end: heading_end + 80], ref) if occ.start < heading_end + 80 else None)
        m.date_effective = effective_date(window, ref, issued=m.date_issued)
        if effect_only and not re.search(r"部分|条款|首批", sent + item.heading):
            m.date_effective = m.date_effective or event_date(sent, ref)
        elif effect_only:
            m.date_effective = None  # only some provisions took effect
        if note := publication_note(text, m.title):
            m.date_issued = event_date(note.text, ref) or m.date_issued
            m.date_effective = effective_date(note.text, ref) or m.date_effective
            if not m.number or m.number in note.number:
                m.number = note.number
            if m.status in (None, "consultation"):  # a published rule is no draft
                eff = m.date_effective
                m.status = "in-force" if eff and ref and str(eff) <= str(ref) else "issued"
            named, _ = parse_subject(self.kb, note.issuers, jur)
            if named:
                m.issuers, m.issuer_count = named, None
        m.date_expiry = expiry_date(window, ref)
        m.consultation_deadline = deadline(window, ref)
        if not m.status:
            if CONSULTATION.search(window) or CONSULTATION.search(item.heading):
                m.status = "consultation"
            elif re.search(r"提出|起草|草案|提案", sent) and not re.search(r"通过|发布|印发|公布|签署", sent):
                m.status = "draft"
            elif m.date_effective and ref and str(m.date_effective) <= str(ref):
                m.status = "in-force"
            else:
                m.status = "issued"
        m.confidence = max(m.confidence, 0.85 if m.mention else 0.7)

    def _cited_issuers(self, m: Mention, jur: str | None) -> None:
        """A cited instrument names its issuers in its order number (…等十三部门令第8号) or at the
        head of its title (中共中央 国务院关于…的意见)."""
        named_in_number = m.mention.number_issuers or number_issuers(m.number)
        issuers, count = parse_subject(self.kb, named_in_number, jur) if named_in_number else ([], None)
        prefix = re.match(r"^(.{2,40}?)关于", m.title)
        if not issuers and prefix:
            named, _ = parse_subject(self.kb, prefix.group(1), jur)
            rest = re.sub(r"[\s、，,和与及]", "", prefix.group(1))
            if named and len(rest) <= sum(len(name_key(self.kb.authority_name(k))) for k in named):
                issuers = named
        m.issuers = issuers
        m.issuer_count = count if count and count > len(issuers) else None

    def _own_jurisdiction(self, m: Mention, jur: str | None) -> None:
        """The instrument's jurisdiction; it may name a known instrument the item's did not
        (澳大利亚…《网络安全法》 is AU's Online Safety Act; GDPR applied in Italy is the EU's)."""
        m.jurisdiction = self._instrument_jurisdiction(m, jur)
        for j in dict.fromkeys([m.jurisdiction, *eu_of(m.jurisdiction)]):
            again = self.kb.find_instrument(m.title, j, m.number) if m.compound_of is None else None
            if again:
                m.key, m.jurisdiction = again, self.kb.instruments[again].jurisdiction
                m.kind = m.kind or self.kb.instruments[again].kind
                break

    def _kind(self, text: str, m: Mention) -> None:
        """The kind of an instrument from its title, issuers and the words before it."""
        issuer_kinds = [self._authority_kind(k) for k in m.issuers]
        before = text[max(0, m.first - 20): m.first]
        probe = m.mention or TitleMention(title=m.title, start=m.first, end=m.first, number=m.number)
        m.kind = classify_kind(probe, m.jurisdiction, issuer_kinds, before)
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
        # an item that issues nothing but speaks of the instrument the article is about relates to it
        mains = [m for m in order if m.main] or [m for m in order if m.about]
        out: list[tuple[Mention, str, Mention, float]] = []
        if not mains:
            return self._named_before(text, order, out)

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
            if m in mains:
                continue
            for occ in m.occurrences:
                subj = subject_for(occ.start)
                if occ.cue == "based-on":
                    # 《A》…依据《B》制定: the title opening the sentence is what was made on that basis
                    s0 = sentence_of(spans, occ.start)[0]
                    opener = next((x for x in order for o in x.occurrences
                                   if x is not m and s0 <= o.start < occ.start and not text[s0:o.start].strip()), None)
                    subj = opener or subj
                elif occ.cue == "repeals" and REPEALED_AFTER.match(text[occ.end: occ.end + 60]):
                    # 《A》将于…施行，届时《B》同时废止: A, named before B in the sentence, repeals it
                    s0 = sentence_of(spans, occ.start)[0]
                    prior = [(o.start, x) for x in order for o in x.occurrences
                             if x is not m and s0 <= o.start < occ.start and o.cue is None
                             and TAKES_EFFECT.search(text[o.end:occ.start])]
                    subj = max(prior, key=lambda t: t[0])[1] if prior else subj
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
        out = self._named_before(text, order, out)
        out = self._respectively(text, spans, order, mains, out)
        out = self._supplements_of(text, spans, order, mains, out)
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

    @staticmethod
    def _named_before(text: str, order: list[Mention], out: list[tuple[Mention, str, Mention, float]]
                      ) -> list[tuple[Mention, str, Mention, float]]:
        """据此制定的《X》 / 两部规则均依据《B》制定: the basis is named before the cue."""
        titled = sorted(((o.start, o.end, m, m.title) for m in order for o in m.occurrences if m.mention),
                        key=lambda t: t[0])
        for x, b in based_on_named_before(text, titled):
            out = [r for r in out if not ({id(r[0]), id(r[2])} == {id(x), id(b)} and r[1] in ("cites", "based-on"))]
            out.append((x, "based-on", b, 0.8))
        return out

    @staticmethod
    def _respectively(text: str, spans: list[tuple[int, int]], order: list[Mention], mains: list[Mention],
                      out: list[tuple[Mention, str, Mention, float]]) -> list[tuple[Mention, str, Mention, float]]:
        """A和B…分别代替C和D: A replaces C and B replaces D (the issued instruments named before the
        cue, in order, paired with the instruments named after it)."""
        for s, e in spans:
            cue = RESPECTIVELY.search(text[s:e])
            if not cue:
                continue
            cut = s + cue.start()
            objects = sorted((m for m in order if not m.main and any(cut <= o.start < e for o in m.occurrences)),
                             key=lambda m: min(o.start for o in m.occurrences if o.start >= cut))
            subjects = sorted((m for m in mains if any(o.main and s <= o.start < cut for o in m.occurrences)),
                              key=lambda m: m.first)  # 发布《A》和《B》，…分别代替《C》和《D》
            if len(subjects) != len(objects):
                subjects = sorted((m for m in mains if any(o.start < cut for o in m.occurrences)),
                                  key=lambda m: m.first)
            if len(objects) < 2 or len(subjects) != len(objects):
                continue
            rel = RESPECTIVELY_TYPES[cue.group(1)]
            out = [r for r in out if r[2] not in objects and r[0] not in objects]
            out.extend((a, rel, b, 0.85) for a, b in zip(subjects, objects, strict=True))
        return out

    @staticmethod
    def _supplements_of(text: str, spans: list[tuple[int, int]], order: list[Mention], mains: list[Mention],
                        out: list[tuple[Mention, str, Mention, float]]) -> list[tuple[Mention, str, Mention, float]]:
        """发布《A》和《B》，作为《X》的配套文件 (附件): A and B supplement X (are annexes of X)."""
        for s, e in spans:
            for cue in AS_PART_OF.finditer(text, s, e):
                target = next((m for m in order if any(o.start == cue.start(1) for o in m.occurrences)), None)
                subjects = [m for m in mains if m is not target
                            and any(o.main and s <= o.start < cue.start() for o in m.occurrences)]
                rel = "annex-of" if "附件" in cue.group(2) else "supplements"
                for subj in subjects if target is not None else []:
                    out = [r for r in out if not (r[0] is subj and r[2] is target)]
                    out.append((subj, rel, target, 0.85))
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
            ctx = ItemContext(self.kb, self.reference)
            facts.actions = actions_mod.extract_actions(item, ctx, jur)
            facts.cases = cases_mod.extract_cases(item, ctx, jur)
            self.items.append(facts)
        return self.items


EU_MEMBERS = frozenset(["AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"])


def eu_of(jurisdiction: str | None) -> list[str]:
    """["EU"] for a member state of the European Union (whose law applies there too), else []."""
    return ["EU"] if (jurisdiction or "").split("-")[0] in EU_MEMBERS else []


def _type_kind(title: str) -> str | None:
    tw = type_word(title)
    return tw[1] if tw else None


