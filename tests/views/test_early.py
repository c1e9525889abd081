"""A rebuild's views begun on the previous build's rows before its change is known (kg.views.early):
carried on when the change touches the list of documents only, dropped otherwise, and either way
the views of a drawing from the start."""

from __future__ import annotations

from kg.query.graph import open as open_graph
from kg.store.build import build
from kg.views import early, reuse
from kg.views.defaults import ORDER_FREE_KEYS, default_recipes

from ..conftest import SHIPPED_AS_OF, edit_one_document
from .test_reuse import record, rows, same_views


def test_views_begun_before_a_new_label_is_known_are_carried_on(shipped_data, tmp_path):
    out = tmp_path / "build"
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    assert not record(out)["begun"]  # nothing to begin on
    edit_one_document(shipped_data)  # the issue number of newsletter 001: its label
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    assert record(out)["begun"]
    build(shipped_data, tmp_path / "full", as_of=SHIPPED_AS_OF, full=True)
    same_views(out, tmp_path / "full")
    # the sources read before the change show the new label
    page = next((out / "views").glob("document-001_*.html")).read_text(encoding="utf-8")
    assert "第9期总第222期" in page and "第8期总第221期" not in page


def test_pages_whose_views_read_no_changed_document_are_taken_without_making_their_views(shipped_data, tmp_path):
    """After a newsletter's new label, only the view of that newsletter (whose title shows it) is
    made again; the other pages are taken or relabelled as they are, and the record and the rows
    kept for the next build are those of a drawing from the start: a second change gives the
    views of a full build too."""
    out, full = tmp_path / "build", tmp_path / "full"
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    pages = len(record(out)["entries"])
    edit_one_document(shipped_data)
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    build(shipped_data, full, as_of=SHIPPED_AS_OF, full=True)
    kept, drawn = record(out), record(full)
    assert kept["begun"] and kept["unmade"] == pages - 1 and kept["relabelled"] >= 1
    assert kept["queries"] == drawn["queries"] and kept["entries"] == drawn["entries"]
    assert {f: d[:1] + d[3:] for f, d in kept["files"].items()} == {f: d[:1] + d[3:] for f, d in drawn["files"].items()}
    assert sorted(rows(out)) == sorted(rows(full))
    same_views(out, full)
    doc = next((shipped_data / "documents").glob("001_*.yaml"))
    doc.write_text(doc.read_text(encoding="utf-8").replace("issue: 第9期总第222期", "issue: 第10期总第223期"),
                   encoding="utf-8")
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    build(shipped_data, full, as_of=SHIPPED_AS_OF, full=True)
    assert record(out)["unmade"] == pages - 1
    same_views(out, full)


def test_views_begun_are_dropped_when_the_change_touches_what_they_read(shipped_data, tmp_path):
    out = tmp_path / "build"
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    doc = next((shipped_data / "documents").glob("001_*.yaml"))
    text = doc.read_text(encoding="utf-8")
    assert "产业培育行动计划(2025-2027年)" in text
    doc.write_text(text.replace("产业培育行动计划(2025-2027年)", "产业培育行动计划(2025-2028年)"), encoding="utf-8")
    build(shipped_data, out, as_of=SHIPPED_AS_OF)  # an instrument's title: the networks' nodes
    assert not record(out)["begun"] and not record(out)["whole"]
    build(shipped_data, tmp_path / "full", as_of=SHIPPED_AS_OF, full=True)
    same_views(out, tmp_path / "full")


def test_nothing_is_begun_without_the_rows_of_every_query(shipped_build):
    graph = open_graph(shipped_build)
    assert early.begin(graph, {}, default_recipes) is None


def test_what_was_begun_is_dropped_when_the_change_is_not_known(shipped_build, tmp_path):
    graph = open_graph(shipped_build)
    rows = reuse.read_rows(reuse.previous(shipped_build), shipped_build, ORDER_FREE_KEYS)
    begun = early.begin(graph, rows, default_recipes)
    assert begun is not None and begun.documents
    recorder = reuse.Recorder(graph.engine, tmp_path / "rows", {}, {}, ORDER_FREE_KEYS)
    assert early.carry_on(begun, recorder, graph, {}, None, None) is None
    assert early.carry_on(begun, recorder, graph, {}, [], None) is begun.ctx  # nothing changed
