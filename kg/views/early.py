"""A rebuild's views begun before its change is known.

A rebuild's views are drawn in a process of their own (:mod:`kg.store.build`), forked once the
previous build's store is loaded and while the new quads are still being made; they wait for the
quads that changed. Meanwhile they begin on the previous build's rows of the whole-graph queries
(:data:`kg.views.context.ORDER_FREE`, kept in its ``cache/view-rows/``): the networks, what a reader
sees of each node, and the list of views (some 1.6 s at a million triples). Once the change is
known, what was begun is kept when the change touches none of the queries read (their rows are the
new build's, :mod:`kg.views.reuse`, step 3) but the list of documents: then the documents are read
again from the new graph and the sources of a document whose label changed show its new label (a
newsletter's new title touches that list only). Any other change, or a query whose rows were not
kept, and it is dropped: the views are drawn as if it had not been begun. Either way the views
are the same (``tests/views/test_early.py``). What was carried on lets a page whose view read none
of the documents that changed be taken without its view made (:mod:`kg.views.defaults`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..query.engines import Engine
from ..rdf.patterns import from_json, query_patterns, touches
from .context import DOCUMENTS, Context
from .reuse import Recorder, text_key

if TYPE_CHECKING:  # pragma: no cover
    import pyoxigraph as ox

    from ..query.graph import Graph


class NotKept(Exception):
    """A query whose rows the previous build did not keep: what was begun is dropped."""


class _Kept(Engine):
    """Answers the queries without parameters whose rows are ``rows`` (by text key), and notes them."""

    def __init__(self, rows: dict[str, tuple]):
        self.rows = rows
        self.read: dict[str, None] = {}

    def select(self, text, bindings):
        raise NotKept(text)

    def select_values(self, text, bindings):
        key = None if bindings else text_key(text)
        if key not in self.rows:
            raise NotKept(text)
        self.read[text] = None
        return self.rows[key]


@dataclass
class Begun:
    """Views begun on the previous build's rows: the context, the list of views (file name, group,
    a function that makes the view), the texts of the queries read, the documents as read (id,
    label, date, IRI)."""

    ctx: Context
    recipes: list
    read: dict[str, None]
    documents: list[dict]


def begin(graph: Graph, rows: dict[str, tuple], recipes: Callable[[Context], list]) -> Begun | None:
    """The views of ``graph`` begun on ``rows`` (:func:`kg.views.reuse.read_rows`): the context and
    what ``recipes(ctx)`` gives; None when they read a query ``rows`` does not hold."""
    from ..query.graph import Graph as GraphType

    engine = _Kept(dict(rows))
    ctx = Context(GraphType(engine, graph.store, graph.build_dir))
    try:
        made = recipes(ctx)
    except NotKept:
        return None
    return Begun(ctx, made, engine.read, ctx.documents())  # a list that reading again replaces, never changes


def carry_on(begun: Begun, recorder: Recorder, graph: Graph, known: dict[str, list], quads: list[ox.Quad] | None,
             classes: Callable[[object], set[str]] | None) -> Context | None:
    """The context ``begun`` now reading through ``recorder`` from ``graph`` (the new build's), when
    the ``quads`` changed since (``classes``: those of their subjects) touch none of the queries it
    read but the list of documents (``known``: their patterns by text key, as the previous record
    kept them), which it reads again; each query it read is read through ``recorder`` too, so that
    the record and the rows kept for the next build are those of a drawing from the start. None:
    the change touches what was begun, or is not known (``quads`` None)."""
    if quads is None:
        return None
    for text in begun.read:
        if text == DOCUMENTS:
            continue
        key = text_key(text)
        if touches(from_json(known[key]) if key in known else query_patterns(text), quads, classes):
            return None
    from ..query.graph import Graph as GraphType

    for text in begun.read:
        if text != DOCUMENTS:
            recorder.select_values(text, {})
    begun.ctx.read_from(GraphType(recorder, graph.store, graph.build_dir))
    return begun.ctx
