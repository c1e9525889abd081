"""An item from its heading and lines: text with line offsets, source URLs and source names.

Source lines take many shapes (来源：URL, 原文链接 ▸ URL, Source | 来源：URL, 【来源】中国人大网,
（来源：网信中国）); their labels are the ``source_labels`` of the layout lexicon.
"""

from __future__ import annotations

import re

from ...model.ids import nfkc
from ..clean import URL_RE, CleanLine, Footnote
from ..lexicon import alternation
from .model import Heading, Item

TERMINAL = tuple("。！？；：!?;:")
_LABEL = alternation("layout", "source_labels")
_LABELS = rf"[【\[]?{_LABEL}[】\]]?(?:\s*[|｜/]\s*[【\[]?{_LABEL}[】\]]?)*"
_SEP = r"\s*(?:[：:▸>»→|｜]\s*|(?<=[】\]])\s*)"
RE_END_URL = re.compile(rf"^{_LABELS}{_SEP}<?(https?://\S+?)>?\s*$", re.I)
RE_SOURCE_NAME = re.compile(r"[（(]\s*(?:来源|来自|信息来源)\s*[：:]\s*([^（）()]{1,80})[）)]\s*$")
RE_SOURCE_PLAIN = re.compile(rf"^{_LABELS}{_SEP}([^\s<>]{{1,60}})$", re.I)
_NUMBER_PREFIX = re.compile(r"^\d{1,3}\s*[.．、]\s*")


def is_end_marker(text: str) -> bool:
    """Whether a line is an item's source line (which usually closes the item)."""
    t = nfkc(text).strip()
    return bool(RE_END_URL.match(t) or RE_SOURCE_NAME.search(t) or RE_SOURCE_PLAIN.match(t))


def heading_like(text: str) -> bool:
    """A short line without closing punctuation (a heading without an enumerator)."""
    return 4 <= len(text) <= 60 and not text.endswith(TERMINAL) and not text.endswith("。")


def make_item(doc_id: str, h: Heading, lines: list[CleanLine], section: list[str],
              footnotes: dict[int, Footnote]) -> Item:
    """The item headed by ``h`` with the body ``lines`` (source lines become URLs and names)."""
    heading = _NUMBER_PREFIX.sub("", h.text).strip()
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    explicit: list[str] = []  # 来源：URL, 原文链接：URL
    noted: list[str] = []  # footnote URLs
    names: list[str] = []
    text = ""
    last = h.last
    for ln in lines:
        t = ln.text
        last = ln.no
        for n in ln.footnotes:
            fn = footnotes.get(n)
            if fn and fn.url:
                noted.append(fn.url)
        if ln.kind == "url":  # a bare URL line: the item's source unless it already has one
            if not explicit:
                explicit.extend(u.rstrip(".") for u in URL_RE.findall(ln.raw)[:1])
            continue
        folded = nfkc(t).strip()
        if m := RE_END_URL.match(folded):
            explicit.append(m.group(1).rstrip("."))
            continue
        if m := RE_SOURCE_NAME.search(t):
            names.extend(re.sub(r"[“”\"]", "", n).strip() for n in re.split(r"[、,，]", m.group(1)) if n.strip())
            t = t[: m.start()].rstrip()
            if not t:
                continue
        elif m := RE_SOURCE_PLAIN.match(folded):
            names.append(m.group(1))
            continue
        if re.search(r"原文|链接|来源|source|link", t, re.I):
            explicit.extend(u.rstrip(".") for u in URL_RE.findall(t))
        if parts and (parts[-1].endswith(TERMINAL) or re.match(r"^[（(]?\d{1,2}[）).、]|^[一二三四五六七八九十]+是", t)):
            text += "\n"
        offsets.append((len(text), ln.no))
        text += t
        parts.append(t)
    urls = list(dict.fromkeys(explicit + noted))
    full = heading + "\n" + text if text else heading
    shift = len(heading) + 1 if text else 0
    offsets = [(0, h.first)] + [(o + shift, no) for o, no in offsets]
    return Item(
        id=f"L{h.first}", heading=heading, section=section, first_line=h.first, last_line=max(last, h.last),
        text=full, offsets=offsets, urls=urls, source_names=list(dict.fromkeys(names)),
    )
