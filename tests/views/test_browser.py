"""The views in a real browser: Debian's Chromium, headless, driven by selenium with the system
chromedriver. A view loads from disk with no console error and no network request, draws every
node (in sight or folded into a cluster), opens fitted to the window with the labels of its most
important nodes and of its clusters readable, unfolds a cluster on double-click, search finds a
node (folded or not), a click opens its details, an edge hover shows its relation, the filters
hide and bring back nodes, and an injected title runs nothing.

Screenshots are kept in ``$KG_TEST_ARTIFACTS/views/`` (default ``test-artifacts/views/`` in the
checkout): ``first-<view>.png`` is the first picture of each default view (1400x900 window),
``<view>.png`` the same after the offline check, ``unfolded-*.png`` and ``details-panel.png`` the
interactions."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from kg.views.fold import FOLD_ABOVE
from kg.views.render import TOP_LABELS

from .conftest import SCRIPT_NAME, XSS, XSS_TITLE

pytestmark = pytest.mark.browser

webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed: pip install '.[test]'")

from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking")
WAIT = 90  # seconds a page may take to lay itself out (a bound, not an assertion)


def _binary(*names: str) -> str | None:
    for n in names:
        found = shutil.which(n)
        if found:
            return found
    return None


CHROMIUM = os.environ.get("KG_CHROMIUM") or _binary("chromium", "chromium-browser")
CHROMEDRIVER = os.environ.get("KG_CHROMEDRIVER") or _binary("chromedriver")


def artifacts() -> Path:
    """The folder for screenshots: $KG_TEST_ARTIFACTS, else test-artifacts/ in the checkout."""
    path = Path(os.environ.get("KG_TEST_ARTIFACTS") or REPO / "test-artifacts") / "views"
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def driver():
    if not CHROMIUM or not CHROMEDRIVER:
        pytest.skip("Chromium or chromedriver not found (Debian: apt-get install chromium chromium-driver)")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for flag in (*FLAGS, "--window-size=1400,900"):
        opts.add_argument(flag)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    d = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    yield d
    d.quit()


# ---------------------------------------------------------------- helpers


def drain_logs(d) -> None:
    d.get_log("browser")
    d.get_log("performance")


def requested_urls(d) -> list[str]:
    urls = []
    for entry in d.get_log("performance"):
        msg = json.loads(entry["message"])["message"]
        if msg["method"] == "Network.requestWillBeSent":
            urls.append(msg["params"]["request"]["url"])
    return urls


def console_errors(d) -> list[str]:
    return [e["message"] for e in d.get_log("browser") if e["level"] in ("SEVERE", "ERROR")]


def no_alert(d) -> bool:
    try:
        d.switch_to.alert  # noqa: B018 - raises when there is none
    except NoAlertPresentException:
        return True
    return False


def wait_idle(d) -> None:
    """Wait until the page has laid itself out and no layout task (unfold, filter …) is running."""
    WebDriverWait(d, WAIT).until(lambda x: x.execute_script(
        "return !!(window.kgView && window.kgView.ready && window.kgView.idle())"))


COUNT = """
    var v = window.kgView, net = v.network, folded = 0, clusters = 0, edgeIds = new Set();
    net.body.nodeIndices.forEach(function (id) {
      if (net.isCluster(id)) {
        clusters++;
        folded += net.getNodesInCluster(id).length;
        Object.keys(net.body.nodes[id].containedEdges).forEach(function (e) { edgeIds.add(e); });
      }
    });
    net.body.edgeIndices.forEach(function (id) {
      var base = id.indexOf('clusterEdge:') === 0 ? net.clustering.getBaseEdges(id) : [id];
      base.forEach(function (e) { edgeIds.add(e); });
    });
    var edges = Array.from(edgeIds).filter(function (e) { return e.indexOf('clusterEdge:') !== 0; }).length;
