"""``kg build``: data/ -> RDF -> SHACL -> embedded store and dumps, atomically."""

from __future__ import annotations

import ctypes
import datetime as dt
import gc
import json
import re
import shutil
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDF

from .. import __version__, paths
from ..errors import KgError
from ..facts.basecache import cached_base, load_vocabularies
from ..facts.cache import ParseCache
from ..facts.dataset import Dataset, load_dataset
from ..model.terms import DERIVED_GRAPH, KG
from ..rdf.delta import Delta, delta_since
from ..rdf.derive import derive
from ..rdf.oxterms import NODE
from ..rdf.revalidate import Kept, previous, revalidate, save, sparql_again
from ..rdf.validate import Finding, report, violations
from ..rdf.writer import write_quads
from .aside import Aside, Later
from .diff import CHANGES_JSON, CHANGES_MD, Changes, changes_since
from .dumps import NQUADS, Dumps, Making, earlier
from .filling import Filling, patch
from .store import STORE, derivations_hash, put_in_place, read_manifest, staging, write_store
from .turtle import write_turtle


class BuildError(KgError):
    """The data does not conform to the shapes; nothing was written."""

    def __init__(self, findings: list[Finding]):
        self.findings = findings
        super().__init__(f"{len(violations(findings))} SHACL violation(s); the previous build is untouched")

    def lines(self) -> list[str]:
        return [str(f) for f in violations(self.findings)] + [str(self)]


OWN_CLASSES = ("Authority", "Instrument", "EnforcementAction", "CourtCase", "Party", "SourceDocument", "SourceItem")


@dataclass
class BuildResult:
    """What a build produced."""

    build_dir: Path
    triples: int
    quads: int
    class_counts: dict[str, int]
    document_counts: dict[str, dict[str, int]]
    findings: list[Finding] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    seconds: float = 0.0
    changes: Changes | None = None
    parsed: int = 0  # fact files parsed (the others were the previous build's, unchanged)
    cached: int = 0
    rechecked: int | None = None  # nodes checked against the shapes again (None: the whole graph)


_COUNT_CLASSES = ("SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { VALUES ?class { "
                  + " ".join(f"<{KG[c]}>" for c in OWN_CLASSES) + " } ?s a ?class } GROUP BY ?class")


def count_classes(facts: ox.Store) -> dict[str, int]:
    """Number of distinct subjects per own class in the store of the ``facts`` (counted by Oxigraph:
    at 1M triples 0.04 s, against 0.1-0.3 s for a set of subjects per class made in Python)."""
    counts = {row["class"].value: int(row["n"].value) for row in facts.query(_COUNT_CLASSES)}
    return {c: counts.get(str(KG[c]), 0) for c in OWN_CLASSES}


def _counted(previous: Path, making: Making) -> dict[str, int] | None:
    """The previous build's :func:`count_classes`, when the quads changed since it (:class:`Making`
    compared them) hold no ``rdf:type``: the typed subjects are the same. None when they do, or when
    they are not known, or its manifest does not describe its dumps (at 1M triples the count is
    0.2 s of a rebuild's own thread)."""
    rdf_type = NODE[RDF.type]
    if making.changed is None or making.kept is None or any(q.predicate == rdf_type for q in making.changed.quads):
        return None
    try:
        manifest = read_manifest(previous)
        counts = manifest["classes"]
        if (manifest["quads"], manifest["triples"]) == (making.kept["quads"], making.kept["triples"]) \
                and sorted(counts) == sorted(OWN_CLASSES) and all(type(n) is int for n in counts.values()):
            return {c: counts[c] for c in OWN_CLASSES}
    except (KgError, OSError, ValueError, KeyError, TypeError, AttributeError):
        pass
    return None


