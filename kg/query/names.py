"""Names of the graph's nodes resolved to IRIs: the one resolver of ``kg query -p``, ``kg view NAME``,
``kg.open().query()`` / ``.resolve()`` and the query pages of ``kg serve``.

A name is tried as, in this order:

1. an IRI (``<…>``, ``http(s):``, ``urn:``) or a CURIE of a known prefix (``kg:``, ``eli:`` …), taken as is;
2. a key as ``data/README.md`` defines them (``KR/个人信息保护委员会``, ``CN/个人信息保护法``,
   ``std/GB-T-46068-2025``, a party's key, ``doc/A1`` for an action): the IRI it mints, if the graph has it;
3. a name a node carries exactly: a label in any language, an alias (``skos:altLabel``), a notation, an
   official or standard number (``eli:id_local``), a title, short or alternative title of its expressions;
   a standard number without its year names the latest edition; ``JURISDICTION/name`` is a name within
   that jurisdiction (``CN/国家网信办``);
4. the same name up to width, case, spaces and dashes, or an English name without its trailing qualifier
   (``Data Protection Commission`` for ``Data Protection Commission (Ireland)``), from an index of every
   name of the kind read from the store once per engine.

Lookups are SPARQL with the value bound as RDF terms (``VALUES``), never pasted into the query text.
Several nodes: editions of one standard give the latest, otherwise :class:`~kg.errors.NameLookupError`
lists them, numbered, with kind, jurisdiction and key. No node: the error lists the nearest names
(names that hold it or that it holds, else :mod:`difflib`'s close matches). Lists are ranked by
:func:`rank`: equal names first, then names that start with it, then names that hold it; a body
before its sub-bodies; the shortest matching name. ``kg/views/assets/view.js`` ranks its search
results the same way.
"""

from __future__ import annotations

import difflib
import re
import weakref
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import unquote

import pyoxigraph as ox

from ..errors import NameLookupError, QueryError
from ..model.ids import (
    authority_key,
    clean_text,
    current_edition,
    format_standard_number,
    mint,
    parse_standard_number,
    strip_title_marks,
    title_key,
)
from ..model.spec import model
from ..model.terms import ID, KGV, PREFIXES, curie
from .engines import Engine
from .packs import ENTITY_TYPES

_NAME_PROPS = "rdfs:label|skos:prefLabel|skos:altLabel|skos:notation|eli:id_local|dcterms:identifier"

EXACT = f"""
SELECT DISTINCT ?node ?l WHERE {{
  {{ ?node {_NAME_PROPS} ?l . }}
  # one branch per title property: an alternation path here is evaluated over every title of the
  # graph and then joined (200 ms at a million triples, against 0.3 ms)
  UNION {{ ?expression eli:title ?l . ?expression eli:realizes ?node . }}
  UNION {{ ?expression eli:title_short ?l . ?expression eli:realizes ?node . }}
  UNION {{ ?expression eli:title_alternative ?l . ?expression eli:realizes ?node . }}
  FILTER EXISTS {{ ?node a ?class }}  # a filter, not a join: the label lookup stays an index probe
}}"""

EXISTING = "SELECT DISTINCT ?node WHERE { ?node a ?class }"

EDITIONS = """
SELECT ?node ?number WHERE {
  ?node eli:id_local ?number .
  FILTER(STRSTARTS(STR(?number), CONCAT(?prefix, "-")) || STRSTARTS(STR(?number), CONCAT(?prefix, ":")))
}"""

INFO = """
SELECT ?node ?class ?label ?en ?kind ?jur ?parent WHERE {
  ?node a ?class .
  OPTIONAL { ?node rdfs:label ?label }
  OPTIONAL { ?node skos:prefLabel ?en . FILTER(LANG(?en) = "en") }
  OPTIONAL { ?node kg:authorityKind|kg:instrumentType|kg:partyKind|kg:outcome ?k . ?k skos:notation ?kind }
  OPTIONAL { ?node dcterms:spatial ?j . ?j skos:notation ?jur }
  OPTIONAL { ?node org:subOrganizationOf ?parent }
}"""

