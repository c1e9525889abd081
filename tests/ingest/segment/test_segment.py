"""Clean-up of PDF artefacts and segmentation into items (fixtures written for these tests)."""

from kg.ingest.clean import clean_lines
from kg.ingest.segment import heading_key, segment


def seg_of(text: str, doc_id: str = "t"):
    return segment(doc_id, clean_lines(text.split("\n")))


# A digest in the 导读 / 正文 layout: TOC without page numbers, double-spaced broken lines,
# page footers, bare URL blocks, 来源 lines.
DIGEST = """\
示例合规周报（3月）
示例合规周报 2025年 3月

导读

一、国内动态

（一）新规速递

1. 《示例数据出境管理办法》发布

2. 某省网信办印发《示例数据分类指引》

（二）执法观察

1. 某市网信办对未落实安全义务的公司作出警告
 正文

一、国内动态

（一）新规速递

1. 《示例数据出境管理办法》发布

2025年 3月 2日，国家互联网信息办公室、国家市场监督管理总局联合公布《示

例数据出境管理办法》，自 2025年 6月 1日起施行。

来源：https://example.org/news/one

https://example.org/news/one
示例合规周报|2025-03

- 2 -

2. 某省网信办印发《示例数据分类指引》

3月5日，湖南省网信办印发《示例数据分类指引》，供企业参考。

来源：https://example.org/news/two-very-long-

path-continues

（二）执法观察

1. 某市网信办对未落实安全义务的公司作出警告

近日，郴州市网信办依据《中华人民共和国网络安全法》第二十一条、第五十九

条，对某旅游公司作出警告并责令限期改正。

来源：https://example.org/news/three
示例合规周报|2025-03

- 3 -
示例合规周报|2025-03
"""


def test_digest_items_toc_and_provenance():
    seg = seg_of(DIGEST)
    assert seg.title == "示例合规周报" and str(seg.date) == "2025-03"
    assert [i.heading for i in seg.items] == [
        "《示例数据出境管理办法》发布", "某省网信办印发《示例数据分类指引》", "某市网信办对未落实安全义务的公司作出警告"]
    first = seg.items[0]
    assert first.section == ["国内动态", "新规速递"]
    assert first.url == "https://example.org/news/one"
    # the broken line is joined; the page footer and page number are not text
    assert "《示例数据出境管理办法》" in first.text and "示例合规周报|" not in first.text
    # a URL cut at the end of a line continues on the next one
    assert seg.items[1].url == "https://example.org/news/two-very-long-path-continues"
    assert seg.items[2].section == ["国内动态", "执法观察"]
    # spans start at the heading line, in the body, not in the TOC
    assert first.first_line > 20 and first.line_at(first.text.index("施行")) == first.first_line + 4


# An insight in the 目录 (tab + page number) layout with 导读 / 关键词 blocks and sources in
# brackets, and an item whose inner numbered list must not split it.
INSIGHT = """\
监管前沿观察
EXAMPLE OBSERVATORY
(双月刊)
2026年2月第2期 (总第12期)
2026年2月10日
主办单位：示例网络法治研究中心

目 录

境内观察一：政策立法\t1
1. 工业和信息化部印发《示例车联网数据安全管理规定》\t2
2. 国家数据局发布数据标注产业指引 ...\t3
境内观察二：执法实践\t4
1. 某平台因违规收集个人信息被罚款\t4

境内观察一：政策立法

导读：本月示例性政策集中出台，关注车联网和数据标注。

关键词：车联网；数据标注

1. 工业和信息化部印发《示例车联网数据安全管理规定》

1月20日，工业和信息化部印发《示例车联网数据安全管理规定》，共二十条。《规定》提出：

1. 车企应当建立数据安全制度。

2. 重要数据应当在境内存储。（来源：某公众号）

2. 国家数据局发布数据标注产业指引

1月28日，国家数据局发布《数据标注产业发展指引》。（来源：国家数据局）

境内观察二：执法实践

1. 某平台因违规收集个人信息被罚款

1月30日，上海市网信办对某科技公司处以罚款5万元。（来源：网信上海）

示例网络法治研究中心

本中心提供合规咨询服务，欢迎联系。依据《中华人民共和国数据安全法》开展评估。
"""


