"""The embedded Oxigraph store and the build output folder.

A build folder holds ``store/`` (the Oxigraph database), ``graph.nq`` (every
quad, ontology included), ``graph.ttl`` (the union graph), ``build.json``
(a manifest with counts), ``changes.json`` and ``changes.md`` (what changed
since the previous build, :mod:`kg.store.diff`), ``views/`` and ``cache/`` (what the next build
reuses: its SHACL results, :mod:`kg.rdf.revalidate`; what its views read and drew,
:mod:`kg.views.reuse`; its quads in the order it made them, its derived quads derivation by
derivation, and the size and time of its dumps with where the writer's units and the derivations
are in those texts, :mod:`kg.store.dumps`). It is written beside
the old one and swapped in only when complete, so a failed build leaves the previous store and
dumps untouched.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from ..errors import StoreError
from ..model.terms import PREFIXES
from ..paths import derived_queries, files_hash, respect_umask
from ..rdf.delta import Delta
from .dumps import Dumps

STORE = "store"
MANIFEST = "build.json"
BLOCK = 32 << 20  # bytes of N-Quads loaded into a new store at a time (:func:`_bulk_load`)


def _recover(build_dir: Path) -> None:
    """Finish a swap interrupted between its two renames."""
    if build_dir.exists():
        return
    olds = sorted(build_dir.parent.glob(f"{build_dir.name}.old-*"))
    if olds:
        olds[-1].rename(build_dir)


def staging(build_dir: Path) -> Path:
    """A new, empty folder beside ``build_dir`` for the build that is to replace it (see
    :func:`put_in_place`; whoever makes it removes it when the build fails)."""
    build_dir = Path(build_dir).resolve()
    build_dir.parent.mkdir(parents=True, exist_ok=True)
    _recover(build_dir)
    tmp = Path(tempfile.mkdtemp(prefix=f"{build_dir.name}.tmp-", dir=build_dir.parent))
    respect_umask(tmp)
    return tmp


def write_store(graph: Dumps, since: tuple[Path, Delta] | None = None) -> None:
    """The Oxigraph store of ``graph`` in its folder, loaded from its N-Quads dump; ``since``: a
    store holding the graph that ``graph`` differs from by a :class:`~kg.rdf.delta.Delta`, copied
    (with hard links) and changed instead of loading every quad. Oxigraph does this without holding
    Python's GIL, so a build runs it in a thread of its own (:mod:`kg.store.build`)."""
    if since is None or not _changed_copy(since[0], since[1], graph.folder / STORE):
        store = ox.Store(str(graph.folder / STORE))
        _bulk_load(store, graph.nquads_file, in_blocks=not graph.blank_nodes)
        store.flush()
        del store


def _bulk_load(store: ox.Store, nquads: Path, in_blocks: bool) -> None:
    """The quads of the N-Quads file ``nquads`` loaded into ``store``, :data:`BLOCK` bytes at a time
    (whole lines), then compacted. Oxigraph's bulk loader holds what one call loads in memory. At
    896k quads, alone: one call took 9.3 s and 700 MB more; blocks of 8 MB 5.5 s and 80 MB, of
    32 MB 6.8 s and 250 MB; the compaction 1.2 s, after which the packs run as fast as on the
    store loaded at once (geometric mean 0.96x; the folder is 290 MB instead of 168). Beside the
    views (:mod:`kg.store.build`) the blocks cost the views 1-2 s and save 300-500 MB of the
    peak: 32 MB blocks keep that step under the SHACL step's peak. Each call names blank nodes
    anew, so a dump with a blank node (kg writes none) is loaded in one call (not ``in_blocks``)."""
    if not in_blocks:
        store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        return
    with nquads.open("rb") as fh:
        rest = b""
        while block := fh.read(BLOCK):
            block = rest + block
            end = block.rfind(b"\n") + 1
            rest = block[end:]
            if end:
                store.bulk_load(block[:end], format=ox.RdfFormat.N_QUADS)
        if rest:
            store.bulk_load(rest, format=ox.RdfFormat.N_QUADS)
    store.optimize()


