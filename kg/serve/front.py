"""``kg serve``: a read-only front over Oxigraph's SPARQL server.

A small stdlib front (:mod:`http.server`) listens on the public address: it passes SPARQL
queries to Oxigraph unchanged (no SPARQL is evaluated in Python), refuses every write (SPARQL
Update, Graph Store PUT/POST/DELETE) with 403, caps the size of a result, answers 504 when a
query runs past the timeout, and serves the HTML views and query packs
(:mod:`kg.serve.pages`). When ``kg build`` replaces the store, a new Oxigraph process takes over.
"""

from __future__ import annotations

import errno
import http.client
import os
import signal
import socket
import sys
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from ..errors import ServeError, StoreError
from ..store.store import STORE
from .oxigraph import DEFAULT_HOST, OxigraphServer, check_build, find_oxigraph, http_url, is_loopback
from .pages import Pages, size_text

DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30.0  # seconds per query
DEFAULT_MAX_RESULT = 50 * 1024**2  # bytes of one answer
MAX_REQUEST = 10 * 1024**2  # bytes of one query request
READ_ONLY_MESSAGE = ("kg serve is read-only: SPARQL Update and Graph Store writes are refused. "
                     "Load the graph into a writable server with `kg push`.\n")


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



class _Handler(Pages, BaseHTTPRequestHandler):
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
            return self._refuse(read=True)
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

    def _refuse(self, read: bool = False) -> None:
        """Answer a write with 403, once its body is read (``read``: it was already): a server that
        answers and closes with a body unread resets the connection under a client still sending
        it, which then sees the reset instead of the answer (``kg push`` of a large graph did).
        A body beyond :data:`MAX_REQUEST` is not read: the connection is closed after the answer."""
        length = self.headers.get("Content-Length") or ""
        left = int(length) if not read and length.strip().isdigit() and int(length) <= MAX_REQUEST else 0
        while left > 0 and (chunk := self.rfile.read(min(left, 1 << 16))):
            left -= len(chunk)
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
        conn = http.client.HTTPConnection(upstream.host, upstream.port, timeout=config.timeout)
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
            return self._send(504, f"the query ran longer than this server's limit of {config.timeout:g}s "
                                   "(kg serve --timeout): narrow it or add a LIMIT\n")
        except (OSError, http.client.HTTPException) as exc:
            return self._send(502, f"the SPARQL server is not answering: {exc}\n")
        finally:
            conn.close()
        if too_large:
            return self._send(413, f"the result is larger than this server's limit of {size_text(limit)} "
                                   "(kg serve --max-result-size): add a LIMIT or narrow the query\n")
        data = b"".join(chunks)
        passed = {k.lower(): v for k, v in resp.getheaders() if k.lower() in _RESPONSE_HEADERS}
        if method == "HEAD" and length is not None:
            passed["content-length"] = length
        self._send(resp.status, data, headers=passed, reason=resp.reason, head=method == "HEAD")

    # ------------------------------------------------------------ pages



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
        from ..store.store import read_manifest

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
    echo(f"  queries time out after {config.timeout:g}s; results over {size_text(config.max_result_bytes)} are refused"
         + ("; follows rebuilds" if config.watch else ""))
    if not is_loopback(config.host):
        echo(f"warning: listening on {config.host}, not only on loopback: any machine that can reach this one can "
             "query the graph (read-only, no authentication)")
    echo("Ctrl-C stops.")


