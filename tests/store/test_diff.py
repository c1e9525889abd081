"""``kg diff``: the facts one ingested newsletter adds, and nothing else; empty against itself;
both directions; data folders built first; changed statuses, fines and removed cases; bad paths."""

import datetime as dt
import json
import re
import shutil
from collections import defaultdict
from decimal import Decimal

import pytest
import yaml

from kg.errors import StoreError
from kg.rdf.writer import entity_iri
from kg.store.build import build
from kg.store.diff import diff
from kg.store.snapshot import snapshot
from kg.store.store import open_store

from ..conftest import SHIPPED_AS_OF


def by_change(changes) -> dict[tuple[str, str], set[str]]:
    out = defaultdict(set)
    for c in changes.changes:
        out[(c.kind, c.change)].add(c.key)
    return dict(out)


@pytest.fixture(scope="module")
def newsletter(newsletter_builds):
    """The fact file of the ingested newsletter, the diff OLD -> NEW and OLD's snapshot."""
    facts = yaml.safe_load(newsletter_builds.facts.read_text(encoding="utf-8"))
    return facts, diff(newsletter_builds.old, newsletter_builds.new), snapshot(open_store(newsletter_builds.old))


def test_diff_lists_exactly_the_facts_of_the_ingested_newsletter(newsletter):
    facts, changes, old = newsletter
    doc = facts["document"]["id"]
    found = by_change(changes)
    reported = {entity_iri("instrument", i["key"]).value for i in facts["instruments"]}
    new_instruments = reported - set(old.records["instrument"])
    assert len(new_instruments) >= 10  # the rules, the drafts, the standards … the laws it cites were known
    assert found.pop(("instrument", "added")) == new_instruments
    assert found.pop(("instrument", "changed"), set()) <= reported  # only what the newsletter reported again
    assert found.pop(("action", "added")) == {entity_iri("action", a["id"], doc).value for a in facts["actions"]}
    assert found.pop(("case", "added")) == {entity_iri("case", c["id"], doc).value for c in facts["cases"]}
    inst = {r[end]: entity_iri("instrument", r[end]).value for r in facts["relations"] for end in ("subject", "object")}
    relations = {f"{inst[r['subject']]} {r['type']} {inst[r['object']]}" for r in facts["relations"]}
    assert found.pop(("relation", "added")) == relations - set(old.records["relation"])
    assert found == {}  # nothing removed, nothing else changed


def test_fines_targets_and_authorities_are_those_of_the_fact_file(newsletter):
    facts, changes, _old = newsletter
    doc = facts["document"]["id"]
    shown = {c.key: c for c in changes.changes if c.kind == "action"}
    fined = [a for a in facts["actions"] if "penalty" in a]
    assert len(fined) == 3 and changes.summary()["fine"]["added"] == 3
    for a in facts["actions"]:
        c = shown[entity_iri("action", a["id"], doc).value]
        assert set(c.fields["targets"].split("、")) == set(a["targets"])
        assert c.authority == "、".join(sorted(k.split("/", 1)[1] for k in a["authorities"]))
        if "penalty" in a:
            assert Decimal(c.fields["fine"]) == Decimal(str(a["penalty"]["amount"]))
            assert c.fields["currency"] == a["penalty"]["currency"]
            assert c.fields["fine_as_written"] == a["penalty"]["text"]
        else:
            assert "fine" not in c.fields
    # grouped by jurisdiction and authority: the city office's two fines and its warning together
    groups = {(j, a): cs for j, a, cs in changes.groups()}
    chenzhou = groups[("CN-431000", "郴州市互联网信息办公室")]
    assert sorted(c.label for c in chenzhou) == ["罚款、责令改正 乙公司", "罚款、责令改正 甲公司", "警告 丙公司"]
    assert changes.jurisdiction_label("CN-431000") == "CN-431000 郴州市 / Chenzhou"


