"""Measure the extractor against hand-checked facts.

    python -m benchmarks.evaluate [--corpus ../shared/corpus] [--gold benchmarks/gold] [--json]
    python -m benchmarks.evaluate --corpus benchmarks/dev --gold benchmarks/dev/gold

Method. Each ``<gold>/<name>.yaml`` is a fact file checked by hand against one document
(``document.id`` names it); it covers the lines of the items it lists (the whole document, or a
slice of it). The extractor runs on the document with the registries of ``data/`` only (no other
document's facts, no curation), and both fact sets are resolved by the same loader
(:mod:`kg.facts.dataset`), so keys compare exactly. Machine and gold segment a newsletter into
items in their own way, so a machine fact counts when one of its items overlaps the lines of a
gold item (a refused document counts as one with no facts). On those facts:

- instruments: precision / recall / F1 of instrument keys;
- issuers: share of correctly found instruments whose issuer set is exactly right;
- relations: precision / recall / F1 of (subject, type, object);
- fines: share of gold penalties whose amount and currency the machine found (as a multiset over
  the covered lines), and machine penalties that match no gold one, as false fines.

The micro totals add the counts of every document before dividing.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path

from kg.errors import KgError
from kg.facts.dataset import Dataset, load_dataset
from kg.facts.registry import copy_registries
from kg.facts.yamlio import dumps_yaml, load_yaml
from kg.ingest.read import read_document
from kg.ingest.resolve import load_knowledge
from kg.ingest.run import extract_document, header

REPO = Path(__file__).resolve().parent.parent


def _dataset_with(doc_text: str, doc_id: str, data_dir: Path) -> Dataset:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "data"
        copy_registries(data_dir, d)
        (d / "documents").mkdir()
        (d / "curation").mkdir()
        (d / "documents" / f"{doc_id}.yaml").write_text(doc_text, encoding="utf-8")
        return load_dataset(d)


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def _spans(ds: Dataset, doc: str) -> dict[str, tuple[int, int]]:
    return {i: it.lines for (d, i), it in ds.items.items() if d == doc}


def _covered(items, spans: dict, region: list[tuple[int, int]]) -> bool:
    return any(i in spans and any(spans[i][0] <= b and a <= spans[i][1] for a, b in region) for i in items)


def compare(gold: Dataset, machine: Dataset, doc: str) -> dict:
    """Scores of ``machine`` against ``gold`` on the lines the gold items cover."""
    region = list(_spans(gold, doc).values())
    msp = _spans(machine, doc)
    gi = {k: i for k, i in gold.instruments.items() if any(s.doc_id == doc for s in i.reports)}
    mi = {k: i for k, i in machine.instruments.items()
          if any(s.doc_id == doc and _covered(s.items, msp, region) for s in i.reports)}
    inst = _prf(len(set(gi) & set(mi)), len(set(mi) - set(gi)), len(set(gi) - set(mi)))
    inst["missing"], inst["extra"] = sorted(set(gi) - set(mi)), sorted(set(mi) - set(gi))
    both = [k for k in set(gi) & set(mi) if gi[k].issuers]
    wrong = {k: {"gold": gi[k].issuers, "machine": mi[k].issuers} for k in both
             if set(gi[k].issuers) != set(mi[k].issuers)}
    issuers = {"checked": len(both), "right": len(both) - len(wrong),
               "share": round((len(both) - len(wrong)) / len(both), 3) if both else 1.0, "wrong": wrong}
    gr = {(r.subject, r.type, r.object) for r in gold.relations if r.doc_id == doc}
    mr = {(r.subject, r.type, r.object) for r in machine.relations
          if r.doc_id == doc and _covered(r.items, msp, region)}
    rel = _prf(len(gr & mr), len(mr - gr), len(gr - mr))
    rel["missing"], rel["extra"] = sorted(map(list, gr - mr)), sorted(map(list, mr - gr))
    gf = Counter((format(a.penalty.value, "f"), a.penalty.currency) for a in gold.actions if a.penalty)
    mf = Counter((format(a.penalty.value, "f"), a.penalty.currency) for a in machine.actions
                 if a.penalty and _covered(a.items, msp, region))
    fines = {"gold": sum(gf.values()), "right": sum((gf & mf).values()), "false": sorted((mf - gf).elements()),
             "missed": sorted((gf - mf).elements())}
    fines["share"] = round(fines["right"] / fines["gold"], 3) if fines["gold"] else 1.0
    return {"instruments": inst, "issuers": issuers, "relations": rel, "fines": fines}


def micro(results: dict) -> dict:
    """The totals over every document."""
    t: Counter = Counter()
    for r in results.values():
        i, iss, rel, f = r["instruments"], r["issuers"], r["relations"], r["fines"]
        t.update({"itp": i["tp"], "ifp": i["fp"], "ifn": i["fn"], "ic": iss["checked"], "ir": iss["right"],
                  "rtp": rel["tp"], "rfp": rel["fp"], "rfn": rel["fn"], "fg": f["gold"], "fr": f["right"],
                  "ff": len(f["false"])})
    inst, rel = _prf(t["itp"], t["ifp"], t["ifn"]), _prf(t["rtp"], t["rfp"], t["rfn"])
    return {"instruments_p": inst["precision"], "instruments_r": inst["recall"], "instruments_f1": inst["f1"],
            "issuers": f"{t['ir']}/{t['ic']}", "issuers_share": round(t["ir"] / t["ic"], 3) if t["ic"] else 1.0,
            "relations_p": rel["precision"], "relations_r": rel["recall"], "relations_f1": rel["f1"],
            "fines": f"{t['fr']}/{t['fg']}", "fines_share": round(t["fr"] / t["fg"], 3) if t["fg"] else 1.0,
            "false_fines": t["ff"]}


def evaluate(gold_dir: Path, corpus: Path, data_dir: Path) -> dict:
    """Scores per gold file (a document the extractor refuses counts as one with no facts)."""
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        registries = Path(tmp) / "data"
        copy_registries(data_dir, registries)
        kb = load_knowledge(registries)
        for path in sorted(gold_dir.glob("*.yaml")):
            doc_id = load_yaml(path)["document"]["id"]
            source = corpus / f"{doc_id}.txt"
            if not source.exists():
                continue
            gold = _dataset_with(path.read_text(encoding="utf-8"), doc_id, data_dir)
            note = None
            try:
                facts, _ = extract_document(read_document(source).lines, doc_id, kb)
            except KgError as exc:
                facts, note = {"format": "kg-facts/1", "document": {"id": doc_id}}, str(exc)
            machine = _dataset_with(header(doc_id) + dumps_yaml(facts), doc_id, data_dir)
            out[path.stem] = compare(gold, machine, doc_id)
            if note:
                out[path.stem]["refused"] = note
    return out


def _print(result: dict) -> None:
    for name, r in result.items():
        i, rel, iss, f = r["instruments"], r["relations"], r["issuers"], r["fines"]
        print(f"{name}: instruments P={i['precision']} R={i['recall']} F1={i['f1']} | issuers {iss['right']}/"
              f"{iss['checked']} | relations P={rel['precision']} R={rel['recall']} F1={rel['f1']} | fines "
              f"{f['right']}/{f['gold']} (+{len(f['false'])} false)" + (" | refused" if "refused" in r else ""))
        for k in ("missing", "extra"):
            if i[k]:
                print(f"  instruments {k}: {i[k]}")
            if rel[k]:
                print(f"  relations {k}: {rel[k]}")
        for k, v in iss["wrong"].items():
            print(f"  issuers of {k}: gold {v['gold']} machine {v['machine']}")
        if f["false"] or f["missed"]:
            print(f"  fines false {f['false']} missed {f['missed']}")
    print("micro:", json.dumps(micro(result), ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus")
    ap.add_argument("--gold", type=Path, default=REPO / "benchmarks" / "gold")
    ap.add_argument("--data", type=Path, default=REPO / "data")
    ap.add_argument("--json", action="store_true", help="print the full result as JSON")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    result = evaluate(args.gold, args.corpus, args.data)
    if args.json:
        print(json.dumps({"documents": result, "micro": micro(result)}, ensure_ascii=False, indent=1))
    else:
        _print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
