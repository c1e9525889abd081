"""Benchmarks at scale: ingest, build, every pack query, rdflib for comparison, view rendering.

``python -m benchmarks [--quick]`` (see :func:`main`) generates a synthetic corpus
(:mod:`benchmarks.synth`), measures, and writes ``<out>/<date>-<plan>.json`` and
``<out>/<date>-<plan>.md``. What each number means is in ``benchmarks/README.md``.

Every graph measured here is the shipped data (``data/``: registries, the ingested corpus
newsletters and their curation, so the query examples name entities that exist) plus
generated documents: newsletters written in the real layouts and ingested by the real
``kg ingest`` for the ingest numbers, and generated fact files for the large graphs
(ingesting a million triples' worth of newsletters one by one would take hours; see the
ingest section of the results for why).
"""

from __future__ import annotations

import cProfile
import datetime as dt
import io
import itertools
import json
import math
import multiprocessing as mp
import os
import platform
import pstats
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pyoxigraph as ox

from kg import paths
from kg.errors import QueryError
from kg.model.terms import ID, PREFIXES
from kg.query.engines import Engine, StoreEngine, bind_values
from kg.query.execute import run as run_query
from kg.query.packs import Query, discover
from kg.query.params import bind_params

from . import synth

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


# ---------------------------------------------------------------- data folders


SOURCE_DATA: Path | None = None  # the data folder the graphs start from (set by run(); default data/)


def source_data() -> Path:
    """The data folder every graph starts from (its registries also name the generator's authorities)."""
    return SOURCE_DATA or paths.data_dir(REPO / "data")


def base_data(path: Path) -> Path:
    """A copy of the shipped data folder (registries, documents, curation) to add generated documents to."""
    src = source_data()
    if path.exists():
        shutil.rmtree(path)
    shutil.copytree(src, path, ignore=shutil.ignore_patterns("*.tmp", "README.md"))
    (path / "documents").mkdir(exist_ok=True)
    return path


def run_build(data_dir: Path, build_dir: Path, validate: bool = True) -> dict:
    """``kg build`` in a child process (phases, seconds, triples, peak RSS of the child)."""
    cmd = [sys.executable, "-m", "benchmarks._child", "build", str(data_dir), str(build_dir)]
    if not validate:
        cmd.append("--no-validate")
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=REPO)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"build of {data_dir} failed:\n{proc.stderr[-3000:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    out["wall_seconds"] = round(wall, 3)
    out["triples_per_second"] = out["triples"] / out["seconds"] if out["seconds"] else None
    return out


# ---------------------------------------------------------------- ingest


_KB = None


def _init_worker(data_dir: str) -> None:
    global _KB
    from kg.ingest.resolve import load_knowledge

    _KB = load_knowledge(Path(data_dir))


def _extract_one(path: str) -> int:
    from kg.ingest.read import read_document
    from kg.ingest.run import extract_document

    raw = read_document(Path(path))
    facts, _items = extract_document(raw.lines, raw.doc_id, _KB)
    return len(facts["items"])


def _ingest_worker(args: tuple[list[str], str]) -> list[bool]:
    from kg.ingest.run import ingest

    files, data = args
    return [r.ok for r in ingest([Path(f) for f in files], Path(data))]


def timed_ingest(files: list[Path], data: Path) -> dict:
    """``kg ingest`` (the function behind the command) of ``files`` into ``data``, one process."""
    from kg.ingest.run import ingest

    stamps: list[float] = []

    def progress(it):
        for f in it:
            stamps.append(time.perf_counter())
            yield f

    started = time.perf_counter()
    results = ingest(files, data, progress=progress)
    seconds = time.perf_counter() - started
    stamps.append(started + seconds)
    per_file = [b - a for a, b in itertools.pairwise(stamps)]
    k = max(1, len(per_file) // 4)
    return {"newsletters": len(files), "ok": sum(r.ok for r in results), "seconds": round(seconds, 3),
            "newsletters_per_second": len(files) / seconds,
            "first_quarter_ms_per_file": 1000 * statistics.mean(per_file[:k]),
            "last_quarter_ms_per_file": 1000 * statistics.mean(per_file[-k:]),
            "errors": [r.error for r in results if not r.ok][:5]}


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value)).normalize()
    except (InvalidOperation, ValueError):
        return None


def fact_keys(facts: dict) -> dict[str, Counter]:
    """What a fact file states, as comparable keys per kind (instruments, relations, actions, fines, cases)."""
    from kg.model.ids import instrument_key, standard_key, title_key

    def ref(r: str) -> str:
        if sk := standard_key(r):
            return sk
        if "/" in r:
            jur, title = r.split("/", 1)
            return title_key(title, jur)
        return r

    out: dict[str, Counter] = {}
    keys = []
    for rec in facts.get("instruments") or []:
        try:
            keys.append(instrument_key(rec))
        except (KeyError, TypeError):
            continue
    out["instruments"] = Counter(set(keys))
    out["relations"] = Counter({(ref(r["subject"]), r["type"], ref(r["object"])) for r in facts.get("relations") or []})
    actions = facts.get("actions") or []
    out["actions"] = Counter(str(a.get("date")) for a in actions)
    out["fines"] = Counter((_decimal(a["penalty"].get("amount")), a["penalty"].get("currency"))
                           for a in actions if a.get("penalty"))
    out["cases"] = Counter((str(c.get("date")), c.get("court")) for c in facts.get("cases") or [])
    return out


def planted_recall(planted: dict[str, dict], documents: Path) -> dict:
    """Compare the facts the generator planted in each newsletter with those ``kg ingest`` wrote.

    ``planted``: doc id -> generated fact file (:func:`benchmarks.synth.fact_file`). Per kind: how
    many were planted, extracted and matched (same instrument key, same relation triple, same
    action date, same fine amount and currency, same case date and court), with recall and precision."""
    from kg.facts.yamlio import load_yaml

    totals = {k: Counter() for k in ("instruments", "relations", "actions", "fines", "cases")}
    docs = 0
    for doc_id, facts in planted.items():
        path = documents / f"{doc_id}.yaml"
        if not path.is_file():
            continue
        docs += 1
        want, got = fact_keys(facts), fact_keys(load_yaml(path))
        for kind in totals:
            totals[kind]["planted"] += sum(want[kind].values())
            totals[kind]["extracted"] += sum(got[kind].values())
            totals[kind]["matched"] += sum((want[kind] & got[kind]).values())
    out: dict = {"documents": docs}
    for kind, c in totals.items():
        out[kind] = {"planted": c["planted"], "extracted": c["extracted"], "matched": c["matched"],
                     "recall": c["matched"] / c["planted"] if c["planted"] else None,
                     "precision": c["matched"] / c["extracted"] if c["extracted"] else None}
    return out


