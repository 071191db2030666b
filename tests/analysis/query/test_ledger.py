"""The figures ledger: grouping by claim (what is counted and what happens to it), the order
of the ledger, publication order, disagreement."""

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
    "claim_key",
    "claim",
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
    "rank",
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
    claim: str | None = None,
) -> dict[str, Any]:
    """A figures row; `claim` is its claim_key ("prisoner|free"), `key` (counted_key) without."""
    claim_key = claim or key
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
        "claim": claim_key.replace("|", " ") if claim_key else None,
        "claim_key": claim_key,
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


def test_groups_by_claim_in_publication_order(ledger_of: Any) -> None:
    ledger = ledger_of(PRISONERS)
    assert list(ledger.columns) == FIGURE_COLUMNS + GROUP_COLUMNS
    keys = list(ledger["claim_key"])
    # most reported first, the duration after the counts
    assert keys == ["political prisoner"] * 3 + ["prisoner", "day"]
    assert list(ledger["rank"]) == [1, 1, 1, 2, 3]
    group = ledger[ledger["claim_key"] == "political prisoner"]
    assert list(group["doc_id"]) == ["a", "b", "c"]
    assert list(group["value"]) == [1300, 1227, 1300]
    assert list(group["change"].fillna(0)) == [0, -73, 73]


def test_indicators(ledger_of: Any) -> None:
    ledger = ledger_of(PRISONERS)
    first = ledger.iloc[0]
    assert (first.n_figures, first.n_documents, first.n_values, first.n_sources) == (3, 3, 2, 2)
    assert (first.min_value, first.max_value) == (1227, 1300)
    assert bool(first.disagree) and bool(first.sources_disagree)
    single = ledger[ledger["claim_key"] == "prisoner"].iloc[0]
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
    assert not ledger["disagree"].any()  # $15bn and €15bn are not two values of one figure


def test_claims_of_one_counted_thing_are_kept_apart(ledger_of: Any) -> None:
    """ "123 prisoners" freed and "as many as 1,400 prisoners" whose release is sought."""
    ledger = ledger_of(
        table(
            figure("prisoner", 123, "2025-12-13", claim="prisoner|free", source="Lukashenko"),
            figure("prisoner", 1400, "2025-12-13", claim="prisoner|release:sought", source="Trump"),
            figure("prisoner", 130, "2025-12-14", claim="prisoner|free", doc="d2", source="AP"),
        ),
        "ledger",
    )
    rows = ledger.set_index("claim_key")
    assert list(ledger["claim_key"]) == ["prisoner|free", "prisoner|release:sought"]
    assert set(ledger["counted_key"]) == {"prisoner"}
    assert list(rows["claim"]) == ["prisoner free", "prisoner release:sought"]
    assert bool(rows.loc["prisoner|free", "sources_disagree"])  # 123 vs 130: same claim
    assert not rows.loc["prisoner|release:sought", "disagree"]


def test_kinds_are_kept_apart(ledger_of: Any) -> None:
    ledger = ledger_of(
        table(
            figure("worker", 500, "2025-01-01", source="union"),
            figure("worker", 12, "2025-01-02", kind="percent", source="company", doc="d2"),
        ),
        "ledger",
    )
    assert not ledger["disagree"].any() and not ledger["sources_disagree"].any()


def test_ledger_leads_with_counts_most_reported_across_articles(ledger_of: Any) -> None:
    ledger = ledger_of(
        table(
            figure("age", 63, "2025-01-01", kind="quantity", unit="year", doc="a"),
            figure("age", 40, "2025-01-01", kind="quantity", unit="year", doc="b"),
            figure("age", 41, "2025-01-01", kind="quantity", unit="year", doc="c"),
            figure("day", 2, "2025-01-01", kind="duration", unit="day", doc="a"),
            figure("seat", 300, "2025-01-01", doc="a", start=1),
            figure("seat", 310, "2025-01-01", doc="a", start=2),
            figure("seat", 320, "2025-01-01", doc="a", start=3),
            figure("passenger", 9e6, "2025-01-01", doc="a", start=4),
            figure("passenger", 9e6, "2025-01-01", doc="b", start=4),
            figure("budget", 2e9, "2025-01-01", kind="money", unit="USD", doc="c"),
        ),
        "ledger",
    )
    # across articles before within one; counts, money and percentages before ages and days
    assert list(ledger["claim_key"]) == ["passenger", "seat", "budget", "age", "day"]
    assert list(ledger["rank"]) == [1, 2, 3, 4, 5]


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
    row = summary.set_index("claim_key").loc["political prisoner"]
    assert row.n_figures == 3 and bool(row.disagree)
    assert row.latest_value == 1300 and row.latest_source == "Tsikhanouskaya"
    assert row.first_published == pd.Timestamp("2025-11-01")
    assert list(row["values"]) == [1227, 1300] and list(row["sources"]) == [
        "Tsikhanouskaya",
        "Viasna",
    ]


def test_summary_agrees_with_the_figures(ledger_of: Any) -> None:
    figures = ledger_of(PRISONERS).groupby("claim_key").first()
    summary = ledger_of(PRISONERS, "ledger").set_index("claim_key")
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
    group = ledger[ledger["claim_key"] == "political prisoner"]  # identified, held: one claim
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
    for _, group in ledger.groupby("claim_key"):
        dated = group["published"].dropna()
        assert dated.is_monotonic_increasing
        assert group["published"].isna().sum() == 0 or pd.isna(group["published"].iloc[-1])
        assert (group["n_values"] > 1).eq(group["disagree"]).all()
        assert group["min_value"].iloc[0] == group["value"].min()


def test_seed_claims_are_apart_and_agree(seed_store: Any) -> None:
    """Freed, release called for and held: three claims, none flagged as a disagreement."""
    from analysis.query import StoreView

    ledger = StoreView(seed_store).aggregate("ledger", Filter()).set_index("claim_key")
    claims = {
        "prisoner|free": 123,
        "prisoner|release:sought": 1400,
        "political prisoner": 1227,
    }
    for key, value in claims.items():
        row = ledger.loc[key]
        assert list(row["values"]) == [value], key
        assert not row.disagree and not row.sources_disagree, key
    assert ledger.loc["prisoner|free", "claim"] == "prisoners freed"
    assert ledger.loc["prisoner|release:sought", "claim"] == "prisoners whose release is sought"
    assert ledger.loc["political prisoner", "counted"] == "political prisoners"
    kinds = list(ledger["kind"])
    assert kinds.index("duration") > max(i for i, k in enumerate(kinds) if k == "count")
