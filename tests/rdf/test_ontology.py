"""The ontology is the single source of the data model: labels, comments, shapes, vocabularies."""

import os
import pickle
import re
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from kg import paths
from kg.facts.basecache import write_cached
from kg.model import terms as vocab
from kg.model.spec import model
from kg.model.terms import KG
from kg.model.vocabularies import vocabulary
from kg.rdf.ontology import ontology_graph, ontology_nquads, ontology_quads, shapes_graph
from kg.rdf.oxterms import to_ox_quads

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


def test_model_declares_each_own_property_once():
    g = ontology_graph()
    files = Graph()
    for f in paths.ontology_files():
        files.parse(f)
    for kind in model().kinds.values():
        for f in kind.fields.values():
            if f.define:
                assert (f.prop, RDF.type, None) not in files, f"{f.prop} is declared in the model and in a file"
                assert (f.prop, RDFS.domain, kind.cls) in g
    used = {p for k in model().kinds.values() for f in k.fields.values() for p in f.rdf if str(p).startswith(str(KG))}
    declared = {s for s in g.subjects(RDF.type, None) if str(s).startswith(str(KG))}
    assert used - declared == set(), "every own property a field uses is declared"


def test_relation_types_are_a_concept_scheme_of_the_model():
    g = ontology_graph()
    scheme = model().schemes["relation_type"]
    concepts = set(g.subjects(SKOS.inScheme, scheme.scheme))
    assert len(concepts) == len(model().relations)
    replaces = vocabulary("relation_type").iri("replaces")
    assert (replaces, KG.relationProperty, KG.replaces) in g
    assert (replaces, SKOS.notation, Literal("replaces", datatype=scheme.notation)) in g


def test_own_schemes_have_top_concepts_and_typed_notations():
    g = ontology_graph()
    for scheme in model().schemes.values():
        concepts = set(g.subjects(SKOS.inScheme, scheme.scheme))
        assert concepts, scheme.name
        for c in concepts:
            notation = g.value(c, SKOS.notation)
            assert notation.datatype == scheme.notation, (c, notation)
            assert (c, SKOS.broader, None) in g or (c, SKOS.topConceptOf, scheme.scheme) in g, c


def test_own_concepts_are_not_put_into_elis_tables():
    g = ontology_graph()
    eli = "http://data.europa.eu/eli/ontology#"
    for cls in (KG.InstrumentType, KG.Jurisdiction):
        assert not [o for o in g.objects(cls, RDFS.subClassOf) if str(o).startswith(eli)]


def test_shapes_catch_skos_label_and_notation_misuse():
    from kg.rdf.validate import validate_graph

    bad = Graph()
    node = URIRef("https://w3id.org/regkg/id/party/x")
    bad.add((node, RDF.type, KG.Party))
    bad.add((node, RDFS.label, Literal("甲公司", lang="zh")))
    bad.add((node, SKOS.prefLabel, Literal("甲公司", lang="zh")))
    bad.add((node, SKOS.prefLabel, Literal("甲有限公司", lang="zh")))
    bad.add((node, SKOS.altLabel, Literal("甲公司", lang="zh")))
    concept = URIRef("https://w3id.org/regkg/vocab/topics/x")
    bad.add((concept, RDF.type, KG.Topic))
    bad.add((concept, SKOS.notation, Literal("x")))
    bad.add((concept, SKOS.prefLabel, Literal("x", lang="en")))
    bad.add((concept, SKOS.inScheme, URIRef("https://w3id.org/regkg/vocab/topics")))
    messages = {(f.focus, f.message) for f in validate_graph(bad) if f.severity == "Violation"}
    assert (str(node), "one skos:prefLabel per language, never also a skos:altLabel") in messages
    assert any(focus == str(concept) and "typed" in message for focus, message in messages)
    assert any(focus == str(concept) and "top concept" in message for focus, message in messages)


def test_the_ontology_comes_in_the_same_order_in_every_process():
    """rdflib iterates a graph in the order of its terms' hashes, which Python salts per process:
    the ontology's triples are given in one order (a build's store and its queries' order follow)."""
    import subprocess
    import sys

    code = ("import hashlib; from kg.rdf.ontology import ontology_triples; "
            "print(hashlib.sha256(repr(ontology_triples()).encode()).hexdigest())")
    runs = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "2")}
    assert len(runs) == 1


def test_the_ontology_text_is_kept_in_the_cache_and_made_anew_when_asked(tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    made = ox.serialize(to_ox_quads(ontology_quads()), format=ox.RdfFormat.N_QUADS)
    assert ontology_nquads() == made
    path = tmp_path / "ontology.pickle"
    key, text = pickle.loads(path.read_bytes())
    assert text == made
    planted = made + b"<urn:x:s> <urn:x:p> <urn:x:o> .\n"
    write_cached(path, key, planted)
    assert ontology_nquads() == planted  # read, not made
    assert ontology_nquads(reuse=False) == made  # made anew (kg build --full), and kept
    assert ontology_nquads() == made
    write_cached(path, "a key of other code", planted)
    assert ontology_nquads() == made  # stale: made anew
    monkeypatch.setenv("KG_CACHE_DIR", "")
    path.unlink()
    assert ontology_nquads() == made and not path.exists()  # the cache turned off
