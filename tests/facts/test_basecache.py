"""The vocabularies and registries kept in kg's cache folder between builds (kg.facts.basecache)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kg.errors import FactErrors
from kg.facts.basecache import cached_base
from kg.store.build import build

AS_OF = dt.date(2026, 6, 30)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    """kg's cache folder of this test alone."""
    folder = tmp_path / "kg-cache"
    monkeypatch.setenv("KG_CACHE_DIR", str(folder))
    return folder


def _stamps(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pickle")}


def _build(data: Path, out: Path, **kw) -> bytes:
    build(data, out, views=False, as_of=AS_OF, **kw)
    return (out / "graph.nq").read_bytes()


def test_a_rebuild_reads_the_registries_from_the_cache_and_sees_an_edit(mini_data, cache, tmp_path):
    first = _build(mini_data, tmp_path / "b1")
    assert {p.name.split("-")[0] for p in cache.glob("*.pickle")} == {"vocabularies.pickle", "registries",
                                                                       "ontology.pickle"}
    stamps = _stamps(cache)
    assert _build(mini_data, tmp_path / "b2") == first
    assert _stamps(cache) == stamps  # read, not written again
    assert _build(mini_data, tmp_path / "b3", full=True) == first
    assert all(_stamps(cache)[name] > stamp for name, stamp in stamps.items())  # --full: read anew, kept anew
    registry = mini_data / "authorities.yaml"
    registry.write_text(registry.read_text(encoding="utf-8") + "  - name: 示例监督管理局\n    kind: regulator\n"
                        "    jurisdiction: CN\n", encoding="utf-8")
    assert "示例监督管理局".encode() in _build(mini_data, tmp_path / "b4")
    assert len(list(cache.glob("registries-*.pickle"))) == 2


def test_a_broken_registry_is_an_error_and_is_not_kept(mini_data, cache):
    (mini_data / "authorities.yaml").write_text("format: kg-authorities/1\nauthorities:\n  - kind: regulator\n",
                                                encoding="utf-8")
    for _ in range(2):  # reported on every run
        with pytest.raises(FactErrors, match=r"authorities\.yaml"):
            cached_base(mini_data)
    assert not list(cache.glob("registries-*.pickle"))


def test_a_broken_cache_file_is_read_again(mini_data, cache):
    base = cached_base(mini_data)
    (path,) = cache.glob("registries-*.pickle")
    path.write_bytes(b"not a pickle")
    again = cached_base(mini_data)
    assert sorted(again.registry.authorities) == sorted(base.registry.authorities)
    assert path.read_bytes() != b"not a pickle"


def test_no_cache_folder_reads_the_registries(mini_data, monkeypatch, tmp_path):
    monkeypatch.setenv("KG_CACHE_DIR", "")
    assert "CN/国家互联网信息办公室" in cached_base(mini_data).registry.authorities