def document_counts(ds: Dataset) -> dict[str, dict[str, int]]:
    """Facts per source document."""
    out: dict[str, Counter] = {d: Counter() for d in ds.documents}
    for inst in ds.instruments.values():
        for doc in {s.doc_id for s in inst.reports}:
            out[doc]["instruments"] += 1
    for rel in ds.relations:
        if rel.doc_id:
            out[rel.doc_id]["relations"] += 1
    for a in ds.actions:
        out[a.doc_id]["actions"] += 1
        if a.penalty:
            out[a.doc_id]["fines"] += 1
    for c in ds.cases:
        out[c.doc_id]["cases"] += 1
    for doc_id, _item in ds.items:
        out[doc_id]["items"] += 1
    for auth in ds.registry.authorities.values():
        for doc in {d for d, _ in auth.reports}:
            if doc in out:
                out[doc]["new_authorities"] += 1
    keys = ("items", "instruments", "relations", "actions", "fines", "cases", "new_authorities")
    return {d: {k: c.get(k, 0) for k in keys} for d, c in sorted(out.items())}


def reference_counts(ds: Dataset) -> dict[str, int]:
    """The authority file: authorities and reference instruments, and how many have an English name and a
    source (the page or document they were checked against)."""
    auths = list(ds.registry.authorities.values())
    insts = [ds.instruments[k] for k in ds.reference if k in ds.instruments]

    def english(inst) -> bool:
        return bool(inst.title_en) or any(t and not re.search(r"[\u3400-\u9fff]", t)
                                          for t in (inst.title, *inst.short_titles, *inst.alt_titles))

    return {
        "authorities": len(auths),
        "authorities_with_english_name": sum(1 for a in auths if a.name_en),
        "authorities_with_source": sum(1 for a in auths if a.sources),
        "authorities_with_both": sum(1 for a in auths if a.name_en and a.sources),
        "instruments": len(insts),
        "instruments_with_english_title": sum(1 for i in insts if english(i)),
        "instruments_with_source": sum(1 for i in insts if i.sources),
        "instruments_with_both": sum(1 for i in insts if english(i) and i.sources),
    }


def _write_views(folder: Path, memory: ox.Store, since: tuple[Path, list[ox.Quad] | None] | Path | None,
                 aside: bool = False, patching: bool = False, later: Later | None = None) -> None:
    """The default views and their index page (kg.views) in the new build folder, read from the
    in-memory store of the build (the same graph, its named graphs merged: reads 3x faster than
    from the store on disk); ``since``: the build it replaces and the quads changed since (or the
    build alone, the quads to come from ``later`` when the build knows them), whose views and query
    rows a change cannot have changed are taken from it (:mod:`kg.views.reuse`);
    ``aside``: drawn in a process of their own, which runs their queries ahead on a thread (the
    build's process waits for them at its end, so a core comes free; beside the store's load, in
    the build's own process, that thread slowed both: benchmarks/README.md). From ``later`` come
    the lines changed since the build in ``since`` and their quads; with ``patching``, ``memory``
    is still that build's store, which the lines bring to this one (:func:`kg.store.filling.patch`).
    The views are a later stage: imported here, when a build writes them."""
    from ..query.engines import StoreEngine
    from ..query.graph import Graph
    from ..views import write_default_views

    if later is not None:
        previous = since

        def changed() -> list[ox.Quad] | None:
            lines, quads = later.get()
            if patching:
                patch(memory, lines, previous, folder)
            return quads

        since = (since, changed)
    write_default_views(folder, Graph(StoreEngine(memory), memory, folder), since, prefetch=aside,
                        begin=aside and patching and later is not None and later.waits)


def _write_changes(build_dir: Path, folder: Path, manifest: dict, changed: list[ox.Quad] | None) -> Changes:
    """``changes.json`` and ``changes.md`` in the new build ``folder``: what it changed since the build
    in ``build_dir`` that it is about to replace (the quads ``changed`` between them, when known)."""
    from ..views.changes import render_markdown

    changes = changes_since(build_dir, folder, manifest, changed)
    (folder / CHANGES_JSON).write_text(json.dumps(changes.to_dict(), ensure_ascii=False, indent=2) + "\n",
                                       encoding="utf-8")
    (folder / CHANGES_MD).write_text(render_markdown(changes, "Changes since the previous build"), encoding="utf-8")
    return changes


