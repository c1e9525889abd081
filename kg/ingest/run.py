"""Driving ``kg ingest``: files in, one checked fact file per document out.

For each input: read, clean, segment, extract and assemble; then check the new
fact file together with everything already in ``data/`` (in a scratch copy, so a
problem never leaves a half-written file), and only then replace
``data/documents/<doc-id>.yaml`` atomically. One bad file never stops the others.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FactError, FactErrors, IngestError
from ..facts.dataset import load_dataset
from ..facts.yamlio import dumps_yaml, write_text_atomic
from ..model.ids import match_title, title_key
from .assemble import Assembler
from .clean import clean_lines
from .factfile import build_fact_file, finalize, mention_key
from .mentions import ItemFacts
from .read import DEFAULT_MAX_BYTES, collect_inputs, read_document
from .report import report_lines
from .resolve import KnowledgeBase, load_knowledge
from .segment import segment


@dataclass
class IngestResult:
    """What ingesting one file produced (or why it failed)."""

    path: Path
    doc_id: str | None = None
    output: Path | None = None
    error: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    report: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the fact file was written."""
        return self.error is None


def extract_document(lines: list[str], doc_id: str, kb: KnowledgeBase) -> tuple[dict, list[ItemFacts]]:
    """The fact-file mapping of a newsletter given as text lines (no file is written)."""
    seg = segment(doc_id, clean_lines(lines))
    asm = Assembler(seg, kb)
    items = asm.run()
    facts = build_fact_file(seg, items, kb, source_file="", sha256="")
    _resolve_legal_basis(facts, items, kb)
    return finalize(facts), items


def _resolve_legal_basis(facts: dict, items: list[ItemFacts], kb: KnowledgeBase) -> None:
    """Turn the titles of legal bases into instrument keys, adding mentioned instruments if needed."""
    by_item = {f.item.id: f for f in items}
    known_keys = {r["key"] for r in facts["instruments"]}
    for section in ("actions", "cases"):
        for rec in facts.get(section, []):
            f = by_item.get(rec["items"][0])
            out = []
            for lb in rec.get("legal_basis", []):
                key = None
                if f is not None:
                    hit = next((m for m in f.instruments if match_title(m.title) == match_title(lb["title"])), None)
                    if hit is not None:
                        key = hit.key or mention_key(hit)
                jur = rec.get("jurisdiction") or (f.jurisdiction if f else None) or "CN"
                if key is None:
                    key = kb.find_instrument(lb["title"], jur, lb.get("number")) or title_key(lb["title"], jur)
                if key not in known_keys:
                    facts["instruments"].append({"key": key, "title": lb["title"], "jurisdiction": jur,
                                                 "items": list(rec["items"]), "confidence": 0.7})
                    known_keys.add(key)
                entry = {"instrument": key}
                if lb.get("articles"):
                    entry["articles"] = lb["articles"]
                if entry not in out:
                    out.append(entry)
            if out:
                rec["legal_basis"] = out
            else:
                rec.pop("legal_basis", None)


def _check_against_data(data_dir: Path, doc_id: str, text: str) -> None:
    """Load the whole dataset with the new file in a scratch copy; raise FactErrors naming the
    real paths if the new file (or its own curation) fails. Problems of other documents are theirs."""
    with tempfile.TemporaryDirectory(prefix="kg-ingest-") as tmp:
        scratch = Path(tmp) / "data"
        shutil.copytree(data_dir, scratch, ignore=shutil.ignore_patterns("*.tmp"))
        target = scratch / "documents" / f"{doc_id}.yaml"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        try:
            load_dataset(scratch)
        except FactErrors as exc:
            own = {target.resolve(), (scratch / "curation" / f"{doc_id}.yaml").resolve()}
            mine = [FactError(str(data_dir / Path(e.file).resolve().relative_to(scratch.resolve())), e.line, e.message)
                    for e in exc.errors if Path(e.file).resolve() in own]
            if mine:
                raise FactErrors(mine) from None


def _keep_rejected(data_dir: Path, doc_id: str, text: str) -> Path:
    """Keep facts that did not check beside the data folder, for inspection (never inside it)."""
    path = data_dir.resolve().parent / "kg-ingest-rejected" / f"{doc_id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_text_atomic(path, text)
    return path


def ingest_file(path: Path, data_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> IngestResult:
    """Ingest one newsletter into ``data_dir``; never raises for a bad input file."""
    result = IngestResult(path)
    try:
        raw = read_document(path, max_bytes=max_bytes)
    except IngestError as exc:
        result.error = str(exc)
        return result
    result.doc_id = raw.doc_id
    try:
        kb = load_knowledge(data_dir, exclude_doc=raw.doc_id)
    except FactErrors as exc:
        result.error = f"the data folder has errors, fix them first: {exc.errors[0]}"
        return result
    facts, items = extract_document(raw.lines, raw.doc_id, kb)
    facts["document"]["source_file"] = raw.path.name
    facts["document"]["sha256"] = raw.sha256
    if not facts["items"]:
        result.error = f"{path}: no news items found (is this a newsletter?)"
        return result
    text = header(raw.path.name) + dumps_yaml(facts)
    try:
        _check_against_data(data_dir, raw.doc_id, text)
    except FactErrors as exc:
        kept = _keep_rejected(data_dir, raw.doc_id, text)
        first = str(exc.errors[0]).replace(str(data_dir / "documents" / f"{raw.doc_id}.yaml"), str(kept))
        result.error = (f"{path}: the extracted facts do not check ({first}); nothing was written to {data_dir}; "
                        f"the facts are kept in {kept} for inspection")
        return result
    out = data_dir / "documents" / f"{raw.doc_id}.yaml"
    write_text_atomic(out, text)
    result.output = out
    result.counts = {k: len(facts.get(k, [])) for k in ("items", "instruments", "relations", "actions", "cases",
                                                          "authorities")}
    result.report, result.uncertain = report_lines(items, facts)
    return result


def header(source: str) -> str:
    """The comment heading a machine-written fact file."""
    return (f"# Facts extracted by `kg ingest` from {source}. Do not edit: corrections go in\n"
            f"# data/curation/<doc-id>.yaml, which re-ingesting never touches (see data/README.md).\n")


def ingest(paths: Iterable[str | Path], data_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES,
           progress: Callable[[Iterable], Iterable] | None = None) -> list[IngestResult]:
    """Ingest several files or folders; each file succeeds or fails on its own."""
    results: list[IngestResult] = []
    files: list[Path] = []
    for p in paths:
        try:
            files.extend(collect_inputs([p]))
        except IngestError as exc:
            results.append(IngestResult(Path(p), error=str(exc)))
    seen = set()
    unique = [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]
    iterator = progress(unique) if progress else unique
    for f in iterator:
        results.append(ingest_file(f, data_dir, max_bytes))
    return results
