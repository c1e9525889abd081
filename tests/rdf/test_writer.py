"""Facts -> quads: each field by its type, in the graph its kind belongs to, with provenance."""

from __future__ import annotations

import datetime as dt

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from kg.facts.dataset import load_dataset
from kg.model.terms import ELI, KG, REGISTRY_GRAPH, SCHEMA, document_graph
from kg.model.vocabularies import vocabulary
from kg.rdf.oxterms import from_ox
from kg.rdf.writer import dataset_quads, entity_iri, write_quads

from ..conftest import MINI_DOC, write

XSD = "http://www.w3.org/2001/XMLSchema#"


def iri(*args):
    return from_ox(entity_iri(*args))


def rdf_quads(ds, as_of):
    """The writer's quads (pyoxigraph terms) as rdflib terms, to compare with the model's terms."""
    return [tuple(map(from_ox, (q.subject, q.predicate, q.object, q.graph_name))) for q in dataset_quads(ds, as_of)]


@pytest.fixture
def quads(mini_data):
    doc = MINI_DOC.replace("  date: 2025-03-01\n", "  date: 2025-03-01\n  publisher: 示例律师事务所\n", 1)
    write(mini_data / "documents" / "doc_a.yaml", doc)
    return rdf_quads(load_dataset(mini_data), dt.date(2026, 1, 1))


def triples(quads, graph=None):
    return {(s, p, o) for s, p, o, g in quads if graph is None or g == graph}


def test_titles_are_on_the_expression_of_their_language(quads):
    t = triples(quads, REGISTRY_GRAPH)
    law = iri("instrument", "CN/示例保护法")
    zh = URIRef(f"{law}/zh")
    assert (law, ELI.is_realized_by, zh) in t and (zh, ELI.realizes, law) in t
    assert (zh, RDF.type, ELI.LegalExpression) in t
    assert (zh, ELI.title, Literal("中华人民共和国示例保护法", lang="zh")) in t
    assert (zh, ELI.title_short, Literal("示保法", lang="zh")) in t
    assert not any(s == law and p in (ELI.title, ELI.title_short) for s, p, _o in t)
    assert (law, RDFS.label, Literal("中华人民共和国示例保护法", lang="zh")) in t


def test_every_field_is_written_by_its_type(quads):
    t = triples(quads)
    draft = iri("instrument", "CN/示例数据管理办法")
    assert (draft, KG.instrumentType, vocabulary("instrument_type").iri("departmental-rule")) in t
    assert (draft, KG.statedIssuerCount, Literal(3)) in t
    assert (draft, ELI.date_document, Literal("2025-02-10", datatype=URIRef(XSD + "date"))) in t
    assert (draft, DCTERMS.spatial, vocabulary("jurisdiction").iri("CN")) in t
    assert (draft, ELI.passed_by, iri("authority", "CN/国家互联网信息办公室")) in t
    action = iri("action", "A1", "doc_a")
    penalty = URIRef(f"{action}/penalty")
    assert (action, KG.penalty, penalty) in t and (penalty, SCHEMA.currency, Literal("KRW")) in t
    assert (action, KG.legalBasis, iri("instrument", "CN/示例保护法")) in t
    case = iri("case", "C1", "doc_a")
    assert (case, DCTERMS.date, Literal("2025-02", datatype=URIRef(XSD + "gYearMonth"))) in t
    assert (case, KG.defendant, iri("party", "doc_a/L20/某科技公司")) in t


def test_facts_live_in_the_graph_of_their_kind(quads):
    doc_graph = document_graph("doc_a")
    action = iri("action", "A1", "doc_a")
    assert all(g == doc_graph for s, _p, _o, g in quads if s == action)
    law = iri("instrument", "CN/示例保护法")
    assert all(g in (REGISTRY_GRAPH, doc_graph) for s, _p, _o, g in quads if s == law)
    assert len({(s, p, o) for s, p, o, _g in quads}) == len(quads), "a triple is written to one graph only"


