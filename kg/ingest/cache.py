"""A cache of what ``kg ingest`` reads before its first file, so that a run does not parse it again.

A run starts from the ontology's vocabularies (Turtle) and the registries of the data folder
(kept by :mod:`kg.facts.basecache`, as for ``kg build``) and from what every document already
ingested declares (:func:`kg.ingest.resolve.declared_facts`): half a second or more, growing with
the documents. What each document declares is kept in ``documents.pickle`` of the user's cache
folder (beside the vocabularies and registries), by file name and content hash. An edit re-reads
what it changed and nothing else: a run after another run parses only the documents that run
wrote. A missing, stale, foreign or unreadable cache file is ignored and written anew.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from .. import paths
from ..facts.basecache import cached_base, code_hash, load_vocabularies, read_cached, write_cached
from ..facts.dataset import Base
from .resolve import DeclaredFacts, declared_facts

KEEP_OTHER_DOCUMENTS = 1024  # cached documents kept beyond those of the folder read last


def _declared(data_dir: Path, folder: Path | None) -> dict[str, DeclaredFacts | None]:
    """What each document of ``data_dir`` declares (by document id, in file order), from the cache
    for the documents it has (by file name and content)."""
    docs = sorted((data_dir / "documents").glob("*.yaml"))
    if folder is None:
        return {p.stem: declared_facts(p) for p in docs}
    path = folder / "documents.pickle"
    known = read_cached(path, code_hash(), str(data_dir)) or {}
    declared: dict[str, DeclaredFacts | None] = {}
    current: dict[tuple[str, str], DeclaredFacts | None] = {}
    for doc in docs:
        entry = (doc.name, hashlib.sha256(doc.read_bytes()).hexdigest())
        declared[doc.stem] = current[entry] = known[entry] if entry in known else declared_facts(doc)
    if any(entry not in known for entry in current):
        others = [(k, v) for k, v in known.items() if k not in current][:KEEP_OTHER_DOCUMENTS]
        write_cached(path, code_hash(), {**current, **dict(others)}, str(data_dir))
    return declared


def load_session_parts(data_dir: Path) -> tuple[Base, dict[str, DeclaredFacts | None]]:
    """The registries of ``data_dir`` and what each of its documents declares (by document id, in
    file order), from the cache where it is up to date; raise FactErrors if the registries cannot
    be read."""
    load_vocabularies()
    folder = paths.cache_dir()
    return cached_base(data_dir), _declared(data_dir, folder)
