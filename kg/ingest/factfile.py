"""One document's fact file from what its items say: instruments merged across items, keys,
yearless standards folded into their edition, the mapping of data/README.md."""

from __future__ import annotations

from ..model.ids import current_edition, instrument_key, match_title
from .extract.topics import topics_of
from .mentions import ItemFacts, Mention
from .resolve import KnowledgeBase
from .segment import Segmented

# ---------------------------------------------------------------- the fact file


def mention_key(m: Mention) -> str:
    """The key a mention's instrument gets in the fact file."""
    if m.key:
        return m.key
    return instrument_key({"title": m.title if not (m.number and m.title == m.number) else None,
                           "number": m.number, "kind": m.kind, "jurisdiction": m.jurisdiction or "CN"})


def build_fact_file(seg: Segmented, items: list[ItemFacts], kb: KnowledgeBase, source_file: str,
                    sha256: str) -> dict:
    """The fact-file mapping of one document (see data/README.md)."""
    doc: dict = {"id": seg.doc_id}
    for k, v in (("title", seg.title), ("issue", seg.issue), ("date", str(seg.date) if seg.date else None),
                 ("publisher", seg.publisher), ("source_file", source_file), ("sha256", sha256)):
        if v:
            doc[k] = v
    out: dict = {"format": "kg-facts/1", "document": doc, "items": []}
    for f in items:
        it = f.item
        rec = {"id": it.id, "section": it.section, "lines": [it.first_line, it.last_line]}
        if it.url:
            rec["url"] = it.url
        if it.source_names:
            rec["source_name"] = "、".join(it.source_names)
        out["items"].append(rec)
    instruments: dict[str, dict] = {}
    for f in items:
        for m in f.instruments:
            key = mention_key(m)
            m.key = key
            rec = instruments.get(key)
            if rec is None:
                rec = {"key": key, "title": m.title} if not (m.number and m.title == m.number) else {
                    "key": key, "number": m.number}
                instruments[key] = rec
            _merge_mention(rec, m, f.item.id, kb)
    _fold_yearless(instruments, items, kb)
    _fold_short_titles(instruments, items)
    relations = []
    seen = set()
    for f in items:
        for subj, rel, obj, conf in f.relations:
            sk, ok = subj.key or mention_key(subj), obj.key or mention_key(obj)
            if sk == ok or (sk, rel, ok) in seen:
                continue
            seen.add((sk, rel, ok))
            relations.append({"subject": sk, "type": rel, "object": ok, "items": [f.item.id], "confidence": conf})
    # a plain citation says less than a typed relation between the same two (one title named twice:
    # 《数据法》（第(EU) 2023/2854号条例）)
    typed = {(r["subject"], r["object"]) for r in relations if r["type"] != "cites"}
    relations = [r for r in relations if r["type"] != "cites" or (r["subject"], r["object"]) not in typed]
    # new bodies, and bodies only another document declares (declared again here, so that this file
    # never depends on another document's facts or curation)
    declared = {**{k: v for k, v in kb.document_authorities.items() if kb.visible_authority(k)}, **kb.new_authorities}
    out["authorities"] = [dict(spec, key=key, items=sorted(_items_of_authority(key, items)), review=True)
                          for key, spec in sorted(declared.items()) if _items_of_authority(key, items)]
    for a in out["authorities"]:
        if not a.get("aliases"):
            a.pop("aliases", None)
        if not a.get("parent"):
            a.pop("parent", None)
    out["instruments"] = list(instruments.values())
    out["relations"] = relations
    out["actions"] = merge_repeated_fines([a for f in items for a in f.actions])
    out["cases"] = [c for f in items for c in f.cases]
    return out


def merge_repeated_fines(actions: list[dict]) -> list[dict]:
    """A fine reported twice in one newsletter (in a summary and in its item, or in two languages) is
    one action: same amount and currency, and targets that do not differ."""
    out: list[dict] = []
    for a in actions:
        pen = a.get("penalty")
        same = next((o for o in out if pen and o.get("penalty")
                     and (o["penalty"]["amount"], o["penalty"]["currency"]) == (pen["amount"], pen["currency"])
                     and (not o.get("targets") or not a.get("targets") or set(o["targets"]) & set(a["targets"]))),
                    None) if pen else None
        if same is None:
            out.append(a)
            continue
        same["items"] = sorted(set(same["items"]) | set(a["items"]), key=lambda i: int(i[1:].split("-")[0]))
        for field in ("targets", "authorities", "legal_basis", "violations", "date"):
            if field in a and field not in same:
                same[field] = a[field]
    return out