def bench_ingest(work: Path, plan: Plan, seed: int) -> dict:
    """``kg ingest`` (the real :func:`kg.ingest.run.ingest`) of generated newsletters on 1 and 2
    processes, the facts it found against those planted, the extractor alone, and a cProfile."""
    corpus = work / "corpus"
    started = time.perf_counter()
    gen = synth.generate(corpus, plan.extract_issues, seed, data_dir=source_data())
    gen_seconds = time.perf_counter() - started
    files = sorted(corpus.glob("*.txt"))
    out: dict = {"corpus": {"newsletters": gen.issues, "items": gen.items, "megabytes": round(gen.bytes / 1e6, 2),
                            "generate_seconds": round(gen_seconds, 2)}}
    sample = files[: plan.ingest_issues]
    # 1. kg ingest, one process, into a copy of the shipped data folder
    log(f"ingest: kg ingest of {len(sample)} newsletters, 1 process")
    data = base_data(work / "ingest-data")
    out["kg_ingest"] = timed_ingest(sample, data)
    planted = {iss.doc_id: synth.fact_file(iss) for iss in synth.issues(seed, plan.extract_issues, source_data())}
    out["recall"] = planted_recall(planted, data / "documents")
    out["ingested_data_dir"] = str(data)
    # 2. kg ingest, two processes, each on half of the files, into one fresh copy
    log(f"ingest: kg ingest of {len(sample)} newsletters, 2 processes")
    data2 = base_data(work / "ingest-data-2")
    halves = [[str(f) for f in sample[0::2]], [str(f) for f in sample[1::2]]]
    ctx = mp.get_context("fork")
    with ctx.Pool(2) as pool:
        started = time.perf_counter()
        oks = pool.map(_ingest_worker, [(h, str(data2)) for h in halves])
        seconds = time.perf_counter() - started
    out["kg_ingest_2"] = {"newsletters": len(sample), "ok": sum(sum(o) for o in oks), "seconds": round(seconds, 3),
                          "newsletters_per_second": len(sample) / seconds}
    shutil.rmtree(data2, ignore_errors=True)
    # 3. the extractor alone (read, clean, segment, extract, assemble; no data-folder check)
    log(f"ingest: extractor alone on {len(files)} newsletters, 1 and 2 processes")
    _init_worker(str(data))
    started = time.perf_counter()
    for f in files:
        _extract_one(str(f))
    one = time.perf_counter() - started
    with ctx.Pool(2, initializer=_init_worker, initargs=(str(data),)) as pool:
        started = time.perf_counter()
        pool.map(_extract_one, [str(f) for f in files], chunksize=max(1, len(files) // 16))
        two = time.perf_counter() - started
    out["extract_only"] = {"newsletters": len(files), "one_process_per_second": len(files) / one,
                           "two_processes_per_second": len(files) / two}
    # 4. where kg ingest spends its time
    log(f"ingest: profiling kg ingest of {plan.profile_issues} newsletters")
    pdata = base_data(work / "profile-data")
    prof = cProfile.Profile()
    from kg.ingest.run import ingest

    started = time.perf_counter()
    prof.enable()
    ingest(files[: plan.profile_issues], pdata)
    prof.disable()
    out["profile"] = profile_summary(prof, wall=time.perf_counter() - started)
    out["profile"]["newsletters"] = plan.profile_issues
    shutil.rmtree(pdata, ignore_errors=True)
    return out


def bench_grown_ingest(files: list[Path], data: Path) -> dict:
    """``kg ingest`` into a data folder that already holds many documents (how per-file cost grows)."""
    docs = len(list((data / "documents").glob("*.yaml")))
    res = timed_ingest(files, data)
    return {"documents_before": docs, **res}


def profile_summary(prof: cProfile.Profile, top: int = 14, prefixes: tuple[str, ...] = ("kg/", "yaml/"),
                    wall: float | None = None) -> dict:
    """Total time; the functions of ``prefixes`` (the project, YAML …) with the most cumulative time,
    and the functions (anywhere) with the most time of their own. Shares are of ``wall`` (the
    profiled call's wall-clock seconds) when given: cumulative times count a generator once per
    resumption, so they can exceed the profiler's own total."""
    stats = pstats.Stats(prof, stream=io.StringIO())
    total = wall or stats.total_tt  # type: ignore[attr-defined]

    def short(file: str) -> str:
        s = file.replace(str(REPO) + "/", "")
        return s.split("site-packages/", 1)[1] if "site-packages/" in s else s

    cum, own = [], []
    for (file, line, name), (_cc, nc, tt, ct, _callers) in stats.stats.items():  # type: ignore[attr-defined]
        f = short(file)
        row = {"function": f"{f}:{line}({name})", "calls": nc, "cumulative_s": round(ct, 3), "own_s": round(tt, 3),
               "share": round(ct / total, 3) if total else None, "own_share": round(tt / total, 3) if total else None}
        own.append(row)
        if f.startswith(prefixes):
            cum.append(row)
    cum.sort(key=lambda r: -r["cumulative_s"])
    own.sort(key=lambda r: -r["own_s"])
    return {"total_s": round(total, 3), "top": cum[:top], "top_own": own[:10]}


# ---------------------------------------------------------------- generated graphs


class Sizer:
    """How many generated documents make a graph of about a given size: triples = base + a * n^b,
    fitted on the two largest builds so far (entities recur, so a document adds fewer triples to a
    larger graph)."""

    def __init__(self, base: int):
        self.base = base
        self.points: list[tuple[int, int]] = []  # (generated documents, triples above the base)

    def add(self, documents: int, triples: int) -> None:
        """A build of ``documents`` generated documents that had ``triples`` triples."""
        if documents > 0 and triples > self.base:
            self.points = sorted({*self.points, (documents, triples - self.base)})

    def exponent(self) -> float:
        """b of the fit (1 with fewer than two builds)."""
        if len(self.points) < 2:
            return 1.0
        (n0, t0), (n1, t1) = self.points[-2:]
        if n0 == n1 or t0 == t1:
            return 1.0
        return min(1.0, max(0.5, math.log(t1 / t0) / math.log(n1 / n0)))

    def documents_for(self, target: int) -> int:
        """Generated documents for about ``target`` triples."""
        if not self.points:
            return 1
        n1, t1 = self.points[-1]
        return max(1, round(n1 * (max(1, target - self.base) / t1) ** (1 / self.exponent())))


def generated_data(work: Path, label: str, target: int, seed: int, sizer: Sizer) -> tuple[Path, int]:
    """A data folder (the shipped data + generated fact files) sized for about ``target`` triples."""
    n = sizer.documents_for(target)
    data = base_data(work / f"data-{label}")
    synth.generate(work / f"unused-{label}", n, seed, texts=False, facts_dir=data / "documents",
                   data_dir=source_data())
    shutil.rmtree(work / f"unused-{label}", ignore_errors=True)
    return data, n


# ---------------------------------------------------------------- queries


def example_params(q: Query) -> dict[str, str]:
    """The parameters of the query's ``# example:`` line."""
    out: dict[str, str] = {}
    try:
        words = shlex.split(q.example)
    except ValueError:
        return out
    for i, w in enumerate(words):
        if w in ("--param", "-p") and i + 1 < len(words) and "=" in words[i + 1]:
            k, v = words[i + 1].split("=", 1)
            out[k] = v
    return out


def resolve_examples(build_dir: Path) -> dict[str, dict[str, str]]:
    """For each query, its example's parameters with every entity given as the IRI it names in
    ``build_dir`` (the shipped data, where the examples were written)."""
    from kg.query.packs import ENTITY_TYPES

    store = ox.Store.read_only(str(build_dir / "store"))
    engine = StoreEngine(store)
    out = {}
    for name, q in discover().items():
        params = example_params(q)
        types = {p.name: p.type for p in q.params}
        try:
            bound = bind_params(q, params, engine)
        except QueryError:
            continue
        out[name] = {k: (bound[k].value if types.get(k) in ENTITY_TYPES else v) for k, v in params.items()}
    return out


def query_params(q: Query, engine: Engine, fallback: dict[str, str] | None = None
                 ) -> tuple[dict[str, str], dict, int, str | None]:
    """The example's parameters, their bound terms, the rows they give, and the error if the example
    does not resolve in this graph (then ``fallback``, the example resolved on the shipped data, is used
    when given, else the error leaves the query untimed)."""
    params = example_params(q)
    try:
        bindings = bind_params(q, params, engine)
        rows = len(engine.select(q.text, bindings)[1])
        return params, bindings, rows, None
    except QueryError as exc:
        error = str(exc)
    if fallback is None:
        return params, {}, 0, error
    try:
        bindings = bind_params(q, fallback, engine)
        rows = len(engine.select(q.text, bindings)[1])
    except QueryError as exc:
        return params, {}, 0, f"{error}; resolved on the shipped data: {exc}"
    return dict(fallback), bindings, rows, error


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, math.ceil(pct / 100 * len(s)) - 1))]


