"""Measuring ingest, build and view rendering on generated data (:mod:`benchmarks.bench` runs them)."""

from __future__ import annotations

import cProfile
import io
import itertools
import json
import math
import multiprocessing as mp
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from decimal import Decimal, InvalidOperation
from pathlib import Path

from kg import paths

from . import synth
from .plan import REPO, Plan, log

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


def run_build(data_dir: Path, build_dir: Path, validate: bool = True, again: bool = False) -> dict:
    """``kg build`` in a child process (phases, seconds, triples, peak RSS of the child): from
    scratch (no previous build, an empty kg cache folder of its own) unless ``again``, which
    rebuilds over the build in ``build_dir`` with what that build left in the cache."""
    cache = build_dir.with_name(build_dir.name + "-kg-cache")
    if not again:
        shutil.rmtree(build_dir, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
    cmd = [sys.executable, "-m", "benchmarks._child", "build", str(data_dir), str(build_dir)]
    if not validate:
        cmd.append("--no-validate")
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
                            env={**os.environ, "KG_CACHE_DIR": str(cache)})
    peak: list[int | None] = [0]
    sampler = threading.Thread(target=_sample_pss, args=(proc, peak), daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    sampler.join()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"build of {data_dir} failed:\n{stderr[-3000:]}")
    out = json.loads(stdout.strip().splitlines()[-1])
    out["wall_seconds"] = round(wall, 3)
    out["peak_pss_all_mb"] = None if peak[0] is None else round(peak[0] / 1024, 1)
    out["triples_per_second"] = out["triples"] / out["seconds"] if out["seconds"] else None
    return out


def _sample_pss(proc: subprocess.Popen, peak: list[int | None], every: float = 0.25) -> None:
    """The largest sum of the proportional set sizes (kB) of ``proc`` and the processes it forked,
    sampled every ``every`` seconds until it ends, into ``peak[0]`` (None without Linux's /proc):
    the memory the build's processes take at once, shared pages counted once. A read of a process
    of 1.5 GB takes the kernel about 9 ms: four samples a second take some 4% of a core for each
    such process (a rebuild that draws its views aside has two)."""
    if not Path("/proc/self/smaps_rollup").exists():
        peak[0] = None
        return
    while proc.poll() is None:
        peak[0] = max(peak[0] or 0, _tree_pss(proc.pid))
        time.sleep(every)


def _tree_pss(pid: int) -> int:
    """The PSS (kB) of ``pid`` and its descendants (a process that ends meanwhile counts 0)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup", encoding="ascii") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("Pss:")), 0)
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children", encoding="ascii") as fh:
                    todo += [int(c) for c in fh.read().split()]
        except OSError:  # ended (or ending: a zombie's files cannot be read)
            continue
    return total


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


def timed_ingest(files: list[Path], data: Path, jobs: int = 1) -> dict:
    """``kg ingest`` (the function behind the command) of ``files`` into ``data`` on ``jobs`` processes."""
    from kg.ingest.run import ingest

    stamps: list[float] = []

    def progress(it):
        for f in it:
            stamps.append(time.perf_counter())
            yield f

    started = time.perf_counter()
    results = ingest(files, data, progress=progress, jobs=jobs)
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
    # 2. kg ingest on two processes (kg ingest --jobs 2), into one fresh copy
    log(f"ingest: kg ingest of {len(sample)} newsletters, 2 processes")
    data2 = base_data(work / "ingest-data-2")
    out["kg_ingest_2"] = timed_ingest(sample, data2, jobs=2)
    shutil.rmtree(data2, ignore_errors=True)
    ctx = mp.get_context("fork")
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
    ingest(files[: plan.profile_issues], pdata, jobs=1)
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
        if n1 < 1.5 * n0 or t1 <= t0:  # builds of about one size say nothing of the growth
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


