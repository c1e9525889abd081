"""Everything in ``data/``, read, curated, resolved and merged into entities.

Reading order: the registries (authorities, parties, known instruments), then
each document's machine facts with its curation applied, documents in date
order. References are resolved to keys; an instrument reported by several
documents is one entity whose single-valued attributes come from the most
confident, most recent report (conflicts become warnings for ``kg review``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import FactError, FactErrors, ResolveError
from ..model.ids import (
    PRC_PREFIX,
    base_title,
    format_standard_number,
    is_anonymised,
    match_title,
    normalize_title,
    party_key,
    standard_key,
    title_key,
)
from ..model.vocabularies import vocabulary
from .curation import apply_curation, read_curation
from .files import FactFile, read_fact_file
from .registry import Registry, authority_from_record, load_registry, split_qualified
from .schema import Record
from .values import Amount, PDate

SINGLE_FIELDS = ("number", "kind", "date_issued", "date_effective", "date_expiry",
                 "consultation_deadline", "issuer_count", "url")


@dataclass
class Source:
    """One report of a fact: the document, its items and the extractor's confidence."""

    doc_id: str
    items: list[str]
    confidence: float | None = None


@dataclass
class Instrument:
    """A merged instrument entity."""

    key: str
    title: str
    jurisdiction: str
    short_titles: list[str] = field(default_factory=list)
    alt_titles: list[str] = field(default_factory=list)
    number: str | None = None
    kind: str | None = None
    status: str | None = None
    issuers: list[str] = field(default_factory=list)
    issuer_count: int | None = None
    date_issued: PDate | None = None
    date_effective: PDate | None = None
    date_expiry: PDate | None = None
    consultation_deadline: PDate | None = None
    url: str | None = None
    topics: list[str] = field(default_factory=list)
    review: bool = False
    sources: list[Source] = field(default_factory=list)
    field_confidence: dict[str, float] = field(default_factory=dict)

    def all_titles(self) -> list[str]:
        """Title, short titles and alternative titles."""
        return [self.title, *self.short_titles, *self.alt_titles]


@dataclass
class Relation:
    """A relation between two instruments, as reported by one document."""

    subject: str
    type: str
    object: str
    doc_id: str | None
    items: list[str]
    confidence: float | None


@dataclass
class LegalBasisRef:
    """A resolved legal basis."""

    instrument: str
    articles: tuple[int, ...]


@dataclass
class Action:
    """An enforcement action reported by one document."""

    doc_id: str
    id: str
    kinds: list[str]
    authorities: list[str]
    targets: list[str]
    target_count: int | None
    date: PDate | None
    jurisdiction: str | None
    legal_basis: list[LegalBasisRef]
    violations: list[str]
    penalty: Amount | None
    amount_involved: Amount | None
    items: list[str]
    confidence: float | None


@dataclass
class Case:
    """A court case reported by one document."""

    doc_id: str
    id: str
    name: str | None
    court: str
    parties: list[tuple[str, str]]  # (party key, role)
    date: PDate | None
    outcome: str | None
    damages: Amount | None
    legal_basis: list[LegalBasisRef]
    violations: list[str]
    jurisdiction: str | None
    items: list[str]
    confidence: float | None


@dataclass
class PartyEntity:
    """A party (target of an action, party to a case)."""

    key: str
    name: str
    kind: str | None = None
    jurisdiction: str | None = None
    name_en: str | None = None
    aliases: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass
class Item:
    """A source item."""

    doc_id: str
    id: str
    section: list[str]
    lines: tuple[int, int]
    url: str | None
    source_name: str | None


@dataclass
class Document:
    """A source document (newsletter issue)."""

    id: str
    title: str | None
    issue: str | None
    date: PDate | None
    publisher: str | None
    source_file: str | None
    sha256: str | None


@dataclass
class Dataset:
    """All facts, resolved and merged."""

    registry: Registry
    documents: dict[str, Document] = field(default_factory=dict)
    items: dict[tuple[str, str], Item] = field(default_factory=dict)
    instruments: dict[str, Instrument] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    parties: dict[str, PartyEntity] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    rates: object | None = None  # kg.rates.RateTable


# ---------------------------------------------------------------- instruments


