"""The curation layer: human corrections applied over a document's machine facts."""

import pytest

from kg.errors import FactErrors
from kg.facts.curation import apply_curation, read_curation
from kg.facts.dataset import load_dataset
from kg.facts.files import read_fact_file

from ..conftest import MINI_DOC, write


def test_apply_curation_to_the_machine_records(tmp_path):
    facts = read_fact_file(write(tmp_path / "documents" / "doc_a.yaml", MINI_DOC))
    cur = read_curation(write(tmp_path / "curation" / "doc_a.yaml", """
        format: kg-curation/1
        document: doc_a
        reject:
          - case: C1
        correct:
          - action: A1
            set: {date: 2025-02-21}
        add:
          actions:
            - {id: A2, kinds: [warning], items: [L20]}
        """))
    curated, stale = apply_curation(facts, cur)
    assert stale == []
    assert curated.records["cases"] == []
    (a1,) = [r for r in curated.records["actions"] if r.data["id"] == "A1"]
    assert str(a1.data["date"]) == "2025-02-21" and a1.data["confidence"] == 1.0
    assert a1.where("date")[0].endswith("curation/doc_a.yaml")  # an error on it names the curation file
    assert [r.data["id"] for r in curated.records["actions"]] == ["A1", "A2"]
    assert facts.records["cases"], "the machine's records are not changed"


def test_an_addition_the_machine_now_finds_replaces_it_and_is_listed(tmp_path):
    facts = read_fact_file(write(tmp_path / "documents" / "doc_a.yaml", MINI_DOC))
    cur = read_curation(write(tmp_path / "curation" / "doc_a.yaml", """
        format: kg-curation/1
        document: doc_a
        add:
          cases:
            - {id: C1, court: 某市人民法院, outcome: plaintiff-won, items: [L20]}
        """))
    curated, stale = apply_curation(facts, cur)
    (case,) = curated.records["cases"]
    assert case.data["outcome"] == "plaintiff-won" and len(stale) == 1 and "now also a machine fact" in stale[0]


def test_a_curation_without_a_machine_file_gives_the_document(tmp_path):
    cur = read_curation(write(tmp_path / "curation" / "doc_z.yaml", """
        format: kg-curation/1
        document: doc_z
        """))
    with pytest.raises(FactErrors, match="must give the full 'document' record"):
        apply_curation(None, cur)


def test_curation_rejects_corrects_and_adds(mini_data):
    write(mini_data / "curation" / "doc_a.yaml", """
        format: kg-curation/1
        document: doc_a
        reject:
          - relation: {subject: CN/示例数据管理办法, type: cites, object: GB/T 99999}
        correct:
          - instrument: 示例数据管理办法（征求意见稿）
            set: {date_issued: 2025-02-11, issuers: [国家网信办]}
          - action: A1
            set: {penalty: {amount: 8375000000, currency: KRW, text: 83.75亿韩元}}
        add:
          relations:
            - {subject: CN/示例数据管理办法, type: implements, object: 示保法, items: [L10]}
        """)
    ds = load_dataset(mini_data)
    inst = ds.instruments["CN/示例数据管理办法"]
    assert str(inst.date_issued) == "2025-02-11" and inst.issuers == ["CN/国家互联网信息办公室"]
    rel = {(r.type, r.object) for r in ds.relations}
    assert ("cites", "std/GB-T-99999-2024") not in rel and ("implements", "CN/示例保护法") in rel
    assert str(ds.actions[0].penalty.value) == "8375000000"
    assert ds.stale == []


def test_stale_curation_is_reported_not_fatal(mini_data):
    write(mini_data / "curation" / "doc_a.yaml", """
        format: kg-curation/1
        document: doc_a
        reject:
          - action: A404
        """)
    ds = load_dataset(mini_data)
    assert len(ds.stale) == 1 and "A404" in ds.stale[0]


def test_curation_errors_name_the_curation_file(mini_data):
    path = write(mini_data / "curation" / "doc_a.yaml", """
        format: kg-curation/1
        document: doc_a
        correct:
          - action: A1
            set: {date: 2025-13-01}
        """)
    with pytest.raises(FactErrors) as exc:
        load_dataset(mini_data)
    assert f"{path}:5:" in str(exc.value) and "2025-13-01" in str(exc.value)


def test_merge_redirects_an_instrument(mini_data):
    write(mini_data / "curation" / "doc_a.yaml", """
        format: kg-curation/1
        document: doc_a
        merge:
          - instrument: CN/示例数据管理办法
            into: CN/示例保护法
        reject:
          - relation: {subject: CN/示例数据管理办法, type: based-on, object: 示保法}
        """)
    ds = load_dataset(mini_data)
    assert "CN/示例数据管理办法" not in ds.instruments
    assert [s.doc_id for s in ds.instruments["CN/示例保护法"].reports] == ["doc_a"]
