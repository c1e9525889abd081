"""Query results as plain values, pandas DataFrames and text (table, csv, tsv, json, markdown)."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

import pyoxigraph as ox

from ..errors import QueryError


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

    def values(self) -> list[list]:
        """Rows of plain Python values."""
        return [[python_value(t) for t in row] for row in self.rows]

    def to_dataframe(self):
        """A pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self.values(), columns=self.columns)

    def format(self, fmt: str) -> str:
        """The rows as table, csv, tsv, json or markdown."""
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
        if fmt == "table":
            return _table(self.columns, values)
        raise QueryError(f"unknown format {fmt!r}")


def _json_value(v):
    if isinstance(v, Decimal):
        return float(v) if v != v.to_integral() else int(v)
    return v


def _width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


def _table(columns: list[str], rows: list[list[str]]) -> str:
    widths = [_width(c) for c in columns]
    for row in rows:
        widths = [max(w, min(_width(v), 60)) for w, v in zip(widths, row, strict=True)]

    def cell(v: str, w: int) -> str:
        if _width(v) > 60:
            while _width(v) > 57:
                v = v[:-1]
            v += "..."
        return v + " " * (w - _width(v))

    out = ["  ".join(cell(c, w) for c, w in zip(columns, widths, strict=True)).rstrip(),
           "  ".join("-" * w for w in widths)]
    out += ["  ".join(cell(v, w) for v, w in zip(row, widths, strict=True)).rstrip() for row in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