def instrument_key(d: dict) -> str:
    """The key of an instrument record: explicit, else its standard number, else its title."""
    if d.get("key"):
        return d["key"]
    number = d.get("number")
    is_standard = (d.get("kind") or "").endswith("standard")
    if number and (is_standard or not d.get("title")):
        sk = standard_key(number)
        if sk:
            return sk
    if d.get("title"):
        return title_key(d["title"], d["jurisdiction"])
    return f"{d['jurisdiction']}/{normalize_title(number)}"


class InstrumentIndex:
    """Resolves instrument references (keys, titles, short titles, numbers)."""

    def __init__(self, instruments: dict[str, Instrument], redirects: dict[str, str]):
        self.instruments = instruments
        self.redirects = redirects
        self.by_title: dict[str, set[str]] = defaultdict(set)
        self.by_number: dict[str, set[str]] = defaultdict(set)
        for inst in instruments.values():
            for t in inst.all_titles():
                m = match_title(t)
                self.by_title[m].add(inst.key)
                if inst.jurisdiction == "CN" and m.startswith(PRC_PREFIX):
                    self.by_title[m[len(PRC_PREFIX):]].add(inst.key)
            if inst.number:
                self.by_number[normalize_title(inst.number)].add(inst.key)
                parsed = format_standard_number(inst.number)
                if parsed:
                    self.by_number[parsed].add(inst.key)

    def resolve(self, ref: str, jurisdiction_hint: str | None = None) -> str:
        """The key ``ref`` names; ResolveError if none or several."""
        ref = self.redirects.get(ref, ref)
        if ref in self.instruments:
            return ref
        sk = ref if ref.startswith("std/") else standard_key(ref)
        if sk:
            sk = self.redirects.get(sk, sk)
            if sk in self.instruments:
                return sk
            hits = self._standard_prefix(sk)
            if hits:
                return hits[-1]  # a yearless number means the latest edition
        jur, title = split_qualified(ref)
        if jur:
            k = self.redirects.get(title_key(title, jur), title_key(title, jur))
            if k in self.instruments:
                return k
            keys = sorted(k for k in self.by_title.get(match_title(title), ())
                          if self.instruments[k].jurisdiction == jur)
        else:
            keys = sorted(self.by_title.get(match_title(ref), set()) | self.by_number.get(normalize_title(ref), set()))
            if len(keys) > 1 and jurisdiction_hint:
                keys = [k for k in keys if self.instruments[k].jurisdiction == jurisdiction_hint] or keys
        if not keys:
            raise ResolveError(f"unknown instrument {ref!r}: define it in a fact file's instruments or in "
                               "data/instruments.yaml")
        if len(keys) > 1:
            raise ResolveError(f"ambiguous instrument {ref!r}: it names {', '.join(keys)}; write one of these keys")
        return keys[0]

    def _standard_prefix(self, key: str) -> list[str]:
        return standard_editions(self.instruments, key)


def _merge_instrument(ds: Dataset, rec: Record, key: str, source: Source | None) -> None:
    d = rec.data
    title = base_title(d["title"]) if d.get("title") else None
    inst = ds.instruments.get(key)
    if inst is None:
        inst = Instrument(key=key, title=title or normalize_title(d["number"]), jurisdiction=d["jurisdiction"])
        ds.instruments[key] = inst
    elif inst.jurisdiction != d["jurisdiction"]:
        f, line = rec.where("jurisdiction")
        ds.warnings.append(f"{f}:{line}: {key}: jurisdiction {d['jurisdiction']} differs from {inst.jurisdiction}")
    # titles: the full form is the title, the others are short or alternative titles;
    # variants that differ only in spacing count as one
    known = {match_title(t) for t in inst.all_titles()}
    if title and inst.number and inst.title == normalize_title(inst.number):
        inst.title = title
    elif title and match_title(title) not in known:
        if title.startswith(PRC_PREFIX) and not inst.title.startswith(PRC_PREFIX):
            inst.short_titles.append(inst.title)
            inst.title = title
        else:
            inst.alt_titles.append(title)
    for field_name, bucket in (("short_titles", inst.short_titles), ("alt_titles", inst.alt_titles)):
        for t in d.get(field_name, []):
            t = base_title(t) if field_name == "short_titles" else normalize_title(t)
            if match_title(t) not in {match_title(x) for x in inst.all_titles()}:
                bucket.append(t)
    conf = d.get("confidence", 1.0 if source is None else 0.5)
    for name in SINGLE_FIELDS:
        value = d.get(name)
        if value is None:
            continue
        old = getattr(inst, name)
        if old is not None and old != value:
            f, line = rec.where(name)
            if conf >= inst.field_confidence.get(name, 0):
                ds.warnings.append(f"{f}:{line}: {key}: {name} {value} replaces {old} reported earlier")
            else:
                ds.warnings.append(f"{f}:{line}: {key}: {name} {value} conflicts with {old} (kept)")
                continue
        setattr(inst, name, value)
        inst.field_confidence[name] = conf
    if d.get("status"):
        inst.status = d["status"]
    for topic in d.get("topics", []):
        if topic not in inst.topics:
            inst.topics.append(topic)
    if d.get("review"):
        inst.review = True
    if source is not None:
        inst.sources.append(source)


