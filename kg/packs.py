"""SPARQL query packs: discovery, headers, parameter binding, execution, output formats.

A pack is a folder of ``queries/``; a query is a ``.rq`` file that opens with a header of
``#`` comment lines::

    # title: Instruments an authority issued
    # description: Every instrument the authority passed, newest first.
    # param: authority (authority, required) - the issuing body: a label, an alias or an IRI
    # param: year (year) = 2025 - only instruments issued that year
    # columns: instrument, title, date, kind
    # example: kg query authorities/issued-by --param authority=国家网信办

Parameters are SPARQL variables of the query. Their values are never pasted into the
query text as text: they become a ``VALUES`` block of RDF terms serialised by pyoxigraph
at the start of the query's WHERE group (so quotes, braces or ``} ; DROP …`` stay inside a
literal), the same on the embedded store and on a remote endpoint. A parameter of an entity
type (authority, instrument, party, jurisdiction …) accepts a label, an alias or an IRI
and is resolved to the node first.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from . import paths
from .vocab import KG, KGV, PREFIXES

PARAM_RE = re.compile(r"^#\s*param:\s*(\w+)\s*(?:\(([^)]*)\))?\s*(?:=\s*(.*?))?\s*(?:-\s+(.*))?$")
HEADER_RE = re.compile(r"^#\s*(title|description|columns|example)\s*:\s*(.*)$")

# entity parameter types -> the class whose labels resolve them
ENTITY_TYPES = {
    "authority": KG.Authority, "instrument": KG.Instrument, "party": KG.Party, "jurisdiction": KG.Jurisdiction,
    "document": KG.SourceDocument, "topic": KG.Topic, "action-kind": KG.ActionKind,
    "instrument-type": KG.InstrumentType,
    "entity": None,
}
VALUE_TYPES = ("string", "integer", "year", "date", "decimal", "currency", "iri")


class QueryError(Exception):
    """A query, a parameter or an endpoint problem, with a message for the user."""


@dataclass
class Param:
    """A declared parameter."""

    name: str
    type: str = "string"
    required: bool = False
    default: str | None = None
    help: str = ""


@dataclass
class Query:
    """A query of a pack, with its header."""

    name: str  # pack/query
    path: Path | None
    text: str
    title: str = ""
    description: str = ""
    params: list[Param] = field(default_factory=list)
    columns: list[str] = field(default_factory=list)
    example: str = ""

    @property
    def pack(self) -> str:
        """The pack (folder) name."""
        return self.name.split("/")[0] if "/" in self.name else ""


def parse_query(text: str, name: str = "<query>", path: Path | None = None) -> Query:
    """A query with its header parsed."""
    q = Query(name=name, path=path, text=text)
    for line in text.splitlines():
        if not line.startswith("#"):
            if line.strip():
                break
            continue
        if m := HEADER_RE.match(line):
            key, value = m.group(1), m.group(2).strip()
            if key == "columns":
                q.columns = [c.strip() for c in value.split(",") if c.strip()]
            elif key == "description" and q.description:
                q.description += " " + value
            else:
                setattr(q, key, value)
        elif m := PARAM_RE.match(line):
            opts = [o.strip() for o in (m.group(2) or "").split(",") if o.strip()]
            ptype = next((o for o in opts if o in ENTITY_TYPES or o in VALUE_TYPES), "string")
            q.params.append(Param(m.group(1), ptype, "required" in opts, m.group(3) or None, m.group(4) or ""))
    return q


def discover(root: Path | None = None) -> dict[str, Query]:
    """Every query of every pack, by ``pack/name``."""
    root = root or paths.queries_dir()
    out = {}
    for path in sorted(root.glob("*/*.rq")):
        name = f"{path.parent.name}/{path.stem}"
        out[name] = parse_query(path.read_text(encoding="utf-8"), name, path)
    return out


def find_query(name: str, root: Path | None = None) -> Query:
    """A query by ``pack/name`` or a unique ``name``."""
    queries = discover(root)
    if name in queries:
        return queries[name]
    hits = [q for n, q in queries.items() if n.split("/")[-1] == name]
    if len(hits) == 1:
        return hits[0]
    if hits:
        raise QueryError(f"query {name!r} is in several packs: {', '.join(q.name for q in hits)}")
    raise QueryError(f"unknown query {name!r}: `kg query --list` shows the packs")


# ---------------------------------------------------------------- engines


class Engine:
    """Where queries run: the embedded store or a remote SPARQL 1.1 endpoint."""

    def select(self, text: str, bindings: dict[str, ox.NamedNode | ox.Literal]) -> tuple[list[str], list[list]]:
        """Column names and rows (pyoxigraph terms or None)."""
        raise NotImplementedError


class StoreEngine(Engine):
    """The embedded Oxigraph store; the default graph is the union of all named graphs."""

    def __init__(self, store: ox.Store):
        self.store = store

    def select(self, text, bindings):
        try:
            result = self.store.query(bind_values(text, bindings), use_default_graph_as_union=True,
                                      prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except OSError as exc:
            raise QueryError(f"the store could not run the query: {exc}") from None
        if isinstance(result, ox.QueryBoolean):
            return ["result"], [[ox.Literal(bool(result))]]
        if isinstance(result, ox.QueryTriples):
            return ["subject", "predicate", "object"], [[t.subject, t.predicate, t.object] for t in result]
        columns = [v.value for v in result.variables]
        return columns, [[row[c] for c in columns] for row in result]


class EndpointEngine(Engine):
    """A remote SPARQL 1.1 Protocol endpoint (POST, SPARQL JSON results).

    ``http://user:password@host/sparql`` sends the credentials as HTTP basic authentication
    (they are not kept in :attr:`url`, so messages do not show them)."""

    def __init__(self, url: str, timeout: float = 60.0, headers: dict[str, str] | None = None):
        if not re.match(r"^https?://", url):
            raise QueryError(f"endpoint {url!r} is not an http(s) URL")
        self.headers = dict(headers or {})
        parts = urllib.parse.urlsplit(url)
        if parts.username is not None:
            import base64

            user_pass = f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}"
            self.headers.setdefault("Authorization", "Basic " + base64.b64encode(user_pass.encode()).decode())
            url = urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
        self.url = url
        self.timeout = timeout

    def select(self, text, bindings):
        query = bind_values(text, bindings)
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if f"{p}:" in query
                           and not re.search(rf"PREFIX\s+{p}:", query, re.I))
        body = urllib.parse.urlencode({"query": prologue + query}).encode()
        req = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json", **self.headers})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                data = json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise QueryError(f"endpoint {self.url} answered {exc.code}: {detail}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise QueryError(f"cannot reach endpoint {self.url}: {getattr(exc, 'reason', exc)}") from None
        except json.JSONDecodeError:
            raise QueryError(f"endpoint {self.url} did not answer with SPARQL JSON results") from None
        if "boolean" in data:
            return ["result"], [[ox.Literal(bool(data["boolean"]))]]
        columns = data["head"]["vars"]
        rows = [[_json_term(b.get(c)) for c in columns] for b in data["results"]["bindings"]]
        return columns, rows


def _json_term(b: dict | None):
    if b is None:
        return None
    if b["type"] == "uri":
        return ox.NamedNode(b["value"])
    if b["type"] == "bnode":
        return ox.BlankNode(b["value"])
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    if "datatype" in b:
        return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(b["value"])


_TOKENS = re.compile(r"""<[^<>\s"{}|^`\\]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*""")