def test_new_instruments_carry_title_type_issuers_date_and_status(newsletter):
    _facts, changes, _old = newsletter
    rule = next(c for c in changes.changes if c.label == "示例数据流通规则")
    assert rule.change == "added" and rule.jurisdiction == "CN"
    assert rule.fields == {"type": "规范性文件", "issuers": "国家互联网信息办公室、国家数据局、工业和信息化部",
                           "date": "2025-12-09", "in_force": "2026-03-01", "status": "已发布"}
    assert rule.authority == rule.fields["issuers"]
    relation = next(c for c in changes.changes
                    if c.kind == "relation" and c.label.startswith("示例数据流通规则 implements"))
    assert relation.label == "示例数据流通规则 implements 中华人民共和国数据安全法"
    assert (relation.jurisdiction, relation.authority) == ("CN", rule.authority)  # grouped under its subject


def test_a_build_against_itself_is_empty(shipped_build):
    changes = diff(shipped_build, shipped_build)
    assert not changes and changes.changes == [] and changes.groups() == []
    assert all(n == 0 for counts in changes.summary().values() for n in counts.values())


def test_the_other_way_round_the_same_facts_are_removed(newsletter_builds, newsletter):
    _facts, forward, _old = newsletter
    backward = diff(newsletter_builds.new, newsletter_builds.old)
    assert {(c.kind, c.key) for c in backward.changes if c.change == "removed"} == \
           {(c.kind, c.key) for c in forward.changes if c.change == "added"}
    assert {c.change for c in backward.changes} <= {"removed", "changed"}


def test_a_data_folder_is_built_first_as_of_the_build_on_the_other_side(newsletter_builds, newsletter):
    _facts, expected, _old = newsletter
    changes = diff(newsletter_builds.old, newsletter_builds.data)
    assert changes.new.source == "data" and changes.new.status_as_of == SHIPPED_AS_OF.isoformat()
    assert changes.to_dict()["groups"] == expected.to_dict()["groups"]
    assert changes.note is None


def _issue_fine_and_drop_the_case(data):
    """The mini data's rule issued, its fine raised and its case removed."""
    doc = data / "documents" / "doc_a.yaml"
    text = doc.read_text(encoding="utf-8")
    text = text.replace("status: consultation", "status: issued\n    date_effective: 2025-06-01")
    text = text.replace("amount: 837500000", "amount: 900000000").replace("8.375亿韩元", "9亿韩元")
    doc.write_text(text.split("cases:")[0], encoding="utf-8")


def test_changed_status_and_fine_and_a_removed_case(mini_data, tmp_path):
    build(mini_data, tmp_path / "a", views=False, as_of=dt.date(2025, 3, 1))
    _issue_fine_and_drop_the_case(mini_data)
    build(mini_data, tmp_path / "b", views=False, as_of=dt.date(2025, 12, 31))
    changes = diff(tmp_path / "a", tmp_path / "b")
    found = {(c.kind, c.change): c for c in changes.changes}
    assert len(changes.changes) == 3
    assert set(found) == {("instrument", "changed"), ("action", "changed"), ("case", "removed")}
    rule = found[("instrument", "changed")]
    assert rule.label == "示例数据管理办法" and rule.changed == {"in_force": ("", "2025-06-01"),
                                                                 "status": ("征求意见", "施行")}
    fine = found[("action", "changed")]
    assert fine.changed["fine"] == ("837500000", "900000000") and fine.changed["fine_as_written"][1] == "9亿韩元"
    case = found[("case", "removed")]
    assert case.label == "张某诉某科技公司案" and case.fields["court"] == "某市人民法院"
    summary = changes.summary()
    assert summary["status"]["changed"] == 1 and summary["fine"]["changed"] == 1 and summary["case"]["removed"] == 1
    assert "2025-03-01" in changes.note and "2025-12-31" in changes.note  # statuses of different dates


