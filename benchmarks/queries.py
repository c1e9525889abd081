"""Measuring every pack query on the embedded store, and rdflib on the same queries for comparison."""

from __future__ import annotations

import json
import math
import multiprocessing as mp
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kg.errors import QueryError
from kg.model.terms import PREFIXES
from kg.query.engines import Engine, StoreEngine, bind_values
from kg.query.execute import run as run_query
from kg.query.packs import Query, discover, page_text
from kg.query.params import bind_params

from .plan import GOAL_QUERY_MS, GOAL_RDFLIB_RATIO, Plan, log

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
    text = bind_values(page_text(q, 1, extra=1), bindings)  # a paged query: its first page
    return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()) + text


def explain(store_dir: Path, q: Query, bindings: dict, work: Path) -> dict:
    """Oxigraph's own evaluation plan with statistics (``oxigraph query --explain --stats``), summarised:
    the operators that produced the most rows or took the most time."""
    qfile = work / "explain.rq"
    qfile.write_text(full_text(q, bindings), encoding="utf-8")
    efile = work / "explain.json"
    efile.unlink(missing_ok=True)
    # the `oxigraph` command beside this Python (an unactivated virtualenv is not on PATH)
    binary = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    cmd = [binary, "query", "--location", str(store_dir), "--query-file", str(qfile), "--union-default-graph",
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
        # a paged query (``# page: N``) is timed on its first page, as `kg query` runs it
        times = time_calls(lambda q=q, params=params: run_query(q, engine, params), plan.runs)
        text = page_text(q, 1, extra=1)
        sel = time_calls(lambda text=text, b=bindings: engine.select(text, b), plan.runs)
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
        # both engines run the same text: of a paged query, its first page (with the runner's extra row)
        text = page_text(q, 1, extra=1)
        if text != q.text:
            ox_rows = len(engine.select(text, bindings)[1])
        ox_times = time_calls(lambda text=text, b=bindings: engine.select(text, b), plan.runs)
        parent, child = ctx.Pipe()
        proc = ctx.Process(target=_rdflib_worker, args=(child, text, {k: str(v) for k, v in bindings.items()},
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


