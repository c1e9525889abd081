"""Enforcement actions: who acted against whom, how, why, under which law, for how much.

An item is cut into units (案例一 / 案例二 … blocks; otherwise the whole item). A unit
with an enforcement measure (罚款, 警告, 责令改正, 下架, 通报, 约谈, 刑事拘留 …, a
gazetteer of action kinds) gives one action: the authority is the subject of the
measure (else the item's heading subject); targets are the parties acted against
(对X处以…, X被…, apps named in 《》 with a version or in quotes before 等N款, anonymised
companies and persons); the legal basis is every instrument after 依据 / 根据 / 违反,
with its articles (第二十一条、第五十九条 -> 21, 59); amounts come from the money parser
(a penalty, never money involved in an offence); when amounts are given per target
(分别处以…), there is one action per target.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from ...model.ids import is_anonymised, match_title
from ..lexicon import alternation
from .instruments import find_titles, is_instrument
from .money import find_amounts
from .numerals import article_number, parse_count

if TYPE_CHECKING:  # pragma: no cover
    from ..context import ItemContext
    from ..segment import Item

ACTION_KINDS: list[tuple[str, re.Pattern]] = [
    ("fine", re.compile(r"罚款|罚金|民事罚款|处以[^。；]{0,30}罚|并处|罚没|被罚")),
    ("warning", re.compile(r"警告")),
    ("rectification-order", re.compile(r"责令(?:其)?(?:限期)?(?:改正|整改)|限期(?:\d+个月)?(?:完成)?整改|要求[^。；]{0,20}整改|"
                                       r"采取整改措施|责令[^。；]{0,10}改正|完成整改")),
    ("app-removal", re.compile(r"下架(?!整改房源)")),
    ("public-notice", re.compile(r"通报|点名|曝光|(?:监测|检测)发现")),
    ("investigation", re.compile(r"立案调查|展开调查|开展调查|进行调查|启动调查|被[^。；]{0,20}调查|(?:对|就)[^。；]{1,30}调查")),
    ("suspension", re.compile(r"暂停|停业|停播|暂停带货|停止提供")),
    ("confiscation", re.compile(r"没收")),
    ("detention", re.compile(r"行政拘留|行拘|拘留\s*\d+\s*日|给予[^。；]{0,10}拘留")),
    ("criminal-measure", re.compile(r"刑事拘留|刑拘|刑事强制措施|逮捕|依法打击|移送起诉|抓获")),
    ("interview", re.compile(r"约谈")),
    ("account-closure", re.compile(r"账号[^。；]{0,12}(?:关闭|封禁|禁言)|关闭[^。；]{0,6}(?:账号|直播间)|封禁|禁言|封号|"
                                   r"处置违规账号|处置账号|停播")),
    ("content-removal", re.compile(r"(?:清理|删除|下架)[^。；]{0,14}(?:违法|违规|不良|有害|不合规)[^。；]{0,8}(?:信息|内容|房源|笔记)")),
    ("access-restriction", re.compile(r"屏蔽|禁用|限制[^。；]{0,12}访问")),
    ("campaign", re.compile(r"专项行动|专项整治|专项治理")),
    ("settlement", re.compile(r"和解")),
    ("indictment", re.compile(r"被起诉|提起公诉|被指控|被控|起诉书")),
    ("penalty", re.compile(r"行政处罚|依法处罚|依法查处|依法处理|追究[^。；]{0,16}法律责任|依法作出处理|受到处罚|处置措施")),
]
TOTAL_BEFORE = re.compile(alternation("money", "totals") + r"[^，。；\d]{0,3}$")
BREAKDOWN = re.compile(alternation("money", "breakdown"))
TOTAL_IN = re.compile(alternation("money", "totals") + r"\s*[：:]")
ENFORCEMENT_SECTION = re.compile(r"执法|治理实践|监管动态|监管执法|处罚|案例")
CASE_BLOCK = re.compile(r"案例[一二三四五六七八九十\d]+\s*[：:]")
TARGET_AFTER_DUI = re.compile(r"对\s*([^，。；、]{1,40}?(?:[、和及与][^，。；、]{1,30}?)*)\s*(?:处以|作出|进行|予以|依法|给予|采取|实施|"
                              r"展开|开展|罚款|立案|下达|发出|约谈)")
TARGET_PASSIVE = re.compile(r"([^，。；、“”]{1,30}?)(?:因[^，。；]{0,40})?(?:已)?被(?:依法|依约|依法依约)?\s*(?:处以|罚款|刑拘|刑事拘留|"
                            r"行政拘留|行拘|约谈|调查|起诉|查处|处罚|关闭|采取|限期|长期禁言|下架)")
APP_IN_TITLE = re.compile(r"《([^《》]{1,30})》\s*[（(][^）)]{0,40}(?:版本|小程序|应用市场|应用商店|应用宝|手机助手)")
ARTICLES = re.compile(r"^\s*(第[一二三四五六七八九十百零〇\d]+条(?:第[一二三四五六七八九十\d]+款)?(?:\s*[、和及与,，]\s*"
                      r"第[一二三四五六七八九十百零〇\d]+条(?:第[一二三四五六七八九十\d]+款)?)*)")
BASIS_CUE = re.compile(r"(?:依据|根据|依照|按照|违反|涉嫌违反|不符合|适用)[^，。；《]{0,8}$")
GENERIC_TARGET = re.compile(r"^(?:该|其|相关|有关|涉事|部分|多家|两家|多个|一批|上述|这些|各|个人|用户|网民|平台|企业|公司|运营者|"
                            r"经营者|账号|网站|移动应用|App|APP)")

VIOLATIONS: list[tuple[str, re.Pattern]] = [
    ("security-obligation", re.compile(r"(?:未|不)履行网络安全保护义务|网络安全技术防范措施|未建立[^。；]{0,10}安全管理制度|漏洞")),
    ("data-security-obligation", re.compile(r"(?:未|不)履行数据安全保护义务|数据泄露风险|数据安全管理制度")),
    ("unlawful-pi-processing", re.compile(r"违法违规收集使用个人信息|违规收集[^。；]{0,6}个人信息|侵害用户权益|非法收集")),
    ("excessive-collection", re.compile(r"超范围收集|超出[^。；]{0,10}(?:必要|授权)范围|过度索取")),
    ("consent", re.compile(r"未经[^。；]{0,6}同意|未取得[^。；]{0,10}同意|单独同意|征得用户同意前")),
    ("privacy-notice", re.compile(r"未公开收集使用规则|隐私政策|未明示|个人信息处理规则|收集使用规则")),
    ("user-rights", re.compile(r"注销|删除[^。；]{0,6}个人信息|更正|撤回同意|投诉")),
    ("unauthorised-transfer", re.compile(r"转移至|向(?:境外|第三方|其他个人信息处理者)提供|海外数据传输|数据出境")),
    ("pi-infringement", re.compile(r"侵犯公民个人信息|贩卖公民个人信息|窃取公民个人信息|买卖[^。；]{0,10}个人信息|出售[^。；]{0,10}个人信息")),
    ("system-intrusion", re.compile(r"侵入、?非法控制计算机信息系统|破坏计算机信息系统|非法入侵|黑客|破解")),
    ("illegal-content", re.compile(r"违法信息|色情|赌博|博彩|低俗|违法和不良信息")),
    ("misinformation", re.compile(r"谣言|造谣|虚假(?:不实)?信息|不实信息|虚假视频|虚假低俗")),
    ("dark-patterns", re.compile(r"误导性(?:界面)?设计|欺骗性")),
    ("ad-transparency", re.compile(r"广告(?:库|透明)")),
    ("data-access", re.compile(r"研究人员[^。；]{0,20}(?:访问|数据)")),
    ("transparency-reporting", re.compile(r"透明度报告|迟于指定期限")),
    ("children-privacy", re.compile(r"儿童(?:隐私|个人信息)|面向儿童")),
    ("fraud", re.compile(r"诈骗|传销|欺诈")),
    ("false-statements", re.compile(r"虚假陈述|隐瞒|妨碍[^。；]{0,6}审计")),
    ("copyright", re.compile(r"著作权|版权")),
    ("trade-secret", re.compile(r"技术秘密|商业秘密")),
    ("rectification-failure", re.compile(r"未按要求(?:完成)?整改|逾期未(?:完成)?整改")),
]


def action_kinds(text: str) -> list[str]:
    """The action kinds a text mentions, in gazetteer order."""
    return list(_action_kinds(text))


@lru_cache(maxsize=4096)
def _action_kinds(text: str) -> tuple[str, ...]:
    """:func:`action_kinds`, cached: an item's text and sentences are asked about more than once."""
    kinds = [k for k, rx in ACTION_KINDS if rx.search(text)]
    if "fine" in kinds and not any(m.role == "penalty" for m in find_amounts(text)) and not re.search(
            r"处以[^。；]{0,30}罚款|罚款(?!乃至)", text):
        kinds.remove("fine")
    if len(kinds) > 1 and "penalty" in kinds:
        kinds.remove("penalty")
    return tuple(kinds)


