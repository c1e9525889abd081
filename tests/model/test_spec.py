"""The model is declared once: parsers, RDF, shapes and docs follow a new field without other edits."""

from __future__ import annotations

import datetime as dt

import pytest
from rdflib import Literal
from rdflib.namespace import RDFS, SH

from kg.errors import FactErrors
from kg.facts.dataset import load_dataset
from kg.model import docs
from kg.model.spec import Field, ModelError, _kind, model
from kg.model.terms import KG
from kg.rdf import ontology
from kg.rdf.oxterms import from_ox
from kg.rdf.writer import dataset_quads, entity_iri

from ..conftest import MINI_DOC, write


def test_every_record_kind_and_field_is_declared():
    m = model()
    assert list(m.kinds) == ["document", "item", "authority", "instrument", "relation", "action", "case", "party"]
    assert m.sections == {"items": "item", "authorities": "authority", "instruments": "instrument",
                          "relations": "relation", "actions": "action", "cases": "case", "parties": "party"}
    action = m.kinds["action"]
    assert action.fields["target_count"].prop == KG.targetCount and action.fields["targets"].many
    assert m.kinds["instrument"].fields["date_issued"].approx == KG.dateDocumentApprox
    assert m.relations["replaces"].prop == KG.replaces and m.relations["replaces"].lineage
    assert not m.relations["related"].lineage


@pytest.mark.parametrize("text, message", [
    ("kind: x\nclass: kg:X\ngraph: registry\nfields: {a: {type: colour}}\n", "type 'colour' is not one of"),
    ("kind: x\nclass: kg:X\ngraph: registry\nfields: {a: {type: text, colour: red}}\n", r"unknown key\(s\) colour"),
    ("kind: x\nclass: kg:X\ngraph: registry\nfields: {a: {type: text, rdf: nope:p}}\n", "not a CURIE with a known"),
    ("kind: x\nclass: kg:X\ngraph: registry\nfields: {a: {type: term}}\n", "names its vocabulary"),
    ("kind: x\nclass: kg:X\ngraph: registry\nidentity: [b]\nfields: {a: {type: text}}\n", "identity field 'b'"),
])
def test_a_wrong_model_file_is_refused_with_its_name(tmp_path, text, message):
    path = write(tmp_path / "9-x.yaml", text)
    with pytest.raises(ModelError, match=message) as err:
        _kind(path)
    assert "9-x.yaml" in str(err.value)


@pytest.fixture
def extra_field():
    """An action field added to the model only (as a developer adding a field would)."""
    action = model().kinds["action"]
    field = Field("severity", "text", doc="how serious the text says it was", rdf=(KG.severity,), plain=True,
                  define={"zh": "严重程度", "en": "severity", "comment": "How serious the source says the case was."})
    action.fields["severity"] = field
    ontology.ontology_graph.cache_clear()
    ontology.shapes_graph.cache_clear()
    yield field
    del action.fields["severity"]
    ontology.ontology_graph.cache_clear()
    ontology.shapes_graph.cache_clear()


def test_a_new_field_is_one_model_entry(tmp_path, mini_data, extra_field):
    doc = MINI_DOC.replace("    confidence: 0.85\n", "    confidence: 0.85\n    severity: 情节严重\n")
    write(mini_data / "documents" / "doc_a.yaml", doc)
    ds = load_dataset(mini_data)
    (action,) = ds.actions
    assert action.severity == "情节严重"
    quads = [tuple(map(from_ox, (q.subject, q.predicate, q.object))) for q in dataset_quads(ds, dt.date(2026, 1, 1))]
    s = from_ox(entity_iri("action", "A1", "doc_a"))
    assert (s, KG.severity, Literal("情节严重")) in {q[:3] for q in quads}
    g = ontology.ontology_graph()
    assert (KG.severity, RDFS.domain, KG.EnforcementAction) in g
    assert (KG.severity, RDFS.label, Literal("严重程度", lang="zh")) in g
    shapes = ontology.shapes_graph()
    assert any(shapes.value(p, SH.path) == KG.severity for p in shapes.objects(None, SH.property))
    assert "| `severity` | text |" in docs.generated()


def test_an_unknown_field_is_refused_with_file_and_line(mini_data):
    write(mini_data / "documents" / "doc_a.yaml", MINI_DOC.replace("    confidence: 0.85\n", "    severity: x\n"))
    with pytest.raises(FactErrors) as err:
        load_dataset(mini_data)
    assert any("doc_a.yaml:" in str(e) and "unknown action field 'severity'" in str(e) for e in err.value.errors)


def test_entity_iris_follow_the_patterns_of_the_model():
    assert entity_iri("action", "A1", "doc_a").value == "https://w3id.org/regkg/id/action/doc_a/A1"
    assert entity_iri("item", "L10", "doc_a").value == "https://w3id.org/regkg/id/document/doc_a/item/L10"
    assert entity_iri("authority", "CN/国家互联网信息办公室").value.startswith("https://w3id.org/regkg/id/authority/CN/")
    assert entity_iri("document", "doc_a").value == "https://w3id.org/regkg/id/document/doc_a"
