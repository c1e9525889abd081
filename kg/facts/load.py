"""Reading every document's facts from ``data/`` with its curation applied.

Machine facts (``documents/<id>.yaml``) and human corrections (``curation/<id>.yaml``) are read
and combined per document; documents come in date order, so later reports of an instrument
override earlier ones of equal confidence.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..errors import FactError, FactErrors
from ..processes import may_fork
from .cache import PROTOCOL, ParseCache
from .curation import apply_curation, read_curation
from .files import FactFile, read_fact_file

PARALLEL_FROM = 64  # fact files to parse from which they are parsed by a pool of processes (its start costs ~0.1 s)


def _doc_sort_key(ff: FactFile) -> tuple[str, str]:
    date = ff.document.data.get("date")
    return (str(date) if date else "9999", ff.doc_id)


def load_fact_files(data_dir: Path, cache: ParseCache | None = None,
                    ) -> tuple[list[FactFile], list[str], dict[str, list]]:
    """Read every document's facts with its curation applied; documents in date order (the
    unchanged files from ``cache`` when given). Returns the files, stale curation entries and the
    curation merges per kind."""
    errors: list[FactError] = []
    files: dict[str, FactFile | None] = {}
    for path, parsed in _read_all(sorted((data_dir / "documents").glob("*.yaml")), cache or ParseCache(None)):
        if isinstance(parsed, FactErrors):
            errors.extend(parsed.errors)
            files[path.stem] = None
        else:
            files[path.stem] = parsed
    stale: list[str] = []
    merges: dict[str, list] = defaultdict(list)
    out: list[FactFile] = []
    curated = set()
    for path in sorted((data_dir / "curation").glob("*.yaml")):
        curated.add(path.stem)
        try:
            cur = read_curation(path)
            if path.stem in files and files[path.stem] is None:
                continue  # machine file had errors, reported above
            ff, st = apply_curation(files.get(path.stem), cur)
            stale.extend(st)
            for kind, src, into, line in cur.merges:
                merges[kind].append((src, into, cur.path, line))
            out.append(ff)
        except FactErrors as exc:
            errors.extend(exc.errors)
    for stem, ff in files.items():
        if stem not in curated and ff is not None:
            out.append(ff)
    if errors:
        raise FactErrors(errors)
    out.sort(key=_doc_sort_key)
    return out, stale, merges


def _read_all(paths: list[Path], cache: ParseCache) -> list[tuple[Path, FactFile | FactErrors]]:
    """Each fact file of ``paths`` parsed, or its errors: from the ``cache`` when it holds the file,
    else parsed, on every core by forked processes when there are :data:`PARALLEL_FROM` files or
    more to parse (a build from scratch parses 1,600 files in half the time on 2 cores:
    benchmarks/README.md). A worker sends a file back pickled, as the cache keeps it."""
    found = [(path, *cache.lookup(path)) for path in paths]
    todo = [path for path, _name, ff in found if ff is None]
    jobs = min(os.cpu_count() or 1, len(todo))
    if len(todo) < PARALLEL_FROM or jobs < 2 or not may_fork():
        return _with_parsed(found, map(_parse_here, todo), cache)
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork")) as pool:
        return _with_parsed(found, pool.map(_parse, todo, chunksize=8), cache)


def _parse_here(path: Path) -> FactFile | FactErrors:
    """One fact file parsed, or its errors."""
    try:
        return read_fact_file(path)
    except FactErrors as exc:
        return exc


def _parse(path: Path) -> bytes | FactErrors:
    """One fact file parsed and pickled (in a worker process), or its errors."""
    parsed = _parse_here(path)
    return parsed if isinstance(parsed, FactErrors) else pickle.dumps(parsed, protocol=PROTOCOL)


def _with_parsed(found: list[tuple[Path, str | None, FactFile | None]], parsed, cache: ParseCache,
                 ) -> list[tuple[Path, FactFile | FactErrors]]:
    """The files ``found`` in the cache, with those it did not hold taken in order from ``parsed``
    (each a file, pickled or not, given to the cache to keep; or its errors)."""
    out: list[tuple[Path, FactFile | FactErrors]] = []
    for path, name, ff in found:
        if ff is None:
            new = next(parsed)
            if isinstance(new, FactErrors):
                out.append((path, new))
                continue
            cache.keep(name, new)
            ff = pickle.loads(new) if isinstance(new, bytes) else new
        out.append((path, ff))
    return out


def load_document(path: Path, curation: Path | None, text: str | None = None
                  ) -> tuple[FactFile, list[str], dict[str, list]]:
    """One document's facts with its curation applied (the file need not be in ``data/`` yet: then
    ``text`` is its text)."""
    ff = read_fact_file(path, text)
    merges: dict[str, list] = defaultdict(list)
    if curation is None or not curation.exists():
        return ff, [], merges
    cur = read_curation(curation)
    ff, stale = apply_curation(ff, cur)
    for kind, src, into, line in cur.merges:
        merges[kind].append((src, into, cur.path, line))
    return ff, stale, merges
