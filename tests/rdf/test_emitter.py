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


def test_stretches_taken_reach_the_sink_unread_those_that_follow_on_as_one(tmp_path):
    """Bytes next to one another are one part, a run of stretches of one file that follow on is one
    stretch, and a stretch never joins bytes: the sink is handed the texts in their order."""
    from kg.rdf.emitter import Stretch

    path = tmp_path / "earlier.nq"
    path.write_bytes(b"0123456789")
    g = ox.NamedNode("https://w3id.org/regkg/graph/registry")
    s = ox.NamedNode("https://w3id.org/regkg/id/x")
    sent: list = []
    with path.open("rb") as fh:
        out = Emitter(lambda text, triples: sent.append((text, triples)), every=1000, triples=True)
        out.take(Stretch(fh, 0, 3), Stretch(fh, 0, 2))
        out.take(Stretch(fh, 3, 7), Stretch(fh, 2, 5))  # follow on in both
        out.take(Stretch(fh, 8, 9), Stretch(fh, 6, 7))  # not
        out.add(g, s, URIRef("https://w3id.org/regkg/ontology#p"), ox.Literal("a"))
        quad, triple = b"<urn:a> <urn:b> <urn:c> <urn:g> .\n", b"<urn:a> <urn:b> <urn:c> .\n"
        out.take(quad, triple)
        line = f"{s} <https://w3id.org/regkg/ontology#p> \"a\""
        made, made_triple = f"{line} {g} .\n".encode() + quad, f"{line} .\n".encode() + triple
        assert out.mark() == (3 + 4 + 1 + len(made), 2 + 3 + 1 + len(made_triple))  # where the next text starts
        out.flush()
    assert sent == [(Stretch(fh, 0, 7), Stretch(fh, 0, 5)), (Stretch(fh, 8, 9), Stretch(fh, 6, 7)),
                    (made, made_triple)]
