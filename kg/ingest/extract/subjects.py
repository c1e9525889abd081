"""Who acted: the authorities named in the subject of an issuing verb, with a stated count.

``国家发展改革委、市场监管总局、国家网信办等五部门联合印发《…》``: the bodies named, resolved
against the registry (a place carries over to the next body, a province or city acting alone acts
through its people's government, a ministry's 办公厅 is a body of its own), and the count the text
states (五).
"""

from __future__ import annotations

import re

from ..lexicon import alternation, lexicon
from ..resolve import KnowledgeBase
from ..segment import Item
from .numerals import parse_count
from .text import sentence_of, sentences

CN_DIGITS = "一二三四五六七八九十百零〇两\\d"

ADOPTED = r"(?:(?<=[院会委府部局读议致决])|(?<=正式|高票|表决))通过"

ISSUE_VERB = re.compile(rf"(?:联合|正式|共同)?(?:印发|发布|公布|出台|颁布|签署|签发|{ADOPTED}|批准发布|批准|推出|发出|下发|制定|提出|启动)")

PASSIVE_ISSUERS = re.compile(r"^[^。；]{0,20}?由\s*([^。；，]{2,80}?)(?:联合)?(?:批准)?(?:发布|印发|公布|制定|提出)")

SUBJECT_COUNT = re.compile(r"等\s*([一二三四五六七八九十两\d]+)\s*(?:个)?(?:部门|单位|机构|部委)")

DATE_LEAD = re.compile(r"^(?:\d{4}\s*年)?\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*消息)?\s*[，,]?|^(?:近日|日前|近期|今年|此前)\s*[，,]?")
# what may stand between two titles of one run: an abbreviation in brackets, a conjunction

_ORGANS = lexicon("organs")
# 海南省发展和改革委员会（海南省数据局）: a body's second name in brackets is the same body
CO_NAME = re.compile(r"[（(]\s*[^（）()]{2,30}?(?:局|厅|委员会|办公室|部|委|办|署)\s*[）)]")
SUBORDINATE = re.compile(r"([\u4e00-\u9fff]{2,20}?)" + alternation("organs", "subordinate"))
# 韩国总统李在明 / 美国总统特朗普: the office, not the person
OFFICE_HOLDER = re.compile(alternation("organs", "offices") + r"(?:[\u4e00-\u9fff]{1,2}·)?[\u4e00-\u9fff·]{2,8}?(?=$|[、，,和与及])")

TITLE_RUN_END = re.compile(r"(?:《[^《》]*》(?:\s*[（(][^（）()]*[）)])*[、和及与\s]*)+$")


def parse_subject(kb: KnowledgeBase, clause: str, jur: str | None) -> tuple[list[str], int | None]:
    """Authorities named in a subject clause (国家发展改革委、市场监管总局、国家网信办), and a stated
    count (等五部门)."""
    clause = _offices(kb, DATE_LEAD.sub("", clause.strip()))
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
    spans = kb.find_authorities(clause)
    rest = clause
    place_of_match: str | None = None
    for s, _e, name in sorted(spans, key=lambda t: t[0]):
        # a longer body name that merely contains a registry name (山东省公安厅 contains 公安厅?) is not it
        prefix = clause[max(0, s - 6): s]
        place_before = re.search(r"[\u4e00-\u9fff]{1,6}(?:省|市|区|县|州)$", prefix)
        if place_before and not re.search(r"[、，,与及和]$", prefix[: len(prefix) - len(place_before.group(0))]
                                          or "、"):
            continue
        key = kb.resolve_authority(name, jur, foreign)
        office = re.match(r"办公厅|办公室", clause[_e:])
        if key and office:
            # 工业和信息化部办公厅: the general office of a known body is a body of its own
            sub = kb.resolve_authority(name + office.group(0), jur, foreign)
            if sub and sub in kb.new_authorities and not kb.new_authorities[sub].get("parent"):
                kb.new_authorities[sub]["parent"] = key
            key = sub or key
            name += office.group(0)
        if key and key not in keys:
            keys.append(key)
        rest = rest.replace(name, "、", 1)
        named_place = kb.place_prefix(name)[1]
        place_of_match = named_place or place_of_match
    # 北京、浙江等通信管理局: places sharing one body name
    if m := re.search(r"((?:[\u4e00-\u9fff]{2,6}[、和])+[\u4e00-\u9fff]{2,6})等\s*([\u4e00-\u9fff]{2,10}(?:局|厅|办|委员会|办公室))",
                      rest):
        places = re.split(r"[、和]", m.group(1))
        if all(kb.place_pattern_full(p) for p in places):
            for p in places:
                key = kb.resolve_authority(p + m.group(2), jur, foreign)
                if key and key not in keys:
                    keys.append(key)
            rest = rest[: m.start()] + "、" + rest[m.end():]
    place = place_of_match  # 北京市人社局、人才局: the place of a registry name carries over
    for part in re.split(r"[、，,]|与|及|以及|会同|联合|同", rest):
        part = part.strip()
        if len(part) < 3:
            continue
        p_jur, p_text = kb.place_prefix(part)
        if p_text and p_text == part and (p_jur or "").startswith("CN-"):
            part = p_text + "人民政府"  # 成都市出台…: a Chinese province or city acts through its government
        if p_text:
            place = p_text
        elif place and not re.match(r"^(?:国家|中央|全国)", part):
            part = place + part  # 北京市人社局、人才局: the place carries over
        key = kb.resolve_authority(part, jur, foreign)
        if key and key not in keys:
            keys.append(key)
    return keys, count

