"""The knowledge base the extractor resolves mentions against: the registry, places, known instruments."""

from kg.ingest.resolve import load_knowledge


def test_authorities_resolve_by_alias_and_place(mini_data):
    kb = load_knowledge(mini_data)
    assert kb.resolve_authority("国家网信办", "CN") == "CN/国家互联网信息办公室"
    assert kb.resolve_authority("湖南省网信办", "CN-HN") == "CN-HN/湖南省互联网信息办公室"
    assert kb.resolve_authority("PIPC", "KR") == "KR/个人信息保护委员会"
    found = [name for _s, _e, name in kb.find_authorities("国家网信办联合市场监管总局发布")]
    assert found == ["国家网信办", "市场监管总局"]


def test_places_and_known_instruments(mini_data):
    kb = load_knowledge(mini_data)
    assert kb.place_prefix("湖南省网信办")[0] == "CN-HN"
    assert kb.find_instrument("示保法", "CN") == "CN/示例保护法"
    assert kb.find_instrument(None, "CN", "GB/T 99999-2024") == "std/GB-T-99999-2024"


def test_a_foreign_body_named_with_or_without_its_country(tmp_path):
    """The authority file names some foreign bodies with their country (印度电子和信息技术部, 韩国科学
    技术信息通信部): a text naming them without it (or the other way round) finds them, not a new body."""
    from kg.facts.registry import copy_registries

    from ..conftest import REPO

    data = tmp_path / "data"
    (data / "documents").mkdir(parents=True)
    copy_registries(REPO / "data", data)
    kb = load_knowledge(data)
    assert kb.resolve_authority("电子和信息技术部", "IN") == "IN/印度电子和信息技术部"
    assert kb.resolve_authority("科学技术信息通信部", "KR") == "KR/韩国科学技术信息通信部"
    assert kb.new_authorities == {}
    # a Chinese body is never matched this way
    assert kb.resolve_authority("示例信息通信部", "CN") != "KR/韩国科学技术信息通信部"
