"""Measure the extractor against hand-checked facts.

    python -m benchmarks.evaluate [--corpus ../shared/corpus] [--gold benchmarks/gold]

Method. Each ``benchmarks/gold/<name>.yaml`` is a fact file checked by hand against one
corpus document (``document.id`` names it); it covers the items it lists. The
extractor runs on the document with the registry of ``data/`` only (no other
document's facts, no curation), and both fact sets are resolved by the same loader
(``kg.dataset``), so keys compare exactly. Restricted to the gold items:

- instruments: precision / recall / F1 of instrument keys reported by those items;
- issuers: share of correctly found instruments whose issuer set is exactly right;
- relations: precision / recall / F1 of (subject, type, object);
- fines: share of gold penalties whose amount and currency the machine found on an action
  of the same item (and machine penalties that match no gold one, as false fines).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

from kg.facts.dataset import Dataset, load_dataset
from kg.facts.yamlio import dumps_yaml, load_yaml
from kg.ingest.read import read_document
from kg.ingest.resolve import load_knowledge
from kg.ingest.run import extract_document, header

REPO = Path(__file__).resolve().parent.parent


def _dataset_with(doc_text: str, doc_id: str, data_dir: Path) -> Dataset:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp) / "data"
        d.mkdir()
        for name in ("authorities.yaml", "instruments.yaml", "parties.yaml"):
            if (data_dir / name).exists():
                shutil.copy(data_dir / name, d / name)
        (d / "documents").mkdir()
        (d / "curation").mkdir()
        (d / "documents" / f"{doc_id}.yaml").write_text(doc_text, encoding="utf-8")
        return load_dataset(d)


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3)}


def _instruments(ds: Dataset, items: set[str]) -> dict:
    return {k: i for k, i in ds.instruments.items() if any(set(s.items) & items for s in i.sources)}


def compare(gold: Dataset, machine: Dataset, items: set[str]) -> dict:
    """Scores of ``machine`` against ``gold`` on ``items``."""
    gi, mi = _instruments(gold, items), _instruments(machine, items)
    inst = _prf(len(set(gi) & set(mi)), len(set(mi) - set(gi)), len(set(gi) - set(mi)))
    inst["missing"] = sorted(set(gi) - set(mi))
    inst["extra"] = sorted(set(mi) - set(gi))
    with_issuers = [k for k in set(gi) & set(mi) if gi[k].issuers]
    wrong = [k for k in with_issuers if set(gi[k].issuers) != set(mi[k].issuers)]
    issuers = {"checked": len(with_issuers), "right": len(with_issuers) - len(wrong),
               "share": round((len(with_issuers) - len(wrong)) / len(with_issuers), 3) if with_issuers else 1.0,
               "wrong": {k: {"gold": gi[k].issuers, "machine": mi[k].issuers} for k in wrong}}
    gr = {(r.subject, r.type, r.object) for r in gold.relations if set(r.items) & items}
    mr = {(r.subject, r.type, r.object) for r in machine.relations if set(r.items) & items}
    rel = _prf(len(gr & mr), len(mr - gr), len(gr - mr))
    rel["missing"] = sorted(map(list, gr - mr))
    rel["extra"] = sorted(map(list, mr - gr))

    def fines(ds: Dataset) -> list[tuple[str, str, str]]:
        return [(a.items[0], format(a.penalty.value, "f"), a.penalty.currency) for a in ds.actions
                if a.penalty and set(a.items) & items]

    gf, mf = fines(gold), fines(machine)
    right = [f for f in gf if f in mf]
    fine = {"gold": len(gf), "right": len(right), "share": round(len(right) / len(gf), 3) if gf else 1.0,
            "false": [f for f in mf if f not in gf], "missed": [f for f in gf if f not in mf]}
    return {"instruments": inst, "issuers": issuers, "relations": rel, "fines": fine}


def evaluate(gold_dir: Path, corpus: Path, data_dir: Path) -> dict:
    """Scores per gold file."""
    out = {}
    for path in sorted(gold_dir.glob("*.yaml")):
        raw_gold = load_yaml(path)
        doc_id = raw_gold["document"]["id"]
        source = corpus / f"{doc_id}.txt"
        if not source.exists():
            continue
        items = {i["id"] for i in raw_gold["items"]}
        gold = _dataset_with(path.read_text(encoding="utf-8"), doc_id, data_dir)
        raw = read_document(source)
        with tempfile.TemporaryDirectory() as tmp:
            d = Path(tmp) / "data"
            d.mkdir()
            for name in ("authorities.yaml", "instruments.yaml", "parties.yaml"):
                if (data_dir / name).exists():
                    shutil.copy(data_dir / name, d / name)
            kb = load_knowledge(d)
        facts, _ = extract_document(raw.lines, doc_id, kb)
        machine = _dataset_with(header(doc_id) + dumps_yaml(facts), doc_id, data_dir)
        out[path.stem] = compare(gold, machine, items)
    return out


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
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    for name, r in result.items():
        i, rel, iss, f = r["instruments"], r["relations"], r["issuers"], r["fines"]
        print(f"{name}: instruments P={i['precision']} R={i['recall']} F1={i['f1']} | issuers {iss['right']}/"
              f"{iss['checked']} | relations P={rel['precision']} R={rel['recall']} F1={rel['f1']} | fines "
              f"{f['right']}/{f['gold']} (+{len(f['false'])} false)")
        for k in ("missing", "extra"):
            if i[k]:
                print(f"  instruments {k}: {i[k]}")
            if rel[k]:
                print(f"  relations {k}: {rel[k]}")
        for k, v in iss["wrong"].items():
            print(f"  issuers of {k}: gold {v['gold']} machine {v['machine']}")
        if f["false"] or f["missed"]:
            print(f"  fines false {f['false']} missed {f['missed']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
