"""What segmentation produces: a newsletter's contents list, items and masthead."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...facts.values import PDate


@dataclass
class TocEntry:
    """One entry of a table of contents."""

    text: str
    level: int  # 0 section, 1 subsection, 2 item
    line: int
    sections: list[str] = field(default_factory=list)  # enclosing section titles


@dataclass
class Item:
    """One news item: heading, text and provenance."""

    id: str
    heading: str
    section: list[str]
    first_line: int
    last_line: int
    text: str
    offsets: list[tuple[int, int]]  # (character offset in text, source line) ascending
    urls: list[str] = field(default_factory=list)
    source_names: list[str] = field(default_factory=list)

    def line_at(self, offset: int) -> int:
        """The source line of a character of :attr:`text`."""
        line = self.first_line
        for off, no in self.offsets:
            if off > offset:
                break
            line = no
        return line

    @property
    def url(self) -> str | None:
        """The item's source URL (the first one found)."""
        return self.urls[0] if self.urls else None


@dataclass
class Segmented:
    """A newsletter cut into items."""

    doc_id: str
    title: str | None
    issue: str | None
    date: PDate | None
    publisher: str | None
    items: list[Item]
    toc: list[TocEntry]
    body_start: int
    body_end: int
    warnings: list[str] = field(default_factory=list)


@dataclass
class Heading:
    """A heading found in the body: level (0 section, 1 subsection, 2 item), text, lines."""

    level: int
    text: str
    first: int  # line number
    last: int
    entry: TocEntry | None = None  # the TOC entry it matched
