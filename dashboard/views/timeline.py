"""Timeline: the events the articles date, on a zoomable time axis."""

from __future__ import annotations

import streamlit as st

from dashboard import timeline_charts, ui
from dashboard.memo import memo
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
    lane_by = st.segmented_control("Lanes by", ["story", "entity"], default="story", key="tl_lanes")
    story_ids = [str(s) for s in events["story_id"].dropna().unique()]
    stories = ctx.data.story_options(limit=0, include=story_ids)
    names = dict(zip(stories["story_id"], stories["label"], strict=True))
    groups = memo(
        timeline_charts.event_groups, events, lane_by=lane_by or "story", lane_names=names
    )
    picked = ui.chart(memo(timeline_charts.timeline, groups), key="tl_chart", ctx=ctx)
    st.caption(
        "One dot per happening: the events of several articles reporting it are one, sized "
        "and numbered by how many articles do. Select a dot to see every report."
    )
    total = ctx.count("events")
    if total > len(events):
        st.caption(f"The chart shows the first {len(events):,} of {total:,} events by date.")
    if picked:
        chosen = groups[groups["group_id"] == picked[0]]
        if not chosen.empty:
            ids = set(chosen["event_ids"].iloc[0])
            reports = events[events["event_id"].isin(ids)]
            st.markdown(f"##### Reported by {reports['doc_id'].nunique()} article(s)")
            for event_id in reports["event_id"].head(10):
                ui.source_panel(ctx, "events", str(event_id), key=f"tl_pick_{event_id}")

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
    first_rows=events,  # the chart's events are the table's first pages
    column_config={
        "text": st.column_config.TextColumn("As written", width="small"),
        "description": st.column_config.TextColumn("What happened", width="medium"),
    },
)
