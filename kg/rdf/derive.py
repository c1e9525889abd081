"""Derived facts: tallies (counts and sums) and ranks that ``kg build`` computes from the facts.

Aggregations over the whole graph (fines per authority and currency, actions per country, facts per
newsletter …) cost a scan of every action or item on each query: hundreds of milliseconds at a
million triples. The build computes them once instead. Each file ``ontology/derived/<name>.rq`` is a
SPARQL CONSTRUCT over the facts and the ontology; what it constructs is a ``kg:Tally`` (``kg:tallyOf``
``"<name>"``) and goes into its own named graph, ``https://w3id.org/regkg/graph/derived``, so that
derived numbers are never mistaken for reported facts. The query packs read the tallies; the
definitions of the numbers are the CONSTRUCT queries themselves (the pack queries they replace gave
the same rows: ``tests/rdf/test_derive.py``).

A derivation may also construct facts that a standard vocabulary defines as entailed: the
closure of the jurisdictions' ``skos:broader`` as ``skos:broaderTransitive`` (``places-within.rq``),
which a query filtering on a jurisdiction and the places within it joins by hash instead of walking
the hierarchy from every place.

A derivation may instead be a SELECT of one variable whose first line names a property,
``# rank: kg:fineRank``: its rows, in the query's order, are numbered from 1 and each node gets its
number by that property (in the same derived graph). A listing sorted on a whole-graph order (the
fines, largest first) then reads one number a node instead of sorting every row on each query.

A rebuild takes a derivation's quads from the build before when the query is the same text, run by
the same code, and none of the quads that changed since (in the facts or the ontology) matches one
of the query's triple patterns (:mod:`kg.rdf.patterns`, the classes its subjects need read from the
new graph): its results depend on those quads only.
A derived triple is constructed by one derivation only, so that each derivation's quads stand
alone (a check).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .. import paths
from ..errors import KgError
from ..model.terms import DERIVED_GRAPH, ID, PREFIXES
from .patterns import as_json, from_json, query_patterns, subject_classes, touches


class DeriveError(KgError):
    """A derivation query of ``ontology/derived/`` failed."""


_RANK = re.compile(r"#\s*rank:\s*(\w+):(\w+)\s*$")
_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")


@dataclass(frozen=True)
class Derived:
    """The quads of one derivation, as N-Quads text, with what the next build needs to take them."""

    name: str  # the query file's stem
    key: str  # the sha256 of the query's text
    patterns: list  # the query's triple patterns (kg.rdf.patterns.as_json)
    text: bytes
    taken: bool = False  # taken from the build before


def derive(store: ox.Store, earlier: dict[str, Derived] | None = None,
           changed: list[ox.Quad] | None = None) -> list[Derived]:
    """The tallies and ranks of every derivation query, run on ``store`` (facts and ontology in its
    default graph), as quads of the derived graph, each once; ``earlier``: the previous build's,
    by name, of which those whose query is the same and reads none of the quads ``changed`` since
    (None: not known) are taken as they are."""
    out: list[Derived] = []
    classes = None if changed is None else subject_classes(store, changed)
    for path in paths.derived_queries():
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise DeriveError(f"{path}: {exc}") from None
        key = hashlib.sha256(text.encode("utf-8")).hexdigest()
        was = (earlier or {}).get(path.stem)
        if was is not None and was.key == key and changed is not None \
                and not touches(from_json(was.patterns), changed, classes):
            out.append(Derived(was.name, key, was.patterns, was.text, taken=True))
            continue
        patterns = was.patterns if was is not None and was.key == key else as_json(query_patterns(text))
        quads = _run(store, path, text)
        out.append(Derived(path.stem, key, patterns, ox.serialize(quads, format=ox.RdfFormat.N_QUADS)))
    _check_apart(out)
    return out


def derived_quads(store: ox.Store) -> list[ox.Quad]:
    """The quads of every derivation (:func:`derive`), run on ``store``."""
    return [q for d in derive(store) for q in ox.parse(d.text, format=ox.RdfFormat.N_QUADS)]


def _run(store: ox.Store, path: Path, text: str) -> list[ox.Quad]:
    """The quads of one derivation query, each once (a CONSTRUCT may give a triple twice)."""
    graph = ox.NamedNode(str(DERIVED_GRAPH))
    try:
        rank = _rank_property(path, text)
        result = store.query(text, prefixes={**PREFIXES, "id": str(ID)})
        if isinstance(result, ox.QueryTriples) == (rank is not None):
            raise ValueError("a derivation is a CONSTRUCT, or a SELECT whose first line is `# rank: PROPERTY`")
        if rank is None:
            quads = [ox.Quad(t.subject, t.predicate, t.object, graph) for t in result]
        else:
            quads = [ox.Quad(row[0], rank, ox.Literal(str(n), datatype=_INTEGER), graph)
                     for n, row in enumerate(result, 1)]
    except (SyntaxError, OSError, ValueError, TypeError) as exc:
        raise DeriveError(f"{path}: {exc}") from None
    return list(dict.fromkeys(quads))


def _check_apart(derived: list[Derived]) -> None:
    """Raise :class:`DeriveError` when two derivations construct the same triple."""
    seen: dict[bytes, str] = {}
    for d in derived:
        for line in d.text.splitlines():
            other = seen.setdefault(line, d.name)
            if other != d.name:
                raise DeriveError(f"ontology/derived/{other}.rq and {d.name}.rq both construct "
                                  f"{line.decode('utf-8', 'replace')}: a derived triple belongs to one derivation")


def _rank_property(path: Path, text: str) -> ox.NamedNode | None:
    """The property a ranking derivation names on its first line (``# rank: kg:fineRank``), or None."""
    m = _RANK.match(text.split("\n", 1)[0])
    if m is None:
        return None
    if m.group(1) not in PREFIXES:
        raise DeriveError(f"{path}: line 1: unknown prefix {m.group(1)!r} in `# rank:`")
    return ox.NamedNode(PREFIXES[m.group(1)] + m.group(2))
