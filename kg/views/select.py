"""The networks behind the views: which nodes and edges each view shows.

Each ``*_view`` function returns a :class:`View`: a networkx MultiDiGraph plus a
title, notes (e.g. what was cut) and layout hints; :mod:`kg.views.render` turns it
into HTML.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import networkx as nx

from ..errors import ViewError
from .context import Context
from .layout import undirected

if TYPE_CHECKING:  # pragma: no cover
    pass


TYPE_NAMES = {"authority": "authorities", "instrument": "instruments", "action": "enforcement actions",
              "case": "court cases", "party": "parties", "document": "documents", "other": "other nodes"}

@dataclass
class View:
    """What one view shows."""

    name: str
    title: str
    graph: nx.MultiDiGraph
    subtitle: str = ""
    notes: list[str] = field(default_factory=list)
    focus: str | None = None
    layout: str = "auto"  # "auto" (physics, or precomputed above the size limit) or "time" (left to right)
    size_by: str = "degree"  # node attribute "score" is filled from this: degree or pagerank

    @property
    def counts(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for _n, t in self.graph.nodes(data="type"):
            out[t or "other"] += 1
        return dict(out)


def _subgraph(net: nx.MultiDiGraph, nodes) -> nx.MultiDiGraph:
    """An independent copy of the induced subgraph (node and edge attribute dicts copied), its nodes and
    edges in the order of ``net`` (read through networkx's adjacency dicts: its views cost more than
    the copy; a few nodes of a large network are put in its order by their places in it, not by a
    walk over all of it)."""
    sub = nx.MultiDiGraph()
    wanted = set(nodes)
    if len(wanted) * 8 < len(net):
        place = _places(net)
        keep = sorted((n for n in wanted if n in place), key=place.__getitem__)
    else:
        keep = [n for n in net if n in wanted]
    sub.add_nodes_from(keep)
    attrs, sub_attrs = net.nodes, sub.nodes
    for n in keep:
        sub_attrs[n].update(attrs[n])
    kept = set(keep)
    adj = net._adj
    for s in keep:
        for o, kd in adj[s].items():
            if o in kept:
                for k, a in kd.items():
                    sub.add_edge(s, o, k, **a)
    return sub


_PLACES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _places(net: nx.MultiDiGraph) -> dict:
    """Node -> its place in the order of ``net``, made once for a network that is not changed after
    (the networks a :class:`Context` shares), and let go with it."""
    places = _PLACES.get(net)
    if places is None or len(places) != len(net):
        places = _PLACES[net] = {n: i for i, n in enumerate(net)}
    return places


def _score_by_degree(sub: nx.MultiDiGraph) -> None:
    """Each node's ``score``: its number of links in ``sub``."""
    attrs = sub.nodes
    for n, degree in sub.degree():
        attrs[n]["score"] = float(degree)


def _label(net: nx.MultiDiGraph, node: str) -> str:
    return net.nodes[node].get("label", node)


def scores(graph: nx.MultiDiGraph, by: str) -> dict[str, float]:
    """Node importance: ``degree`` (number of links) or ``pagerank`` (on the undirected graph)."""
    if by not in ("degree", "pagerank"):
        raise ViewError(f"size by degree or pagerank, not {by!r}")
    if graph.number_of_nodes() == 0:
        return {}
    if by == "degree":
        return {n: float(d) for n, d in graph.degree()}
    return pagerank(undirected(graph))


def pagerank(graph: nx.Graph, alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 200) -> dict[str, float]:
    """PageRank by power iteration on an undirected graph, each step one ``numpy.bincount`` of the
    neighbours' shares (networkx's own needs scipy, which regkg does not depend on; at 1M triples,
    on the 9,118 nodes of the overview's network, 0.32 s in Python, 0.03 s so); the same values as
    :func:`networkx.pagerank` within ``tol``."""
    import numpy as np

    nodes = list(graph)
    n = len(nodes)
    if n == 0:
        return {}
    index = {v: i for i, v in enumerate(nodes)}
    adj = graph._adj  # networkx's adjacency dicts (read only): its views cost more
    degree = np.fromiter((len(adj[v]) for v in nodes), dtype=np.intp, count=n)
    into = np.repeat(np.arange(n), degree)  # the node each neighbour's share goes to
    share_of = np.fromiter((index[u] for v in nodes for u in adj[v]), dtype=np.intp, count=int(degree.sum()))
    isolated = degree == 0
    divisors = np.where(isolated, 1, degree)  # the share of an isolated node is nobody's: never read
    rank = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        base = (1 - alpha) / n + alpha * rank[isolated].sum() / n
        new = base + alpha * np.bincount(into, weights=(rank / divisors)[share_of], minlength=n)
        done = np.abs(new - rank).sum() < n * tol
        rank = new
        if done:
            break
    return dict(zip(nodes, rank.tolist(), strict=True))


