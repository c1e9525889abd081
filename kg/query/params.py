"""Query parameters: typed literals, and entity names resolved to nodes of the graph."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pyoxigraph as ox

from ..errors import QueryError, ResolveError
from ..model.spec import model
from .engines import Engine
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
        return _iri(value, name)
    return ox.Literal(value)


def _iri(value: str, name: str) -> ox.NamedNode:
    value = value.strip().strip("<>")
    if not re.match(r"^[a-z][a-z0-9+.-]*:\S+$", value, re.I) or re.search(r"[\s<>\"{}|\\^`]", value):
        raise QueryError(f"parameter {name}: {value!r} is not an IRI")
    return ox.NamedNode(value)


RESOLVE = """
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX eli: <http://data.europa.eu/eli/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT DISTINCT ?node WHERE {
  { ?node skos:prefLabel|skos:altLabel|rdfs:label|skos:notation|eli:id_local|dcterms:identifier ?l . }
  UNION { ?expression eli:title|eli:title_short|eli:title_alternative ?l . ?expression eli:realizes ?node . }
  FILTER EXISTS { ?node a ?class }  # a filter, not a join: the label lookup stays an index probe
}"""


RESOLVE_STANDARD = """
PREFIX eli: <http://data.europa.eu/eli/ontology#>
SELECT ?node ?number WHERE {
  ?node eli:id_local ?number .
  FILTER(STRSTARTS(STR(?number), CONCAT(?prefix, "-")) || STRSTARTS(STR(?number), CONCAT(?prefix, ":")))
}"""


def resolve_entity(engine: Engine, value: str, ptype: str, name: str) -> ox.NamedNode:
    """The node a label, alias, notation or IRI names (an error if none or several)."""
    if re.match(r"^(?:https?|urn):", value.strip()) or value.strip().startswith("<"):
        return _iri(value, name)
    cls = ENTITY_TYPES.get(ptype)
    text = value.strip()
    # the label as a plain, a Chinese and an English literal, and a notation of each vocabulary:
    # an index lookup, not a scan
    literals = [ox.Literal(text), ox.Literal(text, language="zh"), ox.Literal(text, language="en")]
    literals += [ox.Literal(text, datatype=ox.NamedNode(str(s.notation))) for s in model().schemes.values()]
    bindings: dict = {"l": literals}
    if cls is not None:
        bindings["class"] = ox.NamedNode(str(cls))
    _cols, rows = engine.select(RESOLVE, bindings)
    nodes = list(dict.fromkeys(r[0].value for r in rows if r[0] is not None))
    if not nodes:
        from ..model.ids import format_standard_number, parse_standard_number

        parsed = parse_standard_number(text)
        if parsed and parsed[1] is None:
            # a standard number without its year: the latest edition
            _cols, rows = engine.select(RESOLVE_STANDARD, {"prefix": ox.Literal(format_standard_number(text))})
            editions = sorted((r[1].value, r[0].value) for r in rows)
            nodes = [editions[-1][1]] if editions else []
    if not nodes:
        raise ResolveError(f"parameter {name}: no {ptype} is called {value!r}")
    if len(nodes) > 1:
        raise ResolveError(f"parameter {name}: {value!r} names several {ptype} nodes: " + ", ".join(nodes[:8])
                           + " - pass an IRI", nodes, ambiguous=True)
    return ox.NamedNode(nodes[0])


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
            out[p.name] = resolve_entity(engine, value, p.type, p.name)
        else:
            out[p.name] = _literal(value, p.type, p.name)
    return out


