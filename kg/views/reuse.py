"""Which default views a rebuild can take from the previous build instead of drawing them again.

``kg build`` draws the default views (:mod:`kg.views.defaults`) from the whole graph. A rebuild knows
the quads that changed since the previous build (:mod:`kg.rdf.delta`) and keeps, in the build's
``cache/views.json``, what the previous drawing read and drew; a view file is taken from the
previous build (hard-linked, or copied) when it would come out byte for byte the same:

1. **Nothing the views read changed.** Every query the drawing ran goes through one engine, wrapped
   by :class:`Recorder`, and the record keeps the triple patterns of each (:func:`query_patterns`: the
   predicate and, where constant, the object IRI; a variable predicate, a zero-length path or a
   query that cannot be parsed means "any quad"). A query's results depend only on the quads that
   match one of its patterns (and their order on the order kg generates those quads in, which is
   the same when none of them changed), so when no changed quad matches any pattern, every query
   answers as before and the whole ``views/`` folder, index included, is the previous one. One set
   for the whole drawing: every view reads the shared networks, which are made from nearly every
   query the views run, so a set per view would not tell them apart. The patterns are kept by query
   text: the next build parses only a text it has not seen.
2. **The view drawn is the same.** Otherwise the views are computed (the networks and each
   :class:`~kg.views.select.View`) and each is reduced to a :func:`digest` of everything rendering
   reads (title, notes, layout hints, every node and edge with its attributes, in order); a view
   whose digest equals the previous build's is not rendered again (rendering, with its layout and
   its JSON, is some 40% of the time of the views; the networks they share, the rest).
   A rebuild that draws the views beside its other steps (:mod:`kg.store.build`) starts them
   before the changed quads are known, so it begins here.

The record is keyed on a :func:`fingerprint` of kg's code and assets and of the libraries that
decide the pages (a change to any redraws every view); the index page depends only on the views'
entries and the number of documents, both computed from the graph, and is taken when it comes
out the same. Nothing here depends on the build date or the manifest: the views read the graph
only.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import pickle
import shutil
from pathlib import Path

import pyoxigraph as ox

from .. import __version__
from ..paths import files_hash
from ..query.engines import Engine

RECORD = Path("cache") / "views.json"
ANY = (None, None)  # a pattern any quad matches
LIBRARIES = ("pyoxigraph", "rdflib", "networkx", "pyvis", "jinja2")

Pattern = tuple[frozenset[str] | None, frozenset[str] | None]  # (predicates, objects); None: any


# ---------------------------------------------------------------- query patterns


@functools.lru_cache(maxsize=1024)
def query_patterns(text: str) -> frozenset[Pattern]:
    """The triple patterns of the SPARQL query ``text`` (kg's prefixes predeclared) as (predicate
    IRIs, object IRIs) pairs, None standing for any; ``{ANY}`` when it cannot be parsed. A variable
    bound by a ``VALUES`` block of IRIs that the pattern is joined with (not through an OPTIONAL,
    MINUS or EXISTS, where it would not filter) counts as those IRIs. Cached by text."""
    from rdflib.plugins.sparql import prepareQuery

    from ..model.terms import PREFIXES

    try:
        algebra = prepareQuery(text, initNs=PREFIXES).algebra
    except Exception:  # rdflib raises many kinds of error on text it cannot read: read as "any"
        return frozenset({ANY})
    out: set[Pattern] = set()
    _walk(algebra, {}, out)
    return frozenset(out)


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
                out.update(p for t in value for p in _triple_patterns(t, bound if name == "BGP" else {}))
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


def _triple_patterns(triple, bound: dict) -> list[Pattern]:
    """The patterns of one triple pattern (a property path gives one per IRI in it)."""
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
    return [ANY] if iris is None else [(frozenset({i}), None) for i in iris]


def _path_iris(path) -> list[str] | None:
    """The IRIs of a property path; None when it can match without any quad (``*``, ``?``) or
    matches what it does not name (``!``)."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, SequencePath
    from rdflib.term import URIRef

    if isinstance(path, URIRef):
        return [str(path)]
    if isinstance(path, (AlternativePath, SequencePath)):
        parts = [_path_iris(a) for a in path.args]
        return None if any(x is None for x in parts) else [i for x in parts for i in x]
    if isinstance(path, InvPath):
        return _path_iris(path.arg)
    if isinstance(path, MulPath) and path.mod == "+":
        return _path_iris(path.path)
    return None


