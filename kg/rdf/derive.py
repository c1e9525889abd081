"""Derived facts: tallies (counts and sums) and ranks that ``kg build`` computes from the facts.

Aggregations over the whole graph (fines per authority and currency, actions per country, facts per
newsletter …) cost a scan of every action or item on each query: hundreds of milliseconds at a
million triples. The build computes them once instead. Each file ``ontology/derived/<name>.rq`` is a
SPARQL CONSTRUCT over the facts and the ontology; what it constructs is a ``kg:Tally`` (``kg:tallyOf``
``"<name>"``) and goes into its own named graph, ``https://w3id.org/regkg/graph/derived``, so that
derived numbers are never mistaken for reported facts. The query packs read the tallies; the
definitions of the numbers are the CONSTRUCT queries themselves (the pack queries they replace gave
the same rows: ``tests/rdf/test_derive.py``).

A derivation may also construct facts that a standard vocabulary defines as entailed: the
closure of the jurisdictions' ``skos:broader`` as ``skos:broaderTransitive`` (``places-within.rq``),
which a query filtering on a jurisdiction and the places within it joins by hash instead of walking
the hierarchy from every place.

A derivation may instead be a SELECT of one variable whose first line names a property,
``# rank: kg:fineRank``: its rows, in the query's order, are numbered from 1 and each node gets its
number by that property (in the same derived graph). A listing sorted on a whole-graph order (the
fines, largest first) then reads one number a node instead of sorting every row on each query.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

from .. import paths
from ..errors import KgError
from ..model.terms import DERIVED_GRAPH, ID, PREFIXES


class DeriveError(KgError):
    """A derivation query of ``ontology/derived/`` failed."""


_RANK = re.compile(r"#\s*rank:\s*(\w+):(\w+)\s*$")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


def derived_quads(store: ox.Store) -> list[ox.Quad]:
    """The tallies and ranks of every derivation query, run on ``store`` (facts and ontology in its
    default graph), as quads of the derived graph, each once (a CONSTRUCT may give a triple twice)."""
    graph = ox.NamedNode(str(DERIVED_GRAPH))
    prefixes = {**PREFIXES, "id": str(ID)}
    out: list[ox.Quad] = []
    for path in paths.derived_queries():
        try:
            text = path.read_text(encoding="utf-8")
            rank = _rank_property(path, text)
            result = store.query(text, prefixes=prefixes)
            if isinstance(result, ox.QueryTriples) == (rank is not None):
                raise ValueError("a derivation is a CONSTRUCT, or a SELECT whose first line is `# rank: PROPERTY`")
            if rank is None:
                out.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in result)
            else:
                out.extend(ox.Quad(row[0], rank, ox.Literal(str(n), datatype=_INTEGER), graph)
                           for n, row in enumerate(result, 1))
        except (SyntaxError, OSError, ValueError, TypeError) as exc:
            raise DeriveError(f"{path}: {exc}") from None
    return list(dict.fromkeys(out))


def _rank_property(path: Path, text: str) -> ox.NamedNode | None:
    """The property a ranking derivation names on its first line (``# rank: kg:fineRank``), or None."""
    m = _RANK.match(text.split("\n", 1)[0])
    if m is None:
        return None
    if m.group(1) not in PREFIXES:
        raise DeriveError(f"{path}: line 1: unknown prefix {m.group(1)!r} in `# rank:`")
    return ox.NamedNode(PREFIXES[m.group(1)] + m.group(2))
