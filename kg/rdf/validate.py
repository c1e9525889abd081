"""SHACL validation with a readable report (entity, property, message)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from pyshacl import validate as shacl_validate
from rdflib import Graph, URIRef
from rdflib.namespace import RDFS, SH

from ..model.terms import curie
from .ontology import ontology_graph, shapes_graph


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




def validate_graph(data: Graph) -> list[Finding]:
    """Check ``data`` (facts, without the ontology) against ``ontology/shapes.ttl``.

    The ontology and vocabularies are added to the data graph for the check, so
    class and scheme constraints see the concepts. Findings are sorted,
    violations first."""
    full = Graph()
    for t in data:
        full.add(t)
    for t in ontology_graph():
        full.add(t)
    _conforms, results, _text = shacl_validate(
        full, shacl_graph=shapes_graph(), inference="none", abort_on_first=False, allow_warnings=True,
    )
    findings = []
    for r in results.subjects(SH.resultSeverity, None):
        severity = curie(results.value(r, SH.resultSeverity)).split("#")[-1].removeprefix("sh:")
        focus = results.value(r, SH.focusNode)
        path = results.value(r, SH.resultPath)
        msg = results.value(r, SH.resultMessage)
        value = results.value(r, SH.value)
        label = full.value(focus, RDFS.label) if isinstance(focus, URIRef) else None
        findings.append(Finding(
            severity=severity, focus=str(focus), label=str(label) if label is not None else None,
            path=curie(path) if path is not None else None,
            message=str(msg) if msg is not None else "constraint not met",
            value=curie(value) if value is not None else None,
        ))
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(set(findings), key=lambda f: (order.get(f.severity, 3), f.focus, f.path or "", f.message))


def violations(findings: Iterable[Finding]) -> list[Finding]:
    """Only the violations."""
    return [f for f in findings if f.severity == "Violation"]
