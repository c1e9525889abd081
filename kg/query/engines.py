"""Where queries run: the embedded Oxigraph store or any SPARQL 1.1 endpoint.

Parameters are never pasted into query text: :func:`bind_values` puts a ``VALUES`` block of
RDF terms serialised by pyoxigraph at the start of the query's outermost WHERE group, the same
on the embedded store and on a remote endpoint.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor

import pyoxigraph as ox

from ..errors import QueryError
from ..model.terms import PREFIXES


def split_auth(url: str) -> tuple[str, tuple[str, str] | None]:
    """The URL without ``user:password@``, and the credentials it held (None when none)."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None:
        return url, None
    netloc = parts.netloc.rpartition("@")[2]
    user, password = urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or "")
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), (user, password)


class Engine:
    """Where queries run: the embedded store or a remote SPARQL 1.1 endpoint."""

    def select(self, text: str, bindings: dict[str, ox.NamedNode | ox.Literal]) -> tuple[list[str], list[list]]:
        """Column names and rows (pyoxigraph terms or None)."""
        raise NotImplementedError

    def select_values(self, text: str, bindings: dict) -> tuple[list[str], list[list[str | None]]]:
        """Column names and rows of the terms' values: an IRI, the lexical form of a literal, the id of a
        blank node, None when unbound (for readers of large results that need no more)."""
        columns, rows = self.select(text, bindings)
        return columns, [[t.value if t is not None else None for t in row] for row in rows]

    def prefetch(self, texts: Iterable[str]) -> None:
        """Start running the queries ``texts`` (without parameters), for :meth:`select_values` to read
        later, where the engine can run them while the caller works (here: nothing is started)."""

    def stop_prefetch(self) -> None:
        """Drop the queries started by :meth:`prefetch` that have not run yet."""


class StoreEngine(Engine):
    """The embedded Oxigraph store; the default graph is the union of all named graphs."""

    def __init__(self, store: ox.Store):
        self.store = store
        self._ahead: dict[str, Future] = {}
        self._pool: ThreadPoolExecutor | None = None

    def _query(self, text, bindings):
        try:
            return self.store.query(bind_values(text, bindings), use_default_graph_as_union=True, prefixes=PREFIXES)
        except SyntaxError as exc:
            raise QueryError(f"SPARQL syntax error: {exc}") from None
        except OSError as exc:
            raise QueryError(f"the store could not run the query: {exc}") from None

    def select(self, text, bindings):
        result = self._query(text, bindings)
        if isinstance(result, ox.QueryBoolean):
            return ["result"], [[ox.Literal(bool(result))]]
        if isinstance(result, ox.QueryTriples):
            return ["subject", "predicate", "object"], [[t.subject, t.predicate, t.object] for t in result]
        columns = [v.value for v in result.variables]
        # a solution iterates over its values in the order of the variables (None when unbound):
        # much cheaper than looking each one up by name
        return columns, [list(row) for row in result]

    def select_values(self, text, bindings):
        """As :meth:`Engine.select_values`; the solutions of a SELECT are read from Oxigraph's TSV
        serialisation (one string, split here: twice as fast as a Python object per term), made on
        the thread of :meth:`prefetch` when it started this query."""
        ahead = None if bindings else self._ahead.pop(text, None)
        solutions = ahead.result() if ahead is not None else self._solutions(text, bindings)
        if solutions is None:  # not a SELECT
            return super().select_values(text, bindings)
        columns, data = solutions
        lines = data.decode("utf-8").split("\n")
        # a header line, then one line per solution, each ended by a newline
        return columns, [list(map(_tsv_value, line.split("\t"))) for line in lines[1:-1]]

    def _solutions(self, text, bindings) -> tuple[list[str], bytes] | None:
        """The columns and the TSV results of a SELECT (None for another form of query)."""
        result = self._query(text, bindings)
        if not isinstance(result, ox.QuerySolutions):
            return None
        try:
            return [v.value for v in result.variables], result.serialize(format=ox.QueryResultsFormat.TSV)
        except OSError as exc:
            raise QueryError(f"the store could not run the query: {exc}") from None

    def prefetch(self, texts: Iterable[str]) -> None:
        """Run the queries ``texts`` one after the other on a thread: Oxigraph evaluates and serialises
        each without holding Python's GIL, so the caller reads the solutions of one while the next
        are made (the default views at 1M triples: the 13 queries of their networks take 2 s).
        The thread ends after the last; :meth:`stop_prefetch` waits for its end (an error is
        raised where the query's solutions are read)."""
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-prefetch")
        for text in texts:
            if text not in self._ahead:
                self._ahead[text] = self._pool.submit(self._solutions, text, {})

    def stop_prefetch(self) -> None:
        """Drop the queries not started yet and wait for the thread's end (a process may then fork)."""
        for ahead in self._ahead.values():
            ahead.cancel()
        self._ahead.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None


