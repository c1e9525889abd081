"""A :class:`~kg.views.select.View` as one self-contained, offline HTML page.

pyvis provides the network model (:class:`pyvis.network.Network`, its node and edge records and
vis-network options) and the vis-network build that is inlined. The page template is our own
(``kg/views/assets/``): pyvis's template links Bootstrap and tom-select from CDNs even with
``cdn_resources="in_line"``, and a view must not make any network request.

Safety: every label, tooltip and detail travels as JSON inside ``<script type="application/json">``
with ``<``, ``>`` and ``&`` written as ``\\u003c`` …, is parsed with ``JSON.parse`` and reaches the
page only through ``textContent`` (never ``innerHTML``); the few values in the HTML itself (title,
subtitle, notes) are escaped by Jinja's autoescape. Links are made only for http(s) URLs, and only
when the reader clicks them.

The first picture: the page script (``assets/display.js``) folds a large view into the clusters of
:mod:`kg.views.fold`, lays out what is in sight, fits it to the window with its labels, and draws
the labels of the most important nodes at a readable size (more as the reader zooms in; every
node's name is in its tooltip). Layout: up to :data:`PHYSICS_LIMIT` nodes in sight vis-network
lays them out with physics, switched off once stable; above it, positions are precomputed with
networkx (spring layout per connected component) and physics stays off. The lineage view has its
own layout (:mod:`kg.views.layout`): each chain left to right in time order, the chains packed.
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from collections import Counter
from functools import cache, lru_cache
from pathlib import Path

from ..errors import KgError
from . import fold
from .layout import lineage_positions, precomputed_positions
from .select import View

ASSETS = Path(__file__).resolve().parent / "assets"

PHYSICS_LIMIT = 500  # nodes; above this, positions are precomputed and physics is off
LINE_WIDTH = 24  # display columns of one line of a canvas label (a Chinese character takes two)
LABEL_PX = 13  # on-screen font size of the labels drawn on the canvas, at any zoom
TOP_LABELS = 20  # the labels of this many most important nodes (and of every cluster) are always drawn
DRAW_THRESHOLD = 5  # on-screen font size under which vis-network does not draw a label (the page hides labels so)
MAX_SOURCES = 20  # source items listed per node or edge in the page (the rest are counted)

# node type -> (English name, Chinese name, colour, vis shape)
TYPE_STYLE: dict[str, tuple[str, str, str, str]] = {
    "authority": ("authority", "机构", "#2f6fb3", "dot"),
    "instrument": ("instrument / standard", "文件 / 标准", "#3a9a5b", "square"),
    "action": ("enforcement action", "执法行动", "#d0463a", "triangle"),
    "case": ("court case", "司法案例", "#8a4fb5", "star"),
    "party": ("party / target", "当事方", "#8c8c8c", "dot"),
    "document": ("newsletter", "资讯", "#c98a1b", "diamond"),
    "other": ("other", "其他", "#b0b0b0", "dot"),
}

# edge relation -> (how it reads, Chinese, colour, dashed)
RELATION_STYLE: dict[str, tuple[str, str, str, bool]] = {
    "issued": ("issued", "发布", "#2f6fb3", False),
    "part-of": ("is part of", "隶属于", "#7aa6d6", True),
    "amends": ("amends", "修改", "#e07b00", False),
    "repeals": ("repeals", "废止", "#a33", False),
    "replaces": ("replaces", "代替", "#c0392b", False),
    "implements": ("implements", "实施", "#16a085", False),
    "based-on": ("is based on", "依据", "#27ae60", False),
    "cites": ("cites", "引用", "#95a5a6", True),
    "supplements": ("supplements", "补充", "#8e44ad", True),
    "changes-basis-of": ("changes the basis standard of", "变更依据标准", "#d35400", False),
    "annex-of": ("is an annex of", "附件", "#7f8c8d", True),
    "acted": ("took the action", "作出", "#d0463a", False),
    "target": ("targets", "针对", "#e67e73", False),
    "legal-basis": ("applies (legal basis)", "法律依据", "#3a9a5b", True),
    "decided": ("decided", "审理", "#8a4fb5", False),
    "party": ("has party", "当事人", "#b48fd0", False),
}
DEFAULT_RELATION_STYLE = ("related to", "相关", "#999999", True)


class RenderError(KgError):
    """The bundled vis-network build is missing or cannot be inlined safely."""


# ---------------------------------------------------------------- assets


@cache
def vis_assets() -> tuple[str, str]:
    """The vis-network JavaScript and CSS bundled with pyvis (inlined into every view)."""
    import pyvis

    lib = Path(pyvis.__file__).resolve().parent / "lib"
    dirs = sorted((p for p in lib.glob("vis-*") if (p / "vis-network.min.js").is_file()),
                  key=lambda p: [int(x) for x in re.findall(r"\d+", p.name)])
    if not dirs:
        raise RenderError(f"pyvis {getattr(pyvis, '__version__', '?')} has no vis-network build under {lib}")
    js = (dirs[-1] / "vis-network.min.js").read_text(encoding="utf-8")
    css = used_css((dirs[-1] / "vis-network.css").read_text(encoding="utf-8"))
    return _inline_safe(js, "vis-network.min.js"), _inline_safe(css, "vis-network.css")


# parts of vis-network the pages switch off (options navigationButtons, manipulation, configure):
# their CSS (210 kB, mostly base64 button images) is left out of every page
UNUSED_CSS = ("vis-manipulation", "vis-navigation", "vis-configuration", "vis-config", "vis-color-picker",
              "vis-edit-mode", "vis-close", "vis-button")


def used_css(css: str) -> str:
    """The rules of vis-network.css the pages use (the tooltip, overlay …); the whole file when it
    is not a flat list of rules."""
    if "@" in css or css.count("{") != css.count("}"):
        return css
    rules = re.findall(r"([^{}]+)\{([^{}]*)\}", css)
    return "\n".join(f"{sel.strip()}{{{body}}}" for sel, body in rules if not any(u in sel for u in UNUSED_CSS))


@cache
def _asset(name: str) -> str:
    return _inline_safe((ASSETS / name).read_text(encoding="utf-8"), name)


def _inline_safe(text: str, name: str) -> str:
    """``text`` if it can sit inside a <script> or <style> element (no closing tag, no comment opener)."""
    low = text.lower()
    if "</script" in low or "</style" in low or "<!--" in low:
        raise RenderError(f"{name} cannot be inlined: it contains a closing tag or an HTML comment opener")
    return text


@cache
def _env():
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    return Environment(loader=FileSystemLoader(str(ASSETS)), autoescape=select_autoescape(default=True),
                       keep_trailing_newline=True)


def script_json(data) -> str:
    """JSON that is safe inside a <script> element: ``<``, ``>``, ``&`` and the JS line separators
    escaped as ``\\u`` sequences (JSON.parse reads them back)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False, check_circular=False)
    for ch, esc in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, esc)
    return text


