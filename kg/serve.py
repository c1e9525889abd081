"""``kg serve`` and ``kg push``: the graph over the standard SPARQL 1.1 protocols.

``kg serve`` answers the SPARQL 1.1 Protocol through Oxigraph's own HTTP server
(``oxigraph serve-read-only``, from the PyPI package ``oxigraph``), run as a child process
on a private loopback port over the built store, with the default graph the union of the
named graphs. A small stdlib front (:mod:`http.server`) listens on the public address: it
passes SPARQL queries to Oxigraph unchanged (no SPARQL is evaluated in Python), refuses every
write (SPARQL Update, Graph Store PUT/POST/DELETE) with 403, caps the size of a result, and
serves the HTML views (``<build>/views/``) and the query packs (``queries/``) beside the
endpoint. When ``kg build`` replaces the store, a new Oxigraph process takes over.

``kg push`` loads the built graph (``graph.nq``) into any SPARQL 1.1 server: through the
Graph Store Protocol (``PUT`` then ``POST ...?graph=IRI``) or, where a server has none, SPARQL
Update (``DROP SILENT GRAPH`` then ``INSERT DATA``). Each named graph of the build (one per
source document, the ontology, the registry) goes into the same named graph on the server and
replaces it whole, and nothing else on the server is touched; ``--graph IRI`` puts the union
into one graph instead. Large graphs go in batches; transient failures (connection errors,
5xx, 408, 429) are retried with exponential backoff; a failed push says which graphs were
written completely, partly, or not at all, and a re-run completes it.
"""

from __future__ import annotations

import base64
import ctypes
import errno
import html
import http.client
import ipaddress
import math
import mimetypes
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import click
import pyoxigraph as ox

from . import paths
from .store import NQUADS, STORE, StoreError
from .vocab import GRAPH

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0  # seconds per query
DEFAULT_MAX_RESULT = 50 * 1024**2  # bytes of one answer
MAX_REQUEST = 10 * 1024**2  # bytes of one query request
DEFAULT_BATCH = 20_000  # triples per push request
READ_ONLY_MESSAGE = ("kg serve is read-only: SPARQL Update and Graph Store writes are refused. "
                     "Load the graph into a writable server with `kg push`.\n")


class ServeError(Exception):
    """``kg serve`` cannot run: no server binary, a busy or forbidden address, a server that failed."""


# ---------------------------------------------------------------- helpers


def find_oxigraph() -> str:
    """The ``oxigraph`` executable: ``$KG_OXIGRAPH``, else the one beside this Python (a virtualenv's
    ``bin/``), else the first on ``PATH``."""
    env = os.environ.get("KG_OXIGRAPH")
    if env:
        return env
    name = "oxigraph.exe" if os.name == "nt" else "oxigraph"
    local = Path(sys.executable).parent / name
    if local.is_file() and os.access(local, os.X_OK):
        return str(local)
    found = shutil.which("oxigraph")
    if found:
        return found
    raise ServeError("the Oxigraph server is not installed: `pip install oxigraph` provides the `oxigraph` command")


def is_loopback(host: str) -> bool:
    """Whether ``host`` only accepts connections from this machine."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port nothing listens on at ``host`` right now."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.bind((host.strip("[]"), 0))
        return s.getsockname()[1]


def http_url(host: str, port: int, path: str = "") -> str:
    """``http://host:port/path``, brackets around an IPv6 address."""
    host = host.strip("[]")
    return f"http://{f'[{host}]' if ':' in host else host}:{port}{path}"