class EndpointEngine(Engine):
    """A remote SPARQL 1.1 Protocol endpoint (POST, SPARQL JSON results).

    ``http://user:password@host/sparql`` sends the credentials as HTTP basic authentication
    (they are not kept in :attr:`url`, so messages do not show them)."""

    def __init__(self, url: str, timeout: float = 60.0, headers: dict[str, str] | None = None):
        if not re.match(r"^https?://", url):
            raise QueryError(f"endpoint {url!r} is not an http(s) URL")
        self.headers = dict(headers or {})
        url, credentials = split_auth(url)
        if credentials is not None:
            token = base64.b64encode(":".join(credentials).encode()).decode()
            self.headers.setdefault("Authorization", "Basic " + token)
        self.url = url
        self.timeout = timeout

    def select(self, text, bindings):
        query = bind_values(text, bindings)
        prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items() if f"{p}:" in query
                           and not re.search(rf"PREFIX\s+{p}:", query, re.I))
        body = urllib.parse.urlencode({"query": prologue + query}).encode()
        req = urllib.request.Request(self.url, data=body, method="POST", headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/sparql-results+json", **self.headers})
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                data = json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise QueryError(f"endpoint {self.url} answered {exc.code}: {detail}") from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise QueryError(f"cannot reach endpoint {self.url}: {getattr(exc, 'reason', exc)}") from None
        except json.JSONDecodeError:
            raise QueryError(f"endpoint {self.url} did not answer with SPARQL JSON results") from None
        if "boolean" in data:
            return ["result"], [[ox.Literal(bool(data["boolean"]))]]
        columns = data["head"]["vars"]
        rows = [[_json_term(b.get(c)) for c in columns] for b in data["results"]["bindings"]]
        return columns, rows


def _json_term(b: dict | None):
    if b is None:
        return None
    if b["type"] == "uri":
        return ox.NamedNode(b["value"])
    if b["type"] == "bnode":
        return ox.BlankNode(b["value"])
    if "xml:lang" in b:
        return ox.Literal(b["value"], language=b["xml:lang"])
    if "datatype" in b:
        return ox.Literal(b["value"], datatype=ox.NamedNode(b["datatype"]))
    return ox.Literal(b["value"])


_TSV_ESCAPES = {"t": "\t", "n": "\n", "r": "\r", "b": "\b", "f": "\f", '"': '"', "'": "'", "\\": "\\"}
_TSV_ESCAPE = re.compile(r"\\(u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8}|.)")


def _tsv_unescape(m: re.Match) -> str:
    code = m.group(1)
    return chr(int(code[1:], 16)) if len(code) > 1 else _TSV_ESCAPES[code]


def _tsv_value(cell: str) -> str | None:
    """The value of one term of SPARQL TSV results (N-Triples syntax; numbers and booleans may be
    bare): ``<iri>`` -> the IRI, ``"text"@lang`` or ``"text"^^<type>`` -> the text unescaped,
    ``_:id`` -> the id, an empty cell (unbound) -> None."""
    if not cell:
        return None
    first = cell[0]
    if first == "<":
        return cell[1:-1]
    if first == '"':
        text = cell[1:cell.rindex('"')]
        return _TSV_ESCAPE.sub(_tsv_unescape, text) if "\\" in text else text
    if cell.startswith("_:"):
        return cell[2:]
    return cell


_TOKENS = re.compile(r"""<[^<>\s"{}|^`\\]*>|"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|#[^\n]*""")


def _mask_comments(text: str) -> str:
    """The text with its ``#`` comments blanked (same length); IRIs and strings kept."""
    return _TOKENS.sub(lambda m: " " * len(m.group()) if m.group().startswith("#") else m.group(), text)


def bind_values(text: str, bindings: dict) -> str:
    """The query with a ``VALUES`` block for the bindings at the start of its outermost WHERE group.

    Terms are serialised by pyoxigraph (``str(term)`` is N-Triples syntax, escaped), so a value
    cannot change the query's structure. SPARQL Update is refused: the graph is read-only here."""
    where = _where_end(text)
    if not bindings:
        return text
    values = " ".join(f"VALUES ?{k} {{ {' '.join(map(str, v)) if isinstance(v, list) else v} }}"
                      for k, v in bindings.items())
    if where is None:
        raise QueryError("the query has no WHERE clause to bind parameters in")
    return text[:where] + " " + values + " " + text[where:]


@functools.lru_cache(maxsize=512)
def _where_end(text: str) -> int | None:
    """Where the query's outermost WHERE group opens (None when it has none); raises on SPARQL Update.
    Cached: the packs send the same few texts again and again."""
    masked = _mask_comments(text)
    body = re.sub(r"(?is)^\s*(?:(?:PREFIX\s+[\w.-]*:\s*|BASE\s*)<[^>]*>\s*)*", "", masked)
    if m := re.match(r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", body, re.I):
        raise QueryError(f"SPARQL Update ({m.group(1).upper()} …) is not accepted: queries here are read-only "
                         "(SELECT, ASK, CONSTRUCT or DESCRIBE); the graph is changed through data/ and `kg build`")
    m = re.search(r"\bWHERE\s*\{", masked, re.I)
    return m.end() if m else None


