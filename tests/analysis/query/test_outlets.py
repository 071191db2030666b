"""Outlets (an article's source): who covers the story when, and what each reports, over small
hand-made stores; articles without a source are left out of every answer."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from analysis.query import Filter
from analysis.tables import INT, SCHEMAS, conform
from tests.analysis.query.conftest import StoreOf

# doc_id, source, published
DOCS = [
    ("a", "BBC", "2025-11-03"),
    ("b", " BBC ", "2025-12-13"),  # stray spaces: the same outlet
    ("c", "Reuters", "2025-12-20"),
    ("d", "", "2025-12-21"),  # no source: in no answer
    ("e", None, "2025-12-22"),
    ("f", "Reuters", None),  # undated: counted, but in no period
]
# doc_id, claim_key, value, published
FIGURES = [
    ("a", "political prisoners", 1100.0, "2025-11-03"),
    ("b", "political prisoners", 1227.0, "2025-12-13"),
    ("c", "political prisoners", 1227.0, "2025-12-20"),
    ("c", "released prisoners", 52.0, "2025-12-20"),
    ("d", "political prisoners", 999.0, "2025-12-21"),
]
# doc_id, speaker, speaker_entity_id
QUOTES = [
    ("a", "Viasna", "org:viasna"),
    ("b", "Viasna", "org:viasna"),
    ("c", "Viasna", "org:viasna"),
    ("c", "Donald Trump", "person:donald-trump"),
    ("c", None, None),
    ("e", "Viasna", "org:viasna"),
]


def table(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` as stored table `name`, its missing whole-number columns 0."""
    out = frame.copy()
    for column, dtype in SCHEMAS[name].items():
        if dtype == INT and column not in out.columns:
            out[column] = 0
    return conform(name, out)


@pytest.fixture
def view(store_of: StoreOf) -> Any:
    documents = pd.DataFrame(DOCS, columns=["doc_id", "source", "published"])
    documents["published"] = pd.to_datetime(documents["published"])
    documents["title"] = documents["doc_id"]
    figures = pd.DataFrame(FIGURES, columns=["doc_id", "claim_key", "value", "published"])
    figures["published"] = pd.to_datetime(figures["published"])
    figures["claim"] = figures["claim_key"]
    figures["counted_key"] = figures["claim_key"]
    figures["kind"] = "count"
    figures["figure_id"] = [f"f{i}" for i in range(len(figures))]
    figures["start"] = range(len(figures))
    figures["end"] = figures["start"] + 1
    quotes = pd.DataFrame(QUOTES, columns=["doc_id", "speaker", "speaker_entity_id"])
    quotes["quote_id"] = [f"q{i}" for i in range(len(quotes))]
    quotes["text"] = "words"
    return store_of(
        documents=table("documents", documents),
        figures=table("figures", figures),
        quotes=table("quotes", quotes),
    )


def rows(frame: pd.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in frame[list(columns)].itertuples(index=False)]


def test_summary_counts_each_outlets_articles_quotes_and_figures(view: Any) -> None:
    out = view.aggregate("source_summary", Filter())
    assert rows(out, "source", "n_articles", "n_quotes", "n_figures") == [
        ("BBC", 2, 2, 2),
        ("Reuters", 2, 3, 2),  # ties by name; the undated article still counts
    ]
    assert str(out.iloc[0]["first_published"].date()) == "2025-11-03"


def test_articles_per_outlet_per_period(view: Any) -> None:
    out = view.aggregate("sources_over_time", Filter(), period="month")
    got = [(str(p.date()), s, n) for s, p, n in rows(out, "source", "period", "n_articles")]
    assert got == [("2025-11-01", "BBC", 1), ("2025-12-01", "BBC", 1), ("2025-12-01", "Reuters", 1)]
    top = view.aggregate("sources_over_time", Filter(), period="year", top=1)
    assert rows(top, "source", "n_articles") == [("BBC", 2)]  # BBC before Reuters on a tie


def test_what_each_outlet_reports_per_claim(view: Any) -> None:
    out = view.aggregate("source_figures", Filter())
    got = rows(out, "source", "claim_key", "n_figures", "latest_value", "n_sources")
    assert got == [
        ("BBC", "political prisoners", 2, 1227.0, 2),
        ("Reuters", "political prisoners", 1, 1227.0, 2),
        ("Reuters", "released prisoners", 1, 52.0, 1),
    ]
    assert list(out.iloc[0]["values"]) == [1100.0, 1227.0]
    assert out["sources_differ"].tolist() == [True, True, False]
    assert len(view.aggregate("source_figures", Filter(), top=1)) == 2  # the leading claim only


def test_whom_each_outlet_quotes(view: Any) -> None:
    out = view.aggregate("source_speakers", Filter())
    assert rows(out, "source", "speaker", "n") == [
        ("BBC", "Viasna", 2),
        ("Reuters", "(unknown)", 1),
        ("Reuters", "Donald Trump", 1),
        ("Reuters", "Viasna", 1),
    ]
    top = view.aggregate("source_speakers", Filter(), top=1)
    assert set(top["speaker"]) == {"Viasna"}


def test_the_sources_filter_narrows_the_outlets(view: Any) -> None:
    out = view.aggregate("source_summary", Filter(sources=("Reuters",)))
    assert rows(out, "source", "n_articles") == [("Reuters", 2)]


@pytest.mark.parametrize(
    "name", ["source_summary", "sources_over_time", "source_figures", "source_speakers"]
)
def test_no_outlet_known_is_empty_not_an_error(store_of: StoreOf, name: str) -> None:
    documents = pd.DataFrame({"doc_id": ["x"], "source": [""], "title": ["x"]})
    figures = pd.DataFrame({"doc_id": ["x"], "claim_key": ["k"], "value": [1.0]})
    view = store_of(documents=table("documents", documents), figures=table("figures", figures))
    assert view.aggregate(name, Filter()).empty
