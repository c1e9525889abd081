"""Paged pack queries (``# page: N``): the LIMIT/OFFSET the runner writes, the pages through the
Python API and ``kg query``, and the queries rewritten for speed, which list the rows of the queries
they replaced (tests/fixtures/packs_before_paging/, the texts before the rewrite), page after page."""

from __future__ import annotations

import dataclasses
import re
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

import kg
from kg.cli.main import main
from kg.errors import QueryError
from kg.query.execute import run
from kg.query.packs import discover, find_query, page_text, parse_query

from .test_packs import EXPECTED, example_params

BEFORE = Path(__file__).resolve().parent.parent / "fixtures" / "packs_before_paging"
REPLACED = sorted(f"{p.parent.name}/{p.stem}" for p in BEFORE.glob("*/*.rq"))

# the ORDER BY of each replaced query, as columns: the rewritten one lists its rows in that order
# (rows the old order left tied now in a fixed one, so that pages do not overlap). building-on, fines
# and standards were defined anew when their first pages were made fast (one row a fine and a
# standard, newest first): their files here are the plain forms of the new definitions, and their
# columns below are the whole sort key, so the order is compared row for row.
ORDER = {
    "authorities/most-active": ["total", "name"], "provenance/low-confidence": ["confidence", "document", "first_line"],
    "cases/applying": ["date", "name"], "cases/by-court": ["court_name", "date"],
    "cases/parties": ["name", "role", "party"], "enforcement/fines": ["converted", "date", "action"],
    "enforcement/of-kind": ["date", "action"], "instruments/building-on": ["relation", "date", "source"],
    "instruments/no-issuer": ["documents", "title"], "instruments/of-kind": ["date", "title"],
    "instruments/standards": ["number", "issued", "instrument"], "instruments/timeline": ["date", "event", "title"],
    "provenance/facts-per-document": ["document"], "provenance/multi-document": ["documents", "type", "label"],
}


@pytest.fixture(scope="module")
def shipped(shipped_build):
    return kg.open(shipped_build)


def cells(rows: list[list]) -> list[tuple]:
    """Rows with each GROUP_CONCAT cell's names sorted (SPARQL leaves their order open) and numbers
    in one notation (``41875000.000`` is ``41875000``)."""
    def cell(v):
        if isinstance(v, Decimal):
            return v.normalize()
        if isinstance(v, str):
            for sep in ("、", ", "):
                if sep in v:
                    return sep.join(sorted(v.split(sep)))
        return v
    return [tuple(cell(v) for v in row) for row in rows]


def all_pages(q, engine, params: dict) -> list[list]:
    """Every page of a paged query, one after another, until a page says none follows."""
    rows, page = [], 1
    while True:
        result = run(q, engine, params, page)
        rows += result.values()
        if not result.more:
            return rows
        assert len(result.rows) == q.page_size
        page += 1


# more parameters on the fixture graph: every filter of the rewritten queries, bound and unbound
MORE_PARAMS = {
    "cases/by-court": [{"court": "示例互联网法院"}],
    "enforcement/fines": [{"jurisdiction": "EU"}, {"jurisdiction": "CN"}, {"currency": "KRW"}],
    "authorities/most-active": [{"since": "2025-01-01", "until": "2025-12-31"}],
    "provenance/low-confidence": [{"below": "0.62"}, {"below": "1"}],
    "instruments/of-kind": [{"kind": "law"}],
}
UNPAGED = {"authorities/most-active", "provenance/low-confidence"}  # a few rows, made fast without pages


def test_every_replaced_query_is_paged_and_checked():
    assert set(REPLACED) == set(ORDER)
    assert {name: discover()[name].page_size for name in REPLACED} == {
        name: None if name in UNPAGED else 100 for name in REPLACED}


@pytest.mark.parametrize("name", REPLACED)
@pytest.mark.parametrize("graph_name", ["graph", "shipped"])
def test_a_rewritten_query_lists_the_rows_of_the_query_it_replaced(request, graph_name, name):
    graph = request.getfixturevalue(graph_name)
    old = parse_query((BEFORE / f"{name}.rq").read_text(encoding="utf-8"), name)
    new = find_query(name)
    given = EXPECTED[name][0] if graph_name == "graph" else example_params(new)
    # the example's parameters, and none at all when none is required (an unbound optional filter)
    more = MORE_PARAMS.get(name, []) if graph_name == "graph" else []
    for params in [given] + ([{}] if given and not any(p.required for p in new.params) else []) + more:
        before = cells(run(old, graph.engine, params).values())
        after = cells(graph.run(name, page=None, **params).values())
        assert sorted(map(repr, after)) == sorted(map(repr, before)), params
        idx = [new.columns.index(c) for c in ORDER[name]]
        assert [[r[i] for i in idx] for r in after] == [[r[i] for i in idx] for r in before]
        # pages of two rows, one after another, are the whole listing
        if new.page_size:
            pages = all_pages(dataclasses.replace(new, page_size=2), graph.engine, params)
            assert cells(pages) == after


