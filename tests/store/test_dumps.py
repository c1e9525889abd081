"""The dumps of a build: sorted, duplicate-free lines, the union graph made from the quads' lines;
a rebuild's graph.nq patched from the previous one, byte for byte the sorted whole."""

import random

import pyoxigraph as ox
import pytest

import kg.store.dumps as dumps_module
from kg.model.terms import GRAPH
from kg.rdf.delta import delta_since
from kg.rdf.derive import Derived
from kg.store.dumps import MADE, NQUADS, NTRIPLES, Making, dumps, recorded, save_record

EX = "https://example.org/"
GRAPHS = [f"{GRAPH}{g}" for g in ("registry", "doc/d1", "doc/d2")]


def _quad(s: str, o, g: str) -> ox.Quad:
    return ox.Quad(ox.NamedNode(EX + s), ox.NamedNode(EX + "p"), o, ox.NamedNode(f"{GRAPH}{g}"))


def test_dumps_are_sorted_without_repeats_and_the_union_keeps_each_triple_once(tmp_path):
    quads = [
        _quad("b", ox.Literal("x y", language="en"), "registry"),
        _quad("a", ox.Literal("x"), "doc/d1"),
        _quad("a", ox.Literal("x"), "doc/d2"),  # the same triple in another graph
        _quad("a", ox.Literal("x", language="en-gb"), "registry"),
        _quad("a", ox.Literal("x", language="en"), "registry"),
        _quad("b", ox.Literal("x y", language="en"), "registry"),  # a repeated quad
        _quad("a", ox.NamedNode(EX + "o"), "registry"),
    ]
    got = dumps([ox.serialize(quads, format=ox.RdfFormat.N_QUADS)], tmp_path)
    lines = (tmp_path / NQUADS).read_bytes().splitlines()
    assert lines == sorted(set(lines)) and len(lines) == got.quads == 6
    union = (tmp_path / NTRIPLES).read_bytes().splitlines()
    assert union == sorted(set(union)) and len(union) == got.triples == 5
    expected = {ox.Triple(q.subject, q.predicate, q.object) for q in quads}
    parsed = ox.parse(path=str(tmp_path / NTRIPLES), format=ox.RdfFormat.N_TRIPLES)
    assert {ox.Triple(q.subject, q.predicate, q.object) for q in parsed} == expected


def test_a_quad_outside_the_named_graphs_is_refused(tmp_path):
    quads = [_quad("a", ox.Literal("x"), "registry"),
             ox.Quad(ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "o"))]
    with pytest.raises(ValueError, match="named graphs"):
        dumps([ox.serialize(quads, format=ox.RdfFormat.N_QUADS)], tmp_path)


# ---------------------------------------------------------------- a rebuild's dumps


def _random_quad(rng: random.Random) -> ox.Quad:
    s = ox.NamedNode(EX + rng.choice(["a", "a/b", "ab", "b", "数据", "z"]) + str(rng.randrange(8)))
    o = rng.choice([ox.Literal(f"v{rng.randrange(9)}"), ox.Literal("标题\n二", language="zh"),
                    ox.NamedNode(EX + f"o{rng.randrange(5)}")])
    return ox.Quad(s, ox.NamedNode(EX + rng.choice("pq")), o, ox.NamedNode(rng.choice(GRAPHS)))


def _made(quads: list[ox.Quad], every: int = 7) -> list[bytes]:
    """The quads' text in parts, as a build makes it (each quad once)."""
    quads = list(dict.fromkeys(quads))
    return [ox.serialize(quads[i:i + every], format=ox.RdfFormat.N_QUADS) for i in range(0, len(quads), every)]


def _build(folder, quads, previous=None):
    """Dumps of ``quads`` in ``folder``, recorded as a build records them (after its Turtle)."""
    folder.mkdir()
    graph = dumps(_made(quads), folder, previous)
    graph.union()
    (folder / "graph.ttl").write_bytes(b"")
    save_record(graph)
    return graph


def _edited(rng: random.Random, quads: list[ox.Quad]) -> list[ox.Quad]:
    """Some quads removed, some added, some added where they were (the made order kept elsewhere)."""
    new = [q for q in quads if rng.random() > 0.08]
    for _ in range(rng.randrange(8)):
        new.insert(rng.randrange(len(new) + 1), _random_quad(rng))
    return new


