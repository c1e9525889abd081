"""The HTML of a view (kg.views.render), the default set written by the build, the notebook helper
and `kg view`: offline, escaped, with the data the page draws."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

import kg
from kg.cli.main import main
from kg.views import (
    View,
    lineage_html,
    lineage_view,
    overview_view,
    page_data,
    render_html,
    write_default_views,
    write_view,
)
from kg.views import render as render_mod
from kg.views.render import script_json, wrap

from .conftest import XSS, XSS_TITLE

EXACT_XSS = "<img src=x onerror=alert(1)>"


class Resources(HTMLParser):
    """Every URL the browser would load from the page: src / href / srcset / data / action attributes,
    <link> targets and CSS url(...)s; plus the text of the JSON data block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.urls: list[tuple[str, str, str]] = []
        self.data: str | None = None
        self.tags: list[str] = []
        self._in_data = False
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        a = dict(attrs)
        for name in ("src", "href", "srcset", "data", "action", "poster", "background"):
            if a.get(name):
                self.urls.append((tag, name, a[name]))
        self._in_data = tag == "script" and a.get("type") == "application/json"
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_data = self._in_style = False

    def handle_data(self, data):
        if self._in_data:
            self.data = (self.data or "") + data
        if self._in_style:
            self.urls += [("style", "url", u) for u in re.findall(r"url\(\s*['\"]?([^'\")]+)", data)]


def parse(page: str) -> Resources:
    p = Resources()
    p.feed(page)
    p.close()
    return p


def remote(urls) -> list:
    """The URLs that point off the machine (http, https, ws, ftp or scheme-relative)."""
    return [u for u in urls if re.match(r"\s*(?:(?:https?|wss?|ftp):|//)", u[2], re.I)]


def exact_xss_view() -> View:
    g = nx.MultiDiGraph()
    g.add_node("urn:x:1", type="instrument", label=EXACT_XSS, names=["</script><script>alert(5)</script>"],
               year=2025, date="2025-01-01", jurisdictions=["CN"], jurisdiction="CN",
               sources=[{"document": "d<1>", "url": "javascript:alert(6)"}], score=1.0)
    g.add_node("urn:x:2", type="authority", label="某局 & <b>", score=1.0)
    g.add_edge("urn:x:2", "urn:x:1", key="issued", relation="issued", sources=[])
    return View("overview", f"Test {EXACT_XSS}", g, subtitle="<i>sub</i>", notes=["<script>alert(7)</script>"])


# ---------------------------------------------------------------- offline and escaped


def test_script_json_escapes_what_could_end_the_script_element():
    text = script_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_page_loads_nothing_from_the_network(view_ctx):
    page = render_html(overview_view(view_ctx, top=None))
    res = parse(page)
    assert res.urls == []  # no src, href or CSS url() at all: everything is inline
    assert "link" not in res.tags and "iframe" not in res.tags and "img" not in res.tags
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page, re.I)
    assert "cdn.jsdelivr" not in page and "cdnjs" not in page and "bootstrap" not in page.lower()
    assert "vis-network" in page and "new vis.Network" not in page.split('id="kg-data"')[0]  # inlined, then used
    assert "default-src 'none'" in page  # the Content-Security-Policy forbids any load as well


def test_exact_injection_title_is_only_ever_data(tmp_path):
    view = exact_xss_view()
    page = render_html(view)
    for raw in (EXACT_XSS, "<script>alert(5)", "<script>alert(7)", "某局 & <b>", "<i>sub"):
        assert raw not in page
    assert "Test &lt;img src=x onerror=alert(1)&gt;" in page  # title and h1, escaped by the template
    assert "&lt;script&gt;alert(7)&lt;/script&gt;" in page  # the note
    res = parse(page)
    data = json.loads(res.data)
    assert data["details"]["urn:x:1"]["label"] == EXACT_XSS
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
    # the page scripts never write data as HTML
    for name in ("view.js", "display.js"):
        js = (Path(render_mod.__file__).parent / "assets" / name).read_text(encoding="utf-8")
        assert js in page
        assert not re.search(r"\.(?:inner|outer)HTML|insertAdjacentHTML|document\.write|eval\(", js)
    write_view(view, tmp_path / "x.html")
    assert (tmp_path / "x.html").read_text(encoding="utf-8") == page