def time_calls(fn, runs: int, budget: float = 30.0, warm_up: bool = True) -> list[float]:
    """Seconds of ``runs`` calls of ``fn`` after one warm-up (fewer, at least 3, when over ``budget``)."""
    if warm_up:
        fn()
    times = []
    spent = 0.0
    for i in range(runs):
        started = time.perf_counter()
        fn()
        t = time.perf_counter() - started
        times.append(t)
        spent += t
        if spent > budget and i >= 2:
            break
    return times


def full_text(q: Query, bindings: dict) -> str:
    """The query as sent: prefixes declared, parameters in a VALUES block (for ``oxigraph query --explain``)."""
    text = bind_values(q.text, bindings)
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + text


def explain(store_dir: Path, q: Query, bindings: dict, work: Path) -> dict:
    """Oxigraph's own evaluation plan with statistics (``oxigraph query --explain --stats``), summarised:
    the operators that produced the most rows or took the most time."""
    qfile = work / "explain.rq"
    qfile.write_text(full_text(q, bindings), encoding="utf-8")
    efile = work / "explain.json"
    efile.unlink(missing_ok=True)
    cmd = ["oxigraph", "query", "--location", str(store_dir), "--query-file", str(qfile), "--union-default-graph",
           "--results-format", "tsv", "--results-file", str(work / "explain.tsv"), "--explain-file", str(efile),
           "--stats"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return {"error": f"oxigraph query --explain failed: {exc}"}
    if proc.returncode != 0 or not efile.exists():
        return {"error": f"oxigraph query --explain failed: {proc.stderr.strip()[-500:]}"}
    plan = json.loads(efile.read_text(encoding="utf-8"))
    nodes: list[dict] = []

    def walk(node: dict, depth: int) -> None:
        rec = {"depth": depth, "name": node.get("name"), "rows": node.get("number of results"),
               "ms": _duration_ms(node.get("duration in seconds")), "leaf": not node.get("children")}
        nodes.append(rec)
        for child in node.get("children") or []:
            walk(child, depth + 1)

    if "plan" in plan:
        walk(plan["plan"], 0)
    # the leaves are the index reads (quad patterns, paths): their rows are the work the plan does
    reads = [n for n in nodes if n["leaf"] and n["rows"] is not None]
    heavy = sorted(reads, key=lambda n: -n["rows"])[:5]
    text_plan = "\n".join("  " * n["depth"] + f"{n['name']}  rows={n['rows']}  ms={n['ms']}" for n in nodes[:80])
    total = _duration_ms((plan.get("plan") or {}).get("duration in seconds"))
    return {"total_ms": total, "planning_ms": _duration_ms(plan.get("planning duration in seconds")),
            "rows_read": sum(n["rows"] for n in reads), "largest_reads": heavy, "plan": text_plan}


def _duration_ms(value) -> float | None:
    """A duration of Oxigraph's explanation (seconds) in milliseconds."""
    return round(1000 * value, 2) if isinstance(value, int | float) else None


def bench_queries(build_dir: Path, plan: Plan, work: Path, examples: dict[str, dict[str, str]],
                  explain_slow: bool = False) -> dict:
    """p50 / p95 of every pack query with its example parameters on the embedded store of ``build_dir``
    (``examples``: the examples resolved on the shipped data, for those that no longer resolve); with
    ``explain_slow``, Oxigraph's plan of every query whose p50 misses the goal."""
    store = ox.Store.read_only(str(build_dir / "store"))
    engine = StoreEngine(store)
    out = {}
    slow = []
    for name, q in discover().items():
        params, bindings, n, error = query_params(q, engine, examples.get(name))
        if not bindings and error:
            out[name] = {"params": params, "error": error}
            continue
        times = time_calls(lambda q=q, params=params: run_query(q, engine, params), plan.runs)
        sel = time_calls(lambda q=q, b=bindings: engine.select(q.text, b), plan.runs)
        out[name] = {"params": params, "rows": n, "runs": len(times), "p50_ms": 1000 * percentile(times, 50),
                     "p95_ms": 1000 * percentile(times, 95), "select_p50_ms": 1000 * percentile(sel, 50)}
        if error:
            out[name]["example_error"] = error
        if out[name]["p50_ms"] >= GOAL_QUERY_MS:
            slow.append((name, q, bindings))
    engine = store = None  # close the store before anything else opens it
    if explain_slow:
        for name, q, bindings in slow:
            log(f"explaining {name}")
            out[name]["explain"] = explain(build_dir / "store", q, bindings, work)
    return out


# ---------------------------------------------------------------- rdflib


class RdflibEngine(Engine):
    """rdflib's in-memory Graph holding the union of the named graphs (its default graph)."""

    def __init__(self, graph):
        self.graph = graph

    def select(self, text, bindings):
        """Column names and rows of rdflib terms."""
        result = self.graph.query(bind_values(text, bindings), initNs=PREFIXES)
        columns = [str(v) for v in result.vars]
        return columns, [list(row) for row in result]


_RDFLIB_GRAPH = None


def _rdflib_worker(conn, text: str, bindings_nt: dict, runs: int, budget: float, warm_up: bool) -> None:
    try:
        engine = RdflibEngine(_RDFLIB_GRAPH)
        bindings = {k: _parse_term(v) for k, v in bindings_nt.items()}
        rows = []

        def call():
            rows.append(len(engine.select(text, bindings)[1]))

        times = time_calls(call, runs, budget, warm_up)
        conn.send({"times": times, "rows": rows[-1]})
    except Exception as exc:  # report, never hang the parent
        conn.send({"error": f"{type(exc).__name__}: {exc}"[:300]})


def _parse_term(nt: str):
    """An N-Triples term back into a pyoxigraph term (bindings cross a process boundary as text)."""
    q = next(iter(ox.parse(f"<urn:s> <urn:p> {nt} .".encode(), format=ox.RdfFormat.N_TRIPLES)))
    return q.object


def bench_rdflib(build_dir: Path, plan: Plan, examples: dict[str, dict[str, str]]) -> dict:
    """The same pack queries with the same bindings on rdflib (in a forked child per query, killed
    after ``plan.rdflib_timeout``) and on the embedded store; the ratio of their p50 per query."""
    global _RDFLIB_GRAPH
    import rdflib

    started = time.perf_counter()
    # graph.ttl is the union of the named graphs (what use_default_graph_as_union shows the store's queries)
    graph = rdflib.Graph()
    graph.parse(str(build_dir / "graph.ttl"), format="turtle")
    load = time.perf_counter() - started
    _RDFLIB_GRAPH = graph
    store = ox.Store.read_only(str(build_dir / "store"))
    engine = StoreEngine(store)
    ctx = mp.get_context("fork")
    out: dict = {"triples": len(graph), "load_seconds": round(load, 2), "timeout_s": plan.rdflib_timeout,
                 "queries": {}}
    for name, q in discover().items():
        params, bindings, ox_rows, error = query_params(q, engine, examples.get(name))
        if not bindings and error:
            out["queries"][name] = {"params": params, "error": error}
            continue
        ox_times = time_calls(lambda q=q, b=bindings: engine.select(q.text, b), plan.runs)
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_rdflib_worker, args=(child, q.text, {k: str(v) for k, v in bindings.items()},
                                                          plan.rdflib_runs, plan.rdflib_timeout / 2,
                                                          plan.rdflib_runs > 1))
        proc.start()
        rec: dict = {"params": params, "oxigraph_rows": ox_rows, "oxigraph_p50_ms": 1000 * percentile(ox_times, 50)}
        if parent.poll(plan.rdflib_timeout):
            res = parent.recv()
            if "error" in res:
                rec["rdflib_error"] = res["error"]
            else:
                rec.update(rdflib_rows=res["rows"], rdflib_runs=len(res["times"]),
                           rdflib_p50_ms=1000 * percentile(res["times"], 50))
                rec["ratio"] = rec["rdflib_p50_ms"] / rec["oxigraph_p50_ms"] if rec["oxigraph_p50_ms"] else None
                rec["rows_match"] = res["rows"] == ox_rows
        else:
            rec["rdflib_timeout_s"] = plan.rdflib_timeout
            rec["ratio_at_least"] = 1000 * plan.rdflib_timeout / rec["oxigraph_p50_ms"]
        proc.kill()
        proc.join()
        out["queries"][name] = rec
    ratios = [r.get("ratio") or r.get("ratio_at_least") for r in out["queries"].values()]
    ratios = [r for r in ratios if r]
    out["compared"] = len(ratios)
    out["timeouts"] = sum("rdflib_timeout_s" in r for r in out["queries"].values())
    out["errors"] = sum("rdflib_error" in r for r in out["queries"].values())
    # timeouts count with their lower bound, so this geometric mean is itself a lower bound
    out["geomean_ratio"] = math.exp(statistics.mean(math.log(r) for r in ratios)) if ratios else None
    measured = [r["ratio"] for r in out["queries"].values() if r.get("ratio")]
    out["geomean_measured_ratio"] = (math.exp(statistics.mean(math.log(r) for r in measured))
                                     if measured else None)
    out["min_ratio"] = min(ratios) if ratios else None
    out["median_ratio"] = statistics.median(ratios) if ratios else None
    out["under_goal"] = sorted(k for k, r in out["queries"].items()
                               if (r.get("ratio") or r.get("ratio_at_least") or math.inf) < GOAL_RDFLIB_RATIO)
    _RDFLIB_GRAPH = None
    engine = store = None  # close the store before anything else opens it
    return out


