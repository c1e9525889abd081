"""SPARQL query packs: discovery and headers.

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
type (authority, instrument, party, jurisdiction …) takes a name, a key or an IRI and is
resolved to the node first (:mod:`kg.query.names`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..errors import QueryError
from ..model.spec import model

PARAM_RE = re.compile(r"^#\s*param:\s*(\w+)\s*(?:\(([^)]*)\))?\s*(?:=\s*(.*?))?\s*(?:-\s+(.*))?$")
HEADER_RE = re.compile(r"^#\s*(title|description|columns|example)\s*:\s*(.*)$")

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
