"""Segmentation of layouts other than the corpus' (fixtures written for these tests, fictional news)."""

from kg.ingest.clean import clean_lines
from kg.ingest.segment import segment


def seg_of(text: str):
    return segment("t", clean_lines(text.split("\n")))


def spans(seg):
    return [(it.first_line, it.last_line) for it in seg.items]


MONTHLY = """\
示例律师事务所
数据合规月报
2026年3月号

目  录

一、立法动态 ……………………………………………… 2
    1. 某部公布《示例数据管理办法》 …………………… 2
    2. 某省通过《示例数据条例》 ………………………… 3
二、执法案例 ……………………………………………… 4
    3. 某市网信办处罚一家平台 …………………………… 4

                                                - 1 -

一、立法动态

1. 某部公布《示例数据管理办法》

3月2日，某部公布《示例数据管理办法》，自2026年6月1日起施行。
来源：某部网站

2. 某省通过《示例数据条例》

某省人大常委会表决通过《示例数据条例》。
1. 条例明确了授权运营。
2. 条例设立了监督机制。

二、执法案例

3. 某市网信办处罚一家平台

某市网信办对某平台处以罚款5万元。
"""


def test_contents_with_spaced_marker_and_leaders_governs_items_numbered_across_sections():
    seg = seg_of(MONTHLY)
    assert [e.text for e in seg.toc][:2] == ["立法动态", "某部公布《示例数据管理办法》"]
    assert [it.heading for it in seg.items] == ["某部公布《示例数据管理办法》", "某省通过《示例数据条例》",
                                                "某市网信办处罚一家平台"]
    # a numbered list inside an item stays inside it
    assert "条例设立了监督机制" in seg.items[1].text
    assert seg.items[2].section == ["执法案例"]


HEADLINES = """\
示例周报 · 标题版
2026年第10周

■ 3月2日（星期一）

01  某部、某局联合公布《示例账号管理规定》
    来源：某部网站
    https://example.org/a

02  某委员会发布《示例技术 数据标注安全要求》等2项国家标准征求意见稿
    来源：某委员会
    https://example.org/b

■ 3月3日（星期二）

03  某省通信管理局对某公司处以罚款10万元
    https://example.org/c
"""


def test_headings_only_digest_each_heading_an_item_with_its_url_under_its_day():
    seg = seg_of(HEADLINES)
    assert spans(seg) == [(6, 8), (10, 12), (16, 17)]
    assert [it.url for it in seg.items] == ["https://example.org/a", "https://example.org/b", "https://example.org/c"]
    assert seg.items[0].section == ["3月2日(星期一)"] and seg.items[2].section == ["3月3日(星期二)"]
    assert seg.items[0].source_names == ["某部网站"]


ARTICLE = """\
重磅｜示例新规落地：《示例数据出境办法》要点
原创 某作者 某公众号 2026年03月18日 08:30

📌 导语

3月16日，某办会同某局公布《示例数据出境办法》，自2026年7月1日起施行。

—— ■ ■ ■ ——

01 ｜ 出台背景

《示例数据出境办法》依据《示例网络安全法》制定。

02 ｜ 新旧衔接

▶ 盘点存量：对照附件逐项核对；
▶ 更新合同：续签时替换文本。

03 ｜ 合规建议

企业应当建立台账。
"""


def test_article_with_topic_headings_gives_its_standfirst_and_one_item_per_numbered_part():
    seg = seg_of(ARTICLE)
    assert [it.first_line for it in seg.items] == [1, 10, 14, 19]
    assert "公布《示例数据出境办法》" in seg.items[0].text
    # bullets inside a part do not open items of their own
    assert "更新合同" in seg.items[2].text


BILINGUAL = """\
EXAMPLE ALERT | 示例简报

CONTENTS | 目录
A. Mainland China | 中国内地
   A1  Ministry issues provisions | 某部公布新规
B. European Union | 欧盟
   B1  Authority fines a retailer | 某机构处罚零售商

————————————————————————

A. MAINLAND CHINA | 中国内地

A1 | Ministry promulgates the Example Data Provisions
A1 | 某部公布《示例数据规定》

On 1 March 2026 the Ministry promulgated the Provisions.
2026年3月1日，某部公布《示例数据规定》。
Source | 来源：https://example.org/cn

B. EUROPEAN UNION | 欧盟

B1 | Authority fines a retailer EUR 2 million
B1 | 某机构对零售商处以200万欧元罚款

The authority fined the retailer.
某机构对某零售商处以200万欧元罚款。
Source | 来源：https://example.org/eu
"""


