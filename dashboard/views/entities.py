"""Entities: who and what is mentioned, when, alongside whom, and under which names."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import charts, network, ui
from dashboard.state import current, request_entity_filter

ctx = current()
ui.page_header("Entities", ctx, "People, organisations and places, merged across articles.")

top = ctx.data.top_entities(ctx.state, 15)
if top.empty:
    ui.empty_state("No entities match these filters.", ui.filters_hint(ctx))
    st.stop()

left, right = st.columns(2, gap="large")
with left:
    picked = ui.chart(ui.memo(charts.top_entities, top), key="en_top", ctx=ctx)
with right:
    freq = st.segmented_control(
        "Period", ["day", "week", "month", "year"], default="month", key="en_freq"
    )
    over_time = ctx.data.aggregate("mentions_over_time", ctx.state, top=8, period=freq or "month")
    if over_time.empty:
        ui.empty_state("No dated mentions match these filters.")
    else:
        picked += ui.chart(
            ui.memo(charts.mentions_over_time, over_time, period=freq or "month"),
            key="en_time",
            ctx=ctx,
        )
if picked:
    ui.source_panel(ctx, "entities", picked[0], key="en_pick")

st.markdown("#### Who appears with whom")
c1, c2, _ = st.columns([2, 2, 3])
level = c1.radio(
    "Together in the same",
    ["sentence", "document"],
    format_func=lambda v: "sentence" if v == "sentence" else "article",
    key="en_level",
    horizontal=True,
)
size = c2.slider("Entities shown", 5, 60, 25, key="en_size")
unit = "sentences" if level == "sentence" else "articles"
pairs = ctx.data.aggregate("cooccurrence", ctx.state, top=size, level=level)
if pairs.empty:
    ui.empty_state(
        "No two entities share a sentence under these filters.",
        "Try 'article' instead of 'sentence', or widen the filters.",
    )
else:
    ids = sorted({*pairs["source"], *pairs["target"]})
    counted = ctx.data.rows(
        "entities", replace(ctx.state, entities=tuple(ids), types=()), limit=None
    )
    mentions = dict(zip(counted["entity_id"], counted["n_mentions"], strict=True))
    graph = ui.memo(network.layout, pairs, mentions)
    clicked = ui.chart(ui.memo(network.figure, graph, unit=unit), key="en_network", ctx=ctx)
    st.caption(
        f"{len(graph.nodes)} entities in {graph.communities} groups that appear together more "
        f"than with the rest; a circle's size is its mentions, a line's width the {unit} two "
        "share. Click an entity to filter by it."
    )
    left, _ = st.columns([3, 2])
    with left:
        # The network's pairs among its leading twelve: no second pass over the mentions.
        grid = charts.among_leading(pairs, 12)
        ui.chart(
            ui.memo(charts.cooccurrence_matrix, grid, title="The most frequent pairs", unit=unit),
            key="en_co",
            ctx=ctx,
            selectable=False,
        )
    st.caption("With an entity chosen in the sidebar, both show who appears alongside it.")
    if clicked:
        request_entity_filter(clicked[0])

ui.table_section(
    ctx,
    "entities",
    title="Entities and their other names",
    columns=["name", "type", "aliases", "n_mentions", "n_documents", "first_seen", "last_seen"],
    key="en_table",
    empty="No entities match these filters.",
)

ui.table_section(
    ctx,
    "mentions",
    title="Every mention",
    columns=["text", "entity", "type", "sentence", "published", "article"],
    key="en_mentions",
    empty="No mentions match these filters.",
)
