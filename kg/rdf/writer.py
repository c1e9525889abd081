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
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD

from ..facts.dataset import Dataset
from ..facts.entity import LegalBasisRef
from ..facts.values import Amount, PDate
from ..model.ids import iri_path, mint, short_hash
from ..model.spec import Field, Kind, model
from ..model.terms import ELI, ID, KG, PARTY_ROLES, REGISTRY_GRAPH, SCHEMA, document_graph
from ..model.vocabularies import vocabulary
from .status import status_as_of

Quad = tuple[URIRef | BNode, URIRef, URIRef | Literal | BNode, URIRef]

_CJK = re.compile(r"[\u3400-\u9fff]")
_URL = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
LANGUAGES = {"zh": URIRef("http://publications.europa.eu/resource/authority/language/ZHO"),
             "en": URIRef("http://publications.europa.eu/resource/authority/language/ENG")}


def lang_of(text: str) -> str:
    """``zh`` for text with Chinese characters, else ``en``."""
    return "zh" if _CJK.search(text) else "en"


def lang_literal(text: str) -> Literal:
    """A literal tagged ``zh`` when it holds Chinese characters, else ``en``."""
    return Literal(text, lang=lang_of(text))


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


def entity_iri(kind: str, key: str, doc_id: str | None = None) -> URIRef:
    """The IRI of an entity, after its kind's pattern (``action/{document}/{id}``)."""
    pattern = model().kinds[kind].iri
    if pattern.startswith("{document}"):
        return URIRef(f"{entity_iri('document', doc_id)}{pattern[len('{document}'):].format(id=iri_path(key))}")
    head, _, rest = pattern.partition("/")
    return mint(head, rest.format(key=key, id=key, document=doc_id))


def provision_iri(key: str, article: int) -> URIRef:
    """The IRI of one article of an instrument."""
    return mint("instrument", f"{key}/art/{article}")


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


