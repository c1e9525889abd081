"""The store of a build, loaded from its dumps in blocks; builds of other derivations refused."""

import pyoxigraph as ox
import pytest

import kg.store.store as store_module
from kg.model.terms import GRAPH
from kg.store.dumps import NQUADS, dumps
from kg.store.store import STORE, write_store

EX = "https://example.org/"


def _quad(s: str, o, g: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), o, ox.NamedNode(f"{GRAPH}{g}"))


def _loaded(folder) -> set[str]:
    store = ox.Store.read_only(str(folder / STORE))
    return {str(q) for q in store.quads_for_pattern(None, None, None, None)}


def test_the_store_is_loaded_in_blocks_of_whole_lines(tmp_path, monkeypatch):
    # long literals and a block size that is no multiple of a line: blocks end inside lines
    quads = [_quad(f"s{i:03d}", ox.Literal("条目 " * (i % 7) + str(i)), f"doc/d{i % 3}") for i in range(300)]
    monkeypatch.setattr(store_module, "BLOCK", 997)
    graph = dumps([ox.serialize(quads, format=ox.RdfFormat.N_QUADS)], tmp_path)
    assert (tmp_path / NQUADS).stat().st_size > 20 * 997
    write_store(graph)
    assert _loaded(tmp_path) == {str(q) for q in quads}


def test_a_dump_with_blank_nodes_keeps_them_whole(tmp_path, monkeypatch):
    # Oxigraph names blank nodes anew on each load: a blank node whose lines fall in two blocks
    # would become two
    node = ox.BlankNode("n1")
    quads = [_quad(f"s{i:03d}", ox.Literal("x" * 80), "registry") for i in range(50)]
    quads += [_quad("a", node, "registry"),
              ox.Quad(node, ox.NamedNode(EX + "q"), ox.Literal("v"), ox.NamedNode(f"{GRAPH}registry"))]
    monkeypatch.setattr(store_module, "BLOCK", 512)
    write_store(dumps([ox.serialize(quads, format=ox.RdfFormat.N_QUADS)], tmp_path))
    store = ox.Store.read_only(str(tmp_path / STORE))
    rows = list(store.query(f"SELECT ?v WHERE {{ GRAPH ?g {{ <{EX}a> <{EX}p> ?b . ?b <{EX}q> ?v }} }}"))
    assert [r[0].value for r in rows] == ["v"] and len(store) == 52


def test_a_build_of_other_derivations_is_refused_with_the_way_out(mini_data, tmp_path):
    """A build an older kg made lacks the tallies and ranks the packs read: opening it says to rebuild."""
    import json

    from click.testing import CliRunner

    import kg
    from kg.cli.main import main
    from kg.errors import StoreError
    from kg.store.build import build

    out = tmp_path / "build"
    build(mini_data, out, views=False)
    assert kg.open(out).run("enforcement/fines") is not None  # this kg's build opens
    manifest = json.loads((out / "build.json").read_text(encoding="utf-8"))
    del manifest["derivations"]
    (out / "build.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(StoreError, match="run `kg build` again") as err:
        kg.open(out)
    assert str(out) in str(err.value)
    r = CliRunner().invoke(main, ["query", "enforcement/fines", "--build-dir", str(out)])
    assert r.exit_code != 0 and "run `kg build` again" in r.output
    build(mini_data, out, views=False)  # the way out
    assert kg.open(out).run("enforcement/fines") is not None