ANCESTORS = "SELECT ?node ?ancestor WHERE { ?node org:subOrganizationOf+ ?ancestor }"

NAMES = f"""
SELECT DISTINCT ?node ?name WHERE {{
  ?node a ?class .
  {{ ?node {_NAME_PROPS} ?name . }}
  UNION {{ ?node eli:is_realized_by ?expression . ?expression eli:title|eli:title_short|eli:title_alternative ?name . }}
}}"""

# record kinds whose IRI is ``<kind>/<key>``: a key of theirs names the node
KEYED = tuple(k.name for k in model().kinds.values() if k.iri and k.iri.startswith(k.name + "/"))
TYPE_OF_CLASS = {str(cls): name for name, cls in ENTITY_TYPES.items() if cls is not None}
_QUALIFIER = re.compile(r"\s*[(（][^()（）]*[)）]$")
_CURIE = re.compile(r"^([A-Za-z][\w-]*):([^\s/][^\s]*)$")
_QUALIFIED = re.compile(r"^([A-Z][A-Z0-9]{1,3}(?:-[A-Z0-9]+)?)/(.+)$")  # JURISDICTION/name, as keys are

# match qualities, best first
EQUAL, PREFIX, INSIDE, HOLDS, CLOSE = range(5)


def fold(text: str) -> str:
    """A name folded for matching: NFKC (full-width to half-width), dashes unified, title marks and
    spaces dropped, case-folded."""
    return re.sub(r"\s+", "", clean_text(strip_title_marks(text or ""))).casefold()


def parse_iri(value: str, what: str = "value") -> ox.NamedNode:
    """The IRI written ``<…>`` or bare; a :class:`QueryError` naming ``what`` when it is not one."""
    value = value.strip().strip("<>")
    if not re.match(r"^[a-z][a-z0-9+.-]*:\S+$", value, re.I) or re.search(r"[\s<>\"{}|\\^`]", value):
        raise QueryError(f"{what}: {value!r} is not an IRI")
    return ox.NamedNode(value)


def as_iri(text: str, what: str = "name") -> str | None:
    """The IRI ``text`` is (``<…>``, ``http(s):``, ``urn:``) or abbreviates (a CURIE of a known prefix)."""
    if text.startswith("<") or re.match(r"^(?:https?|urn):", text):
        return parse_iri(text, what).value
    m = _CURIE.match(text)
    if m and m.group(1) in PREFIXES:
        return parse_iri(PREFIXES[m.group(1)] + m.group(2), what).value
    return None


@dataclass
class Entry:
    """A node that a name may mean, with what a reader needs to tell it from its rivals."""

    iri: str
    label: str = ""
    en: str = ""
    type: str = ""  # the record kind or vocabulary (authority, instrument …), else the class as a CURIE
    kind: str = ""  # its authority kind, instrument type … (regulator, national-standard)
    jurisdiction: str = ""
    parent: str | None = None
    names: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Its key (``KR/个人信息保护委员会``, ``std/GB-T-46068-2025``), a concept's notation, else the IRI."""
        if self.iri.startswith(str(ID)):
            rest = unquote(self.iri[len(str(ID)):])
            head, _, tail = rest.partition("/")
            return tail if head in KEYED else rest
        if self.iri.startswith(str(KGV)):  # a concept of a vocabulary: its notation
            return self.iri.rsplit("/", 1)[-1]
        return self.iri

    def describe(self, matched: str | None = None) -> str:
        """``国家互联网信息办公室 (Cyberspace Administration of China) - authority: regulator, CN - key CN/…``."""
        name = self.label or self.key
        if self.en and self.en != name:
            name += f" ({self.en})"
        if matched and fold(matched) not in (fold(self.label), fold(self.en)):
            name += f", as {matched!r}"
        what = ", ".join(x for x in (f"{self.type}: {self.kind}" if self.kind else self.type, self.jurisdiction) if x)
        return f"{name} - {what} - key {self.key}"


