"""The filter state, its URL form and the names derived from it."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dashboard.filters import (
    OPEN,
    FilterState,
    csv_filename,
    describe,
    format_range,
    parse_range,
    range_from_widget,
    slug,
    widget_range,
)

D = date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-01-01..2021-12-31", (D(2021, 1, 1), D(2021, 12, 31))),
        ("2021-01-01..", (D(2021, 1, 1), None)),
        ("..2021-12-31", (None, D(2021, 12, 31))),
        ("2021-12-31..2021-01-01", (D(2021, 1, 1), D(2021, 12, 31))),  # swapped ends
        ("2021-05-04", (D(2021, 5, 4), D(2021, 5, 4))),
        ("..", OPEN),
        ("last tuesday", OPEN),
        ("2021-13-01..2021-14-01", OPEN),
        ("", OPEN),
    ],
)
def test_parse_range(text: str, expected: tuple[date | None, date | None]) -> None:
    assert parse_range(text) == expected


def test_query_round_trip_and_only_set_filters_in_url() -> None:
    state = FilterState(
        entities=("person:donald-trump", "org:viasna"),
        types=("PERSON",),
        docs=("abc",),
        sources=("Evil Times",),
        published=(D(2025, 1, 1), D(2025, 12, 31)),
        event_dates=(D(2021, 1, 1), None),
    )
    query = state.to_params()
    assert query["entity"] == ["person:donald-trump", "org:viasna"]
    assert query["published"] == ["2025-01-01..2025-12-31"]
    assert query["events"] == ["2021-01-01.."]
    assert FilterState.from_params(query) == state
    assert FilterState().to_params() == {}


def test_from_params_ignores_junk() -> None:
    state = FilterState.from_params(
        {"entity": ["", " person:x ", "person:x"], "type": "org", "published": "soon", "zz": "1"}
    )
    assert state == FilterState(entities=("person:x",), types=("ORG",))


dates = st.one_of(st.none(), st.dates(min_value=D(1900, 1, 1), max_value=D(2100, 1, 1)))
names = st.lists(
    st.text(min_size=1, max_size=12).filter(lambda s: s.strip() == s and s), max_size=3
)


@given(
    entities=names,
    types=st.lists(st.sampled_from(["PERSON", "ORG", "GPE"]), max_size=2, unique=True),
    lo=dates,
    hi=dates,
)
def test_query_round_trip_property(
    entities: list[str], types: list[str], lo: date | None, hi: date | None
) -> None:
    if lo and hi and lo > hi:
        lo, hi = hi, lo
    state = FilterState(
        entities=tuple(dict.fromkeys(entities)), types=tuple(types), published=(lo, hi)
    )
    assert FilterState.from_params(state.to_params()) == state


def test_format_range_round_trip() -> None:
    span = (D(2020, 2, 29), None)
    assert parse_range(format_range(span)) == span


def test_widget_range_and_back() -> None:
    bounds = (D(2024, 5, 1), D(2025, 12, 13))
    assert widget_range(OPEN, bounds) == bounds
    assert widget_range((D(2025, 1, 1), None), bounds) == (D(2025, 1, 1), D(2025, 12, 13))
    assert widget_range(OPEN, OPEN) == ()
    assert range_from_widget(bounds, bounds) == OPEN  # the full range is no filter
    assert range_from_widget((D(2025, 1, 1), D(2025, 2, 1)), bounds) == (
        D(2025, 1, 1),
        D(2025, 2, 1),
    )
    assert range_from_widget((D(2025, 1, 1),), bounds) == (D(2025, 1, 1), None)  # half-picked
    assert range_from_widget((), bounds) == OPEN
    assert range_from_widget(None, bounds) == OPEN


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Donald Trump", "donald-trump"),
        ("Sviatlana Tsikhanouskaya", "sviatlana-tsikhanouskaya"),
        ("Łukasz Żółć", "ukasz-zoc"),
        ("../../etc/passwd", "etc-passwd"),
        ("=HYPERLINK(1)", "hyperlink-1"),
        ("北京", ""),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_csv_filename_says_what_the_rows_are() -> None:
    state = FilterState(
        entities=("person:donald-trump",), published=(D(2025, 1, 1), D(2025, 12, 31))
    )
    names = {"person:donald-trump": "Donald Trump"}
    assert (
        csv_filename("quotes", state, entity_names=names)
        == "quotes_donald-trump_2025-01-01_2025-12-31.csv"
    )
    assert csv_filename("figures", FilterState()) == "figures.csv"
    assert (
        csv_filename("figures", FilterState(entities=("org:viasna",)), entity_names={})
        == "figures_viasna.csv"
    )
    events = FilterState(event_dates=(D(2021, 1, 1), D(2021, 12, 31)))
    assert csv_filename("events", events) == "events_events-2021-01-01_2021-12-31.csv"
    many = FilterState(entities=tuple(f"person:p{i}" for i in range(6)))
    assert csv_filename("quotes", many) == "quotes_p0+p1+p2+3-more.csv"
    hostile = FilterState(sources=("../../x/<script>",))
    name = csv_filename("quotes", hostile)
    assert "/" not in name and "<" not in name and name.endswith(".csv")


def test_describe() -> None:
    assert describe(FilterState()) == ""
    text = describe(
        FilterState(entities=("person:donald-trump",), event_dates=(D(2021, 1, 1), None)),
        entity_names={"person:donald-trump": "Donald Trump"},
    )
    assert text == "about Donald Trump; events dated from 2021-01-01"


@pytest.mark.parametrize(
    ("query", "words"),
    [("potash", "matching “potash”"), ('"prime minister"', 'matching "prime minister"')],
)
def test_describe_a_query_in_one_pair_of_quote_marks(query: str, words: str) -> None:
    assert describe(FilterState(query=query)) == words
