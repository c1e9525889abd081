"""The cache of what ``kg ingest`` reads before its first file (kg.ingest.cache): a run from the
cache sees what a run without it sees; an edit of the data is never hidden by it; a broken cache
file is ignored."""

from __future__ import annotations

import pickle
import shutil
from pathlib import Path

import pytest

from kg.facts.registry import copy_registries
from kg.facts.yamlio import dumps_yaml
from kg.ingest.read import read_document
from kg.ingest.run import extract_document, ingest, open_session

from ..conftest import REPO, write
from .test_extract import NEWSLETTER


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    return folder


def _facts(data: Path, newsletter: Path) -> str:
    raw = read_document(newsletter)
    facts, _items = extract_document(raw.lines, raw.doc_id, open_session(data).kb.for_document(raw.doc_id))
    return dumps_yaml(facts)


def _stamps(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pickle")}


def test_a_run_from_the_cache_extracts_what_a_run_without_it_does(mini_data, cache, tmp_path, monkeypatch):
    src = write(tmp_path / "in" / "n1.txt", NEWSLETTER)
    cold = _facts(mini_data, src)
    assert {p.name.split("-")[0] for p in cache.glob("*.pickle")} == {"vocabularies.pickle", "registries",
                                                                       "documents.pickle"}
    stamps = _stamps(cache)
    assert _facts(mini_data, src) == cold
    assert _stamps(cache) == stamps  # read, not written again
    monkeypatch.setenv("KG_CACHE_DIR", "")  # off
    assert _facts(mini_data, src) == cold


def test_a_copy_of_the_folder_uses_the_cache_with_its_own_paths(mini_data, cache, tmp_path):
    doc = mini_data / "documents" / "doc_a.yaml"
    doc.write_text(doc.read_text(encoding="utf-8") + "authorities:\n  - {name: 示例数据局, kind: agency, "
                   "jurisdiction: CN, items: [L10]}\n", encoding="utf-8")
    open_session(mini_data)
    stamps = _stamps(cache)
    copy = tmp_path / "copy"
    shutil.copytree(mini_data, copy)
    session = open_session(copy)
    assert _stamps(cache) == stamps
    assert session.base.known and all(rec.file.startswith(str(copy) + "/") for rec in session.base.known)
    auth = session.kb.registry.authorities["CN/示例数据局"]
    assert auth.record.file == str(copy / "documents" / "doc_a.yaml")


def test_an_edited_registry_or_document_is_read_again(mini_data, cache):
    assert "CN/示例监督管理局" not in open_session(mini_data).kb.registry.authorities
    registry = mini_data / "authorities.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "  - name: 示例监督管理局\n    kind: regulator\n"
                        "    jurisdiction: CN\n", encoding="utf-8")
    assert "CN/示例监督管理局" in open_session(mini_data).kb.registry.authorities
    doc = mini_data / "documents" / "doc_a.yaml"
    assert "CN/示例数据管理办法" in open_session(mini_data).kb.instruments
    doc.write_text(doc.read_text(encoding="utf-8").replace("示例数据管理办法", "示例数据规则"), encoding="utf-8")
    kb = open_session(mini_data).kb
    assert "CN/示例数据规则" in kb.instruments and "CN/示例数据管理办法" not in kb.instruments
    doc.unlink()
    assert "CN/示例数据规则" not in open_session(mini_data).kb.instruments


def test_a_broken_cache_is_ignored_and_written_anew(mini_data, cache, tmp_path):
    src = write(tmp_path / "in" / "n1.txt", NEWSLETTER)
    want = _facts(mini_data, src)
    for p in cache.glob("*.pickle"):
        p.write_bytes(b"not a pickle")
    assert _facts(mini_data, src) == want
    stamps = _stamps(cache)
    assert _facts(mini_data, src) == want
    assert _stamps(cache) == stamps  # rewritten whole: read, not written, by the next run
    (cache / "documents.pickle").write_bytes(pickle.dumps(("another key", {})))
    assert _facts(mini_data, src) == want


def test_an_unwritable_cache_never_fails_a_run(tmp_path, monkeypatch):
    data = tmp_path / "data"
    (data / "documents").mkdir(parents=True)
    copy_registries(REPO / "data", data)
    blocker = write(tmp_path / "blocker", "a file where the cache folder should be")
    monkeypatch.setenv("KG_CACHE_DIR", str(blocker / "kg"))
    src = write(tmp_path / "in" / "n1.txt", NEWSLETTER)
    [result] = ingest([src], data, jobs=1)
    assert result.ok, result.error
    assert blocker.is_file()
