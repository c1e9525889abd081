"""Query results as plain values, pandas DataFrames and text (table, csv, tsv, json, markdown).

The table is for reading in a terminal, like sqlite-utils' or datasette's: the human columns first,
IRI columns last as short keys (full IRIs with ``iri=True``), numbers right-aligned, columns fitted
to the terminal width with wide cells cut with an ellipsis (the IRI columns give way first). Widths
are display widths (``wcwidth``): a Chinese, Japanese or Korean character takes two cells. The other
formats keep every value whole.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import unquote

import pyoxigraph as ox
from wcwidth import wcswidth, wcwidth

from ..errors import QueryError
from ..model.ids import iri_key
from ..model.terms import BASE, curie


def python_value(term):
    """A pyoxigraph term as a plain Python value for tables and DataFrames."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value if term.datatype else ""
        if dtype.endswith(("#integer", "#int", "#long")):
            return int(term.value)
        if dtype.endswith("#decimal"):
            return Decimal(term.value)
        if dtype.endswith(("#double", "#float")):
            return float(term.value)
        if dtype.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value


@dataclass
class Result:
    """Rows of a query."""

    columns: list[str]
    rows: list[list]
    page: int | None = None  # the page of a paged query (from 1); None: the whole listing
    page_size: int | None = None
    more: bool = False  # another page follows

    @property
    def first_row(self) -> int:
        """The number (from 1) in the whole listing of the first row here."""
        return (self.page - 1) * self.page_size + 1 if self.page else 1

    def page_note(self, next_page: str = "page={n}", every_row: str = "page=None") -> str:
        """Which part of the listing these rows are, and how to ask for the next page or every row
        (``next_page``'s ``{n}`` is the next page's number); "" for a whole listing (a first page
        that is also the last is one)."""
        if self.page is None or (self.page == 1 and not self.more):
            return ""
        span = (f"rows {self.first_row}–{self.first_row + len(self.rows) - 1}" if self.rows else "no rows")
        note = f"page {self.page} of the listing, {self.page_size} rows a page: {span}"
        if self.more:
            return note + f"; {next_page.format(n=self.page + 1)} for more, {every_row} for every row"
        return note + " (the last page)"

    def values(self) -> list[list]:
        """Rows of plain Python values."""
        return [[python_value(t) for t in row] for row in self.rows]

    def to_dataframe(self):
        """A pandas DataFrame."""
        import pandas as pd

        df = pd.DataFrame(self.values(), columns=self.columns)
        if self.page is not None:
            df.attrs.update(page=self.page, page_size=self.page_size, more=self.more)
        return df

    def format(self, fmt: str, *, iri: bool = False, width: int | None = None, note: str = "") -> str:
        """The rows as table, csv, tsv, json or markdown. The table fits ``width`` display columns (default:
        the terminal's, ``$COLUMNS`` first), shows IRIs as short keys unless ``iri`` and ends with the
        number of rows and ``note``."""
        if fmt == "table":
            return table(self.columns, self.rows, iri=iri, width=width, note=note)
        values = [["" if v is None else str(v) for v in row] for row in self.values()]
        if fmt in ("csv", "tsv"):
            buf = io.StringIO()
            writer = csv.writer(buf, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
            writer.writerow(self.columns)
            writer.writerows(values)
            return buf.getvalue()
        if fmt == "json":
            return json.dumps([dict(zip(self.columns, [_json_value(v) for v in row], strict=True))
                               for row in self.values()], ensure_ascii=False, indent=2) + "\n"
        if fmt == "markdown":
            esc = [[c.replace("|", "\\|").replace("\n", " ") for c in row] for row in values]
            lines = ["| " + " | ".join(self.columns) + " |", "|" + "---|" * len(self.columns)]
            lines += ["| " + " | ".join(row) + " |" for row in esc]
            return "\n".join(lines) + "\n"
        raise QueryError(f"unknown format {fmt!r}")


def _json_value(v):
    if isinstance(v, Decimal):
        return float(v) if v != v.to_integral() else int(v)
    return v


# ---------------------------------------------------------------- table

ELLIPSIS = "…"
SEPARATOR = "  "
MIN_WIDTH = 10  # a column is cut no narrower than this or its header while the table can fit otherwise
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.I)


def short_iri(iri: str) -> str:
    """An IRI as a table shows it: the key of an IRI of the id space (``CN/个人信息保护法``), a CURIE
    (``kgv:…``), a path under the project's base, else the IRI without its scheme; escapes undone."""
    key = iri_key(iri)
    if key is not None:
        return key
    short = curie(iri)
    if short == iri:
        short = iri[len(BASE):] if iri.startswith(BASE) else _SCHEME.sub("", iri)
    return unquote(short)


