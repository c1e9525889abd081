"""Query results as text: the terminal table (human columns first, IRIs last as short keys, fitted to
the width, wide characters aligned) and the data formats that keep every IRI whole."""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from wcwidth import wcswidth

import kg
from kg.query.packs import discover
from kg.query.results import Result, clip, display_width, fit_widths, short_iri

from .test_packs import example_params

ID = "https://w3id.org/regkg/id/"


def iri_columns(result) -> set[str]:
    """The columns whose every value is an IRI."""
    return {c for j, c in enumerate(result.columns)
            if (cells := [r[j] for r in result.rows if r[j] is not None])
            and all(isinstance(t, ox.NamedNode) for t in cells)}


def _starts(rule: str) -> list[int]:
    """The display offsets where the columns start, read off the rule under the header."""
    starts, n = [0], 0
    for run in rule.split("  ")[:-1]:
        n += len(run) + 2
        starts.append(n)
    return starts


def assert_aligned(table: str) -> None:
    """Every line of the table reaches each column start exactly after a two-space separator: nothing a
    wide character took too many or too few cells for."""
    starts = _starts(table.splitlines()[1])
    for line in table.splitlines()[:-1]:
        widths = [wcswidth(line[:n]) for n in range(len(line) + 1)]
        for start in starts[1:]:
            if start >= widths[-1]:
                continue  # the rest of the line is blank (trailing spaces are stripped)
            assert start in widths, f"column start {start} falls inside a wide character: {line!r}"
            cut = widths.index(start)
            assert line[cut - 2:cut] == "  ", f"no separator before column start {start}: {line!r}"


# ---------------------------------------------------------------- pieces


def test_short_iri_is_the_key_a_curie_or_the_iri_without_its_scheme():
    assert short_iri(ID + "instrument/CN/个人信息保护法") == "CN/个人信息保护法"
    assert short_iri(ID + "action/doc_a/A1") == "doc_a/A1"
    assert short_iri(ID + "instrument/std/GB-T-10001-2020") == "std/GB-T-10001-2020"
    # percent-escapes of the minted path are undone for reading
    assert short_iri(ID + "instrument/CN/关于修改%E3%80%8A示例法%E3%80%8B的决定") == "CN/关于修改《示例法》的决定"
    assert short_iri("https://w3id.org/regkg/vocab/instrument-type/law") == "kgv:instrument-type/law"
    assert short_iri("https://w3id.org/regkg/graph/doc/doc_a") == "graph/doc/doc_a"
    assert short_iri("http://data.europa.eu/eli/reg/2016/679/oj") == "data.europa.eu/eli/reg/2016/679/oj"


def test_display_width_counts_wide_characters_twice_and_marks_not_at_all():
    assert display_width("国家网信办") == 10
    assert display_width("GB/T 35273") == 10
    assert display_width("ｸﾞ") == 2  # half-width katakana
    assert display_width("한국") == 4
    assert display_width("e\u0301") == 1  # a combining accent
    assert display_width("a\nb") == 3  # a line break shows as a space in a cell


def test_clip_cuts_at_display_columns_with_an_ellipsis():
    assert clip("国家网信办", 10) == "国家网信办"
    assert clip("国家网信办", 9) == "国家网信…"
    assert clip("国家网信办", 8) == "国家网…"  # 网 would straddle the edge: one cell left blank
    assert display_width(clip("国家网信办", 8)) == 7
    assert clip("Directive 2002/58/EC", 10) == "Directive…"  # no space before the ellipsis
    assert clip("abc", 1) == "…"


def test_fit_widths_cuts_the_first_group_first_and_the_widest_columns_first():
    natural = [30, 10, 4, 40]
    floors = [10, 10, 4, 8]
    # fits: nothing changes
    assert fit_widths(natural, [([3], floors), ([0, 1, 2], floors)], 84) == natural
    # the last column gives way first, down to its floor
    assert fit_widths(natural, [([3], floors), ([0, 1, 2], floors)], 60) == [30, 10, 4, 16]
    # then the widest of the others; the 10 and the 4 keep their width
    assert fit_widths(natural, [([3], floors), ([0, 1, 2], floors)], 40) == [18, 10, 4, 8]
    # floors are kept even when the total cannot fit
    assert fit_widths(natural, [([3], floors), ([0, 1, 2], floors)], 20) == [10, 10, 4, 8]


# ---------------------------------------------------------------- the table of a real result


