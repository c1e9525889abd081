"""``kg diff``: what a newer build added, changed or removed, as facts an analyst reads.

Both sides are read into a :class:`~kg.store.snapshot.Snapshot` (SPARQL over each store) and
compared entity by entity: new and removed instruments, enforcement actions (with their fines),
court cases and relations between instruments; for an instrument in both, the fields that
changed (its status above all: a consultation draft that was issued, a law that came into force).
Each change carries the jurisdiction and the authority (issuers, enforcing bodies, court) it is
grouped under. A side is a build folder (``store/`` and ``build.json``) or a data folder, which
is built into a temporary store first (:func:`kg.store.build.build`, SHACL included).

    from kg.store.diff import diff
    changes = diff("kg-build-2026-01", "kg-build")      # -> Changes
    changes.to_dict()                                    # what `kg diff -f json` prints
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import tempfile
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDF

from .. import paths
from ..errors import StoreError
from ..model.spec import model
from ..model.terms import DERIVED_GRAPH, PREFIXES
from .snapshot import FIELDS as COMPARED
from .snapshot import KINDS, Record, Snapshot, snapshot
from .store import MANIFEST, STORE, is_build_dir, open_store

CHANGE_ORDER = ("added", "changed", "removed")
CHANGES_JSON = "changes.json"  # what `kg build` writes into the build folder: the changes since the previous build
CHANGES_MD = "changes.md"


@dataclass(frozen=True)
class Change:
    """One fact that NEW added or removed, or an entity whose fields changed.

    ``fields`` are the shown values (of NEW, or of OLD for a removed fact), each a string (several
    values joined with ``、``), ``key`` identifies it; ``changed`` holds, for a changed entity, field -> (old, new)."""

    change: str
    kind: str
    key: str  # the entity's IRI; for a relation ``subject-IRI relation object-IRI``
    label: str
    jurisdiction: str
    authority: str
    fields: dict[str, str]
    changed: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Side:
    """One side of a comparison: the folder given and what it is."""

    path: str
    source: str  # "build" or "data" (built into a temporary store)
    built_at: str | None = None
    status_as_of: str | None = None


@dataclass
class Changes:
    """What NEW added, changed and removed compared with OLD (``old`` None: nothing to compare with)."""

    old: Side | None
    new: Side
    changes: list[Change]
    jurisdictions: dict[str, str] = field(default_factory=dict)
    note: str | None = None

    def __bool__(self) -> bool:
        return bool(self.changes)

    def summary(self) -> dict[str, dict[str, int]]:
        """Counts per kind of fact and change; ``fine`` counts the actions with a fine, ``status``
        the instruments whose status changed."""
        out = {k: dict.fromkeys(CHANGE_ORDER, 0) for k in (*KINDS, "fine")}
        out["status"] = {"changed": 0}
        for c in self.changes:
            out[c.kind][c.change] += 1
            if c.kind == "action" and ("fine" in c.changed if c.change == "changed" else "fine" in c.fields):
                out["fine"][c.change] += 1
            if "status" in c.changed:
                out["status"]["changed"] += 1
        return out

    def groups(self) -> list[tuple[str, str, list[Change]]]:
        """(jurisdiction, authority, changes) in order: by jurisdiction code, then authority (facts
        without one last), then kind of fact, change and label."""
        def order(c: Change) -> tuple:
            return (c.jurisdiction == "", c.jurisdiction, c.authority == "", c.authority,
                    KINDS.index(c.kind), CHANGE_ORDER.index(c.change), c.label, c.key)

        out: list[tuple[str, str, list[Change]]] = []
        for c in sorted(self.changes, key=order):
            if not out or out[-1][:2] != (c.jurisdiction, c.authority):
                out.append((c.jurisdiction, c.authority, []))
            out[-1][2].append(c)
        return out

    def jurisdiction_label(self, code: str) -> str:
        """``CN-HN 湖南省 / Hunan Sheng``; ``(no jurisdiction)`` for none."""
        if not code:
            return "(no jurisdiction)"
        names = self.jurisdictions.get(code)
        return f"{code} {names}" if names else code

    def to_dict(self) -> dict:
        """The changes as plain data (what ``kg diff -f json`` prints and ``changes.json`` holds)."""
        return {
            "old": asdict(self.old) if self.old else None,
            "new": asdict(self.new),
            "note": self.note,
            "summary": self.summary(),
            "groups": [{"jurisdiction": j, "jurisdiction_label": self.jurisdiction_label(j), "authority": a,
                        "changes": [{"change": c.change, "kind": c.kind, "label": c.label, "key": c.key,
                                     "fields": c.fields,
                                     **({"changed": {k: list(v) for k, v in c.changed.items()}} if c.changed else {})}
                                    for c in cs]}
                       for j, a, cs in self.groups()],
        }


# ---------------------------------------------------------------- describing a record


FIELDS = {
    "instrument": ("number", "type", "issuers", "date", "in_force", "status"),
    "action": ("authorities", "kinds", "targets", "target_count", "fine", "currency", "fine_as_written", "date",
               "laws"),
    "case": ("court", "plaintiffs", "defendants", "outcome", "damages", "currency", "damages_as_written", "date",
             "laws"),
    "relation": ("subject", "relation", "object"),
}


def _show(snap: Snapshot, rec: Record, name: str) -> str:
    if name == "relation":
        return "、".join(model().relations[r].labels.get("en", r) for r in rec.get(name, ()))
    return "、".join(snap.label(v) for v in rec.get(name, ()))


def _jurisdiction(snap: Snapshot, rec: Record, bodies: str) -> str:
    codes = [snap.code(v) for v in rec.get("jurisdiction", ())]
    if not codes:
        codes = [snap.code(snap.home[b]) for b in rec.get(bodies, ()) if b in snap.home]
    return codes[0] if codes else ""


def _label(kind: str, snap: Snapshot, rec: Record, key: str) -> str:
    if kind == "instrument":
        return (rec.get("title") or rec.get("number") or (key.rsplit("/", 1)[-1],))[0]
    if kind == "relation":
        return f"{_show(snap, rec, 'subject')} {_show(snap, rec, 'relation')} {_show(snap, rec, 'object')}"
    if kind == "case":
        return (rec.get("title") or (f"{_show(snap, rec, 'court')} {key.rsplit('/', 1)[-1]}",))[0]
    targets = [snap.label(t) for t in rec.get("targets", ())]
    whom = "、".join(targets[:3]) + (f" (+{len(targets) - 3})" if len(targets) > 3 else "")
    return " ".join(x for x in (_show(snap, rec, "kinds"), whom) if x)


def describe(kind: str, key: str, snap: Snapshot, change: str, other: Snapshot | None = None) -> Change:
    """The change of one record of ``snap``: its label, group and shown fields (a relation is
    grouped under its subject instrument, looked up in ``other`` when ``snap`` lacks it)."""
    rec = snap.records[kind][key]
    fields = {n: _show(snap, rec, n) for n in FIELDS[kind] if rec.get(n)}
    group_snap, group_rec = snap, rec
    bodies = {"instrument": "issuers", "action": "authorities", "case": "court", "relation": "issuers"}[kind]
    if kind == "relation":
        subject = rec["subject"][0]
        if subject not in snap.records["instrument"] and other is not None:
            group_snap = other
        group_rec = group_snap.records["instrument"].get(subject, {})
    return Change(change, kind, key, _label(kind, snap, rec, key), _jurisdiction(group_snap, group_rec, bodies),
                  _show(group_snap, group_rec, bodies), fields)


def compare(old: Snapshot, new: Snapshot) -> list[Change]:
    """Every fact NEW added or removed, and every entity of both whose compared fields differ."""
    out: list[Change] = []
    for kind in KINDS:
        before, after = old.records[kind], new.records[kind]
        out += [describe(kind, key, new, "added", old) for key in sorted(after.keys() - before.keys())]
        out += [describe(kind, key, old, "removed", new) for key in sorted(before.keys() - after.keys())]
        for key in sorted(before.keys() & after.keys()):
            a, b = before[key], after[key]
            if a == b:
                continue
            order = ("title", *FIELDS[kind], "jurisdiction")
            names = sorted((n for n in a.keys() | b.keys() if a.get(n) != b.get(n)),
                           key=lambda n: (order.index(n) if n in order else len(order), n))
            changed = {n: (_show(old, a, n), _show(new, b, n)) for n in names}
            out.append(replace(describe(kind, key, new, "changed", old), changed=changed))
    return out


def changes_between(old: Snapshot, new: Snapshot, old_side: Side | None, new_side: Side) -> Changes:
    """The :class:`Changes` of two snapshots (with the names of the jurisdictions they use)."""
    changes = compare(old, new)
    names = {c.jurisdiction: new.jurisdictions.get(c.jurisdiction) or old.jurisdictions.get(c.jurisdiction, "")
             for c in changes if c.jurisdiction}
    note = None
    if old_side and new_side.status_as_of and old_side.status_as_of != new_side.status_as_of:
        note = (f"statuses are as of {old_side.status_as_of} in OLD and {new_side.status_as_of} in NEW: "
                "some status changes may only be the passing of time")
    return Changes(old_side, new_side, changes, names, note)


# ---------------------------------------------------------------- the two sides


def inspect(path: str | Path) -> Side:
    """What ``path`` is: a build folder or a data folder; a :class:`StoreError` naming it otherwise."""
    p = Path(path)
    if is_build_dir(p):
        manifest = _manifest(p)
        return Side(str(p), "build", manifest.get("built_at"), manifest.get("status_as_of"))
    if not p.exists():
        raise StoreError(f"{p} does not exist: give a build folder (what `kg build` writes) or a data folder")
    if p.is_dir() and paths.is_data_dir(p):
        return Side(str(p), "data")
    raise StoreError(f"{p} is neither a build folder ({STORE}/ and {MANIFEST}, as `kg build` writes) "
                     "nor a data folder (authorities/ or authorities.yaml)")


def _manifest(build_dir: Path) -> dict:
    try:
        return json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _read(side: Side, tmp: Path, name: str, as_of: dt.date) -> Snapshot:
    """The snapshot of a build folder, or of a data folder built (as of ``as_of``) into ``tmp``."""
    if side.source == "build":
        return _snapshot_of(Path(side.path))
    from .build import build

    build(side.path, tmp / name, views=False, as_of=as_of)
    return _snapshot_of(tmp / name)


def _snapshot_of(build_dir: Path) -> Snapshot:
    return snapshot(open_store(build_dir))


def diff(old: str | Path, new: str | Path, as_of: dt.date | None = None) -> Changes:
    """What ``new`` added, changed or removed compared with ``old`` (each a build or data folder).

    A data folder is built as of ``as_of``; by default as of the status date of the build on the
    other side (so that time alone changes no status), else today."""
    sides = [inspect(old), inspect(new)]
    if as_of is None:
        dates = [s.status_as_of for s in sides if s.status_as_of]
        as_of = dt.date.fromisoformat(dates[0]) if dates else dt.date.today()
    resolved = [s if s.source == "build" else Side(s.path, "data", None, as_of.isoformat()) for s in sides]
    with tempfile.TemporaryDirectory(prefix="kg-diff-") as tmp:
        snaps = [_read(s, Path(tmp), n, as_of) for s, n in zip(sides, ("old", "new"), strict=True)]
    return changes_between(snaps[0], snaps[1], *resolved)


def changes_since(previous: Path, folder: Path, manifest: dict, changed: list[ox.Quad] | None = None) -> Changes:
    """What the complete new build in ``folder`` (with ``manifest``) changed since the build in
    ``previous``, the folder it is about to replace (and whose name it takes); nothing to compare
    with when there is no readable previous build. Given the quads ``changed`` between the two
    (:func:`kg.rdf.delta.delta`), only the entities they touch are read from both stores."""
    new_side = Side(str(previous), "build", manifest.get("built_at"), manifest.get("status_as_of"))
    if not (previous / STORE).is_dir():
        return Changes(None, new_side, [], note="no previous build to compare with")
    try:
        old_store = open_store(previous)
    except (StoreError, OSError) as exc:
        return Changes(None, new_side, [], note=f"the previous build could not be read: {exc}")
    new_store = open_store(folder)
    subjects = None if changed is None else touched(changed, (old_store, new_store))
    prev = _manifest(previous)
    old_side = Side(str(previous), "build", prev.get("built_at"), prev.get("status_as_of"))
    return changes_between(snapshot(old_store, subjects), snapshot(new_store, subjects), old_side, new_side)


def touched(changed: list[ox.Quad], stores: tuple[ox.Store, ...]) -> set[str]:
    """The entities whose compared facts (:data:`~kg.store.snapshot.FIELDS`, relations) the quads
    ``changed`` can change: their subjects, the entities whose field goes through a changed node
    (``kg:penalty/schema:value``), and the entities with a value whose type changed. Quads of the
    derived graph are left out: no compared fact is derived (a fine's rank shifts whenever a larger
    fine comes in, and would make every fine one to read)."""
    rdf_type = str(RDF.type)
    derived = ox.NamedNode(str(DERIVED_GRAPH))
    changed = [q for q in changed if q.graph_name != derived]
    nodes = {q.subject for q in changed}
    typed = {q.subject for q in changed if q.predicate.value == rdf_type}
    out = {n.value for n in nodes if isinstance(n, ox.NamedNode)}
    for store in stores:
        for hop in _hops():
            for node in nodes:
                out.update(q.subject.value for q in store.quads_for_pattern(None, hop, node))
        for t in typed:
            out.update(q.subject.value for q in store.quads_for_pattern(None, None, t))
    return out


@functools.cache
def _hops() -> tuple[ox.NamedNode, ...]:
    """The first properties of the compared fields' two-step paths."""
    firsts = {step.split("/")[0] for _cls, fields in COMPARED.values() for path in fields.values()
              for step in path.split("|") if "/" in step}
    return tuple(ox.NamedNode(PREFIXES[c.split(":")[0]] + c.split(":")[1]) for c in sorted(firsts))