# ---------------------------------------------------------------- views


def view_api():
    """``(Context, overview_view, write_view)`` of ``kg.views``, or None while that package does not exist."""
    try:
        from kg.views import Context, overview_view, write_view
    except ImportError:
        return None
    return Context, overview_view, write_view


def standin_overview(build_dir: Path, top: int, html: Path):
    """Stand-in for ``kg.views`` (used only when it cannot be imported): the issuance network
    (authorities, instruments), its ``top`` nodes by degree, rendered by pyvis. Returns the subgraph."""
    from pyvis.network import Network

    import kg

    net = kg.open(build_dir).to_networkx("issuance")
    keep = sorted(net, key=lambda n: (-net.degree(n), str(n)))[:top]
    sub = net.subgraph(keep).copy()
    vis = Network(height="900px", width="100%", directed=True, cdn_resources="local")
    for n, d in sub.nodes(data=True):
        vis.add_node(n, label=str(d.get("label") or n)[-20:], title=str(d.get("type")), group=d.get("type"))
    for s, o, d in sub.edges(data=True):
        vis.add_edge(s, o, title=d.get("relation"))
    vis.write_html(str(html), open_browser=False, notebook=False)
    return sub, net.number_of_nodes()


def bench_views(build_dir: Path, plan: Plan, work: Path) -> dict:
    """The overview at each size of ``plan.view_nodes``: from a freshly opened graph to the HTML file
    (what ``kg view overview --top N`` does), timed as open + select, and write."""
    import kg

    api = view_api()
    out: dict = {"renderer": "kg.views (overview_view + write_view)" if api else
                 "stand-in: issuance network + pyvis (kg.views could not be imported)", "renders": []}
    for top in plan.view_nodes:
        html = work / f"overview-{top}.html"
        try:
            started = time.perf_counter()
            if api:
                Context, overview_view, write_view = api
                view = overview_view(Context(kg.open(build_dir)), top=top)
                sub = view.graph
                available = None
                note = next((n for n in view.notes if n.startswith("Showing")), None)
                selected = time.perf_counter()
                write_view(view, html)
            else:
                sub, available = standin_overview(build_dir, top, html)
                note = None
                selected = started
            done = time.perf_counter()
        except Exception as exc:  # a failing view is a result to report, not a reason to lose the run
            out["renders"].append({"top": top, "error": f"{type(exc).__name__}: {exc}"[:300]})
            continue
        out["renders"].append({"top": top, "nodes": sub.number_of_nodes(), "edges": sub.number_of_edges(),
                               "available_nodes": available, "note": note,
                               "select_seconds": round(selected - started, 3) if api else None,
                               "write_seconds": round(done - selected, 3) if api else None,
                               "seconds": round(done - started, 3),
                               "html_kb": round(html.stat().st_size / 1024) if html.exists() else None})
        html.unlink(missing_ok=True)
    if api:
        # where the time goes: one more overview of the first size, under cProfile
        Context, overview_view, write_view = api
        prof = cProfile.Profile()
        html = work / "overview-profile.html"
        started = time.perf_counter()
        prof.enable()
        write_view(overview_view(Context(kg.open(build_dir)), top=plan.view_nodes[0]), html)
        prof.disable()
        wall = time.perf_counter() - started
        html.unlink(missing_ok=True)
        out["profile"] = profile_summary(prof, 12, ("kg/", "networkx/", "pyvis/", "pyoxigraph"), wall=wall)
        out["profile"]["top_nodes"] = plan.view_nodes[0]
    return out


