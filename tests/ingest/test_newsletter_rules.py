"""Rules found on newsletters of other publishers (issue 13), end to end on fixtures written for
these tests: issuer lists and offices, relations whose cue stands apart from the title, fines per
party and in foreign notation. Fictional news; registry bodies and laws are real ones."""

from pathlib import Path

import pytest

from kg.facts.registry import copy_registries
from kg.ingest.resolve import load_knowledge
from kg.ingest.run import extract_document

REPO = Path(__file__).resolve().parents[2]

DIGEST = """\
示例合规速览
2026年第4期
2026年4月30日

一、立法

1．国家互联网信息办公室会同国家数据局、公安部公布《示例数据出境管理办法》

4月2日，国家互联网信息办公室会同国家数据局、公安部公布《示例数据出境管理办法》，自2026年7月1日起施行。
《办法》共六章，根据《中华人民共和国网络安全法》《中华人民共和国数据安全法》和《中华人民共和国个人信息保护法》制定。
本办法施行之日起，2022年公布的《示例出境评估办法》（国家互联网信息办公室令第99号）同时废止。
同日，国家互联网信息办公室发布《示例申报指南（第三版）》和《示例备案指南（第三版）》，作为《办法》的配套文件，两份指南分别代替《示例申报指南（第二版）》和《示例备案指南（第二版）》。

2．海南省发展和改革委员会（海南省数据局）印发《示例数据产品登记办法》

4月8日，海南省发展和改革委员会（海南省数据局）印发《示例数据产品登记办法》。

3．全国人大常委会表决通过关于修改《中华人民共和国反电信网络诈骗法》的决定

4月26日，全国人大常委会表决通过关于修改《中华人民共和国反电信网络诈骗法》的决定，自公布之日起施行。

4．国家市场监督管理总局（国家标准化管理委员会）批准发布两项国家标准

4月20日，国家市场监督管理总局（国家标准化管理委员会）批准发布《示例技术 甲要求》（GB/T 99901-2026）和《示例技术 乙指南》（GB/T 99902-2026），分别代替GB/T 99901-2019和GB/T 99902-2020。

5．示例国总统签署法令

4月21日，韩国总统李在明签署公布《示例个人信息保护法修正案》。

二、执法

6．某省网信办对一家公司及其负责人作出处罚

某省网信办对某科技有限公司处以罚款120万元，对其直接负责的主管人员王某处以罚款5万元。

7．两家车企因出售驾驶数据被罚1.37亿美元

美国司法部与两家汽车制造商达成和解，两家企业合计支付1.37亿美元民事罚款，其中Alder Motors 8,000万美元、Vento Auto 5,700万美元。

8．西班牙数据保护局处罚一家电信公司

西班牙数据保护局对Telco Ejemplo S.A.处以1.800.000 €罚款。该局原拟罚款250万欧元。

三、数据

· 本月境外数据保护罚款合计：约€3.13亿（另有£127万、$520万）。
"""


@pytest.fixture(scope="module")
def facts(tmp_path_factory):
    data = tmp_path_factory.mktemp("rules") / "data"
    (data / "documents").mkdir(parents=True)
    copy_registries(REPO / "data", data)
    out, _items = extract_document(DIGEST.split("\n"), "rules_doc", load_knowledge(data))
    return out


def _inst(facts, title_end):
    return next(i for i in facts["instruments"] if i["key"].endswith(title_end))


def _rels(facts):
    return {(r["subject"], r["type"], r["object"]) for r in facts["relations"]}


def test_issuer_lists_co_names_and_offices(facts):
    assert _inst(facts, "示例数据出境管理办法")["issuers"] == ["CN/国家互联网信息办公室", "CN/国家数据局", "CN/公安部"]
    # a body's second name in brackets is the same body, never a name with a stray bracket
    assert _inst(facts, "示例数据产品登记办法")["issuers"] == ["CN-HI/海南省发展和改革委员会"]
    # ... except the standards body issuing national standards with its administering ministry
    assert set(_inst(facts, "GB-T-99901-2026")["issuers"]) == {"CN/国家市场监督管理总局", "CN/国家标准化管理委员会"}
    # a president signing: the office is the issuer, not the person
    assert _inst(facts, "示例个人信息保护法修正案")["issuers"] == ["KR/韩国总统"]


