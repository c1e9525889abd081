"""Numbers: Arabic, Chinese and mixed numerals, articles and counts."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.ingest.extract.numerals import article_number, fold_width, parse_count, parse_int, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Arabic with Chinese units, with and without spaces
        ("83.75亿", "8375000000"),
        ("100万", "1000000"),
        ("1.2 亿", "120000000"),
        ("2670.4万", "26704000"),
        ("1000 万", "10000000"),
        ("3千万", "30000000"),
        ("1.2万", "12000"),
        ("1亿5000万", "150000000"),
        ("3万亿", "3000000000000"),
        ("1万5千", "15000"),
        # plain Arabic, thousands separators, decimals, full width
        ("3,000", "3000"),
        ("1,234,567", "1234567"),
        ("12.50", "12.5"),
        ("0.5", "0.5"),
        ("１２３", "123"),
        ("２．５万", "25000"),
        ("１，０００", "1000"),
        # Chinese numerals
        ("五万", "50000"),
        ("十万", "100000"),
        ("二十九", "29"),
        ("一千五百", "1500"),
        ("两", "2"),
        ("两千", "2000"),
        ("一百零一", "101"),
        ("一万五", "15000"),
        ("三千二", "3200"),
        ("一亿二千万", "120000000"),
        ("二〇二五", "2025"),
        ("三点五", "3.5"),
        ("零", "0"),
        ("十", "10"),
        ("百万", "1000000"),
        ("壹佰贰拾", "120"),
        # qualifiers inside a number do not change it
        ("十万余", "100000"),
        ("100多万", "1000000"),
        ("5万左右", "50000"),
        # English scale words
        ("10 million", "10000000"),
        ("1.2bn", "1200000000"),
        ("1.2 billion", "1200000000"),
        ("120m", "120000000"),
        ("5k", "5000"),
        ("5,000", "5000"),
    ],
)
def test_parse_number(text: str, expected: str) -> None:
    value = parse_number(text)
    assert value == Decimal(expected)
    assert str(value) == expected  # plain notation, no exponent


@pytest.mark.parametrize(
    "text", ["", "   ", "万", "亿", "abc", "-5", "1.2.3", "负五", "数十万", "上亿", "5元", "第三条", "二〇二五年"]
)
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize("value", [None, 12, 3.5, ["五"]])
def test_parse_number_non_text(value: object) -> None:
    assert parse_number(value) is None  # type: ignore[arg-type]


def test_parse_number_is_exact() -> None:
    # no float on the way: 83.75 * 10^8 is exact, and so is a long decimal
    assert parse_number("83.75亿") == Decimal(8375000000)
    assert parse_number("0.1万") == Decimal(1000)
    assert parse_number("1234.5678万") == Decimal("12345678")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("二十一", 21),
        ("21", 21),
        ("第三十七条", 37),
        ("第一百零一条", 101),
        ("第12条", 12),
        ("两百", 200),
        ("3.5", None),
        ("abc", None),
        ("", None),
    ],
)
def test_parse_int(text: str, expected: int | None) -> None:
    assert parse_int(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("第三十七条", 37),
        ("第一百零一条", 101),
        ("第12条", 12),
        ("第１２条", 12),
        ("依据该法第 二十 条规定", 20),
        ("违反第四十四条第二款", 44),
        ("Article 5 of the regulation", 5),
        ("第零条", None),
        ("没有条文", None),
        ("第三章", None),
    ],
)
def test_article_number(text: str, expected: int | None) -> None:
    assert article_number(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("五部门", 5),
        ("10部门", 10),
        ("82款", 82),
        ("69 款", 69),
        ("四项", 4),
        ("两家企业", 2),
        ("十二个省份", 12),
        ("共抽查了37款应用", 37),
        ("累计出售 300 余个账号", 300),
        ("1万家", 10000),
        ("二十一", 21),
        ("１５款", 15),
        ("第5条", None),
        ("百度", None),
        ("没有数字", None),
        ("", None),
    ],
)
def test_parse_count(text: str, expected: int | None) -> None:
    assert parse_count(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("２０２５年　１２月", "2025年 12月"),
        ("ＵＳＤ１０ｍ", "USD10m"),
        ("（注）", "(注)"),
        ("plain ascii", "plain ascii"),
        ("脚注⁵⁰", "脚注⁵⁰"),  # superscripts stay: they must not join a number
        ("⼀", "一"),  # a Kangxi radical from a PDF is the ideograph
    ],
)
def test_fold_width_keeps_length(text: str, expected: str) -> None:
    folded = fold_width(text)
    assert folded == expected
    assert len(folded) == len(text)