@pytest.mark.parametrize("seed", range(40))
def test_a_patched_dump_is_the_dump_sorted_whole(tmp_path, seed, monkeypatch):
    rng = random.Random(seed)
    old = [_random_quad(rng) for _ in range(rng.randrange(1, 120))]
    _build(tmp_path / "old", old)
    new = _edited(rng, old)
    if not new:
        return
    whole = _build(tmp_path / "whole", new)
    sorted_whole = []
    real_sorted = dumps_module._sorted
    monkeypatch.setattr(dumps_module, "_sorted", lambda *a: sorted_whole.append(1) or real_sorted(*a))
    patched = _build(tmp_path / "patched", new, tmp_path / "old")
    assert sorted_whole == [], "the dump was patched, not sorted"
    assert (tmp_path / "patched" / NQUADS).read_bytes() == (tmp_path / "whole" / NQUADS).read_bytes()
    assert (patched.quads, patched.triples) == (whole.quads, whole.triples)
    assert (tmp_path / "patched" / NTRIPLES).read_bytes() == (tmp_path / "whole" / NTRIPLES).read_bytes()
    expected = delta_since(tmp_path / "old" / NQUADS, (tmp_path / "whole" / NQUADS).read_bytes())
    assert sorted(map(str, patched.delta.added)) == sorted(map(str, expected.added))
    assert sorted(map(str, patched.delta.removed)) == sorted(map(str, expected.removed))



def test_quads_made_in_another_order_are_compared_as_sets(tmp_path):
    rng = random.Random(3)
    old = list(dict.fromkeys(_random_quad(rng) for _ in range(80)))
    _build(tmp_path / "old", old)
    extra = ox.Quad(ox.NamedNode(EX + "new"), ox.NamedNode(EX + "p"), ox.Literal("x"), ox.NamedNode(GRAPHS[0]))
    new = [*old[40:], *old[:40], extra]  # the same quads and one more, made in another order
    whole = _build(tmp_path / "whole", new)
    patched = _build(tmp_path / "patched", new, tmp_path / "old")
    assert (tmp_path / "patched" / NQUADS).read_bytes() == (tmp_path / "whole" / NQUADS).read_bytes()
    assert patched.quads == whole.quads == len(old) + 1
    assert patched.delta.added == [extra] and patched.delta.removed == []


@pytest.mark.parametrize("edit", ["graph.nq", "cache/quads.nq", "graph.ttl", "record"])
def test_previous_dumps_changed_since_their_build_are_not_compared(tmp_path, edit):
    rng = random.Random(5)
    old = [_random_quad(rng) for _ in range(60)]
    _build(tmp_path / "old", old)
    if edit == "record":
        (tmp_path / "old" / "cache" / "dumps.json").write_text("{", encoding="utf-8")
    else:
        (tmp_path / "old" / edit).write_bytes(b"")
    assert recorded(tmp_path / "old") is None
    patched = _build(tmp_path / "patched", old[1:], tmp_path / "old")
    assert patched.delta is None
    assert (tmp_path / "patched" / NQUADS).read_bytes() == b"".join(sorted(set(b"".join(_made(old[1:])).splitlines(
        keepends=True))))


def test_a_previous_dump_that_does_not_hold_the_lines_its_quads_name_is_sorted_whole(tmp_path):
    rng = random.Random(9)
    old = [_random_quad(rng) for _ in range(60)]
    graph = _build(tmp_path / "old", old)
    (tmp_path / "old" / NQUADS).write_bytes(b"".join(_made([_random_quad(rng)])))  # not the graph made
    save_record(graph)
    new = old[2:]
    whole = _build(tmp_path / "whole", new)
    patched = _build(tmp_path / "patched", new, tmp_path / "old")
    assert (tmp_path / "patched" / NQUADS).read_bytes() == (tmp_path / "whole" / NQUADS).read_bytes()
    assert patched.quads == whole.quads and patched.delta is not None


def test_beyond_the_lines_a_patch_takes_the_dump_is_sorted_whole(tmp_path, monkeypatch):
    rng = random.Random(11)
    old = [_random_quad(rng) for _ in range(60)]
    _build(tmp_path / "old", old)
    monkeypatch.setattr(dumps_module, "MAX_PATCHED", 1)
    monkeypatch.setattr(dumps_module, "_patched", lambda *a: pytest.fail("a patch was tried"))
    new = old[3:]
    whole = _build(tmp_path / "whole", new)
    patched = _build(tmp_path / "patched", new, tmp_path / "old")
    assert (tmp_path / "patched" / NQUADS).read_bytes() == (tmp_path / "whole" / NQUADS).read_bytes()
    assert patched.quads == whole.quads and patched.delta.added == []  # the changes are still known
    assert {str(q) for q in patched.delta.removed} == {str(q) for q in old[:3]} - {str(q) for q in new}