# ---------------------------------------------------------------- goals and report


def goals(res: dict) -> list[dict]:
    """The four goals of issue 8 with the measured values."""
    out = []
    big = max(res["builds"], key=lambda b: b["triples"]) if res["builds"] else None
    if big:
        out.append({"goal": "1M triples built in <= 60 s", "target": "<= 60 s at 1,000,000 triples",
                    "measured": f"{big['seconds']:.1f} s for {big['triples']:,} triples "
                                f"({big['triples_per_second']:,.0f} triples/s, peak RSS {big['peak_rss_mb']:,.0f} MB"
                                f"; SHACL {big['phases'].get('SHACL validation', 0):.0f} s of it)",
                    "met": big["triples"] >= BIG and big["seconds"] <= GOAL_BUILD_SECONDS,
                    "at_scale": big["triples"] >= BIG})
    if res["queries"]:
        label = max(res["queries"], key=lambda k: res["queries"][k]["_triples"])
        triples = res["queries"][label]["_triples"]
        qs = {k: v for k, v in res["queries"][label].items() if not k.startswith("_")}
        timed = {k: v for k, v in qs.items() if "p50_ms" in v}
        worst = max(timed.items(), key=lambda kv: kv[1]["p50_ms"])
        slow = sorted(k for k, v in timed.items() if v["p50_ms"] >= GOAL_QUERY_MS)
        failed = sorted(set(qs) - set(timed))
        out.append({"goal": "every pack query p50 < 100 ms at 1M triples",
                    "target": f"all {len(qs)} queries < 100 ms",
                    "measured": f"{len(timed) - len(slow)}/{len(qs)} under 100 ms at {label} ({triples:,} triples); "
                                f"slowest {worst[0]} {worst[1]['p50_ms']:.1f} ms"
                                + (f"; over: {', '.join(slow)}" if slow else "")
                                + (f"; failed: {', '.join(failed)}" if failed else ""),
                    "met": not slow and not failed and triples >= BIG, "at_scale": triples >= BIG})
    rd = res.get("rdflib")
    if rd and rd.get("geomean_ratio"):
        measured = rd.get("geomean_measured_ratio") or 0
        out.append({"goal": "embedded store >= 50x rdflib on the same packs",
                    "target": ">= 50x: the geometric mean of the per-query p50 ratios over the queries both "
                              "engines finish (timeouts and rdflib errors reported beside it)",
                    "measured": f"geometric mean {measured:.0f}x over the {rd['compared'] - rd['timeouts']} queries "
                                f"both finish at {rd['triples']:,} triples (>= {rd['geomean_ratio']:.0f}x counting "
                                f"rdflib's {rd['timeouts']} timeouts at their lower bound), median "
                                f"{rd['median_ratio']:.0f}x, min {rd['min_ratio']:.1f}x; {len(rd['under_goal'])} of "
                                f"{rd['compared']} queries under 50x; {rd['errors']} queries rdflib cannot run",
                    "met": measured >= GOAL_RDFLIB_RATIO, "met_per_query": not rd["under_goal"],
                    "at_scale": True})
    ing = res.get("ingest")
    if ing:
        one, two, e = ing["kg_ingest"], ing["kg_ingest_2"], ing["extract_only"]
        out.append({"goal": "ingest >= 50 newsletters/s on 2 cores", "target": ">= 50 newsletters/s (kg ingest)",
                    "measured": f"kg ingest {two['newsletters_per_second']:.1f}/s on 2 processes, "
                                f"{one['newsletters_per_second']:.1f}/s on 1 ({one['newsletters']} newsletters); "
                                f"extractor alone {e['two_processes_per_second']:.0f}/s on 2, "
                                f"{e['one_process_per_second']:.0f}/s on 1",
                    "met": two["newsletters_per_second"] >= GOAL_INGEST_PER_SECOND, "at_scale": True})
    return out


def _short_iri(value: str) -> str:
    """``…/instrument/CN/个人信息保护法`` for an IRI of the graph, the value itself otherwise."""
    if value.startswith(str(ID)):
        return "<…/" + value[len(str(ID)):] + ">"
    return value


def _fmt(value, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)


