"""The dumps of a build, and what the next build compares its own with.

- ``graph.nq``: every quad, as sorted, duplicate-free N-Quads lines (equal graphs give equal bytes);
- ``graph.nt``: the union graph's lines, sorted the same way, while ``graph.ttl`` is written from
  them (:mod:`kg.store.turtle`);
- ``cache/quads.nq``: the quads in the order the build made them (the writer's, then the
  ontology's), no line repeated; ``cache/derived.nq``: the derived graph's, derivation by
  derivation (:mod:`kg.rdf.derive`); ``cache/facts.nt``: the triples of the first, as the build's
  in-memory store was loaded with them (:mod:`kg.store.filling`).

Where the data did not change, a rebuild makes its quads in the order of the build before, so the
two texts of quads as made are the same bytes but for a few stretches, which
:func:`kg.rdf.delta.changed_lines` finds without sorting a line. ``graph.nq`` is then the previous
one with the removed lines cut and the added ones put in (each place found by a binary search), and
the union graph's lines are left for the Turtle to read from it where it needs them. The facts' and
ontology's quads are compared first (:class:`Making`), so that the derivations the change does not
touch are taken from the previous build. A build from
scratch, a rebuild whose previous dumps are not the files that build recorded, or one that changed
more than :data:`MAX_PATCHED` lines sorts every line instead: the same bytes
(tests/store/test_dumps.py).
"""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, replace
from itertools import chain
from pathlib import Path

from ..model.terms import GRAPH
from ..rdf.delta import Delta, changed_lines, parsed
from ..rdf.derive import Derived
from ..rdf.emitter import Earlier, Stretch
from ..rdf.writer import fingerprint

NQUADS = "graph.nq"
TURTLE = "graph.ttl"
NTRIPLES = "graph.nt"  # the union graph's lines while a build is written
MADE = Path("cache") / "quads.nq"
DERIVED = Path("cache") / "derived.nq"
TRIPLES = Path("cache") / "facts.nt"  # the triples the build's store was loaded with (kg.store.filling)
RECORD = Path("cache") / "dumps.json"  # size and time of each dump, and the counts of graph.nq
MAX_PATCHED = 20_000  # lines changed beyond which graph.nq is sorted whole
_READ = 16 << 20  # bytes of the quads as made read at a time to be sorted
_GRAPH_TERM = f" <{GRAPH}".encode()  # where the graph name of a build's N-Quads line starts


@dataclass(frozen=True)
class Dumps:
    """A graph as the sorted, duplicate-free lines of its dumps, in files of a new build's folder
    (:func:`kg.store.store.staging`), not in memory (a million triples make 400 MB of lines)."""

    folder: Path
    quads: int
    triples: int
    blank_nodes: bool  # whether a line may hold a blank node (``_:`` anywhere, literals included)
    made_blank_nodes: bool = True  # the same, of the quads as made (facts and ontology: cache/quads.nq)
    delta: Delta | None = None  # the quads changed since the previous build, when compared with it
    units: dict[str, list] | None = None  # where each unit's text is in the quads as made (kg.rdf.writer)
    derived: dict[str, list] | None = None  # each derivation's [key, patterns, start, end] in cache/derived.nq

    @property
    def nquads_file(self) -> Path:
        """Every quad."""
        return self.folder / NQUADS

    @property
    def ntriples_file(self) -> Path:
        """The union graph (made from ``graph.nq`` when a patch left it out: :meth:`union`)."""
        return self.folder / NTRIPLES

    def nquads(self) -> bytes:
        """The lines of every quad."""
        return self.nquads_file.read_bytes()

    def union(self) -> Path:
        """``graph.nt``, written from ``graph.nq`` if it is not there."""
        if not self.ntriples_file.exists():
            with self.nquads_file.open("rb") as fh:
                _write_lines(self.ntriples_file, _union(fh.read().splitlines(keepends=True)))
        return self.ntriples_file


def dumps(parts: list[bytes], folder: Path, previous: Path | None = None,
          units: dict[str, list] | None = None) -> Dumps:
    """The dumps of the N-Quads texts ``parts`` and no derived quads (:class:`Making`)."""
    return Making(parts, folder, previous).finish([], units)


