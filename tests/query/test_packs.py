"""The query packs: exact answers on a small graph of our own, every query on the shipped
graph, parameter binding (and its refusal of injection), the Python API and ``kg query``."""

from __future__ import annotations

import json
import shlex
from decimal import Decimal

import pytest
from click.testing import CliRunner

import kg
from kg.cli.main import main
from kg.errors import QueryError
from kg.query.packs import discover, find_query, parse_query

ID = "https://w3id.org/regkg/id/"


class Concat:
    """A GROUP_CONCAT cell: the same names in any order (SPARQL leaves the order open)."""

    def __init__(self, *names: str):
        self.names = sorted(names)

    def __eq__(self, other) -> bool:
        if not isinstance(other, str):
            return False
        return any(sorted(other.split(sep)) == self.names for sep in ("、", ", ", " / "))

    def __repr__(self) -> str:
        return f"Concat{tuple(self.names)}"


def i(path: str) -> str:
    """An IRI of the id space."""
    return ID + path


D = Decimal
NET = i("instrument/CN/示例网络法")
EUDATA = i("instrument/EU/示例数据条例")
EXIT = i("instrument/CN/示例出境认证办法")
NOTICE = i("instrument/CN/关于调整示例认证依据的公告")
RULES = i("instrument/CN/示例认证实施规则")
AUDIT = i("instrument/CN/示例数据审计办法")
STD17 = i("instrument/std/GB-T-10001-2017")
STD20 = i("instrument/std/GB-T-10001-2020")
CAC = i("authority/CN/国家互联网信息办公室")
SAMR = i("authority/CN/国家市场监督管理总局")
SAC = i("authority/CN/国家标准化管理委员会")
HUNAN = i("authority/CN-HN/湖南省互联网信息办公室")
CHENZHOU = i("authority/CN-431000/郴州市互联网信息办公室")
EC = i("authority/EU/欧盟委员会")
PIPC = i("authority/KR/个人信息保护委员会")
A1, A2, B1 = i("action/doc_a/A1"), i("action/doc_a/A2"), i("action/doc_b/B1")
C1 = i("case/doc_b/C1")
CASE_NAME = "张某诉甲科技公司个人信息纠纷案"
JIA = i("party/甲科技公司")

