"""``kg build``: SHACL, atomic output, idempotence, export, and the shipped slice."""

import hashlib
import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.errors import FactErrors
from kg.store.build import BuildError, build
from kg.store.store import export, open_store, read_manifest

from ..conftest import MINI_DOC, SHIPPED_AS_OF, edit_one_document, write


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_mini_build_counts_and_zero_violations(mini_data, tmp_path):
    result = build(mini_data, tmp_path / "out")
    assert [f for f in result.findings if f.severity == "Violation"] == []
    assert result.class_counts["EnforcementAction"] == 1 and result.class_counts["CourtCase"] == 1
    assert result.document_counts["doc_a"]["fines"] == 1
    manifest = read_manifest(tmp_path / "out")
    assert manifest["triples"] == result.triples and manifest["shacl"]["violations"] == 0
    store = open_store(tmp_path / "out")
    q = """PREFIX schema: <https://schema.org/> PREFIX kg: <https://w3id.org/regkg/ontology#>
           SELECT ?v ?c ?t WHERE { ?a kg:penalty ?m . ?m schema:value ?v ; schema:currency ?c ;
           kg:amountAsWritten ?t }"""
    rows = [[x.value for x in r] for r in store.query(q, use_default_graph_as_union=True)]
    assert rows == [["837500000", "KRW", "8.375亿韩元"]]


def test_the_classes_counted_are_the_distinct_subjects_of_each_own_class(mini_data, tmp_path):
    from kg.model.terms import KG
    from kg.store.build import OWN_CLASSES

    result = build(mini_data, tmp_path / "out")
    store = open_store(tmp_path / "out")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    expected = {c: len({q.subject for q in store.quads_for_pattern(None, rdf_type, ox.NamedNode(str(KG[c])))})
                for c in OWN_CLASSES}
    assert result.class_counts == expected and read_manifest(tmp_path / "out")["classes"] == expected
    assert expected["SourceDocument"] == 1 and expected["EnforcementAction"] == 1 and expected["Party"] > 0


def test_a_rebuild_whose_change_types_nothing_keeps_the_counts_and_counts_again_otherwise(mini_data, tmp_path,
                                                                                          monkeypatch):
    import kg.store.build as build_module

    out = tmp_path / "out"
    first = build(mini_data, out).class_counts
    doc = mini_data / "documents" / "doc_a.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("issue: 第1期", "issue: 第2期"), encoding="utf-8")

    def not_counted(store):
        raise AssertionError("counted again")

    with monkeypatch.context() as m:  # the issue number: no rdf:type among the changed quads
        m.setattr(build_module, "count_classes", not_counted)
        assert build(mini_data, out).class_counts == first == read_manifest(out)["classes"]
    manifest = read_manifest(out)  # a manifest that does not describe the dumps is not read
    (out / "build.json").write_text(json.dumps({**manifest, "quads": manifest["quads"] + 1,
                                                "classes": {c: 0 for c in first}}), encoding="utf-8")
    doc.write_text(doc.read_text(encoding="utf-8").replace("issue: 第2期", "issue: 第3期"), encoding="utf-8")
    assert build(mini_data, out).class_counts == first
    doc.write_text(doc.read_text(encoding="utf-8").replace("  - number: GB/T 99999\n", "  - number: GB/T 99998\n"
                                                           "    kind: national-standard\n    jurisdiction: CN\n"
                                                           "    items: [L10]\n  - number: GB/T 99999\n"),
                   encoding="utf-8")
    again = build(mini_data, out).class_counts  # a new standard: an instrument more, counted
    assert again == {**first, "Instrument": first["Instrument"] + 1}


def test_build_is_idempotent(mini_data, tmp_path):
    build(mini_data, tmp_path / "one")
    build(mini_data, tmp_path / "two")
    for name in ("graph.nq", "graph.ttl"):
        assert digest(tmp_path / "one" / name) == digest(tmp_path / "two" / name)
    build(mini_data, tmp_path / "one")  # rebuilding in place gives the same again
    assert digest(tmp_path / "one" / "graph.nq") == digest(tmp_path / "two" / "graph.nq")


