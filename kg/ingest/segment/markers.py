"""What opens a line: enumerators, bullets, labels and date groups, and whether a line states news.

A :class:`Marker` names the *style* of a heading line (``cn`` for 一、, ``cnp`` for （一）,
``num`` for 1., ``pad`` for ``01 ｜`` or ``01  ``, ``brk`` for [01], ``alnum`` for A1, ``letter``
for A., ``part`` for 第一部分 / Part 1, ``date`` for a line that is only a month or a day,
``label`` for 【…】, ``bullet:◆`` for a bulleted line), its ordinal (for numbered styles) and the
text after it. A style's *rank* is how high it usually sits in an outline (parts above
chapters above numbered items above bullets); the segmenter decides from the whole document
which style opens items there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ...model.ids import clean_text, nfkc
from ..lexicon import alternation, lexicon

CN_NUM = "一二三四五六七八九十"
_CN_VALUE = {c: i for i, c in enumerate(CN_NUM, start=1)}
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

RANKS = {"part": 0, "letter": 1, "cn": 2, "word": 2, "cnp": 3, "date": 4, "num": 6, "pad": 6, "brk": 6,
         "alnum": 6, "label": 7, "bullet": 7, "nump": 8}
NUMBERED = {"part", "letter", "cn", "cnp", "num", "pad", "brk", "alnum", "nump"}


@dataclass(frozen=True)
class Marker:
    """The start of a line: style, ordinal (a tuple, so A1 < A2 < B1) and the text after it."""

    style: str
    ordinal: tuple[int, ...] | None
    rest: str

    @property
    def kind(self) -> str:
        """The style without its bullet character (``bullet:◆`` -> ``bullet``)."""
        return self.style.split(":", 1)[0]

    @property
    def rank(self) -> int:
        return RANKS[self.kind]

    @property
    def numbered(self) -> bool:
        return self.kind in NUMBERED


def cn_value(text: str) -> int | None:
    """一 -> 1, 十二 -> 12, 二十 -> 20 (up to 99)."""
    if not text or any(c not in _CN_VALUE for c in text):
        return None
    if len(text) == 1:
        return _CN_VALUE[text]
    if text[0] == "十":
        return 10 + (_CN_VALUE[text[1]] if len(text) > 1 else 0)
    if len(text) >= 2 and text[1] == "十":
        return _CN_VALUE[text[0]] * 10 + (_CN_VALUE[text[2]] if len(text) > 2 else 0)
    return None


def roman_value(text: str) -> int | None:
    """I -> 1, IV -> 4, XII -> 12."""
    if not text or any(c not in _ROMAN for c in text):
        return None
    total = 0
    for i, c in enumerate(text):
        v = _ROMAN[c]
        total += -v if i + 1 < len(text) and _ROMAN[text[i + 1]] > v else v
    return total


def _layout() -> dict:
    return lexicon("layout")


_BULLET_CHARS = "".join(sorted(set(_layout()["bullets"]), key=ord))
_BULLET = re.compile("^((?:" + "|".join(re.escape(c) for c in _BULLET_CHARS) + r"|\uFE0F)+)\s*")
_PART = re.compile(rf"^(?:第\s*([{CN_NUM}\d]{{1,3}})\s*(?:部分|篇|章|编)|(?:Part|PART|Section|SECTION)\s+([IVXLC]+|\d{{1,2}})\b)"
                   r"\s*(?:[|:：.、·—–-]+\s*)?(.*)$")
_LETTER = re.compile(r"^([A-H])\s*[.、]\s+([A-Z\u4e00-\u9fff].*)$")
_CN = re.compile(rf"^([{CN_NUM}]{{1,3}})\s*[、.]\s*(\S.*)$")
_CNP = re.compile(rf"^\(\s*([{CN_NUM}]{{1,3}})\s*\)\s*(\S.*)$")
_NUMP = re.compile(r"^\(\s*(\d{1,2})\s*\)\s*(\S.*)$")
_NUM = re.compile(r"^(\d{1,3})\s*[.、](?!\d)\s*(\S.*)$")
_PAD = re.compile(r"^(?:(\d{1,3})\s*[|丨]\s*|(0\d)\s+|(\d{1,2})\s{2,}|(\d{1,2})\s+(?=【))(\S.*)$")
_BRK = re.compile(r"^[\[【]\s*(\d{1,3})\s*[\]】]\s*(\S.*)$")
_ALNUM = re.compile(r"^([A-H])(\d{1,2})\s*(?:[|:：.、]\s*|\s+)(\S.*)$")
_LABEL = re.compile(r"^【([^】]{1,12})】\s*(.*)$")
_DATE_GROUP = re.compile(
    r"^(?:\d{4}\s*[.年/-]\s*\d{1,2}\s*月?(?:份)?|\d{4}\s*年(?:度)?|\d{1,2}\s*月份?"
    r"|(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*[—–~至-]\s*(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日)?)"
    r"\s*(?:\([^()]{1,10}\))?$")
_SECTION_HEAD = alternation("layout", "section_scopes") + r"[\u4e00-\u9fff]{0,6}?" + alternation("layout", "section_kinds")
_SECTION_ALONE = re.compile(rf"^{_SECTION_HEAD}[{CN_NUM}]*$")
_SECTION_TITLED = re.compile(rf"^{_SECTION_HEAD}[{CN_NUM}]*[：:]\s*\S|^(?:附录?|附件)[{CN_NUM}\d]*[：:、]")
_HAS_TEXT = re.compile(r"[A-Za-z\u4e00-\u9fff]")


@lru_cache(maxsize=1 << 16)
def parse_marker(raw: str) -> Marker | None:
    """The marker of one line (its raw text), or None for a line that starts with plain text
    (cached: the segmenter asks about each line several times)."""
    s = nfkc(raw).replace("**", "").strip()
    bullet = None
    if m := _BULLET.match(s):
        bullet = m.group(1).replace("\ufe0f", "")[:1]
        s = s[m.end():]
        if not _HAS_TEXT.search(s):
            return None  # a separator such as "—— ■ ■ ■ ——"
    inner = _inner_marker(s)
    if inner is not None and not (bullet and inner.kind == "label"):
        return inner
    if bullet is not None:
        return Marker(f"bullet:{bullet}", None, s)
    return None


def _inner_marker(s: str) -> Marker | None:
    bare = re.sub(r"^[【\[](.*)[】\]]$", r"\1", s).strip()
    if _DATE_GROUP.match(bare):
        return Marker("date", None, bare)
    if m := _PART.match(s):
        n = m.group(1)
        value = (cn_value(n) if not n.isdigit() else int(n)) if n else (
            int(m.group(2)) if m.group(2).isdigit() else roman_value(m.group(2)))
        return Marker("part", (value or 0,), m.group(3).strip())
    if m := _ALNUM.match(s):
        return Marker("alnum", (ord(m.group(1)) - 64, int(m.group(2))), m.group(3))
    if m := _LETTER.match(s):
        return Marker("letter", (ord(m.group(1)) - 64,), m.group(2))
    if m := _CNP.match(s):
        return Marker("cnp", (cn_value(m.group(1)) or 0,), m.group(2))
    if m := _CN.match(s):
        return Marker("cn", (cn_value(m.group(1)) or 0,), m.group(2))
    if m := _NUMP.match(s):
        return Marker("nump", (int(m.group(1)),), m.group(2))
    if s[:1] and s[0] in _CIRCLED:
        return Marker("nump", (_CIRCLED.index(s[0]) + 1,), s[1:].strip())
    if m := _BRK.match(s):
        return Marker("brk", (int(m.group(1)),), m.group(2))
    if m := _PAD.match(s):
        n = next(g for g in m.groups()[:4] if g)
        return Marker("pad", (int(n),), m.group(5))
    if m := _NUM.match(s):
        return Marker("num", (int(m.group(1)),), m.group(2))
    if m := _LABEL.match(s):
        return Marker("label", None, (m.group(1) + " " + m.group(2)).strip() if m.group(2) else m.group(1))
    t = clean_text(s)
    if (_SECTION_ALONE.match(t) and len(t) <= 14) or _SECTION_TITLED.match(t):
        return Marker("word", None, s)
    return None


_TITLE = re.compile(r"《[^《》]{2,}》|<[^<>]{2,}>")
_VERB = re.compile(alternation("layout", "heading_verbs"), re.I)
_AMOUNT = re.compile(r"\d[\d,.]*\s*(?:万|亿|千)?\s*(?:元|美元|欧元|英镑|韩元|日元|新元|澳元)|[€$£₩¥]\s*\d|\d\s*(?:million|billion)")


def is_statement(text: str) -> bool:
    """Whether a heading states news: a quoted title, an amount, or a verb of issuing,
    enforcing or deciding (a bare topic such as "适用范围与申报门槛" is not)."""
    t = nfkc(text)
    return bool(_TITLE.search(t) or _AMOUNT.search(t) or _VERB.search(t))


def is_next(prev: tuple[int, ...] | None, cur: tuple[int, ...]) -> bool:
    """Whether ``cur`` continues a numbering whose last value was ``prev`` (1 starts one; A1 → A2
    or B1)."""
    if prev is None:
        return cur[-1] in (0, 1) or (len(cur) == 1 and cur[0] <= 2)
    if len(cur) != len(prev):
        return cur[-1] == 1
    if cur[:-1] == prev[:-1]:
        return cur[-1] == prev[-1] + 1
    return cur[-1] == 1 and cur[:-1] > prev[:-1]
