"""Instrument mentions: titles, draft status, official numbers, kinds.

- 《》 titles, with a draft marker inside or just outside the brackets
  (《…（试行）》（征求意见稿））, an official number in the parentheses that follow
  (（国家互联网信息办公室、国家市场监督管理总局令第20号）, （GB/T 46068）) or a standard
  number before (GB/T 45574-2025《…》), and a type word after the brackets (《…》报告);
- quoted or unbracketed titles after an issuing verb in a heading (发布人工智能大陆行动计划);
- 《》 also marks apps, newspapers, books and forms: a title counts as an instrument only
  when it ends in an instrument word (法, 条例, 办法, 规定, 标准, 指南, 宣言 …) and its
  context does not make it a book or an app;
- ``（以下简称《办法》）`` declares a short title; short back-references such as 《规则》
  mean the item's own instrument.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model.ids import base_title, format_standard_number, normalize_title, title_status

# Instrument words a title ends with, longest first, and the kind they suggest
# (None: decided by jurisdiction and issuer).
TYPE_WORDS: list[tuple[str, str | None]] = [
    ("司法解释", "judicial-interpretation"), ("实施条例", None), ("管理条例", None), ("条例", None),
    ("修正案", None), ("法律草案", None), ("法草案", None), ("法案", None), ("法令", None), ("基本法", None), ("法典", None),
    ("施行令", None), ("实施令", None), ("政令", None),
    ("办法", None), ("规定", None), ("实施细则", "normative-document"), ("细则", "normative-document"),
    ("规则", None), ("决定", "normative-document"), ("实施意见", "normative-document"), ("指导意见", "normative-document"),
    ("意见", "normative-document"), ("通知", "normative-document"), ("通告", "announcement"), ("公告", "announcement"),
    ("批复", "normative-document"), ("行动方案", "policy-plan"), ("实施方案", "policy-plan"), ("总体方案", "policy-plan"),
    ("方案", "policy-plan"), ("行动计划", "policy-plan"), ("计划", "policy-plan"), ("规划", "policy-plan"),
    ("纲要", "policy-plan"), ("战略", "policy-plan"), ("路线图", "policy-plan"), ("若干措施", "normative-document"),
    ("措施", "normative-document"), ("举措", "normative-document"), ("清单", "normative-document"),
    ("目录", "normative-document"), ("制度", "normative-document"), ("指南", "guidance"), ("指引", "guidance"),
    ("准则", "guidance"), ("守则", "guidance"), ("问答", "guidance"), ("政策建议", "guidance"),
    ("建议书", "guidance"), ("建议", "guidance"), ("风险提示", "guidance"), ("框架", None), ("技术要求", "national-standard"), ("安全要求", "national-standard"),
    ("认证要求", "national-standard"), ("处理要求", "national-standard"), ("接口要求", "national-standard"),
    ("技术规范", "national-standard"), ("安全规范", "national-standard"), ("通用术语", "national-standard"),
    ("认证因子", "national-standard"), ("标准", "national-standard"), ("宣言", "declaration"),
    ("联合声明", "declaration"), ("声明", "declaration"), ("倡议", "declaration"), ("承诺", "declaration"),
    ("共识", "declaration"), ("宪章", "declaration"), ("协议", "international-agreement"),
    ("协定", "international-agreement"), ("谅解备忘录", "international-agreement"),
    ("备忘录", "international-agreement"), ("公约", "international-agreement"), ("条约", "international-agreement"),
    ("议定书", "international-agreement"), ("行政令", "executive-order"), ("行政命令", "executive-order"),
    ("白皮书", "report"), ("报告", "report"), ("指令", None), ("方法", None), ("法", None),
]
_TYPE_RE = re.compile("(?:" + "|".join(re.escape(w) for w, _ in TYPE_WORDS) + r")$")
# words that, after the closing bracket, give the kind (《…》报告, 《…》行政令)
TRAILING_TYPE = re.compile(r"^\s*(报告|行政令|行政命令|法案|草案|提案|宣言|声明|倡议|框架)")
# 《X》实施条例: a separate instrument, named after the one it implements or amends
# 《A》…协同适用的指南: a new instrument whose name contains the titles before it
COMPOSITE_TAIL = re.compile(r"^((?:\s*[与和及、]\s*《[^《》]{1,60}》(?:\s*[（(][^（）()]{1,20}[）)])?)*\s*(?![第\d]|相关|有关|[等的之中及和与]|各项|具体|法律|其他|公开|征求|向社会|面向|发出|作出|制定|出台|印发|发布|提出|下发|开展|关于|对)[^\s，。；、,;《》（）()“”:：]{2,12}?"
                            r"(?:指南|指引|细则|实施办法|规定|意见|通知|方案|准则))(?=[，。；、\s(（]|$)")
COMPOUND_AFTER = re.compile(r"^\s*(实施条例|实施细则|实施办法|修正案|修订案)")
# context that makes a 《》 title a book, a periodical, an app or a programme, not an instrument
NOT_INSTRUMENT_CONTEXT = re.compile(r"出版|出版物|著作|丛书|书籍|专著|蓝皮书|期刊|杂志|报道称|评论称|剧|节目|电影|游戏")
APP_MARKERS = re.compile(r"^\s*[（(][^）)]{0,40}(?:版本|小程序|应用市场|应用商店|应用宝|手机助手|(?<![A-Za-z])(?:App|APP|app)(?![A-Za-z]))")
PERIODICAL = re.compile(r"(?:日报|时报|晚报|周刊|月刊|杂志|新闻|报)$")
ALIAS_DECL = re.compile(r"^\s*[（(]\s*(?:以下)?简称\s*[:：]?\s*[“\"《]([^》”\"]{1,20})[》”\"]\s*[）)]")
ALIAS_IN_PAREN = re.compile(r"[，,；;]\s*(?:以下)?简称\s*[:：]?\s*[“\"《]([^》”\"]{1,20})[》”\"]")
STATUS_AFTER = re.compile(r"^\s*[（(]\s*((?:公开)?(?:征求意见稿|草案征求意见稿|草案|送审稿|修订草案|草稿))\s*[）)]")
VERSION_AFTER = re.compile(r"^\s*[（(]\s*(\d(?:\.\d)?\s*版|第[一二三四五六七八九十\d]+版|\d{4}\s*版)\s*[）)]")
PAREN_AFTER = re.compile(r"^\s*[（(]([^（）()]{2,100})[）)]")
NUMBER_IN_PAREN = re.compile(
    r"(?:令|公告|通告)\s*(?:\d{4}\s*年\s*)?第\s*\d+\s*号|[〔\[［]\s*\d{4}\s*[〕\]］]\s*\d+\s*号|(?:GB|GA|JR|YD|GM|SJ|JT|WS|DB\d{2}|T)"
    r"\s*/?\s*[TZ]?\s*\d+|ISO|IEC|IEEE|第\s*\d+\s*号|Regulation|Directive|Executive Order|E\.O\.|\b(?:AB|SB|HB|H\.R\.|S\.)\s*\d+")
STANDARD_BEFORE = re.compile(r"((?:GB|GA|JR|YD|GM|SJ|JT|WS)\s*/?\s*[TZ]?\s*\d+(?:\.\d+)*(?:\s*[-—]\s*\d{4})?"
                             r"|ISO/IEC(?:\s*(?:TS|TR))?\s*\d+(?:[-:]\d{4})?)\s*$")
EO_BEFORE = re.compile(r"第\s*(\d{3,6})\s*号\s*(?:AI\s*|人工智能\s*)?行政(?:命)?令\s*$")


@dataclass
class TitleMention:
    """One title mention in an item's text."""

    title: str  # display title, brackets removed, draft marker removed
    start: int  # span in the text, brackets included
    end: int
    status: str | None = None  # consultation / draft from a marker
    number: str | None = None  # official number (令第20号, GB/T 46068-2025, Executive Order 14179)
    number_issuers: str | None = None  # the issuers named in the number (国家…、国家…令第20号)
    trailing: str | None = None  # a type word just after the brackets
    kind_hint: str | None = None
    alias: str | None = None  # a short title declared with 以下简称
    bracketed: bool = True
    short_ref: bool = False  # a back-reference (《办法》) to the item's instrument
    context_after: int = 0  # end of the markers that follow the title
    compound: str | None = None  # 实施条例 / 修正案 after the brackets: a separate instrument about this one
    tail: str | None = None  # the rest of a composite title (与《B》协同适用的指南)


