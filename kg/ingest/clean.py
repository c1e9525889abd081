"""Clean-up of PDF-extraction artefacts, line by line, keeping source line numbers.

Each source line is classified (text, blank, page furniture, bare URL, footnote
definition, table row) and its text tidied: full-width letters and digits made
half-width, the spaces PDF extraction puts between Chinese and Latin or digits
removed, markdown emphasis and footnote markers taken out (the markers are kept
as footnote numbers on the line). Lines broken mid-sentence are joined later,
by the segmenter, which knows where headings are.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..model.ids import body_text

SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUPERSCRIPTS = frozenset(_SUP)
URL_RE = re.compile(r"<?(https?://[^\s<>\"'（）()，。；]+)>?")
_URL_LINE = re.compile(r"^\s*<?https?://\S+>?\s*[.。]?\s*$")
_URL_TAIL = re.compile(r"^[A-Za-z0-9\-._~/?#=&%+:@!$',;*]+$")
_PAGE_NO = re.compile(r"^\s*(?:[-–—]\s*)?(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*[-–—])?\s*$|^\s*\d{1,3}\s*/\s*\d{1,3}\s*$")
_FOOTNOTE_DEF = re.compile(rf"^\s*([{_SUP}]+)\s*(.*)$")
_FOOTNOTE_MARK = re.compile(rf"(?<=[^\s{_SUP}\d])([{_SUP}]+)(?![{_SUP}\d])")
_LATEX_MARK = re.compile(r"(?<![\d\s])\^\{(\d+(?:\s*,\s*\d+)*)\}")
_LATEX_MATH = re.compile(r"\$([^$]{1,60})\$")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*([A-Za-z][^*\n]{0,200}?)\*(?![*\w])")
_BULLET = re.compile(r"^\s*(?:[-•●◆■▪·]\s+)")
_TABLE_TABS = 2  # a line with this many tabs is a table row


@dataclass
class Footnote:
    """A footnote definition: its number, the URL it gives and the label before it."""

    number: int
    url: str | None
    label: str
    line: int


@dataclass
class CleanLine:
    """One source line: number (1-based), raw text, tidied text, kind and footnote markers."""

    no: int
    raw: str
    text: str
    kind: str = "text"  # text | blank | page | url | footnote | table
    footnotes: list[int] = field(default_factory=list)


@dataclass
class Cleaned:
    """A cleaned document: its lines and footnote definitions."""

    lines: list[CleanLine]
    footnotes: dict[int, Footnote]

    def text_lines(self) -> list[CleanLine]:
        """The lines that carry text (not blank, not page furniture, not footnotes)."""
        return [ln for ln in self.lines if ln.kind == "text"]


def tidy(text: str) -> str:
    """Tidy one line: markdown emphasis, LaTeX math, bullets, spacing (see :func:`display_text`)."""
    if "*" in text:  # each of the patterns below needs its character: other lines are not scanned
        text = _ITALIC.sub(r"\1", _BOLD.sub(r"\1", text))
    if "$" in text:
        text = _LATEX_MATH.sub(lambda m: m.group(1).replace("\\geq", "≥").replace("\\leq", "≤").replace("^{", "^")
                               .replace("}", "").strip(), text)
    text = _BULLET.sub("", text)
    return body_text(text)


def _footnote_markers(text: str) -> tuple[str, list[int]]:
    marks: list[int] = []

    def sup(m: re.Match) -> str:
        marks.append(int(m.group(1).translate(SUPERSCRIPT)))
        return ""

    def latex(m: re.Match) -> str:
        marks.extend(int(x) for x in re.split(r"\s*,\s*", m.group(1)))
        return ""

    if not _SUPERSCRIPTS.isdisjoint(text):
        text = _FOOTNOTE_MARK.sub(sup, text)
    if "^{" in text:
        text = _LATEX_MARK.sub(latex, text)
    return text, marks


def _furniture(lines: list[str]) -> set[str]:
    """Short lines repeated on many pages (running headers and footers, scan prompts)."""
    counts = Counter(s.strip() for s in lines if 0 < len(s.strip()) <= 40)
    return {s for s, n in counts.items() if n >= 3 and not re.match(r"^[（(]?[一二三四五六七八九十\d]", s)}


def clean_lines(raw_lines: list[str]) -> Cleaned:
    """Classify and tidy every line; collect footnote definitions."""
    furniture = _furniture(raw_lines)
    out: list[CleanLine] = []
    footnotes: dict[int, Footnote] = {}
    pending_footnote: Footnote | None = None
    for i, raw in enumerate(raw_lines, start=1):
        stripped = raw.strip()
        line = CleanLine(i, raw, "")
        if not stripped:
            line.kind = "blank"
        elif stripped in furniture or _PAGE_NO.match(stripped):
            line.kind = "page"
        elif m := _FOOTNOTE_DEF.match(stripped):
            number = int(m.group(1).translate(SUPERSCRIPT))
            rest = m.group(2)
            url = URL_RE.search(rest)
            label = rest[: url.start()].strip(" .。") if url else rest.strip(" .。")
            fn = Footnote(number, url.group(1).rstrip(".") if url else None, label, i)
            footnotes[number] = fn
            pending_footnote = None if url else fn
            line.kind = "footnote"
        elif _URL_LINE.match(stripped):
            line.kind = "url"
            if pending_footnote is not None:  # the URL of a footnote whose label ended the line before
                pending_footnote.url = URL_RE.search(stripped).group(1).rstrip(".")
                pending_footnote = None
                line.kind = "footnote"
        elif raw.count("\t") >= _TABLE_TABS:
            line.kind = "table"
        else:
            text, marks = _footnote_markers(stripped)
            line.text = tidy(text)
            line.footnotes = marks
            if not line.text:
                line.kind = "blank"
        if line.kind not in ("blank", "url") and line.kind != "footnote":
            pending_footnote = None
        out.append(line)
    _join_broken_urls(out)
    return Cleaned(out, footnotes)


def _join_broken_urls(lines: list[CleanLine]) -> None:
    """A URL cut at the end of a line continues on the next text line (…/guidelines-ai- + system-…)."""
    for idx, line in enumerate(lines):
        if line.kind != "text":
            continue
        m = URL_RE.search(line.text)
        if not m or m.end() != len(line.text.rstrip()) or not m.group(1).endswith(("-", "/", "_", "=", "?", "&")):
            continue
        for nxt in lines[idx + 1: idx + 4]:
            if nxt.kind == "blank":
                continue
            if nxt.kind == "text" and _URL_TAIL.match(nxt.text.strip()):
                line.text = line.text.rstrip() + nxt.text.strip()
                nxt.kind = "url"
            break