# ---------------------------------------------------------------- the views


def overview_view(ctx: Context, size_by: str = "pagerank", top: int | None = 200) -> View:
    """Authorities and instruments (issued, sub-body of), sized by degree or PageRank; capped to the
    ``top`` most important nodes (None or 0: all) with a note saying what was cut."""
    net = ctx.network("issuance")
    score = scores(net, size_by)
    ranked = sorted(net, key=lambda n: (-score.get(n, 0.0), _label(net, n), n))
    notes = []
    keep = ranked
    if top and len(ranked) > top:
        keep = ranked[:top]
        cut = ranked[top:]
        by_type: dict[str, int] = defaultdict(int)
        for n in cut:
            by_type[net.nodes[n].get("type", "other")] += 1
        parts = ", ".join(f"{v} {TYPE_NAMES.get(t, t)}" for t, v in sorted(by_type.items()))
        isolated = sum(1 for n in cut if net.degree(n) == 0)
        metric = "PageRank" if size_by == "pagerank" else "degree"
        notes.append(f"Showing the top {top} of {len(ranked)} nodes by {metric}; {len(cut)} cut ({parts})"
                     + (f", {isolated} of them without any link" if isolated else "")
                     + ". Use `kg view overview --top 0` for all.")
    sub = _subgraph(net, keep)
    for n in sub:
        sub.nodes[n]["score"] = score.get(n, 0.0)
    title = "Overview: authorities and instruments"
    subtitle = f"who issued what and which body belongs to which; size = {size_by}, colour = type"
    return View("overview", title, sub, subtitle, notes, size_by=size_by)


def authority_view(ctx: Context, name: str, depth: int = 1) -> View:
    """The ego network of an authority: what it issued and with whom (co-issuers), its parent and
    sub-bodies, its enforcement actions and their targets, up to ``depth`` links away."""
    if depth < 1:
        raise ViewError("--depth must be 1 or more")
    iri = ctx.resolve(name, "authority")
    net = ctx.network("all")
    if iri not in net:
        raise ViewError(f"{name!r} is not in the network")
    und = net.to_undirected(as_view=True)
    # the nodes of nx.ego_graph(und, iri, depth), without the copy of the whole network it makes
    keep = set(nx.single_source_shortest_path_length(und, iri, cutoff=depth))
    # co-issuers of what it issued and the targets of its actions, at any depth
    for _s, o, rel in net.out_edges(iri, data="relation"):
        if rel == "issued":
            keep.update(p for p, _o, r in net.in_edges(o, data="relation") if r == "issued")
        elif rel == "acted":
            keep.update(t for _a, t in net.out_edges(o))
    sub = _subgraph(net, keep)
    _score_by_degree(sub)
    label = _label(net, iri)
    counts: dict[str, int] = defaultdict(int)
    for _s, _o, rel in net.out_edges(iri, data="relation"):
        counts[rel] += 1
    counts["sub-bodies"] = sum(1 for _s, _o, r in net.in_edges(iri, data="relation") if r == "part-of")
    summary = ", ".join(f"{v} {k}" for k, v in (("issued", counts["issued"]), ("actions", counts["acted"]),
                                                 ("cases decided", counts["decided"]),
                                                 ("sub-bodies", counts["sub-bodies"])) if v)
    return View("authority", f"Authority: {label}", sub,
                f"{summary or 'no links'}; depth {depth}, with co-issuers and the targets of its actions",
                focus=iri)


def lineage_view(ctx: Context, name: str | None = None) -> View:
    """The chain of relations (amends, replaces, implements, based on, cites …) around an instrument or
    standard, directed, laid out in time order; without a name, every chain."""
    net = ctx.network("lineage")
    if name:
        iri = ctx.resolve(name, "instrument")
        full = ctx.network("all")
        if iri not in net:
            label = _label(full, iri) if iri in full else name
            raise ViewError(f"{label!r} has no amends / replaces / implements / based-on / cites relation")
        nodes = nx.node_connected_component(net.to_undirected(as_view=True), iri)
        sub = _subgraph(net, nodes)
        number = net.nodes[iri].get("number")
        label = _label(net, iri)
        title = f"Lineage: {number} {label}" if number and number not in label else f"Lineage: {label}"
        focus = iri
    else:
        sub = _subgraph(net, net.nodes)
        title = "Lineage of instruments and standards"
        focus = None
    _score_by_degree(sub)
    dated = sum(1 for _n, d in sub.nodes(data="date") if d)
    subtitle = (f"{sub.number_of_nodes()} instruments, {sub.number_of_edges()} relations; left to right in time "
                f"order ({dated} dated, the others placed by their relations); an arrow points from the newer text "
                "to the one it amends, replaces, implements, is based on or cites")
    return View("lineage", title, sub, subtitle, focus=focus, layout="time")


def _node_jurisdictions(net: nx.MultiDiGraph, node: str) -> set[str]:
    return set(net.nodes[node].get("jurisdictions", []))


