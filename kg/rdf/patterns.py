"""Which quads a SPARQL query can read: its triple patterns, and whether a change touches them.

A step that a rebuild may take from the build before (the views, :mod:`kg.views.reuse`; the
derived tallies, :mod:`kg.rdf.derive`) is redone only when one of the quads that changed since
matches one of the patterns of the queries it runs. A pattern is a (predicate IRIs, object IRIs)
pair, None standing for any: a query's results depend only on the quads that match one of its
patterns. A variable predicate, a negated path, a query that cannot be parsed, or a zero-length
path (``*``, ``?``) that nothing in its group ties to a quad means "any quad" (:data:`ANY`): a
zero-length path matches every term of the graph to itself, unless one of its ends is a variable
that another pattern of the same group binds (``?j skos:broader* ?c . ?c skos:notation ?n``), so
that each term it gives is one of a quad that pattern reads.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

import pyoxigraph as ox

ANY = (None, None)  # a pattern any quad matches

Pattern = tuple[frozenset[str] | None, frozenset[str] | None]  # (predicates, objects); None: any


@functools.lru_cache(maxsize=1024)
def query_patterns(text: str) -> frozenset[Pattern]:
    """The triple patterns of the SPARQL query ``text`` (kg's prefixes and ``id:`` predeclared) as (predicate
    IRIs, object IRIs) pairs, None standing for any; ``{ANY}`` when it cannot be parsed. A variable
    bound by a ``VALUES`` block of IRIs that the pattern is joined with (not through an OPTIONAL,
    MINUS or EXISTS, where it would not filter) counts as those IRIs. Cached by text."""
    from rdflib.plugins.sparql import prepareQuery

    from ..model.terms import ID, PREFIXES

    try:
        algebra = prepareQuery(text, initNs={**PREFIXES, "id": str(ID)}).algebra
    except Exception:  # rdflib raises many kinds of error on text it cannot read: read as "any"
        return frozenset({ANY})
    out: set[Pattern] = set()
    _walk(algebra, {}, out)
    return frozenset(out)


def as_json(patterns: Iterable[Pattern]) -> list:
    """``patterns`` as JSON lists, sorted (:func:`from_json` reads them back)."""
    return sorted([None if p is None else sorted(p), None if o is None else sorted(o)] for p, o in patterns)


def from_json(patterns: Iterable) -> list[Pattern]:
    """The patterns of :func:`as_json`'s lists."""
    return [(None if p is None else frozenset(p), None if o is None else frozenset(o)) for p, o in patterns]


def touches(patterns: Iterable[Pattern], quads: list[ox.Quad]) -> bool:
    """Whether one of ``quads`` matches one of ``patterns``."""
    patterns = list(patterns)
    for preds, objs in patterns:
        if preds is None and objs is None:
            return bool(quads)
    for q in quads:
        p, o = q.predicate.value, q.object.value if isinstance(q.object, ox.NamedNode) else None
        for preds, objs in patterns:
            if (preds is None or p in preds) and (objs is None or o in objs):
                return True
    return False


# children through which a VALUES restriction still filters every solution that used a pattern
_FILTERING = {"Join": ("p1", "p2"), "Union": ("p1", "p2"), "Filter": ("p",), "LeftJoin": ("p1",),
              "Extend": ("p",)}


def _walk(node, bound: dict, out: set) -> None:
    """Collect the patterns under the algebra ``node``; ``bound``: variable -> the IRIs a VALUES
    block joined with this part allows."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        name = node.name
        if name == "Join":
            bound = {**bound, **_values(node.get("p1")), **_values(node.get("p2"))}
        keep = _FILTERING.get(name, ())
        for key, value in node.items():
            if key == "triples":
                out.update(_group_patterns(value, bound if name == "BGP" else {}))
            elif not key.startswith("_"):
                _walk(value, bound if key in keep else {}, out)
    elif isinstance(node, (list, tuple)):
        for item in node:
            _walk(item, {}, out)
    elif isinstance(node, dict):
        for item in node.values():
            _walk(item, {}, out)


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


def _group_patterns(triples, bound: dict) -> list[Pattern]:
    """The patterns of the triple patterns of one group (a BGP): a zero-length path counts as the
    IRIs it names when one of its ends is a variable that a pattern of the group needing a quad
    (not a zero-length path) also has."""
    from rdflib.term import Variable

    triples = list(triples)
    anchored = {end for t in triples if len(t) == 3 and not _zero_length(t[1])
                for end in (t[0], t[2]) if isinstance(end, Variable)}
    out = []
    for t in triples:
        tied = len(t) == 3 and (t[0] in anchored or t[2] in anchored)
        out.extend(_triple_patterns(t, bound, tied))
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
        return [(frozenset({str(p)}), objects)]
    if isinstance(p, Variable):
        return [(bound[p], objects)] if p in bound else [ANY]
    iris = _path_iris(p)
    if iris is None or (_zero_length(p) and not tied):
        return [ANY]
    return [(frozenset({i}), None) for i in iris]


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