# Every pack query: (parameters, the exact rows on tests/fixtures/querygraph.py), worked out
# by hand from the fixture's facts. A new query fails test_every_query_has_an_expected_answer.
EXPECTED: dict[str, tuple[dict, list[list]]] = {
    "authorities/actions-by": ({"authority": "郴州市网信办"}, [
        [A1, "2025-12-01", Concat("rectification-order", "fine"), "甲科技公司", D(50000), "CNY"]]),
    "authorities/activity-by-month": ({}, [
        [SAMR, "国家市场监督管理总局", "2017-12", 1],
        [SAMR, "国家市场监督管理总局", "2020-03", 1], [SAC, "国家标准化管理委员会", "2020-03", 1],
        [EC, "欧盟委员会", "2024-06", 1], [CAC, "国家互联网信息办公室", "2025-10", 1],
        [SAMR, "国家市场监督管理总局", "2025-10", 1],
        [CAC, "国家互联网信息办公室", "2025-12", 2], [SAMR, "国家市场监督管理总局", "2025-12", 1]]),
    "authorities/by-jurisdiction": ({"jurisdiction": "湖南省"}, [
        [CHENZHOU, "郴州市互联网信息办公室", None, "regulator", "CN-431000", "湖南省互联网信息办公室"],
        [HUNAN, "湖南省互联网信息办公室", None, "regulator", "CN-HN", "国家互联网信息办公室"]]),
    "authorities/co-issuers": ({"authority": "市场监管总局"}, [
        [CAC, "国家互联网信息办公室", 2], [SAC, "国家标准化管理委员会", 1]]),
    "authorities/issued-by-year": ({"authority": "国家网信办"}, [
        ["2025", "departmental-rule", 2], ["2025", "announcement", 1]]),
    "authorities/issued-by": ({"authority": "国家网信办"}, [
        [NOTICE, "关于调整示例认证依据的公告", "2025-12-12", "announcement", "in-force", 1],
        [AUDIT, "示例数据审计办法", "2025-12-05", "departmental-rule", "consultation", 0],
        [EXIT, "示例出境认证办法", "2025-10-10", "departmental-rule", "issued", 1]]),
    "authorities/kinds": ({}, [
        ["CN", "regulator", 4, 0], ["CN", "court", 1, 0], ["CN", "standards-body", 1, 0],
        ["EU", "government", 1, 0], ["KR", "regulator", 1, 0]]),
    "authorities/most-active": ({}, [
        [SAMR, "国家市场监督管理总局", 4, 0, 4], [CAC, "国家互联网信息办公室", 3, 0, 3],
        [EC, "欧盟委员会", 1, 1, 2], [PIPC, "个人信息保护委员会", 0, 1, 1], [SAC, "国家标准化管理委员会", 1, 0, 1],
        [CHENZHOU, "郴州市互联网信息办公室", 0, 1, 1]]),
    "authorities/sub-bodies": ({"authority": "国家网信办"}, [
        [CHENZHOU, "郴州市互联网信息办公室", "regulator", "CN-431000", "湖南省互联网信息办公室", 0, 1],
        [HUNAN, "湖南省互联网信息办公室", "regulator", "CN-HN", "国家互联网信息办公室", 0, 0]]),
    "reference/bodies-under": ({"authority": "国家网信办"}, [
        [HUNAN, "湖南省互联网信息办公室", None, "regulator", "CN-HN", "国家互联网信息办公室", 1, 0],
        [CHENZHOU, "郴州市互联网信息办公室", None, "regulator", "CN-431000", "湖南省互联网信息办公室", 2, 0]]),
    "reference/eu-acts": ({}, [
        [EUDATA, "示例数据条例", "Example Data Regulation", "Regulation (EU) 2024/9999", "32024R9999",
         "http://data.europa.eu/eli/reg/2024/9999/oj", "2024-06-13", "2024-08-01", "in-force"]]),
    "reference/amendment-history": ({"instrument": "示例网络法"}, [
        ["2025-10-28", "2026-01-01", "关于修改示例网络法的决定", None, "amendment"]]),
    "cases/applying": ({"instrument": "示例网络法"}, [
        [C1, CASE_NAME, "示例互联网法院", "2026-01-06", "plaintiff-won", "42"]]),
    "cases/by-court": ({}, [
        [C1, CASE_NAME, "示例互联网法院", "2026-01-06", "plaintiff-won", D(30000), "CNY"]]),
    "cases/outcomes": ({}, [["CN", "plaintiff-won", 1]]),
    "cases/parties": ({}, [
        [C1, CASE_NAME, "甲科技公司", "defendant"], [C1, CASE_NAME, "张某", "plaintiff"]]),
    "enforcement/by-jurisdiction": ({}, [
        ["CN", "fine", 1], ["CN", "rectification-order", 1], ["EU", "fine", 1], ["KR", "app-removal", 1],
        ["KR", "fine", 1]]),
    # converted with the fixture's rates: 1 EUR = 8 CNY, 1 KRW = 0.005 CNY
    "enforcement/fines-by-authority": ({}, [
        [EC, "欧盟委员会", "EUR", 1, D(120000000), D(960000000)],
        [PIPC, "个人信息保护委员会", "KRW", 1, D(8375000000), D(41875000)],
        [CHENZHOU, "郴州市互联网信息办公室", "CNY", 1, D(50000), D(50000)]]),
    "enforcement/fines-by-year": ({}, [
        ["CN", "2025", "CNY", 1, D(50000), D(50000)],
        ["EU", "2025", "EUR", 1, D(120000000), D(960000000)],
        ["KR", "2026", "KRW", 1, D(8375000000), D(41875000)]]),
    "enforcement/fines": ({}, [
        [A2, "欧盟委员会", "乙平台", "2025-12-05", "EU", D(120000000), "EUR", "1.2亿欧元", D(960000000), "CNY"],
        [B1, "个人信息保护委员会", Concat("甲科技公司", "丙支付"), "2026-01-03", "KR", D(8375000000), "KRW",
         "83.75亿韩元", D(41875000), "CNY"],
        [A1, "郴州市互联网信息办公室", "甲科技公司", "2025-12-01", "CN-431000", D(50000), "CNY", "5万元", D(50000),
         "CNY"]]),
    "enforcement/largest-fines": ({}, [
        [D(960000000), "CNY", D(120000000), "EUR", "1.2亿欧元", "欧盟委员会", "乙平台", "2025-12-05"],
        [D(41875000), "CNY", D(8375000000), "KRW", "83.75亿韩元", "个人信息保护委员会", Concat("甲科技公司", "丙支付"),
         "2026-01-03"],
        [D(50000), "CNY", D(50000), "CNY", "5万元", "郴州市互联网信息办公室", "甲科技公司", "2025-12-01"]]),
    "enforcement/laws-applied": ({}, [
        [NET, "中华人民共和国示例网络法", "21", 1, 0], [NET, "中华人民共和国示例网络法", "42", 0, 1],
        [NET, "中华人民共和国示例网络法", "59", 1, 0], [EXIT, "示例出境认证办法", "12", 1, 0]]),
    "enforcement/of-kind": ({"kind": "fine"}, [
        [B1, "2026-01-03", "个人信息保护委员会", Concat("甲科技公司", "丙支付"), "KR"],
        [A2, "2025-12-05", "欧盟委员会", "乙平台", "EU"],
        [A1, "2025-12-01", "郴州市互联网信息办公室", "甲科技公司", "CN-431000"]]),
    "enforcement/repeat-targets": ({}, [
        [JIA, "甲科技公司", 2, 1, Concat("郴州市互联网信息办公室", "个人信息保护委员会", "示例互联网法院")]]),
    "enforcement/violations": ({}, [
        ["security-obligation", "未履行网络安全保护义务", 1, 0],
        ["unauthorised-transfer", "违规提供个人信息", 1, 0],
        ["unlawful-pi-processing", "违法违规收集使用个人信息", 0, 1]]),
    "instruments/building-on": ({"instrument": "示例网络法"}, [
        [C1, CASE_NAME, "applies", "court-case", "2026-01-06"],
        [A1, "郴州市互联网信息办公室 罚款、责令改正 甲科技公司 (2025-12-01)", "applies", "enforcement-action",
         "2025-12-01"],
        [AUDIT, "示例数据审计办法", "based-on", "departmental-rule", "2025-12-05"]]),
    "instruments/by-jurisdiction": ({"jurisdiction": "CN"}, [
        ["departmental-rule", 2], ["national-standard", 2], ["announcement", 1], ["law", 1],
        ["normative-document", 1]]),
    "instruments/by-topic": ({"topic": "personal-information"}, [
        [EXIT, "示例出境认证办法", "2025-10-10", "departmental-rule", "CN"],
        [STD20, "示例信息安全规范", "2020-03-06", "national-standard", "CN"]]),
    # the yearless "GB/T 10001" of the newsletter is the latest edition, GB/T 10001-2020
    "instruments/certification-basis": ({}, [
        [RULES, "示例认证实施规则", STD20, "GB/T 10001-2020", "示例信息安全规范", NOTICE, "关于调整示例认证依据的公告",
         "示例出境认证办法"]]),
    "instruments/details": ({"instrument": "示例出境认证办法"}, [
        ["示例出境认证办法", None, None, "departmental-rule", "issued", "2025-10-10", "2026-01-01",
         Concat("国家市场监督管理总局", "国家互联网信息办公室"), "CN"]]),
    "instruments/in-consultation": ({}, [
        [AUDIT, "示例数据审计办法", "consultation", "国家互联网信息办公室", "2025-12-05", "2026-01-05"]]),
    "instruments/lineage": ({"instrument": "GB/T 10001"}, [
        ["downstream", RULES, "示例认证实施规则", None, "based-on"],
        ["upstream", STD17, "示例信息安全规范", "2017-12-29", "replaces"],
        ["downstream", NOTICE, "关于调整示例认证依据的公告", "2025-12-12", "indirect"]]),
    "instruments/no-issuer": ({}, [
        [NET, "中华人民共和国示例网络法", "law", "CN", 1],
        [RULES, "示例认证实施规则", "normative-document", "CN", 1]]),
    "instruments/of-kind": ({"kind": "national-standard"}, [
        [STD20, "示例信息安全规范", "GB/T 10001-2020", "2020-03-06", "CN", None],
        [STD17, "示例信息安全规范", "GB/T 10001-2017", "2017-12-29", "CN", None]]),
    "instruments/standards": ({}, [
        [STD17, "GB/T 10001-2017", "示例信息安全规范", "national-standard", "国家市场监督管理总局", "2017-12-29", None],
        [STD20, "GB/T 10001-2020", "示例信息安全规范", "national-standard",
         Concat("国家市场监督管理总局", "国家标准化管理委员会"), "2020-03-06", None]]),
    "instruments/taking-effect": ({"since": "2025-01-01", "until": "2026-12-31"}, [
        ["2025-12-12", NOTICE, "关于调整示例认证依据的公告", Concat("国家市场监督管理总局", "国家互联网信息办公室"),
         "in-force"],
        ["2026-01-01", EXIT, "示例出境认证办法", Concat("国家市场监督管理总局", "国家互联网信息办公室"), "issued"]]),
    "instruments/timeline": ({"since": "2017-01-01", "until": "2025-12-31"}, [
        ["2017-06-01", "takes effect", NET, "中华人民共和国示例网络法", "law", "CN"],
        ["2017-12-29", "issued", STD17, "示例信息安全规范", "national-standard", "CN"],
        ["2020-03-06", "issued", STD20, "示例信息安全规范", "national-standard", "CN"],
        ["2024-06-13", "issued", EUDATA, "示例数据条例", "foreign-regulation", "EU"],
        ["2024-08-01", "takes effect", EUDATA, "示例数据条例", "foreign-regulation", "EU"],
        ["2025-10-10", "issued", EXIT, "示例出境认证办法", "departmental-rule", "CN"],
        ["2025-12-05", "issued", AUDIT, "示例数据审计办法", "departmental-rule", "CN"],
        ["2025-12-12", "issued", NOTICE, "关于调整示例认证依据的公告", "announcement", "CN"],
        ["2025-12-12", "takes effect", NOTICE, "关于调整示例认证依据的公告", "announcement", "CN"]]),
    "provenance/aliases": ({"entity": "国家网信办"}, [
        ["中央网信办", "zh", "alias"], ["国家网信办", "zh", "alias"],
        ["Cyberspace Administration of China", "en", "preferred"], ["国家互联网信息办公室", "zh", "preferred"]]),
    "provenance/facts-per-document": ({}, [
        ["doc_a", "示例周报", "2025-12-20", 4, 6, 4, 2, 2, 0],
        ["doc_b", "示例月报", "2026-01-10", 3, 2, 1, 1, 1, 1]]),
    "provenance/low-confidence": ({}, [
        [None, "relation", D("0.6"), "doc_a", 20], [C1, "case", D("0.65"), "doc_b", 15]]),
    "provenance/multi-document": ({}, [
        [STD20, "示例信息安全规范", "instrument", 2], [EXIT, "示例出境认证办法", "instrument", 2]]),
    "provenance/needs-review": ({}, [[RULES, "示例认证实施规则", "instrument", "doc_a"]]),
    "provenance/overlaps": ({}, [["示例周报", "示例月报", 2, Concat("示例出境认证办法", "示例信息安全规范")]]),
    "provenance/relation-sources": ({"instrument": "示例认证实施规则"}, [
        ["示例认证实施规则", "based_on", "示例信息安全规范", "doc_a", 10, 14, D("0.9")],
        ["关于调整示例认证依据的公告", "changesBasisStandardOf", "示例认证实施规则", "doc_a", 10, 14, D("0.9")]]),
    "provenance/source-of": ({"entity": "示例出境认证办法"}, [
        ["doc_a", i("document/doc_a/item/L10"), "政策", 10, 14, "https://example.org/a", None],
        ["doc_b", i("document/doc_b/item/L5"), "执法", 5, 9, None, None]]),
}

