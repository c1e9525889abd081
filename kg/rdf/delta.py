"""What changed between two builds' graphs, quad by quad.

A build writes its quads as N-Quads lines, none repeated: sorted in ``graph.nq``, and in the order
it made them in ``cache/quads.nq`` (:mod:`kg.store.dumps`). The quads one graph has and the other
lacks are the lines in one text and not the other. What both texts share is compared as blocks of
bytes; where they differ, the next line both hold ends the stretch (in sorted dumps a line is at
the same place among the others in both; in the order made, where the data did not change, the
quads come in the same order), and only the lines of such stretches are compared, as sets. The
next build passes them on to the steps that redo only what a change touches
(:mod:`kg.rdf.revalidate`, :mod:`kg.store.diff`, :mod:`kg.store.turtle`).
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
    In sorted dumps a line is at the same place among the others in both; a line found elsewhere
    (the order made, where quads moved) only makes the stretches other than the fewest.
    Each line is looked for in a stretch of ``new`` that grows with the step (a line changed or
    removed is not looked for to the end), so finding a stretch costs about its length."""
    lo, ln = len(old), len(new)
    step = _SYNC
    while True:
        cut = old.find(b"\n", i + step) + 1
        if cut == 0 or cut >= lo:
            return lo, ln
        line = old[cut:old.find(b"\n", cut) + 1]
        if j == 0 and new[:len(line)] == line:
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


def changed_lines(old, new) -> tuple[list[bytes], list[bytes]]:
    """The lines of ``new`` that ``old`` lacks and those it lost, each sorted: two texts of N-Quads
    lines (bytes, or a memory map of a file) in which no line is repeated, such as two dumps
    (sorted) or two builds' quads in the order they were made. Outside the stretches where they
    differ the texts are the same bytes, so a line of a stretch of one is in the other only if it
    is in one of its stretches (a line that moved from one stretch to another is not changed)."""
    if old[-1:] not in (b"\n", b"") or new[-1:] not in (b"\n", b""):
        raise SyntaxError("not a dump kg wrote: its last line has no end")
    before: set[bytes] = set()
    after: set[bytes] = set()
    for a, b, c, d in _regions(old, new):
        before.update(old[a:b].splitlines())
        after.update(new[c:d].splitlines())
    return sorted(after - before), sorted(before - after)


def parsed(added: list[bytes], removed: list[bytes]) -> Delta:
    """The :class:`Delta` of N-Quads lines added and removed."""

    def parse(lines: list[bytes]) -> list[ox.Quad]:
        return list(ox.parse(b"\n".join(lines), format=ox.RdfFormat.N_QUADS)) if lines else []

    return Delta(parse(added), parse(removed))


def delta(old: bytes, new: bytes) -> Delta:
    """The quads of the N-Quads dump ``new`` that ``old`` lacks, and those it lost (each dump sorted,
    without repeats, as a build writes it): the stretches where the dumps differ are found by
    comparing blocks of bytes and lines both hold, and only their lines are compared one by one
    (a title changed at 1M triples touched lines 75 MB apart, a quarter of the dump)."""
    return parsed(*changed_lines(old, new))


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
