"""Exchange rates (``data/rates.yaml``): one base currency, a date and a source."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import FactError, FactErrors
from ..model.vocabularies import vocabulary
from .values import Invalid, PDate, parse_date
from .yamlio import LMap, load_yaml

RATES_FORMAT = "kg-rates/1"


@dataclass
class RateTable:
    """Rates to ``base``: 1 unit of a currency = ``rates[currency]`` units of the base."""

    base: str
    date: PDate
    source: str
    rates: dict[str, Decimal]


def load_rates(data_dir: Path) -> RateTable | None:
    """The rate table of ``data_dir``, or None if there is none. Raises :class:`FactErrors`."""
    path = Path(data_dir) / "rates.yaml"
    if not path.exists():
        return None
    f = str(path)
    try:
        raw = load_yaml(path)
    except FactError as exc:
        raise FactErrors([exc]) from None
    errors: list[FactError] = []
    if not isinstance(raw, LMap) or raw.get("format") != RATES_FORMAT:
        raise FactErrors([FactError(f, 1, f"a rate table is a mapping with format {RATES_FORMAT!r}")])
    currencies = vocabulary("currency")
    base = raw.get("base")
    if base not in currencies:
        errors.append(FactError(f, raw.line_of("base"), f"unknown base currency {base!r}"))
    try:
        date = parse_date(raw.get("date"))
    except Invalid as exc:
        errors.append(FactError(f, raw.line_of("date"), str(exc)))
        date = None
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        errors.append(FactError(f, raw.line_of("source"), "a rate table needs its source"))
    rates: dict[str, Decimal] = {}
    table = raw.get("rates")
    if not isinstance(table, LMap):
        errors.append(FactError(f, raw.line_of("rates"), "rates must be a mapping CURRENCY: rate"))
        table = LMap()
    for code, value in table.items():
        line = table.line_of(code)
        if code not in currencies:
            errors.append(FactError(f, line, f"unknown currency {code!r}"))
            continue
        try:
            rate = Decimal(str(value))
        except (InvalidOperation, ValueError):
            errors.append(FactError(f, line, f"rate of {code} must be a number, got {value!r}"))
            continue
        if not rate.is_finite() or rate <= 0:
            errors.append(FactError(f, line, f"rate of {code} must be positive, got {value!r}"))
            continue
        rates[code] = rate
    if isinstance(base, str) and base in rates and rates[base] != 1:
        errors.append(FactError(f, table.line_of(base), f"the base currency {base} has rate 1, got {rates[base]}"))
    if errors:
        raise FactErrors(errors)
    rates.setdefault(base, Decimal(1))
    return RateTable(base, date, source.strip(), rates)