def violations_of(text: str) -> list[str]:
    """Violation types from keywords."""
    return [v for v, rx in VIOLATIONS if rx.search(text)]


def units(item: Item, ctx: ItemContext) -> list[tuple[int, int]]:
    """Spans of an item's text that each describe one action.

    案例 blocks when there are several; else sentences: a sentence with an enforcement measure
    against named parties none of the current span names starts a new span (同日，该局还对丙公司…),
    any other sentence (background, findings, a pronoun 对其) continues the current one."""
    text = item.text
    starts = [m.start() for m in CASE_BLOCK.finditer(text)]
    if len(starts) >= 2:
        bounds = [*starts, len(text)]
        return [(bounds[i], bounds[i + 1]) for i in range(len(starts))]
    spans: list[tuple[int, int]] = []
    start, seen, acted = 0, set(), False
    heading_end = len(item.heading) if text.startswith(item.heading) else 0
    for m in re.finditer(r"[^。；\n]+[。；\n]?", text):
        sent = m.group()
        if m.start() < heading_end:
            continue  # the heading sums up the body: it never is an action of its own
        if action_kinds(sent):
            names = set(targets_of(sent, ctx)[0])
            if acted and seen and names and not names & seen:
                spans.append((start, m.start()))
                start, seen = m.start(), set()
            acted = True
            seen |= names
    spans.append((start, len(text)))
    return spans


