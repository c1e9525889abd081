"""The writer's quads as N-Quads text (kg.rdf.emitter)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import URIRef

from kg.rdf.emitter import Emitter

XSD = "http://www.w3.org/2001/XMLSchema#"


def test_the_text_writes_every_kind_of_term_as_oxigraph_does():
    g = ox.NamedNode("https://w3id.org/regkg/graph/registry")
    s = ox.NamedNode("https://w3id.org/regkg/id/instrument/CN/示例法")
    objects = [ox.Literal('引号" 反斜杠\\ 换行\n 制表\t', language="zh"),
               ox.Literal("12.50", datatype=ox.NamedNode(XSD + "decimal")),
               ox.Literal("plain"), ox.NamedNode("https://example.org/a%20b"), s]
    texts = []
    out = Emitter(texts.append, every=1)
    for i, o in enumerate(objects):
        out.add(g, s, URIRef(f"https://w3id.org/regkg/ontology#p{i}"), o)
        out.flush()
    out.add(g, s, URIRef("https://w3id.org/regkg/ontology#p0"), objects[0])  # the same triple: not again
    out.flush()
    quads = [ox.Quad(s, ox.NamedNode(f"https://w3id.org/regkg/ontology#p{i}"), o, g) for i, o in enumerate(objects)]
    assert texts == [ox.serialize([q], format=ox.RdfFormat.N_QUADS) for q in quads]
    assert Emitter().quads == [] and out.quads == []
