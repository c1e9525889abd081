"""The writer's quads as N-Quads text, handed over in parts as they are made (:class:`Emitter`),
and what an earlier build's writer made, for a rebuild to take unchanged stretches of
(:class:`Earlier`). :mod:`kg.rdf.writer` makes the quads; this module only writes them."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import groupby
from typing import Any, NamedTuple

import pyoxigraph as ox
from rdflib import URIRef

from .oxterms import NODE


class Emitter:
    """Collects quads in a stable order, each triple in one graph only (the first it was given).
    With a ``sink``, every ``every`` quads or so (and the rest at :meth:`flush`) are handed to it as
    N-Quads text, in order, and let go: the text is written from each term's N-Triples form, made
    once for an IRI (subjects, properties and graphs recur), without a pyoxigraph quad for each (at
    1M triples making the quads and writing them took 1.2-2.1 s more: benchmarks/README.md). The
    text can be marked between quads (:meth:`mark`: the bytes written before) and given text made
    earlier (:meth:`take`), without handing the sink smaller parts (Oxigraph loads a part at a
    time, and a thousand small parts take it seconds more). With ``triples``, the sink is handed
    each part's lines without their graph names too, as N-Triples (``sink(text, triples)``): what
    a store of the graphs merged loads, written with the text instead of cut from it (a regular
    expression over a million lines held Python's GIL 0.8 s: benchmarks/README.md)."""

    def __init__(self, sink: Callable[..., None] | None = None, every: int = 20_000, triples: bool = False) -> None:
        self._rows: list[tuple] = []  # (subject, property, object, graph), pyoxigraph terms
        self._triples: set[tuple] = set()
        self._sink = sink
        self._every = every
        self._forms: dict[ox.NamedNode, str] = {}
        self._texts: list[bytes] = []  # text written and not yet handed to the sink
        self._lines: list[bytes] | None = [] if triples else None  # the same lines without graph names
        self._held = [0, 0, 0]  # its quads, bytes and bytes without graph names
        self._sent = [0, 0]  # bytes handed to the sink, with and without graph names
        self.sends = sink is not None

    @property
    def splits(self) -> bool:
        """Whether the sink is handed the lines without their graph names too."""
        return self._lines is not None

    def add(self, g: ox.NamedNode, s, p: URIRef, o) -> None:
        """Add one quad (``o`` None is ignored; a triple already in some graph is not repeated); the
        property ``p`` is the model's (rdflib) term, the others pyoxigraph terms."""
        if o is not None:
            p = NODE[p]
            seen = self._triples
            before = len(seen)
            seen.add((s, p, o))  # one hash of the triple instead of two (a look-up, then the add)
            if len(seen) != before:
                rows = self._rows
                rows.append((s, p, o, g))
                if self._sink is not None and len(rows) + self._held[0] >= self._every:
                    self.flush()

    @property
    def quads(self) -> list[ox.Quad]:
        """The quads collected (and not handed to a sink)."""
        return [ox.Quad(s, p, o, g) for s, p, o, g in self._rows]

    def flush(self) -> None:
        """Hand the text of the quads collected to the sink, if any: the bytes in one part, and each
        run of stretches taken that follow on in one file as one stretch."""
        if self._sink is not None:
            self._write()
            if self._texts:
                texts, lines = self._texts, self._lines
                self._texts, self._held = [], [0, 0, 0]
                if lines is not None:
                    self._lines = []
                for text, triples in _runs(texts, lines):
                    self._sent[0] += len(text)
                    if lines is None:
                        self._sink(text)
                    else:
                        self._sent[1] += len(triples)
                        self._sink(text, triples)

    def mark(self) -> tuple[int, int]:
        """The bytes of text of the quads collected so far (where the next quad's text will start),
        with and without their graph names (0 when the sink is not handed the latter)."""
        self._write()
        return self._sent[0] + self._held[1], self._sent[1] + self._held[2]

    def take(self, text: bytes | Stretch, triples: bytes | Stretch | None = None) -> None:
        """Add, after the quads collected, the N-Quads ``text`` of quads made by an earlier build,
        and its lines without their graph names (``triples``, when the sink is handed them); no
        triple of them is remembered: none may be added again. A :class:`Stretch` of the earlier
        build's file is handed to the sink as it is, unread (next to stretches that follow on in
        the same file, as one), for it to copy file to file."""
        self._write()
        self._texts.append(text)
        if isinstance(text, bytes):  # bytes held: counted towards a part
            self._held[0] += text.count(b"\n")
        self._held[1] += len(text)
        if self._lines is not None:
            self._lines.append(triples)
            self._held[2] += len(triples)
        if self._held[0] >= self._every:
            self.flush()

    def _write(self) -> None:
        """The quads collected written as text (held until the sink is handed a part)."""
        if self._sink is not None and self._rows:
            rows, self._rows = self._rows, []
            text, triples = self._nquads(rows)
            self._texts.append(text)
            self._held[0] += len(rows)
            self._held[1] += len(text)
            if self._lines is not None:
                self._lines.append(triples)
                self._held[2] += len(triples)

    def _nquads(self, rows: list[tuple]) -> tuple[bytes, bytes | None]:
        """The N-Quads lines of ``rows``, as ``ox.serialize`` writes them, and (when the sink is
        handed them) the same lines without their graph names."""
        forms = self._forms

        def made(term: ox.NamedNode) -> str:
            form = forms[term] = str(term)
            return form

        lines, triples = [], None if self._lines is None else []
        for s, p, o, g in rows:
            obj = (forms.get(o) or made(o)) if type(o) is ox.NamedNode else str(o)
            triple = f"{forms.get(s) or made(s)} {forms.get(p) or made(p)} {obj}"
            lines.append(f"{triple} {forms.get(g) or made(g)} .\n")
            if triples is not None:
                triples.append(f"{triple} .\n")
        return "".join(lines).encode(), None if triples is None else "".join(triples).encode()


@dataclass(frozen=True)
class Stretch:
    """The bytes ``start:end`` of an earlier build's file, open for reading (``file``), taken as they
    are: handed on unread, for the sink to copy from file to file (at 1M triples a rebuild took
    360 MB of text through Python's memory, read, counted, joined and searched: 0.8 s of the
    writer's thread: benchmarks/README.md)."""

    file: Any
    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start

    def read(self) -> bytes:
        """The bytes themselves."""
        parts, at = [], self.start
        while at < self.end:
            part = os.pread(self.file.fileno(), self.end - at, at)
            if not part:  # the file ends before
                break
            parts.append(part)
            at += len(part)
        return b"".join(parts)

    def then(self, other: Stretch) -> Stretch | None:
        """This stretch and ``other`` as one, when ``other`` follows on in the same file; else None."""
        if other.file is self.file and other.start == self.end:
            return Stretch(self.file, self.start, other.end)
        return None


def _runs(texts: list, lines: list | None) -> Iterator[tuple[Any, Any]]:
    """The ``texts`` (bytes or :class:`Stretch`) and their ``lines`` without graph names (None: not
    kept) in order, as parts: the bytes next to one another joined, the stretches that follow on
    in their files as one."""
    pairs = zip(texts, lines if lines is not None else [None] * len(texts), strict=True)
    for are_bytes, group in groupby(pairs, key=lambda pair: isinstance(pair[0], bytes)):
        run = list(group)
        if are_bytes:
            yield b"".join(t for t, _ in run), None if lines is None else b"".join(t for _, t in run)
            continue
        text, triples = run[0]
        for more, more_triples in run[1:]:
            joined = text.then(more)
            joined_triples = None if triples is None else triples.then(more_triples)
            if joined is None or (triples is not None and joined_triples is None):
                yield text, triples
                joined, joined_triples = more, more_triples
            text, triples = joined, joined_triples
        yield text, triples


class Earlier(NamedTuple):
    """What an earlier build's writer made: its quads' text (as made), where each unit is in it
    (:attr:`Writer.units`), and the same lines without their graph names (None: not kept). The
    texts are bytes, or files whose slices are :class:`Stretch` objects (:class:`kg.store.dumps.Stretches`):
    only sliced."""

    text: Any
    units: dict[str, list]
    triples: Any = None
