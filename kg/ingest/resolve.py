"""Mentions -> entities: what the graph already knows, and general naming rules for the rest.

The knowledge base holds the authority registry, the known instruments and the
instruments of documents already ingested, so a new newsletter's mentions
resolve to existing nodes. Bodies the registry does not know become new
authorities flagged for review; their canonical name, kind, jurisdiction and
parent follow general Chinese naming patterns (湖南省网信办 -> 湖南省互联网信息办公室,
a regulator under 国家互联网信息办公室; 江苏省通信管理局 under 工业和信息化部 ...).
"""

from __future__ import annotations

import bisect
import copy
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FactError, FactErrors
from ..facts.dataset import Base, load_base
from ..facts.registry import Authority, Registry, authority_from_record
from ..facts.schema import Ctx, parse_list
from ..facts.yamlio import LMap, load_yaml
from ..model.ids import PRC_PREFIX, clean_text, instrument_key, match_title, name_key, squash_spaces, standard_key
from ..model.vocabularies import vocabulary
from .lexicon import alternation, lexicon, words
from .names import NameIndex

_ORGANS = lexicon("organs")
# Suffixes that end the name of a public body, longest first.
ORG_SUFFIXES = words("organs", "suffixes")
GENERIC_BODIES = set(_ORGANS["generic"])
# General naming rules: short form -> (full form suffix, kind, parent key at national level).
NAMING_RULES: list[tuple[str, str | None, str, str | None]] = [tuple(r) for r in _ORGANS["naming_rules"]]
COUNTY = re.compile(r"^[\u4e00-\u9fff]{1,4}(?:县|区|旗)(?=[\u4e00-\u9fff])")
KIND_BY_SUFFIX: list[tuple[str, str]] = [tuple(r) for r in _ORGANS["kinds_by_suffix"]]


@dataclass
class KnownInstrument:
    """An instrument the graph already knows (registry or an earlier document)."""

    key: str
    title: str
    jurisdiction: str
    kind: str | None = None
    number: str | None = None
    titles: list[str] = field(default_factory=list)
    doc: str | None = None  # the document that stated it (None: the authority file)