class Making:
    """The dumps of a new build, in two steps: the N-Quads texts ``parts`` of its facts and ontology
    (in the order the quads were made; every quad in one of kg's named graphs, no line repeated),
    written in ``folder`` as made and compared with those of ``previous`` (the folder of the build
    this one replaces, if any): :attr:`changed`; then (:meth:`finish`) its derived quads, and the
    sorted dumps, patched from the previous ones where it can. The texts are taken out of ``parts``
    once written (a caller that keeps no other reference to them has their memory back); ``written``:
    they are in the file already (:class:`kg.store.filling.Filling` writes them as they come), and
    some may be :class:`~kg.rdf.emitter.Stretch` objects of ``previous``'s quads as made (copied
    there), which hold a blank node only if that build's did (its record says)."""

    def __init__(self, parts: list[bytes | Stretch], folder: Path, previous: Path | None = None,
                 written: bool = False) -> None:
        self.folder, self.previous, self.parts = folder, previous, parts
        made = folder / MADE
        if not written:
            made.parent.mkdir(parents=True, exist_ok=True)
            with made.open("wb") as fh:
                fh.writelines(parts)
        self.kept = None if previous is None else recorded(previous)
        taken = not all(isinstance(text, bytes) for text in parts)
        self.blank_nodes = any(b"_:" in text for text in parts if isinstance(text, bytes)) \
            or (taken and (self.kept is None or self.kept.get("made_blank_nodes", True)))
        if taken and self.kept is None:  # the previous build's record gone meanwhile: the texts read back
            parts[:] = [made.read_bytes()]
        self.base: tuple[list[bytes], list[bytes]] | None = None
        if self.kept is not None:
            parts.clear()  # from here on the texts are read from the file (the stretches compared, or every line)
            self.base = _compare(previous / MADE, made)
        #: the quads of the facts and ontology changed since the previous build (None: not known)
        self.changed: Delta | None = None if self.base is None else parsed(*self.base)

    def earlier(self) -> dict[str, Derived]:
        """The previous build's derivations (recorded by this code), by name, when it was compared."""
        if self.changed is None:
            return {}
        try:
            text = (self.previous / DERIVED).read_bytes()
            return {name: Derived(name, key, patterns, text[start:end])
                    for name, (key, patterns, start, end) in self.kept["derived"].items()}
        except (OSError, ValueError, TypeError):  # unreadable, or a record kg did not write: none taken
            return {}

    def finish(self, derived: list[Derived], units: dict[str, list] | None = None) -> Dumps:
        """The dumps, with the ``derived`` quads; ``units``: where the writer's units are in the text
        (kept in the record for the next build's writer, as is where each derivation is)."""
        record, at = {}, 0
        with (self.folder / DERIVED).open("wb") as fh:
            for d in derived:
                fh.write(d.text)
                record[d.name] = [d.key, d.patterns, at, at + len(d.text)]
                at += len(d.text)
        blank_nodes = self.blank_nodes or any(b"_:" in d.text for d in derived)
        if self.kept is None:  # nothing to compare with: every line sorted
            texts = [d.text for d in derived] + self.parts
            self.parts.clear()
            return replace(_sorted(_taken(texts), self.folder, blank_nodes), units=units, derived=record,
                           made_blank_nodes=self.blank_nodes)
        changes = None
        if self.base is not None and (more := _compare(self.previous / DERIVED, self.folder / DERIVED)):
            changes = sorted(self.base[0] + more[0]), sorted(self.base[1] + more[1])
        graph = None
        if changes is not None and sum(map(len, changes)) <= MAX_PATCHED:
            graph = _patched(self.previous, self.kept, self.folder, *changes, blank_nodes)
        if graph is None:
            graph = _sorted(chain(_read(self.folder / MADE), _read(self.folder / DERIVED)), self.folder, blank_nodes)
        return replace(graph, units=units, derived=record, delta=None if changes is None else parsed(*changes),
                       made_blank_nodes=self.blank_nodes)


def _compare(old: Path, new: Path) -> tuple[list[bytes], list[bytes]] | None:
    """The lines added and removed between two texts of quads as made (None: not comparable)."""
    with ExitStack() as files:
        try:
            return changed_lines(mapped(files, old), mapped(files, new))
        except (OSError, SyntaxError):
            return None


def _taken(parts: list[bytes]) -> Iterator[bytes]:
    """The texts of ``parts``, each taken out of the list as it is read."""
    while parts:
        yield parts.pop()