def rank(hits: dict[str, tuple[int, str]], ancestors: dict[str, set[str]], entries: dict[str, Entry]) -> list[str]:
    """IRIs of ``hits`` (IRI -> (match quality, the name that matched)) best first: the quality, then a
    body before its sub-bodies (a hit whose ancestor is also a hit comes after), the shortest matching
    name, the shortest label."""
    def key(iri: str):
        quality, name = hits[iri]
        under = any(a in hits for a in ancestors.get(iri, ()))
        label = entries[iri].label if iri in entries else iri
        return (quality, under, len(fold(name)), len(label), label, iri)

    return sorted(hits, key=key)


class NameIndex:
    """Every name of the nodes of one kind, folded, with the nodes' entries (built once from the store)."""

    def __init__(self, engine: Engine, bindings: dict):
        self.entries = _entries(engine, INFO, bindings)
        self.folded: dict[str, dict[str, str]] = defaultdict(dict)  # folded name -> IRI -> name
        self.bare: dict[str, dict[str, str]] = defaultdict(dict)  # without a trailing qualifier
        _cols, rows = engine.select(NAMES, bindings)
        for node, name in rows:
            entry = self.entries.get(node.value)
            if entry is None or not isinstance(name, ox.Literal):
                continue
            entry.names.append(name.value)
            self.folded[fold(name.value)][node.value] = name.value
            stripped = _QUALIFIER.sub("", name.value.strip())
            if stripped and stripped != name.value.strip():
                self.bare[fold(stripped)][node.value] = name.value

    def ancestors(self, iri: str) -> set[str]:
        out: set[str] = set()
        parent = self.entries[iri].parent if iri in self.entries else None
        while parent and parent not in out:
            out.add(parent)
            parent = self.entries[parent].parent if parent in self.entries else None
        return out

    def matches(self, text: str) -> dict[str, str]:
        """IRI -> name of the nodes carrying ``text`` up to width, case and spaces, else without a qualifier."""
        f = fold(text)
        return dict(self.folded.get(f) or self.bare.get(f) or {})

    def nearest(self, text: str, limit: int = 10) -> list[tuple[str, str]]:
        """(IRI, name) of the names nearest ``text``, best first: names that hold it, or that it holds,
        else close matches (:func:`difflib.get_close_matches`)."""
        f = fold(text)
        if not f:
            return []
        hits: dict[str, tuple[int, str]] = {}
        for name, nodes in self.folded.items():
            if f in name:
                quality = PREFIX if name.startswith(f) else INSIDE
            elif len(name) >= max(2, len(f) // 2) and name in f:
                quality = HOLDS
            else:
                continue
            for iri, written in nodes.items():
                if iri not in hits or (quality, len(name)) < (hits[iri][0], len(fold(hits[iri][1]))):
                    hits[iri] = (quality, written)
        if not hits:
            for name in difflib.get_close_matches(f, list(self.folded), n=limit, cutoff=0.6):
                for iri, written in self.folded[name].items():
                    hits.setdefault(iri, (CLOSE, written))
        ancestors = {iri: self.ancestors(iri) for iri in hits}
        return [(iri, hits[iri][1]) for iri in rank(hits, ancestors, self.entries)[:limit]]


def _entries(engine: Engine, query: str, bindings: dict) -> dict[str, Entry]:
    _cols, rows = engine.select(query, bindings)
    out: dict[str, Entry] = {}
    for node, cls, label, en, kind, jur, parent in rows:
        e = out.setdefault(node.value, Entry(node.value))
        typ = TYPE_OF_CLASS.get(cls.value)
        if typ and (not e.type or e.type not in ENTITY_TYPES):
            e.type = typ
        elif not e.type:
            e.type = curie(cls.value)
        for attr, term in (("label", label), ("en", en), ("kind", kind), ("jurisdiction", jur)):
            if term is not None and not getattr(e, attr):
                setattr(e, attr, term.value)
        if parent is not None and e.parent is None:
            e.parent = parent.value
    return out


class Resolver:
    """Resolves names to IRIs on one engine; the name indexes it reads are kept for its lifetime."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._indexes: dict[str, NameIndex] = {}

    def _class(self, kind: str) -> dict:
        if kind not in ENTITY_TYPES:
            raise QueryError(f"unknown kind of entity {kind!r}: use one of {', '.join(ENTITY_TYPES)}")
        cls = ENTITY_TYPES[kind]
        return {"class": ox.NamedNode(str(cls))} if cls is not None else {}

    def index(self, kind: str) -> NameIndex:
        """Every name of the ``kind`` nodes (``entity``: of every node), read once."""
        if kind not in self._indexes:
            self._indexes[kind] = NameIndex(self.engine, self._class(kind))
        return self._indexes[kind]

    def resolve(self, value: str, kind: str = "entity", what: str | None = None) -> str:
        """The IRI ``value`` names among the ``kind`` nodes; :class:`NameLookupError` (its message starts
        with ``what``, e.g. ``parameter authority``) when it names none or several."""
        prefix = f"{what}: " if what else ""
        text = (value or "").strip()
        if not text:
            raise NameLookupError(f"{prefix}give the name, key or IRI of {_a(kind)}")
        iri = as_iri(text, what or "name")
        if iri is not None:
            return iri
        m = _QUALIFIED.match(text)
        jur, rest = (m.group(1), m.group(2)) if m else (None, text)
        hits = self._keys(text, jur, rest, kind) or self._exact(text, kind) or self._latest_edition(text)
        if not hits and jur:
            hits = self._within(self._exact(rest, kind), jur, kind)
        if not hits:
            hits = self.index(kind).matches(text)
            if not hits and jur:
                hits = self._within(self.index(kind).matches(rest), jur, kind)
        if not hits:
            raise self._not_found(text, kind, prefix)
        return self._pick(text, hits, kind, prefix)

    def nearest(self, value: str, kind: str = "entity", limit: int = 10) -> list[Entry]:
        """The entries of the names nearest ``value`` (see :meth:`NameIndex.nearest`)."""
        index = self.index(kind)
        return [index.entries[iri] for iri, _name in index.nearest(value, limit)]

    # ------------------------------------------------------------ the steps

    def _keys(self, text: str, jur: str | None, rest: str, kind: str) -> dict[str, str]:
        """The nodes a key names: the IRI of each record kind minted from ``text`` as written and, for
        ``JURISDICTION/name``, from the authority and instrument keys of the name."""
        kinds = [k for k in KEYED if kind in ("entity", k)]
        if "/" not in text or not kinds:
            return {}
        iris = {mint(k, text) for k in kinds}
        if jur:
            if "authority" in kinds:
                iris.add(mint("authority", authority_key(rest, jur)))
            if "instrument" in kinds:
                iris.add(mint("instrument", title_key(rest, jur)))
        _cols, rows = self.engine.select(EXISTING, {"node": [ox.NamedNode(i) for i in sorted(iris)],
                                                    **self._class(kind)})
        return {r[0].value: text for r in rows}

    def _exact(self, text: str, kind: str) -> dict[str, str]:
        """The nodes carrying ``text`` as a name (also in its clean form and as a standard number)."""
        forms = list(dict.fromkeys(x for x in (text, clean_text(text), format_standard_number(text)) if x))
        # a notation is typed with its scheme's datatype: only the schemes of the kind (probes are not free)
        notations = [ox.NamedNode(str(s.notation)) for s in model().schemes.values()
                     if kind in ("entity", s.name.replace("_", "-"))]
        literals = [lit for f in forms for lit in (ox.Literal(f), ox.Literal(f, language="zh"),
                                                   ox.Literal(f, language="en"),
                                                   *(ox.Literal(f, datatype=d) for d in notations))]
        _cols, rows = self.engine.select(EXACT, {"l": literals, **self._class(kind)})
        return {node.value: label.value for node, label in rows}

    def _latest_edition(self, text: str) -> dict[str, str]:
        """A standard number without its year: its latest edition."""
        parsed = parse_standard_number(text)
        if not parsed or parsed[1] is not None:
            return {}
        _cols, rows = self.engine.select(EDITIONS, {"prefix": ox.Literal(format_standard_number(text))})
        editions = sorted((number.value, node.value) for node, number in rows)
        return {editions[-1][1]: editions[-1][0]} if editions else {}

    def _within(self, hits: dict[str, str], jur: str, kind: str) -> dict[str, str]:
        entries = self._describe(hits, kind)
        return {iri: name for iri, name in hits.items() if entries[iri].jurisdiction == jur}

    def _describe(self, iris, kind: str) -> dict[str, Entry]:
        """Entries of some nodes: from the index when it was read, else one query."""
        if kind in self._indexes:
            entries = self._indexes[kind].entries
            return {i: entries.get(i, Entry(i)) for i in iris}
        found = _entries(self.engine, INFO, {"node": [ox.NamedNode(i) for i in iris]}) if iris else {}
        return {i: found.get(i, Entry(i)) for i in iris}

    def _ancestors(self, iris, kind: str) -> dict[str, set[str]]:
        if kind in self._indexes:
            return {i: self._indexes[kind].ancestors(i) for i in iris}
        out: dict[str, set[str]] = defaultdict(set)
        _cols, rows = self.engine.select(ANCESTORS, {"node": [ox.NamedNode(i) for i in iris]})
        for node, ancestor in rows:
            out[node.value].add(ancestor.value)
        return out

    def _pick(self, text: str, hits: dict[str, str], kind: str, prefix: str) -> str:
        if len(hits) == 1:
            return next(iter(hits))
        entries = self._describe(hits, kind)
        keys = [entries[i].key for i in hits]
        editions = {re.sub(r"[-:](?:19|20)\d{2}$", "", k) for k in keys}
        if len(editions) == 1 and all(k.startswith("std/") for k in keys):
            latest = current_edition(keys, editions.pop())
            if latest is not None:
                return next(i for i in hits if entries[i].key == latest)
        order = rank({i: (EQUAL, name) for i, name in hits.items()}, self._ancestors(hits, kind), entries)
        lines = [f"  {n}. {entries[i].describe(hits[i])}" for n, i in enumerate(order, 1)]
        example = entries[order[0]].key
        raise NameLookupError(f"{prefix}{text!r} names {len(hits)} {kind} nodes; write one of their keys "
                              f"(such as {example}) or IRIs instead:\n" + "\n".join(lines),
                              order, ambiguous=True)

    def _not_found(self, text: str, kind: str, prefix: str) -> NameLookupError:
        index = self.index(kind)
        near = index.nearest(text)
        if not near:
            return NameLookupError(f"{prefix}no {kind} is called {text!r}, and no {kind} name is near it "
                                   "(names are labels, aliases, English names, titles, numbers and keys)")
        lines = [f"  {n}. {index.entries[iri].describe(name)}" for n, (iri, name) in enumerate(near, 1)]
        return NameLookupError(f"{prefix}no {kind} is called {text!r}; the nearest names:\n" + "\n".join(lines),
                               [iri for iri, _name in near])


def _a(kind: str) -> str:
    return ("an " if kind[:1] in "aeiou" else "a ") + kind


_RESOLVERS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def resolver(engine: Engine) -> Resolver:
    """The resolver of ``engine`` (one per engine, so its name indexes are read once; it goes with the
    engine: it holds the engine weakly)."""
    if engine not in _RESOLVERS:
        _RESOLVERS[engine] = Resolver(weakref.proxy(engine))
    return _RESOLVERS[engine]


def resolve(engine: Engine, value: str, kind: str = "entity", what: str | None = None) -> str:
    """The IRI ``value`` names among the ``kind`` nodes of ``engine``'s graph (see :class:`Resolver`)."""
    return resolver(engine).resolve(value, kind, what)