def test_provenance_fits_the_class(quads):
    t = triples(quads)
    item = iri("item", "L20", "doc_a")
    action = iri("action", "A1", "doc_a")
    assert (action, DCTERMS.source, item) in t and not any(s == action and p == PROV.wasDerivedFrom for s, p, _o in t)
    draft = iri("instrument", "CN/示例数据管理办法")
    assert (draft, PROV.wasDerivedFrom, iri("item", "L10", "doc_a")) in t
    statements = [s for s, p, o in t if p == RDF.type and o == RDF.Statement]
    assert statements and all((st, PROV.wasDerivedFrom, iri("item", "L10", "doc_a")) in t for st in statements)


def test_the_publisher_is_an_agent(quads):
    t = triples(quads)
    doc = iri("document", "doc_a")
    (agent,) = [o for s, p, o in t if s == doc and p == DCTERMS.publisher]
    assert isinstance(agent, URIRef) and (agent, RDF.type, DCTERMS.Agent) in t
    assert (agent, RDFS.label, Literal("示例律师事务所", lang="zh")) in t


def test_one_preferred_label_per_language(quads):
    t = triples(quads)
    cac = iri("authority", "CN/国家互联网信息办公室")
    prefs = [o for s, p, o in t if s == cac and p == SKOS.prefLabel]
    assert sorted(lit.language for lit in prefs) == ["en", "zh"]
    alts = {o for s, p, o in t if s == cac and p == SKOS.altLabel}
    assert not set(prefs) & alts and Literal("国家网信办", lang="zh") in alts


def test_status_is_computed_as_of_the_build_date(mini_data):
    doc = MINI_DOC.replace("    status: consultation\n", "    status: issued\n    date_effective: 2025-06-01\n")
    write(mini_data / "documents" / "doc_a.yaml", doc)
    ds = load_dataset(mini_data)
    draft = iri("instrument", "CN/示例数据管理办法")
    statuses = vocabulary("status")
    before = triples(rdf_quads(ds, dt.date(2025, 5, 1)))
    after = triples(rdf_quads(ds, dt.date(2025, 7, 1)))
    assert (draft, KG.status, statuses.iri("issued")) in before
    assert (draft, ELI.in_force, ELI["InForce-notInForce"]) in before
    assert (draft, KG.status, statuses.iri("in-force")) in after
    assert (draft, ELI.in_force, ELI["InForce-inForce"]) in after
    assert (REGISTRY_GRAPH, KG.statusAsOf, Literal("2025-07-01", datatype=URIRef(XSD + "date"))) in after


def test_write_quads_hands_over_every_quad_in_order_as_n_quads_text(shipped_data):
    ds = load_dataset(shipped_data)
    whole = dataset_quads(ds, dt.date(2026, 1, 1))
    texts = []
    write_quads(ds, dt.date(2026, 1, 1), texts.append, every=500)
    assert [q for text in texts for q in ox.parse(text, format=ox.RdfFormat.N_QUADS)] == whole
    assert len(texts) >= len(whole) // 1000  # handed over as made, not once at the end
    # a part is handed over at the first entity's end after ``every`` quads: one entity's quads more at most
    assert all(0 < text.count(b"\n") < 500 + 300 for text in texts)
    # the very lines Oxigraph writes for those quads
    assert b"".join(texts) == ox.serialize(whole, format=ox.RdfFormat.N_QUADS)


def _without_graphs(text: bytes) -> bytes:
    """The N-Triples lines of the N-Quads ``text`` (as a store of the graphs merged loads them)."""
    quads = ox.parse(text, format=ox.RdfFormat.N_QUADS)
    return ox.serialize([ox.Triple(q.subject, q.predicate, q.object) for q in quads], format=ox.RdfFormat.N_TRIPLES)


