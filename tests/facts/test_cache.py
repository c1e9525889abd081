"""The cache of parsed fact files a build keeps for the next one (kg.facts.cache)."""

from __future__ import annotations

import pytest

from kg.errors import FactErrors
from kg.facts.cache import CACHE, ParseCache
from kg.facts.files import read_fact_file
from kg.store.build import build

from ..conftest import edit_one_document

AS_OF = "2026-06-30"


def _build(data, out, **kw):
    import datetime as dt

    return build(data, out, views=False, as_of=dt.date.fromisoformat(AS_OF), **kw)


def test_a_rebuild_parses_only_the_changed_file_and_equals_a_full_build(shipped_data, tmp_path):
    out = tmp_path / "build"
    first = _build(shipped_data, out)
    assert (first.parsed, first.cached) == (5, 0)
    edit_one_document(shipped_data)
    again = _build(shipped_data, out)
    assert (again.parsed, again.cached) == (1, 4)
    full = _build(shipped_data, tmp_path / "full", full=True)
    assert (full.parsed, full.cached) == (5, 0)
    assert (out / "graph.nq").read_bytes() == (tmp_path / "full" / "graph.nq").read_bytes()
    assert (out / "graph.nq").read_bytes() != (tmp_path / "full" / "graph.nq").read_bytes().replace(b"0.8", b"0.9") \
        or b'"0.8"' in (out / "graph.nq").read_bytes()
    # one entry per fact file read: the replaced version of the changed file is not carried over
    assert len(list((out / CACHE).iterdir())) == 5


def test_a_broken_entry_is_parsed_again(mini_data, tmp_path):
    out = tmp_path / "build"
    _build(mini_data, out)
    reference = (out / "graph.nq").read_bytes()
    for entry in (out / CACHE).iterdir():
        entry.write_bytes(entry.read_bytes()[:40])
    again = _build(mini_data, out)
    assert (again.parsed, again.cached) == (1, 0)
    assert (out / "graph.nq").read_bytes() == reference


def test_a_file_with_errors_is_reported_on_every_build(mini_data, tmp_path):
    out = tmp_path / "build"
    _build(mini_data, out)
    doc = mini_data / "documents" / "doc_a.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("doc_a", "doc_b", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(FactErrors, match="differs from the file name"):
            _build(mini_data, out)


def test_the_cached_file_is_the_parsed_file(mini_data, tmp_path):
    path = mini_data / "documents" / "doc_a.yaml"
    cache = ParseCache(None)
    parsed = cache.read(path)
    cache.write(tmp_path / "c")
    again = ParseCache(tmp_path / "c")
    assert again.read(path) == parsed == read_fact_file(path)
    assert (again.hits, again.misses) == (1, 0)
    # another path (the same bytes) is another entry: its records name the file they came from
    copy = tmp_path / "doc_a.yaml"
    copy.write_bytes(path.read_bytes())
    assert ParseCache(tmp_path / "c").read(copy).path == str(copy)
