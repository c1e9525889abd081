"""Instruments reported by several documents, merged into one entity, and their resolution.

How each field merges is declared in the model (``merge:`` of ``records/instrument.yaml``):
``titles`` (the full form is the title, the rest short or alternative titles), ``confident``
(one value; a more confident or later report replaces it, a conflict is a warning for ``kg
review``), ``latest`` (the last report) and ``union`` (every value once).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from functools import cache

from ..errors import ResolveError
from ..model.ids import (
    PRC_PREFIX,
    base_title,
    current_edition,
    format_standard_number,
    latest_editions,
    match_title,
    normalize_title,
    standard_key,
    title_key,
)
from ..model.spec import model
from .entity import Entity, Source
from .registry import split_qualified
from .schema import Record

REFERENCE = "the authority file"  # the origin of a value read from data/instruments


def titles_of(inst: Entity) -> list[str]:
    """Title, short titles and alternative titles (read from the values: what the attributes give,
    without a call of ``Entity.__getattr__`` for each)."""
    values = inst.values
    return [values.get("title"), *values.get("short_titles", ()), *values.get("alt_titles", ())]


def _merge_titles(inst: Entity, d: dict) -> None:
    title = base_title(d["title"]) if d.get("title") else None
    known = {match_title(t) for t in titles_of(inst)}
    if title and inst.number and inst.title == normalize_title(inst.number):
        inst.values["title"] = title
    elif title and match_title(title) not in known:
        if title.startswith(PRC_PREFIX) and not inst.title.startswith(PRC_PREFIX):
            inst.list("short_titles").append(inst.title)
            inst.values["title"] = title
        else:
            inst.list("alt_titles").append(title)
    for name in ("short_titles", "alt_titles"):
        for t in d.get(name, []):
            t = base_title(t) if name == "short_titles" else normalize_title(t)
            if match_title(t) not in {match_title(x) for x in titles_of(inst)}:
                inst.list(name).append(t)


@cache
def _merged_fields() -> tuple[tuple[str, str], ...]:
    """(name, merge rule) of the instrument's fields that :func:`merge_instrument` merges value by
    value, in the model's order: neither the titles (merged apart) nor the references (resolved
    later). Read from the model once, not for each of the 20,000 reports of a 1M-triple graph."""
    return tuple((f.name, f.merge) for f in model().kinds["instrument"].fields.values()
                 if f.merge not in (None, "titles") and f.type != "ref")


def merge_instrument(instruments: dict[str, Entity], rec: Record, key: str, source: Source | None,
                     warnings: list[str]) -> Entity:
    """Add one report of an instrument to the merged entity of ``key``."""
    d = rec.data
    inst = instruments.get(key)
    if inst is None:
        title = base_title(d["title"]) if d.get("title") else normalize_title(d["number"])
        inst = instruments[key] = Entity("instrument", key, {"title": title, "jurisdiction": d["jurisdiction"]})
    elif inst.jurisdiction != d["jurisdiction"]:
        f, line = rec.where("jurisdiction")
        warnings.append(f"{f}:{line}: {key}: jurisdiction {d['jurisdiction']} differs from {inst.jurisdiction}")
    _merge_titles(inst, d)
    conf = d.get("confidence", 1.0 if source is None else 0.5)
    for name, merge in _merged_fields():
        value = d.get(name)
        if value is None:
            continue
        if merge == "latest":
            inst.values[name] = value
        elif merge == "union":
            bucket = inst.list(name)
            bucket.extend(x for x in value if x not in bucket)
        elif _keep_confident(inst, name, value, conf, rec, warnings, source):
            inst.values[name] = value
            inst.field_confidence[name] = conf
            inst.field_origin[name] = source.doc_id if source else REFERENCE
    if d.get("review"):
        inst.values["review"] = True
    if source is not None:
        inst.reports.append(source)
    return inst


def _keep_confident(inst: Entity, name: str, value, conf: float, rec: Record, warnings: list[str],
                    source: Source | None) -> bool:
    old = inst.values.get(name)
    if old is None or old == value:
        return True
    f, line = rec.where(name)
    if inst.field_origin.get(name) == REFERENCE and source is not None:
        # the authority file was checked against an official page: what a newsletter says otherwise is
        # kept in its fact file and listed for review, never written over the reference value
        warnings.append(f"{f}:{line}: {inst.key}: {source.doc_id} says {name} {value}; the authority file says "
                        f"{old} (kept)")
        return False
    if conf >= inst.field_confidence.get(name, 0):
        warnings.append(f"{f}:{line}: {inst.key}: {name} {value} replaces {old} reported earlier")
        return True
    warnings.append(f"{f}:{line}: {inst.key}: {name} {value} conflicts with {old} (kept)")
    return False


def fold_yearless_standards(instruments: dict[str, Entity], own: Callable[[str], Entity] | None = None
                            ) -> dict[str, str]:
    """Merge ``std/GB-T-46068`` into ``std/GB-T-46068-2025``, the latest edition known (a yearless
    citation means the current edition); return the redirects. ``own(key)`` gives the entity to
    change when the instruments are shared (copy on write)."""
    redirects: dict[str, str] = {}
    latest = latest_editions(instruments)  # one pass, not one scan of every key per standard
    for key in sorted(k for k in latest if k in instruments):
        edition = latest[key]
        if edition not in instruments:  # folded away itself: ask the instruments left
            edition = current_edition(instruments, key)
            if edition is None:
                continue
        src = instruments.pop(key)
        target = own(edition) if own is not None else instruments[edition]
        for name, value in src.values.items():
            if name in ("title", "short_titles", "alt_titles", "number"):
                continue
            if isinstance(value, list):
                bucket = target.list(name)
                bucket.extend(x for x in value if x not in bucket)
            elif target.values.get(name) is None:
                target.values[name] = value
        for t in titles_of(src):
            if t not in titles_of(target):
                target.list("alt_titles").append(t)
        target.reports.extend(src.reports)
        redirects[key] = edition
    return redirects


class InstrumentIndex:
    """Resolves instrument references (keys, titles, short titles, numbers)."""

    def __init__(self, instruments: dict[str, Entity], redirects: dict[str, str]):
        self.instruments = instruments
        self.redirects = redirects
        self.by_title: dict[str, set[str]] = defaultdict(set)
        self.by_number: dict[str, set[str]] = defaultdict(set)
        for inst in instruments.values():
            for t in titles_of(inst):
                m = match_title(t)
                self.by_title[m].add(inst.key)
                if inst.jurisdiction == "CN" and m.startswith(PRC_PREFIX):
                    self.by_title[m[len(PRC_PREFIX):]].add(inst.key)
            if inst.number:
                self.by_number[normalize_title(inst.number)].add(inst.key)
                parsed = format_standard_number(inst.number)
                if parsed:
                    self.by_number[parsed].add(inst.key)

    def extended(self, instruments: dict[str, Entity], redirects: dict[str, str], changed: set[str]
                 ) -> InstrumentIndex:
        """This index over ``instruments``, which are this one's with the entities ``changed`` (new,
        or given more titles); the title and number sets are shared until one changes."""
        idx = InstrumentIndex.__new__(InstrumentIndex)
        idx.instruments, idx.redirects = instruments, redirects
        idx.by_title, idx.by_number = defaultdict(set, self.by_title), defaultdict(set, self.by_number)
        for key in sorted(changed):
            inst = instruments.get(key)
            if inst is None:
                continue
            for t in titles_of(inst):
                m = match_title(t)
                forms = [m, m[len(PRC_PREFIX):]] if inst.jurisdiction == "CN" and m.startswith(PRC_PREFIX) else [m]
                for form in forms:
                    idx.by_title[form] = idx.by_title.get(form, set()) | {key}
            if inst.number:
                for form in {normalize_title(inst.number), format_standard_number(inst.number)} - {None, ""}:
                    idx.by_number[form] = idx.by_number.get(form, set()) | {key}
        return idx

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
            edition = current_edition(self.instruments, sk)
            if edition:
                return edition
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
            raise ResolveError(f"ambiguous instrument {ref!r}: it names {', '.join(keys)}; write one of these keys",
                               keys, ambiguous=True)
        return keys[0]
