"""Normalising names, titles and standard numbers, and minting stable IRIs from them.

An IRI depends only on a normalised key (an authority's jurisdiction and
canonical name, an instrument's jurisdiction and normalised title, a
standard's number), so re-ingesting never duplicates a node and links from
outside stay valid. Keys keep Chinese characters: IRIs are Unicode
(RFC 3987); characters an IRI path may not hold are percent-encoded.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache
from urllib.parse import quote, unquote

from .terms import ID

CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef《》“”‘’、，。；：？！（）【】"
_CJK_CHAR = re.compile(f"[{CJK}]")
_SPACE_RUN = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")
_DASHES = re.compile(r"[‐‑‒–—―－─~～]")
STATUS_SUFFIX = re.compile(
    r"[(（](?:公开)?(?:征求意见稿|草案征求意见稿|草案|送审稿|草稿|修订稿|征求意见)[)）]\s*$"
)
PRC_PREFIX = "中华人民共和国"


def nfkc(text: str) -> str:
    """Unicode NFKC: full-width letters, digits and brackets become half-width."""
    return unicodedata.normalize("NFKC", text)


def squash_spaces(text: str) -> str:
    """Drop spaces that touch a Chinese character; collapse the others to one."""
    parts = _SPACE_RUN.split(text.strip())
    if len(parts) == 1:
        return parts[0]
    out = parts[0]
    for part in parts[1:]:
        if not part:
            continue
        if out and (_CJK_CHAR.match(out[-1]) or _CJK_CHAR.match(part[0])):
            out += part
        else:
            out += " " + part
    return out


def clean_text(text: str) -> str:
    """NFKC, squashed spaces and unified dashes: the form names and titles are compared in."""
    return _DASHES.sub("-", squash_spaces(nfkc(text)))


_KEEP_CJK_PUNCT = frozenset("，。；：！？（）【】、《》“”‘’")


class _FoldTable(dict):
    """``str.translate`` table computed lazily: NFKC of one character when it is one character,
    except the characters in ``keep``. Superscripts and subscripts (footnote marks such as ⁵⁰) are
    left alone so that they never join a neighbouring number."""

    def __init__(self, keep: frozenset[str] = frozenset()):
        super().__init__()
        self.keep = keep

    def __missing__(self, code: int) -> int:
        ch = chr(code)
        out = code
        if code >= 0x80 and ch not in self.keep:
            decomposition = unicodedata.decomposition(ch)
            if not decomposition.startswith(("<super>", "<sub>")):
                folded = unicodedata.normalize("NFKC", ch)
                if len(folded) == 1 and folded != ch:
                    out = ord(folded)
        self[code] = out
        return out


_FOLD_ALL = _FoldTable()
_FOLD_TEXT = _FoldTable(frozenset(_KEEP_CJK_PUNCT))


def fold_width(text: str, keep_cjk_punctuation: bool = False) -> str:
    """Full-width letters, digits and symbols to ASCII (Ｇ Ｂ／Ｔ -> GB/T), odd spaces to a space, the
    same length as ``text``; with ``keep_cjk_punctuation`` Chinese punctuation (，。；：！？（）…) is
    kept, so sentences and clauses stay visible."""
    if text.isascii():
        return text
    return text.translate(_FOLD_TEXT if keep_cjk_punctuation else _FOLD_ALL)


def display_text(text: str) -> str:
    """NFKC, unified dashes, one space where there were several, and no space between a
    Chinese character and a Latin letter or digit (a PDF artefact); a space between two
    Chinese words is kept (数据安全技术 个人信息跨境处理活动安全认证要求)."""
    parts = _SPACE_RUN.split(_DASHES.sub("-", nfkc(text)).strip())
    out = parts[0]
    for part in parts[1:]:
        if not part:
            continue
        left, right = out[-1:], part[0]
        left_cjk, right_cjk = bool(_CJK_CHAR.match(left)), bool(_CJK_CHAR.match(right))
        out += ("" if left_cjk != right_cjk else " ") + part
    return out


def body_text(text: str) -> str:
    """Item text as the extractors read it: :func:`fold_width`, dashes unified, and no space
    between a Chinese character and a Latin letter or digit (a PDF artefact)."""
    parts = _SPACE_RUN.split(_DASHES.sub("-", fold_width(text, keep_cjk_punctuation=True)).strip())
    out = parts[0]
    for part in parts[1:]:
        if not part:
            continue
        left_cjk, right_cjk = bool(_CJK_CHAR.match(out[-1:])), bool(_CJK_CHAR.match(part[0]))
        out += ("" if left_cjk != right_cjk else " ") + part
    return out


def strip_title_marks(title: str) -> str:
    """Remove the 《》 (and stray quotes) around a title."""
    return title.strip().strip("《》〈〉<>\"“”'‘’「」『』 ")


def title_status(title: str) -> str | None:
    """``consultation`` or ``draft`` when the title ends in a draft marker, else None."""
    m = STATUS_SUFFIX.search(nfkc(title))
    if not m:
        return None
    return "consultation" if "征求意见" in m.group(0) else "draft"


@lru_cache(maxsize=1 << 14)  # pure, and asked for the same titles again and again
def normalize_title(title: str) -> str:
    """The display form of a title: marks removed, NFKC, dashes unified, spaces tidied
    (:func:`display_text`). A draft marker at the end is kept (:func:`base_title` drops it)."""
    return display_text(strip_title_marks(title))


@lru_cache(maxsize=1 << 14)  # pure, and asked for the same titles again and again
def match_title(title: str) -> str:
    """The form titles are compared in: base title without any space next to Chinese."""
    return squash_spaces(base_title(title))


@lru_cache(maxsize=1 << 14)  # pure, and asked for the same titles again and again
def base_title(title: str) -> str:
    """A title without a trailing draft marker such as （征求意见稿）; 试行 stays."""
    t = normalize_title(title)
    while True:
        stripped = STATUS_SUFFIX.sub("", t).rstrip()
        if stripped == t:
            return t
        t = stripped


def title_key(title: str, jurisdiction: str) -> str:
    """The key of an instrument named by title: ``CN/个人信息保护法``.

    The draft marker and, for Chinese instruments, the 中华人民共和国 prefix do not
    take part, so the draft, the final text and the short form are one node."""
    t = match_title(title)
    if jurisdiction == "CN" and t.startswith(PRC_PREFIX) and len(t) > len(PRC_PREFIX) + 1:
        t = t[len(PRC_PREFIX):]
    return f"{jurisdiction}/{t}"


# ---------------------------------------------------------------- standards

_STD = re.compile(
    r"""(?P<prefix>
          GB/[TZ]|GB|GA/T|GA|JR/T|YD/T|YD|GM/T|SJ/T|JT/T|WS/T|DB\d{2}/T|DB\d{2}|T/[A-Z]{2,10}
         |ISO/IEC(?:\s*(?:TS|TR|PAS))?|ISO(?:\s*(?:TS|TR|PAS))?|IEC(?:\s*(?:TS|TR))?|IEEE(?:\s*Std)?
        )
        \s*
        (?P<num>\d+(?:\.\d+)*)
        (?:\s*(?P<sep>[-:—–－])\s*(?P<year>(?:19|20)\d{2}))?
    """,
    re.VERBOSE,
)


def parse_standard_number(text: str) -> tuple[str, str | None] | None:
    """Split a standard number into (number without year, year): ``GB/T 46068—2025`` ->
    (``GB/T 46068``, ``2025``). Returns None when ``text`` holds no standard number."""
    m = _STD.search(nfkc(text))
    if not m:
        return None
    prefix = re.sub(r"\s+", " ", m.group("prefix"))
    return f"{prefix} {m.group('num')}", m.group("year")


def format_standard_number(text: str) -> str | None:
    """The canonical written form: ``GB/T 46068-2025``, ``ISO/IEC TS 6254:2025``."""
    parsed = parse_standard_number(text)
    if not parsed:
        return None
    number, year = parsed
    if not year:
        return number
    sep = ":" if number.startswith(("ISO", "IEC")) else "-"
    return f"{number}{sep}{year}"


def standard_key(text: str) -> str | None:
    """The key of a standard: ``std/GB-T-46068-2025`` (``std/GB-T-46068`` without a year)."""
    formatted = format_standard_number(text)
    if not formatted:
        return None
    return "std/" + re.sub(r"[/\s:]+", "-", formatted)


# ---------------------------------------------------------------- names

def name_key(name: str) -> str:
    """The comparable form of an authority or party name."""
    return clean_text(name).strip("“”\"'《》 ")


def authority_key(name: str, jurisdiction: str) -> str:
    """The key of an authority: ``CN/国家互联网信息办公室``."""
    return f"{jurisdiction}/{name_key(name)}"


ANONYMISED = re.compile(r"某|\*|＊|×|ｘ|XX|xx")


def is_anonymised(name: str) -> bool:
    """True for names that hide the party (某公司, 李某, 王**): such parties are scoped to an item."""
    return bool(ANONYMISED.search(name))


def party_key(name: str, doc_id: str | None = None, item_id: str | None = None) -> str:
    """The key of a party; anonymised names are scoped to the item that reports them."""
    key = name_key(name)
    if is_anonymised(key) and doc_id and item_id:
        return f"{doc_id}/{item_id}/{key}"
    return key


# ---------------------------------------------------------------- IRIs

_IRI_SAFE = "-._~()!$&'*+,;=:@"
# keys made only of characters iri_path keeps as they are (ASCII letters and digits, the safe marks,
# '_', '/', CJK ideographs): most keys, returned without a look at each character
_KEPT = re.compile(r"[A-Za-z0-9\-._~()!$&'*+,;=:@_/\u4e00-\u9fff]*")


def iri_path(key: str) -> str:
    """Percent-encode what an IRI path may not hold; keep '/', letters (any script) and digits."""
    if _KEPT.fullmatch(key):
        return key
    out = []
    for segment in key.split("/"):
        chars = []
        for ch in segment:
            if ch.isalnum() or ch in _IRI_SAFE or (ord(ch) > 0x7F and unicodedata.category(ch)[0] in "LN"):
                chars.append(ch)
            elif ch.isspace():
                chars.append("_")
            else:
                chars.append(quote(ch, safe=""))
        out.append("".join(chars))
    return "/".join(out)


def mint(kind: str, key: str) -> str:
    """The IRI (its text) of an entity of ``kind`` (authority, instrument, party ...) with ``key``."""
    return f"{ID}{kind}/{iri_path(key)}"


def iri_key(iri) -> str | None:
    """The key an IRI of the id space was minted from (:func:`mint`), for display: ``CN/个人信息保护法``
    for ``…/id/instrument/CN/个人信息保护法``, ``doc_a/A1`` for an action; percent-escapes are undone
    (a space stays ``_``). None for an IRI outside the id space."""
    text = str(iri)
    if not text.startswith(str(ID)):
        return None
    kind, _, key = text[len(ID):].partition("/")
    return unquote(key or kind)


def short_hash(*parts: str, length: int = 12) -> str:
    """A stable short hash of some strings (for statement nodes)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:length]


