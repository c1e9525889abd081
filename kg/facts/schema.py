"""The fact model: record schemas, field parsers, and reading fact files.

Each kind of record (document, item, authority, instrument, relation, action,
case, party) is described declaratively in :data:`SCHEMAS` as field -> parser.
Parsers check values against the ontology's vocabularies and report problems as
:class:`~kg.yamlio.FactError` with the file and line. ``data/README.md``
documents the format.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import FactError, FactErrors
from ..model.terms import PARTY_ROLES, RELATIONS
from ..model.vocabularies import vocabulary
from .yamlio import LList, LMap, load_yaml

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


class Invalid(Exception):
    """A field value is wrong; the message says how."""


# ---------------------------------------------------------------- values

@dataclass(frozen=True)
class PDate:
    """A date that may be partial: ``2025-12-09``, ``2025-12`` or ``2025``."""

    text: str

    @property
    def precision(self) -> str:
        """``day``, ``month`` or ``year``."""
        return {10: "day", 7: "month", 4: "year"}[len(self.text)]

    @property
    def is_full(self) -> bool:
        """True when the day is known."""
        return len(self.text) == 10

    def __str__(self) -> str:
        return self.text


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def parse_date(value: Any) -> PDate:
    """Check a date given as ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
    if isinstance(value, dt.date):
        value = value.isoformat()
    if not isinstance(value, (str, int)):
        raise Invalid(f"a date must be YYYY-MM-DD, YYYY-MM or YYYY, not {value!r}")
    text = str(value).strip()
    m = _DATE.match(text)
    if not m:
        raise Invalid(f"invalid date {text!r}: use YYYY-MM-DD, YYYY-MM or YYYY")
    year, month, day = m.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise Invalid(f"invalid date {text!r}: {exc}") from None
    return PDate(text)


@dataclass(frozen=True)
class Amount:
    """A sum of money: decimal value, ISO 4217 currency and the text as written."""

    value: Decimal
    currency: str
    text: str | None = None
    approximate: bool = False


@dataclass(frozen=True)
class Ref:
    """A reference to another entity as written in a file, with where it was written."""

    value: str
    file: str
    line: int | None


@dataclass(frozen=True)
class LegalBasis:
    """An instrument applied by an action or case, and optionally its articles."""

    instrument: Ref
    articles: tuple[int, ...] = ()


@dataclass(frozen=True)
class PartyRole:
    """A party to a case and its role."""

    name: str
    role: str


# ---------------------------------------------------------------- parsers

Parser = Callable[[Any, "FieldCtx"], Any]


@dataclass
class FieldCtx:
    """Where a field value was written (for refs and nested errors)."""

    file: str
    line: int | None


def p_str(value: Any, fc: FieldCtx) -> str:
    """A non-empty string (numbers are accepted and turned into text)."""
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise Invalid(f"expected text, got {value!r}")
    text = str(value).strip()
    if not text:
        raise Invalid("expected text, got an empty value")
    return text


def p_str_list(value: Any, fc: FieldCtx) -> list[str]:
    """A list of strings (a single string is a list of one)."""
    if isinstance(value, str):
        return [p_str(value, fc)]
    if not isinstance(value, list):
        raise Invalid(f"expected a list of text, got {value!r}")
    return [p_str(v, fc) for v in value]


def p_int(value: Any, fc: FieldCtx) -> int:
    """A non-negative integer."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Invalid(f"expected a whole number, got {value!r}")
    return value


def p_bool(value: Any, fc: FieldCtx) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise Invalid(f"expected true or false, got {value!r}")
    return value


def p_confidence(value: Any, fc: FieldCtx) -> float:
    """A number from 0 to 1."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise Invalid(f"confidence must be a number from 0 to 1, got {value!r}")
    return float(value)


def p_date(value: Any, fc: FieldCtx) -> PDate:
    """A possibly partial date."""
    return parse_date(value)