def legal_basis(text: str, ctx: ItemContext, jur: str | None) -> list[dict]:
    """Instruments applied (after 依据 / 根据 / 违反 …), with their articles."""
    out: list[dict] = []
    titles = [m for m in find_titles(text) if is_instrument(m, text)]
    for i, m in enumerate(titles):
        sentence_start = max(text.rfind("。", 0, m.start), text.rfind("\n", 0, m.start), text.rfind("；", 0, m.start)) + 1
        before = text[sentence_start: m.start]
        # a run of titles after one cue (依据《A》《B》等法律法规) shares the cue
        j = i
        while j > 0 and re.fullmatch(r"[、和及与\s]*", text[titles[j - 1].end: titles[j].start]):
            j -= 1
        cue_text = text[max(text.rfind("。", 0, titles[j].start), 0): titles[j].start][-14:]
        if not BASIS_CUE.search(cue_text) and not BASIS_CUE.search(before[-14:]):
            continue
        arts: list[int] = []
        if am := ARTICLES.match(text[m.context_after:]):
            for part in re.findall(r"第[一二三四五六七八九十百零〇\d]+条", am.group(1)):
                n = article_number(part)
                if n and n not in arts:
                    arts.append(n)
        ref = {"title": m.title, "number": m.number, "articles": arts}
        if not any(match_title(r["title"]) == match_title(m.title) for r in out):
            out.append(ref)
    return out