def build(data_dir: str | Path | None = None, build_dir: str | Path | None = None, *,
          validate: bool = True, views: bool = True, as_of: dt.date | None = None, full: bool = False) -> BuildResult:
    """Build the graph from ``data_dir`` into ``build_dir`` (with the default views in ``views/``
    unless ``views`` is false, and what changed since the build it replaces in ``changes.json`` and
    ``changes.md``). Fact files parsed by an earlier build are read from kg's cache when unchanged
    (:mod:`kg.facts.cache`) and only the nodes a change can affect are checked against the
    shapes again (:mod:`kg.rdf.revalidate`), unless ``full``: the result is the same.

    Raises :class:`~kg.yamlio.FactErrors` for bad data files and :class:`BuildError`
    for SHACL violations; in both cases nothing is written."""
    started = time.perf_counter()
    data = paths.data_dir(data_dir)
    out = paths.build_dir(build_dir)
    # every object a build makes lives to its end: the cyclic collector would only walk them again
    collecting = gc.isenabled()
    gc.disable()
    try:
        cache = ParseCache.default(reuse=not full)
        return _build(data, out, validate, views, as_of or dt.date.today(), started, cache, full)
    finally:
        if collecting:
            gc.enable()


def _check(memory: ox.Store, out: Path, changed: list[ox.Quad] | None, full: bool,
           size: int) -> tuple[Kept, list[Finding], int | None]:
    """The SHACL results the next build can reuse, all results, and how many nodes were checked
    again (None: all); only the nodes the quads ``changed`` since the build in ``out`` can affect
    are checked again, and only the SPARQL-based constraints they can affect run again, unless
    ``full`` (or unless the nodes are so many that checking the graph of ``size`` triples whole
    costs less)."""
    kept = None if full else previous(out)
    core, checked = revalidate(memory, None if kept is None else kept.core, changed, size)
    sparql, record = sparql_again(memory, None if kept is None else kept.sparql, changed)
    return Kept(core, record), report(core + sparql), checked


def _memory_to_spare() -> bool:
    """Whether the machine has, free, twice what this process holds: the room for a process forked
    from it to draw the views beside the build's other steps (at 1M triples the two took 2.5-2.9 GB
    at once, against 1.6-1.8 GB for one process drawing them after: benchmarks/README.md). Read
    from Linux's /proc; elsewhere, no."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            available = next(int(line.split()[1]) for line in fh if line.startswith("MemAvailable:"))
        with open("/proc/self/status", encoding="ascii") as fh:
            held = next(int(line.split()[1]) for line in fh if line.startswith("VmRSS:"))
    except (OSError, StopIteration, ValueError, IndexError):
        return False
    return available >= 2 * held


def _give_back_memory() -> None:
    """Hand the heap's free pages back to the system (glibc's ``malloc_trim``; nothing elsewhere).
    The objects a build lets go of leave the heap in pieces that glibc keeps: at 1M triples about
    150 MB, which the store's load and the views would otherwise add to (measured: benchmarks/README.md)."""
    try:
        trim = ctypes.CDLL(None).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return
    trim(0)


