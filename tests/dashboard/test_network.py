"""The co-occurrence network: a deterministic layout, communities, and ids to click on."""

from __future__ import annotations

import pandas as pd

from analysis.query import Filter, StoreView
from dashboard import network

# Two tight triangles joined by one weak edge: two communities.
PAIRS = [
    ("a", "b", 5),
    ("a", "c", 4),
    ("b", "c", 3),
    ("x", "y", 6),
    ("x", "z", 2),
    ("y", "z", 2),
    ("c", "x", 1),
]


def pairs_frame(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["source", "target", "n"])
    frame["source_name"] = frame["source"].str.upper()
    frame["target_name"] = frame["target"].str.upper()
    frame["source_type"] = "PERSON"
    frame["target_type"] = "ORG"
    frame["n_documents"] = 1
    return frame


def test_communities_split_the_two_triangles() -> None:
    net = network.layout(pairs_frame(PAIRS), {"a": 10, "x": 3})
    group = {n.entity_id: n.community for n in net.nodes}
    assert group["a"] == group["b"] == group["c"] != group["x"] == group["y"] == group["z"]
    assert net.communities == 2
    assert {n.entity_id: n.mentions for n in net.nodes}["a"] == 10
    assert {n.entity_id: n.mentions for n in net.nodes}["b"] == 0  # unknown: no size, no error
    first = net.edges[0]
    assert (first.source, first.target, first.n) == ("x", "y", 6)


def test_the_same_pairs_give_the_same_picture() -> None:
    one = network.layout(pairs_frame(PAIRS), {})
    two = network.layout(pairs_frame(PAIRS), {})
    assert one == two
    assert all(-1.0 <= n.x <= 1.0 and -1.0 <= n.y <= 1.0 for n in one.nodes)


def test_no_pairs_no_network() -> None:
    net = network.layout(pairs_frame([]), {})
    assert net.nodes == () and net.edges == ()
    assert len(network.figure(net).data) == 0


def test_figure_puts_entity_ids_on_the_nodes_one_trace_per_community() -> None:
    fig = network.figure(network.layout(pairs_frame(PAIRS), {"a": 10}), unit="articles")
    nodes = [t for t in fig.data if t.customdata is not None]
    assert [t.name for t in nodes] == ["Group 1", "Group 2"]
    assert {str(row[0]) for t in nodes for row in t.customdata} == set("abcxyz")
    assert all("articles" in t.hovertemplate for t in nodes)
    lines = [t for t in fig.data if t.mode == "lines"]
    assert lines and all(t.hoverinfo == "skip" for t in lines)
    sizes = {row[0]: s for t in nodes for row, s in zip(t.customdata, t.marker.size, strict=True)}
    assert sizes["a"] > sizes["b"]  # sized by mentions


def test_hostile_names_are_inert() -> None:
    frame = pairs_frame([("a", "b", 1)])
    frame["source_name"] = "<img src=x onerror=alert(1)>"
    fig = network.figure(network.layout(frame, {}))
    labels = [label for t in fig.data if t.text is not None for label in t.text]
    assert "&lt;img src=x onerror=alert(1)&gt;" in labels
    assert not any("<" in label for label in labels)


def test_the_synthetic_store_draws(db: StoreView) -> None:
    pairs = db.aggregate("cooccurrence", Filter(), top=30, level="document")
    net = network.layout(pairs, {})
    assert len(net.nodes) == len({*pairs["source"], *pairs["target"]}) > 2
