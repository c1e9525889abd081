"""What changed between two builds' graphs, quad by quad.

A build's ``graph.nq`` holds its quads as sorted, duplicate-free N-Quads lines
(:func:`kg.store.store.dumps`), so the quads one graph has and the other lacks are the lines in one
dump and not the other (the start and end both dumps share are compared as blocks of bytes, and
only the lines between them one by one). The next build reads them once and passes them on to the steps that redo
only what a change touches (:mod:`kg.rdf.revalidate`, :mod:`kg.store.diff`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox


@dataclass(frozen=True)
class Delta:
    """The quads a graph gained and lost since another."""

    added: list[ox.Quad]
    removed: list[ox.Quad]

    @property
    def quads(self) -> list[ox.Quad]:
        """Every quad added or removed."""
        return self.added + self.removed


_BLOCK = 1 << 16


def _same_ends(old: bytes, new: bytes) -> tuple[int, int]:
    """How many bytes, in whole lines, two dumps share at their start and at their end (the lines a
    change leaves alone are most of a graph: compared block by block, they are not split into lines)."""
    n = min(len(old), len(new))
    head = 0
    while head + _BLOCK <= n and old[head:head + _BLOCK] == new[head:head + _BLOCK]:
        head += _BLOCK
    while head < n and old[head] == new[head]:
        head += 1
    head = old.rfind(b"\n", 0, head) + 1  # back to the start of the line that differs
    limit, lo, ln = n - head, len(old), len(new)
    tail = 0
    while tail + _BLOCK <= limit and old[lo - tail - _BLOCK:lo - tail] == new[ln - tail - _BLOCK:ln - tail]:
        tail += _BLOCK
    while tail < limit and old[lo - tail - 1] == new[ln - tail - 1]:
        tail += 1
    end = old.find(b"\n", lo - tail)  # the first line end inside the common end: whole lines after it
    return head, (lo - end - 1 if end >= 0 else 0)


def delta(old: bytes, new: bytes) -> Delta:
    """The quads of the N-Quads dump ``new`` that ``old`` lacks, and those it lost."""
    head, tail = _same_ends(old, new)
    old, new = old[head:len(old) - tail], new[head:len(new) - tail]
    before, after = set(old.splitlines()), set(new.splitlines())
    added, removed = sorted(after - before), sorted(before - after)
    del before, after

    def parse(lines: list[bytes]) -> list[ox.Quad]:
        return list(ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_QUADS)) if lines else []

    return Delta(parse(added), parse(removed))


def delta_since(dump: Path, new: bytes) -> Delta | None:
    """The quads added and removed since the graph dumped in ``dump`` (None when it cannot be read)."""
    try:
        old = dump.read_bytes()
    except OSError:
        return None
    try:
        return delta(old, new)
    except SyntaxError:  # not a dump kg wrote
        return None
