"""regkg: a knowledge graph of data-protection and cybersecurity regulation.

The Python API the CLI and the notebooks share::

    import kg
    kg.build()                      # data/ -> kg-build/ (store, dumps)
    g = kg.open()                   # the built graph
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "build", "open"]


def build(data_dir=None, build_dir=None, *, validate: bool = True):
    """Build the graph (see :func:`kg.store.build.build`)."""
    from .store.build import build as _build

    return _build(data_dir, build_dir, validate=validate)


def open(build_dir=None, endpoint=None):
    """The built graph (see :func:`kg.query.graph.open`)."""
    from .query.graph import open as _open

    return _open(build_dir, endpoint)
