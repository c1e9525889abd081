"""What an extractor of one item needs: the knowledge base and the document's reference date."""

from __future__ import annotations

from dataclasses import dataclass

from ..facts.values import PDate
from .extract.subjects import parse_subject
from .resolve import KnowledgeBase


@dataclass(frozen=True)
class ItemContext:
    """The context of one item's extraction (the extractors take this, not the assembler)."""

    kb: KnowledgeBase
    reference: PDate | None  # the document's date: years of 3月5日 are taken from it

    def parse_subject(self, clause: str, jur: str | None) -> tuple[list[str], int | None]:
        """Authorities named in a subject clause and a stated count (:func:`extract.subjects.parse_subject`)."""
        return parse_subject(self.kb, clause, jur)