class Writer:
    """Turns a :class:`Dataset` into quads; statuses are computed as of ``as_of``."""

    def __init__(self, ds: Dataset, as_of: dt.date):
        self.ds = ds
        self.as_of = as_of
        self.out = Emitter()
        self._written: set[URIRef] = set()
        self._titled: set[URIRef] = set()  # expressions that have their eli:title

    # ------------------------------------------------------------ entities

    def entity(self, kind_name: str, obj, doc_id: str | None = None) -> URIRef:
        """Describe one entity (once) by the fields of its kind, and link it to its sources."""
        kind = model().kinds[kind_name]
        s = entity_iri(kind_name, obj.key, doc_id)
        if s in self._written:
            return s
        self._written.add(s)
        g = REGISTRY_GRAPH if kind.graph == "registry" else document_graph(doc_id)
        self.out.add(g, s, RDF.type, kind.cls)
        for cls in kind.types:
            self.out.add(g, s, RDF.type, cls)
        label = self.label(kind_name, obj, doc_id)
        if label:
            self.out.add(g, s, RDFS.label, lang_literal(label))
        for f in kind.fields.values():
            value = getattr(obj, f.name, None)
            if value is None or value == [] or value is False:
                continue
            write = getattr(self, "w_" + (f.write or f.type).replace("-", "_"), None)
            if write is not None:
                write(g, s, f, value, obj)
        self.provenance(kind, s, obj)
        return s

    def provenance(self, kind: Kind, s: URIRef, obj) -> None:
        """Links from the entity to the items that report it, in each reporting document's graph."""
        if kind.provenance is None:
            return
        for doc_id, item in _reports(obj):
            if doc_id in self.ds.documents:
                self.out.add(document_graph(doc_id), s, kind.provenance, entity_iri("item", item, doc_id))

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
                self.out.add(g, s, f.prop, Literal(v) if f.plain else lang_literal(v))

    w_id = w_text

    def w_path(self, g, s, f: Field, value, obj) -> None:
        self.out.add(g, s, f.prop, lang_literal(" > ".join(value)))

    def w_lines(self, g, s, f: Field, value, obj) -> None:
        for prop, line in zip(f.rdf, value, strict=True):
            self.out.add(g, s, prop, Literal(line))

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
        self.out.add(g, s, f.prop, Literal(value))

    def w_flag(self, g, s, f: Field, value, obj) -> None:
        self.out.add(g, s, f.prop, Literal(True))

    def w_confidence(self, g, s, f: Field, value, obj) -> None:
        if f.prop is not None:
            self.out.add(g, s, f.prop, decimal_literal(value))

    def w_term(self, g, s, f: Field, value, obj) -> None:
        if f.prop is None:
            return
        voc = vocabulary(f.vocabulary)
        for v in value if f.many else [value]:
            self.out.add(g, s, f.prop, voc.iri(v))

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
        agent = mint("agent", value)
        self.out.add(g, s, f.prop, agent)
        self.out.add(g, agent, RDF.type, DCTERMS.Agent)
        self.out.add(g, agent, RDF.type, FOAF.Agent)
        self.out.add(g, agent, RDFS.label, lang_literal(value))

    def w_amount(self, g, s, f: Field, value: Amount, obj) -> None:
        a = URIRef(f"{s}/{f.name.replace('_', '-')}")
        e = self.out
        e.add(g, s, f.prop, a)
        e.add(g, a, RDF.type, SCHEMA.MonetaryAmount)
        e.add(g, a, SCHEMA.value, Literal(format(value.value, "f"), datatype=XSD.decimal))
        e.add(g, a, SCHEMA.currency, Literal(value.currency))
        if value.text:
            e.add(g, a, KG.amountAsWritten, Literal(value.text))
        e.add(g, a, KG.approximate, Literal(value.approximate))

    def w_legal_basis(self, g, s, f: Field, value: list[LegalBasisRef], obj) -> None:
        e = self.out
        reg = REGISTRY_GRAPH
        for lb in value:
            inst = self.entity("instrument", self.ds.instruments[lb.instrument])
            e.add(g, s, f.prop, inst)
            e.add(g, s, PROV.used, inst)
            title = self.ds.instruments[lb.instrument].title
            for art in lb.articles:
                p = provision_iri(lb.instrument, art)
                e.add(g, s, KG.legalProvision, p)
                e.add(reg, p, RDF.type, ELI.LegalResourceSubdivision)
                e.add(reg, p, ELI.is_part_of, inst)
                e.add(reg, p, ELI.number, Literal(str(art)))
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
            self.out.add(g, s, SKOS.prefLabel, Literal(name, lang=lang))
        self.out.add(g, s, RDFS.label, lang_literal(obj.name))
        for alias in [obj.name, obj.name_en, *obj.aliases]:
            if alias and pref.get(lang_of(alias)) != alias:
                self.out.add(g, s, SKOS.altLabel, lang_literal(alias))

    def w_titles(self, g, s, f: Field, value, obj) -> None:
        """Titles go on the expression of their language (eli:LegalExpression), which realises the
        instrument: ``?i eli:is_realized_by/eli:title ?t``."""
        for title in value if f.many else [value]:
            lang = lang_of(title)
            expr = URIRef(f"{s}/{lang}")
            e = self.out
            e.add(g, s, ELI.is_realized_by, expr)
            e.add(g, expr, RDF.type, ELI.LegalExpression)
            e.add(g, expr, ELI.realizes, s)
            e.add(g, expr, ELI.language, LANGUAGES[lang])
            prop = f.prop
            if prop == ELI.title and expr in self._titled:
                prop = ELI.title_alternative  # one title per expression: an English main title and title_en
            elif prop == ELI.title:
                self._titled.add(expr)
            e.add(g, expr, prop, Literal(title, lang=lang))

    def w_sources(self, g, s, f: Field, value, obj) -> None:
        """Where a reference entry was checked: a page, a document of the graph, or the id of a document
        the graph does not hold (a literal)."""
        for src in value:
            if src.startswith("http"):
                self.out.add(g, s, f.prop, url_term(src))
            else:
                self.out.add(g, s, f.prop, entity_iri("document", src) if src in self.ds.documents else Literal(src))

    def w_amendments(self, g, s, f: Field, value, obj) -> None:
        """One kg:Amendment node per amendment: its date, when it took effect, the amending act."""
        for a in value:
            node = URIRef(f"{s}/amendment/{a.date}")
            self.out.add(g, s, f.prop, node)
            self.out.add(g, node, RDF.type, KG.Amendment)
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
            self.out.add(g, s, KG.status, vocabulary("status").iri(status))
        if in_force is not None:
            self.out.add(g, s, ELI.in_force, ELI["InForce-inForce" if in_force else "InForce-notInForce"])

    # ------------------------------------------------------------ relations, rates, the whole

    def relation(self, rel) -> None:
        """The relation and its standard super-properties in the registry graph; one reified statement
        per triple, carrying the provenance, in the graph of the document that reported it."""
        s = self.entity("instrument", self.ds.instruments[rel.subject])
        o = self.entity("instrument", self.ds.instruments[rel.object])
        rt = model().relations[rel.type]
        reg = REGISTRY_GRAPH
        g = document_graph(rel.doc_id) if rel.doc_id else reg
        for p in (rt.prop, *rt.also):
            self.out.add(reg, s, p, o)
            st = ID[f"statement/{iri_path(rel.doc_id or 'registry')}/{short_hash(str(s), str(p), str(o))}"]
            self.out.add(g, st, RDF.type, RDF.Statement)
            self.out.add(g, st, RDF.subject, s)
            self.out.add(g, st, RDF.predicate, p)
            self.out.add(g, st, RDF.object, o)
            for item in rel.items:
                self.out.add(g, st, PROV.wasDerivedFrom, entity_iri("item", item, rel.doc_id))
            if rel.confidence is not None:
                self.out.add(g, st, KG.confidence, decimal_literal(rel.confidence))

    def rates(self) -> None:
        """Exchange rates as schema:ExchangeRateSpecification (1 unit of currency = price in base)."""
        table = self.ds.rates
        e, g = self.out, REGISTRY_GRAPH
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

    def write(self) -> Emitter:
        """All quads of the dataset: entities in the registry graph, the rest per document."""
        ds = self.ds
        self.out.add(REGISTRY_GRAPH, REGISTRY_GRAPH, KG.statusAsOf, Literal(self.as_of.isoformat(), datatype=XSD.date))
        for key in sorted(ds.registry.authorities):
            self.entity("authority", ds.registry.authorities[key])
        for inst in ds.instruments.values():
            s = self.entity("instrument", inst)
            self.status(REGISTRY_GRAPH, s, inst)
        for key in sorted(ds.parties):
            self.entity("party", ds.parties[key])
        if ds.rates is not None:
            self.rates()
        for doc in ds.documents.values():
            self.entity("document", doc, doc.key)
        for (doc_id, _item_id), item in sorted(ds.items.items()):
            s = self.entity("item", item, doc_id)
            self.out.add(document_graph(doc_id), s, DCTERMS.isPartOf, entity_iri("document", doc_id))
        for rel in ds.relations:
            self.relation(rel)
        for a in ds.actions:
            self.entity("action", a, a.doc_id)
        for c in ds.cases:
            self.entity("case", c, c.doc_id)
        return self.out


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


def dataset_quads(ds: Dataset, as_of: dt.date | None = None) -> list[Quad]:
    """Every quad of the facts (without the ontology), in a stable order; statuses as of ``as_of``
    (default today)."""
    return list(Writer(ds, as_of or dt.date.today()).write().quads)
