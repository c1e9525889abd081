"""The derived tallies (kg.rdf.derive): computed by kg build from the facts, in their own graph."""

import json
from collections import Counter
from decimal import Decimal

import pyoxigraph as ox
import pytest

from kg import paths
from kg.model.terms import DERIVED_GRAPH, KG
from kg.rdf.derive import Derived, DeriveError, derive, derived_quads
from kg.rdf.validate import fact_store
from kg.store.dumps import NQUADS

TALLY_OF = ox.NamedNode(str(KG.tallyOf))
FINE_RANK = ox.NamedNode(str(KG.fineRank))
BROADER_TRANSITIVE = ox.NamedNode("http://www.w3.org/2004/02/skos/core#broaderTransitive")


def tallies(build_dir, name: str) -> list[dict]:
    """Every tally of one derivation, its properties by local name."""
    store = ox.Store.read_only(str(build_dir / "store"))
    out: dict = {}
    for q in store.quads_for_pattern(None, TALLY_OF, ox.Literal(name), ox.NamedNode(str(DERIVED_GRAPH))):
        out[q.subject] = {p.predicate.value.rsplit("#", 1)[-1]: p.object
                          for p in store.quads_for_pattern(q.subject, None, None, None)}
    return list(out.values())


def ranks(store: ox.Store) -> dict[str, int]:
    """Each node's kg:fineRank in the derived graph."""
    return {q.subject.value: int(q.object.value)
            for q in store.quads_for_pattern(None, FINE_RANK, None, ox.NamedNode(str(DERIVED_GRAPH)))}


def test_every_derivation_makes_tallies_or_ranks_on_the_fixture_graph(query_build):
    names = [p.stem for p in paths.derived_queries()]
    assert len(names) >= 10
    for name in names:
        if name == "fine-rank":
            assert ranks(ox.Store.read_only(str(query_build / "store")))
        elif name == "places-within":
            assert within(ox.Store.read_only(str(query_build / "store")))
        else:
            assert tallies(query_build, name), name


def within(store: ox.Store) -> set[tuple[str, str]]:
    """The (place, place it lies within) pairs of skos:broaderTransitive in the derived graph."""
    return {(q.subject.value.rsplit("/", 1)[-1], q.object.value.rsplit("/", 1)[-1])
            for q in store.quads_for_pattern(None, BROADER_TRANSITIVE, None, ox.NamedNode(str(DERIVED_GRAPH)))}


def test_places_lie_within_every_broader_place_and_only_those(query_build):
    """The closure of skos:broader, computed here from the ontology graph's own triples."""
    store = ox.Store.read_only(str(query_build / "store"))
    broader: dict[str, set[str]] = {}
    for q in store.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/2004/02/skos/core#broader"), None, None):
        if "/vocab/jurisdiction/" in q.subject.value:
            broader.setdefault(q.subject.value.rsplit("/", 1)[-1], set()).add(q.object.value.rsplit("/", 1)[-1])

    def up(place: str) -> set[str]:
        return set().union(*({b} | up(b) for b in broader.get(place, ())))

    assert within(store) == {(p, u) for p in broader for u in up(p)}
    assert {("CN-431000", "CN-HN"), ("CN-431000", "CN")} <= within(store)


def test_every_fine_has_one_rank_in_the_order_of_the_listing(query_build):
    """Largest first in the base currency: 1.2亿欧元, then 83.75亿韩元, then 5万元 (tests/fixtures/querygraph.py)."""
    store = ox.Store.read_only(str(query_build / "store"))
    ns = "https://w3id.org/regkg/id/action/"
    assert ranks(store) == {ns + "doc_a/A2": 1, ns + "doc_b/B1": 2, ns + "doc_a/A1": 3}
    fines = {q.subject.value for q in store.quads_for_pattern(None, ox.NamedNode(str(KG.penalty)), None, None)}
    assert set(ranks(store)) == fines


def test_tallies_are_only_in_the_derived_graph(query_build):
    store = ox.Store.read_only(str(query_build / "store"))
    graphs = {q.graph_name for q in store.quads_for_pattern(None, TALLY_OF, None, None)}
    assert graphs == {ox.NamedNode(str(DERIVED_GRAPH))}


