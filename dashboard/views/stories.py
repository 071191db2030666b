"""Stories: the threads of coverage the articles fall into, and a click to follow one."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.state import current, day, request_story_filter, set_story_filter

ctx = current()
ui.page_header(
    "Stories",
    ctx,
    "Articles grouped into stories by the people, places and words they share and when they "
    "ran (within three weeks of each other). Select a story to follow it on every page.",
)

total = ctx.count("stories")
if total == 0:
    ui.empty_state("No stories match these filters.", ui.filters_hint(ctx))
    st.stop()

left, right = st.columns([3, 1], vertical_alignment="bottom")
several = left.toggle("Only stories of several articles", value=True, key="st_several")
if ctx.state.stories:
    right.button(
        "Show every story",
        on_click=set_story_filter,
        args=("",),
        icon=":material/filter_alt_off:",
        key="st_all",
    )
stories = ctx.data.rows("stories", ctx.state, limit=500)
if several and not ctx.state.stories:
    stories = stories[stories["n_articles"] > 1]
if stories.empty:
    ui.empty_state(
        "Every article under these filters is a story of its own.",
        "Turn off 'Only stories of several articles' to list them.",
    )
    st.stop()

shown = pd.DataFrame(
    {
        "Story": stories["label"],
        "From": [day(v) for v in stories["first_published"]],
        "To": [day(v) for v in stories["last_published"]],
        "Articles": stories["n_articles"],
        "Outlets": stories["n_sources"],
    }
)
ids = [str(s) for s in stories["story_id"]]
st.caption(
    f"{len(ids):,} of {total:,} stories, largest first · select one to filter by it"
    + (" (the first 500)" if total > 500 else "")
)
event = st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    key=f"st_table_{ui._signature(ctx.state.key(), several, ctx.mtime)}",
    on_select="rerun",
    selection_mode="single-row",
)
chosen = list(event.selection.rows or [])
if chosen and ids[chosen[0]] not in ctx.state.stories:
    request_story_filter(ids[chosen[0]])
data = ctx.data
st.download_button(
    "Download CSV",
    data=lambda: data.csv("stories", ctx.state),
    file_name=ctx.filename("stories"),
    mime="text/csv",
    icon=":material/download:",
    key="st_csv",
    on_click="ignore",
)

if ctx.state.stories:
    ui.table_section(
        ctx,
        "documents",
        title="The story's articles",
        columns=["published", "title", "source"],
        key="st_articles",
        empty="No article of this story matches the other filters.",
    )
