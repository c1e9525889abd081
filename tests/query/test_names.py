"""The one resolver of names (kg.query.names) on the shipped graph: every way a name may be written,
the ranking, the error for no match (nearest names) and for several (numbered rivals with their keys)."""

from __future__ import annotations

import pytest

import kg
from kg.errors import NameLookupError, QueryError, ViewError
from kg.query.names import EQUAL, INSIDE, Entry, fold, rank, resolver

ID = "https://w3id.org/regkg/id/"
CAC = ID + "authority/CN/国家互联网信息办公室"
CAC_SECRETARIAT = ID + "authority/CN/中央网信办秘书局"
PIPC_KR = ID + "authority/KR/个人信息保护委员会"
PIPC_JP = ID + "authority/JP/个人信息保护委员会"
KR_MEDIATION = ID + "authority/KR/韩国个人信息纠纷调解委员会"
STD_46068 = ID + "instrument/std/GB-T-46068-2025"
PIPL = ID + "instrument/CN/个人信息保护法"


@pytest.fixture(scope="module")
def shipped(shipped_build):
    return kg.open(shipped_build)


@pytest.fixture(scope="module")
def names(shipped):
    return resolver(shipped.engine)


def carried_as_is(graph, name: str) -> bool:
    """Whether some node carries ``name`` as written (any property, any language)."""
    return len(graph.sparql("SELECT ?s WHERE { ?s ?p ?o FILTER(STR(?o) = ?n) }", n=name)) > 0


@pytest.mark.parametrize("name", [
    "国家互联网信息办公室",              # the Chinese label
    "国家网信办", "CAC",                 # aliases (skos:altLabel)
    "Cyberspace Administration of China",  # the English name
    "cyberspace  ADMINISTRATION of china",  # case and spaces do not matter
    "ＣＡＣ",                            # nor full-width letters
    "CN/国家互联网信息办公室",           # its key
    "CN/国家网信办",                     # an alias within a jurisdiction
    f"<{CAC}>", CAC,                     # its IRI
])
def test_every_way_of_writing_the_cyberspace_administration(names, name):
    assert names.resolve(name, "authority") == CAC


def test_an_english_name_without_its_qualifier(shipped, names):
    assert not carried_as_is(shipped, "Personal Information Dispute Mediation Committee")
    assert carried_as_is(shipped, "Personal Information Dispute Mediation Committee (Korea)")
    assert names.resolve("Personal Information Dispute Mediation Committee", "authority") == KR_MEDIATION
    assert names.resolve("Personal Information Dispute Mediation Committee (Korea)", "authority") == KR_MEDIATION


def test_the_key_form_data_readme_teaches_picks_one_of_two_namesakes(names):
    assert names.resolve("KR/个人信息保护委员会", "authority") == PIPC_KR
    assert names.resolve("JP/个人信息保护委员会", "authority") == PIPC_JP
    assert names.resolve("KR/个人信息保护委员会") == PIPC_KR  # any kind of entity
    assert names.resolve("CN/个人信息保护法", "instrument") == PIPL
    assert names.resolve("CN/中华人民共和国个人信息保护法", "instrument") == PIPL  # the key drops the prefix
    assert names.resolve("std/GB-T-46068-2025", "instrument") == STD_46068


@pytest.mark.parametrize("number", ["GB/T 46068-2025", "GB/T 46068—2025", "GB/T 46068", "ＧＢ／Ｔ 46068－2025"])
def test_standard_numbers_with_or_without_the_year(names, number):
    assert names.resolve(number, "instrument") == STD_46068


def test_a_title_two_editions_of_a_standard_share_names_the_latest(names):
    assert names.resolve("信息安全技术 个人信息安全规范", "instrument") == ID + "instrument/std/GB-T-35273-2020"
    assert names.resolve("GB/T 35273-2017", "instrument") == ID + "instrument/std/GB-T-35273-2017"


def test_official_numbers(names):
    assert names.resolve("Directive (EU) 2022/2555", "instrument") == ID + "instrument/EU/NIS2指令"
    assert names.resolve("directive (eu) 2022/2555", "instrument") == ID + "instrument/EU/NIS2指令"
    assert names.resolve("Act No. 57 of 2003", "instrument") == ID + "instrument/JP/个人信息保护法"


def test_curies_and_vocabulary_notations(names):
    assert names.resolve("kgv:jurisdiction/KR", "jurisdiction") == "https://w3id.org/regkg/vocab/jurisdiction/KR"
    assert names.resolve("KR", "jurisdiction") == "https://w3id.org/regkg/vocab/jurisdiction/KR"
    assert names.resolve("韩国", "jurisdiction") == "https://w3id.org/regkg/vocab/jurisdiction/KR"


def test_several_namesakes_are_listed_numbered_with_kind_jurisdiction_and_key(names):
    with pytest.raises(NameLookupError) as exc:
        names.resolve("个人信息保护委员会", "authority", "parameter authority")
    err = exc.value
    assert err.ambiguous and err.candidates == [PIPC_JP, PIPC_KR]
    assert err.lines() == [
        "parameter authority: '个人信息保护委员会' names 2 authority nodes; write one of their keys "
        "(such as JP/个人信息保护委员会) or IRIs instead:\n"
        "  1. 个人信息保护委员会 (Personal Information Protection Commission (Japan)) - authority: regulator, JP"
        " - key JP/个人信息保护委员会\n"
        "  2. 个人信息保护委员会 (Personal Information Protection Commission (Korea)) - authority: regulator, KR"
        " - key KR/个人信息保护委员会"]
    # one error for every caller: a query error and a view error
    assert isinstance(err, QueryError) and isinstance(err, ViewError)


