"""Extraction rules, end to end on a newsletter written for these tests (no corpus needed)."""

from pathlib import Path

import pytest

from kg.facts.registry import copy_registries
from kg.ingest.resolve import load_knowledge
from kg.ingest.run import extract_document

REPO = Path(__file__).resolve().parents[2]

NEWSLETTER = """\
示例监管观察
2026年1月第1期 (总第9期)
2026年1月20日

目 录

国内观察：政策立法\t1
1. 国家数据局、中央网信办、工业和信息化部等五部门印发《示例数据流通规则》\t1
2. 国家网信办发布《示例个人信息审计办法（征求意见稿）》\t2
3. 两项国家标准获批发布\t2
4. 示例省出台《示例省数据条例（试行）》（征求意见稿）\t3
5. 国家市场监督管理总局、国家互联网信息办公室发布关于调整示例认证依据标准的公告\t3
国内观察：执法实践\t4
1. 某市网信办对两家公司作出处罚\t4
2. 示例网安部门破获一起侵犯公民个人信息案\t4
3. 某区法院审结一起个人信息侵权纠纷案\t5
境外观察\t6
1. 澳大利亚电子安全委员会依据《网络安全法》对某平台罚款\t6
2. 美国财政部就数据经纪商问题发布指引\t6

国内观察：政策立法

导读：本期关注数据流通规则与审计办法。

1. 国家数据局、中央网信办、工业和信息化部等五部门印发《示例数据流通规则》

12月9日，国家数据局、中央网信办、工业和信息化部等五部门印发《示例数据流通规则》，自2026年3月1日起施行。为贯彻落实《中华人民共和国数据安全法》，根据《个保法》制定。《规则》共五章。（来源：网信中国）

2. 国家网信办发布《示例个人信息审计办法（征求意见稿）》

12月18日，国家网信办发布《示例个人信息审计办法（征求意见稿）》，公开征求意见。《办法》不适用于《示例日报》的新闻业务，也不适用于《平安示例》App（版本1.0，应用市场）。

3. 两项国家标准获批发布

12 月 25 日消息，国家市场监督管理总局、国家标准化管理委员会近日批准发布两项国家标准。一是《数据安全技术 示例分类分级要求》（GB/T 99001-2025），代替GB/T 99001-2019。二是《数据安全技术 示例脱敏要求》（GB/T 99002-2025）。

4. 示例省出台《示例省数据条例（试行）》（征求意见稿）

12月28日，湖南省网信办发布《示例省数据条例（试行）》（征求意见稿），废止《示例省旧数据办法》。

5. 国家市场监督管理总局、国家互联网信息办公室发布关于调整示例认证依据标准的公告

12月30日，国家市场监督管理总局、国家互联网信息办公室发布《关于调整示例认证依据标准的公告》。自本公告发布之日起，《关于实施示例认证的公告》（国家市场监督管理总局、国家互联网信息办公室公告2023年第9号）附件《示例认证实施规则》中，认证依据标准变更为GB/T 99001、GB/T 99002。

国内观察：执法实践

1. 某市网信办对两家公司作出处罚

12月10日，郴州市网信办依据《网络安全法》第二十一条、第五十九条，对甲公司和乙公司分别处以罚款5万元和二万元，并责令限期改正。同日，郴州市网信办还依据《治安管理处罚法》对丙公司予以警告，丙公司违反《网络安全法》相关规定和《湖南省示例信息化条例》等法律法规规定。

2. 示例网安部门破获一起侵犯公民个人信息案

12月12日消息，湖北武汉网警近日破获一起案件，抓获犯罪嫌疑人张某、李某某，涉案金额300余万元。目前，两人已被刑事拘留。

3. 某区法院审结一起个人信息侵权纠纷案

12月15日，杭州互联网法院审结原告王某与被告某科技公司个人信息保护纠纷一案，判令被告赔偿经济损失5万元。

境外观察

1. 澳大利亚电子安全委员会依据《网络安全法》对某平台罚款

12月2日，澳大利亚电子安全委员会依据《网络安全法》对Telegram处以约100万澳元罚款。（来源：某媒体）

2. 美国财政部就数据经纪商问题发布指引

12月3日，美国财政部发布《数据经纪商合规指引》，违规者最高将被处以2000万美元（约合人民币1.44亿元）罚款。
"""


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    data = tmp_path_factory.mktemp("kb") / "data"
    (data / "documents").mkdir(parents=True)
    copy_registries(REPO / "data", data)
    kb = load_knowledge(data)
    out, _items = extract_document(NEWSLETTER.split("\n"), "fixture_doc", kb)
    return out


