"""SHACL after a change: only the nodes the change can affect are checked again.

A build keeps the results of the SHACL-core constraints in its ``cache/shacl.json`` beside its
``graph.nq``. Given the quads changed since (:mod:`kg.rdf.delta`), when every shape is *local*
(:func:`reach`: a node's results read only its own triples, the types of its values, the triples
of the values a two-step path goes through, and the triples that make it a target), only these
nodes can have other results than before:

- the subject of every triple added or removed (and its object, if the property targets it);
- every node that reaches one of those by the first step of a two-step path;
- every node with a value whose types changed (``sh:class``).

They are checked on a small store of what the shapes read for them and the ontology; the results
of all other nodes are the previous build's. A SPARQL-based constraint runs on the whole graph (one
query, :mod:`kg.rdf.validate`) unless none of the quads changed matches a triple pattern of its
queries (:mod:`kg.rdf.patterns`): then its results are the previous build's (with each focus
node's label read anew), as its query would give them again.
Anything else (no previous results, other shapes, ontology or engine, a change to class axioms)
checks the whole graph. ``tests/rdf/test_revalidate.py`` checks the results equal a full check.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import importlib.metadata
import json
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH

from .. import __version__
from ..paths import files_hash, ontology_dir
from .ontology import ontology_default_quads
from .patterns import Pattern, as_json, from_json, query_patterns, touches
from .validate import (
    Finding,
    SparqlConstraint,
    constraint_findings,
    constraint_results,
    core_findings,
    core_shapes,
    shacl_validate,
    sparql_constraints,
)

SHACL_CACHE = Path("cache") / "shacl.json"  # within a build folder
LIMIT = 100_000  # more nodes to check than this: the whole graph is checked
# ... or more than one node a TRIPLES_PER_NODE triples of the graph: measured at 1M triples, checking
# 7,119 fines again took 27 s (3.8 ms a node, with the nodes' neighbourhood and pyshacl-turbo's report)
# where the whole graph takes 15 s (15 µs a triple)
TRIPLES_PER_NODE = 250

# what a shape may say for its results to depend on nothing but the focus node's own triples
_LOCAL = {SH[n] for n in (
    "path", "property", "class", "datatype", "nodeKind", "minCount", "maxCount", "minInclusive", "maxInclusive",
    "minExclusive", "maxExclusive", "minLength", "maxLength", "pattern", "flags", "languageIn", "uniqueLang", "in",
    "hasValue", "equals", "disjoint", "lessThan", "lessThanOrEquals", "or", "and", "not", "xone", "message",
    "severity", "name", "description", "order", "group", "deactivated", "targetClass", "targetSubjectsOf",
    "targetObjectsOf", "targetNode", "closed", "ignoredProperties")}
_LOGICAL = {SH["or"], SH["and"], SH["not"], SH.xone}
_GLOBAL = {str(p) for p in (RDFS.subClassOf, OWL.equivalentClass)}  # a change there re-types everything


@dataclass(frozen=True)
class Reach:
    """What the shapes read besides a focus node's own triples: the values reached through the
    first step of a two-step path (``hops``), the types of values (``sh:class``), and the subjects
    of the properties whose objects are targets (``targeting``)."""

    hops: frozenset[str]
    targeting: frozenset[str]


def reach(shapes: Graph) -> Reach | None:
    """The :class:`Reach` of ``shapes`` when every shape is local (paths of one property, or of
    two without a class or operand, and shapes on values that test only the values), else None."""
    roots = {s for t in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
             for s in shapes.subjects(t, None)}
    hops: set[str] = set()
    if not all(_local(shapes, s, False, set(), hops) for s in roots):
        return None
    return Reach(frozenset(hops), frozenset(str(p) for p in shapes.objects(None, SH.targetObjectsOf)))


def _local(shapes: Graph, shape, on_values: bool, seen: set, hops: set) -> bool:
    if shape in seen:
        return True
    seen.add(shape)
    path = shapes.value(shape, SH.path)
    if path is not None and not isinstance(path, URIRef):
        steps = list(Collection(shapes, path)) if shapes.value(path, RDF.first) is not None else [path]
        said = set(shapes.predicates(shape, None))
        if len(steps) != 2 or not all(isinstance(x, URIRef) for x in steps) or said & ({SH["class"]} | _LOGICAL):
            return False
        hops.add(str(steps[0]))
    members = []
    for p, o in shapes.predicate_objects(shape):
        if not str(p).startswith(str(SH)):
            continue
        if p not in _LOCAL or (p in (SH.path, SH.property) and on_values):
            return False
        if p == SH.property:
            members.append((o, False))
        elif p in _LOGICAL:
            # a property shape's operands test its values; a node shape's, the node itself
            nodes = [o] if p == SH["not"] else list(Collection(shapes, o))
            members.extend((n, on_values or path is not None) for n in nodes)
    return all(_local(shapes, m, v, seen, hops) for m, v in members)


@functools.cache
def _core_reach() -> Reach | None:
    return reach(core_shapes())


@functools.cache
def fingerprint() -> str:
    """A hash of what decides the results besides the data: shapes, ontology, model, engine, code."""
    pkg = Path(__file__).resolve().parent.parent
    files = sorted([*pkg.joinpath("rdf").glob("*.py"), *pkg.joinpath("model").rglob("*.py"),
                    *pkg.joinpath("model").rglob("*.yaml"), *ontology_dir().glob("*.ttl")])
    return files_hash(files, f"{__version__} {_engine()}")


def _engine() -> str:
    """The SHACL engine :mod:`kg.rdf.validate` runs, with its version."""
    name = shacl_validate.__module__.split(".")[0]
    try:
        return f"{name} {importlib.metadata.version(name.replace('_', '-'))}"
    except importlib.metadata.PackageNotFoundError:
        return name


@dataclass
class Kept:
    """The results a build keeps for the next: those of the SHACL-core constraints, and each
    SPARQL-based constraint's (:func:`sparql_again`)."""

    core: list[Finding]
    sparql: dict[str, dict]


