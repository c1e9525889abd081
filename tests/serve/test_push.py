"""`kg push` into a real `oxigraph serve`, then every query pack remotely, row for row."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections import Counter

import pytest
from click.testing import CliRunner

import kg.serve.push as serve_module
from kg.cli.main import main
from kg.query.engines import EndpointEngine, StoreEngine
from kg.serve.push import PushError, load_graphs, push_graphs
from kg.store.store import open_store

from .conftest import assert_same_rows, compare_packs

pytestmark = pytest.mark.server

OTHER = "http://example.org/not-ours"


def cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def graph_counts(url: str) -> dict[str, int]:
    """Triples per named graph on the server."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    req = urllib.request.Request(url + "/query", data=urllib.parse.urlencode({"query": query}).encode(),
                                 headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        data = json.loads(resp.read())
    return {b["g"]["value"]: int(b["n"]["value"]) for b in data["results"]["bindings"]}


def local_counts(build) -> dict[str, int]:
    return {g: len(t) for g, t in load_graphs(build).items()}


def put(url: str, graph: str, ntriples: str) -> None:
    req = urllib.request.Request(f"{url}/store?graph={urllib.parse.quote(graph, safe='')}", data=ntriples.encode(),
                                 method="PUT", headers={"Content-Type": "application/n-triples"})
    urllib.request.urlopen(req, timeout=30).close()


def test_push_then_every_pack_query_remotely_gives_the_embedded_rows(shipped_build, oxigraph):
    server = oxigraph()
    # something that is not ours, and a stale triple in one of our graphs
    put(server.url, OTHER, '<http://example.org/a> <http://example.org/b> "keep me" .\n')
    registry = "https://w3id.org/regkg/graph/registry"
    put(server.url, registry, '<http://example.org/a> <http://example.org/b> "stale" .\n')

    r = cli("push", "--endpoint", server.url + "/store", "--build-dir", shipped_build, "--batch-size", 3000)
    assert r.exit_code == 0, r.output
    expected = local_counts(shipped_build)
    assert f"pushed {sum(expected.values())} triples in {len(expected)} graph(s)" in r.output
    assert "Graph Store Protocol" in r.output

    # one named graph per source document plus the ontology and the registry, each replaced whole,
    # and nothing else on the server touched
    assert graph_counts(server.url) == {**expected, OTHER: 1}
    assert len([g for g in expected if "/graph/doc/" in g]) >= 4
    assert {"https://w3id.org/regkg/graph/ontology", registry} <= set(expected)

    comparison = compare_packs(StoreEngine(open_store(shipped_build)), EndpointEngine(server.url + "/query"))
    assert_same_rows(comparison)

    # `kg query --endpoint` against the same server prints what the embedded store prints
    name = next(n for n, how in comparison.compared.items() if how == "defaults")
    remote = cli("query", name, "--endpoint", server.url + "/query", "-f", "csv")
    local = cli("query", name, "--build-dir", shipped_build, "-f", "csv")
    assert remote.exit_code == 0 and local.exit_code == 0
    assert sorted(remote.output.splitlines()) == sorted(local.output.splitlines())


def test_push_with_sparql_update_and_into_one_graph(shipped_build, oxigraph):
    server = oxigraph()
    # --protocol auto on an update endpoint: the PUT is refused, SPARQL Update takes over
    r = cli("push", "--endpoint", server.url + "/update", "--build-dir", shipped_build, "--only", "registry",
           "--batch-size", 500)
    assert r.exit_code == 0, r.output
    assert "SPARQL Update" in r.output and "no Graph Store endpoint" in r.output
    registry = "https://w3id.org/regkg/graph/registry"
    assert graph_counts(server.url) == {registry: local_counts(shipped_build)[registry]}
    # again, replacing (not adding to) the graph
    r = cli("push", "--endpoint", server.url + "/update", "--protocol", "update", "--build-dir", shipped_build,
           "--only", "registry")
    assert r.exit_code == 0, r.output
    assert graph_counts(server.url) == {registry: local_counts(shipped_build)[registry]}

    # --graph: the union of every graph in one named graph
    union = "http://example.org/regkg"
    r = cli("push", "--endpoint", server.url + "/store", "--build-dir", shipped_build, "--graph", union)
    assert r.exit_code == 0, r.output
    distinct = {t for ts in load_graphs(shipped_build).values() for t in ts}
    assert graph_counts(server.url)[union] == len(distinct)


