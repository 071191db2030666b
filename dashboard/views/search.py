"""Search: every hit of the query in its context, and how often it appears over time."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from analysis.query import Options
from analysis.query.aggregates import SORTS
from dashboard import search_charts, ui
from dashboard.memo import memo
from dashboard.state import SEARCH_HELP, current, query_problem

ctx = current()
ui.page_header(
    "Search",
    ctx,
    "Type a query in the sidebar's Search box: every page then covers only the articles that "
    "match, and this page lists every hit in its sentence.",
)
query = ctx.state.query
if not query:
    if "postings" in ctx.data.view.stale_tables:
        ui.stale_index_warning()
    ui.empty_state("No search yet.", "Type a query in the sidebar's **Search** box.")
    with st.expander("How to write a query"):
        st.markdown(SEARCH_HELP)
    st.stop()

left, right = st.columns([2, 1], vertical_alignment="bottom")
others = left.text_input(
    "Compare over time with",
    key="se_compare",
    placeholder='other queries, separated by ";" e.g. potash; "political prisoners"',
)
period = right.segmented_control(
    "Period", ["day", "week", "month", "year"], default="month", key="se_period"
)
share = st.toggle("As a share of the articles published", key="se_share")
queries = [query, *(q.strip() for q in (others or "").split(";") if q.strip())]
trends = {}
for text in dict.fromkeys(queries):
    problem = query_problem(text)
    if problem:
        st.error(f"{text}: {problem}")
        continue
    flt = replace(ctx.state, query=text)
    trends[text] = ctx.data.rows(
        "hits_over_time", flt, limit=None, opts=Options(period=period or "month")
    )
if any(not frame.empty for frame in trends.values()):
    ui.chart(
        memo(search_charts.search_trend, trends, share=share, period=period or "month"),
        key="se_trend",
        ctx=ctx,
    )
else:
    ui.empty_state("No dated articles match.", ui.filters_hint(ctx))

sort = st.radio(
    "Sort hits by",
    list(SORTS),
    format_func={"date": "date", "left": "words before", "right": "words after"}.get,
    horizontal=True,
    key="se_sort",
)
ui.table_section(
    ctx,
    "hits",
    title=f"Every hit of {ui.md(query)}",
    columns=["published", "title", "left", "match", "right", "source"],
    key="se_hits",
    empty="No hits for this query under these filters.",
    opts=Options(sort=sort or "date"),
    column_config={
        "left": st.column_config.TextColumn("Before", width="medium", alignment="right"),
        "match": st.column_config.TextColumn("Match", width="small"),
        "right": st.column_config.TextColumn("After", width="medium"),
    },
)
