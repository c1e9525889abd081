"""The Oxigraph SPARQL server, run as a child process over a built store.

``oxigraph serve-read-only`` (from the PyPI package ``oxigraph``) answers the SPARQL 1.1
Protocol on a private loopback port; :mod:`kg.serve.front` stands in front of it.
"""

from __future__ import annotations

import ctypes
import http.client
import ipaddress
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..errors import ServeError
from ..store.store import STORE, check_derivations, open_store

DEFAULT_HOST = "127.0.0.1"


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


def check_build(build_dir: Path) -> Path:
    """The store folder of a build, after checking that it opens (read-only); StoreError if not."""

    store = open_store(build_dir)  # finishes an interrupted swap, raises a clear StoreError
    check_derivations(build_dir)
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


