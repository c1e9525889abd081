"""Running a pack query: parameters resolved and bound, columns in the documented order, one page
of a paged query (``# page: N``) at a time."""

from __future__ import annotations

from .engines import Engine
from .packs import Query, page_text
from .params import bind_params
from .results import Result


def run(q: Query, engine: Engine, params: dict[str, str] | None = None, page: int | None = 1) -> Result:
    """Run a query with parameters (label values resolved, all values bound). A paged query gives page
    ``page`` (from 1), or every row when ``page`` is None; a query without pages always every row."""
    bindings = bind_params(q, params or {}, engine)
    paged = page is not None and q.page_size is not None
    # one row more than the page tells whether another page follows, without counting the listing
    columns, rows = engine.select(page_text(q, page, extra=1), bindings)
    more = paged and len(rows) > q.page_size
    if more:
        rows = rows[: q.page_size]
    if q.columns and columns != q.columns:
        # keep the documented order when the engine reports another one
        idx = [columns.index(c) for c in q.columns if c in columns]
        if len(idx) == len(q.columns):
            columns, rows = q.columns, [[r[i] for i in idx] for r in rows]
    if not paged:
        return Result(columns, rows)
    return Result(columns, rows, page=page, page_size=q.page_size, more=more)
