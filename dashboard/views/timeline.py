"""Timeline: the events the articles date, on a zoomable time axis."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, ui
from dashboard.state import current

ctx = current()
ui.page_header(
    "Timeline",
    ctx,
    "What happened when, by the dates the articles give (relative dates resolved against the "
    "publication date). Drag to zoom; double-click to reset.",
)

events = ctx.data.rows("events", ctx.state, limit=2000)
picked: list[str] = []
if events.empty:
    ui.empty_state("No dated events match these filters.", ui.filters_hint(ctx))
else:
    color_by = st.segmented_control(
        "Colour by", ["article", "entity"], default="article", key="tl_color"
    )
    picked = ui.chart(
        charts.timeline(events, color_by=color_by or "article"), key="tl_chart", ctx=ctx
    )
    total = ctx.count("events")
    if total > len(events):
        st.caption(f"The chart shows the first {len(events):,} of {total:,} events by date.")
if picked:
    ui.source_panel(ctx, "events", picked[0], key="tl_pick")

ui.table_section(
    ctx,
    "events",
    title="Events",
    columns=[
        "date",
        "text",
        "description",
        "sentence",
        "end_date",
        "granularity",
        "entities",
        "article",
    ],
    key="tl_table",
    empty="No dated events match these filters.",
    column_config={
        "text": st.column_config.TextColumn("As written", width="small"),
        "description": st.column_config.TextColumn("What happened", width="medium"),
    },
)