# the tail of a list's last name: 高德打车等16家网约车平台企业, 链家等平台
ETC_TAIL = re.compile(r"等\s*(?:\d+\s*[家款个名位]|[\u4e00-\u9fff]{0,8}?(?:平台|企业|公司|机构|网站|App|APP|应用|单位)).*$")
PARENTHETICAL = re.compile(r"\s*[（(][^（）()]{0,20}[）)]")


def _split_names(phrase: str) -> list[str]:
    parts = re.split(r"[、，,]|和|及|与|以及", PARENTHETICAL.sub("", phrase))
    return [p.strip(" “”\"") for p in parts if p.strip(" “”\"")]


# common surnames: an anonymised person is written surname + 某 (+ a given-name character)
SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
               "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
               "乔倪常温康施文牛樊葛邢安齐易伍庞颜倪欧阳上官司马诸葛")
ANON_PERSON = re.compile(r"([\u4e00-\u9fff])某(某|[\u4e00-\u9fff](?=[、，,。；;和与及等二两三]))?")
COMPANY = re.compile(r"(?:^|(?<=[、，,：:（(对向和与及]))([\u4e00-\u9fffA-Za-z0-9]{2,30}(?:有限责任公司|有限公司|股份公司|"
                     r"分公司|集团))")
BARE_ANON = re.compile(r"某(?:公司|平台|企业|机构|单位|网站)")
ACCOUNT_NAMES = re.compile(r"(?:账号|公众号|百家号|视频号|主播|网络账号)\s*((?:[“\"][^”\"]{1,24}[”\"][、和及]?)+)")
PLATFORM_LIST = re.compile(r"(?:(?<=对)|(?<=包括)|(?<![\u4e00-\u9fffA-Za-z0-9]))"
                           r"((?:[\u4e00-\u9fffA-Za-z0-9]{1,10}[、和])+[\u4e00-\u9fffA-Za-z0-9]{1,10})"
                           r"等\s*(?:\d+\s*家)?[\u4e00-\u9fff]{0,6}(?:平台|企业|公司|App|APP|应用|网站)")
COMPANY_NAME_END = re.compile(r"(?:有限公司|有限责任公司|股份公司|分公司|集团)$")
NOT_A_COMPANY = re.compile(r"问题|行为|违法|违规|涉嫌|未履行|部门|机关|[，。：:；的]")
NOT_A_NAME = re.compile(r"问题|行为|信息|隐私|权限|规则|情况|功能|义务|违法|违规|涉嫌|未履行|案例|投诉|线索|用户|网民|部门|"
                        r"^(?:方式|范围|目的|种类|期限|代码|插件|名称|姓名|联系方式|第三方)$|第三方|"
                        r"指导|督促|要求|推动|组织|开展|"
                        r"机关|网信|公安|警方|法院|政府|[，。：:；]")


def _anon_org(text: str, ctx: ItemContext) -> list[str]:
    """Anonymised organisations, with the place written before them (吐鲁番市某旅游公司, 洱源县某医院)."""
    out = []
    for m in re.finditer(r"某[\u4e00-\u9fff]{0,8}?(?:有限公司|公司|医院|企业|平台|集团|学校|机构|单位|协会)", text):
        start = m.start()
        if start and text[start - 1] in SURNAMES:
            continue  # 胡某…: a person, not an organisation
        prefix = text[max(0, start - 10): start]
        place = re.search(r"(?:[\u4e00-\u9fff]{1,6}(?:省|市|县|区|州))+$", prefix)
        if place and (lead := re.match(r"^(?:对|向|给|与|和|及|被|由|将|为)+", place.group(0))):
            # 对广州某公司: the preposition is no part of the place
            place = re.search(re.escape(place.group(0)[lead.end():]) + "$", prefix) if lead.end() < len(
                place.group(0)) else None
        if place and re.search(r"辖|接到|社区|园区|景区|片区|城区|在", place.group(0)):
            place = None
        label = None
        for lab in sorted(ctx.kb.place_labels, key=len, reverse=True):
            if prefix.endswith(lab):
                label = lab
                break
        if place and (not label or len(place.group(0)) >= len(label)):
            name = place.group(0) + m.group(0)
        elif label:
            name = label + m.group(0)
        else:
            name = m.group(0)
        out.append(re.sub(r"^(?:辖区内|辖区|属地|一家)", "", name))
    return out