def _drop_issuing_verb(title: str) -> str:
    """《X、Y印发关于…的公告》: an issuing verb cannot be part of a title (关于印发…的通知 can)."""
    m = re.match(r"^(.{4,40}?)(?:印发|发布|公布)(关于.{4,}(?:公告|通知|意见|决定|办法|规定))$", title)
    if m and not m.group(1).endswith("关于"):
        return m.group(1) + m.group(2)
    return title


def type_word(title: str) -> tuple[str, str | None] | None:
    """The instrument word a title ends with, after trailing version/trial parentheses."""
    t = re.sub(r"(?:\s*[（(][^（）()]{1,20}[）)])+$", "", normalize_title(title))
    t = re.sub(r"\s*\d+(?:\.\d+)?\s*版$", "", t)
    m = _TYPE_RE.search(t)
    if not m:
        return None
    word = m.group(0)
    return word, dict(TYPE_WORDS)[word]


def _brackets(text: str) -> list[tuple[int, int]]:
    """Outermost 《…》 spans (start of 《, end after 》)."""
    spans = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "《":
            if depth == 0:
                start = i
            depth += 1
        elif ch == "》" and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, i + 1))
    return spans


def find_titles(text: str) -> list[TitleMention]:
    """Every 《》 title of a text with the markers around it (not yet filtered)."""
    out = []
    for start, end in _brackets(text):
        inner = text[start + 1: end - 1]
        if "\n" in inner or not inner.strip():
            continue
        raw = inner.strip()
        # a title that names another: 《关于印发《X》的通知》 stays one title
        status = title_status(raw)
        after = text[end:]
        pos = 0
        mention = TitleMention(title="", start=start, end=end)
        while True:
            if m := STATUS_AFTER.match(after[pos:]):
                status = "draft" if "草" in m.group(1) and "征求意见" not in m.group(1) else "consultation"
                pos += m.end()
                continue
            if m := VERSION_AFTER.match(after[pos:]):
                raw = f"{raw}（{m.group(1)}）"
                pos += m.end()
                continue
            if m := ALIAS_DECL.match(after[pos:]):
                mention.alias = m.group(1)
                pos += m.end()
                continue
            if (m := PAREN_AFTER.match(after[pos:])) and NUMBER_IN_PAREN.search(m.group(1)) and not mention.number:
                number = re.split(r"[，,；;]\s*(?=(?:以下)?简称)", m.group(1), maxsplit=1)[0]
                if alias := ALIAS_IN_PAREN.search(m.group(1)):  # （…令第22号，以下简称《办法》）
                    mention.alias = alias.group(1)
                number = re.sub(r"\s+", " ", number).strip()
                issuers_part = re.split(r"(?:令|公告|通告)\s*(?:\d{4}\s*年\s*)?第", number)[0] if re.search(
                    r"(?:令|公告|通告)\s*(?:\d{4}\s*年\s*)?第", number) else None
                mention.number = format_standard_number(number) or normalize_title(number)
                if issuers_part and len(issuers_part) >= 4:
                    mention.number_issuers = issuers_part
                pos += m.end()
                continue
            break
        if m := COMPOSITE_TAIL.match(after[pos:]):
            mention.tail = m.group(1)
        if m := COMPOUND_AFTER.match(after[pos:]):
            mention.compound = m.group(1)
            pos += m.end()
        elif m := TRAILING_TYPE.match(after[pos:]):
            mention.trailing = m.group(1)
            if m.group(1) in ("草案", "提案"):
                status = status or "draft"
        before = text[max(0, start - 40): start]
        if not mention.number:
            if m := STANDARD_BEFORE.search(before):
                mention.number = format_standard_number(m.group(1))
            elif m := EO_BEFORE.search(before):
                mention.number = f"Executive Order {m.group(1)}"
                mention.trailing = mention.trailing or "行政令"
        if not mention.number and format_standard_number(raw) and len(format_standard_number(raw)) >= len(
                re.sub(r"\s+", " ", raw.strip())) - 1:
            mention.number = format_standard_number(raw)  # 《ISO/IEC TS 6254:2025》 names a standard by number
        mention.title = _drop_issuing_verb(base_title(raw))
        mention.status = status
        mention.context_after = end + pos
        out.append(mention)
    return out


