"""graph.ttl patched from the previous build's is byte for byte the Turtle written whole."""

import json
import random

import pyoxigraph as ox
import pytest

import kg.store.turtle as turtle_module
from kg.model.terms import GRAPH, KGV
from kg.rdf.delta import delta_since
from kg.store.dumps import NQUADS, NTRIPLES, RECORD, TURTLE, dumps
from kg.store.turtle import write_turtle

EX = "https://example.org/"
SUBJECTS = [EX + "a", EX + "a/b", EX + "a-b", EX + "ab", EX + "b", EX + "z/9", EX + "数据",
            f"{KGV}jurisdiction/CN", f"{KGV}jurisdiction/CN-BJ", f"{KGV}status/in-force", "urn:x:1", "http://a.b/c#d"]
PROPERTIES = [EX + "p", EX + "q", "http://www.w3.org/2000/01/rdf-schema#label",
              "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"]
GRAPHS = [ox.NamedNode(f"{GRAPH}{g}") for g in ("registry", "doc/d1", "doc/d2")]


def _object(rng: random.Random):
    pick = rng.randrange(5)
    if pick == 0:
        return ox.NamedNode(rng.choice(SUBJECTS))
    if pick == 1:
        return ox.Literal(rng.choice(["x", "line\nbreak", 'a "quote"', "back\\slash", "标题"]),
                          language=rng.choice(["en", "zh"]))
    if pick == 2:
        return ox.Literal(str(rng.randrange(100)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return ox.Literal(f"v{rng.randrange(30)}")


def _quad(rng: random.Random, subject: str | None = None) -> ox.Quad:
    return ox.Quad(ox.NamedNode(subject or rng.choice(SUBJECTS)), ox.NamedNode(rng.choice(PROPERTIES)),
                   _object(rng), rng.choice(GRAPHS))


def _written(folder, quads, since=None) -> bytes:
    folder.mkdir()
    graph = dumps([ox.serialize(quads, format=ox.RdfFormat.N_QUADS)], folder)
    write_turtle(graph, since)
    assert not (folder / NTRIPLES).exists()
    return (folder / TURTLE).read_bytes()


def _changed(rng: random.Random, quads: list[ox.Quad]) -> list[ox.Quad]:
    new = [q for q in quads if rng.random() > 0.1]
    gone = rng.choice(SUBJECTS)
    if rng.random() < 0.3:  # a subject and every triple of it removed
        new = [q for q in new if q.subject.value != gone]
    new += [_quad(rng) for _ in range(rng.randrange(6))]
    if rng.random() < 0.3:  # a subject the previous graph does not have (first, last or between)
        new.append(_quad(rng, rng.choice([EX + "0", EX + "zz", EX + "a/a", f"{KGV}x"])))
    return new


@pytest.mark.parametrize("seed", range(40))
def test_a_patched_turtle_is_the_turtle_written_whole(tmp_path, seed):
    rng = random.Random(seed)
    old = [_quad(rng) for _ in range(rng.randrange(1, 40))]
    _written(tmp_path / "old", old)
    new = _changed(rng, old)
    if not new:
        return
    whole = _written(tmp_path / "whole", new)
    delta = delta_since(tmp_path / "old" / NQUADS, (tmp_path / "whole" / NQUADS).read_bytes())
    calls = []
    real = turtle_module._patched
    turtle_module._patched = lambda *a: calls.append(real(*a)) or calls[-1]
    try:
        patched = _written(tmp_path / "patched", new, (tmp_path / "old", delta))
    finally:
        turtle_module._patched = real
    assert calls == [True], "the Turtle was patched, not written whole"
    assert patched == whole
    kept = json.loads((tmp_path / "patched" / RECORD).read_text(encoding="utf-8"))
    assert kept["files"][TURTLE][0] == len(patched)


def _pair(tmp_path):
    rng = random.Random(7)
    old = [_quad(rng) for _ in range(30)]
    _written(tmp_path / "old", old)
    new = [*old[1:], _quad(rng, EX + "new")]
    whole = _written(tmp_path / "whole", new)
    return new, whole, delta_since(tmp_path / "old" / NQUADS, (tmp_path / "whole" / NQUADS).read_bytes())


@pytest.mark.parametrize("name", [TURTLE, NQUADS])
def test_previous_dumps_changed_since_they_were_written_are_not_patched(tmp_path, monkeypatch, name):
    new, whole, delta = _pair(tmp_path)
    dump = tmp_path / "old" / name
    dump.write_bytes(dump.read_bytes().replace(b"example.org", b"example.net"))  # someone edited it
    monkeypatch.setattr(turtle_module, "_edits", lambda *a: pytest.fail("a patch was tried"))
    assert _written(tmp_path / "patched", new, (tmp_path / "old", delta)) == whole


def test_a_turtle_that_does_not_hold_the_blocks_its_quads_name_is_not_patched(tmp_path):
    _new, whole, delta = _pair(tmp_path)
    old_ttl = (tmp_path / "old" / TURTLE).read_bytes()
    quads, nq = (tmp_path / "old" / NQUADS).read_bytes(), (tmp_path / "whole" / NQUADS).read_bytes()
    forms = sorted({str(q.subject).encode() for q in delta.quads})
    assert turtle_module._edits(old_ttl, quads, nq, forms) is not None
    assert turtle_module._edits(whole, quads, nq, forms) is None  # the new subject's block is there already
    there = next(f for f in forms if b"\n" + f + b" " in old_ttl)
    gone = old_ttl.replace(b"\n" + there + b" ", b"\n<x" + there[1:] + b" ")
    assert turtle_module._edits(gone, quads, nq, forms) is None  # a block the quads name is not


def test_too_many_changed_subjects_write_the_whole(tmp_path, monkeypatch):
    new, whole, delta = _pair(tmp_path)
    monkeypatch.setattr(turtle_module, "MAX_PATCHED", 1)
    monkeypatch.setattr(turtle_module, "_edits", lambda *a: pytest.fail("a patch was tried"))
    assert _written(tmp_path / "patched", new, (tmp_path / "old", delta)) == whole


def test_a_turtle_another_kg_or_pyoxigraph_wrote_is_written_whole(tmp_path, monkeypatch):
    new, whole, delta = _pair(tmp_path)
    record = tmp_path / "old" / RECORD
    kept = json.loads(record.read_text(encoding="utf-8"))
    record.write_text(json.dumps({**kept, "code": "another"}), encoding="utf-8")
    monkeypatch.setattr(turtle_module, "_edits", lambda *a: pytest.fail("a patch was tried"))
    assert _written(tmp_path / "patched", new, (tmp_path / "old", delta)) == whole
