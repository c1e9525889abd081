"""The curation layer: human corrections kept apart from the machine's fact files.

``data/curation/<doc-id>.yaml`` can reject, correct, merge or add facts of one
document. ``kg ingest`` rewrites ``data/documents/<doc-id>.yaml`` but never
touches this layer, so re-ingesting never loses a human's correction;
``kg build`` applies it. An entry that no longer matches a machine fact is
reported as stale (``kg review``) instead of failing the build; so is an addition the
machine has since learnt to find (the human's record replaces the machine's).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FactError, FactErrors
from .files import FactFile
from .schema import (
    CURATION_FORMAT,
    SECTIONS,
    Ctx,
    Record,
    check_unique,
    parse_fields,
    parse_list,
    parse_record,
    read_data_file,
    record_id,
)
from .yamlio import LList, LMap

KINDS = {kind: section for section, kind in SECTIONS.items()}


@dataclass
class Curation:
    """The operations of one curation file."""

    path: str
    doc_id: str
    document: Record | None = None  # full document record when there is no machine file
    rejects: list[tuple[str, str, int]] = field(default_factory=list)  # (kind, id, line)
    corrections: list[tuple[str, str, dict, dict, int]] = field(default_factory=list)  # kind, id, values, lines, line
    merges: list[tuple[str, str, str, int]] = field(default_factory=list)  # kind, from id, into id, line
    additions: dict[str, list[Record]] = field(default_factory=dict)


def _target(entry: LMap, ctx: Ctx, line: int, op: str) -> tuple[str, str] | None:
    kinds = [k for k in entry if k in KINDS]
    if len(kinds) != 1:
        ctx.error(line, f"a {op} entry names exactly one of: {', '.join(KINDS)}")
        return None
    kind = kinds[0]
    value = entry[kind]
    if kind == "relation" and isinstance(value, dict):
        try:
            value = f"{value['subject']} {value['type']} {value['object']}"
        except KeyError:
            ctx.error(line, "a relation is named by subject, type and object")
            return None
    if not isinstance(value, (str, int)):
        ctx.error(line, f"{op}: the {kind} must be named by its id or key, got {value!r}")
        return None
    return kind, str(value)


def read_curation(path: str | Path) -> Curation:
    """Read and check one curation file; raise :class:`FactErrors` on any problem."""
    path = str(path)
    raw, ctx = read_data_file(path, CURATION_FORMAT, {"document", "reviewed", "reviewer", "note", "reject",
                                                        "correct", "merge", "add"}, "a curation file")
    doc = raw.get("document")
    cur = Curation(path, Path(path).stem)
    if isinstance(doc, LMap):
        cur.document = parse_record("document", doc, ctx, raw.line_of("document"))
    elif doc is not None and str(doc) != cur.doc_id:
        ctx.error(raw.line_of("document"), f"document {doc!r} differs from the file name {cur.doc_id!r}")
    for op in ("reject", "correct", "merge"):
        entries = raw.get(op)
        if entries is None:
            continue
        if not isinstance(entries, LList):
            ctx.error(raw.line_of(op), f"{op} must be a list")
            continue
        for i, entry in enumerate(entries):
            line = entries.line_of(i)
            if not isinstance(entry, LMap):
                ctx.error(line, f"a {op} entry must be a mapping")
                continue
            target = _target(entry, ctx, line, op)
            if target is None:
                continue
            kind, rid = target
            if op == "reject":
                cur.rejects.append((kind, rid, line))
            elif op == "correct":
                values = entry.get("set")
                if not isinstance(values, LMap):
                    ctx.error(line, "a correct entry needs 'set: {field: value, ...}'")
                    continue
                parsed = parse_fields(kind, values, ctx, line, partial=True)
                if parsed is not None:
                    lines = {k: values.line_of(k) for k in values}
                    cur.corrections.append((kind, rid, parsed, lines, line))
            else:
                into = entry.get("into")
                if kind not in ("instrument", "authority", "party") or not isinstance(into, str):
                    ctx.error(line, "a merge entry is {instrument|authority|party: FROM, into: TO}")
                    continue
                cur.merges.append((kind, rid, into, line))
    add = raw.get("add")
    if add is not None:
        if not isinstance(add, LMap):
            ctx.error(raw.line_of("add"), "add must be a mapping of fact lists")
        else:
            for sec in add:
                if sec not in SECTIONS:
                    ctx.error(add.line_of(sec), f"unknown section {sec!r} under add")
                    continue
                recs = parse_list(SECTIONS[sec], add[sec], ctx, add.line_of(sec))
                for r in recs:
                    if r.kind in ("instrument", "relation", "action", "case"):
                        r.data.setdefault("confidence", 1.0)
                cur.additions[sec] = recs
    ctx.raise_if_errors()
    return cur


def apply_curation(facts: FactFile | None, cur: Curation) -> tuple[FactFile, list[str]]:
    """Apply a curation to the machine's facts of the same document.

    Returns the curated facts and the stale entries (as messages)."""
    stale: list[str] = []
    if facts is None:
        if cur.document is None:
            raise FactErrors([FactError(cur.path, 1, "there is no machine fact file for this document, so "
                                        "the curation must give the full 'document' record")])
        facts = FactFile(cur.path, cur.document, {sec: [] for sec in SECTIONS})
    records = {sec: list(recs) for sec, recs in facts.records.items()}

    def find(kind: str, rid: str) -> tuple[list[Record], int] | None:
        recs = records[KINDS[kind]]
        for i, rec in enumerate(recs):
            if record_id(rec) == rid:
                return recs, i
        return None

    for kind, rid, line in cur.rejects:
        hit = find(kind, rid)
        if hit is None:
            stale.append(f"{cur.path}:{line}: reject {kind} {rid!r} matches no machine fact")
            continue
        recs, i = hit
        del recs[i]
    for kind, rid, values, lines, line in cur.corrections:
        hit = find(kind, rid)
        if hit is None:
            stale.append(f"{cur.path}:{line}: correct {kind} {rid!r} matches no machine fact")
            continue
        recs, i = hit
        rec = recs[i]
        data = dict(rec.data)
        data.update(values)
        if rec.kind in ("instrument", "relation", "action", "case"):
            data["confidence"] = 1.0
        new = Record(rec.kind, data, rec.file, rec.line, dict(rec.field_lines), dict(rec.field_files))
        for k in values:
            new.field_lines[k] = lines.get(k, line)
            new.field_files[k] = cur.path
        recs[i] = new
    for sec, recs in cur.additions.items():
        for rec in recs:
            hit = find(rec.kind, record_id(rec)) if record_id(rec) else None
            if hit is None:
                records[sec].append(rec)
                continue
            # the machine now finds what a human added (a better extractor): the human's record
            # stands, and the entry is listed so that it can become a `correct` or go
            found, i = hit
            found[i] = rec
            stale.append(f"{rec.file}:{rec.line}: add {rec.kind} {record_id(rec)!r} is now also a machine fact "
                         "(the added record replaces it)")
    ctx = Ctx(cur.path)
    check_unique(records, ctx)
    ctx.raise_if_errors()
    return FactFile(facts.path, facts.document, records), stale
