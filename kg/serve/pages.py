"""The HTML pages of ``kg serve``: the home page, the views and the query packs.

:class:`Pages` is mixed into the request handler of :mod:`kg.serve.front`; pack queries run
on the front's own Oxigraph endpoint through :class:`kg.query.engines.EndpointEngine`.
"""

from __future__ import annotations

import html
import mimetypes
import urllib.parse
from pathlib import Path

from ..query.engines import EndpointEngine
from ..query.execute import run
from ..query.packs import discover


def size_text(n: int) -> str:
    """``50 MB``, ``200 kB`` or ``12 bytes``."""
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if n >= factor:
            return f"{n / factor:g} {unit}"
    return f"{n} bytes"


class Pages:
    """Page handlers of the request handler (``self`` is a :class:`http.server.BaseHTTPRequestHandler`)."""

    def _index(self) -> None:
        from ..errors import QueryError

        config = self.server.config
        url = self.server.url
        rows = ""
        try:
            engine = EndpointEngine(self.server.upstream.query_url, timeout=config.timeout)
            _cols, graphs = engine.select(
                "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g", {})
            for g, n in graphs:
                link = "/store?graph=" + urllib.parse.quote(g.value, safe="")
                rows += (f"<tr><td><a href='{html.escape(link)}'>{html.escape(g.value)}</a></td>"
                         f"<td class=n>{html.escape(n.value)}</td></tr>")
        except (QueryError, AttributeError) as exc:
            rows = f"<tr><td colspan=2>cannot list the graphs: {html.escape(str(exc))}</td></tr>"
        views = Path(config.build_dir) / "views"
        body = f"""
<p>The regulation knowledge graph of <code>{html.escape(str(config.build_dir))}</code>, read-only.</p>
<table>
<tr><th>SPARQL 1.1 query endpoint</th><td><code>{url('/sparql')}</code> (also <code>/query</code>):
  GET or POST <code>query=…</code>; the default graph is the union of the named graphs</td></tr>
<tr><th>SPARQL editor</th><td><a href="/ui/">{url('/ui/')}</a> (Oxigraph's YASGUI)</td></tr>
<tr><th>Graph Store Protocol (read)</th><td><code>{url('/store?graph=IRI')}</code></td></tr>
<tr><th>Query packs</th><td><a href="/queries/">{url('/queries/')}</a></td></tr>
<tr><th>Views</th><td>{f'<a href="/views/">{url("/views/")}</a>' if views.is_dir() else "none built yet"}</td></tr>
</table>
<p>Example: <code>curl {url('/sparql')} --data-urlencode 'query=SELECT * WHERE {{ ?s ?p ?o }} LIMIT 5'
-H 'Accept: text/csv'</code> &middot; <code>kg query --endpoint {url('/sparql')} NAME</code></p>
<h2>Named graphs</h2>
<table><tr><th>graph (download)</th><th>triples</th></tr>{rows}</table>"""
        self._page("regkg SPARQL endpoint", body)

    def _views(self, path: str) -> None:
        root = (Path(self.server.config.build_dir) / "views").resolve()
        if not root.is_dir():
            return self._page("No views", f"<p>No views have been built into <code>{html.escape(str(root))}</code> "
                                            "yet.</p>", status=404)
        rel = urllib.parse.unquote(path[len("/views/"):])
        target = (root / rel).resolve()
        if not target.is_relative_to(root) or not target.exists():
            return self._send(404, f"no view at {path}\n")
        if target.is_dir():
            if not path.endswith("/"):
                return self._redirect(path + "/")
            if (target / "index.html").is_file():
                target = target / "index.html"
            else:
                items = sorted(target.iterdir())
                links = "".join(f"<li><a href='{urllib.parse.quote(p.name)}{'/' if p.is_dir() else ''}'>"
                                f"{html.escape(p.name)}</a></li>" for p in items)
                return self._page("Views", f"<ul>{links}</ul>")
        ctype = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
        if ctype.startswith("text/") or ctype in ("application/javascript", "application/json", "image/svg+xml"):
            ctype += "; charset=utf-8"
        self._send(200, target.read_bytes(), headers={"content-type": ctype}, head=self.command == "HEAD")

    def _packs(self, path: str, query: str) -> None:

        rest = urllib.parse.unquote(path[len("/queries/"):]).strip("/")
        queries = discover()
        if not rest:
            return self._pack_index(queries)
        if rest.endswith(".rq") and rest[:-3] in queries:
            return self._send(200, queries[rest[:-3]].text, head=self.command == "HEAD")
        if rest not in queries:
            return self._send(404, f"no query {rest!r}: see {self.server.url('/queries/')}\n")
        return self._run_pack(queries[rest], query)

    def _pack_index(self, queries: dict) -> None:
        parts, pack = [], None
        for name, q in queries.items():
            if q.pack != pack:
                pack = q.pack
                parts.append(f"</ul><h2>{html.escape(pack)}</h2><ul>")
            params = ", ".join(p.name + ("*" if p.required and p.default is None else "") for p in q.params)
            extra = f" <small>({html.escape(params)})</small>" if params else ""
            parts.append(f"<li><a href='/queries/{html.escape(name)}'>{html.escape(name)}</a> "
                         f"&mdash; {html.escape(q.title)}{extra}"
                         f" <small><a href='/queries/{html.escape(name)}.rq'>.rq</a></small></li>")
        body = ("<p>Each query runs on this server's SPARQL endpoint; parameters marked * are required. "
                "Add <code>?format=csv|tsv|json|markdown</code> for data.</p><ul>" + "".join(parts) + "</ul>")
        self._page("Query packs", body)

    def _run_pack(self, q, query: str) -> None:
        from ..errors import QueryError

        form = urllib.parse.parse_qs(query, keep_blank_values=True)
        fmt = form.pop("format", ["html"])[-1]
        page_arg = form.pop("page", ["1"])[-1].strip() or "1"
        given = {k: v[-1] for k, v in form.items() if v[-1].strip()}
        missing = [p.name for p in q.params if p.required and p.default is None and p.name not in given]
        result, error = None, None
        if not missing or fmt != "html":
            try:
                page = None if page_arg == "all" else int(page_arg) if page_arg.isdigit() else page_arg
                result = run(q, EndpointEngine(self.server.upstream.query_url, timeout=self.server.config.timeout + 5),
                             given, page)
            except QueryError as exc:
                error = str(exc)
        if fmt != "html":
            if error is not None:
                return self._send(400, error + "\n")
            ctype = {"csv": "text/csv", "tsv": "text/tab-separated-values", "json": "application/json",
                     "markdown": "text/markdown"}.get(fmt, "text/plain")
            try:
                text = result.format(fmt)
            except QueryError as exc:
                return self._send(400, f"{exc}\n")
            headers = {"content-type": ctype + "; charset=utf-8"}
            if result.page_note():
                headers["x-kg-page"] = result.page_note("page={n}", "page=all")
            return self._send(200, text, headers=headers)
        inputs = "".join(
            f"<label>{html.escape(p.name)}{'*' if p.required and p.default is None else ''} "
            f"<input name='{html.escape(p.name)}' value='{html.escape(given.get(p.name, ''))}' "
            f"placeholder='{html.escape(p.default or p.type)}' title='{html.escape(p.help)}'></label> "
            for p in q.params)
        body = (f"<p>{html.escape(q.description)}</p><form method=get>{inputs}<button>run</button> "
                f"<small><a href='/queries/{html.escape(q.name)}.rq'>SPARQL</a></small></form>")
        if error:
            body += f"<p class=error>{html.escape(error)}</p>"
        elif missing:
            body += f"<p>Give {html.escape(', '.join(missing))} to run this query.</p>"
        elif result is not None:
            head = "".join(f"<th>{html.escape(c)}</th>" for c in result.columns)
            cells = "".join("<tr>" + "".join(f"<td>{'' if v is None else html.escape(str(v))}</td>" for v in row)
                            + "</tr>" for row in result.values())
            n = len(result.rows)
            body += f"<p>{n} row{'s' if n != 1 else ''}{self._page_links(result, given)}</p>"
            body += f"<table><tr>{head}</tr>{cells}</table>"
        self._page(q.title or q.name, body, status=400 if error else 200)

    @staticmethod
    def _page_links(result, given: dict) -> str:
        """The part of the listing a page of rows is, with links to the next page and to every row."""
        if not result.page_note():
            return ""

        def link(page) -> str:
            return html.escape("?" + urllib.parse.urlencode({**given, "page": page}))

        span = f"rows {result.first_row}–{result.first_row + len(result.rows) - 1}" if result.rows else "no rows"
        text = f": page {result.page} of the listing ({span}, {result.page_size} a page)"
        if result.more:
            text += f"; <a href='{link(result.page + 1)}'>next page</a>"
        return text + f"; <a href='{link('all')}'>every row</a>"

    # ------------------------------------------------------------ responses

    def _page(self, title: str, body: str, status: int = 200) -> None:
        page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:70em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}}td.n{{text-align:right}}
.error{{color:#a00;white-space:pre-line}}label{{margin-right:1em}}</style></head>
<body><p><a href="/">regkg</a> &middot; <a href="/queries/">query packs</a> &middot; <a href="/ui/">SPARQL editor</a>
&middot; <a href="/views/">views</a></p><h1>{html.escape(title)}</h1>
{body}
</body></html>
"""
        self._send(status, page, headers={"content-type": "text/html; charset=utf-8"}, head=self.command == "HEAD")
