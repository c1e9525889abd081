"""``kg view``: write an interactive network view of the built graph as one offline HTML file.

\b
  kg view overview --size-by pagerank --top 200
  kg view authority 国家网信办 --depth 1
  kg view lineage "GB/T 46068"
  kg view enforcement --jurisdiction CN
  kg view document 003_eeeb763fd2a42cb1
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .common import build_dir_option, handle_errors


def output_option(fn):
    """``-o FILE`` (default: a file named after the view in the current folder; ``-`` for stdout)."""
    return click.option("-o", "--output", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
                        help="Write the page here (default: a file named after the view in the current folder; "
                             "- for standard output).")(fn)


def _context(build_dir: Path | None):
    from ..query.graph import open as open_graph
    from ..views.context import Context

    return Context(open_graph(build_dir))


def _emit(view, output: Path | None, default_name: str) -> None:
    """Render ``view`` and write it (atomically) to ``output`` or ``default_name``; ``-`` is stdout."""
    from ..views.render import render_html

    page = render_html(view)
    g = view.graph
    if output is not None and str(output) == "-":
        sys.stdout.write(page)
        sys.stdout.flush()
        return
    from ..facts.yamlio import write_text_atomic

    path = output or Path.cwd() / f"{default_name}.html"
    write_text_atomic(path, page)
    for note in view.notes:
        click.echo(note, err=True)
    click.echo(f"wrote {path}: {view.title} ({g.number_of_nodes()} nodes, {g.number_of_edges()} edges)", err=True)


@click.group()
def view() -> None:
    """Interactive network views: one offline HTML page each (no network request).

    Each page has a legend, a search box (Chinese or English names, aliases, numbers), filters by
    type, jurisdiction and year, and a details panel with the provenance of every node. Names
    resolve like `kg query` parameters: labels, aliases, English names, titles, numbers, keys
    (KR/个人信息保护委员会) and IRIs."""


@view.command()
@click.option("--size-by", type=click.Choice(["degree", "pagerank"]), default="pagerank", show_default=True,
              help="Node size.")
@click.option("--top", type=click.IntRange(min=0), default=200, show_default=True,
              help="Keep the N most important nodes (0: all); the page says what was cut.")
@output_option
@build_dir_option
@handle_errors
def overview(size_by: str, top: int, output: Path | None, build_dir: Path | None) -> None:
    """Authorities and instruments: who issued what, which body belongs to which."""
    from ..views.select import overview_view

    _emit(overview_view(_context(build_dir), size_by=size_by, top=top or None), output, "overview")


@view.command()
@click.argument("name")
@click.option("--depth", type=click.IntRange(min=1), default=1, show_default=True,
              help="Links away from the authority.")
@output_option
@build_dir_option
@handle_errors
def authority(name: str, depth: int, output: Path | None, build_dir: Path | None) -> None:
    """The ego network of an authority NAME: what it issued, co-issuers, sub-bodies, actions."""
    from ..views.defaults import slug
    from ..views.select import authority_view

    ctx = _context(build_dir)
    v = authority_view(ctx, name, depth=depth)
    _emit(v, output, f"authority-{slug(v.title.split(': ', 1)[-1], v.focus or name)}")


@view.command()
@click.argument("name")
@output_option
@build_dir_option
@handle_errors
def lineage(name: str, output: Path | None, build_dir: Path | None) -> None:
    """The amend / replace / implement / based-on / cites chain of an instrument or standard NAME."""
    from ..views.defaults import slug
    from ..views.select import lineage_view

    ctx = _context(build_dir)
    v = lineage_view(ctx, name)
    focus = ctx.network("lineage").nodes[v.focus]
    _emit(v, output, f"lineage-{slug(focus.get('number') or focus.get('label', name), v.focus or name)}")


@view.command()
@click.option("--jurisdiction", help="Only actions and cases in this jurisdiction (code such as CN, CN-BJ, KR, "
                                     "or its name); its sub-divisions included.")
@output_option
@build_dir_option
@handle_errors
def enforcement(jurisdiction: str | None, output: Path | None, build_dir: Path | None) -> None:
    """Authorities -> enforcement actions -> targets, with the laws applied and court cases."""
    from ..views.defaults import slug
    from ..views.select import enforcement_view

    ctx = _context(build_dir)
    v = enforcement_view(ctx, jurisdiction)
    code = ctx.resolve_jurisdiction(jurisdiction) if jurisdiction else None
    _emit(v, output, f"enforcement-{slug(code)}" if code else "enforcement")


@view.command()
@click.argument("doc_id", metavar="ID")
@output_option
@build_dir_option
@handle_errors
def document(doc_id: str, output: Path | None, build_dir: Path | None) -> None:
    """Everything one newsletter ID reported (its id, a unique prefix of it, or its title)."""
    from ..views.defaults import slug
    from ..views.select import document_view

    ctx = _context(build_dir)
    v = document_view(ctx, doc_id)
    _emit(v, output, f"document-{slug(ctx.resolve_document(doc_id)['id'])}")