def put_in_place(graph: Dumps, manifest: dict, build_dir: Path) -> None:
    """Complete the new build in the folder of ``graph`` (its store, Turtle and other files written)
    with its ``manifest`` and put it in place of ``build_dir`` atomically. Whoever made the folder
    (:func:`staging`) removes it if this fails."""
    (graph.folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    _swap(graph.folder, Path(build_dir).resolve())


def _changed_copy(source: Path, delta: Delta, target: Path) -> bool:
    """A copy of the store in ``source`` in ``target`` with ``delta`` applied (False, and nothing in
    ``target``, when the store cannot be copied)."""
    try:
        old = ox.Store.read_only(str(source))
        old.backup(str(target))  # hard links to its immutable files where the file system allows
        del old
    except (OSError, RuntimeError):
        shutil.rmtree(target, ignore_errors=True)
        return False
    store = ox.Store(str(target))
    for q in delta.removed:
        store.remove(q)
    store.extend(delta.added)
    store.flush()
    del store
    return True


def _swap(new: Path, build_dir: Path) -> None:
    """Put ``new`` in place of ``build_dir`` (two renames; :func:`_recover` finishes an interrupted one)."""
    old = None
    if build_dir.exists():
        old = build_dir.with_name(f"{build_dir.name}.old-{new.name.rsplit('-', 1)[-1]}")
        build_dir.rename(old)
    new.rename(build_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def is_build_dir(folder: Path) -> bool:
    """Whether ``folder`` holds a built store (an interrupted swap is finished first)."""
    folder = Path(folder)
    _recover(folder)
    return (folder / STORE).is_dir()


def open_store(build_dir: Path) -> ox.Store:
    """Open the built store read-only."""
    build_dir = Path(build_dir)
    _recover(build_dir)
    path = build_dir / STORE
    if not path.is_dir():
        raise StoreError(f"no built graph in {build_dir}: run `kg build` first")
    try:
        return ox.Store.read_only(str(path))
    except (OSError, RuntimeError) as exc:  # RuntimeError: RocksDB finds the files corrupted
        raise StoreError(f"cannot open the store in {path}: {exc}") from None


def derivations_hash() -> str:
    """What identifies the derivations (``ontology/derived/*.rq``) a build ran: kept in its manifest."""
    return files_hash(derived_queries())


def check_derivations(build_dir: Path) -> None:
    """Refuse a build whose derived graph other derivations made (an older kg): the packs read its
    tallies and ranks, and would list nothing or old numbers. A build without a manifest is not
    judged (``open_store`` says what is missing)."""
    if not (Path(build_dir) / MANIFEST).is_file():
        return
    try:
        made = read_manifest(build_dir).get("derivations")
    except (OSError, ValueError, AttributeError):  # unreadable: made by no kg this one knows
        made = None
    if made != derivations_hash():
        raise StoreError(f"{build_dir} was built with other derivations (ontology/derived/) than this kg has, "
                         "whose tallies and ranks the query packs read: run `kg build` again")


def read_manifest(build_dir: Path) -> dict:
    """The manifest of the last build."""
    path = Path(build_dir) / MANIFEST
    if not path.is_file():
        raise StoreError(f"no built graph in {build_dir}: run `kg build` first")
    return json.loads(path.read_text(encoding="utf-8"))


EXPORT_FORMATS = {
    "turtle": (ox.RdfFormat.TURTLE, False),
    "ntriples": (ox.RdfFormat.N_TRIPLES, False),
    "nquads": (ox.RdfFormat.N_QUADS, True),
    "trig": (ox.RdfFormat.TRIG, True),
    "jsonld": (ox.RdfFormat.JSON_LD, True),
}


def export(build_dir: Path, fmt: str) -> bytes:
    """The built graph (ontology included) serialised in ``fmt``; triple formats get the union."""
    rdf_format, quads = EXPORT_FORMATS[fmt]
    store = open_store(build_dir)
    if quads:
        items: Iterable = sorted(store.quads_for_pattern(None, None, None, None), key=str)
    else:
        items = sorted({ox.Triple(q.subject, q.predicate, q.object)
                        for q in store.quads_for_pattern(None, None, None, None)}, key=str)
    prefixes = PREFIXES if fmt in ("turtle", "trig", "jsonld") else None
    return ox.serialize(items, format=rdf_format, prefixes=prefixes)