class KnowledgeBase:
    """Registry, known instruments and place names, for resolving mentions."""

    def __init__(self, registry: Registry, instruments: list[KnownInstrument]):
        self.registry = registry
        self.instruments = {i.key: i for i in instruments}
        # title form / number / Latin short title -> key -> the documents that stated it (None: registry)
        self._by_title: dict[str, dict[str, set]] = defaultdict(dict)
        self._by_number: dict[str, dict[str, set]] = defaultdict(dict)
        self._latin: dict[str, dict[str, set]] = defaultdict(dict)
        for inst in instruments:
            for t in [inst.title, *inst.titles]:
                m = match_title(t)
                self._by_title[m].setdefault(inst.key, set()).add(inst.doc)
                if m.startswith(PRC_PREFIX):
                    self._by_title[m[len(PRC_PREFIX):]].setdefault(inst.key, set()).add(inst.doc)
                # Latin short titles a newsletter writes without brackets (GDPR, UK GDPR, NIS2, CCPA)
                if t in inst.titles and LATIN_TITLE.fullmatch(t) and not registry.candidates(t):  # CMA: a body
                    self._latin[t].setdefault(inst.key, set()).add(inst.doc)
            if inst.number:
                sk = standard_key(inst.number)
                self._by_number[sk or clean_text(inst.number)].setdefault(inst.key, set()).add(inst.doc)
                if eu := eu_number(inst.number):
                    self._by_number[eu].setdefault(inst.key, set()).add(inst.doc)
        self._latin_pattern = re.compile(r"(?<![A-Za-z0-9])(?:" + "|".join(
            re.escape(t) for t in sorted(self._latin, key=len, reverse=True)) + r")(?![A-Za-z0-9])") \
            if self._latin else None
        self.new_authorities: dict[str, dict] = {}
        # authorities declared by other documents only: a document using one declares it too, so that
        # it never depends on another document's facts or curation
        self.document_authorities: dict[str, dict] = {}
        self.instrument_sources: dict[str, set[str | None]] = {}  # key -> documents (None: the registry)
        self.versions: dict[str, list[tuple[str | None, KnownInstrument]]] = {}  # keys stated more than once
        self.authority_docs: dict[str, set[str]] = {}  # key -> documents declaring it
        self.excluded: str | None = None  # the document being re-ingested: its old facts do not count
        self._shown: dict[str, bool] = {}  # registry name -> whether it counts (see _name_counts)
        # the answers of the lookups that depend on nothing but this knowledge (asked again and again)
        self._memo: dict[str, dict] = {}
        self._names = NameIndex(n for a in registry.authorities.values() for n in a.names())
        places = vocabulary("jurisdiction")
        labels: dict[str, str] = {}
        for c in places.concepts.values():
            for lab in [*c.labels.values(), *c.alt_labels]:
                if re.search(r"[\u4e00-\u9fff]", lab) and len(lab) >= 2:
                    labels.setdefault(lab, c.notation)
        self.place_labels = labels
        self._labels_of: dict[str, set[str]] = defaultdict(set)  # notation -> its labels
        for lab, code in labels.items():
            self._labels_of[code].add(lab)
        self._places = NameIndex(labels)

    def for_document(self, doc_id: str | None) -> KnowledgeBase:
        """This knowledge for extracting ``doc_id``: what that document declared before does not
        count, and the bodies it creates are its own (the shared indexes are not copied)."""
        kb = copy.copy(self)
        kb.new_authorities = {}
        kb.excluded = doc_id
        kb._shown = {}
        kb._memo = {}
        own = [k for k, vs in self.versions.items() if vs[-1][0] == doc_id]
        if own:  # an instrument the document re-stated: as the others know it
            kb.instruments = dict(self.instruments)
            for k in own:
                others = [v for d, v in self.versions[k] if d != doc_id]
                if others:
                    kb.instruments[k] = others[-1]
        return kb

    def visible_instrument(self, key: str) -> bool:
        """Whether a known instrument is known other than from the document being re-ingested."""
        sources = self.instrument_sources.get(key)
        return self.excluded is None or sources is None or bool(sources - {self.excluded})

    def _hits(self, index: dict[str, dict[str, set]], form: str) -> set[str]:
        """The keys an index gives for ``form``, as stated other than by the re-ingested document."""
        return {k for k, docs in index.get(form, {}).items() if self.excluded is None or docs - {self.excluded}}

    def by_title(self, form: str) -> set[str]:
        """Known instruments with this title form (:func:`match_title`)."""
        return self._hits(self._by_title, form)

    def by_number(self, form: str) -> set[str]:
        """Known instruments with this number form (a standard key, an EU ``EU:2016/679``, a number)."""
        return self._hits(self._by_number, form)

    def latin(self, title: str) -> set[str]:
        """Known instruments with this Latin short title."""
        return self._hits(self._latin, title)

    def candidates(self, name: str, jurisdiction: str | None = None) -> list[str]:
        """The registry's keys for a name, without bodies only the re-ingested document declared."""
        return [k for k in self.registry.candidates(name, jurisdiction) if self.visible_authority(k)]

    def visible_authority(self, key: str) -> bool:
        """Whether an authority is known other than from the document being re-ingested."""
        docs = self.authority_docs.get(key)
        return self.excluded is None or docs is None or bool(docs - {self.excluded})

    # ------------------------------------------------------------ places

    def place_prefix(self, name: str) -> tuple[str | None, str]:
        """The jurisdiction a name starts with (湖南省郴州市网信办 -> CN-431000) and the place text."""
        jur, text = None, ""
        for label in self._places.prefixes(name):
            code = self.place_labels[label]
            # a deeper place (a city after its province) refines the jurisdiction
            if jur is None or (code.startswith("CN-") and len(code) > len(jur or "")) or vocabulary(
                    "jurisdiction").concepts[code].broader == jur:
                jur = code
            text += label
        return jur, text

    def place_pattern_full(self, text: str) -> bool:
        """True when ``text`` is made only of place names."""
        return sum(map(len, self._places.prefixes(text))) == len(text)

    def jurisdictions_in(self, text: str) -> list[tuple[int, str]]:
        """(position, notation) of every place name in a text."""
        return [(start, self.place_labels[label]) for start, label in self._places.leftmost_longest(text)]

    def _by_variant(self, title: str) -> set[str]:
        """Known instruments a title names in another common rendering: with or without the year
        of the act (2012年个人数据保护法), 法 for 法案 and back, the place spelled in full or short
        (加州 / 加利福尼亚州). Only a variant in the jurisdiction its place names counts."""
        jur, place = self.place_prefix(title)
        rest = title[len(place):]
        bare = re.sub(r"^\d{4}\s*年\s*", "", rest)
        stems = {bare, re.sub(r"法案$", "法", bare), re.sub(r"(?<!法)法$", "法案", bare)}
        places = {place} | (self._labels_of.get(jur, set()) if jur else set())
        keys: set[str] = set()
        for p in places:
            for stem in stems:
                keys |= self.by_title(match_title(p + stem))
        if jur:
            keys = {k for k in keys if _country(self.instruments[k].jurisdiction) == _country(jur)}
        return keys

    def latin_titles_in(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, title) of the Latin short titles of known instruments in a text."""
        return [(m.start(), m.end(), m.group(0)) for m in self._latin_pattern.finditer(text)] if self._latin_pattern else []

    # ------------------------------------------------------------ authorities

    def find_authorities(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of the registry names and aliases in a text: of overlapping names,
        those covering most of the text (中国人民银行联合国家金融监督管理总局 holds two bodies, not
        联合国)."""
        memo = self._memo.setdefault("authorities", {})
        if text not in memo:
            memo[text] = self._find_authorities(text)
        return list(memo[text])

    def _find_authorities(self, text: str) -> list[tuple[int, int, str]]:
        found = [(start, start + len(name), name) for start, name in self._names.at_every_position(text)
                 if self._name_counts(name)]
        # weighted interval scheduling over the names (one per start, in order): best[k] = the most
        # text covered by names from the k-th one's start on, and those names (a tie keeps fewer)
        starts = [s for s, _e, _n in found]
        best: list[tuple[int, list]] = [(0, [])] * (len(found) + 1)
        for k in range(len(found) - 1, -1, -1):
            start, end, _name = found[k]
            after = best[bisect.bisect_left(starts, end, k + 1)]
            take = (end - start + after[0], [found[k], *after[1]])
            best[k] = take if take[0] > best[k + 1][0] else best[k + 1]
        return best[0][1]

    def _name_counts(self, name: str) -> bool:
        """Whether a registry name found in a text counts: not when only the re-ingested document
        declared it (remembered per name: the registry does not change while a document is read)."""
        shown = self._shown.get(name)
        if shown is None:
            shown = self._shown[name] = not self.excluded or bool(self.candidates(name)) \
                or not self.registry.candidates(name)
        return shown

    def resolve_authority(self, name: str, context_jurisdiction: str | None = None,
                          foreign: bool = False) -> str | None:
        """The key of the authority ``name`` designates: registry (preferring the context's
        jurisdiction), an authority created earlier in this ingest, or a new one built with
        the naming rules. None for generic words (有关部门) and non-bodies."""
        whole = squash_spaces(clean_text(name)).strip("，,、：:；;“”\"'《》（）() ")
        keys = self.candidates(whole)
        name = whole if keys else _strip_name(name)
        if not name or name in GENERIC_BODIES or len(name) < 2:
            return None
        keys = keys or self.candidates(name)
        if any(k not in self.document_authorities for k in keys):
            keys = [k for k in keys if k not in self.document_authorities]  # the authority file first
        if keys:
            if len(keys) == 1:
                k = keys[0]
                auth = self.registry.authorities[k]
                # a bare foreign alias (司法部, 商务部) must not capture a Chinese body, and vice versa
                if context_jurisdiction and auth.jurisdiction != "INT" \
                        and _country(auth.jurisdiction) != _country(context_jurisdiction) \
                        and not _explicit_foreign(name, auth.jurisdiction, self) \
                        and (_country(context_jurisdiction) == "CN" or foreign):
                    return self._new_authority(name, context_jurisdiction)
                return k
            narrowed = [k for k in keys if _country(self.registry.authorities[k].jurisdiction)
                        == _country(context_jurisdiction or "CN")]
            if len(narrowed) == 1:
                return narrowed[0]
            return None
        return self._new_authority(name, context_jurisdiction)

    def _new_authority(self, name: str, context_jurisdiction: str | None) -> str | None:
        if not _looks_like_body(name):
            return None
        jur, place = self.place_prefix(name)
        canonical = name
        kind = None
        parent = None
        if not place and (m := COUNTY.match(name)):
            place = m.group(0)  # a county or district the vocabulary does not list: keep its name
        for pattern, full, rule_kind, rule_parent in NAMING_RULES:
            m = re.search(rf"(?:{pattern})$", name)
            if m and place and m.start() >= len(place):
                if full == "@police":
                    # 湖北武汉网警 / 武汉市公安局网安支队: the public security bureau of the place
                    level = vocabulary("jurisdiction").concepts.get(jur or "", None)
                    province = level is not None and level.broader == "CN" and not place.endswith("市")
                    bureau = "公安厅" if province and (level.labels.get("zh") or "").endswith(("省", "区")) else "公安局"
                    canonical = place + bureau  # its cyber-police unit has no name of its own
                elif full:
                    canonical = name[: m.start()] + full
                kind = rule_kind
                parent = rule_parent
                break
        if jur is None:
            jur = context_jurisdiction or "CN"
        if not place and _country(jur) == "CN" and kind in ("regulator", "police", "government") and parent:
            return None  # 网信办 without a place is not one body
        if kind is None:
            kind = next((k for suf, k in KIND_BY_SUFFIX if name.endswith(suf) or suf in name[-4:]), "agency")
        canonical = _expand_place(canonical, place, self)
        key = f"{jur}/{name_key(canonical)}"
        existing = self.candidates(canonical, jur) or self._foreign_variant(canonical, place, jur)
        if existing:
            return existing[0]
        if parent and _country(jur) == "CN":
            parent = self._regional_parent(parent, jur, canonical) or parent
        if key not in self.new_authorities:
            self.new_authorities[key] = {"name": name_key(canonical), "kind": kind, "jurisdiction": jur,
                                         "aliases": [name] if name_key(name) != name_key(canonical) else [],
                                         "parent": parent if _country(jur) == "CN" else None, "review": True}
        elif name_key(name) != self.new_authorities[key]["name"] and name not in self.new_authorities[key]["aliases"]:
            self.new_authorities[key]["aliases"].append(name)
        return key

    def _foreign_variant(self, name: str, place: str, jur: str) -> list[str]:
        """A foreign body the authority file names with or without its country or state, or with the
        place in full (韩国科学技术信息通信部 / 科学技术信息通信部, 电子和信息技术部 / 印度电子和信息技术部,
        加州隐私保护局 / 加利福尼亚州隐私保护局): its key, if exactly one body of ``jur`` has that name."""
        if _country(jur) == "CN":
            return []
        concepts = [vocabulary("jurisdiction").concepts[c] for c in dict.fromkeys((jur, _country(jur)))
                    if c in vocabulary("jurisdiction").concepts]
        labels = [x for c in concepts for x in (c.labels.get("zh"), *c.alt_labels) if x and re.match(r"[\u4e00-\u9fff]", x)]
        rest = name[len(place):] if place and name.startswith(place) else name
        forms = {rest, *(label + rest for label in labels if label)} - {name}
        hits = {k for form in forms for k in self.candidates(form, jur)
                if self.registry.authorities[k].jurisdiction == jur}
        return sorted(hits) if len(hits) == 1 else []

    def _regional_parent(self, national_parent: str, jur: str, canonical: str) -> str | None:
        """A city office's parent is its province's office of the same kind, when the registry knows it."""
        concept = vocabulary("jurisdiction").concepts.get(jur)
        if concept is None or concept.broader in (None, "CN"):
            return None
        suffix = next((s for s in ("互联网信息办公室", "通信管理局", "公安厅", "公安局") if canonical.endswith(s)), None)
        if suffix is None:
            return None
        province = concept.broader
        for key, auth in self.registry.authorities.items():
            if auth.jurisdiction == province and auth.name.endswith(suffix.replace("公安局", "公安厅")):
                return key
        for key, spec in self.new_authorities.items():
            if spec["jurisdiction"] == province and spec["name"].endswith(suffix.replace("公安局", "公安厅")):
                return key
        return None

    def authority_jurisdiction(self, key: str) -> str | None:
        """The jurisdiction of a registry or newly created authority."""
        if key in self.registry.authorities:
            return self.registry.authorities[key].jurisdiction
        spec = self.new_authorities.get(key)
        return spec["jurisdiction"] if spec else None

    def authority_name(self, key: str) -> str:
        """The canonical name of an authority."""
        if key in self.registry.authorities:
            return self.registry.authorities[key].name
        return self.new_authorities[key]["name"]

    # ------------------------------------------------------------ instruments

    def find_instrument(self, title: str | None, jurisdiction: str | None, number: str | None = None) -> str | None:
        """The key of a known instrument with this title or number (jurisdiction breaks ties)."""
        memo = self._memo.setdefault("instruments", {})
        args = (title, jurisdiction, number)
        if args not in memo:
            memo[args] = self._find_instrument(title, jurisdiction, number)
        return memo[args]

    def _find_instrument(self, title: str | None, jurisdiction: str | None, number: str | None) -> str | None:
        keys: set[str] = set()
        if number:
            sk = standard_key(number)
            keys |= self.by_number(sk or clean_text(number))
            if not keys and (eu := eu_number(number)):
                eu_keys = self.by_number(eu)
                return next(iter(eu_keys)) if len(eu_keys) == 1 else None
            if sk and not keys:
                keys |= {k for k in self.instruments if k.startswith(sk + "-") and k[len(sk) + 1:].isdigit()}
        if not keys and title:
            m = match_title(title)
            keys = self.by_title(m)
            if not keys and m.startswith(PRC_PREFIX):
                keys = self.by_title(m[len(PRC_PREFIX):])
            if not keys:
                keys = self._by_variant(title)
        keys = {k for k in keys if self.visible_instrument(k)}
        if len(keys) > 1 and jurisdiction:
            narrowed = {k for k in keys if self.instruments[k].jurisdiction == jurisdiction}
            if not narrowed:
                narrowed = {k for k in keys if _country(self.instruments[k].jurisdiction) == _country(jurisdiction)}
            keys = narrowed or keys
        if len(keys) == 1:
            k = next(iter(keys))
            if jurisdiction and _country(self.instruments[k].jurisdiction) != _country(jurisdiction) \
                    and self.instruments[k].jurisdiction not in ("INT",) and jurisdiction not in ("INT",):
                return None  # the same short title in another jurisdiction is another instrument
            return k
        return None


