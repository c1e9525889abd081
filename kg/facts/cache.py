"""The parsed fact files of the last build, so that a rebuild parses only the files that changed.

A build keeps, in its folder (``cache/facts/``), each document's parsed :class:`FactFile` as a
pickle named by a hash of three things: the parser's fingerprint (the code of :mod:`kg.facts` and
:mod:`kg.model`, the model's records, the vocabularies, the versions of kg and Python), the file's
path as given (its records name it in error messages) and the file's bytes. A file whose bytes,
path or parser changed has another name and is parsed again; a file the next build does not read
is not carried over. The next build reads only the entries of the build it replaces (hard links,
not copies); an entry that cannot be read is parsed again, never an error; ``kg build --full``
ignores the cache. Files with errors are never cached (their errors are reported on every build).

The pickles are read only from the build folder kg itself wrote (as the store and the views), by the
hash of what they hold.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import platform
import shutil
from pathlib import Path

from .. import __version__
from ..paths import ontology_files
from .files import FactFile, read_fact_file

CACHE = Path("cache") / "facts"  # within a build folder


@functools.cache
def parser_fingerprint() -> str:
    """A hash of what decides a parsed fact file besides its bytes."""
    pkg = Path(__file__).resolve().parent.parent
    files = sorted([*pkg.joinpath("facts").glob("*.py"), *pkg.joinpath("model").rglob("*.py"),
                    *pkg.joinpath("model").rglob("*.yaml"), *map(Path, ontology_files())])
    h = hashlib.sha256(f"{__version__} {platform.python_version()} {pickle.HIGHEST_PROTOCOL}".encode())
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


class ParseCache:
    """Parsed fact files, read from the cache of the previous build (``previous``, absent or None:
    parse everything) and written into the next build's folder with :meth:`write`."""

    def __init__(self, previous: Path | None):
        self.previous = previous
        self.kept: dict[str, Path] = {}  # name -> the previous build's entry, read and still valid
        self.parsed: dict[str, bytes] = {}  # name -> a file parsed this time, pickled
        self.hits = 0
        self.misses = 0

    @staticmethod
    def name(path: Path, data: bytes) -> str:
        """The entry name of the file ``path`` holding ``data``."""
        h = hashlib.sha256(parser_fingerprint().encode())
        h.update(str(path).encode() + b"\0" + data)
        return h.hexdigest() + ".pickle"

    def read(self, path: Path) -> FactFile:
        """The parsed fact file ``path``: the cached one if its bytes are unchanged, else parsed
        (raising :class:`~kg.errors.FactErrors` as :func:`read_fact_file` does)."""
        name = self.name(path, Path(path).read_bytes())
        if self.previous is not None:
            entry = self.previous / name
            try:
                ff = pickle.loads(entry.read_bytes())
            except Exception:  # absent, truncated or foreign: parse the file again
                ff = None
            if isinstance(ff, FactFile):
                self.kept[name] = entry
                self.hits += 1
                return ff
        ff = read_fact_file(path)
        # pickled now: assembling a dataset shares (and extends) the records' lists
        self.parsed[name] = pickle.dumps(ff, protocol=pickle.HIGHEST_PROTOCOL)
        self.misses += 1
        return ff

    def write(self, folder: Path) -> None:
        """The entries of this build in ``folder`` (a new build's ``cache/facts``): the previous
        build's linked, the new ones pickled."""
        folder.mkdir(parents=True, exist_ok=True)
        for name, entry in self.kept.items():
            try:
                os.link(entry, folder / name)
            except OSError:  # another file system, or no hard links: a copy
                shutil.copyfile(entry, folder / name)
        for name, data in self.parsed.items():
            (folder / name).write_bytes(data)
