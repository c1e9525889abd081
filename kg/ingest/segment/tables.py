"""Tables in a newsletter: one item per row where the table lists cases or news, none otherwise.

Rows are tab-separated lines or ``| a | b |`` lines; a row whose first cell is empty continues
the row above (a cell wrapped onto the next line); a table broken by a page keeps the header of
its first part. Each column gets a role from its header (``table_columns`` of the layout
lexicon: index, date, jurisdiction, authority, target, event, violation, basis, penalty, link).
A table with an index or date column and an authority, target or event column lists one item
per row; the row is written out as a sentence in the extractors' language ("date，authority
对target作出处罚决定，处以罚款amount。违法事实：…") with the row's lines as provenance. Any other
table (totals per month, a risk matrix) lists no item and is left out of the items' text,
so its sums are never read as fines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...model.ids import nfkc
from ..clean import URL_RE, CleanLine
from ..lexicon import lexicon
from .model import Item

_PIPE_SEPARATOR = re.compile(r"^:?-{2,}:?$")
ROLE_ORDER = ("index", "date", "link", "basis", "violation", "penalty", "target", "authority", "jurisdiction", "event")
_EMPTY = {"", "-", "—", "–", "/", "无", "n/a", "N/A"}


@dataclass
class Row:
    """One row of a table: its lines and its cells by column."""

    first: int
    last: int
    cells: list[str]


@dataclass
class Table:
    """A table: its lines, column roles and rows."""

    first: int
    last: int
    header: list[str]
    roles: list[str | None]
    rows: list[Row] = field(default_factory=list)

    @property
    def lists_items(self) -> bool:
        roles = set(self.roles)
        return bool(roles & {"index", "date"}) and bool(roles & {"authority", "target", "event"}) and bool(self.rows)

    def cell(self, row: Row, role: str) -> str:
        """The text of the first column with ``role`` in ``row`` ('' if none or empty)."""
        for i, r in enumerate(self.roles):
            if r == role and i < len(row.cells):
                value = row.cells[i].strip()
                return "" if value in _EMPTY else value
        return ""


def row_cells(line: CleanLine) -> list[str] | None:
    """The cells of a table line (tabs or pipes), or None for a line that is not a table row."""
    raw = line.raw.rstrip("\n")
    if line.kind == "table":
        return [nfkc(c).strip() for c in raw.split("\t")]
    s = raw.strip()
    if line.kind == "text" and s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
        return [nfkc(c).strip() for c in s[1:-1].split("|")]
    return None


def column_role(header: str) -> str | None:
    """The role of a column from its header text."""
    key = re.sub(r"\s+", "", nfkc(header)).lower()
    if not key:
        return None
    columns = lexicon("layout")["table_columns"]
    for role in ROLE_ORDER:
        if any(w.replace(" ", "").lower() in key for w in columns[role]):
            return role
    return None


def find_tables(lines: list[CleanLine]) -> list[Table]:
    """Every table of the document, in order."""
    tables: list[Table] = []
    block: list[tuple[CleanLine, list[str]]] = []

    def flush() -> None:
        if block:
            table = _parse(block, tables[-1] if tables else None)
            if table is not None:
                tables.append(table)
            block.clear()

    for ln in lines:
        cells = row_cells(ln)
        if cells is not None:
            block.append((ln, cells))
        elif ln.kind in ("blank", "page") and block:
            continue
        else:
            flush()
    flush()
    return tables


def _is_data(cells: list[str]) -> bool:
    first = next((c for c in cells if c), "")
    return bool(re.match(r"^(?:\d{1,4}|[A-Z]?\d{1,3}|Q[1-4])$", first)) or bool(re.match(r"^\d{4}[-./年]", first))


def _parse(block: list[tuple[CleanLine, list[str]]], previous: Table | None) -> Table | None:
    rows = [(ln, cells) for ln, cells in block if not all(_PIPE_SEPARATOR.match(c) or not c for c in cells)]
    if len(rows) < 2 and not (previous and rows):
        return None
    header_rows: list[list[str]] = []
    k = 0
    while k < len(rows) and not _is_data(rows[k][1]) and rows[k][1][0] and k < 3:
        header_rows.append(rows[k][1])
        k += 1
    width = max(len(c) for _, c in rows)
    if header_rows:
        header = ["".join(h[i] if i < len(h) else "" for h in header_rows) for i in range(width)]
        if previous is not None and [column_role(h) for h in header] == previous.roles[:width]:
            header = previous.header  # the header repeated after a page break
    elif previous is not None and len(previous.header) >= width:
        header = previous.header
    else:
        header = [""] * width
    table = Table(block[0][0].no, block[-1][0].no, header, [column_role(h) for h in header])
    indexed = table.roles[:1] == ["index"]
    for ln, cells in rows[k:]:
        if not cells[0]:
            last = table.rows[-1] if table.rows else previous.rows[-1] if previous and previous.rows else None
            if last is not None:  # a wrapped cell, possibly continued after a page break
                _continue_row(last, cells, ln.no)
        elif indexed and not _is_data(cells):
            continue  # a header repeated after a page break, or page furniture
        else:
            table.rows.append(Row(ln.no, ln.no, list(cells)))
    return table


def _continue_row(row: Row, cells: list[str], no: int) -> None:
    for i, c in enumerate(cells):
        if not c:
            continue
        if i >= len(row.cells):
            row.cells.extend([""] * (i + 1 - len(row.cells)))
        prev = row.cells[i]
        latin = prev[-1:].isascii() and prev[-1:].isalnum() and c[:1].isascii() and c[:1].isalnum()
        row.cells[i] = prev + (" " if latin or (prev.endswith((".", ",")) and c[:1].isascii()) else "") + c
    row.last = no


def row_text(table: Table, row: Row) -> str:
    """A row written out as a sentence the extractors read."""
    date, jur = table.cell(row, "date"), table.cell(row, "jurisdiction")
    auth, target, event = table.cell(row, "authority"), table.cell(row, "target"), table.cell(row, "event")
    penalty, violation, basis = table.cell(row, "penalty"), table.cell(row, "violation"), table.cell(row, "basis")
    lead = f"{date}，" if date else ""
    if event:
        text = f"{lead}{jur + '：' if jur else ''}{event}"
        text += "" if text.endswith("。") else "。"
    else:
        targets = re.sub(r"\s*[；;]\s*", "、", target)
        text = f"{lead}{jur}{auth}对{targets or '当事人'}作出处罚决定"
        if penalty and re.search(r"罚|和解", penalty):
            text += f"，{penalty}"
        elif penalty and re.search(r"\d", penalty):
            text += f"，处以罚款{penalty}"
        elif penalty:
            text += f"，处罚措施：{penalty}"
        text += "。"
    if violation:
        text += f"违法事实：{violation.rstrip('。')}。"
    if basis:
        text += f"处罚依据：{basis.rstrip('。')}。"
    return text


def row_items(doc_id: str, table: Table, section: list[str]) -> list[Item]:
    """One item per row of a table that lists items."""
    items = []
    for row in table.rows:
        text = row_text(table, row)
        link = table.cell(row, "link")
        urls = [u.rstrip(".") for u in URL_RE.findall(link)] if link else []
        heading = text.split("。", 1)[0][:80]
        items.append(Item(id=f"L{row.first}", heading=heading, section=list(section), first_line=row.first,
                          last_line=row.last, text=text, offsets=[(0, row.first)], urls=urls))
    return items
