"""Where the ontology, query packs, data and build output live.

A source checkout (``pip install -e .``) reads ``ontology/``, ``queries/`` and
``data/`` beside the package; an installed wheel carries copies in
``kg/_resources``. The data and build folders can be moved with options or the
environment variables ``KG_DATA_DIR`` and ``KG_BUILD_DIR``. What kg writes there gets the
permissions the umask allows (:func:`respect_umask`), as a plain ``open()`` would give.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from collections.abc import Iterable
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
RESOURCES = PACKAGE_DIR / "_resources"


def _resource(name: str) -> Path:
    """A shipped folder: the checkout's copy if present, else the wheel's."""
    local = REPO_DIR / name
    if local.is_dir():
        return local
    return RESOURCES / name


def ontology_dir() -> Path:
    """The folder holding ``kg.ttl``, ``shapes.ttl`` and the SKOS vocabularies."""
    return _resource("ontology")


def queries_dir() -> Path:
    """The folder holding the SPARQL query packs."""
    return _resource("queries")


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The fact folder: the option, else ``$KG_DATA_DIR``, else ``./data`` if it holds
    ``authorities.yaml``, else the shipped data."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KG_DATA_DIR")
    if env:
        return Path(env)
    cwd = Path.cwd() / "data"
    if is_data_dir(cwd):
        return cwd
    return _resource("data")


def build_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The build output folder: the option, else ``$KG_BUILD_DIR``, else ``./kg-build``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KG_BUILD_DIR")
    if env:
        return Path(env)
    return Path.cwd() / "kg-build"


def cache_dir() -> Path | None:
    """The folder of kg's caches (``$KG_CACHE_DIR``, else ``$XDG_CACHE_HOME/kg``, else
    ``~/.cache/kg``), or None when caching is off (``KG_CACHE_DIR=``, empty)."""
    env = os.environ.get("KG_CACHE_DIR")
    if env is not None:
        return Path(env) if env else None
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kg"


def code_files() -> list[Path]:
    """kg's code and model files (``.py`` and ``.yaml`` of the package), in a stable order: what a
    cache of what that code made is keyed on (with :func:`files_hash`)."""
    return sorted(p for p in PACKAGE_DIR.rglob("*") if p.suffix in (".py", ".yaml") and p.is_file())


def files_hash(files: Iterable[Path], salt: str = "") -> str:
    """The sha256 of ``salt`` and the names and bytes of ``files``, in the order given: what keys a
    cache or a fingerprint to the code and data that decide it."""
    h = hashlib.sha256(salt.encode())
    for f in files:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def ontology_files() -> list[Path]:
    """The ontology and vocabulary Turtle files (not the shapes), in a stable order."""
    return sorted(p for p in ontology_dir().glob("*.ttl") if p.name != "shapes.ttl")


def derived_queries() -> list[Path]:
    """The CONSTRUCT queries whose results make the derived graph (``ontology/derived/*.rq``)."""
    return sorted((ontology_dir() / "derived").glob("*.rq"))


def shapes_file() -> Path:
    """The SHACL shapes."""
    return ontology_dir() / "shapes.ttl"


def is_data_dir(folder: Path) -> bool:
    """Whether ``folder`` holds fact files: an authority registry (``authorities.yaml`` or ``authorities/``)."""
    return (folder / "authorities.yaml").is_file() or (folder / "authorities").is_dir()


def umask() -> int:
    """The process's file-creation mask, read without changing it where the system allows.

    Linux (4.7 and later) reports it in ``/proc/self/status``; that is read on every call: no side
    effect, safe in threads, and a later ``os.umask`` is seen. Elsewhere the only way is to set it
    and set it back with ``os.umask``, which for an instant holds for every thread of the process;
    that is done once, on first use, under a lock, with a stricter mask (0o077) as the passing value
    so that a file another thread creates meanwhile is private rather than open, and the value read
    is kept for the life of the process."""
    mask = _proc_umask()
    return mask if mask is not None else _swapped_umask()


def _proc_umask() -> int | None:
    try:
        with open("/proc/self/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return None


_UMASK_LOCK = threading.Lock()


@functools.cache
def _swapped_umask() -> int:
    with _UMASK_LOCK:
        mask = os.umask(0o077)
        os.umask(mask)
    return mask


def respect_umask(path: str | os.PathLike) -> None:
    """Give ``path`` the permissions a plain ``open()`` or ``mkdir()`` would have: 0o666 for a file,
    0o777 for a folder, less the umask. ``tempfile.mkstemp`` and ``mkdtemp``, which the atomic writes
    use, create 0o600 files and 0o700 folders whatever the umask, and a rename into place keeps that."""
    base = 0o777 if Path(path).is_dir() else 0o666
    os.chmod(path, base & ~umask())
