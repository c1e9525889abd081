"""`kg serve`: a real Oxigraph server behind it, the same rows as the embedded store, writes refused,
views and packs beside the endpoint, clean stops and clear errors."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli.common import parse_size
from kg.cli.main import main
from kg.query.engines import EndpointEngine, StoreEngine
from kg.serve.front import MAX_REQUEST
from kg.serve.oxigraph import OxigraphServer, free_port, is_loopback
from kg.store.store import open_store

from .conftest import answers, assert_same_rows, compare_packs, wait_until

pytestmark = pytest.mark.server


class Served:
    """A `kg serve` process started as a user would."""

    def __init__(self, build: Path, tmp: Path, *args: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.out = tmp / f"serve-{self.port}.out"
        self.err = tmp / f"serve-{self.port}.err"
        with self.out.open("wb") as out, self.err.open("wb") as err:
            self.proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--build-dir", str(build),
                                          "--port", str(self.port), *args], stdout=out, stderr=err)
        wait_until(lambda: self.proc.poll() is not None or answers(self.url + "/sparql"), what="kg serve")
        assert self.proc.poll() is None, self.err.read_text()

    @property
    def output(self) -> str:
        return self.out.read_text(encoding="utf-8")

    def children(self) -> list[int]:
        """Processes whose parent is `kg serve` (Linux /proc)."""
        out = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                out.append(int(stat.parent.name))
        return out

    def stop(self) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        return self.proc.wait()


@pytest.fixture
def served(shipped_build, oxigraph_exe, tmp_path):
    started: list[Served] = []

    def start(*args: str, build: Path | None = None) -> Served:
        s = Served(build or shipped_build, tmp_path, "-q", *args)
        started.append(s)
        return s

    yield start
    for s in started:
        s.stop()


def http(method: str, url: str, data: bytes | None = None, headers: dict | None = None):
    """(status, text, headers) of a request."""
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read().decode("utf-8"), resp.headers
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8"), exc.headers


def count(url: str) -> int:
    _cols, rows = EndpointEngine(url).select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {})
    return int(rows[0][0].value)


def test_serve_answers_sparql_like_the_embedded_store(served, shipped_build):
    s = served()
    out = s.output
    for path in ("/sparql", "/ui/", "/queries/", "/store?graph=IRI"):
        assert s.url + path in out
    assert "read-only" in out and "warning" not in out

    # the store stays readable in-process while the server holds it (both read-only)
    local = StoreEngine(open_store(shipped_build))
    assert_same_rows(compare_packs(local, EndpointEngine(s.url + "/sparql")))
    assert count(s.url + "/query") == count(s.url + "/sparql") > 10000
    assert kg.open(shipped_build).sparql("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").iloc[0, 0] == count(
        s.url + "/sparql")

    # the standard protocol by GET, with content negotiation
    query = urllib.parse.quote("SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g")
    status, text, headers = http("GET", f"{s.url}/sparql?query={query}", headers={"Accept": "text/csv"})
    assert status == 200 and headers["Content-Type"].startswith("text/csv")
    assert "https://w3id.org/regkg/graph/ontology" in text

    # `kg query --endpoint` on it
    r = CliRunner().invoke(main, ["query", "authorities/most-active", "--endpoint", s.url + "/sparql", "-f", "csv"])
    local = CliRunner().invoke(main, ["query", "authorities/most-active", "--build-dir", str(shipped_build), "-f",
                                      "csv"])
    assert r.exit_code == 0 and sorted(r.output.splitlines()) == sorted(local.output.splitlines())


def test_updates_sent_to_kg_serve_are_refused(served, shipped_build):
    s = served()
    before = count(s.url + "/sparql")
    insert = "INSERT DATA { <http://example.org/a> <http://example.org/b> 1 }"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    attempts = [
        ("POST", "/update", urllib.parse.urlencode({"update": insert}).encode(), form),
        ("POST", "/update", insert.encode(), {"Content-Type": "application/sparql-update"}),
        ("POST", "/sparql", urllib.parse.urlencode({"update": insert}).encode(), form),
        ("POST", "/query", insert.encode(), {"Content-Type": "application/sparql-update"}),
        ("GET", "/sparql?update=" + urllib.parse.quote(insert), None, {}),
        ("PUT", "/store?graph=http%3A%2F%2Fexample.org%2Fg", b"<http://a> <http://b> 1 .",
         {"Content-Type": "application/n-triples"}),
        ("POST", "/store?default", b"<http://a> <http://b> 1 .", {"Content-Type": "application/n-triples"}),
        ("DELETE", "/store?graph=https%3A%2F%2Fw3id.org%2Fregkg%2Fgraph%2Fontology", None, {}),
    ]
    for method, path, data, headers in attempts:
        status, text, _ = http(method, s.url + path, data, headers)
        assert status == 403, (method, path, status, text)
        assert "read-only" in text
    assert count(s.url + "/sparql") == before

    # kg push against it fails cleanly and says nothing was written
    r = CliRunner().invoke(main, ["push", "--endpoint", s.url + "/store", "--build-dir", str(shipped_build),
                                  "--only", "registry"])
    assert r.exit_code == 1 and "403" in r.output and "not written (1)" in r.output
    assert count(s.url + "/sparql") == before


def test_a_large_write_refused_gets_its_answer_not_a_reset_connection(served):
    """The body of a refused write is read before the answer: answered and closed with 8 MB unread,
    the connection was reset under the client still sending it, which saw that instead of the 403
    (kg push of a large graph did, now and then)."""
    s = served()
    body = b"".join(b'<http://example.org/a%d> <http://example.org/b> "x" .\n' % i for i in range(150_000))
    assert 8 * 1024**2 < len(body) < MAX_REQUEST
    for method, path in (("PUT", "/store?graph=http%3A%2F%2Fexample.org%2Fg"), ("POST", "/store?default"),
                         ("POST", "/update")):
        status, text, _ = http(method, s.url + path, body, {"Content-Type": "application/n-triples"})
        assert status == 403 and "read-only" in text


def test_views_packs_and_pages_beside_the_endpoint(served, shipped_build, tmp_path):
    build = tmp_path / "build"
    shutil.copytree(shipped_build, build)
    shutil.rmtree(build / "views")  # start from a build without views
    s = served(build=build)
    status, text, _ = http("GET", s.url + "/")
    assert status == 200 and "SPARQL 1.1 query endpoint" in text and "graph/ontology" in text

    status, text, _ = http("GET", s.url + "/views/")
    assert status == 404 and "No views" in text
    (build / "views" / "network").mkdir(parents=True)
    (build / "views" / "index.html").write_text("<h1>视图</h1>", encoding="utf-8")
    (build / "views" / "network" / "data.json").write_text('{"n": 1}', encoding="utf-8")
    status, text, headers = http("GET", s.url + "/views/")
    assert status == 200 and "视图" in text and headers["Content-Type"] == "text/html; charset=utf-8"
    status, text, headers = http("GET", s.url + "/views/network/data.json")
    assert status == 200 and json.loads(text) == {"n": 1}
    assert http("GET", s.url + "/views/../build.json")[0] == 404

    status, text, _ = http("GET", s.url + "/queries/")
    assert status == 200 and "authorities/most-active" in text
    status, text, headers = http("GET", s.url + "/queries/authorities/most-active.rq")
    assert status == 200 and "SELECT" in text and "# title:" in text
    status, text, _ = http("GET", s.url + "/queries/authorities/most-active")
    assert status == 200 and "<table>" in text and "国家互联网信息办公室" in text
    status, text, headers = http("GET", s.url + "/queries/authorities/issued-by?format=csv&authority=国家网信办"
                                 .replace("国家网信办", urllib.parse.quote("国家网信办")))
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and text.startswith("instrument")
    status, text, _ = http("GET", s.url + "/queries/authorities/issued-by")
    assert status == 200 and "Give authority" in text
    status, text, _ = http("GET", s.url + "/queries/authorities/issued-by?authority=nobody-at-all")
    assert status == 400 and "nobody-at-all" in text
    assert http("GET", s.url + "/queries/no/such")[0] == 404

    status, text, _ = http("GET", s.url + "/ui/")
    assert status == 200 and "yasgui" in text.lower()
    status, text, _ = http("GET", s.url + "/store?graph=" + urllib.parse.quote("https://w3id.org/regkg/graph/registry",
                                                                              safe=""))
    assert status == 200 and "https://w3id.org/regkg/" in text
    assert http("GET", s.url + "/nothing-here")[0] == 404


def test_query_pages_resolve_names_like_kg_query(served):
    s = served()

    def page(query: str, **params: str):
        return http("GET", s.url + f"/queries/{query}?" + urllib.parse.urlencode(params))

    status, text, _ = page("authorities/issued-by", authority="KR/个人信息保护委员会", format="csv")
    assert status == 200 and text.startswith("instrument") and text.count("\n") > 1
    status, text, _ = page("authorities/issued-by", authority="个人信息保护委员会", format="csv")
    assert status == 400
    assert text.splitlines()[1:] == [
        "  1. 个人信息保护委员会 (Personal Information Protection Commission (Japan)) - authority: regulator, JP"
        " - key JP/个人信息保护委员会",
        "  2. 个人信息保护委员会 (Personal Information Protection Commission (Korea)) - authority: regulator, KR"
        " - key KR/个人信息保护委员会"]
    # a paged query: the first page unless ?page= asks for another or for every row (page=all)
    status, every, _ = page("cases/parties", page="all", format="csv")
    status1, first, headers = page("cases/parties", format="csv")
    assert status == status1 == 200 and every == first and "X-Kg-Page" not in headers  # one page holds them all
    status, text, headers = page("cases/parties", page="2", format="csv")
    assert status == 200 and text.splitlines() == ["case,name,party,role"]
    assert headers["X-Kg-Page"] == "page 2 of the listing, 100 rows a page: no rows (the last page)"
    status, text, _ = page("cases/parties", page="2")
    assert status == 200 and "page 2 of the listing" in text and "page=all" in text
    status, text, _ = page("cases/parties", page="two")
    assert status == 400 and "whole number" in text
    status, text, _ = page("authorities/issued-by", authority="国家网信")
    assert status == 400 and "<p class=error>parameter authority: no authority is called" in text
    assert "\n  1. 国家互联网信息办公室 (Cyberspace Administration of China)" in text


def test_result_size_limit_and_timeout_are_configurable(served):
    s = served("--max-result-size", "20k", "--timeout", "7")
    assert "over 20 kB are refused" in s.output and "after 7s" in s.output
    small = urllib.parse.urlencode({"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 3"}).encode()
    assert http("POST", s.url + "/sparql", small, {"Content-Type": "application/x-www-form-urlencoded"})[0] == 200
    everything = urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p ?o }"}).encode()
    status, text, _ = http("POST", s.url + "/sparql", everything, {"Content-Type": "application/x-www-form-urlencoded"})
    assert status == 413 and "--max-result-size" in text
    assert "--timeout-s" in " ".join(OxigraphServer(Path("store"), port=1, timeout=7, executable="x").command())
    assert OxigraphServer(Path("s"), port=1, timeout=7, executable="x").command()[-2:] == ["--timeout-s", "7"]
    assert parse_size("50MB", "--x") == 50 * 1024**2 and parse_size("200k", "--x") == 200 * 1024
    assert parse_size("1g", "--x") == 1024**3


def test_ctrl_c_stops_kg_serve_and_its_oxigraph(served):
    s = served()
    children = s.children()
    if not Path("/proc").is_dir():  # pragma: no cover
        pytest.skip("no /proc")
    assert len(children) == 1  # the Oxigraph server
    assert s.stop() == 0
    assert "stopping" in s.output
    time.sleep(0.2)
    assert not Path(f"/proc/{children[0]}").exists() or "zombie" in Path(f"/proc/{children[0]}/status").read_text()
    assert not answers(s.url + "/sparql")


def test_sigterm_stops_kg_serve(served):
    s = served()
    s.proc.send_signal(signal.SIGTERM)
    assert s.proc.wait(15) == 0


def test_busy_port_and_missing_build_are_clear_errors(shipped_build, oxigraph_exe, tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = subprocess.run([sys.executable, "-m", "kg.cli", "serve", "--build-dir", str(shipped_build), "--port",
                            str(port)], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert f"port {port} on 127.0.0.1 is already in use" in r.stderr and "--port" in r.stderr

    r = CliRunner().invoke(main, ["serve", "--build-dir", str(tmp_path / "nothing")])
    assert r.exit_code == 1 and "no built graph" in r.output and "kg build" in r.output

    r = CliRunner().invoke(main, ["serve", "--build-dir", str(shipped_build), "--max-result-size", "lots"])
    assert r.exit_code == 2 and "--max-result-size" in r.output


def test_binding_off_loopback_is_announced():
    from kg.serve.front import ServeConfig, _announce

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.7") and not is_loopback("example.org")

    class Fake:
        config = ServeConfig(Path("nowhere"), host="0.0.0.0", port=7878)

        def url(self, path=""):
            return "http://0.0.0.0:7878" + path

    lines: list[str] = []
    _announce(Fake(), lines.append)
    assert any(line.startswith("warning: listening on 0.0.0.0") for line in lines)


def test_serve_follows_a_rebuild(served, shipped_build, mini_data, tmp_path):
    build = tmp_path / "build"
    shutil.copytree(shipped_build, build)
    s = served("--timeout", "5", build=build)
    before = count(s.url + "/sparql")
    from kg.store.build import build as run_build

    run_build(mini_data, build)  # swaps a new store in
    after = count(s.url + "/sparql")
    deadline = time.monotonic() + 20
    while after == before and time.monotonic() < deadline:
        time.sleep(0.2)
        after = count(s.url + "/sparql")
    assert after != before
    _cols, rows = StoreEngine(open_store(build)).select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", {})
    assert after == int(rows[0][0].value)


@pytest.mark.skipif(os.name != "posix", reason="POSIX signals")
def test_oxigraph_child_dies_with_a_killed_kg_serve(served):
    s = served()
    children = s.children()
    s.proc.kill()
    s.proc.wait()
    wait_until(lambda: not Path(f"/proc/{children[0]}").exists()
               or "zombie" in Path(f"/proc/{children[0]}/status").read_text(), seconds=10, what="the child's end")


def test_the_documented_query_timeout_is_the_one_applied(served):
    s = served("--timeout", "2")
    slow = urllib.parse.urlencode({"query": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
    started = time.monotonic()
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, text, _ = http("POST", s.url + "/sparql", slow.encode(), form)
    took = time.monotonic() - started
    assert status == 504 and "2s" in text and "--timeout" in text
    assert 1.5 <= took < 3.0, f"answered after {took:.1f}s for a 2s limit"