def test_facts_per_document_equal_the_counts_of_the_build(query_build):
    """Two computations that share nothing: the tallies (SPARQL over the RDF) and the build's own
    counts (Python over the fact files)."""
    manifest = json.loads((query_build / "build.json").read_text(encoding="utf-8"))
    store = ox.Store.read_only(str(query_build / "store"))
    identifier = ox.NamedNode("http://purl.org/dc/terms/identifier")
    got = {}
    for t in tallies(query_build, "facts-per-document"):
        doc = next(store.quads_for_pattern(t["tallyOn"], identifier, None, None)).object.value
        got[doc] = {k: int(t[f"{k[:-1] if k != 'cases' else 'case'}Count"].value)
                    for k in ("items", "instruments", "actions", "fines", "cases")}
    want = {d: {k: c[k] for k in ("items", "instruments", "actions", "fines", "cases")}
            for d, c in manifest["documents"].items()}
    assert got == want


def test_fine_tallies_add_up_to_the_fines_of_the_graph(query_build):
    """Per authority and currency, the tally is the number and the sum of that authority's fines,
    counted here from the fact graphs quad by quad."""
    store = ox.Store.read_only(str(query_build / "store"))

    def objects(s, p):
        return [q.object for q in store.quads_for_pattern(s, ox.NamedNode(p), None, None)]

    rdf_type = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
    want: dict = {}
    for q in store.quads_for_pattern(None, ox.NamedNode(rdf_type), ox.NamedNode(str(KG.EnforcementAction)), None):
        for money in set(objects(q.subject, str(KG.penalty))):
            value = Decimal(objects(money, "https://schema.org/value")[0].value)
            currency = objects(money, "https://schema.org/currency")[0].value
            for who in set(objects(q.subject, "http://www.w3.org/ns/prov#wasAssociatedWith")):
                n, total = want.get((who, currency), (0, Decimal(0)))
                want[(who, currency)] = (n + 1, total + value)
    assert want, "the fixture graph has fines"
    got = {(t["tallyOn"], t["tallyCurrency"].value): (int(t["fineCount"].value), Decimal(t["amountTotal"].value))
           for t in tallies(query_build, "fines-by-authority")}
    assert got == want


def test_derivations_are_deterministic(mini_data, tmp_path):
    from kg.store.build import build

    build(mini_data, tmp_path / "a", views=False)
    build(mini_data, tmp_path / "b", views=False)
    derived = [line for line in (tmp_path / "a" / NQUADS).read_text(encoding="utf-8").splitlines()
               if str(DERIVED_GRAPH) in line]
    assert derived
    assert (tmp_path / "a" / NQUADS).read_bytes() == (tmp_path / "b" / NQUADS).read_bytes()


