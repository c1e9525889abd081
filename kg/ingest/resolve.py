"""Mentions -> entities: what the graph already knows, and general naming rules for the rest.

The knowledge base holds the authority registry, the known instruments and the
instruments of documents already ingested, so a new newsletter's mentions
resolve to existing nodes. Bodies the registry does not know become new
authorities flagged for review; their canonical name, kind, jurisdiction and
parent follow general Chinese naming patterns (湖南省网信办 -> 湖南省互联网信息办公室,
a regulator under 国家互联网信息办公室; 江苏省通信管理局 under 工业和信息化部 ...).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FactError, FactErrors
from ..facts.registry import Registry, load_registry
from ..facts.schema import Ctx, parse_list
from ..facts.yamlio import LMap, load_yaml
from ..model.ids import PRC_PREFIX, clean_text, instrument_key, match_title, name_key, squash_spaces, standard_key
from ..model.vocabularies import vocabulary

# Suffixes that end the name of a public body, longest first.
ORG_SUFFIXES = (
    "互联网信息办公室", "网络安全和信息化委员会办公室", "市场监督管理局", "市场监督管理总局", "人民代表大会常务委员会",
    "常务委员会", "人民检察院", "人民法院", "互联网法院", "知识产权法院", "高级人民法院", "中级人民法院", "法院",
    "检察院", "人民政府办公厅", "人民政府", "政府办公厅", "管理委员会", "管委会", "委员会", "办公厅", "办公室",
    "总局", "管理局", "监督管理局", "公安分局", "公安局", "公安厅", "网安部门", "网安支队", "网安大队", "网安总队",
    "通信管理局", "网信办", "数据局", "大数据局", "发展局", "厅", "局", "部", "委", "院", "中心", "议会", "国会",
    "理事会", "联合会", "协会", "学会", "联盟", "组织", "集团",
)
GENERIC_BODIES = {
    "网信部门", "公安机关", "有关部门", "相关部门", "主管部门", "监管部门", "多部门", "各部门", "职能部门", "政府部门",
    "属地公安机关", "公安网安部门", "网安部门", "有关主管部门", "行业主管部门", "通信管理部门", "国家网信部门",
    "省级网信部门", "市场监管部门", "各地网信部门", "地方政府", "中央政府", "政府", "法院", "委员会", "国会",
    "办公厅", "办公室",
}

# General naming rules: short form -> (full form suffix, kind, parent key at national level).
NAMING_RULES: list[tuple[str, str, str, str | None]] = [
    (r"(?:委)?网信办", "互联网信息办公室", "regulator", "CN/国家互联网信息办公室"),
    (r"互联网信息办公室", "互联网信息办公室", "regulator", "CN/国家互联网信息办公室"),
    (r"通信管理局", "通信管理局", "regulator", "CN/工业和信息化部"),
    (r"通管局", "通信管理局", "regulator", "CN/工业和信息化部"),
    (r"公安厅", "公安厅", "police", "CN/公安部"),
    (r"公安局", "公安局", "police", "CN/公安部"),
    (r"(?:公安(?:机关)?)?(?:网安(?:部门|总队|支队|大队)|网警|网络安全保卫(?:部门|总队|支队|大队))", "@police", "police",
     "CN/公安部"),
    (r"市场监督管理局|市场监管局", "市场监督管理局", "regulator", "CN/国家市场监督管理总局"),
    (r"数据(?:管理)?局", None, "government", "CN/国家数据局"),
    (r"大数据(?:发展管理)?局", None, "government", "CN/国家数据局"),
    (r"人大常委会|人民代表大会常务委员会", "人民代表大会常务委员会", "legislature", None),
    (r"人民政府办公厅", "人民政府办公厅", "government", None),
    (r"人民政府", "人民政府", "government", None),
    (r"工业和信息化(?:厅|局)|经济和信息化(?:局|委员会)", None, "government", "CN/工业和信息化部"),
    (r"(?:人民)?法院", None, "court", None),
    (r"(?:人民)?检察院", None, "procuratorate", None),
    (r"药品监督管理局", None, "regulator", None),
    (r"财政厅|财政局", None, "government", "CN/财政部"),
    (r"(?:卫生健康|卫健)委(?:员会)?", None, "government", None),
    (r"协会|学会|联合会|促进会", None, "association", None),
]
COUNTY = re.compile(r"^[\u4e00-\u9fff]{1,4}(?:县|区|旗)(?=[\u4e00-\u9fff])")
KIND_BY_SUFFIX = [
    ("法院", "court"), ("检察院", "procuratorate"), ("公安", "police"), ("网安", "police"), ("警", "police"),
    ("协会", "association"), ("学会", "association"), ("联合会", "association"), ("议会", "legislature"),
    ("国会", "legislature"), ("人大", "legislature"), ("政府", "government"), ("办公厅", "government"),
    ("中心", "agency"), ("研究院", "agency"), ("组织", "international-organisation"), ("部", "ministry"),
    ("委员会", "regulator"), ("局", "regulator"), ("办公室", "regulator"), ("厅", "government"), ("委", "government"),
]


@dataclass
class KnownInstrument:
    """An instrument the graph already knows (registry or an earlier document)."""

    key: str
    title: str
    jurisdiction: str
    kind: str | None = None
    number: str | None = None
    titles: list[str] = field(default_factory=list)


class KnowledgeBase:
    """Registry, known instruments and place names, for resolving mentions."""

    def __init__(self, registry: Registry, instruments: list[KnownInstrument]):
        self.registry = registry
        self.instruments = {i.key: i for i in instruments}
        self.by_title: dict[str, set[str]] = defaultdict(set)
        self.by_number: dict[str, set[str]] = defaultdict(set)
        for inst in instruments:
            for t in [inst.title, *inst.titles]:
                m = match_title(t)
                self.by_title[m].add(inst.key)
                if m.startswith(PRC_PREFIX):
                    self.by_title[m[len(PRC_PREFIX):]].add(inst.key)
            if inst.number:
                sk = standard_key(inst.number)
                self.by_number[sk or clean_text(inst.number)].add(inst.key)
        self.new_authorities: dict[str, dict] = {}
        self._name_pattern = _alternation(n for a in registry.authorities.values() for n in a.names() if len(n) >= 2)
        places = vocabulary("jurisdiction")
        labels: dict[str, str] = {}
        for c in places.concepts.values():
            for lab in [*c.labels.values(), *c.alt_labels]:
                if re.search(r"[\u4e00-\u9fff]", lab) and len(lab) >= 2:
                    labels.setdefault(lab, c.notation)
        self.place_labels = labels
        self._place_pattern = _alternation(labels)

    # ------------------------------------------------------------ places

    def place_prefix(self, name: str) -> tuple[str | None, str]:
        """The jurisdiction a name starts with (湖南省郴州市网信办 -> CN-431000) and the place text."""
        jur, text = None, ""
        rest = name
        while True:
            m = self._place_pattern.match(rest)
            if not m:
                break
            code = self.place_labels[m.group(0)]
            # a deeper place (a city after its province) refines the jurisdiction
            if jur is None or (code.startswith("CN-") and len(code) > len(jur or "")) or vocabulary(
                    "jurisdiction").concepts[code].broader == jur:
                jur = code
            text += m.group(0)
            rest = rest[m.end():]
            if not rest:
                break
        return jur, text

    def place_pattern_full(self, text: str) -> bool:
        """True when ``text`` is made only of place names."""
        rest = text
        while rest:
            m = self._place_pattern.match(rest)
            if not m:
                return False
            rest = rest[m.end():]
        return True

    def jurisdictions_in(self, text: str) -> list[tuple[int, str]]:
        """(position, notation) of every place name in a text."""
        return [(m.start(), self.place_labels[m.group(0)]) for m in self._place_pattern.finditer(text)]

    # ------------------------------------------------------------ authorities

    def find_authorities(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, name) of every registry name or alias in a text, longest first, no overlaps."""
        out = []
        for m in self._name_pattern.finditer(text):
            out.append((m.start(), m.end(), m.group(0)))
        return out

    def resolve_authority(self, name: str, context_jurisdiction: str | None = None,
                          foreign: bool = False) -> str | None:
        """The key of the authority ``name`` designates: registry (preferring the context's
        jurisdiction), an authority created earlier in this ingest, or a new one built with
        the naming rules. None for generic words (有关部门) and non-bodies."""
        whole = squash_spaces(clean_text(name)).strip("，,、：:；;“”\"'《》（）() ")
        keys = self.registry.candidates(whole)
        name = whole if keys else _strip_name(name)
        if not name or name in GENERIC_BODIES or len(name) < 2:
            return None
        keys = keys or self.registry.candidates(name)
        if keys:
            if len(keys) == 1:
                k = keys[0]
                auth = self.registry.authorities[k]
                # a bare foreign alias (司法部, 商务部) must not capture a Chinese body, and vice versa
                if context_jurisdiction and _country(auth.jurisdiction) != _country(context_jurisdiction) \
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
        existing = self.registry.candidates(canonical, jur)
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
        keys: set[str] = set()
        if number:
            sk = standard_key(number)
            keys |= self.by_number.get(sk or clean_text(number), set())
            if sk and not keys:
                keys |= {k for k in self.instruments if k.startswith(sk + "-") and k[len(sk) + 1:].isdigit()}
        if not keys and title:
            m = match_title(title)
            keys = set(self.by_title.get(m, set()))
            if not keys and m.startswith(PRC_PREFIX):
                keys = set(self.by_title.get(m[len(PRC_PREFIX):], set()))
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


