"""SHACL after a change: the nodes a change can affect checked again, the rest kept (kg.rdf.revalidate)."""

from __future__ import annotations

import datetime as dt
import json

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal
from rdflib.namespace import RDF, SH

from kg.model.terms import ELI, KG
from kg.rdf.delta import delta
from kg.rdf.revalidate import SHACL_CACHE, previous, reach, revalidate, sparql_again
from kg.rdf.validate import core_findings, core_shapes, fact_store, sparql_constraints, sparql_findings
from kg.store.build import build
from kg.store.dumps import dumps

from ..conftest import edit_one_document

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture(scope="module")
def shipped(shipped_build):
    """The shipped graph's quads, its N-Quads lines and its core results."""
    quads = list(ox.parse(path=str(shipped_build / "graph.nq"), format=ox.RdfFormat.N_QUADS))
    return quads, (shipped_build / "graph.nq").read_bytes(), core_findings(fact_store(quads))


def _nquads(quads, folder) -> bytes:
    folder.mkdir()
    return dumps([ox.serialize(quads, format=ox.RdfFormat.N_QUADS)], folder).nquads()


def _check(quads, before, folder):
    """The results of revalidate and of a check of the whole graph, on ``quads``."""
    kept, nquads = before
    store = fact_store(quads)
    again, checked = revalidate(store, kept, delta(nquads, _nquads(quads, folder)).quads)
    assert checked is not None and checked < 100, "only the changed nodes are checked again"
    return sorted(map(str, again)), sorted(map(str, core_findings(store)))


def test_the_shapes_are_local():
    shapes = reach(core_shapes())
    assert shapes is not None
    assert shapes.hops == {"https://schema.org/currentExchangeRate"}  # the rate's price and currency
    assert str(KG.plaintiff) in shapes.targeting


@pytest.mark.parametrize("extra", ["node", "inverse", "nested-path"])
def test_a_shape_that_reads_other_nodes_is_not_local(extra):
    shapes = Graph()
    for t in core_shapes():
        shapes.add(t)
    shape, prop = KG.ExtraShape, BNode()
    shapes.add((shape, SH.targetClass, KG.Instrument))
    shapes.add((shape, SH.property, prop))
    if extra == "node":
        shapes.add((prop, SH.path, ELI.amends))
        shapes.add((prop, SH.node, KG.InstrumentShape))
    elif extra == "inverse":
        path = BNode()
        shapes.add((path, SH.inversePath, ELI.amends))
        shapes.add((prop, SH.path, path))
    else:  # the values of a value: a path inside the operand of a property shape
        inner, lst = BNode(), BNode()
        shapes.add((prop, SH.path, ELI.amends))
        shapes.add((inner, SH.path, ELI.title))
        shapes.add((inner, SH.minCount, Literal(1)))
        shapes.add((lst, RDF.first, inner))
        shapes.add((lst, RDF.rest, RDF.nil))
        shapes.add((prop, SH["or"], lst))
    assert reach(shapes) is None


def test_a_value_that_loses_its_type_fails_the_nodes_that_point_to_it(shipped, tmp_path):
    quads, nquads, core = shipped
    amends = next(q for q in quads if q.predicate.value == str(ELI.amends))
    changed = [q for q in quads if not (q.subject == amends.object and q.predicate.value == str(RDF.type)
                                        and q.object.value == str(KG.Instrument))]
    assert len(changed) == len(quads) - 1
    again, full = _check(changed, (core, nquads), tmp_path / "dumps")
    assert again == full
    assert any(amends.subject.value in f and "Instrument" in f for f in full)  # the pointing node fails sh:class