def test_a_derivation_counts_what_is_in_the_store():
    """On a hand-made store: two fines of one authority in one currency make one tally of two."""
    ns = "https://w3id.org/regkg/"
    a = ox.NamedNode(ns + "id/authority/X")
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
    quads = []
    for i, amount in enumerate(("100", "250.5")):
        act, money = ox.NamedNode(f"{ns}id/action/{i}"), ox.NamedNode(f"{ns}id/money/{i}")
        quads += [ox.Quad(act, rdf_type, ox.NamedNode(str(KG.EnforcementAction))),
                  ox.Quad(act, ox.NamedNode(str(KG.penalty)), money),
                  ox.Quad(act, ox.NamedNode("http://www.w3.org/ns/prov#wasAssociatedWith"), a),
                  ox.Quad(money, ox.NamedNode("https://schema.org/value"),
                          ox.Literal(amount, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal"))),
                  ox.Quad(money, ox.NamedNode("https://schema.org/currency"), ox.Literal("EUR"))]
    out = derived_quads(fact_store(quads))
    by_subject: dict = {}
    for q in out:
        by_subject.setdefault(q.subject, {})[q.predicate.value.rsplit("#", 1)[-1]] = q.object.value
    fines = [t for t in by_subject.values() if t.get("tallyOf") == "fines-by-authority"]
    assert fines == [{"type": str(KG.Tally), "tallyOf": "fines-by-authority", "tallyOn": a.value,
                      "tallyCurrency": "EUR", "fineCount": "2", "amountTotal": "350.5"}]
    assert Counter(q.graph_name.value for q in out) == Counter({str(DERIVED_GRAPH): len(out)})


def _fine(ns: str, i: int, amount: str, currency: str, date: str | None) -> list[ox.Quad]:
    act, money = ox.NamedNode(f"{ns}id/action/{i}"), ox.NamedNode(f"{ns}id/money/{i}")
    xsd = "http://www.w3.org/2001/XMLSchema#"
    value = ox.Literal(amount, datatype=ox.NamedNode(xsd + "decimal"))
    out = [ox.Quad(act, ox.NamedNode(str(KG.penalty)), money),
           ox.Quad(money, ox.NamedNode("https://schema.org/value"), value),
           ox.Quad(money, ox.NamedNode("https://schema.org/currency"), ox.Literal(currency))]
    if date:
        day = ox.Literal(date, datatype=ox.NamedNode(xsd + "date"))
        out.append(ox.Quad(act, ox.NamedNode("http://purl.org/dc/terms/date"), day))
    return out


def _rate(ns: str, currency: str, price: str) -> list[ox.Quad]:
    schema = "https://schema.org/"
    rate, value = ox.NamedNode(f"{ns}id/rate/{currency}"), ox.NamedNode(f"{ns}id/rate/{currency}/value")
    return [ox.Quad(rate, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                    ox.NamedNode(schema + "ExchangeRateSpecification")),
            ox.Quad(rate, ox.NamedNode(schema + "currency"), ox.Literal(currency)),
            ox.Quad(rate, ox.NamedNode(schema + "currentExchangeRate"), value),
            ox.Quad(value, ox.NamedNode(schema + "price"),
                    ox.Literal(price, datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#decimal")))]


def test_fines_are_ranked_by_converted_amount_then_date_and_unconvertible_last():
    """On a hand-made store with two rates (EUR 8, CNY 1): 100 EUR (800) before 500 CNY; two fines of
    500 CNY newest first; a fine in a currency without a rate last, however large."""
    ns = "https://w3id.org/regkg/"
    quads = _rate(ns, "EUR", "8") + _rate(ns, "CNY", "1")
    quads += _fine(ns, 1, "500", "CNY", "2025-01-01") + _fine(ns, 2, "100", "EUR", None)
    quads += _fine(ns, 3, "500", "CNY", "2025-06-01") + _fine(ns, 4, "99999999", "XYZ", "2026-01-01")
    got = {q.subject.value.rsplit("/", 1)[-1]: int(q.object.value) for q in derived_quads(fact_store(quads))
           if q.predicate == FINE_RANK}
    assert got == {"2": 1, "3": 2, "1": 3, "4": 4}


def _reported(ns: str, entity: str, publication: ox.Literal, labels: tuple[ox.Literal, ...]) -> list[ox.Quad]:
    """An entity reported by an item of a document of ``publication``, with its ``labels``."""
    e = ox.NamedNode(f"{ns}id/x/{entity}")
    item, doc = (ox.NamedNode(f"{ns}id/{k}/{entity}-{publication.value}") for k in ("item", "document"))
    return [ox.Quad(e, ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom"), item),
            ox.Quad(item, ox.NamedNode("http://purl.org/dc/terms/isPartOf"), doc),
            ox.Quad(doc, ox.NamedNode("http://purl.org/dc/terms/title"), publication),
            *(ox.Quad(e, ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), label) for label in labels)]


def test_overlaps_count_unlabelled_entities_and_name_the_labelled_ones_in_their_language():
    """Hand-made: A and B share an entity labelled twice in Chinese, one with a label in no language,
    one without a label, and another with the first's label; A and C share only an unlabelled entity;
    B and C one labelled in Chinese and one unlabelled; A and D two labelled ones. The names are the
    labels, each once, in order, the list in Chinese when every label is (as GROUP_CONCAT makes it
    over the labels alone)."""
    ns = "https://w3id.org/regkg/"
    a, b, c, d = (ox.Literal(f"刊{x}") for x in "ABCD")
    zh = ("乙", "甲")
    quads = []
    for pub in (a, b):
        quads += _reported(ns, "two", pub, tuple(ox.Literal(t, language="zh") for t in zh))
        quads += _reported(ns, "plain", pub, (ox.Literal("Alpha"),))
        quads += _reported(ns, "same", pub, (ox.Literal("甲", language="zh"),))
        quads += _reported(ns, "none", pub, ())
    for pub in (a, c):
        quads += _reported(ns, "none2", pub, ())
    for pub in (b, c):
        quads += _reported(ns, "zh", pub, (ox.Literal("丙", language="zh"),))
        quads += _reported(ns, "none3", pub, ())
    for pub in (a, d):
        quads += _reported(ns, "ding", pub, (ox.Literal("丁", language="zh"),))
        quads += _reported(ns, "wu", pub, (ox.Literal("戊", language="zh"),))
    pairs = {}
    for derived in derive(fact_store(quads)):
        if derived.name == "overlaps":
            by: dict = {}
            for q in ox.parse(derived.text, format=ox.RdfFormat.N_QUADS):
                by.setdefault(q.subject, {})[q.predicate.value.rsplit("#", 1)[-1]] = q.object
            pairs = {(t["tallyPublication"].value, t["tallyOtherPublication"].value):
                     (t["entityCount"].value, t.get("names")) for t in by.values()}
    assert pairs == {("刊A", "刊B"): ("4", ox.Literal("Alpha、乙、甲")),
                     ("刊A", "刊C"): ("1", None),
                     ("刊A", "刊D"): ("2", ox.Literal("丁、戊", language="zh")),
                     ("刊B", "刊C"): ("2", ox.Literal("丙", language="zh"))}


@pytest.mark.parametrize("text, message", [
    ("SELECT ?s WHERE { ?s ?p ?o }", "a CONSTRUCT, or a SELECT"),
    ("# rank: kg:fineRank\nCONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "a CONSTRUCT, or a SELECT"),
    ("# rank: nope:fineRank\nSELECT ?s WHERE { ?s ?p ?o }", "line 1: unknown prefix 'nope'"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p", "derived/bad.rq"),
])
def test_a_bad_derivation_names_its_file(tmp_path, monkeypatch, text, message):
    (tmp_path / "derived").mkdir()
    (tmp_path / "derived" / "bad.rq").write_text(text, encoding="utf-8")
    monkeypatch.setattr(paths, "derived_queries", lambda: [tmp_path / "derived" / "bad.rq"])
    with pytest.raises(DeriveError, match=message) as err:
        derived_quads(fact_store([]))
    assert "bad.rq" in str(err.value)


def _fines_store(extra: list[ox.Quad] = ()) -> ox.Store:
    ns = "https://w3id.org/regkg/"
    quads = _rate(ns, "EUR", "8") + _fine(ns, 1, "500", "CNY", "2025-01-01") + _fine(ns, 2, "100", "EUR", None)
    return fact_store(quads + list(extra))


def test_a_derivation_the_change_does_not_touch_is_taken_from_the_build_before(monkeypatch):
    before = {d.name: d for d in derive(_fines_store())}
    label = ox.Quad(ox.NamedNode("https://w3id.org/regkg/id/action/1"),
                    ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"), ox.Literal("a label", language="en"))
    after = derive(_fines_store([label]), before, [label])
    taken = {d.name for d in after if d.taken}
    assert "fine-rank" in taken and "fines-by-year" in taken
    # the derivations that read labels are run again: all labels (overlaps), or authorities' only
    assert "overlaps" not in taken and "repeat-targets" in taken
    # and what is taken is what running them gives
    assert [d.text for d in after] == [d.text for d in derive(_fines_store([label]))]
    authority = ox.Quad(ox.NamedNode("https://w3id.org/regkg/id/authority/CN/x"),
                        ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                        ox.NamedNode("https://w3id.org/regkg/ontology#Authority"))
    named = ox.Quad(authority.subject, label.predicate, ox.Literal("a body", language="en"))
    again = derive(_fines_store([authority, named]), before, [authority, named])
    assert "repeat-targets" not in {d.name for d in again if d.taken}


def test_a_derivation_whose_quads_changed_or_whose_query_changed_is_run_again():
    ns = "https://w3id.org/regkg/"
    before = {d.name: d for d in derive(_fines_store())}
    fine = _fine(ns, 3, "900", "EUR", "2025-03-01")
    after = {d.name: d for d in derive(_fines_store(fine), before, fine)}
    assert not after["fine-rank"].taken and after["fine-rank"].text != before["fine-rank"].text
    assert after["places-within"].taken  # reads the jurisdictions only
    # not known what changed, or another query by that name: run
    assert not any(d.taken for d in derive(_fines_store(), before, None))
    other = {**before, "places-within": Derived("places-within", "another query", [], b"")}
    assert not {d.name: d for d in derive(_fines_store(), other, [])}["places-within"].taken


def test_two_derivations_that_construct_the_same_triple_are_refused(tmp_path, monkeypatch):
    (tmp_path / "derived").mkdir()
    query = "CONSTRUCT { ?s a kg:Tally } WHERE { ?s a kg:EnforcementAction }"
    for name in ("one", "two"):
        (tmp_path / "derived" / f"{name}.rq").write_text(query, encoding="utf-8")
    monkeypatch.setattr(paths, "derived_queries", lambda: sorted((tmp_path / "derived").glob("*.rq")))
    with pytest.raises(DeriveError, match=r"one\.rq and two\.rq both construct"):
        derive(_fines_store([ox.Quad(ox.NamedNode("https://w3id.org/regkg/id/action/9"),
                                     ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                     ox.NamedNode(str(KG.EnforcementAction)))]))
