"""A built graph prepared for the views: its networks and what a reader sees of each node.

:class:`Context` wraps a built graph and caches its networkx projections (:mod:`kg.query.network`),
enriched with what a reader needs in the details panel: every name of a node (Chinese and English
labels, aliases, short titles, numbers), its source items (document, line span, section, URL),
its links (homepage, see-also), the jurisdiction hierarchy and the source items of each
instrument relation.
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import TYPE_CHECKING

import networkx as nx
import pyoxigraph as ox

from ..errors import ViewError
from ..model.spec import model
from ..query.names import fold
from ..query.network import EDGES, NODES, assemble, edge_rows, node_attrs, row_key

if TYPE_CHECKING:  # pragma: no cover
    from ..query.graph import Graph

# the names of the nodes of the networks' classes (kg.query.network.NODES): a newsletter's new
# title touches none of the views' queries but DOCUMENTS (kg.rdf.patterns); NAMES_OF: the names of
# given nodes (an end of an edge that is of none of those classes, an "other" node)
_NAMES_BODY = """
  { VALUES ?p { rdfs:label skos:prefLabel skos:altLabel eli:id_local } ?node ?p ?name . }
  UNION { ?node eli:is_realized_by ?e . ?e eli:title|eli:title_short|eli:title_alternative ?name . }
  FILTER(isLiteral(?name))
"""
NAMES = ("SELECT ?node ?name WHERE {\n"
         "  VALUES ?class { kg:Authority kg:Instrument kg:EnforcementAction kg:Party kg:CourtCase }\n"
         "  ?node a ?class .\n" + _NAMES_BODY + "}")
NAMES_OF = "SELECT ?node ?name WHERE {" + _NAMES_BODY + "}"

# the label of each source's document is read from DOCUMENTS (a new title touches that query only)
SOURCES = """
SELECT ?node ?docid ?start ?end ?section ?url ?sourcename WHERE {
  ?node prov:wasDerivedFrom|dcterms:source ?item .
  ?item a kg:SourceItem ; dcterms:isPartOf ?doc .
  ?doc dcterms:identifier ?docid .
  OPTIONAL { ?item kg:lineStart ?start }
  OPTIONAL { ?item kg:lineEnd ?end }
  OPTIONAL { ?item kg:sectionPath ?section }
  OPTIONAL { ?item dcterms:source ?url }
  OPTIONAL { ?item kg:sourceName ?sourcename }
  FILTER NOT EXISTS { ?node a rdf:Statement }
}"""

STATEMENT_SOURCES = """
SELECT ?s ?p ?o ?docid ?start ?end ?section ?url WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?item .
  ?item dcterms:isPartOf ?doc .
  ?doc dcterms:identifier ?docid .
  OPTIONAL { ?item kg:lineStart ?start }
  OPTIONAL { ?item kg:lineEnd ?end }
  OPTIONAL { ?item kg:sectionPath ?section }
  OPTIONAL { ?item dcterms:source ?url }
}"""

LINKS = """
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
SELECT ?node ?link WHERE {
  ?node foaf:homepage|rdfs:seeAlso ?link .
  { ?node a kg:Authority } UNION { ?node a kg:Instrument }
}"""

EXTRA = """
SELECT ?node ?field ?value WHERE {
  { ?node kg:actionKind/skos:prefLabel ?value . FILTER(LANG(?value) = "zh") BIND("kinds" AS ?field) }
  UNION { ?node kg:violationType/skos:prefLabel ?value . FILTER(LANG(?value) = "zh") BIND("violations" AS ?field) }
  UNION { ?node eli:first_date_entry_in_force|kg:dateEntryInForceApprox ?value . BIND("in force" AS ?field) }
  UNION { ?node kg:consultationDeadline ?value . BIND("consultation until" AS ?field) }
  UNION { ?node kg:amountInvolved ?m . ?m kg:amountAsWritten ?value . BIND("amount involved" AS ?field) }
  UNION { ?node kg:targetCount ?value . BIND("targets" AS ?field) }
  UNION { ?node kg:confidence ?value . BIND("confidence" AS ?field) }
  UNION { ?node kg:needsReview true . BIND("needs review" AS ?field) BIND("yes" AS ?value) }
}"""

EXTRA_FIELDS = re.findall(r'BIND\("([^"]+)" AS \?field\)', EXTRA)

JURISDICTIONS = """
SELECT ?code ?zh ?en ?broader ?alt WHERE {
  ?j a kg:Jurisdiction ; skos:notation ?code .
  OPTIONAL { ?j skos:prefLabel ?zh . FILTER(LANG(?zh) = "zh") }
  OPTIONAL { ?j skos:prefLabel ?en . FILTER(LANG(?en) = "en") }
  OPTIONAL { ?j skos:broader/skos:notation ?broader }
  OPTIONAL { ?j skos:altLabel ?alt }
}"""

DOCUMENTS = """
SELECT ?doc ?id ?label ?date WHERE {
  ?doc a kg:SourceDocument ; dcterms:identifier ?id .
  OPTIONAL { ?doc rdfs:label ?label }
  OPTIONAL { ?doc dcterms:date ?date }
} ORDER BY ?id"""

# what each document reported: entities derived from its items, and the two ends of the relations
# (rdf:Statement) derived from them; two simple joins (one query with a UNION is far slower)
DOCUMENT_ENTITIES = """
SELECT ?doc ?node WHERE { ?node prov:wasDerivedFrom|dcterms:source ?item . ?item dcterms:isPartOf ?doc . }"""

DOCUMENT_RELATIONS = """
SELECT ?doc ?s ?o WHERE {
  ?st a rdf:Statement ; rdf:subject ?s ; rdf:object ?o ; prov:wasDerivedFrom ?item .
  ?item dcterms:isPartOf ?doc .
}"""


# every whole-graph query of the views, in the order they are read; their readers do not depend
# on the order of the rows, which Oxigraph gives in the order of its tables (other quads change it:
# a store loaded in another order, a rebuild's rows taken from the build before, kg.views.reuse).
# The networks' nodes and edges are read sorted (kg.query.network), each node's names, links and
# sources are sorted, the other fields, the jurisdictions and the documents' nodes are sets or sorted
ORDER_FREE = (NODES, *EDGES.values(), NAMES, DOCUMENTS, SOURCES, STATEMENT_SOURCES, LINKS, EXTRA, JURISDICTIONS,
              DOCUMENT_ENTITIES, DOCUMENT_RELATIONS)


def _short_relation_props() -> dict[str, str]:
    """Property IRI -> relation name of kg.network's lineage edges."""
    return {str(rt.prop): name for name, rt in model().relations.items()}