def save(folder: Path, kept: Kept) -> None:
    """Keep the results of a build in its folder (``cache/shacl.json``)."""
    path = folder / SHACL_CACHE
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {"fingerprint": fingerprint(), "core": [dataclasses.asdict(f) for f in kept.core], "sparql": kept.sparql}
    path.write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")


def previous(build_dir: Path) -> Kept | None:
    """The results kept by the build in ``build_dir`` when they were made by the same shapes,
    ontology and engine; else None."""
    try:
        record = json.loads((build_dir / SHACL_CACHE).read_text(encoding="utf-8"))
        if record.get("fingerprint") != fingerprint():
            return None
        return Kept([Finding(**f) for f in record["core"]], dict(record["sparql"]))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):  # absent or foreign: check the whole graph
        return None


def sparql_again(store: ox.Store, kept: dict[str, dict] | None,
                 changed: list[ox.Quad] | None) -> tuple[list[Finding], dict[str, dict]]:
    """The findings of the SPARQL-based constraints on ``store``, and their record for the next
    build (by a hash of each constraint's queries: their patterns and results). A constraint whose
    record is in ``kept`` (the previous build's, :func:`previous`) and none of whose patterns one of
    the quads ``changed`` since matches (None: not known) has the results recorded there; the others
    run their query on the whole graph."""
    findings: list[Finding] = []
    record: dict[str, dict] = {}
    for c in sparql_constraints():
        texts = (c.query, *c.focus)
        key = hashlib.sha256("\0".join(texts).encode("utf-8")).hexdigest()
        was = (kept or {}).get(key)
        patterns = was["patterns"] if was else _patterns(store, c)
        if was is not None and changed is not None and not touches(from_json(patterns), changed):
            results = [(focus, iri, value) for focus, iri, value in was["results"]]
        else:
            results = constraint_results(store, c)
        record[key] = {"patterns": patterns, "results": [list(r) for r in results]}
        findings.extend(constraint_findings(store, c, results))
    return findings, record