def markdown(res: dict) -> str:
    """The results as a Markdown report."""
    m = res["meta"]
    mc = m["machine"]
    v = mc["versions"]
    L = [f"# Benchmark results {m['date']} ({m['mode']})", "",
         f"Machine: {mc['cpu']}, {mc['cores']} cores, {mc['ram_gb']} GB RAM, {mc['os']}  ",
         f"Python {mc['python']}; " + ", ".join(f"{k} {val}" for k, val in v.items()) + "  ",
         f"Seed {m['seed']}; total {m['seconds']:.0f} s; run as `{m['command']}`", "",
         "## Goals", "", "| goal | measured | met |", "|---|---|---|"]
    for g in res["goals"]:
        met = "yes" if g["met"] else ("**no**" if g["at_scale"] else "not at scale (quick mode)")
        if g["met"] and g.get("met_per_query") is False:
            met = "on the geometric mean; **not for every query**"
        L.append(f"| {g['goal']} | {g['measured']} | {met} |")
    ing = res.get("ingest")
    if ing:
        k, k2, e, c = ing["kg_ingest"], ing["kg_ingest_2"], ing["extract_only"], ing["corpus"]
        L += ["", "## Ingest", "",
              f"Corpus: {c['newsletters']} generated newsletters in the four layouts, {c['items']} items, "
              f"{c['megabytes']} MB (generated in {c['generate_seconds']} s). `kg ingest` writes into a copy of "
              "the shipped `data/`.", "",
              "| measurement | newsletters | per second | notes |", "|---|---|---|---|",
              f"| `kg ingest`, 1 process | {k['newsletters']} | {k['newsletters_per_second']:.2f} | "
              f"{k['first_quarter_ms_per_file']:.0f} ms/file in the first quarter, "
              f"{k['last_quarter_ms_per_file']:.0f} ms/file in the last; {k['ok']} ok |",
              f"| `kg ingest`, 2 processes (half each, same data folder) | {k2['newsletters']} | "
              f"{k2['newsletters_per_second']:.2f} | {k2['ok']} ok |"]
        if ing.get("grown"):
            gr = ing["grown"]
            L.append(f"| `kg ingest` into a data folder of {gr['documents_before']} documents | {gr['newsletters']} | "
                     f"{gr['newsletters_per_second']:.2f} | {gr['first_quarter_ms_per_file']:.0f} ms/file |")
        L += [f"| extractor alone, 1 process | {e['newsletters']} | {e['one_process_per_second']:.1f} | "
              "read + clean + segment + extract + assemble, no data-folder check |",
              f"| extractor alone, 2 processes | {e['newsletters']} | {e['two_processes_per_second']:.1f} | |"]
        r = ing["recall"]
        L += ["", f"Facts `kg ingest` found against the facts the generator planted ({r['documents']} newsletters):",
              "", "| facts | planted | extracted | matched | recall | precision |", "|---|---|---|---|---|---|"]
        for kind in ("instruments", "relations", "actions", "fines", "cases"):
            x = r[kind]
            L.append(f"| {kind} | {x['planted']} | {x['extracted']} | {x['matched']} | {_fmt(x['recall'], '.0%')} | "
                     f"{_fmt(x['precision'], '.0%')} |")
        p = ing["profile"]
        L += ["", f"cProfile of `kg ingest` of {p['newsletters']} newsletters ({p['total_s']} s under the profiler), "
              "cumulative time of project and YAML functions:", "",
              "| function | calls | cumulative s | share |", "|---|---|---|---|"]
        for row in p["top"]:
            L.append(f"| `{row['function']}` | {row['calls']} | {row['cumulative_s']} | {row['share']:.0%} |")
        L += ["", "Functions with the most time of their own:", "", "| function | calls | own s | share |",
              "|---|---|---|---|"]
        for row in p["top_own"]:
            L.append(f"| `{row['function']}` | {row['calls']} | {row['own_s']} | {row['own_share']:.0%} |")
    L += ["", "## Build", "",
          "`kg build` (kg.build.build, SHACL validation on) in a child process; peak RSS is that process's; "
          "GC is the time Python's cyclic garbage collector took during the build (within the phases).", "",
          "| graph | source | documents | triples | seconds | triples/s | peak RSS MB | phases (s) | of which GC (s) |",
          "|---|---|---|---|---|---|---|---|---|"]
    for b in res["builds"]:
        ph = ", ".join(f"{k} {val:.1f}" for k, val in b["phases"].items())
        L.append(f"| {b['label']} | {b['source']} | {b['documents']} | {b['triples']:,} | {b['seconds']:.1f} | "
                 f"{b['triples_per_second']:,.0f} | {b['peak_rss_mb']:,.0f} | {ph} | {_fmt(b.get('gc_seconds'))} |")
    if res["queries"]:
        labels = list(res["queries"])
        L += ["", "## Pack queries on the embedded store", "",
              "p50 / p95 of `kg.packs.run` (parameter resolution + query + rows) with the parameters of each "
              "query's `# example:` line, milliseconds; 'query only' is the SPARQL alone with the parameters "
              "already resolved (the difference is the label lookup of `kg.packs.resolve_entity`). "
              + "; ".join(f"{lb}: {res['queries'][lb]['_triples']:,} triples" for lb in labels), "",
              "| query | example params | "
              + " | ".join(f"{lb} rows | {lb} p50 | {lb} p95 | {lb} query only p50" for lb in labels)
              + " |", "|---|---|" + "---|---|---|---|" * len(labels)]
        names = [k for k in res["queries"][labels[-1]] if not k.startswith("_")]
        examples_failed: list[str] = []
        for name in names:
            first = res["queries"][labels[-1]][name]
            params = ", ".join(f"{k}={_short_iri(val)}" for k, val in first["params"].items()) or "-"
            if any("example_error" in res["queries"][lb].get(name, {}) for lb in labels):
                params += " ¹"
                examples_failed.append(f"{name}: {first.get('example_error') or 'see the JSON'}")
            cells = []
            for lb in labels:
                r = res["queries"][lb].get(name)
                if r and "p50_ms" in r:
                    flag = "**" if r["p50_ms"] >= GOAL_QUERY_MS else ""
                    cells.append(f"{r['rows']} | {flag}{r['p50_ms']:.1f}{flag} | {r['p95_ms']:.1f} | "
                                 f"{r['select_p50_ms']:.1f}")
                else:
                    cells.append(f"error: {r.get('error') if r else '-'} | - | - | -")
            L.append(f"| {name} | {params} | " + " | ".join(cells) + " |")
        if examples_failed:
            L += ["", "¹ The example's value does not resolve in the grown graph; the query ran with the IRI the "
                  "example names in the shipped data:", ""] + [f"- {x}" for x in examples_failed]
        explained = [(lb, name, r["explain"]) for lb in labels for name, r in res["queries"][lb].items()
                     if not name.startswith("_") and r.get("explain")]
        if explained:
            L += ["", "Queries over 100 ms: the rows Oxigraph's plan reads from the indexes (the leaves of "
                  "`oxigraph query --explain --stats`) and the largest reads; the whole plans are in the JSON.", "",
                  "| scale | query | rows | rows read | largest reads |", "|---|---|---|---|---|"]
            for lb, name, ex in explained:
                ops = "; ".join(f"`{o['name'][12:-1] if o['name'].startswith('QuadPattern(') else o['name']}` "
                                f"{o['rows']:,}" for o in (ex.get("largest_reads") or [])[:3])
                L.append(f"| {lb} | {name} | {res['queries'][lb][name]['rows']:,} | "
                         f"{_fmt(ex.get('rows_read'), ',')} | {ops or ex.get('error', '')} |")
    rd = res.get("rdflib")
    if rd:
        L += ["", f"## rdflib comparison ({rd['triples']:,} triples, same bindings, select only)", "",
              f"rdflib Graph loaded from graph.ttl in {rd['load_seconds']} s; each query on rdflib runs in a child "
              f"process killed after {rd['timeout_s']:.0f} s. Ratio = rdflib p50 / oxigraph p50 on the same graph. "
              f"Geometric mean {_fmt(rd['geomean_ratio'], '.0f')}x, median {_fmt(rd['median_ratio'], '.0f')}x, "
              f"min {_fmt(rd['min_ratio'])}x; {rd['timeouts']} timeouts, {rd['errors']} errors.", "",
              "| query | oxigraph p50 ms | rdflib p50 ms | rdflib / oxigraph | rows equal |", "|---|---|---|---|---|"]
        for name, r in rd["queries"].items():
            if "error" in r:
                L.append(f"| {name} | error: {r['error']} | - | - | - |")
            elif "rdflib_p50_ms" in r:
                same = "yes" if r["rows_match"] else f"no ({r['rdflib_rows']} vs {r['oxigraph_rows']})"
                L.append(f"| {name} | {r['oxigraph_p50_ms']:.2f} | {r['rdflib_p50_ms']:.1f} | {r['ratio']:.0f}x | "
                         f"{same} |")
            elif "rdflib_timeout_s" in r:
                L.append(f"| {name} | {r['oxigraph_p50_ms']:.2f} | > {1000 * r['rdflib_timeout_s']:.0f} (timeout) | "
                         f">= {r['ratio_at_least']:.0f}x | - |")
            else:
                L.append(f"| {name} | {r['oxigraph_p50_ms']:.2f} | error: {r.get('rdflib_error')} | - | - |")
    vw = res.get("views")
    if vw:
        L += ["", f"## View generation ({vw['graph']})", "", f"Renderer: **{vw['renderer']}**.", "",
              "| top | nodes | edges | open + select s | write s | total s | HTML KB | note |",
              "|---|---|---|---|---|---|---|---|"]
        for r in vw["renders"]:
            if "error" in r:
                L.append(f"| {r['top']:,} | error: {r['error']} | | | | | | |")
                continue
            L.append(f"| {r['top']:,} | {r['nodes']:,} | {r['edges']:,} | {_fmt(r['select_seconds'], '.2f')} | "
                     f"{_fmt(r['write_seconds'], '.2f')} | {r['seconds']:.2f} | {r['html_kb']} | {r['note'] or ''} |")
        if vw.get("profile"):
            pr = vw["profile"]
            L += ["", f"cProfile of one more overview (top {pr['top_nodes']:,}; {pr['total_s']} s under the "
                  "profiler), cumulative time (share of that time; a generator's time counts once per resumption):",
                  "", "| function | calls | cumulative s | share |", "|---|---|---|---|"]
            for row in pr["top"]:
                L.append(f"| `{row['function']}` | {row['calls']} | {row['cumulative_s']} | {row['share']:.0%} |")
    if res.get("notes"):
        L += ["", "## Notes", ""] + [f"- {n}" for n in res["notes"]]
    return "\n".join(L) + "\n"