def _specific(name: str) -> bool:
    """A party name that names someone (not a description such as 涉事公司 or 相关账号)."""
    if name and COMPANY_NAME_END.search(name):
        # 某信息技术有限公司: words like 信息 are common in company names
        return len(name) <= 30 and not NOT_A_COMPANY.search(name) and not GENERIC_TARGET.match(name)
    return not (not name or len(name) > 30 or NOT_A_NAME.search(name) or GENERIC_TARGET.match(name))


def _listed_name(name: str) -> bool:
    """A name in an unquoted list: specific, and no description (群众关注的网上购物)."""
    return _specific(name) and not ("的" in name and len(name) > 5)


def targets_of(text: str, ctx: ItemContext) -> tuple[list[str], int | None, str | None]:
    """Parties acted against (canonical names), the count the text gives, and their kind."""
    names: list[str] = []
    kind = None
    count = None
    for m in APP_IN_TITLE.finditer(text):
        names.append(m.group(1).strip())
        kind = "app"
    for q in re.finditer(r"[“\"]([^”\"]{1,24})[”\"]等\s*(\d+)\s*款", text):
        names.append(q.group(1))
        count = count or int(q.group(2))
        kind = "app"
    if m := re.search(r"(\d+)\s*款[^。；]{0,20}(?:移动应用|App|APP|应用|小程序)", text):
        count = count or int(m.group(1))
        kind = kind or "app"
    if kind == "app" or re.search(r"(?:App|APP|小程序)", text):
        for m in re.finditer(r"包括\s*([^。；：:《]{2,80}?)等", text):
            names.extend(p for p in _split_names(m.group(1)) if _listed_name(p) and len(p) <= 16 and "的" not in p)
    for m in ACCOUNT_NAMES.finditer(text):
        names.extend(re.findall(r"[“\"]([^”\"]{1,24})[”\"]", m.group(1)))
        kind = kind or "account"
    for m in PLATFORM_LIST.finditer(text):
        listed = re.sub(r"^[^、和]*?(?:对|包括)", "", m.group(1))  # 通报对子丑、寅卯: the list starts after 对
        names.extend(p for p in _split_names(listed) if _listed_name(p))
    for m in COMPANY.finditer(text) if "公司" in text or "集团" in text else ():
        names.append(re.split(r"对|向|近日|日前|依法|被|部门|分别|其中", m.group(1))[-1])
    names.extend(_known_parties(text, ctx))
    names.extend(_anon_org(text, ctx))
    if re.search(r"嫌疑人|拘留|被告|刑事|行政处罚|抓获|违法|处罚|罚款", text):
        for m in ANON_PERSON.finditer(text):
            if m.group(1) in SURNAMES:
                names.append(m.group(0))
    for rx, word in ((TARGET_AFTER_DUI, "对"), (TARGET_PASSIVE, "被")):
        for m in rx.finditer(text) if word in text else ():  # a text without the word has no match
            for p in _split_names(m.group(1)):
                p = re.sub(r"^(?:因|对|向|将|其|该|社交媒体平台|社交平台)+", "", p)
                listed = ETC_TAIL.search(p)  # 高德打车等16家网约车平台企业: a name the text calls a platform
                p = ETC_TAIL.sub("", p)
                p = re.sub(r"(?:分别|均|一并|依法|等人|等|的|作出)+$", "", p)
                if _listed_name(p) and (re.search(r"[A-Za-z]", p) or ctx.kb.registry.known_party(p)
                                     or (re.search(r"(?:公司|集团|银行|医院|平台|学校|协会|机构)$", p) and len(p) <= 16)
                                     or (listed and 2 <= len(p) <= 12)):
                    names.append(p)
    clean: list[str] = []
    for n in names:
        n = re.sub(r"^案例[一二三四五六七八九十\d]+[：:]", "", n.strip(" “”\"")).strip()
        n = ETC_TAIL.sub("", n).strip()
        n = ctx.kb.registry.parties[ctx.kb.registry.known_party(n)].name if ctx.kb.registry.known_party(n) else n
        if not n or n in clean or not _specific(n):
            continue
        clean.append(n)
    # a shorter anonymised form of a listed name (某公司 inside 吐鲁番市某旅游公司), or a bare 某平台 when
    # the text names the organisation
    clean = [n for n in clean if not (is_anonymised(n) and any(n != c and n in c for c in clean))]
    if any(not is_anonymised(n) or len(n) > 4 for n in clean if not ANON_PERSON.fullmatch(n)):
        clean = [n for n in clean if not BARE_ANON.fullmatch(n)]
    if kind is None and clean:
        kind = "person" if all(ANON_PERSON.fullmatch(n) for n in clean) else None
    return clean, count, kind


