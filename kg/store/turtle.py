"""``graph.ttl``: the union graph in Turtle, written whole or patched from the previous build's.

Oxigraph writes the sorted triples of the union graph as one block per subject (the subject, then
its predicates and objects, ended by `` .``), the blocks in the order of the subjects' N-Triples
forms, under a header of the prefixes. A block depends on its subject's triples only. So when a
rebuild knows the quads that changed (:mod:`kg.rdf.delta`), its Turtle is the previous one with
the blocks of the changed subjects written again: each found by its subject's Turtle form at the
start of a line (the previous blocks are walked once, in order), a new subject's block put before
the block of the subject that follows it in the previous ``graph.nq``. The result is byte for byte
the Turtle written whole (tests/store/test_turtle.py); the whole is written instead when there is
no previous Turtle as the previous build recorded it, when a dump holds a blank node, or when
the change reaches more than :data:`MAX_PATCHED` subjects.
"""

from __future__ import annotations

import functools
import json
import mmap
import re
from contextlib import ExitStack
from pathlib import Path

import pyoxigraph as ox

from ..model.terms import PREFIXES
from ..rdf.delta import Delta
from .store import NQUADS, TURTLE, Dumps

RECORD = Path("cache") / "turtle.json"  # the size and time of the Turtle a build wrote, and of its N-Quads
MAX_PATCHED = 5000  # subjects changed beyond which the Turtle is written whole
_DUMMY = ox.NamedNode("urn:kg:dummy")
_BLOCK_END = re.compile(rb"\n(?!\t)")  # a line that does not go on with the same subject


def write_turtle(graph: Dumps, since: tuple[Path, Delta] | None = None) -> None:
    """``graph.ttl`` in the folder of ``graph``, from its N-Triples lines (the union graph), which
    are then removed; ``since``: the previous build's folder (its ``graph.ttl`` and ``graph.nq``)
    and the quads that changed since, to patch its Turtle instead of writing every triple again."""
    target = graph.folder / TURTLE
    if since is None or graph.blank_nodes or not _patched(since[0], since[1], graph.ntriples_file, target):
        triples = ox.parse(path=str(graph.ntriples_file), format=ox.RdfFormat.N_TRIPLES)
        # written as it is made: the text of a million triples is not held in memory
        ox.serialize(triples, str(target), ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    _record(graph.folder)
    graph.ntriples_file.unlink()


def _record(folder: Path) -> None:
    """Keep the size and time of the Turtle and of the N-Quads it goes with."""
    path = folder / RECORD
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_stats(folder)), encoding="utf-8")


def _stats(folder: Path) -> dict[str, list[int]]:
    return {name: [st.st_size, st.st_mtime_ns] for name in (TURTLE, NQUADS) for st in [(folder / name).stat()]}


def _as_recorded(previous: Path) -> bool:
    """Whether the previous build's Turtle and N-Quads are the files it wrote (not changed since)."""
    try:
        return json.loads((previous / RECORD).read_text(encoding="utf-8")) == _stats(previous)
    except (OSError, ValueError):
        return False


def _patched(previous: Path, delta: Delta, ntriples: Path, target: Path) -> bool:
    """``target`` written as the previous build's Turtle with the blocks of the subjects of ``delta``
    written again from ``ntriples``; False (and nothing written) when it cannot be."""
    subjects = {q.subject for q in delta.quads}
    if len(subjects) > MAX_PATCHED or not all(isinstance(s, ox.NamedNode) for s in subjects):
        return False
    if not _as_recorded(previous) or (previous / TURTLE).stat().st_size == 0:
        return False
    forms = sorted(str(s).encode() for s in subjects)  # the order of the blocks
    with ExitStack() as files:
        old, quads, new = (_mapped(files, p) for p in (previous / TURTLE, previous / NQUADS, ntriples))
        edits = _edits(old, quads, new, forms)
        if edits is None:
            return False
        with target.open("wb") as out:
            at = 0
            for start, end, text in edits:
                out.write(old[at:start])
                out.write(text)
                at = end
            out.write(old[at:])
    return True


def _mapped(files: ExitStack, path: Path) -> mmap.mmap | bytes:
    """The bytes of ``path``, mapped (an empty file as b"")."""
    fh = files.enter_context(path.open("rb"))
    if path.stat().st_size == 0:
        return b""
    return files.enter_context(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))


def _edits(old, quads, new, forms: list[bytes]) -> list[tuple[int, int, bytes]] | None:
    """(start, end, text) replacing the bytes of ``old`` (the previous Turtle) for each subject of
    ``forms`` (N-Triples forms, sorted): its block removed, changed or added. None when a block
    the previous quads name is not where it should be (a Turtle they did not make)."""
    head = _header()
    if old[:len(head)] != head:
        return None
    out = []
    cursor = len(head)  # the blocks before it are behind
    for form in forms:
        key = form + b" "
        lines = _lines_of(new, key)
        text = _block(lines) if lines else b""
        if _lines_of(quads, key, first=True):  # a subject the previous build had: its block
            start = _find_block(old, form, cursor)
            if start < 0:
                return None
            found = _BLOCK_END.search(old, start)
            end = len(old) if found is None else found.end()
        else:  # a new subject: before the block of the previous build's next subject
            after = _first_at_or_after(quads, key)
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
    """The Turtle block of one subject's N-Triples ``lines``."""
    text = ox.serialize(ox.parse(lines, format=ox.RdfFormat.N_TRIPLES), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return text[len(_header()):]


def _lines_of(buf, key: bytes, first: bool = False) -> bytes:
    """The lines of the sorted lines ``buf`` that start with ``key`` (only the first, if ``first``)."""
    start = _first_at_or_after(buf, key)
    end = start
    while buf[end:end + len(key)] == key:
        end = buf.find(b"\n", end) + 1
        if first or end == 0:
            break
    return buf[start:end] if end > start else b""


def _first_at_or_after(buf, key: bytes) -> int:
    """The start of the first of the sorted lines ``buf`` that is not before ``key`` (len(buf) when
    none): a binary search on line starts."""
    lo, hi = 0, len(buf)  # lo is a line start; the answer is in [lo, hi]
    while lo < hi:
        mid = (lo + hi) // 2
        cut = buf.rfind(b"\n", lo, mid)
        start = lo if cut < 0 else cut + 1
        end = buf.find(b"\n", start) + 1 or len(buf)
        if buf[start:end] < key:
            lo = end
        else:
            hi = start
    return lo
