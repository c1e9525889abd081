"""``kg diff OLD NEW``: what NEW added, changed or removed compared with OLD.

\b
  kg diff kg-build-2026-01 kg-build
  kg diff kg-build data -f markdown -o changes-2026-02.md
  kg diff old/data new/data --as-of 2026-02-28 -f html -o changes.html
"""

from __future__ import annotations

from pathlib import Path

import click

from .common import as_of_option, handle_errors


@click.command()
@click.argument("old", type=click.Path(path_type=Path))
@click.argument("new", type=click.Path(path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "markdown", "json", "html"]), default="table",
              show_default=True, help="table (terminal), markdown (a note), json, or html (one offline page).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@as_of_option
@handle_errors
def diff(old: Path, new: Path, fmt: str, output: Path | None, as_of) -> None:
    """What NEW added, changed or removed compared with OLD: instruments (title, type, issuers,
    date, status), enforcement actions and their fines, court cases and relations between
    instruments, grouped by jurisdiction and authority.

    OLD and NEW are build folders (what `kg build` writes) or data folders (built into a
    temporary store first; statuses as of --as-of, by default as of the build on the other side,
    else today)."""
    from ..facts.yamlio import write_text_atomic
    from ..store.diff import diff as run_diff
    from ..views.changes import render

    text = render(run_diff(old, new, as_of=as_of), fmt)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_text_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
