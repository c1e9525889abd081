"""SPARQL query packs: discovery and headers.

A pack is a folder of ``queries/``; a query is a ``.rq`` file that opens with a header of
``#`` comment lines::

    # title: Instruments an authority issued
    # description: Every instrument the authority passed, newest first.
    # param: authority (authority, required) - the issuing body: a label, an alias or an IRI
    # param: year (year) = 2025 - only instruments issued that year
    # columns: instrument, title, date, kind
    # example: kg query authorities/issued-by --param authority=国家网信办

A query that can return thousands of rows declares pages with ``# page: 100``: it then runs one
page of that many rows at a time (the first unless another is asked for), with a ``LIMIT`` and
``OFFSET`` of validated integers that the runner writes, never user text (:func:`page_text`). They go
on the body line ``# page`` when the query has one (in a sub-select that finds and sorts the page's
keys before the outer query looks up the rest of each row: the page's rows alone), else at its end.

Parameters are SPARQL variables of the query. Their values are never pasted into the
query text as text: they become a ``VALUES`` block of RDF terms serialised by pyoxigraph
at the start of the query's first WHERE group (so quotes, braces or ``} ; DROP …`` stay inside a
literal), the same on the embedded store and on a remote endpoint. A parameter of an entity
type (authority, instrument, party, jurisdiction …) takes a name, a key or an IRI and is
resolved to the node first (:mod:`kg.query.names`). In a query whose page of keys is a
sub-select, that first WHERE group is the sub-select's (the outer query is written ``SELECT … {``
without the keyword), so the parameters narrow the keys before the page is cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import QueryError
from ..model.spec import model

PARAM_RE = re.compile(r"^#\s*param:\s*(\w+)\s*(?:\(([^)]*)\))?\s*(?:=\s*(.*?))?\s*(?:-\s+(.*))?$")
HEADER_RE = re.compile(r"^#\s*(title|description|columns|example|page)\s*:\s*(.*)$")
PAGE_MARK = re.compile(r"(?m)^[ \t]*#[ \t]*page[ \t]*$")
MAX_PAGE = 1_000_000

# entity parameter types -> the class whose labels resolve them: the model's record kinds and
# vocabularies (``action-kind`` for action_kind), and ``entity`` for any node
VALUE_TYPES = ("string", "integer", "year", "date", "decimal", "currency", "iri")
ENTITY_TYPES = {
    **{k.name: k.cls for k in model().kinds.values() if k.iri},
    **{s.name.replace("_", "-"): s.cls for s in model().schemes.values() if s.name not in VALUE_TYPES},
    "entity": None,
}



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
    page_size: int | None = None  # rows a page (``# page: N``); None: the query is not paged

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
            if key == "page":
                q.page_size = _page_size(value, name)
            elif key == "columns":
                q.columns = [c.strip() for c in value.split(",") if c.strip()]
            elif key == "description" and q.description:
                q.description += " " + value
            else:
                setattr(q, key, value)
        elif m := PARAM_RE.match(line):
            opts = [o.strip() for o in (m.group(2) or "").split(",") if o.strip()]
            ptype = next((o for o in opts if o in ENTITY_TYPES or o in VALUE_TYPES), "string")
            q.params.append(Param(m.group(1), ptype, "required" in opts, m.group(3) or None, m.group(4) or ""))
    if any(p.name == "page" for p in q.params):
        raise QueryError(f"{path or name}: a parameter cannot be called 'page' (it names the page of a listing)")
    return q


def _page_size(value: str, name: str) -> int:
    if not re.fullmatch(r"\d{1,5}", value) or int(value) == 0:
        raise QueryError(f"{name}: '# page: {value}' is not a number of rows a page (1 to 99999)")
    return int(value)


def page_text(q: Query, page: int | None, extra: int = 0) -> str:
    """The query text of page ``page`` (from 1) of a paged query with ``extra`` rows more (the runner
    asks for one more, to tell whether another page follows); the whole listing when ``page`` is None
    or the query has no pages. ``LIMIT``/``OFFSET`` go on the ``# page`` line, else at the end."""
    if page is None or q.page_size is None:
        return q.text
    if isinstance(page, bool) or not isinstance(page, int) or not 1 <= page <= MAX_PAGE:
        raise QueryError(f"page {page!r} of {q.name}: a page is a whole number from 1 to {MAX_PAGE}")
    clause = f"LIMIT {q.page_size + int(extra)} OFFSET {(page - 1) * q.page_size}"
    if PAGE_MARK.search(q.text):
        return PAGE_MARK.sub(clause, q.text, count=1)
    return q.text.rstrip("\n") + "\n" + clause + "\n"


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
