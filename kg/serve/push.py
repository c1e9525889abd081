"""``kg push``: load a build into any SPARQL 1.1 server.

Through the Graph Store Protocol (``PUT`` then ``POST ...?graph=IRI``) or, where a server has
none, SPARQL Update (``DROP SILENT GRAPH`` then ``INSERT DATA``). Each named graph of the build
(one per source document, the ontology, the registry, the derived tallies) goes into the same named graph on the
server and replaces it whole, and nothing else on the server is touched; ``--graph IRI`` puts
the union into one graph instead. Large graphs go in batches; transient failures (connection
errors, 5xx, 408, 429) are retried with exponential backoff; a failed push says which graphs
were written completely, partly, or not at all, and a re-run completes it.
"""

from __future__ import annotations

import base64
import http.client
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ..errors import KgError, StoreError
from ..model.terms import GRAPH
from ..query.engines import split_auth
from ..store.dumps import NQUADS

DEFAULT_BATCH = 20_000  # triples per push request

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


class PushError(KgError):
    """A push stopped; :attr:`report` says what was and was not written."""

    def __init__(self, message: str, report: PushReport):
        super().__init__(message)
        self.report = report

    def lines(self) -> list[str]:
        return ([f"push to {self.report.endpoint} stopped: {self}"] + ["  " + line for line in self.report.lines()]
                + ["Each graph is replaced whole, so running the same command again completes the push."])


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
                known = ", ".join(sorted(graph_name(g) for g in graphs if g is not None))
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


def graph_name(iri: str) -> str:
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


