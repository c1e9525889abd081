"""Court cases: court, parties and roles, outcome, damages, legal basis.

An item reports a case when it names a court (a registry court, or a name ending in
法院) together with case words (审结, 判决, 宣判, 纠纷, 诉讼, 起诉, 驳回 …). The court is
the one that decided last (终审 / 二审 beat 一审); parties come from 原告X / 被告X, X诉Y,
X与Y…纠纷, X向…法院提起诉讼, 被告人X; the outcome from a gazetteer (驳回…诉讼请求,
胜诉, 维持原判, 改判, 和解, 被起诉); damages are the court's award (the money parser's
``damages`` role; the last one, as appeals revise awards).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .actions import legal_basis, violations_of
from .money import find_amounts

if TYPE_CHECKING:  # pragma: no cover
    from ..context import ItemContext
    from ..segment import Item

CASE_WORDS = re.compile(r"审结|判决|宣判|纠纷|诉讼|起诉|驳回|判令|胜诉|败诉|一审|二审|终审|开庭|立案|和解协议|被指控|起诉书")
COURT = re.compile(r"([\u4e00-\u9fff（）()]{2,30}?(?:人民法院|互联网法院|知识产权法院|法院))")
OUTCOMES: list[tuple[str, re.Pattern]] = [
    ("claims-dismissed", re.compile(r"驳回[^。；]{0,10}(?:诉讼请求|起诉|上诉请求)|不(?:应)?认定构成侵权|不构成侵权")),
    ("judgment-amended", re.compile(r"改判|予以改判")),
    ("appeal-upheld", re.compile(r"维持原判|驳回上诉")),
    ("settled", re.compile(r"达成和解|和解协议|调解结案|经[^。；]{0,10}协调")),
    ("plaintiff-won", re.compile(r"胜诉|判令(?:被告)?[^。；]{0,30}(?:赔偿|停止)|侵犯了原告|构成侵权|支持[^。；]{0,6}诉讼请求")),
    ("convicted", re.compile(r"判处|有期徒刑|有罪")),
    ("charged", re.compile(r"被起诉|被指控|被控|起诉书")),
    ("pending", re.compile(r"审理中|尚未判决|最终量刑将")),
]
PLAINTIFF = re.compile(r"原告\s*([^，。；、\s]{1,20}?)(?=[在以对向与和，。；、]|提起|认为|发现|诉)")
DEFENDANT = re.compile(r"被告(?:人)?\s*([^，。；、\s]{1,20}?)(?=[的在以对向与和，。；、]|明知|涉嫌|未经|案涉)")
VERSUS = re.compile(r"([^，。；、“”\s]{1,20}?)(?:诉|起诉)([^，。；、“”\s]{1,20}?)(?:[^，。；]{0,20}?)(?:案|纠纷)")
WITH_DISPUTE = re.compile(r"([^，。；、“”\s]{1,20}?)与([^，。；、“”\s]{1,20}?)(?:[\u4e00-\u9fff]{0,12})纠纷")
SUES = re.compile(r"([^，。；、“”\s]{1,20}?)(?:以[^，。；]{0,20}为由)?[，,]?(?:分别)?向[^，。；]{0,30}?法院[^，。；]{0,10}提起[^，。；]{0,6}诉讼")
CASE_NAME = re.compile(r"([^，。；、“”\s]{1,20}(?:诉|与)[^，。；“”]{1,40}?(?:纠纷|案))")


def _clean_party(p: str) -> str:
    p = re.sub(r"^(?:原告|被告人?|审结|了|一起|系列|本案中|经查)", "", p.strip(" “”\"，,"))
    p = re.sub(r"((?:有限)?公司|集团|大学|医院).*$", r"\1", p)  # 某科技公司基于… -> 某科技公司
    return re.sub(r"(?:等|方|一方)$", "", p)


def _court_name(raw: str, ctx: ItemContext) -> str | None:
    """The court's name out of a run of text ending in 法院: a registry court, else from the first
    place name on (案件在北京互联网法院 -> 北京互联网法院)."""
    for s, _e, name in ctx.kb.find_authorities(raw):
        if raw.endswith(name) or (raw[s:].startswith(name) and raw[s + len(name):] == ""):
            return name
    hits = ctx.kb.jurisdictions_in(raw)
    if hits:
        return raw[hits[0][0]:]
    m = re.search(r"(?:最高|联邦|地区|高级|中级|基层)?[\u4e00-\u9fff]{0,6}法院$", raw)
    name = m.group(0) if m else raw
    name = re.sub(r"^(?:由|向|经|在|于|至|的|和|、|及|分别向|最终|近日|此前|审结|作出|终审|宣判)+", "", name)
    return name if len(name) >= 4 else None


def _named(name: str, ctx: ItemContext) -> bool:
    """A party named specifically: anonymised, a company or known party, or a short proper name."""
    from ...model.ids import is_anonymised

    return bool(is_anonymised(name) or re.search(r"公司|集团|大学|学院|医院|协会|[A-Za-z]", name)
                or ctx.kb.registry.known_party(name)) and not re.search(r"生成|信息|提供|发现|认为|通过|使用|广告", name)


def extract_cases(item: Item, ctx: ItemContext, jur: str | None) -> list[dict]:
    """The court case an item reports, as a fact-file record (at most one per item)."""
    text = item.text
    if not CASE_WORDS.search(text):
        return []
    courts = []
    for m in COURT.finditer(text):
        name = _court_name(m.group(1), ctx)
        if name and name not in courts:
            courts.append(name)
    if not courts:
        return []
    # the deciding court: the one named with 终审 / 二审, else the last one that judged, else the first named
    court_name = courts[0]
    for name in courts:
        window = text[text.find(name): text.find(name) + 40]
        if re.search(r"终审|二审|作出[^。；]{0,6}判决|审结|宣判", window):
            court_name = name
    court = ctx.kb.resolve_authority(court_name, jur)
    if court is None:
        return []
    parties = _parties(text, ctx)
    outcome = next((o for o, rx in OUTCOMES if rx.search(text)), None)
    damages = [a for a in find_amounts(text) if a.role == "damages"]
    date = _case_date(text, ctx)
    name = None
    if m := CASE_NAME.search(text):
        name = re.sub(r"^(?:审结|一起|了)", "", m.group(1))
    record: dict = {"id": f"{item.id}-case", "court": court}
    if name:
        record["name"] = name
    if parties:
        record["parties"] = parties
    if date:
        record["date"] = str(date)
    if outcome:
        record["outcome"] = outcome
    if damages:
        a = damages[-1].amount
        record["damages"] = {"amount": format(a.value, "f"), "currency": a.currency}
        if a.text:
            record["damages"]["text"] = a.text
        if a.approximate:
            record["damages"]["approximate"] = True
    basis = legal_basis(text, ctx, jur)
    if basis:
        record["legal_basis"] = basis
    vio = violations_of(text)
    if vio:
        record["violations"] = vio
    record["jurisdiction"] = ctx.kb.authority_jurisdiction(court) or jur or "CN"
    record["items"] = [item.id]
    record["confidence"] = 0.7 if parties and outcome else 0.5
    return [record]


def _parties(text: str, ctx: ItemContext) -> list[dict]:
    """The parties a case report names, with their roles (plaintiff, defendant)."""
    parties: list[dict] = []

    def add(name: str, role: str) -> None:
        name = _clean_party(name)
        if not name or len(name) > 20 or re.search(r"法院|检方|司法部", name) or not _named(name, ctx):
            return
        if ctx.kb.registry.known_party(name):
            name = ctx.kb.registry.parties[ctx.kb.registry.known_party(name)].name
        if any(p["name"] == name for p in parties):
            return
        parties.append({"name": name, "role": role})

    for m in PLAINTIFF.finditer(text):
        add(m.group(1), "plaintiff")
    for m in DEFENDANT.finditer(text):
        add(m.group(1), "defendant")
    if not parties:
        for rx in (VERSUS, WITH_DISPUTE):
            if m := rx.search(text):
                add(m.group(1), "plaintiff")
                add(m.group(2), "defendant")
                break
    if not any(p["role"] == "plaintiff" for p in parties) and "诉讼" in text and (m := SUES.search(text)):
        add(m.group(1), "plaintiff")
    return parties


def _case_date(text: str, ctx: ItemContext):
    """The date of the first sentence that reports a judgment, a filing or an approval."""
    from .dates import event_date  # local: the date parser is only needed here

    for sent in re.split(r"[。；\n]", text):
        if re.search(r"审结|判决|宣判|驳回|起诉|指控|批准", sent):
            date = event_date(sent, ctx.reference)
            if date:
                return date
    return None