# ---------------------------------------------------------------- loading


def _doc_sort_key(ff: FactFile) -> tuple[str, str]:
    date = ff.document.data.get("date")
    return (str(date) if date else "9999", ff.doc_id)


def load_fact_files(data_dir: Path) -> tuple[list[FactFile], list[str], dict[str, list]]:
    """Read every document's facts with its curation applied; documents in date order.
    Returns the files, stale curation entries and the curation merges per kind."""
    errors: list[FactError] = []
    files: dict[str, FactFile | None] = {}
    for path in sorted((data_dir / "documents").glob("*.yaml")):
        try:
            files[path.stem] = read_fact_file(path)
        except FactErrors as exc:
            errors.extend(exc.errors)
            files[path.stem] = None
    stale: list[str] = []
    merges: dict[str, list] = defaultdict(list)
    out: list[FactFile] = []
    curated = set()
    for path in sorted((data_dir / "curation").glob("*.yaml")):
        curated.add(path.stem)
        try:
            cur = read_curation(path)
            if path.stem in files and files[path.stem] is None:
                continue  # machine file had errors, reported above
            ff, st = apply_curation(files.get(path.stem), cur)
            stale.extend(st)
            for kind, src, into, line in cur.merges:
                merges[kind].append((src, into, cur.path, line))
            out.append(ff)
        except FactErrors as exc:
            errors.extend(exc.errors)
    for stem, ff in files.items():
        if stem not in curated and ff is not None:
            out.append(ff)
    if errors:
        raise FactErrors(errors)
    out.sort(key=_doc_sort_key)
    return out, stale, merges