def test_the_sink_can_be_handed_each_part_without_its_graph_names_written_or_taken(shipped_data, monkeypatch):
    from kg.rdf.writer import Writer

    ds = load_dataset(shipped_data)
    day = dt.date(2026, 1, 1)
    parts: list[tuple[bytes, bytes]] = []
    units = write_quads(ds, day, lambda text, triples: parts.append((text, triples)), every=500, triples=True)
    assert len(parts) > 1 and all(triples == _without_graphs(text) for text, triples in parts)
    text, triples = (b"".join(p[i] for p in parts) for i in (0, 1))
    plain: list[bytes] = []
    assert write_quads(ds, day, plain.append, every=500) == {  # the same text, units and places in it
        name: [digest, start, end, 0, 0, *rest] for name, (digest, start, end, _s, _e, *rest) in units.items()}
    assert b"".join(plain) == text
    for _digest, start, end, t_start, t_end, *_ in units.values():  # each unit's place in both texts
        assert triples[t_start:t_end] == _without_graphs(text[start:end])
    # one document's items changed: the other units taken from both texts, the same as written whole
    doc_id, item_id = sorted(ds.items)[-1]
    ds.items[(doc_id, item_id)].values["lines"] = [900, 901]
    fresh: list[tuple[bytes, bytes]] = []
    write_quads(ds, day, lambda a, b: fresh.append((a, b)), triples=True)
    written: set[str] = set()
    real = Writer._item
    monkeypatch.setattr(Writer, "_item", lambda self, doc, item: written.add(doc) or real(self, doc, item))
    for earlier, rewritten in (((text, units, triples), {doc_id}), ((text, units), {d for d, _ in ds.items})):
        again: list[tuple[bytes, bytes]] = []  # (without the earlier triples, nothing is taken)
        written.clear()
        now = write_quads(ds, day, lambda a, b, again=again: again.append((a, b)), earlier=earlier, triples=True)
        assert [b"".join(p[i] for p in again) for i in (0, 1)] == [b"".join(p[i] for p in fresh) for i in (0, 1)]
        assert [n for n in units if now[n][0] != units[n][0]] == [f"items {doc_id}"] and written == rewritten


def test_the_items_of_a_document_are_taken_from_an_earlier_text_when_their_values_are_the_same(shipped_data,
                                                                                            monkeypatch):
    from kg.rdf.writer import Writer

    ds = load_dataset(shipped_data)
    day = dt.date(2026, 1, 1)
    first: list[bytes] = []
    units = write_quads(ds, day, first.append)
    text = b"".join(first)
    assert units and {f"items {doc}" for doc, _item in ds.items} == {u for u in units if u.startswith("items ")}
    for name, (digest, start, end, *_described) in units.items():  # a unit of items: its document's items
        if name.startswith("items "):
            quads = list(ox.parse(text[start:end], format=ox.RdfFormat.N_QUADS))
            assert quads and len(digest) == 32 and all("/item/" in q.subject.value for q in quads)
    written = []
    real = Writer._item
    monkeypatch.setattr(Writer, "_item", lambda self, doc_id, item: written.append(doc_id) or real(self, doc_id, item))
    again: list[bytes] = []
    assert write_quads(ds, day, again.append, earlier=(text, units)) == units
    assert b"".join(again) == text and written == []
    # one item changed: its document's items are written again, the others taken; the same text as written whole
    changed_doc, item_id = sorted(ds.items)[0]
    ds.items[(changed_doc, item_id)].values["lines"] = [900, 901]
    fresh: list[bytes] = []
    write_quads(ds, day, fresh.append)
    written.clear()
    patched: list[bytes] = []
    write_quads(ds, day, patched.append, earlier=(text, units))
    assert b"".join(patched) == b"".join(fresh) != text
    assert set(written) == {changed_doc}


