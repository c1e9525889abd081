"""Dates: absolute, partial, relative and ranges; effective, expiry and deadline phrases.

All sentences are written for these tests (fictional bodies and dates)."""

from __future__ import annotations

import pytest

from kg.facts.values import PDate
from kg.ingest.extract.dates import (
    DateMention,
    deadline,
    effective_date,
    event_date,
    expiry_date,
    find_dates,
)

REF = PDate("2026-01-15")


def dates(text: str, reference: PDate | None = REF) -> list[tuple[str, str, bool]]:
    """(date, role, relative) of every mention, checking that spans are in the text."""
    found = find_dates(text, reference)
    for m in found:
        assert isinstance(m, DateMention)
        assert 0 <= m.start < m.end <= len(text)
    return [(str(m.date), m.role, m.relative) for m in found]


def written(text: str, reference: PDate | None = REF) -> list[str]:
    return [text[m.start:m.end] for m in find_dates(text, reference)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025年2月11日，某部门发布通知。", [("2025-02-11", "event", False)]),
        ("2025 年 12 月 30 日，甲公司召开会议。", [("2025-12-30", "event", False)]),
        ("２０２５年１２月３０日，甲公司召开会议。", [("2025-12-30", "event", False)]),
        ("2025年\n2月 8日，乙机构发布办法。", [("2025-02-08", "event", False)]),
        ("二〇二五年十二月三日，某委员会作出决定。", [("2025-12-03", "event", False)]),
        ("2025年2月，某委员会成立。", [("2025-02", "event", False)]),
        ("2023年 6月底，双方签署协议。", [("2023-06", "event", False)]),
        ("会议于2025-02-11举行。", [("2025-02-11", "event", False)]),
        ("会议于2025.02.12举行。", [("2025-02-12", "event", False)]),
        ("会议于2025/2/13举行。", [("2025-02-13", "event", False)]),
        ("今年1月3日，丙公司上线新版本。", [("2026-01-03", "event", True)]),
        ("去年11月，丁公司完成融资。", [("2025-11", "event", True)]),
    ],
)
def test_absolute_and_named_year(text: str, expected: list[tuple[str, str, bool]]) -> None:
    assert dates(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "某公司于2025年2月30日注册。",
        "某公司于2月30日注册。",
        "2025年13月1日",
        "2025-13-45",
        "《2025年度报告》发布。",
        "2025年预算已经公布。",
        "应当在15日内处理。",
        "李某被行政拘留 10 日。",
        "依法对某某作出行政拘留 7 日的处罚。",
        "监测显示连续3日超标。",
        "应当至少在实施前十五日予以公示。",
        "按照每年1月1日的口径统计。",
        "《某市2025年实施方案》发布。",
        "",
        "年月日",
        "0月0日",
    ],
)
def test_no_date(text: str) -> None:
    assert dates(text) == []


@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        # a yearless date takes the reference's year ...
        ("12 月 15 日，乙公司发布公告。", PDate("2025-12-20"), "2025-12-15"),
        ("1月10日，某局召开会议。", REF, "2026-01-10"),
        # ... but is never later than the reference
        ("12月9日，某局通报了一批应用。", REF, "2025-12-09"),
        ("1月20日，某局召开会议。", REF, "2025-01-20"),
        # a month-precision reference: the month counts, not a day
        ("2月11日，某部发布规定。", PDate("2025-02"), "2025-02-11"),
        ("3月2日，某局召开会议。", PDate("2025-02"), "2024-03-02"),
        # a year-only reference gives its year
        ("8月25日，某组织发布报告。", PDate("2025"), "2025-08-25"),
    ],
)
def test_yearless_never_later_than_reference(text: str, reference: PDate, expected: str) -> None:
    assert dates(text, reference) == [(expected, "event", True)]


@pytest.mark.parametrize(
    ("text", "reference", "expected", "spans"),
    [
        ("近日，某市网信办约谈丙公司。", REF, [("2026-01", "event", True)], ["近日"]),
        ("某部日前发布通知。", REF, [("2026-01", "event", True)], ["日前"]),
        ("近期，某省开展专项检查。", PDate("2025-02"), [("2025-02", "event", True)], ["近期"]),
        ("目前，该网站已关闭。", REF, [("2026-01", "event", True)], ["目前"]),
        ("某银行已于上月31日暂停服务。", REF, [("2025-12-31", "event", True)], ["上月31日"]),
        # no 31 February: the month is all that is known
        ("某银行已于上月31日暂停服务。", PDate("2026-03-20"), [("2026-02", "event", True)], ["上月31日"]),
        ("另一家银行于本月 4日起屏蔽该平台。", REF, [("2026-01-04", "event", True)], ["本月 4日"]),
        # a bare day: the reference month, or the month before when later than the reference
        ("某机构6日宣布新措施。", REF, [("2026-01-06", "event", True)], ["6日"]),
        ("某平台20日上线新功能。", REF, [("2025-12-20", "event", True)], ["20日"]),
        ("针对22日晚的异常情况，某平台发布说明。", REF, [("2025-12-22", "event", True)], ["22日"]),
    ],
)
def test_relative(text: str, reference: PDate, expected: list, spans: list[str]) -> None:
    assert dates(text, reference) == expected
    assert written(text, reference) == spans