# cells whose value is an opaque minted IRI (a hash): compared by prefix only
OPAQUE = {("provenance/low-confidence", 0): i("statement/doc_a/")}


@pytest.fixture(scope="module")
def shipped(shipped_build):
    return kg.open(shipped_build)


def example_params(q) -> dict[str, str]:
    """The parameters of a query's ``# example:`` line."""
    args = shlex.split(q.example)
    return dict(args[n + 1].split("=", 1) for n, a in enumerate(args) if a in ("--param", "-p"))


def test_every_query_has_an_expected_answer():
    assert sorted(discover()) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_query_answers_on_the_fixture_graph(graph, name):
    params, expected = EXPECTED[name]
    q = find_query(name)
    result = graph.run(name, **params)
    assert result.columns == q.columns
    rows = result.values()
    for (qname, col), prefix in OPAQUE.items():
        if qname == name:
            for row in rows:
                if isinstance(row[col], str) and row[col].startswith(prefix):
                    row[col] = None
    assert rows == expected


@pytest.mark.parametrize("name", sorted(discover()))
def test_query_header_is_complete_and_its_example_runs_on_the_shipped_graph(shipped, name):
    q = find_query(name)
    assert q.title and q.description and q.columns, name
    assert q.example.startswith(f"kg query {name}"), q.example
    required = {p.name for p in q.params if p.required and p.default is None}
    given = example_params(q)
    assert required <= set(given), f"{name}: the example omits {required - set(given)}"
    result = shipped.run(name, **given)
    assert result.columns == q.columns
    # the disjoint named graphs: the union default graph never repeats a row
    rows = [tuple(map(str, r)) for r in result.values()]
    assert len(rows) == len(set(rows)), name