def parse_size(value: str) -> int:
    """Bytes of a size such as ``50MB``, ``200k``, ``1g`` or ``50`` (MB)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmg]?)i?b?\s*", value.lower())
    if not m:
        raise ValueError(f"{value!r} is not a size such as 50MB, 200k or 1g")
    return int(float(m.group(1)) * {"": 1024**2, "k": 1024, "m": 1024**2, "g": 1024**3}[m.group(2)])


def check_build(build_dir: Path) -> Path:
    """The store folder of a build, after checking that it opens (read-only); StoreError if not."""
    from .store import open_store

    store = open_store(build_dir)  # finishes an interrupted swap, raises a clear StoreError
    del store
    return Path(build_dir) / STORE


try:  # the Oxigraph child dies with us even if we are killed (Linux: PR_SET_PDEATHSIG)
    _prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform.startswith("linux") else None
except (OSError, AttributeError):  # pragma: no cover - not glibc
    _prctl = None


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    if _prctl is not None:
        _prctl(1, signal.SIGTERM)


# ---------------------------------------------------------------- the Oxigraph server process


class OxigraphServer:
    """An Oxigraph HTTP server (``oxigraph serve`` or ``serve-read-only``) run as a child process.

    ``location`` is the store folder (None: an in-memory store, read-write only). The server
    listens on ``host:port`` (port None or 0: a free port), and its SPARQL endpoint is
    :attr:`query_url`. Use as a context manager, or call :meth:`start` and :meth:`stop`."""

    def __init__(self, location: Path | None, *, host: str = DEFAULT_HOST, port: int | None = None,
                 read_only: bool = True, union_default_graph: bool = True, timeout: float | None = None,
                 cors: bool = False, executable: str | None = None):
        if read_only and location is None:
            raise ValueError("a read-only Oxigraph server needs a store location")
        self.location = location
        self.host = host
        self.port = port
        self.read_only = read_only
        self.union_default_graph = union_default_graph
        self.timeout = timeout
        self.cors = cors
        self.executable = executable
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def url(self) -> str:
        """The server's base URL."""
        return http_url(self.host, self.port or 0)

    @property
    def query_url(self) -> str:
        """The SPARQL 1.1 query endpoint."""
        return self.url + "/query"

    def command(self) -> list[str]:
        """The command line that starts the server."""
        host = self.host.strip("[]")
        cmd = [self.executable or find_oxigraph(), "serve-read-only" if self.read_only else "serve"]
        if self.location is not None:
            cmd += ["--location", str(self.location)]
        cmd += ["--bind", f"[{host}]:{self.port}" if ":" in host else f"{host}:{self.port}"]
        if self.union_default_graph:
            cmd.append("--union-default-graph")
        if self.timeout:
            cmd += ["--timeout-s", str(max(1, math.ceil(self.timeout)))]
        if self.cors:
            cmd.append("--cors")
        return cmd

    def start(self, wait: float = 30.0) -> OxigraphServer:
        """Start the server and wait until it answers a query; ServeError if it does not."""
        if not self.port:
            self.port = free_port(self.host)
        cmd = self.command()
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the process; closed by stop()
        try:
            self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT,
                                            preexec_fn=_die_with_parent if _prctl is not None else None)
        except OSError as exc:
            raise ServeError(f"cannot run {cmd[0]}: {exc.strerror or exc}") from None
        deadline = time.monotonic() + wait
        while not self.ready():
            if self.process.poll() is not None:
                message = self.error_text()
                self.stop()
                raise ServeError(f"the Oxigraph server stopped at start: {message}")
            if time.monotonic() > deadline:
                self.stop()
                raise ServeError(f"the Oxigraph server did not answer within {wait:.0f}s")
            time.sleep(0.05)
        return self

    def ready(self) -> bool:
        """Whether the server answers a SPARQL query."""
        if self.process is None or self.process.poll() is not None:
            return False
        conn = http.client.HTTPConnection(self.host.strip("[]"), self.port, timeout=2)
        try:
            conn.request("GET", "/query?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"})
            return conn.getresponse().status == 200
        except (OSError, http.client.HTTPException):
            return False
        finally:
            conn.close()

    def error_text(self) -> str:
        """The server's error message (its first ``Error:`` line, else its last line)."""
        if self._log is None:
            return "no output"
        self._log.seek(0)
        lines = [ln.strip() for ln in self._log.read().decode("utf-8", "replace").splitlines() if ln.strip()]
        errors = [ln.removeprefix("Error:").strip() for ln in lines if ln.startswith("Error:")]
        return errors[0] if errors else (lines[-1] if lines else "no output")

    def stop(self, grace: float = 5.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after ``grace`` seconds). Idempotent."""
        proc, self.process = self.process, None
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(grace)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self._log is not None and proc is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> OxigraphServer:
        return self.start() if self.process is None else self

    def __exit__(self, *exc) -> None:
        self.stop()


# ---------------------------------------------------------------- kg serve: the front


@dataclass
class ServeConfig:
    """What ``kg serve`` serves and how."""

    build_dir: Path
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    timeout: float = DEFAULT_TIMEOUT
    max_result_bytes: int = DEFAULT_MAX_RESULT
    cors: bool = False
    watch: bool = True
    log_requests: bool = True


# request headers passed to Oxigraph, and response headers passed back
_REQUEST_HEADERS = ("Accept", "Content-Type", "Origin", "Access-Control-Request-Method",
                    "Access-Control-Request-Headers")
_RESPONSE_HEADERS = ("content-type", "content-disposition", "vary", "allow", "access-control-allow-origin",
                     "access-control-allow-methods", "access-control-allow-headers", "access-control-max-age",
                     "access-control-expose-headers")
_UI_ASSETS = ("/yasgui.min.js", "/yasgui.min.css", "/logo.svg")


class KgServer(ThreadingHTTPServer):
    """The public side of ``kg serve``: binds the address at creation (so a busy port fails before
    anything starts), then :meth:`start` starts Oxigraph behind it."""

    daemon_threads = True
    allow_reuse_port = False  # a busy port must fail, whatever the Python version's default

    def __init__(self, config: ServeConfig, log: Callable[[str], None] | None = None):
        self.config = config
        self.upstream: OxigraphServer | None = None
        self._retired: list[OxigraphServer] = []
        self._stopping = threading.Event()
        self._watcher: threading.Thread | None = None
        self._log = log or (lambda msg: print(msg, file=sys.stderr, flush=True))
        self.address_family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
        host = config.host.strip("[]")
        try:
            super().__init__((host, config.port), _Handler)
        except socket.gaierror:
            raise ServeError(f"cannot listen on {config.host!r}: not a known host name or address") from None
        except OSError as exc:
            raise ServeError(_bind_error(config.host, config.port, exc)) from None

    @property
    def port(self) -> int:
        """The port listened on (the chosen one when asked for port 0)."""
        return self.server_address[1]

    def url(self, path: str = "") -> str:
        """A URL of this server."""
        return http_url(self.config.host, self.port, path)

    def _oxigraph(self) -> OxigraphServer:
        return OxigraphServer(Path(self.config.build_dir) / STORE, timeout=self.config.timeout, cors=self.config.cors)

    def start(self) -> None:
        """Start Oxigraph on the store and, with ``watch``, the thread that follows rebuilds."""
        self.upstream = self._oxigraph().start()
        if self.config.watch:
            self._watcher = threading.Thread(target=self._watch, name="kg-serve-watch", daemon=True)
            self._watcher.start()

    def _store_id(self) -> tuple[int, int] | None:
        try:
            st = os.stat(Path(self.config.build_dir) / STORE)
        except OSError:
            return None
        return st.st_dev, st.st_ino

    def _watch(self) -> None:
        """Serve the new store when ``kg build`` swaps one in (the build folder is replaced whole)."""
        current = self._store_id()
        while not self._stopping.wait(2.0):
            now = self._store_id()
            if now is None or now == current:
                continue
            current = now
            try:
                fresh = self._oxigraph().start()
            except ServeError as exc:
                self._log(f"kg serve: the rebuilt store cannot be served ({exc}); still serving the previous one")
                continue
            if self._stopping.is_set():  # closed meanwhile
                fresh.stop()
                return
            old, self.upstream = self.upstream, fresh
            if old is not None:  # let queries running on it finish
                self._retired.append(old)
                timer = threading.Timer(self.config.timeout + 5, old.stop)
                timer.daemon = True
                timer.start()
            self._log("kg serve: the graph was rebuilt; now serving the new store")

    def close(self) -> None:
        """Stop listening and stop every Oxigraph process started."""
        self._stopping.set()
        self.server_close()
        for server in [self.upstream, *self._retired]:
            if server is not None:
                server.stop()
        self.upstream = None


def _bind_error(host: str, port: int, exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (f"port {port} on {host} is already in use (another kg serve or server?): "
                "choose another with --port, or --port 0 for any free port")
    if exc.errno == errno.EACCES:
        return f"not allowed to listen on port {port} (ports below 1024 need privileges): choose another with --port"
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen on {host}: it is not an address of this machine"
    return f"cannot listen on {host}:{port}: {exc.strerror or exc}"


class _Handler(BaseHTTPRequestHandler):
    """Routes: SPARQL to Oxigraph, writes refused, views and packs from disk."""

    server: KgServer
    server_version = "kg-serve"

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_PUT(self) -> None:
        self._dispatch("PUT")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def do_PATCH(self) -> None:
        self._dispatch("PATCH")

    def do_OPTIONS(self) -> None:
        self._dispatch("OPTIONS")

    def log_message(self, format: str, *args) -> None:
        if self.server.config.log_requests:
            sys.stderr.write(f"{self.address_string()} - [{self.log_date_time_string()}] {format % args}\n")

    # ------------------------------------------------------------ routing

    def _dispatch(self, method: str) -> None:
        url = urllib.parse.urlsplit(self.path)
        path = url.path
        if path.startswith("/ui/") and path != "/ui/":
            path = path[3:]  # Oxigraph's query editor at /ui/ asks /ui/sparql and /ui/yasgui.min.js
        try:
            if path in ("/sparql", "/query"):
                self._sparql(method, path, url.query)
            elif path == "/update":
                self._refuse()
            elif path == "/store":
                if method in ("GET", "HEAD", "OPTIONS"):
                    self._forward(method, path, url.query)
                else:
                    self._refuse()
            elif method not in ("GET", "HEAD"):
                self._send(405, "only GET and HEAD here\n", headers={"Allow": "GET, HEAD"})
            elif path == "/":
                self._index()
            elif path in ("/ui", "/views", "/queries"):
                self._redirect(path + "/")
            elif path == "/ui/":
                self._forward(method, "/", "")
            elif path in _UI_ASSETS:
                self._forward(method, path, "")
            elif path.startswith("/views/"):
                self._views(path)
            elif path.startswith("/queries/"):
                self._packs(path, url.query)
            else:
                self._send(404, f"nothing at {path}: see {self.server.url('/')}\n")
        except (BrokenPipeError, ConnectionResetError):
            pass

    # ------------------------------------------------------------ SPARQL

    def _sparql(self, method: str, path: str, query: str) -> None:
        if method == "OPTIONS":
            return self._forward(method, path, query)
        if method in ("GET", "HEAD"):
            if "update" in urllib.parse.parse_qs(query):
                return self._refuse()
            return self._forward(method, path, query)
        if method != "POST":
            return self._send(405, "SPARQL queries are GET or POST\n", headers={"Allow": "GET, POST, HEAD, OPTIONS"})
        body = self._read_body()
        if body is None:
            return None
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        form = {}
        if ctype == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        if ctype == "application/sparql-update" or "update" in form or "update" in urllib.parse.parse_qs(query):
            return self._refuse()
        return self._forward(method, path, query, body)

    def _read_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None or not length.strip().isdigit():
            self._send(411, "a POST needs a Content-Length\n")
            return None
        if int(length) > MAX_REQUEST:
            self._send(413, f"the request is larger than {MAX_REQUEST // 1024**2} MB\n")
            return None
        return self.rfile.read(int(length))

    def _refuse(self) -> None:
        self._send(403, READ_ONLY_MESSAGE)

    def _forward(self, method: str, path: str, query: str, body: bytes | None = None) -> None:
        """Pass the request to Oxigraph and its answer back, refusing answers over the size limit."""
        upstream = self.server.upstream
        config = self.server.config
        if upstream is None:
            return self._send(503, "the SPARQL server is not running\n")
        headers = {k: v for k in _REQUEST_HEADERS if (v := self.headers.get(k))}
        if body is not None:
            headers["Content-Length"] = str(len(body))
        conn = http.client.HTTPConnection(upstream.host, upstream.port, timeout=config.timeout + 15)
        limit = config.max_result_bytes
        try:
            conn.request(method, path + ("?" + query if query else ""), body=body, headers=headers)
            resp = conn.getresponse()
            length = resp.getheader("Content-Length")
            too_large = method != "HEAD" and length is not None and length.isdigit() and int(length) > limit
            chunks: list[bytes] = []
            total = 0
            while not too_large and (chunk := resp.read(65536)):
                total += len(chunk)
                too_large = total > limit
                chunks.append(chunk)
        except TimeoutError:
            return self._send(504, "the SPARQL server did not answer in time\n")
        except (OSError, http.client.HTTPException) as exc:
            return self._send(502, f"the SPARQL server is not answering: {exc}\n")
        finally:
            conn.close()
        if too_large:
            return self._send(413, f"the result is larger than this server's limit of {_size(limit)} "
                                   "(kg serve --max-result-size): add a LIMIT or narrow the query\n")
        data = b"".join(chunks)
        passed = {k.lower(): v for k, v in resp.getheaders() if k.lower() in _RESPONSE_HEADERS}
        if method == "HEAD" and length is not None:
            passed["content-length"] = length
        self._send(resp.status, data, headers=passed, reason=resp.reason, head=method == "HEAD")

    # ------------------------------------------------------------ pages

    def _index(self) -> None:
        from .packs import EndpointEngine, QueryError

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
        from .packs import discover

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
        from .packs import EndpointEngine, QueryError, run

        form = urllib.parse.parse_qs(query, keep_blank_values=True)
        fmt = form.pop("format", ["html"])[-1]
        given = {k: v[-1] for k, v in form.items() if v[-1].strip()}
        missing = [p.name for p in q.params if p.required and p.default is None and p.name not in given]
        result, error = None, None
        if not missing or fmt != "html":
            try:
                result = run(q, EndpointEngine(self.server.upstream.query_url, timeout=self.server.config.timeout + 5),
                             given)
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
            return self._send(200, text, headers={"content-type": ctype + "; charset=utf-8"})
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
            body += f"<p>{n} row{'s' if n != 1 else ''}</p><table><tr>{head}</tr>{cells}</table>"
        self._page(q.title or q.name, body, status=400 if error else 200)

    # ------------------------------------------------------------ responses

    def _page(self, title: str, body: str, status: int = 200) -> None:
        page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:70em}}table{{border-collapse:collapse}}
td,th{{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}}td.n{{text-align:right}}
.error{{color:#a00}}label{{margin-right:1em}}</style></head>
<body><p><a href="/">regkg</a> &middot; <a href="/queries/">query packs</a> &middot; <a href="/ui/">SPARQL editor</a>
&middot; <a href="/views/">views</a></p><h1>{html.escape(title)}</h1>
{body}
</body></html>
"""
        self._send(status, page, headers={"content-type": "text/html; charset=utf-8"}, head=self.command == "HEAD")

    def _redirect(self, location: str) -> None:
        self._send(301, f"see {location}\n", headers={"location": location})

    def _send(self, status: int, body: str | bytes, *, headers: dict[str, str] | None = None, reason: str | None = None,
              head: bool = False) -> None:
        data = body.encode("utf-8") if isinstance(body, str) else body
        headers = dict(headers or {})
        headers.setdefault("content-type", "text/plain; charset=utf-8")
        headers.setdefault("content-length", str(len(data)))
        self.send_response(status, reason)
        for k, v in headers.items():
            self.send_header("-".join(w.capitalize() for w in k.split("-")), v)
        self.end_headers()
        if not head and data:
            self.wfile.write(data)


