"""The extractor's knowledge as data: word lists a reviewer can read and extend.

Each ``*.yaml`` file here is one lexicon (``format: kg-lexicon/1``): layout words for the
segmenter, organ words and verbs for the extractors. :func:`lexicon` reads one, once.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from ...errors import FactError
from ...facts.yamlio import load_yaml

HERE = Path(__file__).resolve().parent
FORMAT = "kg-lexicon/1"


@cache
def lexicon(name: str) -> dict[str, Any]:
    """The lexicon ``name`` (a file stem in this folder) as a mapping."""
    path = HERE / f"{name}.yaml"
    data = load_yaml(path)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise FactError(str(path), None, f"not a lexicon: expected 'format: {FORMAT}'")
    return data


def words(name: str, key: str) -> tuple[str, ...]:
    """One word list of a lexicon, longest first (so an alternation prefers the longer word)."""
    value = lexicon(name)[key]
    return tuple(sorted(value, key=lambda w: (-len(w), w)))


def alternation(name: str, key: str) -> str:
    """A regular-expression alternation of one word list, longest word first."""
    return "(?:" + "|".join(re.escape(w) for w in words(name, key)) + ")"