def test_examples_find_something_on_the_shipped_graph(shipped):
    empty = [name for name, q in discover().items() if not shipped.run(name, **example_params(q)).rows]
    # every fact of the shipped graph has been reviewed, so nothing awaits review there
    # (the rows of provenance/needs-review are checked on the fixture graph above)
    assert empty == ["provenance/needs-review"]


def test_parameters_resolve_aliases_numbers_and_iris(graph):
    by_alias = graph.run("authorities/issued-by", authority="中央网信办").values()
    by_iri = graph.run("authorities/issued-by", authority=CAC).values()
    assert by_alias == by_iri and len(by_alias) == 3
    assert graph.run("authorities/issued-by", authority="国家网信办", year="2024").values() == []
    # a standard by its number with or without the year
    latest = graph.run("instruments/details", instrument="GB/T 10001").values()
    assert latest == graph.run("instruments/details", instrument="GB/T 10001-2020").values()
    assert latest[0][2] == "GB/T 10001-2020"
    assert graph.resolve("示例网络法", "instrument") == NET


@pytest.mark.parametrize("params, message", [
    ({}, "needs --param authority"),
    ({"authority": "不存在的机构"}, "no authority is called '不存在的机构'"),
    ({"authority": "国家网信办", "year": "20x5"}, "year"),
    ({"authority": "国家网信办", "colour": "red"}, "unknown parameter(s) colour"),
])
def test_parameter_errors_name_the_parameter(graph, params, message):
    with pytest.raises(QueryError, match=None) as err:
        graph.run("authorities/issued-by", **params)
    assert message in str(err.value)


