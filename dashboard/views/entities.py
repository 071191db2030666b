"""Entities: who and what is mentioned, when, alongside whom, and under which names."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import charts, entity_story, network, ui
from dashboard.memo import memo
from dashboard.state import current, request_entity_filter

STORY_EVENTS = 1000  # the happenings of an entity's story are read from its first events by date
STORY_ROWS = 5000  # and its quotes and figures from these many
STORY_SHOWN = 40

ctx = current()
ui.page_header("Entities", ctx, "People, organisations and places, merged across articles.")

top = ctx.data.top_entities(ctx.state, 15)
if top.empty:
    ui.empty_state("No entities match these filters.", ui.filters_hint(ctx))
    st.stop()

# One above the other, each the page's width: side by side, their legends left the bars and
# lines a third of a half-width column, and long names were cut.
picked = ui.chart(memo(charts.top_entities, top), key="en_top", ctx=ctx)
freq = st.segmented_control(
    "Period", ["day", "week", "month", "year"], default="month", key="en_freq"
)
over_time = ctx.data.aggregate("mentions_over_time", ctx.state, top=8, period=freq or "month")
if over_time.empty:
    ui.empty_state("No dated mentions match these filters.")
else:
    picked += ui.chart(
        memo(charts.mentions_over_time, over_time, period=freq or "month"),
        key="en_time",
        ctx=ctx,
    )
if picked:
    ui.source_panel(ctx, "entities", picked[0], key="en_pick")

st.markdown("#### Who appears with whom")
c1, c2, c3 = st.columns([2, 2, 3])
level = c1.radio(
    "Together in the same",
    ["sentence", "document"],
    format_func=lambda v: "sentence" if v == "sentence" else "article",
    key="en_level",
    horizontal=True,
)
size = c2.slider("Entities shown", 5, 60, 25, key="en_size")
# One picture of the pairs at a time: the browser draws one chart less (the slowest page).
shown_as = c3.segmented_control(
    "Show",
    ["network", "grid"],
    default="network",
    format_func=lambda v: "Network" if v == "network" else "Grid of the top pairs",
    key="en_show",
)
unit = "sentences" if level == "sentence" else "articles"
pairs = ctx.data.aggregate("cooccurrence", ctx.state, top=size, level=level)
if pairs.empty:
    ui.empty_state(
        "No two entities share a sentence under these filters.",
        "Try 'article' instead of 'sentence', or widen the filters.",
    )
else:
    clicked: list[str] = []
    if shown_as != "grid":
        ids = sorted({*pairs["source"], *pairs["target"]})
        counted = ctx.data.rows(
            "entities", replace(ctx.state, entities=tuple(ids), types=()), limit=None
        )
        mentions = dict(zip(counted["entity_id"], counted["n_mentions"], strict=True))
        graph = memo(network.layout, pairs, mentions)
        clicked = ui.chart(memo(network.figure, graph, unit=unit), key="en_network", ctx=ctx)
        st.caption(
            f"{len(graph.nodes)} entities in {graph.communities} groups that appear together "
            f"more than with the rest; a circle's size is its mentions, a line's width the "
            f"{unit} two share. Click an entity to filter by it."
        )
    else:
        left, _ = st.columns([3, 2])
        with left:
            # The network's pairs among its leading twelve: no second pass over the mentions.
            grid = charts.among_leading(pairs, 12)
            ui.chart(
                memo(charts.cooccurrence_matrix, grid, title="The most frequent pairs", unit=unit),
                key="en_co",
                ctx=ctx,
                selectable=False,
            )
    st.caption(
        "With an entity chosen in the sidebar, the network and the grid show who appears "
        "alongside it."
    )
    if clicked:
        request_entity_filter(clicked[0])

if len(ctx.state.entities) == 1:  # one entity chosen: its story across the articles
    (chosen,) = ctx.state.entities
    name = str(dict(zip(top["entity_id"], top["name"], strict=True)).get(chosen, chosen))
    st.markdown(f"#### {ui.md(name)} across the articles")
    events = ctx.data.rows("events", ctx.state, limit=STORY_EVENTS)
    # The quotes and figures are read from the articles of the happenings shown only.
    none = events.iloc[0:0]
    shown = memo(entity_story.happenings, events, none, none)[:STORY_SHOWN]
    docs = sorted({doc_id for h in shown for doc_id, _ in h.articles})
    of_shown = ctx.state.with_docs(
        [d for d in docs if d in set(ctx.state.docs)] if ctx.state.docs else docs
    )
    found = memo(
        entity_story.happenings,
        events,
        ctx.data.rows("quotes", of_shown, limit=STORY_ROWS) if docs else none,
        ctx.data.rows("figures", of_shown, limit=STORY_ROWS) if docs else none,
    )
    if not found:
        ui.empty_state(f"No dated happening names {ui.md(name)} under these filters.")
    else:
        st.caption(
            f"The {len(found):,} happening(s) {ui.md(name)} takes part in, in date order: each "
            "with the articles that report it and their quotes and figures about "
            f"{ui.md(name)}. The Timeline draws them; the tables below list every row."
        )
        st.html(entity_story.story_html(found[:STORY_SHOWN]))
        if len(found) > STORY_SHOWN:
            st.caption(f"The first {STORY_SHOWN} of {len(found):,} by date.")

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
