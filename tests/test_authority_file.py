"""The shipped authority file: every entry says where it was checked; it covers the field."""

import collections

import pytest

from kg.facts.dataset import load_dataset
from kg.facts.registry import load_registry
from kg.store.build import reference_counts

from .conftest import REPO


@pytest.fixture(scope="module")
def registry():
    return load_registry(REPO / "data")


def test_every_entry_says_where_it_was_checked(registry):
    reg, known = registry
    unsourced = [a.key for a in reg.authorities.values() if not a.sources]
    unsourced += [r.data.get("title") or r.data.get("number") for r in known if not r.data.get("sources")]
    assert unsourced == []


def test_the_authority_file_covers_the_field():
    counts = reference_counts(load_dataset(REPO / "data"))
    assert counts["authorities_with_both"] >= 500 and counts["instruments_with_both"] >= 150
    reg, _known = load_registry(REPO / "data")
    by = collections.Counter(a.jurisdiction.split("-")[0] for a in reg.authorities.values())
    assert by["CN"] >= 500 and by["EU"] >= 10 and by["US"] >= 10 and by["INT"] >= 20
    for key in ("CN/国家互联网信息办公室", "CN/全国人民代表大会常务委员会", "CN/国务院国有资产监督管理委员会",
                "CN/全国网络安全标准化技术委员会", "CN-GD/广东省互联网信息办公室", "CN-GD/广东省通信管理局",
                "EU/欧洲数据保护委员会", "GB/英国信息专员办公室", "KR/个人信息保护委员会", "INT/联合国"):
        assert key in reg.authorities, key


def test_short_forms_and_english_names_resolve(registry):
    reg, _known = registry
    for name, key in (("工信部", "CN/工业和信息化部"), ("市场监管总局", "CN/国家市场监督管理总局"),
                      ("国资委", "CN/国务院国有资产监督管理委员会"),
                      ("国务院国资委", "CN/国务院国有资产监督管理委员会"),
                      ("TC260", "CN/全国网络安全标准化技术委员会"), ("广东省网信办", "CN-GD/广东省互联网信息办公室"),
                      ("European Data Protection Board", "EU/欧洲数据保护委员会"), ("EDPB", "EU/欧洲数据保护委员会")):
        assert reg.resolve_authority(name) == key, name


def test_eu_acts_carry_their_official_identifiers(registry):
    _reg, known = registry
    gdpr = next(r.data for r in known if r.data.get("celex") == "32016R0679")
    assert gdpr["eli"] == "http://data.europa.eu/eli/reg/2016/679/oj" and gdpr["jurisdiction"] == "EU"
