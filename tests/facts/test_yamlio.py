"""The line-aware YAML reader."""

from pathlib import Path

import pytest

from kg.errors import FactError
from kg.facts.yamlio import LList, LMap, dumps_yaml, loads_yaml

REPO = Path(__file__).resolve().parents[2]


def test_lines_of_keys_and_items():
    data = loads_yaml("a: 1\nb:\n  - x\n  - y\n", "f.yaml")
    assert isinstance(data, LMap)
    assert data.line_of("a") == 1 and data.line_of("b") == 2
    assert isinstance(data["b"], LList) and data["b"].line_of(1) == 4


def test_duplicate_key_names_file_and_line():
    with pytest.raises(FactError) as exc:
        loads_yaml("title: one\nkind: law\ntitle: two\n", "dup.yaml")
    assert exc.value.file == "dup.yaml" and exc.value.line == 3
    assert "duplicate key 'title'" in str(exc.value) and "line 1" in str(exc.value)


def test_syntax_error_names_line():
    with pytest.raises(FactError) as exc:
        loads_yaml("a: 1\nb: [unclosed\nc: 2\n", "bad.yaml")
    assert exc.value.line is not None and exc.value.line >= 2
    assert str(exc.value).startswith("bad.yaml:")


def test_dates_and_country_codes_stay_text():
    data = loads_yaml("d: 2025-02-30\nc: NO\nb: true\n")
    assert data["d"] == "2025-02-30"  # checked later by the date parser, with its line
    assert data["c"] == "NO"
    assert data["b"] is True


def test_round_trip_keeps_unicode_and_order():
    text = dumps_yaml({"title": "个人信息保护法", "date": "2021-08-20", "list": ["甲", "乙"]})
    assert "个人信息保护法" in text and text.index("title") < text.index("date")
    assert loads_yaml(text) == {"title": "个人信息保护法", "date": "2021-08-20", "list": ["甲", "乙"]}


def _pyyaml_dump(data) -> str:
    """What PyYAML's own SafeRepresenter and resolver write with dumps_yaml's settings."""
    import yaml

    from kg.facts import yamlio

    class Plain(yaml.SafeDumper):
        pass

    Plain.yaml_implicit_resolvers = yamlio._Dumper.yaml_implicit_resolvers
    Plain.add_representer(LMap, Plain.represent_dict)
    Plain.add_representer(LList, Plain.represent_list)
    return yaml.dump(data, Dumper=Plain, allow_unicode=True, sort_keys=False, width=200, default_flow_style=False)


@pytest.mark.parametrize("doc", sorted((REPO / "data" / "documents").glob("*.yaml"))[:3], ids=lambda p: p.stem)
def test_dump_is_pyyaml_s_own_on_the_shipped_fact_files(doc):
    data = loads_yaml(doc.read_text(encoding="utf-8"))
    assert dumps_yaml(data) == _pyyaml_dump(data)


def test_dump_of_shared_values_and_plain_scalars_is_pyyaml_s_own():
    shared = {"a": ["x", 1]}
    data = {"p": shared, "q": [shared, "yes", "no", "2025-01-01", "1.5", 2.5, None, True, "", "~", "a: b", "-", 7]}
    text = dumps_yaml(data)
    assert text == _pyyaml_dump(data)
    assert "&id001" in text and "*id001" in text  # a mapping met twice is written once and referred to
