"""The dumps of a build: sorted, duplicate-free lines, the union graph made from the quads' lines."""

import pyoxigraph as ox
import pytest

from kg.model.terms import GRAPH
from kg.store.store import NQUADS, NTRIPLES, dumps

EX = "https://example.org/"


def _quad(s: str, o, g: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), o, ox.NamedNode(f"{GRAPH}{g}"))


def test_dumps_are_sorted_without_repeats_and_the_union_keeps_each_triple_once(tmp_path):
    quads = [
        _quad("b", ox.Literal("x y", language="en"), "registry"),
        _quad("a", ox.Literal("x"), "doc/d1"),
        _quad("a", ox.Literal("x"), "doc/d2"),  # the same triple in another graph
        _quad("a", ox.Literal("x", language="en-gb"), "registry"),
        _quad("a", ox.Literal("x", language="en"), "registry"),
        _quad("b", ox.Literal("x y", language="en"), "registry"),  # a repeated quad
        _quad("a", ox.NamedNode(EX + "o"), "registry"),
    ]
    got = dumps(quads, tmp_path)
    lines = (tmp_path / NQUADS).read_bytes().splitlines()
    assert lines == sorted(set(lines)) and len(lines) == got.quads == 6
    union = (tmp_path / NTRIPLES).read_bytes().splitlines()
    assert union == sorted(set(union)) and len(union) == got.triples == 5
    expected = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    parsed = ox.parse(path=str(tmp_path / NTRIPLES), format=ox.RdfFormat.N_TRIPLES)
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in parsed} == expected


def test_a_quad_outside_the_named_graphs_is_refused(tmp_path):
    quads = [_quad("a", ox.Literal("x"), "registry"),
             ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "o"))]
    with pytest.raises(ValueError, match="named graphs"):
        dumps(quads, tmp_path)
