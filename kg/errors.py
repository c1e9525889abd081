"""The errors a user can cause, under one base class.

Every error of the library is a :class:`KgError`: it carries the lines to show the user and
the exit status of the ``kg`` command, so the CLI has one handler (:func:`kg.cli.common.handle_errors`)
and no command decides by matching message text.
"""

from __future__ import annotations

from dataclasses import dataclass


class KgError(Exception):
    """An error a user can act on: bad data, a missing build, a bad query, a busy port ..."""

    exit_code = 1

    def lines(self) -> list[str]:
        """What the user is shown, one line each (without the ``error:`` prefix)."""
        return [str(self)]


@dataclass
class FactError(KgError):
    """One problem in a data file, located by file and line."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class FactErrors(KgError):
    """Several problems found while reading or checking data files; nothing was written."""

    def __init__(self, errors: list[FactError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def lines(self) -> list[str]:
        return [str(e) for e in self.errors] + [f"{len(self.errors)} error(s) in the data files; nothing was written."]


class StoreError(KgError):
    """The build folder is missing, locked or damaged."""


class QueryError(KgError):
    """A query, a parameter or an endpoint problem."""


class ResolveError(QueryError):
    """A name that names no entity, or several; ``candidates`` lists the nearest or the rivals."""

    def __init__(self, message: str, candidates: list[str] | None = None, ambiguous: bool = False):
        super().__init__(message)
        self.candidates = list(candidates or [])
        self.ambiguous = ambiguous


class ViewError(KgError):
    """A view cannot be made from what was asked (unknown or ambiguous name, nothing to show)."""


class NameLookupError(ResolveError, ViewError):
    """A name of a query parameter, a view or the Python API that names no node of the built graph, or
    several: the message lists the nearest names or the rivals, numbered, with kind, jurisdiction and key
    (``candidates``: their IRIs in that order)."""


class ServeError(KgError):
    """``kg serve`` cannot run: no server binary, a busy or forbidden address, a server that failed."""


class IngestError(KgError):
    """A newsletter that cannot be ingested; ``message`` continues a sentence that starts with the
    path, e.g. ``"is empty"``."""

    def __init__(self, path, message: str) -> None:
        from pathlib import Path

        super().__init__(path, message)
        self.path = Path(path)
        self.message = message

    def __str__(self) -> str:
        return f"{self.path} {self.message}"