def instrument(facts, title_part):
    hits = [i for i in facts["instruments"] if title_part in (i.get("title") or i.get("number") or "")]
    assert len(hits) == 1, (title_part, [i.get("title") for i in facts["instruments"]])
    return hits[0]


def test_masthead_and_items(facts):
    doc = facts["document"]
    assert doc["date"] == "2026-01-20" and doc["issue"] == "2026年1月第1期(总第9期)"
    assert len(facts["items"]) == 10  # TOC entries are not items


def test_co_issuers_and_stated_count(facts):
    rule = instrument(facts, "示例数据流通规则")
    assert rule["issuers"] == ["CN/国家数据局", "CN/国家互联网信息办公室", "CN/工业和信息化部"]
    assert rule["issuer_count"] == 5
    # a date without a year in an issue of January 2026 is December 2025, never later
    assert rule["date_issued"] == "2025-12-09" and rule["date_effective"] == "2026-03-01"
    assert rule["status"] == "issued"
    # the source names a media account, not an issuer
    assert "网信中国" not in str(rule["issuers"])


def test_back_references_and_non_instruments(facts):
    titles = {i.get("title") for i in facts["instruments"]}
    assert "规则" not in titles and "办法" not in titles  # 《规则》《办法》 mean the item's own instrument
    assert "示例日报" not in titles and "平安示例" not in titles  # a newspaper and an app


def test_draft_status_inside_and_outside_brackets(facts):
    audit = instrument(facts, "示例个人信息审计办法")
    assert audit["title"] == "示例个人信息审计办法" and audit["status"] == "consultation"
    assert audit["issuers"] == ["CN/国家互联网信息办公室"]
    regulation = instrument(facts, "示例省数据条例")
    assert regulation["title"] == "示例省数据条例(试行)" and regulation["status"] == "consultation"


def test_standards_numbers_and_replacement(facts):
    std = instrument(facts, "示例分类分级要求")
    assert std["number"] == "GB/T 99001-2025" and std["kind"] == "national-standard"
    assert std["issuers"] == ["CN/国家市场监督管理总局", "CN/国家标准化管理委员会"]
    assert std["date_issued"] == "2025-12"  # 近日 in a 12月25日消息 item
    rels = {(r["subject"], r["type"], r["object"]) for r in facts["relations"]}
    assert ("std/GB-T-99001-2025", "replaces", "std/GB-T-99001-2019") in rels


def test_relations_by_cue(facts):
    rels = {(r["subject"], r["type"], r["object"]) for r in facts["relations"]}
    assert ("CN/示例数据流通规则", "implements", "CN/数据安全法") in rels
    assert ("CN/示例数据流通规则", "based-on", "CN/个人信息保护法") in rels  # 个保法 is the PIPL
    assert ("CN-HN/示例省数据条例(试行)", "repeals", "CN-HN/示例省旧数据办法") in rels or any(
        r[1] == "repeals" and "旧数据办法" in r[2] for r in rels)


def test_change_of_basis_standard(facts):
    rels = {(r["subject"], r["type"], r["object"]) for r in facts["relations"]}
    ann = instrument(facts, "关于调整示例认证依据标准的公告")["key"]
    rules = instrument(facts, "示例认证实施规则")["key"]
    old = instrument(facts, "关于实施示例认证的公告")
    assert old["number"] == "国家市场监督管理总局、国家互联网信息办公室公告2023年第9号"
    assert (ann, "changes-basis-of", rules) in rels
    assert (rules, "based-on", "std/GB-T-99001-2025") in rels
    assert (rules, "based-on", "std/GB-T-99002-2025") in rels
    assert (rules, "annex-of", old["key"]) in rels


def test_fines_per_target_with_articles(facts):
    fines = [a for a in facts["actions"] if "fine" in a["kinds"] and a["jurisdiction"].startswith("CN")]
    by_target = {a["targets"][0]: a for a in fines}
    assert by_target["甲公司"]["penalty"] == {"amount": "50000", "currency": "CNY", "text": "5万元"}
    assert by_target["乙公司"]["penalty"]["amount"] == "20000"
    action = by_target["甲公司"]
    assert action["authorities"] == ["CN-431000/郴州市互联网信息办公室"]
    assert action["legal_basis"] == [{"instrument": "CN/网络安全法", "articles": [21, 59]}]
    assert "rectification-order" in action["kinds"]


