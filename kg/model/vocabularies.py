"""The ontology and its SKOS vocabularies, read from ``ontology/*.ttl``.

Valid values of every controlled field (instrument types, statuses, kinds,
jurisdictions, currencies ...) come from here, so the Turtle files stay the
single source of the data model.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import SKOS

from .. import paths
from ..rdf.oxterms import from_ox  # term conversion only: kg.rdf.oxterms reads no kg module
from .ids import clean_text
from .spec import model


@cache
def files_graph() -> Graph:
    """The Turtle files of ``ontology/`` (without the shapes) as one rdflib graph (cached; do not
    modify); :func:`kg.rdf.ontology.ontology_graph` adds what the model declares. Parsed by
    Oxigraph, whose parser is written in Rust (rdflib's parse took 0.63 s, this 0.19 s), into rdflib's
    terms: the same graph (tests/model/test_vocabularies.py)."""
    g = Graph()
    for f in paths.ontology_files():
        try:
            g.addN((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object), g)
                   for t in ox.parse(path=f, format=ox.RdfFormat.TURTLE))
        except SyntaxError as exc:
            raise SyntaxError(f"{f}: {exc}") from None
    return g


@dataclass
class Concept:
    """One SKOS concept of a scheme."""

    notation: str
    iri: URIRef
    labels: dict[str, str] = field(default_factory=dict)  # lang -> prefLabel
    alt_labels: list[str] = field(default_factory=list)
    broader: str | None = None  # notation

    def label(self, lang: str = "zh") -> str:
        """The preferred label in ``lang``, falling back to English then the notation."""
        return self.labels.get(lang) or self.labels.get("en") or self.notation


@dataclass
class Vocabulary:
    """A SKOS concept scheme indexed by notation and by label."""

    name: str
    scheme: URIRef
    concepts: dict[str, Concept]
    by_label: dict[str, str]  # cleaned label or alt label -> notation

    def __contains__(self, notation: object) -> bool:
        return notation in self.concepts

    def iri(self, notation: str) -> URIRef:
        """The IRI of the concept with this notation (KeyError if unknown)."""
        return self.concepts[notation].iri

    def lookup(self, label: str) -> str | None:
        """The notation of the concept with this label or notation, if any."""
        if label in self.concepts:
            return label
        return self.by_label.get(clean_text(label))

    def descendants(self, notation: str) -> list[str]:
        """The notation itself and every concept below it."""
        return [n for n in self.concepts if notation in self.ancestors(n)]

    def ancestors(self, notation: str) -> list[str]:
        """The notation itself and every broader notation, nearest first."""
        out = []
        seen = set()
        while notation and notation not in seen:
            seen.add(notation)
            out.append(notation)
            c = self.concepts.get(notation)
            notation = c.broader if c else None
        return out


_READ: dict[str, Vocabulary] = {}  # the vocabularies read so far (or adopted from a cache)


def vocabulary(name: str) -> Vocabulary:
    """The vocabulary for a controlled field, e.g. ``vocabulary("currency")`` (read once)."""
    voc = _READ.get(name)
    if voc is None:
        voc = _READ[name] = _read_vocabulary(name)
    return voc


def all_vocabularies() -> dict[str, Vocabulary]:
    """Every vocabulary of the model, by name (reading those not read yet)."""
    return {name: vocabulary(name) for name in model().schemes}


def adopt_vocabularies(vocabularies: dict[str, Vocabulary]) -> None:
    """Use vocabularies read earlier from the same ontology and model (a cache of
    :func:`all_vocabularies`) for those this process has not read yet: no Turtle is parsed for them."""
    for name, voc in vocabularies.items():
        _READ.setdefault(name, voc)


def _read_vocabulary(name: str) -> Vocabulary:
    g = files_graph()
    scheme = model().schemes[name].scheme
    concepts: dict[str, Concept] = {}
    by_label: dict[str, str] = {}
    if name == "relation_type":  # declared by kg/model/relations.yaml, not by a Turtle file
        for rt in model().relations.values():
            concepts[rt.name] = Concept(rt.name, URIRef(f"{scheme}/{rt.name}"), dict(rt.labels))
    for c in g.subjects(SKOS.inScheme, scheme):
        notation = str(g.value(c, SKOS.notation))
        concept = Concept(notation=notation, iri=c)
        for lit in g.objects(c, SKOS.prefLabel):
            concept.labels[lit.language or ""] = str(lit)
        concept.alt_labels = sorted(str(lit) for lit in g.objects(c, SKOS.altLabel))
        b = g.value(c, SKOS.broader)
        if b is not None:
            concept.broader = str(g.value(b, SKOS.notation))
        concepts[notation] = concept
    # preferred labels win over alternative labels when both match
    for concept in concepts.values():
        for alt in concept.alt_labels:
            by_label.setdefault(clean_text(alt), concept.notation)
    for concept in concepts.values():
        for lab in concept.labels.values():
            by_label[clean_text(lab)] = concept.notation
    return Vocabulary(name=name, scheme=scheme, concepts=concepts, by_label=by_label)
