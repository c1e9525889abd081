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


def _pyshacl_findings(g: Graph) -> set[tuple]:
    """What pySHACL itself reports for every shape, SPARQL-based ones included (the reference)."""
    from pyshacl import validate
    from rdflib.namespace import SH

    from kg.model.terms import curie
    from kg.rdf.ontology import ontology_graph, shapes_graph

    full = Graph()
    for t in (*g, *ontology_graph()):
        full.add(t)
    _ok, results, _text = validate(full, shacl_graph=shapes_graph(), inference="none", allow_warnings=True)
    return {(curie(results.value(r, SH.resultSeverity)).split(":")[-1], str(results.value(r, SH.focusNode)),
             curie(results.value(r, SH.resultPath)) if results.value(r, SH.resultPath) is not None else None,
             curie(results.value(r, SH.value)) if results.value(r, SH.value) is not None else None)
            for r in results.subjects(SH.resultSeverity, None)}


def test_the_report_is_pyshacls_for_core_and_sparql_constraints():
    from decimal import Decimal

    from rdflib import BNode
    from rdflib.namespace import XSD

    from kg.model.terms import ELI, SCHEMA

    g = Graph()
    inst = URIRef("https://w3id.org/regkg/id/instrument/CN/x")
    g.add((inst, RDF.type, KG.Instrument))
    g.add((inst, ELI.changes, inst))  # SPARQL constraint: no instrument amends itself
    fine = BNode()
    g.add((fine, RDF.type, SCHEMA.MonetaryAmount))
    g.add((fine, SCHEMA.value, Literal(Decimal("10"), datatype=XSD.decimal)))
    g.add((fine, SCHEMA.currency, Literal("ZZZ")))  # SPARQL constraint: not a currency of the vocabulary
    g.add((URIRef("https://w3id.org/regkg/id/action/d/A1"), RDF.type, KG.EnforcementAction))
    mine = {(f.severity, f.focus, f.path, f.value) for f in validate_graph(g)}
    assert mine == _pyshacl_findings(g)
    assert ("Violation", str(inst), None, str(inst)) in mine
    assert any(f[3] == "ZZZ" for f in mine)


def test_a_fine_rank_is_a_whole_number_from_one_on_an_action():
    from rdflib.namespace import XSD

    g = Graph()
    node = URIRef("https://w3id.org/regkg/id/instrument/CN/x")
    g.add((node, KG.fineRank, Literal(0, datatype=XSD.integer)))
    found = {(f.path, f.value) for f in violations(validate_graph(g)) if f.focus == str(node)}
    assert ("kg:fineRank", "0") in found  # sh:minInclusive 1
    assert any(path is None for path, _ in found)  # sh:class kg:EnforcementAction: not an action
