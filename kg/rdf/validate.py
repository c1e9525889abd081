"""SHACL validation with a readable report (entity, property, message).

The shapes (``ontology/shapes.ttl`` and those the model derives) are checked in two parts that give
the report a SHACL engine gives for all of them:

- the SHACL-core constraints by ``pyshacl_turbo`` (a Rust engine with pySHACL's API and reports;
  pySHACL itself is the fallback when it cannot be imported);
- each SPARQL-based constraint (``sh:sparql``) by one query over the whole graph instead of one
  query per focus node (the query with ``$this`` as a variable, its rows kept for the shape's focus
  nodes): the same results, without the per-node cost that made SHACL the slowest step of a build.

Both run on an in-memory Oxigraph store of the facts and the ontology (no rdflib graph is built).

``tests/rdf/test_validate.py`` checks that the report equals pySHACL's on the fixture graphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SH

from ..model.terms import curie
from .ontology import ontology_default_quads, shapes_graph
from .oxterms import from_ox, to_ox

try:  # the Rust engine; pySHACL gives the same reports, slower
    from pyshacl_turbo import validate as shacl_validate
except ImportError:  # pragma: no cover - pyshacl_turbo is a dependency
    from pyshacl import validate as shacl_validate


@dataclass(frozen=True)
class Finding:
    """One SHACL result."""

    severity: str  # Violation, Warning, Info
    focus: str
    label: str | None
    path: str | None
    message: str
    value: str | None

    def __str__(self) -> str:
        who = f"{self.label} <{self.focus}>" if self.label else f"<{self.focus}>"
        prop = f" {self.path}:" if self.path else ":"
        val = f" (value: {self.value})" if self.value is not None else ""
        return f"{self.severity}: {who}{prop} {self.message}{val}"


@dataclass(frozen=True)
class SparqlConstraint:
    """One SPARQL-based constraint: its query (``$this`` as a variable), the queries of its focus
    nodes (instances of each target class or of a subclass), and what its results say."""

    shape: URIRef
    severity: str
    message: str
    query: str
    variables: frozenset[str]
    targets: tuple[str, ...]  # its target classes
    focus: tuple[str, ...]  # the queries of its focus nodes, one per target class


# one result of a SPARQL-based constraint as its findings keep it: the focus node, whether it is an
# IRI (that may have a label), and the value as the finding writes it (or None)
Result = tuple[str, bool, str | None]


@cache
def _split_shapes() -> tuple[Graph, tuple[SparqlConstraint, ...]]:
    """The shapes without their SPARQL-based constraints, and those constraints."""
    shapes = shapes_graph()
    core = Graph()
    for t in shapes:
        core.add(t)
    constraints = []
    for shape, _p, node in shapes.triples((None, SH.sparql, None)):
        prefixes = "".join(f"PREFIX {shapes.value(d, SH.prefix)}: <{shapes.value(d, SH.namespace)}>\n"
                           for decl in shapes.objects(node, SH.prefixes) for d in shapes.objects(decl, SH.declare))
        query = prefixes + str(shapes.value(node, SH.select)).replace("$this", "?this")
        severity = shapes.value(shape, SH.severity) or SH.Violation
        message = str(shapes.value(node, SH.message) or shapes.value(shape, SH.message) or "constraint not met")
        variables = frozenset(re.findall(r"[?$](\w+)", query.split("WHERE", 1)[0]))
        targets = tuple(sorted(map(str, shapes.objects(shape, SH.targetClass))))
        focus = tuple(f"SELECT DISTINCT ?x WHERE {{ {{ ?x a <{cls}> }} UNION "
                      f"{{ ?x a ?c . ?c <{RDFS.subClassOf}>+ <{cls}> }} }}" for cls in targets)
        constraints.append(SparqlConstraint(shape, _severity(severity), message, query, variables, targets, focus))
        core.remove((shape, SH.sparql, node))
    return core, tuple(constraints)


def _severity(term) -> str:
    return curie(term).split("#")[-1].removeprefix("sh:")


def _label(store: ox.Store, focus) -> str | None:
    if not isinstance(focus, URIRef):
        return None
    for q in store.quads_for_pattern(ox.NamedNode(str(focus)), ox.NamedNode(str(RDFS.label)), None):
        return q.object.value
    return None


def _finding(store: ox.Store, severity: str, focus, path, message: str, value) -> Finding:
    return Finding(severity=severity, focus=str(focus), label=_label(store, focus),
                   path=curie(path) if path is not None else None, message=message,
                   value=curie(value) if value is not None else None)


def sparql_constraints() -> tuple[SparqlConstraint, ...]:
    """The SPARQL-based constraints of the shapes (cached)."""
    return _split_shapes()[1]


def sparql_findings(store: ox.Store) -> list[Finding]:
    """The results of the SPARQL-based constraints (each one query over the whole graph)."""
    return [f for c in sparql_constraints() for f in constraint_findings(store, c, constraint_results(store, c))]


def constraint_results(store: ox.Store, c: SparqlConstraint) -> list[Result]:
    """The results of the constraint ``c`` on ``store``: its query's rows whose ``?this`` is one of
    its focus nodes."""
    focus = {from_ox(row["x"]) for query in c.focus for row in store.query(query)}
    out = []
    for row in store.query(c.query):
        this = from_ox(row["this"])
        if this not in focus:
            continue
        value = from_ox(row["value"]) if "value" in c.variables and row["value"] is not None else None
        # an unbound ?value stands for the focus node, as SHACL says
        out.append((str(this), isinstance(this, URIRef), curie(this if value is None else value)))
    return out


def constraint_findings(store: ox.Store, c: SparqlConstraint, results: list[Result]) -> list[Finding]:
    """The findings of the ``results`` of the constraint ``c``, each with its focus node's label in ``store``."""
    return [Finding(severity=c.severity, focus=focus, label=_label(store, URIRef(focus)) if iri else None,
                    path=None, message=c.message, value=value) for focus, iri, value in results]


