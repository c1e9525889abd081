"""Line markers and the statement test (kg.ingest.segment.markers)."""

import pytest

from kg.ingest.segment.markers import is_next, is_statement, parse_marker
from kg.model.ids import nfkc


@pytest.mark.parametrize(("line", "style", "ordinal", "rest"), [
    ("一、立法动态", "cn", (1,), "立法动态"),
    ("（三）执法观察", "cnp", (3,), "执法观察"),
    ("12．某局印发《某办法》", "num", (12,), "某局印发《某办法》"),
    ("07 ｜ 配套文件与标准", "pad", (7,), "配套文件与标准"),
    ("03  某委员会发布《某标准》征求意见稿", "pad", (3,), "某委员会发布《某标准》征求意见稿"),
    ("05 【执法】某市网信办处罚某平台", "pad", (5,), "【执法】某市网信办处罚某平台"),
    ("[08]  Regulator fines a retailer", "brk", (8,), "Regulator fines a retailer"),
    ("B2 | Commission adopts an implementing act", "alnum", (2, 2), "Commission adopts an implementing act"),
    ("C. UNITED KINGDOM | 英国", "letter", (3,), "UNITED KINGDOM | 英国"),
    ("PART II — EUROPEAN UNION", "part", (2,), "EUROPEAN UNION"),
    ("第三部分  展望", "part", (3,), "展望"),
    ("Part 4 ｜ 美国：州法执法", "part", (4,), "美国：州法执法"),
    ("【6月】", "date", None, "6月"),
    ("2026.03", "date", None, "2026.03"),
    ("■ 7月11日—12日（周末）", "date", None, "7月11日—12日（周末）"),
    ("◆ 3月2日｜某省出台《某条例》", "bullet:◆", None, "3月2日｜某省出台《某条例》"),
    ("● 【执法】**某局罚款某公司**：正文", "bullet:●", None, "【执法】某局罚款某公司：正文"),
    ("【要点】", "label", None, "要点"),
    ("国际要闻", "word", None, "国际要闻"),
    ("境内前沿观察二：政策立法", "word", None, "境内前沿观察二：政策立法"),
    ("（2）第二点", "nump", (2,), "第二点"),
])
def test_markers_of_many_layouts(line, style, ordinal, rest):
    m = parse_marker(line)
    assert (m.style, m.ordinal, m.rest) == (style, ordinal, nfkc(rest))  # the rest is read half-width


@pytest.mark.parametrize("line", ["2026年7月3日，某局公布某办法。", "—— ■ ■ ■ ——", "12 款App存在问题", "· · · · · ·",
                                  "Operators must keep raw data inside a supervised environment."])
def test_plain_lines_and_separators_have_no_marker(line):
    assert parse_marker(line) is None


def test_statements_and_topics():
    assert is_statement("某部门印发《某管理办法》")
    assert is_statement("某监管机构对某平台处以3.1亿欧元罚款")
    assert is_statement("Regulator fines a fertility-app developer")
    assert is_statement("某公司被罚€ 1,250,000")
    assert not is_statement("适用范围与申报门槛")
    assert not is_statement("合规建议")


def test_numbering_continues_restarts_and_moves_to_the_next_letter():
    assert is_next(None, (1,)) and is_next((3,), (4,)) and not is_next((3,), (5,))
    assert is_next((1, 5), (2, 1)) and is_next((1, 1), (1, 2)) and not is_next((1, 2), (1, 4))
