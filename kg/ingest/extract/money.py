"""Sums of money in newsletter text: value, currency, span, role and approximateness.

Recognised forms (spaces may sit between the parts, full-width characters are folded):

- number + optional unit + currency word: ``83.75亿韩元``, ``1000 万美元``, ``五万元``, ``十万余元``,
  ``10万元人民币``; the currency words are the labels of the ``currency`` vocabulary, longest
  first, so ``新加坡元`` is never read as ``元``; a bare ``元`` is CNY;
- currency word + number: ``人民币6.95亿``, ``人民币 5 万元``;
- ISO codes and symbols with English or Chinese units: ``USD 10 million``, ``EUR 120m``,
  ``$10 million``, ``€1.2 billion``, ``£5,000``, ``₩8.4 billion``, ``10 million USD``.

Amounts without a number (``数十万元``, ``上亿元``) are skipped: they have no value.

The role comes from the nearest keyword of the :data:`ROLE_KEYWORDS` gazetteers in the same
sentence (before or after the amount; a clause boundary in between counts as distance). An
amount that converts another one (``（约合人民币6.95亿）``, ``折合…``) is ``other``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from ...facts.values import Amount
from ...model.ids import fold_width
from ...model.vocabularies import vocabulary
from ..lexicon import lexicon
from .numerals import CN_DIGIT_CHARS, CN_NUMERAL_CHARS, CN_UNIT_CHARS, EN_SCALES, parse_number

# ---------------------------------------------------------------- gazetteers

ROLES = ("penalty", "damages", "involved", "other")

_MONEY = lexicon("money")
#: Keywords of each role, matched in the sentence around an amount (ties: earlier role wins).
ROLE_KEYWORDS: dict[str, tuple[str, ...]] = {role: tuple(_MONEY["roles"][role]) for role in ROLES}
#: Words right before an amount that make it an equivalent of the previous one.
CONVERSION_WORDS = tuple(_MONEY["conversion"])
#: Number qualifiers right before an amount that make it approximate (不超过 is a cap, not one).
APPROX_BEFORE = tuple(_MONEY["approx_before"])
#: Qualifiers right after an amount that make it approximate.
APPROX_AFTER = tuple(_MONEY["approx_after"])
#: Qualifiers inside a number (十万余元, 100多万元).
APPROX_INSIDE = tuple(_MONEY["approx_inside"])
#: Words that say each listed target has its own amount.
PER_TARGET_WORDS = tuple(_MONEY["per_target"])
#: Currency symbols and the code each one stands for (after width folding: ￥ is ¥).
SYMBOLS: dict[str, str] = dict(_MONEY["symbols"])
#: Vocabulary codes that are not money a newsletter fines in (metals, funds, test codes).
EXCLUDED_CODES = frozenset({
    "XAU", "XAG", "XPD", "XPT", "XTS", "XXX", "XDR", "XBA", "XBB", "XBC", "XBD", "XSU", "XUA",
    "CHE", "CHW", "CLF", "COU", "MXV", "UYI", "UYW", "USN", "BOV", "USS",
})
#: Characters before a Chinese numeral that make it vague (数十万元, 几十万元); 上亿元, 上千万元
#: and 百余万元 need no entry: a Chinese numeral must start with a digit or 十 to be read.
VAGUE_BEFORE = "数几"

SENTENCE_END = "。!?！？"
CLAUSE_MARKS = ",，、"
HARD_CLAUSE_MARKS = ";；"
CLAUSE_DISTANCE = 12  # a comma between an amount and a keyword counts as this many characters
HARD_CLAUSE_DISTANCE = 30
WINDOW = 80  # characters either side of an amount that are searched for keywords

# ---------------------------------------------------------------- patterns


def _word(w: str) -> str:
    """A regex for a keyword; an English word must not be part of a longer one (fine / define)."""
    if w.isascii() and w[:1].isalpha():
        return rf"(?<![A-Za-z]){re.escape(w)}(?![A-Za-z])"
    return re.escape(w)


def _starting(words) -> str:
    """A lookahead for the first characters of ``words``, put before an alternation of them: the
    same matches, but the alternatives are tried only where one of them can start."""
    return "(?=[" + "".join(re.escape(c) for c in sorted({w[0] for w in words})) + "])"


def _alternation(words, *, bounded: bool = True) -> str:
    """Longest first; ``bounded`` keeps English words whole (off where the caller bounds them)."""
    quote = _word if bounded else re.escape
    return "|".join(quote(w) for w in sorted(set(words), key=len, reverse=True))


_ARABIC = r"\d+(?:,\d{3})*(?:\.\d+)?"
_CN_RUN = rf"[{CN_DIGIT_CHARS}十拾][{CN_NUMERAL_CHARS}]*"
_QUAL = r"(?:\s*[余多])?"
_ZH_NUM = (
    rf"(?:(?<![\d.]){_ARABIC}|(?<![{CN_NUMERAL_CHARS}{VAGUE_BEFORE}]){_CN_RUN})"
    rf"{_QUAL}(?:\s*[{CN_UNIT_CHARS}]+)?{_QUAL}"
)
_EN_SCALE = r"(?i:" + _alternation(EN_SCALES, bounded=False) + r")(?![A-Za-z])"
_SYM_NUM = rf"(?:\d{{1,3}}(?:\.\d{{3}}){{2,}}(?![\d])|{_ARABIC})(?:\s*(?:{_EN_SCALE}|[{CN_UNIT_CHARS}]+))?"
_DOT_THOUSANDS = r"\d{1,3}(?:\.\d{3}){2,}"
_NOT_A_SUM_AFTER = r"(?!\s*[年月日号%个家名条项次倍款部])"

_APPROX_BEFORE = re.compile(
    _starting(APPROX_BEFORE) + r"(?:"
    + "|".join(
        (r"(?<!不)" + _word(w)) if w.startswith("超") else _word(w)
        for w in sorted(APPROX_BEFORE, key=len, reverse=True)
    )
    + r")\s*$",
    re.I,
)
_APPROX_AFTER = re.compile(r"\s*(?:" + _alternation(APPROX_AFTER) + ")", re.I)
_CONVERSION = re.compile(r"(?:" + _alternation(CONVERSION_WORDS) + r")\s*(?:约)?\s*$")
_PAREN_CONVERSION = re.compile(r"^\s*[(（]\s*(?:约合|折合|约|合|即|相当于)?\s*$")
_KEYWORDS = re.compile(
    _starting([w for words in ROLE_KEYWORDS.values() for w in words]) + "(?:"
    + "|".join(f"(?P<{role}>{_alternation(words)})" for role, words in ROLE_KEYWORDS.items()) + ")", re.I
)
_PER_TARGET = re.compile(_alternation(PER_TARGET_WORDS))
_BOUNDARY_BEFORE = re.compile(rf"[{SENTENCE_END}]|\n\s*\n")
_CLAUSE_SPLIT = re.compile(rf"[{SENTENCE_END}{HARD_CLAUSE_MARKS}，]|(?<!\d),|,(?!\d{{3}})|\n\s*\n")


@dataclass(frozen=True)
class _Patterns:
    zh_suffix: re.Pattern
    zh_prefix: re.Pattern
    sym_prefix: re.Pattern
    code_suffix: re.Pattern
    sym_suffix: re.Pattern


@cache
def _currency_words() -> dict[str, str]:
    """Chinese currency words of the vocabulary -> code."""
    voc = vocabulary("currency")
    words: dict[str, str] = {}
    for code, concept in voc.concepts.items():
        if code in EXCLUDED_CODES:
            continue
        for label in [*concept.labels.values(), *concept.alt_labels]:
            label = fold_width(label)
            if not label.isascii() and re.fullmatch(r"[^\s()（）]+", label):
                words.setdefault(label, code)
    return words


def _codes() -> list[str]:
    voc = vocabulary("currency")
    return [c for c in voc.concepts if re.fullmatch(r"[A-Z]{3}", c) and c not in EXCLUDED_CODES]


@cache
def _patterns() -> _Patterns:
    words = _currency_words()
    suffix = _alternation(words)
    prefix = _alternation(w for w in words if w != "元")
    codes = _alternation([*_codes(), "RMB"], bounded=False)
    symbols = _alternation(SYMBOLS, bounded=False)
    return _Patterns(
        zh_suffix=re.compile(
            rf"(?P<num>{_ZH_NUM})\s*(?P<cur>{suffix})(?P<tail>\s*人民币)?"
        ),
        zh_prefix=re.compile(
            rf"(?P<cur>{prefix})\s*(?P<q>约合|约|近|超过|超|逾)?\s*(?P<num>{_ZH_NUM})"
            rf"{_NOT_A_SUM_AFTER}(?P<tail>\s*元)?"
        ),
        sym_prefix=re.compile(
            rf"(?<![A-Za-z])(?P<cur>{symbols}|{codes})\s*(?P<num>{_SYM_NUM})(?P<tail>\s*元)?"
        ),
        code_suffix=re.compile(
            rf"(?<![\dA-Za-z.,$€£¥₩])(?P<num>{_SYM_NUM}|{_DOT_THOUSANDS})\s*(?P<cur>{codes})(?![A-Za-z])"
        ),
        # 1.800.000 € / 960 000 € (the European order: symbol after the number)
        sym_suffix=re.compile(rf"(?<![\d.,])(?P<num>{_DOT_THOUSANDS}|{_ARABIC})\s*(?P<cur>€|£)(?!\s*\d)"),
    )


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class MoneyMention:
    """One sum of money found in a text."""

    amount: Amount
    start: int  # span of the amount in the input text (qualifiers such as 约 outside it)
    end: int
    role: str  # "penalty" | "damages" | "involved" | "other"
    per_target: bool  # the sentence says 分别: one amount per listed target, in order


@dataclass
class _Candidate:
    start: int
    end: int
    value: Decimal
    currency: str
    approx_inside: bool


@cache
def _currency_tokens() -> re.Pattern:
    """Any currency word, symbol or code: each pattern of :func:`_patterns` needs one, so a text
    without any holds no sum of money."""
    tokens = {*_currency_words(), *SYMBOLS, *_codes(), "RMB"}
    return re.compile("|".join(re.escape(t) for t in sorted(tokens, key=len, reverse=True)))


def _candidates(folded: str) -> list[_Candidate]:
    if not _currency_tokens().search(folded):
        return []
    pats = _patterns()
    words = _currency_words()
    out: list[_Candidate] = []

    def add(m: re.Match, currency: str | None, *, keep_tail: bool) -> None:
        num = m.group("num")
        if currency is None:
            return
        value = parse_number(num.replace(".", "") if re.fullmatch(_DOT_THOUSANDS, num) else num)
        if value is None:
            return
        end = m.end() if keep_tail or not m.groupdict().get("tail") else m.start("tail")
        approx = any(q in num for q in APPROX_INSIDE) or bool(m.groupdict().get("q"))
        out.append(_Candidate(m.start(), end, value, currency, approx))

    for m in pats.zh_suffix.finditer(folded):
        cur = m.group("cur")
        code = words.get(cur)
        # a bare 元 after a Chinese digit without a unit is a word (三元组, 一元化), not money
        bare_digits = cur == "元" and not re.search(rf"[\d{CN_UNIT_CHARS}]", m.group("num"))
        if bare_digits:
            continue
        add(m, code, keep_tail=code == "CNY")
    for m in pats.zh_prefix.finditer(folded):
        add(m, words.get(m.group("cur")), keep_tail=True)
    for m in pats.sym_prefix.finditer(folded):
        cur = m.group("cur")
        code = SYMBOLS.get(cur, cur)
        add(m, code, keep_tail=code == "CNY")
    for m in pats.code_suffix.finditer(folded):
        add(m, m.group("cur").replace("RMB", "CNY"), keep_tail=False)
    for m in pats.sym_suffix.finditer(folded):
        add(m, SYMBOLS[m.group("cur")], keep_tail=False)
    # earliest first, longest first at one start; drop candidates overlapping a chosen one
    out.sort(key=lambda c: (c.start, -(c.end - c.start)))
    chosen: list[_Candidate] = []
    for c in out:
        if chosen and c.start < chosen[-1].end:
            continue
        chosen.append(c)
    return chosen


def _sentence_bounds(folded: str, start: int, end: int) -> tuple[int, int]:
    lo = max(0, start - WINDOW)
    left = lo
    for m in _BOUNDARY_BEFORE.finditer(folded, lo, start):
        left = m.end()
    hi = min(len(folded), end + WINDOW)
    m = _BOUNDARY_BEFORE.search(folded, end, hi)
    right = m.start() if m else hi
    return left, right


def _distance(between: str) -> int:
    return (
        len(between)
        + CLAUSE_DISTANCE * sum(between.count(c) for c in CLAUSE_MARKS)
        + HARD_CLAUSE_DISTANCE * sum(between.count(c) for c in HARD_CLAUSE_MARKS)
    )


def _classify_folded(folded: str, start: int, end: int) -> str:
    if _CONVERSION.search(folded[max(0, start - 8):start]):
        return "other"
    left, right = _sentence_bounds(folded, start, end)
    best: tuple[int, int] | None = None
    best_role = "other"
    for m in _KEYWORDS.finditer(folded, left, right):
        ks, ke = m.span()
        if ke <= start:
            dist = _distance(folded[ke:start])
        elif ks >= end:
            dist = _distance(folded[end:ks])
        else:
            continue
        role = m.lastgroup or "other"
        rank = (dist, ROLES.index(role))
        if best is None or rank < best:
            best, best_role = rank, role
    return best_role


def classify(text: str, start: int, end: int) -> str:
    """The role of the amount at ``text[start:end]``: penalty, damages, involved or other."""
    if not isinstance(text, str) or not 0 <= start < end <= len(text):
        return "other"
    try:
        return _classify_folded(fold_width(text), start, end)
    except Exception:  # never fail on odd input
        return "other"


def _per_target(folded: str, start: int) -> bool:
    """分别 in the clause before the amount (a comma or stronger ends the clause; 、 and 和 do not)."""
    clause = _CLAUSE_SPLIT.split(folded[max(0, start - WINDOW):start])[-1]
    return bool(_PER_TARGET.search(clause))


def find_amounts(text: str) -> list[MoneyMention]:
    """Every sum of money in ``text`` with a numeric value, in order."""
    if not isinstance(text, str) or not text:
        return []
    return list(_amounts(text))


@lru_cache(maxsize=4096)
def _amounts(text: str) -> tuple[MoneyMention, ...]:
    """:func:`find_amounts`, cached: the extractors of an item each ask about its text."""
    try:
        folded = fold_width(text)
        mentions: list[MoneyMention] = []
        prev_end: int | None = None
        for c in _candidates(folded):
            before = folded[max(0, c.start - 16):c.start]
            approx = (
                c.approx_inside
                or bool(_APPROX_BEFORE.search(before))
                or bool(_APPROX_AFTER.match(folded, c.end))
            )
            if prev_end is not None and _PAREN_CONVERSION.match(folded[prev_end:c.start]):
                role = "other"  # 9500万美元（约合人民币6.95亿）: an equivalent of the previous amount
            else:
                role = _classify_folded(folded, c.start, c.end)
            amount = Amount(c.value, c.currency, text[c.start:c.end], approx)
            mentions.append(MoneyMention(amount, c.start, c.end, role, _per_target(folded, c.start)))
            prev_end = c.end
        return tuple(mentions)
    except Exception:  # never fail on odd input
        return ()