def test_relative_without_reference_is_skipped() -> None:
    assert dates("12月9日，近日，6日，上月31日。2025年3月1日，某局发布通知。", None) == [
        ("2025-03-01", "event", False)
    ]


@pytest.mark.parametrize(
    ("text", "expected", "spans"),
    [
        (
            "论坛于12月29日至30日在某市举办。",
            [("2025-12-29", "event", True), ("2025-12-30", "range-end", True)],
            ["12月29日", "30日"],
        ),
        (
            "峰会于2025年2月4-7日在某地召开。",
            [("2025-02-04", "event", False), ("2025-02-07", "range-end", False)],
            ["2025年2月4", "7日"],
        ),
        (
            "研讨会于2月10-11日召开。",
            [("2025-02-10", "event", True), ("2025-02-11", "range-end", True)],
            ["2月10", "11日"],
        ),
        (
            "检测于2025年9月29日至2025年11月20日进行。",
            [("2025-09-29", "event", False), ("2025-11-20", "range-end", False)],
            ["2025年9月29日", "2025年11月20日"],
        ),
        (
            "活动于12月29日至1月2日举行。",
            [("2025-12-29", "event", True), ("2026-01-02", "range-end", True)],
            ["12月29日", "1月2日"],
        ),
    ],
)
def test_ranges(text: str, expected: list, spans: list[str]) -> None:
    reference = PDate("2025-02") if "2月" in text and "12月" not in text else REF
    assert dates(text, reference) == expected
    assert written(text, reference) == spans


def test_range_gives_event_first_day() -> None:
    assert event_date("论坛于12月29日至30日在某市举办。", REF) == PDate("2025-12-29")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《规则》自2026年4月10日起施行，有效期为5年。", "2026-04-10"),
        ("《办法》自2026年2月1日起施行，有效期至2028年12月31日。", "2026-02-01"),
        ("该标准将于2027年1月1日起正式实施。", "2027-01-01"),
        ("该标准于2026年5月1日实施。", "2026-05-01"),
        ("该办法2025年9月1日起全面实施。", "2025-09-01"),
        ("该法将于2026年1月22日起全面生效。", "2026-01-22"),
        ("该法将于2026年3月1日生效。", "2026-03-01"),
        ("某国通过《示例基本法》(2026 年生效)。", "2026"),
        ("该制度自2027年起施行。", "2027"),
        ("该制度自 2025年 1月开始实施。", "2025-01"),
        ("《办法》自 2026 年 2 月 1 日起施\n行。", "2026-02-01"),  # a line broken inside 施行
        ("《规定》自2026年3月1日起施行。", "2026-03-01"),
        ("该规定将于3月1日起施行。", "2026-03-01"),  # yearless: the nearest year
        ("该规定自12月1日起施行。", "2025-12-01"),
        ("该规定将于12月1日起施行。", "2026-12-01"),  # 将: announced for the future
        ("该法案关键条款于8月2日正式生效。", "2025-08-02"),  # no 将: the nearest year, here the past
    ],
)
def test_effective_date(text: str, expected: str) -> None:
    assert effective_date(text, REF) == PDate(expected)


@pytest.mark.parametrize(
    "text",
    [
        "12月19日，某省印发《全面实施某行动计划》。",
        "某部发布《关于深入实施某战略的意见》。",
        "《某市2025年实施方案》发布。",
        "2025年2月11日，某部门发布通知。",
        "",
    ],
)
def test_no_effective_date(text: str) -> None:
    assert effective_date(text, REF) is None


def test_effective_from_publication() -> None:
    assert effective_date("本公告自发布之日起施行。", REF, issued=PDate("2025-12-28")) == PDate("2025-12-28")
    assert effective_date("自本公告发布之日起，原公告废止。", REF, issued=PDate("2025-11-02")) == PDate("2025-11-02")
    assert effective_date("本办法自印发之日起施行。", REF, issued=PDate("2025-10")) == PDate("2025-10")
    # without an issue date, the event date of the text
    assert effective_date("12月12日，某部发布公告，自本公告发布之日起施行。", REF) == PDate("2025-12-12")
    assert effective_date("本公告自发布之日起施行。", REF) is None
    # an explicit date wins
    assert effective_date("自发布之日起施行，2026年3月1日起全面实施。", REF, issued=PDate("2025-12-01")) == PDate(
        "2026-03-01"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("《办法》自2026年2月1日起施行，有效期至2028年12月31日。", "2028-12-31"),
        ("《措施》自2025年3月29日起施行，有效期至2025年12月31日。", "2025-12-31"),
        ("试点有效期截止到2027年6月30日。", "2027-06-30"),
        ("该许可有效期至2027年。", "2027"),
        ("有效期为2026年1月1日至2028年12月31日。", "2028-12-31"),
    ],
)
def test_expiry_date(text: str, expected: str) -> None:
    assert expiry_date(text, REF) == PDate(expected)