def _known_parties(text: str, ctx: ItemContext) -> list[str]:
    reg = ctx.kb.registry
    out = []
    for party in reg.parties.values():
        for name in [party.name, *party.aliases]:
            if len(name) >= 2 and name in text and re.search(rf"(?<![A-Za-z]){re.escape(name)}(?![A-Za-z])", text):
                out.append(party.name)
                break
    return out


def extract_actions(item: Item, ctx: ItemContext, jur: str | None) -> list[dict]:
    """The enforcement actions an item reports (fact-file records)."""
    section_hint = any(ENFORCEMENT_SECTION.search(s) for s in item.section)
    out: list[dict] = []
    heading_subject: list[str] = []
    hv = re.search(r"(?:对|依法|发布|公布|通报|约谈|查处|罚款|处罚|屏蔽|调查|破获|检测发现|监测发现)", item.heading)
    if hv:
        heading_subject, _ = ctx.parse_subject(item.heading[: hv.start()], jur)
    if LEGAL_TEXT.search(item.text) and len(LEGAL_TEXT.findall(item.text)) >= 3:
        return []  # the full text of a regulation: its penalty clauses are not enforcement
    lead = _lead_authority(item, ctx, jur)
    spans = units(item, ctx)
    for n, (s, e) in enumerate(spans, start=1):
        body = item.text[s:e] if len(spans) > 1 else item.text
        kinds = action_kinds(body)
        amounts = fines_of(body)
        involved = [a for a in find_amounts(body) if a.role == "involved"]
        if not kinds:
            continue
        # outside enforcement sections, an item reports an action only if its heading says so
        if not section_hint and not amounts and not action_kinds(item.heading):
            continue
        authorities = _authorities_of(body, ctx, jur) or heading_subject or lead
        targets, count, tkind = targets_of(body, ctx)
        basis = legal_basis(body, ctx, jur)
        date = _action_date(body, item, ctx)
        record: dict = {"id": f"{item.id}-{n}", "kinds": kinds}
        if authorities:
            record["authorities"] = authorities
        if targets:
            record["targets"] = targets
        if count and count > len(targets):
            record["target_count"] = count
        if tkind:
            record["target_kind"] = tkind
        if date:
            record["date"] = str(date)
        a_jur = ctx.kb.authority_jurisdiction(authorities[0]) if authorities else jur
        if a_jur:
            record["jurisdiction"] = a_jur
        if basis:
            record["legal_basis"] = basis
        vio = violations_of(body)
        if vio:
            record["violations"] = vio
        if involved:
            record["amount_involved"] = _amount(involved[0])
        if not authorities and not targets and not amounts:
            continue  # a measure with neither actor nor target nor amount is not an action we can state
        record["items"] = [item.id]
        record["confidence"] = 0.75 if authorities and (targets or count) else 0.55
        out.extend(_per_fine(record, body, targets, amounts, ctx))
    return out


def _action_date(body: str, item: Item, ctx: ItemContext):
    """The date of an action: of the first sentence naming a measure, else of the body or the item."""
    from .dates import event_date  # local: the date parser is only needed here

    for sent in re.split(r"[。；\n]", body):
        if any(rx.search(sent) for _k, rx in ACTION_KINDS):
            date = event_date(sent, ctx.reference)
            if date:
                return date
    return event_date(body[:120], ctx.reference) or event_date(item.text[:120], ctx.reference)


