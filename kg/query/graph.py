"""The built graph as a Python object: the API the CLI, notebooks and scripts share.

    import kg
    g = kg.open()                                   # ./kg-build, or $KG_BUILD_DIR
    g.query("authorities/issued-by", authority="国家网信办")   # -> pandas DataFrame
    g.query("cases/parties", page=2)                # a paged query: its second page (page=None: all)
    g.sparql("SELECT ?s WHERE { ?s a kg:Authority }")
    g.entity("个保法")                              # -> dict of properties
    g.to_networkx("issuance")                       # -> networkx graph
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pyoxigraph as ox

from .. import paths
from ..errors import QueryError
from ..model.terms import curie
from ..store.store import check_derivations, open_store
from .engines import EndpointEngine, Engine, StoreEngine
from .execute import run as run_query
from .packs import Query, discover, find_query, parse_query
from .results import Result


class Graph:
    """A built graph, embedded or behind a SPARQL endpoint."""

    def __init__(self, engine: Engine, store: ox.Store | None = None, build_dir: Path | None = None):
        self.engine = engine
        self.store = store
        self.build_dir = build_dir

    # ------------------------------------------------------------ queries

    def queries(self) -> dict[str, Query]:
        """The query packs."""
        return discover()

    def run(self, name: str, page: int | None = 1, **params: str) -> Result:
        """Run a pack query; parameters by keyword (for entities, a name :meth:`resolve` takes). A paged
        query (``# page: N``) gives page ``page`` of its rows (``page=None``: every row; the result's
        ``more`` says whether another page follows)."""
        return run_query(find_query(name), self.engine, {k: str(v) for k, v in params.items()}, page)

    def query(self, name: str, page: int | None = 1, **params: str):
        """Run a pack query and return a pandas DataFrame (of a paged query, one page: ``page``,
        ``page_size`` and ``more`` are in its ``attrs``; ``page=None`` for every row)."""
        return self.run(name, page, **params).to_dataframe()

    def sparql(self, text: str, **params: str):
        """Run SPARQL text (prefixes kg:, eli:, prov: … predeclared) and return a DataFrame.
        Parameters are bound to the variables of the same name (as strings)."""
        q = parse_query(text, "<sparql>")
        from .packs import Param

        q.params = q.params or [Param(k) for k in params]
        return run_query(q, self.engine, {k: str(v) for k, v in params.items()}, page=None).to_dataframe()

    # ------------------------------------------------------------ entities

    def resolve(self, name: str, kind: str = "entity") -> str:
        """The IRI of the entity a label, alias, English name, number, key or IRI names
        (:mod:`kg.query.names`); :class:`~kg.errors.NameLookupError` lists the nearest names or the rivals."""
        from .names import resolve

        return resolve(self.engine, name, kind)

    def entity(self, name: str, kind: str = "entity") -> dict:
        """Every property of an entity (by a name :meth:`resolve` takes): predicate -> list of values."""
        iri = self.resolve(name, kind)
        _cols, rows = self.engine.select("SELECT ?p ?o WHERE { ?s ?p ?o }", {"s": ox.NamedNode(iri)})
        out: dict[str, list] = defaultdict(list)
        for p, o in rows:
            key = curie(p.value)
            value = o.value if o is not None else None
            if value not in out[key]:
                out[key].append(value)
        return {"iri": iri, **dict(out)}

    # ------------------------------------------------------------ networks

    def to_networkx(self, kind: str = "all"):
        """A networkx MultiDiGraph of entities (authorities, instruments, actions, parties, cases) and
        their links. ``kind``: ``issuance`` (authorities and instruments), ``lineage`` (instrument
        relations), ``enforcement`` (authorities, actions, targets, laws) or ``all``."""
        from .network import build_network

        return build_network(self, kind)




def open(build_dir: str | Path | None = None, endpoint: str | None = None) -> Graph:
    """The built graph: the embedded store of ``build_dir`` (default ./kg-build or $KG_BUILD_DIR),
    or a remote SPARQL endpoint."""
    if endpoint:
        return Graph(EndpointEngine(endpoint))
    bdir = paths.build_dir(build_dir)
    store = open_store(bdir)
    check_derivations(bdir)
    return Graph(StoreEngine(store), store, bdir)


__all__ = ["Graph", "QueryError", "open"]
