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

import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from kg.paths import is_data_dir

from . import synth
from .measure import Sizer, base_data, bench_grown_ingest, bench_ingest, generated_data, run_build, source_data
from .plan import FULL, QUICK, REPO, Plan, log, machine, speed_probe
from .queries import bench_queries, bench_rdflib, resolve_examples
from .report import goals, markdown
from .views import bench_views

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
    res["meta"]["speed_probe"] = {"start": speed_probe()}
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
            built = res["builds"][-1]
        else:
            data, bdir, built = _grown_graph(res, label, target, work, seed, sizer, done)
        _measure_scale(res, label, built, data, bdir, plan, work, seed, examples, last=label == list(scales)[-1],
                       first=label == next(iter(scales)), done=done)
    res["meta"]["calibration"]["builds"] = sizer.points
    res["goals"] = goals(res)
    res["meta"]["speed_probe"]["end"] = speed_probe()
    res["meta"]["seconds"] = time.perf_counter() - t0
    if res["views"]["renderer"].startswith("stand-in"):
        res["notes"].append("kg.views could not be imported when this ran: the view timings are for a stand-in "
                            "(benchmarks.bench.standin_overview: the issuance network cut to its best-connected "
                            "nodes, rendered with pyvis), not for the project's overview.")
    res["notes"].append("Every build from scratch starts without a previous build and with an empty kg cache "
                        "folder of its own ($KG_CACHE_DIR); the build again after one change runs over the build "
                        "it replaces with what that build left in the cache, as a user's next `kg build` does. "
                        "kg ingest's cache is this run's alone (empty at its start).")
    res["notes"].append("Graphs are the shipped data/ plus generated documents. The ingest rows and the "
                        "'kg ingest' build use the real `kg ingest` on generated newsletters; the scales use "
                        "generated fact files (benchmarks.synth.fact_file: the facts the generator planted in each "
                        "newsletter, written directly), since ingesting newsletters one by one cannot reach 1M "
                        "triples in reasonable time (see the ingest section).")
    return res


# a scale's graph is generated again, with the fit corrected, when it falls short of this share of its
# size: the goals are stated for 1M triples, and a first fit extrapolated from small graphs gave 927k
CLOSE_ENOUGH = 0.97


def _grown_graph(res: dict, label: str, target: int, work: Path, seed: int, sizer: Sizer, done) -> tuple:
    """Generated fact files for about ``target`` triples, built; the data folder, build folder and build."""
    bdir = work / f"build-{label}"
    for attempt in range(2):
        log(f"scale {label}: generating fact files for about {target:,} triples")
        data, n_docs = generated_data(work, label, target, seed, sizer)
        done(f"{label}: generating")
        log(f"scale {label}: kg build of {n_docs} generated documents")
        built = run_build(data, bdir)
        sizer.add(n_docs, built["triples"])
        if built["triples"] >= CLOSE_ENOUGH * target or attempt:
            break
        # the size fit extrapolated too far: again, with this build as its nearest point
        res["notes"].append(f"scale {label}: {n_docs} generated documents made {built['triples']:,} triples, "
                            f"under {CLOSE_ENOUGH:.0%} of {target:,}; generated and built again with the fit corrected")
    res["builds"].append({"label": label, "source": "generated", **built})
    done(f"{label}: build")
    log(f"scale {label}: kg build again after changing one document")
    built["rebuild_one_changed"] = res["builds"][-1]["rebuild_one_changed"] = run_build(change_one_document(data),
                                                                                          bdir, again=True)
    done(f"{label}: rebuild after one change")
    return data, bdir, built


def change_one_document(data: Path) -> Path:
    """``data`` with the title of its last generated document changed (what a curation edit does)."""
    path = sorted((data / "documents").glob("syn*.yaml"))[-1]
    text = path.read_text(encoding="utf-8")
    head, sep, rest = text.partition("\n  title: ")
    path.write_text(head + sep + "（修订）" + rest, encoding="utf-8")
    return data


def _measure_scale(res: dict, label: str, built: dict, data: Path, bdir: Path, plan: Plan, work: Path, seed: int,
                   examples: dict, *, first: bool, last: bool, done) -> None:
    """The pack queries on one scale's graph; ingest into its data folder (the first scale) and the
    views (the last); its folders are removed afterwards."""
    log(f"scale {label}: {built['triples']:,} triples in {built['seconds']:.1f} s; timing the pack queries")
    res["queries"][label] = {"_triples": built["triples"], **bench_queries(bdir, plan, work, examples,
                                                                           explain_slow=plan.name == "full")}
    done(f"{label}: queries")
    if first and plan.grown_ingest:
        log(f"ingest: {plan.grown_ingest} newsletters into the data folder of scale {label}")
        extra = synth.generate(work / "grown", plan.grown_ingest, seed + 1, data_dir=source_data())
        res["ingest"]["grown"] = bench_grown_ingest(extra.texts, data)
        shutil.rmtree(work / "grown", ignore_errors=True)
        done(f"{label}: ingest into its data folder")
    if last:
        log("views")
        res["views"] = {"graph": f"{label}, {built['triples']:,} triples", **bench_views(bdir, plan, work)}
        done(f"{label}: views")
    shutil.rmtree(bdir, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)


def write(res: dict, out_dir: Path) -> tuple[Path, Path]:
    """``<out>/<date>-<plan>.json`` and ``<out>/<date>-<plan>.md`` (``<date>-<plan>-2`` and so on for a
    later run of the same day: an earlier run's results are never written over)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = f"{res['meta']['date']}-{res['meta']['mode']}"
    n = 1
    while (out_dir / f"{stem}.json").exists() or (out_dir / f"{stem}.md").exists():
        n += 1
        stem = f"{res['meta']['date']}-{res['meta']['mode']}-{n}"
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
    if args.data and not is_data_dir(Path(args.data)):
        ap.error(f"--data {args.data}: not a data folder (no authority registry in it)")
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
    # kg's caches of this run only (kg ingest's start-up, the parsed fact files): none from earlier runs
    shutil.rmtree(work / "kg-cache", ignore_errors=True)
    before = os.environ.get("KG_CACHE_DIR")
    os.environ["KG_CACHE_DIR"] = str(work / "kg-cache")
    try:
        res = run(plan, args.seed, work, scales, command.strip(), Path(args.data) if args.data else None)
        j, m = write(res, Path(args.out))
    finally:
        if before is None:
            os.environ.pop("KG_CACHE_DIR", None)
        else:
            os.environ["KG_CACHE_DIR"] = before
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print(m.read_text(encoding="utf-8"))
    print(f"written: {j} {m}", file=sys.stderr)
    return 0
