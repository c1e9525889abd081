"""Where nodes go without physics (kg.views.layout): the time columns of a lineage, its chains
packed into a wide block."""

from __future__ import annotations

import networkx as nx

import kg
from kg.views import Context, lineage_view
from kg.views.layout import ASPECT, lineage_positions, time_levels


def test_time_levels_put_older_texts_left_and_undated_ones_next_to_what_they_cite():
    g = nx.MultiDiGraph()
    g.add_node("old", date="2016-11-07")
    g.add_node("mid", date="2020-03")
    g.add_node("new", date="2025-12-12")
    g.add_node("undated")  # cites mid: just after it
    g.add_edge("new", "old", relation="amends")
    g.add_edge("undated", "mid", relation="cites")
    g.add_node("a")
    g.add_node("b")  # a chain without any date: by its longest path
    g.add_edge("a", "b", relation="replaces")
    lv = time_levels(g)
    assert lv["old"] < lv["mid"] < lv["undated"] < lv["new"]
    assert lv["b"] < lv["a"]


def test_the_lineage_of_every_chain_is_packed_into_a_wide_block_in_time_order(shipped_build):
    g = lineage_view(Context(kg.open(shipped_build))).graph
    pos = lineage_positions(g)
    assert set(pos) == set(g) and len(set(pos.values())) == len(pos)  # every text placed, none on another
    xs, ys = [x for x, _y in pos.values()], [y for _x, y in pos.values()]
    width, height = max(xs) - min(xs), max(ys) - min(ys)
    assert ASPECT / 2 <= width / height <= ASPECT * 2  # not one long strip (it was 50 columns wide)
    date = {n: str(d)[:10] for n, d in g.nodes(data="date") if d}
    newer = [(s, o) for s, o in g.edges() if s in date and o in date and date[s] > date[o]]
    assert newer and all(pos[s][0] > pos[o][0] for s, o in newer)  # an arrow points left, to the older text
    boxes = []  # the chains do not overlap
    for comp in nx.connected_components(g.to_undirected(as_view=True)):
        cx = [pos[n][0] for n in comp]
        cy = [pos[n][1] for n in comp]
        boxes.append((min(cx), min(cy), max(cx), max(cy)))
    assert len(boxes) > 10
    assert not any(a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]
                   for i, a in enumerate(boxes) for b in boxes[i + 1:])
