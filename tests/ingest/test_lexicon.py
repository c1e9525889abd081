"""The extractor's knowledge files (kg/ingest/lexicon/*.yaml) checked against the vocabularies,
the authority file and the code that reads them."""

import re
from pathlib import Path

import pytest

from kg.errors import FactError
from kg.facts.registry import load_registry
from kg.ingest import lexicon as lex
from kg.ingest.extract.money import ROLES
from kg.ingest.segment.tables import ROLE_ORDER
from kg.model.vocabularies import vocabulary

REPO = Path(__file__).resolve().parents[2]
FILES = sorted(lex.HERE.glob("*.yaml"))


@pytest.fixture(scope="module")
def registry():
    return load_registry(REPO / "data")[0]


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_lexicon_is_one_and_its_lists_hold_no_duplicates(path):
    data = lex.lexicon(path.stem)
    for key, value in data.items():
        if isinstance(value, list) and value and isinstance(value[0], str):
            assert len(value) == len(set(value)), f"{path.name}: duplicates in {key}"


def test_a_file_that_is_no_lexicon_is_refused_by_name(tmp_path, monkeypatch):
    (tmp_path / "broken.yaml").write_text("words: [a]\n", encoding="utf-8")
    monkeypatch.setattr(lex, "HERE", tmp_path)
    lex.lexicon.cache_clear()
    try:
        with pytest.raises(FactError, match=r"broken\.yaml: not a lexicon"):
            lex.lexicon("broken")
    finally:
        lex.lexicon.cache_clear()


def test_layout_table_roles_are_the_roles_the_table_reader_knows():
    columns = lex.lexicon("layout")["table_columns"]
    assert set(columns) == set(ROLE_ORDER)
    assert all(not c.isalnum() for c in lex.lexicon("layout")["bullets"])


def test_organ_kinds_parents_and_offices_exist_in_the_vocabulary_and_the_authority_file(registry):
    organs = lex.lexicon("organs")
    kinds = set(vocabulary("authority_kind").concepts)
    assert {k for _suffix, k in organs["kinds_by_suffix"]} <= kinds
    assert set(organs["offices"].values()) <= kinds
    for pattern, _full, kind, parent in organs["naming_rules"]:
        re.compile(pattern)
        assert kind in kinds and (parent is None or parent in registry.authorities), parent
    for body in [*organs["office_of_body"].values(), *organs["co_names_kept"]]:
        assert registry.candidates(body), body
    # a generic word never names one body of the authority file by its canonical name
    canonical = {a.name for a in registry.authorities.values()}
    assert not set(organs["generic"]) & canonical


def test_money_symbols_name_currencies_of_the_vocabulary_and_roles_are_the_parser_roles():
    money = lex.lexicon("money")
    assert set(money["symbols"].values()) <= set(vocabulary("currency").concepts)
    assert set(money["roles"]) == set(ROLES)
    assert all(isinstance(v, int) and v >= 1000 for v in money["scales"].values())
