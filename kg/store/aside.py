"""A step of the build run in a process of its own, beside the others.

Most of a rebuild is Python on one core, and its steps that use a second core (the SHACL check of
the whole graph, the store's load) shrink to a re-check of a few nodes and a copy. The views, the
longest step, can then run on the idle core: in a process forked from the build (Linux, macOS),
which sees the build's memory as it was at the fork (the in-memory store included, nothing copied
by hand; the pages either process then changes are copied by the system). Where processes cannot
be forked, or where the build's process runs other threads (forking those can deadlock the child),
the step runs in the build's own process when its result is asked for.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import Any

from ..errors import KgError
from ..processes import may_fork


class AsideError(KgError):
    """The process of a step run aside ended without a result."""


def _stop(signum: int, _frame) -> None:
    raise SystemExit(128 + signum)


def _run(fn: Callable, args: tuple, send, theirs: tuple = ()) -> None:
    """In the forked process: ``fn(*args)`` and its outcome sent back, (True, value) or (False, error).
    Stopped (:meth:`Aside.cancel`), the step ends as an interrupted one: its clean-ups run (a folder
    it was writing is removed). Then the process ends at once, without joining the threads the step
    left: a thread pool started just as the step was stopped (the views' queries run ahead) never
    learns of the end, and the process would wait for it for ever, its parent with it."""
    signal.signal(signal.SIGTERM, _stop)
    for end in theirs:  # the build's ends of the pipes, copied by the fork: a step waiting for a
        end.close()  # value must see the pipe closed when the build closes its end
    code = 1
    try:
        try:
            outcome = (True, fn(*args))
        except BaseException as exc:  # every failure is the parent's to report
            outcome = (False, exc)
        try:
            pickle.loads(pickle.dumps(outcome))
        except Exception:  # an error that does not survive pickling: its text
            outcome = (False, AsideError(f"{type(outcome[1]).__name__}: {outcome[1]}"))
        send.send(outcome)
        send.close()
        code = 0
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        for stream in (sys.stdout, sys.stderr):
            stream.flush()
        os._exit(code)


_UNSET = object()


class Later:
    """A value that a step run aside is given after it started (:meth:`Aside.send`): what the build
    learns meanwhile (the quads changed since the previous build). :meth:`get` waits for it."""

    def __init__(self, name: str, receive=None):
        self._name = name
        self._receive = receive  # the pipe's end in the forked process (None: run in the build's)
        self._value = _UNSET

    @property
    def waits(self) -> bool:
        """Whether the value is still to be waited for (a step in a forked process, not sent it yet)."""
        return self._value is _UNSET and self._receive is not None

    def get(self) -> Any:
        """The value sent (waited for, the first time, in the forked process)."""
        if self._value is _UNSET:
            if self._receive is None:
                raise AsideError(f"the {self._name} step asked for a value it was never sent")
            try:
                self._value = self._receive.recv()
            except EOFError:  # the build ended (it stops the step then) without sending it
                raise AsideError(f"the {self._name} step was never sent the value it waits for") from None
            finally:
                self._receive.close()
        return self._value


class Aside:
    """``fn(*args)`` started now in a forked process (or, where there is no fork, run by :meth:`result`).
    With ``later``, ``fn`` is given one more argument, a :class:`Later`, for the value :meth:`send`
    sends it once it is known."""

    def __init__(self, name: str, fn: Callable, *args: Any, later: bool = False):
        self.name, self._fn = name, fn
        self._process = None
        self._later = self._send_later = None
        self.sent = False  # whether send() was called
        if later:
            self._later = Later(name)
            args = (*args, self._later)
        self._args = args
        if may_fork():
            context = multiprocessing.get_context("fork")
            self._receive, send = context.Pipe(duplex=False)
            if later:  # the forked process reads its end; this one writes the other
                self._later._receive, self._send_later = context.Pipe(duplex=False)
            # not a daemon, so that the step may fork helpers of its own (the views' pages on two
            # cores); the build waits for its end or stops it, whatever happens
            theirs = (self._receive,) if self._send_later is None else (self._receive, self._send_later)
            process = context.Process(target=_run, args=(fn, args, send, theirs), name=f"kg-{name}")
            try:
                process.start()
                self._process = process
                self._fn = self._args = None  # the process has them: none kept here (a store may be let go)
            except OSError:  # no process to be had (memory, a limit on processes): run here instead
                self._receive.close()
                if later:
                    self._later._receive.close()
                    self._later._receive = None
                    self._send_later.close()
                    self._send_later = None
            else:
                if later:
                    self._later._receive.close()  # the forked process's end
            send.close()

    def send(self, value: Any) -> None:
        """Give the step the value its :class:`Later` waits for (once)."""
        if self._later is None or self.sent:
            raise AsideError(f"the {self.name} step waits for no value" if self._later is None
                             else f"the {self.name} step was sent its value already")
        self.sent = True
        if self._send_later is None:  # run in this process: the value is read there
            self._later._value = value
            return
        try:
            self._send_later.send(value)
        except (BrokenPipeError, OSError):  # the step has ended already: its outcome says how
            pass
        finally:
            self._send_later.close()
            self._send_later = None

    def result(self) -> Any:
        """The step's value once it has ended; its error raised here."""
        if self._process is None:
            return self._fn(*self._args)
        try:
            ok, value = self._receive.recv()
        except EOFError:  # ended without a word: killed, or out of memory
            self._process.join()
            raise AsideError(f"the {self.name} step's process ended with code {self._process.exitcode} "
                             "and no result") from None
        finally:
            self._receive.close()
        self._process.join()
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the step if it still runs (the build failed elsewhere, or no longer needs it) and wait
        for its end, its clean-ups done."""
        if self._process is None:
            return
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()
        self._receive.close()
        if self._send_later is not None:
            self._send_later.close()
            self._send_later = None