def enforcement_view(ctx: Context, jurisdiction: str | None = None) -> View:
    """Authorities -> enforcement actions -> targets, with the laws applied (legal basis) and court cases;
    optionally only the actions and cases of one jurisdiction (its sub-divisions included)."""
    net = ctx.network("enforcement")
    code = ctx.resolve_jurisdiction(jurisdiction) if jurisdiction else None
    acts = [n for n, t in net.nodes(data="type") if t in ("action", "case")]
    if code:
        chosen = []
        for a in acts:
            jurs = _node_jurisdictions(net, a)
            if not jurs:  # an action without a place: the place of the authorities behind it
                for s, _o, rel in net.in_edges(a, data="relation"):
                    if rel in ("acted", "decided"):
                        jurs |= _node_jurisdictions(net, s)
            if code in jurs:
                chosen.append(a)
        if not chosen:
            j = ctx.jurisdictions()[code]
            raise ViewError(f"no enforcement action or court case in {code} ({j.get('zh') or j.get('en') or code})")
        acts = chosen
    keep = set(acts)
    for a in acts:
        keep.update(net.predecessors(a))
        keep.update(net.successors(a))
    sub = _subgraph(net, keep)
    _score_by_degree(sub)
    n_actions = sum(1 for n in acts if net.nodes[n].get("type") == "action")
    n_cases = len(acts) - n_actions
    where = ""
    if code:
        j = ctx.jurisdictions()[code]
        where = f" in {code}" + (f" ({j['zh']})" if j.get("zh") else "")
    title = "Enforcement" + where
    subtitle = (f"{n_actions} enforcement actions and {n_cases} court cases: authority -> action -> target, "
                "action -> law applied (legal basis)")
    return View("enforcement", title, sub, subtitle)


def document_view(ctx: Context, doc_id: str) -> View:
    """Everything one newsletter reported: the authorities, instruments, relations, actions and cases derived
    from its items, with the targets, parties, issuers and laws they link to."""
    doc = ctx.resolve_document(doc_id)
    reported = ctx.reported(doc["iri"])
    net = ctx.network("all")
    seeds = {n for n in reported if n in net}
    keep = set(seeds)
    for n in seeds:
        t = net.nodes[n].get("type")
        if t in ("action", "case"):
            keep.update(net.predecessors(n))
            keep.update(net.successors(n))
        elif t == "instrument":
            keep.update(ctx.issuers(n))
    sub = _subgraph(net, keep)
    own = doc["id"]
    for n, degree in sub.degree():
        a = sub.nodes[n]
        a["score"] = float(degree)
        a["reported"] = n in seeds
        # only what this document reported comes first in the details panel's provenance (the sources are
        # in line_key order already: a stable partition keeps it on either side)
        srcs = a.get("sources", [])
        a["sources"] = [s for s in srcs if s["document"] == own] + [s for s in srcs if s["document"] != own]
    if not seeds:
        notes = ["This document reported nothing that is in the graph."]
    else:
        notes = [f"{len(seeds)} nodes were reported by this document; the other {len(keep) - len(seeds)} are "
                 "what they link to (issuers, targets, parties, laws applied)."]
    title = f"Document: {doc['label']}"
    subtitle = f"{doc['id']}" + (f", {doc['date']}" if doc["date"] else "") + ": everything this newsletter reported"
    return View("document", title, sub, subtitle, notes)


# ---------------------------------------------------------------- what the default set shows


def most_active_authority(ctx: Context) -> str | None:
    """The authority with the most links out (issued, acted, decided; ties: the label), or None."""
    net = ctx.network("all")
    best = None
    for n, t in net.nodes(data="type"):
        if t != "authority":
            continue
        n_out = sum(1 for _s, _o, rel in net.out_edges(n, data="relation") if rel in ("issued", "acted", "decided"))
        key = (-n_out, _label(net, n), n)
        if n_out and (best is None or key < best):
            best = key
    return best[2] if best else None


def is_standard(attrs: dict) -> bool:
    """Whether a node is a standard (national, industry, international … standard)."""
    return attrs.get("type") == "instrument" and str(attrs.get("kind", "")).endswith("standard")


def lineage_seeds(ctx: Context) -> list[str]:
    """One instrument per chain of the lineage network that holds a standard: the standard with the
    most relations in it (ties: the number), the largest chains first."""
    net = ctx.network("lineage")
    und = net.to_undirected(as_view=True)
    seeds = []
    for comp in nx.connected_components(und):
        standards = [n for n in comp if is_standard(net.nodes[n])]
        if not standards:
            continue
        best = min(standards, key=lambda n: (-net.degree(n), net.nodes[n].get("number") or _label(net, n), n))
        seeds.append((-len(comp), net.nodes[best].get("number") or _label(net, best), best))
    return [s for *_k, s in sorted(seeds)]
