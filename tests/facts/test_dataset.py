"""Resolution, merging and curation of the fact files."""

import pytest

from kg.errors import FactErrors
from kg.facts.dataset import load_dataset

from ..conftest import MINI_DOC, write


def test_mini_dataset_resolves(mini_data):
    ds = load_dataset(mini_data)
    draft = ds.instruments["CN/示例数据管理办法"]
    assert draft.title == "示例数据管理办法"  # the draft marker is a status, not a title
    assert draft.status == "consultation"
    assert draft.issuers == ["CN/国家互联网信息办公室", "CN/国家市场监督管理总局"]
    assert draft.issuer_count == 3
    # the law named by its short title is the registry's law
    rel = {(r.subject, r.type, r.object) for r in ds.relations}
    assert ("CN/示例数据管理办法", "based-on", "CN/示例保护法") in rel
    # the yearless standard is folded into the only known edition
    assert ("CN/示例数据管理办法", "cites", "std/GB-T-99999-2024") in rel
    assert "std/GB-T-99999" not in ds.instruments
    action = ds.actions[0]
    assert action.authorities == ["KR/个人信息保护委员会"]
    assert action.targets == ["甲公司", "doc_a/L20/某科技公司"]
    assert action.legal_basis[0].instrument == "CN/示例保护法" and action.legal_basis[0].articles == (21, 59)
    case = ds.cases[0]
    assert case.court == "CN-BJ/某市人民法院"
    # anonymised parties of two items are two nodes
    assert case.parties == [("doc_a/L20/张某", "plaintiff"), ("doc_a/L20/某科技公司", "defendant")]


def test_unknown_authority_names_file_line_and_value(mini_data):
    path = mini_data / "documents" / "doc_a.yaml"
    path.write_text(MINI_DOC.lstrip("\n").replace("[国家网信办, CN/市场监管总局]", "[国家网信办, 火星监管局]"),
                    encoding="utf-8")
    with pytest.raises(FactErrors) as exc:
        load_dataset(mini_data)
    (err,) = exc.value.errors
    line = MINI_DOC.lstrip("\n").splitlines().index("    issuers: [国家网信办, CN/市场监管总局]") + 1
    assert err.file == str(path) and err.line == line
    assert "unknown authority '火星监管局'" in err.message


def test_ambiguous_short_name_is_refused(mini_data):
    path = mini_data / "documents" / "doc_a.yaml"
    path.write_text(MINI_DOC.lstrip("\n").replace("[KR/个人信息保护委员会]", "[个人信息保护委员会]"), encoding="utf-8")
    with pytest.raises(FactErrors) as exc:
        load_dataset(mini_data)
    assert "ambiguous authority '个人信息保护委员会'" in str(exc.value)
    assert "JP/个人信息保护委员会" in str(exc.value) and "KR/个人信息保护委员会" in str(exc.value)


def test_unknown_instrument_reference(mini_data):
    path = mini_data / "documents" / "doc_a.yaml"
    path.write_text(MINI_DOC.lstrip("\n").replace("object: 示保法", "object: 不存在的法"), encoding="utf-8")
    with pytest.raises(FactErrors) as exc:
        load_dataset(mini_data)
    assert "unknown instrument '不存在的法'" in str(exc.value)
    assert f"{path}:" in str(exc.value)


def test_unknown_item_reference(mini_data):
    path = mini_data / "documents" / "doc_a.yaml"
    text = MINI_DOC.lstrip("\n").replace("items: [L20]\n    confidence: 0.85", "items: [L99]\n    confidence: 0.85")
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FactErrors) as exc:
        load_dataset(mini_data)
    assert "unknown item 'L99'" in str(exc.value)


def test_same_instrument_from_two_documents_is_one_entity(mini_data):
    second = MINI_DOC.replace("id: doc_a", "id: doc_b").replace("date: 2025-03-01", "date: 2025-04-01")
    second = second.replace("示例数据管理办法（征求意见稿）", "示例数据管理办法")
    second = second.replace("status: consultation", "status: issued")
    write(mini_data / "documents" / "doc_b.yaml", second)
    ds = load_dataset(mini_data)
    inst = ds.instruments["CN/示例数据管理办法"]
    assert [s.doc_id for s in inst.reports] == ["doc_a", "doc_b"]
    assert inst.status == "issued"  # the later report wins
    assert len(ds.actions) == 2  # actions are per report


def test_parent_cycle_is_refused(mini_data):
    path = mini_data / "authorities.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "    kind: regulator\n    jurisdiction: CN\n  - name: 国家市场监督管理总局",
        "    kind: regulator\n    jurisdiction: CN\n    parent: CN-HN/湖南省网信办\n  - name: 国家市场监督管理总局"),
        encoding="utf-8")
    with pytest.raises(FactErrors) as exc:
        load_dataset(mini_data)
    assert "parent cycle" in str(exc.value)


def test_a_reference_standard_needs_a_standard_number(mini_data):
    path = mini_data / "instruments.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("number: GB/T 99999-2024", "number: 第99999号"),
                    encoding="utf-8")
    with pytest.raises(FactErrors) as exc:
        load_dataset(mini_data)
    assert "instruments.yaml:" in str(exc.value) and "'第99999号' is not a standard number" in str(exc.value)


def test_a_newsletter_disagreeing_with_the_authority_file_is_listed_not_written_over(mini_data):
    write(mini_data / "documents" / "doc_b.yaml", """
        format: kg-facts/1
        document: {id: doc_b, date: 2025-04-01}
        items:
          - {id: L5, lines: [5, 9]}
        instruments:
          - {title: 中华人民共和国示例保护法, kind: law, date_issued: 2020-01-03, jurisdiction: CN, items: [L5],
             confidence: 0.9}
        """)
    ds = load_dataset(mini_data)
    assert str(ds.instruments["CN/示例保护法"].date_issued) == "2020-01-02"
    assert any("doc_b says date_issued 2020-01-03; the authority file says 2020-01-02 (kept)" in w for w in ds.warnings)



def test_one_document_reporting_an_instrument_twice_is_an_error_naming_both_lines(mini_data):
    """Two reports whose records differ (one titled, one not) but name the same standard."""
    path = mini_data / "documents" / "doc_a.yaml"
    once = "  - number: GB/T 99999\n    kind: national-standard\n    jurisdiction: CN\n    items: [L10]\n"
    again = "  - title: 某示例标准\n" + once.replace("  - number", "    number")
    text = MINI_DOC.lstrip("\n").replace(once, once + again)
    path.write_text(text, encoding="utf-8")
    first = text.splitlines().index("  - number: GB/T 99999") + 1
    with pytest.raises(FactErrors) as exc:
        load_dataset(mini_data)
    assert f"{path}:{first + 4}: duplicate instrument 'std/GB-T-99999' (first at line {first})" in str(exc.value)
