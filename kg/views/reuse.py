"""Which default views a rebuild can take from the previous build instead of drawing them again.

``kg build`` draws the default views (:mod:`kg.views.defaults`) from the whole graph. A rebuild knows
the quads that changed since the previous build (:mod:`kg.rdf.delta`) and keeps, in the build's
``cache/views.json``, what the previous drawing read and drew; a view file is taken from the
previous build (hard-linked, or copied) when it would come out byte for byte the same:

1. **Nothing the views read changed.** Every query the drawing ran goes through one engine, wrapped
   by :class:`Recorder`, and the record keeps the triple patterns of each
   (:func:`kg.rdf.patterns.query_patterns`: the predicate and, where constant, the object IRI; a
   variable predicate, a zero-length path nothing ties to a quad or a query that cannot be parsed
   means "any quad"). A query's results depend only on the quads that
   match one of its patterns (their order also on other quads, but the views read every
   whole-graph query in an order of their own: :data:`kg.views.context.ORDER_FREE`), so when no
   changed quad matches any pattern, every query answers as before and the whole ``views/``
   folder, index included, is the previous one. One set
   for the whole drawing: every view reads the shared networks, which are made from nearly every
   query the views run, so a set per view would not tell them apart. The patterns are kept by query
   text: the next build parses only a text it has not seen.
2. **The view drawn is the same.** Otherwise the views are computed (the networks and each
   :class:`~kg.views.select.View`) and each is reduced to a :func:`digest` of everything rendering
   reads (title, notes, layout hints, every node and edge with its attributes, in order); a view
   whose digest equals the previous build's is not rendered again (rendering, with its layout and
   its JSON, is some 40% of the time of the views; the networks they share, the rest). The digest
   leaves out the labels of the documents the view's sources name, kept beside it: a view whose
   digest is the same and whose documents were relabelled (a newsletter's new title) is the
   previous page with those labels' strings replaced (:func:`relabelled`), not rendered again.
   When only the list of documents changed (their ids the same) and the views carried on what
   was begun before the change was known (:mod:`kg.views.early`), a view is not even made again
   unless it read one of the documents that changed (the record keeps, per page, the documents
   its view read and those its sources name): its page is the previous one with its documents'
   labels now (:class:`kg.views.defaults._Unmade`).
3. **The rows of a query the change cannot have changed.** The views are computed from the rows
   of their whole-graph queries (:data:`kg.views.context.ORDER_FREE`), whose readers do not depend
   on the order of the rows: Oxigraph may give the same solutions in another order once other
   quads changed (the order of its tables). Their rows are kept in the build's
   ``cache/view-rows/`` (by a hash of the text), and a query whose patterns no changed quad
   touches (the classes its subjects need read from the new graph: a newsletter's new title
   touches none but the list of documents) is not run again: its rows are the previous build's.
   At a million triples the queries are some 40% of the time of computing the views.

A rebuild that draws the views beside its other steps (:mod:`kg.store.build`) starts them before
the changed quads are known; the build sends them as soon as it has compared its quads with the
previous build's, and the views wait for them before their first query.

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
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from .. import __version__
from ..paths import files_hash
from ..query.engines import Engine
from ..rdf.patterns import as_json, from_json, query_patterns, touches

RECORD = Path("cache") / "views.json"
ROWS = Path("cache") / "view-rows"  # the rows of the order-free queries, by text key
LIBRARIES = ("pyoxigraph", "rdflib", "networkx", "pyvis", "jinja2")


# ---------------------------------------------------------------- the queries the views read


class Recorder(Engine):
    """An engine that runs every query on ``engine`` and notes its text (the parameters are bound to
    it by a VALUES block: the text's patterns hold for every value). With a folder to ``keep`` them
    in, the rows of each query without parameters whose key is in ``kept`` are kept there (step 3),
    and those of the queries in ``reusable`` (text key -> the previous build's file) are read from
    that file instead of run."""

    def __init__(self, engine: Engine, keep: Path | None = None, reusable: dict[str, Path] | None = None,
                 read: dict[str, tuple] | None = None, kept: set[str] | frozenset[str] = frozenset()):
        self.engine = engine
        self.texts: dict[str, None] = {}
        self.keep = keep
        self.kept = kept
        self.reusable = reusable or {}
        self.read = read or {}  # rows already read from those files (read_rows), by key
        self.taken: set[str] = set()  # the keys of the queries whose rows were the previous build's

    def select(self, text, bindings):
        self.texts[text] = None
        return self.engine.select(text, bindings)

    def select_values(self, text, bindings):
        self.texts[text] = None
        key = None if bindings or self.keep is None else text_key(text)
        if key not in self.kept:
            return self.engine.select_values(text, bindings)
        target = self.keep / f"{key}.pickle"
        self.keep.mkdir(parents=True, exist_ok=True)
        if key in self.reusable and not target.exists():
            result = self.read.pop(key, None) or _rows(self.reusable[key])
            if result is not None:
                try:
                    take(self.reusable[key], target)
                    self.taken.add(key)
                    return result
                except OSError:  # gone since: run it
                    target.unlink(missing_ok=True)
        result = self.engine.select_values(text, bindings)
        if not target.exists():
            with open(target, "wb") as fh:
                pickle.dump(result, fh, protocol=5)
        return result

    def prefetch(self, texts):
        self.engine.prefetch([t for t in texts if text_key(t) not in self.reusable])

    def stop_prefetch(self):
        self.engine.stop_prefetch()


def text_key(text: str) -> str:
    """The key of a query's text in the record."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def queries(texts, known: dict[str, list]) -> dict[str, list]:
    """The patterns of each of the query ``texts`` as JSON, by :func:`text_key`: from ``known``
    (a previous record's, made by the same code) when it has them, else parsed."""
    out = {}
    for text in texts:
        key = text_key(text)
        out[key] = known[key] if key in known else as_json(query_patterns(text))
    return out


def reusable(kept: dict, old_build: Path, quads: list[ox.Quad], classes: Callable[[object], set[str]] | None,
             order_free: set[str]) -> dict[str, Path]:
    """Text key -> the file of the previous build in ``old_build`` that holds the rows of a query
    without parameters that no quad of ``quads`` (changed since; ``classes``: those of their
    subjects, :func:`kg.rdf.patterns.subject_classes`) touches, of those whose keys are
    ``order_free`` (read by code that does not depend on their order)."""
    folder = old_build / ROWS
    return {key: folder / f"{key}.pickle" for key, patterns in kept["queries"].items()
            if key in order_free and (folder / f"{key}.pickle").exists()
            and not touches(from_json(patterns), quads, classes)}


def read_rows(kept: dict, old_build: Path, order_free: set[str]) -> dict[str, tuple]:
    """The rows of the ``order_free`` queries the previous build in ``old_build`` kept, by key, read
    ahead (those of a damaged or missing file are left out: :class:`Recorder` runs the query)."""
    rows = {key: _rows(old_build / ROWS / f"{key}.pickle") for key in kept["queries"] if key in order_free}
    return {key: value for key, value in rows.items() if value is not None}


def _rows(path: Path) -> tuple | None:
    """The columns and rows kept in ``path``; None when it is gone or cannot be read."""
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError):
        return None


def take_rows(kept: dict, old_build: Path, new_build: Path) -> None:
    """The rows the previous build kept (step 3), all taken into ``new_build`` (its views taken whole)."""
    folder = old_build / ROWS
    for key in kept["queries"]:
        if (folder / f"{key}.pickle").exists():
            (new_build / ROWS).mkdir(parents=True, exist_ok=True)
            take(folder / f"{key}.pickle", new_build / ROWS / f"{key}.pickle")


# ---------------------------------------------------------------- views


def digest(view, batch: int = 256) -> tuple[str, dict[str, str], list[str]]:
    """A hash of everything :func:`kg.views.render.render_html` reads of ``view`` but the labels of
    the documents its sources name, those labels (document id -> label) and the ids of the
    documents its sources name (labelled or not, in the order met): its fields, and every
    node and edge with its attributes, in order, of the source items only the first
    :data:`~kg.views.render.MAX_SOURCES` and their number (a page reads no more of them). The nodes
    and edges are pickled (exact for the strings, numbers, lists and dicts of the attributes, and
    faster than their ``repr``) ``batch`` at a time and hashed in turn: no bytes of the whole view at
    once, and a tenth of the calls of one at a time (0.69 -> 0.44 s for the default views at 1M).
    Equal values that are one object in one drawing and two in another may pickle differently:
    at worst a page is drawn again, never one taken that changed. A page whose hash is the same
    and whose documents have other labels differs only in those labels (:func:`relabelled`)."""
    from .render import MAX_SOURCES

    labels: dict[str, str] = {}
    named: dict[str, None] = {}

    def shown(attrs: dict) -> dict:
        sources = attrs.get("sources")
        if not sources:
            return attrs
        plain = []
        for src in sources[:MAX_SOURCES]:
            named[src["document"]] = None
            if "document_label" in src:
                labels[src["document"]] = src["document_label"]
                src = {k: v for k, v in src.items() if k != "document_label"}
            plain.append(src)
        return {**attrs, "sources": (plain, len(sources))}

    g = view.graph
    dumps = pickle.dumps
    h = hashlib.sha256(dumps((view.name, view.title, view.subtitle, view.notes, view.focus, view.layout,
                              view.size_by, g.graph), 5))
    part: list[tuple] = []
    for n, a in g.nodes(data=True):
        part.append((n, shown(a)))
        if len(part) == batch:
            h.update(dumps(part, 5))
            part = []
    h.update(dumps(part, 5))
    part = []
    for s, o, k, a in g.edges(keys=True, data=True):
        part.append((s, o, k, shown(a)))
        if len(part) == batch:
            h.update(dumps(part, 5))
            part = []
    h.update(dumps(part, 5))
    return h.hexdigest(), labels, list(named)


def relabelled(page: bytes, was: dict[str, str], labels: dict[str, str]) -> bytes | None:
    """The ``page`` drawn when its documents had the labels ``was``, as drawn with the labels
    ``labels`` (the rest of its view the same, :func:`digest`): each changed label's JSON in its
    sources replaced; None when that cannot be told apart (a document without a label in one of
    the two, or a changed label that another document of the page has, before or after)."""
    from .render import script_json

    if was.keys() != labels.keys():
        return None
    changed = [doc for doc in labels if labels[doc] != was[doc]]
    olds, news = [was[doc] for doc in changed], [labels[doc] for doc in changed]
    others = {labels[doc] for doc in labels if doc not in changed}
    if len(set(olds + news)) != 2 * len(changed) or others & set(olds + news):
        return None
    for old, new in zip(olds, news, strict=True):
        page = page.replace(f'"document_label":{script_json(old)}'.encode(),
                            f'"document_label":{script_json(new)}'.encode())
    return page


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
        kept["patterns"] = list(set(from_json(p for patterns in kept["queries"].values() for p in patterns)))
        return kept if isinstance(kept["files"], dict) and isinstance(kept["entries"], list) else None
    except (OSError, ValueError, TypeError, KeyError, AttributeError):  # absent or foreign: draw them all
        return None


def save(build_dir: Path, read: dict[str, list], files: dict[str, list], entries: list[dict],
         reused: int, whole: bool, rows_taken: int = 0, begun: bool = False, relabelled: int = 0,
         unmade: int = 0) -> None:
    """Keep in ``build_dir``'s cache what its views read (the patterns of each query, :func:`queries`),
    by file name (the index included) the digest, size and time of each file, with the labels and
    ids of the documents its sources name (:func:`digest`) and the documents its view read
    (:attr:`kg.views.context.Context.documents_read`), the index entries, how many views were
    taken from the previous build, whether
    the whole folder was (step 1), how many queries' rows were (step 3), whether the views carried
    on what was begun on those rows before the change was known (:mod:`kg.views.early`) and how
    many pages were relabelled (step 2), and how many pages were taken or relabelled without their
    view made again (:mod:`kg.views.defaults`)."""
    path = build_dir / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = {"fingerprint": fingerprint(), "queries": read, "files": files, "entries": entries,
            "reused": reused, "whole": whole, "rows_taken": rows_taken, "begun": begun, "relabelled": relabelled,
            "unmade": unmade}
    path.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")


def take(source: Path, target: Path) -> None:
    """``source`` at ``target``: a hard link (files of a build are never changed in place), or a copy."""
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