def _build(data: Path, out: Path, validate: bool, views: bool, as_of: dt.date, started: float,
           cache: ParseCache, full: bool) -> BuildResult:
    folder = staging(out)
    drawing = None
    try:
        # the quads loaded into one in-memory store of facts and ontology (the tallies are computed on
        # it, then checked with the facts) and written as N-Quads text while they are made; a rebuild's
        # store is the previous build's, loaded while the data is read, then patched (kg.store.filling)
        # (the files of the previous build closed after the filling's thread, which copies from them, has ended)
        with ExitStack() as files, Filling(folder, None if full else out) as filling:
            # the vocabularies and registries, and the fact files that did not change, from kg's cache
            # (kg.facts.basecache, kg.facts.cache), unless ``full``
            load_vocabularies(reuse=not full)
            ds = load_dataset(data, cached_base(data, reuse=not full), cache)
            cache.prune()
            per_doc, reference, warnings, stale = document_counts(ds), reference_counts(ds), ds.warnings, ds.stale
            if views and not full and filling.patching and (out / NQUADS).exists():
                # a rebuild: the views (which read no derived fact) are drawn on the second core, in a
                # process forked once the previous build's store is loaded (and the memory it holds
                # then is known), which begins them while the quads are made (kg.views.early) and
                # patches its own copy of that store once it is sent the change
                loaded = filling.loaded()
                if _memory_to_spare():
                    drawing = Aside("views", _write_views, folder, loaded, out, True, True, later=True)
                del loaded
            # the units of the previous build's quads (a document's items) whose values are the same are
            # taken from its text (kg.rdf.writer), unless ``full``
            units = write_quads(ds, as_of, filling, earlier=None if full else earlier(out, files), triples=True)
            del ds  # a million triples: every copy of the graph that is no longer needed is let go
            memory, parts = filling.result(reuse=not full)
        _give_back_memory()
        if drawing is None and views and not full and (out / NQUADS).exists() and _memory_to_spare():
            # a rebuild without the previous build's store: the views drawn on the second core meanwhile
            drawing = Aside("views", _write_views, folder, memory, out, True, False, later=True)
        # the dumps first, on disk: their lines are let go before SHACL builds its own copy of the
        # graph (each text is let go once written). The facts' quads are compared with the previous
        # build's first: the store is patched with them, and the derivations they do not touch are
        # taken from the previous build (kg.rdf.derive)
        making = Making(parts, folder, None if full else out, written=True)
        lines = None if making.blank_nodes else making.base
        if drawing is not None and making.changed is not None:
            drawing.send((lines, making.changed.quads))  # the views read the rows of the queries it leaves alone
        if filling.patching:
            patch(memory, lines, out, folder)
        classes = _counted(out, making) or count_classes(memory)
        derived = derive(memory, making.earlier(), None if making.changed is None else making.changed.quads)
        # leniently (IRIs not checked again: 0.3 -> 0.2 s at 1M), as the filling loads the facts: the
        # text is Oxigraph's own serialization of its query results
        memory.load(b"".join(d.text for d in derived).replace(f" <{DERIVED_GRAPH}> .\n".encode(), b" .\n"),
                    format=ox.RdfFormat.N_TRIPLES, lenient=True)
        graph = making.finish(derived, units)
        del derived
        _give_back_memory()
        about = {"data_dir": str(data), "status_as_of": as_of.isoformat(), "classes": classes, "documents": per_doc,
                 "reference": reference, "warnings": len(warnings)}
        held = [memory]  # the only reference from here on: let go once no step reads it (_side_by_side)
        del memory
        findings, changes, checked = _write(out, graph, held, about, validate=validate, views=views, full=full,
                                            drawing=drawing)
    except BaseException:
        if drawing is not None:
            drawing.cancel()
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return BuildResult(out, graph.triples, graph.quads, classes, per_doc, findings, warnings, stale,
                       time.perf_counter() - started, changes, cache.misses, cache.hits, checked)


