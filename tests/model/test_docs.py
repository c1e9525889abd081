"""data/README.md documents the fields the model declares, generated and checked."""

import pytest

from kg.model import docs


def test_readme_field_tables_are_those_of_the_model():
    text = docs.README.read_text(encoding="utf-8")
    assert docs.rewrite(text) == text, "data/README.md is out of date: run `python -m kg.model.docs`"
    assert docs.main(["--check"]) == 0


def test_every_field_of_every_kind_is_in_the_tables():
    table = docs.generated()
    for kind in docs.model().kinds.values():
        for name in kind.fields:
            assert f"| `{name}` |" in table


def test_rewrite_needs_the_markers():
    with pytest.raises(ValueError, match="markers"):
        docs.rewrite("no markers here")
