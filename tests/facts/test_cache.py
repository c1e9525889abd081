"""Parsed fact files kept in kg's cache folder for the next build (kg.facts.cache)."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from kg.errors import FactErrors
from kg.facts.cache import ParseCache
from kg.facts.files import read_fact_file
from kg.facts.load import load_fact_files
from kg.store.build import build

from ..conftest import edit_one_document

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """kg's cache folder of this test alone."""
    folder = tmp_path / "kg-cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    return folder / "facts"


def _build(data, out, **kw):
    return build(data, out, views=False, as_of=AS_OF, **kw)


def test_a_rebuild_parses_only_the_changed_file_and_equals_a_full_build(shipped_data, tmp_path, cache):
    out = tmp_path / "build"
    first = _build(shipped_data, out)
    assert (first.parsed, first.cached) == (5, 0)
    before = (out / "graph.nq").read_bytes()
    edit_one_document(shipped_data)
    again = _build(shipped_data, out)
    assert (again.parsed, again.cached) == (1, 4)
    full = _build(shipped_data, tmp_path / "full", full=True)
    assert (full.parsed, full.cached) == (5, 0)
    assert (out / "graph.nq").read_bytes() == (tmp_path / "full" / "graph.nq").read_bytes() != before
    # the replaced version of the edited file is kept too, for a while (KEEP_OTHER)
    assert len(list(cache.iterdir())) == 6


def test_a_broken_entry_is_parsed_again(mini_data, tmp_path, cache):
    out = tmp_path / "build"
    _build(mini_data, out)
    reference = (out / "graph.nq").read_bytes()
    for entry in cache.iterdir():
        entry.write_bytes(entry.read_bytes()[:40])
    again = _build(mini_data, out)
    assert (again.parsed, again.cached) == (1, 0)
    assert (out / "graph.nq").read_bytes() == reference


def test_a_file_with_errors_is_reported_on_every_build(mini_data, tmp_path, cache):
    out = tmp_path / "build"
    _build(mini_data, out)
    doc = mini_data / "documents" / "doc_a.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("doc_a", "doc_b", 1), encoding="utf-8")
    for _ in range(2):
        with pytest.raises(FactErrors, match="differs from the file name"):
            _build(mini_data, out)


def test_the_cached_file_is_the_parsed_file_of_that_path(mini_data, tmp_path):
    path = mini_data / "documents" / "doc_a.yaml"
    [parsed], *_ = load_fact_files(mini_data, ParseCache(tmp_path / "c"))
    again = ParseCache(tmp_path / "c")
    assert load_fact_files(mini_data, again)[0] == [parsed] and parsed == read_fact_file(path)
    assert (again.hits, again.misses) == (1, 0)
    # another path (the same bytes) is another entry: its records name the file they came from
    other = tmp_path / "other"
    shutil.copytree(mini_data, other)
    elsewhere = ParseCache(tmp_path / "c")
    [copied], *_ = load_fact_files(other, elsewhere)
    assert copied.path == str(other / "documents" / "doc_a.yaml") and elsewhere.misses == 1


def test_no_cache_folder_parses_everything(mini_data, tmp_path, monkeypatch):
    monkeypatch.setenv("KG_CACHE_DIR", "")
    for _ in range(2):
        result = _build(mini_data, tmp_path / "build")
        assert (result.parsed, result.cached) == (1, 0)