def _read(made: Path) -> Iterator[bytes]:
    """The text of the file ``made`` in blocks of whole lines (not held whole beside its lines)."""
    with made.open("rb") as fh:
        rest = b""
        while block := fh.read(_READ):
            block = rest + block
            end = block.rfind(b"\n") + 1
            yield block[:end]
            rest = block[end:]
        yield rest


def _sorted(texts: Iterator[bytes], folder: Path, blank_nodes: bool) -> Dumps:
    """Every line of ``texts`` (each a text of whole lines) sorted (``graph.nq``), and the union
    graph's (``graph.nt``)."""
    # UTF-8 bytes sort in code point order, as the text would, with a third of the memory
    lines: list[bytes] = []
    for text in texts:
        lines += text.splitlines(keepends=True)
        del text
    lines.sort()
    lines = _distinct(lines)
    _write_lines(folder / NQUADS, lines)
    triples = _union(lines)
    quads = len(lines)
    del lines
    _write_lines(folder / NTRIPLES, triples)
    return Dumps(folder, quads, len(triples), blank_nodes)


def _union(lines: list[bytes]) -> list[bytes]:
    """The union graph's lines of the sorted quad ``lines``: each without its graph name (the line's
    last term, one of kg's graphs), once. They come out (nearly) sorted, which the sort then only
    checks."""
    try:
        triples = [line[:line.rindex(_GRAPH_TERM)] + b" .\n" for line in lines]
    except ValueError:
        raise ValueError("every quad of a build is in one of kg's named graphs") from None
    triples.sort()
    return _distinct(triples)


def _distinct(lines: list[bytes]) -> list[bytes]:
    """Sorted ``lines`` without repeats (a set and a sort of a million lines take 1 s more)."""
    return [line for i, line in enumerate(lines) if i == 0 or line != lines[i - 1]]


def _write_lines(path: Path, lines: list[bytes]) -> None:
    with path.open("wb") as fh:
        fh.writelines(lines)


def _patched(previous: Path, kept: dict, folder: Path, added: list[bytes], removed: list[bytes],
             blank_nodes: bool) -> Dumps | None:
    """``graph.nq`` in ``folder`` as the previous one with the sorted lines ``removed`` cut and
    ``added`` put in (without their ends); None (and nothing written) when a line is not where the previous dump should
    have it."""
    with ExitStack() as files:
        old = mapped(files, previous / NQUADS)
        edits = []
        for text, cut in [(text, True) for text in removed] + [(text, False) for text in added]:
            line = text + b"\n"  # the lines compared are without their end
            at = first_at_or_after(old, line)
            if (old[at:at + len(line)] == line) != cut:
                return None
            edits.append((at, at + len(line) if cut else at, b"" if cut else line))
        edits.sort(key=lambda e: e[:2])  # at one place: the lines put in (in order), then the one cut
        target = folder / NQUADS
        write_edited(target, previous / NQUADS, edits)
        new = mapped(files, target)
        try:
            gone = {triple_head(line) for line in removed}
            came = {triple_head(line) for line in added}
        except ValueError:
            return None
        triples = (kept["triples"] - sum(1 for t in gone if not has_prefix(new, t))
                   + sum(1 for t in came if not has_prefix(old, t)))
    return Dumps(folder, kept["quads"] - len(removed) + len(added), triples, blank_nodes)


def write_edited(target: Path, source: Path, edits: list[tuple[int, int, bytes]]) -> None:
    """``target`` written as the file ``source`` with each (start, end, text) of ``edits`` (in order,
    not overlapping) replacing its stretch. The stretches between are copied by the kernel where it
    can (``os.copy_file_range``): at 1M triples, 220 MB in 0.1-0.25 s instead of 0.45-0.65 s
    through Python's memory (benchmarks/README.md)."""
    with source.open("rb") as src, target.open("wb", buffering=0) as out:
        at = 0
        for start, end, text in [*edits, (os.fstat(src.fileno()).st_size, None, b"")]:
            copy_range(src, out, at, start)
            write_all(out, text)
            at = end