NOT_BODY = re.compile(r"签署|发布|印发|公布|通过|表示|指出|强调|召开|宣布|部署|开展|总理|主席|总统|部长|局长|书记|高管|承包商|"
                      r"人员|嫌疑人|负责人|案件|起诉|审理|在|于|对|将|已|被")


def _looks_like_body(name: str) -> bool:
    if len(name) > 40 or re.search(r"[，。；：,;:]", name) or NOT_BODY.search(name):
        return False
    if not name.endswith(ORG_SUFFIXES) and not re.search(r"(?:网信办|网警|网安)$", name):
        return False
    return not re.search(r"(?:平台|公司|企业|账号|应用|网站|医院|学校|大学)$", name)


def _expand_place(canonical: str, place: str, kb: KnowledgeBase) -> str:
    """Spell the place of a body in full: 湖南省 for 湖南, 郴州市 for 郴州 (as the vocabulary does)."""
    if not place:
        return canonical
    if kb.place_pattern_full(place):
        # only the innermost place is part of the name (湖南省郴州市网信办 -> 郴州市互联网信息办公室)
        last = None
        for m in kb._place_pattern.finditer(place):
            last = m
        if last is not None and last.end() == len(place) and last.start() > 0:
            code = kb.place_labels[last.group(0)]
            concept = vocabulary("jurisdiction").concepts[code]
            if concept.broader not in (None, "CN") and code.startswith("CN-"):
                place_full = concept.labels.get("zh") or last.group(0)
                return place_full + canonical[len(place):]
    out = ""
    rest = place
    while rest:
        m = kb._place_pattern.match(rest)
        if not m:
            out += rest
            break
        code = kb.place_labels[m.group(0)]
        concept = vocabulary("jurisdiction").concepts[code]
        full = concept.labels.get("zh") or m.group(0)
        if code.split("-")[0] != "CN":
            full = m.group(0)
        out += full
        rest = rest[m.end():]
    return out + canonical[len(place):]


