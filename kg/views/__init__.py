"""Interactive network views: offline HTML pages a reader can explore.

A view is a networkx graph picked from the built graph (:mod:`kg.views.select`) and rendered with
pyvis / vis-network into one self-contained HTML file (:mod:`kg.views.render`): vis-network is
inlined, the page makes no network request and opens from disk. Each page has a legend of node
and edge types, a search box (Chinese or English names, aliases, numbers), filters by type,
jurisdiction and year, a details panel on click (labels, dates, number, status, amounts, source
URL and document / line provenance) and the relation of an edge on hover. Every value is escaped.
A page opens fitted to the window with the labels of its most important nodes readable; a view of
more than 150 nodes opens folded into clusters by place (:mod:`kg.views.fold`), unfolded on
double-click.

The stable API (used by the CLI, the build, the notebooks and the benchmarks)::

    import kg
    from kg.views import Context, overview_view, render_html, write_view

    ctx = Context(kg.open())                                 # a built graph; networks cached on ctx
    view = overview_view(ctx, size_by="pagerank", top=200)   # -> View (graph, title, notes …)
    html = render_html(view)                                 # -> str, one self-contained page
    write_view(view, "overview.html")                        # -> None (atomic write)

The views (each returns a :class:`View`; an unknown or ambiguous name raises :class:`ViewError`
listing the candidates):

- ``overview_view(ctx, size_by="pagerank"|"degree", top=200)``: authorities and instruments,
  sized by PageRank or degree, capped to the ``top`` nodes (0 or None: all) with a note of what
  was cut;
- ``authority_view(ctx, name, depth=1)``: the ego network of a regulator (what it issued,
  co-issuers, parent and sub-bodies, its actions and their targets);
- ``lineage_view(ctx, name=None)``: the amend / replace / implement / based-on / cites chain of an
  instrument or standard, directed, left to right in time order (without a name: every chain);
- ``enforcement_view(ctx, jurisdiction=None)``: authorities -> actions -> targets, with the laws
  applied, optionally in one jurisdiction (a code such as ``CN``, ``CN-BJ``, ``KR``, or its name);
- ``document_view(ctx, doc_id)``: everything one newsletter reported.

Helpers: ``lineage_html(g, name, iframe=True)`` (and :func:`view_html`) return the page, or an
``<iframe srcdoc=…>`` that renders inline in Jupyter; :func:`write_default_views` writes the
default set and ``index.html`` into ``<build>/views/`` (called by ``kg build``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import ViewError
from .context import Context
from .render import PHYSICS_LIMIT, RenderError, index_html, page_data, render_html, write_view
from .render import iframe as iframe_page
from .select import View, authority_view, document_view, enforcement_view, lineage_view, overview_view

if TYPE_CHECKING:  # pragma: no cover
    from ..query.graph import Graph


def context(g: Graph | Context) -> Context:
    """A :class:`Context` for a built graph (a Context is returned as it is)."""
    return g if isinstance(g, Context) else Context(g)


def view_html(view: View, iframe: bool = False, height: int = 640) -> str:
    """The page of ``view``; with ``iframe=True`` an ``<iframe srcdoc=…>`` for Jupyter's ``HTML()``."""
    page = render_html(view)
    return iframe_page(page, height) if iframe else page


def lineage_html(g: Graph | Context, name: str | None = None, iframe: bool = False, height: int = 640) -> str:
    """The lineage view of the instrument or standard ``name`` as HTML (see :func:`view_html`)::

        from IPython.display import HTML
        HTML(lineage_html(kg.open(), "个人信息保护认证实施规则", iframe=True))
    """
    return view_html(lineage_view(context(g), name), iframe=iframe, height=height)


def write_default_views(build_dir, g: Graph | None = None, since=None, prefetch: bool = True,
                        begin: bool = False) -> list[dict]:
    """Write the default views and their index into ``<build_dir>/views/`` (see :mod:`kg.views.defaults`;
    ``since``: the previous build and the quads changed since, see :mod:`kg.views.reuse`; ``prefetch``:
    the whole-graph queries run on a thread meanwhile, for a caller with a core to spare; ``begin``:
    the views begun on the previous build's rows while the change is waited for, :mod:`kg.views.early`)."""
    from .defaults import write_default_views as _write

    return _write(build_dir, g, since, prefetch, begin)


__all__ = [
    "PHYSICS_LIMIT",
    "Context",
    "RenderError",
    "View",
    "ViewError",
    "authority_view",
    "context",
    "document_view",
    "enforcement_view",
    "iframe_page",
    "index_html",
    "lineage_html",
    "lineage_view",
    "overview_view",
    "page_data",
    "render_html",
    "view_html",
    "write_default_views",
    "write_view",
]
