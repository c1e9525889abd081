"""The benchmarks (benchmarks/): the seeded corpus generator and the quick mode of the runner.

No timing is asserted here: speed is measured by ``python -m benchmarks`` and written to
benchmarks/results/. These tests keep the benchmark code from rotting: the generator is
deterministic, its newsletters go through the real ``kg ingest`` and come out with the facts
it planted, and a quick run writes every section of the results with numbers.
"""

from __future__ import annotations

import json
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks import bench, report, synth
from kg.cli.main import main as kg_main
from kg.facts.registry import copy_registries
from kg.facts.yamlio import load_yaml
from kg.model.ids import instrument_key

REPO = Path(__file__).resolve().parent.parent


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_same_corpus_and_facts(tmp_path):
    a = synth.generate(tmp_path / "a", 6, seed=3, facts_dir=tmp_path / "fa")
    b = synth.generate(tmp_path / "b", 6, seed=3, facts_dir=tmp_path / "fb")
    assert a.issues == b.issues == 6 and len(a.texts) == 6
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert _files(tmp_path / "fa") == _files(tmp_path / "fb")


def test_different_seeds_differ(tmp_path):
    synth.generate(tmp_path / "a", 6, seed=3)
    synth.generate(tmp_path / "b", 6, seed=4)
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert set(a) != set(b)  # document ids hash the seed
    assert sorted(a.values()) != sorted(b.values())


def test_corpus_uses_every_layout_and_kind_of_item(tmp_path):
    issues = list(synth.issues(5, 25))
    assert {i.layout for i in issues} == {"digest", "frontier", "bulletin", "report"}
    kinds = Counter(item.kind for i in issues for item, *_ in i.spans)
    assert {"policy", "standard", "enforcement", "case", "event"} <= set(kinds)
    # Zipf-like: some authorities recur in most issues, many appear once
    actors = Counter(a for i in issues for item, *_ in i.spans for act in item.actions for a in act["authorities"])
    assert actors.most_common(1)[0][1] >= 5 and min(actors.values()) == 1


def test_no_real_newsletter_text_is_copied():
    """Standards are in an unassigned range and URLs on reserved example domains."""
    numbers = 0
    for issue in synth.issues(2, 10):
        for item, *_ in issue.spans:
            assert item.url is None or ".example" in item.url.split("/")[2]
            for rec in item.instruments:
                if rec.get("number", "").startswith("GB/T"):
                    numbers += 1
                    assert 60000 <= int(rec["number"].split()[1].split("-")[0]) < 70000
    assert numbers > 0


def _planted(issue) -> dict[str, Counter]:
    facts = synth.fact_file(issue)
    return {
        "instruments": Counter({instrument_key(r) for r in facts.get("instruments", [])}),
        "fines": Counter((Decimal(str(a["penalty"]["amount"])), a["penalty"]["currency"])
                         for a in facts.get("actions", []) if a.get("penalty")),
        "actions": Counter(a["date"] for a in facts.get("actions", [])),
        "cases": Counter((c["date"], c["court"]) for c in facts.get("cases", [])),
    }


def _found(path: Path) -> dict[str, Counter]:
    facts = load_yaml(path)
    return {
        "instruments": Counter({r["key"] for r in facts.get("instruments", [])}),
        "fines": Counter((Decimal(str(a["penalty"]["amount"])), a["penalty"]["currency"])
                         for a in facts.get("actions", []) if a.get("penalty")),
        "actions": Counter(str(a["date"]) for a in facts.get("actions", [])),
        "cases": Counter((str(c["date"]), c["court"]) for c in facts.get("cases", [])),
    }