def copy_range(src, out, start: int, end: int) -> None:
    """The bytes ``start:end`` of the file ``src`` written to the unbuffered file ``out``."""
    while start < end:
        try:
            n = os.copy_file_range(src.fileno(), out.fileno(), end - start, start)
        except (AttributeError, OSError):  # no such call here, or not between these files
            n = 0
        if n == 0:  # through memory, then
            src.seek(start)
            write_all(out, src.read(end - start))
            return
        start += n


def write_all(out, data: bytes) -> None:
    """All of ``data`` written to the unbuffered file ``out`` (whose writes may take part of it)."""
    view = memoryview(data)
    while view:
        view = view[out.write(view):]


def triple_head(line: bytes) -> bytes:
    """What every quad line of the same triple starts with: the triple, then one of kg's graphs."""
    return line[:line.rindex(_GRAPH_TERM)] + _GRAPH_TERM


def has_prefix(buf, prefix: bytes) -> bool:
    """Whether one of the sorted lines ``buf`` starts with ``prefix``."""
    at = first_at_or_after(buf, prefix)
    return buf[at:at + len(prefix)] == prefix


def first_at_or_after(buf, key: bytes) -> int:
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


def lines_with_prefix(buf, prefix: bytes) -> bytes:
    """The sorted lines ``buf`` that start with ``prefix``."""
    start = end = first_at_or_after(buf, prefix)
    while buf[end:end + len(prefix)] == prefix:
        end = buf.find(b"\n", end) + 1 or len(buf)
    return buf[start:end]


def mapped(files: ExitStack, path: Path):
    """The bytes of ``path``, mapped (b"" for an empty file), open until ``files`` closes."""
    fh = files.enter_context(path.open("rb"))
    if path.stat().st_size == 0:
        return b""
    return files.enter_context(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))



def save_record(graph: Dumps) -> None:
    """Keep, in the new build's folder, the size and time of each of its dumps and the counts of
    ``graph.nq``: the next build compares with and patches only files that are as recorded."""
    kept = {"files": _stats(graph.folder), "quads": graph.quads, "triples": graph.triples,
            "code": fingerprint(), "units": graph.units or {}, "derived": graph.derived or {},
            "made_blank_nodes": graph.made_blank_nodes}
    (graph.folder / RECORD).write_text(json.dumps(kept), encoding="utf-8")


def recorded(folder: Path) -> dict | None:
    """What the build in ``folder`` recorded of its dumps, if they are still the files it wrote
    (the units of its quads as made and its derivations only if this code made them)."""
    try:
        kept = json.loads((folder / RECORD).read_text(encoding="utf-8"))
        if kept["files"] != _stats(folder) or not isinstance(kept["quads"], int):
            return None
        if kept.get("code") != fingerprint() or not isinstance(kept.get("units"), dict):
            kept["units"] = {}
        if kept.get("code") != fingerprint() or not isinstance(kept.get("derived"), dict):
            kept["derived"] = {}
        return kept
    except (OSError, ValueError, TypeError, KeyError):
        return None


def earlier(folder: Path, files: ExitStack) -> Earlier | None:
    """The quads as made by the build in ``folder`` (read a stretch at a time, open until ``files``
    closes), where its units are in them and the triples its store was loaded with (the same lines
    without their graph names, when kept), for the writer to take the unchanged units from; None
    when there are none."""
    kept = recorded(folder)
    if kept is None or not kept["units"]:
        return None
    triples = Stretches(files, folder / TRIPLES) if (folder / TRIPLES).is_file() else None
    return Earlier(Stretches(files, folder / MADE), kept["units"], triples)


class Stretches:
    """A file of an earlier build, whose slices (``stretches[start:end]``) are :class:`~kg.rdf.emitter.Stretch`
    objects, not read: the writer hands the unchanged units on as they are, for
    :class:`kg.store.filling.Filling` to copy from file to file; open until ``files`` closes."""

    def __init__(self, files: ExitStack, path: Path) -> None:
        self._file = files.enter_context(path.open("rb"))

    def __getitem__(self, stretch: slice) -> Stretch:
        return Stretch(self._file, stretch.start, stretch.stop)


def _stats(folder: Path) -> dict[str, list[int]]:
    """Size and time of each dump (and of the triples its store was loaded from, when kept)."""
    names = (NQUADS, TURTLE, MADE, DERIVED, *[TRIPLES] * (folder / TRIPLES).exists())
    return {str(name): [st.st_size, st.st_mtime_ns] for name in names for st in [(folder / name).stat()]}
