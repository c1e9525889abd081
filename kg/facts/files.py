"""Reading one document's fact file (``data/documents/<doc-id>.yaml``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .schema import FACTS_FORMAT, SECTIONS, Record, check_unique, parse_list, parse_record, read_data_file


@dataclass
class FactFile:
    """The parsed content of one ``data/documents/<id>.yaml``."""

    path: str
    document: Record
    records: dict[str, list[Record]]  # section -> records

    @property
    def doc_id(self) -> str:
        """The document id (file stem of the source newsletter)."""
        return self.document.data["id"]


def read_fact_file(path: str | Path, text: str | None = None) -> FactFile:
    """Read and check one fact file (given its ``text`` when it is not on disk yet); raise
    :class:`FactErrors` listing every problem."""
    path = str(path)
    raw, ctx = read_data_file(path, FACTS_FORMAT, {"document", *SECTIONS}, "a fact file", text)
    document = parse_record("document", raw.get("document"), ctx, raw.line_of("document"))
    records = {sec: parse_list(kind, raw.get(sec), ctx, raw.line_of(sec)) for sec, kind in SECTIONS.items()}
    if document is not None:
        stem = Path(path).stem
        if document.data["id"] != stem:
            ctx.error(document.line, f"document id {document.data['id']!r} differs from the file name {stem!r}")
    check_unique(records, ctx)
    ctx.raise_if_errors()
    assert document is not None
    return FactFile(path, document, records)