def test_embedded_data_has_every_node_and_edge_with_its_details(view_ctx):
    view = lineage_view(view_ctx, "示保法")
    data = json.loads(parse(render_html(view)).data)
    assert len(data["nodes"]) == view.graph.number_of_nodes() == data["view"]["nodes"] == 5
    assert len(data["edges"]) == view.graph.number_of_edges() == data["view"]["edges"] == 4
    assert {n["id"] for n in data["nodes"]} == set(view.graph) == set(data["details"])
    xss = next(d for d in data["details"].values() if d["label"] == XSS_TITLE)
    assert XSS in xss["label"]
    assert xss["sources"][0] == {"document": "doc_b", "document_label": "测试周报 <b>bold</b> 第2期", "lines": "5-9",
                                 "section": "政策", "url": "javascript:alert(2)"}
    assert xss["date"] == "2025-05-20" and xss["status"] == "issued" and xss["kind"] == "departmental-rule"
    rels = {e["relation"] for e in data["edges"]}
    assert rels == {"based-on", "cites", "replaces"}
    assert {r["relation"] for r in data["legend"]["relations"]} == rels
    assert [t["type"] for t in data["legend"]["types"]] == ["instrument"]
    assert data["legend"]["types"][0]["count"] == 5
    assert data["filters"]["years"] == [2020, 2025]  # GB/T 99999-2024 has no date
    assert data["view"]["layout"] == "time" and data["physics"] is None  # positions of kg.views.layout, no physics
    x = {n["id"]: n["x"] for n in data["nodes"]}
    dated = {n: d["date"] for n, d in data["details"].items() if d.get("date")}
    newer = [(e["from"], e["to"]) for e in data["edges"]
             if e["from"] in dated and e["to"] in dated and dated[e["from"]] > dated[e["to"]]]
    assert newer and all(x[a] > x[b] for a, b in newer)  # the newer text on the right


def test_details_carry_amounts_numbers_and_jurisdiction_names(view_ctx):
    from kg.views import enforcement_view

    data = page_data(enforcement_view(view_ctx))
    fines = sorted(d["amount_text"] for d in data["details"].values() if d.get("amount_text"))
    assert fines == ["5万元", "8.375亿韩元"]
    codes = {j["code"]: j["label"] for j in data["filters"]["jurisdictions"]}
    assert codes["KR"] == "KR 大韩民国 / South Korea"
    assert "CN-BJ" in codes and "CN" in codes


# ---------------------------------------------------------------- layout


def test_canvas_labels_are_wrapped_in_two_short_lines():
    assert wrap("国家互联网信息办公室") == "国家互联网信息办公室"
    assert wrap("中华人民共和国个人信息保护法") == "中华人民共和国个人信息保\n护法"  # 12 Chinese characters a line
    assert wrap("Regulation (EU) 2016/679 of the European Parliament") == "Regulation (EU) 2016/679\nof the European…"
    assert wrap("Council Framework  Decision 2008/977/JHA on data") == "Council Framework\nDecision 2008/977/JHA…"
    assert wrap("关于" + "数据" * 20 + "的办法") == "关于数据数据数据数据数据\n数据数据数据数据数据数…"


def test_nodes_carry_their_rank_and_a_large_view_its_fold_groups(view_ctx, shipped_build):
    small = page_data(overview_view(view_ctx, top=None))
    assert sorted(n["rank"] for n in small["nodes"]) == list(range(len(small["nodes"])))
    assert small["groups"] == {} and not any("fold" in n for n in small["nodes"])
    from kg.views import Context, enforcement_view

    big = page_data(enforcement_view(Context(kg.open(shipped_build))))
    folded = [n for n in big["nodes"] if "fold" in n]
    assert len(big["nodes"]) > big["display"]["foldAbove"] and folded
    assert {n["fold"] for n in folded} == set(big["groups"])
    assert all(n["rank"] >= big["display"]["topLabels"] for n in folded)  # the top ones stay in sight


