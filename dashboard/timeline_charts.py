"""Figure builders for the timeline: one dot per happening, in lanes by story or entity."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import (
    _date,
    _layout,
    _plain,
    _short,
    _wrap,
    series_colours,
)

# Lanes the timeline draws at most; the rest share one "other" lane, so the chart stays readable
# however many articles, stories or entities the events come from.
MAX_LANES = 12
OTHER_LANE = "(other)"


def event_groups(
    events: pd.DataFrame, *, lane_by: str = "story", lane_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per event group (the same happening in several articles): its first and last
    day, how many articles report it, a description, its events' ids, and its lane.

    `lane_by` is "story" (the articles' story, named by `lane_names`) or "entity" (the entity
    its events name most). Columns: group_id, date, end_date, n_articles, description, text,
    event_ids, lane. Grouped column-wise (no Python loop per group): thousands of events take
    milliseconds.
    """
    names = lane_names or {}
    gid = events["event_id"]
    if "group_id" in events.columns:
        gid = events["group_id"].fillna(events["event_id"])
    data = events.assign(group_id=gid)
    grouped = data.groupby("group_id", sort=False)
    out = pd.DataFrame(
        {
            "date": grouped["date"].min(),
            "end_date": grouped["end_date"].max(),
            "n_articles": grouped["doc_id"].nunique(),
        }
    )
    # The group's earliest event (by date, then id) gives its words.
    first = data.sort_values(["date", "event_id"]).drop_duplicates("group_id").set_index("group_id")
    out["description"] = first["description"].reindex(out.index)
    out["text"] = first["text"].reindex(out.index)
    out["event_ids"] = grouped["event_id"].agg(list)
    out["lane"] = _lanes(data, lane_by, names).reindex(out.index)
    out["lane"] = out["lane"].fillna("(no entity)" if lane_by == "entity" else "(no story)")
    out = out.rename_axis("group_id").reset_index()
    ranked = out["lane"].value_counts()
    keep = [lane for lane in ranked.index if lane != OTHER_LANE][:MAX_LANES]
    out["lane"] = [lane if lane in keep else OTHER_LANE for lane in out["lane"]]
    return out[GROUP_COLUMNS]


GROUP_COLUMNS = [
    "group_id",
    "date",
    "end_date",
    "n_articles",
    "description",
    "text",
    "event_ids",
    "lane",
]


def _lanes(data: pd.DataFrame, lane_by: str, names: Mapping[str, str]) -> pd.Series:
    """Each group's lane (by group id): the entity its events name most (the greater name on a
    tie), or its articles' most common story (the lesser id on a tie), by name."""
    if lane_by == "entity":
        pairs = data[["group_id", "entities"]].explode("entities").dropna()
        pairs = pairs.assign(key=pairs["entities"].astype(str))
        ascending = [True, False, False]
    else:
        if "story_id" not in data.columns:
            return pd.Series(dtype=object)
        pairs = data[["group_id", "story_id"]].dropna()
        pairs = pairs.assign(key=pairs["story_id"].astype(str))
        ascending = [True, False, True]
    counts = pairs.groupby(["group_id", "key"]).size().rename("n").reset_index()
    best = counts.sort_values(["group_id", "n", "key"], ascending=ascending).drop_duplicates(
        "group_id"
    )
    lanes = best.set_index("group_id")["key"]
    return lanes if lane_by == "entity" else lanes.map(lambda s: names.get(s, s))


def timeline(groups: pd.DataFrame, *, title: str = "Timeline of events") -> go.Figure:
    """Event groups (`event_groups`) on a date axis, a lane per story or entity: a dot at the
    first day sized by how many articles report the happening, a bar to the last day for months
    and years. The point's id (customdata) is the group id."""
    order = [lane for lane in groups["lane"].value_counts().index if lane != OTHER_LANE]
    lanes = order + ([OTHER_LANE] if (groups["lane"] == OTHER_LANE).any() else [])
    colours = series_colours(lanes)
    labels = {lane: _short(_plain(lane), 40) for lane in lanes}
    fig = go.Figure()
    for lane in lanes:
        rows = groups[groups["lane"] == lane]
        xs: list[Any] = []
        ys: list[Any] = []
        for r in rows.itertuples(index=False):
            if pd.notna(r.end_date) and r.end_date != r.date:
                xs += [r.date, r.end_date, None]
                ys += [labels[lane], labels[lane], None]
        if xs:
            fig.add_scatter(
                x=xs,
                y=ys,
                mode="lines",
                line={"color": colours[lane], "width": 8},
                opacity=0.35,
                hoverinfo="skip",
                showlegend=False,
            )
        hover = [
            f"<b>{_plain(r.text)}</b> → {_date(r.date)}"
            + (f" to {_date(r.end_date)}" if pd.notna(r.end_date) and r.end_date != r.date else "")
            + (f"<br>{_wrap(r.description)}" if r.description else "")
            + f"<br><i>reported by {r.n_articles} article{'s' if r.n_articles != 1 else ''}</i>"
            for r in rows.itertuples(index=False)
        ]
        fig.add_scatter(
            x=rows["date"],
            y=[labels[lane]] * len(rows),
            mode="markers+text",
            name=labels[lane],
            text=[str(n) if n > 1 else "" for n in rows["n_articles"]],
            textposition="top center",
            marker={
                "size": [min(30, 9 + 5 * (n - 1)) for n in rows["n_articles"]],
                "color": colours[lane],
                "line": {"width": 1, "color": "#fff"},
            },
            customdata=rows[["group_id"]].to_numpy(),
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    fig.update_xaxes(type="date")
    fig.update_layout(showlegend=False)  # the lanes are labelled on the axis
    height = max(260, 46 * len(lanes) + 140)
    return _layout(
        fig,
        title,
        height=height,
        labels=list(labels.values()),
        xaxis_title="Date of the event",
        yaxis_title=None,
    )
