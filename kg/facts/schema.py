"""Records of the fact files, parsed by the fields the model declares (:mod:`kg.model.spec`).

Each kind of record (document, item, authority, instrument, relation, action, case, party) is
read field by field with the parser of the field's type; problems are reported as
:class:`~kg.errors.FactError` with the file and line. ``data/README.md`` documents the format.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import FactError, FactErrors
from ..model.spec import Field, model
from . import values as v
from .yamlio import LList, LMap, load_yaml, loads_yaml

FACTS_FORMAT = "kg-facts/1"
CURATION_FORMAT = "kg-curation/1"


class Ctx:
    """Collects errors for one file."""

    def __init__(self, file: str):
        self.file = file
        self.errors: list[FactError] = []

    def error(self, line: int | None, message: str) -> None:
        """Record a problem at ``line``."""
        self.errors.append(FactError(self.file, line, message))

    def raise_if_errors(self) -> None:
        """Raise all recorded problems at once."""
        if self.errors:
            raise FactErrors(self.errors)


def read_data_file(path: str, fmt: str, sections: set[str], what: str, text: str | None = None) -> tuple[LMap, Ctx]:
    """The top mapping of a data file and the error collector for it: the YAML read (a syntax error
    raises at once, with its line), ``format`` checked against ``fmt``, and a section other than
    ``format`` and ``sections`` reported. ``text``: the file's text, when it is not (yet) on disk."""
    ctx = Ctx(path)
    try:
        raw = load_yaml(path) if text is None else loads_yaml(text, path)
    except FactError as exc:
        raise FactErrors([exc]) from None
    if not isinstance(raw, LMap):
        sections_named = ", ".join(sorted(sections))
        raise FactErrors([FactError(path, 1, f"{what} must be a mapping with 'format' and {sections_named}")])
    if raw.get("format") != fmt:
        ctx.error(raw.line_of("format"), f"format must be {fmt!r}, got {raw.get('format')!r}")
    allowed = {"format", *sections}
    for key in raw:
        if key not in allowed:
            ctx.error(raw.line_of(key), f"unknown section {key!r} (known: {', '.join(sorted(allowed))})")
    return raw, ctx


def parser_of(kind: str, f: Field) -> Callable[[Any, v.FieldCtx], Any]:
    """The parser of a model field, by its type and cardinality."""
    t = f.type
    if t == "term":
        label = f"{kind} kind" if f.name in ("kind", "kinds") else f.vocabulary.replace("_", " ")
        return v.p_vocab_list(f.vocabulary, label) if f.many else v.p_vocab(f.vocabulary, label)
    if t == "ref":
        return v.p_ref_list if f.many else v.p_ref
    if t == "relation-type":
        return v.p_enum(model().relations, "relation type")
    if f.pattern:
        return v.p_pattern(parser_of(kind, Field(f.name, f.type, f.many)), f.pattern, f.doc or f.name)
    single = {"id": v.p_str, "key": v.p_str, "text": v.p_str, "url": v.p_str, "note": v.p_str, "agent": v.p_str,
              "party": v.p_str, "date": v.p_date, "count": v.p_int, "flag": v.p_bool, "confidence": v.p_confidence,
              "lines": v.p_lines, "amount": v.p_amount, "legal-basis": v.p_legal_basis, "parties": v.p_parties,
              "path": v.p_str_list, "items": v.p_str_list, "sources": v.p_sources,
              "amendments": v.p_amendments}[t]
    return v.p_str_list if f.many and single is v.p_str else single


# The sections of a fact file and the record kind each holds.
SECTIONS = model().sections


@dataclass
class Record:
    """One parsed record: its kind, field values, and where each field was written."""

    kind: str
    data: dict[str, Any]
    file: str
    line: int
    field_lines: dict[str, int] = field(default_factory=dict)
    field_files: dict[str, str] = field(default_factory=dict)

    def get(self, name: str, default: Any = None) -> Any:
        """A field value or ``default``."""
        return self.data.get(name, default)

    def where(self, name: str | None = None) -> tuple[str, int]:
        """The file and line of a field (or of the record)."""
        if name and name in self.field_lines:
            return self.field_files.get(name, self.file), self.field_lines[name]
        return self.file, self.line


def parse_fields(kind: str, raw: Any, ctx: Ctx, line: int, *, partial: bool = False) -> dict[str, Any] | None:
    """Parse the fields of one record; report problems to ``ctx``. ``partial`` skips the
    required-field check (for curation corrections)."""
    schema = model().kinds[kind].fields
    if not isinstance(raw, LMap):
        ctx.error(line, f"a {kind} must be a mapping of fields, got {raw!r}")
        return None
    out: dict[str, Any] = {}
    ok = True
    for name, value in raw.items():
        fline = raw.line_of(name)
        spec = schema.get(name)
        if spec is None:
            ctx.error(fline, f"unknown {kind} field {name!r} (known: {', '.join(schema)})")
            ok = False
            continue
        if value is None:
            continue
        try:
            out[name] = parser_of(kind, spec)(value, v.FieldCtx(ctx.file, fline))
        except v.Invalid as exc:
            ctx.error(fline, f"{kind} field {name!r}: {exc}")
            ok = False
    if not partial:
        for name, spec in schema.items():
            if spec.required and name not in out and name not in raw:
                ctx.error(raw.line, f"{kind} is missing the required field {name!r}")
                ok = False
    if kind == "instrument" and not partial and not (out.get("title") or out.get("number")):
        ctx.error(raw.line, "an instrument needs a 'title' or a 'number'")
        ok = False
    return out if ok else None


def parse_record(kind: str, raw: Any, ctx: Ctx, line: int) -> Record | None:
    """Parse one record of ``kind``."""
    data = parse_fields(kind, raw, ctx, line)
    if data is None:
        return None
    lines = {k: raw.line_of(k) for k in raw} if isinstance(raw, LMap) else {}
    return Record(kind, data, ctx.file, getattr(raw, "line", line) or line, lines)


def parse_list(kind: str, raw: Any, ctx: Ctx, line: int) -> list[Record]:
    """Parse a list of records."""
    if raw is None:
        return []
    if not isinstance(raw, LList):
        ctx.error(line, f"expected a list of {kind} records")
        return []
    out = []
    for i, entry in enumerate(raw):
        rec = parse_record(kind, entry, ctx, raw.line_of(i))
        if rec is not None:
            out.append(rec)
    return out


def record_id(rec: Record) -> str | None:
    """The identity of a record within its file (used by curation and duplicate checks): its identity
    fields joined when the model requires them all (a relation: ``subject type object``), else the
    first of them it has (an instrument: key, else title, else number)."""
    kind = model().kinds[rec.kind]
    d = rec.data
    if all(kind.fields[n].required for n in kind.identity):
        return " ".join(str(getattr(d[n], "value", d[n])) for n in kind.identity)
    return next((d[n] for n in kind.identity if d.get(n)), None)


def check_unique(records: dict[str, list[Record]], ctx: Ctx) -> None:
    """Report two records of one section with the same identity."""
    for section, recs in records.items():
        seen: dict[str, Record] = {}
        for rec in recs:
            rid = record_id(rec)
            if rid is None:
                continue
            if rid in seen:
                ctx.error(rec.line, f"duplicate {rec.kind} {rid!r} in {section} (first at line {seen[rid].line})")
            else:
                seen[rid] = rec
