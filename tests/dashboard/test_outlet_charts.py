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