def test_a_rebuild_reads_only_what_changed_and_records_what_a_whole_comparison_finds(mini_data, tmp_path):
    build(mini_data, tmp_path / "a", views=False, as_of=dt.date(2025, 3, 1))
    shutil.copytree(tmp_path / "a", tmp_path / "b")
    _issue_fine_and_drop_the_case(mini_data)
    again = build(mini_data, tmp_path / "b", views=False, as_of=dt.date(2025, 12, 31))
    assert again.rechecked is not None  # the rebuild compared its quads with the build it replaced
    recorded = json.loads((tmp_path / "b" / "changes.json").read_text(encoding="utf-8"))
    expected = diff(tmp_path / "a", tmp_path / "b").to_dict()
    assert recorded["groups"] == expected["groups"] and recorded["summary"] == expected["summary"]
    assert sum(recorded["summary"][k]["changed"] for k in ("instrument", "action")) == 2


def test_bad_arguments_name_the_path(tmp_path, shipped_build):
    with pytest.raises(StoreError, match=re.escape(f"{tmp_path / 'nope'} does not exist")):
        diff(tmp_path / "nope", shipped_build)
    (tmp_path / "empty").mkdir()
    neither = re.escape(f"{tmp_path / 'empty'} is neither a build folder") + ".* nor a data folder"
    with pytest.raises(StoreError, match=neither):
        diff(shipped_build, tmp_path / "empty")
    (tmp_path / "file.txt").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError, match=re.escape(f"{tmp_path / 'file.txt'} is neither")):
        diff(tmp_path / "file.txt", shipped_build)


def test_quads_of_the_derived_graph_touch_no_entity(shipped_build):
    """A fine's rank (graph/derived) shifts when a larger fine comes in: the fine's facts are the same."""
    import pyoxigraph as ox

    from kg.model.terms import DERIVED_GRAPH, KG
    from kg.store.diff import touched

    store = open_store(shipped_build)
    fine = next(store.quads_for_pattern(None, ox.NamedNode(str(KG.penalty)), None))
    action, penalty = fine.subject, fine.object
    rank = ox.Quad(action, ox.NamedNode(str(KG.fineRank)), ox.Literal("7"), ox.NamedNode(str(DERIVED_GRAPH)))
    value = next(store.quads_for_pattern(penalty, ox.NamedNode("https://schema.org/value"), None))
    assert touched([rank], (store,)) == set()
    assert action.value in touched([rank, value], (store,))  # the fine's amount is one of its facts


def test_many_subjects_are_read_as_every_entity(shipped_build, monkeypatch):
    from kg.store import snapshot as snapshots

    store = open_store(shipped_build)
    every = snapshot(store)
    some = sorted(every.records["action"])[:3]
    assert set(snapshot(store, set(some)).records["action"]) == set(some)
    monkeypatch.setattr(snapshots, "SUBJECTS_AT_MOST", 2)
    assert snapshot(store, set(some)).records == every.records


def test_the_entities_read_come_with_the_names_of_what_they_refer_to_only(shipped_build, monkeypatch):
    from kg.store import snapshot as snapshots

    store = open_store(shipped_build)
    every = snapshot(store)
    some = set(sorted(a for a, r in every.records["action"].items() if "targets" in r)[:3])
    part = snapshot(store, some)
    named = {v for r in part.records["action"].values() for vs in r.values() for v in vs} | some
    shown = {v for v in named if v in every.labels}
    assert {"authorities", "targets"} <= {k for r in part.records["action"].values() for k in r}
    assert shown and {v: part.labels[v] for v in shown} == {v: every.labels[v] for v in shown}
    entities = [{k for k in snap.labels if k not in snap.codes} for snap in (part, every)]  # not the concepts
    assert entities[0] <= entities[1] and len(entities[0]) < len(entities[1]) / 4
    assert {v: part.home[v] for v in shown if v in every.home} == {v: every.home[v] for v in shown if v in every.home}
    # the concepts' names (types, places) are always read whole: a few hundred
    assert part.codes == every.codes and part.jurisdictions == every.jurisdictions
    monkeypatch.setattr(snapshots, "SUBJECTS_AT_MOST", len(some))  # more names than that: every name
    assert snapshot(store, some).labels == every.labels
