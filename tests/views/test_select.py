"""Which nodes and edges each view shows (kg.views.select), on the view fixture graph and the shipped one."""

from __future__ import annotations

import networkx as nx
import pytest

from kg.errors import ViewError
from kg.views import Context, authority_view, document_view, enforcement_view, lineage_view, overview_view
from kg.views.context import EXTRA_FIELDS, line_key
from kg.views.select import lineage_seeds, most_active_authority, pagerank, scores

from .conftest import SCRIPT_NAME, XSS_TITLE

ID = "https://w3id.org/regkg/id/"
CAC = ID + "authority/CN/国家互联网信息办公室"
SAMR = ID + "authority/CN/国家市场监督管理总局"
PIPC_KR = ID + "authority/KR/个人信息保护委员会"
PIPC_JP = ID + "authority/JP/个人信息保护委员会"
LAW = ID + "instrument/CN/示例保护法"
RULES = ID + "instrument/CN/示例数据管理办法"
STD_2024 = ID + "instrument/std/GB-T-99999-2024"
STD_2025 = ID + "instrument/std/GB-T-99999-2025"


def labels(view) -> set[str]:
    return {a["label"] for _n, a in view.graph.nodes(data=True)}


def relations(view) -> set[tuple[str, str, str]]:
    g = view.graph
    return {(g.nodes[s]["label"], r, g.nodes[o]["label"]) for s, o, r in g.edges(data="relation")}


# ---------------------------------------------------------------- overview


def test_overview_keeps_authorities_and_instruments_and_sizes_them(view_ctx):
    v = overview_view(view_ctx, size_by="degree", top=None)
    assert set(v.counts) == {"authority", "instrument"}
    assert v.notes == []
    issuance = view_ctx.network("issuance")
    assert v.graph.number_of_nodes() == issuance.number_of_nodes()
    assert ("国家互联网信息办公室", "issued", "示例数据管理办法") in relations(v)
    assert ("湖南省互联网信息办公室", "part-of", "国家互联网信息办公室") in relations(v)
    # degree: CAC issued two instruments and has one sub-body
    assert v.graph.nodes[CAC]["score"] == 3.0
    assert "示例孤立通知" in labels(v)


def test_overview_top_n_cuts_and_says_what_was_cut(view_ctx):
    full = overview_view(view_ctx, top=None)
    v = overview_view(view_ctx, size_by="pagerank", top=3)
    assert v.graph.number_of_nodes() == 3
    n_all = full.graph.number_of_nodes()
    assert len(v.notes) == 1
    note = v.notes[0]
    assert f"top 3 of {n_all} nodes by PageRank" in note and f"{n_all - 3} cut" in note
    # the three kept are the three highest PageRank nodes of the full network
    ranked = sorted(full.graph.nodes, key=lambda n: -full.graph.nodes[n]["score"])
    assert full.graph.nodes[ranked[2]]["score"] > full.graph.nodes[ranked[3]]["score"]
    assert set(v.graph.nodes) == set(ranked[:3])
    assert CAC in v.graph


def test_overview_refuses_an_unknown_size_measure(view_ctx):
    with pytest.raises(ViewError, match="degree or pagerank"):
        overview_view(view_ctx, size_by="betweenness")


def test_pagerank_matches_networkx_reference():
    g = nx.karate_club_graph()
    g.add_node("isolated")
    ours = pagerank(g)
    from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

    ref = _pagerank_python(g, weight=None, tol=1e-12, max_iter=500)
    assert max(abs(ours[n] - ref[n]) for n in g) < 1e-8
    assert abs(sum(ours.values()) - 1) < 1e-9


def test_scores_by_degree_count_parallel_links():
    g = nx.MultiDiGraph()
    g.add_edge("a", "b", key="issued")
    g.add_edge("a", "b", key="part-of")
    g.add_node("c")
    assert scores(g, "degree") == {"a": 2.0, "b": 2.0, "c": 0.0}


# ---------------------------------------------------------------- authority


