"""Numbers as newsletters write them: Arabic, Chinese and mixed numerals with units.

``83.75亿`` -> 8375000000, ``五万`` -> 50000, ``一千五百`` -> 1500, ``2670.4万`` -> 26704000,
``3,000`` -> 3000, ``1.2 billion`` -> 1200000000; ``第三十七条`` -> 37; ``五部门`` -> 5.

Values are :class:`~decimal.Decimal` and computed exactly (no float on the way), so
``83.75亿`` is exactly 8375000000. Every function returns None for text that is not a
number and never raises.

:func:`fold_width` is the normalisation the extractors match on: :func:`kg.ids.nfkc` applied
character by character where it keeps the length, so spans found in the folded text are
spans of the original text.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import cn2an

from ...model.ids import fold_width
from ..lexicon import lexicon

# ---------------------------------------------------------------- gazetteers

#: Chinese digits (common, financial and the ○ often used for zero in years).
CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "幺": 1, "二": 2, "贰": 2, "两": 2,
    "三": 3, "叁": 3, "四": 4, "肆": 4, "五": 5, "伍": 5, "六": 6, "陆": 6,
    "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9,
}
#: Units inside a section of four digits.
CN_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
#: Units that close a section: 万 (10^4) and 亿 (10^8); 万亿 is 10^12.
CN_BIG_UNITS: dict[str, int] = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
#: English scale words after an Arabic number (``10 million``, ``120m``, ``1.2bn``, ``25 crore``).
EN_SCALES: dict[str, int] = {w: int(v) for w, v in lexicon("money")["scales"].items()}
#: Qualifiers that may sit inside a number and do not change its value (十万余, 100多万, 5万左右).
NUMBER_QUALIFIERS = ("左右", "上下", "余", "多")
#: Measure words a count is followed by (五部门, 82款, 四项 ...), longest first when matched.
MEASURE_WORDS = (
    "部门", "部委", "单位", "机构", "企业", "公司", "平台", "省份", "地区", "国家", "城市",
    "个", "款", "项", "家", "条", "件", "起", "名", "人", "批", "次", "部", "类", "份", "张",
    "台", "所", "省", "市", "国", "种", "篇", "期", "场", "例", "宗", "轮", "套", "位", "座",
    "章", "节", "本", "册", "组",
)

CN_DIGIT_CHARS = "".join(CN_DIGITS)
CN_UNIT_CHARS = "".join(CN_SMALL_UNITS) + "".join(CN_BIG_UNITS)
CN_NUMERAL_CHARS = CN_DIGIT_CHARS + CN_UNIT_CHARS

# ---------------------------------------------------------------- parsing

_TOKEN = re.compile(
    r"(?P<arabic>\d+(?:\.\d+)?)"
    rf"|(?P<cn>[{CN_DIGIT_CHARS}]+(?:点[{CN_DIGIT_CHARS}]+)?)"
    rf"|(?P<small>[{''.join(CN_SMALL_UNITS)}])"
    rf"|(?P<big>[{''.join(CN_BIG_UNITS)}])"
)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SPACES = re.compile(r"\s+")
_EN = re.compile(r"^(\d+(?:\.\d+)?)(" + "|".join(sorted(EN_SCALES, key=len, reverse=True)) + r")?$", re.I)
_QUALIFIER = re.compile("|".join(NUMBER_QUALIFIERS))


def _clean(value: Decimal) -> Decimal:
    """Plain notation: integers without exponent or trailing zeros."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _cn_run(run: str) -> tuple[Decimal, bool]:
    """A run of Chinese digits (二〇二五, 三点五): its value and whether it is one digit."""
    whole, _, frac = run.partition("点")
    digits = "".join(str(CN_DIGITS[c]) for c in whole)
    value = Decimal(digits + ("." + "".join(str(CN_DIGITS[c]) for c in frac) if frac else ""))
    return value, len(whole) == 1 and not frac


