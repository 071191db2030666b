"""Co-occurrence of entities and mentions over time, over small hand-made mention tables."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from analysis.cooccurrence import PAIR_COLUMNS, TIME_COLUMNS, cooccurrence, mentions_over_time

# Two articles. a: sentence 0 has Lukashenko, Belarus (twice) and Putin; sentence 50 has
# Lukashenko and Trump. b: sentence 0 has Lukashenko and Belarus.
ROWS = [
    ("a", "person:lukashenko", "Alexander Lukashenko", 0, "2025-12-13"),
    ("a", "gpe:belarus", "Belarus", 0, "2025-12-13"),
    ("a", "gpe:belarus", "Belarus", 0, "2025-12-13"),
    ("a", "person:putin", "Putin", 0, "2025-12-13"),
    ("a", "person:lukashenko", "Lukashenko", 50, "2025-12-13"),
    ("a", "person:trump", "Trump", 50, "2025-12-13"),
    ("b", "person:lukashenko", "Lukashenko", 0, "2026-01-02"),
    ("b", "gpe:belarus", "Belarus", 0, "2026-01-02"),
    ("b", None, "somewhere", 0, "2026-01-02"),
]


@pytest.fixture
def mentions() -> pd.DataFrame:
    frame = pd.DataFrame(
        ROWS, columns=["doc_id", "entity_id", "text", "sentence_start", "published"]
    )
    frame["published"] = pd.to_datetime(frame["published"]).astype("datetime64[ms]")
    return frame


@pytest.fixture
def entities() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "entity_id": ["person:lukashenko", "gpe:belarus", "person:putin", "person:trump"],
            "name": ["Alexander Lukashenko", "Belarus", "Vladimir Putin", "Donald Trump"],
        }
    )


def pairs(frame: pd.DataFrame) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in frame[["entity_a", "entity_b", "n", "n_documents"]].to_numpy()]


def test_sentence_level(mentions: pd.DataFrame, entities: pd.DataFrame) -> None:
    out = cooccurrence(mentions, entities)
    assert list(out.columns) == PAIR_COLUMNS
    assert pairs(out) == [
        ("gpe:belarus", "person:lukashenko", 2, 2),  # a repeated name counts one sentence once
        ("person:lukashenko", "person:trump", 1, 1),  # ties: by name
        ("person:lukashenko", "person:putin", 1, 1),
        ("gpe:belarus", "person:putin", 1, 1),
    ]
    assert out.iloc[0][["name_a", "name_b"]].tolist() == ["Belarus", "Alexander Lukashenko"]


def test_document_level(mentions: pd.DataFrame) -> None:
    out = cooccurrence(mentions, level="document")
    assert ("gpe:belarus", "person:trump", 1, 1) in pairs(out)
    assert pairs(out)[0] == ("gpe:belarus", "person:lukashenko", 2, 2)
    # Without the entities table, names are the fullest text mentioned.
    first = out.iloc[0]
    assert (first["name_a"], first["name_b"]) == ("Belarus", "Alexander Lukashenko")


def test_min_count(mentions: pd.DataFrame) -> None:
    assert pairs(cooccurrence(mentions, min_count=2)) == [
        ("gpe:belarus", "person:lukashenko", 2, 2)
    ]
    assert cooccurrence(mentions, min_count=3).empty


def test_does_not_mutate(mentions: pd.DataFrame, entities: pd.DataFrame) -> None:
    before_m, before_e = mentions.copy(), entities.copy()
    cooccurrence(mentions, entities, level="document")
    mentions_over_time(mentions, freq="W")
    pd.testing.assert_frame_equal(mentions, before_m)
    pd.testing.assert_frame_equal(entities, before_e)


def test_empty_and_lonely(mentions: pd.DataFrame) -> None:
    empty = cooccurrence(mentions.iloc[0:0])
    assert list(empty.columns) == PAIR_COLUMNS and empty.empty
    alone = cooccurrence(mentions[mentions["entity_id"] == "gpe:belarus"])
    assert alone.empty and list(alone.columns) == PAIR_COLUMNS


def test_bad_arguments(mentions: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="level"):
        cooccurrence(mentions, level="paragraph")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="freq"):
        mentions_over_time(mentions, freq="Y")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("freq", "expected"),
    [
        ("D", [("2025-12-13", 2), ("2026-01-02", 1)]),
        ("W", [("2025-12-08", 2), ("2025-12-29", 1)]),  # weeks start on Monday
        ("M", [("2025-12-01", 2), ("2026-01-01", 1)]),
    ],
)
def test_mentions_over_time(
    mentions: pd.DataFrame, freq: str, expected: list[tuple[str, int]]
) -> None:
    out = mentions_over_time(mentions, freq=freq)  # type: ignore[arg-type]
    assert list(out.columns) == TIME_COLUMNS
    luka = out[out["entity_id"] == "person:lukashenko"]
    assert [
        (str(p.date()), n) for p, n in zip(luka["period"], luka["n_mentions"], strict=True)
    ] == (expected)
    assert out["n_mentions"].sum() == 8  # the mention without an entity is left out


def test_mentions_over_time_without_dates(mentions: pd.DataFrame) -> None:
    undated = mentions.assign(published=pd.NaT)
    out = mentions_over_time(undated)
    assert out.empty and list(out.columns) == TIME_COLUMNS


def test_on_the_seed(seed_tables: dict[str, pd.DataFrame]) -> None:
    out = cooccurrence(seed_tables["mentions"], seed_tables["entities"])
    top = out[(out["name_a"] == "Belarus") | (out["name_b"] == "Belarus")]
    assert {"Alexander Lukashenko", "United States"} <= set(top["name_a"]) | set(top["name_b"])
    timeline = mentions_over_time(seed_tables["mentions"])
    belarus = timeline[timeline["entity_id"] == "gpe:belarus"]
    assert belarus["n_mentions"].tolist() == [11]
