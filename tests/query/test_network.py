"""The networks of the views derive from the model's edges and relation types."""

from kg.model.spec import model
from kg.query.network import EDGES, build_network


def test_edge_queries_come_from_the_model():
    assert "passed_by" in EDGES["issuance"] and '"issued"' in EDGES["issuance"]
    for rt in model().relations.values():
        assert (f'"{rt.name}"' in EDGES["lineage"]) == rt.lineage
    for kind, f in model().edges("enforcement"):
        assert f'"{f.edge.name}"' in EDGES["enforcement"] and str(kind.cls) in EDGES["enforcement"]


def test_networks_of_the_fixture_graph(graph):
    issuance = build_network(graph, "issuance")
    issued = [(s, o) for s, o, rel in issuance.edges(keys=True) if rel == "issued"]
    assert issued and all(issuance.nodes[s]["type"] == "authority" and issuance.nodes[o]["type"] == "instrument"
                          for s, o in issued)
    lineage = build_network(graph, "lineage")
    assert {rel for _s, _o, rel in lineage.edges(keys=True)} <= {r.name for r in model().relations.values()}
    enforcement = build_network(graph, "enforcement")
    assert {"acted", "target"} <= {rel for _s, _o, rel in enforcement.edges(keys=True)}
