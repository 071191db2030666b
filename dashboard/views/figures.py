"""Figures: the ledger of reported numbers, what they count, who gave them and when."""

from __future__ import annotations

import streamlit as st

from analysis.query.aggregates import POINTS_PER_CLAIM
from dashboard import figure_charts, ui
from dashboard.memo import memo
from dashboard.state import current

ctx = current()
ui.page_header(
    "Figures",
    ctx,
    "Every number reported: grouped by what it counts, so differing values stand out.",
)

points = ctx.data.figure_points(ctx.state, keys=10)
picked: list[str] = []
if points.empty:
    ui.empty_state("No figures match these filters.", ui.filters_hint(ctx))
else:
    picked = ui.chart(memo(figure_charts.figure_ledger, points), key="fi_ledger", ctx=ctx)
    st.caption(
        f"The charts draw the latest {POINTS_PER_CLAIM:,} reports of each of the ten leading "
        "claims, the same value from the same source as one dot (bigger the more reports "
        f"give it), at most {figure_charts.TREND_DOTS} dots a panel over time; the tables "
        "below hold every figure."
    )
    if points["published"].nunique() > 1:
        picked += ui.chart(memo(figure_charts.figure_trend, points), key="fi_trend", ctx=ctx)
if picked:
    ui.source_panel(ctx, "figures", picked[0], key="fi_pick")

ui.table_section(
    ctx,
    "ledger",
    title="Ledger: one row per claim (what is counted and what happens to it)",
    columns=[
        "claim",
        "kind",
        "unit",
        "values",
        "n_figures",
        "disagree",
        "sources_disagree",
        "sources",
        "latest_value",
        "latest_source",
        "first_published",
        "last_published",
    ],
    key="fi_ledger_table",
    empty="No figures with a known counted thing match these filters.",
    clickable=False,
    column_config={"claim": st.column_config.TextColumn("Claim", width="medium")},
)

ui.table_section(
    ctx,
    "figures",
    title="Every figure",
    columns=[
        "value",
        "claim",
        "text",
        "sentence",
        "source",
        "qualifier",
        "kind",
        "published",
        "article",
    ],
    key="fi_table",
    empty="No figures match these filters.",
    column_config={
        "text": st.column_config.TextColumn("As written", width="small"),
        "source": st.column_config.TextColumn("Reported by"),
    },
)