def revalidate(store: ox.Store, kept: list[Finding] | None, changed: list[ox.Quad] | None,
               size: int | None = None) -> tuple[list[Finding], int | None]:
    """The core results on ``store``: the previous build's results ``kept`` (:func:`previous`) with
    the nodes the quads ``changed`` since (:func:`kg.rdf.delta.delta`) can affect checked again,
    when the shapes allow it and checking them costs less than the whole graph of ``size`` triples
    would; and how many nodes were checked (None: the whole graph)."""
    shapes = _core_reach()
    if kept is None or changed is None or shapes is None:
        return core_findings(store), None
    touched = _changed(changed, shapes)
    if touched is None:
        return core_findings(store), None
    focus = _affected(store, *touched, shapes)
    if len(focus) > (LIMIT if size is None else min(LIMIT, size // TRIPLES_PER_NODE)):
        return core_findings(store), None
    names = {n.value for n in focus}
    results = [f for f in core_findings(_neighbourhood(store, focus, shapes)) if f.focus in names]
    return [f for f in kept if f.focus not in names] + results, len(focus)


def _patterns(store: ox.Store, c: SparqlConstraint) -> list:
    """The patterns of the constraint ``c``'s queries (:func:`kg.rdf.patterns.as_json`): its own
    query's, and the types of its focus nodes as the classes ``store`` has under its targets (with
    any subclass axiom, so that a change to one runs it again)."""
    classes = set(c.targets)
    for cls in c.targets:
        classes.update(row["c"].value for row in store.query(
            f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>+ <{cls}> }}"))
    return as_json(query_patterns(c.query) | {Pattern(frozenset({str(RDF.type)}), frozenset(classes)),
                                              Pattern(frozenset({str(RDFS.subClassOf)}), None)})


def _changed(changed: list[ox.Quad], shapes: Reach) -> tuple[set, set] | None:
    """The subjects of the quads ``changed`` (and their objects when these are targets by the
    property), and the nodes whose types changed (None: a change to class axioms, which can re-type
    any node)."""
    nodes, typed = set(), set()
    for q in changed:
        if q.predicate.value in _GLOBAL:
            return None
        nodes.add(q.subject)
        if q.predicate.value in shapes.targeting:
            nodes.add(q.object)
        if q.predicate.value == str(RDF.type):
            typed.add(q.subject)
    return nodes, typed


def _affected(store: ox.Store, nodes: set, typed: set, shapes: Reach) -> set:
    """``nodes``, the nodes that reach one of them in one hop of a two-step path, and every node
    with a value among ``typed``."""
    default = ox.DefaultGraph()
    out = set(nodes)
    for hop in map(ox.NamedNode, shapes.hops):
        for node in nodes:
            out.update(q.subject for q in store.quads_for_pattern(None, hop, node, default))
    for t in typed:
        out.update(q.subject for q in store.quads_for_pattern(None, None, t, default))
    return out


def _neighbourhood(store: ox.Store, focus: set, shapes: Reach) -> ox.Store:
    """A store of what the local shapes read for ``focus``: the nodes' triples, the triples of the
    values reached by a hop, the values' types, the triples that target the nodes, the ontology."""
    rdf_type = ox.NamedNode(str(RDF.type))
    small = ox.Store()
    default = ox.DefaultGraph()
    for node in focus:
        own = list(store.quads_for_pattern(node, None, None, default))
        small.extend(own)
        for q in own:
            if isinstance(q.object, ox.Literal):
                continue
            if q.predicate.value in shapes.hops:
                small.extend(store.quads_for_pattern(q.object, None, None, default))
            else:
                small.extend(store.quads_for_pattern(q.object, rdf_type, None, default))
        for p in map(ox.NamedNode, shapes.targeting):
            small.extend(store.quads_for_pattern(None, p, node, default))
    small.extend(ontology_default_quads())
    return small