def _alternation(names) -> re.Pattern:
    names = sorted({n for n in names if n}, key=len, reverse=True)
    return re.compile("|".join(re.escape(n) for n in names)) if names else re.compile(r"(?!x)x")


def load_knowledge(data_dir: Path, exclude_doc: str | None = None) -> KnowledgeBase:
    """The knowledge base for ingesting into ``data_dir``: registry, known instruments, and the
    instruments of documents already ingested (except ``exclude_doc``, which is being re-ingested)."""
    registry, known = load_registry(data_dir)
    instruments = [_known(rec.data) for rec in known]
    for path in sorted((data_dir / "documents").glob("*.yaml")):
        if path.stem == exclude_doc:
            continue
        try:
            raw = load_yaml(path)
        except FactError:
            continue
        if not isinstance(raw, LMap):
            continue
        ctx = Ctx(str(path))
        for rec in parse_list("instrument", raw.get("instruments"), ctx, 1):
            instruments.append(_known(rec.data))
        for rec in parse_list("authority", raw.get("authorities"), ctx, 1):
            from ..facts.registry import authority_from_record

            registry.add_authority(authority_from_record(rec))
    return KnowledgeBase(registry, instruments)


def _known(d: dict) -> KnownInstrument:
    try:
        key = instrument_key(d)
    except (KeyError, TypeError):
        key = f"{d.get('jurisdiction')}/{d.get('title')}"
    titles = [*d.get("short_titles", []), *d.get("alt_titles", [])]
    return KnownInstrument(key, d.get("title") or d.get("number") or key, d["jurisdiction"], d.get("kind"),
                           d.get("number"), titles)


__all__ = ["FactErrors", "KnowledgeBase", "KnownInstrument", "load_knowledge"]
