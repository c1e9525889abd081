"""Pack queries rewritten for speed give the rows of their plain formulation, row for row.

``tests/query/reference/<pack>/<name>.rq`` keeps each query as it was written before it was made
faster for Oxigraph (properties read in sub-selects to be joined by hash, counts read from the tallies
of ``kg build``, paths looked up from the bound end): the plain text is the definition, the pack query
must give the same columns and the same rows in the same order, on the shipped graph and on the
query-pack fixture graph."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

import kg
from kg.query.execute import run
from kg.query.packs import discover, find_query, parse_query

from .test_pages import BEFORE

REFERENCE = Path(__file__).parent / "reference"
# the example's parameters where they name nothing in the fixture graph
FIXTURE_PARAMS = {"reference/bodies-under": {"authority": "https://w3id.org/regkg/id/authority/CN/国家互联网信息办公室"},
                  "reference/amendment-history": {"instrument": "示例网络法"}}
REWRITTEN = sorted(str(p.relative_to(REFERENCE).with_suffix("")) for p in REFERENCE.glob("*/*.rq"))


def example_params(q) -> dict[str, str]:
    """The parameters of a query's ``# example:`` line."""
    args = shlex.split(q.example)
    return dict(args[n + 1].split("=", 1) for n, a in enumerate(args) if a in ("--param", "-p"))


def rows_of(graph, q, params):
    result = run(q, graph.engine, params)
    return result.columns, [[None if t is None else str(t) for t in row] for row in result.rows]


def test_every_reference_is_a_pack_query():
    assert len(REWRITTEN) >= 8
    assert set(REWRITTEN) <= set(discover())


@pytest.mark.parametrize("name", REWRITTEN)
@pytest.mark.parametrize("which", ["shipped", "fixture"])
def test_rewritten_query_gives_the_rows_of_its_plain_form(name, which, shipped_build, query_build):
    graph = kg.open(shipped_build if which == "shipped" else query_build)
    q = find_query(name)
    plain = parse_query((REFERENCE / f"{name}.rq").read_text(encoding="utf-8"), name)
    assert plain.text != q.text, f"{name}: the reference is the pack query itself"
    params = example_params(q) if which == "shipped" else FIXTURE_PARAMS.get(name, example_params(q))
    columns, rows = rows_of(graph, q, params)
    assert (columns, rows) == rows_of(graph, plain, params)
    assert rows or which == "fixture", f"{name}: nothing to compare on the shipped graph"


# fields the page-first rewrites look up for a page's rows alone, after cutting the page: correct only
# while each holds one value at most (the comments of those queries say so)
SINGLE_VALUED = {"cases/by-court": [("case", "outcome"), ("case", "damages")],
                 "instruments/no-issuer": [("instrument", "kind"), ("instrument", "jurisdiction")],
                 "enforcement/fines": [("action", "date"), ("action", "jurisdiction")]}


@pytest.mark.parametrize("name", sorted(SINGLE_VALUED))
def test_fields_looked_up_after_the_page_is_cut_are_single_valued(name):
    from kg.model.spec import model
    from kg.model.terms import PREFIXES

    # its plain form is kept here, or with the queries that were given pages (tests/query/test_pages.py)
    assert name in REWRITTEN or (BEFORE / f"{name}.rq").exists()
    for kind, field in SINGLE_VALUED[name]:
        spec = model().kinds[kind].fields[field]
        assert not spec.many, f"{name} looks {kind}.{field} up after cutting its page: it must hold one value"
        # and it is the property the query reads
        prefix, ns = next((p, ns) for p, ns in PREFIXES.items() if str(spec.prop).startswith(ns))
        assert f"{prefix}:{str(spec.prop)[len(ns):]}" in find_query(name).text, (name, kind, field)