def display_width(text: str) -> int:
    """The columns ``text`` takes in a terminal (two for a wide character, none for a combining mark)."""
    return max(wcswidth(_CONTROL.sub(" ", text)), 0)


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` display columns, ending in an ellipsis when it was cut."""
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        used += max(wcwidth(ch), 0)
        if used > width - 1:
            break
        out.append(ch)
    cut = "".join(out)
    while cut and display_width(cut) > width - 1:
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS if width > 0 else ""


def fit_widths(natural: list[int], phases: list[tuple[list[int], list[int]]], available: int) -> list[int]:
    """Column widths within ``available``. Each phase is (columns, their floors): its columns give way,
    in turn, by capping the widest of them at one width (narrower ones keep theirs), none below its floor.
    The widths add up to more than ``available`` only if the last phase's floors do."""
    widths = list(natural)
    for group, floors in phases:
        excess = sum(widths) - available
        if excess <= 0:
            break
        budget = sum(widths[i] for i in group) - excess

        def used(cap: int, group=group, floors=floors) -> int:
            return sum(max(floors[i], min(widths[i], cap)) for i in group)

        low, high = 0, max((widths[i] for i in group), default=0)
        while low < high:  # the widest cap that keeps the group within its budget
            mid = (low + high + 1) // 2
            low, high = (mid, high) if used(mid) <= budget else (low, mid - 1)
        for i in group:
            widths[i] = max(floors[i], min(widths[i], low))
    return widths


def _cell_text(term, iri: bool) -> str:
    if term is None:
        return ""
    text = short_iri(term.value) if isinstance(term, ox.NamedNode) and not iri else str(python_value(term))
    return _CONTROL.sub(" ", text)


def _kinds(cells: list) -> tuple[bool, bool]:
    """Whether a column's cells are IRIs and whether they are numbers (an empty column is neither)."""
    present = [t for t in cells if t is not None]
    values = [python_value(t) for t in present]
    return (bool(present) and all(isinstance(t, ox.NamedNode) for t in present),
            bool(values) and all(isinstance(v, int | float | Decimal) and not isinstance(v, bool) for v in values))


def table(columns: list[str], rows: list[list], *, iri: bool = False, width: int | None = None,
          note: str = "") -> str:
    """The rows as a text table of at most ``width`` display columns (see the module's docstring);
    full IRIs (``iri``) are never cut, so they may make it wider. The last line counts the rows, and
    adds ``note``."""
    if width is None:
        width = shutil.get_terminal_size().columns
    kinds = [_kinds([row[j] for row in rows]) for j in range(len(columns))]
    order = sorted(range(len(columns)), key=lambda j: kinds[j][0])  # stable: IRI columns last
    keys = [k for k, j in enumerate(order) if kinds[j][0]]
    human = [k for k, j in enumerate(order) if not kinds[j][0]]
    header = [columns[j] for j in order]
    body = [[_cell_text(row[j], iri) for j in order] for row in rows]
    natural = [max([display_width(h)] + [display_width(r[k]) for r in body]) for k, h in enumerate(header)]
    right = [kinds[j][1] for j in order]
    # who gives way, in turn: the keys, then the human columns, down to MIN_WIDTH or their header (numbers
    # not at all); then the keys, the human columns but numbers, and numbers, down to one cell. Full IRIs
    # are never cut, and then the human columns are not cut further: the table is too wide anyway.
    kept = [n if (iri and k in keys) or right[k] else min(n, max(display_width(h), MIN_WIDTH))
            for k, (n, h) in enumerate(zip(natural, header, strict=True))]
    numbers = [n if right[k] else min(n, 1) for k, n in enumerate(natural)]
    last = [n if iri and k in keys else min(n, 1) for k, n in enumerate(natural)]
    phases = [(keys, kept), (human, kept), (keys, last)] + ([] if iri else [(human, numbers), (human, last)])
    widths = fit_widths(natural, phases, width - len(SEPARATOR) * (len(order) - 1))

    def line(cells: list[str]) -> str:
        out = []
        for text, w, r in zip(cells, widths, right, strict=True):
            text = clip(text, w)
            pad = " " * (w - display_width(text))
            out.append(pad + text if r else text + pad)
        return SEPARATOR.join(out).rstrip()

    out = [line(header), SEPARATOR.join("-" * w for w in widths)]
    out += [line(r) for r in body]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''}{'; ' + note if note else ''})")
    return "\n".join(out) + "\n"