@pytest.mark.parametrize("value", [
    '国家网信办" } ; DROP ALL ; {',
    '国家网信办\'> } INSERT DATA { <a:b> <a:c> <a:d> } #',
    "<https://w3id.org/regkg/id/authority/CN/x> } ; CLEAR ALL ; SELECT * { ",
])
def test_parameters_are_bound_never_pasted(graph, query_build, value):
    triples = len(graph.sparql("SELECT * WHERE { ?s ?p ?o }"))
    with pytest.raises(QueryError):
        graph.run("authorities/issued-by", authority=value)
    with pytest.raises(QueryError):
        graph.run("enforcement/fines", currency=value)
    # a free-text parameter takes the hostile text as a literal and simply matches nothing
    assert graph.run("provenance/low-confidence", below="0.7").values()  # still answers
    assert len(graph.sparql("SELECT * WHERE { ?s ?p ?o }")) == triples


def test_a_fine_of_two_authorities_is_one_row_naming_both(tmp_path):
    from kg.store.build import build

    from ..conftest import QUERY_AS_OF
    from ..fixtures.querygraph import write_query_data

    data = write_query_data(tmp_path)
    doc = data / "documents" / "doc_a.yaml"
    text = doc.read_text(encoding="utf-8")
    assert text.count("authorities: [郴州市网信办]") == 1
    joint = text.replace("authorities: [郴州市网信办]", "authorities: [郴州市网信办, 湖南省网信办]")
    doc.write_text(joint, encoding="utf-8")
    build(data, tmp_path / "build", as_of=QUERY_AS_OF, views=False)
    rows = kg.open(tmp_path / "build").run("enforcement/fines", page=None).values()
    assert [r[0] for r in rows] == [A2, B1, A1]
    assert sorted(rows[2][1].split("、")) == ["湖南省互联网信息办公室", "郴州市互联网信息办公室"]
    # and its place still decides the jurisdiction filter, once
    assert [r[0] for r in kg.open(tmp_path / "build").run("enforcement/fines", jurisdiction="CN-HN").values()] == [A1]


