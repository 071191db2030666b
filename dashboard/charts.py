"""Pure plotly figure builders: a frame in, a figure out, one colour per entity type everywhere
(except lines of single entities, which get a colour each and name their type in the legend).

Each builder takes the small aggregate frame `dashboard.data` returns and puts the row's stable id
in `customdata[0]`, so a clicked point maps back to its row whatever the sorting or filtering.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.labels import type_label

# One colour per entity type, used by every chart and by the reader's highlights.
TYPE_COLOURS: dict[str, str] = {
    "PERSON": "#1f77b4",
    "ORG": "#d62728",
    "GPE": "#2ca02c",
    "LOC": "#17becf",
    "NORP": "#9467bd",
    "FAC": "#8c564b",
    "EVENT": "#ff7f0e",
    "LAW": "#bcbd22",
    "PRODUCT": "#e377c2",
    "WORK_OF_ART": "#7f7f7f",
}
OTHER_COLOUR = "#5c6b7a"
KIND_COLOURS = {"quote": "#7a3e00", "figure": "#2e7d32", "event": "#6a1b9a"}
# Colours for categories that are not entity types (sources, articles, counted things).
SERIES_COLOURS = (
    "#1f5f8b",
    "#e07b39",
    "#3a9d5d",
    "#c23b4e",
    "#7d5ba6",
    "#8c6d46",
    "#d16ba5",
    "#6b7b8c",
    "#b5a21d",
    "#2bb0b8",
)

FONT = {"family": "sans-serif", "size": 13, "color": "#1c2430"}


def type_colour(entity_type: str | None, colours: Mapping[str, str] | None = None) -> str:
    """The colour of an entity type (a neutral grey for unknown types)."""
    palette = colours or TYPE_COLOURS
    return palette.get(str(entity_type or "").upper(), OTHER_COLOUR)


def series_colours(names: Sequence[str]) -> dict[str, str]:
    """A stable colour for each of `names`, in order."""
    return {name: SERIES_COLOURS[i % len(SERIES_COLOURS)] for i, name in enumerate(names)}


# About the width of a character of the 13 px sans-serif font, and the height of a line of it.
CHAR_PX = 7
LINE_PX = 18


def _tick_chars(axis: Any, values: Sequence[Any]) -> int:
    """How many characters the widest tick label of `axis` over `values` has, about."""
    words = [len(v) for v in values if isinstance(v, str)]
    if words:
        return max(words)
    numbers = [abs(float(v)) for v in values if isinstance(v, int | float) and math.isfinite(v)]
    if not numbers:
        return 0
    sign = int(any(float(v) < 0 for v in values if isinstance(v, int | float)))
    if axis.type == "log":
        return 5  # plotly's "100k", "1B" at each power of ten
    if axis.tickformat == ",d":
        return len(f"{round(max(numbers)):,}") + sign
    return 6 + sign  # plotly's own: three digits and a suffix ("2.5k", "348.8B")


def _axis_values(fig: go.Figure, axis: str) -> list[Any]:
    """The values every trace on the axis `axis` ("y", "y2", "x") draws."""
    letter = axis[0]
    found: list[Any] = []
    for trace in fig.data:
        if (getattr(trace, f"{letter}axis", None) or letter) == axis:
            data = getattr(trace, letter, None)
            if data is not None:
                found.extend(v for v in data if v is not None)
    return found


def _left_margin(fig: go.Figure, labels: Sequence[str]) -> int:
    """Room at the left for the widest tick label and the title of each y axis at the chart's
    left edge (the inner panels' labels sit in the space between panels)."""
    chars = max((len(x) for x in labels), default=0)
    titled = False
    for name in fig.layout:
        if not name.startswith("yaxis"):
            continue
        axis = fig.layout[name]
        anchor = str(axis.anchor or "x")
        x_axis = fig.layout["xaxis" + anchor[1:]] if anchor.startswith("x") else None
        if x_axis is not None and x_axis.domain is not None and x_axis.domain[0] > 0:
            continue
        titled = titled or bool(axis.title.text)
        if axis.showticklabels is not False:
            chars = max(chars, _tick_chars(axis, _axis_values(fig, "y" + name[5:])))
    return min(300, max(60, CHAR_PX * chars + 24 + (LINE_PX + 6 if titled else 0)))


def _layout(
    fig: go.Figure,
    title: str,
    *,
    height: int = 380,
    labels: Sequence[str] = (),
    **axes: Any,
) -> go.Figure:
    # Margins are set from the labels, not left to plotly's automargin: that measures every
    # label in the browser and draws the chart again (it doubled the time of the figures'
    # small multiples), and Streamlit's first render did not always apply it (long names were
    # cut off). tests/dashboard/test_chart_fit.py draws every chart and checks nothing is cut.
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left", "font": {"size": 16}},
        height=height,
        font=FONT,
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        # On the right, where it can never sit on an axis title.
        legend={"title": None, "orientation": "v", "x": 1.01, "y": 1, "yanchor": "top"},
        hoverlabel={"align": "left"},
        **axes,
    )
    fig.update_xaxes(gridcolor="#e6e9ef", zerolinecolor="#e6e9ef")
    fig.update_yaxes(gridcolor="#e6e9ef", zerolinecolor="#e6e9ef")
    return fit_margins(fig, labels)


