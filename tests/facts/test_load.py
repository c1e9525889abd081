"""Reading every fact file of a data folder: in this process or, when many are to be parsed, on a
pool of forked processes, with the same files, cache entries and errors."""

import threading
from concurrent.futures import ProcessPoolExecutor

import pytest

import kg.facts.load as load
import kg.processes as processes
from kg.errors import FactErrors
from kg.facts.cache import ParseCache

ACTIVE_COUNT = threading.active_count  # the real one (the fixture below replaces it)


@pytest.fixture
def pools(monkeypatch):
    """The worker counts of the process pools the loading starts, with a pool started from 2 files
    to parse on 2 cores (the threads pytest may run are not the loader's concern here)."""
    started: list[int] = []

    class Recorded(ProcessPoolExecutor):
        def __init__(self, workers, **kwargs):
            started.append(workers)
            super().__init__(workers, **kwargs)

    monkeypatch.setattr(load, "ProcessPoolExecutor", Recorded)
    monkeypatch.setattr(load, "PARALLEL_FROM", 2)
    monkeypatch.setattr(load.os, "cpu_count", lambda: 2)
    monkeypatch.setattr(processes.threading, "active_count", lambda: 1)
    return started


def test_files_parsed_by_several_processes_equal_those_parsed_here(shipped_data, tmp_path, pools):
    here = ParseCache(tmp_path / "here")
    load.PARALLEL_FROM, threshold = 10**6, load.PARALLEL_FROM
    one, *rest_one = load.load_fact_files(shipped_data, here)
    load.PARALLEL_FROM = threshold
    assert pools == []
    cache = ParseCache(tmp_path / "pool")
    many, *rest_many = load.load_fact_files(shipped_data, cache)
    assert pools == [2]
    assert len(one) == 5 and many == one and rest_many == rest_one
    assert cache.misses == 5 and cache.hits == 0
    # the workers' files are kept as the cache keeps a file parsed here
    assert sorted(p.read_bytes() for p in (tmp_path / "pool").iterdir()) == \
        sorted(p.read_bytes() for p in (tmp_path / "here").iterdir())
    again = ParseCache(tmp_path / "pool")
    assert load.load_fact_files(shipped_data, again)[0] == one and again.hits == 5
    assert pools == [2], "nothing left to parse: no pool"


def test_the_errors_of_every_file_come_back_from_the_workers(shipped_data, pools):
    broken = sorted((shipped_data / "documents").glob("*.yaml"))[1:3]
    for doc in broken:
        text = doc.read_text(encoding="utf-8")
        doc.write_text(text.replace("document:\n", "document:\n  unknown_field: 1\n", 1), encoding="utf-8")
    with pytest.raises(FactErrors) as exc:
        load.load_fact_files(shipped_data)
    assert pools == [2]
    assert sorted({e.file for e in exc.value.errors}) == [str(p) for p in broken]
    assert all("unknown_field" in e.message for e in exc.value.errors)


def test_no_process_is_forked_beside_other_threads(shipped_data, pools, monkeypatch):
    monkeypatch.setattr(processes.threading, "active_count", ACTIVE_COUNT)
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        files, *_ = load.load_fact_files(shipped_data)
    finally:
        stop.set()
        other.join()
    assert pools == [] and len(files) == 5
