"""What ``kg ingest --report`` shows: the holes of each item first, then what was found.

A hole is something the text states that the facts do not explain: an issued title without an
issuer, an amount named as a penalty that no enforcement action carries, a body the authority
file does not know (a new authority to review), an item in which nothing was found.
"""

from __future__ import annotations

from .extract.money import find_amounts
from .mentions import ItemFacts


def item_holes(f: ItemFacts, new_authorities: set[str]) -> list[str]:
    """What one item leaves unexplained."""
    holes = [f"title without issuer: {m.key or m.title}" for m in f.instruments if m.main and not m.issuers]
    fined = {(a["penalty"]["amount"], a["penalty"]["currency"]) for a in f.actions if "penalty" in a}
    for money in find_amounts(f.item.text):
        value = (format(money.amount.value, "f"), money.amount.currency)
        if money.role == "penalty" and value not in fined:
            holes.append(f"amount without a fine: {money.amount.text}")
            fined.add(value)
    used = [k for m in f.instruments for k in m.issuers] + [k for a in f.actions for k in a.get("authorities", [])] \
        + [c["court"] for c in f.cases if c.get("court")]
    holes.extend(f"body not in the authority file: {k}" for k in dict.fromkeys(used) if k in new_authorities)
    if not (f.instruments or f.actions or f.cases):
        holes.append("nothing found in this item")
    return holes


def _found(f: ItemFacts) -> list[str]:
    lines = []
    for m in f.instruments:
        role = "main" if m.main else "cites"
        extra = []
        if m.issuers:
            extra.append("by " + ", ".join(m.issuers))
        if m.date_issued:
            extra.append(f"issued {m.date_issued}")
        if m.date_effective:
            extra.append(f"effective {m.date_effective}")
        if m.status and m.main:
            extra.append(m.status)
        lines.append(f"    {role:5} {m.key}  {m.kind or '?'}  " + "; ".join(extra))
    for subj, rel, obj, conf in f.relations:
        lines.append(f"    rel   {subj.key} {rel} {obj.key} ({conf})")
    for a in f.actions:
        amount = a.get("penalty", {})
        lines.append(f"    action {a['id']} {'+'.join(a['kinds'])} by {a.get('authorities', ['?'])} "
                     f"on {a.get('targets', [])} {amount.get('text', '')}")
    for c in f.cases:
        lines.append(f"    case  {c['court']} {c.get('outcome', '?')} {c.get('parties', [])}")
    return lines


def report_lines(items: list[ItemFacts], facts: dict) -> tuple[list[str], list[str]]:
    """The report: items with holes first (each hole on its line), then every item with what was
    found; and the uncertain findings (new authorities to review, actions without an authority)."""
    new = {a["key"] for a in facts.get("authorities", [])}
    holes = [(f, item_holes(f, new)) for f in items]
    lines = [f"holes: {sum(1 for _f, h in holes if h)} of {len(items)} item(s) leave something unexplained"]
    for f, h in holes:
        if h:
            lines.append(f"  {f.item.id} [{f.item.first_line}-{f.item.last_line}] {f.item.heading[:50]}")
            lines.extend(f"    - {x}" for x in h)
    lines.append("found:")
    for f in items:
        it = f.item
        lines.append(f"{it.id} [{it.first_line}-{it.last_line}] {' > '.join(it.section)} | {it.heading[:60]}")
        lines.extend(_found(f))
    uncertain = [f"{f.item.id}: no issue date for {m.key}" for f in items for m in f.instruments
                 if m.main and not m.date_issued]
    uncertain += [f"{f.item.id}: enforcement action {a['id']} without a known authority"
                  for f in items for a in f.actions if not a.get("authorities")]
    uncertain += [f"new authority {a['key']} ({a['kind']}) in items {', '.join(a['items'])}: review it"
                  for a in facts.get("authorities", [])]
    return lines, uncertain
