"""An instrument's status is the one that holds on the build date."""

import datetime as dt

import pytest

from kg.facts.values import PDate
from kg.rdf.status import reached, status_as_of

DAY = dt.date(2026, 3, 15)


@pytest.mark.parametrize("date, expected", [
    ("2026-03-15", True), ("2026-03-16", False), ("2026-02", True), ("2026-03", None), ("2026-04", False),
    ("2025", True), ("2026", None), ("2027", False),
])
def test_a_partial_date_is_reached_only_when_all_of_it_is_past(date, expected):
    assert reached(PDate(date), DAY) is expected


@pytest.mark.parametrize("reported, effective, expiry, expected", [
    ("issued", "2026-01-01", None, ("in-force", True)),       # reported before it took effect
    ("issued", "2026-06-01", None, ("issued", False)),        # not yet in force
    ("issued", "2026-03", None, ("issued", None)),            # this month: unknown
    ("issued", None, None, ("issued", None)),                  # no effective date: unknown
    (None, "2025-01-01", None, ("in-force", True)),           # an effective date says it was issued
    ("in-force", "2025-01-01", "2026-01-01", ("expired", False)),
    ("repealed", "2020-01-01", None, ("repealed", False)),
    ("draft", None, None, ("draft", False)),
    ("consultation", "2027-01-01", None, ("consultation", False)),
    ("in-force", None, None, ("in-force", True)),
    (None, None, None, (None, None)),
])
def test_status_as_of_a_date(reported, effective, expiry, expected):
    eff = PDate(effective) if effective else None
    exp = PDate(expiry) if expiry else None
    assert status_as_of(reported, eff, exp, DAY) == expected
