"""The ontology is the single source of the data model: labels, comments, shapes, vocabularies."""

import re
from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH

from kg import paths
from kg.model import terms as vocab
from kg.model.spec import model
from kg.model.terms import KG
from kg.model.vocabularies import vocabulary
from kg.rdf.ontology import ontology_graph, shapes_graph

PACKAGE = Path(vocab.__file__).parent


def own_terms(g: Graph) -> set[URIRef]:
    return {s for t in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
            for s in g.subjects(RDF.type, t) if str(s).startswith(str(KG))}


def test_every_own_term_has_zh_en_labels_and_a_comment():
    g = ontology_graph()
    terms = own_terms(g)
    assert len(terms) > 40
    for t in terms:
        langs = {lit.language for lit in g.objects(t, RDFS.label)}
        assert {"zh", "en"} <= langs, t
        assert g.value(t, RDFS.comment) is not None, t


def test_every_kg_term_used_in_code_is_declared():
    g = ontology_graph()
    declared = {str(t) for t in own_terms(g)}
    used = set()
    for py in PACKAGE.rglob("*.py"):
        used |= {m for m in re.findall(r"\bKG\.([A-Za-z]+)", py.read_text(encoding="utf-8"))}
    assert used, "the code uses KG terms"
    missing = sorted(n for n in used if str(KG[n]) not in declared)
    assert missing == []


def test_every_own_class_has_a_shape():
    g = ontology_graph()
    classes = {c for c in g.subjects(RDF.type, OWL.Class) if str(c).startswith(str(KG))}
    targeted = set(shapes_graph().objects(None, SH.targetClass))
    assert classes - targeted == set()


def test_vocabularies_have_unique_notations_and_labels():
    for name in model().schemes:
        voc = vocabulary(name)
        assert voc.concepts, name
        for c in voc.concepts.values():
            assert c.labels.get("en") or c.labels.get("zh"), (name, c.notation)
    assert vocabulary("currency").lookup("韩元") == "KRW"
    assert vocabulary("currency").lookup("澳元") == "AUD"
    assert vocabulary("jurisdiction").lookup("韩国") == "KR"
    assert vocabulary("jurisdiction").lookup("湖南") == "CN-HN"
    assert vocabulary("jurisdiction").lookup("郴州市") == "CN-431000"
    assert vocabulary("jurisdiction").ancestors("CN-431000") == ["CN-431000", "CN-HN", "CN"]


def test_ontology_files_parse_and_use_standard_parents():
    g = ontology_graph()
    assert (KG.Instrument, RDFS.subClassOf, URIRef("http://data.europa.eu/eli/ontology#LegalResource")) in g
    assert (KG.Authority, RDFS.subClassOf, URIRef("http://www.w3.org/ns/org#Organization")) in g
    assert (KG.EnforcementAction, RDFS.subClassOf, URIRef("http://www.w3.org/ns/prov#Activity")) in g
    for f in paths.ontology_files():
        assert len(Graph().parse(f)) > 100, f