def load_dataset(data_dir: str | Path) -> Dataset:
    """Read, curate, resolve and merge everything in ``data_dir``; raise :class:`FactErrors`
    listing every problem (with file and line) if anything is wrong."""
    data_dir = Path(data_dir)
    errors: list[FactError] = []
    registry, known = load_registry(data_dir)
    files, stale, merges = load_fact_files(data_dir)
    ds = Dataset(registry=registry, stale=stale)
    from .rates import load_rates

    try:
        ds.rates = load_rates(data_dir)
    except FactErrors as exc:
        errors.extend(exc.errors)

    def err(file: str, line: int | None, msg: str) -> None:
        errors.append(FactError(file, line, msg))

    # documents, items, new authorities
    for ff in files:
        d = ff.document.data
        ds.documents[ff.doc_id] = Document(ff.doc_id, d.get("title"), d.get("issue"), d.get("date"),
                                           d.get("publisher"), d.get("source_file"), d.get("sha256"))
        for rec in ff.records["items"]:
            i = rec.data
            ds.items[(ff.doc_id, i["id"])] = Item(ff.doc_id, i["id"], i.get("section", []), i["lines"],
                                                  i.get("url"), i.get("source_name"))
        for rec in ff.records["authorities"]:
            items = rec.data.get("items", [])
            auth = authority_from_record(rec)
            auth.review = rec.data.get("review", True)
            merged = registry.add_authority(auth)
            merged.sources.extend((ff.doc_id, i) for i in items)
    for src, into, file, line in merges.get("authority", []):
        try:
            target = registry.resolve_authority(into)
        except ResolveError as exc:
            err(file, line, f"merge into: {exc}")
            continue
        registry.authorities[target].aliases.append(split_qualified(src)[1])
        registry.add_authority(registry.authorities[target])
    registry.link_parents(errors)

    # item references of every record
    for ff in files:
        known_items = {r.data["id"] for r in ff.records["items"]}
        for sec in ("authorities", "instruments", "relations", "actions", "cases"):
            for rec in ff.records[sec]:
                for item in rec.data.get("items", []):
                    if item not in known_items:
                        f, line = rec.where("items")
                        err(f, line, f"unknown item {item!r}: not among this document's items")

    # instruments
    redirects = {src: into for src, into, _f, _l in merges.get("instrument", [])}
    for rec in known:
        key = instrument_key(rec.data)
        if key in ds.instruments:
            err(rec.file, rec.line, f"duplicate instrument {key!r} in the known-instrument list")
            continue
        _merge_instrument(ds, rec, key, None)
    for ff in files:
        seen_keys: dict[str, Record] = {}
        for rec in ff.records["instruments"]:
            key = instrument_key(rec.data)
            key = redirects.get(key, key)
            if key in seen_keys:
                err(rec.file, rec.line, f"duplicate instrument {key!r} (first at line {seen_keys[key].line})")
                continue
            seen_keys[key] = rec
            source = Source(ff.doc_id, list(rec.data.get("items", [])), rec.data.get("confidence"))
            _merge_instrument(ds, rec, key, source)
    # a standard cited without its year is the edition with the year, when only one is known
    folded = _fold_yearless_standards(ds)
    index = InstrumentIndex(ds.instruments, redirects | folded)

    # issuers (need authorities) and resolution of every reference
    for ff in files:
        for rec in ff.records["instruments"]:
            key = redirects.get(instrument_key(rec.data), instrument_key(rec.data))
            key = index.redirects.get(key, key)
            inst = ds.instruments.get(key)
            if inst is None:
                continue
            for ref in rec.data.get("issuers", []):
                try:
                    k = registry.resolve_authority(ref.value, inst.jurisdiction)
                except ResolveError as exc:
                    err(ref.file, ref.line, f"issuer: {exc}")
                    continue
                if k not in inst.issuers:
                    inst.issuers.append(k)
    for rec in known:
        inst = ds.instruments.get(instrument_key(rec.data))
        for ref in rec.data.get("issuers", []) if inst else []:
            try:
                k = registry.resolve_authority(ref.value, inst.jurisdiction)
                if k not in inst.issuers:
                    inst.issuers.append(k)
            except ResolveError as exc:
                err(ref.file, ref.line, f"issuer: {exc}")

    def resolve_inst(ref, hint=None) -> str | None:
        try:
            return index.resolve(ref.value, hint)
        except ResolveError as exc:
            err(ref.file, ref.line, str(exc))
            return None

    def resolve_auth(ref, hint=None) -> str | None:
        try:
            return registry.resolve_authority(ref.value, hint)
        except ResolveError as exc:
            err(ref.file, ref.line, str(exc))
            return None

    def basis(rec: Record, hint: str | None) -> list[LegalBasisRef]:
        out = []
        for lb in rec.data.get("legal_basis", []):
            k = resolve_inst(lb.instrument, hint)
            if k:
                out.append(LegalBasisRef(k, lb.articles))
        return out

    party_redirects = {src: into for src, into, _f, _l in merges.get("party", [])}

    def party(name: str, doc_id: str, items: list[str], kind: str | None, jur: str | None) -> str:
        key = registry.known_party(name) or party_key(name, doc_id, items[0] if items else None)
        key = party_redirects.get(key, party_redirects.get(name, key))
        ent = ds.parties.get(key)
        if ent is None:
            kp = registry.parties.get(key)
            ent = PartyEntity(key, kp.name if kp else name, (kp.kind if kp else None) or kind,
                              (kp.jurisdiction if kp else None) or (None if is_anonymised(name) else jur),
                              kp.name_en if kp else None, list(kp.aliases) if kp else [])
            ds.parties[key] = ent
        elif name != ent.name and name not in ent.aliases:
            ent.aliases.append(name)
        if ent.kind is None and kind:
            ent.kind = kind
        ent.sources.append(Source(doc_id, items))
        return key

    for ff in files:
        for rec in ff.records["relations"]:
            d = rec.data
            s, o = resolve_inst(d["subject"]), resolve_inst(d["object"])
            if s and o:
                ds.relations.append(Relation(s, d["type"], o, ff.doc_id, list(d.get("items", [])),
                                             d.get("confidence")))
        for rec in ff.records["actions"]:
            d = rec.data
            jur = d.get("jurisdiction")
            auths = [k for k in (resolve_auth(r, jur) for r in d.get("authorities", [])) if k]
            if jur is None and auths:
                jur = registry.authorities[auths[0]].jurisdiction
            items = list(d.get("items", []))
            targets = [party(t, ff.doc_id, items, d.get("target_kind"), jur) for t in d.get("targets", [])]
            ds.actions.append(Action(
                ff.doc_id, d["id"], list(d["kinds"]), auths, targets, d.get("target_count"), d.get("date"), jur,
                basis(rec, jur), list(d.get("violations", [])), d.get("penalty"), d.get("amount_involved"),
                items, d.get("confidence"),
            ))
        for rec in ff.records["cases"]:
            d = rec.data
            jur = d.get("jurisdiction")
            court = resolve_auth(d["court"], jur)
            if court is None:
                continue
            if jur is None:
                jur = registry.authorities[court].jurisdiction
            items = list(d.get("items", []))
            parties = [(party(p.name, ff.doc_id, items, None, jur), p.role) for p in d.get("parties", [])]
            ds.cases.append(Case(
                ff.doc_id, d["id"], d.get("name"), court, parties, d.get("date"), d.get("outcome"),
                d.get("damages"), basis(rec, jur), list(d.get("violations", [])), jur, items,
                d.get("confidence"),
            ))
    # known relations between registry instruments are not document facts; nothing to do
    if errors:
        raise FactErrors(errors)
    ds.warnings.extend(_check_vocab_consistency(ds))
    return ds