def fit_margins(
    fig: go.Figure, labels: Sequence[str] = (), *, right: int = 30, bottom: int = 60
) -> go.Figure:
    """Margins from the figure's own labels, with plotly's automargin off (plotly.js turns
    it on by default): room at the left for the y axes' tick labels and titles (`labels`:
    category labels the y values do not show)."""
    fig.update_xaxes(automargin=False)
    fig.update_yaxes(automargin=False)
    fig.update_layout(margin={"l": _left_margin(fig, labels), "r": right, "t": 50, "b": bottom})
    return fig


def count_step(span: float, ticks: int = 5) -> int:
    """A whole tick step (1, 2, 5, 10, 20, 50, ...) giving about `ticks` ticks over `span`."""
    raw = span / max(1, ticks)
    if not math.isfinite(raw) or raw <= 1:
        return 1
    magnitude = 10 ** math.floor(math.log10(raw))
    for multiple in (1, 2, 5, 10):
        if multiple * magnitude >= raw:
            return int(multiple * magnitude)
    return int(10 * magnitude)  # pragma: no cover - the loop always returns


def _whole_numbers(fig: go.Figure, values: Any, axis: str = "x", **where: Any) -> None:
    """Counts get whole-number ticks from zero: never '0.5 quotes' or '1,226.5 mentions'."""
    most = max((float(v) for v in values), default=0.0)
    update = fig.update_xaxes if axis == "x" else fig.update_yaxes
    update(
        rangemode="tozero",
        tickmode="linear",
        tick0=0,
        dtick=count_step(most),
        tickformat=",d",
        **where,
    )


# How date_trunc's periods step, and how a tick of each reads.
PERIOD_OFFSETS = {"day": "D", "week": "W-MON", "month": "MS", "quarter": "QS", "year": "YS"}
PERIOD_FORMATS = {
    "day": "%d %b %Y",
    "week": "%d %b %Y",
    "month": "%b %Y",
    "quarter": "%b %Y",
    "year": "%Y",
}
PERIOD_DTICKS: dict[str, int | str] = {
    "day": 86_400_000,
    "week": 7 * 86_400_000,
    "month": "M1",
    "quarter": "M3",
    "year": "M12",
}


def _period_offset(period: str) -> Any:
    return pd.tseries.frequencies.to_offset(PERIOD_OFFSETS.get(period, "MS"))


def period_axis(fig: go.Figure, periods: Any, period: str) -> None:
    """A date axis that reads in whole periods: one date alone is shown as its day (month,
    year), with room either side, never as a span of milliseconds around it."""
    stamps = sorted({pd.Timestamp(p) for p in periods if pd.notna(p)})
    fmt = PERIOD_FORMATS.get(period, "%Y-%m-%d")
    fig.update_xaxes(type="date", tickformat=fmt, hoverformat=fmt)
    if not stamps:
        return
    step = _period_offset(period)
    count = len(pd.date_range(stamps[0], stamps[-1], freq=step))
    if count <= 12:  # few periods: one tick per period, not plotly's hours in between
        fig.update_xaxes(tick0=stamps[0], dtick=PERIOD_DTICKS.get(period, "M1"))
    if len(stamps) == 1:
        fig.update_xaxes(range=[stamps[0] - step, stamps[0] + step])


