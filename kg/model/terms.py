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

ONTOLOGY_IRI = BASE + "ontology"
ONTOLOGY_GRAPH = GRAPH["ontology"]
REGISTRY_GRAPH = GRAPH["registry"]


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

# Concept schemes of ontology/vocabularies.ttl, jurisdictions.ttl and currencies.ttl,
# keyed by the name the fact files use for the field they constrain.
SCHEMES: dict[str, str] = {
    "instrument_type": str(KGV["instrument-types"]),
    "status": str(KGV["statuses"]),
    "authority_kind": str(KGV["authority-kinds"]),
    "action_kind": str(KGV["action-kinds"]),
    "violation_type": str(KGV["violation-types"]),
    "topic": str(KGV["topics"]),
    "case_outcome": str(KGV["case-outcomes"]),
    "party_kind": str(KGV["party-kinds"]),
    "jurisdiction": str(KGV["jurisdictions"]),
    "currency": str(KGV["currencies"]),
}

# ELI legal-force values (eli:InForce table) derived from kg:status.
ELI_IN_FORCE = ELI["InForce-inForce"]
ELI_NOT_IN_FORCE = ELI["InForce-notInForce"]

# Relation types of the fact files -> (own or standard property, standard super-properties
# that are materialised beside it so plain SPARQL finds the fact).
RELATIONS: dict[str, tuple] = {
    "amends": (ELI.amends, (ELI.changes,)),
    "repeals": (ELI.repeals, (ELI.changes,)),
    "replaces": (KG.replaces, (ELI.changes,)),
    "implements": (ELI.ensures_implementation_of, ()),
    "based-on": (ELI.based_on, ()),
    "cites": (ELI.cites, ()),
    "supplements": (KG.supplements, (ELI.related_to,)),
    "changes-basis-of": (KG.changesBasisStandardOf, (ELI.changes,)),
    "annex-of": (ELI.is_annex_of, (ELI.is_part_of,)),
    "part-of": (ELI.is_part_of, ()),
    "related": (ELI.related_to, ()),
}

# Case party roles of the fact files -> property.
PARTY_ROLES = {"plaintiff": KG.plaintiff, "defendant": KG.defendant, "other": KG.otherParty}