def test_failed_build_leaves_previous_output_untouched(mini_data, tmp_path):
    out = tmp_path / "out"
    build(mini_data, out)
    before = {p.name: digest(out / p.name) for p in out.iterdir() if p.is_file()}
    doc = mini_data / "documents" / "doc_a.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("2025-02-20", "2025-02-30"), encoding="utf-8")
    with pytest.raises(FactErrors):
        build(mini_data, out)
    assert {p.name: digest(out / p.name) for p in out.iterdir() if p.is_file()} == before
    assert not list(tmp_path.glob("out.tmp-*")) and not list(tmp_path.glob("out.old-*"))
    open_store(out)  # still readable


def test_shacl_violation_fails_the_build_and_writes_nothing(mini_data, tmp_path):
    # valid YAML and valid references, but an instrument based on itself breaks a shape
    doc = mini_data / "documents" / "doc_a.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("object: 示保法", "object: CN/示例数据管理办法"),
                   encoding="utf-8")
    with pytest.raises(BuildError) as exc:
        build(mini_data, tmp_path / "out")
    assert any("based on itself" in f.message for f in exc.value.findings)
    assert not (tmp_path / "out").exists() and not list(tmp_path.glob("out.tmp-*"))


@pytest.mark.parametrize("step", ["write_store", "write_turtle"])
def test_a_step_failing_in_its_thread_fails_the_build_and_leaves_the_previous_one(mini_data, tmp_path, monkeypatch,
                                                                                step):
    # the store's load and the Turtle run in a thread beside the views and SHACL: their failure is
    # the build's, and the new folder is removed only once the thread has ended
    import kg.store.build as kb

    out = tmp_path / "out"
    build(mini_data, out)
    before = {p.name: digest(out / p.name) for p in out.iterdir() if p.is_file()}
    ran = []

    def fails(*args, **kwargs):
        ran.append(step)
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kb, step, fails)
    with pytest.raises(OSError, match="No space left"):
        build(mini_data, out)
    assert ran == [step]
    assert {p.name: digest(out / p.name) for p in out.iterdir() if p.is_file()} == before
    assert not list(tmp_path.glob("out.tmp-*")) and not list(tmp_path.glob("out.old-*"))
    open_store(out)


def test_a_rebuild_whose_views_fail_aside_fails_and_leaves_the_previous_build(mini_data, tmp_path, monkeypatch):
    # a rebuild draws the views in a forked process (kg.store.aside): its failure is the build's
    import kg.store.build as kb

    out = tmp_path / "out"
    build(mini_data, out)
    before = {p.name: digest(out / p.name) for p in out.iterdir() if p.is_file()}

    def fails(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(kb, "_write_views", fails)
    with pytest.raises(OSError, match="No space left"):
        build(mini_data, out)
    assert {p.name: digest(out / p.name) for p in out.iterdir() if p.is_file()} == before
    assert not list(tmp_path.glob("out.tmp-*")) and not list(tmp_path.glob("out.old-*"))


def test_a_rebuild_that_breaks_a_shape_stops_its_views_and_writes_nothing(mini_data, tmp_path):
    out = tmp_path / "out"
    build(mini_data, out)
    before = {p.name: digest(out / p.name) for p in out.iterdir() if p.is_file()}
    views = sorted(p.name for p in (out / "views").iterdir())
    doc = mini_data / "documents" / "doc_a.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("object: 示保法", "object: CN/示例数据管理办法"),
                   encoding="utf-8")
    with pytest.raises(BuildError):
        build(mini_data, out)
    assert {p.name: digest(out / p.name) for p in out.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in (out / "views").iterdir()) == views
    assert not list(tmp_path.glob("out.tmp-*")) and not list(tmp_path.glob("out.old-*"))


def test_export_formats_parse(mini_data, tmp_path):
    build(mini_data, tmp_path / "out")
    for fmt, rdf_format in (("turtle", ox.RdfFormat.TURTLE), ("ntriples", ox.RdfFormat.N_TRIPLES),
                            ("nquads", ox.RdfFormat.N_QUADS), ("trig", ox.RdfFormat.TRIG),
                            ("jsonld", ox.RdfFormat.JSON_LD)):
        data = export(tmp_path / "out", fmt)
        quads = list(ox.parse(data, format=rdf_format))
        assert len(quads) > 1000, fmt  # facts and the ontology
    nq = export(tmp_path / "out", "nquads").decode()
    assert "<https://w3id.org/regkg/graph/doc/doc_a>" in nq and "<https://w3id.org/regkg/graph/ontology>" in nq


