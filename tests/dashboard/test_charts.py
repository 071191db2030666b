"""Figure builders: titles, axis labels, one colour per entity type, ids in customdata."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import pytest
from hypothesis import given
from hypothesis import strategies as st

from analysis.query import Filter as FilterState
from analysis.query import StoreView
from dashboard import charts, figure_charts, timeline_charts
from dashboard.labels import type_label

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
    for trace in fig.data:  # one trace per type, in that type's colour, named in words
        assert trace.marker.color == charts.type_colour(trace.legendgroup)
        assert trace.name == type_label(trace.legendgroup)
        assert trace.name in {"Person", "Organisation", "Place", "Nationality or group"}
    # The types in a row above the bars: a legend at the side took the bars' width in the
    # Overview's column (seen in the browser on the Wikinews articles).
    assert fig.layout.legend.orientation == "h" and fig.layout.legend.yanchor == "bottom"


def test_long_names_are_shortened_on_the_axis_and_whole_in_the_hover() -> None:
    long = "European Aeronautic Defense & Space Company"
    top = pd.DataFrame(
        {
            "entity_id": ["org:eads", "org:boeing"],
            "name": [long, "Boeing"],
            "type": ["ORG", "ORG"],
            "n_mentions": [9, 5],
        }
    )
    (trace,) = charts.top_entities(top).data
    shown = "European Aeronautic Defense &amp; Spa…"  # shortened, then made inert for plotly
    assert list(trace.y) == ["Boeing", shown]
    assert [row[1] for row in trace.customdata] == ["Boeing", long.replace("&", "&amp;")]
    assert [row[0] for row in trace.customdata] == ["org:boeing", "org:eads"]
    pairs = pd.DataFrame(
        {
            "source": ["org:eads"],
            "target": ["org:boeing"],
            "source_name": [long],
            "target_name": ["Boeing"],
            "n": [3],
        }
    )
    (heat,) = charts.cooccurrence_matrix(pairs).data
    assert shown in heat.x
    assert f"{long.replace('&', '&amp;')} & Boeing" in {c for row in heat.customdata for c in row}


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["Short", "Also short"], ["Short", "Also short"]),
        (["A" * 40], ["A" * 33 + "…"]),
        (  # two that would read the same are shortened in the middle
            [
                "Committee for the Protection of Journalists A",
                "Committee for the Protection of Journalists B",
            ],
            ["Committee for…Journalists A", "Committee for…Journalists B"],
        ),
        (  # and stay whole when that reads the same too
            ["A" * 35 + "x" + "A" * 20, "A" * 35 + "y" + "A" * 20],
            ["A" * 35 + "x" + "A" * 20, "A" * 35 + "y" + "A" * 20],
        ),
    ],
)
def test_tick_labels(names: list[str], expected: list[str]) -> None:
    assert charts.tick_labels(names) == expected


def _over_time(rows: list[tuple[str, str, str, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"period": pd.Timestamp(p), "entity_id": i, "name": n, "type": t, "n": c}
            for p, i, n, t, c in rows
        ]
    )


def test_mentions_over_time_colours_each_entity_and_keeps_its_type() -> None:
    frame = _over_time(
        [
            ("2024-01-01", "org:boeing", "Boeing", "ORG", 3),
            ("2024-01-01", "org:airbus", "Airbus", "ORG", 2),
            ("2024-01-01", "org:apple", "Apple", "ORG", 1),
            ("2024-02-01", "person:x", "X", "PERSON", 4),
        ]
    )
    fig = charts.mentions_over_time(frame, period="month")
    assert fig.layout.yaxis.title.text == "Mentions"
    colours = [t.line.color for t in fig.data]
    assert len(set(colours)) == len(colours) == 4  # three organisations, three colours
    assert [t.legendgroup for t in fig.data] == ["Organisation"] * 3 + ["Person"]
    assert "Organisation" in fig.data[0].hovertemplate


def test_mentions_over_time_drops_to_zero_across_a_gap() -> None:
    frame = _over_time(
        [
            ("2024-01-01", "org:boeing", "Boeing", "ORG", 5),
            ("2024-06-01", "org:boeing", "Boeing", "ORG", 7),
            ("2024-03-01", "org:airbus", "Airbus", "ORG", 1),
        ]
    )
    fig = charts.mentions_over_time(frame, period="month")
    boeing = next(t for t in fig.data if t.name == "Boeing")
    points = dict(zip((pd.Timestamp(x) for x in boeing.x), boeing.y, strict=True))
    assert points[pd.Timestamp("2024-01-01")] == 5 and points[pd.Timestamp("2024-06-01")] == 7
    assert points[pd.Timestamp("2024-02-01")] == 0 and points[pd.Timestamp("2024-05-01")] == 0
    assert min(points) == pd.Timestamp("2024-01-01")  # never padded outside the data
    assert max(points) == pd.Timestamp("2024-06-01")
    assert list(boeing.marker.size) == [8 if y else 0 for y in boeing.y]  # no dots on zeros


def test_a_line_of_many_periods_is_drawn_without_its_dots() -> None:
    days = pd.date_range("2024-01-01", periods=charts.MARKED_PERIODS + 1, freq="D")
    frame = _over_time([(str(d.date()), "org:boeing", "Boeing", "ORG", 2) for d in days])
    assert charts.mentions_over_time(frame, period="day").data[0].mode == "lines"
    few = _over_time([(str(d.date()), "org:boeing", "Boeing", "ORG", 2) for d in days[:-1]])
    assert charts.mentions_over_time(few, period="day").data[0].mode == "lines+markers"


@pytest.mark.parametrize(
    ("period", "fmt"), [("day", "%d %b %Y"), ("month", "%b %Y"), ("year", "%Y")]
)
def test_one_date_reads_as_a_day_not_milliseconds(period: str, fmt: str) -> None:
    frame = _over_time([("2025-12-01", "org:boeing", "Boeing", "ORG", 1226)])
    fig = charts.mentions_over_time(frame, period=period)
    axis = fig.layout.xaxis
    assert axis.type == "date" and axis.tickformat == fmt
    low, high = (pd.Timestamp(v) for v in axis.range)
    assert high - low >= pd.Timedelta(days=2)  # a period either side, not a 1 ms span


@pytest.mark.parametrize(
    ("most", "step"),
    [(0, 1), (3, 1), (5, 1), (8, 2), (12, 5), (40, 10), (1227, 500), (99_000, 20_000)],
)
def test_count_axes_tick_in_whole_numbers(most: int, step: int) -> None:
    assert charts.count_step(most) == step
    frame = _over_time([("2025-12-01", "org:boeing", "Boeing", "ORG", most)])
    axis = charts.mentions_over_time(frame).layout.yaxis
    assert axis.tickmode == "linear" and axis.tick0 == 0 and axis.dtick == step
    assert isinstance(axis.dtick, int) and axis.tickformat == ",d"


def test_figures_over_time_has_a_panel_per_counted_thing_with_log_where_needed() -> None:
    rows = []
    for counted, unit, values in (
        ("jobs", None, [400, 10_000]),
        ("GB", "gigabyte", [2, 4, 16]),
        ("passengers", None, [150, 80_000_000]),
    ):
        for i, value in enumerate(values):
            rows.append(
                {
                    "figure_id": f"{counted}-{i}",
                    "counted_key": counted,
                    "counted": counted,
                    "value": float(value),
                    "unit": unit,
                    "kind": "count",
                    "text": str(value),
                    "source": "(no source)",
                    "published": pd.Timestamp(f"201{i}-01-01"),
                }
            )
    fig = figure_charts.figure_trend(pd.DataFrame(rows))
    titles = [a.text for a in fig.layout.annotations]
    assert titles == ["GB (gigabyte)", "jobs", "passengers"]  # most reported first
    assert len(fig.data) == 3 and len({t.yaxis for t in fig.data}) == 3  # an axis each
    axes = {t.name: fig.layout[t.yaxis.replace("y", "yaxis")] for t in fig.data}
    assert axes["passengers"].type == "log"  # 150 to 80 million
    assert axes["jobs"].type != "log"  # 400 to 10,000: one axis reads well
    assert axes["GB (gigabyte)"].type != "log"
    assert axes["GB (gigabyte)"].tickformat == ",d"  # whole gigabytes: no 2.5 ticks
    hover = " ".join(fig.data[2].hovertext)
    assert "80 million" in hover


def test_the_heatmap_takes_the_leading_entities_of_the_network(db: StoreView) -> None:
    pairs = db.aggregate("cooccurrence", ALL, top=30, level="document")
    grid = charts.among_leading(pairs, 6)
    ends = {*grid["source"], *grid["target"]}
    assert 0 < len(ends) <= 6 and set(grid.index) <= set(pairs.index)
    weight = {
        e: pairs.loc[(pairs["source"] == e) | (pairs["target"] == e), "n"].sum() for e in ends
    }
    left_out = {*pairs["source"], *pairs["target"]} - ends
    heaviest_left = max(
        pairs.loc[(pairs["source"] == e) | (pairs["target"] == e), "n"].sum() for e in left_out
    )
    assert min(weight.values()) >= heaviest_left
    assert len(charts.among_leading(pairs, 1000)) == len(pairs)


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
    ledger = figure_charts.figure_ledger(points)
    # One dot per distinct report (claim, value, source), its id one of those figures'.
    distinct = points.assign(claim=points["claim"].fillna(points["counted"]))
    distinct = distinct.drop_duplicates(["claim", "value", "source"])
    assert ids_of(ledger) <= set(points["figure_id"])
    assert sum(len(t.x) for t in ledger.data) == len(ids_of(ledger)) == len(distinct)
    assert {t.name for t in ledger.data} == set(points["source"])
    trend = figure_charts.figure_trend(points)
    assert ids_of(trend) <= set(points["figure_id"])
    assert len(ids_of(trend)) == len(
        points.drop_duplicates(["claim_key", "unit", "published", "value"])
    )


def test_repeated_reports_are_one_dot_sized_by_their_number() -> None:
    """A thousand copies of one report send one point per chart, bigger, saying how many."""
    rows = [
        {
            "figure_id": f"f{i:04d}",
            "claim_key": "jobs",
            "claim": "jobs",
            "counted": "jobs",
            "value": 400.0 if i < 1000 else 500.0,
            "unit": "",
            "kind": "count",
            "text": "400",
            "source": "Reuters",
            "published": pd.Timestamp("2024-01-01") + pd.Timedelta(days=i // 1000),
            "sentence": "400 jobs went.",
        }
        for i in range(1001)
    ]
    points = pd.DataFrame(rows)
    ledger = figure_charts.figure_ledger(points)
    assert sum(len(t.x) for t in ledger.data) == 2
    assert ids_of(ledger) == {"f0999", "f1000"}  # the latest of each
    sizes = list(ledger.data[0].marker.size)
    assert sizes[0] > sizes[1]
    assert "1,000 reports" in ledger.data[0].hovertext[0]
    trend = figure_charts.figure_trend(points)
    assert sum(len(t.x) for t in trend.data) == 2


@pytest.mark.parametrize("lane_by", ["story", "entity"])
def test_timeline(db: StoreView, lane_by: str) -> None:
    events = db.event_points(ALL)
    groups = timeline_charts.event_groups(events, lane_by=lane_by)
    fig = timeline_charts.timeline(groups)
    assert ids_of(fig) == set(groups["group_id"])
    assert sorted(e for ids in groups["event_ids"] for e in ids) == sorted(events["event_id"])
    assert fig.layout.xaxis.type == "date"
    hover = " ".join(str(h) for t in fig.data if t.hovertext is not None for h in t.hovertext)
    assert "Bialiatski imprisoned" in hover


def test_hostile_names_are_escaped_in_labels_and_hover(db: StoreView) -> None:
    events = db.event_points(ALL).assign(story_id="s-1")
    fig = timeline_charts.timeline(
        timeline_charts.event_groups(events, lane_by="story", lane_names={"s-1": "<b>markup</b>"})
    )
    labels = " ".join(str(y) for t in fig.data for y in (t.y or []) if y)
    assert "<b>markup</b>" not in labels and "&lt;b&gt;markup&lt;/b&gt;" in labels


def test_small_charts(db: StoreView) -> None:
    per_year = charts.events_per_period(db.aggregate("events_by_period", ALL, period="year"))
    assert per_year.layout.yaxis.title.text == "Events"
    grades = charts.readability_grades(db.readability_summary(ALL))
    assert "higher is harder" in grades.layout.title.text
    assert len(grades.data[0].x) == len(charts.READABILITY_LABELS)


def test_timeline_one_item_per_group_and_capped_lanes() -> None:
    """A thousand articles: a dot per happening, sized by its reports, 12 lanes and "other"."""
    day = pd.Timestamp("2025-03-11")
    rows = [
        {
            "event_id": f"e{i}",
            "doc_id": f"d{i}",
            "group_id": "g-vote" if i < 3 else f"g{i}",
            "date": day + pd.Timedelta(days=i % 300),
            "end_date": day + pd.Timedelta(days=i % 300),
            "text": "11 March",
            "description": "the vote",
            "entities": [f"Person {i % 40}"],
            "story_id": f"s{i % 30}",
        }
        for i in range(1000)
    ]
    events = pd.DataFrame(rows)
    for lane_by in ("story", "entity"):
        groups = timeline_charts.event_groups(events, lane_by=lane_by)
        assert len(groups) == 998
        vote = groups.set_index("group_id").loc["g-vote"]
        assert vote["n_articles"] == 3 and vote["event_ids"] == ["e0", "e1", "e2"]
        assert groups["lane"].nunique() == timeline_charts.MAX_LANES + 1
        fig = timeline_charts.timeline(groups)
        assert fig.layout.height <= 46 * (timeline_charts.MAX_LANES + 1) + 140


def test_a_trend_panel_draws_its_latest_dots_and_says_how_many_there_are() -> None:
    rows = [
        {
            "figure_id": f"f{i:03d}",
            "claim_key": "jobs",
            "claim": "jobs",
            "counted": "jobs",
            "value": float(100 + i),
            "unit": "",
            "kind": "count",
            "text": str(100 + i),
            "source": "Reuters",
            "published": pd.Timestamp("2024-01-01") + pd.Timedelta(days=i),
        }
        for i in range(200)
    ]
    fig = figure_charts.figure_trend(pd.DataFrame(rows))
    assert len(fig.data[0].x) == figure_charts.TREND_DOTS
    assert ids_of(fig) == {f"f{i:03d}" for i in range(200 - figure_charts.TREND_DOTS, 200)}
    assert f"latest {figure_charts.TREND_DOTS} of 200" in fig.layout.annotations[0].text


def test_built_figures_are_kept_by_the_value_of_what_they_draw() -> None:
    """`memo` builds once per distinct input, lists in cells included, and again when any
    cell changes; a frame the cache hands out again (unpickled) is the same input."""
    import pickle

    from dashboard.memo import memo

    built: list[int] = []

    def build(frame: pd.DataFrame, *, period: str) -> int:
        built.append(1)
        return len(built)

    a = pd.DataFrame({"id": ["e1", "e2"], "ids": [["x"], ["y", "z"]]})
    first = memo(build, a, period="month")
    assert memo(build, a.copy(), period="month") == first  # equal contents: kept
    assert memo(build, pickle.loads(pickle.dumps(a)), period="month") == first
    changed = a.copy()
    changed.at[1, "ids"] = ["y"]
    assert memo(build, changed, period="month") != first
    assert memo(build, a, period="year") != first
    assert len(built) == 3


def test_inputs_that_do_not_pickle_are_built_each_time() -> None:
    from dashboard.memo import fingerprint, memo

    built: list[int] = []

    def build(key: object) -> int:
        built.append(1)
        return len(built)

    unpicklable = lambda: None  # noqa: E731 - a local lambda is what pickle refuses
    assert fingerprint(unpicklable) is None
    assert memo(build, unpicklable) != memo(build, unpicklable)
    assert memo(build, "a") == memo(build, "a")
    assert fingerprint("a", 1) != fingerprint("a", 2)


@pytest.mark.parametrize(("hits", "step"), [([0, 2, 0], 1), ([0, 3, 1], 1), ([40, 12], 10)])
def test_hits_over_time_ticks_whole_hits(hits: list[int], step: int) -> None:
    from dashboard.search_charts import search_trend

    frame = pd.DataFrame(
        {
            "period": pd.date_range("2024-01-01", periods=len(hits), freq="MS"),
            "n_hits": hits,
            "n_documents": [min(h, 1) for h in hits],
            "n_articles": [3] * len(hits),
            "share": [min(h, 1) / 3 for h in hits],
        }
    )
    counts = search_trend({"potash": frame}, share=False).layout.yaxis
    assert (counts.dtick, counts.tick0, counts.tickformat) == (step, 0, ",d")
    assert search_trend({"potash": frame}, share=True).layout.yaxis.dtick is None


def test_hits_over_time_of_one_month_reads_as_that_month() -> None:
    from dashboard.search_charts import search_trend

    frame = pd.DataFrame(
        {
            "period": [pd.Timestamp("2025-12-01")],
            "n_hits": [2],
            "n_documents": [1],
            "n_articles": [1],
            "share": [1.0],
        }
    )
    axis = search_trend({"potash": frame}, share=False, period="month").layout.xaxis
    assert axis.type == "date" and axis.tickformat == charts.PERIOD_FORMATS["month"]
    low, high = (pd.Timestamp(v) for v in axis.range)  # a month either side, not milliseconds
    assert low < pd.Timestamp("2025-11-15") and high > pd.Timestamp("2025-12-15")


@given(
    st.text(st.characters(blacklist_characters="…"), max_size=120),
    st.integers(min_value=8, max_value=60),
)
def test_a_label_shortened_in_the_middle_fits_and_keeps_both_ends(text: str, limit: int) -> None:
    short = charts._middle(text, limit)
    assert len(short) <= limit
    if len(text) > limit:
        start, _, end = short.partition("…")
        assert text.startswith(start) and text.endswith(end)
    else:
        assert short == text
