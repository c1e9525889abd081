"""The default set of views that ``kg build`` writes into ``<build>/views/``, with an index page.

The set: the overview (top 200 by PageRank), enforcement (every jurisdiction), the lineage of
every chain and of each chain that holds a standard (the :data:`MAX_LINEAGE_VIEWS` largest),
the ego network of the most active authority, and one view per newsletter (the first
:data:`MAX_DOCUMENT_VIEWS` by id; the index says how many were left out, and
``kg view document ID`` makes any of them).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import respect_umask
from ..rdf.patterns import subject_classes, touches
from ..store.aside import Aside
from . import early, reuse
from .context import ORDER_FREE, Context
from .render import index_html, render_html
from .select import (
    View,
    authority_view,
    document_view,
    enforcement_view,
    lineage_seeds,
    lineage_view,
    most_active_authority,
    overview_view,
)

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from ..query.graph import Graph

VIEWS_DIR = "views"
ORDER_FREE_KEYS = {reuse.text_key(text) for text in ORDER_FREE}
INDEX = "index.html"
OVERVIEW_TOP = 200
MAX_DOCUMENT_VIEWS = 100
MAX_LINEAGE_VIEWS = 12


def slug(text: str, fallback: str = "") -> str:
    """An ASCII file-name part for ``text`` (``GB/T 46068-2025`` -> ``GB-T-46068-2025``); a short hash
    when nothing ASCII is left (Chinese names)."""
    s = re.sub(r"[^A-Za-z0-9._]+", "-", text).strip("-.")[:60]
    if len(s) >= 2 and re.search(r"[A-Za-z0-9]", s):
        return s
    return "h" + hashlib.sha1((fallback or text).encode("utf-8")).hexdigest()[:10]


def default_views(ctx: Context) -> list[tuple[str, str, View]]:
    """(file name, group, view) of the default set."""
    return [(filename, group, make()) for filename, group, make in default_recipes(ctx)]


def default_recipes(ctx: Context) -> list[tuple[str, str, Callable[[], View]]]:
    """(file name, group, a function that makes the view) of the default set, in its order."""
    lineage = "Lineage of instruments and standards"
    out: list[tuple[str, str, Callable[[], View]]] = [
        ("overview.html", "Overview", partial(overview_view, ctx, size_by="pagerank", top=OVERVIEW_TOP)),
        ("enforcement.html", "Enforcement", partial(enforcement_view, ctx)),
        ("lineage.html", lineage, partial(lineage_view, ctx)),
    ]
    lineage_net = ctx.network("lineage")
    for iri in lineage_seeds(ctx)[:MAX_LINEAGE_VIEWS]:
        a = lineage_net.nodes[iri]
        out.append((f"lineage-{slug(a.get('number') or a.get('label', iri), iri)}.html", lineage,
                    partial(lineage_view, ctx, iri)))
    authority = most_active_authority(ctx)
    if authority:
        name = ctx.network("all").nodes[authority].get("label", authority)
        out.append((f"authority-{slug(name, authority)}.html", "Authorities", partial(authority_view, ctx, authority)))
    for doc in ctx.documents()[:MAX_DOCUMENT_VIEWS]:
        out.append((f"document-{slug(doc['id'])}.html", "Newsletters", partial(document_view, ctx, doc["id"])))
    return out


def write_default_views(build_dir: str | Path, g: Graph | None = None,
                        since: tuple[Path, list[ox.Quad] | Callable[[], list[ox.Quad] | None] | None] | None = None,
                        prefetch: bool = True, begin: bool = False) -> list[dict]:
    """Write the default views and ``index.html`` into ``<build_dir>/views/`` (replacing the folder
    whole: written beside it, then swapped in) and return the index entries. ``since``: the previous
    build's folder and the quads changed since (None: not known, so each view is computed and
    compared; or a function that gives them once they are known, called first), to take from it the
    views a change cannot have changed and the rows of the queries it cannot have changed
    (:mod:`kg.views.reuse`: the result is the same). ``prefetch``: run the whole-graph queries on a
    thread while the first are read (:meth:`Context.prefetch`), for a caller with a core to spare:
    alone on 2 cores at 1M the views took 9.6-11.5 s instead of 13.4-13.7 s; beside the store's
    load, which keeps the other core busy, it slowed both (benchmarks/README.md). ``begin``: while
    the quads changed are waited for, begin the views on the previous build's rows
    (:mod:`kg.views.early`), for a caller that has the time (a rebuild's views, forked early)."""
    from ..query.graph import open as open_graph

    build_dir = Path(build_dir)
    graph = g if g is not None else open_graph(build_dir)
    kept = None if since is None else reuse.previous(since[0])
    quads, ahead, begun = None if since is None else since[1], {}, None
    if callable(quads) and begin and kept is not None:  # waited for: meanwhile the views are begun
        ahead = reuse.read_rows(kept, since[0], ORDER_FREE_KEYS)
        begun = early.begin(graph, ahead, _recipes)
        quads = quads()
    elif callable(quads):  # waited for: meanwhile the previous rows are read, on a thread (most will be taken)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-rows") as pool:
            reading = None if kept is None else pool.submit(reuse.read_rows, kept, since[0], ORDER_FREE_KEYS)
            quads = quads()
            ahead = {} if reading is None else reading.result()
    old = None if since is None else since[0] / VIEWS_DIR
    target = build_dir / VIEWS_DIR
    tmp = Path(tempfile.mkdtemp(prefix=f".{VIEWS_DIR}.tmp-", dir=build_dir))
    try:
        respect_umask(tmp)
        shutil.rmtree(build_dir / reuse.ROWS, ignore_errors=True)  # the rows of this drawing only
        # the classes of the changed quads' subjects, looked up once for both steps that ask
        classes = None if quads is None or graph.store is None else subject_classes(graph.store, quads)
        whole = kept is not None and quads is not None and _untouched(kept, old, quads, classes)
        if whole:
            for filename in kept["files"]:
                reuse.take(old / filename, tmp / filename)
            reuse.take_rows(kept, since[0], build_dir)
            entries, read = kept["entries"], kept["queries"]
            digests = {filename: [d[0], *d[3:]] for filename, d in kept["files"].items()}
            reused, rows_taken, carried, relabelled, unmade = len(digests) - 1, 0, False, 0, len(digests) - 1
        else:
            reusable = ({} if kept is None or quads is None
                        else reuse.reusable(kept, since[0], quads, classes, ORDER_FREE_KEYS))
            recorder = reuse.Recorder(graph.engine, build_dir / reuse.ROWS, reusable, ahead, ORDER_FREE_KEYS)
            del ahead  # the recorder's alone: each let go once taken
            ctx = None if begun is None else early.carry_on(begun, recorder, graph, kept["queries"], quads, classes)
            begun = begun if ctx is not None else None  # what was begun and dropped is let go
            entries, read, digests, hows, made = _draw(tmp, graph, recorder, kept, old, prefetch,
                                                       None if ctx is None else (ctx, begun))
            reused, relabelled, unmade = hows.count("taken"), hows.count("relabelled"), len(hows) - len(made)
            rows_taken, carried = len(recorder.taken), ctx is not None
        files = {filename: [d[0], *_stat(tmp / filename), *d[1:]] for filename, d in digests.items()}
        reuse.save(build_dir, read, files, entries, reused, whole, rows_taken, carried, relabelled, unmade)
        _swap_in(tmp, target)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return entries


def untouched(previous: Path, quads: list[ox.Quad], graph: ox.Store) -> bool:
    """Whether the views of the build in ``previous`` are this build's as they are: no quad of
    ``quads`` (changed since, to the new ``graph``) matches a pattern of the queries they ran, and
    their files are as that build wrote them (:mod:`kg.views.reuse`, step 1)."""
    kept = reuse.previous(previous)
    return kept is not None and _untouched(kept, previous / VIEWS_DIR, quads, subject_classes(graph, quads))


def _untouched(kept: dict, old: Path, quads: list[ox.Quad], classes: Callable[[object], set[str]] | None) -> bool:
    """Step 1 of :mod:`kg.views.reuse`; ``classes``: those of the changed quads' subjects
    (:func:`kg.rdf.patterns.subject_classes`; None: not known, every subject may be of any class)."""
    return not touches(kept["patterns"], quads, classes) and _unchanged(old, kept)


def _stat(path: Path) -> list[int]:
    """Size and modification time of a view file: a file changed since it was written is not reused."""
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


def _unchanged(old: Path, kept: dict) -> bool:
    """Whether ``old`` (the previous build's views) holds the files it recorded, as it wrote them."""
    return INDEX in kept["files"] and all(_stat_matches(old / f, d) for f, d in kept["files"].items())


def _recipes(ctx: Context) -> list[tuple[str, str, Callable[[], View]]]:
    """:func:`default_recipes`, with every whole-graph query read (before the views are shared out)."""
    recipes = default_recipes(ctx)
    ctx.reported("")
    return recipes


def _draw(tmp: Path, graph: Graph, recorder: reuse.Recorder, kept: dict | None, old: Path | None,
          prefetch: bool, begun: tuple[Context, early.Begun] | None = None
          ) -> tuple[list[dict], dict, dict, list, list]:
    """Compute the default views, their queries run through ``recorder``, and write each into
    ``tmp``: rendered, taken from ``old`` when its digest and labels are those ``kept`` recorded, or
    relabelled from it (:func:`_write_pages`); ``begun``: the context carried on from views begun
    early and what was begun (:mod:`kg.views.early`), with which a page whose view can only have
    changed in its documents' labels is taken or relabelled without its view made (:class:`_Unmade`).
    Returns the index entries, the patterns of the queries the views ran (:func:`kg.views.reuse.queries`),
    each file's [digest, its documents' labels, the documents it names, those its view read] (all
    None for the index), how each page was made ("taken", "relabelled", "drawn") and the pages
    whose views were made."""
    from ..query.graph import Graph as GraphType

    unmade = None
    if begun is not None:
        ctx, was = begun
        now = ctx.documents()
        same = [d["id"] for d in now] == [d["id"] for d in was.documents]
        recipes = was.recipes if same else _recipes(ctx)
        unmade = _Unmade.of(kept, recorder.texts, was.documents, now, ctx.document_labels()) if same else None
    else:
        ctx = Context(GraphType(recorder, graph.store, graph.build_dir))
        if prefetch:  # the set reads every whole-graph query: Oxigraph runs the next while Python reads one
            ctx.prefetch()
        try:
            recipes = _recipes(ctx)
        finally:
            recorder.stop_prefetch()
    # each view made, digested, then taken or rendered: on two cores when this process may fork (the
    # rebuild's views process, whose build waits for it), shared out by their size in the build before
    # (the networks they read are made once, before), so that the largest view's page starts once
    # that view is made, and the others are made beside it
    files = None if kept is None else kept["files"]
    sizes = {e["href"]: e["nodes"] + e["edges"] for e in ([] if kept is None else kept["entries"])}
    done: dict[str, tuple] = {}
    if unmade is not None:  # the pages taken as they are, without their views made
        for filename, _group, _make in recipes:
            if (page := unmade.page(filename, files.get(filename), old, tmp)) is not None:
                done[filename] = (*page, False)
    mine, theirs = _in_two([r for r in recipes if r[0] not in done], sizes)
    other = Aside("pages", _write_pages, tmp, theirs, files, old, recorder, ctx) if theirs else None
    try:
        done.update(_write_pages(tmp, mine, files, old, recorder, ctx)[0])
        if other is not None:
            their, texts = other.result()
            done.update(their)
            recorder.texts.update(dict.fromkeys(texts))  # the queries the other process ran
    except BaseException:
        if other is not None:
            other.cancel()
        raise
    entries = [done[filename][2] for filename, _group, _make in recipes]
    digests = {filename: list(done[filename][0]) for filename, _group, _make in recipes}
    hows = [how for _d, how, _entry, _made in done.values()]
    made = [filename for filename, (_d, _how, _entry, was_made) in done.items() if was_made]
    subtitle = "Interactive networks of the built graph; each opens offline."
    left_out = len(ctx.documents()) - MAX_DOCUMENT_VIEWS
    if left_out > 0:
        subtitle += (f" Views of the first {MAX_DOCUMENT_VIEWS} newsletters only ({left_out} more): "
                     "`kg view document ID` makes the others.")
    page = index_html("regkg views", entries, subtitle)
    was = None if kept is None else kept["files"].get(INDEX)
    if was is not None and _stat_matches(old / INDEX, was) and _same_text(old / INDEX, page):
        reuse.take(old / INDEX, tmp / INDEX)
    else:
        (tmp / INDEX).write_text(page, encoding="utf-8")
    digests[INDEX] = [None, None, None, None]
    return entries, reuse.queries(recorder.texts, {} if kept is None else kept["queries"]), digests, hows, made


def _in_two(recipes: list[tuple[str, str, Callable[[], View]]], size: dict[str, int]) -> tuple[list, list]:
    """The ``recipes`` in two shares of about the same ``size`` (by file name, nodes and edges; 1 when not
    known), the largest first."""
    shares: tuple[list, list] = ([], [])
    sizes = [0, 0]
    for item in sorted(recipes, key=lambda r: -size.get(r[0], 1)):
        i = 0 if sizes[0] <= sizes[1] else 1
        shares[i].append(item)
        sizes[i] += size.get(item[0], 1)
    return shares


def _write_pages(tmp: Path, share: list[tuple[str, str, Callable[[], View]]], files: dict | None, old: Path | None,
                 recorder: reuse.Recorder, ctx: Context) -> tuple[dict[str, tuple], list[str]]:
    """Each view of ``share`` made and digested, then its page taken from ``old`` when its digest and
    its documents' labels are those ``files`` recorded, relabelled from it when only the labels
    differ (:func:`kg.views.reuse.relabelled`: a newsletter's new title changes a few strings of a
    page whose render takes seconds), else rendered, into ``tmp``. Returns file name -> ((digest,
    labels, documents named, documents read), how ("taken", "relabelled" or "drawn"), its index
    entry, True: its view made), and the texts of the queries ``recorder`` ran (those of a forked
    process are its own). ``ctx``: the context the views are made of, which notes the documents
    each reads (:attr:`~kg.views.context.Context.documents_read`)."""
    out: dict[str, tuple] = {}
    for filename, group, make in share:
        was = None if files is None else files.get(filename)
        ctx.track_documents()
        view = make()
        read = None if ctx.documents_read is None else sorted(ctx.documents_read)
        d, labels, named = reuse.digest(view)
        same = was is not None and was[0] == d and len(was) == 6 and _stat_matches(old / filename, was)
        taken = same and was[3] == labels
        page = None
        if taken:
            reuse.take(old / filename, tmp / filename)
        elif same:
            page = reuse.relabelled((old / filename).read_bytes(), was[3], labels)
        if page is not None:
            (tmp / filename).write_bytes(page)
        elif not taken:
            (tmp / filename).write_text(render_html(view), encoding="utf-8")
        how = "taken" if taken else "drawn" if page is None else "relabelled"
        out[filename] = ((d, labels, named, read), how, {"href": filename, "title": view.title,
                                                         "subtitle": view.subtitle, "group": group,
                                                         "nodes": view.graph.number_of_nodes(),
                                                         "edges": view.graph.number_of_edges(), "view": view.name},
                         True)
    return out, list(recorder.texts)


@dataclass
class _Unmade:
    """A rebuild's pages whose views can only have changed in the labels of their documents: the
    views were carried on from those begun on the previous build's rows (:mod:`kg.views.early`),
    which read every query the previous drawing read, and the change left the rows of each as they
    were but the list of documents, whose ids are the same; so a view is the previous one but for
    what it read of the documents (and the record and rows kept for the next build are those of a
    drawing from the start). A page whose view read none of the documents that changed (their labels or
    dates; nor any whose label, before or after, is the id of one it read, which resolving that
    id could now find) is the previous page with its documents' labels now: taken or relabelled
    without its view made (at 1M triples, after a newsletter's new title, 116 of the 117 pages, and
    some 3 s of the views' process: benchmarks/README.md). ``labels``: each document's label now;
    ``changed``: the ids and labels of the documents that changed; ``entries``: the previous
    index entries, by file name."""

    labels: dict[str, str]
    changed: set[str]
    entries: dict[str, dict]

    @classmethod
    def of(cls, kept: dict | None, read: dict[str, None], before: list[dict], now: list[dict],
           labels: dict[str, str]) -> _Unmade | None:
        """The pages to take as they are, when every query of the previous drawing (``kept``) is one of
        those ``read`` in carrying on what was begun (texts); ``before``, ``now``: the documents then
        and now, the same ids in the same order; ``labels``: the labels now of those that have one.
        Else None."""
        if kept is None or not {reuse.text_key(text) for text in read}.issuperset(kept["queries"]):
            return None
        changed = {x for a, b in zip(before, now, strict=True) if a != b for x in (a["id"], a["label"], b["label"])}
        return cls(labels, changed, {e["href"]: e for e in kept["entries"]})

    def page(self, filename: str, was: list | None, old: Path, tmp: Path) -> tuple | None:
        """The page ``filename`` that the previous build in ``old`` recorded as ``was``, taken into
        ``tmp`` or relabelled there, and its ((digest, labels, documents named, documents read),
        how, index entry); None when its view is to be made."""
        if was is None or len(was) != 6 or filename not in self.entries or not _stat_matches(old / filename, was):
            return None
        read = was[5]
        if read is None or not self.changed.isdisjoint(read):
            return None
        labels = {d: self.labels[d] for d in was[4] if d in self.labels}
        page = None if labels == was[3] else reuse.relabelled((old / filename).read_bytes(), was[3], labels)
        if labels != was[3] and page is None:
            return None
        if page is None:
            reuse.take(old / filename, tmp / filename)
        else:
            (tmp / filename).write_bytes(page)
        return (was[0], labels, was[4], read), "taken" if page is None else "relabelled", self.entries[filename]


def _same_text(path: Path, text: str) -> bool:
    """Whether the file at ``path`` holds ``text`` (the index: a few kB, compared whole)."""
    try:
        return path.read_bytes() == text.encode("utf-8")
    except OSError:
        return False


def _stat_matches(path: Path, was: list) -> bool:
    """Whether the file at ``path`` has the size and time recorded in ``was`` (after its digest)."""
    try:
        return _stat(path) == was[1:3]
    except OSError:
        return False


def _swap_in(tmp: Path, target: Path) -> None:
    """The folder ``tmp`` in place of ``target``."""
    old = None
    if target.exists():
        old = target.parent / f".{VIEWS_DIR}.old-{tmp.name.rsplit('-', 1)[-1]}"
        target.rename(old)
    tmp.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
