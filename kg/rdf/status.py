"""An instrument's status as of a date, from its reported stage and the dates the graph holds.

A newsletter reports a stage when it writes (a rule "issued" with an effective date in three
months); the graph says what holds on the build date. A partial date (``2026-03``) counts as
reached only when all of it lies before the date, and as not reached when all of it lies after;
in between the reported stage stands and ELI's legal-force value is left out (unknown).
"""

from __future__ import annotations

import calendar
import datetime as dt

from ..facts.values import PDate

ISSUED = ("issued", "in-force")


def _bounds(d: PDate) -> tuple[dt.date, dt.date]:
    """The first and last day a partial date may stand for."""
    parts = [int(x) for x in d.text.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    month = parts[1]
    if len(parts) == 2:
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = dt.date(year, month, parts[2])
    return day, day


def reached(d: PDate | None, as_of: dt.date) -> bool | None:
    """Whether ``d`` has come by ``as_of``: True, False, or None when a partial date straddles it."""
    if d is None:
        return None
    first, last = _bounds(d)
    if last <= as_of:
        return True
    if first > as_of:
        return False
    return None


def status_as_of(reported: str | None, effective: PDate | None, expiry: PDate | None,
                 as_of: dt.date) -> tuple[str | None, bool | None]:
    """(status notation, in force?) on ``as_of``; either may be None when unknown."""
    if reported == "repealed":
        return "repealed", False
    if reported in ("draft", "consultation"):
        return reported, False
    if reached(expiry, as_of):
        return "expired", False
    took_effect = reached(effective, as_of)
    if took_effect is True:
        return "in-force", True
    if took_effect is False:
        return "issued", False
    if reported == "in-force":
        return "in-force", True
    return reported, None
