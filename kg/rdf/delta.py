"""What changed between two builds' graphs, quad by quad.

A build's ``graph.nq`` holds its quads as sorted, duplicate-free N-Quads lines
(:func:`kg.store.store.dumps`), so the quads one graph has and the other lacks are the lines in one
dump and not the other. The next build reads them once and passes them on to the steps that redo
only what a change touches (:mod:`kg.rdf.revalidate`, :mod:`kg.store.diff`).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox


def delta(old: bytes, new: bytes) -> list[ox.Quad]:
    """The quads of the N-Quads dump ``old`` or ``new`` that are not in both."""
    lines = set(old.splitlines())
    lines.symmetric_difference_update(new.splitlines())
    return list(ox.parse(b"\n".join(sorted(lines)), format=ox.RdfFormat.N_QUADS))


def delta_since(dump: Path, new: bytes) -> list[ox.Quad] | None:
    """The quads added or removed since the graph dumped in ``dump`` (None when it cannot be read)."""
    try:
        old = dump.read_bytes()
    except OSError:
        return None
    try:
        return delta(old, new)
    except SyntaxError:  # not a dump kg wrote
        return None
