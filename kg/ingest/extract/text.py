"""Splitting an item's text into sentences."""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"[。！？!?；;\n]")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a text (split at 。！？；and line ends; quotes stay with their sentence)."""
    out = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        end = m.end()
        if text[start:end].strip():
            out.append((start, end))
        start = end
    if text[start:].strip():
        out.append((start, len(text)))
    return out


def sentence_of(spans: list[tuple[int, int]], pos: int) -> tuple[int, int]:
    """The sentence span containing a position."""
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return (0, 0)
