"""What a view shows on first open: the order of importance of its nodes (whose labels are drawn
first) and, for a large view, which nodes start folded into clusters and under which name.

A view of more than :data:`FOLD_ABOVE` nodes opens folded: its :data:`KEEP_TOP` most important
nodes stay in sight and every other node is folded into the cluster of its place (its
jurisdiction at province or country level; a node without one takes the place most of its
neighbours have). Small places are merged into their country's "other places", then small
countries into "other jurisdictions", until at most :data:`MAX_PLACES` places are left; a place of
more than :data:`SPLIT_ABOVE` nodes is split by node type. The page folds each group with
vis-network's clustering API and unfolds a cluster on double-click (:mod:`kg.views.assets`).
"""

from __future__ import annotations

from collections import Counter, defaultdict

import networkx as nx

FOLD_ABOVE = 150  # nodes; a larger view opens folded
KEEP_TOP = 20  # the most important nodes of a folded view stay in sight
MAX_PLACES = 12  # places kept apart before the split by type
SPLIT_ABOVE = 40  # nodes; a larger place is split by node type
UNKNOWN = "?"  # the place of a node neither it nor its neighbours have a jurisdiction for
OTHER = "*"  # the place "other jurisdictions"

TYPE_NAMES = {"authority": ("authorities", "机构"), "instrument": ("instruments", "文件"),
              "action": ("enforcement actions", "执法行动"), "case": ("court cases", "司法案例"),
              "party": ("parties", "当事方"), "document": ("newsletters", "资讯"), "other": ("other", "其他")}


def importance(graph: nx.MultiDiGraph) -> list[str]:
    """The nodes, most important first: by the view's score (PageRank or degree), then degree,
    then label."""
    attrs, degree = graph.nodes, _degrees(graph)
    return sorted(graph, key=lambda n: (-float(attrs[n].get("score", 0.0)), -degree[n],
                                        str(attrs[n].get("label", n)), n))


def _degrees(graph: nx.MultiDiGraph) -> dict[str, int]:
    """Each node's number of links in and out, as ``graph.degree()`` counts them (a loop twice), read
    through networkx's adjacency dicts (its degree view costs several times more)."""
    succ, pred = graph._succ, graph._pred
    return {n: sum(map(len, succ[n].values())) + sum(map(len, pred[n].values())) for n in graph}


def _own_place(attrs: dict) -> tuple[str, str] | None:
    """(place, country) of a node from its jurisdiction chain (own code first, country last):
    the province for a city, the code itself for a province or a country."""
    chain = attrs.get("jurisdictions") or []
    if not chain:
        return None
    return (chain[-2] if len(chain) >= 2 else chain[-1]), chain[-1]


def places(graph: nx.MultiDiGraph) -> dict[str, tuple[str, str]]:
    """(place, country) of every node; a node without a jurisdiction takes the most common place of
    its neighbours (ties: the first code), else :data:`UNKNOWN`."""
    out = {n: p for n in graph if (p := _own_place(graph.nodes[n])) is not None}
    und = graph.to_undirected(as_view=True)
    for n in graph:
        if n in out:
            continue
        near = Counter(out[m] for m in und.neighbors(n) if m in out)
        best = min(near.items(), key=lambda kv: (-kv[1], kv[0]), default=None)
        out[n] = best[0] if best else (UNKNOWN, UNKNOWN)
    return out


def _parent(key: str, country: dict[str, str]) -> str | None:
    """The group a place is merged into: a province into its country's other places (``CN/*``),
    a country or a country's other places into :data:`OTHER`; None for :data:`OTHER` itself."""
    if key == OTHER:
        return None
    if key.endswith("/*") or key == country.get(key, key):
        return OTHER
    return f"{country[key]}/*"


def fold_groups(graph: nx.MultiDiGraph, order: list[str], focus: str | None = None) -> dict[str, str]:
    """node -> group key of the nodes a large view opens folded (empty for a view of at most
    :data:`FOLD_ABOVE` nodes). Keys: a place (``CN-SH``), a country's other places (``CN/*``),
    :data:`OTHER` or :data:`UNKNOWN`, with ``|type`` when the place is split by node type."""
    if graph.number_of_nodes() <= FOLD_ABOVE:
        return {}
    keep = set(order[:KEEP_TOP]) | ({focus} if focus else set())
    where = places(graph)
    country = {p: c for p, c in where.values()}
    members: dict[str, list[str]] = defaultdict(list)
    for n in order:
        if n not in keep:
            members[where[n][0]].append(n)
    while True:
        mergeable = [k for k in members if _parent(k, country) is not None]
        small = [k for k in mergeable if len(members[k]) < 2]
        if not small and len(members) <= MAX_PLACES:
            break
        pick = small or mergeable
        if not pick:
            break
        key = min(pick, key=lambda k: (len(members[k]), k))
        members[_parent(key, country)].extend(members.pop(key))
    out: dict[str, str] = {}
    for key, nodes in members.items():
        split = len(nodes) > SPLIT_ABOVE
        for n in nodes:
            out[n] = f"{key}|{graph.nodes[n].get('type') or 'other'}" if split else key
    sizes = Counter(out.values())
    return {n: k for n, k in out.items() if sizes[k] >= 2}  # a group of one stays in sight


def _names(graph: nx.MultiDiGraph) -> dict[str, tuple[str, str]]:
    """code -> (short name ``CN-SH 上海市``, full name ``CN-SH 上海市 / Shanghai Shi``) of the
    jurisdictions in the graph (from the nodes' ``jurisdiction_labels``)."""
    out: dict[str, tuple[str, str]] = {}
    for _n, labels in graph.nodes(data="jurisdiction_labels"):
        for code, full in (labels or {}).items():
            out.setdefault(code, (full.split(" / ")[0], full))
    return out


def group_names(graph: nx.MultiDiGraph, keys) -> dict[str, dict[str, str]]:
    """group key -> {"label": the short name drawn on the cluster, "name": the full name for its
    tooltip and details}."""
    names = _names(graph)
    out = {}
    for key in sorted(set(keys)):
        place, _bar, typ = key.partition("|")
        if place == OTHER:
            short, full = "other 其他", "other jurisdictions 其他法域"
        elif place == UNKNOWN:
            short, full = "no place 未知法域", "no jurisdiction known 未知法域"
        elif place.endswith("/*"):
            code = place[:-2]
            base = names.get(code, (code, code))
            short, full = f"{code} 其他地区", f"{base[1]}: other places 其他地区"
        else:
            short, full = names.get(place, (place, place))
        if typ:
            en, zh = TYPE_NAMES.get(typ, (typ, typ))
            short, full = f"{short} {zh}", f"{full}: {en} {zh}"
        out[key] = {"label": short, "name": full}
    return out