def test_relations_whose_cue_stands_apart_from_the_title(facts):
    rel = _rels(facts)
    rule = _inst(facts, "示例数据出境管理办法")["key"]
    # 根据《A》《B》和《C》制定: every title of the run is a basis
    for law in ("CN/网络安全法", "CN/数据安全法", "CN/个人信息保护法"):
        assert (rule, "based-on", law) in rel
    # 2022年公布的《X》同时废止: repealed, not issued here
    assert (rule, "repeals", "CN/示例出境评估办法") in rel
    # 作为《办法》的配套文件 and 分别代替 pairing two new titles with two old ones
    assert ("CN/示例申报指南(第三版)", "replaces", "CN/示例申报指南(第二版)") in rel
    assert ("CN/示例备案指南(第三版)", "replaces", "CN/示例备案指南(第二版)") in rel
    assert ("std/GB-T-99902-2026", "replaces", "std/GB-T-99902-2020") in rel
    # 关于修改《X》的决定 quoted around the law only: the decision, titled with its issuer, amends X
    decision = "CN/全国人民代表大会常务委员会关于修改〈中华人民共和国反电信网络诈骗法〉的决定"
    assert (decision, "amends", "CN/反电信网络诈骗法") in rel


def test_fines_per_party_breakdowns_and_foreign_notation(facts):
    fines = sorted((a["penalty"]["amount"], a["penalty"]["currency"], tuple(a.get("targets", [])))
                   for a in facts["actions"] if "penalty" in a)
    assert ("50000", "CNY", ("王某",)) in fines and ("1200000", "CNY", ("某科技有限公司",)) in fines
    # the parts of a total are the fines, the total is not
    assert ("80000000", "USD", ("Alder Motors",)) in fines and ("57000000", "USD", ("Vento Auto",)) in fines
    assert not [f for f in fines if f[0] == "137000000"]
    # European notation; a proposed amount is no fine; a statistic of totals gives none
    assert ("1800000", "EUR", ("Telco Ejemplo S.A.",)) in fines
    assert not [f for f in fines if f[0] in ("2500000", "313000000", "1270000", "5200000")]


ARTICLE = """\
重磅｜示例新规落地：《示例跨境数据办法》要点
原创 某作者 某公众号 2026年03月18日

3月16日，国家互联网信息办公室公布《示例跨境数据办法》（国家互联网信息办公室令第98号，以下简称《办法》），自2026年7月1日起施行。

01 ｜ 立法依据

《办法》依据《中华人民共和国网络安全法》和《中华人民共和国数据安全法》制定。

02 ｜ 新旧衔接

《办法》施行后，《示例旧评估办法》同时废止。
"""


def test_an_article_s_later_parts_speak_of_the_instrument_its_lead_declared(tmp_path):
    data = tmp_path / "data"
    (data / "documents").mkdir(parents=True)
    copy_registries(REPO / "data", data)
    out, _items = extract_document(ARTICLE.split("\n"), "article_doc", load_knowledge(data))
    rel = _rels(out)
    rule = "CN/示例跨境数据办法"
    inst = {i["key"]: i for i in out["instruments"]}
    # the number stops where the declared short title begins
    assert inst[rule]["number"] == "国家互联网信息办公室令第98号"
    assert (rule, "based-on", "CN/网络安全法") in rel and (rule, "based-on", "CN/数据安全法") in rel
    assert (rule, "repeals", "CN/示例旧评估办法") in rel