def test_a_case_without_an_outcome_is_listed_once_with_none(tmp_path):
    """cases/applying and cases/by-court list a case whose outcome is not reported once, its outcome
    unbound (the outcome's notation was once matched with every notation of the graph)."""
    from kg.store.build import build

    from ..conftest import QUERY_AS_OF
    from ..fixtures.querygraph import write_query_data

    data = write_query_data(tmp_path)
    doc = next(p for p in (data / "documents").glob("*.yaml") if "outcome: plaintiff-won" in p.read_text("utf-8"))
    doc.write_text(doc.read_text(encoding="utf-8").replace("    outcome: plaintiff-won\n", ""), encoding="utf-8")
    build(data, tmp_path / "build", as_of=QUERY_AS_OF, views=False)
    graph = kg.open(tmp_path / "build")
    assert graph.run("cases/applying", instrument="示例网络法").values() == [
        [C1, CASE_NAME, "示例互联网法院", "2026-01-06", None, "42"]]
    assert graph.run("cases/by-court", page=None).values() == [
        [C1, CASE_NAME, "示例互联网法院", "2026-01-06", None, D(30000), "CNY"]]
    assert graph.run("cases/outcomes").values() == [["CN", "unknown", 1]]


def test_currency_and_date_parameters_are_checked(graph):
    assert [r[0] for r in graph.run("enforcement/fines", currency="eur").values()] == [A2]
    with pytest.raises(QueryError, match="currency"):
        graph.run("enforcement/fines", currency="EURO")
    with pytest.raises(QueryError, match="since"):
        graph.run("instruments/taking-effect", since="2025-13-01", until="2026-01-01")


def test_query_text_parser_reads_the_header():
    q = parse_query(
        "# title: T\n# description: one\n# description: two\n"
        "# param: who (authority, required) - the body\n# param: year (year) = 2025 - a year\n"
        "# columns: a, b\n# example: kg query x/y --param who=甲\nSELECT ?a ?b WHERE { ?a ?x ?b }\n", "x/y")
    assert (q.title, q.description, q.columns, q.pack) == ("T", "one two", ["a", "b"], "x")
    assert [(p.name, p.type, p.required, p.default) for p in q.params] == [
        ("who", "authority", True, None), ("year", "year", False, "2025")]


def test_python_api_gives_dataframes_and_graphs(graph):
    df = graph.query("enforcement/fines")
    assert list(df.columns) == find_query("enforcement/fines").columns and len(df) == 3
    assert df["converted"].sum() == D(960000000) + D(41875000) + D(50000)
    direct = graph.sparql("SELECT ?t WHERE { ?i eli:is_realized_by/eli:title ?t ; eli:id_local ?n }",
                          n="GB/T 10001-2017")
    assert list(direct["t"]) == ["示例信息安全规范"]


# ---------------------------------------------------------------- kg query


