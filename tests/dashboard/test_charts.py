"""Figure builders: titles, axis labels, one colour per entity type, ids in customdata."""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from analysis.query import Filter as FilterState
from analysis.query import StoreView
from dashboard import charts

ALL = FilterState()


def ids_of(fig: go.Figure) -> set[str]:
    found: set[str] = set()
    for trace in fig.data:
        if trace.customdata is not None:
            found.update(str(row[0]) for row in trace.customdata)
    return found


def test_type_colours_are_fixed_and_distinct() -> None:
    assert charts.type_colour("PERSON") == charts.type_colour("person") == "#1f77b4"
    assert charts.type_colour("ORG") != charts.type_colour("GPE")
    assert charts.type_colour("SOMETHING_NEW") == charts.OTHER_COLOUR
    assert charts.type_colour(None) == charts.OTHER_COLOUR
    assert len(set(charts.TYPE_COLOURS.values())) == len(charts.TYPE_COLOURS)


def test_top_entities(db: StoreView) -> None:
    top = db.top_entities(ALL, 10)
    fig = charts.top_entities(top)
    assert fig.layout.title.text == "Most mentioned entities"
    assert fig.layout.xaxis.title.text == "Mentions"
    assert ids_of(fig) == set(top["entity_id"])
    for trace in fig.data:  # one trace per type, in that type's colour
        assert trace.marker.color == charts.type_colour(trace.name)


def test_mentions_over_time_uses_type_colours(db: StoreView) -> None:
    frame = db.aggregate("mentions_over_time", ALL, top=3, period="month")
    fig = charts.mentions_over_time(frame)
    assert fig.layout.yaxis.title.text == "Mentions"
    types = dict(zip(frame["name"], frame["type"], strict=False))
    for trace in fig.data:
        assert trace.line.color == charts.type_colour(types[trace.name])


def test_cooccurrence_matrix_is_symmetric(db: StoreView) -> None:
    fig = charts.cooccurrence_matrix(db.aggregate("cooccurrence", ALL, top=6))
    z = fig.data[0].z
    size = len(z)
    assert size >= 2
    for a in range(size):
        for b in range(size):
            assert z[a][b] == z[b][a]
    assert list(fig.data[0].x) == list(fig.data[0].y)


def test_quotes_and_figures(db: StoreView) -> None:
    speakers = db.aggregate("speakers", ALL, top=15)
    fig = charts.quotes_per_speaker(speakers)
    assert fig.layout.title.text == "Quotes per speaker"
    assert "person:donald-trump" in ids_of(fig)
    points = db.figure_points(ALL)
    ledger = charts.figure_ledger(points)
    assert ids_of(ledger) == set(points["figure_id"])
    assert {t.name for t in ledger.data} == set(points["source"])
    trend = charts.figure_trend(points)
    assert trend.layout.xaxis.title.text == "Publication date"


@pytest.mark.parametrize("color_by", ["article", "entity"])
def test_timeline(db: StoreView, color_by: str) -> None:
    events = db.event_points(ALL)
    fig = charts.timeline(events, color_by=color_by)
    assert ids_of(fig) == set(events["event_id"])
    assert fig.layout.xaxis.type == "date"
    hover = " ".join(str(h) for t in fig.data if t.hovertext is not None for h in t.hovertext)
    assert "Bialiatski imprisoned" in hover


def test_hostile_names_are_escaped_in_labels_and_hover(db: StoreView) -> None:
    events = db.event_points(ALL)
    fig = charts.timeline(events, color_by="article")
    labels = " ".join(str(y) for t in fig.data for y in (t.y or []) if y)
    assert "<b>markup</b>" not in labels and "&lt;b&gt;markup&lt;/b&gt;" in labels


def test_small_charts(db: StoreView) -> None:
    per_year = charts.events_per_period(db.aggregate("events_by_period", ALL, period="year"))
    assert per_year.layout.yaxis.title.text == "Events"
    grades = charts.readability_grades(db.readability_summary(ALL))
    assert "higher is harder" in grades.layout.title.text
    assert len(grades.data[0].x) == len(charts.READABILITY_LABELS)