def p_lines(value: Any, fc: FieldCtx) -> tuple[int, int]:
    """A line span ``[first, last]`` (1-based, inclusive)."""
    if not isinstance(value, list) or len(value) != 2 or not all(
        isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value
    ):
        raise Invalid(f"lines must be [first, last] with positive whole numbers, got {value!r}")
    if value[0] > value[1]:
        raise Invalid(f"lines [{value[0]}, {value[1]}]: the first line is after the last")
    return (value[0], value[1])


def p_vocab(name: str, label: str) -> Parser:
    """A notation of the ontology's ``name`` vocabulary."""

    def parse(value: Any, fc: FieldCtx) -> str:
        text = p_str(value, fc)
        voc = vocabulary(name)
        if text in voc:
            return text
        hint = ""
        if len(voc.concepts) <= 40:
            hint = " (known: " + ", ".join(sorted(voc.concepts)) + ")"
        raise Invalid(f"unknown {label} {text!r}{hint}")

    return parse


def p_vocab_list(name: str, label: str) -> Parser:
    """A list of notations of one vocabulary."""
    one = p_vocab(name, label)

    def parse(value: Any, fc: FieldCtx) -> list[str]:
        values = value if isinstance(value, list) else [value]
        return [one(v, fc) for v in values]

    return parse


def p_enum(choices: dict | list | tuple, label: str) -> Parser:
    """One of a fixed set of words."""

    def parse(value: Any, fc: FieldCtx) -> str:
        text = p_str(value, fc)
        if text not in choices:
            raise Invalid(f"unknown {label} {text!r} (known: {', '.join(sorted(choices))})")
        return text

    return parse


def p_ref(value: Any, fc: FieldCtx) -> Ref:
    """A reference (key, name or alias) to another entity."""
    return Ref(p_str(value, fc), fc.file, fc.line)


def p_ref_list(value: Any, fc: FieldCtx) -> list[Ref]:
    """A list of references."""
    values = value if isinstance(value, list) else [value]
    out = []
    for i, v in enumerate(values):
        line = values.line_of(i) if isinstance(values, LList) else fc.line
        out.append(p_ref(v, FieldCtx(fc.file, line)))
    return out


_AMOUNT_KEYS = {"amount", "currency", "text", "approximate"}


def p_amount(value: Any, fc: FieldCtx) -> Amount:
    """``{amount: 120000000, currency: EUR, text: 1.2亿欧元, approximate: false}``."""
    if not isinstance(value, dict):
        raise Invalid(f"an amount is a mapping with amount and currency, got {value!r}")
    unknown = set(value) - _AMOUNT_KEYS
    if unknown:
        raise Invalid(f"unknown amount field(s): {', '.join(sorted(map(str, unknown)))}")
    if "amount" not in value or "currency" not in value:
        raise Invalid("an amount needs both 'amount' and 'currency'")
    raw = value["amount"]
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        raise Invalid(f"amount must be a number, got {raw!r}")
    try:
        number = Decimal(str(raw).replace(",", ""))
    except InvalidOperation:
        raise Invalid(f"amount must be a number, got {raw!r}") from None
    if not number.is_finite() or number < 0:
        raise Invalid(f"amount must be a non-negative number, got {raw!r}")
    number = Decimal(format(number, "f"))  # plain notation: 1.2e8 -> 120000000
    currency = p_vocab("currency", "currency")(value["currency"], fc)
    text = p_str(value["text"], fc) if value.get("text") is not None else None
    approx = p_bool(value["approximate"], fc) if "approximate" in value else False
    return Amount(number, currency, text, approx)


_ARTICLE = re.compile(r"^\d+$")


