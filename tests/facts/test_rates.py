"""``data/rates.yaml``: loading, its errors (file and line), and conversion in the graph."""

from decimal import Decimal

import pytest

from kg.errors import FactErrors
from kg.facts.rates import load_rates
from kg.store.build import build

from ..conftest import write

GOOD = """
format: kg-rates/1
base: CNY
date: 2025-12-31
source: test table
rates:
  EUR: 8
  KRW: 0.005
"""


def test_a_rate_table_loads_and_gets_its_base(tmp_path):
    write(tmp_path / "rates.yaml", GOOD)
    table = load_rates(tmp_path)
    assert (table.base, table.date.text, table.source) == ("CNY", "2025-12-31", "test table")
    assert table.rates == {"EUR": Decimal(8), "KRW": Decimal("0.005"), "CNY": Decimal(1)}


def test_no_rate_table_is_fine(tmp_path):
    assert load_rates(tmp_path) is None


@pytest.mark.parametrize("old, new, line, message", [
    ("base: CNY", "base: RMB", 2, "unknown base currency 'RMB'"),
    ("date: 2025-12-31", "date: 2025-12-32", 3, "2025-12-32"),
    ("source: test table", "source: ''", 4, "needs its source"),
    ("  EUR: 8", "  EURO: 8", 6, "unknown currency 'EURO'"),
    ("  EUR: 8", "  EUR: eight", 6, "rate of EUR must be a number"),
    ("  KRW: 0.005", "  KRW: -1", 7, "rate of KRW must be positive"),
    ("  KRW: 0.005", "  CNY: 2", 7, "base currency CNY has rate 1"),
])
def test_rate_errors_name_file_and_line(tmp_path, old, new, line, message):
    path = write(tmp_path / "rates.yaml", GOOD.replace(old, new))
    with pytest.raises(FactErrors) as err:
        load_rates(tmp_path)
    text = str(err.value)
    assert f"{path}:{line}" in text and message in text


def test_a_bad_rate_table_fails_the_build_and_keeps_the_previous_one(mini_data, tmp_path):
    write(mini_data / "rates.yaml", GOOD)
    out = tmp_path / "out"
    build(mini_data, out)
    before = (out / "graph.nq").read_bytes()
    assert b"ExchangeRateSpecification" in before
    write(mini_data / "rates.yaml", GOOD.replace("  EUR: 8", "  EUR: 0"))
    with pytest.raises(FactErrors, match="rate of EUR must be positive"):
        build(mini_data, out)
    assert (out / "graph.nq").read_bytes() == before
