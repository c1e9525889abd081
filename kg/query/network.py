"""networkx projections of the graph (for views, metrics and notebooks).

Nodes are entity IRIs with attributes ``label``, ``type`` (authority, instrument, action,
party, case, document), ``kind``, ``jurisdiction``, ``year`` and a ``details`` dict for
display; edges carry a ``relation`` (issued, co-issued, amends, replaces, based-on, cites,
implements, …, acted, target, legal-basis, decided, party, part-of, reported).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx

from ..model.spec import NETWORKS, model

if TYPE_CHECKING:  # pragma: no cover
    from .graph import Graph

NODES = """
SELECT ?node ?type ?label ?kind ?jur ?date ?number ?status ?amount ?currency ?written WHERE {
  VALUES (?class ?type) { (kg:Authority "authority") (kg:Instrument "instrument") (kg:EnforcementAction "action")
                          (kg:Party "party") (kg:CourtCase "case") }
  ?node a ?class .
  OPTIONAL { ?node rdfs:label ?label }
  OPTIONAL { ?node kg:authorityKind|kg:instrumentType|kg:partyKind|kg:outcome ?k . ?k skos:notation ?kind }
  OPTIONAL { ?node dcterms:spatial ?j . ?j skos:notation ?jur }
  OPTIONAL { ?node eli:date_document|kg:dateDocumentApprox|dcterms:date ?date }
  OPTIONAL { ?node eli:id_local ?number }
  OPTIONAL { ?node kg:status ?s . ?s skos:notation ?status }
  OPTIONAL { ?node kg:penalty|kg:damages ?m . ?m schema:value ?amount ; schema:currency ?currency .
             OPTIONAL { ?m kg:amountAsWritten ?written } }
}"""

def _edge_query(network: str) -> str:
    """SELECT ?s ?o ?rel of one network, from the fields the model draws as its edges (and, for
    lineage, the relation types the model marks as lineage)."""
    m = model()
    if network == "lineage":
        values = " ".join(f'(<{rt.prop}> "{rt.name}")' for rt in m.relations.values() if rt.lineage)
        return ("SELECT ?s ?o ?rel WHERE {\n  VALUES (?p ?rel) { " + values + " }\n  ?s ?p ?o .\n"
                "  ?s a kg:Instrument . ?o a kg:Instrument .\n}")
    parts = []
    for kind, f in m.edges(network):
        prop = f"<{f.prop}>"
        s, o = ("?o", "?s") if f.edge.reverse else ("?s", "?o")
        parts.append(f'{{ {s} a <{kind.cls}> ; {prop} {o} . BIND("{f.edge.name}" AS ?rel) }}')
    return "SELECT ?s ?o ?rel WHERE {\n  " + "\n  UNION ".join(parts) + "\n}"


EDGES = {network: _edge_query(network) for network in NETWORKS}


def build_network(g: Graph, kind: str = "all") -> nx.MultiDiGraph:
    """A networkx projection of ``kind`` (issuance, lineage, enforcement or all)."""
    kinds = list(EDGES) if kind == "all" else [kind]
    if any(k not in EDGES for k in kinds):
        raise ValueError(f"unknown network {kind!r}: use one of all, {', '.join(EDGES)}")
    attrs = node_attrs(g)
    return assemble(attrs, [e for k in kinds for e in edge_rows(g, k)], kind)


def node_attrs(g: Graph) -> dict[str, dict]:
    """IRI -> attributes of every node the networks draw, in the order of its rows sorted (the first
    value of each attribute in that order, when a node has several)."""
    _cols, rows = g.engine.select_values(NODES, {})
    attrs: dict[str, dict] = {}
    for node, typ, label, k, jur, date, number, status, amount, currency, written in sorted(rows, key=row_key):
        a = attrs.setdefault(node, {"type": typ, "label": label if label is not None else node, "details": {}})
        for name, value in (("kind", k), ("jurisdiction", jur), ("number", number), ("status", status),
                            ("currency", currency)):
            if value is not None and name not in a:
                a[name] = value
        if date is not None and "date" not in a:
            a["date"] = date
            a["year"] = int(date[:4])
        if amount is not None and "amount" not in a:
            a["amount"] = amount
            a["amount_text"] = written if written is not None else f"{amount} {currency}"
    return attrs


def edge_rows(g: Graph, kind: str) -> list[tuple[str, str, str]]:
    """(subject, object, relation) of the edges of the network ``kind`` (not "all"), sorted."""
    _cols, rows = g.engine.select_values(EDGES[kind], {})
    return sorted((s, o, rel) for s, o, rel in rows)


def row_key(row: list[str | None]) -> tuple:
    """A sort key of a row of values (None, unbound, first): rows read in this order make the same
    network whatever order the store gives them in (Oxigraph's follows its tables, which other quads
    change; the layouts follow the order of the nodes)."""
    return tuple((v is not None, v or "") for v in row)


def assemble(attrs: dict[str, dict], edges: list[tuple[str, str, str]], kind: str) -> nx.MultiDiGraph:
    """The network ``kind`` of the nodes of :func:`node_attrs` and the edges of its kinds: the nodes
    at an end of an edge (every node for "all", every authority and instrument for "issuance"),
    then the edges; an end the node query does not know is an "other" node."""
    net = nx.MultiDiGraph()
    used = {n for s, o, _r in edges for n in (s, o)}
    for node, a in attrs.items():
        if node in used or kind == "all" or (kind == "issuance" and a["type"] in ("authority", "instrument")):
            net.add_node(node, **a)
    for s, o, rel in edges:
        for n in (s, o):
            if n not in net:
                net.add_node(n, type="other", label=n.rsplit("/", 1)[-1], details={})
        net.add_edge(s, o, key=rel, relation=rel)
    return net