def test_kg_ingest_finds_the_planted_facts(tmp_path):
    """One generated newsletter per layout through `kg ingest`: most planted facts come back."""
    data = tmp_path / "data"  # the registries only: the facts come from the newsletters alone
    (data / "documents").mkdir(parents=True)
    copy_registries(REPO / "data", data)
    by_layout = {}
    for i in synth.issues(11, 25):
        by_layout.setdefault(i.layout, i)
    assert set(by_layout) == {"digest", "frontier", "bulletin", "report"}
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in by_layout.values():
        (corpus / f"{i.doc_id}.txt").write_text(synth.text(i), encoding="utf-8")
    result = CliRunner().invoke(kg_main, ["ingest", str(corpus), "--data", str(data)])
    assert result.exit_code == 0, result.output
    totals = {k: Counter() for k in ("instruments", "fines", "actions", "cases")}
    for layout, i in by_layout.items():
        got = data / "documents" / f"{i.doc_id}.yaml"
        assert load_yaml(got)["items"], layout
        if layout == "report":
            # the year report numbers its items across the month headings (1-3 in 1 月, 4 … in 2 月), as
            # the corpus's report does; the extractor keeps only the first month's items of it (see
            # benchmarks/README.md), so it is left out of the counts
            continue
        want, found = _planted(i), _found(got)
        for k in totals:
            totals[k]["planted"] += sum(want[k].values())
            totals[k]["matched"] += sum((want[k] & found[k]).values())
    assert totals["instruments"]["planted"] >= 20 and totals["fines"]["planted"] >= 5
    for kind, share in (("instruments", 0.8), ("fines", 0.9), ("actions", 0.8), ("cases", 0.75)):
        assert totals[kind]["matched"] >= share * totals[kind]["planted"], (kind, totals[kind])


def test_generated_fact_files_build(tmp_path):
    data = bench.base_data(tmp_path / "data")
    synth.generate(tmp_path / "texts", 3, seed=2, texts=False, facts_dir=data / "documents")
    out = bench.run_build(data, tmp_path / "build")
    assert out["documents"] == len(list((data / "documents").glob("*.yaml")))
    assert out["triples"] > 0 and out["peak_rss_mb"] > 0
    assert "waiting for the views drawn aside" not in out["alongside"] and out["peak_rss_forked_mb"] == 0  # 3 files
    # again after one change: the views are drawn in a forked process, which the build waits for
    again = bench.run_build(bench.change_one_document(data), tmp_path / "build", again=True)
    assert set(again["alongside"]) == {"SHACL validation", "store", "Turtle", "waiting for the views drawn aside"}
    assert again["peak_rss_forked_mb"] > 0
    assert abs(sum(again["phases"].values()) - again["seconds"]) < 0.01 * again["seconds"] + 0.01
    md = "\n".join(report._md_build({"builds": [{"label": "small", "source": "generated", **out,
                                                 "rebuild_one_changed": again}]}))
    assert "| small, again after one change | generated |" in md and "(largest forked process " in md
    # the memory of all its processes at once, where /proc tells it (sampled: at least the build's own)
    if Path("/proc/self/smaps_rollup").exists():
        assert again["peak_pss_all_mb"] > 0 and "all its processes at once (PSS) " in md


def test_parse_scales():
    assert bench.parse_scales("100k,1M") == {"100k": 100_000, "1M": 1_000_000}
    with pytest.raises(ValueError, match="not a size"):
        bench.parse_scales("big")


@pytest.fixture(scope="module")
def quick(tmp_path_factory):
    """One quick run (the mode the issue asks to keep under a minute), written to a temporary folder."""
    out = tmp_path_factory.mktemp("results")
    work = tmp_path_factory.mktemp("work")
    assert bench.main(["--quick", "--out", str(out), "--work", str(work)]) == 0
    jsons = list(out.glob("*-quick.json"))
    mds = list(out.glob("*-quick.md"))
    assert len(jsons) == 1 and len(mds) == 1
    return json.loads(jsons[0].read_text(encoding="utf-8")), mds[0].read_text(encoding="utf-8")


def _number(x) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and x == x


