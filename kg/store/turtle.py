"""``graph.ttl``: the union graph in Turtle, written whole or patched from the previous build's.

Oxigraph writes the sorted triples of the union graph as one block per subject (the subject, then
its predicates and objects, ended by `` .``), the blocks in the order of the subjects' N-Triples
forms, under a header of the prefixes. A block depends on its subject's triples only. So when a
rebuild knows the quads that changed (:mod:`kg.rdf.delta`), its Turtle is the previous one with
the blocks of the changed subjects written again (from their lines in the new ``graph.nq``): each
found by its subject's Turtle form at the start of a line (the previous blocks are walked once, in
order), a new subject's block put before the block of the subject that follows it in the previous
``graph.nq``. The result is byte for byte the Turtle written whole (tests/store/test_turtle.py);
the whole is written instead when the previous dumps are not the files that build recorded
(:mod:`kg.store.dumps`) or were written by another kg or pyoxigraph, when a dump holds a blank
node, or when the change reaches more than :data:`MAX_PATCHED` subjects.
"""

from __future__ import annotations

import functools
import re
from contextlib import ExitStack
from pathlib import Path

import pyoxigraph as ox

from ..model.terms import PREFIXES
from ..rdf.delta import Delta
from ..rdf.writer import fingerprint
from .dumps import (
    NQUADS,
    TURTLE,
    Dumps,
    first_at_or_after,
    has_prefix,
    lines_with_prefix,
    mapped,
    recorded,
    save_record,
    write_edited,
)

MAX_PATCHED = 5000  # subjects changed beyond which the Turtle is written whole
_DUMMY = ox.NamedNode("urn:kg:dummy")
_BLOCK_END = re.compile(rb"\n(?!\t)")  # a line that does not go on with the same subject


def write_turtle(graph: Dumps, since: tuple[Path, Delta] | None = None) -> None:
    """``graph.ttl`` in the folder of ``graph`` (the union graph); ``since``: the previous build's
    folder (its ``graph.ttl`` and ``graph.nq``) and the quads that changed since, to patch its
    Turtle instead of writing every triple again. Then the record of the dumps
    (:func:`kg.store.dumps.save_record`), and ``graph.nt`` is removed."""
    target = graph.folder / TURTLE
    if since is None or graph.blank_nodes or not _patched(since[0], since[1], graph.nquads_file, target):
        triples = ox.parse(path=str(graph.union()), format=ox.RdfFormat.N_TRIPLES)
        # written as it is made: the text of a million triples is not held in memory
        ox.serialize(triples, str(target), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    graph.ntriples_file.unlink(missing_ok=True)
    save_record(graph)


def _patched(previous: Path, delta: Delta, nquads: Path, target: Path) -> bool:
    """``target`` written as the previous build's Turtle with the blocks of the subjects of ``delta``
    written again from the lines of ``nquads``; False (and nothing written) when it cannot be."""
    subjects = {q.subject for q in delta.quads}
    if len(subjects) > MAX_PATCHED or not all(isinstance(s, ox.NamedNode) for s in subjects):
        return False
    kept = recorded(previous)
    if kept is None or kept.get("code") != fingerprint() or (previous / TURTLE).stat().st_size == 0:
        return False  # files changed since, or written by another kg or pyoxigraph (another serializer)
    forms = sorted(str(s).encode() for s in subjects)  # the order of the blocks
    with ExitStack() as files:
        old, quads, new = (mapped(files, p) for p in (previous / TURTLE, previous / NQUADS, nquads))
        edits = _edits(old, quads, new, forms)
        if edits is None:
            return False
        write_edited(target, previous / TURTLE, edits)
    return True


def _edits(old, quads, new, forms: list[bytes]) -> list[tuple[int, int, bytes]] | None:
    """(start, end, text) replacing the bytes of ``old`` (the previous Turtle) for each subject of
    ``forms`` (N-Triples forms, sorted): its block removed, changed or added, from its lines in
    ``new`` (the new quads, sorted). None when a block the previous quads ``quads`` name is not
    where it should be (a Turtle they did not make)."""
    head = _header()
    if old[:len(head)] != head:
        return None
    out = []
    cursor = len(head)  # the blocks before it are behind
    for form in forms:
        key = form + b" "
        lines = lines_with_prefix(new, key)
        text = _block(lines) if lines else b""
        if has_prefix(quads, key):  # a subject the previous build had: its block
            start = _find_block(old, form, cursor)
            if start < 0:
                return None
            found = _BLOCK_END.search(old, start)
            end = len(old) if found is None else found.end()
        else:  # a new subject: before the block of the previous build's next subject
            after = first_at_or_after(quads, key)
            start = end = len(old) if after == len(quads) else _find_block(old, quads[after:quads.find(b" ", after)],
                                                                           cursor)
            if start < 0 or _find_block(old, form, cursor, start) >= 0:  # not there, or there after all
                return None
        out.append((start, end, text))
        cursor = end
    return out


def _find_block(old, form: bytes, cursor: int, before: int | None = None) -> int:
    """Where the block of the subject with N-Triples ``form`` starts in ``old`` at or after ``cursor``
    (and before ``before``); -1 when it does not."""
    found = old.find(b"\n" + _turtle_form(form) + b" ", cursor - 1, len(old) if before is None else before)
    return found if found < 0 else found + 1


@functools.cache
def _header() -> bytes:
    """The prefixes Oxigraph writes before the first block."""
    text = ox.serialize([ox.Triple(_DUMMY, _DUMMY, _DUMMY)], format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return text[:text.index(b"<urn:kg:dummy> <urn:kg:dummy>")]


def _turtle_form(form: bytes) -> bytes:
    """How the Turtle writes the subject of N-Triples ``form`` (an IRI: a prefixed name, or itself)."""
    text = ox.serialize([ox.Triple(ox.NamedNode(form[1:-1].decode()), _DUMMY, _DUMMY)], format=ox.RdfFormat.TURTLE,
                        prefixes=PREFIXES)
    body = text[len(_header()):]
    return body[:body.index(b" <urn:kg:dummy>")]


def _block(lines: bytes) -> bytes:
    """The Turtle block of one subject's N-Quads ``lines`` (sorted): its triples, each once."""
    quads = ox.parse(lines, format=ox.RdfFormat.N_QUADS)
    triples = list(dict.fromkeys(ox.Triple(q.subject, q.predicate, q.object) for q in quads))
    text = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return text[len(_header()):]