# ---------------------------------------------------------------- main


def calibrate(work: Path, seed: int, n_cal: int) -> tuple[Sizer, dict[str, dict[str, str]]]:
    """The size of the shipped data alone and of ``n_cal`` generated documents on top (a
    :class:`Sizer`), and the query examples resolved on the shipped data (:func:`resolve_examples`)."""
    sizer = Sizer(run_build(base_data(work / "data-base"), work / "build-base")["triples"])
    examples = resolve_examples(work / "build-base")
    data = base_data(work / "data-calibration")
    synth.generate(work / "unused-cal", n_cal, seed, texts=False, facts_dir=data / "documents",
                   data_dir=source_data())
    sizer.add(n_cal, run_build(data, work / "build-cal")["triples"])
    for d in ("data-base", "build-base", "data-calibration", "build-cal", "unused-cal"):
        shutil.rmtree(work / d, ignore_errors=True)
    return sizer, examples


def run(plan: Plan, seed: int, work: Path, scales: dict[str, int] | None = None, command: str = "",
        data: Path | None = None) -> dict:
    """Every measurement of ``plan``; the results dict (see :func:`write`). ``data``: the data folder
    every graph starts from (default: the shipped ``data/``)."""
    global SOURCE_DATA
    t0 = time.perf_counter()
    scales = scales or plan.scales
    SOURCE_DATA = Path(data) if data else None
    res: dict = {"meta": {"date": dt.date.today().isoformat(), "mode": plan.name, "seed": seed,
                          "command": command or f"python -m benchmarks{' --quick' if plan.name == 'quick' else ''}",
                          "machine": machine(), "scales": scales, "plan": plan.__dict__,
                          "data": str(source_data())},
                 "builds": [], "queries": {}, "notes": []}
    phases: dict[str, float] = res["meta"].setdefault("phase_seconds", {})
    clock = [time.perf_counter()]

    def done(name: str) -> None:
        """Record the seconds since the last phase ended, and save what is measured so far."""
        now = time.perf_counter()
        phases[name] = round(now - clock[0], 1)
        clock[0] = now
        (work / "partial.json").write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str),
                                           encoding="utf-8")

    res["ingest"] = bench_ingest(work, plan, seed)
    done("ingest")
    log("build: the ingested newsletters")
    ingested = Path(res["ingest"].pop("ingested_data_dir"))
    b = run_build(ingested, work / "build-ingested")
    res["builds"].append({"label": f"shipped data + {res['ingest']['kg_ingest']['newsletters']} ingested newsletters",
                          "source": "kg ingest", **b})
    shutil.rmtree(work / "build-ingested", ignore_errors=True)
    shutil.rmtree(ingested, ignore_errors=True)
    done("build of the ingested newsletters")
    sizer, examples = calibrate(work, seed, plan.calibration_documents)
    res["meta"]["calibration"] = {"shipped_data_triples": sizer.base, "builds": sizer.points}
    log(f"calibration: shipped data {sizer.base:,} triples; {sizer.points[-1][1]:,} more with "
        f"{sizer.points[-1][0]} generated documents")
    done("calibration")
    # rdflib comparison graph (shared with a scale of the same target)
    log(f"rdflib: a graph of about {plan.rdflib_triples:,} triples")
    data, n_docs = generated_data(work, "rdflib", plan.rdflib_triples, seed, sizer)
    bdir = work / "build-rdflib"
    b = run_build(data, bdir)
    sizer.add(n_docs, b["triples"])
    res["builds"].append({"label": f"~{plan.rdflib_triples // 1000}k (rdflib comparison)", "source": "generated", **b})
    res["rdflib"] = bench_rdflib(bdir, plan, examples)
    done("rdflib comparison")
    shared = next((lb for lb, t in scales.items() if t == plan.rdflib_triples), None)
    if not shared:
        shutil.rmtree(bdir, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
    for label, target in scales.items():
        if label == shared:
            log(f"scale {label}: the rdflib graph")
            b = res["builds"][-1]
        else:
            log(f"scale {label}: generating fact files for about {target:,} triples")
            data, n_docs = generated_data(work, label, target, seed, sizer)
            done(f"{label}: generating")
            bdir = work / f"build-{label}"
            log(f"scale {label}: kg build of {n_docs} generated documents")
            b = run_build(data, bdir)
            sizer.add(n_docs, b["triples"])
            res["builds"].append({"label": label, "source": "generated", **b})
            done(f"{label}: build")
        log(f"scale {label}: {b['triples']:,} triples in {b['seconds']:.1f} s; timing the pack queries")
        res["queries"][label] = {"_triples": b["triples"], **bench_queries(bdir, plan, work, examples,
                                                                           explain_slow=plan.name == "full")}
        done(f"{label}: queries")
        if label == next(iter(scales)) and plan.grown_ingest:
            log(f"ingest: {plan.grown_ingest} newsletters into the data folder of scale {label}")
            extra = synth.generate(work / "grown", plan.grown_ingest, seed + 1, data_dir=source_data())
            res["ingest"]["grown"] = bench_grown_ingest(extra.texts, data)
            shutil.rmtree(work / "grown", ignore_errors=True)
            done(f"{label}: ingest into its data folder")
        if label == list(scales)[-1]:
            log("views")
            res["views"] = {"graph": f"{label}, {b['triples']:,} triples", **bench_views(bdir, plan, work)}
            done(f"{label}: views")
        shutil.rmtree(bdir, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)
    res["meta"]["calibration"]["builds"] = sizer.points
    res["goals"] = goals(res)
    res["meta"]["seconds"] = time.perf_counter() - t0
    if res["views"]["renderer"].startswith("stand-in"):
        res["notes"].append("kg.views could not be imported when this ran: the view timings are for a stand-in "
                            "(benchmarks.bench.standin_overview: the issuance network cut to its best-connected "
                            "nodes, rendered with pyvis), not for the project's overview.")
    res["notes"].append("Graphs are the shipped data/ plus generated documents. The ingest rows and the "
                        "'kg ingest' build use the real `kg ingest` on generated newsletters; the scales use "
                        "generated fact files (benchmarks.synth.fact_file: the facts the generator planted in each "
                        "newsletter, written directly), since ingesting newsletters one by one cannot reach 1M "
                        "triples in reasonable time (see the ingest section).")
    return res


def write(res: dict, out_dir: Path) -> tuple[Path, Path]:
    """``<out>/<date>-<plan>.json`` and ``<out>/<date>-<plan>.md``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{res['meta']['date']}-{res['meta']['mode']}"
    j, m = out_dir / f"{stem}.json", out_dir / f"{stem}.md"
    j.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    m.write_text(markdown(res), encoding="utf-8")
    return j, m


def rewrite_report(path: Path) -> int:
    """Recompute the goals and the Markdown of a results JSON (its measurements are left as they are)."""
    try:
        res = json.loads(path.read_text(encoding="utf-8"))
        res["goals"] = goals(res)
    except (OSError, ValueError, KeyError) as exc:
        print(f"error: {path}: not a results file of python -m benchmarks ({exc})", file=sys.stderr)
        return 1
    path.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    path.with_suffix(".md").write_text(markdown(res), encoding="utf-8")
    print(f"written: {path} {path.with_suffix('.md')}", file=sys.stderr)
    return 0


def parse_scales(text: str) -> dict[str, int]:
    """``100k,1M`` -> {"100k": 100000, "1M": 1000000}; a clear error for anything else."""
    out = {}
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        mult = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(part[-1], 1)
        try:
            out[part] = int(float(part.rstrip("kKmM")) * mult)
        except ValueError:
            raise ValueError(f"--scales: {part!r} is not a size such as 100k or 1M") from None
    if not out:
        raise ValueError("--scales: give at least one size, such as 100k,1M")
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks [--quick] [--scales 100k,1M] [--out DIR] [--work DIR] [--seed N]``."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m benchmarks", description="Benchmarks at scale (issue 8).")
    ap.add_argument("--quick", action="store_true", help="small scale, under a minute (what the test runs)")
    ap.add_argument("--scales", help="graph sizes for the query timings, e.g. 100k,1M (default: 100k,1M; quick: 20k)")
    ap.add_argument("--out", default=str(REPO / "benchmarks" / "results"), help="where the results go")
    ap.add_argument("--work", help="scratch folder for corpora and builds (default: a temporary folder, removed)")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--data", help="the data folder every graph starts from (default: the shipped data/)")
    ap.add_argument("--report", metavar="JSON", help="only rewrite the goals and the Markdown of a results file")
    args = ap.parse_args(argv)
    if args.report:
        return rewrite_report(Path(args.report))
    if args.data and not (Path(args.data) / "authorities.yaml").is_file():
        ap.error(f"--data {args.data}: not a data folder (no authorities.yaml in it)")
    plan = QUICK if args.quick else FULL
    try:
        scales = parse_scales(args.scales) if args.scales else None
    except ValueError as exc:
        ap.error(str(exc))
    tmp = None
    if args.work:
        work = Path(args.work)
        work.mkdir(parents=True, exist_ok=True)
    else:
        tmp = tempfile.mkdtemp(prefix="kg-bench-")
        work = Path(tmp)
    command = "python -m benchmarks " + " ".join(argv if argv is not None else sys.argv[1:])
    try:
        res = run(plan, args.seed, work, scales, command.strip(), Path(args.data) if args.data else None)
        j, m = write(res, Path(args.out))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print(m.read_text(encoding="utf-8"))
    print(f"written: {j} {m}", file=sys.stderr)
    return 0
