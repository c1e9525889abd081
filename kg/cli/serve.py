"""``kg serve`` and ``kg push``: the graph over the standard SPARQL 1.1 protocols."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from .. import paths
from ..query.engines import split_auth
from ..serve.front import DEFAULT_PORT, DEFAULT_TIMEOUT, ServeConfig, serve_graph
from ..serve.oxigraph import DEFAULT_HOST
from ..serve.push import (
    DEFAULT_BATCH,
    GraphPush,
    batches,
    graph_name,
    gsp_url,
    load_graphs,
    parse_headers,
    push_graphs,
    select_graphs,
)
from .common import build_dir_option, handle_errors, parse_size, progress_bar

# ---------------------------------------------------------------- the commands


@click.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on; anything but loopback exposes the graph to the network.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Seconds a query may run.")
@click.option("--max-result-size", default="50MB", show_default=True,
              help="Refuse (HTTP 413) results larger than this: 50MB, 200k, 1g.")
@click.option("--cors", is_flag=True, help="Allow cross-origin requests (pages of other sites may query).")
@click.option("--watch/--no-watch", default=True, show_default=True,
              help="Serve the new store when `kg build` replaces it.")
@click.option("-q", "--quiet", is_flag=True, help="Do not log requests.")
@build_dir_option
@handle_errors
def serve(host: str, port: int, timeout: float, max_result_size: str, cors: bool, watch: bool, quiet: bool,
          build_dir: Path | None) -> None:
    """Serve the built graph over SPARQL 1.1 (read-only), with the views and the query packs.

    SPARQL is answered by Oxigraph's server (`oxigraph serve-read-only`) on the built store,
    the default graph being the union of the named graphs; updates are refused. Listens on
    loopback unless --host says otherwise. Ctrl-C stops.

    \b
      kg serve                    # http://127.0.0.1:7878/
      kg query --endpoint http://127.0.0.1:7878/sparql authorities/most-active"""
    limit = parse_size(max_result_size, "--max-result-size")
    config = ServeConfig(paths.build_dir(build_dir), host=host, port=port, timeout=timeout, max_result_bytes=limit,
                         cors=cors, watch=watch, log_requests=not quiet)
    serve_graph(config, echo=click.echo)


@click.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The server's Graph Store Protocol endpoint (or SPARQL Update endpoint: see --protocol).")
@click.option("--graph", "into", metavar="IRI",
              help="Push the union into this one named graph (default: each graph into its own named graph).")
@click.option("--only", multiple=True, metavar="GRAPH",
              help="Push only this graph: a document id, ontology, registry or a graph IRI (repeatable).")
@click.option("--protocol", type=click.Choice(["auto", "gsp", "update"]), default="auto", show_default=True,
              help="gsp: Graph Store PUT/POST; update: SPARQL Update; auto: GSP, else Update at the same URL.")
@click.option("--auth", metavar="USER:PASSWORD", envvar="KG_PUSH_AUTH",
              help="Credentials, HTTP basic or digest as the server asks; default $KG_PUSH_AUTH.")
@click.option("-H", "--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="An extra HTTP header, e.g. 'Authorization: Bearer TOKEN' (repeatable).")
@click.option("--batch-size", default=DEFAULT_BATCH, show_default=True, type=click.IntRange(1),
              help="Triples per request; a larger graph is sent as a PUT and then POSTs.")
@click.option("--retries", default=4, show_default=True, type=click.IntRange(0),
              help="Retries of a request after a connection error or a 5xx, 408 or 429 answer (backoff 0.5s, 1s, 2s…).")
@click.option("--timeout", default=120.0, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Seconds to wait for one answer.")
@click.option("--dry-run", is_flag=True, help="Show the graphs and requests; send nothing.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@build_dir_option
@handle_errors
def push(endpoint: str, into: str | None, only: tuple[str, ...], protocol: str, auth: str | None,
         headers: tuple[str, ...], batch_size: int, retries: int, timeout: float, dry_run: bool,
         progress: bool | None, build_dir: Path | None) -> None:
    """Load the built graph into a SPARQL 1.1 server, replacing only its own graphs.

    Each named graph of the build (one per source document, the ontology, the registry)
    replaces the same named graph on the server; other graphs there are left alone.

    \b
      kg push --endpoint http://localhost:7878/store                       # Oxigraph
      kg push --endpoint http://localhost:3030/ds/data --auth admin:pw     # Fuseki
      kg push --endpoint http://localhost:8890/sparql-graph-crud-auth --auth dba:dba
      kg push --endpoint http://localhost:7878/update --protocol update
    docs/servers.md lists the URLs of Oxigraph, Fuseki, QLever, GraphDB, Virtuoso and Neptune."""
    credentials = None
    if auth:
        user, sep, password = auth.partition(":")
        if not sep:
            raise click.BadParameter("write USER:PASSWORD", param_hint="--auth")
        credentials = (user, password)
    try:
        extra = parse_headers(headers)
        graphs = select_graphs(load_graphs(paths.build_dir(build_dir)), only, into)
        if not re.match(r"^https?://", endpoint):
            raise ValueError(f"--endpoint {endpoint!r} is not an http(s) URL")
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    total = sum(len(t) for t in graphs.values())
    if dry_run:
        plain, _ = split_auth(endpoint)
        for iri, triples in graphs.items():
            n = len(batches(triples, batch_size))
            target = gsp_url(plain, iri) if protocol != "update" else plain
            click.echo(f"{'<' + iri + '>' if iri else 'default graph'}: {len(triples)} triples in {n} request(s) "
                       f"-> {target}")
        click.echo(f"{total} triples in {len(graphs)} graph(s); nothing sent (--dry-run)")
        return
    show = sys.stderr.isatty() if progress is None else progress
    with progress_bar(total=total, unit="triple", unit_scale=True, desc="push", disable=not show,
                      file=sys.stderr) as bar:

        def step(graph: GraphPush, n: int) -> None:
            bar.set_postfix_str(graph_name(graph.iri) if graph.iri else "default", refresh=False)
            bar.update(n)

        report = push_graphs(graphs, endpoint, protocol=protocol, auth=credentials, headers=extra,
                             batch_size=batch_size, retries=retries, timeout=timeout, progress=step)
    if report.note:
        click.echo(f"note: {report.note}", err=True)
    how = "the Graph Store Protocol" if report.protocol == "gsp" else "SPARQL Update"
    click.echo(f"pushed {report.triples} triples in {len(report.graphs)} graph(s) to {report.endpoint} with {how}: "
               f"{report.requests} request(s), {report.retries} retr{'y' if report.retries == 1 else 'ies'}, "
               f"{report.seconds:.1f}s")
    for g in report.graphs:
        click.echo(f"  {g.label}  {g.triples} triples")