def _side_by_side(out: Path, graph: Dumps, held: list[ox.Store], changed: Delta | None, *, validate: bool,
                  views: bool, full: bool, drawing: Aside | None) -> tuple[Kept | None, list[Finding], int | None]:
    """The SHACL results (as :func:`_check` gives them; none unless ``validate``) and, when they hold
    no violation, the new build's store, Turtle and views in the folder of ``graph`` (the views
    from ``drawing`` when they are drawn in a process aside, :mod:`kg.store.aside`). pyshacl-turbo
    checks the shapes and Oxigraph loads the store without holding Python's GIL, so two steps run
    at a time: the check beside the Turtle, then the store's load beside the views (at 896k
    triples on 2 cores, 73.7 -> 56.2 s: benchmarks/README.md); a rebuild's store, a copy of the
    previous one changed (:func:`~kg.store.store.write_store`), is made beside the check too. The
    check and the views run on this thread, so that the memory they take and give back is the
    heap's main arena, which the rest of the build reuses (the other way round, a second arena
    held 110 MB more at the peak). Whatever fails,
    the other thread has ended when this returns or raises, so the folder can be removed. The
    in-memory store, ``held`` alone, is let go when nothing reads it any more: while the views
    drawn aside are waited for, when they are (at 1M, 0.4 s to free and 1 GB back while the other
    process draws)."""
    quads = None if changed is None else changed.quads
    memory = held[0]
    since = None if changed is None else (out / STORE, changed)
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="kg-turtle") as pool:
        turtle = pool.submit(write_turtle, graph, None if changed is None else (out, changed))
        # a store changed from a copy of the previous one is light: made beside the check too
        copying = pool.submit(write_store, graph, since) if since is not None and since[0].is_dir() else None
        results = _check(memory, out, quads, full, graph.triples) if validate else (None, [], None)
        turtle.result()
        if copying is not None:
            copying.result()
    if violations(results[1]):
        return results
    _give_back_memory()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-store") as pool:
        loading = pool.submit(write_store, graph, since) if copying is None else copying
        if drawing is not None:
            held.clear()
            del memory
            _give_back_memory()
            drawing.result()
        elif views:
            _write_views(graph.folder, memory, None if quads is None else (out, quads))
        loading.result()
    return results


def _write(out: Path, graph: Dumps, held: list[ox.Store], about: dict, *, validate: bool, views: bool,
           full: bool, drawing: Aside | None) -> tuple[list[Finding], Changes, int | None]:
    """Check the graph against the shapes (the nodes a change since the build in ``out`` can
    affect, unless ``full``), then complete the new build and put it in place: store, Turtle,
    manifest, the SHACL results the next build reuses, the changes, the views. Returns the SHACL
    findings, the changes and how many nodes were checked again (None: all)."""
    # what changed since the build this one replaces: the steps that can redo only that do
    changed = graph.delta  # from the quads as made, when the previous build recorded its own
    if changed is None and not full:
        changed = delta_since(out / NQUADS, graph.nquads())
    quads = None if changed is None else changed.quads
    from ..views.defaults import untouched  # a later stage, as in _write_views

    if drawing is not None and not drawing.sent:
        drawing.send((None, quads))  # the changed lines not known: a store to patch is loaded anew
    if drawing is not None and quads is not None and untouched(out, quads, held[0]):
        # nothing the views read changed: the previous build's are taken whole, here (the drawing
        # aside, which could not know it, stops)
        drawing.cancel()
        drawing = None
    kept, findings, checked = _side_by_side(out, graph, held, changed, validate=validate, views=views, full=full,
                                            drawing=drawing)
    if violations(findings):
        raise BuildError(findings)
    manifest = {
        "kg_version": __version__,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "data_dir": about["data_dir"],
        "status_as_of": about["status_as_of"],
        "quads": graph.quads,
        "triples": graph.triples,
        "classes": about["classes"],
        "documents": about["documents"],
        "reference": about["reference"],
        "shacl": {"violations": len(violations(findings)), "warnings": len(findings) - len(violations(findings)),
                  "validated": validate},
        "warnings": about["warnings"],
        "derivations": derivations_hash(),
    }
    if kept is not None:
        save(graph.folder, kept)
    changes = _write_changes(out, graph.folder, manifest, quads)
    put_in_place(graph, manifest, out)
    return findings, changes, checked
