"""A rebuild takes from the previous build the views a change cannot have changed, byte for byte
what drawing them all gives (kg.views.reuse)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from kg.query.network import NODES
from kg.rdf.patterns import ANY, Pattern, query_patterns
from kg.store.build import build
from kg.views import reuse
from kg.views.context import DOCUMENTS, NAMES, ORDER_FREE, SOURCES

from ..conftest import SHIPPED_AS_OF, edit_one_document

KG = "https://w3id.org/regkg/ontology#"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_patterns_of_the_views_queries():
    names = query_patterns(NAMES)
    # the VALUES block joined with `?node ?p ?name` gives its predicates
    assert {p[:2] for p in names} >= {(frozenset({RDFS_LABEL, "http://www.w3.org/2004/02/skos/core#prefLabel",
                                                   "http://www.w3.org/2004/02/skos/core#altLabel",
                                                   "http://data.europa.eu/eli/ontology#id_local"}), None)}
    assert ANY not in names
    node_types = {o for p, o, _c in query_patterns(NODES) if p == frozenset({RDF_TYPE})}
    assert node_types == {frozenset(KG + c for c in ("Authority", "Instrument", "EnforcementAction", "Party",
                                                     "CourtCase"))}
    # FILTER NOT EXISTS is read too
    assert Pattern(frozenset({RDF_TYPE}), frozenset({"http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement"})) \
        in query_patterns(SOURCES)


def keep(build_dir: Path, where: Path) -> Path:
    """A copy of ``build_dir``'s views made of hard links (a file taken from it keeps its inode)."""
    shutil.copytree(build_dir / "views", where, copy_function=os.link)
    return where


def record(build_dir: Path) -> dict:
    return json.loads((build_dir / "cache" / "views.json").read_text(encoding="utf-8"))


def rows(build_dir: Path) -> dict[str, int]:
    """The files of the rows the views' queries gave, by key: their inodes."""
    return {p.stem: p.stat().st_ino for p in (build_dir / reuse.ROWS).iterdir()}


def same_views(a: Path, b: Path) -> None:
    names = sorted(p.name for p in (a / "views").iterdir())
    assert names == sorted(p.name for p in (b / "views").iterdir())
    for name in names:
        assert (a / "views" / name).read_bytes() == (b / "views" / name).read_bytes(), name


def test_a_rebuild_redraws_the_views_a_change_touches_and_takes_the_others(shipped_data, tmp_path):
    out = tmp_path / "build"
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    assert record(out)["reused"] == 0
    before = keep(out, tmp_path / "before")
    rows_before = rows(out)
    edit_one_document(shipped_data)  # the issue number of newsletter 001: its label
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    build(shipped_data, tmp_path / "full", as_of=SHIPPED_AS_OF, full=True)
    same_views(out, tmp_path / "full")
    # the queries' rows: a newsletter's label is read by the list of documents only (step 3)
    rows_after = rows(out)
    order_free = {reuse.text_key(text) for text in ORDER_FREE}
    assert rows_after.keys() == rows_before.keys() == order_free  # only those rows are kept
    run_again = {key for key in rows_after if rows_after[key] != rows_before[key]}
    assert run_again == {reuse.text_key(DOCUMENTS)}
    assert record(out)["rows_taken"] == len(order_free) - 1
    # the pages whose sources name newsletter 001, its own view (whose title is its label) aside,
    # are the previous pages with its label replaced
    assert record(out)["relabelled"] > 0

    def taken(name: str) -> bool:
        return (out / "views" / name).stat().st_ino == (before / name).stat().st_ino

    changed = next(p.name for p in (out / "views").glob("document-001_*.html"))
    assert not taken(changed) and (out / "views" / changed).read_bytes() != (before / changed).read_bytes()
    other = next(p.name for p in (out / "views").glob("document-000_*.html"))
    assert taken(other)
    kept = record(out)
    views = [name for name in kept["files"] if name != "index.html"]
    assert 0 < kept["reused"] < len(views) and not kept["whole"]
    assert kept["reused"] == sum(taken(name) for name in views)


