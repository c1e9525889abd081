"""Which quads a SPARQL query can read: its triple patterns, and whether a change touches them.

A step that a rebuild may take from the build before (the views, :mod:`kg.views.reuse`; the
derived tallies, :mod:`kg.rdf.derive`) is redone only when one of the quads that changed since
matches one of the patterns of the queries it runs. A pattern is (predicate IRIs, object IRIs,
subject classes), None standing for any: a query's results depend only on the quads that match one
of its patterns. A variable predicate, a negated path, a query that cannot be parsed, or a
zero-length path (``*``, ``?``) that nothing in its group ties to a quad means "any quad"
(:data:`ANY`): a zero-length path matches every term of the graph to itself, unless one of its ends
is a variable that another pattern of the same group binds (``?j skos:broader* ?c . ?c skos:notation
?n``), so that each term it gives is one of a quad that pattern reads.

The subject classes: where every solution that uses a pattern also needs its subject to be of a
class (``?node a kg:Authority ; rdfs:label ?l``, the class pattern joined with it, or on the left
of the OPTIONAL it is in, or a ``VALUES`` block of classes), a changed quad whose subject is of none
of those classes, in the new graph or in a changed ``rdf:type`` quad (the graph before), cannot
change the query's results: :func:`touches` looks its classes up when it is given them
(:func:`subject_classes`). A
new title of a newsletter then touches no query about authorities' or instruments' labels.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import NamedTuple

import pyoxigraph as ox


class Pattern(NamedTuple):
    """One triple pattern of a query, as the quads it can read; None: any."""

    predicates: frozenset[str] | None
    objects: frozenset[str] | None
    types: frozenset[str] | None = None  # the subject is of one of these classes


ANY = Pattern(None, None)  # a pattern any quad matches
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


@functools.lru_cache(maxsize=1024)
def query_patterns(text: str) -> frozenset[Pattern]:
    """The triple patterns of the SPARQL query ``text`` (kg's prefixes and ``id:`` predeclared) as
    :class:`Pattern`, None standing for any; ``{ANY}`` when it cannot be parsed. A variable bound by
    a ``VALUES`` block of IRIs that the pattern is joined with (not through an OPTIONAL, MINUS or
    EXISTS, where it would not filter) counts as those IRIs. Cached by text."""
    from rdflib.plugins.sparql import prepareQuery

    from ..model.terms import ID, PREFIXES

    try:
        algebra = prepareQuery(text, initNs={**PREFIXES, "id": str(ID)}).algebra
    except Exception:  # rdflib raises many kinds of error on text it cannot read: read as "any"
        return frozenset({ANY})
    out: set[Pattern] = set()
    _walk(algebra, {}, {}, out)
    return frozenset(out)


def as_json(patterns: Iterable[Pattern]) -> list:
    """``patterns`` as JSON lists, sorted (:func:`from_json` reads them back)."""
    rows = [[None if part is None else sorted(part) for part in pattern] for pattern in patterns]
    return sorted(rows, key=lambda row: [(part is not None, part or []) for part in row])


def from_json(patterns: Iterable) -> list[Pattern]:
    """The patterns of :func:`as_json`'s lists."""
    return [Pattern(*(None if part is None else frozenset(part) for part in pattern)) for pattern in patterns]


def touches(patterns: Iterable[Pattern], quads: list[ox.Quad],
            classes: Callable[[object], set[str]] | None = None) -> bool:
    """Whether one of ``quads`` matches one of ``patterns``; given ``classes`` (:func:`subject_classes`
    of the new graph and these quads), a pattern's subject classes are looked at too."""
    patterns = list(patterns)
    if any(p.predicates is None and p.objects is None and p.types is None for p in patterns):
        return bool(quads)
    for q in quads:
        p, o = q.predicate.value, q.object.value if isinstance(q.object, ox.NamedNode) else None
        for preds, objs, types in patterns:
            if (preds is None or p in preds) and (objs is None or o in objs) \
                    and (types is None or classes is None or not types.isdisjoint(classes(q.subject))):
                return True
    return False


def subject_classes(graph: ox.Store, quads: list[ox.Quad]) -> Callable[[object], set[str]]:
    """The classes of a subject in ``graph`` (the new graph, any named graph) and in the ``rdf:type``
    quads of ``quads`` (changed since the old one): made once for a change, each subject looked up
    once, however many queries :func:`touches` is asked about."""
    rdf_type = ox.NamedNode(RDF_TYPE)
    changed: dict = {}
    for q in quads:
        if q.predicate == rdf_type:
            changed.setdefault(q.subject, set()).add(q.object.value)

    @functools.cache
    def classes(subject) -> set[str]:
        found = {q.object.value for q in graph.quads_for_pattern(subject, rdf_type, None, None)}
        return found | changed.get(subject, set())

    return classes


# children through which a VALUES restriction still filters every solution that used a pattern
_FILTERING = {"Join": ("p1", "p2"), "Union": ("p1", "p2"), "Filter": ("p",), "LeftJoin": ("p1",),
              "Extend": ("p",)}
# children through which a class that every solution needs still holds (the right side of an
# OPTIONAL: its solutions count only joined with the left's, which need it; inside a sub-select only
# the variables it projects are the same variables)
_TYPED = {**_FILTERING, "LeftJoin": ("p1", "p2"), "Project": ("p",), "Distinct": ("p",), "Reduced": ("p",),
          "Slice": ("p",), "OrderBy": ("p",), "SelectQuery": ("p",), "ConstructQuery": ("p",)}


def _walk(node, bound: dict, typed: dict, out: set) -> None:
    """Collect the patterns under the algebra ``node``; ``bound``: variable -> the IRIs a VALUES
    block joined with this part allows; ``typed``: variable -> the classes one of which every
    solution of this part needs it to have (:func:`_needs`)."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        name = node.name
        if name == "Join":
            bound = {**bound, **_values(node.get("p1")), **_values(node.get("p2"))}
        if name in ("Join", "LeftJoin"):
            typed = {**typed, **_needs(node.get("p1"), bound)}
            if name == "Join":
                typed = {**typed, **_needs(node.get("p2"), bound)}
        elif name in ("Project", "SelectQuery") and node.get("PV") is not None:
            typed = {v: c for v, c in typed.items() if v in node.get("PV")}
        keep, kept_types = _FILTERING.get(name, ()), _TYPED.get(name, ())
        for key, value in node.items():
            if key == "triples":
                if name == "TriplesBlock":  # a group left as parsed (in EXISTS): its terms in one list
                    value = _as_triples(value)
                group_bound = bound if name == "BGP" else {}
                group_typed = {**typed, **_group_types(value, group_bound)} if name == "BGP" else {}
                out.update(_group_patterns(value, group_bound, group_typed))
            elif not key.startswith("_"):
                _walk(value, bound if key in keep else {}, typed if key in kept_types else {}, out)
    elif isinstance(node, (list, tuple)):
        for item in node:
            _walk(item, {}, {}, out)
    elif isinstance(node, dict):
        for item in node.values():
            _walk(item, {}, {}, out)


def _as_triples(terms) -> list:
    """The triples of a parsed group's lists of terms (rdflib's own reading); the terms as they
    are (read as "any quad") when they do not come in threes."""
    from rdflib.plugins.sparql.algebra import triples

    try:
        return triples(terms)
    except Exception:  # rdflib raises a bare Exception on a count not of threes
        return terms


def _needs(node, bound: dict) -> dict:
    """Variable -> classes (one of which) every solution of the algebra ``node`` needs it to have:
    the ``?v a C`` patterns of its groups joined (not through an OPTIONAL's right side, a UNION or
    a sub-select's hidden variables); {} for anything else."""
    name = getattr(node, "name", None)
    if name == "BGP":
        return _group_types(node.get("triples") or [], bound)
    if name == "Join":
        bound = {**bound, **_values(node.get("p1")), **_values(node.get("p2"))}
        return {**_needs(node.get("p1"), bound), **_needs(node.get("p2"), bound)}
    if name == "LeftJoin":
        return _needs(node.get("p1"), bound)
    if name in ("Filter", "Extend", "Distinct", "Reduced", "Slice", "OrderBy"):
        return _needs(node.get("p"), bound)
    if name == "Project":
        return {v: c for v, c in _needs(node.get("p"), bound).items() if v in (node.get("PV") or ())}
    return {}


def _group_types(triples, bound: dict) -> dict:
    """Variable -> classes of the ``?v rdf:type C`` patterns of one group (C an IRI, or a variable a
    VALUES block joined with the group binds to IRIs): one set per variable (any of two would do)."""
    from rdflib.term import URIRef, Variable

    out: dict = {}
    for t in triples:
        if len(t) == 3 and isinstance(t[0], Variable) and t[1] == URIRef(RDF_TYPE):
            classes = frozenset({str(t[2])}) if isinstance(t[2], URIRef) else bound.get(t[2])
            if classes is not None:
                out.setdefault(t[0], classes)
    return out


def _values(node) -> dict:
    """Variable -> IRIs of a VALUES block (``ToMultiSet`` of ``values``) whose every row binds the
    variable to an IRI; {} for anything else."""
    from rdflib.term import URIRef

    if node is None or getattr(node, "name", None) != "ToMultiSet":
        return {}
    inner = node.get("p")
    if getattr(inner, "name", None) != "values":
        return {}
    rows = inner.get("res") or []
    names = set().union(*(row.keys() for row in rows)) if rows else set()
    return {var: frozenset(str(row[var]) for row in rows) for var in names
            if all(isinstance(row.get(var), URIRef) for row in rows)}


def _group_patterns(triples, bound: dict, typed: dict) -> list[Pattern]:
    """The patterns of the triple patterns of one group (a BGP): a zero-length path counts as the
    IRIs it names when one of its ends is a variable that a pattern of the group needing a quad
    (not a zero-length path) also has; a pattern whose subject is a variable of ``typed`` has its
    classes."""
    from rdflib.term import Variable

    triples = list(triples)
    anchored = {end for t in triples if len(t) == 3 and not _zero_length(t[1])
                for end in (t[0], t[2]) if isinstance(end, Variable)}
    out = []
    for t in triples:
        tied = len(t) == 3 and (t[0] in anchored or t[2] in anchored)
        # the classes of the subject hold for the quads a pattern reads from that subject
        types = typed.get(t[0]) if len(t) == 3 and isinstance(t[0], Variable) and _direct(t[1]) else None
        out.extend(p if p == ANY else p._replace(types=types) for p in _triple_patterns(t, bound, tied))
    return out


def _triple_patterns(triple, bound: dict, tied: bool) -> list[Pattern]:
    """The patterns of one triple pattern (a property path gives one per IRI in it); ``tied``: one of
    its ends is bound by another pattern of its group that needs a quad."""
    from rdflib.term import URIRef, Variable

    if len(triple) != 3:
        return [ANY]
    _s, p, o = triple
    objects = (frozenset({str(o)}) if isinstance(o, URIRef) else bound.get(o) if isinstance(o, Variable)
               else None)
    if isinstance(p, URIRef):
        return [Pattern(frozenset({str(p)}), objects)]
    if isinstance(p, Variable):
        return [Pattern(bound[p], objects)] if p in bound else [ANY]
    iris = _path_iris(p)
    if iris is None or (_zero_length(p) and not tied):
        return [ANY]
    if _direct(p):  # ?s p1|p2 ?o: each a quad of ?s and ?o
        return [Pattern(frozenset({i}), objects) for i in iris]
    return [Pattern(frozenset({i}), None) for i in iris]


def _direct(predicate) -> bool:
    """Whether the quads a predicate reads link its two ends: an IRI, a variable, or IRIs in alternative."""
    from rdflib.paths import AlternativePath
    from rdflib.term import URIRef, Variable

    return isinstance(predicate, (URIRef, Variable)) or (
        isinstance(predicate, AlternativePath) and all(isinstance(a, URIRef) for a in predicate.args))


def _path_iris(path) -> list[str] | None:
    """The IRIs of a property path; None when it matches what it does not name (``!``)."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
    from rdflib.term import URIRef

    if isinstance(path, URIRef):
        return [str(path)]
    if isinstance(path, (AlternativePath, SequencePath)):
        parts = [_path_iris(a) for a in path.args]
        return None if any(x is None for x in parts) else [i for x in parts for i in x]
    if isinstance(path, InvPath):
        return _path_iris(path.arg)
    if isinstance(path, MulPath):
        return _path_iris(path.path)
    return None


def _zero_length(path) -> bool:
    """Whether a predicate (an IRI, a variable or a property path) can match without a quad."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath

    if isinstance(path, SequencePath):
        return all(_zero_length(a) for a in path.args)
    if isinstance(path, AlternativePath):
        return any(_zero_length(a) for a in path.args)
    if isinstance(path, InvPath):
        return _zero_length(path.arg)
    if isinstance(path, MulPath):
        return path.mod != "+" or _zero_length(path.path)
    return False