# an acronym of four or more characters, or one with a digit (GDPR, UK GDPR, NIS2, CCPA; not CRA or CMA)
LATIN_TITLE = re.compile(r"(?=[A-Z0-9 ]*\d|[A-Z0-9 ]{4,})[A-Z][A-Z0-9]{1,9}(?: [A-Z0-9]{1,9})?")
EU_NUMBER = re.compile(r"\(\s*E[UC]\s*\)\s*(?:No\.?\s*)?(\d{4})\s*/\s*(\d{1,4})|(?<![\d/])(\d{4})\s*/\s*(\d{1,4})\s*/\s*E[UC]\b")


def eu_number(number: str) -> str | None:
    """The year/number key of an EU act's number (Regulation (EU) 2016/679, Directive 2016/1148/EU)."""
    m = EU_NUMBER.search(number)
    if not m:
        return None
    year, n = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
    return f"EU:{year}/{int(n)}"


def _country(jur: str | None) -> str | None:
    if not jur:
        return None
    return jur.split("-")[0]


def _explicit_foreign(name: str, jur: str, kb: KnowledgeBase) -> bool:
    """True when the name itself says which country it belongs to (韩国个人信息保护委员会)."""
    j, _ = kb.place_prefix(name)
    return j is not None and _country(j) == _country(jur)