def _source(docid, doclabel, start, end, section, url, sourcename=None) -> dict:
    src = {"document": docid}
    if doclabel is not None:
        src["document_label"] = doclabel
    if start is not None:
        src["lines"] = f"{start}-{end}" if end is not None and end != start else start
    if section is not None:
        src["section"] = section
    if url is not None:
        src["url"] = url
    if sourcename is not None:
        src["source_name"] = sourcename
    return src


def jurisdiction_label(j: dict) -> str:
    """``CN-BJ 北京 / Beijing`` for a jurisdiction of :meth:`Context.jurisdictions`."""
    names = " / ".join(x for x in (j.get("zh"), j.get("en")) if x)
    return f"{j['code']} {names}" if names else j["code"]


def _relabel(src: dict, label: str | None) -> None:
    """A source (:func:`_source`) with its document's label ``label``, its keys in the same order."""
    rest = {k: v for k, v in src.items() if k not in ("document", "document_label")}
    document = src["document"]
    src.clear()
    src["document"] = document
    if label is not None:
        src["document_label"] = label
    src.update(rest)


def line_key(src: dict) -> tuple:
    first = str(src.get("lines", "0")).split("-")[0]
    return (src["document"], int(first) if first.isdigit() else 0)


def _source_order(src: dict) -> tuple:
    """:func:`line_key`, then every value: one order for any order the rows come in."""
    return (*line_key(src), sorted((k, str(v)) for k, v in src.items()))


def _in_source_order(sources) -> list[dict]:
    """The ``sources`` sorted by :func:`_source_order`."""
    out = list(sources)
    return sorted(out, key=_source_order) if len(out) > 1 else out


