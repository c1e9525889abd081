"""The derived tallies (kg.rdf.derive): computed by kg build from the facts, in their own graph."""

import json
from collections import Counter
from decimal import Decimal

import pyoxigraph as ox

from kg import paths
from kg.model.terms import DERIVED_GRAPH, KG
from kg.rdf.derive import derived_quads
from kg.rdf.validate import fact_store
from kg.store.store import NQUADS

TALLY_OF = ox.NamedNode(str(KG.tallyOf))


def tallies(build_dir, name: str) -> list[dict]:
    """Every tally of one derivation, its properties by local name."""
    store = ox.Store.read_only(str(build_dir / "store"))
    out: dict = {}
    for q in store.quads_for_pattern(None, TALLY_OF, ox.Literal(name), ox.NamedNode(str(DERIVED_GRAPH))):
        out[q.subject] = {p.predicate.value.rsplit("#", 1)[-1]: p.object
                          for p in store.quads_for_pattern(q.subject, None, None, None)}
    return list(out.values())


def test_every_derivation_makes_tallies_on_the_fixture_graph(query_build):
    names = [p.stem for p in paths.derived_queries()]
    assert len(names) >= 9
    for name in names:
        assert tallies(query_build, name), name


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
