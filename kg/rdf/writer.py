"""Facts -> RDF quads: the only module that knows both the fact model and the RDF terms.

Layout of the dataset:

- ``graph/ontology``: the ontology and SKOS vocabularies;
- ``graph/registry``: every authority, instrument, party and article with its
  merged values (curated registry first, then what the documents add), the
  relations between instruments, and the exchange rates;
- ``graph/doc/<id>``: what only one newsletter contributes: its document and
  items, the ``prov:wasDerivedFrom`` links from entities to those items, the
  provenance of each relation (a reified ``rdf:Statement``), and the
  enforcement actions and court cases it reports.

The graphs are disjoint: a triple is written to one graph only, so queries on
the union default graph (a multiset in Oxigraph and most servers) see each
fact once. Super-classes and the standard super-properties of own properties
are materialised, so a plain SPARQL user needs neither the ontology nor a
reasoner.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from ..facts.dataset import Action, Case, Dataset, Instrument, LegalBasisRef
from ..facts.values import Amount, PDate
from ..model import vocabularies as ontology
from ..model.ids import iri_path, mint, short_hash
from ..model.terms import (
    ELI,
    ELI_IN_FORCE,
    ELI_NOT_IN_FORCE,
    ID,
    KG,
    ONTOLOGY_GRAPH,
    ORG,
    PARTY_ROLES,
    REGISTRY_GRAPH,
    RELATIONS,
    SCHEMA,
    document_graph,
)
from ..model.vocabularies import vocabulary

Quad = tuple[URIRef | BNode, URIRef, URIRef | Literal | BNode, URIRef]

_CJK = re.compile(r"[\u3400-\u9fff]")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")

# super-classes written beside each own class
CLASS_TYPES = {
    "authority": (KG.Authority, ORG.Organization),
    "instrument": (KG.Instrument, ELI.LegalResource),
    "action": (KG.EnforcementAction, PROV.Activity),
    "case": (KG.CourtCase, PROV.Activity),
    "party": (KG.Party, PROV.Agent),
    "document": (KG.SourceDocument, PROV.Entity),
    "item": (KG.SourceItem, PROV.Entity),
}


def lang_literal(text: str) -> Literal:
    """A literal tagged ``zh`` when it holds Chinese characters, else ``en``."""
    return Literal(text, lang="zh" if _CJK.search(text) else "en")


def date_literal(d: PDate) -> Literal:
    """``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` after the date's precision."""
    dtype = {"day": XSD.date, "month": XSD.gYearMonth, "year": XSD.gYear}[d.precision]
    return Literal(d.text, datatype=dtype)


def decimal_literal(x: float) -> Literal:
    """An ``xsd:decimal`` literal for a confidence (rdflib would keep a float's value)."""
    return Literal(format(round(float(x), 4), "f").rstrip("0").rstrip(".") or "0", datatype=XSD.decimal)


def url_term(url: str) -> URIRef | Literal:
    """An IRI for a well-formed http(s) URL, else a plain literal."""
    url = url.strip()
    return URIRef(url) if _URL.match(url) else Literal(url)


def concept(name: str, notation: str) -> URIRef:
    """The IRI of a vocabulary concept."""
    return vocabulary(name).iri(notation)


def authority_iri(key: str) -> URIRef:
    """The IRI of an authority."""
    return mint("authority", key)


def instrument_iri(key: str) -> URIRef:
    """The IRI of an instrument."""
    return mint("instrument", key)


def provision_iri(key: str, article: int) -> URIRef:
    """The IRI of one article of an instrument."""
    return mint("instrument", f"{key}/art/{article}")


def party_iri(key: str) -> URIRef:
    """The IRI of a party."""
    return mint("party", key)


def document_iri(doc_id: str) -> URIRef:
    """The IRI of a source document."""
    return mint("document", doc_id)


def item_iri(doc_id: str, item_id: str) -> URIRef:
    """The IRI of a source item."""
    return URIRef(f"{document_iri(doc_id)}/item/{iri_path(item_id)}")


def action_iri(doc_id: str, action_id: str) -> URIRef:
    """The IRI of an enforcement action."""
    return mint("action", f"{doc_id}/{action_id}")


def case_iri(doc_id: str, case_id: str) -> URIRef:
    """The IRI of a court case."""
    return mint("case", f"{doc_id}/{case_id}")


class Emitter:
    """Collects quads in a stable order, each triple in one graph only (the first it was given)."""

    def __init__(self) -> None:
        self.quads: dict[Quad, None] = {}
        self._triples: set[tuple] = set()

    def add(self, g: URIRef, s, p, o) -> None:
        """Add one quad (``o`` None is ignored; a triple already in some graph is not repeated)."""
        if o is not None and (s, p, o) not in self._triples:
            self._triples.add((s, p, o))
            self.quads[(s, p, o, g)] = None

    def types(self, g: URIRef, s, kind: str) -> None:
        """``s`` a kind's class and its standard super-class."""
        for cls in CLASS_TYPES[kind]:
            self.add(g, s, RDF.type, cls)


class Writer:
    """Turns a :class:`Dataset` into quads."""

    def __init__(self, ds: Dataset):
        self.ds = ds
        self.out = Emitter()

    # ------------------------------------------------------------ entities

    def authority(self, key: str) -> URIRef:
        """Describe an authority in the registry graph (once) and link it to its source items."""
        g = REGISTRY_GRAPH
        auth = self.ds.registry.authorities[key]
        s = authority_iri(key)
        e = self.out
        e.types(g, s, "authority")
        e.add(g, s, RDFS.label, lang_literal(auth.name))
        e.add(g, s, SKOS.prefLabel, lang_literal(auth.name))
        if auth.name_en:
            e.add(g, s, SKOS.prefLabel, Literal(auth.name_en, lang="en"))
        for alias in auth.aliases:
            if alias not in (auth.name, auth.name_en):
                e.add(g, s, SKOS.altLabel, lang_literal(alias))
        e.add(g, s, KG.authorityKind, concept("authority_kind", auth.kind))
        e.add(g, s, DCTERMS.spatial, concept("jurisdiction", auth.jurisdiction))
        if auth.parent:
            e.add(g, s, ORG.subOrganizationOf, authority_iri(auth.parent))
        if auth.homepage:
            e.add(g, s, FOAF.homepage, url_term(auth.homepage))
        if auth.review:
            e.add(g, s, KG.needsReview, Literal(True))
        for doc_id, item_id in auth.sources:
            if doc_id in self.ds.documents:
                e.add(document_graph(doc_id), s, PROV.wasDerivedFrom, item_iri(doc_id, item_id))
        return s

    def instrument(self, inst: Instrument) -> URIRef:
        """Describe an instrument (and its issuers) in the registry graph and link it to its source items."""
        g = REGISTRY_GRAPH
        s = instrument_iri(inst.key)
        e = self.out
        e.types(g, s, "instrument")
        e.add(g, s, ELI.title, lang_literal(inst.title))
        e.add(g, s, RDFS.label, lang_literal(inst.title))
        for t in inst.short_titles:
            e.add(g, s, ELI.title_short, lang_literal(t))
        for t in inst.alt_titles:
            e.add(g, s, ELI.title_alternative, lang_literal(t))
        if inst.number:
            e.add(g, s, ELI.id_local, Literal(inst.number))
        if inst.kind:
            e.add(g, s, ELI.type_document, concept("instrument_type", inst.kind))
        if inst.status:
            e.add(g, s, KG.status, concept("status", inst.status))
            e.add(g, s, ELI.in_force, ELI_IN_FORCE if inst.status == "in-force" else ELI_NOT_IN_FORCE)
        for issuer in inst.issuers:
            e.add(g, s, ELI.passed_by, self.authority(issuer))
        if inst.issuer_count is not None:
            e.add(g, s, KG.statedIssuerCount, Literal(inst.issuer_count))
        for d, full, approx in (
            (inst.date_issued, ELI.date_document, KG.dateDocumentApprox),
            (inst.date_effective, ELI.first_date_entry_in_force, KG.dateEntryInForceApprox),
            (inst.date_expiry, ELI.date_no_longer_in_force, None),
            (inst.consultation_deadline, KG.consultationDeadline, None),
        ):
            if d is None:
                continue
            if d.is_full:
                e.add(g, s, full, date_literal(d))
            elif approx is not None:
                e.add(g, s, approx, date_literal(d))
        e.add(g, s, ELI.jurisdiction, concept("jurisdiction", inst.jurisdiction))
        for topic in inst.topics:
            e.add(g, s, ELI.is_about, concept("topic", topic))
        if inst.url:
            e.add(g, s, RDFS.seeAlso, url_term(inst.url))
        if inst.review:
            e.add(g, s, KG.needsReview, Literal(True))
        for src in inst.sources:
            if src.doc_id in self.ds.documents:
                for item in src.items:
                    e.add(document_graph(src.doc_id), s, PROV.wasDerivedFrom, item_iri(src.doc_id, item))
        return s

    def party(self, key: str) -> URIRef:
        """Describe a party in the registry graph."""
        g = REGISTRY_GRAPH
        p = self.ds.parties[key]
        s = party_iri(key)
        e = self.out
        e.types(g, s, "party")
        e.add(g, s, RDFS.label, lang_literal(p.name))
        e.add(g, s, SKOS.prefLabel, lang_literal(p.name))
        if p.name_en:
            e.add(g, s, SKOS.prefLabel, Literal(p.name_en, lang="en"))
        for alias in p.aliases:
            e.add(g, s, SKOS.altLabel, lang_literal(alias))
        if p.kind:
            e.add(g, s, KG.partyKind, concept("party_kind", p.kind))
        if p.jurisdiction:
            e.add(g, s, DCTERMS.spatial, concept("jurisdiction", p.jurisdiction))
        return s

    def amount(self, g: URIRef, s: URIRef, prop: URIRef, amount: Amount | None, node: str) -> None:
        if amount is None:
            return
        a = URIRef(f"{s}/{node}")
        e = self.out
        e.add(g, s, prop, a)
        e.add(g, a, RDF.type, SCHEMA.MonetaryAmount)
        e.add(g, a, SCHEMA.value, Literal(format(amount.value, "f"), datatype=XSD.decimal))
        e.add(g, a, SCHEMA.currency, Literal(amount.currency))
        if amount.text:
            e.add(g, a, KG.amountAsWritten, Literal(amount.text))
        e.add(g, a, KG.approximate, Literal(amount.approximate))

    def legal_basis(self, g: URIRef, s: URIRef, basis: list[LegalBasisRef]) -> None:
        e = self.out
        for lb in basis:
            inst = instrument_iri(lb.instrument)
            e.add(g, s, KG.legalBasis, inst)
            e.add(g, s, PROV.used, inst)
            title = self.ds.instruments[lb.instrument].title
            for art in lb.articles:
                p = provision_iri(lb.instrument, art)
                e.add(g, s, KG.legalProvision, p)
                reg = REGISTRY_GRAPH
                e.add(reg, p, RDF.type, ELI.LegalResourceSubdivision)
                e.add(reg, p, ELI.is_part_of, inst)
                e.add(reg, p, ELI.number, Literal(str(art)))
                e.add(reg, p, RDFS.label, lang_literal(f"{title} 第{art}条"))

    def action(self, a: Action) -> None:
        g = document_graph(a.doc_id)
        s = action_iri(a.doc_id, a.id)
        e = self.out
        e.types(g, s, "action")
        kinds = "、".join(vocabulary("action_kind").concepts[k].label("zh") for k in a.kinds)
        who = "、".join(self.ds.registry.authorities[k].name for k in a.authorities) or "?"
        whom = "、".join(self.ds.parties[t].name for t in a.targets[:3])
        label = f"{who} {kinds}" + (f" {whom}" if whom else "") + (f" ({a.date})" if a.date else "")
        e.add(g, s, RDFS.label, lang_literal(label))
        for k in a.kinds:
            e.add(g, s, KG.actionKind, concept("action_kind", k))
        for k in a.authorities:
            e.add(g, s, PROV.wasAssociatedWith, self.authority(k))
        for t in a.targets:
            e.add(g, s, KG.target, self.party(t))
        if a.target_count is not None:
            e.add(g, s, KG.targetCount, Literal(a.target_count))
        if a.date:
            e.add(g, s, DCTERMS.date, date_literal(a.date))
        if a.jurisdiction:
            e.add(g, s, DCTERMS.spatial, concept("jurisdiction", a.jurisdiction))
        self.legal_basis(g, s, a.legal_basis)
        for v in a.violations:
            e.add(g, s, KG.violationType, concept("violation_type", v))
        self.amount(g, s, KG.penalty, a.penalty, "penalty")
        self.amount(g, s, KG.amountInvolved, a.amount_involved, "amount-involved")
        for item in a.items:
            e.add(g, s, PROV.wasDerivedFrom, item_iri(a.doc_id, item))
        if a.confidence is not None:
            e.add(g, s, KG.confidence, decimal_literal(a.confidence))

    def case(self, c: Case) -> None:
        g = document_graph(c.doc_id)
        s = case_iri(c.doc_id, c.id)
        e = self.out
        e.types(g, s, "case")
        court = self.ds.registry.authorities[c.court].name
        label = c.name or f"{court} {c.id}"
        e.add(g, s, RDFS.label, lang_literal(label))
        if c.name:
            e.add(g, s, DCTERMS.title, lang_literal(c.name))
        e.add(g, s, PROV.wasAssociatedWith, self.authority(c.court))
        for key, role in c.parties:
            p = self.party(key)
            e.add(g, s, PARTY_ROLES[role], p)
            e.add(g, s, KG.party, p)
        if c.date:
            e.add(g, s, DCTERMS.date, date_literal(c.date))
        if c.outcome:
            e.add(g, s, KG.outcome, concept("case_outcome", c.outcome))
        if c.jurisdiction:
            e.add(g, s, DCTERMS.spatial, concept("jurisdiction", c.jurisdiction))
        self.legal_basis(g, s, c.legal_basis)
        for v in c.violations:
            e.add(g, s, KG.violationType, concept("violation_type", v))
        self.amount(g, s, KG.damages, c.damages, "damages")
        for item in c.items:
            e.add(g, s, PROV.wasDerivedFrom, item_iri(c.doc_id, item))
        if c.confidence is not None:
            e.add(g, s, KG.confidence, decimal_literal(c.confidence))

    def rates(self, g: URIRef) -> None:
        """Exchange rates as schema:ExchangeRateSpecification (1 unit of currency = price in base)."""
        table = self.ds.rates
        e = self.out
        for code, rate in sorted(table.rates.items()):
            s = ID[f"rate/{code}-{table.base}"]
            v = URIRef(f"{s}/value")
            e.add(g, s, RDF.type, SCHEMA.ExchangeRateSpecification)
            e.add(g, s, SCHEMA.currency, Literal(code))
            e.add(g, s, SCHEMA.currentExchangeRate, v)
            e.add(g, s, DCTERMS.date, date_literal(table.date))
            e.add(g, s, DCTERMS.source, Literal(table.source))
            e.add(g, v, RDF.type, SCHEMA.UnitPriceSpecification)
            e.add(g, v, SCHEMA.price, Literal(format(rate, "f"), datatype=XSD.decimal))
            e.add(g, v, SCHEMA.priceCurrency, Literal(table.base))

    # ------------------------------------------------------------ whole dataset

    def write(self) -> Emitter:
        """All quads of the dataset: entities in the registry graph, the rest per document."""
        ds = self.ds
        e = self.out
        reg = REGISTRY_GRAPH
        for key in sorted(ds.registry.authorities):
            self.authority(key)
        for inst in ds.instruments.values():
            self.instrument(inst)
        for key in sorted(ds.parties):
            self.party(key)
        if ds.rates is not None:
            self.rates(reg)
        for doc in ds.documents.values():
            g = document_graph(doc.id)
            d = document_iri(doc.id)
            e.types(g, d, "document")
            e.add(g, d, DCTERMS.identifier, Literal(doc.id))
            if doc.title:
                e.add(g, d, DCTERMS.title, lang_literal(doc.title))
            label = " ".join(x for x in (doc.title, doc.issue) if x) or doc.id
            e.add(g, d, RDFS.label, lang_literal(label))
            if doc.issue:
                e.add(g, d, KG.issueNumber, Literal(doc.issue))
            if doc.date:
                e.add(g, d, DCTERMS.date, date_literal(doc.date))
            if doc.publisher:
                e.add(g, d, DCTERMS.publisher, lang_literal(doc.publisher))
            if doc.source_file:
                e.add(g, d, DCTERMS.source, Literal(doc.source_file))
        for (doc_id, item_id), item in sorted(ds.items.items()):
            g = document_graph(doc_id)
            s = item_iri(doc_id, item_id)
            e.types(g, s, "item")
            e.add(g, s, DCTERMS.isPartOf, document_iri(doc_id))
            e.add(g, s, RDFS.label, Literal(f"{doc_id} L{item.lines[0]}-{item.lines[1]}"))
            if item.section:
                e.add(g, s, KG.sectionPath, lang_literal(" > ".join(item.section)))
            e.add(g, s, KG.lineStart, Literal(item.lines[0]))
            e.add(g, s, KG.lineEnd, Literal(item.lines[1]))
            if item.url:
                e.add(g, s, DCTERMS.source, url_term(item.url))
            if item.source_name:
                e.add(g, s, KG.sourceName, lang_literal(item.source_name))
        for rel in ds.relations:
            s, o = instrument_iri(rel.subject), instrument_iri(rel.object)
            prop, supers = RELATIONS[rel.type]
            g = document_graph(rel.doc_id) if rel.doc_id else reg
            # the relation and its materialised standard super-properties in the registry
            # graph; one reified statement per triple, carrying the provenance, in the
            # graph of the document that reported it
            for p in (prop, *supers):
                e.add(reg, s, p, o)
                st = ID[f"statement/{iri_path(rel.doc_id or 'registry')}/{short_hash(str(s), str(p), str(o))}"]
                e.add(g, st, RDF.type, RDF.Statement)
                e.add(g, st, RDF.subject, s)
                e.add(g, st, RDF.predicate, p)
                e.add(g, st, RDF.object, o)
                for item in rel.items:
                    e.add(g, st, PROV.wasDerivedFrom, item_iri(rel.doc_id, item))
                if rel.confidence is not None:
                    e.add(g, st, KG.confidence, decimal_literal(rel.confidence))
        for a in ds.actions:
            self.action(a)
        for c in ds.cases:
            self.case(c)
        return e


def dataset_quads(ds: Dataset) -> list[Quad]:
    """Every quad of the facts (without the ontology), in a stable order."""
    return list(Writer(ds).write().quads)


def ontology_quads() -> Iterator[Quad]:
    """The ontology and vocabularies as quads in ``graph/ontology``."""
    for s, p, o in ontology.ontology_graph():
        yield (s, p, o, ONTOLOGY_GRAPH)


def to_graph(quads: Iterable[Quad]) -> Graph:
    """The union of some quads as one rdflib graph."""
    g = Graph()
    for s, p, o, _g in quads:
        g.add((s, p, o))
    return g


def nquads_lines(quads: Iterable[Quad]) -> Iterator[str]:
    """N-Quads lines for some quads."""
    for s, p, o, g in quads:
        yield f"{s.n3()} {p.n3()} {o.n3()} {g.n3()} .\n"
