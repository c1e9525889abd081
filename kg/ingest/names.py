"""Finding known names (registry names, place labels) in a text: the longest one at a position.

A set of names of two characters or more, indexed by their first two characters: at a position
of a text, the names starting with the same two characters are tried longest first, each by a
set lookup. Built in a few milliseconds for thousands of names (a regular expression of them
took a tenth of a second to build and compile in every run), and faster to scan with.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable


class NameIndex:
    """Names (of two characters or more; shorter ones are left out) to find in texts."""

    def __init__(self, names: Iterable[str]):
        self.names = frozenset(n for n in names if len(n) >= 2)
        lengths: dict[str, set[int]] = defaultdict(set)
        for name in self.names:
            lengths[name[:2]].add(len(name))
        # the first two characters -> the lengths of the names starting with them, longest first
        self._lengths = {start: sorted(ns, reverse=True) for start, ns in lengths.items()}

    def longest_at(self, text: str, pos: int = 0) -> str | None:
        """The longest name that starts at ``pos`` in ``text``, or None."""
        lengths = self._lengths.get(text[pos:pos + 2])
        if lengths:
            size = len(text)
            for n in lengths:
                if pos + n <= size and text[pos:pos + n] in self.names:
                    return text[pos:pos + n]
        return None

    def at_every_position(self, text: str) -> list[tuple[int, str]]:
        """(start, name) of the longest name at every position that has one, overlapping ones
        included, by position."""
        starts = self._lengths  # most positions start no name: those are passed over without a call
        return [(pos, name) for pos in range(len(text) - 1)
                if text[pos:pos + 2] in starts and (name := self.longest_at(text, pos)) is not None]

    def leftmost_longest(self, text: str) -> list[tuple[int, str]]:
        """(start, name) of the names in ``text`` read from the left, the longest at each
        position, none overlapping the one before."""
        found = []
        pos, size = 0, len(text)
        while pos < size - 1:
            name = self.longest_at(text, pos) if text[pos:pos + 2] in self._lengths else None
            if name is None:
                pos += 1
            else:
                found.append((pos, name))
                pos += len(name)
        return found

    def prefixes(self, text: str) -> list[str]:
        """The names that together make up the start of ``text``, one after another from its
        first character, each the longest there (湖南省郴州市网信办 -> 湖南省, 郴州市)."""
        found = []
        pos = 0
        while (name := self.longest_at(text, pos)) is not None:
            found.append(name)
            pos += len(name)
        return found