def _size(n: int) -> str:
    for unit, factor in (("GB", 1024**3), ("MB", 1024**2), ("kB", 1024)):
        if n >= factor:
            return f"{n / factor:g} {unit}"
    return f"{n} bytes"


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def serve_graph(config: ServeConfig, *, echo: Callable[[str], None] | None = None) -> None:
    """Serve the build of ``config`` until Ctrl-C or SIGTERM, then stop Oxigraph.

    Raises StoreError for a missing or damaged build and ServeError for a busy address or
    a server that cannot start; nothing keeps running after either."""
    echo = echo or (lambda msg: print(msg, flush=True))
    build_dir = Path(config.build_dir)
    check_build(build_dir)
    find_oxigraph()
    server = KgServer(config)  # binds now: a busy port fails before Oxigraph starts
    try:
        server.start()
        _announce(server, echo)
        handlers = {}
        if threading.current_thread() is threading.main_thread():
            # Ctrl-C and SIGTERM stop the server, even when started with SIGINT ignored (a shell's `&`)
            handlers = {sig: signal.signal(sig, handler) for sig, handler in
                        ((signal.SIGINT, signal.default_int_handler), (signal.SIGTERM, _interrupt))}
        try:
            server.serve_forever(poll_interval=0.5)
        except KeyboardInterrupt:
            echo("kg serve: stopping")
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)
    finally:
        server.close()