"""


def open_view(d, path: Path) -> dict:
    """Load a view from disk, wait until it is laid out; return what the page drew: ``drawn`` nodes
    (those in sight plus those folded into the clusters in sight), ``items`` (nodes and clusters in
    sight), ``clusters``, ``edges`` (in sight, folded into a cluster or behind a cluster's edge)."""
    drain_logs(d)
    d.get(path.resolve().as_uri())
    wait_idle(d)
    return d.execute_script(COUNT + """
        return {drawn: net.body.nodeIndices.length - clusters + folded, items: net.body.nodeIndices.length,
                clusters: clusters, edges: edges, data: v.payload.nodes.length, dataEdges: v.payload.edges.length,
                shown: v.nodesView.length};""")


def shown_nodes(d) -> int:
    """The nodes the network shows: in sight, or folded into a cluster in sight."""
    return d.execute_script(COUNT + "return net.body.nodeIndices.length - clusters + folded;")


# what the first picture shows, read from vis-network itself once it has drawn: every node and
# cluster in sight with its position on the screen, the on-screen font size of its label and
# whether vis-network draws it (at or above its drawThreshold), the label's box on the screen
PICTURE = """
    var done = arguments[arguments.length - 1];
    var v = window.kgView, net = v.network, c = document.getElementById('kg-network');
    net.redraw();
    requestAnimationFrame(function () { requestAnimationFrame(function () {
      var s = net.getScale(), ids = net.body.nodeIndices.slice(), pos = net.getPositions(ids);
      var rank = {};
      v.payload.nodes.forEach(function (n) { rank[n.id] = n.rank; });
      done({width: c.clientWidth, height: c.clientHeight, scale: s, items: ids.map(function (id) {
        var node = net.body.nodes[id], lm = node.labelModule, p = net.canvasToDOM(pos[id]);
        var px = lm.fontOptions.size * s;
        var a = net.canvasToDOM({x: lm.size.left, y: lm.size.top});
        var b = net.canvasToDOM({x: lm.size.left + lm.size.width, y: lm.size.top + lm.size.height});
        return {id: id, x: p.x, y: p.y, px: px, drawn: px >= node.options.scaling.label.drawThreshold - 1,
                box: [a.x, a.y, b.x, b.y], label: node.options.label, cluster: net.isCluster(id),
                members: net.isCluster(id) ? net.getNodesInCluster(id).length : 0,
                rank: id in rank ? rank[id] : null};
      })});
    }); });"""


def picture(d) -> dict:
    return d.execute_async_script(PICTURE)


READABLE_PX = 10  # on-screen font size a label needs to be read


def picture_problems(pic: dict) -> list[str]:
    """What makes a picture hard to read on first sight: a node or cluster outside the window, a
    label cut by its edge, labels drawn over each other, a cluster whose label does not count what
    it folds, or one of the labels that must be drawn (every cluster's and those of the
    :data:`TOP_LABELS` most important nodes in sight, or all if fewer) missing or under
    :data:`READABLE_PX` on the screen."""
    w, h, items = pic["width"], pic["height"], pic["items"]
    out = []
    outside = [i["label"] for i in items if not (0 <= i["x"] <= w and 0 <= i["y"] <= h)]
    if outside:
        out.append(f"outside the window: {outside}")
    drawn = [i for i in items if i["drawn"]]
    cut = [i["label"] for i in drawn if i["box"][0] < -1 or i["box"][1] < -1 or i["box"][2] > w + 1
           or i["box"][3] > h + 1]
    if cut:
        out.append(f"labels cut by the window's edge: {cut}")
    over = [(a["label"], b["label"]) for k, a in enumerate(drawn) for b in drawn[k + 1:]
            if a["box"][0] < b["box"][2] and b["box"][0] < a["box"][2] and a["box"][1] < b["box"][3]
            and b["box"][1] < a["box"][3]]
    if over:
        out.append(f"labels over each other: {over}")
    clusters = [i for i in items if i["cluster"]]
    miscounted = [i["label"] for i in clusters if not (i["label"].endswith(f" · {i['members']}") and i["members"] >= 2)]
    if miscounted:
        out.append(f"cluster labels without their count: {miscounted}")
    nodes = sorted((i for i in items if not i["cluster"]), key=lambda i: i["rank"])
    must = clusters + nodes[:TOP_LABELS]
    assert len(must) >= min(TOP_LABELS, len(items))
    small = [(i["label"], round(i["px"], 1)) for i in must if not i["drawn"] or i["px"] < READABLE_PX]
    if small:
        out.append(f"top labels not drawn or under {READABLE_PX} px: {small}")
    return out


def embedded(path: Path) -> dict:
    from .test_render import parse

    return json.loads(parse(path.read_text(encoding="utf-8")).data)


def node_point(d, node_id: str) -> tuple[float, float]:
    """Where a node is drawn, in CSS pixels from the network container's centre."""
    return tuple(d.execute_script("""
        var v = window.kgView, id = arguments[0];
        v.network.focus(id, {scale: 1.5, animation: false});
        var p = v.network.canvasToDOM(v.network.getPositions([id])[id]);
        var c = document.getElementById('kg-network');
        return [p.x - c.clientWidth / 2, p.y - c.clientHeight / 2];""", node_id))


def search(d, text: str) -> list[tuple[str, str]]:
    box = d.find_element(By.ID, "kg-search")
    box.clear()
    box.send_keys(text)
    return [(b.get_attribute("data-node"), b.text) for b in d.find_elements(By.CSS_SELECTOR, "#kg-results button")]


def details(d) -> dict:
    return d.execute_script("""
        var p = document.getElementById('kg-details'), b = document.getElementById('kg-details-body');
        var h = b.querySelector('h2');
        return {hidden: p.hidden, node: b.getAttribute('data-node'), title: h ? h.textContent : null,
                text: b.textContent,
                links: Array.from(b.querySelectorAll('a')).map(function (a) { return a.href; })};""")


def assert_offline_and_clean(d) -> None:
    urls = requested_urls(d)
    assert urls and all(u.startswith(("file://", "data:")) for u in urls), urls
    assert console_errors(d) == []


# ---------------------------------------------------------------- the default views of the shipped graph


def test_every_default_view_opens_offline_and_draws_all_its_nodes(driver, shipped_build):
    views = sorted((shipped_build / "views").glob("*.html"))
    names = [p.name for p in views]
    assert "index.html" in names and "overview.html" in names and "enforcement.html" in names
    assert any(n.startswith("lineage-GB-T-35273") for n in names) and any(n.startswith("authority-") for n in names)
    from kg.views.defaults import MAX_DOCUMENT_VIEWS

    n_docs = len(list((REPO / "data" / "documents").glob("*.yaml")))
    assert sum(n.startswith("document-") for n in names) == min(n_docs, MAX_DOCUMENT_VIEWS) > 0
    out = artifacts()
    for path in views:
        if path.name == "index.html":
            drain_logs(driver)
            driver.get(path.resolve().as_uri())
            links = driver.execute_script("return Array.from(document.querySelectorAll('a')).map(a => a.href)")
            assert len(links) == len(views) - 1
            assert all(u.startswith("file://") and Path(u[len("file://"):]).is_file() for u in links)
        else:
            drawn = open_view(driver, path)
            n = len(embedded(path)["nodes"])
            assert drawn["drawn"] == drawn["data"] == drawn["shown"] == n > 0, (path.name, drawn)
            assert drawn["edges"] == drawn["dataEdges"], path.name
            assert (drawn["clusters"] > 0) == (n > FOLD_ABOVE), (path.name, drawn)
        assert_offline_and_clean(driver)
        assert no_alert(driver)
        driver.save_screenshot(str(out / f"{path.stem}.png"))
        assert (out / f"{path.stem}.png").stat().st_size > 0


def test_every_default_view_opens_fitted_with_its_top_labels_readable(driver, shipped_build):
    """The first picture of each default view, in a 1400x900 window: everything in sight inside the
    window, every drawn label whole and apart from the others, the labels of the clusters and of the
    20 most important nodes drawn at 10 px or more; a view of more than 150 nodes opens folded into
    at most 60 nodes and clusters. Screenshots: ``$KG_TEST_ARTIFACTS/views/first-<view>.png``."""
    out = artifacts()
    problems = {}
    for path in sorted((shipped_build / "views").glob("*.html")):
        if path.name == "index.html":
            continue
        drawn = open_view(driver, path)
        driver.save_screenshot(str(out / f"first-{path.stem}.png"))
        pic = picture(driver)
        bad = picture_problems(pic)
        if drawn["data"] > FOLD_ABOVE and not (drawn["clusters"] and drawn["items"] <= 60):
            bad.append(f"{drawn['data']} nodes open as {drawn['items']} items, {drawn['clusters']} clusters")
        if bad:
            problems[path.name] = bad
    assert problems == {}


def test_a_folded_view_unfolds_on_double_click_and_search_reveals_a_folded_node(driver, shipped_build):
    """Enforcement (more than 150 nodes) opens folded; double-clicking a cluster puts its nodes in
    sight, fitted and labelled; searching a node folded in another cluster unfolds that one and
    selects the node; *Unfold all* and *Fold* show every node, then fold them again.
    Screenshots: ``$KG_TEST_ARTIFACTS/views/unfolded-enforcement*.png``."""
    path = shipped_build / "views" / "enforcement.html"
    first = open_view(driver, path)
    n = first["data"]
    clusters = [i for i in picture(driver)["items"] if i["cluster"]]
    big = max(clusters, key=lambda i: (i["members"], i["id"]))
    members = driver.execute_script("return window.kgView.network.getNodesInCluster(arguments[0])", big["id"])
    assert len(members) == big["members"] >= 2
    canvas = driver.find_element(By.ID, "kg-network")
    pic = picture(driver)
    ActionChains(driver).move_to_element_with_offset(canvas, round(big["x"] - pic["width"] / 2),
                                                     round(big["y"] - pic["height"] / 2)).double_click().perform()
    wait_idle(driver)
    state = driver.execute_script("""var net = window.kgView.network;
        return {cluster: net.body.nodes[arguments[0]] !== undefined && net.isCluster(arguments[0]),
                inSight: net.body.nodeIndices.slice()};""", big["id"])
    assert not state["cluster"] and set(members) <= set(state["inSight"])
    assert shown_nodes(driver) == n
    assert picture_problems(picture(driver)) == []
    driver.save_screenshot(str(artifacts() / "unfolded-enforcement.png"))
    # a node folded in another cluster: search finds it, selecting it unfolds its cluster
    other = next(c for c in clusters if c["id"] != big["id"])
    target = driver.execute_script("return window.kgView.network.getNodesInCluster(arguments[0])[0]", other["id"])
    label = embedded(path)["details"][target]["label"]
    hits = search(driver, label)
    assert target in [i for i, _t in hits]
    driver.find_element(By.CSS_SELECTOR, f'#kg-results button[data-node="{target}"]').click()
    wait_idle(driver)
    assert driver.execute_script("return window.kgView.network.getSelectedNodes()") == [target]
    assert target in driver.execute_script("return window.kgView.network.body.nodeIndices")
    assert details(driver)["node"] == target
    driver.find_element(By.ID, "kg-unfold").click()
    wait_idle(driver)
    assert open_count(driver) == (n, 0)
    driver.save_screenshot(str(artifacts() / "unfolded-enforcement-all.png"))
    driver.find_element(By.ID, "kg-fold").click()
    wait_idle(driver)
    items, n_clusters = open_count(driver)
    assert n_clusters > 0 and items < n and shown_nodes(driver) == n
    assert_offline_and_clean(driver)


def open_count(d) -> tuple[int, int]:
    """(nodes and clusters in sight, clusters in sight)."""
    return tuple(d.execute_script(COUNT + "return [net.body.nodeIndices.length, clusters];"))


def test_search_finds_a_node_by_chinese_alias_and_english_name(driver, shipped_build):
    open_view(driver, shipped_build / "views" / "overview.html")
    cac = "https://w3id.org/regkg/id/authority/CN/国家互联网信息办公室"
    for query in ("国家网信办", "cyberspace administration of china", "国家互联网信息办公室"):
        hits = search(driver, query)
        assert hits and hits[0] == (cac, "国家互联网信息办公室"), (query, hits[:3])
    assert search(driver, "没有这样的名字") == []
    assert driver.find_element(By.ID, "kg-results").text == "no match 无结果"
    search(driver, "国家网信办")
    driver.find_element(By.CSS_SELECTOR, "#kg-results button").click()
    got = details(driver)
    assert not got["hidden"] and got["node"] == cac and got["title"] == "国家互联网信息办公室"
    assert driver.execute_script("return window.kgView.network.getSelectedNodes()") == [cac]
    assert_offline_and_clean(driver)


def test_search_puts_the_main_body_before_its_sub_bodies(driver, shipped_build):
    # 网信办 is held by the names of the Cyberspace Administration (国家网信办), of its secretariat
    # (中央网信办秘书局, a shorter label) and of the local offices under it: Enter opens the main body
    path = shipped_build / "views" / "overview.html"
    open_view(driver, path)
    cac = "https://w3id.org/regkg/id/authority/CN/国家互联网信息办公室"
    secretariat = "https://w3id.org/regkg/id/authority/CN/中央网信办秘书局"
    data = embedded(path)
    assert any(e["from"] == secretariat and e["to"] == cac and e["relation"] == "part-of" for e in data["edges"])
    hits = [node for node, _text in search(driver, "网信办")]
    assert hits[0] == cac and secretariat in hits
    driver.find_element(By.ID, "kg-search").send_keys(Keys.ENTER)
    assert details(driver)["node"] == cac
    assert_offline_and_clean(driver)


def test_clicking_a_node_opens_its_details_with_provenance(driver, shipped_build):
    path = shipped_build / "views" / next(p.name for p in (shipped_build / "views").glob("lineage-GB-T-35273*.html"))
    open_view(driver, path)
    data = embedded(path)
    std = next(n["id"] for n in data["nodes"] if data["details"][n["id"]].get("number") == "GB/T 46068-2025")
    assert details(driver)["hidden"]
    x, y = node_point(driver, std)
    ActionChains(driver).move_to_element_with_offset(driver.find_element(By.ID, "kg-network"), int(x), int(y)) \
        .click().perform()
    WebDriverWait(driver, WAIT).until(lambda d: not details(d)["hidden"])
    got = details(driver)
    assert got["node"] == std
    assert got["title"] == "数据安全技术 个人信息跨境处理活动安全认证要求"
    assert "GB/T 46068-2025" in got["text"] and "national-standard" in got["text"]
    assert "003_eeeb763fd2a42cb1" in got["text"] and "lines " in got["text"]  # document and line provenance
    assert "based on" in got["text"]  # its links in the view
    driver.save_screenshot(str(artifacts() / "details-panel.png"))
    assert_offline_and_clean(driver)


def test_hovering_an_edge_shows_its_relation(driver, shipped_build):
    path = shipped_build / "views" / next(p.name for p in (shipped_build / "views").glob("lineage-GB-T-35273*.html"))
    open_view(driver, path)
    edges = {e["id"]: e for e in embedded(path)["edges"]}
    # the middle of an edge where no other edge nor node is drawn
    found = driver.execute_script("""
        var v = window.kgView, net = v.network, c = document.getElementById('kg-network');
        net.fit({animation: false});
        var ids = v.edges.getIds();
        var alone = function (p, id) {  // vis shows the popup of the last edge within reach of the pointer
          var c0 = net.DOMtoCanvas(p), o = {left: c0.x, top: c0.y, right: c0.x, bottom: c0.y};
          var hits = ids.filter(function (e) { return net.body.edges[e].isOverlappingWith(o); });
          return hits.length === 1 && hits[0] === id && net.getNodeAt(p) === undefined;
        };
        for (var i = 0; i < ids.length; i++) {
          for (var t = 0.2; t <= 0.81; t += 0.05) {
            var p = net.canvasToDOM(net.body.edges[ids[i]].edgeType.getPoint(t));
            p = {x: Math.round(p.x), y: Math.round(p.y)};
            if (alone(p, ids[i])) { return [ids[i], p.x - c.clientWidth / 2, p.y - c.clientHeight / 2]; }
          }
        }
        return null;""")
    assert found, "no edge can be pointed at alone"
    edge_id, x, y = found
    net = driver.find_element(By.ID, "kg-network")
    ActionChains(driver).move_to_element_with_offset(net, round(x), round(y)).perform()
    tip = WebDriverWait(driver, WAIT).until(lambda d: d.execute_script(
        "var t = document.querySelector('div.vis-tooltip');"
        "return t && t.style.visibility !== 'hidden' && t.textContent ? t.textContent : null"))
    edge = edges[edge_id]
    data = embedded(path)["details"]
    relation = {"based-on": "is based on 依据", "cites": "cites 引用", "implements": "implements 实施",
                "annex-of": "is an annex of 附件", "changes-basis-of": "changes the basis standard of 变更依据标准"}
    assert tip.startswith(relation[edge["relation"]])
    assert f"{data[edge['from']]['label']} → {data[edge['to']]['label']}" in tip
    assert "003_eeeb763fd2a42cb1 · lines " in tip  # where the relation was reported


def test_filters_by_type_jurisdiction_and_year_hide_and_restore_nodes(driver, shipped_build):
    path = shipped_build / "views" / "enforcement.html"
    drawn = open_view(driver, path)
    data = embedded(path)
    parties = sum(1 for n in data["nodes"] if n["type"] == "party")
    driver.find_element(By.ID, "kg-type-party").click()
    wait_idle(driver)
    assert driver.execute_script("return window.kgView.nodesView.length") == drawn["data"] - parties
    assert shown_nodes(driver) == drawn["data"] - parties
    driver.find_element(By.ID, "kg-reset").click()
    wait_idle(driver)
    assert driver.execute_script("return window.kgView.nodesView.length") == drawn["data"]
    # jurisdiction: every node shown is in KR, or has no place and links to a KR node
    driver.execute_script("var s = document.getElementById('kg-jurisdiction'); s.value = 'KR';"
                          "s.dispatchEvent(new Event('change'));")
    wait_idle(driver)
    shown = set(driver.execute_script("return window.kgView.visible()"))
    assert 0 < len(shown) < drawn["data"]
    by_id = {n["id"]: n for n in data["nodes"]}
    kr = {i for i in shown if "KR" in by_id[i]["jurisdictions"]}
    assert kr and all(i in kr or not by_id[i]["jurisdictions"] for i in shown)
    assert not any("KR" in n["jurisdictions"] for i, n in by_id.items() if i not in shown)
    assert picture_problems(picture(driver)) == []  # fitted again, with the labels of what is left
    driver.find_element(By.ID, "kg-reset").click()
    wait_idle(driver)
    # year: only one year
    year = data["filters"]["years"][-1]
    driver.execute_script("""var f = document.getElementById('kg-year-from');
        f.value = String(arguments[0]); f.dispatchEvent(new Event('change'));""", year)
    wait_idle(driver)
    shown = set(driver.execute_script("return window.kgView.visible()"))
    assert shown and all(by_id[i]["year"] in (year, None) for i in shown)
    assert all(i in shown for i, n in by_id.items() if n["year"] == year and n["type"] != "party")
    driver.find_element(By.ID, "kg-reset").click()
    wait_idle(driver)
    assert shown_nodes(driver) == drawn["data"]
    assert picture_problems(picture(driver)) == []  # folded and fitted again
    assert_offline_and_clean(driver)


# ---------------------------------------------------------------- injection


def test_injected_titles_show_as_text_and_run_nothing(driver, view_build):
    views = view_build / "views"
    for name in ("document-doc_b.html", "enforcement.html", "lineage.html", "authority-ha6248fd60d.html"):
        drawn = open_view(driver, views / name)
        assert drawn["drawn"] == len(embedded(views / name)["nodes"])
        assert no_alert(driver)
        assert driver.execute_script("return document.querySelectorAll('img, iframe, object, embed').length") == 0
        assert driver.execute_script("return document.scripts.length") == 3  # data, vis-network, the page script
        assert_offline_and_clean(driver)
    open_view(driver, views / "document-doc_b.html")
    assert driver.find_element(By.ID, "kg-title").text == "Document: 测试周报 <b>bold</b> 第2期"
    hits = search(driver, "img src")
    assert [t for _i, t in hits] == [XSS_TITLE]
    driver.find_element(By.CSS_SELECTOR, "#kg-results button").click()
    got = details(driver)
    assert got["title"] == XSS_TITLE and XSS in got["text"]
    assert "javascript:alert(2)" in got["text"] and got["links"] == []  # shown, never a link
    hits = search(driver, "alert(4)")
    assert hits and hits[0][1] == SCRIPT_NAME
    driver.find_element(By.CSS_SELECTOR, "#kg-results button").click()
    assert details(driver)["title"] == SCRIPT_NAME
    # hover tooltips are text too
    tip = driver.execute_script("""var v = window.kgView;
        var n = v.nodes.get().find(function (x) { return x.title.textContent.indexOf('img src') >= 0; });
        return [n.title.textContent, n.title.querySelectorAll('*').length, n.title.querySelectorAll('img').length];""")
    assert tip[0].startswith(XSS_TITLE) and tip[2] == 0
    assert no_alert(driver)
    assert_offline_and_clean(driver)


def test_exact_injection_label_renders_as_text(driver, tmp_path):
    from kg.views import write_view

    from .test_render import EXACT_XSS, exact_xss_view

    path = tmp_path / "xss.html"
    write_view(exact_xss_view(), path)
    drawn = open_view(driver, path)
    assert drawn["drawn"] == 2
    assert no_alert(driver)
    assert driver.title == f"Test {EXACT_XSS}"
    assert driver.find_element(By.CSS_SELECTOR, ".kg-note").text == "<script>alert(7)</script>"
    driver.execute_script("window.kgView.selectNode('urn:x:1')")
    got = details(driver)
    assert got["title"] == EXACT_XSS and "</script><script>alert(5)</script>" in got["text"]
    assert driver.execute_script("return document.querySelectorAll('img').length") == 0
    assert no_alert(driver)
    assert_offline_and_clean(driver)


def test_a_large_graph_gets_precomputed_positions_and_no_physics(driver, view_build, tmp_path, monkeypatch):
    import kg
    from kg.views import Context, overview_view, write_view
    from kg.views import render as render_mod

    monkeypatch.setattr(render_mod, "PHYSICS_LIMIT", 5)  # the fixture overview counts as large
    path = tmp_path / "large.html"
    view = overview_view(Context(kg.open(view_build)), top=None)
    write_view(view, path)
    drawn = open_view(driver, path)
    assert drawn["drawn"] == view.graph.number_of_nodes() > 5
    state = driver.execute_script("""var v = window.kgView;
        return {physics: v.network.physics.physicsEnabled, layout: v.payload.view.layout,
                runs: v.display.physicsRuns(), status: document.getElementById('kg-status').textContent};""")
    assert state == {"physics": False, "layout": "precomputed", "runs": 0, "status": state["status"]}
    assert "positions precomputed" in state["status"]
    assert picture_problems(picture(driver)) == []
    assert_offline_and_clean(driver)
