"""The ontology graph and the SHACL shapes: the Turtle files of ``ontology/`` plus what the model declares.

From the model (:mod:`kg.model.spec`) come: the declarations of the own properties that fields
introduce (``define:``), the own relation properties, the relation-type scheme
(``kgv:relation-types``), the notation datatypes of the schemes, and one SHACL property shape
per field with an RDF property (cardinality, datatype or class). ``ontology/shapes.ttl`` holds
the constraints a field cannot say (SPARQL constraints, SKOS label integrity, warnings).
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Iterator
from functools import cache

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS, XSD

from .. import paths
from ..facts.basecache import code_hash, read_cached, write_cached
from ..model.spec import Field, Kind, expand, model
from ..model.terms import KG, ONTOLOGY_GRAPH
from ..model.vocabularies import files_graph, vocabulary
from .oxterms import to_ox_quads

# the datatype or class the values of a field type have in the graph
DATATYPES = {"count": XSD.integer, "flag": XSD.boolean, "confidence": XSD.decimal, "id": XSD.string,
             "path": RDF.langString}
CLASSES = {"party": KG.Party, "parties": KG.Party, "amount": URIRef("https://schema.org/MonetaryAmount"),
           "legal-basis": KG.Instrument}


def _range(f: Field) -> URIRef | None:
    if f.define.get("range"):
        return expand(f.define["range"])
    if f.type == "term":
        return model().schemes[f.vocabulary].cls
    if f.type == "ref":
        return model().kinds[f.to].cls
    if f.type == "text":
        return XSD.string if f.plain else RDF.langString
    if f.type == "date":
        return XSD.date
    return DATATYPES.get(f.type) or CLASSES.get(f.type)


def _is_object(f: Field) -> bool:
    return f.type in ("term", "ref", "party", "parties", "amount", "legal-basis", "url", "agent")


def model_triples() -> Iterator[tuple]:
    """The ontology triples the model declares."""
    m = model()
    for kind in m.kinds.values():
        for f in kind.fields.values():
            if not f.define:
                continue
            p = f.prop
            yield p, RDF.type, OWL.ObjectProperty if _is_object(f) else OWL.DatatypeProperty
            yield p, RDFS.domain, kind.cls
            rng = _range(f)
            if rng is not None:
                yield p, RDFS.range, rng
            yield p, RDFS.label, Literal(f.define["zh"], lang="zh")
            yield p, RDFS.label, Literal(f.define["en"], lang="en")
            yield p, RDFS.comment, Literal(f.define["comment"], lang="en")
            if f.define.get("super"):
                yield p, RDFS.subPropertyOf, expand(f.define["super"])
    scheme = m.schemes["relation_type"]
    yield scheme.scheme, RDF.type, SKOS.ConceptScheme
    yield scheme.scheme, SKOS.prefLabel, Literal("文件关系类型", lang="zh")
    yield scheme.scheme, SKOS.prefLabel, Literal("Relation types", lang="en")
    yield scheme.scheme, RDFS.comment, Literal("Types of relations between instruments (the `type` of a relation "
                                               "record); kg:relationProperty names the property of each.", lang="en")
    for rt in m.relations.values():
        c = vocabulary("relation_type").iri(rt.name)
        notation = Literal(rt.name, datatype=scheme.notation)
        yield from ((c, RDF.type, scheme.cls), (c, RDF.type, SKOS.Concept), (c, SKOS.inScheme, scheme.scheme),
                    (c, SKOS.topConceptOf, scheme.scheme), (c, SKOS.notation, notation),
                    (c, KG.relationProperty, rt.prop))
        for lang, label in rt.labels.items():
            yield c, SKOS.prefLabel, Literal(label, lang=lang)
        if rt.comment:  # an own property: declared here
            yield rt.prop, RDF.type, OWL.ObjectProperty
            yield rt.prop, RDFS.domain, KG.Instrument
            yield rt.prop, RDFS.range, KG.Instrument
            for lang, label in rt.labels.items():
                yield rt.prop, RDFS.label, Literal(label, lang=lang)
            yield rt.prop, RDFS.comment, Literal(rt.comment, lang="en")
            for sup in rt.also:
                yield rt.prop, RDFS.subPropertyOf, sup
    for s in m.schemes.values():
        yield s.notation, RDF.type, RDFS.Datatype
        yield s.notation, RDFS.label, Literal(f"notation of {s.scheme.rsplit('/', 1)[-1]}", lang="en")


@cache
def ontology_graph() -> Graph:
    """The ontology, its vocabularies and the model's declarations (cached; do not modify)."""
    g = Graph()
    for t in files_graph():
        g.add(t)
    for t in model_triples():
        g.add(t)
    return g