def _announce(server: KgServer, echo: Callable[[str], None]) -> None:
    config = server.config
    url = server.url
    try:
        from .store import read_manifest

        manifest = read_manifest(config.build_dir)
        what = f"{manifest.get('quads', '?')} quads, built {manifest.get('built_at', '?')}"
    except (StoreError, ValueError, OSError):
        what = "no build manifest"
    views = Path(config.build_dir) / "views"
    echo(f"kg serve: {config.build_dir} ({what}) over SPARQL 1.1, read-only, through Oxigraph")
    echo(f"  SPARQL endpoint    {url('/sparql')}   (also {url('/query')})")
    echo(f"  SPARQL editor      {url('/ui/')}")
    echo(f"  graph store (GET)  {url('/store?graph=IRI')}")
    echo(f"  query packs        {url('/queries/')}")
    echo(f"  views              {url('/views/') if views.is_dir() else '(none built yet)'}")
    echo(f"  home               {url('/')}")
    echo(f"  queries time out after {config.timeout:g}s; results over {_size(config.max_result_bytes)} are refused"
         + ("; follows rebuilds" if config.watch else ""))
    if not is_loopback(config.host):
        echo(f"warning: listening on {config.host}, not only on loopback: any machine that can reach this one can "
             "query the graph (read-only, no authentication)")
    echo("Ctrl-C stops.")


# ---------------------------------------------------------------- kg push