@pytest.mark.parametrize("read", [7, 1 << 20])  # bytes read at a time: blocks that end inside lines, and one
def test_the_quads_as_made_are_read_back_in_blocks_of_whole_lines(tmp_path, monkeypatch, read):
    monkeypatch.setattr(dumps_module, "_READ", read)
    text = b"".join(_made([_random_quad(random.Random(1)) for _ in range(40)]))
    (tmp_path / "made.nq").write_bytes(text)
    blocks = list(dumps_module._read(tmp_path / "made.nq"))
    assert b"".join(blocks) == text and all(b.endswith(b"\n") for b in blocks if b)
    assert len(blocks) > 10 if read == 7 else len(blocks) <= 2


def test_the_quads_as_made_are_kept_for_the_next_build(tmp_path):
    quads = [_quad("b", ox.Literal("x"), "registry"), _quad("a", ox.Literal("y"), "doc/d1")]
    parts = _made(quads, every=1)
    dumps(list(parts), tmp_path)
    assert (tmp_path / MADE).read_bytes() == b"".join(parts)  # in the order made, not sorted


def test_the_derivations_of_the_build_before_are_offered_as_recorded(tmp_path):
    quads = [_quad("b", ox.Literal("x"), "registry"), _quad("a", ox.Literal("y"), "doc/d1")]
    derived = [Derived("one", "k1", [], _made([_quad("t1", ox.Literal("1"), "derived")])[0]),
               Derived("two", "k2", [[["p"], None]], _made([_quad("t2", ox.Literal("2"), "derived")])[0])]
    first = tmp_path / "first"
    first.mkdir()
    graph = Making(_made(quads), first).finish(derived)
    graph.union()
    (first / "graph.ttl").write_bytes(b"")
    save_record(graph)
    (tmp_path / "second").mkdir()
    making = Making(_made(quads), tmp_path / "second", first)
    assert making.changed is not None and not making.changed.quads
    assert making.earlier() == {d.name: d for d in derived}
    # a record kg did not write offers none
    making.kept["derived"] = {"one": "not a place"}
    assert making.earlier() == {}


@pytest.mark.parametrize("kernel", [True, False])
def test_a_file_is_written_edited_with_its_stretches_copied(tmp_path, monkeypatch, kernel):
    source = tmp_path / "old.nq"
    old = bytes(random.Random(7).randrange(256) for _ in range(300_000))
    source.write_bytes(old)
    if not kernel:  # where the kernel cannot copy between the files: through memory, the same bytes
        def refused(*args):
            raise OSError(18, "Invalid cross-device link")
        monkeypatch.setattr(dumps_module.os, "copy_file_range", refused)
    edits = [(0, 0, b"first\n"), (10, 25, b""), (100_000, 100_000, b"x" * 70_000), (200_000, 250_000, b"y"),
             (300_000, 300_000, b"last\n")]
    dumps_module.write_edited(tmp_path / "new.nq", source, edits)
    expected = b"first\n" + old[:10] + old[25:100_000] + b"x" * 70_000 + old[100_000:200_000] + b"y" + old[250_000:] \
        + b"last\n"
    assert (tmp_path / "new.nq").read_bytes() == expected


def test_stretches_of_a_file_are_read_only_when_asked_and_join_when_they_follow_on(tmp_path):
    from contextlib import ExitStack

    from kg.store.dumps import Stretches

    path = tmp_path / "quads.nq"
    text = "".join(f"<urn:s{i}> <urn:p> \"第{i}\" <urn:g> .\n" for i in range(5000)).encode()
    path.write_bytes(text)
    with ExitStack() as files:
        stretches = Stretches(files, path)
        whole, part = stretches[0:len(text)], stretches[123:4567]
        assert whole.read() == text and part.read() == text[123:4567] and len(part) == 4567 - 123
        assert stretches[len(text) - 5:len(text) + 100].read() == text[-5:] and stretches[10:10].read() == b""
        assert stretches[0:123].then(part) == stretches[0:4567]
        assert part.then(stretches[0:123]) is None and part.then(stretches[4568:5000]) is None
        assert part.then(Stretches(files, path)[4567:5000]) is None  # another file (opened again)