def test_interrupted_push_says_what_was_written_and_a_rerun_completes(shipped_build, oxigraph, tmp_path, monkeypatch):
    server = oxigraph(tmp_path / "store")
    graphs = list(load_graphs(shipped_build))
    assert graphs[:2] == ["https://w3id.org/regkg/graph/ontology", "https://w3id.org/regkg/graph/registry"]

    # library: the server is killed after the first batch of the third graph
    def kill_in_third_graph(graph, n):
        if graph.iri == graphs[2]:
            server.kill()

    with pytest.raises(PushError) as err:
        push_graphs(load_graphs(shipped_build), server.url + "/store", batch_size=100, retries=2, backoff=0.01,
                    progress=kill_in_third_graph)
    report = err.value.report
    assert "cannot reach the server" in str(err.value) and "after 2 retries" in str(err.value)
    assert [g.iri for g in report.state("written")] == graphs[:2]
    assert [g.iri for g in report.state("partial")] == graphs[2:3]
    assert [g.iri for g in report.state("pending")] == graphs[3:]
    assert report.retries == 2

    # the command: the server dies before the 3rd request (the ontology's last batch of three)
    server = oxigraph(tmp_path / "store", port=server.port)
    sent = Counter()
    real_send = serve_module._Http.send

    def send(self, method, url, body, content_type):
        sent["n"] += 1
        if sent["n"] == 3:
            server.kill()
        return real_send(self, method, url, body, content_type)

    monkeypatch.setattr(serve_module._Http, "send", send)
    r = CliRunner().invoke(main, ["push", "--endpoint", server.url + "/store", "--build-dir", str(shipped_build),
                                  "--batch-size", "3000", "--retries", "1"])
    assert r.exit_code == 1
    assert "error: push to" in r.output and "stopped" in r.output
    assert "written completely" not in r.output
    assert "partly written: <https://w3id.org/regkg/graph/ontology>: 6000 of" in r.output
    assert f"not written ({len(graphs) - 1})" in r.output
    assert "running the same command again completes the push" in r.output
    monkeypatch.undo()

    # the same command once the server is back: every graph complete, none doubled
    server = oxigraph(tmp_path / "store", port=server.port)
    assert graph_counts(server.url)["https://w3id.org/regkg/graph/ontology"] == 6000
    r = cli("push", "--endpoint", server.url + "/store", "--build-dir", shipped_build, "--batch-size", 3000)
    assert r.exit_code == 0, r.output
    assert graph_counts(server.url) == local_counts(shipped_build)


def test_push_to_a_server_that_is_not_there(shipped_build):
    from kg.serve.oxigraph import free_port

    r = cli("push", "--endpoint", f"http://127.0.0.1:{free_port()}/store", "--build-dir", shipped_build,
           "--retries", 1)
    assert r.exit_code == 1
    assert "cannot reach the server" in r.output and "after 1 retry" in r.output
    assert "not written (" in r.output and "written completely" not in r.output


def test_push_command_line_errors(shipped_build, tmp_path):
    r = cli("push", "--endpoint", "http://127.0.0.1:1/store", "--build-dir", shipped_build, "--only", "nope")
    assert r.exit_code == 2 and "no graph 'nope'" in r.output and "registry" in r.output
    r = cli("push", "--endpoint", "ftp://x/store", "--build-dir", shipped_build)
    assert r.exit_code == 2 and "not an http(s) URL" in r.output
    r = cli("push", "--endpoint", "http://127.0.0.1:1/store", "--build-dir", shipped_build, "--graph", "not an iri")
    assert r.exit_code == 2 and "not an absolute IRI" in r.output
    r = cli("push", "--endpoint", "http://127.0.0.1:1/store", "--build-dir", shipped_build, "-H", "no colon")
    assert r.exit_code == 2 and "Name: value" in r.output
    r = cli("push", "--endpoint", "http://127.0.0.1:1/store", "--build-dir", tmp_path / "nothing")
    assert r.exit_code == 1 and "run `kg build` first" in r.output
    r = cli("push", "--endpoint", "http://127.0.0.1:1/store", "--build-dir", shipped_build, "--dry-run",
           "--only", "ontology", "--batch-size", 1000)
    assert r.exit_code == 0 and "in 9 request(s)" in r.output and "nothing sent" in r.output