def test_a_rebuild_without_a_change_the_views_read_takes_every_file(shipped_data, tmp_path):
    out = tmp_path / "build"
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    before = keep(out, tmp_path / "before")
    build(shipped_data, out, as_of=SHIPPED_AS_OF)  # nothing changed: no quad touches the views' queries
    assert all((out / "views" / p.name).stat().st_ino == p.stat().st_ino for p in before.iterdir())
    assert record(out)["reused"] == len(record(out)["files"]) - 1  # every view (and the index)
    # the folder was taken whole (the rebuild's drawing aside, stopped, left nothing behind)
    assert record(out)["whole"] and not list(out.glob(".views.*"))
    # a view file changed by hand since is drawn again
    view = next(p for p in (out / "views").glob("document-000_*.html"))
    expected = view.read_bytes()
    view.unlink()
    view.write_text("edited", encoding="utf-8")
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    assert view.read_bytes() == expected


def test_a_change_no_view_reads_takes_every_file(shipped_data, tmp_path):
    out = tmp_path / "build"
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    before = keep(out, tmp_path / "before")
    doc = next((shipped_data / "documents").glob("001_*.yaml"))
    text = doc.read_text(encoding="utf-8")
    old = "  jurisdiction: CN-BJ\n  topics:\n  - artificial-intelligence\n"
    assert old in text
    # an instrument's topic (eli:is_about): in the graph, read by no view
    doc.write_text(text.replace(old, "  jurisdiction: CN-BJ\n  topics:\n  - data-elements\n", 1), encoding="utf-8")
    graph = (out / "graph.nq").read_bytes()
    rows_before = rows(out)
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    assert (out / "graph.nq").read_bytes() != graph
    assert all((out / "views" / p.name).stat().st_ino == p.stat().st_ino for p in before.iterdir())
    assert record(out)["whole"] and not list(out.glob(".views.*"))
    assert rows(out) == rows_before  # the rows are taken with the views, for the next build
    build(shipped_data, tmp_path / "full", as_of=SHIPPED_AS_OF, full=True)
    same_views(out, tmp_path / "full")


def test_full_and_first_builds_draw_every_view(shipped_data, tmp_path):
    out = tmp_path / "build"
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    build(shipped_data, out, as_of=SHIPPED_AS_OF, full=True)
    assert record(out)["reused"] == 0


def test_without_memory_to_spare_a_rebuild_draws_its_views_in_its_own_process(shipped_data, tmp_path, monkeypatch):
    import kg.store.build as kb

    out = tmp_path / "build"
    build(shipped_data, out, as_of=SHIPPED_AS_OF)

    def no_fork(*args, **kwargs):
        raise AssertionError("no process is forked when the machine has no memory to spare")

    monkeypatch.setattr(kb, "_memory_to_spare", lambda: False)
    monkeypatch.setattr(kb, "Aside", no_fork)
    edit_one_document(shipped_data)
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    build(shipped_data, tmp_path / "full", as_of=SHIPPED_AS_OF, full=True)
    same_views(out, tmp_path / "full")
    assert record(out)["reused"] > 0 and not record(out)["whole"]


def test_the_views_prefetch_the_whole_graph_queries_they_read_and_no_other(tmp_path, monkeypatch):
    import hashlib

    from kg.query.engines import StoreEngine
    from kg.views.defaults import write_default_views

    from .conftest import write_view_data

    out = tmp_path / "build"
    build(write_view_data(tmp_path), out, views=False)
    started, real = [], StoreEngine.prefetch
    monkeypatch.setattr(StoreEngine, "prefetch", lambda self, texts: started.extend(texts) or real(self, texts))
    build(write_view_data(tmp_path / "other"), tmp_path / "other" / "build")
    assert started == []  # drawn beside the store's load, the views run no query ahead
    write_default_views(out)
    read = json.loads((out / reuse.RECORD).read_text(encoding="utf-8"))["queries"]
    assert len(started) == 13 and {hashlib.sha256(t.encode()).hexdigest() for t in started} == set(read)


