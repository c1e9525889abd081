"""Which nodes a view opens folded and under which name (kg.views.fold): the shipped enforcement
view and a graph made for the rules (places, merging of small places, split by type)."""

from __future__ import annotations

from collections import Counter

import networkx as nx

from kg.views import Context, enforcement_view, overview_view
from kg.views.fold import (
    FOLD_ABOVE,
    KEEP_TOP,
    MAX_PLACES,
    OTHER,
    SPLIT_ABOVE,
    fold_groups,
    group_names,
    importance,
    places,
)


def test_importance_is_the_views_score_then_degree_then_label():
    g = nx.MultiDiGraph()
    g.add_node("a", score=0.5, label="乙")
    g.add_node("b", score=0.5, label="甲")
    g.add_node("c", score=0.9, label="丙")
    g.add_node("d", score=0.5, label="丁")
    g.add_edge("d", "c")
    assert importance(g) == ["c", "d", "a", "b"]  # d has a link; 乙 is U+4E59, 甲 U+7532


def test_a_view_of_at_most_150_nodes_opens_unfolded(view_ctx):
    g = overview_view(view_ctx, top=None).graph
    assert 0 < g.number_of_nodes() <= FOLD_ABOVE
    assert fold_groups(g, importance(g)) == {}


def place_graph(n_cn: int = 120) -> nx.MultiDiGraph:
    """A graph of more than 150 nodes: 20 important national authorities, ``n_cn`` national actions
    and instruments, 20 parties in Shanghai, one authority in each of three small provinces, two
    nodes in Korea, three parties with no place that each link to a Shanghai party."""
    g = nx.MultiDiGraph()
    for i in range(KEEP_TOP):
        g.add_node("hub" if i == 0 else f"top{i}", type="authority", score=100.0 - i, jurisdictions=["CN"])
    for i in range(n_cn):
        g.add_node(f"cn{i}", type="action" if i % 2 else "instrument", score=1.0, jurisdictions=["CN"])
        g.add_edge("hub", f"cn{i}")
    for i in range(20):
        g.add_node(f"sh{i}", type="party", score=1.0, jurisdictions=["CN-310100", "CN-SH", "CN"])  # a city
        g.add_edge(f"cn{i}", f"sh{i}")
    for code in ("CN-FJ", "CN-HI", "CN-TJ"):
        g.add_node(code, type="authority", score=1.0, jurisdictions=[code, "CN"])
    g.add_node("kr0", type="authority", score=1.0, jurisdictions=["KR"])
    g.add_node("kr1", type="action", score=1.0, jurisdictions=["KR"])
    for i in range(3):
        g.add_node(f"x{i}", type="party", score=1.0)
        g.add_edge(f"sh{i}", f"x{i}")
    return g


def test_nodes_fold_by_place_small_places_merge_and_a_large_place_splits_by_type():
    g = place_graph()
    order = importance(g)
    groups = fold_groups(g, order)
    top = set(order[:KEEP_TOP])
    assert "hub" in top and not top & set(groups)  # the most important stay in sight
    members = Counter(groups.values())
    # a city folds into its province; parties without a place take their neighbours' place
    assert groups["sh19"] == groups["x0"] == "CN-SH" and places(g)["x0"] == ("CN-SH", "CN")
    # the three provinces of one node each: merged into China's other places
    assert groups["CN-FJ"] == groups["CN-HI"] == groups["CN-TJ"] == "CN/*"
    assert groups["kr0"] == groups["kr1"] == "KR"
    # more than SPLIT_ABOVE national nodes: one group per type
    cn = [n for n in groups if n.startswith("cn")]
    assert {groups[n] for n in cn} == {"CN|action", "CN|instrument"}
    assert members["CN|action"] + members["CN|instrument"] > SPLIT_ABOVE
    assert len(members) <= MAX_PLACES + 1
    assert set(groups) | top == set(g)  # every other node folded


def test_many_small_places_merge_until_few_are_left():
    g = place_graph(n_cn=60)
    for k in range(30):  # thirty foreign countries of two nodes each
        for i in range(2):
            g.add_node(f"c{k}-{i}", type="authority", score=1.0, jurisdictions=[f"Z{k:02d}"])
    groups = fold_groups(g, importance(g))
    keys = set(groups.values())
    assert len({k.split("|")[0] for k in keys}) <= MAX_PLACES
    assert groups["c0-0"] == groups["c1-1"] == f"{OTHER}|authority"  # merged, then split: over 40 nodes
    assert all(v >= 2 for v in Counter(groups.values()).values())  # no cluster of one


def test_the_shipped_enforcement_view_opens_as_a_few_dozen_named_clusters(shipped_build):
    import kg

    g = enforcement_view(Context(kg.open(shipped_build))).graph
    assert g.number_of_nodes() > FOLD_ABOVE
    order = importance(g)
    groups = fold_groups(g, order)
    names = group_names(g, groups.values())
    sizes = Counter(groups.values())
    in_sight = g.number_of_nodes() - len(groups) + len(sizes)
    assert in_sight <= 60 and len(sizes) >= 5
    assert not set(order[:KEEP_TOP]) & set(groups)
    assert names["CN-SH"] == {"label": "CN-SH 上海市", "name": "CN-SH 上海市 / Shanghai Shi"}
    for key, n in sizes.items():  # every member of a province's cluster is in it, or linked to it
        place = key.split("|")[0]
        if place.startswith("CN-"):
            for node in (m for m, k in groups.items() if k == key):
                jurs = g.nodes[node].get("jurisdictions") or []
                near = {j for m in nx.all_neighbors(g, node) for j in g.nodes[m].get("jurisdictions") or []}
                assert place in jurs or (not jurs and place in near), (key, node)
        assert n >= 2


def test_group_names():
    g = nx.MultiDiGraph()
    g.add_node("a", jurisdiction_labels={"CN": "CN 中国 / China", "CN-SH": "CN-SH 上海市 / Shanghai Shi"})
    names = group_names(g, ["CN-SH", "CN/*|party", "*", "?", "CN|action"])
    assert names == {
        "CN-SH": {"label": "CN-SH 上海市", "name": "CN-SH 上海市 / Shanghai Shi"},
        "CN/*|party": {"label": "CN 其他地区 当事方", "name": "CN 中国 / China: other places 其他地区: parties 当事方"},
        "*": {"label": "other 其他", "name": "other jurisdictions 其他法域"},
        "?": {"label": "no place 未知法域", "name": "no jurisdiction known 未知法域"},
        "CN|action": {"label": "CN 中国 执法行动", "name": "CN 中国 / China: enforcement actions 执法行动"},
    }
