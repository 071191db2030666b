"""Outlets: where the articles' sources are known, who covers the story and what each reports."""

from __future__ import annotations

import streamlit as st

from dashboard import outlet_charts, ui
from dashboard.memo import memo
from dashboard.state import current, request_entity_filter

ctx = current()
ui.page_header(
    "Outlets",
    ctx,
    "The publications the articles come from, side by side: when each covered the story, "
    "whom it quoted and which figures it reported.",
)

summary = ctx.data.aggregate("source_summary", ctx.state)
if summary.empty:
    if not ctx.data.sources():
        ui.empty_state(
            "No article in this store names its outlet, so there is nothing to compare yet.",
            "An article's outlet is its `source`: a `source:` line in Markdown front matter, or "
            "a `source` field in JSON, JSONL or CSV (see **Add articles**). Wikinews articles "
            "read so far carry none.",
        )
    else:
        ui.empty_state(
            "No article from a known outlet matches these filters.", ui.filters_hint(ctx)
        )
    st.stop()

outlets = [str(s) for s in summary["source"]]
colours = outlet_charts.outlet_colours(ctx.data.sources())
known = int(summary["n_articles"].sum())
everything = ctx.count("documents")
st.caption(
    f"{len(outlets):,} outlet(s) over {known:,} article(s)"
    + (
        f"; {everything - known:,} article(s) name none and are left out."
        if everything > known
        else "."
    )
)

freq = st.segmented_control(
    "Period", ["day", "week", "month", "year"], default="month", key="ou_freq"
)
period = freq or "month"
over_time = ctx.data.aggregate("sources_over_time", ctx.state, period=period, top=10)
left, right = st.columns(2, gap="large")
with left:
    if over_time.empty:
        ui.empty_state("None of these articles is dated.")
    else:
        ui.chart(
            memo(
                outlet_charts.articles_per_source, over_time, outlets[:10], colours, period=period
            ),
            key="ou_time",
            ctx=ctx,
            selectable=False,
        )
with right:
    speakers = ctx.data.aggregate("source_speakers", ctx.state, top=12)
    if speakers.empty:
        ui.empty_state("No quotes in these outlets' articles.")
    else:
        picked = ui.chart(
            memo(outlet_charts.speakers_per_source, speakers, outlets[:10], colours),
            key="ou_speakers",
            ctx=ctx,
        )
        st.caption("Click a bar to filter by that speaker.")
        if picked and picked[0]:
            request_entity_filter(picked[0])

ui.table_section(
    ctx,
    "source_summary",
    title="The outlets",
    columns=["source", "n_articles", "first_published", "last_published", "n_quotes", "n_figures"],
    key="ou_summary",
    empty="No outlet matches these filters.",
    clickable=False,
    column_config={"source": st.column_config.TextColumn("Outlet", width="medium")},
)

ui.table_section(
    ctx,
    "source_figures",
    title="What each outlet reports: its figures per claim",
    columns=[
        "claim",
        "source",
        "values",
        "latest_value",
        "n_figures",
        "n_sources",
        "sources_differ",
    ],
    key="ou_figures",
    empty="No figures with a known counted thing in these outlets' articles.",
    clickable=False,
    column_config={
        "claim": st.column_config.TextColumn("Claim", width="medium"),
        "source": st.column_config.TextColumn("Outlet"),
        "values": st.column_config.ListColumn("Values", width="medium"),
        "n_figures": st.column_config.NumberColumn("Figures"),
        "n_sources": st.column_config.NumberColumn("Outlets reporting it"),
        "sources_differ": st.column_config.CheckboxColumn("Outlets differ"),
    },
)