def _with_gaps_at_zero(
    periods: list[pd.Timestamp],
    counts: list[int],
    period: str,
    first: pd.Timestamp,
    last: pd.Timestamp,
) -> tuple[list[Any], list[int]]:
    """The counts with a zero in the period before and after each run of mentions (within
    [first, last]), so a line drops to zero across a gap instead of bridging it."""
    step = _period_offset(period)
    known = dict(zip(periods, counts, strict=True))
    wanted = set(known)
    for stamp in known:
        for near in (stamp - step, stamp + step):
            if first <= near <= last:
                wanted.add(near)
    xs = sorted(wanted)
    return xs, [known.get(x, 0) for x in xs]


def _wrap(text: Any, width: int = 80) -> str:
    """Plain text broken into lines for a hover box (plotly hover text is not HTML-escaped)."""
    words = _plain(text).split()
    lines: list[str] = []
    line = ""
    for word in words:
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    if line:
        lines.append(line)
    return "<br>".join(lines[:8]) + ("<br>…" if len(lines) > 8 else "")


def _plain(value: Any) -> str:
    """Text safe for plotly's hover and tick labels, which accept a few HTML-like tags."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def top_entities(frame: pd.DataFrame, *, title: str = "Most mentioned entities") -> go.Figure:
    """Horizontal bars of mentions per entity, coloured by type (columns: entity_id, name, type,
    n_mentions)."""
    fig = go.Figure()
    data = frame.iloc[::-1]
    ticks = [_plain(t) for t in tick_labels([str(n) for n in data["name"]])]
    label = dict(zip(data["entity_id"], ticks, strict=True))
    for entity_type in dict.fromkeys(frame["type"]):
        rows = data[data["type"] == entity_type]
        fig.add_bar(
            x=rows["n_mentions"],
            y=[label[i] for i in rows["entity_id"]],
            orientation="h",
            name=_plain(type_label(entity_type)),
            legendgroup=str(entity_type),
            marker_color=type_colour(entity_type),
            customdata=[
                [i, _plain(n)] for i, n in zip(rows["entity_id"], rows["name"], strict=True)
            ],
            hovertemplate="%{customdata[1]}<br>%{x:,} mentions<extra>"
            + _plain(type_label(entity_type))
            + "</extra>",
        )
    fig.update_yaxes(categoryorder="array", categoryarray=[label[i] for i in data["entity_id"]])
    _whole_numbers(fig, frame["n_mentions"])
    fig.update_layout(bargap=0.25)
    height = max(220, 28 * len(frame) + 150)
    fig = _layout(
        fig,
        title,
        height=height,
        labels=list(label.values()),
        xaxis_title="Mentions",
        yaxis_title=None,
        barmode="stack",
    )
    # The types in a row between the title and the bars, not in a column beside them: in a
    # narrow column a legend at the side left the bars a fraction of the width.
    fig.update_layout(
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom"},
        title={"y": 1.0, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
        margin={"t": 100},
    )
    return fig


MARKED_PERIODS = 60  # a line of more periods than this is drawn without its dots


def mentions_over_time(
    frame: pd.DataFrame, *, period: str = "month", title: str = "Mentions over time"
) -> go.Figure:
    """One line per entity, each its own colour, its type in the legend and hover (columns:
    period, entity_id, name, type, n); periods without mentions count as zero."""
    fig = go.Figure()
    data = frame.assign(period=pd.to_datetime(frame["period"]))
    first, last = data["period"].min(), data["period"].max()
    ids = [str(i) for i in dict.fromkeys(data["entity_id"])]
    colours = series_colours(ids)
    fmt = PERIOD_FORMATS.get(period, "%Y-%m-%d")
    for entity_id, rows in data.groupby("entity_id", sort=False):
        name = _plain(rows["name"].iloc[0])
        kind = _plain(type_label(rows["type"].iloc[0]))
        xs, ys = _with_gaps_at_zero(
            list(rows["period"]), [int(n) for n in rows["n"]], period, first, last
        )
        fig.add_scatter(
            x=xs,
            y=ys,
            # A dot per period while the periods are few; past that the line reads alone,
            # and the dots cost the browser most of the chart (a tenth of a second for 1,000).
            mode="lines+markers" if len(xs) <= MARKED_PERIODS else "lines",
            name=_plain(_short(str(rows["name"].iloc[0]), LEGEND_CHARS)),
            legendgroup=kind,
            legendgrouptitle={"text": kind},
            line={"color": colours[str(entity_id)], "width": 2},
            marker={"size": [8 if y else 0 for y in ys]},
            customdata=[[entity_id]] * len(xs),
            hovertemplate=f"{name}"
            + (f" · {kind}" if kind else "")
            + "<br>%{x|"
            + fmt
            + "}: %{y:,} mentions<extra></extra>",
        )
    _whole_numbers(fig, data["n"], axis="y")
    period_axis(fig, data["period"], period)
    fig = _layout(fig, title, height=420, xaxis_title="Publication date", yaxis_title="Mentions")
    fig.update_layout(legend={"tracegroupgap": 6, "groupclick": "toggleitem"})
    return fig


def among_leading(pairs: pd.DataFrame, n: int) -> pd.DataFrame:
    """The pairs between the `n` entities sharing the most units with the others (the sum of
    their pairs' `n`, then the name): a heatmap's worth of an already fetched network."""
    totals: dict[str, int] = {}
    names: dict[str, str] = {}
    for a, b, k, an, bn in zip(
        pairs["source"],
        pairs["target"],
        pairs["n"].tolist(),
        pairs["source_name"],
        pairs["target_name"],
        strict=True,
    ):
        totals[str(a)] = totals.get(str(a), 0) + int(k)
        totals[str(b)] = totals.get(str(b), 0) + int(k)
        names.setdefault(str(a), str(an))
        names.setdefault(str(b), str(bn))
    keep = set(sorted(totals, key=lambda i: (-totals[i], names[i], i))[:n])
    inside = pairs["source"].astype(str).isin(keep) & pairs["target"].astype(str).isin(keep)
    return pairs[inside]


def cooccurrence_matrix(
    pairs: pd.DataFrame, *, title: str = "Who appears with whom", unit: str = "sentences"
) -> go.Figure:
    """A symmetric heatmap of how many units two entities share (columns: source, target, n,
    source_name, target_name)."""
    names: dict[str, str] = {}
    for column in ("source", "target"):
        for entity_id, name in zip(pairs[column], pairs[f"{column}_name"], strict=True):
            names.setdefault(str(entity_id), str(name))
    links = [
        (str(a), str(b), int(n))
        for a, b, n in zip(pairs["source"], pairs["target"], pairs["n"].tolist(), strict=True)
    ]
    totals: dict[str, int] = dict.fromkeys(names, 0)
    for a, b, n in links:
        totals[a] += n
        totals[b] += n
    order = sorted(names, key=lambda i: (-totals[i], names[i]))
    index = {entity_id: i for i, entity_id in enumerate(order)}
    size = len(order)
    z: list[list[float | None]] = [[None] * size for _ in range(size)]
    for source, target, n in links:
        row, col = index[source], index[target]
        z[row][col] = z[col][row] = n
    labels = [_plain(t) for t in tick_labels([names[i] for i in order])]
    full = [_plain(names[i]) for i in order]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=labels,
            y=labels,
            customdata=[[f"{a} & {b}" for b in full] for a in full],
            colorscale=[[0, "#e8f0f8"], [1, "#1f5f8b"]],
            hovertemplate="%{customdata}: %{z} " + unit + "<extra></extra>",
            colorbar={"title": {"text": unit.capitalize()}},
            xgap=2,
            ygap=2,
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(tickangle=-40)
    longest = max((len(x) for x in labels), default=0)
    fig = _layout(fig, title, height=max(360, 26 * size + 160 + 5 * longest), labels=labels)
    fig.update_layout(margin={"b": min(220, 6 * longest + 30)})
    return fig


def quotes_per_speaker(frame: pd.DataFrame, *, title: str = "Quotes per speaker") -> go.Figure:
    """Horizontal bars of quotes per speaker, coloured by the speaker's entity type."""
    data = frame.iloc[::-1]
    labels = [_plain(s) for s in data["speaker"]]
    fig = go.Figure(
        go.Bar(
            x=data["n"],
            y=labels,
            orientation="h",
            marker_color=[type_colour(t) for t in data["type"]],
            customdata=data[["speaker_entity_id"]].fillna("").to_numpy(),
            text=[_plain(type_label(t)) for t in data["type"]],
            textposition="none",
            hovertemplate="%{y}: %{x:,} quotes<extra>%{text}</extra>",
        )
    )
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    _whole_numbers(fig, frame["n"])
    fig.update_layout(bargap=0.35 if len(frame) > 2 else 0.6)
    height = max(200, 28 * len(frame) + 110)
    return _layout(fig, title, height=height, labels=labels, xaxis_title="Quotes", yaxis_title=None)


def events_per_period(frame: pd.DataFrame, *, title: str = "Events by year") -> go.Figure:
    """Bars of how many dated events fall in each period (columns: period, n)."""
    fig = go.Figure(
        go.Bar(
            x=frame["period"],
            y=frame["n"],
            marker_color=KIND_COLOURS["event"],
            hovertemplate="%{x|%Y}: %{y:,} events<extra></extra>",
        )
    )
    period_axis(fig, frame["period"], "year")
    _whole_numbers(fig, frame["n"], axis="y")
    return _layout(fig, title, height=300, xaxis_title=None, yaxis_title="Events")


READABILITY_LABELS = {
    "flesch_kincaid_grade": "Flesch–Kincaid grade",
    "gunning_fog": "Gunning fog",
    "smog_index": "SMOG",
    "coleman_liau_index": "Coleman–Liau",
    "automated_readability_index": "ARI",
    "dale_chall_readability_score": "Dale–Chall",
}


def readability_grades(
    summary: Mapping[str, float], *, title: str = "Reading grade (higher is harder)"
) -> go.Figure:
    """Bars of the grade-level measures (a median when several articles are filtered)."""
    keys = [k for k in READABILITY_LABELS if k in summary]
    fig = go.Figure(
        go.Bar(
            x=[summary[k] for k in keys],
            y=[READABILITY_LABELS[k] for k in keys],
            orientation="h",
            marker_color="#1f5f8b",
            text=[f"{summary[k]:.1f}" for k in keys],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed")
    return _layout(
        fig,
        title,
        height=300,
        labels=[READABILITY_LABELS[k] for k in keys],
        xaxis_title="School grade / index",
        yaxis_title=None,
    )


def _date(value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "unknown date"
    try:
        stamp = pd.Timestamp(value)
    except (TypeError, ValueError):
        return _plain(value)
    return "unknown date" if pd.isna(stamp) else stamp.strftime("%Y-%m-%d")


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


# Axis labels longer than this are shortened with "…" (the hover keeps the whole name): a
# label plotly cannot fit in its margin is cut at the edge ("n Aeronautic Defense & ...").
TICK_CHARS = 34
# Legend entries longer than this are shortened the same way: a legend beside the chart takes
# its width from the plot (the hover keeps the whole name).
LEGEND_CHARS = 30


def _middle(text: str, limit: int) -> str:
    """`text` shortened in the middle: its start and its end, which tell long names apart
    ("Ministry of…of Lithuania")."""
    if len(text) <= limit:
        return text
    head = (limit - 1) // 2
    start = text[:head].rstrip()
    end = text[len(text) - (limit - 1 - head) :].lstrip()
    # At word boundaries where there are any: "Ministry of…of Lithuania", not "…blic of".
    if start.rfind(" ") > 0:
        start = start[: start.rfind(" ")].rstrip()
    if 0 <= end.find(" ") < len(end) - 1:
        end = end[end.find(" ") + 1 :].lstrip()
    return start + "…" + end


def tick_labels(names: Sequence[str], limit: int = TICK_CHARS) -> list[str]:
    """`names` as axis labels: long ones shortened at the end, or in the middle where two
    would then read the same, and whole only where both would."""

    def unique(labels: list[str]) -> set[str]:
        return {label for label, n in Counter(labels).items() if n == 1}

    ends = [_short(n, limit) for n in names]
    middles = [_middle(n, limit) for n in names]
    single_end, single_middle = unique(ends), unique(middles)
    return [
        e if e in single_end else m if m in single_middle else n
        for e, m, n in zip(ends, middles, names, strict=True)
    ]
