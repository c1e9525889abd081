"""The build's in-memory store and N-Quads text, filled on a thread while the writer makes the quads."""

from __future__ import annotations

import datetime as dt
import threading

import pyoxigraph as ox
import pytest

from kg.facts.dataset import load_dataset
from kg.rdf.ontology import ontology_quads
from kg.rdf.oxterms import to_ox_quads
from kg.rdf.validate import fact_store
from kg.rdf.writer import dataset_quads, write_quads
from kg.store.filling import Filling


def test_the_store_and_text_are_those_of_the_whole_list_in_its_order(shipped_data):
    ds = load_dataset(shipped_data)
    whole = dataset_quads(ds, dt.date(2026, 1, 1))
    with Filling() as filling:
        write_quads(ds, dt.date(2026, 1, 1), filling, every=700)
        store, parts = filling.result()
    assert len(parts) > 3
    # the same quads in the same order as the store made from the whole list: queries that keep the
    # store's order (the views') answer alike
    assert list(store) == list(fact_store(whole))
    assert not list(store.named_graphs())
    lines = sorted(line for part in parts for line in part.splitlines())
    expected = ox.serialize(whole + to_ox_quads(ontology_quads()), format=ox.RdfFormat.N_QUADS)
    assert lines == sorted(expected.splitlines())


def test_the_thread_has_ended_when_the_block_is_left_even_on_an_error(shipped_data):
    ds = load_dataset(shipped_data)
    with pytest.raises(RuntimeError, match="writer failed"), Filling() as filling:
        def failing(text):
            filling(text)
            raise RuntimeError("writer failed")
        write_quads(ds, dt.date(2026, 1, 1), failing, every=50)
    assert not [t for t in threading.enumerate() if t.name.startswith("kg-fill")]


def test_a_quad_outside_kg_s_graphs_is_refused():
    other = ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"),
                    ox.Literal("o"), ox.NamedNode("http://example.org/graph"))
    with Filling() as filling:
        filling(ox.serialize([other], format=ox.RdfFormat.N_QUADS))
        with pytest.raises(SyntaxError):
            filling.result()
