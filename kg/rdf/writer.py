"""Facts -> RDF quads, driven by the model: the only module that knows both the facts and the RDF terms.

Layout of the dataset:

- ``graph/ontology``: the ontology, its SKOS vocabularies and the terms the model declares;
- ``graph/registry``: every authority, instrument and party with its merged values, the
  relations between instruments, and the exchange rates;
- ``graph/doc/<id>``: what only one newsletter contributes: its document and items, the links
  from entities to those items, the provenance of each relation (a reified ``rdf:Statement``),
  and the enforcement actions and court cases it reports.

Each field is written by its type (:mod:`kg.model.spec`) or by a named writer (``titles``,
``labels``, ``status``). The graphs are disjoint: a triple is written to one graph only, so
queries on the union default graph see each fact once. Standard super-classes and the standard
super-properties of relations are materialised, so a plain SPARQL user needs no reasoner.

The quads are pyoxigraph terms, which the store, the dumps and the checks take as they are (the
model's rdflib terms are made pyoxigraph terms once each, :data:`kg.rdf.oxterms.NODE`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import importlib.metadata
import io
import pickle
import re
from collections.abc import Callable, Iterator
from itertools import groupby

import pyoxigraph as ox
from rdflib import URIRef
from rdflib import namespace as ns
from rdflib.namespace import XSD

from .. import paths
from ..facts.dataset import Dataset
from ..facts.entity import Entity, LegalBasisRef
from ..facts.values import Amount, PDate
from ..model import terms
from ..model.ids import iri_path, mint, short_hash
from ..model.spec import Field, Kind, model
from ..model.terms import ID, PARTY_ROLES, REGISTRY_GRAPH, document_graph
from ..model.vocabularies import vocabulary
from .emitter import Earlier, Emitter
from .oxterms import NODE
from .status import status_as_of


class _Terms:
    """A namespace whose terms are made once each: rdflib makes a new term at every attribute
    access (some 400k of them in a build of a million triples, 0.7 s)."""

    def __init__(self, namespace):
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:
        term = getattr(self._namespace, name)
        setattr(self, name, term)  # read as a plain attribute from now on
        return term

    def __getitem__(self, name: str) -> URIRef:
        return self._namespace[name]


DCTERMS, FOAF, PROV, RDF, RDFS, SKOS = (_Terms(n) for n in (ns.DCTERMS, ns.FOAF, ns.PROV, ns.RDF, ns.RDFS, ns.SKOS))
ELI, KG, SCHEMA = _Terms(terms.ELI), _Terms(terms.KG), _Terms(terms.SCHEMA)
_CJK = re.compile(r"[\u3400-\u9fff]")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
LANGUAGES = {"zh": ox.NamedNode("http://publications.europa.eu/resource/authority/language/ZHO"),
             "en": ox.NamedNode("http://publications.europa.eu/resource/authority/language/ENG")}
_DATES = {"day": NODE[XSD.date], "month": NODE[XSD.gYearMonth], "year": NODE[XSD.gYear]}
_DECIMAL = NODE[XSD.decimal]
_REGISTRY = NODE[REGISTRY_GRAPH]


def lang_of(text: str) -> str:
    """``zh`` for text with Chinese characters, else ``en``."""
    return "zh" if _CJK.search(text) else "en"


def lang_literal(text: str) -> ox.Literal:
    """A literal tagged ``zh`` when it holds Chinese characters, else ``en``."""
    return ox.Literal(text, language=lang_of(text))


def date_literal(d: PDate) -> ox.Literal:
    """``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` after the date's precision."""
    return ox.Literal(d.text, datatype=_DATES[d.precision])


def decimal_literal(x: float) -> ox.Literal:
    """An ``xsd:decimal`` literal for a confidence (a float literal would keep the float's value)."""
    return ox.Literal(format(round(float(x), 4), "f").rstrip("0").rstrip(".") or "0", datatype=_DECIMAL)


def url_term(url: str) -> ox.NamedNode | ox.Literal:
    """An IRI for a well-formed http(s) URL, else a plain literal."""
    url = url.strip()
    return ox.NamedNode(url) if _URL.match(url) else ox.Literal(url)


def entity_iri(kind: str, key: str, doc_id: str | None = None) -> ox.NamedNode:
    """The IRI of an entity, after its kind's pattern (``action/{document}/{id}``)."""
    pattern = model().kinds[kind].iri
    if pattern.startswith("{document}"):
        return ox.NamedNode(f"{entity_iri('document', doc_id).value}"
                            f"{pattern[len('{document}'):].format(id=iri_path(key))}")
    head, _, rest = pattern.partition("/")
    return ox.NamedNode(mint(head, rest.format(key=key, id=key, document=doc_id)))


def provision_iri(key: str, article: int) -> ox.NamedNode:
    """The IRI of one article of an instrument."""
    return ox.NamedNode(mint("instrument", f"{key}/art/{article}"))


class Writer:
    """Turns a :class:`Dataset` into quads; statuses are computed as of ``as_of``. With an emitter
    that has a sink, each document's items, and what else it reports, are units (:meth:`unit`):
    their text's place among the texts handed to the sink, and a digest of their inputs, are kept
    in :attr:`units`; ``earlier``: the text of an earlier build's quads (as made) and its units,
    whose text a unit with the same digest is taken from instead of being written again
    (:class:`~kg.rdf.emitter.Earlier`, or its first two fields)."""

    def __init__(self, ds: Dataset, as_of: dt.date, out: Emitter | None = None, earlier: tuple | None = None):
        self.ds = ds
        self.as_of = as_of
        self.out = out or Emitter()
        self.earlier = None if earlier is None else Earlier(*earlier)
        # unit -> [digest of its inputs, start, end, and where it starts and ends without graph
        # names] in the text sent (and, for a unit of entities, the IRIs of the entities it described)
        self.units: dict[str, list] = {}
        self._written: set[ox.NamedNode] = set()
        self._described: list[ox.NamedNode] = []  # _written in the order described
        self._titled: set[ox.NamedNode] = set()  # expressions that have their eli:title
        self._iris: dict[tuple, ox.NamedNode] = {}
        self._graphs: dict[str, ox.NamedNode] = {}

    def graph(self, doc_id: str) -> ox.NamedNode:
        """:func:`document_graph`, made once per document."""
        try:
            return self._graphs[doc_id]
        except KeyError:
            made = self._graphs[doc_id] = ox.NamedNode(document_graph(doc_id))
            return made

    def iri(self, kind: str, key: str, doc_id: str | None = None) -> ox.NamedNode:
        """:func:`entity_iri`, made once per entity (an item or instrument is named many times)."""
        try:
            return self._iris[kind, key, doc_id]
        except KeyError:
            made = self._iris[kind, key, doc_id] = entity_iri(kind, key, doc_id)
            return made

    # ------------------------------------------------------------ entities

    def entity(self, kind_name: str, obj, doc_id: str | None = None) -> ox.NamedNode:
        """Describe one entity (once) by the fields of its kind, and link it to its sources."""
        kind = model().kinds[kind_name]
        s = self.iri(kind_name, obj.key, doc_id)
        if s in self._written:
            return s
        self._written.add(s)
        self._described.append(s)
        g = _REGISTRY if kind.graph == "registry" else self.graph(doc_id)
        self.out.add(g, s, RDF.type, NODE[kind.cls])
        for cls in kind.types:
            self.out.add(g, s, RDF.type, NODE[cls])
        label = self.label(kind_name, obj, doc_id)
        if label:
            self.out.add(g, s, RDFS.label, lang_literal(label))
        # an entity's values by their dict (a field not given is absent, and written as nothing)
        values = obj.values if isinstance(obj, Entity) else None
        for f in kind.fields.values():
            value = values.get(f.name) if values is not None else getattr(obj, f.name, None)
            if value is None or value == [] or value is False:
                continue
            write = getattr(self, "w_" + (f.write or f.type).replace("-", "_"), None)
            if write is not None:
                write(g, s, f, value, obj)
        self.provenance(kind, s, obj)
        return s

    def provenance(self, kind: Kind, s: ox.NamedNode, obj) -> None:
        """Links from the entity to the items that report it, in each reporting document's graph."""
        if kind.provenance is None:
            return
        for doc_id, item in _reports(obj):
            if doc_id in self.ds.documents:
                self.out.add(self.graph(doc_id), s, kind.provenance, self.iri("item", item, doc_id))

    def label(self, kind: str, obj, doc_id: str | None) -> str | None:
        """The display label (rdfs:label) of an entity."""
        if kind == "document":
            return " ".join(x for x in (obj.title, obj.issue) if x) or obj.key
        if kind == "item":
            return f"{doc_id} L{obj.lines[0]}-{obj.lines[1]}"
        if kind == "action":
            kinds = "、".join(vocabulary("action_kind").concepts[k].label("zh") for k in obj.kinds)
            who = "、".join(self.ds.registry.authorities[k].name for k in obj.authorities) or "?"
            whom = "、".join(self.ds.parties[t].name for t in obj.targets[:3])
            return f"{who} {kinds}" + (f" {whom}" if whom else "") + (f" ({obj.date})" if obj.date else "")
        if kind == "case":
            return obj.name or f"{self.ds.registry.authorities[obj.court].name} {obj.key}"
        if kind == "instrument":
            return obj.title
        return None  # authorities and parties: their labels writer

    # ------------------------------------------------------------ writers by type

    def w_text(self, g, s, f: Field, value, obj) -> None:
        for v in value if f.many else [value]:
            if f.prop is not None:
                self.out.add(g, s, f.prop, ox.Literal(v) if f.plain else lang_literal(v))

    w_id = w_text

    def w_path(self, g, s, f: Field, value, obj) -> None:
        self.out.add(g, s, f.prop, lang_literal(" > ".join(value)))

    def w_lines(self, g, s, f: Field, value, obj) -> None:
        for prop, line in zip(f.rdf, value, strict=True):
            self.out.add(g, s, prop, ox.Literal(line))

    def w_url(self, g, s, f: Field, value, obj) -> None:
        self.out.add(g, s, f.prop, url_term(value))

    def w_date(self, g, s, f: Field, value: PDate, obj) -> None:
        if value.is_full:
            self.out.add(g, s, f.prop, date_literal(value))
        elif f.partial == "approx":
            self.out.add(g, s, f.approx, date_literal(value))
        elif f.partial == "same":
            self.out.add(g, s, f.prop, date_literal(value))

    def w_count(self, g, s, f: Field, value, obj) -> None:
        self.out.add(g, s, f.prop, ox.Literal(value))

    def w_flag(self, g, s, f: Field, value, obj) -> None:
        self.out.add(g, s, f.prop, ox.Literal(True))

    def w_confidence(self, g, s, f: Field, value, obj) -> None:
        if f.prop is not None:
            self.out.add(g, s, f.prop, decimal_literal(value))

    def w_term(self, g, s, f: Field, value, obj) -> None:
        if f.prop is None:
            return
        voc = vocabulary(f.vocabulary)
        for v in value if f.many else [value]:
            self.out.add(g, s, f.prop, NODE[voc.iri(v)])

    def w_ref(self, g, s, f: Field, value, obj) -> None:
        if f.prop is None:
            return
        for key in value if f.many else [value]:
            target = self.ds.registry.authorities[key] if f.to == "authority" else self.ds.instruments[key]
            self.out.add(g, s, f.prop, self.entity(f.to, target))

    def w_party(self, g, s, f: Field, value, obj) -> None:
        for key in value:
            self.out.add(g, s, f.prop, self.entity("party", self.ds.parties[key]))

    def w_parties(self, g, s, f: Field, value, obj) -> None:
        for key, role in value:
            p = self.entity("party", self.ds.parties[key])
            self.out.add(g, s, PARTY_ROLES[role], p)
            self.out.add(g, s, f.prop, p)

    def w_agent(self, g, s, f: Field, value, obj) -> None:
        agent = ox.NamedNode(mint("agent", value))
        self.out.add(g, s, f.prop, agent)
        self.out.add(g, agent, RDF.type, NODE[DCTERMS.Agent])
        self.out.add(g, agent, RDF.type, NODE[FOAF.Agent])
        self.out.add(g, agent, RDFS.label, lang_literal(value))

    def w_amount(self, g, s, f: Field, value: Amount, obj) -> None:
        a = ox.NamedNode(f"{s.value}/{f.name.replace('_', '-')}")
        e = self.out
        e.add(g, s, f.prop, a)
        e.add(g, a, RDF.type, NODE[SCHEMA.MonetaryAmount])
        e.add(g, a, SCHEMA.value, ox.Literal(format(value.value, "f"), datatype=_DECIMAL))
        e.add(g, a, SCHEMA.currency, ox.Literal(value.currency))
        if value.text:
            e.add(g, a, KG.amountAsWritten, ox.Literal(value.text))
        e.add(g, a, KG.approximate, ox.Literal(value.approximate))

    def w_legal_basis(self, g, s, f: Field, value: list[LegalBasisRef], obj) -> None:
        """The instruments applied and their articles (each article's own triples, which the facts of
        many documents share, are written by :meth:`provisions`)."""
        e = self.out
        for lb in value:
            inst = self.entity("instrument", self.ds.instruments[lb.instrument])
            e.add(g, s, f.prop, inst)
            e.add(g, s, PROV.used, inst)
            for art in lb.articles:
                e.add(g, s, KG.legalProvision, provision_iri(lb.instrument, art))

    def provisions(self, obj) -> None:
        """The articles an action or case applies, each part of its instrument, in the registry graph."""
        e, reg = self.out, _REGISTRY
        for lb in obj.legal_basis or []:
            inst = self.iri("instrument", lb.instrument)
            title = self.ds.instruments[lb.instrument].title
            for art in lb.articles:
                p = provision_iri(lb.instrument, art)
                e.add(reg, p, RDF.type, NODE[ELI.LegalResourceSubdivision])
                e.add(reg, p, ELI.is_part_of, inst)
                e.add(reg, p, ELI.number, ox.Literal(str(art)))
                e.add(reg, p, RDFS.label, lang_literal(f"{title} 第{art}条"))

    # ------------------------------------------------------------ named writers

    def w_labels(self, g, s, f: Field, value, obj) -> None:
        """Names of an authority or party: one skos:prefLabel per language (the canonical name, the
        English name), every other name a skos:altLabel in its language, never both."""
        pref: dict[str, str] = {}
        for name in (obj.name_en, obj.name):
            if name and lang_of(name) not in pref:
                pref[lang_of(name)] = name
        for lang, name in pref.items():
            self.out.add(g, s, SKOS.prefLabel, ox.Literal(name, language=lang))
        self.out.add(g, s, RDFS.label, lang_literal(obj.name))
        for alias in [obj.name, obj.name_en, *obj.aliases]:
            if alias and pref.get(lang_of(alias)) != alias:
                self.out.add(g, s, SKOS.altLabel, lang_literal(alias))

    def w_titles(self, g, s, f: Field, value, obj) -> None:
        """Titles go on the expression of their language (eli:LegalExpression), which realises the
        instrument: ``?i eli:is_realized_by/eli:title ?t``."""
        for title in value if f.many else [value]:
            lang = lang_of(title)
            expr = ox.NamedNode(f"{s.value}/{lang}")
            e = self.out
            e.add(g, s, ELI.is_realized_by, expr)
            e.add(g, expr, RDF.type, NODE[ELI.LegalExpression])
            e.add(g, expr, ELI.realizes, s)
            e.add(g, expr, ELI.language, LANGUAGES[lang])
            prop = f.prop
            if prop == ELI.title and expr in self._titled:
                prop = ELI.title_alternative  # one title per expression: an English main title and title_en
            elif prop == ELI.title:
                self._titled.add(expr)
            e.add(g, expr, prop, ox.Literal(title, language=lang))

    def w_sources(self, g, s, f: Field, value, obj) -> None:
        """Where a reference entry was checked: a page, a document of the graph, or the id of a document
        the graph does not hold (a literal)."""
        for src in value:
            if src.startswith("http"):
                self.out.add(g, s, f.prop, url_term(src))
            else:
                self.out.add(g, s, f.prop, self.iri("document", src) if src in self.ds.documents else ox.Literal(src))

    def w_amendments(self, g, s, f: Field, value, obj) -> None:
        """One kg:Amendment node per amendment: its date, when it took effect, the amending act."""
        for a in value:
            node = ox.NamedNode(f"{s.value}/amendment/{a.date}")
            self.out.add(g, s, f.prop, node)
            self.out.add(g, node, RDF.type, NODE[KG.Amendment])
            self.out.add(g, node, DCTERMS.date, date_literal(a.date))
            if a.effective is not None:
                self.out.add(g, node, KG.amendmentInForce, date_literal(a.effective))
            if a.by:
                self.out.add(g, node, RDFS.label, lang_literal(a.by))
            if a.by_key:
                self.out.add(g, node, KG.amendedBy, self.entity("instrument", self.ds.instruments[a.by_key]))

    def w_status(self, g, s, f: Field, value, obj) -> None:
        """Written by :meth:`status`, which also covers instruments without a reported status."""

    def status(self, g, s, inst) -> None:
        """The status as of the build date, and ELI's legal-force value where it is known."""
        status, in_force = status_as_of(inst.status, inst.date_effective, inst.date_expiry, self.as_of)
        if status is not None:
            self.out.add(g, s, KG.status, NODE[vocabulary("status").iri(status)])
        if in_force is not None:
            self.out.add(g, s, ELI.in_force, NODE[ELI["InForce-inForce" if in_force else "InForce-notInForce"]])

    # ------------------------------------------------------------ relations, rates, the whole

    def relation(self, rel) -> None:
        """The relation and its standard super-properties in the registry graph (which the documents
        that report the same relation share), then :meth:`statements`."""
        s, o = self._ends(rel)
        for p in self._properties(rel):
            self.out.add(_REGISTRY, s, p, o)

    def statements(self, rel) -> None:
        """One reified statement per triple of the relation, carrying the provenance, in the graph of
        the document that reported it."""
        s, o = self._ends(rel)
        g = self.graph(rel.doc_id) if rel.doc_id else _REGISTRY
        for p in self._properties(rel):
            st = ox.NamedNode(mint("statement", f"{rel.doc_id or 'registry'}/{short_hash(s.value, str(p), o.value)}"))
            self.out.add(g, st, RDF.type, NODE[RDF.Statement])
            self.out.add(g, st, RDF.subject, s)
            self.out.add(g, st, RDF.predicate, NODE[p])
            self.out.add(g, st, RDF.object, o)
            for item in rel.items:
                self.out.add(g, st, PROV.wasDerivedFrom, self.iri("item", item, rel.doc_id))
            if rel.confidence is not None:
                self.out.add(g, st, KG.confidence, decimal_literal(rel.confidence))

    def _ends(self, rel) -> tuple[ox.NamedNode, ox.NamedNode]:
        """The instruments a relation links (each described once, :meth:`entity`)."""
        return (self.entity("instrument", self.ds.instruments[rel.subject]),
                self.entity("instrument", self.ds.instruments[rel.object]))

    @staticmethod
    def _properties(rel) -> tuple:
        rt = model().relations[rel.type]
        return (rt.prop, *rt.also)

    def unit(self, name: str, inputs, write: Callable[[], None], entities: bool = False) -> None:
        """Write a unit: text that depends only on ``inputs`` (values the code writes it from), so
        that the same inputs give the same text: taken from the earlier build's when it has a unit of
        this ``name`` made from the same inputs (by their digest), else written by ``write()``.
        ``entities``: the unit describes entities (:meth:`entity`) that later text only points to;
        the IRIs it described are kept with it, and when it is taken they count as described (those
        described before it, which it only points to, are inputs too)."""
        out, earlier = self.out, self.earlier
        digest = was = None
        first = len(self._described)
        if out.sends:  # text handed on: a unit, with its place in that text
            start = out.mark()
            if entities:
                inputs = (inputs, [s.value for s in self._described])
            digest = _digest(inputs)
            was = None if earlier is None else earlier.units.get(name)
        if was is not None and was[0] == digest and len(was) == 5 + entities \
                and (earlier.triples is not None or not out.splits):
            out.take(earlier.text[was[1]:was[2]], None if earlier.triples is None else earlier.triples[was[3]:was[4]])
            if entities:
                for iri in was[5]:
                    s = ox.NamedNode(iri)
                    self._written.add(s)
                    self._described.append(s)
        else:
            write()
        if digest is not None:
            end = out.mark()
            self.units[name] = [digest, start[0], end[0], start[1], end[1]]
            if entities:
                self.units[name].append([s.value for s in self._described[first:]])

    def registry(self) -> None:
        """The authorities, the instruments (with their status as of the build date) and the parties,
        each kind a unit of entities: a change to one kind's values (or to the documents their
        provenance may point to) writes that kind again, and the others are taken (at 1M triples
        they are most of the writer's time). An entity that one points to is described by the
        first that does, as when all is written (authorities first: an instrument's issuers are
        described by then)."""
        ds = self.ds
        documents = sorted(ds.documents)
        authorities = [ds.registry.authorities[k] for k in sorted(ds.registry.authorities)]
        instruments = list(ds.instruments.values())
        parties = [ds.parties[k] for k in sorted(ds.parties)]

        def write_authorities() -> None:
            for obj in authorities:
                self.entity("authority", obj)

        def write_instruments() -> None:
            for inst in instruments:
                s = self.entity("instrument", inst)
                self.status(_REGISTRY, s, inst)

        def write_parties() -> None:
            for obj in parties:
                self.entity("party", obj)

        self.unit("authorities", (documents, authorities), write_authorities, entities=True)
        self.unit("instruments", (documents, self.as_of, instruments), write_instruments, entities=True)
        self.unit("parties", (documents, parties), write_parties, entities=True)

    def items(self, doc_id: str, items: list[Entity]) -> None:
        """The items of one document, each part of it: a unit. Their triples are about the items only
        (which nothing else describes: the other facts only point to them)."""

        def write() -> None:
            for item in items:
                self._item(doc_id, item)

        self.unit(f"items {doc_id}", [(i.key, i.values) for i in items], write)

    def reported(self, doc_id: str, relations: list, actions: list[Entity], cases: list[Entity]) -> None:
        """What one document reports besides its items: the statements of its relations, its actions
        and cases: a unit. Their triples are about nodes of that document only; the triples they
        share with other documents' are written apart (:meth:`relation`, :meth:`provisions`), and the
        entities they point to are written before. Their labels read names of other entities: those
        are inputs of the unit too."""
        names = self.ds.registry.authorities

        def label_names(obj) -> tuple:
            if obj.record == "case":
                return (names[obj.court].name,)
            return (tuple(names[k].name for k in obj.authorities),
                    tuple(self.ds.parties[t].name for t in obj.targets[:3]))

        def write() -> None:
            for rel in relations:
                self.statements(rel)
            for a in actions:
                self.entity("action", a, doc_id)
            for c in cases:
                self.entity("case", c, doc_id)

        inputs = ([(r.type, r.subject, r.object, r.items, r.confidence) for r in relations],
                  [(e.key, e.values, label_names(e)) for e in (*actions, *cases)])
        self.unit(f"facts {doc_id}", inputs, write)

    def _item(self, doc_id: str, item: Entity) -> None:
        s = self.entity("item", item, doc_id)
        self.out.add(self.graph(doc_id), s, DCTERMS.isPartOf, self.iri("document", doc_id))

    def rates(self) -> None:
        """Exchange rates as schema:ExchangeRateSpecification (1 unit of currency = price in base)."""
        table = self.ds.rates
        e, g = self.out, _REGISTRY
        for code, rate in sorted(table.rates.items()):
            s = ox.NamedNode(f"{ID}rate/{code}-{table.base}")
            v = ox.NamedNode(f"{s.value}/value")
            e.add(g, s, RDF.type, NODE[SCHEMA.ExchangeRateSpecification])
            e.add(g, s, SCHEMA.currency, ox.Literal(code))
            e.add(g, s, SCHEMA.currentExchangeRate, v)
            e.add(g, s, DCTERMS.date, date_literal(table.date))
            e.add(g, s, DCTERMS.source, ox.Literal(table.source))
            e.add(g, v, RDF.type, NODE[SCHEMA.UnitPriceSpecification])
            e.add(g, v, SCHEMA.price, ox.Literal(format(rate, "f"), datatype=_DECIMAL))
            e.add(g, v, SCHEMA.priceCurrency, ox.Literal(table.base))

    def write(self) -> Emitter:
        """All quads of the dataset: entities in the registry graph, the rest per document (handed
        to the emitter's sink, if it has one, as they come)."""
        ds = self.ds
        self.out.add(_REGISTRY, _REGISTRY, KG.statusAsOf, ox.Literal(self.as_of.isoformat(), datatype=_DATES["day"]))
        self.registry()
        if ds.rates is not None:
            self.rates()
        for doc in ds.documents.values():
            self.entity("document", doc, doc.key)
        for doc_id, items in groupby(sorted(ds.items.items()), key=lambda kv: kv[0][0]):
            self.items(doc_id, [item for _key, item in items])
        reported: dict[str, tuple[list, list, list]] = {d: ([], [], []) for d in ds.documents}
        for rel in ds.relations:
            if rel.doc_id:
                reported[rel.doc_id][0].append(rel)
            else:
                self.statements(rel)  # a relation of the reference layer: in the registry graph
        for a in ds.actions:
            reported[a.doc_id][1].append(a)
        for c in ds.cases:
            reported[c.doc_id][2].append(c)
        for doc_id, (relations, actions, cases) in reported.items():
            if relations or actions or cases:
                self.reported(doc_id, relations, actions, cases)
        # what the documents' facts share
        for rel in ds.relations:
            self.relation(rel)
        for e in (*ds.actions, *ds.cases):
            self.provisions(e)
        self.out.flush()
        return self.out


def _digest(inputs) -> str:
    """A digest of the values ``inputs``: pickled without the pickler's memo (``fast``), so that
    equal values give the same bytes whether or not they share objects. With the memo, the
    registries read from kg's cache (:mod:`kg.facts.basecache`), whose strings are shared
    otherwise than those read from the files, gave the authorities and instruments other digests:
    the rebuild after a first build wrote them again (2 s at 1M triples: benchmarks/README.md)."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, 5)
    pickler.fast = True
    pickler.dump(inputs)
    return hashlib.blake2b(buffer.getbuffer(), digest_size=16).hexdigest()


def _reports(obj) -> Iterator[tuple[str, str]]:
    """(document, item) pairs of an entity's reports (authorities keep pairs, entities Sources)."""
    if getattr(obj, "doc_id", None) is not None and getattr(obj, "record", None) in ("action", "case"):
        for item in obj.items:
            yield obj.doc_id, item
        return
    for src in getattr(obj, "reports", []) or []:
        if isinstance(src, tuple):
            yield src
        else:
            for item in src.items:
                yield src.doc_id, item


def dataset_quads(ds: Dataset, as_of: dt.date | None = None) -> list[ox.Quad]:
    """Every quad of the facts (without the ontology), in a stable order; statuses as of ``as_of``
    (default today)."""
    return Writer(ds, as_of or dt.date.today()).write().quads


def write_quads(ds: Dataset, as_of: dt.date, sink: Callable[..., None], every: int = 20_000,
                earlier: tuple | None = None, triples: bool = False) -> dict[str, list]:
    """The quads of :func:`dataset_quads`, in the same order, handed to ``sink`` as N-Quads text in
    parts of ``every`` quads at most, as they are made (so that the caller can load them while the
    rest are made), with the same lines without their graph names when ``triples``
    (``sink(text, triples)``, :class:`~kg.rdf.emitter.Emitter`); ``earlier``: an earlier build's text and units
    (:class:`~kg.rdf.emitter.Earlier`). Returns the units of this text (:attr:`Writer.units`)."""
    writer = Writer(ds, as_of, Emitter(sink, every, triples), earlier)
    writer.write()
    return writer.units


@functools.cache
def fingerprint() -> str:
    """What decides the text of a unit besides its inputs: kg's code and model, the ontology (whose
    vocabularies give terms and labels), and pyoxigraph's version (which writes the terms)."""
    return paths.files_hash([*paths.code_files(), *paths.ontology_files()],
                            f"pyoxigraph {importlib.metadata.version('pyoxigraph')}")