def test_table_puts_human_columns_first_and_iris_last_as_keys(graph):
    result = graph.run("enforcement/fines")
    assert result.columns[0] == "action"
    text = result.format("table", width=160)
    lines = text.splitlines()
    assert lines[0].split() == [*result.columns[1:], "action"]
    assert "https://" not in text
    # the action keys, in the last column, in the rows' order
    assert [line.split()[-1] for line in lines[2:-1]] == ["doc_a/A2", "doc_b/B1", "doc_a/A1"]
    assert lines[-1] == "(3 rows)"
    assert_aligned(text)


def test_numbers_are_right_aligned(graph):
    lines = graph.run("enforcement/fines").format("table", width=160).splitlines()
    header = lines[0]
    end = header.index("amount") + len("amount")
    # the amounts end where their header ends (display columns, the rows hold Chinese names)
    for line in lines[2:-1]:
        cut = next(n for n in range(len(line) + 1) if wcswidth(line[:n]) == end)
        assert line[:cut].split()[-1] in ("120000000", "8375000000", "50000")


@pytest.mark.parametrize("width", [100, 80, 60])
def test_table_fits_the_width(graph, width):
    text = graph.run("enforcement/fines").format("table", width=width)
    assert max(wcswidth(line) for line in text.splitlines()) <= width
    assert_aligned(text)


def test_iri_keys_give_way_before_human_columns(graph):
    lines = graph.run("enforcement/fines").format("table", width=100).splitlines()
    rows = [line.split() for line in lines[2:-1]]
    # the dates and currencies stay whole; the action keys are cut to make room for them
    assert [r[2] for r in rows] == ["2025-12-05", "2026-01-03", "2025-12-01"]
    assert all(r[-1].endswith("…") and len(r[-1]) < len("doc_a/A2") for r in rows)


@pytest.mark.parametrize("width", [80, 60])
def test_numbers_stay_whole_when_text_is_cut(graph, width):
    lines = graph.run("enforcement/largest-fines").format("table", width=width).splitlines()
    assert [line.split()[:3] for line in lines[2:-1]] == [
        ["960000000", "CNY", "120000000"], ["41875000", "CNY", "8375000000"], ["50000", "CNY", "50000"]]
    assert any("…" in line for line in lines[2:-1])


def test_full_iris_only_with_iri_and_never_cut(graph):
    result = graph.run("authorities/most-active")
    text = result.format("table", width=60, iri=True)
    lines = text.splitlines()
    assert lines[0].split()[0] == "name" and lines[0].split()[-1] == "authority"
    assert any(line.endswith(ID + "authority/CN-431000/郴州市互联网信息办公室") for line in lines)
    assert_aligned(text)
    short = result.format("table", width=60)
    assert ID not in short and "CN/国家市…" in short  # cut to fit 60 columns
    assert max(wcswidth(line) for line in short.splitlines()) <= 60


def test_other_formats_keep_full_iris_in_the_query_order(graph):
    result = graph.run("enforcement/fines")
    rows = list(csv.reader(io.StringIO(result.format("csv"))))
    assert rows[0] == result.columns and rows[1][0] == ID + "action/doc_a/A2"
    assert json.loads(result.format("json"))[0]["action"] == ID + "action/doc_a/A2"
    assert result.format("tsv").splitlines()[1].startswith(ID + "action/doc_a/A2\t")
    assert result.format("markdown").splitlines()[2].startswith(f"| {ID}action/doc_a/A2 |")


def test_an_empty_result_shows_its_header():
    result = Result(["entity", "label"], [])
    assert result.format("table", width=100) == "entity  label\n------  -----\n(0 rows)\n"


@pytest.fixture(scope="module")
def shipped(shipped_build):
    return kg.open(shipped_build)


@pytest.mark.parametrize("name", sorted(discover()))
def test_every_pack_query_fits_100_columns_on_the_shipped_graph(shipped, name):
    result = shipped.run(name, **example_params(discover()[name]))
    text = result.format("table", width=100)
    lines = text.splitlines()
    assert max(wcswidth(line) for line in lines) <= 100, text
    first = lines[0].split()[0]
    assert first not in iri_columns(result), f"{name}: the table opens with the IRI column {first}"
    keys = iri_columns(result)
    expected = [c for c in result.columns if c not in keys] + [c for c in result.columns if c in keys]
    header = lines[0].split()
    assert len(header) == len(expected)
    assert all(h == c or (h.endswith("…") and c.startswith(h[:-1])) for h, c in zip(header, expected, strict=True))
    assert_aligned(text)