def p_legal_basis(value: Any, fc: FieldCtx) -> list[LegalBasis]:
    """A list of ``{instrument: REF, articles: [21, 59]}`` or plain references."""
    values = value if isinstance(value, list) else [value]
    out = []
    for i, v in enumerate(values):
        line = values.line_of(i) if isinstance(values, LList) else fc.line
        sub = FieldCtx(fc.file, line)
        if isinstance(v, dict):
            if "instrument" not in v:
                raise Invalid("a legal basis needs 'instrument'")
            unknown = set(v) - {"instrument", "articles"}
            if unknown:
                raise Invalid(f"unknown legal-basis field(s): {', '.join(sorted(map(str, unknown)))}")
            arts = v.get("articles") or []
            if not isinstance(arts, list) or not all(
                isinstance(a, int) and not isinstance(a, bool) and a > 0 for a in arts
            ):
                raise Invalid(f"articles must be a list of article numbers, got {arts!r}")
            out.append(LegalBasis(p_ref(v["instrument"], sub), tuple(arts)))
        else:
            out.append(LegalBasis(p_ref(v, sub)))
    return out


def p_parties(value: Any, fc: FieldCtx) -> list[PartyRole]:
    """A list of ``{name: 梁某, role: plaintiff}``."""
    if not isinstance(value, list):
        raise Invalid("parties must be a list of {name, role}")
    out = []
    for v in value:
        if not isinstance(v, dict) or "name" not in v:
            raise Invalid(f"a party is {{name: ..., role: ...}}, got {v!r}")
        role = v.get("role", "other")
        if role not in PARTY_ROLES:
            raise Invalid(f"unknown party role {role!r} (known: {', '.join(PARTY_ROLES)})")
        out.append(PartyRole(p_str(v["name"], fc), role))
    return out


# ---------------------------------------------------------------- schemas


@dataclass(frozen=True)
class FieldSpec:
    """One field of a record kind."""

    parser: Parser
    required: bool = False


def F(parser: Parser, required: bool = False) -> FieldSpec:
    """Shorthand for a :class:`FieldSpec`."""
    return FieldSpec(parser, required)


ITEMS = F(p_str_list)
CONFIDENCE = F(p_confidence)
NOTE = F(p_str)

SCHEMAS: dict[str, dict[str, FieldSpec]] = {
    "document": {
        "id": F(p_str, True), "title": F(p_str), "issue": F(p_str), "date": F(p_date),
        "publisher": F(p_str), "source_file": F(p_str), "sha256": F(p_str), "note": NOTE,
    },
    "item": {
        "id": F(p_str, True), "section": F(p_str_list), "lines": F(p_lines, True),
        "url": F(p_str), "source_name": F(p_str), "note": NOTE,
    },
    "authority": {
        "name": F(p_str, True), "key": F(p_str), "name_en": F(p_str), "aliases": F(p_str_list),
        "kind": F(p_vocab("authority_kind", "authority kind"), True),
        "jurisdiction": F(p_vocab("jurisdiction", "jurisdiction"), True),
        "parent": F(p_ref), "review": F(p_bool), "homepage": F(p_str), "items": ITEMS, "note": NOTE,
    },
    "instrument": {
        "title": F(p_str), "key": F(p_str), "number": F(p_str), "short_titles": F(p_str_list),
        "alt_titles": F(p_str_list), "kind": F(p_vocab("instrument_type", "instrument kind")),
        "status": F(p_vocab("status", "status")), "issuers": F(p_ref_list), "issuer_count": F(p_int),
        "date_issued": F(p_date), "date_effective": F(p_date), "date_expiry": F(p_date),
        "consultation_deadline": F(p_date),
        "jurisdiction": F(p_vocab("jurisdiction", "jurisdiction"), True),
        "topics": F(p_vocab_list("topic", "topic")), "url": F(p_str), "items": ITEMS,
        "confidence": CONFIDENCE, "review": F(p_bool), "note": NOTE,
    },
    "relation": {
        "subject": F(p_ref, True), "type": F(p_enum(RELATIONS, "relation type"), True),
        "object": F(p_ref, True), "items": ITEMS, "confidence": CONFIDENCE, "note": NOTE,
    },
    "action": {
        "id": F(p_str, True), "kinds": F(p_vocab_list("action_kind", "action kind"), True),
        "authorities": F(p_ref_list), "targets": F(p_str_list), "target_count": F(p_int),
        "target_kind": F(p_vocab("party_kind", "party kind")), "date": F(p_date),
        "jurisdiction": F(p_vocab("jurisdiction", "jurisdiction")), "legal_basis": F(p_legal_basis),
        "violations": F(p_vocab_list("violation_type", "violation type")), "penalty": F(p_amount),
        "amount_involved": F(p_amount), "items": ITEMS, "confidence": CONFIDENCE, "note": NOTE,
    },
    "case": {
        "id": F(p_str, True), "name": F(p_str), "court": F(p_ref, True), "parties": F(p_parties),
        "date": F(p_date), "outcome": F(p_vocab("case_outcome", "case outcome")),
        "damages": F(p_amount), "legal_basis": F(p_legal_basis),
        "violations": F(p_vocab_list("violation_type", "violation type")),
        "jurisdiction": F(p_vocab("jurisdiction", "jurisdiction")), "items": ITEMS,
        "confidence": CONFIDENCE, "note": NOTE,
    },
    "party": {
        "name": F(p_str, True), "key": F(p_str), "name_en": F(p_str), "aliases": F(p_str_list),
        "kind": F(p_vocab("party_kind", "party kind")),
        "jurisdiction": F(p_vocab("jurisdiction", "jurisdiction")), "note": NOTE,
    },
}

