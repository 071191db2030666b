"""Figure builders for reported numbers: the ledger of each claim's values and sources, and
their values over time as small multiples (one panel per counted thing and unit).

Like every builder in `dashboard.charts`, each takes the frame the query layer returns and puts
a figure's id in `customdata[0]`, so a clicked dot maps back to its report.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts import (
    SERIES_COLOURS,
    _date,
    _layout,
    _plain,
    _short,
    _wrap,
    count_step,
    series_colours,
    tick_labels,
)
from dashboard.formatting import format_value, plural


def figure_ledger(points: pd.DataFrame, *, title: str = "Reported figures") -> go.Figure:
    """Each counted thing on its own row, its reported values as dots coloured by source:
    disagreeing values sit side by side (columns: figure_id, counted, value, source, ...).

    The same value from the same source is one dot (it would sit on itself), sized by how many
    reports give it, its id the latest report's: a thousand copies send one point, not a
    thousand."""
    claims = _claims(points)
    distinct = [str(c) for c in dict.fromkeys(claims)]
    axis_label = dict(zip(distinct, tick_labels(distinct), strict=True))
    merged = same_reports(points.assign(claim_label=claims), ["claim_label", "value", "source"])
    sources = list(dict.fromkeys(merged["source"]))
    colours = series_colours(sources)
    fig = go.Figure()
    for source in sources:
        rows = merged[merged["source"] == source]
        hover = [
            f"<b>{_plain(r.claim_label)}</b>: {_plain(r.text)}<br>source: {_plain(r.source)}"
            f"<br>{_reports(r.n_reports)}published: {_date(r.published)}<br>{_wrap(r.sentence)}"
            for r in rows.itertuples(index=False)
        ]
        fig.add_scatter(
            x=rows["value"],
            y=[_plain(axis_label[str(c)]) for c in rows["claim_label"]],
            mode="markers",
            name=_plain(source),
            marker={
                "size": [_dot(n, 13) for n in rows["n_reports"]],
                "color": colours[source],
                "line": {"width": 1, "color": "#fff"},
            },
            customdata=rows[["figure_id"]].to_numpy(),
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    values = points["value"].dropna()
    log = bool(len(values) and values.min() > 0 and values.max() / values.min() > 1000)
    fig.update_xaxes(type="log" if log else "linear")
    height = max(260, 40 * claims.nunique() + 140)
    return _layout(
        fig,
        title,
        height=height,
        labels=list(axis_label.values()),
        xaxis_title="Reported value",
        yaxis_title=None,
    )


def same_reports(points: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """One row per distinct report (equal `keys`): the latest such figure (by publication,
    then id), with `n_reports`, how many figures it stands for; in publication order."""
    ordered = points.sort_values(["published", "figure_id"], na_position="first")
    # Plain Python over the key columns: a few thousand rows, where pandas' groupby costs more
    # in set-up than in work.
    rows = list(zip(*(ordered[k].tolist() for k in keys), strict=True))
    count: dict[tuple[Any, ...], int] = {}
    last: dict[tuple[Any, ...], int] = {}
    for i, row in enumerate(rows):
        key = tuple("\0nan" if v is None or v != v else v for v in row)  # NaN == NaN here
        count[key] = count.get(key, 0) + 1
        last[key] = i
    keep = sorted(last.values())
    kept = ordered.iloc[keep]
    return kept.assign(n_reports=[count[k] for k in sorted(last, key=last.__getitem__)])


def _dot(n: int, size: int) -> float:
    """A marker's size for a dot standing for `n` reports: bigger with each doubling."""
    return min(2.5 * size, size + 3 * math.log2(max(1, int(n))))


def _reports(n: Any) -> str:
    """'N reports' for a dot standing for more than one report."""
    count = int(n)
    return f"{count:,} reports<br>" if count > 1 else ""


def _claims(points: pd.DataFrame) -> pd.Series:
    """What each figure claims ("prisoners freed"), or what it counts where that is all."""
    if "claim" in points:
        return points["claim"].fillna(points["counted"])
    return points["counted"]


