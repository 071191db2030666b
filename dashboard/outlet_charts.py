"""Figure builders for the Outlets page: who covers the story when, and whom each outlet quotes.

One colour per outlet on both charts, the same whatever the filters (`outlet_colours` over every
outlet of the store); outlets are drawn in the order given (most articles first).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import (
    FONT,
    LEGEND_CHARS,
    PERIOD_FORMATS,
    SERIES_COLOURS,
    _short,
    _whole_numbers,
    fit_margins,
    period_axis,
    series_colours,
    tick_labels,
)

# A bar's width on a date axis, in milliseconds: most of its period, so sparse periods still
# show (plotly otherwise sizes bars by the closest two dates).
_DAY_MS = 86_400_000
BAR_WIDTHS = {"day": 0.8, "week": 6, "month": 26, "quarter": 80, "year": 320}


def _plain(text: object) -> str:
    """A name as inert text in plotly's labels and hovers (which read a little HTML)."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def outlet_colours(every_outlet: Sequence[str]) -> dict[str, str]:
    """A colour per outlet, from the store's sorted list of outlets (stable under filters)."""
    return series_colours(sorted(every_outlet))


def _layout(fig: go.Figure, title: str, *, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        height=height,
        font=FONT,
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        legend={"title": {"text": "Outlet"}, "x": 1.01, "y": 1, "yanchor": "top"},
        hoverlabel={"align": "left"},
    )
    fig.update_xaxes(gridcolor="#e6e9ef", zerolinecolor="#e6e9ef")
    fig.update_yaxes(gridcolor="#e6e9ef", zerolinecolor="#e6e9ef")
    return fit_margins(fig, bottom=50)


def articles_per_source(
    frame: pd.DataFrame,
    outlets: Sequence[str],
    colours: Mapping[str, str],
    *,
    period: str = "month",
    title: str = "Who covers it: articles per outlet",
) -> go.Figure:
    """Stacked bars of articles per period, one colour per outlet (columns: source, period,
    n_articles), stacked in the order of `outlets`."""
    fmt = PERIOD_FORMATS.get(period, "%Y-%m-%d")
    fig = go.Figure()
    data = frame.assign(period=pd.to_datetime(frame["period"]))
    for outlet in outlets:
        rows = data[data["source"] == outlet]
        if rows.empty:
            continue
        name = _plain(outlet)
        fig.add_bar(
            x=rows["period"],
            y=rows["n_articles"],
            name=_plain(_short(outlet, LEGEND_CHARS)),
            marker_color=colours.get(outlet, SERIES_COLOURS[-1]),
            width=BAR_WIDTHS.get(period, 26) * _DAY_MS,
            customdata=[[outlet]] * len(rows),
            hovertemplate=f"{name}<br>%{{x|{fmt}}}: %{{y:,}} article(s)<extra></extra>",
        )
    fig.update_layout(barmode="stack", bargap=0.15)
    # Whole periods on the axis (one month alone reads as that month, once), whole articles.
    period_axis(fig, data["period"], period)
    fig.update_xaxes(title="Published")
    _whole_numbers(fig, data.groupby("period")["n_articles"].sum(), axis="y")
    fig.update_yaxes(title="Articles")
    return _layout(fig, title, height=380)


def speakers_per_source(
    frame: pd.DataFrame,
    outlets: Sequence[str],
    colours: Mapping[str, str],
    *,
    title: str = "Whom each outlet quotes",
) -> go.Figure:
    """Grouped bars of quotes per speaker, one colour per outlet (columns: source, speaker,
    speaker_entity_id, n); the speaker's entity id in customdata[0], to filter by it."""
    totals = frame.groupby("speaker")["n"].sum().sort_values(ascending=False, kind="stable")
    order = [str(s) for s in totals.index]
    label = dict(zip(order, (_plain(t) for t in tick_labels(order)), strict=True))
    fig = go.Figure()
    for outlet in outlets:
        rows = frame[frame["source"] == outlet]
        if rows.empty:
            continue
        name = _plain(outlet)
        fig.add_bar(
            y=[label[str(s)] for s in rows["speaker"]],
            x=rows["n"],
            orientation="h",
            name=_plain(_short(outlet, LEGEND_CHARS)),
            marker_color=colours.get(outlet, SERIES_COLOURS[-1]),
            customdata=[
                [entity_id, _plain(speaker)]
                for entity_id, speaker in zip(
                    rows["speaker_entity_id"].fillna(""), rows["speaker"], strict=True
                )
            ],
            hovertemplate=f"{name}: %{{x:,}} quote(s) of %{{customdata[1]}}<extra></extra>",
        )
    fig.update_layout(barmode="group", bargap=0.2)
    fig.update_yaxes(
        categoryorder="array", categoryarray=[label[s] for s in order], autorange="reversed"
    )
    _whole_numbers(fig, frame["n"])  # whole quotes: never a tick at 0.5
    fig.update_xaxes(title="Quotes")
    height = max(320, 120 + 18 * len(order) * max(1, len(outlets)) // 2)
    return _layout(fig, title, height=min(height, 900))
