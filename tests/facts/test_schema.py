"""Reading fact files: every problem names its file, line and value."""

from pathlib import Path

import pytest

from kg.errors import FactErrors
from kg.facts.files import read_fact_file

from ..conftest import MINI_DOC, write


def errors_of(path: Path) -> list[str]:
    with pytest.raises(FactErrors) as exc:
        read_fact_file(path)
    return [str(e) for e in exc.value.errors]


def test_the_fixture_reads(tmp_path):
    ff = read_fact_file(write(tmp_path / "doc_a.yaml", MINI_DOC))
    assert ff.doc_id == "doc_a"
    assert len(ff.records["instruments"]) == 2 and len(ff.records["actions"]) == 1
    action = ff.records["actions"][0]
    assert str(action.data["penalty"].value) == "837500000" and action.data["penalty"].currency == "KRW"


def test_invalid_date_names_file_line_and_value(tmp_path):
    path = write(tmp_path / "doc_a.yaml", MINI_DOC.replace("date_issued: 2025-02-10", "date_issued: 2025-02-30"))
    errs = errors_of(path)
    assert len(errs) == 1
    line = MINI_DOC.lstrip("\n").splitlines().index("    date_issued: 2025-02-10") + 1
    assert errs[0].startswith(f"{path}:{line}:")
    assert "2025-02-30" in errs[0] and "invalid date" in errs[0]


@pytest.mark.parametrize("old,new,expected", [
    ("currency: KRW", "currency: XYZ", "unknown currency 'XYZ'"),
    ("kind: departmental-rule", "kind: decree-of-heaven", "unknown instrument kind 'decree-of-heaven'"),
    ("status: consultation", "status: maybe", "unknown status 'maybe'"),
    ("kinds: [fine, rectification-order]", "kinds: [fine, spanking]", "unknown action kind 'spanking'"),
    ("type: based-on", "type: inspired-by", "unknown relation type 'inspired-by'"),
    ("amount: 837500000", "amount: lots", "amount must be a number"),
    ("lines: [10, 14]", "lines: [14, 10]", "the first line is after the last"),
    ("confidence: 0.9", "confidence: 9", "confidence must be a number from 0 to 1"),
])
def test_bad_values(tmp_path, old, new, expected):
    assert old in MINI_DOC
    errs = errors_of(write(tmp_path / "doc_a.yaml", MINI_DOC.replace(old, new, 1)))
    assert any(expected in e for e in errs), errs


def test_yaml_error_names_the_line(tmp_path):
    path = write(tmp_path / "doc_a.yaml", MINI_DOC.replace("title: 测试通讯", "title: [测试通讯"))
    errs = errors_of(path)
    assert len(errs) == 1 and "YAML error" in errs[0] and errs[0].startswith(f"{path}:")


def test_duplicate_mapping_key(tmp_path):
    text = MINI_DOC.replace("    kind: departmental-rule\n", "    kind: departmental-rule\n    kind: law\n", 1)
    errs = errors_of(write(tmp_path / "doc_a.yaml", text))
    assert "duplicate key 'kind'" in errs[0]


def test_duplicate_record_in_a_file(tmp_path):
    text = MINI_DOC.replace("cases:", "  - id: A1\n    kinds: [warning]\n    items: [L20]\ncases:", 1)
    errs = errors_of(write(tmp_path / "doc_a.yaml", text))
    assert any("duplicate action 'A1'" in e for e in errs), errs


def test_unknown_field_and_missing_required(tmp_path):
    text = MINI_DOC.replace("    status: consultation\n", "    statuz: consultation\n", 1).replace(
        "  - id: C1\n", "  - name_only: C1\n", 1)
    errs = errors_of(write(tmp_path / "doc_a.yaml", text))
    assert any("unknown instrument field 'statuz'" in e for e in errs)
    assert any("case is missing the required field 'id'" in e for e in errs)


def test_document_id_must_match_file_name(tmp_path):
    errs = errors_of(write(tmp_path / "other.yaml", MINI_DOC))
    assert any("differs from the file name 'other'" in e for e in errs)