# ---------------------------------------------------------------- labels


@cache
def _columns(ch: str) -> int:
    """Display columns of the character ``ch``: a Chinese (wide) character takes two."""
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _cut(text: str, width: int) -> int:
    """Where to end a line of ``text`` of at most ``width`` columns: at a space when one is in the
    second half of the line."""
    used = 0
    for i, ch in enumerate(text):
        used += _columns(ch)
        if used > width:
            space = text.rfind(" ", 0, i + 1)
            return space if space > i // 2 else i
    return len(text)


@lru_cache(maxsize=1 << 16)  # a node is drawn in many views
def wrap(label: str, width: int = LINE_WIDTH, lines: int = 2) -> str:
    """The label drawn on the canvas: ``label`` in at most ``lines`` lines of ``width`` display
    columns, ``…`` where it was cut (the whole label is in the tooltip and the details)."""
    text = " ".join(str(label).split())
    out: list[str] = []
    while text and len(out) < lines:
        cut = _cut(text, width)
        if len(out) == lines - 1 and cut < len(text):
            cut = _cut(text, width - 1)
            out.append(text[:cut].rstrip() + "…")
            break
        out.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    return "\n".join(out)


# ---------------------------------------------------------------- the page data


def _node_details(node: str, a: dict) -> dict:
    """What the details panel shows for a node (plain values; the page escapes them)."""
    keep = ("label", "type", "kind", "names", "number", "date", "status", "jurisdiction", "jurisdiction_labels",
            "amount_text", "currency", "extra", "links", "sources", "reported")
    out = {}
    for k in keep:  # the empty values left out (a truthy value is none of them: tested first, faster)
        v = a.get(k)
        if v or v not in (None, "", [], {}):
            out[k] = v
    if out.get("names"):
        out["names"] = [x for x in out["names"] if x not in (out.get("number"), out.get("label"))]
        if not out["names"]:
            del out["names"]
    if len(out.get("sources", [])) > MAX_SOURCES:
        out["sources_more"] = len(out["sources"]) - MAX_SOURCES
        out["sources"] = out["sources"][:MAX_SOURCES]
    out["iri"] = node
    out.setdefault("label", node)
    return out