def _strip_name(name: str) -> str:
    name = squash_spaces(clean_text(name)).strip("，,、：:；;“”\"'《》（）() ")
    name = re.sub(r"^(?:由|经查|和|与|及|以及|会同|联合|并|等|对|向|据|近日|日前|今天|目前|此前|随后)", "", name)
    name = re.sub(r"(?:等|等多|等有关|等相关)$", "", name)
    return name


NOT_BODY = re.compile(alternation("organs", "not_body"))
NOT_BODY_END = re.compile(alternation("organs", "not_body_endings") + "$")


def _looks_like_body(name: str) -> bool:
    if len(name) > 40 or re.search(r"[，。；：,;:]", name) or NOT_BODY.search(name):
        return False
    if not name.endswith(ORG_SUFFIXES) and not re.search(r"(?:网信办|网警|网安)$", name):
        return False
    return not NOT_BODY_END.search(name)


def _expand_place(canonical: str, place: str, kb: KnowledgeBase) -> str:
    """Spell the place of a body in full: 湖南省 for 湖南, 郴州市 for 郴州 (as the vocabulary does)."""
    if not place:
        return canonical
    if kb.place_pattern_full(place):
        # only the innermost place is part of the name (湖南省郴州市网信办 -> 郴州市互联网信息办公室)
        found = kb._places.leftmost_longest(place)
        start, last = found[-1] if found else (0, "")
        if last and start + len(last) == len(place) and start > 0:
            code = kb.place_labels[last]
            concept = vocabulary("jurisdiction").concepts[code]
            if concept.broader not in (None, "CN") and code.startswith("CN-"):
                place_full = concept.labels.get("zh") or last
                return place_full + canonical[len(place):]
    out = ""
    labels = kb._places.prefixes(place)
    for label in labels:
        code = kb.place_labels[label]
        concept = vocabulary("jurisdiction").concepts[code]
        full = concept.labels.get("zh") or label
        if code.split("-")[0] != "CN":
            full = label
        out += full
    return out + place[sum(map(len, labels)):] + canonical[len(place):]


