"""The ``kg`` command: a thin click layer over the library (sqlite-utils style)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .. import __version__, paths
from .. import paths as paths_mod
from . import diff as diff_cli
from . import serve as serve_cli
from . import views as views_cli
from .common import as_of_option, build_dir_option, data_option, fail, handle_errors, parse_size, progress_bar


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """Knowledge graph of data-protection and cybersecurity regulation."""


# ---------------------------------------------------------------- build & co


@main.command()
@data_option
@build_dir_option
@click.option("--no-validate", is_flag=True, help="Skip the SHACL check (faster; for benchmarks).")
@click.option("--full", is_flag=True, help="Redo every step: parse every fact file, check the whole graph, load "
              "the store anew (a rebuild otherwise redoes only what changed; the result is the same).")
@as_of_option
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@handle_errors
def build(data_dir: Path | None, build_dir: Path | None, no_validate: bool, full: bool, as_of, quiet: bool) -> None:
    """Build the graph from the fact files into the embedded store.

    Reads data/, applies the curation layer, checks SHACL shapes, loads the
    Oxigraph store and writes graph.nq and graph.ttl, and what changed since
    the previous build in changes.json and changes.md (see `kg diff`). A failed
    build leaves the previous one untouched. A rebuild parses only the fact files
    that changed, checks only the nodes a change can affect and changes a copy
    of the previous store; --full redoes everything."""
    from ..store.build import build as run_build

    result = run_build(data_dir, build_dir, validate=not no_validate, as_of=as_of, full=full)
    if quiet:
        return
    click.echo(f"built {result.build_dir} in {result.seconds:.1f}s: {result.triples} triples, {result.quads} quads "
               f"({result.parsed} fact file(s) parsed, {result.cached} unchanged ones read from kg's cache)")
    for name, n in result.class_counts.items():
        click.echo(f"  {name:<18} {n:>6}")
    click.echo("per document:")
    for doc, counts in result.document_counts.items():
        click.echo(f"  {doc}  " + "  ".join(f"{k}={v}" for k, v in counts.items()))
    shacl_warnings = [f for f in result.findings if f.severity != "Violation"]
    checked = "the whole graph checked" if result.rechecked is None else \
        f"{result.rechecked} node(s) changed since the previous build checked again"
    click.echo(f"SHACL: 0 violations, {len(shacl_warnings)} warning(s) ({checked})"
               if not no_validate else "SHACL: not checked (--no-validate)")
    if result.warnings or result.stale:
        click.echo(f"{len(result.warnings)} data warning(s), {len(result.stale)} stale curation entr(ies): "
                   "see `kg review`")
    if result.changes is not None:
        from ..views.changes import summary_text

        what = result.changes.note if result.changes.old is None else summary_text(result.changes)
        click.echo(f"changes since the previous build: {what} (see {result.build_dir / 'changes.md'})")


@main.command()
@data_option
@click.option("--warnings/--no-warnings", default=True, help="Also list SHACL warnings.")
@as_of_option
@handle_errors
def validate(data_dir: Path | None, warnings: bool, as_of) -> None:
    """Check the fact files and the SHACL shapes without building.

    Prints one line per problem: severity, entity, property, message."""
    from ..facts.dataset import load_dataset
    from ..rdf.validate import validate_quads, violations
    from ..rdf.writer import dataset_quads

    ds = load_dataset(paths.data_dir(data_dir))
    findings = validate_quads(dataset_quads(ds, as_of))
    shown = findings if warnings else violations(findings)
    for f in shown:
        click.echo(str(f))
    bad = violations(findings)
    click.echo(f"{len(bad)} violation(s), {len(findings) - len(bad)} warning(s)")
    if bad:
        sys.exit(1)


@main.command()
@build_dir_option
@click.option("--json", "as_json", is_flag=True, help="Print the build manifest as JSON.")
@handle_errors
def stats(build_dir: Path | None, as_json: bool) -> None:
    """Counts of the built graph: triples, entities per class, facts per document."""
    import json

    from ..store.store import read_manifest

    manifest = read_manifest(paths.build_dir(build_dir))
    if as_json:
        click.echo(json.dumps(manifest, ensure_ascii=False, indent=2))
        return
    click.echo(f"{manifest['triples']} triples ({manifest['quads']} quads), built {manifest['built_at']}")
    for name, n in manifest["classes"].items():
        click.echo(f"  {name:<18} {n:>6}")
    docs = manifest["documents"]
    if docs:
        keys = list(next(iter(docs.values())))
        click.echo("\n" + "document".ljust(26) + "".join(k.rjust(16) for k in keys))
        for doc, counts in docs.items():
            click.echo(doc.ljust(26) + "".join(str(counts[k]).rjust(16) for k in keys))
    ref = manifest.get("reference")
    if ref:
        click.echo(f"\nauthority file: {ref['authorities']} authorities "
                   f"({ref['authorities_with_english_name']} with an English name, {ref['authorities_with_source']} "
                   f"with a source, {ref['authorities_with_both']} with both); {ref['instruments']} reference "
                   f"instruments ({ref['instruments_with_english_title']} with an English title, "
                   f"{ref['instruments_with_source']} with a source, {ref['instruments_with_both']} with both)")
    sh = manifest["shacl"]
    click.echo(f"\nSHACL: {sh['violations']} violations, {sh['warnings']} warnings"
               + ("" if sh["validated"] else " (not validated)"))


@main.command()
@build_dir_option
@click.option("-f", "--format", "fmt", type=click.Choice(["turtle", "ntriples", "nquads", "trig", "jsonld"]),
              default="turtle", show_default=True, help="Serialisation.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Write to this file (default: standard output).")
@handle_errors
def export(build_dir: Path | None, fmt: str, output: Path | None) -> None:
    """Export the built graph, ontology included.

    Triple formats (turtle, ntriples) hold the union of all graphs; quad
    formats (nquads, trig, jsonld) keep the named graphs."""
    from ..facts.yamlio import write_text_atomic
    from ..store.store import export as run_export

    data = run_export(paths.build_dir(build_dir), fmt)
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        write_text_atomic(output, data.decode("utf-8"))
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)


# ---------------------------------------------------------------- ingestion


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@data_option
@click.option("--report", is_flag=True, help="Print what was found per item and what was uncertain.")
@click.option("--max-size", default="20", show_default=True, help="Refuse files larger than this (MB, or 200k, 1g).")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes to ingest with (default: every core).")
@click.option("--force", is_flag=True, help="Extract again files whose facts are up to date.")
@handle_errors
def ingest(paths: tuple[Path, ...], data_dir: Path | None, report: bool, max_size: str, progress: bool | None,
           jobs: int | None, force: bool) -> None:
    """Extract facts from newsletters (.txt or .pdf files, or folders of them).

    Writes data/documents/<doc-id>.yaml per document (replacing that document's previous
    machine facts and nothing else; data/curation/ is never touched). A file whose text and
    extractor are those of its fact file is skipped (--force extracts it again). A file that
    cannot be ingested is reported and the others still are; the exit status is 1 if any failed."""
    from ..ingest.run import ingest as run_ingest

    data = paths_mod.data_dir(data_dir)
    if not paths_mod.is_data_dir(data):
        fail(f"{data} has no authority registry (authorities.yaml or authorities/): "
             "point --data at the fact folder")
    limit = parse_size(max_size, "--max-size")
    show = sys.stderr.isatty() if progress is None else progress

    def bar(items):
        return progress_bar(items, desc="ingest", unit="file", disable=not show, file=sys.stderr)

    results = run_ingest(paths, data, max_bytes=limit, progress=bar, jobs=jobs, force=force)
    failed = 0
    for r in results:
        if not r.ok:
            failed += 1
            click.echo(f"error: {r.error}", err=True)
            continue
        if r.unchanged:
            click.echo(f"{r.path.name} -> {r.output}: unchanged (same text, same extractor)")
            continue
        counts = ", ".join(f"{v} {k}" for k, v in r.counts.items())
        click.echo(f"{r.path.name} -> {r.output}: {counts}")
        if report:
            for line in r.report:
                click.echo("  " + line)
            if r.uncertain:
                click.echo("  uncertain:")
                for line in r.uncertain:
                    click.echo("    - " + line)
    if failed:
        click.echo(f"{failed} of {len(results)} file(s) could not be ingested.", err=True)
        sys.exit(1)


@main.command()
@data_option
@click.option("--threshold", default=0.7, show_default=True, help="List facts with a confidence below this.")
@click.option("--document", "doc", help="Only this document id.")
@handle_errors
def review(data_dir: Path | None, threshold: float, doc: str | None) -> None:
    """List what a human should check: low-confidence facts, authorities created by ingestion,
    conflicting reports, stale curation entries."""
    from ..facts.dataset import load_dataset

    ds = load_dataset(paths_mod.data_dir(data_dir))
    lines: list[str] = []
    for key, inst in sorted(ds.instruments.items()):
        for src in inst.reports:
            if (doc is None or src.doc_id == doc) and src.confidence is not None and src.confidence < threshold:
                lines.append(f"instrument {key} ({src.doc_id} {', '.join(src.items)}): confidence {src.confidence}")
    for rel in ds.relations:
        if (doc is None or rel.doc_id == doc) and rel.confidence is not None and rel.confidence < threshold:
            lines.append(f"relation {rel.subject} {rel.type} {rel.object} ({rel.doc_id} {', '.join(rel.items)}): "
                         f"confidence {rel.confidence}")
    for a in ds.actions:
        if (doc is None or a.doc_id == doc) and (a.confidence or 1) < threshold:
            lines.append(f"action {a.doc_id}/{a.id} {'+'.join(a.kinds)}: confidence {a.confidence}"
                         + ("" if a.authorities else ", no authority"))
    for c in ds.cases:
        if (doc is None or c.doc_id == doc) and (c.confidence or 1) < threshold:
            lines.append(f"case {c.doc_id}/{c.id}: confidence {c.confidence}")
    for key, auth in sorted(ds.registry.authorities.items()):
        if auth.review and (doc is None or any(d == doc for d, _ in auth.reports)):
            where = ", ".join(sorted({f"{d} {i}" for d, i in auth.reports}))
            lines.append(f"authority {key} ({auth.kind}, parent {auth.parent or '-'}): "
                         f"created by ingestion, in {where}")
    lines += [f"warning {w}" for w in ds.warnings if doc is None or doc in w]
    lines += [f"stale {s}" for s in ds.stale if doc is None or doc in s]
    for line in lines:
        click.echo(line)
    click.echo(f"{len(lines)} thing(s) to review")


# ---------------------------------------------------------------- queries


def _parse_params(values: tuple[str, ...]) -> dict[str, str]:
    out = {}
    for v in values:
        if "=" not in v:
            raise click.BadParameter(f"{v!r}: write --param name=value", param_hint="--param")
        k, _, val = v.partition("=")
        out[k.strip()] = val
    return out


@main.command()
@click.argument("name", required=False)
@click.option("--list", "list_", is_flag=True, help="List the packs and their queries.")
@click.option("-p", "--param", "params", multiple=True, metavar="NAME=VALUE", help="A query parameter (repeatable).")
@click.option("--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Run the SPARQL query in this file.")
@click.option("-e", "--expression", help="Run this SPARQL text.")
@click.option("-f", "--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "markdown"]),
              default="table", show_default=True)
@click.option("--iri", is_flag=True, help="Table: show full IRIs, not short keys (other formats always do).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@click.option("--endpoint", help="Run on this SPARQL 1.1 endpoint instead of the embedded store.")
@click.option("--page", "page", type=click.IntRange(min=1), default=1, show_default=True,
              help="A paged query (--list marks them): this page of its rows.")
@click.option("--all", "all_rows", is_flag=True, help="A paged query: every row, not one page.")
@build_dir_option
@handle_errors
def query(name, list_, params, query_file, expression, fmt, iri, output, endpoint, page, all_rows,
          build_dir) -> None:
    """Run a query of the packs (queries/), a .rq file or SPARQL text.

    \b
      kg query --list
      kg query authorities/issued-by --param authority=国家网信办 -f markdown
      kg query -e 'SELECT ?t WHERE { ?i a kg:Instrument ; eli:title ?t } LIMIT 5'
    Entity parameters take a label, an alias, an English name, a number, a key
    (KR/个人信息保护委员会) or an IRI. The table fits the terminal ($COLUMNS):
    human columns first, IRIs last as short keys (--iri: in full). A query that
    can list thousands of rows gives them a page at a time (--page 2, --all); the
    table's last line, or a note on stderr for the other formats, says so."""
    from ..errors import QueryError
    from ..facts.yamlio import write_text_atomic
    from ..query.execute import run
    from ..query.graph import open as open_graph
    from ..query.packs import discover, find_query, parse_query

    if list_:
        current = None
        for qname, q in discover().items():
            if q.pack != current:
                current = q.pack
                click.echo(f"{current}/")
            ps = " ".join(f"{p.name}={'…' if p.default is None else p.default}" for p in q.params)
            paged = f"   (pages of {q.page_size})" if q.page_size else ""
            click.echo(f"  {qname.split('/', 1)[1]:<28} {q.title}" + (f"   [{ps}]" if ps else "") + paged)
        return
    sources = [x for x in (name, query_file, expression) if x]
    if len(sources) != 1:
        fail("give exactly one of: a query NAME, --file FILE, -e SPARQL (or --list)", 2)
    try:
        if name:
            q = find_query(name)
        elif query_file:
            q = parse_query(query_file.read_text(encoding="utf-8"), str(query_file), query_file)
        else:
            q = parse_query(expression, "<expression>")
        given = _parse_params(params)
        if not name:
            from ..query.packs import Param

            q.params = q.params or [Param(k) for k in given]
        graph = open_graph(build_dir, endpoint=endpoint)
        result = run(q, graph.engine, given, page=None if all_rows else page)
        note = result.page_note("--page {n}", "--all")
        text = result.format(fmt, iri=iri, note=note)
    except QueryError as exc:
        fail(str(exc))
    if note and fmt != "table":
        click.echo(note, err=True)
    if output:
        write_text_atomic(output, text)
        click.echo(f"wrote {output}", err=True)
    else:
        click.echo(text, nl=False)


def _register(module, *names: str) -> None:
    for n in names:
        main.add_command(getattr(module, n))


_register(views_cli, "view")
_register(diff_cli, "diff")
_register(serve_cli, "serve", "push")


if __name__ == "__main__":  # pragma: no cover
    main()
