"""The values of the fact files and their parsers: partial dates, amounts, references, legal bases.

Each parser takes a YAML value and a :class:`FieldCtx` (where it was written) and returns the
checked value or raises :class:`Invalid` with a message for the user; the record parsers of
:mod:`kg.facts.schema` add the file and line.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from ..model.terms import PARTY_ROLES
from ..model.vocabularies import vocabulary
from .yamlio import LList


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


@dataclass(frozen=True)
class Amendment:
    """One amendment of an instrument: its date, the date it took effect, the amending act as named."""

    date: PDate
    effective: PDate | None = None
    by: str | None = None
    by_key: str | None = None  # the amending act's key, when the graph knows it


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


_URL = re.compile(r"^https?://\S+$")
_DOC_ID = re.compile(r"^[\w.-]+$")


def p_sources(value: Any, fc: FieldCtx) -> list[str]:
    """Where a reference entry was checked: page URLs or document ids (``003_eeeb763fd2a42cb1``)."""
    out = []
    for v in p_str_list(value, fc):
        if not (_URL.match(v) or _DOC_ID.match(v)):
            raise Invalid(f"a source is a page URL (http...) or a document id, got {v!r}")
        out.append(v)
    return out


def p_amendments(value: Any, fc: FieldCtx) -> list[Amendment]:
    """``[{date: 2021-04-29, effective: 2021-04-29, by: TITLE}, ...]``."""
    if not isinstance(value, list):
        raise Invalid("amendments must be a list of {date, effective, by}")
    out = []
    for v in value:
        if not isinstance(v, dict) or "date" not in v:
            raise Invalid(f"an amendment is {{date: ..., effective: ..., by: ...}}, got {v!r}")
        unknown = set(v) - {"date", "effective", "by"}
        if unknown:
            raise Invalid(f"unknown amendment field(s): {', '.join(sorted(map(str, unknown)))}")
        out.append(Amendment(parse_date(v["date"]), parse_date(v["effective"]) if v.get("effective") else None,
                             p_str(v["by"], fc) if v.get("by") else None))
    return out


def p_pattern(inner: Parser, pattern: str, label: str) -> Parser:
    """``inner``, then the value must have the shape ``pattern`` (a regular expression)."""
    rx = re.compile(pattern)

    def parse(value: Any, fc: FieldCtx):
        out = inner(value, fc)
        for v in out if isinstance(out, list) else [out]:
            if not rx.match(str(v)):
                raise Invalid(f"{v!r} does not have the shape of {label} ({pattern})")
        return out

    return parse