def run_cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_cli_lists_the_packs(query_build):
    r = run_cli("query", "--list", "--build-dir", query_build)
    assert r.exit_code == 0
    for name in discover():
        assert name.split("/")[1] in r.output
    assert "[authority=…]" in r.output


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "markdown"])
def test_cli_formats(query_build, fmt, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")  # the table fits the terminal: wide enough for every cell
    r = run_cli("query", "enforcement/fines", "-f", fmt, "--build-dir", query_build)
    assert r.exit_code == 0, r.output
    out = r.output
    if fmt == "json":
        rows = json.loads(out)
        assert [row["written"] for row in rows] == ["1.2亿欧元", "83.75亿韩元", "5万元"]
        assert rows[0]["converted"] == 960000000
    elif fmt == "csv":
        assert out.splitlines()[0] == ",".join(find_query("enforcement/fines").columns)
        assert len(out.splitlines()) == 4
    elif fmt == "tsv":
        assert "\t1.2亿欧元\t" in out
    elif fmt == "markdown":
        assert out.startswith("| action | authorities |") and out.count("\n") == 5
    else:
        assert "(3 rows)" in out and "1.2亿欧元" in out


def test_cli_output_file_expression_and_file(query_build, tmp_path):
    out = tmp_path / "fines.csv"
    r = run_cli("query", "fines", "-f", "csv", "-o", out, "--build-dir", query_build)
    assert r.exit_code == 0, r.output
    assert out.read_text(encoding="utf-8").count("\n") == 4
    r = run_cli("query", "-e", "SELECT ?n WHERE { ?s eli:id_local ?n } ORDER BY ?n", "-f", "csv",
                "--build-dir", query_build)
    assert r.exit_code == 0 and r.output.splitlines() == ["n", "GB/T 10001-2017", "GB/T 10001-2020",
                                                          "Regulation (EU) 2024/9999"]
    rq = tmp_path / "mine.rq"
    rq.write_text("# param: who (authority, required)\n"
                  "SELECT ?t WHERE { ?i eli:passed_by ?who ; eli:is_realized_by/eli:title ?t } ORDER BY ?t\n",
                  encoding="utf-8")
    r = run_cli("query", "--file", rq, "-p", "who=国家标准委", "-f", "csv", "--build-dir", query_build)
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == ["t", "示例信息安全规范"]


@pytest.mark.parametrize("args, message", [
    (["query", "no/such-query"], "no/such-query"),
    (["query", "authorities/issued-by"], "needs --param authority"),
    (["query", "authorities/issued-by", "-p", "authority"], "write --param name=value"),
    (["query", "authorities/issued-by", "-p", "authority=不存在"], "no authority is called"),
    (["query", "-e", "SELECT ?x WHERE { ?x ?y }"], "SPARQL"),
    (["query", "-e", "INSERT DATA { <a:b> <a:c> <a:d> }"], "SPARQL Update (INSERT …) is not accepted"),
    (["query", "-e", "PREFIX x: <a:> # note\nDROP ALL"], "SPARQL Update (DROP …) is not accepted"),
    (["query", "--file", "missing.rq"], "missing.rq"),
])
def test_cli_errors_exit_non_zero_with_a_message(query_build, args, message):
    r = CliRunner().invoke(main, [*args, "--build-dir", str(query_build)])
    assert r.exit_code != 0
    assert message in r.output
    assert "Traceback" not in r.output


def test_cli_output_is_not_left_half_written_on_error(query_build, tmp_path):
    out = tmp_path / "result.csv"
    out.write_text("previous\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["query", "authorities/issued-by", "-o", str(out), "--build-dir", str(query_build)])
    assert r.exit_code != 0
    assert out.read_text(encoding="utf-8") == "previous\n"


def test_cli_without_a_build_says_what_to_do(tmp_path):
    r = CliRunner().invoke(main, ["query", "enforcement/fines", "--build-dir", str(tmp_path / "none")])
    assert r.exit_code != 0 and "kg build" in r.output


def test_the_python_api_runs_a_pack_query(query_build):
    # kg.open() is the one way in: the graph object runs packs, SPARQL and entity look-ups
    g = kg.open(query_build)
    first = g.query("cases/outcomes")
    assert list(first.columns) == find_query("cases/outcomes").columns and len(first) > 0
