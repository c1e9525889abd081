"""The parts of `kg push` that need no server: batching, URLs, update text, credentials."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.query.engines import EndpointEngine, split_auth
from kg.serve.push import PushError, batches, gsp_url, parse_headers, push_graphs, select_graphs, update_text

EX = "http://example.org/"


def t(s, o):
    return ox.Triple(s, ox.NamedNode(EX + "p"), o)


def test_batches_keep_blank_node_clusters_together():
    a, b, c = ox.BlankNode("a"), ox.BlankNode("b"), ox.BlankNode("c")
    plain = [t(ox.NamedNode(EX + str(i)), ox.Literal(str(i))) for i in range(7)]
    linked = [t(a, b), t(b, ox.Literal("x")), t(ox.NamedNode(EX + "s"), a), t(c, ox.Literal("y"))]
    out = batches(plain + linked, 3)
    assert sorted(str(x) for batch in out for x in batch) == sorted(map(str, plain + linked))
    by_blank = {}
    for i, batch in enumerate(out):
        for triple in batch:
            for term in (triple.subject, triple.object):
                if isinstance(term, ox.BlankNode):
                    by_blank.setdefault(term.value, set()).add(i)
    assert len(by_blank["a"] | by_blank["b"]) == 1  # a and b are linked: one batch
    assert all(len(batch) <= 3 for batch in out if not any(isinstance(x.subject, ox.BlankNode) for x in batch))
    assert batches([], 10) == [[]]  # an empty graph is still replaced (emptied)
    assert [len(b) for b in batches(plain, 3)] == [3, 3, 1]


def test_urls_update_text_and_credentials():
    assert gsp_url("http://h/store", "https://w3id.org/regkg/graph/doc/a") == (
        "http://h/store?graph=https%3A%2F%2Fw3id.org%2Fregkg%2Fgraph%2Fdoc%2Fa")
    assert gsp_url("http://h/ds?x=1", None) == "http://h/ds?x=1&default"
    text = update_text("http://g", '<http://s> <http://p> "o" .\n', replace=True)
    assert text.startswith("DROP SILENT GRAPH <http://g> ;") and "INSERT DATA {\nGRAPH <http://g> {" in text
    assert "DROP" not in update_text("http://g", "", replace=False)
    assert split_auth("http://dba:s%40cret@localhost:8890/sparql-graph-crud-auth") == (
        "http://localhost:8890/sparql-graph-crud-auth", ("dba", "s@cret"))
    assert split_auth("http://h/x") == ("http://h/x", None)
    assert parse_headers(["Authorization: Bearer abc:def", "X-A:1"]) == {"Authorization": "Bearer abc:def", "X-A": "1"}
    with pytest.raises(ValueError):
        parse_headers(["nocolon"])
    engine = EndpointEngine("http://user:pw@localhost:7878/query")
    assert engine.url == "http://localhost:7878/query" and engine.headers["Authorization"] == "Basic dXNlcjpwdw=="


def test_select_graphs():
    graphs = {"https://w3id.org/regkg/graph/ontology": [t(ox.NamedNode(EX + "a"), ox.Literal("1"))],
              "https://w3id.org/regkg/graph/doc/d1": [t(ox.NamedNode(EX + "a"), ox.Literal("1")),
                                                     t(ox.NamedNode(EX + "b"), ox.Literal("2"))]}
    assert list(select_graphs(graphs, ["d1"])) == ["https://w3id.org/regkg/graph/doc/d1"]
    assert list(select_graphs(graphs, ["ontology", "https://w3id.org/regkg/graph/doc/d1"])) == list(graphs)
    union = select_graphs(graphs, (), "http://example.org/all")
    assert list(union) == ["http://example.org/all"] and len(union["http://example.org/all"]) == 2
    with pytest.raises(ValueError, match="no graph 'd2'"):
        select_graphs(graphs, ["d2"])


def test_push_errors_without_a_server():
    with pytest.raises(ValueError):
        push_graphs({}, "ftp://x")
    # a connection error is retried with exponential backoff, then reported; nothing was written
    from kg.serve.oxigraph import free_port

    delays = []
    with pytest.raises(PushError) as err:
        push_graphs({"http://g": []}, f"http://127.0.0.1:{free_port()}/store", retries=3, backoff=0.5,
                    sleep=delays.append)
    assert delays == [0.5, 1.0, 2.0]
    assert err.value.report.requests == 4 and err.value.report.state("pending")


def test_a_refusal_before_the_body_is_read_is_reported_as_the_refusal():
    """A server that answers 401 and hangs up before reading a large body (Virtuoso does) gives
    the client a broken pipe; the push learns the status with a bodiless request and says 401."""
    import socket
    import threading

    from kg.serve.oxigraph import free_port

    port = free_port()
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen(8)
    stop = threading.Event()

    def serve():
        srv.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except TimeoutError:
                continue
            with conn:
                conn.recv(1024)  # the request line and headers only, never the body
                conn.sendall(b"HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"x\"\r\n"
                             b"Content-Length: 0\r\nConnection: close\r\n\r\n")
                conn.shutdown(socket.SHUT_RDWR)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        # several MB: most of it is sent after the server hung up
        big = [t(ox.NamedNode(f"{EX}s{i}"), ox.Literal("x" * 200)) for i in range(20000)]
        with pytest.raises(PushError) as err:
            push_graphs({"http://g": big}, f"http://127.0.0.1:{port}/store", protocol="gsp", auth=("u", "wrong"),
                        retries=1, backoff=0.01, sleep=lambda _s: None)
        assert "401" in str(err.value) and "cannot reach" not in str(err.value)
    finally:
        stop.set()
        thread.join()
        srv.close()