def test_an_edit_gives_the_results_of_a_whole_check(shipped, tmp_path):
    quads, nquads, core = shipped
    # an instrument that takes effect before it is issued (a warning), a label removed (a violation)
    issued = next(q for q in quads if q.predicate.value == str(ELI.date_document))
    label = next(q for q in quads if q.predicate.value.endswith("#label") and "authority" in q.subject.value)
    late = ox.Quad(issued.subject, ox.NamedNode(str(ELI.first_date_entry_in_force)),
                   ox.Literal("1990-01-01", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")),
                   issued.graph_name)
    changed = [q for q in quads if q != label and not (q.subject == issued.subject and q.predicate == late.predicate)]
    again, full = _check([*changed, late], (core, nquads), tmp_path / "dumps")
    assert again == full
    assert any("before it was issued" in f for f in full)


def test_a_rebuild_checks_again_and_keeps_the_results(shipped_data, tmp_path):
    out = tmp_path / "build"
    first = build(shipped_data, out, views=False, as_of=AS_OF)
    assert previous(out) is not None
    edit_one_document(shipped_data)
    again = build(shipped_data, out, views=False, as_of=AS_OF)
    full = build(shipped_data, tmp_path / "full", views=False, as_of=AS_OF, full=True)
    assert again.findings == full.findings
    assert first.rechecked is None and full.rechecked is None and 0 < again.rechecked < 200
    assert len(again.findings) == len(first.findings)
    # a broken file is no results
    (out / SHACL_CACHE).write_bytes(b"not json")
    assert previous(out) is None


def test_previous_results_need_the_same_shapes(tmp_path):
    assert previous(tmp_path) is None
    (tmp_path / SHACL_CACHE).parent.mkdir(parents=True)
    (tmp_path / SHACL_CACHE).write_text(json.dumps({"fingerprint": "other", "core": []}), encoding="utf-8")
    assert previous(tmp_path) is None  # results of other shapes, ontology or engine are never reused


def test_so_many_nodes_to_check_again_that_the_whole_graph_is_checked(shipped, tmp_path):
    """One node a TRIPLES_PER_NODE triples or more: checking them costs more than the whole graph."""
    from kg.rdf.revalidate import TRIPLES_PER_NODE

    quads, nquads, core = shipped
    label = next(q for q in quads if q.predicate.value.endswith("#label") and "authority" in q.subject.value)
    changed = [q for q in quads if q != label]
    store = fact_store(changed)
    diff = delta(nquads, _nquads(changed, tmp_path / "dumps")).quads
    few, checked = revalidate(store, core, diff, size=len(quads))
    assert checked is not None and checked * TRIPLES_PER_NODE <= len(quads)
    whole, none = revalidate(store, core, diff, size=checked * TRIPLES_PER_NODE - 1)
    assert none is None and sorted(map(str, whole)) == sorted(map(str, few)) == sorted(map(str, core_findings(store)))


def test_a_sparql_constraint_runs_again_only_when_a_change_matches_its_patterns(shipped):
    quads = shipped[0]
    store = fact_store(quads)
    findings, record = sparql_again(store, None, None)
    assert sorted(map(str, findings)) == sorted(map(str, sparql_findings(store)))
    assert len(record) == len(sparql_constraints()) == 2
    # a result planted in each kept record shows which constraints were taken as kept
    authority = next(q.subject.value for q in quads if "/authority/" in q.subject.value)
    planted = {key: {**was, "results": [*was["results"], [authority, True, "planted"]]} for key, was in record.items()}
    title = next(q for q in quads if q.predicate.value == str(ELI.title))
    taken, again = sparql_again(store, planted, [title])
    assert again == planted and sum(f.value == "planted" for f in taken) == 2
    assert next(f for f in taken if f.value == "planted").label  # the label read from the graph
    currency = ox.Quad(title.subject, ox.NamedNode("https://schema.org/currency"), ox.Literal("EUR"))
    one, again = sparql_again(store, planted, [currency])
    assert sum(f.value == "planted" for f in one) == 1 and "currency" not in next(f.message for f in one
                                                                                  if f.value == "planted")
    assert _planted(again) == 1
    # a new node of a class no constraint targets (a tally) runs none; a new instrument, the one on instruments
    typed = [ox.Quad(title.subject, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(KG.Tally)))]
    assert sparql_again(store, planted, typed)[1] == planted
    typed = [ox.Quad(title.subject, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(KG.Instrument)))]
    assert _planted(sparql_again(store, planted, typed)[1]) == 1
    none, _ = sparql_again(store, planted, None)  # the change not known: every constraint runs
    assert sorted(map(str, none)) == sorted(map(str, findings))


def _planted(record: dict) -> int:
    """How many results of a SPARQL constraints' record are the planted one."""
    return sum(r[2] == "planted" for was in record.values() for r in was["results"])
