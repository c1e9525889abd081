"""The authority registry: keys, qualified and bare names, aliases, parents."""

import pytest

from kg.errors import FactErrors, ResolveError
from kg.facts.registry import load_registry, split_qualified

from ..conftest import MINI_AUTHORITIES, write


@pytest.fixture
def registry(tmp_path):
    write(tmp_path / "authorities.yaml", MINI_AUTHORITIES)
    reg, _known = load_registry(tmp_path)
    return reg


def test_a_reference_resolves_by_key_qualified_name_or_unique_alias(registry):
    assert registry.resolve_authority("CN/国家互联网信息办公室") == "CN/国家互联网信息办公室"
    assert registry.resolve_authority("CN/国家网信办") == "CN/国家互联网信息办公室"
    assert registry.resolve_authority("国家网信办") == "CN/国家互联网信息办公室"
    assert registry.resolve_authority("Cyberspace Administration of China") == "CN/国家互联网信息办公室"
    assert registry.resolve_authority("KR/个人信息保护委员会") == "KR/个人信息保护委员会"
    assert registry.resolve_authority("PPC") == "JP/个人信息保护委员会"


def test_a_shared_short_name_is_ambiguous_unless_a_jurisdiction_narrows_it(registry):
    with pytest.raises(ResolveError) as err:
        registry.resolve_authority("个人信息保护委员会")
    assert err.value.ambiguous is False or "ambiguous" in str(err.value)
    assert "KR/个人信息保护委员会" in str(err.value) and "JP/个人信息保护委员会" in str(err.value)
    assert registry.resolve_authority("个人信息保护委员会", "KR") == "KR/个人信息保护委员会"


def test_an_unknown_name_says_where_to_add_it(registry):
    with pytest.raises(ResolveError, match="unknown authority '不存在的局'"):
        registry.resolve_authority("不存在的局")


def test_parents_are_linked_and_ancestors_listed(registry):
    errors = []
    registry.link_parents(errors)
    assert errors == []
    assert registry.ancestors("CN-HN/湖南省互联网信息办公室") == ["CN/国家互联网信息办公室"]


def test_an_alias_shared_in_one_jurisdiction_is_refused(tmp_path):
    write(tmp_path / "authorities.yaml", MINI_AUTHORITIES.replace("aliases: [市场监管总局]", "aliases: [国家网信办]"))
    with pytest.raises(FactErrors) as err:
        load_registry(tmp_path)
    assert "'国家网信办'" in str(err.value) and "already used by 'CN/国家互联网信息办公室'" in str(err.value)


def test_qualified_names_split_only_on_a_jurisdiction():
    assert split_qualified("CN-HN/湖南省网信办") == ("CN-HN", "湖南省网信办")
    assert split_qualified("T/TAF 077") == (None, "T/TAF 077")  # a group standard, not a place


def test_authority_files_in_a_folder_and_each_body_once(tmp_path):
    write(tmp_path / "authorities" / "a.yaml", MINI_AUTHORITIES)
    write(tmp_path / "authorities" / "b.yaml", """
        format: kg-authorities/1
        authorities:
          - {name: 国家数据局, name_en: National Data Administration, kind: regulator, jurisdiction: CN}
        """)
    reg, _known = load_registry(tmp_path)
    assert "CN/国家数据局" in reg.authorities and "CN/国家互联网信息办公室" in reg.authorities
    write(tmp_path / "authorities" / "c.yaml", """
        format: kg-authorities/1
        authorities:
          - {name: 国家数据局, kind: regulator, jurisdiction: CN}
        """)
    with pytest.raises(FactErrors) as err:
        load_registry(tmp_path)
    assert "c.yaml:3: duplicate authority 'CN/国家数据局' (first at " in str(err.value) and "b.yaml:3" in str(err.value)


def test_a_missing_registry_is_named(tmp_path):
    with pytest.raises(FactErrors, match="the authority registry is missing"):
        load_registry(tmp_path)


@pytest.mark.parametrize("field, value, message", [
    ("celex", "2016/679", "does not have the shape of an EU act's CELEX number"),
    ("eli", "https://eur-lex.europa.eu/eli/reg/2016/679", "does not have the shape of an EU act's ELI URI"),
    ("legislation_gov_uk", "https://www.legislation.gov.uk/ukpga/2018/12/contents", "legislation.gov.uk URI"),
    ("sources", "[see the page]", "a source is a page URL (http...) or a document id"),
])
def test_identifiers_of_the_wrong_shape_are_refused(tmp_path, field, value, message):
    write(tmp_path / "authorities.yaml", MINI_AUTHORITIES)
    write(tmp_path / "instruments.yaml", f"""
        format: kg-instruments/1
        instruments:
          - title: 示例条例
            jurisdiction: EU
            {field}: "{value}"
        """)
    with pytest.raises(FactErrors) as err:
        load_registry(tmp_path)
    assert "instruments.yaml:5:" in str(err.value) and message in str(err.value)