def _mask_comments(text: str) -> str:
    """The text with its ``#`` comments blanked (same length); IRIs and strings kept."""
    return _TOKENS.sub(lambda m: " " * len(m.group()) if m.group().startswith("#") else m.group(), text)


def bind_values(text: str, bindings: dict) -> str:
    """The query with a ``VALUES`` block for the bindings at the start of its outermost WHERE group.

    Terms are serialised by pyoxigraph (``str(term)`` is N-Triples syntax, escaped), so a value
    cannot change the query's structure. SPARQL Update is refused: the graph is read-only here."""
    masked = _mask_comments(text)
    body = re.sub(r"(?is)^\s*(?:(?:PREFIX\s+[\w.-]*:\s*|BASE\s*)<[^>]*>\s*)*", "", masked)
    if m := re.match(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", body, re.I):
        raise QueryError(f"SPARQL Update ({m.group(1).upper()} …) is not accepted: queries here are read-only "
                         "(SELECT, ASK, CONSTRUCT or DESCRIBE); the graph is changed through data/ and `kg build`")
    if not bindings:
        return text
    values = " ".join(f"VALUES ?{k} {{ {' '.join(map(str, v)) if isinstance(v, list) else v} }}"
                      for k, v in bindings.items())
    m = re.search(r"\bWHERE\s*\{", masked, re.I)
    if not m:
        raise QueryError("the query has no WHERE clause to bind parameters in")
    return text[: m.end()] + " " + values + " " + text[m.end():]


# ---------------------------------------------------------------- parameters


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
        from .ontology import vocabulary

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
  ?node skos:prefLabel|skos:altLabel|rdfs:label|eli:title|eli:title_short|eli:title_alternative|skos:notation
        |eli:id_local|dcterms:identifier ?l .
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
    # the label as a plain, a Chinese and an English literal: an index lookup, not a scan
    bindings: dict = {"l": [ox.Literal(text), ox.Literal(text, language="zh"), ox.Literal(text, language="en")]}
    if cls is not None:
        bindings["class"] = ox.NamedNode(str(cls))
    _cols, rows = engine.select(RESOLVE, bindings)
    nodes = list(dict.fromkeys(r[0].value for r in rows if r[0] is not None))
    if not nodes:
        from .ids import format_standard_number, parse_standard_number

        parsed = parse_standard_number(text)
        if parsed and parsed[1] is None:
            # a standard number without its year: the latest edition
            _cols, rows = engine.select(RESOLVE_STANDARD, {"prefix": ox.Literal(format_standard_number(text))})
            editions = sorted((r[1].value, r[0].value) for r in rows)
            nodes = [editions[-1][1]] if editions else []
    if not nodes:
        raise QueryError(f"parameter {name}: no {ptype} is called {value!r}")
    if len(nodes) > 1:
        raise QueryError(f"parameter {name}: {value!r} names several {ptype} nodes: " + ", ".join(nodes[:8])
                         + " - pass an IRI")
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


# ---------------------------------------------------------------- results


def python_value(term):
    """A pyoxigraph term as a plain Python value for tables and DataFrames."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value if term.datatype else ""
        if dtype.endswith(("#integer", "#int", "#long")):
            return int(term.value)
        if dtype.endswith("#decimal"):
            return Decimal(term.value)
        if dtype.endswith(("#double", "#float")):
            return float(term.value)
        if dtype.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value


@dataclass
class Result:
    """Rows of a query."""

    columns: list[str]
    rows: list[list]

    def values(self) -> list[list]:
        """Rows of plain Python values."""
        return [[python_value(t) for t in row] for row in self.rows]

    def to_dataframe(self):
        """A pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.values(), columns=self.columns)

    def format(self, fmt: str) -> str:
        """The rows as table, csv, tsv, json or markdown."""
        values = [["" if v is None else str(v) for v in row] for row in self.values()]
        if fmt in ("csv", "tsv"):
            import csv
            import io

            buf = io.StringIO()
            writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
            writer.writerow(self.columns)
            writer.writerows(values)
            return buf.getvalue()
        if fmt == "json":
            return json.dumps([dict(zip(self.columns, [_json_value(v) for v in row], strict=True))
                               for row in self.values()], ensure_ascii=False, indent=2) + "\n"
        if fmt == "markdown":
            esc = [[c.replace("|", "\\|").replace("\n", " ") for c in row] for row in values]
            lines = ["| " + " | ".join(self.columns) + " |", "|" + "---|" * len(self.columns)]
            lines += ["| " + " | ".join(row) + " |" for row in esc]
            return "\n".join(lines) + "\n"
        if fmt == "table":
            return _table(self.columns, values)
        raise QueryError(f"unknown format {fmt!r}")


