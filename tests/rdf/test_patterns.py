"""Which quads a SPARQL query can read (kg.rdf.patterns): its triple patterns, and whether a
changed quad touches them."""

from __future__ import annotations

import pyoxigraph as ox

from kg import paths
from kg.query.network import NODES
from kg.rdf.patterns import ANY, Pattern, as_json, from_json, query_patterns, subject_classes, touches
from kg.views.context import NAMES

KG = "https://w3id.org/regkg/ontology#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def quad(p: str, o: ox.NamedNode | ox.Literal) -> ox.Quad:
    return ox.Quad(ox.NamedNode("https://w3id.org/regkg/id/x"), ox.NamedNode(p), o)


def test_patterns_that_match_any_quad():
    assert query_patterns("SELECT * WHERE { ?s ?p ?o }") == {ANY}
    assert query_patterns("SELECT * WHERE { ?s kg:partOf* ?o }") == {ANY}  # zero-length paths
    assert query_patterns("SELECT * WHERE { ?s kg:partOf+ ?o }") == {Pattern(frozenset({KG + "partOf"}), None)}
    assert query_patterns("SELECT WHERE {") == {ANY}
    # a VALUES block does not restrict a pattern inside an OPTIONAL: a new match there changes rows
    optional = "SELECT * WHERE { VALUES ?p { rdfs:label } ?s a kg:Authority OPTIONAL { ?s ?p ?o } }"
    assert ANY in query_patterns(optional)


def test_the_patterns_of_a_filter_exists_are_read():
    text = ("SELECT * WHERE { ?a kg:amount ?v FILTER NOT EXISTS { ?c skos:notation ?v ; skos:inScheme kg:x } "
            "FILTER EXISTS { ?a kg:partOf/kg:issuedBy ?b } }")
    assert query_patterns(text) == {Pattern(frozenset({KG + "amount"}), None),
                                     Pattern(frozenset({SKOS + "notation"}), None),
                                     Pattern(frozenset({SKOS + "inScheme"}), frozenset({KG + "x"})),
                                     Pattern(frozenset({KG + "partOf"}), None),
                                     Pattern(frozenset({KG + "issuedBy"}), None)}


def test_a_changed_quad_touches_the_patterns_it_matches():
    patterns = list(query_patterns(NODES))
    assert touches(patterns, [quad(RDFS_LABEL, ox.Literal("x"))])
    assert touches(patterns, [quad(RDF_TYPE, ox.NamedNode(KG + "Party"))])
    assert not touches(patterns, [quad(RDF_TYPE, ox.NamedNode(KG + "Tally"))])
    assert not touches(patterns, [quad(KG + "entityCount", ox.Literal("3"))])
    assert touches([ANY], [quad(KG + "entityCount", ox.Literal("3"))])
    assert not touches([ANY], [])


def of(s: str, p: str, o: ox.NamedNode | ox.Literal) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"https://w3id.org/regkg/id/{s}"), ox.NamedNode(p), o)


def test_a_pattern_whose_subject_must_be_of_a_class_is_touched_only_by_quads_of_such_subjects():
    text = ("SELECT * WHERE { ?a a kg:Authority ; kg:authorityKind/skos:notation ?k . "
            "OPTIONAL { ?a rdfs:label|skos:altLabel ?l } ?i eli:title ?t }")
    patterns = query_patterns(text)
    authority = frozenset({KG + "Authority"})
    assert Pattern(frozenset({RDFS_LABEL}), None, authority) in patterns  # the OPTIONAL's right side too
    # the steps of a path are read without classes (past the first, the quads of other subjects)
    assert Pattern(frozenset({SKOS + "notation"}), None) in patterns
    assert Pattern(frozenset({KG + "authorityKind"}), None) in patterns
    # ?i has no class
    assert Pattern(frozenset({"http://data.europa.eu/eli/ontology#title"}), None) in patterns
    graph = ox.Store()
    graph.add(of("a1", RDF_TYPE, ox.NamedNode(KG + "Authority")))
    graph.add(of("doc", RDF_TYPE, ox.NamedNode(KG + "SourceDocument")))
    new_label = of("doc", RDFS_LABEL, ox.Literal("new title"))
    graph.add(new_label)

    def touched(quads: list[ox.Quad], classes: bool = True) -> bool:
        return touches(patterns, quads, subject_classes(graph, quads) if classes else None)

    assert not touched([new_label])  # a newsletter's label: not an authority's
    assert touched([new_label], classes=False)  # without the graph, classes are not looked at
    assert touched([of("a1", RDFS_LABEL, ox.Literal("x"))])
    # a subject that was an authority before the change (its type quad removed) is one too
    assert touched([new_label, of("doc", RDF_TYPE, ox.NamedNode(KG + "Authority"))])
    # no class is assumed across a UNION, or from a class inside an OPTIONAL
    assert Pattern(frozenset({RDFS_LABEL}), None) in query_patterns(
        "SELECT * WHERE { { ?a a kg:Authority } UNION { ?a rdfs:label ?l } }")
    assert Pattern(frozenset({RDFS_LABEL}), None) in query_patterns(
        "SELECT * WHERE { ?a rdfs:label ?l OPTIONAL { ?a a kg:Authority } }")
    # a VALUES block of classes
    typed = query_patterns("SELECT * WHERE { VALUES ?c { kg:Party kg:Authority } ?a a ?c ; rdfs:label ?l }")
    assert Pattern(frozenset({RDFS_LABEL}), None, frozenset({KG + "Party", KG + "Authority"})) in typed


def test_a_zero_length_path_tied_to_a_quad_reads_only_what_it_names():
    # ?c is bound by `?c skos:notation ?n`: each term the path gives itself is one of those quads'
    tied = query_patterns("SELECT * WHERE { ?x dcterms:spatial ?j . ?j skos:broader* ?c . ?c skos:notation ?n }")
    assert ANY not in tied
    assert Pattern(frozenset({SKOS + "broader"}), None) in tied
    # the same path with an end that nothing else binds, or bound only in an OPTIONAL, gives every term
    assert ANY in query_patterns("SELECT * WHERE { ?j skos:broader* ?c }")
    assert ANY in query_patterns("SELECT * WHERE { ?j skos:broader* ?c OPTIONAL { ?c skos:notation ?n } }")
    # a sequence that needs a quad is not zero-length, whatever its parts
    assert ANY not in query_patterns("SELECT * WHERE { ?a kg:partOf/skos:broader* ?b }")
    assert ANY in query_patterns("SELECT * WHERE { ?a kg:partOf?/skos:broader* ?b }")


def test_every_derivation_reads_named_quads_only():
    """The derived tallies (kg.rdf.derive) are taken from the build before when untouched: none of
    their queries may read "any quad" (each would be run again on every rebuild)."""
    for path in paths.derived_queries():
        assert ANY not in query_patterns(path.read_text(encoding="utf-8")), path.name


def test_patterns_as_json_and_back():
    patterns = query_patterns(NAMES) | query_patterns(NODES)
    assert set(from_json(as_json(patterns))) == set(patterns)
    assert any(p.types for p in patterns)
    # a record of two parts (made before the classes were kept) reads as patterns without classes
    assert from_json([[[RDFS_LABEL], None]]) == [Pattern(frozenset({RDFS_LABEL}), None)]
