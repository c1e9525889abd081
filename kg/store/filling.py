"""The build's in-memory store and the N-Quads text of its quads, filled while the quads are made.

:func:`kg.rdf.writer.write_quads` hands the quads over as N-Quads text, part by part, as it makes
them; a :class:`Filling` keeps each part (for the dumps) and, on a thread of its own, loads it
without its graph names into an in-memory store of facts (their graphs merged, as
:func:`kg.rdf.validate.fact_store` makes it). Oxigraph parses and loads text without holding
Python's GIL, so on a second core the store is filled while the writer makes the next quads,
instead of after them (at 1M triples the load took 3.1 s after a writer of 3.8 s:
benchmarks/README.md). The parts are loaded in the order they come, so the store holds the quads
in the writer's order, as a store loaded from the whole list would, then the ontology (made while
the last parts load). Oxigraph loads them leniently (without checking each IRI again: 3.2 s became
2.4 s at 1M triples): they are kg's own writer's, whose quads every build parses strictly where they
are compared or stored (:mod:`kg.rdf.delta`, :mod:`kg.store.store`).

A rebuild starts from the previous build's store instead: the triples it loaded are kept in its
``cache/facts.nt`` (as loaded: graph names left out, in the order made), and Oxigraph loads them
on the thread, from the file, while the build reads its data (before the writer, which then loads
nothing); once the quads are compared with the previous build's (:class:`kg.store.dumps.Making`),
:func:`patch` removes and adds the triples that changed (in the build's process, and in the
process that draws the views, forked before: :mod:`kg.store.build`). A triple removed from one
graph stays while another graph still holds it. The views, the tallies and the shapes read the store in no
order of its own (:data:`kg.views.context.ORDER_FREE`), so a patched store answers as a store
filled anew (tests/store/test_build.py: a rebuild and ``--full`` give the same bytes).
"""

from __future__ import annotations

import re
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import pyoxigraph as ox

from ..model.terms import DERIVED_GRAPH, GRAPH
from ..rdf.emitter import Stretch
from ..rdf.ontology import ontology_nquads
from .dumps import MADE, NQUADS, TRIPLES, copy_range, lines_with_prefix, mapped, recorded, triple_head, write_all

# the graph name that ends an N-Quads line of a build (each quad is in one of kg's named graphs; a
# line ends only where a quad does, a newline inside a literal being written \n)
_GRAPH_NAME = re.compile(re.escape(f" <{GRAPH}".encode()) + rb"[^>]*> \.\n")
MAX_PATCHED = 20_000  # changed lines beyond which the store is loaded anew rather than patched
_DERIVED = f" <{DERIVED_GRAPH}> .".encode()  # how a line of the derived graph ends


