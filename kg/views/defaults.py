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
from pathlib import Path
from typing import TYPE_CHECKING

from ..paths import respect_umask
from .context import Context
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
    from ..query.graph import Graph

VIEWS_DIR = "views"
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
    out: list[tuple[str, str, View]] = [
        ("overview.html", "Overview", overview_view(ctx, size_by="pagerank", top=OVERVIEW_TOP)),
        ("enforcement.html", "Enforcement", enforcement_view(ctx)),
        ("lineage.html", "Lineage of instruments and standards", lineage_view(ctx)),
    ]
    lineage_net = ctx.network("lineage")
    for iri in lineage_seeds(ctx)[:MAX_LINEAGE_VIEWS]:
        a = lineage_net.nodes[iri]
        out.append((f"lineage-{slug(a.get('number') or a.get('label', iri), iri)}.html",
                    "Lineage of instruments and standards", lineage_view(ctx, iri)))
    authority = most_active_authority(ctx)
    if authority:
        name = ctx.network("all").nodes[authority].get("label", authority)
        out.append((f"authority-{slug(name, authority)}.html", "Authorities", authority_view(ctx, authority)))
    for doc in ctx.documents()[:MAX_DOCUMENT_VIEWS]:
        out.append((f"document-{slug(doc['id'])}.html", "Newsletters", document_view(ctx, doc["id"])))
    return out


def write_default_views(build_dir: str | Path, g: Graph | None = None) -> list[dict]:
    """Write the default views and ``index.html`` into ``<build_dir>/views/`` (replacing the folder
    whole: written beside it, then swapped in) and return the index entries."""
    from ..query.graph import open as open_graph

    build_dir = Path(build_dir)
    ctx = Context(g if g is not None else open_graph(build_dir))
    target = build_dir / VIEWS_DIR
    tmp = Path(tempfile.mkdtemp(prefix=f".{VIEWS_DIR}.tmp-", dir=build_dir))
    try:
        respect_umask(tmp)
        entries = []
        for filename, group, view in default_views(ctx):
            (tmp / filename).write_text(render_html(view), encoding="utf-8")
            entries.append({"href": filename, "title": view.title, "subtitle": view.subtitle, "group": group,
                            "nodes": view.graph.number_of_nodes(), "edges": view.graph.number_of_edges(),
                            "view": view.name})
        subtitle = "Interactive networks of the built graph; each opens offline."
        left_out = len(ctx.documents()) - MAX_DOCUMENT_VIEWS
        if left_out > 0:
            subtitle += (f" Views of the first {MAX_DOCUMENT_VIEWS} newsletters only ({left_out} more): "
                         "`kg view document ID` makes the others.")
        (tmp / INDEX).write_text(index_html("regkg views", entries, subtitle), encoding="utf-8")
        old = None
        if target.exists():
            old = build_dir / f".{VIEWS_DIR}.old-{tmp.name.rsplit('-', 1)[-1]}"
            target.rename(old)
        tmp.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return entries