def _parse_compact(s: str) -> Decimal | None:
    """Evaluate a string of numerals and units without spaces or separators."""
    tokens = []
    pos = 0
    for m in _TOKEN.finditer(s):
        if m.start() != pos:
            return None
        pos = m.end()
        tokens.append((m.lastgroup, m.group()))
    if pos != len(s) or not tokens:
        return None
    total = Decimal(0)  # finished 亿 sections
    section = Decimal(0)  # the current section (below 亿)
    cur: Decimal | None = None  # a number not yet multiplied by a unit
    cur_single = False  # cur is one Chinese or Arabic digit
    last_unit: int | None = None  # the unit just before cur
    seen_number = False
    for kind, tok in tokens:
        if kind in ("arabic", "cn"):
            if cur is not None:
                return None
            if kind == "arabic":
                cur, cur_single = Decimal(tok), len(tok) == 1
            else:
                cur, cur_single = _cn_run(tok)
            seen_number = True
        elif kind == "small":
            unit = CN_SMALL_UNITS[tok]
            section += (cur if cur is not None else Decimal(1)) * unit
            seen_number = True
            cur, last_unit = None, unit
        else:
            unit = CN_BIG_UNITS[tok]
            if not seen_number:
                return None
            if unit == 10**4:
                section = (section + (cur or 0)) * unit
            else:
                total = (total + section + (cur or 0)) * unit
                section = Decimal(0)
            cur, last_unit = None, unit
    if cur is not None:
        # colloquial 一万五 = 15000, 三千二 = 3200: a last single digit right after a unit of 100+
        if cur_single and len(tokens) > 1 and tokens[-2][0] in ("small", "big") and (last_unit or 0) >= 100:
            cur *= Decimal(last_unit) / 10
        section += cur
    return total + section


def parse_number(text: str) -> Decimal | None:
    """The value of a number written in Arabic or Chinese numerals, with units.

    ``83.75亿`` -> 8375000000, ``1000 万`` -> 10000000, ``五万`` -> 50000, ``二十九`` -> 29,
    ``3,000`` -> 3000, ``两千`` -> 2000, ``１２`` -> 12, ``10 million`` -> 10000000. Qualifiers
    (十万余, 100多万, 5万左右) are ignored. None when ``text`` is not a number.
    """
    return _parse_number(text) if isinstance(text, str) else None


@lru_cache(maxsize=1 << 14)
def _parse_number(text: str) -> Decimal | None:
    s = _SPACES.sub("", fold_width(text))
    s = _THOUSANDS.sub("", s)
    s = _QUALIFIER.sub("", s)
    if not s:
        return None
    try:
        m = _EN.match(s)
        if m:
            value = Decimal(m.group(1))
            if m.group(2):
                value *= EN_SCALES[m.group(2).lower()]
            return _clean(value)
        value = _parse_compact(s)
        if value is None and all(c in CN_NUMERAL_CHARS for c in s):
            # forms the tokenizer does not know: let cn2an have a go
            raw = cn2an.cn2an(s, "normal")
            value = Decimal(str(raw)) if raw >= 0 else None
        return None if value is None else _clean(value)
    except (InvalidOperation, ValueError, KeyError, TypeError, ArithmeticError):
        return None


def parse_int(text: str) -> int | None:
    """A whole number (``二十一`` -> 21, ``12`` -> 12, ``第三十七条`` -> 37), else None."""
    return _parse_int(text) if isinstance(text, str) else None


@lru_cache(maxsize=1 << 14)
def _parse_int(text: str) -> int | None:
    article = article_number(text)
    if article is not None:
        return article
    value = parse_number(text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


NUMERAL = rf"(?:\d+|[{CN_NUMERAL_CHARS}]+)"
_ARTICLE = re.compile(rf"第\s*({NUMERAL})\s*条|\bArt(?:icle|\.)?\s*(\d+)\b", re.I)


def article_number(text: str) -> int | None:
    """The number of the first article named in ``text``: ``第一百零一条`` -> 101, ``第12条`` -> 12."""
    if not isinstance(text, str):
        return None
    m = _ARTICLE.search(fold_width(text))
    if not m:
        return None
    value = parse_number(m.group(1) or m.group(2))
    if value is None or value != value.to_integral_value() or value <= 0:
        return None
    return int(value)


_COUNT = re.compile(
    rf"(?<![第\d.{CN_NUMERAL_CHARS}])"
    rf"(\d+(?:,\d{{3}})*(?:\.\d+)?[{CN_UNIT_CHARS}]*|[{CN_DIGIT_CHARS}十][{CN_NUMERAL_CHARS}]*)"
    r"\s*(?:余|多)?\s*(?:个)?\s*"
    r"(?:" + "|".join(sorted(set(MEASURE_WORDS), key=len, reverse=True)) + ")"
)


def parse_count(text: str) -> int | None:
    """The number before the first measure word: ``五部门`` -> 5, ``69 款`` -> 69, ``四项`` -> 4.

    A text that is only a number is a count too (``二十一`` -> 21)."""
    if not isinstance(text, str):
        return None
    folded = fold_width(text)
    for m in _COUNT.finditer(folded):
        value = parse_int(m.group(1))
        if value is not None:
            return value
    value = parse_number(folded)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)