def is_instrument(m: TitleMention, text: str) -> bool:
    """True when a 《》 title names an instrument (not an app, a newspaper, a book or a form)."""
    title = m.title
    if len(title) < 2:
        return False
    after = text[m.end: m.end + 40]
    if APP_MARKERS.match(after):
        return False
    sentence_start = max(text.rfind("。", 0, m.start), text.rfind("\n", 0, m.start)) + 1
    sentence_end = min([p for p in (text.find("。", m.end), text.find("\n", m.end)) if p >= 0] or [len(text)])
    if NOT_INSTRUMENT_CONTEXT.search(text[sentence_start:sentence_end]):
        return False
    if PERIODICAL.search(title) and not type_word(title):
        return False
    if m.number or m.trailing or m.compound:
        return True
    return type_word(title) is not None


def classify_kind(m: TitleMention, jurisdiction: str | None, issuer_kinds: list[str], context: str = "") -> str | None:
    """The instrument type (a notation of the instrument-types vocabulary)."""
    foreign = jurisdiction is not None and not jurisdiction.startswith("CN")
    if m.number:
        n = m.number
        if n.startswith(("ISO", "IEC", "IEEE")):
            return "international-standard"
        if n.startswith("GB"):
            return "national-standard"
        if re.match(r"^(?:GA|JR|YD|GM|SJ|JT|WS)/T|^(?:GA|YD)\s", n):
            return "industry-standard"
        if n.startswith("T/"):
            return "group-standard"
        if n.startswith("DB"):
            return "local-standard"
        if n.startswith("Executive Order"):
            return "executive-order"
    ctx = context[-20:]
    if re.search(r"标准\s*$", ctx) and (jurisdiction == "INT" or foreign) and not re.search(r"国家标准|行业标准", ctx):
        return "international-standard"
    for word, kind in (("强制性国家标准", "national-standard"), ("推荐性国家标准", "national-standard"),
                       ("国家标准", "national-standard"), ("行业标准", "industry-standard"),
                       ("国际标准", "international-standard"), ("团体标准", "group-standard"),
                       ("地方标准", "local-standard")):
        if word in ctx:
            return kind
    if m.trailing:
        trailing = {"报告": "report", "行政令": "executive-order", "行政命令": "executive-order",
                    "宣言": "declaration", "声明": "declaration", "倡议": "declaration"}.get(m.trailing)
        if trailing:
            return trailing
        if m.trailing in ("法案", "草案", "提案", "修正案"):
            return "foreign-law" if foreign else "law"
        if m.trailing == "实施条例":
            return "foreign-regulation" if foreign else "administrative-regulation"
    tw = type_word(m.title)
    if tw is None:
        return None
    word, kind = tw
    local = jurisdiction is not None and jurisdiction.startswith("CN-")
    if word in ("施行令", "实施令", "政令"):
        return "foreign-regulation" if foreign else "administrative-regulation"
    if word in ("法", "法典", "法案", "法令", "基本法", "修正案", "法律草案", "法草案"):
        if foreign:
            return "foreign-law"
        return "law" if not local else "local-regulation"
    if word in ("条例", "管理条例", "实施条例"):
        if foreign:
            return "foreign-regulation"
        if local or ("legislature" in issuer_kinds and local):
            return "local-regulation"
        return "administrative-regulation"
    if word == "方法":
        return "normative-document" if not foreign else "guidance"
    if word in ("指令",):
        return "foreign-regulation" if foreign else "normative-document"
    if word in ("办法", "规定"):
        if foreign:
            return "foreign-regulation"
        if m.number and "令" in m.number:
            return "local-government-rule" if local else "departmental-rule"
        if local:
            return "normative-document"
        return "departmental-rule" if any(k in ("regulator", "ministry", "department") for k in issuer_kinds) \
            else "normative-document"
    if word == "规则":
        return "foreign-regulation" if foreign else "normative-document"
    if word == "框架":
        return "technical-guideline" if "standards-body" in issuer_kinds else "guidance" if foreign else "policy-plan"
    if kind and kind.endswith("standard") and not (m.number or "标准" in ctx):
        # 技术要求 / 安全规范 without a standard number: a standard only if the context says so
        return "national-standard" if "标准" in m.title or "标准" in context[-30:] else "technical-guideline"
    if foreign and kind == "normative-document":
        return "foreign-regulation"
    return kind