def test_shipped_graph_answers_the_gbt46068_question_with_standard_terms(tmp_path):
    """The acceptance query of the foundation issue, on `kg export -f ntriples`."""
    build(None, tmp_path / "out")
    store = ox.Store()
    store.bulk_load(export(tmp_path / "out", "ntriples"), format=ox.RdfFormat.N_TRIPLES)
    q = """
    PREFIX eli: <http://data.europa.eu/eli/ontology#>
    PREFIX prov: <http://www.w3.org/ns/prov#>
    PREFIX dcterms: <http://purl.org/dc/terms/>
    PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
    SELECT ?title ?ann ?rules ?order ?p ?doc ?item WHERE {
      ?std eli:id_local "GB/T 46068-2025" ; eli:is_realized_by/eli:title ?title .
      ?rules eli:based_on ?std .
      ?ann eli:changes ?rules ; eli:ensures_implementation_of ?orderNode .
      ?orderNode eli:id_local ?order .
      ?st rdf:subject ?ann ; rdf:predicate ?p ; prov:wasDerivedFrom ?item .
      ?item dcterms:isPartOf/dcterms:identifier ?doc .
    }"""
    rows = {tuple(x.value for x in r) for r in store.query(q)}
    assert rows, "the chain is missing"
    titles = {r[0] for r in rows}
    assert "数据安全技术 个人信息跨境处理活动安全认证要求" in titles  # and its English title
    assert {r[3] for r in rows} == {"国家互联网信息办公室、国家市场监督管理总局令第20号"}
    assert {r[4] for r in rows} >= {"http://data.europa.eu/eli/ontology#changes",
                                   "http://data.europa.eu/eli/ontology#ensures_implementation_of"}
    assert {r[5] for r in rows} == {"003_eeeb763fd2a42cb1"}
    # the item carries its line span
    item = next(iter(rows))[6]
    span = list(store.query(f"""SELECT ?a ?b WHERE {{ <{item}> <https://w3id.org/regkg/ontology#lineStart> ?a ;
                                <https://w3id.org/regkg/ontology#lineEnd> ?b }}"""))
    assert [(int(r[0].value), int(r[1].value)) for r in span] == [(297, 301)]


def test_missing_registry_is_a_clear_error(tmp_path):
    (tmp_path / "data").mkdir()
    with pytest.raises(FactErrors) as exc:
        build(tmp_path / "data", tmp_path / "out")
    assert "authority registry is missing" in str(exc.value)


def test_build_refuses_unknown_currency_from_curation(mini_data, tmp_path):
    write(mini_data / "curation" / "doc_a.yaml", """
        format: kg-curation/1
        correct:
          - action: A1
            set: {penalty: {amount: 1, currency: DOGE}}
        """)
    with pytest.raises(FactErrors) as exc:
        build(mini_data, tmp_path / "out")
    assert "unknown currency 'DOGE'" in str(exc.value)
    assert MINI_DOC  # the fixture is unchanged text


def test_build_records_what_changed_since_the_build_it_replaces(newsletter_builds):
    import json

    from kg.store.diff import diff

    first = json.loads((newsletter_builds.old / "changes.json").read_text(encoding="utf-8"))
    assert first["old"] is None and first["note"] == "no previous build to compare with" and first["groups"] == []
    recorded = json.loads((newsletter_builds.new / "changes.json").read_text(encoding="utf-8"))
    expected = diff(newsletter_builds.old, newsletter_builds.new).to_dict()
    assert recorded["groups"] == expected["groups"] and recorded["summary"] == expected["summary"]
    assert recorded["summary"]["instrument"]["added"] >= 10
    assert recorded["old"]["built_at"] == read_manifest(newsletter_builds.old)["built_at"]
    note = (newsletter_builds.new / "changes.md").read_text(encoding="utf-8")
    assert note.startswith("# Changes since the previous build\n")
    assert "## CN-431000 郴州市 / Chenzhou" in note and "- **New fine**: 罚款、责令改正 甲公司" in note


