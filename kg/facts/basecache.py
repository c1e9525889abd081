"""The vocabularies and the registries of a data folder (the base every dataset starts from,
:func:`kg.facts.dataset.load_base`), kept between runs so that ``kg build`` and ``kg ingest`` do
not parse them again: half a second a run (the ontology's Turtle for the vocabularies, the
registries' YAML).

They are kept as pickles in the user's cache folder (``$KG_CACHE_DIR``, else
``$XDG_CACHE_HOME/kg``, else ``~/.cache/kg``; an empty ``KG_CACHE_DIR`` turns the cache off),
never in the data folder: reading a pickle runs code, and a data folder may come from others.

- ``vocabularies.pickle``: every vocabulary, keyed by the hash of kg's code and model files and
  of the ontology;
- ``registries-<key>.pickle``: the registries, keyed by that hash and the content of every
  registry file.

Nothing is keyed by where the data folder is: a copy of a folder (a scratch copy, a benchmark's)
finds what the original cached, with the paths its records name (for messages) rewritten to the
copy's. A missing, stale, foreign or unreadable cache file is ignored and written anew
(atomically); failing to write one never fails a run.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

from .. import paths
from ..model.vocabularies import adopt_vocabularies, all_vocabularies
from .dataset import Base, load_base

FORMAT = 1  # bump when what is pickled changes shape in a way the code hash would not show
KEEP_REGISTRIES = 8  # registry caches kept (the least recently written go first)


@functools.cache
def code_hash() -> str:
    """The hash of what decides the cached objects besides the data: Python, kg's code and model
    files, the ontology."""
    return paths.files_hash([*paths.code_files(), *map(Path, paths.ontology_files())], f"{FORMAT} {sys.version}")


class _Pickler(pickle.Pickler):
    """Writes the paths inside ``folder`` relative to it (see :class:`_Unpickler`)."""

    def __init__(self, fh, folder: str | None):
        super().__init__(fh, protocol=pickle.HIGHEST_PROTOCOL)
        self.folder = folder

    def persistent_id(self, obj: Any) -> str | None:
        folder = self.folder
        if folder and type(obj) is str and obj.startswith(folder) \
                and obj[len(folder):len(folder) + 1] in ("/", os.sep):
            return obj[len(folder):]
        return None


class _Unpickler(pickle.Unpickler):
    """Reads the paths :class:`_Pickler` made relative as paths inside ``folder``."""

    def __init__(self, fh, folder: str | None):
        super().__init__(fh)
        self.folder = folder or ""

    def persistent_load(self, pid: str) -> str:
        return self.folder + pid


def read_cached(path: Path, key: str, folder: str | None = None) -> Any:
    """The object cached in ``path`` under ``key``, or None (missing, stale or unreadable)."""
    try:
        with path.open("rb") as fh:
            stored_key, value = _Unpickler(fh, folder).load()
    except Exception:  # a broken or foreign cache file is only a missed cache
        return None
    return value if stored_key == key else None


def write_cached(path: Path, key: str, value: Any, folder: str | None = None) -> None:
    """Store ``value`` under ``key`` in ``path`` (atomically); a failure is only a missed cache."""
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=path.name, suffix=".tmp", delete=False) as fh:
            tmp = fh.name
            _Pickler(fh, folder).dump((key, value))
        os.replace(tmp, path)
    except Exception:
        if tmp:
            Path(tmp).unlink(missing_ok=True)


def load_vocabularies(reuse: bool = True) -> None:
    """Make every vocabulary available to this process from the cache, reading the ontology (and
    caching the result) only when the cache is missing or stale, or ``reuse`` is false."""
    folder = paths.cache_dir()
    if folder is None:
        return
    cached = read_cached(folder / "vocabularies.pickle", code_hash()) if reuse else None
    if cached is not None:
        adopt_vocabularies(cached)
        return
    write_cached(folder / "vocabularies.pickle", code_hash(), all_vocabularies())


def _registry_key(data_dir: Path) -> str:
    """The hash of the code and of every file the registries are read from: all YAML of the data
    folder but the documents and their curation."""
    h = hashlib.sha256(code_hash().encode())
    files = list(data_dir.glob("*.yaml"))
    for sub in data_dir.iterdir() if data_dir.is_dir() else ():
        if sub.is_dir() and sub.name not in ("documents", "curation"):
            files.extend(sub.rglob("*.yaml"))
    for p in sorted(files):
        h.update(str(p.relative_to(data_dir)).encode())
        h.update(hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()


def cached_base(data_dir: Path, reuse: bool = True) -> Base:
    """The registries of ``data_dir`` (:func:`~kg.facts.dataset.load_base`), from the cache when it
    has them and ``reuse`` is true (else read, and cached anew); raise FactErrors if they cannot be
    read."""
    folder = paths.cache_dir()
    if folder is None:
        return load_base(data_dir)
    key = _registry_key(data_dir)
    path = folder / f"registries-{key[:16]}.pickle"
    base = read_cached(path, key, str(data_dir)) if reuse else None
    if base is None:
        base = load_base(data_dir)
        write_cached(path, key, base, str(data_dir))  # before use: a run changes some of these objects
        _prune(folder, "registries-*.pickle", KEEP_REGISTRIES)
    return base


def _prune(folder: Path, pattern: str, keep: int) -> None:
    """Keep the ``keep`` files matching ``pattern`` written last."""
    try:
        files = sorted(folder.glob(pattern), key=lambda p: p.stat().st_mtime, reverse=True)
        for p in files[keep:]:
            p.unlink(missing_ok=True)
    except OSError:
        pass