def fines_of(body: str) -> list:
    """The fines a unit imposes: penalty amounts that are not a rule's maximum; a total (合计X) is
    no fine of its own where its parts follow (其中A Y、B Z: the parts are the fines) or where its
    clause names no party (a statistic)."""
    amounts = find_amounts(body)
    fines = [a for a in amounts if a.role == "penalty" and not _statutory(body, a)]
    for sent in re.finditer(r"[^。；\n]+", body):
        b = BREAKDOWN.search(sent.group(0))
        if not b or not any(sent.start() <= f.start < sent.start() + b.start() for f in fines):
            continue
        parts = [a for a in amounts if sent.start() + b.end() <= a.start < sent.end() and a.role != "involved"]
        if len(parts) >= 2:
            totals = {(f.amount.value, f.amount.currency) for f in fines if sent.start() <= f.start < sent.start() + b.start()}
            fines = [f for f in fines if (f.amount.value, f.amount.currency) not in totals]
            fines = sorted({id(f): f for f in [*fines, *parts]}.values(), key=lambda f: f.start)
    out = []
    for f in fines:
        sentence = body[max(body.rfind(c, 0, f.start) for c in "。；\n") + 1: f.start]
        total = TOTAL_BEFORE.search(body[max(0, f.start - 8): f.start]) or TOTAL_IN.search(sentence)
        if total and not _clause_has_party(body, f):
            continue  # 罚款合计：约€3.13亿（另有£127万…）: a statistic
        if any(o.amount.value == f.amount.value and o.amount.currency == f.amount.currency for o in out):
            continue  # the same fine again (heading and body, or a paragraph and its translation)
        out.append(f)
    return out


def _clause_has_party(body: str, fine) -> bool:
    start = max(body.rfind(c, 0, fine.start) for c in "，,；。\n") + 1
    return bool(re.search(r"对|向|[A-Za-z]{3}|公司|平台|集团|企业", body[start: fine.start]))


def _per_fine(record: dict, body: str, targets: list[str], amounts: list, ctx: ItemContext) -> list[dict]:
    """The action, or one action per fine: per target when the amounts pair with the targets (分别),
    else each fine with the party named in the text since the previous fine (对A处以罚款40万元，对其
    直接负责的主管人员B处以罚款5万元; 其中A 8,000万美元、B 5,700万美元)."""
    per_target = [a for a in amounts if a.per_target]
    if per_target and len(per_target) == len(targets) and len(targets) > 1:
        pairs = list(zip(targets, per_target, strict=True))
    elif len(amounts) > 1:
        pairs = _segment_pairs(body, amounts, targets, ctx)
    else:
        pairs = []
    out = []
    for i, (t, a) in enumerate(pairs, start=1):
        rec = dict(record, id=f"{record['id']}.{i}", penalty=_amount(a))
        rec.pop("target_count", None)
        if t:
            rec["targets"] = [t]
        else:
            rec.pop("targets", None)
            rec["confidence"] = 0.55
        out.append(rec)
    if out:
        return out
    if amounts:
        record["penalty"] = _amount(amounts[0])
    return [record]


RESPONSIBLE = re.compile(r"(?:直接负责的主管人员|其他直接责任人员|直接责任人员|主要负责人|负责人|法定代表人|时任[^，。；、]{1,10}?)"
                         r"\s*([\u4e00-\u9fff]某某?|[\u4e00-\u9fff]{2,3}(?=处以|罚款|被))")


LISTED_PARTY = re.compile(r"\s*[，,、；;]?\s*(?:其中|包括)?\s*([A-Za-z][\w.&'\- ]{1,40}?|[\u4e00-\u9fff]{2,20}?(?:公司|集团|平台))"
                          r"\s*(?:被罚|罚款|为)?\s*")


