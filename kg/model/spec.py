"""The model, declared once: record kinds, their fields, types, cardinality and RDF terms.

``kg/model/records/N-<kind>.yaml`` (N: the order the pipeline reads them in) describes one kind of
record of the fact files (document, item, authority, instrument, relation, action, case, party):
its class, named graph and IRI pattern, and for every field its type, cardinality, RDF property
and, for the graph's own properties, their labels. ``relations.yaml`` lists the relation types
between instruments and ``schemes.yaml`` the controlled vocabularies. Everything else derives from
here: the fact-file parsers (:mod:`kg.facts.schema`), the merge of reports
(:mod:`kg.facts.instruments`), the RDF writer (:mod:`kg.rdf.writer`), the own property
declarations and SHACL property shapes (:mod:`kg.rdf.ontology`), the networks of the views
(:mod:`kg.query.network`), the entity types of the query packs (:mod:`kg.query.packs`) and the
field tables of ``data/README.md`` (:mod:`kg.model.docs`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from rdflib import URIRef

from ..errors import KgError
from .terms import PREFIXES

HERE = Path(__file__).resolve().parent

# field types: what a value is in a fact file (and how it is parsed, merged and written)
TYPES = {
    "id": "an identifier unique in its file",
    "key": "a stable key (default derived from the record)",
    "text": "text",
    "path": "a list of headings",
    "lines": "a line span [first, last]",
    "url": "an http(s) URL",
    "date": "YYYY-MM-DD, YYYY-MM or YYYY",
    "count": "a whole number",
    "flag": "true or false",
    "confidence": "a number from 0 to 1",
    "term": "a notation of a vocabulary",
    "ref": "a reference to another record",
    "party": "a party name",
    "parties": "a list of {name, role}",
    "agent": "the name of an agent",
    "amount": "{amount, currency, text, approximate}",
    "legal-basis": "a list of {instrument, articles}",
    "relation-type": "a relation type",
    "items": "a list of item ids (provenance)",
    "sources": "a list of page URLs or document ids where a reference entry was checked",
    "amendments": "a list of {date, effective, by}",
    "note": "a note in your own words (not in the graph)",
}
FIELD_KEYS = {"type", "many", "required", "doc", "rdf", "approx", "literal", "vocabulary", "to", "write", "merge",
              "edge", "define", "pattern", "relation", "reverse"}
KIND_KEYS = {"kind", "section", "doc", "class", "types", "graph", "iri", "provenance", "identity", "fields"}
MERGES = {"confident", "latest", "union", "titles"}
NETWORKS = ("issuance", "lineage", "enforcement")


class ModelError(KgError):
    """A model file is wrong (a developer's error, found at import)."""


def expand(curie: str) -> URIRef:
    """``eli:title`` -> the full IRI (prefixes of :data:`kg.model.terms.PREFIXES`)."""
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES:
        raise ModelError(f"{curie!r} is not a CURIE with a known prefix ({', '.join(PREFIXES)})")
    return URIRef(PREFIXES[prefix] + local)


@dataclass(frozen=True)
class Edge:
    """A field drawn as an edge of a network of the views."""

    name: str
    network: str
    reverse: bool = False  # drawn from the value to the record (authority -> instrument it issued)


@dataclass(frozen=True)
class Field:
    """One field of a record kind."""

    name: str
    type: str
    many: bool = False
    required: bool = False
    doc: str = ""
    rdf: tuple[URIRef, ...] = ()
    partial: str = "same"  # a partial date (YYYY, YYYY-MM): "same" property, "approx" property, or "drop"
    approx: URIRef | None = None  # the property of a partial date when ``partial`` is "approx"
    plain: bool = False  # text written as xsd:string, not language-tagged
    vocabulary: str | None = None
    to: str | None = None
    write: str | None = None  # a named writer (titles, labels, status) instead of the type's
    merge: str | None = None
    edge: Edge | None = None
    define: dict = field(default_factory=dict)  # labels of an own property this field introduces
    pattern: str | None = None  # the shape a value must have (a regular expression)
    relation: str | None = None  # a ref field stated as relations of this type (replaces ...)
    reverse: bool = False  # the relation goes from the referenced instrument to this one

    @property
    def prop(self) -> URIRef | None:
        """The RDF property (the first, for a field written with several)."""
        return self.rdf[0] if self.rdf else None


@dataclass(frozen=True)
class Kind:
    """A kind of record: its class, graph, IRI pattern and fields."""

    name: str
    section: str | None
    doc: str
    cls: URIRef
    types: tuple[URIRef, ...]
    graph: str  # "registry" or "document"
    iri: str | None
    provenance: URIRef | None
    identity: tuple[str, ...]
    fields: dict[str, Field]

    def required(self) -> list[str]:
        """Names of the required fields."""
        return [f.name for f in self.fields.values() if f.required]


@dataclass(frozen=True)
class RelationType:
    """A type of relation between instruments."""

    name: str
    prop: URIRef
    also: tuple[URIRef, ...]
    lineage: bool
    labels: dict[str, str]
    comment: str | None


@dataclass(frozen=True)
class Scheme:
    """A controlled vocabulary: its concept scheme, the class of its concepts, its notation datatype."""

    name: str
    scheme: URIRef
    cls: URIRef
    notation: URIRef


@dataclass(frozen=True)
class Model:
    """All record kinds, relation types and vocabularies."""

    kinds: dict[str, Kind]
    relations: dict[str, RelationType]
    schemes: dict[str, Scheme]

    def kind_of_section(self, section: str) -> Kind:
        """The kind a fact-file section (``instruments``) holds."""
        return next(k for k in self.kinds.values() if k.section == section)

    @property
    def sections(self) -> dict[str, str]:
        """Fact-file section -> record kind."""
        return {k.section: k.name for k in self.kinds.values() if k.section}

    def edges(self, network: str) -> list[tuple[Kind, Field]]:
        """The fields drawn as edges of one network (issuance, enforcement)."""
        return [(k, f) for k in self.kinds.values() for f in k.fields.values()
                if f.edge is not None and f.edge.network == network]


def _check_keys(raw: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ModelError(f"{where}: unknown key(s) {', '.join(unknown)} (known: {', '.join(sorted(allowed))})")


def _field(name: str, raw: dict[str, Any], where: str) -> Field:
    _check_keys(raw, FIELD_KEYS, f"{where} field {name}")
    ftype = raw.get("type")
    if ftype not in TYPES:
        raise ModelError(f"{where} field {name}: type {ftype!r} is not one of {', '.join(TYPES)}")
    rdf = raw.get("rdf") or ()
    rdf = tuple(expand(c) for c in ([rdf] if isinstance(rdf, str) else rdf))
    approx = raw.get("approx")
    merge = raw.get("merge")
    if merge is not None and merge not in MERGES:
        raise ModelError(f"{where} field {name}: merge {merge!r} is not one of {', '.join(sorted(MERGES))}")
    edge = raw.get("edge")
    if edge is not None:
        if edge.get("network") not in NETWORKS:
            raise ModelError(f"{where} field {name}: an edge's network is one of {', '.join(NETWORKS)}")
        edge = Edge(edge["name"], edge["network"], bool(edge.get("reverse", False)))
    if ftype == "term" and not raw.get("vocabulary"):
        raise ModelError(f"{where} field {name}: a term field names its vocabulary")
    if ftype == "ref" and not raw.get("to"):
        raise ModelError(f"{where} field {name}: a ref field names the kind it refers to (to:)")
    return Field(
        name=name, type=ftype, many=bool(raw.get("many", False)), required=bool(raw.get("required", False)),
        doc=str(raw.get("doc", "")), rdf=rdf, partial="drop" if approx == "none" else "approx" if approx else "same",
        approx=expand(approx) if approx and approx != "none" else None, plain=raw.get("literal") == "plain",
        vocabulary=raw.get("vocabulary"), to=raw.get("to"), write=raw.get("write"), merge=merge, edge=edge,
        define=dict(raw.get("define") or {}), pattern=raw.get("pattern"), relation=raw.get("relation"),
        reverse=bool(raw.get("reverse", False)),
    )


def _kind(path: Path) -> Kind:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    where = f"{path.name}"
    _check_keys(raw, KIND_KEYS, where)
    try:
        fields = {name: _field(name, spec, where) for name, spec in raw["fields"].items()}
    except ModelError as exc:
        raise exc if str(exc).startswith(where) else ModelError(f"{where}: {exc}") from None
    identity = tuple(raw.get("identity", ()))
    for name in identity:
        if name not in fields:
            raise ModelError(f"{where}: identity field {name!r} is not a field")
    return Kind(
        name=raw["kind"], section=raw.get("section"), doc=str(raw.get("doc", "")), cls=expand(raw["class"]),
        types=tuple(expand(c) for c in raw.get("types", ())), graph=raw["graph"], iri=raw.get("iri"),
        provenance=expand(raw["provenance"]) if raw.get("provenance") else None, identity=identity, fields=fields,
    )


@cache
def model() -> Model:
    """The model (read once from ``kg/model/*.yaml``)."""
    kinds = {}
    for path in sorted((HERE / "records").glob("*.yaml")):
        k = _kind(path)
        kinds[k.name] = k
    rel_raw = yaml.safe_load((HERE / "relations.yaml").read_text(encoding="utf-8"))["relations"]
    relations = {
        name: RelationType(name, expand(r["property"]), tuple(expand(c) for c in r.get("also", ())),
                           bool(r.get("lineage", False)), {"zh": r["zh"], "en": r["en"]}, r.get("comment"))
        for name, r in rel_raw.items()
    }
    sch_raw = yaml.safe_load((HERE / "schemes.yaml").read_text(encoding="utf-8"))["schemes"]
    schemes = {name: Scheme(name, expand(s["scheme"]), expand(s["class"]), expand(s["notation"]))
               for name, s in sch_raw.items()}
    for k in kinds.values():
        for f in k.fields.values():
            if f.type == "term" and f.vocabulary not in schemes:
                raise ModelError(f"{k.name} field {f.name}: unknown vocabulary {f.vocabulary!r}")
            if f.type == "ref" and f.to not in kinds:
                raise ModelError(f"{k.name} field {f.name}: unknown kind {f.to!r}")
            if f.relation is not None and f.relation not in relations:
                raise ModelError(f"{k.name} field {f.name}: unknown relation type {f.relation!r}")
    return Model(kinds, relations, schemes)