def test_money_involved_is_not_a_fine(facts):
    police = [a for a in facts["actions"] if "criminal-measure" in a["kinds"]]
    assert len(police) == 1
    assert "penalty" not in police[0]
    assert police[0]["amount_involved"]["amount"] == "3000000" and police[0]["amount_involved"]["approximate"]
    assert set(police[0]["targets"]) == {"张某", "李某某"}
    # 武汉网警 is the city's public security bureau (a registry body, or a new one under 公安部)
    assert police[0]["authorities"] == ["CN-420100/武汉市公安局"]
    new = {a["key"]: a for a in facts.get("authorities", [])}
    registry = load_knowledge(REPO / "data").registry
    kind = new["CN-420100/武汉市公安局"]["kind"] if "CN-420100/武汉市公安局" in new else \
        registry.authorities["CN-420100/武汉市公安局"].kind
    assert kind == "police"


def test_cited_laws_are_national_unless_their_title_names_a_place(facts):
    # named in a Hunan city's enforcement item: a law without a place in its title is national
    assert instrument(facts, "治安管理处罚法")["jurisdiction"] == "CN"
    assert instrument(facts, "湖南省示例信息化条例")["jurisdiction"] == "CN-HN"
    # 《X》相关规定 / 《X》等法律法规规定 cite X; they are not instruments of their own
    titles = {i.get("title") for i in facts["instruments"]}
    assert not [t for t in titles if t and ("相关规定" in t or "法律法规规定" in t)], titles
    warning = next(a for a in facts["actions"] if a.get("targets") == ["丙公司"])
    assert {b["instrument"] for b in warning["legal_basis"]} >= {"CN/治安管理处罚法"}


def test_court_case(facts):
    (case,) = facts["cases"]
    assert case["court"] == "CN-330100/杭州互联网法院"
    assert {"name": "王某", "role": "plaintiff"} in case["parties"]
    assert {"name": "某科技公司", "role": "defendant"} in case["parties"]
    assert case["outcome"] == "plaintiff-won" and case["damages"]["amount"] == "50000"


def test_same_short_title_in_another_jurisdiction(facts):
    au = [a for a in facts["actions"] if a.get("jurisdiction") == "AU"]
    assert au and au[0]["legal_basis"][0]["instrument"] == "AU/在线安全法"
    assert au[0]["penalty"] == {"amount": "1000000", "currency": "AUD", "text": "100万澳元", "approximate": True}
    assert au[0]["targets"] == ["Telegram"]


def test_foreign_treasury_and_converted_amounts(facts):
    guide = instrument(facts, "数据经纪商合规指引")
    assert guide["issuers"] == ["US/美国财政部"] and guide["jurisdiction"] == "US"
    # a maximum penalty in a rule is no enforcement action; the conversion is no second amount
    assert not [a for a in facts["actions"] if a.get("jurisdiction") == "US"]


TARGETS_NEWSLETTER = """\
示例执法周报
2026年2月第1期
2026年2月10日

执法动态

1. 某市多部门联合约谈网约车平台

2月3日，某市交通、网信等四部门近日对甲乙出行科技有限公司（含丙丁打车）、戊己科技有限公司某市分公司、庚辛打车等9家网约车平台企业开展联合约谈。

2. 某省通信管理局通报违规App

2月5日，某省通信管理局通报12款App违法违规收集使用个人信息，包括《壬癸相册》（版本2.1，应用市场）等，隐私政策未列出App（包括委托的第三方代码、插件）收集个人信息的目的、方式、范围等。此外，通报对子丑、寅卯、辰巳等互联网平台予以约谈。
"""


def test_target_names_from_lists_are_names(tmp_path):
    data = tmp_path / "data"
    (data / "documents").mkdir(parents=True)
    copy_registries(REPO / "data", data)
    out, _items = extract_document(TARGETS_NEWSLETTER.split("\n"), "targets_doc", load_knowledge(data))
    targets = [t for a in out["actions"] for t in a.get("targets", [])]
    # a company name does not run across the verb before it; a parenthesis is no part of it
    assert "甲乙出行科技有限公司" in targets and "戊己科技有限公司某市分公司" in targets
    # the last name of a list keeps its name, not the 等9家…企业 tail
    assert "庚辛打车" in targets
    assert not [t for t in targets if "等" in t or "部门" in t or "（" in t], targets
    # descriptions inside 包括…等 are not parties
    assert "方式" not in targets and "范围" not in targets and not [t for t in targets if "第三方" in t]
    assert "壬癸相册" in targets and {"子丑", "寅卯", "辰巳"} <= set(targets)