@dataclass
class UnbracketedTitle:
    """A title written without 《》 (in a heading, or in quotes)."""

    title: str
    start: int
    end: int
    quoted: bool = False
    extras: dict = field(default_factory=dict)


ISSUING_VERBS = r"(?:联合印发|联合发布|联合公布|正式发布|正式印发|正式通过|审议通过|三读通过|印发|发布|公布|出台|颁布|签署|通过|批准|推出|发出|下发|制定|启动)"
QUOTED_TITLE = re.compile(rf"{ISSUING_VERBS}(?:了)?(?:新版|首份|首部)?\s*[“\"]([^”\"]{{4,60}})[”\"]")
HEADING_TITLE = re.compile(rf"{ISSUING_VERBS}(?:了)?\s*((?:关于)?[^，。,《》“”\s]{{4,60}}?)(?=$|[，,。;；]|\s)")
GENERIC_TITLE = re.compile(r"^(?:[一二三四五六七八九十两几多\d]+(?:项|部|份|批|个|条|款|类)|首部|首个|全球首|相关|多项|若干|新规)"
                           r"|系列|相关|[（(]\d|\d+号")
# a title made only of topic words and an instrument word is a description, not a name (AI监管行政令)
GENERIC_TOPIC = re.compile(r"^(?:AI|人工智能|数据|网络|监管|安全|治理|相关|新|专项|全球|国际|国家|联邦|州)+$")


