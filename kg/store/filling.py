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
"""

from __future__ import annotations

import re
from concurrent.futures import Future, ThreadPoolExecutor

import pyoxigraph as ox

from ..model.terms import GRAPH
from ..rdf.ontology import ontology_quads
from ..rdf.oxterms import to_ox_quads

# the graph name that ends an N-Quads line of a build (each quad is in one of kg's named graphs; a
# line ends only where a quad does, a newline inside a literal being written \n)
_GRAPH_NAME = re.compile(re.escape(f" <{GRAPH}".encode()) + rb"[^>]*> \.\n")


class Filling:
    """A store and N-Quads texts, filled on a thread from the texts it is called with;
    used as a context manager (on leaving, the thread has ended, whatever was raised)."""

    def __init__(self) -> None:
        self.store = ox.Store()
        self.parts: list[bytes] = []
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-fill")
        self._pending: list[Future] = []

    def __enter__(self) -> Filling:
        return self

    def __exit__(self, *exc) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def __call__(self, text: bytes) -> None:
        """Take the N-Quads ``text`` of some quads (each in one of kg's named graphs): kept for the
        dumps, and loaded after the texts taken before. Only Oxigraph's parse and load run on the
        thread: a thread that takes the GIL from the writer (to write the text, say) slows it by more
        than the time it holds it (measured at 1M triples: benchmarks/README.md)."""
        self.parts.append(text)
        self._load(text)

    def _load(self, text: bytes) -> None:
        # the same lines without their graph names, parsed and loaded by Oxigraph (a list of new quads
        # in the default graph would be made by Python, holding the GIL)
        self._pending.append(self._pool.submit(self.store.load, _GRAPH_NAME.sub(b" .\n", text),
                                               format=ox.RdfFormat.N_TRIPLES, lenient=True))

    def result(self) -> tuple[ox.Store, list[bytes]]:
        """Once every list taken is in: the store, with the ontology and vocabularies added, and the
        N-Quads texts of the quads and of the ontology's graph (raises what filling raised)."""
        ontology = ox.serialize(to_ox_quads(ontology_quads()), format=ox.RdfFormat.N_QUADS)
        self._load(ontology)
        for done in self._pending:
            done.result()
        self._pending.clear()
        self.parts.append(ontology)
        store, self.store = self.store, None  # the caller's alone (it may let it go)
        return store, self.parts