def _json_value(v):
    if isinstance(v, Decimal):
        return float(v) if v != v.to_integral() else int(v)
    return v


def _width(s: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _table(columns: list[str], rows: list[list[str]]) -> str:
    widths = [_width(c) for c in columns]
    for row in rows:
        widths = [max(w, min(_width(v), 60)) for w, v in zip(widths, row, strict=True)]

    def cell(v: str, w: int) -> str:
        if _width(v) > 60:
            while _width(v) > 57:
                v = v[:-1]
            v += "..."
        return v + " " * (w - _width(v))

    out = ["  ".join(cell(c, w) for c, w in zip(columns, widths, strict=True)).rstrip(),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(cell(v, w) for v, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def run(q: Query, engine: Engine, params: dict[str, str] | None = None) -> Result:
    """Run a query with parameters (label values resolved, all values bound)."""
    bindings = bind_params(q, params or {}, engine)
    columns, rows = engine.select(q.text, bindings)
    if q.columns and columns != q.columns:
        # keep the documented order when the engine reports another one
        idx = [columns.index(c) for c in q.columns if c in columns]
        if len(idx) == len(q.columns):
            columns, rows = q.columns, [[r[i] for i in idx] for r in rows]
    return Result(columns, rows)


__all__ = [
    "KGV",
    "EndpointEngine",
    "Engine",
    "Query",
    "QueryError",
    "Result",
    "StoreEngine",
    "discover",
    "find_query",
    "parse_query",
    "run",
]
