"""Authorities generated from a pattern over places, with exceptions."""

import pytest

from kg.errors import FactErrors
from kg.facts.registry import load_registry

from ..conftest import MINI_AUTHORITIES, write

TEMPLATE = """
format: kg-authority-templates/1
bodies:
  - type: cac
    name: "{name}互联网信息办公室"
    aliases: ["{name}网信办"]
    name_en: "{name_en} Cyberspace Administration"
    kind: regulator
    parent: {province: CN/国家互联网信息办公室, city: "{province}/{province_name}互联网信息办公室"}
    levels: [province, city]
    sources: ["https://example.org/cac"]
  - type: police
    name: {province: "{name}公安厅", city: "{name}公安局"}
    kind: police
    sources: ["https://example.org/police"]
  - type: data
    name: "{name}数据局"
    kind: government
    only: [CN-HN]
    sources: ["https://example.org/data"]
exceptions:
  - {jurisdiction: CN-GD, type: data, name: 广东省政务服务和数据管理局, sources: ["https://example.org/gd"]}
  - {jurisdiction: CN-440100, type: police, skip: true}
places:
  - {jurisdiction: CN-HN, name: 湖南省, short: 湖南, name_en: Hunan, level: province}
  - {jurisdiction: CN-GD, name: 广东省, short: 广东, name_en: Guangdong, level: province}
  - {jurisdiction: CN-440100, name: 广州市, short: 广州, name_en: Guangzhou, level: city, province: CN-GD}
"""


def registry(tmp_path, template=TEMPLATE):
    write(tmp_path / "authorities" / "a.yaml", MINI_AUTHORITIES)
    write(tmp_path / "authorities" / "local-template.yaml", template)
    return load_registry(tmp_path)[0]


def test_bodies_are_generated_per_place_and_level(tmp_path):
    reg = registry(tmp_path)
    gz = reg.authorities["CN-440100/广州市互联网信息办公室"]
    assert gz.parent_ref.value == "CN-GD/广东省互联网信息办公室" and gz.name_en == "Guangzhou Cyberspace Administration"
    assert gz.sources == ["https://example.org/cac"] and gz.aliases == ["广州市网信办"]
    assert "CN-GD/广东省公安厅" in reg.authorities and "CN-HN/湖南省公安厅" in reg.authorities
    assert "CN-440100/广州市公安局" not in reg.authorities  # skipped: no body of its own
    assert "CN-HN/湖南省数据局" in reg.authorities  # the pattern holds only where `only` says
    assert "CN-GD/广东省数据局" not in reg.authorities
    assert reg.authorities["CN-GD/广东省政务服务和数据管理局"].sources == ["https://example.org/gd"]


def test_a_body_a_file_records_is_that_body(tmp_path):
    reg = registry(tmp_path)
    hunan = reg.authorities["CN-HN/湖南省互联网信息办公室"]  # in MINI_AUTHORITIES too
    assert hunan.record.file.endswith("a.yaml") and "湖南省网信办" in hunan.aliases
    assert hunan.sources == ["https://example.org/cac"]  # the template adds what the record lacks


@pytest.mark.parametrize("old, new, message", [
    ("level: city, province", "level: town, province", "level must be one of"),
    ("  - {jurisdiction: CN-440100, type: police, skip: true}", "  - {jurisdiction: CN-XX, type: police, skip: true}",
     "no such place or body type"),
    ("    kind: police\n", "    kind: police\n    colour: blue\n", "unknown body field 'colour'"),
    ("    kind: government\n", "    kind: ministry-of-fun\n", "unknown authority kind 'ministry-of-fun'"),
])
def test_template_errors_name_file_and_line(tmp_path, old, new, message):
    assert old in TEMPLATE
    with pytest.raises(FactErrors) as err:
        registry(tmp_path, TEMPLATE.replace(old, new))
    assert any(message in str(e) and "local-template.yaml:" in str(e) for e in err.value.errors), err.value.errors
