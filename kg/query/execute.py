"""Running a pack query: parameters resolved and bound, columns in the documented order."""

from __future__ import annotations

from .engines import Engine
from .packs import Query
from .params import bind_params
from .results import Result


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