def test_bilingual_list_one_item_per_number_in_both_languages_under_its_letter():
    seg = seg_of(BILINGUAL)
    assert spans(seg) == [(13, 18), (22, 27)]
    assert "某部公布《示例数据规定》" in seg.items[0].heading
    assert seg.items[0].url == "https://example.org/cn"
    assert seg.items[1].section == ["EUROPEAN UNION |欧盟"]  # section keys: spaces next to Chinese dropped


YEAR = """\
示例年度回顾

第一部分  月度时间线

【1月】

◆ 1月5日｜某部公布《示例管理办法》
某部公布《示例管理办法》，自3月1日起施行。

◆ 1月20日｜某局处罚某公司
某局对某公司处以罚款20万元。

【2月】

◆ 2月8日｜某省出台《示例条例》
某省人大常委会通过《示例条例》。

第二部分  专题观察

一、执法趋势

全年某局依据《示例管理办法》作出处罚十余起。
"""


def test_year_review_months_group_bulleted_items_and_a_section_without_items_is_one():
    seg = seg_of(YEAR)
    assert [it.first_line for it in seg.items] == [7, 10, 15, 22]
    assert seg.items[2].section == ["月度时间线", "【2月】"]
    assert seg.items[3].heading == "执法趋势"


FINES_TABLE = """\
示例执法季报

一、处罚案例一览表

| 序号 | 日期 | 监管机构 | 被处罚对象 | 违法事实 | 处罚结果 |
|------|------|----------|------------|----------|----------|
| 1 | 2026.04.08 | 某市网信办 | 某科技有限 | 未履行数据 | 警告，罚款 |
|   |            |            | 公司       | 安全义务   | 10万元     |
| 2 | 2026.04.15 | 某省通信管 | 某网络科技 | 违规收集个 | 罚款5万元  |

示例执法季报 · 第2页

| 序号 | 日期 | 监管机构 | 被处罚对象 | 违法事实 | 处罚结果 |
|------|------|----------|------------|----------|----------|
|   |            | 理局       | 有限公司   | 人信息     |            |
| 3 | 2026.05.02 | 某市公安局 | 某数据公司；时任经理张某 | 未落实等保 | 分别罚款8万元和1万元 |

二、季度统计

表1  处罚金额统计

| 季度 | 案件数 | 罚款合计（万元） |
|------|--------|------------------|
| Q1   | 12     | 356              |
| Q2   | 15     | 420              |

注：合计含没收违法所得，罚款1500万元。
"""


def test_fines_table_one_item_per_row_across_wrapped_cells_and_a_page_break():
    seg = seg_of(FINES_TABLE)
    assert spans(seg) == [(7, 8), (9, 15), (16, 16)]
    first, second, third = (it.text for it in seg.items)
    assert first.startswith("2026.04.08，某市网信办对某科技有限公司作出处罚决定，警告,罚款10万元。")
    assert "某省通信管理局对某网络科技有限公司" in second and "违法事实：违规收集个人信息" in second
    assert "对某数据公司、时任经理张某作出处罚决定" in third
    # the statistics table and its note give no item
    assert all(it.section == ["处罚案例一览表"] for it in seg.items)


TAB_TABLE = (
    "示例全球执法月报\n\n一、执法决定一览\n\n"
    "序号\t决定日期\t国家/地区\t监管机构\t被处罚对象\t罚款金额\n"
    "No.\tDate\tJurisdiction\tAuthority\tEntity\tFine\n"
    "1\t2026-04-03\t爱尔兰\tDPC\tExample Social\t1.2亿欧元\n"
    "\t\t\t\tLtd.\t\n"
    "示例全球执法月报 2026/05\t\t\t\t\t2\n"
    "序号\t决定日期\t国家/地区\t监管机构\t被处罚对象\t罚款金额\n"
    "2\t2026-04-09\t法国\tCNIL\tExample SAS\t€1,250,000\n"
)


def test_tab_table_with_bilingual_header_repeated_after_page_furniture():
    seg = seg_of(TAB_TABLE)
    assert spans(seg) == [(7, 8), (11, 11)]
    assert seg.items[0].text.startswith("2026-04-03，爱尔兰DPC对Example Social Ltd.作出处罚决定，处以罚款1.2亿欧元")
    assert "法国CNIL对Example SAS" in seg.items[1].text


def test_article_without_headings_is_one_item_and_text_without_news_none():
    seg = seg_of("某局发布《示例办法》的解读\n\n某局近日发布《示例办法》，明确了申报流程。\n\n办法自5月1日起施行。\n")
    assert spans(seg) == [(1, 5)] and seg.items[0].heading == "某局发布《示例办法》的解读"
    assert seg_of("一段没有消息的文字\n\n只是闲谈而已\n").items == []
