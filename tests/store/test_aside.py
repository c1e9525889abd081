"""kg.store.aside: a step run in a forked process, its value and its errors brought back."""

import multiprocessing
import os
import signal
import threading

import pytest

from kg.errors import KgError, ViewError
from kg.store.aside import Aside, AsideError

pytestmark = pytest.mark.skipif("fork" not in multiprocessing.get_all_start_methods(),
                                reason="processes cannot be forked here: the step runs in the build's process")


@pytest.fixture
def alone():
    """This process runs no other thread (else a step is not forked: a thread left by an earlier test
    is a leak to find, and is named here)."""
    import threading

    others = [t.name for t in threading.enumerate() if t is not threading.main_thread()]
    assert not others, f"threads left running by earlier tests: {others}"


def _fails_with_a_view_error():
    raise ViewError("no document is called 'x'")


class _Unpicklable(Exception):
    def __init__(self, a, b):  # pickling keeps one argument, so it cannot be made again
        super().__init__(f"{a} and {b}")


def _fails_unpicklably():
    raise _Unpicklable("left", "right")


def _dies(parent: int):
    if os.getpid() != parent:  # never the test's own process
        os.kill(os.getpid(), signal.SIGKILL)


def test_the_step_runs_in_another_process_and_sees_this_ones_memory(alone):
    seen = {"table": list(range(5))}
    step = Aside("sum", lambda: (os.getpid(), sum(seen["table"])))
    pid, total = step.result()
    assert pid != os.getpid() and total == 10


def test_the_steps_error_is_raised_by_result(alone):
    with pytest.raises(ViewError, match="no document is called 'x'"):
        Aside("views", _fails_with_a_view_error).result()


def test_an_error_that_cannot_cross_is_raised_by_its_text(alone):
    with pytest.raises(AsideError, match="_Unpicklable: left and right") as exc:
        Aside("views", _fails_unpicklably).result()
    assert isinstance(exc.value, KgError)


def test_a_process_killed_is_an_error_that_names_the_step(alone):
    with pytest.raises(AsideError, match=r"the views step's process ended with code -9 and no result"):
        Aside("views", _dies, os.getpid()).result()


def test_cancel_stops_a_step_that_still_runs(alone):
    import time

    step = Aside("sleep", time.sleep, 60)
    started = time.monotonic()
    step.cancel()
    assert time.monotonic() - started < 30 and not step._process.is_alive()


def test_a_step_whose_process_cannot_start_runs_here(monkeypatch):
    import multiprocessing.process

    def refused(self):
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refused)
    step = Aside("pid", os.getpid)
    assert step.result() == os.getpid()


def _writes_a_folder_slowly(folder):
    import shutil
    import time

    part = folder / ".part"
    part.mkdir()
    try:
        (part / "started").write_text("yes")
        time.sleep(60)
    except BaseException:
        shutil.rmtree(part)
        raise


def test_a_cancelled_step_cleans_up_after_itself(tmp_path, alone):
    import time

    step = Aside("views", _writes_a_folder_slowly, tmp_path)
    deadline = time.monotonic() + 30
    while not (tmp_path / ".part" / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert (tmp_path / ".part" / "started").exists()
    step.cancel()
    assert not (tmp_path / ".part").exists()


def test_a_process_running_other_threads_runs_the_step_itself():
    import threading

    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert Aside("pid", os.getpid).result() == os.getpid()
    finally:
        stop.set()
        other.join()


def _leaves_a_thread() -> int:
    threading.Thread(target=threading.Event().wait, name="left-behind").start()  # never ends
    return 7


def test_a_step_that_leaves_a_thread_running_still_ends():
    """The build waits for its step's process: a thread the step left (a pool started as it was
    stopped) must not keep that process alive."""
    step = Aside("threads", _leaves_a_thread)
    assert step._process is not None  # forked (run here, the thread would be this process's)
    done = []
    waiting = threading.Thread(target=lambda: done.append(step.result()), daemon=True)
    waiting.start()
    waiting.join(timeout=60)
    assert done == [7]


def _adds_what_it_is_sent(first: int, later) -> tuple[int, int]:
    return os.getpid(), first + later.get()


def _waits_then_adds(first: int, later) -> tuple[bool, int, bool]:
    """Whether the value was still to come when the step started, the sum, and after."""
    waits = later.waits
    return waits, first + later.get(), later.waits


def test_a_step_is_sent_a_value_after_it_started(alone):
    step = Aside("sum", _adds_what_it_is_sent, 2, later=True)
    assert step._process is not None
    step.send(40)
    pid, total = step.result()
    assert pid != os.getpid() and total == 42
    with pytest.raises(AsideError, match="sent its value already"):
        step.send(1)
    with pytest.raises(AsideError, match="waits for no value"):
        Aside("pid", os.getpid).send(1)


def test_a_step_forked_knows_its_value_is_still_to_come(alone):
    step = Aside("sum", _waits_then_adds, 2, later=True)
    step.send(40)
    assert step.result() == (True, 42, False)


def test_a_step_run_here_is_sent_its_value_too():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # a process running other threads forks nothing
    other.start()
    try:
        step = Aside("sum", _adds_what_it_is_sent, 2, later=True)
        assert step._process is None
        step.send(40)
        assert step.result() == (os.getpid(), 42)
        here = Aside("sum", _waits_then_adds, 2, later=True)
        here.send(40)
        assert here.result() == (False, 42, False)  # run once its value was sent: nothing to wait for
    finally:
        stop.set()
        other.join()


def test_a_step_waiting_for_a_value_can_be_stopped_and_one_never_sent_fails(alone):
    waiting = Aside("sum", _adds_what_it_is_sent, 2, later=True)
    waiting.cancel()  # stopped while it waits: it ends, nothing is left
    assert not waiting._process.is_alive()
    never = Aside("sum", _adds_what_it_is_sent, 2, later=True)
    never._send_later.close()  # the build's end of the pipe gone (the build ended) without a value
    with pytest.raises(AsideError, match="never sent the value it waits for"):
        never.result()
