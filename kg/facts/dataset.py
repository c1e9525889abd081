"""Everything in ``data/``, read, curated, resolved and merged into entities.

Reading order: the registries (authorities, parties, known instruments), then each document's
machine facts with its curation applied (:mod:`kg.facts.load`), documents in date order.
Instruments reported by several documents merge into one entity (:mod:`kg.facts.instruments`);
the facts of one document (relations, actions, cases) keep their document. Every reference is
resolved to a key by the type the model gives its field: an authority, an instrument, a party
name, a legal basis.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import FactError, FactErrors, ResolveError
from ..model.ids import instrument_key, is_anonymised, match_title, party_key, standard_key
from ..model.spec import Kind, model
from ..model.vocabularies import vocabulary
from .cache import ParseCache
from .entity import Entity, LegalBasisRef, Source
from .files import FactFile
from .instruments import InstrumentIndex, fold_yearless_standards, merge_instrument, titles_of
from .load import load_fact_files
from .rates import RateTable, load_rates
from .registry import Registry, authority_from_record, load_registry, split_qualified
from .schema import Record
from .values import Amendment


@dataclass
class Dataset:
    """All facts, resolved and merged."""

    registry: Registry
    documents: dict[str, Entity] = field(default_factory=dict)
    items: dict[tuple[str, str], Entity] = field(default_factory=dict)
    instruments: dict[str, Entity] = field(default_factory=dict)
    relations: list[Entity] = field(default_factory=list)
    actions: list[Entity] = field(default_factory=list)
    cases: list[Entity] = field(default_factory=list)
    parties: dict[str, Entity] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    rates: RateTable | None = None
    reference: list[str] = field(default_factory=list)  # keys of the reference instruments (data/instruments)


class _Errors(list):
    def add(self, file: str, line: int | None, msg: str) -> None:
        self.append(FactError(file, line, msg))


@dataclass
class Base:
    """What every dataset of a data folder starts from, read and resolved once and then shared by as
    many datasets as are assembled: the registries, the exchange rates and the reference layer (the
    authority file's bodies with their parents, its instruments with their issuers and relations)."""

    registry: Registry
    known: list[Record]
    rates: RateTable | None
    errors: list[FactError]
    layer: Dataset
    index: InstrumentIndex  # the reference instruments' titles and numbers
    titles: dict[tuple[str, str], str]  # (jurisdiction, title form) -> reference key (see _reference_titles)


def load_base(data_dir: str | Path) -> Base:
    """The registries of ``data_dir``; raise :class:`FactErrors` if they cannot be read."""
    data_dir = Path(data_dir)
    registry, known = load_registry(data_dir)
    errors = _Errors()
    try:
        rates = load_rates(data_dir)
    except FactErrors as exc:
        rates = None
        errors.extend(exc.errors)
    layer = Dataset(registry=registry.fork(), rates=rates)
    layer.registry.link_parents(errors)
    _reference_instruments(layer, known, errors)
    index = InstrumentIndex(layer.instruments, fold_yearless_standards(layer.instruments))
    _references(layer, known, [], index, errors)
    return Base(registry, known, rates, list(errors), layer, index, _reference_titles(layer))


class _Owner:
    """Copy on write for the instruments a dataset shares with its base: ``own(key)`` is the entity to
    change (copied the first time)."""

    def __init__(self, instruments: dict[str, Entity]):
        self.instruments = instruments
        self.shared = set(instruments)

    def __call__(self, key: str) -> Entity:
        if key in self.shared:
            self.instruments[key] = self.instruments[key].copy()
            self.shared.discard(key)
        return self.instruments[key]

    def changed(self) -> set[str]:
        """The keys of the entities that are not the base's."""
        return set(self.instruments) - self.shared


def load_dataset(data_dir: str | Path, base: Base | None = None, cache: ParseCache | None = None) -> Dataset:
    """Read, curate, resolve and merge everything in ``data_dir`` (the unchanged fact files from
    ``cache`` when given); raise :class:`FactErrors` listing every problem (with file and line) if
    anything is wrong."""
    data_dir = Path(data_dir)
    base = base or load_base(data_dir)
    files, stale, merges = load_fact_files(data_dir, cache)
    return assemble_dataset(base, files, stale, merges)


def assemble_dataset(base: Base, files: list[FactFile], stale: list[str], merges: dict,
                     warnings: bool = True) -> Dataset:
    """Resolve and merge the given documents' facts over ``base`` (which is left unchanged);
    ``warnings=False`` leaves out the review warnings of the whole graph (for a check that only
    wants the errors)."""
    errors = _Errors(base.errors)
    layer = base.layer
    ds = Dataset(registry=layer.registry.fork(), stale=stale, rates=base.rates, reference=list(layer.reference),
                 instruments=dict(layer.instruments), relations=list(layer.relations), warnings=list(layer.warnings))
    own = _Owner(ds.instruments)
    _documents(ds, files, merges, errors)
    keys: dict[int, str] = {}  # id of an instrument record -> its key, made once (instrument_key)
    redirects = base.index.redirects | _instruments(ds, files, merges, errors, base.titles, own, keys)
    index = base.index.extended(ds.instruments, redirects, own.changed())
    _references(ds, [], files, index, errors, own, keys)
    for key, inst in list(ds.instruments.items()):
        if inst.amendments:
            amendments = [_amending_act(a, index, inst.jurisdiction) for a in inst.amendments]
            if amendments != inst.amendments:
                own(key).values["amendments"] = amendments
    resolver = _Resolver(ds, index, errors, {src: into for src, into, _f, _l in merges.get("party", [])})
    for ff in files:
        for section, sink in (("relations", ds.relations), ("actions", ds.actions), ("cases", ds.cases)):
            for rec in ff.records[section]:
                entity = resolver.fact(rec, ff.doc_id)
                if entity is not None:
                    sink.append(entity)
    if errors:
        raise FactErrors(list({(e.file, e.line, e.message): e for e in errors}.values()))
    if warnings:
        ds.warnings.extend(_check_vocab_consistency(ds))
    return ds


def _documents(ds: Dataset, files: list[FactFile], merges: dict, errors: _Errors) -> None:
    """Documents, items and the authorities documents declare; item references checked."""
    registry = ds.registry
    for ff in files:
        ds.documents[ff.doc_id] = Entity("document", ff.doc_id, ff.document.data)
        for rec in ff.records["items"]:
            ds.items[(ff.doc_id, rec.data["id"])] = Entity("item", rec.data["id"], rec.data, doc_id=ff.doc_id)
        for rec in ff.records["authorities"]:
            auth = authority_from_record(rec)
            auth.review = rec.data.get("review", True)
            merged = registry.add_authority(auth)
            merged.reports.extend((ff.doc_id, i) for i in rec.data.get("items", []))
    for src, into, file, line in merges.get("authority", []):
        try:
            target = registry.resolve_authority(into)
        except ResolveError as exc:
            errors.add(file, line, f"merge into: {exc}")
            continue
        registry.own(target).aliases.append(split_qualified(src)[1])
        registry.add_authority(registry.authorities[target])
    registry.link_parents(errors)
    for ff in files:
        known_items = {r.data["id"] for r in ff.records["items"]}
        for sec in ("authorities", "instruments", "relations", "actions", "cases"):
            for rec in ff.records[sec]:
                for item in rec.data.get("items", []):
                    if item not in known_items:
                        errors.add(*rec.where("items"), f"unknown item {item!r}: not among this document's items")


def _reference_instruments(ds: Dataset, known: list[Record], errors: _Errors) -> None:
    """Merge the reference instruments (the authority file's)."""
    standards = set(vocabulary("instrument_type").descendants("standard"))
    for rec in known:
        key = instrument_key(rec.data)
        if key in ds.instruments:
            errors.add(rec.file, rec.line, f"duplicate instrument {key!r} in the reference instruments")
            continue
        if rec.data.get("kind") in standards and rec.data.get("number") and not standard_key(rec.data["number"]):
            errors.add(*rec.where("number"), f"{rec.data['number']!r} is not a standard number (GB/T 35273-2020, "
                       "ISO/IEC 27001:2022 ...), as a reference entry of kind "
                       f"{rec.data['kind']} needs")
            continue
        merge_instrument(ds.instruments, rec, key, None, ds.warnings)
        ds.reference.append(key)


def _instruments(ds: Dataset, files: list[FactFile], merges: dict, errors: _Errors,
                 by_title: dict[tuple[str, str], str], own: _Owner, keys: dict[int, str]) -> dict[str, str]:
    """Merge every document's reports over the reference instruments; return the key redirects.
    ``keys``: each report's own key, by the id of its record, kept for :func:`_references`."""
    redirects = {src: into for src, into, _f, _l in merges.get("instrument", [])}
    for ff in files:
        seen: dict[str, Record] = {}
        for rec in ff.records["instruments"]:
            raw = keys[id(rec)] = instrument_key(rec.data)
            key = redirects.get(raw, raw)
            if key not in ds.instruments and not key.startswith("std/"):
                # a reference instrument named by another of its titles (通用个人数据保护法 for the LGPD)
                jur = rec.data.get("jurisdiction")
                hits = {by_title.get((jur, match_title(t))) for t in _titles(rec.data)} - {None}
                if len(hits) == 1:
                    redirects[key] = key = hits.pop()
            if key in seen and keys[id(seen[key])] == raw:
                errors.add(rec.file, rec.line, f"duplicate instrument {key!r} (first at line {seen[key].line})")
                continue
            seen[key] = rec
            source = Source(ff.doc_id, list(rec.data.get("items", [])), rec.data.get("confidence"))
            if key in ds.instruments:
                own(key)
            merge_instrument(ds.instruments, rec, key, source, ds.warnings)
    # a standard cited without its year is the edition with the year, when only one is known
    return redirects | fold_yearless_standards(ds.instruments, own)


def _titles(d: dict) -> list[str]:
    return [t for t in [d.get("title"), *d.get("short_titles", []), *d.get("alt_titles", [])] if t]


def _reference_titles(ds: Dataset) -> dict[tuple[str, str], str]:
    """(jurisdiction, title form) -> key of the reference instrument with that title, when only one has it."""
    seen: dict[tuple[str, str], set[str]] = defaultdict(set)
    for key in ds.reference:
        inst = ds.instruments[key]
        for t in titles_of(inst):
            seen[(inst.jurisdiction, match_title(t))].add(key)
    return {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def _references(ds: Dataset, known: list[Record], files: list[FactFile], index: InstrumentIndex,
                errors: _Errors, own: _Owner | None = None, keys: dict[int, str] | None = None) -> None:
    """What every instrument report refers to: its issuers (in the instrument's jurisdiction), the
    instruments it replaces or was repealed by (as relations), its amending acts (when known);
    ``keys``: the reports' own keys already made, by the ids of their records."""
    reports = [(None, rec) for rec in known] + [(ff.doc_id, rec) for ff in files for rec in ff.records["instruments"]]
    fields = model().kinds["instrument"].fields.values()
    keys = keys or {}
    for doc_id, rec in reports:
        key = keys.get(id(rec)) or instrument_key(rec.data)
        key = index.redirects.get(key, key)
        key = index.redirects.get(key, key)
        if key not in ds.instruments:
            continue
        inst = own(key) if own is not None else ds.instruments[key]
        for ref in rec.data.get("issuers", []):
            try:
                k = ds.registry.resolve_authority(ref.value, inst.jurisdiction)
            except ResolveError as exc:
                errors.add(ref.file, ref.line, f"issuer: {exc}")
                continue
            if k not in inst.issuers:
                inst.list("issuers").append(k)
        for f in fields:
            for ref in rec.data.get(f.name, []) if f.relation else []:
                try:
                    other = index.resolve(ref.value, inst.jurisdiction)
                except ResolveError as exc:
                    errors.add(ref.file, ref.line, f"{f.name}: {exc}")
                    continue
                s, o = (other, key) if f.reverse else (key, other)
                ds.relations.append(Entity("relation", f"{s} {f.relation} {o}", {
                    "subject": s, "type": f.relation, "object": o, "items": list(rec.data.get("items", []))},
                    doc_id=doc_id))


def _amending_act(a: Amendment, index: InstrumentIndex, jurisdiction: str) -> Amendment:
    """The amendment with the key of its amending act, when the graph knows the act by that title."""
    if not a.by:
        return a
    try:
        return replace(a, by_key=index.resolve(a.by, jurisdiction))
    except ResolveError:
        return a


_RESOLVED = ("ref", "party", "parties", "legal-basis")  # the field types whose values _Resolver resolves


class _Resolver:
    """Resolves the references of a document's facts by the type of each field."""

    def __init__(self, ds: Dataset, index: InstrumentIndex, errors: _Errors, party_redirects: dict[str, str]):
        self.ds = ds
        self.index = index
        self.errors = errors
        self.party_redirects = party_redirects
        # each kind's fields in the model's order, with whether the value is resolved (else kept as it is)
        self.fields = {name: [(f, f.type in _RESOLVED) for f in kind.fields.values()]
                       for name, kind in model().kinds.items()}

    def fact(self, rec: Record, doc_id: str) -> Entity | None:
        """The resolved entity of a relation, action or case record (None when a required reference
        does not resolve; the error is recorded)."""
        kind = model().kinds[rec.kind]
        d = rec.data
        jur = d.get("jurisdiction")
        items = list(d.get("items", []))
        values: dict[str, Any] = {}
        for f, resolved in self.fields[rec.kind]:
            if f.name not in d:
                continue
            if resolved:
                value = self._value(kind, f.name, d, jur, doc_id, items)
            else:  # kept as it is (most fields; a call less for each: 0.2 s at 1M triples)
                value = list(d[f.name]) if isinstance(d[f.name], list) else d[f.name]
            if value is None and f.required:
                return None
            if value is not None:
                values[f.name] = value
            if f.type == "ref" and f.to == "authority" and jur is None and value:
                jur = self.ds.registry.authorities[value[0] if f.many else value].jurisdiction
        if jur is not None and "jurisdiction" in kind.fields:
            values["jurisdiction"] = jur
        key = values.get("id") or " ".join(str(values.get(n)) for n in kind.identity)
        return Entity(kind.name, key, values, doc_id=doc_id)

    def _value(self, kind: Kind, name: str, d: dict, jur: str | None, doc_id: str, items: list[str]) -> Any:
        f = kind.fields[name]
        raw = d[name]
        if f.type == "ref":
            refs = [self._ref(f.to, r, jur) for r in (raw if f.many else [raw])]
            refs = [r for r in refs if r]
            return refs if f.many else (refs[0] if refs else None)
        if f.type == "party":
            return [self._party(n, doc_id, items, d.get("target_kind"), jur) for n in raw]
        if f.type == "parties":
            return [(self._party(p.name, doc_id, items, None, jur), p.role) for p in raw]
        assert f.type == "legal-basis"
        out = []
        for lb in raw:
            k = self._ref("instrument", lb.instrument, jur)
            if k:
                out.append(LegalBasisRef(k, lb.articles))
        return out

    def _ref(self, to: str, ref, hint: str | None) -> str | None:
        try:
            if to == "authority":
                return self.ds.registry.resolve_authority(ref.value, hint)
            return self.index.resolve(ref.value, None if to == "instrument" and hint is None else hint)
        except ResolveError as exc:
            self.errors.add(ref.file, ref.line, str(exc))
            return None

    def _party(self, name: str, doc_id: str, items: list[str], kind: str | None, jur: str | None) -> str:
        registry = self.ds.registry
        key = registry.known_party(name) or party_key(name, doc_id, items[0] if items else None)
        key = self.party_redirects.get(key, self.party_redirects.get(name, key))
        ent = self.ds.parties.get(key)
        if ent is None:
            kp = registry.parties.get(key)
            values = {"name": kp.name if kp else name, "kind": (kp.kind if kp else None) or kind,
                      "jurisdiction": (kp.jurisdiction if kp else None) or (None if is_anonymised(name) else jur),
                      "name_en": kp.name_en if kp else None, "aliases": list(kp.aliases) if kp else []}
            ent = self.ds.parties[key] = Entity("party", key, {k: v for k, v in values.items() if v is not None})
        elif name != ent.name and name not in ent.aliases:
            ent.list("aliases").append(name)
        if ent.kind is None and kind:
            ent.values["kind"] = kind
        ent.reports.append(Source(doc_id, items))
        return key


def _check_vocab_consistency(ds: Dataset) -> list[str]:
    """Warnings for facts that are valid but suspicious (for ``kg review``)."""
    out = []
    types = vocabulary("instrument_type")
    for inst in ds.instruments.values():
        if inst.number and inst.kind and "standard" in types.ancestors(inst.kind) and not standard_key(inst.number):
            out.append(f"{inst.key}: kind {inst.kind} but number {inst.number!r} is not a standard number")
        if not inst.reports and not inst.issuers and inst.kind is None:
            out.append(f"{inst.key}: known instrument without kind or issuer")
    for key, auth in ds.registry.authorities.items():
        if auth.review:
            out.append(f"{key}: authority created by ingestion, not yet reviewed")
    return out
