"""What a benchmark run measures (the plans), the goals, and the machine it ran on."""

from __future__ import annotations

import os
import platform
import sys
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOAL_BUILD_SECONDS = 60.0  # 1M triples
GOAL_QUERY_MS = 100.0  # p50 of every pack query at 1M triples
GOAL_RDFLIB_RATIO = 50.0  # embedded store vs rdflib
GOAL_INGEST_PER_SECOND = 50.0  # newsletters/s on 2 cores
BIG = 900_000  # a graph at least this big counts as "1M triples" for the goals


@dataclass
class Plan:
    """How much to measure."""

    name: str
    ingest_issues: int  # newsletters through `kg ingest`, on 1 and on 2 processes
    extract_issues: int  # newsletters generated; the extractor alone runs on all of them
    grown_ingest: int  # newsletters ingested into the data folder of the first scale (0: skip)
    scales: dict[str, int]  # label -> target triples of the generated graphs
    rdflib_triples: int
    runs: int  # timed runs per query (after one warm-up)
    rdflib_runs: int  # timed runs per query on rdflib (after a warm-up run only when more than one)
    rdflib_timeout: float  # seconds per query on rdflib before giving up
    view_nodes: tuple[int, ...]
    profile_issues: int
    calibration_documents: int = 20  # generated documents of the build that sizes the scales


FULL = Plan("full", ingest_issues=40, extract_issues=200, grown_ingest=6,
            scales={"100k": 100_000, "1M": 1_000_000}, rdflib_triples=50_000, runs=20, rdflib_runs=5,
            rdflib_timeout=120.0, view_nodes=(2_000, 10_000), profile_issues=12)
QUICK = Plan("quick", ingest_issues=4, extract_issues=8, grown_ingest=0, scales={"20k": 20_000},
             rdflib_triples=20_000, runs=3, rdflib_runs=1, rdflib_timeout=2.0, view_nodes=(200,), profile_issues=1,
             calibration_documents=5)


def log(msg: str) -> None:
    """Progress on stderr."""
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------- machine


def machine() -> dict:
    """CPU model, cores, memory, OS and library versions."""
    from importlib.metadata import PackageNotFoundError, version

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                ram = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        cores = os.cpu_count()
    versions = {}
    for dist in ("pyoxigraph", "rdflib", "pyshacl", "pyvis", "networkx", "PyYAML"):
        try:
            versions[dist] = version(dist)
        except PackageNotFoundError:
            versions[dist] = None
    return {"cpu": cpu, "cores": cores, "ram_gb": ram, "os": platform.platform(),
            "python": platform.python_version(), "versions": versions}


def speed_probe(repeats: int = 3) -> dict[str, float]:
    """Seconds of two fixed pieces of work (the best of ``repeats``; lower is faster): a pure-Python
    loop and ten runs of an Oxigraph join and GROUP BY over a fixed in-memory graph of 60,000
    triples. One machine is not always as fast (a shared host): the probe taken at the start and
    at the end of a benchmark says how fast the machine was while it ran, so that runs compare."""
    import pyoxigraph as ox

    def python() -> None:
        total = 0
        for i in range(2_000_000):
            total += i * i % 7

    store = ox.Store()
    ex = "https://example.org/"
    store.extend(ox.Quad(ox.NamedNode(f"{ex}s{i}"), ox.NamedNode(f"{ex}p{i % 6}"),
                         ox.Literal(f"value {i % 997}", language="en"))
                 for i in range(60_000))
    query = (f"SELECT ?p (COUNT(DISTINCT ?o) AS ?n) (MIN(?o) AS ?first) WHERE {{ ?s ?p ?o . ?s <{ex}p1> ?x }} "
             "GROUP BY ?p ORDER BY ?p")

    def oxigraph() -> None:
        for _ in range(10):
            list(store.query(query))

    out = {}
    for name, work in (("python_s", python), ("oxigraph_s", oxigraph)):
        times = []
        for _ in range(repeats):
            started = time.perf_counter()
            work()
            times.append(time.perf_counter() - started)
        out[name] = round(min(times), 4)
    return out


