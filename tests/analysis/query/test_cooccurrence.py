"""Co-occurrence of entities and mentions over time, over small hand-made mention tables."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.query import Filter, Options, StoreView
from analysis.store import to_arrow
from analysis.tables import conform
from tests.analysis.query.conftest import StoreOf

# Two articles. a: sentence 0 has Lukashenko, Belarus (twice) and Putin; sentence 50 has
# Lukashenko and Trump. b: sentence 0 has Lukashenko and Belarus.
ROWS = [
    ("a", "person:lukashenko", "Alexander Lukashenko", 0, "2025-12-13", 0),
    ("a", "gpe:belarus", "Belarus", 0, "2025-12-13", 25),
    ("a", "gpe:belarus", "Belarus", 0, "2025-12-13", 35),
    ("a", "person:putin", "Putin", 0, "2025-12-13", 44),
    ("a", "person:lukashenko", "Lukashenko", 50, "2025-12-13", 50),
    ("a", "person:trump", "Trump", 50, "2025-12-13", 65),
    ("b", "person:lukashenko", "Lukashenko", 0, "2026-01-02", 0),
    ("b", "gpe:belarus", "Belarus", 0, "2026-01-02", 15),
]
ENTITIES = [
    ("person:lukashenko", "Alexander Lukashenko", "PERSON"),
    ("gpe:belarus", "Belarus", "GPE"),
    ("person:putin", "Vladimir Putin", "PERSON"),
    ("person:trump", "Donald Trump", "PERSON"),
]


@pytest.fixture
def view(store_of: StoreOf) -> Any:
    mentions = pd.DataFrame(
        ROWS, columns=["doc_id", "entity_id", "text", "sentence_start", "published", "start"]
    )
    mentions["published"] = pd.to_datetime(mentions["published"])
    mentions["end"] = mentions["start"] + mentions["text"].str.len()
    types = {e: t for e, _, t in ENTITIES}
    mentions["type"] = mentions["entity_id"].map(types)
    entities = pd.DataFrame(ENTITIES, columns=["entity_id", "name", "type"])
    entities["aliases"] = [[] for _ in ENTITIES]
    counts = mentions.groupby("entity_id").agg(n=("doc_id", "size"), docs=("doc_id", "nunique"))
    entities["n_mentions"] = entities["entity_id"].map(counts["n"])
    entities["n_documents"] = entities["entity_id"].map(counts["docs"])
    return store_of(mentions=conform("mentions", mentions), entities=conform("entities", entities))


def pairs(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in frame[["source", "target", "n", "n_documents"]].to_numpy()]


def test_sentence_level(view: Any) -> None:
    out = view.aggregate("cooccurrence", Filter())
    assert pairs(out) == [
        ("gpe:belarus", "person:lukashenko", 2, 2),  # a repeated name counts one sentence once
        ("person:lukashenko", "person:trump", 1, 1),  # ties: by name
        ("person:lukashenko", "person:putin", 1, 1),
        ("gpe:belarus", "person:putin", 1, 1),
    ]
    assert out.iloc[0][["source_name", "target_name"]].tolist() == [
        "Belarus",
        "Alexander Lukashenko",
    ]


def test_document_level(view: Any) -> None:
    out = view.aggregate("cooccurrence", Filter(), level="document")
    assert ("gpe:belarus", "person:trump", 1, 1) in pairs(out)
    assert pairs(out)[0] == ("gpe:belarus", "person:lukashenko", 2, 2)


def test_top_entities_only(view: Any) -> None:
    out = view.aggregate("cooccurrence", Filter(), top=2)
    assert pairs(out) == [("gpe:belarus", "person:lukashenko", 2, 2)]


def test_around_a_chosen_entity(view: Any) -> None:
    out = view.aggregate("cooccurrence", Filter(entities=("person:trump",)))
    assert pairs(out) == [("person:lukashenko", "person:trump", 1, 1)]


def test_empty_and_lonely(view: Any) -> None:
    assert view.aggregate("cooccurrence", Filter(docs=("none",))).empty
    assert view.aggregate("cooccurrence", Filter(types=("GPE",))).empty  # only one GPE


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="level"):
        Options(level="paragraph")
    with pytest.raises(ValueError, match="period"):
        Options(period="fortnight")


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ("day", [("2025-12-13", 2), ("2026-01-02", 1)]),
        ("week", [("2025-12-08", 2), ("2025-12-29", 1)]),  # weeks start on Monday
        ("month", [("2025-12-01", 2), ("2026-01-01", 1)]),
    ],
)
def test_mentions_over_time(view: Any, period: str, expected: list[tuple[str, int]]) -> None:
    out = view.aggregate("mentions_over_time", Filter(), period=period)
    luka = out[out["entity_id"] == "person:lukashenko"]
    assert [(str(p.date()), n) for p, n in zip(luka["period"], luka["n"], strict=True)] == expected
    assert out["n"].sum() == 8


def test_on_the_seed(seed_tables: dict[str, pd.DataFrame], store_of: StoreOf) -> None:
    view = store_of(**seed_tables)
    out = view.aggregate("cooccurrence", Filter())
    top = out[(out["source_name"] == "Belarus") | (out["target_name"] == "Belarus")]
    assert {"Alexander Lukashenko", "United States"} <= set(top["source_name"]) | set(
        top["target_name"]
    )
    timeline = view.aggregate("mentions_over_time", Filter())
    assert timeline[timeline["entity_id"] == "gpe:belarus"]["n"].tolist() == [11]


def reference(
    rows: list[tuple[str, str, int]], flt: Filter, level: str, top: int | None
) -> list[tuple[str, str, int, int]]:
    """The pairs by the definition: units (sentences or articles) the filter keeps mentions
    in, everyone (of the filter's types) in them, pairs among the `top` most present."""
    kind = {e: t for e, _, t in ENTITIES}

    def unit(doc: str, sentence: int) -> tuple[str, int]:
        return (doc, sentence if level == "sentence" else 0)

    typed = [r for r in rows if not flt.types or kind[r[1]] in flt.types]
    kept = [r for r in typed if not flt.entities or r[1] in flt.entities]
    units = {unit(doc, s) for doc, _, s in kept}
    present = {(unit(doc, s), e) for doc, e, s in typed if unit(doc, s) in units}
    counts: dict[str, int] = {}
    for _, e in present:
        counts[e] = counts.get(e, 0) + 1
    leading = sorted(counts, key=lambda e: (-counts[e], e))[:top]
    by_unit: dict[tuple[str, int], set[str]] = {}
    for u, e in present:
        if e in leading:
            by_unit.setdefault(u, set()).add(e)
    found: dict[tuple[str, str], tuple[int, set[str]]] = {}
    for u, members in by_unit.items():
        for a in members:
            for b in members:
                if a < b:
                    n, docs = found.get((a, b), (0, set()))
                    found[(a, b)] = (n + 1, docs | {u[0]})
    return sorted((a, b, n, len(docs)) for (a, b), (n, docs) in found.items())


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c"]),
            st.sampled_from([e for e, _, _ in ENTITIES]),
            st.sampled_from([0, 40, 80]),
        ),
        min_size=1,
        max_size=14,
    ),
    chosen=st.lists(st.sampled_from([e for e, _, _ in ENTITIES]), max_size=2, unique=True),
    types=st.lists(st.sampled_from(["PERSON", "GPE"]), max_size=1),
    level=st.sampled_from(["sentence", "document"]),
    top=st.sampled_from([None, 2, 3]),
)
def test_pairs_match_their_definition(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[tuple[str, str, int]],
    chosen: list[str],
    types: list[str],
    level: str,
    top: int | None,
) -> None:
    """With and without a chosen entity (two ways the SQL is built), under a type filter."""
    mentions = pd.DataFrame(
        [
            (doc, e, e.split(":")[1], s, "2025-12-13", s + 5 * i)
            for i, (doc, e, s) in enumerate(rows)
        ],
        columns=["doc_id", "entity_id", "text", "sentence_start", "published", "start"],
    )
    mentions["published"] = pd.to_datetime(mentions["published"])
    mentions["end"] = mentions["start"] + 3
    mentions["type"] = mentions["entity_id"].map({e: t for e, _, t in ENTITIES})
    entities = pd.DataFrame(ENTITIES, columns=["entity_id", "name", "type"])
    entities["aliases"] = [[] for _ in ENTITIES]
    counts = mentions.groupby("entity_id").agg(n=("doc_id", "size"), docs=("doc_id", "nunique"))
    entities["n_mentions"] = entities["entity_id"].map(counts["n"]).fillna(0).astype(int)
    entities["n_documents"] = entities["entity_id"].map(counts["docs"]).fillna(0).astype(int)
    root = tmp_path_factory.mktemp("pairs")
    for table, frame in (("mentions", mentions), ("entities", entities)):
        pq.write_table(to_arrow(table, conform(table, frame)), root / f"{table}.parquet")
    flt = Filter(entities=tuple(chosen), types=tuple(types))
    out = StoreView(root).aggregate("cooccurrence", flt, level=level, top=top)
    assert sorted(pairs(out)) == reference(rows, flt, level, top)
