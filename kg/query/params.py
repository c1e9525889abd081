"""Query parameters: typed literals, and entity names resolved to nodes of the graph (:mod:`kg.query.names`)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pyoxigraph as ox

from ..errors import QueryError
from .engines import Engine
from .names import parse_iri, resolve
from .packs import ENTITY_TYPES, Query


def _literal(value: str, ptype: str, name: str):
    xsd = "http://www.w3.org/2001/XMLSchema#"
    if ptype in ("integer", "year"):
        if not re.fullmatch(r"-?\d{1,6}", value.strip()):
            raise QueryError(f"parameter {name}: {value!r} is not a whole number")
        return ox.Literal(value.strip(), datatype=ox.NamedNode(xsd + "integer"))
    if ptype == "decimal":
        try:
            d = Decimal(value.strip())
        except Exception:
            raise QueryError(f"parameter {name}: {value!r} is not a number") from None
        return ox.Literal(format(d, "f"), datatype=ox.NamedNode(xsd + "decimal"))
    if ptype == "date":
        try:
            dt.date.fromisoformat(value.strip())
        except ValueError:
            raise QueryError(f"parameter {name}: {value!r} is not a date (YYYY-MM-DD)") from None
        return ox.Literal(value.strip(), datatype=ox.NamedNode(xsd + "date"))
    if ptype == "currency":
        from ..model.vocabularies import vocabulary

        code = value.strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", code) or code not in vocabulary("currency"):
            raise QueryError(f"parameter {name}: {value!r} is not an ISO 4217 currency code such as EUR")
        return ox.Literal(code)
    if ptype == "iri":
        return parse_iri(value, f"parameter {name}")
    return ox.Literal(value)


def bind_params(q: Query, given: dict[str, str], engine: Engine) -> dict:
    """Typed RDF terms for the given parameters (defaults filled in); errors name the parameter."""
    known = {p.name: p for p in q.params}
    unknown = sorted(set(given) - set(known))
    if unknown:
        raise QueryError(f"unknown parameter(s) {', '.join(unknown)} for {q.name}; it takes: "
                         + (", ".join(known) or "none"))
    out = {}
    for p in q.params:
        value = given.get(p.name, p.default)
        if value is None or value == "":
            if p.required:
                raise QueryError(f"{q.name} needs --param {p.name}=... ({p.help or p.type})")
            continue
        if p.type in ENTITY_TYPES:
            out[p.name] = ox.NamedNode(resolve(engine, value, p.type, f"parameter {p.name}"))
        else:
            out[p.name] = _literal(value, p.type, p.name)
    return out


