"""What changed between two builds' graphs, quad by quad.

A build's ``graph.nq`` holds its quads as sorted, duplicate-free N-Quads lines
(:func:`kg.store.store.dumps`), so the quads one graph has and the other lacks are the lines in one
dump and not the other. What both dumps share is compared as blocks of bytes; where they differ,
the next line both hold (a line is at the same place among the others in both, the lines being
sorted) ends the stretch, and only the lines of such stretches are compared one by one. The next
build reads them once and passes them on to the steps that redo only what a change touches
(:mod:`kg.rdf.revalidate`, :mod:`kg.store.diff`).
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


_BLOCK = 1 << 16  # bytes compared at once where two dumps are the same
_SYNC = 1 << 14  # how far past a difference a line both dumps hold is looked for first


def _skip_same(old: bytes, new: bytes, i: int, j: int) -> tuple[int, int]:
    """From ``i`` in ``old`` and ``j`` in ``new`` (the same bytes before them), the starts of the first
    line that differs (or the ends): compared block by block, then in smaller blocks, then back to
    the start of that line."""
    lo, ln = len(old), len(new)
    for size in (_BLOCK, 4096, 256, 16, 1):
        while i + size <= lo and j + size <= ln and old[i:i + size] == new[j:j + size]:
            i += size
            j += size
    back = i - (old.rfind(b"\n", 0, i) + 1)  # the bytes before are the same: so is the line start
    return i - back, j - back


def _resync(old: bytes, new: bytes, i: int, j: int) -> tuple[int, int]:
    """The starts, in ``old`` after ``i`` and in ``new`` after ``j`` (line starts), of a line both hold
    (the ends when there is none): one past ``_SYNC`` bytes of ``old``, else further and further.
    Lines are sorted and unique, so a line is at the same place among the others in both dumps.
    Each line is looked for in a stretch of ``new`` that grows with the step (a line changed or
    removed is not looked for to the end), so finding a stretch costs about its length."""
    lo, ln = len(old), len(new)
    step = _SYNC
    while True:
        cut = old.find(b"\n", i + step) + 1
        if cut == 0 or cut >= lo:
            return lo, ln
        line = old[cut:old.index(b"\n", cut) + 1]
        if j == 0 and new.startswith(line):
            return cut, 0
        found = new.find(b"\n" + line, max(j - 1, 0), j + 2 * (cut - i) + _SYNC + len(line))
        if found >= 0:
            return cut, found + 1
        step *= 4


def _regions(old: bytes, new: bytes) -> list[tuple[int, int, int, int]]:
    """(start, end in ``old``, start, end in ``new``), in whole lines, of the stretches where two dumps
    differ; outside them they are the same bytes."""
    out = []
    i = j = 0
    while True:
        i, j = _skip_same(old, new, i, j)
        if i >= len(old) or j >= len(new):
            if i < len(old) or j < len(new):
                out.append((i, len(old), j, len(new)))
            return out
        ei, ej = _resync(old, new, i, j)
        out.append((i, ei, j, ej))
        i, j = ei, ej


def delta(old: bytes, new: bytes) -> Delta:
    """The quads of the N-Quads dump ``new`` that ``old`` lacks, and those it lost (each dump sorted,
    without repeats, as a build writes it): the stretches where the dumps differ are found by
    comparing blocks of bytes and lines both hold, and only their lines are compared one by one
    (a title changed at 1M triples touched lines 75 MB apart, a quarter of the dump)."""
    if not (old.endswith(b"\n") or not old) or not (new.endswith(b"\n") or not new):
        raise SyntaxError("not a dump kg wrote: its last line has no end")
    added: list[bytes] = []
    removed: list[bytes] = []
    for a, b, c, d in _regions(old, new):
        before, after = set(old[a:b].splitlines()), set(new[c:d].splitlines())
        added += after - before
        removed += before - after
    added.sort()
    removed.sort()

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