# The sections of a fact file and the record kind each holds.
SECTIONS = {
    "items": "item", "authorities": "authority", "instruments": "instrument",
    "relations": "relation", "actions": "action", "cases": "case", "parties": "party",
}


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
    schema = SCHEMAS[kind]
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
            out[name] = spec.parser(value, FieldCtx(ctx.file, fline))
        except Invalid as exc:
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


@dataclass
class FactFile:
    """The parsed content of one ``data/documents/<id>.yaml``."""

    path: str
    document: Record
    records: dict[str, list[Record]]  # section -> records

    @property
    def doc_id(self) -> str:
        """The document id (file stem of the source newsletter)."""
        return self.document.data["id"]


def read_fact_file(path: str | Path) -> FactFile:
    """Read and check one fact file; raise :class:`FactErrors` listing every problem."""
    path = str(path)
    ctx = Ctx(path)
    try:
        raw = load_yaml(path)
    except FactError as exc:
        raise FactErrors([exc]) from None
    if not isinstance(raw, LMap):
        raise FactErrors([FactError(path, 1, "a fact file must be a mapping with 'document' and fact lists")])
    fmt = raw.get("format")
    if fmt != FACTS_FORMAT:
        ctx.error(raw.line_of("format"), f"format must be {FACTS_FORMAT!r}, got {fmt!r}")
    allowed = {"format", "document", *SECTIONS}
    for key in raw:
        if key not in allowed:
            ctx.error(raw.line_of(key), f"unknown section {key!r} (known: {', '.join(sorted(allowed))})")
    document = parse_record("document", raw.get("document"), ctx, raw.line_of("document"))
    records = {sec: parse_list(kind, raw.get(sec), ctx, raw.line_of(sec)) for sec, kind in SECTIONS.items()}
    if document is not None:
        stem = Path(path).stem
        if document.data["id"] != stem:
            ctx.error(document.line, f"document id {document.data['id']!r} differs from the file name {stem!r}")
    check_unique(records, ctx)
    ctx.raise_if_errors()
    assert document is not None
    return FactFile(path, document, records)


def record_id(rec: Record) -> str | None:
    """The identity of a record within its file (used by curation and duplicate checks)."""
    d = rec.data
    if rec.kind in ("item", "action", "case"):
        return d.get("id")
    if rec.kind == "relation":
        return f"{d['subject'].value} {d['type']} {d['object'].value}"
    if rec.kind == "instrument":
        return d.get("key") or d.get("title") or d.get("number")
    if rec.kind in ("authority", "party"):
        return d.get("key") or d.get("name")
    return None


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
