"""Quotes: who said what, when and where."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from dashboard import charts, ui
from dashboard.memo import memo
from dashboard.state import current, request_entity_filter

ctx = current()
ui.page_header("Quotes", ctx, "Who said what: each quotation with its speaker and sentence.")

titles = st.toggle(
    "Show names and titles in quotation marks",
    value=False,
    key="qu_titles",
    help="Quotation marks around a name, a nickname or a scare quote (the “Dreamliner”) are not "
    "something anyone said: they are hidden unless this is on. The CSV holds every quote, "
    "with its kind.",
)
state = ctx.state if titles else replace(ctx.state, kinds=(*ctx.state.kinds, "direct", "partial"))
hidden = ctx.count("quotes") - ctx.count("quotes", state)
if hidden:
    st.caption(f"{hidden:,} names and titles in quotation marks hidden.")

speakers = ctx.data.aggregate("speakers", state, top=15)
if not speakers.empty:
    picked = ui.chart(
        memo(charts.quotes_per_speaker, speakers), key=f"qu_speakers_{titles}", ctx=ctx
    )
    st.caption("Click a bar to filter by that speaker.")
    if picked and picked[0]:
        request_entity_filter(picked[0])

ui.table_section(
    ctx,
    "quotes",
    title="Quotes",
    columns=["speaker", "speaker_title", "text", "sentence", "published", "article", "cue", "kind"],
    key="qu_table",
    empty="No quotes match these filters.",
    state=state,
    column_config={
        "text": st.column_config.TextColumn("Quote", width="medium"),
        "sentence": st.column_config.TextColumn("Sentence", width="large"),
    },
)