def test_an_english_name_without_its_qualifier_may_name_several(names):
    with pytest.raises(NameLookupError) as exc:
        names.resolve("Data Protection Commission", "authority")
    assert exc.value.candidates == [ID + "authority/GH/加纳数据保护委员会", ID + "authority/IE/爱尔兰数据保护委员会"]
    assert "key IE/爱尔兰数据保护委员会" in str(exc.value)


def test_no_match_lists_the_nearest_names(names):
    with pytest.raises(NameLookupError) as exc:
        names.resolve("国家网信", "authority", "parameter authority")
    err = exc.value
    assert not err.ambiguous and err.candidates[0] == CAC
    assert str(err).splitlines()[:2] == [
        "parameter authority: no authority is called '国家网信'; the nearest names:",
        "  1. 国家互联网信息办公室 (Cyberspace Administration of China), as '国家网信办' - authority: regulator, CN"
        " - key CN/国家互联网信息办公室"]
    # a misspelt name: its close matches
    with pytest.raises(NameLookupError) as exc:
        names.resolve("Cyberspace Administraton of China", "authority")
    assert exc.value.candidates[0] == CAC
    with pytest.raises(NameLookupError, match="no authority name is near it"):
        names.resolve("完全不存在的机构", "authority")


def test_the_main_body_comes_before_its_sub_bodies(names):
    # 网信办 is the name of no body; the Cyberspace Administration comes before its secretariat
    # (中央网信办秘书局, whose own name holds 网信办) and the local offices under it
    assert not names.index("authority").matches("网信办")
    with pytest.raises(NameLookupError) as exc:
        names.resolve("网信办", "authority")
    assert exc.value.candidates[0] == CAC
    near = [e.iri for e in names.nearest("网信办", "authority", limit=500)]
    assert CAC_SECRETARIAT in near and near.index(CAC) < near.index(CAC_SECRETARIAT)
    assert names.index("authority").entries[CAC_SECRETARIAT].parent == CAC


def test_rank_puts_a_body_before_its_sub_body_whatever_their_names():
    entries = {"a:main": Entry("a:main", label="国家互联网信息办公室"), "a:sub": Entry("a:sub", label="某局")}
    hits = {"a:sub": (INSIDE, "网信办某局"), "a:main": (INSIDE, "中央网信办全称很长的名字")}
    assert rank(hits, {"a:sub": {"a:main"}}, entries) == ["a:main", "a:sub"]
    assert rank(hits, {}, entries) == ["a:sub", "a:main"]  # unrelated: the shorter name first
    assert rank({**hits, "a:sub": (EQUAL, "网信办某局")}, {"a:sub": {"a:main"}}, entries)[0] == "a:sub"


def test_an_entity_of_another_kind_is_not_a_match(names):
    with pytest.raises(NameLookupError, match="no authority is called '个人信息保护法'"):
        names.resolve("个人信息保护法", "authority")
    with pytest.raises(QueryError, match="unknown kind of entity 'regulator'"):
        names.resolve("国家网信办", "regulator")


def test_the_python_api_and_the_query_packs_use_the_resolver(shipped):
    assert shipped.resolve("KR/个人信息保护委员会", "authority") == PIPC_KR
    by_key = shipped.query("authorities/issued-by", authority="KR/个人信息保护委员会")
    assert len(by_key) > 0
    assert by_key.equals(shipped.query("authorities/issued-by", authority="PIPC"))
    with pytest.raises(NameLookupError, match="parameter authority: no authority is called '国家网信'"):
        shipped.query("authorities/issued-by", authority="国家网信")


def test_values_are_bound_not_pasted(shipped, names):
    triples = len(shipped.sparql("SELECT * WHERE { ?s ?p ?o }"))
    for value in ('国家网信办" } ; DROP ALL ; {', "CN/x> } ; CLEAR ALL ; SELECT * { ", "KR/个人信息保护委员会> } #"):
        with pytest.raises(NameLookupError) as exc:  # looked up as the name it is, found nowhere
            names.resolve(value, "authority")
        assert f"no authority is called {value.strip()!r}" in str(exc.value)
    assert len(shipped.sparql("SELECT * WHERE { ?s ?p ?o }")) == triples


def test_fold():
    assert fold(" Ｃｙｂｅｒ  Space—Ａｄｍｉｎ ") == fold("cyberspace-admin") == "cyberspace-admin"
    assert fold("《个人信息保护法》") == "个人信息保护法"


def test_one_resolver_per_engine_that_goes_with_it(shipped):
    import gc

    from kg.query.engines import EndpointEngine
    from kg.query.names import _RESOLVERS

    assert resolver(shipped.engine) is resolver(shipped.engine)
    engine = EndpointEngine("http://127.0.0.1:9/query")
    resolver(engine)
    assert engine in _RESOLVERS
    held = len(_RESOLVERS)
    del engine
    gc.collect()
    assert len(_RESOLVERS) == held - 1
