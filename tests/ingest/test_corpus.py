"""The four corpus newsletters (skipped when ../shared/corpus is absent)."""

import itertools

import pytest

from kg.ingest.clean import clean_lines
from kg.ingest.read import read_document
from kg.ingest.segment import segment

from ..conftest import corpus_file

pytestmark = pytest.mark.corpus


@pytest.mark.parametrize("name,items,date", [
    ("000_c89299735aeec94f.txt", 25, "2025-02"),
    ("001_9842b67799601b19.txt", 13, "2025-03-10"),
    ("003_eeeb763fd2a42cb1.txt", 84, "2026-01-15"),
    ("004_2d685b24223f8dbd.txt", 58, "2025"),
])
def test_every_item_is_found_once(name, items, date):
    raw = read_document(corpus_file(name))
    seg = segment(raw.doc_id, clean_lines(raw.lines))
    assert len(seg.items) == items and str(seg.date) == date
    assert len({i.id for i in seg.items}) == items
    spans = sorted((i.first_line, i.last_line) for i in seg.items)
    assert all(a[1] < b[0] for a, b in itertools.pairwise(spans))  # no overlap


def test_gold_slice_scores():
    """The hand-checked 政策立法 section of 003 (benchmarks/gold): a regression guard."""
    corpus_file("003_eeeb763fd2a42cb1.txt")
    from benchmarks.evaluate import REPO, evaluate

    result = evaluate(REPO / "benchmarks" / "gold", REPO.parent / "shared" / "corpus", REPO / "data")
    r = result["003_policy_section"]
    assert r["instruments"]["f1"] >= 0.95 and r["issuers"]["share"] >= 0.95 and r["relations"]["f1"] >= 0.9
