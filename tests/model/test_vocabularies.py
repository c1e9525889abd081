"""The ontology's Turtle files read into rdflib terms (kg.model.vocabularies)."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg import paths
from kg.model import vocabularies
from kg.model.vocabularies import files_graph


def test_the_files_graph_is_the_graph_rdflibs_own_parser_reads():
    theirs = Graph()
    for f in paths.ontology_files():
        theirs.parse(f, format="turtle")
    assert set(files_graph()) == set(theirs) and len(files_graph()) > 1000


def test_every_kind_of_term_comes_out_as_rdflibs_turtle_parser_makes_it(tmp_path, monkeypatch):
    text = """@prefix ex: <http://example.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
ex:a ex:p "plain", "中文"@zh, "1"^^xsd:integer, 2, 2.5, true, "2025-01"^^xsd:gYearMonth, [ ex:q ex:b ] .
"""
    (tmp_path / "x.ttl").write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "ontology_files", lambda: [tmp_path / "x.ttl"])
    files_graph.cache_clear()
    try:
        ours = files_graph()
        theirs = Graph().parse(data=text, format="turtle")
        assert isomorphic(ours, theirs)
        literals = {o for o in ours.objects(URIRef("http://example.org/a"), URIRef("http://example.org/p"))
                    if not isinstance(o, BNode)}
        assert Literal("plain") in literals and Literal("plain").datatype is None
        assert literals == {o for o in theirs.objects() if isinstance(o, Literal)}
    finally:
        files_graph.cache_clear()


def test_a_file_that_is_not_turtle_is_named(tmp_path, monkeypatch):
    (tmp_path / "bad.ttl").write_text("@prefix ex: <http://example.org/> .\nex:a ex:p .\n", encoding="utf-8")
    monkeypatch.setattr(paths, "ontology_files", lambda: [tmp_path / "bad.ttl"])
    files_graph.cache_clear()
    try:
        with pytest.raises(SyntaxError, match=r"bad\.ttl"):
            vocabularies.files_graph()
    finally:
        files_graph.cache_clear()