RELATIONS_NEWSLETTER = """\
示例规则周报
2026年3月第2期
2026年3月16日

国内动态

1. 浙江省人大常委会通过《浙江省示例数据条例》

3月2日，浙江省第十四届人民代表大会常务委员会第二十一次会议表决通过《浙江省示例数据条例》。《条例》根据《中华人民共和国数据安全法》《中华人民共和国个人信息保护法》和《网络数据安全管理条例》制定。对违法行为，依照《中华人民共和国网络安全法》的有关规定予以处罚。

2. 国家网信办就《关于修改〈示例审查办法〉的决定（征求意见稿）》公开征求意见

3月5日，国家互联网信息办公室起草了《关于修改〈示例审查办法〉的决定（征求意见稿）》，拟对《示例审查办法》（国家互联网信息办公室等十三部门令第8号）作出修改。为贯彻落实《中共中央 国务院关于推进示例数据要素工作的意见》，征求意见稿增加了数据要素条款。

3. 两项标准与一份认证公告发布

3月9日，市场监管总局批准发布《数据安全技术 示例信息规范》（GB/T 99135-2026），将代替GB/T 99135-2020《信息安全技术 示例信息规范》。同日，市场监管总局、国家网信办发布《关于实施示例认证的公告》。《示例认证规则》作为公告附件，依据GB/T 99179-2022《信息安全技术 示例处理要求》等国家标准制定。

4. 《示例平台规则管理办法》全文

示例平台规则管理办法（2026年2月18日国家市场监督管理总局、国家互联网信息办公室令第120号公布 自2026年4月1日起施行）第一章 总则第一条 为了规范示例平台规则的制定，维护市场秩序，根据《中华人民共和国电子商务法》、《中华人民共和国消费者权益保护法》等法律，制定本办法。第二条 平台修改规则时应当公开征求意见。

国际动态

1. 韩国人工智能立法新进展

韩国《人工智能基本法》配套规则陆续出台。3月10日，韩国《人工智能示例发展基本法》（简称《人工智能基本法》）施行，科学技术信息通信部同日公布的《人工智能基本法施行令》依据该法制定。

2. 澳大利亚电子安全专员处罚一家应用运营商

3月11日，澳大利亚电子安全专员称，一家应用运营商未回应其依据《网络安全法》发出的法定通知，对其处以49.5万澳元罚款。

3. 北京互联网法院审结一起肖像权案

3月12日，北京互联网法院审结一起肖像权案，依据《中华人民共和国民法典》第一千零一十九条判决被告某科技公司赔偿原告王某1万元。
"""


def test_relations_cues_runs_annexes_and_cited_issuers(tmp_path):
    data = tmp_path / "data"
    (data / "documents").mkdir(parents=True)
    copy_registries(REPO / "data", data)
    out, _items = extract_document(RELATIONS_NEWSLETTER.split("\n"), "relations_doc", load_knowledge(data))
    rel = {(r["subject"], r["type"], r["object"]) for r in out["relations"]}
    inst = {i["key"]: i for i in out["instruments"]}
    reg = "CN-ZJ/浙江省示例数据条例"
    # one 根据 governs the whole run of titles; a clause about penalties only cites
    for law in ("CN/数据安全法", "CN/个人信息保护法", "CN/网络数据安全管理条例"):
        assert (reg, "based-on", law) in rel, rel
    assert (reg, "cites", "CN/网络安全法") in rel and (reg, "based-on", "CN/网络安全法") not in rel
    # the session of a local people's congress standing committee is the committee itself
    assert inst[reg]["issuers"] == ["CN-ZJ/浙江省人民代表大会常务委员会"]
    # 公开征求意见 is no part of a title; issuers of cited instruments come from their number or title
    assert not [k for k in inst if "公开征求意见" in k]
    cited = next(i for k, i in inst.items() if k.endswith("示例审查办法"))
    assert cited["issuers"] == ["CN/国家互联网信息办公室"] and cited["issuer_count"] == 13
    opinion = next(i for i in inst.values() if i.get("title", "").startswith("中共中央"))
    assert opinion["issuers"] == ["CN/中共中央", "CN/国务院"]
    # a number before the title keeps the cue; 作为公告附件 names the annex; 依据…制定 is based-on
    new, old = "std/GB-T-99135-2026", "std/GB-T-99135-2020"
    assert (new, "replaces", old) in rel and (new, "cites", old) not in rel
    rules = next(k for k in inst if k.endswith("示例认证规则"))
    announcement = next(k for k in inst if k.endswith("关于实施示例认证的公告"))
    assert (rules, "annex-of", announcement) in rel
    assert (rules, "based-on", "std/GB-T-99179-2022") in rel
    # a short title declared in a later item is the same instrument; decrees and codes are instruments
    kr = [k for k in inst if k.startswith("KR/")]
    assert "KR/人工智能基本法" not in kr and "KR/人工智能示例发展基本法" in kr, kr
    decree = next(k for k in kr if k.endswith("施行令"))
    assert inst[decree]["kind"] == "foreign-regulation" and inst[decree]["issuers"] == ["KR/韩国科学技术信息通信部"]  # the authority file's body, named with its country
    assert inst["CN/民法典"]["kind"] == "law"
    # a short title the item's country gives another law resolves there (AU Online Safety Act)
    au = next(a for a in out["actions"] if a.get("jurisdiction") == "AU")
    assert au["legal_basis"][0]["instrument"] == "AU/在线安全法"
    # the publication note under a reproduced rule gives its number, dates and issuers;
    # 第一条…根据《A》、《B》等法律 is its basis; an obligation to consult is no consultation
    rule = next(i for k, i in inst.items() if k.endswith("示例平台规则管理办法"))
    assert rule["number"] == "国家市场监督管理总局、国家互联网信息办公室令第120号"
    assert (rule["date_issued"], rule["date_effective"], rule["status"]) == ("2026-02-18", "2026-04-01", "issued")
    assert rule["issuers"] == ["CN/国家市场监督管理总局", "CN/国家互联网信息办公室"]
    assert (rule["key"], "based-on", "CN/电子商务法") in rel and (rule["key"], "based-on", "CN/消费者权益保护法") in rel


