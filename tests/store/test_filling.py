"""The build's in-memory store and N-Quads text, filled on a thread while the writer makes the quads."""

from __future__ import annotations

import datetime as dt
import threading

import pyoxigraph as ox
import pytest

from kg.facts.dataset import load_dataset
from kg.model.terms import GRAPH
from kg.rdf.ontology import ontology_quads
from kg.rdf.oxterms import to_ox_quads
from kg.rdf.validate import fact_store
from kg.rdf.writer import dataset_quads, write_quads
from kg.store.build import build
from kg.store.dumps import MADE, NQUADS, TRIPLES
from kg.store.filling import Filling, patch


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


def test_stretches_of_an_earlier_build_are_copied_into_the_files_in_their_place(tmp_path):
    """What a rebuild's writer takes unchanged comes as stretches of the previous build's files: the
    new files hold their bytes where they come, and the store loads them when it is not patched."""
    from contextlib import ExitStack

    from kg.store.dumps import Stretches

    quads = [f"<urn:s{i}> <urn:p> \"第{i}\" <{GRAPH}registry> .\n".encode() for i in range(4)]
    triples = [f"<urn:s{i}> <urn:p> \"第{i}\" .\n".encode() for i in range(4)]
    (tmp_path / "old.nq").write_bytes(b"".join(quads[1:3]))
    (tmp_path / "old.nt").write_bytes(b"".join(triples[1:3]))
    with ExitStack() as files, Filling(tmp_path / "new") as filling:
        old_quads, old_triples = Stretches(files, tmp_path / "old.nq"), Stretches(files, tmp_path / "old.nt")
        filling(quads[0], triples[0])
        filling(old_quads[0:len(quads[1]) + len(quads[2])], old_triples[0:len(triples[1]) + len(triples[2])])
        filling(quads[3], triples[3])
        store, parts = filling.result()
    assert (tmp_path / "new" / MADE).read_bytes().startswith(b"".join(quads))  # the ontology's after
    assert (tmp_path / "new" / TRIPLES).read_bytes().startswith(b"".join(triples))
    assert {q.object.value for q in store if q.predicate.value == "urn:p"} == {f"第{i}" for i in range(4)}
    assert not isinstance(parts[1], bytes) and len(parts) == 4  # the ontology last


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


def _line(s: str, o: str, graph: str) -> bytes:
    """An N-Quads line (without its end) in one of kg's graphs."""
    return f"<http://example.org/{s}> <http://example.org/p> <http://example.org/{o}> <{GRAPH}{graph}> .".encode()


def _triples(store: ox.Store) -> set[tuple[str, str]]:
    return {(q.subject.value.rsplit("/", 1)[1], q.object.value.rsplit("/", 1)[1]) for q in store}


def test_a_patched_store_removes_a_triple_only_when_no_graph_of_the_new_build_holds_it(tmp_path):
    previous, folder = tmp_path / "old", tmp_path / "new"
    lines = sorted([_line("a", "b", "doc/1"), _line("a", "b", "doc/2"), _line("c", "d", "doc/1"),
                    _line("e", "f", "doc/1"), _line("e", "f", "derived"), _line("x", "y", "doc/2")])
    previous.mkdir()
    (previous / NQUADS).write_bytes(b"\n".join(lines) + b"\n")
    store = ox.Store()  # the graphs merged, as a build's in-memory store holds them
    store.load(b"".join(line[:line.rindex(b" <")] + b" .\n" for line in lines), format=ox.RdfFormat.N_TRIPLES)
    removed = [_line("a", "b", "doc/1"), _line("c", "d", "doc/1"), _line("e", "f", "doc/1")]
    added = [_line("c", "d", "doc/3"), _line("g", "h", "doc/3")]
    patch(store, (added, removed), previous, folder)
    # a-b: doc/2 still holds it; c-d: moved to doc/3; e-f: only the previous derived graph held it
    # besides (the derived triples are loaded after the store is patched); g-h: new
    assert _triples(store) == {("a", "b"), ("c", "d"), ("g", "h"), ("x", "y")}


def test_a_patch_not_known_or_too_large_loads_the_new_build_s_triples(tmp_path, monkeypatch):
    import kg.store.filling as filling_module

    folder = tmp_path / "new"
    (folder / TRIPLES).parent.mkdir(parents=True)
    (folder / TRIPLES).write_bytes(b"<http://example.org/a> <http://example.org/p> <http://example.org/b> .\n")
    store = ox.Store()
    store.load(b"<http://example.org/x> <http://example.org/p> <http://example.org/y> .\n",
               format=ox.RdfFormat.N_TRIPLES)
    patch(store, None, tmp_path / "old", folder)
    assert _triples(store) == {("a", "b")}
    monkeypatch.setattr(filling_module, "MAX_PATCHED", 1)
    patch(store, ([_line("c", "d", "doc/1")], [_line("e", "f", "doc/1")]), tmp_path / "old", folder)
    assert _triples(store) == {("a", "b")}


def test_a_build_keeps_its_texts_and_the_triples_it_loaded_and_the_next_starts_from_them(shipped_data, tmp_path):
    ds = load_dataset(shipped_data)
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    with Filling(first) as filling:
        write_quads(ds, dt.date(2026, 1, 1), filling, every=700)
        store, parts = filling.result()
    assert (first / MADE).read_bytes() == b"".join(parts)  # the texts as made, for the dumps (Making)
    kept = ox.Store()
    kept.load(path=first / TRIPLES, format=ox.RdfFormat.N_TRIPLES)
    assert set(kept) == set(store) and len(store) > 1000
    # the next build's store is the kept one (recorded by a build: the dumps as written), its texts
    # kept for the dumps and their triples written again, not loaded
    with Filling(tmp_path / "third", previous=first) as filling:
        assert not filling.patching  # not a build's folder: nothing recorded to start from
    build(shipped_data, first, views=False)
    built = ox.Store()
    built.load(path=first / TRIPLES, format=ox.RdfFormat.N_TRIPLES)
    with Filling(second, previous=first) as filling:
        assert filling.patching
        loaded = filling.loaded()  # the previous triples in, and no thread left to copy into a fork
        assert set(loaded) == set(built) and threading.active_count() == 1
        filling(b"<http://example.org/a> <http://example.org/p> <http://example.org/b> <" + str(GRAPH).encode()
                + b"doc/x> .\n")
        again, parts = filling.result()
    assert set(again) == set(built) and len(parts) == 2
    assert (second / TRIPLES).read_bytes().startswith(b"<http://example.org/a> <http://example.org/p> "
                                                      b"<http://example.org/b> .\n")
