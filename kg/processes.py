"""Whether this process may fork helpers (the parsers of many fact files, a rebuild's views)."""

from __future__ import annotations

import multiprocessing
import threading


def may_fork() -> bool:
    """Whether this process can fork and safely so: a platform with ``fork``, no thread but this one
    (forking a process that runs other threads can deadlock the child) and not itself a daemonic
    worker (which may not have children)."""
    return ("fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
            and not multiprocessing.current_process().daemon)
