"""The figures ledger: grouping by what is counted, publication order, disagreement."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.pipeline import analyze_texts
from analysis.query import Filter
from analysis.tables import conform, empty
from tests.analysis.query.conftest import StoreOf

FIGURE_COLUMNS = [
    "counted_key",
    "published",
    "doc_id",
    "figure_id",
    "value",
    "unit",
    "kind",
    "qualifier",
    "source",
    "source_entity_id",
    "text",
    "counted",
    "sentence",
    "start",
    "end",
]
GROUP_COLUMNS = [
    "n_figures",
    "n_documents",
    "n_values",
    "min_value",
    "max_value",
    "n_sources",
    "disagree",
    "sources_disagree",
    "change",
]


def figure(
    key: str | None,
    value: float,
    published: str | None,
    *,
    doc: str = "d1",
    source: str | None = None,
    kind: str = "count",
    unit: str | None = None,
    start: int = 0,
) -> dict[str, Any]:
    return {
        "figure_id": f"f-{doc}-{start}-{value}",
        "doc_id": doc,
        "value": value,
        "text": str(value),
        "counted": key,
        "qualifier": None,
        "kind": kind,
        "source": source,
        "start": start,
        "end": start + 3,
        "sentence": "s",
        "sentence_start": 0,
        "published": published,
        "unit": unit,
        "counted_key": key,
    }


def table(*rows: dict[str, Any]) -> pd.DataFrame:
    return conform("figures", pd.DataFrame(list(rows)))


PRISONERS = table(
    figure("political prisoner", 1227, "2025-12-13", doc="b", source="Viasna"),
    figure("political prisoner", 1300, "2025-11-01", doc="a", source="Viasna"),
    figure("political prisoner", 1300, "2025-12-20", doc="c", source="Tsikhanouskaya"),
    figure("prisoner", 123, "2025-12-13", doc="b"),
    figure("day", 2, "2025-12-13", doc="b", kind="duration", unit="day"),
    figure(None, 2e9, "2025-12-13", doc="b", kind="money", unit="USD"),
)


@pytest.fixture
def ledger_of(store_of: StoreOf) -> Any:
    def run(frame: pd.DataFrame, name: str = "ledger_figures") -> pd.DataFrame:
        return store_of(figures=frame).aggregate(name, Filter())

    return run


def test_groups_by_key_in_publication_order(ledger_of: Any) -> None:
    ledger = ledger_of(PRISONERS)
    assert list(ledger.columns) == FIGURE_COLUMNS + GROUP_COLUMNS
    keys = list(ledger["counted_key"])
    assert keys == ["political prisoner"] * 3 + ["day", "prisoner"]  # biggest group first
    group = ledger[ledger["counted_key"] == "political prisoner"]
    assert list(group["doc_id"]) == ["a", "b", "c"]
    assert list(group["value"]) == [1300, 1227, 1300]
    assert list(group["change"].fillna(0)) == [0, -73, 73]


def test_indicators(ledger_of: Any) -> None:
    ledger = ledger_of(PRISONERS)
    first = ledger.iloc[0]
    assert (first.n_figures, first.n_documents, first.n_values, first.n_sources) == (3, 3, 2, 2)
    assert (first.min_value, first.max_value) == (1227, 1300)
    assert bool(first.disagree) and bool(first.sources_disagree)
    single = ledger[ledger["counted_key"] == "prisoner"].iloc[0]
    assert not single.disagree and not single.sources_disagree and single.n_sources == 0


def test_same_source_changing_value_is_no_source_disagreement(ledger_of: Any) -> None:
    ledger = ledger_of(
        table(
            figure("death", 30, "2025-01-01", source="police"),
            figure("death", 41, "2025-01-02", source="police", doc="d2"),
        )
    )
    assert ledger["disagree"].all()
    assert not ledger["sources_disagree"].any()


def test_units_are_kept_apart(ledger_of: Any) -> None:
    ledger = ledger_of(
        table(
            figure("order", 15e9, "2025-01-01", kind="money", unit="USD"),
            figure("order", 15e9, "2025-01-02", kind="money", unit="EUR", doc="d2"),
        )
    )
    assert ledger["n_values"].tolist() == [2, 2]
    assert ledger["change"].isna().all()  # no change across currencies


def test_undated_figures_come_last(ledger_of: Any) -> None:
    ledger = ledger_of(
        table(
            figure("seat", 300, None, doc="x"),
            figure("seat", 290, "2025-01-01", doc="y"),
        )
    )
    assert list(ledger["doc_id"]) == ["y", "x"]


@pytest.mark.parametrize("frame", [empty("figures"), table(figure(None, 1, "2025-01-01"))])
def test_empty(ledger_of: Any, frame: pd.DataFrame) -> None:
    ledger = ledger_of(frame)
    assert ledger.empty
    assert list(ledger.columns) == FIGURE_COLUMNS + GROUP_COLUMNS
    assert ledger_of(frame, "ledger").empty


def test_summary(ledger_of: Any) -> None:
    summary = ledger_of(PRISONERS, "ledger")
    row = summary.set_index("counted_key").loc["political prisoner"]
    assert row.n_figures == 3 and bool(row.disagree)
    assert row.latest_value == 1300 and row.latest_source == "Tsikhanouskaya"
    assert row.first_published == pd.Timestamp("2025-11-01")
    assert list(row["values"]) == [1227, 1300] and list(row["sources"]) == [
        "Tsikhanouskaya",
        "Viasna",
    ]


def test_summary_agrees_with_the_figures(ledger_of: Any) -> None:
    figures = ledger_of(PRISONERS).groupby("counted_key").first()
    summary = ledger_of(PRISONERS, "ledger").set_index("counted_key")
    for column in GROUP_COLUMNS[:-1]:
        assert summary[column].to_dict() == figures[column].to_dict(), column


def test_across_articles(nlp: Any, make_article: Any, ledger_of: Any) -> None:
    first = make_article(
        "The rights group Viasna has identified 1,227 political prisoners in Belarus.",
        published=date(2025, 12, 13),
    )
    second = make_article(
        "Belarus still holds 1,110 political prisoners, the rights group Viasna said.",
        published=date(2026, 1, 20),
    )
    figures = analyze_texts(nlp, [second, first])["figures"]
    ledger = ledger_of(figures)
    group = ledger[ledger["counted_key"] == "political prisoner"]
    assert list(group["value"]) == [1227, 1110]
    assert list(group["source"]) == ["Viasna", "Viasna"]
    assert bool(group["disagree"].iloc[0]) and not bool(group["sources_disagree"].iloc[0])


KEYS = st.sampled_from(["prisoner", "day", "political prisoner", None])
ROWS = st.lists(
    st.tuples(
        KEYS,
        st.floats(allow_nan=False, allow_infinity=False, width=32),
        st.one_of(st.none(), st.dates(date(2000, 1, 1), date(2030, 1, 1))),
        st.sampled_from([None, "Viasna", "police"]),
    ),
    max_size=20,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(rows=ROWS)
def test_ledger_invariants(ledger_of: Any, rows: list[tuple[Any, float, Any, Any]]) -> None:
    frame = (
        table(
            *[
                figure(k, v, d.isoformat() if d else None, source=s, doc=f"d{n}", start=n)
                for n, (k, v, d, s) in enumerate(rows)
            ]
        )
        if rows
        else empty("figures")
    )
    ledger = ledger_of(frame)
    assert len(ledger) == sum(k is not None for k, *_ in rows)
    for _, group in ledger.groupby("counted_key"):
        dated = group["published"].dropna()
        assert dated.is_monotonic_increasing
        assert group["published"].isna().sum() == 0 or pd.isna(group["published"].iloc[-1])
        assert (group["n_values"] > 1).eq(group["disagree"]).all()
        assert group["min_value"].iloc[0] == group["value"].min()