POINTING_BACK = """示例法规动态（2026年第9期）

一、立法动态

1．韩国示例法施行令生效

韩国《示例人工智能促进法》已于2026年1月22日施行，韩国政府据此制定的《示例人工智能促进法施行令》同步生效。

2．印度修订示例数据规则

2026年9月8日，印度电子和信息技术部公布《2026年示例数字数据保护（修正）规则》，对《2025年示例数字数据保护规则》作出修改。两部规则均依据《2023年示例数字数据保护法》制定。

3．韩国示例细则生效

韩国《示例数据基本法》和《示例网络法》2026年施行。同日，科学技术信息通信部根据该法授权制定的《示例数据基本法实施细则》一并生效。
"""


def _relations_of(text: str, folder) -> set:
    """The relations the extractor finds in ``text`` against a copy of the shipped registries."""
    data = folder / "data"
    (data / "documents").mkdir(parents=True)
    copy_registries(REPO / "data", data)
    out, _items = extract_document(text.split("\n"), "rules_doc", load_knowledge(data))
    return _rels(out)


def test_a_basis_named_before_its_cue(tmp_path):
    """据此制定的《X》, 根据该法授权制定的《X》 and 两部规则均依据《B》制定: the cue points back."""
    rel = _relations_of(POINTING_BACK, tmp_path)
    assert ("KR/示例人工智能促进法施行令", "based-on", "KR/示例人工智能促进法") in rel
    # both rules, the amending one and the amended one, rest on the act
    for rule in ("IN/2026年示例数字数据保护(修正)规则", "IN/2025年示例数字数据保护规则"):
        assert (rule, "based-on", "IN/2023年示例数字数据保护法") in rel
    assert ("IN/2026年示例数字数据保护(修正)规则", "amends", "IN/2025年示例数字数据保护规则") in rel
    # 该法: the law before the cue that the new title is named after, not merely the latest law
    assert ("KR/示例数据基本法实施细则", "based-on", "KR/示例数据基本法") in rel
    assert not any(r[0] == "KR/示例数据基本法实施细则" and r[2] == "KR/示例网络法" for r in rel)


REPEALS_AND_AMENDS = """示例法规动态（2026年第9期）

一、立法动态

1．越南示例法施行

2026年3月1日，越南国会于2025年12月通过的《示例人工智能法》正式施行。与此同时，越南新《示例网络安全法》将于7月1日起施行，届时《示例网络信息安全法》同时废止。

2．示例局发布指引

6月5日，国家金融监督管理总局印发《示例机构人工智能应用风险管理指引》，要求机构保留人工复核环节。2024年印发的《关于示例审慎使用人工智能技术的风险提示》同时废止。

3．印度修订示例规则

6月2日，印度电子和信息技术部发布《2026年示例数据保护（修正）规则》草案，拟修改2025年11月公布的《示例数据保护规则》。

4．欧盟委员会发布示例建议

6月3日，欧盟委员会依据《数据法》（第(EU) 2023/2854号条例）第41条发布《关于示例合同条款的建议》。
"""


def test_what_repeals_and_what_amends(tmp_path):
    rel = _relations_of(REPEALS_AND_AMENDS, tmp_path)
    # 《A》将于…施行，届时《B》同时废止: A repeals B, not the law the item leads with
    assert ("VN/示例网络安全法", "repeals", "VN/示例网络信息安全法") in rel
    assert ("VN/示例人工智能法", "repeals", "VN/示例网络信息安全法") not in rel
    # a 风险提示 is an instrument; the item's new guideline repeals it
    assert ("CN/示例机构人工智能应用风险管理指引", "repeals", "CN/关于示例审慎使用人工智能技术的风险提示") in rel
    # 拟修改2025年11月公布的《B》: when B came out stands between the cue and the title
    assert ("IN/2026年示例数据保护(修正)规则", "amends", "IN/示例数据保护规则") in rel
    # a 建议 is an instrument; 依据《B》（…(EU)…）第N条发布 is a basis, and the act named twice (title
    # and number) is not also merely cited
    assert ("EU/关于示例合同条款的建议", "based-on", "EU/数据法案") in rel
    assert ("EU/关于示例合同条款的建议", "cites", "EU/数据法案") not in rel