def test_what_a_document_reports_is_taken_unless_it_or_a_name_its_labels_read_changed(shipped_data):
    ds = load_dataset(shipped_data)
    day = dt.date(2026, 1, 1)
    first: list[bytes] = []
    units = write_quads(ds, day, first.append)
    text = b"".join(first)
    facts = {name.split(" ", 1)[1] for name in units if name.startswith("facts ")}
    assert facts == {a.doc_id for a in ds.actions} | {c.doc_id for c in ds.cases} | {r.doc_id for r in ds.relations
                                                                                     if r.doc_id}
    again: list[bytes] = []
    assert write_quads(ds, day, again.append, earlier=(text, units)) == units
    assert b"".join(again) == text
    # an authority renamed: the labels of its actions change, in the documents that report them only
    action = ds.actions[0]
    ds.registry.authorities[action.authorities[0]].name = "改名的机关"
    fresh: list[bytes] = []
    write_quads(ds, day, fresh.append)
    patched: list[bytes] = []
    units_now = write_quads(ds, day, patched.append, earlier=(text, units))
    assert b"".join(patched) == b"".join(fresh) != text
    changed = {name.split(" ", 1)[1] for name in units if name.startswith("facts ")
               and units[name][0] != units_now[name][0]}
    assert action.doc_id in changed and changed < facts
    assert {a.doc_id for a in ds.actions if action.authorities[0] in a.authorities} == changed


def test_authorities_instruments_and_parties_are_taken_unless_their_kinds_values_changed(shipped_data, monkeypatch):
    from kg.rdf.writer import Writer

    ds = load_dataset(shipped_data)
    day = dt.date(2026, 1, 1)
    first: list[bytes] = []
    units = write_quads(ds, day, first.append)
    text = b"".join(first)
    kinds = {"authorities": "/authority/", "instruments": "/instrument/", "parties": "/party/"}
    for name, part in kinds.items():  # each kind's unit: its entities, and the IRIs it described
        _digest, start, end, _start, _end, described = units[name]
        subjects = {q.subject.value for q in ox.parse(text[start:end], format=ox.RdfFormat.N_QUADS)}
        assert described and all(part in iri for iri in described) and set(described) <= subjects
    described: list[str] = []
    real = Writer.entity

    def counted(self, kind, obj, doc_id=None):
        if kind in ("authority", "instrument", "party") and self.iri(kind, obj.key, doc_id) not in self._written:
            described.append(kind)
        return real(self, kind, obj, doc_id)

    monkeypatch.setattr(Writer, "entity", counted)
    again: list[bytes] = []
    assert write_quads(ds, day, again.append, earlier=(text, units)) == units
    assert b"".join(again) == text and described == []  # every entity taken, none described again
    # one instrument's title changed: the instruments are written again, the authorities and parties taken
    inst = next(i for i in ds.instruments.values() if i.reports)
    inst.values["title"] = inst.title + "（修订）"
    fresh: list[bytes] = []
    write_quads(ds, day, fresh.append)
    described.clear()
    patched: list[bytes] = []
    now = write_quads(ds, day, patched.append, earlier=(text, units))
    assert b"".join(patched) == b"".join(fresh) != text
    assert set(described) == {"instrument"}
    assert [n for n in kinds if now[n][0] != units[n][0]] == ["instruments"]
    # a build date further on: the instruments' status may change, so they are written again
    later: list[bytes] = []
    assert write_quads(ds, day + dt.timedelta(days=1), later.append, earlier=(b"".join(fresh), now))["instruments"][0] \
        != now["instruments"][0]


def test_the_units_digests_are_the_same_over_registries_read_back_from_kgs_cache(shipped_data):
    """kg's cache gives the registries back unpickled, their strings shared otherwise than those read
    from the files: the same values, so the same digests (else a rebuild writes every unit again)."""
    import pickle

    from kg.facts.dataset import load_base

    day = dt.date(2026, 1, 1)
    fresh = write_quads(load_dataset(shipped_data, load_base(shipped_data)), day, lambda text: None)
    cached = pickle.loads(pickle.dumps(load_base(shipped_data), 5))
    assert write_quads(load_dataset(shipped_data, cached), day, lambda text: None) == fresh
