"""Quotes: who said what, when and where."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, ui
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
quotes = ctx.rows("quotes", limit=None)
shown = quotes if titles else quotes[quotes["kind"] != "title"]
hidden = len(quotes) - len(shown)
if hidden:
    st.caption(f"{hidden:,} names and titles in quotation marks hidden.")

ids = [str(i) for i in shown["speaker_entity_id"].dropna().unique()]
types = {k: v[1] for k, v in ctx.data.entity_info(ids).items()}
speakers = charts.speaker_counts(shown, types, top=15)
if not speakers.empty:
    picked = ui.chart(charts.quotes_per_speaker(speakers), key=f"qu_speakers_{titles}", ctx=ctx)
    st.caption("Click a bar to filter by that speaker.")
    if picked and picked[0]:
        request_entity_filter(picked[0])

ui.table_section(
    ctx,
    "quotes",
    title="Quotes",
    columns=["speaker", "text", "sentence", "published", "article", "cue", "kind"],
    key="qu_table",
    empty="No quotes match these filters.",
    rows=shown.reset_index(drop=True),
    download_note="" if titles else "It includes the hidden names and titles (kind = title).",
    column_config={
        "text": st.column_config.TextColumn("Quote", width="medium"),
        "sentence": st.column_config.TextColumn("Sentence", width="large"),
    },
)
