"""Derived facts: tallies (counts and sums) that ``kg build`` computes from the facts.

Aggregations over the whole graph (fines per authority and currency, actions per country, facts per
newsletter …) cost a scan of every action or item on each query: hundreds of milliseconds at a
million triples. The build computes them once instead. Each file ``ontology/derived/<name>.rq`` is a
SPARQL CONSTRUCT over the facts and the ontology; what it constructs is a ``kg:Tally`` (``kg:tallyOf``
``"<name>"``) and goes into its own named graph, ``https://w3id.org/regkg/graph/derived``, so that
derived numbers are never mistaken for reported facts. The query packs read the tallies; the
definitions of the numbers are the CONSTRUCT queries themselves (the pack queries they replace gave
the same rows: ``tests/rdf/test_derive.py``).
"""

from __future__ import annotations

import pyoxigraph as ox

from .. import paths
from ..errors import KgError
from ..model.terms import DERIVED_GRAPH, ID, PREFIXES


class DeriveError(KgError):
    """A derivation query of ``ontology/derived/`` failed."""


def derived_quads(store: ox.Store) -> list[ox.Quad]:
    """The tallies of every derivation query, run on ``store`` (facts and ontology in its default
    graph), as quads of the derived graph."""
    graph = ox.NamedNode(str(DERIVED_GRAPH))
    prefixes = {**PREFIXES, "id": str(ID)}
    out: list[ox.Quad] = []
    for path in paths.derived_queries():
        try:
            triples = store.query(path.read_text(encoding="utf-8"), prefixes=prefixes)
            out.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples)
        except (SyntaxError, OSError, ValueError) as exc:
            raise DeriveError(f"{path}: {exc}") from None
    return out
