"""rdflib terms and pyoxigraph terms, one into the other."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class _Nodes(dict):
    """IRIs as pyoxigraph terms, each made once: ``NODE[RDF.type]``."""

    def __missing__(self, iri: URIRef) -> ox.NamedNode:
        node = self[iri] = ox.NamedNode(iri)
        return node


NODE = _Nodes()  # the model's terms (classes, properties, concepts) as pyoxigraph terms


def to_ox(term):
    """An rdflib term as a pyoxigraph term."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def from_ox(term):
    """A pyoxigraph term as an rdflib term."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)  # a simple literal, as rdflib writes it
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return term


def to_ox_quads(quads) -> list[ox.Quad]:
    """rdflib quads as pyoxigraph quads (the ontology's, which rdflib reads and reasons on)."""
    return [ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g)) for s, p, o, g in quads]
