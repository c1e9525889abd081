"""The ``kg`` command: a thin click layer over the library (sqlite-utils style)."""

from .main import main

__all__ = ["main"]