def network(view: View):
    """The pyvis network of a view: one node record per node (id, short label, shape, colour, size,
    type, year, jurisdictions, rank of importance, fold group when the view opens folded, and
    position or column when precomputed), one edge record per edge."""
    from pyvis.edge import Edge
    from pyvis.network import Network
    from pyvis.node import Node

    g = view.graph
    net = Network(directed=True, cdn_resources="in_line", heading=view.title)
    if view.layout == "time":
        positions = lineage_positions(g)
    elif g.number_of_nodes() > PHYSICS_LIMIT:
        positions = precomputed_positions(g)
    else:
        positions = None
    order = fold.importance(g)
    rank = {n: i for i, n in enumerate(order)}
    folds = fold.fold_groups(g, order, view.focus) if view.layout != "time" else {}
    for n, a in g.nodes(data=True):
        t = a.get("type") or "other"
        _en, _zh, colour, shape = TYPE_STYLE.get(t, TYPE_STYLE["other"])
        label = wrap(a.get("label", n))
        if view.layout == "time" and a.get("date"):
            label += f"\n{a['date']}"
        opts = {"color": colour, "value": round(float(a.get("score", 1.0)), 6), "type": t,
                "year": a.get("year"), "jurisdictions": a.get("jurisdictions", []), "rank": rank[n]}
        if n in folds:
            opts["fold"] = folds[n]
        if view.focus == n:
            opts["borderWidth"] = 4
            opts["color"] = {"background": colour, "border": "#111111"}
        if positions is not None:
            opts["x"], opts["y"] = positions[n]
        node = Node(n, shape, label=label, **opts)
        net.nodes.append(node.options)
        net.node_ids.append(n)
        net.node_map[n] = node.options
    for i, (s, o, a) in enumerate(g.edges(data=True)):
        rel = a.get("relation", "related")
        _en, _zh, colour, dashed = RELATION_STYLE.get(rel, DEFAULT_RELATION_STYLE)
        sources = a.get("sources", [])
        edge = Edge(s, o, directed=True, id=f"e{i}", relation=rel, color=colour, dashes=dashed,
                    sources=sources[:MAX_SOURCES])
        if len(sources) > MAX_SOURCES:
            edge.options["sources_more"] = len(sources) - MAX_SOURCES
        net.edges.append(edge.options)
    net.options = _options(view, g.number_of_nodes())
    return net


def physics_options(view: View) -> dict | None:
    """The physics the page switches on while it lays out what is in sight (off again once stable;
    the page stays still otherwise); None for the lineage's left-to-right layout."""
    if view.layout == "time":
        return None
    return {"enabled": True, "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90, "avoidOverlap": 0.4},
            "stabilization": {"enabled": True, "iterations": 600, "updateInterval": 50, "fit": False}}


def _options(view: View, n_nodes: int) -> dict:
    """vis-network's options: physics off (the page runs it when it lays out, see
    :func:`physics_options`); labels are drawn at :data:`LABEL_PX` and resized by the page."""
    opts: dict = {
        "autoResize": True,
        "nodes": {"font": {"size": LABEL_PX, "face": "sans-serif", "multi": False}, "borderWidth": 1,
                  "scaling": {"min": 8, "max": 42,
                              "label": {"enabled": False, "drawThreshold": DRAW_THRESHOLD, "maxVisible": 40}}},
        "edges": {"arrows": {"to": {"enabled": True, "scaleFactor": 0.55}}, "width": 1.2,
                  "smooth": {"enabled": n_nodes <= PHYSICS_LIMIT, "type": "continuous"},
                  "color": {"inherit": False}, "hoverWidth": 2.5},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": n_nodes > 200,
                        "navigationButtons": False, "keyboard": False},
        "layout": {"improvedLayout": n_nodes <= 150, "randomSeed": 7},
        "physics": {"enabled": False},
    }
    if view.layout == "time":
        opts["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal",
                                   "roundness": 0.4}
    return opts