class PushFailure(Exception):
    """One request failed for good (after its retries)."""

    def __init__(self, message: str, status: int | None = None, transient: bool = False):
        super().__init__(message)
        self.status = status
        self.transient = transient


@dataclass
class GraphPush:
    """The progress of one graph of a push."""

    iri: str | None  # None: the default graph
    triples: int
    batches: int
    sent: int = 0  # triples acknowledged by the server
    done: int = 0  # batches acknowledged

    @property
    def label(self) -> str:
        """``<iri>``, or ``the default graph``."""
        return "the default graph" if self.iri is None else f"<{self.iri}>"

    @property
    def state(self) -> str:
        """``written`` (completely), ``partial`` (the server holds an incomplete graph) or ``pending``."""
        if self.done == self.batches:
            return "written"
        return "partial" if self.done else "pending"


@dataclass
class PushReport:
    """What a push did."""

    endpoint: str
    protocol: str  # "gsp" or "update": the one used in the end
    graphs: list[GraphPush] = field(default_factory=list)
    requests: int = 0
    retries: int = 0
    seconds: float = 0.0
    note: str = ""

    def state(self, state: str) -> list[GraphPush]:
        """The graphs in a state (written, partial, pending)."""
        return [g for g in self.graphs if g.state == state]

    @property
    def triples(self) -> int:
        """Triples acknowledged by the server."""
        return sum(g.sent for g in self.graphs)

    def lines(self) -> list[str]:
        """What was and was not written, for people."""
        out = []
        written, partial, pending = self.state("written"), self.state("partial"), self.state("pending")
        if written:
            out.append(f"written completely ({len(written)}): " + ", ".join(g.label for g in written))
        for g in partial:
            out.append(f"partly written: {g.label}: {g.sent} of {g.triples} triples; the server holds an incomplete "
                       "graph until a re-run replaces it")
        if pending:
            out.append(f"not written ({len(pending)}): " + ", ".join(g.label for g in pending))
        return out


class PushError(Exception):
    """A push stopped; :attr:`report` says what was and was not written."""

    def __init__(self, message: str, report: PushReport):
        super().__init__(message)
        self.report = report


def load_graphs(build_dir: Path) -> dict[str | None, list[ox.Triple]]:
    """The triples of each graph of a build's ``graph.nq`` (key None: the default graph)."""
    path = Path(build_dir) / NQUADS
    if not path.is_file():
        raise StoreError(f"no built graph in {build_dir}: run `kg build` first")
    graphs: dict[str | None, list[ox.Triple]] = {}
    for q in ox.parse(path=str(path), format=ox.RdfFormat.N_QUADS):
        name = None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        graphs.setdefault(name, []).append(ox.Triple(q.subject, q.predicate, q.object))
    first = [None, str(GRAPH["ontology"]), str(GRAPH["registry"])]  # the foundations, then the documents
    return {g: graphs[g] for g in sorted(graphs, key=lambda g: (first.index(g) if g in first else 3, g or ""))}


def select_graphs(graphs: dict[str | None, list[ox.Triple]], only: Iterable[str] = (),
                  into: str | None = None) -> dict[str | None, list[ox.Triple]]:
    """The graphs to push: those named in ``only`` (a document id, ``ontology``, ``registry`` or an
    IRI; all when empty), merged into the one graph ``into`` when given."""
    only = list(only)
    if only:
        chosen = {}
        for name in only:
            hits = [g for g in graphs if g is not None and g in (name, str(GRAPH[name]), str(GRAPH["doc/" + name]))]
            if not hits:
                known = ", ".join(sorted(_short(g) for g in graphs if g is not None))
                raise ValueError(f"no graph {name!r} in the build; it has: {known}")
            chosen.update({g: graphs[g] for g in hits})
        graphs = chosen
    if into is not None:
        try:
            ox.NamedNode(into)
        except ValueError:
            raise ValueError(f"--graph {into!r} is not an absolute IRI") from None
        union = list(dict.fromkeys(t for triples in graphs.values() for t in triples))
        graphs = {into: union}
    return graphs


def _short(iri: str) -> str:
    base = str(GRAPH)
    return iri[len(base):].removeprefix("doc/") if iri.startswith(base) else iri


def batches(triples: list[ox.Triple], size: int) -> list[list[ox.Triple]]:
    """The triples in batches of at most ``size``, keeping the triples that share a blank node in one
    batch (blank node labels only hold within one request). An empty graph is one empty batch."""
    parent: dict[ox.BlankNode, ox.BlankNode] = {}

    def find(b: ox.BlankNode) -> ox.BlankNode:
        while parent.setdefault(b, b) != b:
            parent[b] = parent[parent[b]]
            b = parent[b]
        return b

    plain, linked = [], []
    for t in triples:
        blanks = [x for x in (t.subject, t.object) if isinstance(x, ox.BlankNode)]
        if not blanks:
            plain.append(t)
            continue
        root = find(blanks[0])
        for b in blanks[1:]:
            parent[find(b)] = root
        linked.append((t, blanks[0]))
    clusters: dict[ox.BlankNode, list[ox.Triple]] = {}
    for t, b in linked:
        clusters.setdefault(find(b), []).append(t)
    out: list[list[ox.Triple]] = []
    current: list[ox.Triple] = []
    for unit in [*clusters.values(), *([t] for t in plain)]:
        if current and len(current) + len(unit) > size:
            out.append(current)
            current = []
        current.extend(unit)
    if current or not out:
        out.append(current)
    return out


