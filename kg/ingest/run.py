"""Driving ``kg ingest``: files in, one checked fact file per document out.

A run reads the data folder once (:class:`Session`: the registries and what every document
declares; what has not changed since an earlier run from :mod:`kg.ingest.cache`), then for each
input: read, clean, segment, extract and assemble; check the new fact file over the registries
with its own curation (a document never depends on another one; where a curation merge names
another document's facts, the whole folder is checked in a scratch copy), and only then replace ``data/documents/<doc-id>.yaml`` atomically. An input whose text and
extractor are those of the fact file already written is skipped after a hash check. Files are
ingested in parallel on all cores; each sees the data folder as it was when the run began, so
the order of the inputs does not change the result. One bad file never stops the others.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FactError, FactErrors, IngestError
from ..facts.dataset import Base, assemble_dataset, load_dataset
from ..facts.load import load_document
from ..facts.registry import REGISTRIES, registry_files
from ..facts.yamlio import dumps_yaml, write_text_atomic
from ..model.ids import match_title, title_key
from ..paths import files_hash, ontology_files
from .assemble import Assembler
from .cache import load_session_parts
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
    unchanged: bool = False  # skipped: the fact file is of this text and this extractor

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


@dataclass
class Session:
    """What one run of ``kg ingest`` reads once: the registries and what the documents declare."""

    data_dir: Path
    base: Base
    kb: KnowledgeBase
    fingerprint: str
    force: bool = False


def open_session(data_dir: Path, force: bool = False) -> Session:
    """Read ``data_dir`` for ingesting (what is unchanged since the last run from the cache,
    :mod:`kg.ingest.cache`); raise FactErrors if its registries are broken."""
    base, declared = load_session_parts(data_dir)
    return Session(data_dir, base, load_knowledge(data_dir, base=base, declared=declared),
                   extractor_fingerprint(data_dir), force)


def extractor_fingerprint(data_dir: Path) -> str:
    """A hash of what decides the extracted facts: the extractor's code and words, the model, the
    vocabularies and the registries of ``data_dir``."""
    pkg = Path(__file__).resolve().parent.parent
    paths = sorted([*pkg.joinpath("ingest").rglob("*.py"), *pkg.joinpath("ingest").rglob("*.yaml"),
                    *pkg.joinpath("model").rglob("*.yaml")])
    paths += [p for name in REGISTRIES for p in registry_files(data_dir, name)]
    paths += [Path(f) for f in ontology_files()]
    return files_hash(paths)[:16]


def _unchanged(session: Session, out: Path, sha256: str) -> bool:
    if session.force or not out.is_file():
        return False
    with out.open(encoding="utf-8") as fh:
        head = fh.read(4096)
    return f"(extractor {session.fingerprint})" in head.split("\n", 1)[0] and f"sha256: {sha256}" in head


def _check(session: Session, doc_id: str, text: str) -> None:
    """Check a new fact file with its curation over the registries; raise FactErrors naming the real
    paths. Where a curation merge refers to other documents, check the whole folder instead."""
    data_dir = session.data_dir
    path = data_dir / "documents" / f"{doc_id}.yaml"  # where it is to go: read from ``text``
    curation = data_dir / "curation" / f"{doc_id}.yaml"
    try:
        ff, stale, merges = load_document(path, curation, text)
        if any(merges.values()):
            raise FactErrors([])  # merges may name other documents' facts: check them all
        assemble_dataset(session.base, [ff], stale, merges, warnings=False)
    except FactErrors as exc:
        if not exc.errors:
            _check_against_data(data_dir, doc_id, text)
            return
        raise FactErrors([e for e in exc.errors if Path(e.file) in (path, curation)] or exc.errors) from None


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


def ingest_file(path: Path, data_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES,
                session: Session | None = None) -> IngestResult:
    """Ingest one newsletter into ``data_dir``; never raises for a bad input file."""
    result = IngestResult(path)
    try:
        raw = read_document(path, max_bytes=max_bytes)
    except IngestError as exc:
        result.error = str(exc)
        return result
    result.doc_id = raw.doc_id
    try:
        session = session or open_session(data_dir)
    except FactErrors as exc:
        result.error = f"the data folder has errors, fix them first: {exc.errors[0]}"
        return result
    out = data_dir / "documents" / f"{raw.doc_id}.yaml"
    if _unchanged(session, out, raw.sha256):
        result.output, result.unchanged = out, True
        return result
    facts, items = extract_document(raw.lines, raw.doc_id, session.kb.for_document(raw.doc_id))
    facts["document"]["source_file"] = raw.path.name
    facts["document"]["sha256"] = raw.sha256
    if not facts["items"]:
        result.error = f"{path}: no news items found (is this a newsletter?)"
        return result
    text = header(raw.path.name, session.fingerprint) + dumps_yaml(facts)
    try:
        _check(session, raw.doc_id, text)
    except FactErrors as exc:
        kept = _keep_rejected(data_dir, raw.doc_id, text)
        first = str(exc.errors[0]).replace(str(data_dir / "documents" / f"{raw.doc_id}.yaml"), str(kept))
        result.error = (f"{path}: the extracted facts do not check ({first}); nothing was written to {data_dir}; "
                        f"the facts are kept in {kept} for inspection")
        return result
    write_text_atomic(out, text)
    result.output = out
    result.counts = {k: len(facts.get(k, [])) for k in ("items", "instruments", "relations", "actions", "cases",
                                                          "authorities")}
    result.report, result.uncertain = report_lines(items, facts)
    return result


def header(source: str, fingerprint: str | None = None) -> str:
    """The comment heading a machine-written fact file (with the extractor's fingerprint)."""
    by = f" (extractor {fingerprint})" if fingerprint else ""
    return (f"# Facts extracted by `kg ingest` from {source}{by}. Do not edit: corrections go in\n"
            f"# data/curation/<doc-id>.yaml, which re-ingesting never touches (see data/README.md).\n")


_SESSION: Session | None = None  # the run's session, inherited by the worker processes
GC_YOUNG = 20_000  # allocations between two collections of the youngest generation during a run


def _ingest_one(args: tuple[Path, Path, int]) -> IngestResult:
    path, data_dir, max_bytes = args
    return ingest_file(path, data_dir, max_bytes, _SESSION)


def ingest(paths: Iterable[str | Path], data_dir: Path, max_bytes: int = DEFAULT_MAX_BYTES,
           progress: Callable[[Iterable], Iterable] | None = None, jobs: int | None = None,
           force: bool = False) -> list[IngestResult]:
    """Ingest several files or folders, on ``jobs`` processes (default: every core); each file
    succeeds or fails on its own; ``force`` re-extracts files whose facts are up to date."""
    global _SESSION
    results: list[IngestResult] = []
    files: list[Path] = []
    for p in paths:
        try:
            files.extend(collect_inputs([p]))
        except IngestError as exc:
            results.append(IngestResult(Path(p), error=str(exc)))
    seen: set[Path] = set()
    unique = [f for f in files if not (f.resolve() in seen or seen.add(f.resolve()))]
    unique, clashes = _one_per_document(unique)
    results.extend(clashes)
    if not unique:
        return results
    try:
        _SESSION = open_session(Path(data_dir), force)
    except FactErrors as exc:
        return results + [IngestResult(f, error=f"the data folder has errors, fix them first: {exc.errors[0]}")
                          for f in unique]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(unique)))
    if multiprocessing.current_process().daemon:
        jobs = 1  # a pool's worker may not start processes of its own
    tasks = [(f, Path(data_dir), max_bytes) for f in unique]
    # what the run has read stays as it is: the garbage collector leaves it alone from now on (and
    # forked workers do not copy its memory pages by visiting them); extracting a newsletter makes
    # some hundred thousand short-lived objects, nearly none in cycles, so the collector runs every
    # GC_YOUNG allocations instead of every 700 (about 5% of the CPU of a file, measured)
    gc.freeze()
    thresholds = gc.get_threshold()
    gc.set_threshold(max(GC_YOUNG, thresholds[0]), *thresholds[1:])
    try:
        if jobs == 1 or "fork" not in multiprocessing.get_all_start_methods():
            done: Iterable[IngestResult] = map(_ingest_one, tasks)
            results.extend(progress(done) if progress else done)
        else:
            results.extend(_in_parallel(tasks, jobs, progress))
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
        _SESSION = None
    return results