def _segment_pairs(body: str, amounts: list, targets: list[str], ctx: ItemContext) -> list[tuple[str | None, object]]:
    """Each fine with the party named between the previous fine (or its clause start) and it."""
    pairs: list[tuple[str | None, object]] = []
    prev_end = 0
    for n, a in enumerate(amounts):
        clause_start = max(body.rfind(c, 0, a.start) for c in "；;。\n") + 1
        segment = body[max(prev_end, clause_start): a.start]
        if parts := list(BREAKDOWN.finditer(segment)):
            segment = segment[parts[-1].start():]  # 合计X，其中A Y: A's segment starts at 其中
        person = RESPONSIBLE.search(segment)
        found, _count, _kind = targets_of(segment, ctx)
        listed = LISTED_PARTY.fullmatch(segment)
        if person:
            party: str | None = person.group(1)
        elif found:
            party = re.split(r"对|向", found[-1])[-1]
        elif listed:
            party = listed.group(1).strip()  # 其中A 8,000万美元、B 5,700万美元
        elif n == 0 and len(targets) == 1:
            party = targets[0]
        else:
            party = None
        pairs.append((party, a))
        prev_end = a.end
    return pairs


LEGAL_TEXT = re.compile(r"(?:^|\n)\s*第[一二三四五六七八九十百]+条\s")


def _statutory(text: str, m) -> bool:
    """A maximum or range a rule provides for (最高将被处以…, 处…以上…以下罚款), not a fine imposed."""
    before, after = text[max(0, m.start - 12): m.start], text[m.end: m.end + 8]
    return bool(re.search(r"最高|最多|可处|可以|将被|或将|可能|不超过|不低于|原拟|拟(?:处以|罚款|对)|原定|提议|建议罚款", before)
                or re.search(r"^[^，。；]{0,3}(?:以下|以上)", after))


def _lead_authority(item: Item, ctx: ItemContext, jur: str | None) -> list[str]:
    """The body an item's first sentences name as acting (山东潍坊公安网安部门近日在工作中发现…)."""
    for sent in re.split(r"[。；\n]", item.text[len(item.heading):])[:3]:
        for clause in re.split(r"[，,]", sent):
            clause = re.sub(r"^\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:消息)?", "", clause)
            m = re.search(r"近日|日前|在|于|对|依法|发现|接|通报|发布|联合|会同|迅速|立即|经", clause)
            head = clause[: m.start()] if m else clause
            if len(head) >= 3:
                keys, _ = ctx.parse_subject(head, jur)
                if keys:
                    return keys
    return []


def _authorities_of(text: str, ctx: ItemContext, jur: str | None) -> list[str]:
    """The authorities acting: the subject before the first measure of a sentence that carries one."""
    for sent in re.split(r"[。；\n]", text):
        masked = sent
        for s, e, _name in ctx.kb.find_authorities(sent):
            masked = masked[:s] + "＿" * (e - s) + masked[e:]
        hits = [m.start() for _k, rx in ACTION_KINDS for m in [rx.search(masked)] if m]
        verbs = [m.start() for m in re.finditer(r"对|依据|根据|依照|给予|责令|作出|约谈|联合|会同|依法|公开|宣布|发布|"
                                                  r"通报|近日|日前|在工作中|接|迅速|立即|经查", masked)]
        if not hits:
            continue
        stop = min([hits[0], *[v for v in verbs if v < hits[0]]])
        head = sent[:stop]
        head = head[max(head.rfind("，"), head.rfind(","), -1) + 1:] or sent[:stop]
        head = re.sub(r"(?:还|也|又|再|同时|另|亦|随即|已|均|分别)+\s*$", "", head)
        keys, _ = ctx.parse_subject(head, jur)
        if not keys:
            keys, _ = ctx.parse_subject(sent[:stop], jur)
        if keys:
            return keys
    return []


def _amount(m) -> dict:
    a = m.amount
    out = {"amount": format(a.value, "f"), "currency": a.currency}
    if a.text:
        out["text"] = a.text
    if a.approximate:
        out["approximate"] = True
    return out


__all__ = ["action_kinds", "extract_actions", "legal_basis", "parse_count", "targets_of", "units", "violations_of"]