def split_auth(endpoint: str) -> tuple[str, tuple[str, str] | None]:
    """The endpoint without user:password, and the user:password it held."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.username is None:
        return endpoint, None
    netloc = parts.netloc.rpartition("@")[2]
    user, password = urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), (user, password)


def parse_headers(values: Iterable[str]) -> dict[str, str]:
    """``NAME: VALUE`` strings as a dict (ValueError for one without a colon)."""
    out = {}
    for v in values:
        name, sep, value = v.partition(":")
        if not sep or not name.strip():
            raise ValueError(f"header {v!r}: write 'Name: value'")
        out[name.strip()] = value.strip()
    return out


class _Http:
    """Requests with authentication, retries and exponential backoff.

    With credentials, the first request goes without them and the server's challenge picks the
    scheme: digest (Virtuoso) through urllib's digest handler, else basic, sent up front from then
    on. A password is thus never sent in clear to a server that asked for digest."""

    def __init__(self, endpoint: str, report: PushReport, *, auth: tuple[str, str] | None, headers: dict[str, str],
                 timeout: float, retries: int, backoff: float, sleep: Callable[[float], None] = time.sleep):
        self.auth = auth
        self.scheme: str | None = None  # "basic" or "digest" once a server asked
        self.plain = urllib.request.build_opener()
        self.digest = self.plain
        if auth:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            manager.add_password(None, endpoint, auth[0], auth[1])
            self.digest = urllib.request.build_opener(urllib.request.HTTPDigestAuthHandler(manager))
        self.report = report
        self.headers = headers
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.sleep = sleep

    def _open(self, method: str, url: str, body: bytes, content_type: str) -> None:
        headers = {"Content-Type": content_type, **self.headers}
        if self.scheme == "basic" and self.auth:
            token = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        req = urllib.request.Request(url, data=body, method=method, headers=headers)
        with (self.digest if self.scheme == "digest" else self.plain).open(req, timeout=self.timeout) as resp:
            resp.read()

    def _open_or_status(self, method: str, url: str, body: bytes, content_type: str) -> None:
        """:meth:`_open`; when the server closes the connection while the body is still being sent
        (servers answer 401 before reading it, then hang up), a bodiless GET of the same URL with the
        same credentials learns the status, so a refusal is reported as one, not as a broken pipe."""
        try:
            self._open(method, url, body, content_type)
        except (urllib.error.URLError, BrokenPipeError, ConnectionResetError) as exc:
            if isinstance(exc, urllib.error.HTTPError) or not isinstance(
                    getattr(exc, "reason", exc), (BrokenPipeError, ConnectionResetError)):
                raise
            try:
                self._probe(url)
            except urllib.error.HTTPError as exc:
                if exc.code in (401, 403):
                    raise
            raise

    def _probe(self, url: str) -> None:
        headers = dict(self.headers)
        if self.scheme == "basic" and self.auth:
            token = base64.b64encode(f"{self.auth[0]}:{self.auth[1]}".encode()).decode()
            headers["Authorization"] = f"Basic {token}"
        req = urllib.request.Request(url, method="GET", headers=headers)
        with (self.digest if self.scheme == "digest" else self.plain).open(req, timeout=self.timeout) as resp:
            resp.read(1)

    def _attempt(self, method: str, url: str, body: bytes, content_type: str) -> None:
        try:
            self._open_or_status(method, url, body, content_type)
        except urllib.error.HTTPError as exc:
            if exc.code != 401 or not self.auth or self.scheme is not None:
                raise
            challenge = (exc.headers.get("WWW-Authenticate") or "").strip().lower() if exc.headers else ""
            self.scheme = "digest" if challenge.startswith("digest") else "basic"
            self._open_or_status(method, url, body, content_type)

    def send(self, method: str, url: str, body: bytes, content_type: str) -> None:
        """Send one request; PushFailure when it fails for good."""
        attempt = 0
        while True:
            self.report.requests += 1
            retry_after = None
            try:
                self._attempt(method, url, body, content_type)
                return
            except urllib.error.HTTPError as exc:
                detail = " ".join(exc.read().decode("utf-8", "replace").split())[:300]
                transient = (exc.code >= 500 and exc.code not in (501, 505)) or exc.code in (408, 429)
                failure = PushFailure(f"{exc.code} {exc.reason}" + (f": {detail}" if detail else ""), exc.code,
                                      transient)
                retry_after = exc.headers.get("Retry-After") if exc.headers else None
            except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
                reason = getattr(exc, "reason", None) or exc or type(exc).__name__
                failure = PushFailure(f"cannot reach the server: {reason}", None, True)
            if not failure.transient or attempt >= self.retries:
                if attempt:
                    failure.args = (f"{failure.args[0]} (after {attempt} retr{'y' if attempt == 1 else 'ies'})",)
                raise failure
            delay = min(self.backoff * 2**attempt, 30.0)
            if retry_after and retry_after.strip().isdigit():
                delay = max(delay, min(float(retry_after), 60.0))
            attempt += 1
            self.report.retries += 1
            self.sleep(delay)


def gsp_url(endpoint: str, iri: str | None) -> str:
    """The Graph Store Protocol URL of a graph: ``endpoint?graph=IRI`` (or ``?default``)."""
    target = "default" if iri is None else "graph=" + urllib.parse.quote(iri, safe="")
    return endpoint + ("&" if "?" in endpoint else "?") + target


def update_text(iri: str | None, ntriples: str, replace: bool) -> str:
    """A SPARQL Update that (replaces and) fills a graph with N-Triples."""
    target = "DEFAULT" if iri is None else f"GRAPH <{iri}>"
    data = ntriples if iri is None else f"GRAPH <{iri}> {{\n{ntriples}}}"
    return (f"DROP SILENT {target} ;\n" if replace else "") + f"INSERT DATA {{\n{data}\n}}"


_NO_GSP = (400, 404, 405, 406, 415, 501)  # answers of a URL that is not a Graph Store endpoint


def push_graphs(graphs: dict[str | None, list[ox.Triple]], endpoint: str, *, protocol: str = "auto",
                auth: tuple[str, str] | None = None, headers: dict[str, str] | None = None,
                batch_size: int = DEFAULT_BATCH, retries: int = 4, backoff: float = 0.5, timeout: float = 120.0,
                progress: Callable[[GraphPush, int], None] | None = None,
                sleep: Callable[[float], None] = time.sleep) -> PushReport:
    """Load each graph into the same named graph of a SPARQL 1.1 server, replacing it.

    ``protocol``: ``gsp`` (``endpoint`` is a Graph Store Protocol endpoint: the first batch of
    a graph is PUT, the others POSTed), ``update`` (``endpoint`` takes SPARQL Update: ``DROP
    SILENT GRAPH`` with the first batch, ``INSERT DATA``) or ``auto`` (GSP, and SPARQL Update
    at the same URL if the first request shows the URL is no Graph Store endpoint).
    ``progress(graph, triples)`` is called after each acknowledged batch. Raises PushError,
    whose report lists the graphs written completely, partly and not at all."""
    if protocol not in ("auto", "gsp", "update"):
        raise ValueError(f"unknown protocol {protocol!r}")
    plain, url_auth = split_auth(endpoint)
    if not re.match(r"^https?://", plain):
        raise ValueError(f"endpoint {plain!r} is not an http(s) URL")
    mode = "update" if protocol == "update" else "gsp"
    report = PushReport(plain, mode)
    client = _Http(plain, report, auth=auth or url_auth, headers=headers or {}, timeout=timeout, retries=retries,
                   backoff=backoff, sleep=sleep)
    planned = [(iri, batches(triples, batch_size)) for iri, triples in graphs.items()]
    report.graphs = [GraphPush(iri, len(graphs[iri]), len(b)) for iri, b in planned]
    start = time.monotonic()
    refusal = ""  # what the URL answered to a Graph Store PUT, when auto fell back to SPARQL Update
    try:
        for (iri, parts), state in zip(planned, report.graphs, strict=True):
            for i, batch in enumerate(parts):
                nt = ox.serialize(batch, format=ox.RdfFormat.N_TRIPLES) if batch else b""
                where = f"{state.label}, batch {i + 1} of {len(parts)}"
                if mode == "gsp":
                    try:
                        client.send("PUT" if i == 0 else "POST", gsp_url(plain, iri), nt, "application/n-triples")
                    except PushFailure as exc:
                        first = not any(g.done for g in report.graphs)
                        if not (protocol == "auto" and first and exc.status in _NO_GSP):
                            raise PushError(f"{where}: Graph Store {'PUT' if i == 0 else 'POST'} failed: {exc}",
                                            report) from None
                        mode = report.protocol = "update"
                        refusal = str(exc)
                        report.note = f"{plain} is no Graph Store endpoint (a PUT got {refusal}): used SPARQL Update"
                if mode == "update":
                    text = update_text(iri, nt.decode("utf-8"), replace=i == 0)
                    try:
                        client.send("POST", plain, urllib.parse.urlencode({"update": text}).encode("utf-8"),
                                    "application/x-www-form-urlencoded")
                    except PushFailure as exc:
                        hint = ""
                        if refusal and not report.triples:  # neither protocol works at this URL
                            hint = (f"; nor is it a Graph Store endpoint (a PUT got {refusal}): point --endpoint at "
                                    "the server's Graph Store or update endpoint (docs/servers.md)")
                        raise PushError(f"{where}: SPARQL Update failed: {exc}{hint}", report) from None
                state.done += 1
                state.sent += len(batch)
                if progress is not None:
                    progress(state, len(batch))
    except KeyboardInterrupt:
        raise PushError("interrupted", report) from None
    finally:
        report.seconds = time.monotonic() - start
    return report


# ---------------------------------------------------------------- the commands


def _errors(fn):
    """Clear messages and exit status 1 for this module's errors (and the library's, via kg.cli)."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from .cli import handle_errors
        from .packs import QueryError

        try:
            return handle_errors(fn)(*args, **kwargs)
        except (ServeError, QueryError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(1)
        except PushError as exc:
            click.echo(f"error: push to {exc.report.endpoint} stopped: {exc}", err=True)
            for line in exc.report.lines():
                click.echo("  " + line, err=True)
            click.echo("Each graph is replaced whole, so running the same command again completes the push.",
                       err=True)
            sys.exit(1)

    return wrapper


_build_dir_option = click.option("--build-dir", type=click.Path(file_okay=False, path_type=Path),
                                 help="Build output folder (default: $KG_BUILD_DIR or ./kg-build).")


@click.command()
@click.option("--host", default=DEFAULT_HOST, show_default=True,
              help="Address to listen on; anything but loopback exposes the graph to the network.")
@click.option("--port", default=DEFAULT_PORT, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on (0: any free port).")
@click.option("--timeout", default=DEFAULT_TIMEOUT, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Seconds a query may run.")
@click.option("--max-result-size", default="50MB", show_default=True,
              help="Refuse (HTTP 413) results larger than this: 50MB, 200k, 1g.")
@click.option("--cors", is_flag=True, help="Allow cross-origin requests (pages of other sites may query).")
@click.option("--watch/--no-watch", default=True, show_default=True,
              help="Serve the new store when `kg build` replaces it.")
@click.option("-q", "--quiet", is_flag=True, help="Do not log requests.")
@_build_dir_option
@_errors
def serve(host: str, port: int, timeout: float, max_result_size: str, cors: bool, watch: bool, quiet: bool,
          build_dir: Path | None) -> None:
    """Serve the built graph over SPARQL 1.1 (read-only), with the views and the query packs.

    SPARQL is answered by Oxigraph's server (`oxigraph serve-read-only`) on the built store,
    the default graph being the union of the named graphs; updates are refused. Listens on
    loopback unless --host says otherwise. Ctrl-C stops.

    \b
      kg serve                    # http://127.0.0.1:7878/
      kg query --endpoint http://127.0.0.1:7878/sparql authorities/most-active"""
    try:
        limit = parse_size(max_result_size)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--max-result-size") from None
    config = ServeConfig(paths.build_dir(build_dir), host=host, port=port, timeout=timeout, max_result_bytes=limit,
                         cors=cors, watch=watch, log_requests=not quiet)
    serve_graph(config, echo=click.echo)


@click.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The server's Graph Store Protocol endpoint (or SPARQL Update endpoint: see --protocol).")
@click.option("--graph", "into", metavar="IRI",
              help="Push the union into this one named graph (default: each graph into its own named graph).")
@click.option("--only", multiple=True, metavar="GRAPH",
              help="Push only this graph: a document id, ontology, registry or a graph IRI (repeatable).")
@click.option("--protocol", type=click.Choice(["auto", "gsp", "update"]), default="auto", show_default=True,
              help="gsp: Graph Store PUT/POST; update: SPARQL Update; auto: GSP, else Update at the same URL.")
@click.option("--auth", metavar="USER:PASSWORD", envvar="KG_PUSH_AUTH",
              help="Credentials, HTTP basic or digest as the server asks; default $KG_PUSH_AUTH.")
@click.option("-H", "--header", "headers", multiple=True, metavar="'NAME: VALUE'",
              help="An extra HTTP header, e.g. 'Authorization: Bearer TOKEN' (repeatable).")
@click.option("--batch-size", default=DEFAULT_BATCH, show_default=True, type=click.IntRange(1),
              help="Triples per request; a larger graph is sent as a PUT and then POSTs.")
@click.option("--retries", default=4, show_default=True, type=click.IntRange(0),
              help="Retries of a request after a connection error or a 5xx, 408 or 429 answer (backoff 0.5s, 1s, 2s…).")
@click.option("--timeout", default=120.0, show_default=True, type=click.FloatRange(0, min_open=True),
              help="Seconds to wait for one answer.")
@click.option("--dry-run", is_flag=True, help="Show the graphs and requests; send nothing.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
@_build_dir_option
@_errors
def push(endpoint: str, into: str | None, only: tuple[str, ...], protocol: str, auth: str | None,
         headers: tuple[str, ...], batch_size: int, retries: int, timeout: float, dry_run: bool,
         progress: bool | None, build_dir: Path | None) -> None:
    """Load the built graph into a SPARQL 1.1 server, replacing only its own graphs.

    Each named graph of the build (one per source document, the ontology, the registry)
    replaces the same named graph on the server; other graphs there are left alone.

    \b
      kg push --endpoint http://localhost:7878/store                       # Oxigraph
      kg push --endpoint http://localhost:3030/ds/data --auth admin:pw     # Fuseki
      kg push --endpoint http://localhost:8890/sparql-graph-crud-auth --auth dba:dba
      kg push --endpoint http://localhost:7878/update --protocol update
    docs/servers.md lists the URLs of Oxigraph, Fuseki, QLever, GraphDB, Virtuoso and Neptune."""
    from tqdm import tqdm

    credentials = None
    if auth:
        user, sep, password = auth.partition(":")
        if not sep:
            raise click.BadParameter("write USER:PASSWORD", param_hint="--auth")
        credentials = (user, password)
    try:
        extra = parse_headers(headers)
        graphs = select_graphs(load_graphs(paths.build_dir(build_dir)), only, into)
        if not re.match(r"^https?://", endpoint):
            raise ValueError(f"--endpoint {endpoint!r} is not an http(s) URL")
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    total = sum(len(t) for t in graphs.values())
    if dry_run:
        plain, _ = split_auth(endpoint)
        for iri, triples in graphs.items():
            n = len(batches(triples, batch_size))
            target = gsp_url(plain, iri) if protocol != "update" else plain
            click.echo(f"{'<' + iri + '>' if iri else 'default graph'}: {len(triples)} triples in {n} request(s) "
                       f"-> {target}")
        click.echo(f"{total} triples in {len(graphs)} graph(s); nothing sent (--dry-run)")
        return
    show = sys.stderr.isatty() if progress is None else progress
    with tqdm(total=total, unit="triple", unit_scale=True, desc="push", disable=not show, file=sys.stderr) as bar:

        def step(graph: GraphPush, n: int) -> None:
            bar.set_postfix_str(_short(graph.iri) if graph.iri else "default", refresh=False)
            bar.update(n)

        report = push_graphs(graphs, endpoint, protocol=protocol, auth=credentials, headers=extra,
                             batch_size=batch_size, retries=retries, timeout=timeout, progress=step)
    if report.note:
        click.echo(f"note: {report.note}", err=True)
    how = "the Graph Store Protocol" if report.protocol == "gsp" else "SPARQL Update"
    click.echo(f"pushed {report.triples} triples in {len(report.graphs)} graph(s) to {report.endpoint} with {how}: "
               f"{report.requests} request(s), {report.retries} retr{'y' if report.retries == 1 else 'ies'}, "
               f"{report.seconds:.1f}s")
    for g in report.graphs:
        click.echo(f"  {g.label}  {g.triples} triples")


__all__ = ["GraphPush", "KgServer", "OxigraphServer", "PushError", "PushReport", "ServeConfig", "ServeError",
           "batches", "find_oxigraph", "load_graphs", "push", "push_graphs", "select_graphs", "serve", "serve_graph"]
