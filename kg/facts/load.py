"""Reading every document's facts from ``data/`` with its curation applied.

Machine facts (``documents/<id>.yaml``) and human corrections (``curation/<id>.yaml``) are read
and combined per document; documents come in date order, so later reports of an instrument
override earlier ones of equal confidence.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from ..errors import FactError, FactErrors
from .cache import ParseCache
from .curation import apply_curation, read_curation
from .files import FactFile, read_fact_file


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
    read = cache.read if cache is not None else read_fact_file
    for path in sorted((data_dir / "documents").glob("*.yaml")):
        try:
            files[path.stem] = read(path)
        except FactErrors as exc:
            errors.extend(exc.errors)
            files[path.stem] = None
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
