"""Authorities and parties: canonical names, aliases, hierarchy, and name resolution.

``data/authorities.yaml`` is the curated registry; fact files may add bodies the
registry did not know (flagged ``review: true``). A reference resolves by key
(``CN/国家互联网信息办公室``), by a jurisdiction-qualified name or alias
(``CN/国家网信办``), or by a bare name or alias when only one body carries it.
Two bodies that share a short name are never merged: the bare name is then
ambiguous and must be qualified.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from ..errors import FactError, FactErrors, ResolveError
from ..model.ids import authority_key, name_key
from ..model.vocabularies import vocabulary
from .schema import Ctx, Record, parse_list, read_data_file
from .templates import TEMPLATES_FORMAT, expand
from .values import Ref
from .yamlio import LMap, load_yaml

AUTHORITIES_FORMAT = "kg-authorities/1"
PARTIES_FORMAT = "kg-parties/1"
INSTRUMENTS_FORMAT = "kg-instruments/1"


@dataclass
class Authority:
    """A resolved authority."""

    key: str
    name: str
    jurisdiction: str
    kind: str
    name_en: str | None = None
    aliases: list[str] = field(default_factory=list)
    parent: str | None = None  # key, after resolution
    parent_ref: Ref | None = None
    review: bool = False
    homepage: str | None = None
    sources: list[str] = field(default_factory=list)  # where the entry was checked (URLs, document ids)
    reports: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, item_id) of the items naming it
    record: Record | None = None

    def names(self) -> list[str]:
        """The canonical name, English name and aliases."""
        out = [self.name, *self.aliases]
        if self.name_en:
            out.append(self.name_en)
        return out


@dataclass
class Party:
    """A known party (company, platform ...) from ``data/parties.yaml``."""

    key: str
    name: str
    kind: str | None = None
    jurisdiction: str | None = None
    name_en: str | None = None
    aliases: list[str] = field(default_factory=list)


def split_qualified(ref: str) -> tuple[str | None, str]:
    """``CN/国家网信办`` -> (``CN``, ``国家网信办``); a bare name -> (None, name)."""
    if "/" in ref:
        head, tail = ref.split("/", 1)
        if head in vocabulary("jurisdiction"):
            return head, tail
    return None, ref


class Registry:
    """Authorities and known parties, indexed by key, name and alias."""

    def __init__(self) -> None:
        self.authorities: dict[str, Authority] = {}
        self._names: dict[str, set[str]] = defaultdict(set)  # cleaned name -> keys
        self.parties: dict[str, Party] = {}
        self._party_names: dict[str, str] = {}
        # after fork(): the bodies and name sets still shared with the registry forked from
        self._shared: set[str] = set()
        self._shared_names: set[str] = set()

    def fork(self) -> Registry:
        """A registry to add to and merge into, leaving this one as it is: bodies and name sets are
        shared until one is changed (copy on write), so forking costs two dictionary copies."""
        other = Registry()
        other.authorities = dict(self.authorities)
        other._names = defaultdict(set, self._names)
        other._shared, other._shared_names = set(self.authorities), set(self._names)
        other.parties = dict(self.parties)
        other._party_names = dict(self._party_names)
        return other

    def own(self, key: str) -> Authority:
        """The authority ``key`` to change (a copy, the first time, if it is shared with another registry)."""
        if key in self._shared:
            a = self.authorities[key]
            self.authorities[key] = replace(a, aliases=list(a.aliases), sources=list(a.sources),
                                            reports=list(a.reports))
            self._shared.discard(key)
        return self.authorities[key]

    def _add_name(self, name: str, key: str) -> None:
        k = name_key(name)
        if k in self._shared_names:
            self._names[k] = set(self._names[k])
            self._shared_names.discard(k)
        self._names[k].add(key)

    # ------------------------------------------------------------ authorities

    def add_authority(self, auth: Authority, ctx: Ctx | None = None, line: int | None = None) -> Authority:
        """Add an authority, or merge names into the one with the same key."""
        if auth.key in self.authorities:
            existing = self.own(auth.key)
            for alias in [auth.name, *auth.aliases]:
                if alias != existing.name and alias not in existing.aliases:
                    existing.aliases.append(alias)
                    self._add_name(alias, existing.key)
            existing.reports.extend(auth.reports)
            existing.sources.extend(s for s in auth.sources if s not in existing.sources)
            return existing
        self.authorities[auth.key] = auth
        for n in auth.names():
            self._add_name(n, auth.key)
        return auth

    def candidates(self, name: str, jurisdiction: str | None = None) -> list[str]:
        """Keys of authorities carrying ``name`` (optionally within a jurisdiction)."""
        keys = sorted(self._names.get(name_key(name), ()))
        if jurisdiction:
            keys = [k for k in keys if self.authorities[k].jurisdiction == jurisdiction]
        return keys

    def resolve_authority(self, ref: str, jurisdiction_hint: str | None = None) -> str:
        """The key of the authority ``ref`` names; ResolveError if none or several."""
        if ref in self.authorities:
            return ref
        jur, name = split_qualified(ref)
        if jur is not None:
            keys = self.candidates(name, jur)
            if name_key(ref) in self.authorities:
                return name_key(ref)
        else:
            keys = self.candidates(name)
            if len(keys) > 1 and jurisdiction_hint:
                narrowed = [k for k in keys if self.authorities[k].jurisdiction == jurisdiction_hint]
                keys = narrowed or keys
        if not keys:
            raise ResolveError(f"unknown authority {ref!r}: declare it in the file's authorities section or "
                               "add it to a file of data/authorities/")
        if len(keys) > 1:
            raise ResolveError(f"ambiguous authority {ref!r}: it names {', '.join(keys)}; write one of these keys")
        return keys[0]

    def link_parents(self, errors: list[FactError]) -> None:
        """Resolve every parent reference and refuse cycles."""
        for auth in list(self.authorities.values()):
            if auth.parent_ref is None:
                continue
            try:
                parent = self.resolve_authority(auth.parent_ref.value, auth.jurisdiction)
            except ResolveError as exc:
                errors.append(FactError(auth.parent_ref.file, auth.parent_ref.line, f"parent: {exc}"))
                continue
            if parent != auth.parent:
                self.own(auth.key).parent = parent
        for auth in list(self.authorities.values()):
            seen = {auth.key}
            p = auth.parent
            while p:
                if p in seen:
                    ref = auth.parent_ref
                    errors.append(FactError(ref.file if ref else "?", ref.line if ref else None,
                                            f"parent cycle through {auth.key!r}"))
                    self.own(auth.key).parent = None
                    break
                seen.add(p)
                p = self.authorities[p].parent if p in self.authorities else None

    def ancestors(self, key: str) -> list[str]:
        """The parent chain of an authority, nearest first."""
        out = []
        p = self.authorities[key].parent
        while p and p not in out:
            out.append(p)
            p = self.authorities[p].parent
        return out

    # ------------------------------------------------------------ parties

    def add_party(self, party: Party) -> None:
        """Add a known party and its aliases."""
        self.parties[party.key] = party
        for n in [party.name, *party.aliases] + ([party.name_en] if party.name_en else []):
            self._party_names[name_key(n)] = party.key

    def known_party(self, name: str) -> str | None:
        """The key of the known party carrying this name or alias."""
        return self._party_names.get(name_key(name))


def authority_from_record(rec: Record, source: tuple[str, str] | None = None) -> Authority:
    """An :class:`Authority` from a parsed authority record."""
    d = rec.data
    key = d.get("key") or authority_key(d["name"], d["jurisdiction"])
    return Authority(
        key=key, name=d["name"], jurisdiction=d["jurisdiction"], kind=d["kind"],
        name_en=d.get("name_en"), aliases=list(d.get("aliases", [])), parent_ref=d.get("parent"),
        review=bool(d.get("review", False)), homepage=d.get("homepage"), sources=list(d.get("sources", [])),
        reports=[source] if source else [], record=rec,
    )


REGISTRIES = ("authorities", "instruments", "parties")


def copy_registries(src: Path, dst: Path) -> None:
    """Copy the registries of a data folder (and its exchange rates) into another one."""
    import shutil

    dst.mkdir(parents=True, exist_ok=True)
    for name in REGISTRIES:
        for path in registry_files(src, name):
            target = dst / path.relative_to(src)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, target)
    if (src / "rates.yaml").is_file():
        shutil.copy(src / "rates.yaml", dst / "rates.yaml")


def registry_files(data_dir: Path, name: str) -> list[Path]:
    """The files of a registry: ``<name>.yaml`` and every ``<name>/*.yaml`` (in name order)."""
    single = data_dir / f"{name}.yaml"
    return ([single] if single.is_file() else []) + sorted((data_dir / name).glob("*.yaml"))


def _read_list_file(path: Path, fmt: str, section: str, kind: str) -> list[Record]:
    raw, ctx = read_data_file(str(path), fmt, {section}, "a registry file")
    recs = parse_list(kind, raw.get(section), ctx, raw.line_of(section))
    ctx.raise_if_errors()
    return recs


def _read_authority_file(path: Path) -> tuple[list[Record], list[Record]]:
    """The records of an authority file, and the records a template file generates."""
    raw = load_yaml(path)
    if isinstance(raw, LMap) and raw.get("format") == TEMPLATES_FORMAT:
        raw, ctx = read_data_file(str(path), TEMPLATES_FORMAT, {"places", "bodies", "exceptions"},
                                  "a template file")
        generated = expand(raw, ctx)
        ctx.raise_if_errors()
        return [], generated
    return _read_list_file(path, AUTHORITIES_FORMAT, "authorities", "authority"), []


def _add_authorities(reg: Registry, recs: list[Record], generated: list[Record], errors: list[FactError]) -> None:
    """Each body once; names unique within a jurisdiction. A generated body that a file also names
    is that body (the file's record stands; the template adds the names it lacks)."""
    for rec in recs:
        auth = authority_from_record(rec)
        if auth.key in reg.authorities:
            first = reg.authorities[auth.key].record
            errors.append(FactError(rec.file, rec.line, f"duplicate authority {auth.key!r}"
                                    + (f" (first at {first.file}:{first.line})" if first else "")))
            continue
        _check_names(reg, auth, rec, errors)
        reg.add_authority(auth)
    for rec in generated:
        auth = authority_from_record(rec)
        existing = reg.authorities.get(auth.key)
        if existing is not None:
            auth.aliases = [a for a in auth.aliases if not [k for k in reg.candidates(a, auth.jurisdiction)
                                                             if k != auth.key]]
            auth.name_en = None
            reg.add_authority(auth)
            continue
        _check_names(reg, auth, rec, errors)
        reg.add_authority(auth)


def _check_names(reg: Registry, auth: Authority, rec: Record, errors: list[FactError]) -> None:
    for alias in auth.names():
        clash = [k for k in reg.candidates(alias, auth.jurisdiction) if k != auth.key]
        if clash:
            errors.append(FactError(rec.file, rec.where("aliases")[1],
                                    f"name {alias!r} of {auth.key!r} is already used by {clash[0]!r} "
                                    f"in the same jurisdiction"))


def load_registry(data_dir: Path) -> tuple[Registry, list[Record]]:
    """Read the authority files (``authorities.yaml`` and ``authorities/*.yaml``, templates expanded)
    and ``parties.yaml``, and return the records of the instrument files (``instruments.yaml`` and
    ``instruments/*.yaml``) for the instrument index. Raises :class:`FactErrors`."""
    errors: list[FactError] = []
    reg = Registry()
    auth_files = registry_files(data_dir, "authorities")
    if not auth_files:
        raise FactErrors([FactError(str(data_dir / "authorities"), None, "the authority registry is missing "
                                    "(authorities.yaml or authorities/*.yaml)")])
    recs: list[Record] = []
    generated: list[Record] = []
    known: list[Record] = []
    party_recs: list[Record] = []
    for path in auth_files:
        try:
            mine, made = _read_authority_file(path)
            recs.extend(mine)
            generated.extend(made)
        except FactError as exc:
            errors.append(exc)
        except FactErrors as exc:
            errors.extend(exc.errors)
    for path, fmt, section, kind, sink in (
        *((p, PARTIES_FORMAT, "parties", "party", party_recs) for p in registry_files(data_dir, "parties")),
        *((p, INSTRUMENTS_FORMAT, "instruments", "instrument", known) for p in registry_files(data_dir, "instruments")),
    ):
        try:
            sink.extend(_read_list_file(path, fmt, section, kind))
        except FactErrors as exc:
            errors.extend(exc.errors)
    _add_authorities(reg, recs, generated, errors)
    for rec in party_recs:
        d = rec.data
        key = d.get("key") or name_key(d["name"])
        if key in reg.parties:
            errors.append(FactError(rec.file, rec.line, f"duplicate party {key!r}"))
            continue
        reg.add_party(Party(key, d["name"], d.get("kind"), d.get("jurisdiction"), d.get("name_en"),
                            list(d.get("aliases", []))))
    if errors:
        raise FactErrors(errors)
    return reg, known