def test_quick_results_have_every_section(quick):
    res, _md = quick
    meta = res["meta"]
    assert meta["mode"] == "quick" and meta["seed"] == 8
    for key in ("cpu", "cores", "ram_gb", "os", "python"):
        assert meta["machine"][key]
    for dist in ("pyoxigraph", "rdflib", "pyvis", "networkx"):
        assert meta["machine"]["versions"][dist]
    # the machine's speed at the start and the end of the run, so that runs compare
    assert set(meta["speed_probe"]) == {"start", "end"}
    for probe in meta["speed_probe"].values():
        assert set(probe) == {"python_s", "oxigraph_s"} and all(_number(v) and v > 0 for v in probe.values())
    ing = res["ingest"]
    for part, key in (("kg_ingest", "newsletters_per_second"), ("kg_ingest_2", "newsletters_per_second"),
                      ("extract_only", "one_process_per_second"), ("extract_only", "two_processes_per_second")):
        assert _number(ing[part][key]) and ing[part][key] > 0
    assert ing["kg_ingest"]["ok"] == ing["kg_ingest"]["newsletters"] == ing["kg_ingest_2"]["ok"]
    assert ing["recall"]["fines"]["recall"] >= 0.8 and ing["recall"]["instruments"]["recall"] >= 0.8
    assert ing["profile"]["top"] and all(_number(r["cumulative_s"]) for r in ing["profile"]["top"])
    assert res["builds"]
    for b in res["builds"]:
        for key in ("seconds", "triples", "triples_per_second", "peak_rss_mb"):
            assert _number(b[key]) and b[key] > 0
        # the phases add up to the build (a step run beside another is counted once, in its phase)
        assert abs(sum(b["phases"].values()) - b["seconds"]) < 0.01 * b["seconds"] + 0.01, b["phases"]
        assert set(b["alongside"]) == {"SHACL validation", "store", "Turtle", "default views"}
    # every pack query, timed at every scale (an example that no longer resolves runs with its IRI)
    from kg.query.packs import discover

    names = set(discover())
    for label, qs in res["queries"].items():
        assert _number(qs["_triples"])
        assert set(qs) - {"_triples"} == names, label
        for name, r in qs.items():
            if name != "_triples":
                assert _number(r["p50_ms"]) and _number(r["p95_ms"]) and r["p95_ms"] >= r["p50_ms"], name
    rd = res["rdflib"]
    assert set(rd["queries"]) == names
    for name, r in rd["queries"].items():
        # a ratio, or a timeout / an rdflib error reported as such: never silently missing
        assert _number(r.get("ratio")) or _number(r.get("ratio_at_least")) or r.get("rdflib_error"), name
    assert _number(rd["geomean_ratio"])
    views = res["views"]
    assert views["renders"]
    for r in views["renders"]:
        assert "error" not in r, r
        assert r["nodes"] > 0 and _number(r["seconds"])
    # the rebuild after one change is measured on generated scales (the quick one is the rdflib graph)
    assert {g["goal"] for g in res["goals"]} - {"1M triples built again in <= 5 s after changing one document"} == {
        "1M triples built in <= 60 s", "every pack query p50 < 100 ms at 1M triples",
        "embedded store >= 50x rdflib on the same packs", "ingest >= 50 newsletters/s on 2 cores",
        "peak RSS of a 1M-triple build under 2 GB"}


def test_a_later_run_of_the_same_day_keeps_the_earlier_results(quick, tmp_path):
    res, _md = quick
    first = bench.write(res, tmp_path)
    second = bench.write({**res, "meta": {**res["meta"], "seed": 9}}, tmp_path)
    assert [p.name for p in second] == [f"{res['meta']['date']}-quick-2.json", f"{res['meta']['date']}-quick-2.md"]
    assert json.loads(first[0].read_text(encoding="utf-8"))["meta"]["seed"] == 8
    assert json.loads(second[0].read_text(encoding="utf-8"))["meta"]["seed"] == 9


def test_quick_markdown_has_the_goals_table(quick):
    res, md = quick
    assert md.startswith("# Benchmark results")
    assert "## Goals" in md and "| goal | measured | met |" in md
    assert "Speed probe (fixed work, lower is faster; compare runs by it): start " in md
    for g in res["goals"]:
        assert f"| {g['goal']} |" in md
    for section in ("## Ingest", "## Build", "## Pack queries on the embedded store", "## rdflib comparison",
                    "## View generation"):
        assert section in md
    assert "authorities/issued-by" in md