def _offices(kb: KnowledgeBase, clause: str) -> str:
    """A subject clause with offices for their holders and bodies for their second names:
    国务院总理 -> 国务院, 韩国总统李在明 -> 韩国总统, 甲局（乙局） -> 甲局, 甲委员会下设的乙办公室 -> 乙办公室
    (with 甲's place)."""
    for holder, body in _ORGANS["office_of_body"].items():
        clause = re.sub(rf"{holder}[\u4e00-\u9fff]{{0,3}}?(?=签署|签发|发布|公布|$)", body, clause)
    kept = tuple(_ORGANS["co_names_kept"])
    clause = CO_NAME.sub(lambda m: "、" + m.group(0)[1:-1].strip() if m.group(0)[1:-1].strip() in kept else "", clause)
    clause = OFFICE_HOLDER.sub(lambda m: m.group(0)[: len(m.group(0)) - len(_holder_name(m.group(0)))], clause)

    def sub_body(m: re.Match) -> str:
        return kb.place_prefix(m.group(1))[1] or ""
    return SUBORDINATE.sub(sub_body, clause)


def _holder_name(text: str) -> str:
    """The personal name after an office word (韩国总统李在明 -> 李在明)."""
    for office in sorted(_ORGANS["offices"], key=len, reverse=True):
        i = text.find(office)
        if i >= 0:
            return text[i + len(office):]
    return ""


def item_subject(kb: KnowledgeBase, item: Item, jur: str | None) -> tuple[list[str], int | None]:
    """Who the item says acted: the subject of the first issuing verb of the heading or the body's
    first sentence (公安部近日发布公告，… / 山东省工业和信息化厅…印发)."""
    spans = sentences(item.text)
    for s, e in spans[:3]:
        sent = item.text[s:e]
        for verb in ISSUE_VERB.finditer(sent):
            start = max(sent.rfind("，", 0, verb.start()), sent.rfind(",", 0, verb.start())) + 1
            keys, count = parse_subject(kb, sent[start: verb.start()], jur)
            if keys:
                return keys, count
    return [], None

def issuers_near(kb: KnowledgeBase, text: str, start: int, spans: list[tuple[int, int]], jur: str | None,
                 end: int | None = None) -> tuple[list[str], int | None]:
    """The authorities that issued the title at ``start``: the subject of the verb before it,
    or a passive 由… after it."""
    s, _e = sentence_of(spans, start)
    before = TITLE_RUN_END.sub("", text[s:start])
    if end is not None and (m := PASSIVE_ISSUERS.match(text[end: end + 120])):
        keys, count = parse_subject(kb, m.group(1), jur)
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
        keys, count = parse_subject(kb, clause, jur)
        if not keys and clause_start > 0:
            prev_comma = max(before.rfind("，", 0, clause_start - 1), -1) + 1
            keys, count = parse_subject(kb, before[prev_comma: verb.start()], jur)
        if keys:
            return keys, count
    # X、Y《T》: issuers written right before the title
    m = re.search(r"([\u4e00-\u9fff（）()、]{4,60})$", before)
    if m and not re.search(r"[《》]", m.group(1)):
        keys, count = parse_subject(kb, m.group(1), jur)
        if keys and len(m.group(1)) - sum(len(kb.authority_name(k)) for k in keys) < 12:
            return keys, count
    return [], None

# ------------------------------------------------------------ instruments