def _fold_short_titles(instruments: dict[str, dict], items: list[ItemFacts]) -> None:
    """A title that another instrument of the document declares as its short title (《人工智能基本法》
    for 《人工智能发展及可信基础构建基本法》（简称《人工智能基本法》）), in the same country, is that
    instrument, even when an earlier item used the short title alone."""
    def country(rec: dict) -> str:
        return (rec.get("jurisdiction") or "CN").split("-")[0]

    short: dict[tuple[str, str], set[str]] = {}
    for key, rec in instruments.items():
        for t in rec.get("short_titles", []):
            short.setdefault((country(rec), match_title(t)), set()).add(key)
    for key in list(instruments):
        rec = instruments[key]
        targets = short.get((country(rec), match_title(rec.get("title") or "")), set()) - {key}
        if len(targets) != 1 or rec.get("number"):
            continue
        _merge_record(instruments, items, key, next(iter(targets)))


def _merge_record(instruments: dict[str, dict], items: list[ItemFacts], key: str, target: str) -> None:
    """Fold the record ``key`` into ``target``: items joined, missing fields filled, mentions re-keyed."""
    rec = instruments.pop(key)
    merged = instruments[target]
    merged["items"] = list(dict.fromkeys(merged.get("items", []) + rec.get("items", [])))
    for name, value in rec.items():
        if name not in ("key", "title", "items", "confidence", "short_titles", "alt_titles", "jurisdiction") \
                and name not in merged:
            merged[name] = value
    for f in items:
        for m in f.instruments:
            if m.key == key:
                m.key = target


def _fold_yearless(instruments: dict[str, dict], items: list[ItemFacts], kb: KnowledgeBase) -> None:
    """A standard written without its year (GB/T 99001) is the edition the document or the graph names
    with one (GB/T 99001-2025), when there is exactly one."""
    keys = set(instruments) | set(kb.instruments)
    for key in list(instruments):
        target = current_edition(keys, key)
        if target is None:
            continue
        rec = instruments.pop(key)
        if target in instruments:
            merged = instruments[target]
            merged["items"] = list(dict.fromkeys(merged.get("items", []) + rec.get("items", [])))
        else:
            rec["key"] = target
            rec.pop("number", None)
            rec["title"] = rec.get("title") if rec.get("title") and rec.get("title") != key else None
            rec = {k: v for k, v in rec.items() if v is not None}
            rec.setdefault("number", kb.instruments[target].number if target in kb.instruments else None)
            instruments[target] = rec
        for f in items:
            for m in f.instruments:
                if m.key == key:
                    m.key = target


def _items_of_authority(key: str, items: list[ItemFacts]) -> set[str]:
    found = set()
    for f in items:
        if any(key in m.issuers for m in f.instruments) or any(key in a.get("authorities", []) for a in f.actions) \
                or any(c.get("court") == key for c in f.cases):
            found.add(f.item.id)
    return found


def _merge_mention(rec: dict, m: Mention, item_id: str, kb: KnowledgeBase) -> None:
    rec.setdefault("items", [])
    if item_id not in rec["items"]:
        rec["items"].append(item_id)
    main = m.main
    if m.number and "number" not in rec:
        rec["number"] = m.number
    for name in ("short_titles", "alt_titles"):
        for t in getattr(m, name):
            if t != rec.get("title") and t not in rec.setdefault(name, []):
                rec[name].append(t)
        if not rec.get(name):
            rec.pop(name, None)
    if m.kind and not rec.get("kind"):
        rec["kind"] = m.kind
    if main:
        # the first main mention decides; a later one (a timeline entry after a summary) fills the gaps
        first = not rec.get("_main")
        rec["_main"] = True
        for name in ("status", "date_issued", "date_effective", "date_expiry", "consultation_deadline"):
            v = getattr(m, name)
            if v is not None and (first or name not in rec):
                rec[name] = str(v)
        if m.issuers and (first or not rec.get("issuers")):
            rec["issuers"] = list(m.issuers)
            if m.issuer_count:
                rec["issuer_count"] = m.issuer_count
        topics = topics_of(m.title)
        if topics and "topics" not in rec:
            rec["topics"] = topics
    elif m.issuers and not rec.get("issuers"):
        rec["issuers"] = list(m.issuers)  # a cited instrument's issuers, from its number or title
        if m.issuer_count:
            rec["issuer_count"] = m.issuer_count
    rec["jurisdiction"] = rec.get("jurisdiction") or m.jurisdiction or "CN"
    rec["confidence"] = round(max(rec.get("confidence", 0), m.confidence), 2)
    if m.key and m.key in kb.instruments:
        rec.setdefault("kind", kb.instruments[m.key].kind)


def finalize(fact_file: dict) -> dict:
    """Drop internal markers and empty sections; order fields for reading."""
    order = ["key", "title", "number", "short_titles", "alt_titles", "kind", "status", "issuers", "issuer_count",
             "date_issued", "date_effective", "date_expiry", "consultation_deadline", "jurisdiction", "topics",
             "items", "confidence"]
    insts = []
    for rec in fact_file["instruments"]:
        rec.pop("_main", None)
        if rec.get("kind") is None:
            rec.pop("kind", None)
        insts.append({k: rec[k] for k in order if k in rec})
    fact_file["instruments"] = insts
    for sec in ("authorities", "relations", "actions", "cases"):
        if not fact_file.get(sec):
            fact_file.pop(sec, None)
    return fact_file