def test_validity_range_starts_effective() -> None:
    text = "有效期为2026年1月1日至2028年12月31日。"
    assert dates(text) == [("2026-01-01", "effective", False), ("2028-12-31", "expiry", False)]
    assert effective_date(text, REF) == PDate("2026-01-01")


def test_no_expiry_without_date() -> None:
    assert expiry_date("《规则》自2026年4月10日起施行，有效期为5年。", REF) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("意见反馈截止时间为2026年2月15日。", "2026-02-15"),
        ("征求意见截止日期：2026年3月1日。", "2026-03-01"),
        ("请于2026年2月1日前反馈意见。", "2026-02-01"),
        ("请于2026年2月1日24时前将意见发送至指定邮箱。", "2026-02-01"),
        ("截至2026年1月31日前提交材料。", "2026-01-31"),
        ("相关企业应在1月5日前完成整改。", "2026-01-05"),
        ("相关企业应在12月17日前完成整改。", "2025-12-17"),
        ("征求意见时间为2025年12月1日至12月31日。", "2025-12-31"),
        ("公众可于 2026 年 2 月 28 日之前反馈意见。", "2026-02-28"),
        ("本次征求意见截止 2026年3月10日。", "2026-03-10"),
    ],
)
def test_deadline(text: str, expected: str) -> None:
    assert deadline(text, REF) == PDate(expected)


@pytest.mark.parametrize(
    "text",
    [
        "截至 12 月 12 日，已有5款应用完成整改。",  # 截至 without 前: "as of", an event
        "12月1日前往某地调研。",
        "2025年2月11日，某部门发布通知。",
        "截止到2025年12月31日，全市累计建成基站3万个。",  # "as of"
    ],
)
def test_no_deadline(text: str) -> None:
    assert deadline(text, REF) is None


@pytest.mark.parametrize(
    ("sentence", "reference", "expected"),
    [
        ("2025年2月11日，某部门发布通知，自2025年5月1日起施行。", REF, "2025-02-11"),
        ("《办法》自2026年2月1日起施行。", REF, None),
        ("12月12日，某部发布公告，自2026年3月1日起施行。", REF, "2025-12-12"),
        ("近日，某市网信办约谈某公司。", REF, "2026-01"),
        ("某部日前印发通知。", PDate("2025-03-10"), "2025-03"),
        # a news date bounds 近日 in its sentence
        ("12月13日消息，某地网安部门近日破获一起案件。", REF, "2025-12"),
        ("据新华社12月9日电，某局近日公布一批案例。", REF, "2025-12"),
        # a news date without another date is the best we know
        ("12月9日消息，某局通报第8批应用。", REF, "2025-12-09"),
        # a later explicit date in the sentence is the event
        ("12月13日消息，某公司于12月10日被约谈。", REF, "2025-12-10"),
        # deadlines and expiries are not events
        ("相关企业应在12月17日前完成整改。", REF, None),
        ("有效期至2028年12月31日。", REF, None),
        ("某公司于2025年2月30日成立。", REF, None),
        ("没有日期的句子。", REF, None),
        ("", REF, None),
    ],
)
def test_event_date(sentence: str, reference: PDate, expected: str | None) -> None:
    assert event_date(sentence, reference) == (PDate(expected) if expected else None)


def test_news_anchor_in_find_dates() -> None:
    text = "12月13日消息，某地网安部门近日破获一起案件。近日，另一地发布通报。"
    assert dates(text) == [
        ("2025-12-13", "event", True),
        ("2025-12", "event", True),  # bounded by the news date of its sentence
        ("2026-01", "event", True),  # the next sentence: the reference month
    ]


def test_spans_in_original_coordinates() -> None:
    text = "（一）２０２５年　２月　１１日，某部发布；自２０２６年１月１日起施行。"
    found = find_dates(text, REF)
    assert [str(m.date) for m in found] == ["2025-02-11", "2026-01-01"]
    assert [text[m.start:m.end] for m in found] == ["２０２５年　２月　１１日", "２０２６年１月１日"]
    assert [m.role for m in found] == ["event", "effective"]


def test_several_dates_in_order() -> None:
    text = (
        "12月12日，某部发布公告；意见反馈截止时间为2026年1月30日；"
        "《规定》自2026年3月1日起施行，有效期至2028年2月29日。"
    )
    assert dates(text) == [
        ("2025-12-12", "event", True),
        ("2026-01-30", "deadline", False),
        ("2026-03-01", "effective", False),
        ("2028-02-29", "expiry", False),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "年" * 200,
        "1月" * 300,
        "2025年" * 100 + "起施行",
        "近日" * 100,
        "上月上月本月本月31日",
        "\x00\ufffd12月99日",
        "9999年99月99日",
        "12月9日" + "，" * 1000 + "近日",
    ],
)
@pytest.mark.parametrize("reference", [REF, PDate("2025-02"), PDate("2025"), None])
def test_odd_input_never_raises(text: str, reference: PDate | None) -> None:
    for m in find_dates(text, reference):
        assert 0 <= m.start < m.end <= len(text)
    effective_date(text, reference)
    expiry_date(text, reference)
    deadline(text, reference)
    event_date(text, reference)