@dataclass
class DeclaredFacts:
    """What one fact file of ``data/documents`` gives the knowledge base: its instruments (tagged
    with the document) and its authorities, each with its record's fields but items and key."""

    instruments: list[KnownInstrument]
    authorities: list[tuple[Authority, dict]]


def declared_facts(path: Path) -> DeclaredFacts | None:
    """The instruments and authorities a fact file declares (None if it is not a readable one)."""
    try:
        raw = load_yaml(path)
    except FactError:
        return None
    if not isinstance(raw, LMap):
        return None
    ctx = Ctx(str(path))
    instruments = []
    for rec in parse_list("instrument", raw.get("instruments"), ctx, 1):
        known = _known(rec.data)
        known.doc = path.stem
        instruments.append(known)
    authorities = [(authority_from_record(rec), {k: v for k, v in rec.data.items() if k not in ("items", "key")})
                   for rec in parse_list("authority", raw.get("authorities"), ctx, 1)]
    return DeclaredFacts(instruments, authorities)


def load_knowledge(data_dir: Path, exclude_doc: str | None = None, base: Base | None = None,
                   declared: dict[str, DeclaredFacts | None] | None = None) -> KnowledgeBase:
    """The knowledge base for ingesting into ``data_dir``: registry, known instruments, and what the
    documents already ingested declare, each tagged with its document so that the one being
    re-ingested can be left out (:meth:`KnowledgeBase.for_document`). Read once per run;
    ``declared``: what each document declares by document id, in file order, if already read."""
    base = base or load_base(data_dir)
    if declared is None:
        declared = {p.stem: declared_facts(p) for p in sorted((data_dir / "documents").glob("*.yaml"))}
    registry = base.registry.fork()
    instruments = [_known(rec.data) for rec in base.known]
    sources: dict[str, set[str | None]] = defaultdict(set)
    versions: dict[str, list] = defaultdict(list)
    for inst in instruments:
        sources[inst.key].add(None)
        versions[inst.key].append((None, inst))
    document_authorities: dict[str, dict] = {}  # authorities only documents declare (not in data/authorities/)
    authority_docs: dict[str, set[str]] = defaultdict(set)
    for doc, facts in declared.items():
        if facts is None:
            continue
        for known in facts.instruments:
            instruments.append(known)
            sources[known.key].add(doc)
            versions[known.key].append((doc, known))
        for auth, fields in facts.authorities:
            if auth.key not in base.registry.authorities:
                document_authorities.setdefault(auth.key, fields)
                authority_docs[auth.key].add(doc)
            registry.add_authority(auth)
    kb = KnowledgeBase(registry, instruments)
    kb.document_authorities = document_authorities
    kb.instrument_sources = dict(sources)
    kb.versions = {k: v for k, v in versions.items() if len(v) > 1}
    kb.authority_docs = dict(authority_docs)
    return kb.for_document(exclude_doc) if exclude_doc else kb


def _known(d: dict) -> KnownInstrument:
    try:
        key = instrument_key(d)
    except (KeyError, TypeError):
        key = f"{d.get('jurisdiction')}/{d.get('title')}"
    titles = [*d.get("short_titles", []), *d.get("alt_titles", [])]
    return KnownInstrument(key, d.get("title") or d.get("number") or key, d["jurisdiction"], d.get("kind"),
                           d.get("number"), titles)


__all__ = ["FactErrors", "KnowledgeBase", "KnownInstrument", "load_knowledge"]