def test_authority_view_by_alias_has_what_it_issued_co_issuers_and_actions(view_ctx):
    v = authority_view(view_ctx, "国家网信办")
    assert v.focus == CAC
    assert v.title == "Authority: 国家互联网信息办公室"
    got = relations(v)
    assert ("国家互联网信息办公室", "issued", "示例数据管理办法") in got
    assert ("国家市场监督管理总局", "issued", "示例数据管理办法") in got  # co-issuer
    assert ("湖南省互联网信息办公室", "part-of", "国家互联网信息办公室") in got  # sub-body
    assert ("国家互联网信息办公室", "issued", XSS_TITLE) in got
    action = next(n for n, a in v.graph.nodes(data=True) if a["type"] == "action")
    assert v.graph.nodes[action]["amount_text"] == "5万元"
    assert SCRIPT_NAME in labels(v)  # the target of its action
    assert "2 issued, 1 actions, 1 sub-bodies" in v.subtitle


def test_authority_view_by_english_name_and_iri(view_ctx):
    assert authority_view(view_ctx, "Cyberspace Administration of China").focus == CAC
    assert authority_view(view_ctx, CAC).focus == CAC


def test_authority_depth_widens_the_ego_network(view_ctx):
    one = authority_view(view_ctx, "市场监管总局", depth=1)
    two = authority_view(view_ctx, "市场监管总局", depth=2)
    assert set(one.graph) < set(two.graph)
    assert CAC in two.graph  # SAMR -> the rules -> CAC (co-issuer)
    with pytest.raises(ViewError, match="--depth"):
        authority_view(view_ctx, "市场监管总局", depth=0)


def test_ambiguous_authority_lists_every_candidate(view_ctx):
    with pytest.raises(ViewError) as exc:
        authority_view(view_ctx, "个人信息保护委员会")
    assert exc.value.lines()[0].startswith("'个人信息保护委员会' names 2 authority nodes; write one of their keys")
    assert exc.value.candidates == [PIPC_JP, PIPC_KR]
    assert "  2. 个人信息保护委员会 - authority: regulator, KR - key KR/个人信息保护委员会" in str(exc.value)
    assert authority_view(view_ctx, "PIPC").focus == PIPC_KR
    assert authority_view(view_ctx, "KR/个人信息保护委员会").focus == PIPC_KR


def test_unknown_authority_suggests_similar_names(view_ctx):
    with pytest.raises(ViewError) as exc:
        authority_view(view_ctx, "网信")
    message = str(exc.value)
    assert message.startswith("no authority is called '网信'; the nearest names:")
    assert exc.value.candidates[0] == CAC and "key CN/国家互联网信息办公室" in message
    with pytest.raises(ViewError, match="no authority name is near it"):
        authority_view(view_ctx, "完全不存在的机构")


def test_an_instrument_is_not_an_authority(view_ctx):
    with pytest.raises(ViewError, match="no authority is called"):
        authority_view(view_ctx, "示保法")


# ---------------------------------------------------------------- lineage


def test_lineage_of_a_short_title_is_its_chain_in_time_order(view_ctx):
    v = lineage_view(view_ctx, "示保法")
    assert v.focus == LAW and v.layout == "time"
    assert set(v.graph) == {LAW, RULES, ID + "instrument/CN/关于%3Cimg_src=x_onerror=alert(1)%3E的办法",
                            STD_2024, STD_2025}
    got = relations(v)
    assert ("示例数据管理办法", "based-on", "中华人民共和国示例保护法") in got
    assert ("示例数据管理办法", "cites", "示例技术 标准要求 修订版") in got
    assert ("示例技术 标准要求 修订版", "replaces", "示例技术 标准要求") in got
    assert (XSS_TITLE, "cites", "中华人民共和国示例保护法") in got
    # provenance of the relation: the document and the lines it was reported in
    edge = next(a for s, o, a in v.graph.edges(data=True) if s == RULES and o == LAW)
    assert edge["sources"] == [{"document": "doc_a", "document_label": "测试通讯 第1期", "lines": "10-14",
                                "section": "政策 > 部委", "url": "https://example.org/a"}]


def test_lineage_by_standard_number_without_year_takes_the_latest_edition(view_ctx):
    assert lineage_view(view_ctx, "GB/T 99999").focus == STD_2025
    assert lineage_view(view_ctx, "GB/T 99999-2024").focus == STD_2024


