"""The built graph uses the published vocabularies as their definitions say.

An OWL RL closure (owlrl) of the ontology, the shipped graph and the real PROV-O, ORG, ELI, SKOS,
DCTERMS and schema.org files finds no inconsistency (PROV-O's disjoint Activity and Entity, SKOS's
disjoint Concept and ConceptScheme ...), and infers none of the misuses the domains and ranges
would reveal (titles on a legal resource, our concepts in ELI's tables, a literal publisher).
Skips when ../shared/vocab is absent.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF

from kg.model.terms import ELI, KG
from kg.store.store import export

from ..conftest import REPO

VOCAB = REPO.parent / "shared" / "vocab"


@pytest.fixture(scope="module")
def closure(shipped_build):
    owlrl = pytest.importorskip("owlrl")
    files = sorted(p for p in VOCAB.glob("*") if p.suffix in (".ttl", ".nt"))
    if not files:
        pytest.skip("../shared/vocab is not available")
    g = Graph()
    g.parse(data=export(shipped_build, "ntriples"), format="nt")
    for f in files:
        g.parse(f, format="nt" if f.suffix == ".nt" else "turtle")
    semantics = owlrl.OWLRL_Semantics(g, False, False, False)
    semantics.closure()
    return g, semantics.error_messages


def test_no_inconsistency_with_the_published_vocabularies(closure):
    _g, errors = closure
    assert errors == []


def test_no_misuse_the_domains_and_ranges_would_reveal(closure):
    g, _errors = closure
    instruments = set(g.subjects(RDF.type, KG.Instrument))
    assert instruments
    assert not {i for i in instruments if (i, RDF.type, ELI.LegalExpression) in g}, "titles on a legal resource"
    for cls in (ELI.ResourceType, ELI.AdministrativeArea):
        own = [c for c in g.subjects(RDF.type, cls) if str(c).startswith("https://w3id.org/regkg/")]
        assert own == [], f"our concepts in ELI's {cls}"
    assert not [o for o in g.objects(None, DCTERMS.publisher) if isinstance(o, Literal)]
    activities = set(g.subjects(RDF.type, PROV.Activity))
    assert activities and not [a for a in activities if (a, RDF.type, PROV.Entity) in g]
    assert isinstance(next(iter(instruments)), URIRef)