def test_an_unreadable_previous_store_is_noted_not_fatal(mini_data, tmp_path):
    import json

    out = tmp_path / "out"
    (out / "store").mkdir(parents=True)
    (out / "store" / "CURRENT").write_text("not a database\n", encoding="utf-8")
    result = build(mini_data, out, views=False)
    assert result.changes is not None and result.changes.old is None
    recorded = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    assert recorded["note"].startswith("the previous build could not be read")
    open_store(out)  # the new build is in place


def test_a_rebuild_changes_a_copy_of_the_store_it_replaces(shipped_data, tmp_path):
    out = tmp_path / "build"
    build(shipped_data, out, views=False, as_of=SHIPPED_AS_OF)
    files = {f.stat().st_ino for f in (out / "store").iterdir()}
    edit_one_document(shipped_data)
    build(shipped_data, out, views=False, as_of=SHIPPED_AS_OF)
    assert files & {f.stat().st_ino for f in (out / "store").iterdir()}, "the old store's files are linked, not copied"
    build(shipped_data, tmp_path / "full", views=False, as_of=SHIPPED_AS_OF, full=True)

    def quads(folder):
        return sorted(map(str, open_store(folder).quads_for_pattern(None, None, None, None)))

    assert quads(out) == quads(tmp_path / "full") and len(quads(out)) == read_manifest(out)["quads"]
    for name in ("graph.nq", "graph.ttl"):  # the Turtle patched where the change is (kg.store.turtle)
        assert (out / name).read_bytes() == (tmp_path / "full" / name).read_bytes()


def test_only_views_drawn_in_a_process_of_their_own_run_their_queries_ahead(mini_data, tmp_path, monkeypatch):
    import kg.store.build as kb

    out = tmp_path / "out"
    calls = []
    real_views, real_aside = kb._write_views, kb.Aside
    monkeypatch.setattr(kb, "_write_views", lambda *a: calls.append(("here", a[3:])) or real_views(*a))
    monkeypatch.setattr(kb, "Aside",
                        lambda name, fn, *a, **kw: calls.append((name, a[3:])) or real_aside(name, fn, *a, **kw))
    build(mini_data, out)  # the first build: its views beside the store's load
    monkeypatch.setattr(kb, "_memory_to_spare", lambda: True)
    doc = mini_data / "documents" / "doc_a.yaml"
    doc.write_text(doc.read_text(encoding="utf-8").replace("2025-02-20", "2025-02-21"), encoding="utf-8")
    build(mini_data, out)  # a rebuild: its views aside, which patch their copy of the previous store
    assert calls == [("here", ()), ("views", (True, True))]
    build(mini_data, tmp_path / "full", full=True)  # the same views as from a store filled anew
    names = sorted(p.name for p in (out / "views").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "full" / "views").iterdir()) and len(names) > 3
    for name in names:
        assert (out / "views" / name).read_bytes() == (tmp_path / "full" / "views" / name).read_bytes(), name


def test_a_rebuild_runs_again_only_the_derivations_its_change_touches(shipped_data, tmp_path, monkeypatch):
    import kg.rdf.derive as derive_module

    out = tmp_path / "build"
    build(shipped_data, out, views=False, as_of=SHIPPED_AS_OF)
    edit_one_document(shipped_data)  # a document's issue: its label changes
    run, real = [], derive_module._run

    def counted(store, path, text):
        run.append(path.stem)
        return real(store, path, text)

    monkeypatch.setattr(derive_module, "_run", counted)
    build(shipped_data, out, views=False, as_of=SHIPPED_AS_OF)
    assert sorted(run) == ["overlaps"]  # the derivation that reads documents' labels
    monkeypatch.undo()
    build(shipped_data, tmp_path / "full", views=False, as_of=SHIPPED_AS_OF, full=True)
    for name in ("graph.nq", "cache/derived.nq"):  # what was taken is what running it gives
        assert (out / name).read_bytes() == (tmp_path / "full" / name).read_bytes()