def test_lineage_of_an_unknown_or_unrelated_instrument_is_an_error(view_ctx):
    with pytest.raises(ViewError, match="no instrument is called '没有这个文件'"):
        lineage_view(view_ctx, "没有这个文件")
    with pytest.raises(ViewError, match="'示例孤立通知' has no amends / replaces"):
        lineage_view(view_ctx, "示例孤立通知")


def test_lineage_without_a_name_has_every_chain(view_ctx):
    v = lineage_view(view_ctx)
    assert v.graph.number_of_edges() == view_ctx.network("lineage").number_of_edges() == 4
    assert v.focus is None


# ---------------------------------------------------------------- enforcement


def test_enforcement_has_authorities_actions_targets_laws_and_cases(view_ctx):
    v = enforcement_view(view_ctx)
    assert v.counts["action"] == 2 and v.counts["case"] == 1
    got = relations(v)
    assert ("国家互联网信息办公室", "acted", next(iter(
        a["label"] for _n, a in v.graph.nodes(data=True) if a["type"] == "action" and "alert(4)" in a["label"]))) in got
    kr_action = "个人信息保护委员会 罚款、责令改正 甲公司、某科技公司 (2025-02-20)"
    assert (kr_action, "legal-basis", "中华人民共和国示例保护法") in got
    assert (kr_action, "target", "甲公司") in got
    assert ("张某诉某科技公司案", "party", "张某") in got
    assert ("某市人民法院", "decided", "张某诉某科技公司案") in got


def test_enforcement_in_one_jurisdiction_by_code_or_name(view_ctx):
    kr = enforcement_view(view_ctx, "韩国")
    assert kr.title == "Enforcement in KR (大韩民国)"
    assert kr.counts.get("action") == 1 and "case" not in kr.counts
    cn = enforcement_view(view_ctx, "CN")  # the CN-BJ court case is in CN too
    assert cn.counts.get("action") == 1 and cn.counts.get("case") == 1
    assert PIPC_KR not in cn.graph
    with pytest.raises(ViewError, match="no enforcement action or court case in JP"):
        enforcement_view(view_ctx, "JP")
    with pytest.raises(ViewError, match="no jurisdiction is called 'XX'"):
        enforcement_view(view_ctx, "XX")


# ---------------------------------------------------------------- documents


def test_document_view_marks_what_the_newsletter_reported(view_ctx):
    v = document_view(view_ctx, "doc_b")
    reported = {a["label"] for _n, a in v.graph.nodes(data=True) if a["reported"]}
    assert {XSS_TITLE, "示例技术 标准要求 修订版"} <= reported
    assert "国家互联网信息办公室" in labels(v) and "国家互联网信息办公室" not in reported  # the issuer, linked
    assert v.title == "Document: 测试周报 <b>bold</b> 第2期"
    node = next(a for _n, a in v.graph.nodes(data=True) if a["label"] == "示例技术 标准要求 修订版")
    assert node["sources"][0]["document"] == "doc_b"  # this document's provenance first


def test_document_by_unique_prefix_and_errors_listing_documents(view_ctx):
    assert document_view(view_ctx, "doc_a").subtitle.startswith("doc_a, 2025-03-01")
    with pytest.raises(ViewError, match="names several documents: doc_a, doc_b"):
        document_view(view_ctx, "doc")
    with pytest.raises(ViewError, match="the documents are: doc_a, doc_b"):
        document_view(view_ctx, "nope")


# ---------------------------------------------------------------- the default set


def test_default_set_picks_the_most_active_authority_and_the_standard_chains(view_ctx):
    assert most_active_authority(view_ctx) == CAC
    assert lineage_seeds(view_ctx) == [STD_2025]


def test_context_names_and_jurisdictions_for_the_details_panel(view_ctx):
    a = view_ctx.network("all").nodes[CAC]
    assert "国家网信办" in a["names"] and "Cyberspace Administration of China" in a["names"]
    hn = view_ctx.network("all").nodes[ID + "authority/CN-HN/湖南省互联网信息办公室"]
    assert hn["jurisdictions"] == ["CN-HN", "CN"]
    assert hn["jurisdiction_labels"]["CN-HN"].startswith("CN-HN 湖南省")


