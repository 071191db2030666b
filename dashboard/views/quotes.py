"""Quotes: who said what, when and where."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, ui
from dashboard.state import current, request_entity_filter

ctx = current()
ui.page_header("Quotes", ctx, "Who said what: each quotation with its speaker and sentence.")

speakers = ctx.data.aggregate("speakers", ctx.state, top=15)
if not speakers.empty:
    picked = ui.chart(charts.quotes_per_speaker(speakers), key="qu_speakers", ctx=ctx)
    st.caption("Click a bar to filter by that speaker.")
    if picked and picked[0]:
        request_entity_filter(picked[0])

ui.table_section(
    ctx,
    "quotes",
    title="Quotes",
    columns=["speaker", "text", "cue", "kind", "published", "article", "sentence"],
    key="qu_table",
    empty="No quotes match these filters.",
    column_config={"text": st.column_config.TextColumn("Quote", width="large")},
)
