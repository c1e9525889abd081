"""The facts of a store that builds are compared by: records per kind, relations without their
implied super-properties, names to show them with."""

from kg.rdf.writer import entity_iri
from kg.store.build import build
from kg.store.snapshot import snapshot
from kg.store.store import open_store

from ..conftest import QUERY_AS_OF


def test_records_relations_and_names_of_the_mini_graph(mini_data, tmp_path):
    doc = mini_data / "documents" / "doc_a.yaml"
    # an annex-of relation is also written as eli:is_part_of, the property of part-of relations
    doc.write_text(doc.read_text(encoding="utf-8").replace(
        "relations:\n", "relations:\n  - {subject: GB/T 99999, type: annex-of, object: 示保法, items: [L10]}\n"),
        encoding="utf-8")
    build(mini_data, tmp_path / "out", views=False, as_of=QUERY_AS_OF)
    snap = snapshot(open_store(tmp_path / "out"))
    rule = snap.records["instrument"][entity_iri("instrument", "CN/示例数据管理办法").value]
    assert rule["title"] == ("示例数据管理办法",) and rule["date"] == ("2025-02-10",)
    assert [snap.label(v) for v in rule["status"]] == ["征求意见"]
    assert sorted(snap.label(v) for v in rule["issuers"]) == ["国家互联网信息办公室", "国家市场监督管理总局"]
    assert [snap.code(v) for v in rule["jurisdiction"]] == ["CN"]
    relations = {(r["relation"][0], snap.label(r["subject"][0]), snap.label(r["object"][0]))
                 for r in snap.records["relation"].values()}
    assert relations == {("based-on", "示例数据管理办法", "中华人民共和国示例保护法"),
                         ("cites", "示例数据管理办法", "示例技术 标准要求"),
                         ("annex-of", "示例技术 标准要求", "中华人民共和国示例保护法")}  # no part-of beside it,
    # and the articles the action applies (eli:is_part_of their law) are no relations
    action = snap.records["action"][entity_iri("action", "A1", "doc_a").value]
    assert action["fine"] == ("837500000",) and action["currency"] == ("KRW",)
    assert sorted(snap.label(t) for t in action["targets"]) == ["某科技公司", "甲公司"]
    assert sorted(snap.label(v) for v in action["kinds"]) == sorted(["罚款", "责令改正"])
    case = snap.records["case"][entity_iri("case", "C1", "doc_a").value]
    assert case["title"] == ("张某诉某科技公司案",) and [snap.label(c) for c in case["court"]] == ["某市人民法院"]
    assert [snap.label(p) for p in case["plaintiffs"]] == ["张某"]