def _in_parallel(tasks: list[tuple[Path, Path, int]], jobs: int,
                 progress: Callable[[Iterable], Iterable] | None) -> list[IngestResult]:
    """The results of ``tasks`` (in their order) on ``jobs`` forked processes: one file at a time,
    the largest first, so that no process is left with a large file when the others are done."""
    def size(task: tuple[Path, Path, int]) -> int:
        try:
            return task[0].stat().st_size
        except OSError:
            return 0

    order = sorted(range(len(tasks)), key=lambda i: -size(tasks[i]))
    results: list[IngestResult | None] = [None] * len(tasks)
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        done: Iterable[IngestResult] = pool.map(_ingest_one, [tasks[i] for i in order])
        for i, result in zip(order, progress(done) if progress else done, strict=True):
            results[i] = result
    return [r for r in results if r is not None]


def _one_per_document(files: list[Path]) -> tuple[list[Path], list[IngestResult]]:
    """The inputs, each document id once (the id is the file stem): a second file with the same stem
    is refused by name, never written over the first."""
    first: dict[str, Path] = {}
    keep, clashes = [], []
    for f in files:
        if f.stem in first:
            clashes.append(IngestResult(f, doc_id=f.stem, error=f"{f}: the document id {f.stem!r} (the file stem) is "
                                        f"also that of {first[f.stem]}, ingested in this run; rename one of them"))
        else:
            first[f.stem] = f
            keep.append(f)
    return keep, clashes
