"""A second real engine: Debian's Virtuoso (`apt-get install virtuoso-opensource`), started by the test.

Skipped when `virtuoso-t` is not installed. Virtuoso's Graph Store endpoint wants HTTP digest
authentication; its SPARQL differs from the standard in places (GROUP_CONCAT order, separators
and language tags, FILTER scoping inside OPTIONAL), so the packs are compared for information
and only a majority is required to agree; the strict row-for-row check is on Oxigraph."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli.main import main
from kg.query.engines import EndpointEngine, StoreEngine
from kg.serve.oxigraph import free_port
from kg.serve.push import load_graphs
from kg.store.store import open_store

from .conftest import answers, compare_packs, wait_until

pytestmark = pytest.mark.server

SYSTEM_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")
BASE = "https://w3id.org/regkg/graph/"


@pytest.fixture
def virtuoso(tmp_path):
    exe = shutil.which("virtuoso-t")
    if exe is None or not SYSTEM_INI.is_file():
        pytest.skip("Virtuoso is not installed (apt-get install virtuoso-opensource)")
    db = tmp_path / "virtuoso"
    db.mkdir()
    sql_port, http_port = free_port(), free_port()
    ini = SYSTEM_INI.read_text(encoding="utf-8", errors="replace")
    ini = re.sub(r"/var/lib/virtuoso-opensource-7/db/", str(db) + "/", ini)
    ini = re.sub(r"(?m)^(\[Parameters\][^\[]*?^ServerPort\s*=\s*)\d+", rf"\g<1>{sql_port}", ini, flags=re.S)
    ini = re.sub(r"(?m)^(\[HTTPServer\][^\[]*?^ServerPort\s*=\s*)\d+", rf"\g<1>{http_port}", ini, flags=re.S)
    (db / "virtuoso.ini").write_text(ini, encoding="utf-8")
    log = (db / "out.log").open("wb")
    proc = subprocess.Popen([exe, "+foreground", "+configfile", str(db / "virtuoso.ini")], cwd=db, stdout=log,
                            stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{http_port}"
    try:
        wait_until(lambda: proc.poll() is not None or answers(url + "/sparql"), seconds=120, what="Virtuoso")
        assert proc.poll() is None, (db / "out.log").read_text(errors="replace")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def our_graphs(url: str) -> dict[str, int]:
    _cols, rows = EndpointEngine(url + "/sparql").select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), ?base)) } GROUP BY ?g",
        {"base": ox.Literal(BASE)})
    return {g.value: int(n.value) for g, n in rows}


def test_push_into_virtuoso_and_query_it(shipped_build, virtuoso):
    expected = {g: len(t) for g, t in load_graphs(shipped_build).items()}
    runner = CliRunner()
    r = runner.invoke(main, ["push", "--endpoint", virtuoso + "/sparql-graph-crud-auth", "--auth", "dba:dba",
                             "--build-dir", str(shipped_build), "--batch-size", "3000"])
    assert r.exit_code == 0, r.output
    assert "Graph Store Protocol" in r.output
    assert our_graphs(virtuoso) == expected

    # SPARQL Update on the authenticated SPARQL endpoint, replacing one graph
    r = runner.invoke(main, ["push", "--endpoint", virtuoso + "/sparql-auth", "--protocol", "update", "--auth",
                             "dba:dba", "--build-dir", str(shipped_build), "--only", "registry", "--batch-size", "400"])
    assert r.exit_code == 0, r.output
    assert our_graphs(virtuoso) == expected

    # wrong credentials: refused, nothing claimed written
    r = runner.invoke(main, ["push", "--endpoint", virtuoso + "/sparql-graph-crud-auth", "--auth", "dba:wrong",
                             "--build-dir", str(shipped_build), "--only", "registry"])
    assert r.exit_code == 1 and "401" in r.output and "not written (1)" in r.output, r.output

    # Virtuoso's default graph is the union of its graphs, as the packs expect
    comparison = compare_packs(StoreEngine(open_store(shipped_build)), EndpointEngine(virtuoso + "/sparql"))
    agree = len(comparison.compared) - len(comparison.mismatches)
    print(f"Virtuoso: {agree} of {len(comparison.compared)} pack queries give the embedded rows; differ: "
          + ", ".join(m.split(" ", 1)[0] for m in comparison.mismatches))
    assert agree * 2 > len(comparison.compared)