def test_above_the_physics_limit_positions_are_precomputed(view_ctx, monkeypatch):
    view = overview_view(view_ctx, top=None)
    small = page_data(view)
    # the page switches physics on while it lays the nodes out (vis-network starts with it off)
    assert small["view"]["layout"] == "physics" and small["options"]["physics"] == {"enabled": False}
    assert small["physics"]["enabled"] is True and small["physics"]["stabilization"]["fit"] is False
    assert small["display"]["physicsLimit"] == render_mod.PHYSICS_LIMIT
    assert all("x" not in n for n in small["nodes"])
    monkeypatch.setattr(render_mod, "PHYSICS_LIMIT", 5)
    big = page_data(view)
    assert big["view"]["layout"] == "precomputed" and big["display"]["physicsLimit"] == 5
    xy = [(n["x"], n["y"]) for n in big["nodes"]]
    assert len(xy) == view.graph.number_of_nodes() and len(set(xy)) == len(xy)  # every node placed, no overlap


# ---------------------------------------------------------------- the default set and the notebook helper


def test_build_writes_the_default_views_and_an_index(view_build):
    views = view_build / "views"
    names = sorted(p.name for p in views.glob("*.html"))
    assert names == ["authority-ha6248fd60d.html", "document-doc_a.html", "document-doc_b.html", "enforcement.html",
                     "index.html", "lineage-GB-T-99999-2025.html", "lineage.html", "overview.html"]
    index = (views / "index.html").read_text(encoding="utf-8")
    res = parse(index)
    links = sorted(u for tag, _attr, u in res.urls if tag == "a")
    assert links == [n for n in names if n != "index.html"]
    assert remote(res.urls) == []
    assert "Document: 测试周报 &lt;b&gt;bold&lt;/b&gt; 第2期" in index
    for name in names:
        page = (views / name).read_text(encoding="utf-8")
        assert remote(parse(page).urls) == [], name


def test_a_failing_view_fails_the_build_and_leaves_the_previous_build_untouched(view_build, tmp_path, monkeypatch):
    import shutil

    from kg.store.build import build
    from kg.views import defaults

    from .conftest import write_view_data

    out = tmp_path / "build"
    shutil.copytree(view_build, out)
    before = sorted(p.name for p in (out / "views").iterdir())
    manifest = (out / "build.json").read_text(encoding="utf-8")

    def boom(view):
        raise RuntimeError("render failed")

    monkeypatch.setattr(defaults, "render_html", boom)
    with pytest.raises(RuntimeError, match="render failed"):  # full: a rebuild would take the unchanged views
        build(write_view_data(tmp_path / "src"), out, full=True)
    assert sorted(p.name for p in (out / "views").iterdir()) == before
    assert (out / "build.json").read_text(encoding="utf-8") == manifest
    assert [p.name for p in tmp_path.iterdir() if p.name != "src"] == ["build"]  # no temporary folder left


def test_write_default_views_replaces_the_folder_whole(view_build, tmp_path):
    import shutil

    out = tmp_path / "build"
    shutil.copytree(view_build, out)
    (out / "views" / "stale.html").write_text("old", encoding="utf-8")
    entries = write_default_views(out)
    assert not (out / "views" / "stale.html").exists()
    assert sorted(e["href"] for e in entries) == sorted(p.name for p in (out / "views").glob("*.html")
                                                        if p.name != "index.html")
    assert [p.name for p in out.iterdir() if p.name.startswith(".")] == []


def test_lineage_html_iframe_for_notebooks(view_build):
    g = kg.open(view_build)
    page = lineage_html(g, "示保法")
    frame = lineage_html(g, "示保法", iframe=True)
    assert page.startswith("<!DOCTYPE html>")
    assert frame.startswith('<iframe srcdoc="') and frame.endswith("</iframe>")
    assert "<script" not in frame and "&lt;script" in frame  # the whole page escaped into the attribute
    import html

    srcdoc = re.match(r'<iframe srcdoc="([^"]*)"', frame).group(1)
    assert html.unescape(srcdoc) == page