def test_insight_toc_sections_nested_lists_and_back_matter():
    seg = seg_of(INSIGHT)
    assert seg.issue == "2026年2月第2期(总第12期)" and str(seg.date) == "2026-02-10"
    assert seg.publisher == "示例网络法治研究中心"
    assert len(seg.items) == 3  # TOC entries are not items; the inner "1. 2." list stays inside
    first, second, third = seg.items
    assert "重要数据应当在境内存储" in first.text
    assert first.section == ["境内观察一:政策立法"]
    assert first.source_names == ["某公众号"] and "来源" not in first.text
    assert second.heading.startswith("国家数据局发布")  # matched to the TOC entry despite the dots
    assert third.section == ["境内观察二:执法实践"]
    # the publisher's name alone on a line opens the back matter: no item, no facts from the ad
    assert "合规咨询" not in third.text
    # 导读 / 关键词 introduce the section and are no item
    assert all("本月示例性政策" not in i.text for i in seg.items)


# A bulletin with a 本期要目 of "- 01 title" entries under section labels; body headings
# are unnumbered and carry no section heading of their own.
BULLETIN = """\
数据动态
2025年4月8日 第3期 总第99期
数据动态
主 编 示例大数据研究院

本期要目

政策速览
- 01 示例省发布公共数据授权运营办法
- 02 示例市出台数据要素十条
国际视野
- 03 英国 ICO 发布儿童隐私指引

示例省发布公共数据授权运营 办法

近日，示例省人民政府办公厅印发《公共数据授权运营管理办法》。（来源：某省政府）

原文链接：https://example.org/a

示例市出台数据要素十条

示例市出台《示例市促进数据要素发展的若干措施》。

原文链接：<https://example.org/b>

英国 ICO 发布儿童隐私指引

近日，英国信息专员办公室发布《儿童隐私设计指引》。

原文链接：https://example.org/c

示例大数据研究院

本院成立于2015年，出版《数权简论》等著作。
"""


def test_bulletin_sections_come_from_the_toc():
    seg = seg_of(BULLETIN)
    assert seg.title == "数据动态" and seg.publisher == "示例大数据研究院"
    assert [i.section for i in seg.items] == [["政策速览"], ["政策速览"], ["国际视野"]]
    assert [i.url for i in seg.items] == ["https://example.org/a", "https://example.org/b", "https://example.org/c"]
    assert "数权简论" not in seg.items[-1].text  # back matter


# A report with a timeline of month headings and footnotes.
REPORT = """\
2025 年度示例治理报告

目录

一、概述\t1
附：大事记\t2
1 月\t2
1. 某国发布《示例人工智能法》\t2
2 月\t3
2. 某组织发布《示例伦理宣言》\t3

一、概述

本报告回顾全年进展。

附：大事记

1 月

1. 某国发布《示例人工智能法》

摘要：2025 年 1 月 9 日，韩国国会通过《示例人工智能法》¹，将于 2026 年

¹ Example Gazette. <https://example.org/law>.

1 月 1 日起施行。

2 月

2. 某组织发布《示例伦理宣言》

摘要：2 月 3 日，经济合作与发展组织发布《示例伦理宣言》^{2}。

² https://example.org/declaration
"""


def test_report_months_footnotes_and_paragraph_across_footnotes():
    seg = seg_of(REPORT, "r")
    assert str(seg.date) == "2025"
    law, decl = seg.items[-2:]
    assert law.section == ["附:大事记", "1月"] and decl.section == ["附:大事记", "2月"]
    assert law.url == "https://example.org/law" and decl.url == "https://example.org/declaration"
    # the sentence continues after the footnote lines
    assert "将于2026年1月1日起施行" in law.text.replace(" ", "")
    assert "¹" not in law.text and "^{2}" not in decl.text


def test_heading_key_ignores_enumerators_page_numbers_and_spaces():
    assert heading_key("1. 工业和信息化部印发《示例 规定》\t12") == heading_key("工业和信息化部印发《示例规定》")
    assert heading_key("- 01 示例省发布办法") == "示例省发布办法"
    assert heading_key("（二）执法观察") == "执法观察"
