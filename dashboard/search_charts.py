"""Figure builders for search: how often each query appears over time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import count_step, fit_margins, period_axis


def search_trend(
    frames: dict[str, pd.DataFrame], *, share: bool, period: str = "month"
) -> go.Figure:
    """One line per query (columns: period, n_hits, n_documents, n_articles, share).

    As a share, each point is the matching articles over the articles published in the period,
    so a busy week does not look like a trend.
    """
    fig = go.Figure()
    for query, frame in frames.items():
        y = frame["share"] * 100 if share else frame["n_hits"]
        fig.add_trace(
            go.Scatter(
                x=frame["period"],
                y=y,
                mode="lines+markers",
                name=query,
                customdata=frame[["n_hits", "n_documents", "n_articles"]].to_numpy(),
                hovertemplate=(
                    "%{x|%Y-%m-%d}<br>%{customdata[0]} hit(s) in %{customdata[1]} of "
                    "%{customdata[2]} article(s)<extra>%{fullData.name}</extra>"
                ),
            )
        )
    fig.update_layout(
        title="Share of articles that match" if share else "Hits over time",
        yaxis_title="% of the articles published" if share else "hits",
        xaxis_title="published",
        legend_title="query",
        height=360,
    )
    # Whole periods on the axis: one month alone reads as its month, not as milliseconds.
    period_axis(fig, [p for f in frames.values() for p in f["period"]], period)
    if share:
        fig.update_yaxes(rangemode="tozero")
    else:  # whole hits: never ticks of 0.5 printed as "0, 1, 1, 2, 2"
        most = max((float(f["n_hits"].max()) for f in frames.values() if not f.empty), default=0)
        fig.update_yaxes(
            rangemode="tozero", tickmode="linear", tick0=0, dtick=count_step(most), tickformat=",d"
        )
    return fit_margins(fig, right=10, bottom=50)
