"""SHACL findings as readable lines: severity, entity, property, message, value."""

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from kg.model.terms import KG
from kg.rdf.validate import validate_graph, violations


def test_findings_name_the_entity_and_property_violations_first():
    g = Graph()
    action = URIRef("https://w3id.org/regkg/id/action/d/A1")
    g.add((action, RDF.type, KG.EnforcementAction))
    g.add((action, RDFS.label, Literal("罚款")))
    g.add((action, KG.targetCount, Literal("many")))
    findings = validate_graph(g)
    bad = violations(findings)
    assert findings[0].severity == "Violation" and all(f.severity != "Violation" for f in findings[len(bad):])
    lines = [str(f) for f in findings]
    head = "Violation: 罚款 <https://w3id.org/regkg/id/action/d/A1> kg:targetCount:"
    assert any(line.startswith(head) for line in lines)
    assert any("dcterms:source" in line for line in lines), "an action needs the item that reports it"
    assert any(line.startswith("Warning:") and "enforcing authority" in line for line in lines)