# ---------------------------------------------------------------- kg view


def run(*args):
    return CliRunner().invoke(main, ["view", *args])


def test_cli_writes_each_view(view_build, tmp_path):
    cases = {
        "overview.html": ["overview", "--size-by", "degree", "--top", "4"],
        "authority.html": ["authority", "国家网信办", "--depth", "2"],
        "lineage.html": ["lineage", "GB/T 99999"],
        "enforcement.html": ["enforcement", "--jurisdiction", "KR"],
        "document.html": ["document", "doc_b"],
    }
    for name, args in cases.items():
        out = tmp_path / name
        r = run(*args, "-o", str(out), "--build-dir", str(view_build))
        assert r.exit_code == 0, r.output
        data = json.loads(parse(out.read_text(encoding="utf-8")).data)
        assert f"wrote {out}" in r.output and f"({len(data['nodes'])} nodes" in r.output
    overview = json.loads(parse((tmp_path / "overview.html").read_text(encoding="utf-8")).data)
    assert len(overview["nodes"]) == 4 and overview["view"]["size_by"] == "degree"
    assert "Showing the top 4 of" in overview["view"]["notes"][0]


def test_cli_default_file_name_and_stdout(view_build, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = run("lineage", "GB/T 99999", "--build-dir", str(view_build))
    assert r.exit_code == 0, r.output
    assert (tmp_path / "lineage-GB-T-99999-2025.html").is_file()
    r = run("enforcement", "--build-dir", str(view_build), "-o", "-")
    assert r.exit_code == 0 and r.output.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(("args", "message"), [
    (["authority", "个人信息保护委员会"], "names 2 authority nodes"),
    (["authority", "网信"], "the nearest names"),
    (["lineage", "示例孤立通知"], "has no amends / replaces"),
    (["lineage", "没有这个文件"], "no instrument is called"),
    (["enforcement", "--jurisdiction", "XX"], "no jurisdiction is called 'XX'"),
    (["document", "nope"], "the documents are: doc_a, doc_b"),
])
def test_cli_errors_are_clear_and_write_nothing(view_build, tmp_path, args, message):
    out = tmp_path / "v.html"
    r = run(*args, "-o", str(out), "--build-dir", str(view_build))
    assert r.exit_code == 1
    assert r.output.startswith("error: ") and message in r.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_cli_ambiguous_name_lists_the_candidates(view_build, tmp_path):
    r = run("authority", "个人信息保护委员会", "--build-dir", str(view_build), "-o", str(tmp_path / "v.html"))
    assert "  1. 个人信息保护委员会 - authority: regulator, JP - key JP/个人信息保护委员会\n" in r.output
    assert "  2. 个人信息保护委员会 - authority: regulator, KR - key KR/个人信息保护委员会\n" in r.output


def test_cli_missing_build_and_bad_options(tmp_path):
    r = run("overview", "--build-dir", str(tmp_path / "none"), "-o", str(tmp_path / "v.html"))
    assert r.exit_code == 1 and "run `kg build` first" in r.output
    assert run("overview", "--top", "-1").exit_code == 2
    assert run("overview", "--size-by", "closeness").exit_code == 2
    assert run("authority", "x", "--depth", "0").exit_code == 2
    assert not (tmp_path / "v.html").exists()


def test_long_source_lists_are_cut_and_counted():
    g = nx.MultiDiGraph()
    many = [{"document": f"doc{i:03d}", "lines": str(i)} for i in range(render_mod.MAX_SOURCES + 7)]
    g.add_node("urn:a", type="authority", label="甲", sources=many)
    g.add_node("urn:b", type="instrument", label="乙", sources=many[:2])
    g.add_edge("urn:a", "urn:b", key="issued", relation="issued", sources=many)
    data = page_data(View("overview", "t", g))
    a = data["details"]["urn:a"]
    assert a["sources"] == many[: render_mod.MAX_SOURCES] and a["sources_more"] == 7
    assert "sources_more" not in data["details"]["urn:b"]
    assert data["edges"][0]["sources_more"] == 7 and len(data["edges"][0]["sources"]) == render_mod.MAX_SOURCES
