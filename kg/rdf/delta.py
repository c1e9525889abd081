"""What changed between two builds' graphs, quad by quad.

A build's ``graph.nq`` holds its quads as sorted, duplicate-free N-Quads lines
(:func:`kg.store.store.dumps`), so the quads one graph has and the other lacks are the lines in one
dump and not the other. The next build reads them once and passes them on to the steps that redo
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


def delta(old: bytes, new: bytes) -> Delta:
    """The quads of the N-Quads dump ``new`` that ``old`` lacks, and those it lost."""
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
