"""Per-item assembly: the place an item is about, who acted, and what each extractor is given."""

from kg.ingest.assemble import Assembler
from kg.ingest.clean import clean_lines
from kg.ingest.context import ItemContext
from kg.ingest.extract.subjects import parse_subject
from kg.ingest.resolve import load_knowledge
from kg.ingest.segment import segment

NEWSLETTER = """示例合规周刊
2026年3月

一、国内动态

1. 湖南省网信办发布《示例数据指引》
3月2日，湖南省网信办发布《示例数据指引》，自发布之日起施行。

二、境外动态

1. 韩国个人信息保护委员会处罚一家公司
韩国个人信息保护委员会对甲公司处以罚款。
"""


def test_the_place_of_each_item(mini_data):
    kb = load_knowledge(mini_data)
    seg = segment("weekly", clean_lines(NEWSLETTER.split("\n")))
    asm = Assembler(seg, kb)
    places = [asm.item_jurisdiction(item) for item in seg.items]
    assert places == ["CN-HN", "KR"]


def test_subjects_name_every_body_and_the_stated_count(mini_data):
    kb = load_knowledge(mini_data)
    keys, count = parse_subject(kb, "国家网信办、市场监管总局等三部门", "CN")
    assert keys == ["CN/国家互联网信息办公室", "CN/国家市场监督管理总局"] and count == 3
    ctx = ItemContext(kb, None)
    assert ctx.parse_subject("湖南省网信办", "CN-HN") == (["CN-HN/湖南省互联网信息办公室"], None)
