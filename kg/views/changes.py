"""What changed between two builds (:class:`kg.store.diff.Changes`) as text for people: a terminal
table, a Markdown note (headings per jurisdiction and authority, one bullet per fact), JSON, and
one self-contained HTML page (inline style, no script, no network request).

    from kg.store.diff import diff
    from kg.views.changes import render
    print(render(diff("kg-build-old", "kg-build"), "markdown"))
"""

from __future__ import annotations

import html
import json
import re
import unicodedata
from decimal import Decimal, InvalidOperation

from ..store.diff import Change, Changes, Side

FORMATS = ("table", "markdown", "json", "html")
NOUNS = {"instrument": ("instrument", "instruments"), "relation": ("relation", "relations"),
         "action": ("enforcement action", "enforcement actions"), "case": ("court case", "court cases")}
VERBS = {"added": "new", "changed": "changed", "removed": "removed"}
SIGNS = {"added": "+", "changed": "~", "removed": "-"}
NO_AUTHORITY = "(no issuer or authority named)"


# ---------------------------------------------------------------- words


def money(amount: str, currency: str = "", written: str = "") -> str:
    """``1,000,000 AUD (100万澳元)``."""
    try:
        shown = f"{Decimal(amount):,}"
    except InvalidOperation:
        shown = amount
    text = " ".join(x for x in (shown, currency) if x)
    return f"{text} ({written})" if written else text


def what(c: Change) -> str:
    """``new instrument``, ``removed court case``, ``new fine`` (an action with a fine) …"""
    noun = "fine" if c.kind == "action" and "fine" in c.fields else NOUNS[c.kind][0]
    return f"{VERBS[c.change]} {noun}"


def details(c: Change) -> list[str]:
    """The facts of a change after its label, most telling first."""
    f = c.fields
    out: list[str] = []
    if c.kind == "instrument":
        out += [f.get("type", ""), f.get("number", "") if f.get("number") != c.label else ""]
        out += [f"issued {f['date']}" if "date" in f else "", f"in force {f['in_force']}" if "in_force" in f else ""]
        out.append(f"status {f['status']}" if "status" in f and c.change != "changed" else "")
    elif c.kind == "action":
        out.append(money(f["fine"], f.get("currency", ""), f.get("fine_as_written", "")) if "fine" in f else "")
        out += [f"{f['target_count']} targets" if "target_count" in f else "", f.get("date", "")]
        out.append(f"under {f['laws']}" if "laws" in f else "")
    elif c.kind == "case":
        parties = " v. ".join(x for x in (f.get("plaintiffs"), f.get("defendants")) if x)
        out += [parties, f.get("outcome", "")]
        out.append("damages " + money(f["damages"], f.get("currency", ""), f.get("damages_as_written", ""))
                   if "damages" in f else "")
        out += [f.get("date", ""), f"under {f['laws']}" if "laws" in f else ""]
    out += [f"{name.replace('_', ' ')}: {old or '—'} → {new or '—'}" for name, (old, new) in c.changed.items()]
    return [x for x in out if x]


def side_text(label: str, side: Side) -> str:
    """``OLD kg-build (build of 2026-01-31T…, statuses as of 2026-01-31)``."""
    if side.source == "data":
        facts = ["data folder, built for this comparison"]
    else:
        facts = [f"build of {side.built_at}" if side.built_at else "build"]
    if side.status_as_of:
        facts.append(f"statuses as of {side.status_as_of}")
    return f"{label} {side.path} ({', '.join(facts)})"


def summary_text(changes: Changes) -> str:
    """``12 instruments new; 5 enforcement actions new (3 with a fine); …`` or ``no changes``."""
    s = changes.summary()
    parts = []
    for kind, (one, many) in NOUNS.items():
        counts = [f"{n} {VERBS[ch]}" for ch, n in s[kind].items() if n]
        if not counts:
            continue
        total = sum(s[kind].values())
        text = f"{many if total != 1 else one}: {', '.join(counts)}"
        if kind == "action" and any(s["fine"].values()):
            text += " (" + ", ".join(f"{n} {VERBS[ch]} with a fine" for ch, n in s["fine"].items() if n) + ")"
        if kind == "instrument" and s["status"]["changed"]:
            text += f" ({s['status']['changed']} status change{'s' if s['status']['changed'] != 1 else ''})"
        parts.append(text)
    return "; ".join(parts) if parts else "no changes"