def test_the_pages_drawn_on_two_cores_are_the_pages_drawn_on_one(tmp_path, monkeypatch):
    import kg.store.aside as aside_module
    import kg.views.defaults as defaults_module

    from .conftest import write_view_data

    out = tmp_path / "build"
    build(write_view_data(tmp_path), out, views=False)
    forked = []

    class Counted(aside_module.Aside):
        def __init__(self, *args):
            super().__init__(*args)
            forked.append(self._process is not None)

    monkeypatch.setattr(defaults_module, "Aside", Counted)
    defaults_module.write_default_views(out)
    two = {p.name: p.read_bytes() for p in (out / "views").iterdir()}
    monkeypatch.setattr(aside_module, "may_fork", lambda: False)
    shutil.rmtree(out / "views")
    (out / reuse.RECORD).unlink()
    defaults_module.write_default_views(out)
    one = {p.name: p.read_bytes() for p in (out / "views").iterdir()}
    assert forked == [True, False] and two == one and len(one) > 5


def test_rows_kept_damaged_are_read_from_the_graph_again(shipped_data, tmp_path):
    out = tmp_path / "build"
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    for path in (out / reuse.ROWS).iterdir():
        path.write_bytes(path.read_bytes()[:20])  # cut short: no longer a pickle
    edit_one_document(shipped_data)
    build(shipped_data, out, as_of=SHIPPED_AS_OF)
    assert record(out)["rows_taken"] == 0
    build(shipped_data, tmp_path / "full", as_of=SHIPPED_AS_OF, full=True)
    same_views(out, tmp_path / "full")


def test_a_views_digest_follows_what_its_page_shows():
    import networkx as nx

    from kg.views.render import MAX_SOURCES
    from kg.views.select import View

    def view(label: str = "b", sources: int = 3, nodes: int = 600) -> View:
        g = nx.MultiDiGraph()
        for i in range(nodes):  # more nodes than a batch: the last batch counts too
            g.add_node(f"n{i}", label="a", sources=[{"document": f"d{j}"} for j in range(sources)])
        g.nodes[f"n{nodes - 1}"]["label"] = label
        g.add_edge("n0", f"n{nodes - 1}", key="cites", relation="cites")
        return View("lineage", "t", g, "s")

    same = reuse.digest(view())
    assert reuse.digest(view()) == same
    assert reuse.digest(view(label="c")) != same  # the last node's label
    assert reuse.digest(view(nodes=601)) != same
    more = reuse.digest(view(sources=MAX_SOURCES + 5))
    assert more != reuse.digest(view(sources=MAX_SOURCES + 6))  # the number of sources is shown
    first = view(sources=MAX_SOURCES + 5)
    for _n, a in first.graph.nodes(data=True):
        a["sources"][-1] = {"document": "other"}  # beyond those a page shows
    assert reuse.digest(first) == more
    # the documents' labels come apart from the digest: a relabelled page has the same digest
    labelled = view()
    for _n, a in labelled.graph.nodes(data=True):
        a["sources"][0] = {"document": "d0", "document_label": "第8期", "lines": "3-4"}
    digest, labels, named = reuse.digest(labelled)
    assert labels == {"d0": "第8期"}
    assert named == ["d0", *(f"d{j}" for j in range(1, 3))]  # labelled or not, in the order met
    for _n, a in labelled.graph.nodes(data=True):
        a["sources"][0]["document_label"] = "第9期 <new>"
    assert reuse.digest(labelled) == (digest, {"d0": "第9期 <new>"}, named)
    labelled.graph.nodes["n0"]["sources"][0]["lines"] = "3-5"
    assert reuse.digest(labelled)[0] != digest