def touches(patterns: list[Pattern], quads: list[ox.Quad]) -> bool:
    """Whether one of ``quads`` matches one of ``patterns``."""
    for preds, objs in patterns:
        if preds is None and objs is None:
            return bool(quads)
    for q in quads:
        p, o = q.predicate.value, q.object.value if isinstance(q.object, ox.NamedNode) else None
        for preds, objs in patterns:
            if (preds is None or p in preds) and (objs is None or o in objs):
                return True
    return False


class Recorder(Engine):
    """An engine that runs every query on ``engine`` and notes its text (the parameters are bound to
    it by a VALUES block: the text's patterns hold for every value)."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.texts: dict[str, None] = {}

    def select(self, text, bindings):
        self.texts[text] = None
        return self.engine.select(text, bindings)

    def select_values(self, text, bindings):
        self.texts[text] = None
        return self.engine.select_values(text, bindings)

    def prefetch(self, texts):
        self.engine.prefetch(texts)

    def stop_prefetch(self):
        self.engine.stop_prefetch()


def queries(texts, known: dict[str, list]) -> dict[str, list]:
    """The patterns of each of the query ``texts`` as JSON, by a hash of the text: from ``known``
    (a previous record's, made by the same code) when it has them, else parsed."""
    out = {}
    for text in texts:
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        out[key] = known[key] if key in known else sorted(
            [None if p is None else sorted(p), None if o is None else sorted(o)] for p, o in query_patterns(text))
    return out


# ---------------------------------------------------------------- views


def digest(view) -> str:
    """A hash of everything :func:`kg.views.render.render_html` reads of ``view``: its fields, and
    every node and edge with its attributes, in order, of the source items only the first
    :data:`~kg.views.render.MAX_SOURCES` and their number (a page reads no more of them). Each node
    and edge is pickled (exact for the strings, numbers, lists and dicts of the attributes, and
    faster than their ``repr``) and hashed in turn: no bytes of the whole view at once."""
    from .render import MAX_SOURCES

    def shown(attrs: dict) -> dict:
        sources = attrs.get("sources")
        if sources is None or len(sources) <= MAX_SOURCES:
            return attrs
        return {**attrs, "sources": (sources[:MAX_SOURCES], len(sources))}

    g = view.graph
    dumps = pickle.dumps
    h = hashlib.sha256(dumps((view.name, view.title, view.subtitle, view.notes, view.focus, view.layout,
                              view.size_by, g.graph), 5))
    for n, a in g.nodes(data=True):
        h.update(dumps((n, shown(a)), 5))
    for s, o, k, a in g.edges(keys=True, data=True):
        h.update(dumps((s, o, k, shown(a)), 5))
    return h.hexdigest()


@functools.cache
def fingerprint() -> str:
    """A hash of what decides the views besides the graph: kg's code, model and page assets, and
    the versions of the libraries that query, lay out and render."""
    pkg = Path(__file__).resolve().parent.parent
    files = sorted(p for p in pkg.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    versions = []
    for name in LIBRARIES:
        try:
            versions.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            versions.append(name)
    return files_hash(files, f"{__version__} {' '.join(versions)}")


def previous(build_dir: Path) -> dict | None:
    """What the build in ``build_dir`` recorded of its views, when made by the same code; else None."""
    try:
        kept = json.loads((build_dir / RECORD).read_text(encoding="utf-8"))
        if kept.get("fingerprint") != fingerprint():
            return None
        kept["patterns"] = list({(None if p is None else frozenset(p), None if o is None else frozenset(o))
                                 for patterns in kept["queries"].values() for p, o in patterns})
        return kept if isinstance(kept["files"], dict) and isinstance(kept["entries"], list) else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):  # absent or foreign: draw them all
        return None


def save(build_dir: Path, read: dict[str, list], files: dict[str, list], entries: list[dict],
         reused: int, whole: bool) -> None:
    """Keep in ``build_dir``'s cache what its views read (the patterns of each query, :func:`queries`),
    by file name (the index included) the digest, size and time of each file, the index entries,
    how many views were taken from the previous build and whether the whole folder was (step 1)."""
    path = build_dir / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = {"fingerprint": fingerprint(), "queries": read, "files": files, "entries": entries,
            "reused": reused, "whole": whole}
    path.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")


def take(source: Path, target: Path) -> None:
    """``source`` at ``target``: a hard link (files of a build are never changed in place), or a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