def trend_panels(points: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The figures split by what they count and in which unit, most reported first: one
    panel each, so jobs, gigabytes and passengers never share an axis."""
    unit = points["unit"].fillna("") if "unit" in points else ""
    key = points["claim_key"] if "claim_key" in points else points["counted"]
    data = points.assign(_unit=unit, _key=key, _claim=_claims(points))
    groups: list[tuple[str, pd.DataFrame]] = []
    for (_, unit_value), rows in data.groupby(["_key", "_unit"], sort=False):
        counted, unit_name = str(rows["_claim"].mode().iloc[0]), str(unit_value)
        said = not unit_name or counted.startswith(unit_name) or plural(unit_name, 2) == counted
        label = counted if said else f"{counted} ({unit_name})"
        groups.append((label, rows.drop(columns=["_unit", "_key", "_claim"])))
    groups.sort(key=lambda g: -len(g[1]))
    return groups


def spans_orders_of_magnitude(values: Sequence[float], ratio: float = 100.0) -> bool:
    """Whether positive values differ enough for a log axis (largest / smallest >= ratio)."""
    finite = [v for v in values if v is not None and math.isfinite(v)]
    return bool(finite) and min(finite) > 0 and max(finite) / min(finite) >= ratio


# Dots a panel of the figures' trend draws at most (its latest): enough to read a trend in a
# panel a few hundred pixels wide, and a chart the browser draws at once.
TREND_DOTS = 80
PANEL_TITLE_CHARS = 88  # a panel's title in one column, half of it in two


def figure_trend(
    points: pd.DataFrame, *, title: str = "Values over time", columns: int = 2
) -> go.Figure:
    """Small multiples: one panel per counted thing (and unit), its reported values by
    publication date, on a log axis where they span orders of magnitude.

    The same value on the same day is one dot, sized by its reports (the latest one's id); a
    panel draws its latest `TREND_DOTS` dots and says so in its title when there are more."""
    panels = trend_panels(points)
    cols = 1 if len(panels) < 2 else columns
    rows = max(1, math.ceil(len(panels) / cols))
    drawn: list[tuple[str, pd.DataFrame, list[float]]] = []
    titles = []
    for label, data in panels:
        values = [float(v) for v in data["value"]]
        dots = same_reports(data, ["published", "value"])
        note = f" · latest {TREND_DOTS} of {len(dots):,}" if len(dots) > TREND_DOTS else ""
        drawn.append((label, dots.tail(TREND_DOTS), values))
        # Side by side, a title longer than this would reach past its panel at the width of
        # a laptop's page (the hover names the whole claim).
        titles.append(_plain(_short(label, PANEL_TITLE_CHARS // cols)) + note)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        shared_xaxes="all",
        subplot_titles=titles,
        vertical_spacing=min(0.12, 0.5 / rows),
        horizontal_spacing=0.1,
    )
    for i, (label, data, values) in enumerate(drawn):
        row, col = i // cols + 1, i % cols + 1
        hover = [
            f"<b>{_plain(label)}</b>: {_plain(format_value(r.value, r.unit, r.kind))}"
            f"<br>as written: {_plain(r.text)}<br>source: {_plain(r.source)}"
            f"<br>{_reports(r.n_reports)}published: {_date(r.published)}"
            for r in data.itertuples(index=False)
        ]
        fig.add_scatter(
            x=data["published"],
            y=data["value"],
            mode="lines+markers",
            name=_plain(label),
            line={"color": SERIES_COLOURS[0], "width": 1.5},
            marker={"size": [_dot(n, 8) for n in data["n_reports"]], "color": SERIES_COLOURS[0]},
            customdata=data[["figure_id"]].to_numpy(),
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            row=row,
            col=col,
        )
        yaxis = fig.get_subplot(row, col).yaxis  # its own axis, without a search over all
        if spans_orders_of_magnitude(values):
            yaxis.update(type="log", dtick=1)  # a tick per power of ten
        elif values and all(v == int(v) for v in values):
            low, high = min(values), max(values)
            yaxis.update(
                tickmode="linear", tick0=0, dtick=count_step(high - low, 3), tickformat=",d"
            )
    fig.update_xaxes(type="date")
    # Panel titles flush left over their panel, like the chart's own title.
    for i, annotation in enumerate(fig.layout.annotations):
        axis = fig.get_subplot(i // cols + 1, i % cols + 1).xaxis
        annotation.update(x=axis.domain[0], xanchor="left", font={"size": 13})
    fig = _layout(fig, title, height=max(260, 210 * rows + 90))
    fig.update_layout(showlegend=False)
    return fig
