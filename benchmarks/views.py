"""Measuring the overview view on the large graphs."""

from __future__ import annotations

import cProfile
import time
from pathlib import Path

from .measure import profile_summary
from .plan import Plan

# ---------------------------------------------------------------- views


def view_api():
    """``(Context, overview_view, write_view)`` of ``kg.views``, or None while that package does not exist."""
    try:
        from kg.views import Context, overview_view, write_view
    except ImportError:
        return None
    return Context, overview_view, write_view


def standin_overview(build_dir: Path, top: int, html: Path):
    """Stand-in for ``kg.views`` (used only when it cannot be imported): the issuance network
    (authorities, instruments), its ``top`` nodes by degree, rendered by pyvis. Returns the subgraph."""
    from pyvis.network import Network

    import kg

    net = kg.open(build_dir).to_networkx("issuance")
    keep = sorted(net, key=lambda n: (-net.degree(n), str(n)))[:top]
    sub = net.subgraph(keep).copy()
    vis = Network(height="900px", width="100%", directed=True, cdn_resources="local")
    for n, d in sub.nodes(data=True):
        vis.add_node(n, label=str(d.get("label") or n)[-20:], title=str(d.get("type")), group=d.get("type"))
    for s, o, d in sub.edges(data=True):
        vis.add_edge(s, o, title=d.get("relation"))
    vis.write_html(str(html), open_browser=False, notebook=False)
    return sub, net.number_of_nodes()


def bench_views(build_dir: Path, plan: Plan, work: Path) -> dict:
    """The overview at each size of ``plan.view_nodes``: from a freshly opened graph to the HTML file
    (what ``kg view overview --top N`` does), timed as open + select, and write."""
    import kg

    api = view_api()
    out: dict = {"renderer": "kg.views (overview_view + write_view)" if api else
                 "stand-in: issuance network + pyvis (kg.views could not be imported)", "renders": []}
    for top in plan.view_nodes:
        html = work / f"overview-{top}.html"
        try:
            started = time.perf_counter()
            if api:
                Context, overview_view, write_view = api
                view = overview_view(Context(kg.open(build_dir)), top=top)
                sub = view.graph
                available = None
                note = next((n for n in view.notes if n.startswith("Showing")), None)
                selected = time.perf_counter()
                write_view(view, html)
            else:
                sub, available = standin_overview(build_dir, top, html)
                note = None
                selected = started
            done = time.perf_counter()
        except Exception as exc:  # a failing view is a result to report, not a reason to lose the run
            out["renders"].append({"top": top, "error": f"{type(exc).__name__}: {exc}"[:300]})
            continue
        out["renders"].append({"top": top, "nodes": sub.number_of_nodes(), "edges": sub.number_of_edges(),
                               "available_nodes": available, "note": note,
                               "select_seconds": round(selected - started, 3) if api else None,
                               "write_seconds": round(done - selected, 3) if api else None,
                               "seconds": round(done - started, 3),
                               "html_kb": round(html.stat().st_size / 1024) if html.exists() else None})
        html.unlink(missing_ok=True)
    if api:
        # where the time goes: one more overview of the first size, under cProfile
        Context, overview_view, write_view = api
        prof = cProfile.Profile()
        html = work / "overview-profile.html"
        started = time.perf_counter()
        prof.enable()
        write_view(overview_view(Context(kg.open(build_dir)), top=plan.view_nodes[0]), html)
        prof.disable()
        wall = time.perf_counter() - started
        html.unlink(missing_ok=True)
        out["profile"] = profile_summary(prof, 12, ("kg/", "networkx/", "pyvis/", "pyoxigraph"), wall=wall)
        out["profile"]["top_nodes"] = plan.view_nodes[0]
    return out