@cache
def ontology_triples() -> tuple[tuple, ...]:
    """The triples of :func:`ontology_graph` in the order of their N-Triples forms: the same in every
    process (rdflib's own order follows the hashes of its terms, which Python salts per process),
    so that a store loaded with them, and what its queries give in its order, are the same in
    every build."""
    return tuple(sorted(ontology_graph(), key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3())))


def ontology_quads() -> Iterator[tuple]:
    """The ontology as quads in ``graph/ontology``, in the order of :func:`ontology_triples`."""
    for s, p, o in ontology_triples():
        yield (s, p, o, ONTOLOGY_GRAPH)


def ontology_nquads(reuse: bool = True) -> bytes:
    """The N-Quads text of :func:`ontology_quads`, as pyoxigraph writes it: what a build loads and
    dumps of the ontology. Kept in kg's cache folder (:mod:`kg.facts.basecache`), keyed by kg's
    code, model and ontology files and the versions of the two libraries that parse and write it,
    and read from there when ``reuse``: rdflib's parse of the Turtle files and the model's
    declarations take 0.7 s a build, the cached text 2 ms (benchmarks/README.md)."""
    folder = paths.cache_dir()
    key = " ".join((code_hash(), *(importlib.metadata.version(m) for m in ("rdflib", "pyoxigraph"))))
    text = read_cached(folder / "ontology.pickle", key) if folder is not None and reuse else None
    if type(text) is not bytes:
        text = ox.serialize(to_ox_quads(ontology_quads()), format=ox.RdfFormat.N_QUADS)
        if folder is not None:
            write_cached(folder / "ontology.pickle", key, text)
    return text


@cache
def ontology_default_quads() -> tuple[ox.Quad, ...]:
    """The quads of :func:`ontology_nquads` in the default graph (a store of facts with the ontology
    merged into it: :func:`kg.rdf.validate.fact_store`), in the same order."""
    return tuple(ox.Quad(q.subject, q.predicate, q.object)
                 for q in ox.parse(ontology_nquads(), format=ox.RdfFormat.N_QUADS))


def _property_shape(g: Graph, kind: Kind, f: Field, prop: URIRef) -> BNode:
    shape = BNode()
    g.add((shape, SH.path, prop))
    if f.required and not (kind.name == "instrument" and f.name == "title"):
        g.add((shape, SH.minCount, Literal(1)))
    if not f.many and f.type not in ("items", "legal-basis", "parties", "path"):
        g.add((shape, SH.maxCount, Literal(1)))
    if f.type in ("ref", "term", "party", "parties", "amount"):
        g.add((shape, SH["class"], _range(f)))
    elif f.type == "text" or f.type in DATATYPES:
        g.add((shape, SH.datatype, _range(f)))
    elif f.type == "date" and (f.partial == "approx" or f.partial == "drop"):
        g.add((shape, SH.datatype, XSD.date))
    elif f.type == "date":
        options = []
        for dtype in (XSD.date, XSD.gYearMonth, XSD.gYear):
            node = BNode()
            g.add((node, SH.datatype, dtype))
            options.append(node)
        lst = BNode()
        Collection(g, lst, options)
        g.add((shape, SH["or"], lst))
    return shape


@cache
def shapes_graph() -> Graph:
    """``ontology/shapes.ttl`` plus one property shape per field of the model (cached; do not modify)."""
    g = Graph()
    g.parse(paths.shapes_file(), format="turtle")
    for kind in model().kinds.values():
        if kind.name == "relation":
            continue  # relations are stated by the relation properties, checked in shapes.ttl
        node = KG[f"{kind.cls.rsplit('#', 1)[-1]}FieldShape"]
        g.add((node, RDF.type, SH.NodeShape))
        g.add((node, SH.targetClass, kind.cls))
        for f in kind.fields.values():
            if f.write in ("titles", "status") or f.prop is None or f.type == "lines":
                continue
            g.add((node, SH.property, _property_shape(g, kind, f, f.prop)))
    return g
