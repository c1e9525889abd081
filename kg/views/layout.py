"""Where the nodes of a view go when vis-network's physics does not place them: the columns of a
lineage in time order, its chains packed into the window's shape, and the precomputed spring
layout of a view too large for physics in the browser."""

from __future__ import annotations

import math
from statistics import fmean

import networkx as nx

COLUMN = 250.0  # canvas units between two columns of a lineage chain
ROW = 100.0  # canvas units between two texts of one column
GAP = (160.0, 110.0)  # canvas units between two chains (across, down)
ASPECT = 1.75  # the shape (width / height) the packed chains aim for: a wide window


def undirected(graph: nx.MultiDiGraph) -> nx.Graph:
    """The linked pairs of ``graph``, once each, in the order of its adjacency (read through networkx's
    adjacency dicts: its edge views walk every key)."""
    und = nx.Graph()
    und.add_nodes_from(graph)
    und.add_edges_from((s, o) for s, ends in graph._adj.items() for o in ends if s != o)
    return und


def _date_key(value: str) -> str:
    """A date of any precision as a sortable key (2025 < 2025-03 < 2025-03-10 within one year)."""
    return str(value)[:10]


def time_levels(graph: nx.MultiDiGraph) -> dict[str, int]:
    """A column for each node of a lineage graph: dated nodes in date order; an undated node just
    after the newest node it points to (it amends, cites … it), else just before the oldest that
    points to it; chains without any date by their longest path."""
    dated = {n: _date_key(d) for n, d in graph.nodes(data="date") if d}
    rank = {k: 2 * i for i, k in enumerate(sorted(set(dated.values())))}
    level: dict[str, int] = {n: rank[k] for n, k in dated.items()}
    for _ in range(graph.number_of_nodes()):
        changed = False
        for n in graph:
            if n in dated:
                continue
            after = [level[o] for o in graph.successors(n) if o in level and o != n]
            before = [level[s] for s in graph.predecessors(n) if s in level and s != n]
            new = max(after) + 1 if after else (min(before) - 1 if before else None)
            if new is not None and level.get(n) != new:
                level[n] = new
                changed = True
        if not changed:
            break
    rest = [n for n in graph if n not in level]
    if rest:
        sub = graph.subgraph(rest)
        depth: dict[str, int] = dict.fromkeys(rest, 0)
        for _ in range(len(rest)):  # longest path from the sinks (bounded: cycles cannot loop forever)
            changed = False
            for s, o in sub.edges():
                if s != o and depth[s] < depth[o] + 1 <= len(rest):
                    depth[s] = depth[o] + 1
                    changed = True
            if not changed:
                break
        base = min(level.values(), default=0)
        level.update({n: base + d for n, d in depth.items()})
    used = sorted(set(level.values()))
    compact = {v: i for i, v in enumerate(used)}
    return {n: compact[v] for n, v in level.items()}


def precomputed_positions(graph: nx.MultiDiGraph, seed: int = 7) -> dict[str, tuple[float, float]] | None:
    """Positions from networkx's spring layout, each connected component laid out on its own and the
    components packed in rows, largest first; None when a component is too large for the dense
    solver and scipy (networkx's sparse solver) is not installed."""
    und = undirected(graph)
    comps = sorted((sorted(c) for c in nx.connected_components(und)), key=lambda c: (-len(c), c[0]))
    placed: list[tuple[list, dict, float]] = []
    for comp in comps:
        if len(comp) == 1:
            placed.append((comp, {comp[0]: (0.0, 0.0)}, 40.0))
            continue
        radius = 55.0 * math.sqrt(len(comp))
        try:
            pos = nx.spring_layout(und.subgraph(comp), seed=seed, scale=radius, iterations=60)
        except ImportError:
            return None
        placed.append((comp, {n: (float(x), float(y)) for n, (x, y) in pos.items()}, radius))
    total = sum((2 * r) ** 2 for _c, _p, r in placed)
    row_width = max(math.sqrt(total), max((2 * r for _c, _p, r in placed), default=0))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for _comp, pos, r in placed:
        if x > 0 and x + 2 * r > row_width:
            x, y, row_h = 0.0, y + row_h + 60, 0.0
        for n, (px, py) in pos.items():
            out[n] = (round(x + r + px, 1), round(y + r + py, 1))
        x += 2 * r + 60
        row_h = max(row_h, 2 * r)
    return out


def _chain_columns(graph: nx.MultiDiGraph, und: nx.Graph, comp: list[str], levels: dict[str, int]) -> list[list[str]]:
    """The texts of one chain in columns (its own time levels, no empty column), each column ordered
    to keep linked texts level with each other (barycentres, a few sweeps)."""
    used = sorted({levels[n] for n in comp})
    local = {v: i for i, v in enumerate(used)}
    cols: list[list[str]] = [[] for _ in used]

    def key(n: str) -> tuple:
        return str(graph.nodes[n].get("date") or ""), str(graph.nodes[n].get("label", n)), n

    for n in sorted(comp, key=key):
        cols[local[levels[n]]].append(n)
    for sweep in range(4):
        y = {n: i - (len(col) - 1) / 2 for col in cols for i, n in enumerate(col)}
        for col in (cols if sweep % 2 == 0 else reversed(cols)):
            col.sort(key=lambda n: (fmean([y[m] for m in und.neighbors(n)] or [y[n]]), y[n]))
            y.update({n: i - (len(col) - 1) / 2 for i, n in enumerate(col)})
    return cols


def lineage_positions(graph: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Positions of a lineage view: each chain (connected component) left to right in time order
    (:func:`time_levels`), the chains packed in rows, largest first, into a block about
    :data:`ASPECT` times as wide as high, so the whole lineage fits a window instead of one long strip."""
    levels = time_levels(graph)
    und = undirected(graph)
    comps = sorted((sorted(c) for c in nx.connected_components(und)),
                   key=lambda c: (-len(c), str(graph.nodes[c[0]].get("label", c[0]))))
    blocks = []
    for comp in comps:
        cols = _chain_columns(graph, und, comp, levels)
        pos = {n: (c * COLUMN, (i - (len(col) - 1) / 2) * ROW) for c, col in enumerate(cols) for i, n in enumerate(col)}
        height = (max(len(col) for col in cols) - 1) * ROW
        blocks.append((pos, (len(cols) - 1) * COLUMN, height))
    area = sum((w + GAP[0]) * (h + GAP[1]) for _p, w, h in blocks)
    row_width = max(math.sqrt(area * ASPECT), max((w for _p, w, _h in blocks), default=0.0))
    out: dict[str, tuple[float, float]] = {}
    x = y = row_h = 0.0
    for pos, w, h in blocks:
        if x > 0 and x + w > row_width:
            x, y, row_h = 0.0, y + row_h + GAP[1], 0.0
        for n, (px, py) in pos.items():
            out[n] = (round(x + px, 1), round(y + h / 2 + py, 1))
        x += w + GAP[0]
        row_h = max(row_h, h)
    return out
