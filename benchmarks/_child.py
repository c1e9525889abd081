"""Measurements that run in a process of their own, so that peak memory is theirs alone.

    python -m benchmarks._child build DATA_DIR BUILD_DIR [--no-validate]

runs :func:`kg.build.build` (the code behind ``kg build``) with each phase timed, and prints
one JSON object: seconds per phase, total seconds, the time Python's cyclic garbage collector
took (over all phases), triples, quads and the peak resident set size of this process
(``getrusage(RUSAGE_SELF).ru_maxrss``: the build alone, measured in a process of its own) and
that of the largest process it forked (the parsers of many fact files, a rebuild's views drawn
aside by :mod:`kg.store.aside`; 0 when none).
"""

from __future__ import annotations

import functools
import gc
import importlib
import json
import resource
import sys
import time

SIDE_BY_SIDE = "store, SHACL, Turtle and views side by side"
FACTS_TO_RDF = "facts -> RDF (the in-memory store filled meanwhile)"


def _timed(phases: dict[str, float], name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            phases[name] = phases.get(name, 0.0) + time.perf_counter() - started

    return wrapper


def build(data_dir: str, build_dir: str, validate: bool = True) -> dict:
    """Run ``kg build`` with phase timers; the measurements as a dict."""
    kb = importlib.import_module("kg.store.build")  # the module (``kg.build`` the attribute is a function)

    phases: dict[str, float] = {}
    alongside: dict[str, float] = {}  # the steps run side by side, within the phase "side by side"
    # the dumps are made in two steps (kg.store.dumps.Making): the facts' quads written and compared,
    # then, after the derived tallies, the rest; both are timed as "dumps"
    kb.Making.finish = _timed(phases, "dumps", kb.Making.finish)
    for attr, name in (("load_dataset", "load fact files"), ("write_quads", FACTS_TO_RDF),
                       ("derive", "derived tallies"), ("Making", "dumps"), ("_side_by_side", SIDE_BY_SIDE),
                       ("_write_changes", "changes")):
        setattr(kb, attr, _timed(phases, name, getattr(kb, attr)))
    for attr, name in (("_check", "SHACL validation"), ("write_store", "store"), ("write_turtle", "Turtle"),
                       ("_write_views", "default views")):
        setattr(kb, attr, _timed(alongside, name, getattr(kb, attr)))
    # the in-memory store is filled on a thread while the writer makes the quads: what is left of it
    # after the writer is the wait for it (kg.store.filling)
    filling = importlib.import_module("kg.store.filling").Filling
    filling.result = _timed(phases, "in-memory store (the rest, after the writer)", filling.result)
    # a rebuild draws the views in a forked process (kg.store.aside), whose timers are its own: the
    # build's wait for them is timed here, and that process's peak below
    aside = importlib.import_module("kg.store.aside").Aside
    waiting = _timed(alongside, "waiting for the views drawn aside", aside.result)
    result = aside.result
    # only the build's wait for its views process (the views' pages shared out to a second
    # process, kg.views.defaults, are within the views' own time)
    aside.result = lambda self: waiting(self) if self.name == "views" else result(self)
    gc_time = {"seconds": 0.0, "collections": 0, "start": 0.0}

    def on_gc(phase: str, info: dict) -> None:
        # the cyclic garbage collector's own time (it walks every live object, e.g. rdflib's graph)
        if phase == "start":
            gc_time["start"] = time.perf_counter()
        else:
            gc_time["seconds"] += time.perf_counter() - gc_time["start"]
            gc_time["collections"] += 1

    gc.callbacks.append(on_gc)
    started = time.perf_counter()
    result = kb.build(data_dir, build_dir, validate=validate)
    total = time.perf_counter() - started
    gc.callbacks.remove(on_gc)
    phases["other"] = max(0.0, total - sum(phases.values()))
    return {"seconds": total, "triples": result.triples, "quads": result.quads,
            "documents": len(result.document_counts), "validated": validate,
            "phases": {k: round(v, 3) for k, v in phases.items()},
            "alongside": {k: round(v, 3) for k, v in alongside.items()},
            "gc_seconds": round(gc_time["seconds"], 3), "gc_collections": gc_time["collections"],
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "peak_rss_forked_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}


def main(argv: list[str]) -> int:
    """Command line of the child process."""
    if len(argv) >= 3 and argv[0] == "build":
        out = build(argv[1], argv[2], validate="--no-validate" not in argv)
        print(json.dumps(out))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
