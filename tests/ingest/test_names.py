"""Finding known names in a text: the longest at a position, as a scan of every name would."""

from pathlib import Path

from kg.facts.dataset import load_base
from kg.ingest.names import NameIndex
from kg.model.vocabularies import vocabulary

from ..conftest import REPO


def _place_labels() -> list[str]:
    return [lab for c in vocabulary("jurisdiction").concepts.values() for lab in [*c.labels.values(), *c.alt_labels]]


def _longest_by_every_name(by_first: dict[str, list[str]], text: str, pos: int) -> str | None:
    hits = [n for n in by_first.get(text[pos], []) if len(n) >= 2 and text.startswith(n, pos)]
    return max(hits, key=len) if hits else None


def test_places_in_a_name_one_after_another():
    places = NameIndex(_place_labels())
    assert places.prefixes("湖南省郴州市网信办") == ["湖南省", "郴州市"]
    assert places.prefixes("网信办") == []
    assert places.leftmost_longest("在湖南省郴州市和广东省") == [(1, "湖南省"), (4, "郴州市"), (8, "广东省")]
    assert places.longest_at("湖南") == "湖南" and places.longest_at("湖南", 1) is None
    assert "湖" not in places.names  # one character is never a name


def test_the_registry_names_in_the_shipped_newsletters_as_a_scan_of_every_name_finds_them():
    names = {n for a in load_base(REPO / "data").registry.authorities.values() for n in a.names()}
    index = NameIndex(names)
    by_first: dict[str, list[str]] = {}
    for name in names:
        by_first.setdefault(name[0], []).append(name)
    texts = [p.read_text(encoding="utf-8")[:6000] for p in sorted(Path(REPO / "benchmarks" / "dev").glob("*.txt"))]
    assert texts
    found_any = False
    for text in texts:
        expected = [(pos, name) for pos in range(len(text))
                    if (name := _longest_by_every_name(by_first, text, pos)) is not None]
        assert index.at_every_position(text) == expected
        found_any = found_any or bool(expected)
    assert found_any
