"""The quads two dumps differ by: the same as comparing every line, whatever part of the dump changed,
sorted or in the order the quads were made."""

import random

import pyoxigraph as ox
import pytest

from kg.rdf import delta as delta_module
from kg.rdf.delta import changed_lines, delta, delta_since

EX = "https://example.org/"
GRAPH = "https://w3id.org/regkg/graph/"


def _line(i: int, text: str = "") -> bytes:
    return (f'<https://w3id.org/regkg/id/x/{i:05d}> <https://w3id.org/regkg/p> "{text}标题 {i}"@zh '
            f"<https://w3id.org/regkg/graph/registry> .\n").encode()


def _parse(lines: set[bytes]) -> list[ox.Quad]:
    return sorted(ox.parse(b"".join(sorted(lines)), format=ox.RdfFormat.N_QUADS), key=str) if lines else []


@pytest.mark.parametrize(("block", "sync"), [(1, 1), (7, 300), (1 << 16, 1 << 14), (1 << 16, 1)])
def test_the_delta_equals_the_difference_of_all_lines(monkeypatch, block, sync):
    monkeypatch.setattr(delta_module, "_BLOCK", block)
    monkeypatch.setattr(delta_module, "_SYNC", sync)
    rng = random.Random(block + sync)
    old_lines = [_line(i) for i in range(300)]
    edits = [[], [0], [299], [0, 299], [150], [10, 11, 12, 200], list(range(300))]
    for _ in range(40):
        edits.append(rng.sample(range(300), rng.randint(1, 40)))
    for changed in edits:
        new_lines = [_line(i, "改" if i in changed else "") for i in range(300)]
        new_lines += [_line(1000 + i) for i in range(rng.randint(0, 2))]  # lines added at the end
        if len(changed) > 20:  # and many in the middle, which a stretch must reach past
            new_lines += [_line(150, f"插入{k:03d}") for k in range(rng.randint(50, 200))]
        if changed:
            del new_lines[changed[0]]  # and one removed
        old, new = b"".join(sorted(old_lines)), b"".join(sorted(new_lines))
        got = delta(old, new)
        assert sorted(got.added, key=str) == _parse(set(new_lines) - set(old_lines))
        assert sorted(got.removed, key=str) == _parse(set(old_lines) - set(new_lines))


def test_equal_dumps_differ_by_nothing_and_a_foreign_file_gives_no_delta(tmp_path):
    old = b"".join(_line(i) for i in range(50))
    assert delta(old, old).quads == []
    (tmp_path / "graph.nq").write_bytes(b"not n-quads\n")
    assert delta_since(tmp_path / "graph.nq", old) is None
    assert delta_since(tmp_path / "missing.nq", old) is None
    (tmp_path / "graph.nq").write_bytes(old[:-1])  # cut short: its last line has no end
    assert delta_since(tmp_path / "graph.nq", old) is None


def test_stretches_far_apart_are_compared_alone(monkeypatch):
    """Two changed lines at the two ends of a dump: only the lines near each are split and compared."""
    lines = [_line(i) for i in range(5000)]
    changed = [_line(i, "改" if i in (3, 4990) else "") for i in range(5000)]
    old, new = b"".join(sorted(lines)), b"".join(sorted(changed))
    regions = delta_module._regions(old, new)
    assert len(regions) == 2 and all(b - a < 2 * delta_module._SYNC for a, b, _c, _d in regions)
    assert len(delta(old, new).added) == 2


@pytest.mark.parametrize("seed", range(30))
def test_lines_in_any_order_are_compared_as_sets(seed):
    # the quads as a build made them: unique lines in no sorted order, some moved, removed or added
    rng = random.Random(seed)
    old = [f'<{EX}s{rng.randrange(10**6)}> <{EX}p> "{i}" <{GRAPH}registry> .\n'.encode() for i in range(500)]
    old = list(dict.fromkeys(old))
    new = [line for line in old if rng.random() > 0.02]
    for _ in range(rng.randrange(4)):  # a stretch moved elsewhere
        a = rng.randrange(len(new))
        piece, new[a:a + 20] = new[a:a + 20], []
        at = rng.randrange(len(new) + 1)
        new[at:at] = piece
    new += [f'<{EX}n{i}> <{EX}p> "x" <{GRAPH}doc/d1> .\n'.encode() for i in range(rng.randrange(5))]
    added, removed = changed_lines(b"".join(old), b"".join(new))
    strip = [line.rstrip(b"\n") for line in new], [line.rstrip(b"\n") for line in old]
    assert added == sorted(set(strip[0]) - set(strip[1])) and removed == sorted(set(strip[1]) - set(strip[0]))