def core_findings(store: ox.Store) -> list[Finding]:
    """The results of the SHACL-core constraints on the default graph of ``store``."""
    _conforms, results, _text = shacl_validate(
        store, shacl_graph=core_shapes(), inference="none", abort_on_first=False, allow_warnings=True,
    )
    findings = []
    for r in results.subjects(SH.resultSeverity, None):
        msg = results.value(r, SH.resultMessage)
        findings.append(_finding(store, _severity(results.value(r, SH.resultSeverity)), results.value(r, SH.focusNode),
                                 results.value(r, SH.resultPath), str(msg) if msg is not None else "constraint not met",
                                 results.value(r, SH.value)))
    return findings


def core_shapes() -> Graph:
    """The shapes without their SPARQL-based constraints (cached; do not modify)."""
    return _split_shapes()[0]


def report(findings: Iterable[Finding]) -> list[Finding]:
    """Findings without repeats, sorted: violations first, then by entity, property and message."""
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(set(findings), key=lambda f: (order.get(f.severity, 3), f.focus, f.path or "", f.message))


def validate_store(store: ox.Store) -> list[Finding]:
    """Check the facts in the default graph of an in-memory ``store`` (the ontology and vocabularies
    added to it, as :func:`validate_quads` does) against the shapes; findings sorted, violations first."""
    return report(core_findings(store) + sparql_findings(store))


def fact_store(triples: Iterable[ox.Triple | ox.Quad]) -> ox.Store:
    """An in-memory store of facts given as pyoxigraph triples or quads (their graphs merged into the
    default graph) with the ontology and vocabularies added, so class and scheme constraints (and
    the derivations of :mod:`kg.rdf.derive`) see the concepts."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
    add_ontology(store)
    return store


def add_ontology(store: ox.Store) -> None:
    """The ontology and vocabularies added to the default graph of ``store`` (see :func:`fact_store`)."""
    store.extend(ontology_default_quads())


def validate_quads(triples: Iterable[ox.Triple | ox.Quad]) -> list[Finding]:
    """Check facts given as pyoxigraph triples or quads (see :func:`fact_store`)."""
    return validate_store(fact_store(triples))


def validate_graph(data: Graph) -> list[Finding]:
    """Check an rdflib graph of facts (without the ontology) against the shapes (see :func:`validate_quads`)."""
    return validate_quads(ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in data)


def violations(findings: Iterable[Finding]) -> list[Finding]:
    """Only the violations."""
    return [f for f in findings if f.severity == "Violation"]
