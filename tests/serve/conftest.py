"""Fixtures for the serving tests: the shipped graph built once, real Oxigraph servers on free
loopback ports, and the row-for-row comparison of every query pack on two engines."""

from __future__ import annotations

import itertools
import shlex
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kg.errors import QueryError
from kg.query.engines import Engine
from kg.query.execute import run
from kg.query.packs import discover
from kg.serve.oxigraph import free_port


def oxigraph_executable() -> str | None:
    """The `oxigraph` command installed with the test extras (beside this Python), else on PATH."""
    local = Path(sys.executable).parent / "oxigraph"
    if local.is_file():
        return str(local)
    return shutil.which("oxigraph")


@pytest.fixture(scope="session")
def oxigraph_exe() -> str:
    exe = oxigraph_executable()
    if exe is None:
        pytest.skip("the `oxigraph` server is not installed (pip install '.[test]')")
    return exe


def wait_until(check, seconds: float = 30.0, what: str = "the server") -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"{what} did not become ready in {seconds}s")
        time.sleep(0.05)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


@dataclass
class OxigraphProcess:
    """A real `oxigraph serve` (read-write) on a store folder and a loopback port."""

    exe: str
    location: Path
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> OxigraphProcess:
        self.proc = subprocess.Popen(
            [self.exe, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}",
             "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(lambda: self.proc.poll() is None and answers(self.url + "/query"), what="oxigraph serve")
        return self

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def oxigraph(oxigraph_exe, tmp_path):
    """A factory of started `oxigraph serve` processes, all killed at the end of the test."""
    started: list[OxigraphProcess] = []

    def start(location: Path | None = None, port: int | None = None) -> OxigraphProcess:
        server = OxigraphProcess(oxigraph_exe, location or tmp_path / f"oxigraph-{len(started)}")
        if port:
            server.port = port
        started.append(server.start())
        return server

    yield start
    for server in started:
        server.kill()


# ---------------------------------------------------------------- comparing the packs on two engines


def example_params(example: str) -> dict[str, str]:
    """The ``--param name=value`` pairs of a query's ``# example:`` line."""
    words = shlex.split(example or "")
    out = {}
    for flag, value in itertools.pairwise(words):
        if flag in ("--param", "-p") and "=" in value:
            k, _, v = value.partition("=")
            out[k] = v
    return out


def pack_runs():
    """``(name, query, params, how)`` for every query of the packs: with its defaults, else (when a
    required parameter has no default) with the parameters of its example, else skipped."""
    for name, q in discover().items():
        missing = [p.name for p in q.params if p.required and p.default is None]
        if not missing:
            yield name, q, {}, "defaults"
            continue
        ex = example_params(q.example)
        if all(m in ex for m in missing):
            yield name, q, ex, "example"
        else:
            yield name, q, None, "skipped"


def _key(term) -> str:
    return "UNDEF" if term is None else str(term)


def rows_of(q, engine: Engine, params: dict[str, str]):
    """The result as (columns, sorted rows of N-Triples terms), or the error message."""
    try:
        result = run(q, engine, params)
    except QueryError as exc:
        return ("error", str(exc).split(":")[0])
    return result.columns, sorted(tuple(_key(t) for t in row) for row in result.rows)


@dataclass
class Comparison:
    compared: dict[str, str] = field(default_factory=dict)  # name -> how ("defaults" or "example")
    skipped: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # refused the same way by both engines (e.g. a bad example)
    rows: int = 0
    mismatches: list[str] = field(default_factory=list)


def compare_packs(local: Engine, remote: Engine) -> Comparison:
    """Run every pack query on both engines and record where the rows differ."""
    out = Comparison()
    for name, q, params, how in pack_runs():
        if params is None:
            out.skipped.append(name)
            continue
        expected = rows_of(q, local, params)
        got = rows_of(q, remote, params)
        out.compared[name] = how
        if expected[0] == "error":
            out.errors.append(name)
        else:
            out.rows += len(expected[1])
        if expected != got:
            out.mismatches.append(f"{name} ({how} {params}): embedded {str(expected)[:300]} != remote {str(got)[:300]}")
    return out


def assert_same_rows(comparison: Comparison) -> None:
    total = len(discover())
    assert len(comparison.compared) + len(comparison.skipped) == total
    assert len(comparison.compared) > len(comparison.errors), "no query could be compared"
    assert not comparison.mismatches, "\n".join(comparison.mismatches)
    print(f"compared {len(comparison.compared)} of {total} queries "
          f"({sum(h == 'defaults' for h in comparison.compared.values())} with their defaults, "
          f"{sum(h == 'example' for h in comparison.compared.values())} with their example's parameters), "
          f"{comparison.rows} rows ({len(comparison.errors)} refused alike); "
          f"skipped {len(comparison.skipped)} (required parameters without a default)")
