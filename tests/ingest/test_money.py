"""Sums of money: value, currency, span, approximateness, role and per-target amounts.

All sentences are written for these tests (fictional companies and amounts)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from kg.ingest.extract.money import ROLE_KEYWORDS, MoneyMention, classify, find_amounts


def one(text: str) -> MoneyMention:
    found = find_amounts(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "value", "currency", "written", "approximate"),
    [
        # number + unit + currency word
        ("监管机构对甲平台处以1.2亿欧元罚款。", "120000000", "EUR", "1.2亿欧元", False),
        ("隐私委员会对乙公司处以83.75亿韩元的罚款。", "8375000000", "KRW", "83.75亿韩元", False),
        ("丙公司被罚款100万澳元。", "1000000", "AUD", "100万澳元", False),
        ("丁公司同意支付1000 万美元了结指控。", "10000000", "USD", "1000 万美元", False),
        ("某局对某科技公司罚款5万元。", "50000", "CNY", "5万元", False),
        ("某店铺被罚款五万元。", "50000", "CNY", "五万元", False),
        ("嫌疑人非法获利十万余元。", "100000", "CNY", "十万余元", True),
        ("戊公司被罚款2000新加坡元。", "2000", "SGD", "2000新加坡元", False),
        ("己公司被罚款300万新元。", "3000000", "SGD", "300万新元", False),
        ("庚公司被罚款45万英镑。", "450000", "GBP", "45万英镑", False),
        ("辛公司被罚款12亿日元。", "1200000000", "JPY", "12亿日元", False),
        ("某平台被罚款50万瑞士法郎。", "500000", "CHF", "50万瑞士法郎", False),
        ("某银行被罚款800万卢布。", "8000000", "RUB", "800万卢布", False),
        ("某应用被罚款2亿印度卢比。", "200000000", "INR", "2亿印度卢比", False),
        ("某网站被罚款60万新台币。", "600000", "TWD", "60万新台币", False),
        ("某机构被罚款30万港元。", "300000", "HKD", "30万港元", False),
        ("某企业被罚款15万加元。", "150000", "CAD", "15万加元", False),
        # spaces anywhere inside
        ("委员会对该企业处以 1.2 亿欧元罚款。", "120000000", "EUR", "1.2 亿欧元", False),
        ("委员会对两家企业合计处以 83.75 亿韩元罚款。", "8375000000", "KRW", "83.75 亿韩元", False),
        # currency word before the number
        ("对该公司罚款人民币 5 万元。", "50000", "CNY", "人民币 5 万元", False),
        ("对该公司罚款人民币6.95亿。", "695000000", "CNY", "人民币6.95亿", False),
        # 元人民币 keeps the currency word in the span
        ("给予警告并处罚款10万元人民币。", "100000", "CNY", "10万元人民币", False),
        # full width
        ("某平台被处以２０万元罚款。", "200000", "CNY", "２０万元", False),
        ("罚款　１２　万元。", "120000", "CNY", "１２　万元", False),
        # codes and symbols with English units
        ("The regulator imposed a fine of USD 10 million.", "10000000", "USD", "USD 10 million", False),
        ("A fine of EUR 120m was announced.", "120000000", "EUR", "EUR 120m", False),
        ("The company agreed to pay $10 million.", "10000000", "USD", "$10 million", False),
        ("A penalty of €1.2 billion followed.", "1200000000", "EUR", "€1.2 billion", False),
        ("The shop was fined £5,000.", "5000", "GBP", "£5,000", False),
        ("The watchdog fined the firm ₩8.4 billion.", "8400000000", "KRW", "₩8.4 billion", False),
        ("The fine was HK$5m.", "5000000", "HKD", "HK$5m", False),
        ("The fine was 3 million EUR.", "3000000", "EUR", "3 million EUR", False),
        ("罚款RMB 300万元。", "3000000", "CNY", "RMB 300万元", False),
        ("罚款￥5000元。", "5000", "CNY", "￥5000元", False),
        ("罚款ＵＳＤ１０ｍ。", "10000000", "USD", "ＵＳＤ１０ｍ", False),
        # approximate: qualifiers before, inside and after
        ("法院判令被告赔偿损失约 2670.4万元。", "26704000", "CNY", "2670.4万元", True),
        ("非法获利 4 万余元。", "40000", "CNY", "4 万余元", True),
        ("非法获利共计1万余元。", "10000", "CNY", "1万余元", True),
        ("涉案金额近5000万元。", "50000000", "CNY", "5000万元", True),
        ("交易额超1亿元。", "100000000", "CNY", "1亿元", True),
        ("涉案金额逾200万元。", "2000000", "CNY", "200万元", True),
        ("损失5万元左右。", "50000", "CNY", "5万元", True),
        ("获利100多万元。", "1000000", "CNY", "100多万元", True),
        ("获利300余万元。", "3000000", "CNY", "300余万元", True),
        ("获利一百余万元。", "1000000", "CNY", "一百余万元", True),
        ("处以约\n\n100万澳元的罚款。", "1000000", "AUD", "100万澳元", True),
        ("It paid about $2 million.", "2000000", "USD", "$2 million", True),
        ("Losses of over $3m were reported.", "3000000", "USD", "$3m", True),
        ("Moreover $3m was paid.", "3000000", "USD", "$3m", False),  # not "over"
        # not approximate: a cap, and 逾期 (overdue) is no number qualifier
        ("每家给予奖补不超过 50 万元。", "500000", "CNY", "50 万元", False),
        ("逾期不改正的，处一万元以下罚款。", "10000", "CNY", "一万元", False),
    ],
)
def test_amounts(text: str, value: str, currency: str, written: str, approximate: bool) -> None:
    m = one(text)
    assert m.amount.value == Decimal(value)
    assert m.amount.currency == currency
    assert m.amount.text == written
    assert text[m.start:m.end] == written
    assert m.amount.approximate is approximate


@pytest.mark.parametrize(
    "text",
    [
        "涉案金额数十万元。",
        "该团伙获利上亿元。",
        "损失达数百万美元。",
        "涉案资金几十万元。",
        "获利百余万元。",
        "该市发布元宇宙产业指南。",
        "知识图谱由三元组构成。",
        "统一元数据标准。",
        "推动多元投入机制。",
        "二元结构明显。",
        "2025年预算已经公布。",
        "",
        "元",
        "亿元",
        "$",
    ],
)
def test_no_amount(text: str) -> None:
    assert find_amounts(text) == []


def test_bare_yuan_is_cny_and_new_singapore_dollar_is_not_yuan() -> None:
    found = find_amounts("甲公司被罚款8万元，乙公司被罚款8万新加坡元。")
    assert [(m.amount.currency, m.amount.text) for m in found] == [("CNY", "8万元"), ("SGD", "8万新加坡元")]


@pytest.mark.parametrize(
    ("text", "roles"),
    [
        ("某局对甲公司罚款20万元。", ["penalty"]),
        ("乙公司因泄露数据被罚30万元。", ["penalty"]),
        ("委员会对两家企业处以总计 12.5亿韩元的罚款。", ["penalty"]),
        ("丁公司将支付 800 万美元民事罚款以与原告达成和解。", ["penalty"]),
        ("监管部门与某公司达成 600 万美元和解。", ["penalty"]),
        ("法院对被告人判处罚金3万元。", ["penalty"]),
        ("对该公司并处罚没款合计40万元。", ["penalty"]),
        ("法院判令被告赔偿经济损失及合理支出共计约 2670.4万元。", ["damages"]),
        ("一审判赔原告15万元。", ["damages"]),
        ("平台承诺若答复有误将向用户提供 5 万元赔偿。", ["damages"]),
        ("经查，涉案金额达120万元。", ["involved"]),
        ("截至案发，某某非法获利4万余元。", ["involved"]),
        ("该店铺违法所得8万元。", ["involved"]),
        ("其将账号转手牟利 3500 元。", ["involved"]),
        ("该平台流水超过900万元。", ["involved"]),
        ("基础套餐月费3000元，高级套餐6000元。", ["other", "other"]),
        ("服务收费在100元至800元不等。", ["other", "other"]),
        ("对每家企业给予奖补不超过 50 万元。", ["other"]),
        ("该市计划投资20亿元建设算力中心。", ["other"]),
        ("全市相关产业规模达5000亿元以上。", ["other"]),
        ("某企业获得补贴一百万元。", ["other"]),
        ("项目预算为300万元。", ["other"]),
        ("他花了300元。", ["other"]),
        ("对违法企业罚款50万元，没收违法所得12万元。", ["penalty", "involved"]),
        ("某公司非法获利6万元，被处以罚款20万元。", ["involved", "penalty"]),
        ("可以处一万元以上十万元以下罚款。", ["penalty", "penalty"]),
        ("The authority fined the company USD 5 million.", ["penalty"]),
        ("The court awarded damages of $3 million.", ["damages"]),
        ("The firm was fined $5 million; it later settled for $2m.", ["penalty", "penalty"]),
        ("Moreover, $5 million was defined as the price.", ["other"]),  # no "fine" inside "defined"
    ],
)
def test_roles(text: str, roles: list[str]) -> None:
    assert [m.role for m in find_amounts(text)] == roles


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "甲公司被处以9500万美元（约合人民币6.95亿）的罚款。",
            [("95000000", "USD", "9500万美元", False, "penalty"), ("695000000", "CNY", "人民币6.95亿", True, "other")],
        ),
        (
            "乙公司被罚款1.5亿欧元(约合11.7亿元人民币)。",
            [
                ("150000000", "EUR", "1.5亿欧元", False, "penalty"),
                ("1170000000", "CNY", "11.7亿元人民币", True, "other"),
            ],
        ),
        (
            "丙公司被罚款200万英镑，折合人民币1800万元。",
            [("2000000", "GBP", "200万英镑", False, "penalty"), ("18000000", "CNY", "人民币1800万元", False, "other")],
        ),
        (
            "丁公司被罚款300万美元（约2100万元）。",
            [("3000000", "USD", "300万美元", False, "penalty"), ("21000000", "CNY", "2100万元", True, "other")],
        ),
    ],
)
def test_conversion_is_other(text: str, expected: list[tuple[str, str, str, bool, str]]) -> None:
    found = find_amounts(text)
    got = [(str(m.amount.value), m.amount.currency, m.amount.text, m.amount.approximate, m.role) for m in found]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "per_target", "roles"),
    [
        ("市监局对甲公司、乙公司分别处以50万元和20万元罚款。", [True, True], ["penalty", "penalty"]),
        ("两家平台分别被罚款80万元、60万元。", [True, True], ["penalty", "penalty"]),
        ("三家企业分别被处以10万元罚款。", [True], ["penalty"]),
        (
            "对甲、乙两公司分别处以30万元和10万元罚款，并没收违法所得3万元。",
            [True, True, False],
            ["penalty", "penalty", "involved"],
        ),
        ("对丙公司罚款10万元。", [False], ["penalty"]),
    ],
)
def test_per_target(text: str, per_target: list[bool], roles: list[str]) -> None:
    found = find_amounts(text)
    assert [m.per_target for m in found] == per_target
    assert [m.role for m in found] == roles


def test_values_of_a_per_target_list() -> None:
    found = find_amounts("对甲公司、乙公司分别处以50万元和20万元罚款。")
    assert [m.amount.value for m in found] == [Decimal(500000), Decimal(200000)]


def test_spans_in_original_coordinates() -> None:
    text = "（一）某公司　被罚款　３０　万元，另一公司被罚款ＥＵＲ　５ｍ。"
    found = find_amounts(text)
    assert [m.amount.value for m in found] == [Decimal(300000), Decimal(5000000)]
    for m in found:
        assert text[m.start:m.end] == m.amount.text


def test_range_of_a_penalty() -> None:
    found = find_amounts("对单位可以处一万元以上十万元以下罚款，对个人可以处一千元以上一万元以下罚款。")
    assert [m.amount.value for m in found] == [Decimal(v) for v in (10000, 100000, 1000, 10000)]
    assert {m.role for m in found} == {"penalty"}


@pytest.mark.parametrize(
    ("text", "span", "role"),
    [
        ("罚款5万元", (2, 5), "penalty"),
        ("５万元赔偿", (0, 3), "damages"),
        ("违法所得5万元", (4, 7), "involved"),
        ("月费5万元", (2, 5), "other"),
        ("换算：罚款5万元，折合8000美元", (11, 17), "other"),
        ("5万元", (0, 3), "other"),
        ("罚款5万元", (50, 60), "other"),  # a span outside the text never raises
    ],
)
def test_classify(text: str, span: tuple[int, int], role: str) -> None:
    assert classify(text, *span) == role


def test_role_gazetteers_are_disjoint() -> None:
    seen: dict[str, str] = {}
    for role, words in ROLE_KEYWORDS.items():
        for w in words:
            assert w not in seen, f"{w} is both {seen.get(w)} and {role}"
            seen[w] = role


@pytest.mark.parametrize(
    "text",
    [
        "1" * 3000 + "元",
        "元" * 500,
        "人民币" * 100,
        "$$$€€€",
        "罚款" + "万" * 50 + "元",
        "约合（（（（",
        "\x00\ufffd元",
    ],
)
def test_odd_input_never_raises(text: str) -> None:
    for m in find_amounts(text):
        assert text[m.start:m.end] == m.amount.text


def test_keyword_lookahead_changes_no_match():
    """The role keywords' pattern, led by a lookahead of their first characters, finds exactly what
    the bare alternation finds (English words in any case included)."""
    import re

    from kg.ingest.extract import money

    bare = re.compile(money._KEYWORDS.pattern[money._KEYWORDS.pattern.index("])") + 2:], re.I)
    text = ("某公司被处以罚款50万元，并处没收违法所得；The company was FINED $2 million in a Settlement, "
            "define no fines here; Penalties and DAMAGES, compensation 赔偿金 300 元，涉案金额 1 亿元，费用 5 元。")
    found = [(m.span(), m.lastgroup) for m in money._KEYWORDS.finditer(text)]
    assert found == [(m.span(), m.lastgroup) for m in bare.finditer(text)]
    assert {g for _s, g in found} == {"penalty", "damages", "involved", "other"}