class Context:
    """A built graph with its networks and display data, computed once and shared by the views."""

    def __init__(self, g: Graph):
        self.g = g
        self._networks: dict[str, nx.MultiDiGraph] = {}
        self._jurisdictions: dict[str, dict] | None = None
        self._documents: list[dict] | None = None
        self._labels: dict[str, str] = {}  # document id -> label, made with _documents
        self._reported: dict[str, set[str]] | None = None
        self._edge_rows: dict[str, list[tuple[str, str, str]]] = {}
        self._issuers: dict[str, set[str]] | None = None
        # the ids of the documents whose records (label, date) a caller read since the last
        # track_documents() (None: the whole list): what a view made meanwhile depends on of them,
        # besides the labels its sources show (kg.views.defaults takes a page whose documents are
        # unchanged without making its view again)
        self.documents_read: set[str] | None = set()

    # ------------------------------------------------------------ lookups

    def prefetch(self) -> None:
        """Start the whole-graph queries of the networks and of what a reader sees of each node, in
        the order they are read (:meth:`kg.query.engines.Engine.prefetch`): for a caller that reads
        them all, such as the default views."""
        self.g.engine.prefetch(list(ORDER_FREE))

    def select(self, sparql: str, **bindings) -> list[list[str | None]]:
        """The rows of a SELECT, each term as its value (None when unbound)."""
        _cols, rows = self.g.engine.select_values(sparql, bindings)
        return rows

    def resolve(self, name: str, kind: str) -> str:
        """The IRI of the ``kind`` node (authority or instrument) a name, key or IRI names
        (:mod:`kg.query.names`: the resolver of ``kg query``). An unknown or ambiguous name raises
        :class:`~kg.errors.NameLookupError` (a :class:`ViewError`) listing the nearest names or the rivals."""
        from ..query.names import resolve

        text = (name or "").strip()
        iri = resolve(self.g.engine, text, kind)
        if self.network("all").nodes.get(iri, {}).get("type") != kind:
            raise ViewError(f"{text!r} is not an {kind} of the graph")
        return iri

    def jurisdictions(self) -> dict[str, dict]:
        """Jurisdiction code -> {"zh", "en", "alt", "broader", "ancestors"} (every code of the SKOS scheme)."""
        if self._jurisdictions is None:
            out: dict[str, dict] = {}
            for code, zh, en, broader, alt in sorted(self.select(JURISDICTIONS), key=row_key):
                j = out.setdefault(code, {"code": code, "alt": []})
                if alt is not None and alt not in j["alt"]:
                    j["alt"].append(alt)
                if zh is not None:
                    j.setdefault("zh", zh)
                if en is not None:
                    j.setdefault("en", en)
                if broader is not None:
                    j.setdefault("broader", broader)
            for code, j in out.items():
                chain, seen, cur = [], {code}, j.get("broader")
                while cur and cur not in seen:
                    chain.append(cur)
                    seen.add(cur)
                    cur = out.get(cur, {}).get("broader")
                j["ancestors"] = chain
            self._jurisdictions = out
        return self._jurisdictions

    def resolve_jurisdiction(self, value: str) -> str:
        """A jurisdiction code from a code or a Chinese or English name (preferred or alternative)."""
        text = value.strip()
        table = self.jurisdictions()
        if text in table:
            return text
        if text.upper() in table:
            return text.upper()
        folded = fold(text)
        hits = sorted(code for code, j in table.items()
                      if folded and folded in {fold(x) for x in (j.get("zh"), j.get("en"), *j["alt"]) if x})
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1:
            raise ViewError(f"jurisdiction {value!r} names several: "
                            + ", ".join(jurisdiction_label(table[c]) for c in hits) + " - pass a code")
        similar = sorted(code for code, j in table.items()
                         if folded and any(folded in fold(x) for x in (j.get("zh"), j.get("en"), *j["alt"]) if x))
        if similar:
            hint = "did you mean: " + ", ".join(jurisdiction_label(table[c]) for c in similar[:12])
        else:
            used = sorted({c for _n, c in self.network("enforcement").nodes(data="jurisdiction") if c})
            hint = "the jurisdictions with enforcement facts are: " + ", ".join(used)
        raise ViewError(f"no jurisdiction is called {value!r}; {hint}")

    def track_documents(self) -> None:
        """Note the documents read from now on (:attr:`documents_read`)."""
        self.documents_read = set()

    def documents(self) -> list[dict]:
        """The source documents: id, label, date, IRI (all read: :attr:`documents_read`)."""
        self.documents_read = None
        return self._all_documents()

    def _all_documents(self) -> list[dict]:
        """:meth:`documents`, for a use that is not a reader's (the labels of the sources)."""
        if self._documents is None:
            rows = self.select(DOCUMENTS)
            self._documents = [{"iri": d, "id": i, "label": lab if lab is not None else i, "date": date}
                               for d, i, lab, date in rows]
            self._labels = {i: lab for _d, i, lab, _date in rows if lab is not None}
        return self._documents

    def read_from(self, g: Graph) -> None:
        """Read from ``g`` from now on, the documents read again from it: the sources already read
        show the documents' new labels (a context begun on another build's rows whose change touched
        the documents only, :mod:`kg.views.early`)."""
        self.g = g
        before, self._documents = self._labels, None
        self._all_documents()
        changed = {d for d in before.keys() | self._labels.keys() if before.get(d) != self._labels.get(d)}
        if changed and hasattr(self, "_sources"):
            for sources in (*self._sources.values(), *self._edge_sources.values()):
                for src in sources:
                    if src["document"] in changed:
                        _relabel(src, self._labels.get(src["document"]))

    def document_labels(self) -> dict[str, str]:
        """Document id -> its label, for the documents that have one."""
        self._all_documents()
        return self._labels

    def reported(self, doc_iri: str) -> set[str]:
        """The nodes a document reported: derived from its items, or subject or object of a relation
        derived from them (all documents are read in one query, once)."""
        if self._reported is None:
            out: dict[str, set[str]] = defaultdict(set)
            for doc, node in self.select(DOCUMENT_ENTITIES):  # statements too: not in any network
                out[doc].add(node)
            for doc, subj, obj in self.select(DOCUMENT_RELATIONS):
                out[doc].update((subj, obj))
            self._reported = dict(out)
        return self._reported.get(doc_iri, set())

    def issuers(self, iri: str) -> set[str]:
        """The nodes with an ``issued`` edge to ``iri`` (all of them indexed once)."""
        if self._issuers is None:
            out: dict[str, set[str]] = defaultdict(set)
            for kind in EDGES:
                for s, o, rel in self._edges(kind):
                    if rel == "issued":
                        out[o].add(s)
            self._issuers = dict(out)
        return self._issuers.get(iri, set())

    def resolve_document(self, value: str) -> dict:
        """A document by id, IRI, label or a unique prefix of its id."""
        docs = self._all_documents()
        text = value.strip()
        hits = [d for d in docs if text in (d["id"], d["iri"], d["label"])][:1]
        if not hits:
            hits = [d for d in docs if d["id"].startswith(text)] if text else []
        if len(hits) == 1:
            if self.documents_read is not None:
                self.documents_read.add(hits[0]["id"])
            return hits[0]
        known = ", ".join(d["id"] for d in docs) or "none"
        if len(hits) > 1:
            raise ViewError(f"{value!r} names several documents: {', '.join(d['id'] for d in hits)}")
        raise ViewError(f"no document is called {value!r}; the documents are: {known}")

    # ------------------------------------------------------------ networks

    def network(self, kind: str = "all") -> nx.MultiDiGraph:
        """The kg.network projection ``kind``, every node and edge enriched for display (shared: copy
        before changing; the lists and dicts of the display data are shared between the networks)."""
        if kind not in self._networks:
            if kind == "all":
                net = assemble(node_attrs(self.g), [e for k in EDGES for e in self._edges(k)], "all")
                self._enrich(net)
            else:
                net = self._projection(kind)
            self._networks[kind] = net
        return self._networks[kind]

    def _edges(self, kind: str) -> list[tuple[str, str, str]]:
        """The edge rows of the network ``kind`` (queried once: "all" and the projection share them)."""
        if kind not in self._edge_rows:
            self._edge_rows[kind] = edge_rows(self.g, kind)
        return self._edge_rows[kind]

    def _projection(self, kind: str) -> nx.MultiDiGraph:
        """``g.to_networkx(kind)`` made from the "all" network (already enriched) and the edges of ``kind``
        (the node query, the costly part, runs once per Context instead of once per kind); same nodes,
        order and edges as :func:`kg.network.build_network`."""
        if kind not in EDGES:
            raise ViewError(f"unknown network {kind!r}: use one of all, {', '.join(EDGES)}")
        full = self.network("all")
        adj = full._adj  # networkx's adjacency dicts (read only): its views cost more than the lookup
        edges = self._edges(kind)
        used = {n for s, o, _r in edges for n in (s, o)}
        net = nx.MultiDiGraph()
        keep = [(n, a) for n, a in full.nodes(data=True)
                if n in used or (kind == "issuance" and a.get("type") in ("authority", "instrument"))]
        net.add_nodes_from(n for n, _a in keep)
        attrs = net.nodes
        for n, a in keep:
            attrs[n].update(a)
        for s, o, rel in edges:
            net.add_edge(s, o, key=rel, relation=rel, sources=adj[s][o][rel]["sources"])
        return net

    def _enrich(self, net: nx.MultiDiGraph) -> None:
        if not hasattr(self, "_names"):
            self._load_display_data(net)
        jur = self.jurisdictions()
        places: dict[str, tuple[list[str], dict[str, str]]] = {}  # the same lists and labels for every node of a place
        for n, a in net.nodes(data=True):
            a.setdefault("label", n)
            a["names"] = [x for x in self._names.get(n, []) if x != a["label"]]
            a["sources"] = list(self._sources.get(n, ()))
            a["links"] = self._links.get(n, [])
            a["extra"] = self._extra.get(n, {})
            if code := a.get("jurisdiction"):
                if code not in places:
                    chain = [code, *jur.get(code, {}).get("ancestors", [])]
                    places[code] = chain, {c: jurisdiction_label(jur.get(c, {"code": c})) for c in chain}
                a["jurisdictions"], a["jurisdiction_labels"] = places[code]
        edge_sources = self._edge_sources
        for s, ends in net._adj.items():  # networkx's adjacency dicts: its edge views cost more
            for o, keyed in ends.items():
                for a in keyed.values():
                    a["sources"] = list(edge_sources.get((s, a["relation"], o), ()))

    def _load_display_data(self, net: nx.MultiDiGraph) -> None:
        """What a reader sees of each node and edge (names, sources, links, more fields); ``net``: the
        network "all", whose "other" nodes' names are looked up by IRI."""
        # each node's values once, sorted: the same whatever order the rows come in (ORDER_FREE)
        names: dict[str, dict[str, None]] = defaultdict(dict)
        for node, name in self.select(NAMES):
            names[node][name] = None
        if others := [ox.NamedNode(n) for n, a in net.nodes(data=True) if a.get("type") == "other"]:
            for node, name in self.select(NAMES_OF, node=others):
                names[node][name] = None
        self._names = {n: sorted(d) for n, d in names.items()}
        labels = self.document_labels()
        sources: dict[str, dict[tuple, dict]] = defaultdict(dict)
        for node, docid, *rest in self.select(SOURCES):
            src = _source(docid, labels.get(docid), *rest)
            sources[node].setdefault(tuple(src.items()), src)
        self._sources = {n: _in_source_order(d.values()) for n, d in sources.items()}
        rel_names = _short_relation_props()
        edge_sources: dict[tuple, dict[tuple, dict]] = defaultdict(dict)
        for s, p, o, docid, *rest in self.select(STATEMENT_SOURCES):
            rel = rel_names.get(p)
            if rel is None:
                continue
            src = _source(docid, labels.get(docid), *rest)
            edge_sources[(s, rel, o)].setdefault(tuple(src.items()), src)
        self._edge_sources = {e: _in_source_order(d.values()) for e, d in edge_sources.items()}
        links: dict[str, dict[str, None]] = defaultdict(dict)
        for node, link in self.select(LINKS):
            links[node][link] = None
        self._links = {n: sorted(d) for n, d in links.items()}
        extra: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for node, name, value in self.select(EXTRA):
            extra[node][name].add(value)
        # the fields in the order of the query (the rows of its UNION come in no fixed order)
        self._extra = {n: {k: sorted(d[k]) for k in EXTRA_FIELDS if k in d} for n, d in extra.items()}


# ---------------------------------------------------------------- helpers