def page_data(view: View) -> dict:
    """Everything the page script needs, as plain JSON-able data."""
    net = network(view)
    g = view.graph
    types = sorted({a["type"] for a in net.nodes}, key=lambda t: list(TYPE_STYLE).index(t) if t in TYPE_STYLE else 99)
    counts = view.counts
    per_relation = Counter(e["relation"] for e in net.edges)
    relations = sorted(per_relation, key=lambda r: list(RELATION_STYLE).index(r) if r in RELATION_STYLE else 99)
    jur_labels: dict[str, str] = {}
    for _n, a in g.nodes(data=True):
        jur_labels.update(a.get("jurisdiction_labels", {}))
        for c in a.get("jurisdictions", []):
            jur_labels.setdefault(c, c)
    years = sorted({a["year"] for a in net.nodes if a.get("year")})
    layout = ("time" if view.layout == "time" else
              "precomputed" if net.nodes and "x" in net.nodes[0] else "physics")
    return {
        "view": {"name": view.name, "title": view.title, "subtitle": view.subtitle, "notes": view.notes,
                 "focus": view.focus, "size_by": view.size_by, "layout": layout,
                 "nodes": g.number_of_nodes(), "edges": len(net.edges)},
        "legend": {
            "types": [{"type": t, "en": TYPE_STYLE.get(t, TYPE_STYLE["other"])[0],
                       "zh": TYPE_STYLE.get(t, TYPE_STYLE["other"])[1],
                       "color": TYPE_STYLE.get(t, TYPE_STYLE["other"])[2],
                       "shape": TYPE_STYLE.get(t, TYPE_STYLE["other"])[3], "count": counts.get(t, 0)} for t in types],
            "relations": [{"relation": r, "en": RELATION_STYLE.get(r, DEFAULT_RELATION_STYLE)[0],
                           "zh": RELATION_STYLE.get(r, DEFAULT_RELATION_STYLE)[1],
                           "color": RELATION_STYLE.get(r, DEFAULT_RELATION_STYLE)[2],
                           "dashed": RELATION_STYLE.get(r, DEFAULT_RELATION_STYLE)[3],
                           "count": per_relation[r]} for r in relations],
        },
        "filters": {"jurisdictions": [{"code": c, "label": jur_labels[c]} for c in sorted(jur_labels)],
                    "years": years},
        "nodes": net.nodes,
        "edges": net.edges,
        "details": {n: _node_details(n, a) for n, a in g.nodes(data=True)},
        "options": net.options,
        "physics": physics_options(view),
        "groups": fold.group_names(g, {n["fold"] for n in net.nodes if "fold" in n}),
        "display": {"labelPx": LABEL_PX, "topLabels": TOP_LABELS, "foldAbove": fold.FOLD_ABOVE,
                    "physicsLimit": PHYSICS_LIMIT},
    }


# ---------------------------------------------------------------- HTML


def render_html(view: View) -> str:
    """The view as one self-contained HTML page (vis-network inlined; no network request)."""
    js, css = vis_assets()
    data = page_data(view)
    return _env().get_template("view.html").render(
        title=view.title, subtitle=view.subtitle, notes=view.notes, counts=data["view"],
        vis_js=js, vis_css=css, page_js=_asset("display.js") + "\n" + _asset("view.js"), page_css=_asset("view.css"),
        data_json=script_json(data))


def write_view(view: View, path: str | Path) -> None:
    """Write the view's HTML page to ``path`` (atomically: the old file or the new one, never a part)."""
    from ..facts.yamlio import write_text_atomic

    write_text_atomic(path, render_html(view))


def iframe(page: str, height: int = 640) -> str:
    """An ``<iframe srcdoc=…>`` holding ``page`` (escaped), to show a view inline in Jupyter."""
    return (f'<iframe srcdoc="{html.escape(page, quote=True)}" sandbox="allow-scripts" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" loading="eager"></iframe>')


def index_html(title: str, entries: list[dict], subtitle: str = "") -> str:
    """An index page linking views: ``entries`` of {"href", "title", "subtitle", "group", "nodes", "edges"}."""
    groups: dict[str, list[dict]] = {}
    for e in entries:
        groups.setdefault(e.get("group", "Views"), []).append(e)
    return _env().get_template("index.html").render(title=title, subtitle=subtitle, groups=groups,
                                                    page_css=_asset("view.css"))
