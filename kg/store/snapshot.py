"""The facts of a built store that an analyst compares between two builds.

A :class:`Snapshot` holds, per kind of fact (``instrument``, ``action``, ``case``, ``relation``),
one record per entity: field -> the sorted raw values (IRIs or lexical forms) read by SPARQL from
the store, plus the labels to show them with. Comparing raw values means that a renamed
authority does not make every instrument it issued look changed; the labels are for display.

Relations are the instrument-to-instrument triples of the registry graph whose property is the
main property of a relation type (``kg/model/relations.yaml``); the standard super-properties
written beside them (``eli:changes`` …) are implied and not listed again.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import RDF

from ..model.spec import model
from ..model.terms import KG, PREFIXES, REGISTRY_GRAPH

KINDS = ("instrument", "relation", "action", "case")

# per kind of fact: its class, and the compared fields with the property path that gives each
FIELDS: dict[str, tuple[str, dict[str, str]]] = {
    "instrument": ("kg:Instrument", {
        "title": "rdfs:label", "number": "eli:id_local", "type": "kg:instrumentType", "issuers": "eli:passed_by",
        "date": "eli:date_document|kg:dateDocumentApprox",
        "in_force": "eli:first_date_entry_in_force|kg:dateEntryInForceApprox",
        "status": "kg:status", "jurisdiction": "dcterms:spatial"}),
    "action": ("kg:EnforcementAction", {
        "kinds": "kg:actionKind", "authorities": "prov:wasAssociatedWith", "targets": "kg:target",
        "target_count": "kg:targetCount", "fine": "kg:penalty/schema:value", "currency": "kg:penalty/schema:currency",
        "fine_as_written": "kg:penalty/kg:amountAsWritten", "laws": "kg:legalBasis", "date": "dcterms:date",
        "jurisdiction": "dcterms:spatial"}),
    "case": ("kg:CourtCase", {
        "title": "dcterms:title", "court": "prov:wasAssociatedWith", "plaintiffs": "kg:plaintiff",
        "defendants": "kg:defendant", "outcome": "kg:outcome", "damages": "kg:damages/schema:value",
        "currency": "kg:damages/schema:currency", "damages_as_written": "kg:damages/kg:amountAsWritten",
        "laws": "kg:legalBasis", "date": "dcterms:date", "jurisdiction": "dcterms:spatial"}),
}


def _fields_query(cls: str, fields: dict[str, str]) -> str:
    """SELECT ?s ?field ?value: every compared field of every ``cls`` node, one UNION branch a field
    (the text is made of the constants above only)."""
    branches = "\n  UNION ".join(f'{{ ?s {path} ?value . BIND("{name}" AS ?field) }}' for name, path in fields.items())
    return f"SELECT ?s ?field ?value WHERE {{\n  ?s a {cls} .\n  {branches}\n}}"


# the names shown for the bodies, parties and instruments a fact refers to, and where a body sits
NAMES = """
SELECT ?s ?label ?home WHERE {
  { ?s a kg:Authority } UNION { ?s a kg:Party } UNION { ?s a kg:Instrument }
  ?s rdfs:label ?label .
  OPTIONAL { ?s a kg:Authority ; dcterms:spatial ?home }
}"""

CONCEPTS = """
SELECT ?s ?code ?zh ?en ?place WHERE {
  ?s a skos:Concept ; skos:notation ?code .
  OPTIONAL { ?s skos:prefLabel ?zh . FILTER(LANG(?zh) = "zh") }
  OPTIONAL { ?s skos:prefLabel ?en . FILTER(LANG(?en) = "en") }
  BIND(EXISTS { ?s a kg:Jurisdiction } AS ?place)
}"""

QUERIES = {kind: _fields_query(cls, fields) for kind, (cls, fields) in FIELDS.items()}

Record = dict[str, tuple[str, ...]]


@dataclass
class Snapshot:
    """The compared facts of one store, and the names to show them with."""

    records: dict[str, dict[str, Record]] = field(default_factory=lambda: {k: {} for k in KINDS})
    labels: dict[str, str] = field(default_factory=dict)
    codes: dict[str, str] = field(default_factory=dict)
    home: dict[str, str] = field(default_factory=dict)
    jurisdictions: dict[str, str] = field(default_factory=dict)  # code -> ``湖南省 / Hunan Sheng``

    def label(self, value: str) -> str:
        """The Chinese label of a concept, the label of an entity, else the value itself."""
        return self.labels.get(value) or self.codes.get(value) or value

    def code(self, value: str) -> str:
        """The notation of a concept (a jurisdiction code such as ``CN-HN``), else the value."""
        return self.codes.get(value, value)


# Oxigraph reads a VALUES block of up to about a thousand subjects in a time that grows with them
# (at 1M triples 0.57 s for 1,000), and more in one that grows with their square (11.6 s for 1,400,
# 16.4 s for 2,000), while every entity takes 4 s
SUBJECTS_AT_MOST = 1_000


def _select(store: ox.Store, text: str) -> list[list[str | None]]:
    rows = store.query(text, use_default_graph_as_union=True, prefixes=PREFIXES)
    return [[None if t is None else t.value for t in row] for row in rows]


def _records(store: ox.Store, text: str) -> dict[str, Record]:
    grouped: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for s, name, value in _select(store, text):
        grouped[s][name].add(value)
    return {s: {k: tuple(sorted(v)) for k, v in fields.items()} for s, fields in grouped.items()}


def _only(text: str, subjects: set[str] | None) -> str:
    """A query (fields, names) for the entities ``subjects`` only (all when None): a VALUES block of
    IRIs serialised by pyoxigraph (escaped, so an IRI cannot change the query)."""
    if subjects is None:
        return text
    values = " ".join(str(ox.NamedNode(s)) for s in sorted(subjects))
    head, brace, rest = text.partition("WHERE {")
    return f"{head}{brace} VALUES ?s {{ {values} }}{rest}"


def _relations(store: ox.Store, instruments: set[str], subjects: set[str] | None) -> dict[str, Record]:
    """``subject relation object`` -> its record, from the registry graph, between two instruments
    (an article is also part of its instrument); a super-property written beside a stated relation
    (``also`` in relations.yaml) is not a relation of its own. With ``subjects``: the relations of
    those subjects only (their objects looked up as instruments in the store)."""
    types = model().relations
    graph = ox.NamedNode(str(REGISTRY_GRAPH))
    rdf_type, instrument = ox.NamedNode(str(RDF.type)), ox.NamedNode(str(KG.Instrument))

    def is_instrument(node) -> bool:
        if subjects is None:
            return node.value in instruments
        return next(iter(store.quads_for_pattern(node, rdf_type, instrument)), None) is not None

    starts = [None] if subjects is None else [ox.NamedNode(s) for s in sorted(subjects)]
    stated: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, rt in types.items():
        for start in starts:
            for q in store.quads_for_pattern(start, ox.NamedNode(str(rt.prop)), None, graph):
                if q.subject.value in instruments and is_instrument(q.object):
                    stated[(q.subject.value, q.object.value)].add(name)
    out: dict[str, Record] = {}
    for (s, o), names in stated.items():
        implied = {str(p) for n in names for p in types[n].also}
        for name in names:
            if str(types[name].prop) in implied:
                continue
            out[f"{s} {name} {o}"] = {"subject": (s,), "relation": (name,), "object": (o,)}
    return out


def _named(snap: Snapshot) -> set[str]:
    """The entities the records of ``snap`` are about or refer to (the IRIs among their values)."""
    values = {v for records in snap.records.values() for rec in records.values() for vs in rec.values() for v in vs}
    values.update(s for kind in QUERIES for s in snap.records[kind])
    out = set()
    for v in values:
        try:
            ox.NamedNode(v)
        except ValueError:  # a lexical form, not an IRI
            continue
        out.add(v)
    return out


def snapshot(store: ox.Store, subjects: set[str] | None = None) -> Snapshot:
    """Read the compared facts and their names from a built store: of every entity, or of the
    entities ``subjects`` only, with the names of the entities their facts refer to (at 1M
    triples the names of every entity take 0.5 s a store). More than :data:`SUBJECTS_AT_MOST`
    subjects (or names) are read as every entity: the same comparison, and faster."""
    if subjects is not None and len(subjects) > SUBJECTS_AT_MOST:
        subjects = None
    snap = Snapshot()
    for kind, text in QUERIES.items():
        snap.records[kind] = _records(store, _only(text, subjects))
    snap.records["relation"] = _relations(store, set(snap.records["instrument"]), subjects)
    named = None if subjects is None else _named(snap)
    if named is not None and len(named) > SUBJECTS_AT_MOST:
        named = None
    for s, label, home in sorted(_select(store, _only(NAMES, named)), key=str):
        snap.labels.setdefault(s, label)
        if home is not None:
            snap.home[s] = home
    for s, code, zh, en, place in sorted(_select(store, CONCEPTS), key=str):
        snap.codes.setdefault(s, code)
        if zh or en:
            snap.labels.setdefault(s, zh or en)
        if place == "true":
            snap.jurisdictions.setdefault(code, " / ".join(dict.fromkeys(x for x in (zh, en) if x)))
    return snap
