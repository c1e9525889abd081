"""Parsed fact files, kept so that a build parses only the files that changed since one before.

Each document's parsed :class:`FactFile` is pickled into ``facts/`` of kg's cache folder
(:func:`kg.paths.cache_dir`, the user's, never the data or build folder: reading a pickle runs
code, and those folders may come from others) under a hash of three things: the parser's
fingerprint (the code of :mod:`kg.facts` and :mod:`kg.model`, the model's records, the
vocabularies, the versions of kg and Python), the file's path as given (its records name it in
error messages) and the file's bytes. A file whose bytes, path or parser changed has another
name and is parsed again; an entry that cannot be read is parsed again, never an error; files
with errors are never cached (their errors are reported on every build). After a build, the
entries it did not read are pruned beyond the :data:`KEEP_OTHER` used last. ``kg build --full``
reads none (and writes them anew).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import pickle
import platform
import tempfile
from pathlib import Path

from .. import __version__
from ..paths import cache_dir, files_hash, ontology_files
from .files import FactFile

PROTOCOL = pickle.HIGHEST_PROTOCOL
KEEP_OTHER = 4096  # entries kept beyond those the last build read (other folders, earlier versions)


@functools.cache
def parser_fingerprint() -> str:
    """A hash of what decides a parsed fact file besides its bytes."""
    pkg = Path(__file__).resolve().parent.parent
    files = sorted([*pkg.joinpath("facts").glob("*.py"), *pkg.joinpath("model").rglob("*.py"),
                    *pkg.joinpath("model").rglob("*.yaml"), *map(Path, ontology_files())])
    return files_hash(files, f"{__version__} {platform.python_version()} {PROTOCOL}")


class ParseCache:
    """Parsed fact files from and into ``folder`` (None: parse everything, keep nothing); with
    ``reuse`` false the files are parsed again and the entries written anew."""

    def __init__(self, folder: Path | None, reuse: bool = True):
        self.folder = folder
        self.reuse = reuse
        self.used: set[str] = set()
        self.hits = 0
        self.misses = 0

    @classmethod
    def default(cls, reuse: bool = True) -> ParseCache:
        """The cache in kg's cache folder (none when caching is off)."""
        root = cache_dir()
        return cls(None if root is None else root / "facts", reuse)

    @staticmethod
    def name(path: Path, data: bytes) -> str:
        """The entry name of the file ``path`` holding ``data``."""
        h = hashlib.sha256(parser_fingerprint().encode())
        h.update(str(path).encode() + b"\0" + data)
        return h.hexdigest() + ".pickle"

    def lookup(self, path: Path) -> tuple[str | None, FactFile | None]:
        """The entry name of the fact file ``path`` (None when caching is off) and its parsed
        content when the cache holds it (else None: it is to be parsed and given to :meth:`keep`)."""
        if self.folder is None:
            return None, None
        name = self.name(path, Path(path).read_bytes())
        self.used.add(name)
        if self.reuse:
            try:
                ff = pickle.loads((self.folder / name).read_bytes())
            except Exception:  # absent, truncated or foreign: parse the file again
                ff = None
            if isinstance(ff, FactFile):
                self.hits += 1
                return name, ff
        return name, None

    def keep(self, name: str | None, parsed: FactFile | bytes) -> None:
        """A file just ``parsed`` (its :class:`FactFile`, or that pickled) as the entry ``name`` that
        :meth:`lookup` gave (None: caching is off, nothing is kept)."""
        self.misses += 1
        if name is not None:
            # pickled now: assembling a dataset shares (and extends) the records' lists
            self._write(name, parsed if isinstance(parsed, bytes) else pickle.dumps(parsed, protocol=PROTOCOL))

    def _write(self, name: str, data: bytes) -> None:
        """One entry, written atomically; a failure is only a missed cache."""
        assert self.folder is not None
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("wb", dir=self.folder, suffix=".tmp", delete=False) as fh:
                tmp = fh.name
                fh.write(data)
            os.replace(tmp, self.folder / name)
        except OSError:
            if tmp:
                Path(tmp).unlink(missing_ok=True)

    def prune(self) -> None:
        """Mark the entries read as used last, and remove the others beyond :data:`KEEP_OTHER`."""
        if self.folder is None:
            return
        for name in self.used:
            with contextlib.suppress(OSError):  # not written (a full disk, a read-only folder)
                os.utime(self.folder / name)
        try:
            others = sorted((e for e in os.scandir(self.folder) if e.name not in self.used),
                            key=lambda e: e.stat().st_mtime, reverse=True)
            for entry in others[KEEP_OTHER:]:
                os.unlink(entry.path)
        except OSError:
            pass