CN_COUNT = "一二两三四五六七八九十百"


def unbracketed_titles(heading: str) -> list[UnbracketedTitle]:
    """Titles a heading gives without 《》: after an issuing verb, quoted or plain, ending in an
    instrument word (发布人工智能大陆行动计划 / 签署“人工智能全球治理宣言”)."""
    out = []
    for m in QUOTED_TITLE.finditer(heading):
        t = m.group(1)
        if type_word(t) and not GENERIC_TITLE.search(t):
            out.append(UnbracketedTitle(base_title(t), m.start(1) - 1, m.end(1) + 1, quoted=True))
    if "《" not in heading:
        for m in HEADING_TITLE.finditer(heading):
            t = re.sub(r"^(?:了|一份|一项|新版|首份)", "", m.group(1))
            if any(u.start <= m.start(1) < u.end for u in out):
                continue
            tw = type_word(t)
            counted = re.match(rf"^(?:发布|印发|公布)?[{CN_COUNT}\d]+\s*(?:项|份|部|个|批)", t)  # 两项…国家标准: a count, no title
            if tw and not counted and not GENERIC_TITLE.search(t) and len(t) >= 5 \
                    and not GENERIC_TOPIC.match(t[: -len(tw[0])]):
                out.append(UnbracketedTitle(base_title(t), m.start(1), m.end(1)))
    return out


# the publication note under a reproduced rule's title:
# （2025年12月18日国家市场监督管理总局、国家互联网信息办公室令第116号公布 自2026年2月1日起施行）
PUBLICATION_NOTE = re.compile(r"^\s*[（(]\s*((?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)?\s*([^（）()]{2,80}?)"
                              r"((?:令|公告)\s*(?:\d{4}\s*年\s*)?第\s*[\d一二三四五六七八九十百零]+\s*号)\s*"
                              r"(?:公布|发布|印发)[^（）()]{0,60})[）)]")


@dataclass
class PublicationNote:
    """What the note under a title says: the whole note, the issuers' text and the number."""

    text: str
    issuers: str
    number: str


def publication_note(text: str, title: str) -> PublicationNote | None:
    """The publication note that follows ``title`` somewhere in ``text``, if any."""
    pos = text.find(title)
    while pos >= 0:
        after = text[pos + len(title): pos + len(title) + 200].lstrip("》")
        if m := PUBLICATION_NOTE.match(after):
            issuers = m.group(2).strip()
            return PublicationNote(m.group(1), issuers, re.sub(r"\s+", "", issuers + m.group(3)))
        pos = text.find(title, pos + 1)
    return None


def number_issuers(number: str | None) -> str | None:
    """The issuers named in an order or announcement number (成都市人民政府令第228号 -> 成都市人民政府)."""
    if not number:
        return None
    m = re.match(r"^(.{4,80}?)(?:令|公告|通告)\s*(?:\d{4}\s*年\s*)?第", number)
    return m.group(1) if m else None

