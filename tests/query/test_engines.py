"""The values of SELECT results as the views read them: the same from Oxigraph's TSV serialisation as
from its terms."""

import pyoxigraph as ox
import pytest

from kg.errors import QueryError
from kg.query.engines import Engine, StoreEngine
from kg.query.network import NODES

EX = "http://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"

# a value of each kind the TSV writer treats apart: escapes, quotes, empty, language, bare numbers and
# booleans, typed literals, a blank node, non-ASCII and control characters, an IRI with escapes
OBJECTS = [ox.Literal('tab\there\nline\rreturn "quoted" back\\slash \\t'), ox.Literal(""),
           ox.Literal("个人信息保护法", language="zh"), ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")),
           ox.Literal("-1.50", datatype=ox.NamedNode(XSD + "decimal")),
           ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
           ox.Literal("1e3", datatype=ox.NamedNode(XSD + "double")),
           ox.Literal("2025-03", datatype=ox.NamedNode(XSD + "gYearMonth")),
           ox.Literal("x", datatype=ox.NamedNode(EX + "type")), ox.BlankNode("b1"),
           ox.Literal("ctl\x01\x7f\u2028 end"), ox.NamedNode(EX + "a%20b?q=1&r=é")]


@pytest.fixture
def store():
    s = ox.Store()
    for i, o in enumerate(OBJECTS):
        s.add(ox.Quad(ox.NamedNode(f"{EX}s{i:02}"), ox.NamedNode(EX + "p"), o, ox.NamedNode(EX + "g")))
    return s


def test_values_of_every_kind_of_term_equal_the_terms_values(store):
    engine = StoreEngine(store)
    text = f"SELECT ?s ?o ?none WHERE {{ ?s <{EX}p> ?o OPTIONAL {{ ?s <{EX}q> ?none }} }} ORDER BY ?s"
    columns, rows = engine.select_values(text, {})
    assert columns == ["s", "o", "none"]
    assert (columns, rows) == Engine.select_values(engine, text, {})  # the generic reading, from the terms
    values = [o for _s, o, _n in rows]
    assert values[:4] == [OBJECTS[0].value, "", "个人信息保护法", "42"] and "b1" in values and "true" in values
    assert OBJECTS[-1].value in values and OBJECTS[-2].value in values and all(n is None for *_x, n in rows)


def test_values_of_a_bound_query_and_of_no_solution(store):
    engine = StoreEngine(store)
    _cols, rows = engine.select_values(f"SELECT ?o WHERE {{ ?s <{EX}p> ?o }}", {"s": ox.NamedNode(EX + "s02")})
    assert rows == [["个人信息保护法"]]
    assert engine.select_values(f"SELECT ?o WHERE {{ ?s <{EX}missing> ?o }}", {}) == (["o"], [])
    assert engine.select_values(f"SELECT ?o WHERE {{ OPTIONAL {{ ?s <{EX}missing> ?o }} }}", {}) == (["o"], [[None]])
    assert engine.select_values(f"ASK {{ ?s <{EX}p> ?o }}", {}) == (["result"], [["true"]])


def test_values_of_the_node_query_on_the_fixture_graph(graph):
    engine = graph.engine
    columns, rows = engine.select_values(NODES, {})
    assert len(rows) > 10 and (columns, rows) == Engine.select_values(engine, NODES, {})


def test_prefetched_queries_read_as_the_same_queries_run_then(store):
    engine = StoreEngine(store)
    select = f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s"
    ask = f"ASK {{ ?s <{EX}p> ?o }}"
    bad = "SELECT ?s WHERE { ?s <broken"
    expected = engine.select_values(select, {}), engine.select_values(ask, {})
    engine.prefetch([select, ask, bad])
    assert (engine.select_values(select, {}), engine.select_values(ask, {})) == expected
    with pytest.raises(QueryError, match="syntax error"):  # raised where it is read
        engine.select_values(bad, {})
    assert engine._ahead == {}  # each prefetched result is read once: later reads run the query again
    store.add(ox.Quad(ox.NamedNode(EX + "s99"), ox.NamedNode(EX + "p"), ox.Literal("new"), ox.NamedNode(EX + "g")))
    assert engine.select_values(select, {})[1][-1] == [EX + "s99", "new"]


def test_a_query_with_parameters_is_not_taken_from_the_prefetched_ones(store):
    engine = StoreEngine(store)
    text = f"SELECT ?o WHERE {{ ?s <{EX}p> ?o }}"
    engine.prefetch([text])
    assert engine.select_values(text, {"s": ox.NamedNode(EX + "s02")})[1] == [["个人信息保护法"]]
    engine.stop_prefetch()
    assert engine._ahead == {}
    assert len(engine.select_values(text, {})[1]) == len(OBJECTS)