def test_context_refuses_an_empty_name(view_ctx):
    with pytest.raises(ViewError, match="give the name"):
        view_ctx.resolve("  ", "authority")


# ---------------------------------------------------------------- the shipped graph


@pytest.fixture(scope="module")
def shipped_ctx(shipped_build):
    import kg

    return Context(kg.open(shipped_build))


def test_shipped_certification_lineage(shipped_ctx):
    v = lineage_view(shipped_ctx, "个人信息保护认证实施规则")
    numbers = {a.get("number") for _n, a in v.graph.nodes(data=True)}
    assert {"GB/T 46068-2025", "GB/T 35273-2020"} <= numbers
    assert any("令第20号" in (n or "") for n in numbers)
    got = relations(v)
    assert ("个人信息保护认证实施规则", "based-on", "数据安全技术 个人信息跨境处理活动安全认证要求") in got


def test_shipped_most_active_authority_is_the_cac(shipped_ctx):
    assert most_active_authority(shipped_ctx) == CAC
    assert any(shipped_ctx.network("lineage").nodes[s].get("number") == "GB/T 35273-2020"
               for s in lineage_seeds(shipped_ctx))


@pytest.mark.parametrize("kind", ["issuance", "lineage", "enforcement"])
def test_context_projections_equal_kg_network(view_ctx, kind):
    ref = view_ctx.g.to_networkx(kind)
    ours = view_ctx.network(kind)
    assert list(ours.nodes) == list(ref.nodes) and len(ref) > 0
    assert list(ours.edges(keys=True)) == list(ref.edges(keys=True))
    assert {n: a["type"] for n, a in ours.nodes(data=True)} == {n: a["type"] for n, a in ref.nodes(data=True)}


def test_extra_details_come_in_the_order_of_the_query(shipped_ctx):
    # the rows of the EXTRA query's UNION come in no fixed order: the fields must not follow them
    extras = [a["extra"] for _n, a in shipped_ctx.network("all").nodes(data=True) if len(a["extra"]) > 2]
    assert extras and all(list(e) == [f for f in EXTRA_FIELDS if f in e] for e in extras)
    assert EXTRA_FIELDS[:2] == ["kinds", "violations"] and "needs review" in EXTRA_FIELDS


def test_document_view_lists_the_documents_own_sources_first_in_line_order(shipped_ctx):
    doc = shipped_ctx.documents()[0]["id"]
    v = document_view(shipped_ctx, doc)
    mixed = [a["sources"] for _n, a in v.graph.nodes(data=True)
             if len({s["document"] for s in a["sources"]}) > 1 and any(s["document"] == doc for s in a["sources"])]
    assert mixed
    for srcs in mixed:
        own = [s for s in srcs if s["document"] == doc]
        assert srcs[:len(own)] == own and own == sorted(own, key=line_key)
        assert srcs[len(own):] == sorted(srcs[len(own):], key=line_key)


def test_a_subgraph_of_a_few_nodes_keeps_the_networks_order_and_the_ego_network_is_networkx_s(view_ctx):
    from kg.views.select import _subgraph

    net = nx.MultiDiGraph()
    net.add_nodes_from((f"n{i}", {"label": str(i)}) for i in range(100))
    net.add_edges_from((f"n{i}", f"n{i + 1}", "next", {"relation": "next"}) for i in range(99))
    few = ["n70", "n3", "n71", "absent"]  # few: put in order by their places, not by a walk
    walked = ["n3", "n70", "n71", *(f"n{i}" for i in range(80, 100))]  # many: by a walk over the network
    for nodes in (few, walked):
        sub = _subgraph(net, nodes)
        assert list(sub) == [n for n in net if n in set(nodes)]
        assert list(sub.edges(keys=True)) == [e for e in net.edges(keys=True) if e[0] in sub and e[1] in sub]
        assert sub.nodes["n3"] == {"label": "3"} and sub.nodes["n3"] is not net.nodes["n3"]
    all_net = view_ctx.network("all")
    for depth in (1, 2):
        ego = set(nx.ego_graph(all_net.to_undirected(as_view=True), SAMR, radius=depth))
        assert ego <= set(authority_view(view_ctx, SAMR, depth=depth).graph)