def standard_editions(keys, key: str) -> list[str]:
    """Keys of the editions (``std/GB-T-46068-2025``) of a yearless standard key."""
    return sorted(k for k in keys if k.startswith(key + "-") and k[len(key) + 1:].isdigit())


def _fold_yearless_standards(ds: Dataset) -> dict[str, str]:
    """Merge ``std/GB-T-46068`` into ``std/GB-T-46068-2025``, the latest edition known; return the
    redirects."""
    redirects: dict[str, str] = {}
    for key in sorted(ds.instruments):
        if not key.startswith("std/"):
            continue
        editions = standard_editions(ds.instruments, key)
        if not editions:
            continue
        editions = editions[-1:]  # a yearless citation means the current (latest) edition
        src = ds.instruments.pop(key)
        target = ds.instruments[editions[0]]
        for name in SINGLE_FIELDS:
            if getattr(target, name) is None and getattr(src, name) is not None and name != "number":
                setattr(target, name, getattr(src, name))
        if target.status is None:
            target.status = src.status
        for t in src.all_titles():
            if t != target.title and t not in target.alt_titles and t not in target.short_titles:
                target.alt_titles.append(t)
        target.issuers += [i for i in src.issuers if i not in target.issuers]
        target.topics += [t for t in src.topics if t not in target.topics]
        target.sources.extend(src.sources)
        redirects[key] = editions[0]
    return redirects


def _check_vocab_consistency(ds: Dataset) -> list[str]:
    """Warnings for facts that are valid but suspicious (for ``kg review``)."""
    out = []
    types = vocabulary("instrument_type")
    for inst in ds.instruments.values():
        if inst.number and inst.kind and "standard" in types.ancestors(inst.kind) and not standard_key(inst.number):
            out.append(f"{inst.key}: kind {inst.kind} but number {inst.number!r} is not a standard number")
        if not inst.sources and not inst.issuers and inst.kind is None:
            out.append(f"{inst.key}: known instrument without kind or issuer")
    for key, auth in ds.registry.authorities.items():
        if auth.review:
            out.append(f"{key}: authority created by ingestion, not yet reviewed")
    return out
