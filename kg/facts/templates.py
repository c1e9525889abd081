"""Authorities generated from a template over a list of places (``kg-authority-templates/1``).

Every province-level unit and major city of China has the same bodies (people's government, its
general office, 网信办, 通信管理局, 公安厅/局, 市场监管局, 数据局, 人大常委会, courts), named after one
pattern with the place's name. A template file lists the places, the patterns (a value may differ
per level: province, municipality, autonomous-region, city) and the exceptions where a place's body
is named otherwise, so the bodies are generated, not typed one by one::

    format: kg-authority-templates/1
    places:
      - {jurisdiction: CN-GD, name: 广东省, short: 广东, name_en: Guangdong, level: province}
      - {jurisdiction: CN-440100, name: 广州市, short: 广州, name_en: Guangzhou, level: city, province: CN-GD}
    bodies:
      - type: cac-local
        name: "{name}互联网信息办公室"
        aliases: ["{name}网信办"]
        name_en: "{name_en} Cyberspace Administration"
        kind: regulator
        parent: {province: CN/国家互联网信息办公室, city: "{province}/{province_name}互联网信息办公室"}
        levels: [province, municipality, autonomous-region, city]
        only: [CN-SC]            # optional: the places where the pattern is confirmed
        sources: [https://...]
    exceptions:
      - {jurisdiction: CN-TJ, type: market-regulation, name: 天津市市场监督管理委员会, sources: [...]}
      - {jurisdiction: CN-HI, type: data-bureau, skip: true}   # no body of its own there

Placeholders: ``{name}``, ``{short}``, ``{name_en}``, ``{jurisdiction}``, ``{province}`` and
``{province_name}`` (a city's province). The generated records are ordinary authority records;
``data/README.md`` describes the format.
"""

from __future__ import annotations

from typing import Any

from .schema import Ctx, Record, parse_record
from .yamlio import LList, LMap

TEMPLATES_FORMAT = "kg-authority-templates/1"
LEVELS = ("province", "municipality", "autonomous-region", "city")
PLACE_KEYS = {"jurisdiction", "name", "short", "name_en", "level", "province", "groups"}  # groups: for readers
BODY_KEYS = {"type", "name", "aliases", "name_en", "kind", "parent", "levels", "only", "sources", "note"}
EXCEPTION_KEYS = {"jurisdiction", "type", "name", "aliases", "name_en", "kind", "parent", "sources", "note", "skip"}


def _for_level(value: Any, level: str) -> Any:
    """A template value, or its value for ``level`` when it is given per level (None: not at that level)."""
    if isinstance(value, dict) and set(value) <= set(LEVELS):
        return value.get(level)
    return value


def _fill(value: Any, place: dict, places: dict[str, dict]) -> Any:
    """The value with the place's placeholders filled in."""
    if isinstance(value, list):
        return LList(_fill(v, place, places) for v in value)
    if not isinstance(value, str):
        return value
    province = places.get(place.get("province") or "", {})
    return value.format(name=place["name"], short=place.get("short") or place["name"], name_en=place.get("name_en", ""),
                        jurisdiction=place["jurisdiction"], province=place.get("province") or "",
                        province_name=province.get("name", ""))


def _checked(items: Any, keys: set[str], what: str, ctx: Ctx, line: int) -> list[LMap]:
    one = {"places": "place", "bodies": "body", "exceptions": "exception"}[what]
    if not isinstance(items, LList):
        ctx.error(line, f"{what} must be a list")
        return []
    out = []
    for i, item in enumerate(items):
        if not isinstance(item, LMap):
            ctx.error(items.line_of(i), f"a {one} must be a mapping")
            continue
        for k in item:
            if k not in keys:
                ctx.error(item.line_of(k), f"unknown {one} field {k!r} (known: {', '.join(sorted(keys))})")
        out.append(item)
    return out


def expand(raw: LMap, ctx: Ctx) -> list[Record]:
    """The authority records a template file generates, exceptions applied; problems go to ``ctx``."""
    places = {p.get("jurisdiction"): p for p in _checked(raw.get("places"), PLACE_KEYS, "places", ctx,
                                                          raw.line_of("places"))}
    for code, p in places.items():
        if p.get("level") not in LEVELS:
            ctx.error(p.line, f"place {code}: level must be one of {', '.join(LEVELS)}, got {p.get('level')!r}")
    bodies = _checked(raw.get("bodies"), BODY_KEYS, "bodies", ctx, raw.line_of("bodies"))
    exceptions = {(e.get("jurisdiction"), e.get("type")): e
                  for e in _checked(raw.get("exceptions") or LList(), EXCEPTION_KEYS, "exceptions", ctx,
                                    raw.line_of("exceptions"))}
    known_types = {b.get("type") for b in bodies}
    for (code, btype), e in exceptions.items():
        if code not in places or btype not in known_types:
            ctx.error(e.line, f"exception for {code} {btype}: no such place or body type in this file")
    out = []
    for body in bodies:
        for code, place in places.items():
            level = place.get("level")
            applies = level in body.get("levels", LEVELS) and (not body.get("only") or code in body["only"])
            if not applies and (code, body.get("type")) not in exceptions:
                continue
            exc = exceptions.get((code, body.get("type")))
            if exc is not None and exc.get("skip"):
                continue
            rec = _record(body, exc, place, places, level, raw, ctx)
            if rec is not None:
                out.append(rec)
    return out


def _record(body: LMap, exc: LMap | None, place: dict, places: dict, level: str, raw: LMap, ctx: Ctx) -> Record | None:
    """One generated authority record: the body's pattern for the place, or its exception."""
    fields = LMap()
    fields.line = (exc or body).line
    for key in ("name", "aliases", "name_en", "kind", "parent", "sources"):
        own = exc is not None and key in exc
        value = exc.get(key) if own else _fill(_for_level(body.get(key), level), place, places)
        if value not in (None, "", []):
            fields[key] = value
            fields.key_lines[key] = (exc if own else body).line_of(key)
    fields["jurisdiction"] = place["jurisdiction"]
    fields.key_lines["jurisdiction"] = place.line if isinstance(place, LMap) else fields.line
    if "name" not in fields:
        return None  # this body type has no name at this level
    return parse_record("authority", fields, ctx, fields.line)