FINES_NEWSLETTER = """\
示例执法周报
2026年4月第2期
2026年4月20日

执法动态

1. 某省通信管理局对两家企业作出行政处罚

4月14日，某省通信管理局公布处罚结果。该局依据《个人信息保护法》第六十六条，对广州某科技有限公司处以罚款40万元，并没收违法所得8.6万元；对深圳某信息技术有限公司处以罚款15万元。

2. 韩国个人信息保护委员会处罚两家电商平台

4月29日，韩国个人信息保护委员会认定两家电商平台未采取访问控制措施，对两家公司分别处以118亿韩元和6.3亿韩元罚款。
"""


def test_one_fine_per_clause_and_per_amount(tmp_path):
    data = tmp_path / "data"
    (data / "documents").mkdir(parents=True)
    copy_registries(REPO / "data", data)
    out, _items = extract_document(FINES_NEWSLETTER.split("\n"), "fines_doc", load_knowledge(data))
    fines = {(tuple(a.get("targets", [])), a["penalty"]["amount"], a["penalty"]["currency"])
             for a in out["actions"] if "penalty" in a}
    # 对A处以…；对B处以…: each clause its target and amount (a preposition is no part of a name,
    # 信息 inside a company name does not make it a description)
    assert (("广州某科技有限公司",), "400000", "CNY") in fines
    assert (("深圳某信息技术有限公司",), "150000", "CNY") in fines
    # 分别处以X和Y with targets the text does not name: one action per amount
    assert {(f[1], f[2]) for f in fines} >= {("11800000000", "KRW"), ("630000000", "KRW")}


ISSUERS_NEWSLETTER = """\
示例规则周报
2026年5月第1期
2026年5月10日

国内动态

1. 《株洲市公共数据示例办法》公布

4月3日，《株洲市公共数据示例办法》（株洲市人民政府令第12号）公布，自2026年6月1日起施行。

2. 邵阳市出台《邵阳市数据示例行动方案》

4月8日，邵阳市出台《邵阳市数据示例行动方案》。

3. 工信部办公厅印发《工业数据示例工作指南》

4月9日，工业和信息化部办公厅印发《工业数据示例工作指南》。
"""


def test_issuers_from_numbers_places_and_general_offices(tmp_path):
    data = tmp_path / "data"
    (data / "documents").mkdir(parents=True)
    copy_registries(REPO / "data", data)
    out, _items = extract_document(ISSUERS_NEWSLETTER.split("\n"), "issuers_doc", load_knowledge(data))
    inst = {i["title"]: i for i in out["instruments"] if i.get("title")}
    new = {a["key"]: a for a in out.get("authorities", [])}
    # the order number written in the body names the issuer of the title in the heading
    assert inst["株洲市公共数据示例办法"]["issuers"] == ["CN-430200/株洲市人民政府"]
    # a city as the subject acts through its people's government
    assert inst["邵阳市数据示例行动方案"]["issuers"] == ["CN-430500/邵阳市人民政府"]
    # the general office of a ministry is a body of its own, under the ministry; no bare 办公厅
    (office,) = inst["工业数据示例工作指南"]["issuers"]
    assert office == "CN/工业和信息化部办公厅" and not [k for k in new if k.endswith("/办公厅")]
    assert office not in new or new[office]["parent"] == "CN/工业和信息化部"