class Filling:
    """A store and N-Quads texts, filled on a thread from the texts it is called with;
    used as a context manager (on leaving, the thread has ended, whatever was raised). The
    texts and the triples loaded are written into ``folder`` (:data:`~kg.store.dumps.MADE`,
    :data:`TRIPLES`) when given, on the same thread; with ``previous``,
    the folder of a build whose :data:`TRIPLES` are there, the store is that build's (to be
    :func:`patch`-ed) and the texts are not loaded."""

    def __init__(self, folder: Path | None = None, previous: Path | None = None) -> None:
        self.store = ox.Store()
        self.parts: list[bytes] = []
        self._out = self._made = None
        if folder is not None:
            (folder / TRIPLES).parent.mkdir(parents=True, exist_ok=True)
            with ExitStack() as opened:  # both open, or neither; unbuffered: stretches are copied in
                self._out = opened.enter_context((folder / TRIPLES).open("wb", buffering=0))
                self._made = opened.enter_context((folder / MADE).open("wb", buffering=0))
                opened.pop_all()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-fill")
        self._pending: list[Future] = []
        self.patching = previous is not None and (previous / TRIPLES).is_file() and recorded(previous) is not None
        if self.patching:
            self._pending.append(self._pool.submit(self.store.load, path=previous / TRIPLES,
                                                   format=ox.RdfFormat.N_TRIPLES, lenient=True))

    def __enter__(self) -> Filling:
        return self

    def __exit__(self, *exc) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._close()

    def _close(self) -> None:
        for fh in (self._out, self._made):
            if fh is not None:
                fh.close()

    def loaded(self) -> ox.Store:
        """The store once the previous build's triples are loaded into it (patching), with no thread
        left running (one starts again with the next text): a process forked now copies it whole."""
        for done in self._pending:
            done.result()
        self._pending.clear()
        self._pool.shutdown(wait=True)
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-fill")
        return self.store

    def __call__(self, text: bytes | Stretch, triples: bytes | Stretch | None = None) -> None:
        """Take the N-Quads ``text`` of some quads (each in one of kg's named graphs): kept for the
        dumps, and loaded after the texts taken before; ``triples``: its lines without their graph
        names, when the writer made them (:class:`kg.rdf.emitter.Emitter`), else cut from it here.
        Both may be :class:`~kg.rdf.emitter.Stretch` objects of the previous build's files, which
        are copied from file to file. Only Oxigraph's parse and load (and the file's write or
        copy) run on the thread: a thread that takes the GIL from the writer (to write the text,
        say) slows it by more than the time it holds it (measured at 1M triples: benchmarks/README.md)."""
        self.parts.append(text)
        self._load(text, triples)

    def _load(self, text: bytes | Stretch, triples: bytes | Stretch | None = None) -> None:
        # the same lines without their graph names, parsed and loaded by Oxigraph (a list of new quads
        # in the default graph would be made by Python, holding the GIL)
        if triples is None:
            triples = _GRAPH_NAME.sub(b" .\n", text if isinstance(text, bytes) else text.read())
        if not self.patching:
            self._pending.append(self._pool.submit(_load_triples, self.store, triples))
        if self._out is not None:
            self._pending.append(self._pool.submit(_write, self._out, triples))
            self._pending.append(self._pool.submit(_write, self._made, text))

    def result(self, reuse: bool = True) -> tuple[ox.Store, list[bytes]]:
        """Once every list taken is in: the store, with the ontology and vocabularies added, and the
        N-Quads texts of the quads and of the ontology's graph (raises what filling raised); the
        ontology's text from kg's cache when ``reuse`` (:func:`~kg.rdf.ontology.ontology_nquads`)."""
        ontology = ontology_nquads(reuse)
        self._load(ontology)
        for done in self._pending:
            done.result()
        self._pending.clear()
        self._close()
        self.parts.append(ontology)
        store, self.store = self.store, None  # the caller's alone (it may let it go)
        return store, self.parts


def _load_triples(store: ox.Store, triples: bytes | Stretch) -> None:
    """N-Triples loaded into ``store`` (leniently: kg's own writer's lines)."""
    store.load(triples if isinstance(triples, bytes) else triples.read(), format=ox.RdfFormat.N_TRIPLES, lenient=True)


def _write(out, text: bytes | Stretch) -> None:
    """``text`` written to the unbuffered file ``out``: a stretch of another file copied from it."""
    if isinstance(text, bytes):
        write_all(out, text)
    else:
        copy_range(text.file, out, text.start, text.end)


def patch(store: ox.Store, changed: tuple[list[bytes], list[bytes]] | None, previous: Path, folder: Path) -> None:
    """Bring the ``store`` of the build in ``previous`` (filled by a :class:`Filling` given it) to the
    build in ``folder``: ``changed``, the N-Quads lines of the facts and ontology added and removed
    since (:attr:`kg.store.dumps.Making.base`). A triple removed from one graph is removed from the
    store when no other graph holds it, as the previous ``graph.nq`` (sorted) and the lines added
    tell. Without the lines (None: not compared, or a graph with blank nodes, which a store loaded
    from text names anew) or with more than :data:`MAX_PATCHED` of them, the store is emptied and
    loaded with ``folder``'s triples instead."""
    if changed is None or sum(map(len, changed)) > MAX_PATCHED:
        store.clear()
        store.load(path=folder / TRIPLES, format=ox.RdfFormat.N_TRIPLES, lenient=True)
        return
    added, removed = changed
    gone, came = set(removed), set(map(triple_head, added))
    lost = []
    with ExitStack() as files:
        old = mapped(files, previous / NQUADS)
        for head in dict.fromkeys(map(triple_head, removed)):
            if head not in came and all(line in gone or line.endswith(_DERIVED)
                                        for line in lines_with_prefix(old, head).splitlines()):
                lost.append(_triple(head))
    if lost:
        for quad in ox.parse(b"".join(lost), format=ox.RdfFormat.N_TRIPLES):
            store.remove(quad)
    if added:
        store.load(b"".join(_triple(triple_head(line)) for line in added), format=ox.RdfFormat.N_TRIPLES)


def _triple(head: bytes) -> bytes:
    """The N-Triples line of the triple whose quad lines start with ``head`` (:func:`~kg.store.dumps.triple_head`)."""
    return head[:head.rindex(b" <")] + b" .\n"
