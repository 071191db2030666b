"""Outlet charts: one colour per outlet whatever the filters, speakers' ids to click on."""

from __future__ import annotations

import pandas as pd

from dashboard import outlet_charts

OVER_TIME = pd.DataFrame(
    {
        "source": ["BBC", "Reuters", "BBC"],
        "period": pd.to_datetime(["2025-11-01", "2025-11-01", "2025-12-01"]),
        "n_articles": [2, 1, 1],
    }
)
SPEAKERS = pd.DataFrame(
    {
        "source": ["BBC", "Reuters", "Reuters"],
        "speaker": ["Viasna", "Viasna", "<b>Mallory</b>"],
        "speaker_entity_id": ["org:viasna", "org:viasna", None],
        "n": [2, 1, 1],
    }
)


def test_an_outlet_keeps_its_colour_when_others_are_filtered_out() -> None:
    colours = outlet_charts.outlet_colours(["Reuters", "BBC", "AP"])
    fig = outlet_charts.articles_per_source(OVER_TIME, ["BBC", "Reuters"], colours)
    alone = outlet_charts.articles_per_source(
        OVER_TIME[OVER_TIME["source"] == "BBC"], ["BBC"], colours
    )
    assert fig.data[0].marker.color == alone.data[0].marker.color == colours["BBC"]
    assert [t.name for t in fig.data] == ["BBC", "Reuters"]
    assert fig.layout.barmode == "stack"


def test_speakers_carry_their_entity_ids_and_names_are_inert() -> None:
    colours = outlet_charts.outlet_colours(["BBC", "Reuters"])
    fig = outlet_charts.speakers_per_source(SPEAKERS, ["BBC", "Reuters"], colours)
    ids = {str(row[0]) for t in fig.data for row in t.customdata}
    assert ids == {"org:viasna", ""}
    labels = [y for t in fig.data for y in t.y]
    assert "&lt;b&gt;Mallory&lt;/b&gt;" in labels and not any("<" in y for y in labels)
    assert tuple(fig.layout.yaxis.categoryarray) == ("Viasna", "&lt;b&gt;Mallory&lt;/b&gt;")


def test_one_month_of_one_outlet_reads_as_that_month_in_whole_articles() -> None:
    """Seen on the Outlets page: one bar filled the chart, ticked "Apr 2024, Apr 2024, May
    2024, May 2024", and the quotes axis ticked 0.5."""
    colours = {"BBC": "#000", "Reuters": "#111"}
    fig = outlet_charts.articles_per_source(OVER_TIME.iloc[[2]], ["BBC"], colours)
    axis = fig.layout.xaxis
    assert axis.dtick == "M1" and pd.Timestamp(axis.tick0) == pd.Timestamp("2025-12-01")
    low, high = (pd.Timestamp(v) for v in axis.range)
    assert low < pd.Timestamp("2025-12-01") < high  # a month either side: a bar, not a wall
    assert (fig.layout.yaxis.dtick, fig.layout.yaxis.tickformat) == (1, ",d")
    quotes = outlet_charts.speakers_per_source(SPEAKERS, ["BBC", "Reuters"], colours)
    assert (quotes.layout.xaxis.dtick, quotes.layout.xaxis.tickformat) == (1, ",d")


def test_long_speaker_names_are_shortened_on_the_axis_and_whole_in_the_hover() -> None:
    long = "Ministry of Foreign Affairs of the Republic of Belarus"
    speakers = SPEAKERS.assign(speaker=[long, long, "Viasna"])
    fig = outlet_charts.speakers_per_source(speakers, ["BBC", "Reuters"], {})
    shown = {y for t in fig.data for y in t.y}
    assert "Viasna" in shown and long not in shown and all(len(y) <= 34 for y in shown)
    assert {row[1] for t in fig.data for row in t.customdata} == {long, "Viasna"}
