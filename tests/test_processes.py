"""kg.processes: a process forks helpers only where it safely can."""

import multiprocessing
import threading

import pytest

from kg.processes import may_fork


@pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this platform")
def test_no_fork_beside_another_thread():
    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    assert not others, f"threads left running by earlier tests: {others}"
    assert may_fork()
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not may_fork()
    finally:
        stop.set()
        other.join()
    assert may_fork()