def instrument_key(d: dict) -> str:
    """The key of an instrument record (a mapping of its fields): explicit, else its standard number,
    else its title in its jurisdiction."""
    if d.get("key"):
        return d["key"]
    number = d.get("number")
    is_standard = (d.get("kind") or "").endswith("standard")
    if number and (is_standard or not d.get("title")):
        sk = standard_key(number)
        if sk:
            return sk
    if d.get("title"):
        return title_key(d["title"], d["jurisdiction"])
    return f"{d['jurisdiction']}/{normalize_title(number)}"


def standard_editions(keys, key: str) -> list[str]:
    """Keys of the editions (``std/GB-T-46068-2025``) of a yearless standard key, oldest first."""
    return sorted(k for k in keys if k.startswith(key + "-") and k[len(key) + 1:].isdigit())


def latest_editions(keys) -> dict[str, str]:
    """For every yearless standard key that has editions among ``keys``, its latest edition (what
    :func:`current_edition` gives, for all keys in one pass)."""
    latest: dict[str, str] = {}
    for k in keys:
        base, dash, year = k.rpartition("-")
        if dash and year.isdigit() and k.startswith("std/") and k > latest.get(base, ""):
            latest[base] = k
    return latest


def current_edition(keys, key: str) -> str | None:
    """The edition a standard cited without its year means: the latest one among ``keys`` (None when
    ``key`` is not a yearless standard key or no edition is known)."""
    if not key.startswith("std/"):
        return None
    editions = standard_editions(keys, key)
    return editions[-1] if editions else None
