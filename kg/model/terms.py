"""Every namespace and IRI the code uses, in one place (mirrors ``ontology/*.ttl``).

``tests/test_ontology.py`` checks that each ``KG`` term used here is declared in
``ontology/kg.ttl`` with Chinese and English labels and a comment, so the code
and the ontology cannot drift apart.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

BASE = "https://w3id.org/regkg/"
KG = Namespace(BASE + "ontology#")
KGV = Namespace(BASE + "vocab/")
ID = Namespace(BASE + "id/")
GRAPH = Namespace(BASE + "graph/")

ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("https://schema.org/")

ONTOLOGY_GRAPH = GRAPH["ontology"]
REGISTRY_GRAPH = GRAPH["registry"]
DERIVED_GRAPH = GRAPH["derived"]  # tallies kg build computes from the facts (kg.rdf.derive)


def document_graph(doc_id: str):
    """The named graph holding the facts reported by one source document."""
    return GRAPH["doc/" + doc_id]


PREFIXES: dict[str, str] = {
    "kg": str(KG),
    "kgv": str(KGV),
    "eli": str(ELI),
    "org": str(ORG),
    "prov": str(PROV),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "schema": str(SCHEMA),
    "foaf": str(FOAF),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "sh": str(SH),
}

# Case party roles of the fact files -> property.
PARTY_ROLES = {"plaintiff": KG.plaintiff, "defendant": KG.defendant, "other": KG.otherParty}


def curie(iri) -> str:
    """``eli:title`` for an IRI in a known namespace (:data:`PREFIXES`), else the IRI itself."""
    text = str(iri)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns):
            return f"{prefix}:{text[len(ns):]}"
    return text
