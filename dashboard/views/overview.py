"""Overview: how much there is, who is mentioned most, when things happened, how readable."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, ui
from dashboard.memo import memo
from dashboard.state import current

ctx = current()
ui.page_header("Overview", ctx, "A story at a glance: every number follows the sidebar filters.")

counts = ctx.data.counts(ctx.state)
labels = {
    "documents": "Articles",
    "entities": "Entities",
    "mentions": "Mentions",
    "quotes": "Quotes",
    "figures": "Figures",
    "events": "Dated events",
}
for column, (table, label) in zip(st.columns(len(labels)), labels.items(), strict=True):
    column.metric(label, f"{counts[table]:,}", border=True)

if counts["documents"] == 0:
    ui.empty_state("No articles match these filters.", ui.filters_hint(ctx))
    st.stop()

left, right = st.columns([3, 2], gap="large")
with left:
    top = ctx.data.top_entities(ctx.state, 12)
    if top.empty:
        ui.empty_state("No entities match these filters.", ui.filters_hint(ctx))
    else:
        picked = ui.chart(memo(charts.top_entities, top), key="ov_top", ctx=ctx)
        if picked:
            ui.source_panel(ctx, "entities", picked[0], key="ov_top_src")
with right:
    per_year = ctx.data.aggregate("events_by_period", ctx.state, period="year")
    if per_year.empty:
        ui.empty_state("No dated events match these filters.", ui.filters_hint(ctx))
    else:
        ui.chart(
            memo(charts.events_per_period, per_year), key="ov_years", ctx=ctx, selectable=False
        )
    summary = ctx.data.readability_summary(ctx.state)
    if summary:
        n = int(summary.get("n", 0))
        st.markdown("#### Readability" + (f" (median of {n} articles)" if n > 1 else ""))
        a, b = st.columns(2)
        a.metric(
            "Flesch reading ease",
            f"{summary['flesch_reading_ease']:.0f}",
            help="0–100: higher is easier. 60–70 is plain English; below 30 is very hard.",
        )
        b.metric(
            "Grade level (Flesch–Kincaid)",
            f"{summary['flesch_kincaid_grade']:.1f}",
            help="US school grade needed to follow the text: higher is harder.",
        )
        ui.chart(memo(charts.readability_grades, summary), key="ov_read", ctx=ctx, selectable=False)

ui.table_section(
    ctx,
    "documents",
    title="Articles",
    columns=["title", "published", "source", "n_words", "n_sentences"],
    key="ov_docs",
    empty="No articles match these filters.",
    column_config={
        "n_words": st.column_config.NumberColumn("Words"),
        "n_sentences": st.column_config.NumberColumn("Sentences"),
    },
)
