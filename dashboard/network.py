"""Who appears with whom as a network: a pure layout (spring positions, communities) of the
query layer's `cooccurrence` pairs, and the plotly figure drawn from it.

Nodes are entities sized by their mentions, edges the sentences (or articles) two entities
share, nodes coloured by the community modularity finds; each node carries its entity id in
`customdata[0]`, so a click filters by it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import FONT, SERIES_COLOURS
from dashboard.labels import type_label


@dataclass(frozen=True, slots=True)
class Node:
    entity_id: str
    name: str
    type: str
    mentions: int
    community: int  # 0 is the largest community
    x: float
    y: float


@dataclass(frozen=True, slots=True)
class Edge:
    source: str
    target: str
    n: int


@dataclass(frozen=True, slots=True)
class Network:
    nodes: tuple[Node, ...]
    edges: tuple[Edge, ...]

    @property
    def communities(self) -> int:
        return len({n.community for n in self.nodes})


def layout(pairs: pd.DataFrame, mentions: Mapping[str, int], *, seed: int = 7) -> Network:
    """Spring positions in [-1, 1] and communities for the entities of `pairs` (columns:
    source, target, n, source_name, target_name, source_type, target_type); `mentions` sizes
    the nodes (missing: 0). The same pairs always give the same picture."""
    graph = nx.Graph()
    info: dict[str, tuple[str, str]] = {}
    for side in ("source", "target"):
        columns = (pairs[side], pairs[f"{side}_name"], pairs[f"{side}_type"])
        for entity_id, name, entity_type in zip(*columns, strict=True):
            info.setdefault(str(entity_id), (str(name), str(entity_type)))
    for a, b, n in zip(pairs["source"], pairs["target"], pairs["n"].tolist(), strict=True):
        graph.add_edge(str(a), str(b), weight=int(n))
    if graph.number_of_nodes() == 0:
        return Network((), ())
    groups = nx.community.greedy_modularity_communities(graph, weight="weight")
    # Largest community first; ties by their first member, so the colours do not shuffle.
    ordered = sorted((sorted(g) for g in groups), key=lambda g: (-len(g), g[0]))
    community = {entity_id: i for i, group in enumerate(ordered) for entity_id in group}
    spread = 2.4 / math.sqrt(graph.number_of_nodes())  # more room between nodes than the default
    # Log weights: one pair sharing fifty sentences should not pull the rest into a dot.
    for _, _, data in graph.edges(data=True):
        data["pull"] = 1.0 + math.log(data["weight"])
    positions = nx.spring_layout(graph, weight="pull", seed=seed, k=spread, iterations=200)
    xs, ys = (
        _stretch([p[0] for p in positions.values()]),
        _stretch([p[1] for p in positions.values()]),
    )
    positions = {key: (x, y) for key, x, y in zip(positions, xs, ys, strict=True)}
    nodes = tuple(
        Node(
            entity_id=entity_id,
            name=info[entity_id][0],
            type=info[entity_id][1],
            mentions=int(mentions.get(entity_id, 0)),
            community=community[entity_id],
            x=float(positions[entity_id][0]),
            y=float(positions[entity_id][1]),
        )
        for entity_id in sorted(graph.nodes, key=lambda i: (community[i], info[i][0], i))
    )
    edges = tuple(
        Edge(str(a), str(b), int(d["weight"]))
        for a, b, d in sorted(graph.edges(data=True), key=lambda e: (-e[2]["weight"], e[0], e[1]))
    )
    return Network(nodes, edges)


def _stretch(values: list[float]) -> list[float]:
    """Values moved onto [-1, 1] (each axis on its own: the picture fills a wide chart)."""
    lo, hi = min(values), max(values)
    if hi - lo < 1e-9:
        return [0.0 for _ in values]
    return [2 * (v - lo) / (hi - lo) - 1 for v in values]


def _plain(text: str) -> str:
    """A name as inert text in plotly's labels and hovers (which read a little HTML)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


EDGE_BANDS = 4  # edges drawn in this many widths (plotly draws one width per trace)


def figure(network: Network, *, unit: str = "sentences", title: str = "") -> go.Figure:
    """The network: edges as lines (wider and darker for more shared `unit`), nodes as circles
    by mentions, one colour and legend entry per community."""
    title = title or f"Entities linked by the {unit} they share"
    fig = go.Figure()
    where = {n.entity_id: n for n in network.nodes}
    most = max((e.n for e in network.edges), default=1)
    for band in range(EDGE_BANDS):
        xs: list[float | None] = []
        ys: list[float | None] = []
        for edge in network.edges:
            if min(EDGE_BANDS - 1, (edge.n - 1) * EDGE_BANDS // most) != band:
                continue
            a, b = where[edge.source], where[edge.target]
            xs += [a.x, b.x, None]
            ys += [a.y, b.y, None]
        if xs:
            fig.add_scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"width": 1 + 2.5 * band, "color": f"rgba(70, 90, 110, {0.25 + 0.15 * band})"},
                hoverinfo="skip",
                showlegend=False,
            )
    biggest = max((n.mentions for n in network.nodes), default=1) or 1
    degree: dict[str, int] = dict.fromkeys(where, 0)
    for edge in network.edges:
        degree[edge.source] += edge.n
        degree[edge.target] += edge.n
    for community in sorted({n.community for n in network.nodes}):
        members = [n for n in network.nodes if n.community == community]
        fig.add_scatter(
            x=[n.x for n in members],
            y=[n.y for n in members],
            mode="markers+text",
            name=f"Group {community + 1}",
            text=[_plain(n.name) for n in members],
            textposition="top center",
            textfont={"size": 12},
            marker={
                "size": [12 + 34 * math.sqrt(n.mentions / biggest) for n in members],
                "color": SERIES_COLOURS[community % len(SERIES_COLOURS)],
                "line": {"width": 1.5, "color": "#ffffff"},
                "opacity": 0.9,
            },
            customdata=[
                [n.entity_id, _plain(type_label(n.type)), n.mentions, degree[n.entity_id]]
                for n in members
            ],
            hovertemplate="<b>%{text}</b> · %{customdata[1]}<br>%{customdata[2]:,} mentions; "
            f"%{{customdata[3]:,}} shared {unit}<br>Click to filter by it<extra>%{{fullData.name}}"
            "</extra>",
        )
    axis = {
        "visible": False,
        "showgrid": False,
        "zeroline": False,
        "range": [-1.15, 1.15],
        "automargin": False,  # nothing to make room for: plotly.js would measure anyway
    }
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        height=560,
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        font=FONT,
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        xaxis=axis,
        yaxis=axis,  # no fixed aspect: the picture fills the page's width
        legend={"title": {"text": "Community"}, "x": 1.01, "y": 1, "yanchor": "top"},
        hoverlabel={"align": "left"},
        dragmode="pan",
    )
    return fig