def test_a_page_relabelled_is_the_page_drawn_with_the_new_labels():
    from kg.views.render import script_json

    def page(labels: dict[str, str]) -> bytes:
        sources = [{"document": doc, "document_label": label, "lines": 1} for doc, label in labels.items()]
        return ("<script>" + script_json({"details": {"n": {"sources": sources * 2}}}) + "</script>").encode()

    was = {"a": "第8期 <A&B>", "b": "数据治理观察"}
    now = {"a": "（修订）第8期 <A&B>", "b": "数据治理观察"}
    assert reuse.relabelled(page(was), was, now) == page(now)
    assert reuse.relabelled(page(was), was, was) == page(was)
    # what cannot be told apart is drawn again: a label another document has, before or after, or a
    # document with a label in one page only
    assert reuse.relabelled(page(was), was, {"a": "数据治理观察", "b": "数据治理观察"}) is None
    assert reuse.relabelled(page(was), was, {"a": "数据治理观察", "b": "第8期 <A&B>"}) is None
    assert reuse.relabelled(page(was), was, {"a": "x"}) is None


def test_what_the_views_read_of_the_order_free_queries_does_not_depend_on_their_rows_order(view_build):
    """Rows taken from the build before may come in another order than the store gives now (step 3),
    and a store filled in another order gives them in another order: the networks (their nodes and
    edges in order, display data included) and the jurisdictions must be the same for any order of
    those queries' rows."""
    import kg
    from kg.query.engines import Engine
    from kg.query.graph import Graph
    from kg.views import Context

    class Reversed(Engine):
        def __init__(self, engine):
            self.engine = engine

        def select(self, text, bindings):
            return self.engine.select(text, bindings)

        def select_values(self, text, bindings):
            columns, rows = self.engine.select_values(text, bindings)
            # DOCUMENTS orders its rows itself (ORDER BY its ids, one per document)
            return columns, rows[::-1] if text in ORDER_FREE and text != DOCUMENTS else rows

    g = kg.open(view_build)
    usual, other = Context(g), Context(Graph(Reversed(g.engine), g.store, g.build_dir))
    for kind in ("all", "issuance", "enforcement", "lineage"):
        a, b = usual.network(kind), other.network(kind)
        assert list(a.nodes(data=True)) == list(b.nodes(data=True)), kind
        assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True)), kind
    assert any(len(attrs["sources"]) > 1 for _n, attrs in usual.network("all").nodes(data=True))
    assert any(len(attrs["names"]) > 1 for _n, attrs in usual.network("all").nodes(data=True))
    assert list(usual.jurisdictions().items()) == list(other.jurisdictions().items())
    assert any(len(j["alt"]) > 1 for j in usual.jurisdictions().values())
    assert usual.documents() == other.documents()
    assert all(usual.reported(d["iri"]) == other.reported(d["iri"]) for d in usual.documents())


def test_the_queries_of_the_views_made_in_the_second_process_are_in_the_record(shipped_data, tmp_path, monkeypatch):
    """The views are shared out between two processes (kg.views.defaults): a query the second one
    runs (here, a view that looks up a name) must be in the record as well, or a change it reads
    would let the next build take every view whole (step 1)."""
    import importlib

    defaults = importlib.import_module("kg.views.defaults")
    real = defaults.default_recipes
    lookup = "SELECT ?name WHERE { ?node rdfs:label ?name } LIMIT 1"

    def recipes(ctx):  # one more view, which runs a query of its own when it is made
        return [*real(ctx), ("looked-up.html", "Test", lambda: ctx.select(lookup) and defaults.overview_view(ctx))]

    monkeypatch.setattr(defaults, "default_recipes", recipes)
    monkeypatch.setattr(defaults, "_in_two", lambda recipes, size: ([], recipes))  # every view in the other
    build(shipped_data, tmp_path / "out", as_of=SHIPPED_AS_OF)
    # a rebuild draws its views in a process of its own (kg.store.build), which forks the second
    monkeypatch.setattr(importlib.import_module("kg.store.build"), "_memory_to_spare", lambda: True)
    edit_one_document(shipped_data)
    build(shipped_data, tmp_path / "out", as_of=SHIPPED_AS_OF)
    queries = record(tmp_path / "out")["queries"]
    assert reuse.text_key(lookup) in queries and {reuse.text_key(t) for t in ORDER_FREE} <= queries.keys()
    assert (tmp_path / "out" / "views" / "looked-up.html").exists()