def head(changes: Changes) -> tuple[list[str], str, str | None]:
    """The lines naming the sides, the summary, and the note (None when there is none); without an
    OLD side the note is the summary."""
    if changes.old is None:
        return [side_text("NEW", changes.new)], changes.note or "nothing to compare with", None
    sides = [side_text("OLD", changes.old), side_text("NEW", changes.new)]
    return sides, summary_text(changes), changes.note


# ---------------------------------------------------------------- table


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal (East Asian wide and full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, n: int) -> str:
    return text + " " * max(0, n - width(text))


def render_table(changes: Changes, max_label: int = 44) -> str:
    """Groups headed ``jurisdiction — authority``, one aligned row per change."""
    sides, summary, note = head(changes)
    lines = [*sides, summary, *([f"note: {note}"] if note else [])]
    groups = changes.groups()
    every = [c for _j, _a, cs in groups for c in cs]
    w_what = max((width(what(c)) for c in every), default=0)
    w_label = min(max_label, max((width(c.label) for c in every), default=0))
    for jurisdiction, authority, cs in groups:
        lines += ["", f"{changes.jurisdiction_label(jurisdiction)} — {authority or NO_AUTHORITY}"]
        for c in cs:
            row = f"  {SIGNS[c.change]} {pad(what(c), w_what)}  {pad(c.label, w_label)}  {'; '.join(details(c))}"
            lines.append(row.rstrip())
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- markdown


def md(text: str) -> str:
    """Text with the characters Markdown would read as markup escaped."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def render_markdown(changes: Changes, title: str = "Changes") -> str:
    """A note: a heading per jurisdiction, a sub-heading per authority, one bullet per fact."""
    sides, summary, note = head(changes)
    lines = [f"# {md(title)}", "", *(md(x) + "  " for x in sides), md(summary), ""]
    if note:
        lines += [f"_{md(note)}_", ""]
    current = None
    for jurisdiction, authority, cs in changes.groups():
        if jurisdiction != current:
            current = jurisdiction
            lines += [f"## {md(changes.jurisdiction_label(jurisdiction))}", ""]
        lines += [f"### {md(authority or NO_AUTHORITY)}", ""]
        for c in cs:
            rest = "; ".join(details(c))
            lines.append(f"- **{what(c).capitalize()}**: {md(c.label)}" + (f" — {md(rest)}" if rest else ""))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


# ---------------------------------------------------------------- json and html


def render_json(changes: Changes) -> str:
    return json.dumps(changes.to_dict(), ensure_ascii=False, indent=2) + "\n"


CSS = """body{font:14px/1.45 system-ui,"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;color:#222;
margin:2em auto;max-width:75em;padding:0 1em}h1{font-size:1.5em}h2{margin-top:1.6em;border-bottom:1px solid #ccc}
h3{font-size:1.05em;color:#444}p.side{margin:.1em 0;color:#555}p.note{background:#fff6d6;padding:.3em .6em}
table{border-collapse:collapse;width:100%;table-layout:fixed}
td{border-top:1px solid #eee;padding:.25em .5em;vertical-align:top}td.what{white-space:nowrap;width:11em}
td.label{width:42%}td.added{color:#1a7f37}td.removed{color:#b42318}td.changed{color:#9a6700}td.details{color:#555}"""


def render_html(changes: Changes, title: str = "Changes") -> str:
    """One page that opens offline: the two sides, the summary, a section per jurisdiction, a table
    per authority."""
    e = html.escape
    sides, summary, note = head(changes)
    parts = [f"<h1>{e(title)}</h1>", *(f"<p class=side>{e(x)}</p>" for x in sides),
             f"<p><strong>{e(summary)}</strong></p>"]
    if note:
        parts.append(f"<p class=note>{e(note)}</p>")
    current = None
    for jurisdiction, authority, cs in changes.groups():
        if jurisdiction != current:
            current = jurisdiction
            parts.append(f"<h2>{e(changes.jurisdiction_label(jurisdiction))}</h2>")
        rows = "".join(f"<tr><td class='what {c.change}'>{e(what(c))}</td><td class=label>{e(c.label)}</td>"
                       f"<td class=details>{e('; '.join(details(c)))}</td></tr>" for c in cs)
        parts.append(f"<h3>{e(authority or NO_AUTHORITY)}</h3><table>{rows}</table>")
    body = "\n".join(parts)
    return f"""<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>{e(title)}</title><style>{CSS}</style></head>
<body>
{body}
</body></html>
"""


def render(changes: Changes, fmt: str = "table") -> str:
    """The changes in one of :data:`FORMATS`."""
    return {"table": render_table, "markdown": render_markdown, "json": render_json, "html": render_html}[fmt](changes)