def test_page_text_writes_limit_and_offset_at_the_mark_or_the_end():
    marked = parse_query("# page: 10\nSELECT ?s { { SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s\n  # page\n} }\n", "x/y")
    assert marked.page_size == 10
    assert "ORDER BY ?s\nLIMIT 11 OFFSET 20\n} }" in page_text(marked, 3, extra=1)
    assert page_text(marked, None) == marked.text
    plain = parse_query("# page: 5\nSELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s # note\n", "x/y")
    assert page_text(plain, 1).endswith("# note\nLIMIT 5 OFFSET 0\n")
    unpaged = parse_query("SELECT ?s WHERE { ?s ?p ?o }", "x/y")
    assert page_text(unpaged, 4) == unpaged.text


@pytest.mark.parametrize("page", [0, -1, True, "2", "1; DROP ALL", 10**7])
def test_a_page_is_a_whole_number_from_one(page):
    q = parse_query("# page: 5\nSELECT ?s WHERE { ?s ?p ?o }", "x/y")
    with pytest.raises(QueryError, match="whole number"):
        page_text(q, page)


@pytest.mark.parametrize("header, message", [
    ("# page: 0", "number of rows a page"), ("# page: many", "number of rows a page"),
    ("# param: page (integer) - a page", "cannot be called 'page'"),
])
def test_page_header_errors_name_the_query(header, message):
    with pytest.raises(QueryError, match=message) as err:
        parse_query(f"{header}\nSELECT ?s WHERE {{ ?s ?p ?o }}", "x/y")
    assert "x/y" in str(err.value)


def test_the_python_api_gives_a_page_or_every_row(graph):
    q = dataclasses.replace(find_query("cases/parties"), page_size=1)
    first = run(q, graph.engine, {}, 1)
    assert first.more and len(first.rows) == 1
    assert first.page_note() == ("page 1 of the listing, 1 rows a page: rows 1–1; "
                                 "page=2 for more, page=None for every row")
    every = graph.run("cases/parties", page=None).values()
    assert all_pages(q, graph.engine, {}) == every and len(every) > 1
    df = graph.query("cases/parties")
    assert df.attrs == {"page": 1, "page_size": 100, "more": False} and len(df) == len(every)


def test_cli_pages_say_which_rows_and_how_to_get_more(query_build, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    rq = tmp_path / "paged.rq"
    rq.write_text("# page: 2\nSELECT ?n WHERE { ?s eli:id_local ?n } ORDER BY ?n\n", encoding="utf-8")
    base = ["query", "--file", str(rq), "--build-dir", str(query_build)]
    r = CliRunner().invoke(main, base)
    assert r.exit_code == 0, r.output
    assert ("(2 rows; page 1 of the listing, 2 rows a page: rows 1–2; --page 2 for more, --all for every row)"
            in r.output)
    r = CliRunner().invoke(main, [*base, "--page", "2", "-f", "csv"])
    assert r.exit_code == 0, r.output
    assert r.stdout.splitlines() == ["n", "Regulation (EU) 2024/9999"]
    assert "page 2 of the listing, 2 rows a page: rows 3–3 (the last page)" in r.stderr
    r = CliRunner().invoke(main, [*base, "--all", "-f", "csv"])
    assert r.stdout.splitlines()[1:] == ["GB/T 10001-2017", "GB/T 10001-2020", "Regulation (EU) 2024/9999"]
    assert r.stderr == ""
    r = CliRunner().invoke(main, [*base, "--page", "0"])
    assert r.exit_code != 0 and "--page" in r.output


def test_cli_list_marks_the_paged_queries(query_build):
    r = CliRunner().invoke(main, ["query", "--list", "--build-dir", str(query_build)])
    line = next(x for x in r.output.splitlines() if re.match(r"\s+parties\s", x))
    assert line.endswith("(pages of 100)")


def _rdflib_value(term):
    """An rdflib term as :meth:`Result.values` gives the same pyoxigraph term."""
    import rdflib

    if term is None:
        return None
    if isinstance(term, rdflib.Literal) and term.datatype is not None and str(term.datatype).endswith(
            ("#integer", "#decimal", "#double", "#boolean")):
        return term.toPython()
    return str(term)


def test_rdflib_runs_the_rewritten_queries_with_the_same_rows(query_build, graph):
    # the same text on another engine: no variable left unbound where rdflib refuses one (GROUP_CONCAT,
    # ORDER BY), and the answers do not rest on anything Oxigraph alone does
    rdflib = pytest.importorskip("rdflib")
    from benchmarks.queries import RdflibEngine
    from kg.query.params import bind_params

    rg = rdflib.Graph()
    rg.parse(str(query_build / "graph.ttl"), format="turtle")
    engine = RdflibEngine(rg)
    for name in REPLACED:
        q = find_query(name)
        bindings = bind_params(q, EXPECTED[name][0], graph.engine)
        expected = cells(graph.run(name, page=None, **EXPECTED[name][0]).values())
        columns, rows = engine.select(page_text(q, None), bindings)
        rows = [[_rdflib_value(r[columns.index(c)]) for c in q.columns] for r in rows]
        assert sorted(map(repr, cells(rows))) == sorted(map(repr, expected)), name
