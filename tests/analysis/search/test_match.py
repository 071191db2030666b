"""Search hits on real news text: counts, offsets that slice back, boolean semantics."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.search.index import PARQUET_OPTIONS, POSTINGS_SCHEMA, SORT_KEYS, postings
from analysis.search.match import find_documents, find_hits, hits_sql, lemmatizer
from analysis.search.query import parse_query, words_of

ARTICLES = {
    "a1": (
        "Belarus freed 123 political prisoners on Saturday. The U.S. lifted sanctions on "
        "potash, and anti-war activists welcomed the release."
    ),
    "a2": (
        "Prisoners, political and otherwise, remain in custody. Sanctions on Belarusian "
        "banks were not lifted.\n\nPolitical\nprisoners were released in 2024."
    ),
    "a3": "Airbus and Boeing competed for the contract; the snake_case tanker releases fuel.",
}


@pytest.fixture(scope="module")
def corpus(nlp: Any) -> tuple[duckdb.DuckDBPyConnection, dict[str, str]]:
    tables = [postings(doc_id, nlp(text)) for doc_id, text in ARTICLES.items()]
    con = duckdb.connect()
    con.register("postings", pa.concat_tables(tables))
    return con, ARTICLES


def spans(con: Any, texts: dict[str, str], query: str, **kw: Any) -> list[tuple[str, str]]:
    return [
        (h.doc_id, texts[h.doc_id][h.start : h.end])
        for h in find_hits(con, parse_query(query), **kw)
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("potash", [("a1", "potash")]),
        ("POTASH", [("a1", "potash")]),
        ('"political prisoners"', [("a1", "political prisoners"), ("a2", "Political\nprisoners")]),
        # a comma or a blank line ends a phrase
        ('"prisoners political"', []),
        ('"banks political"', []),
        ('"lifted political"', []),
        ("sanctions -potash", [("a2", "Sanctions")]),
        ("sanctions -(potash OR airbus)", [("a2", "Sanctions")]),
        ('sanctions -"political prisoners"', []),
        ("potash OR airbus", [("a1", "potash"), ("a3", "Airbus")]),
        ("potash sanctions", [("a1", "sanctions"), ("a1", "potash")]),
        ("potash airbus", []),
        ("U.S.", [("a1", "U.S.")]),
        ("anti-war", [("a1", "anti-war")]),
        ('"anti war activists"', [("a1", "anti-war activists")]),
        ("2024", [("a2", "2024")]),
        ("snake_*", [("a3", "snake_case")]),
        ("snake%*", []),
        ("pris*", [("a1", "prisoners"), ("a2", "Prisoners"), ("a2", "prisoners")]),
        ("releas* -airbus", [("a1", "release"), ("a2", "released")]),
        ("nowhere", []),
    ],
)
def test_hits(corpus: Any, query: str, expected: list[tuple[str, str]]) -> None:
    con, texts = corpus
    assert spans(con, texts, query) == expected


def test_lemma_matches_inflections(corpus: Any, nlp: Any) -> None:
    con, texts = corpus
    found = spans(con, texts, "~release", lemmatize=lemmatizer(nlp))
    assert found == [("a1", "release"), ("a2", "released"), ("a3", "releases")]


def test_lemma_without_model_is_the_exact_word(corpus: Any) -> None:
    con, texts = corpus
    assert spans(con, texts, "~released") == [("a2", "released")]


def test_documents(corpus: Any) -> None:
    con, _ = corpus
    assert find_documents(con, parse_query("sanctions")) == ["a1", "a2"]
    assert find_documents(con, parse_query("sanctions -potash")) == ["a2"]
    assert find_documents(con, parse_query("(potash OR airbus) -boeing")) == ["a1"]


def test_values_are_parameters_never_sql_text() -> None:
    sql = hits_sql(parse_query('o\'brien "drop table" x*'), limit=5, offset=10)
    assert "brien" not in sql.text and "drop" not in sql.text
    assert sql.params == ("o'brien", "drop", "table", "x", "y", 5, 10)


def test_paging(corpus: Any) -> None:
    con, _ = corpus
    every = find_hits(con, parse_query("pris*"))
    assert find_hits(con, parse_query("pris*"), limit=2, offset=1) == every[1:3]


def test_seed_article(nlp: Any, seed_article: Any, seed_doc: Any) -> None:
    con = duckdb.connect()
    con.register("postings", postings(seed_article.doc_id, seed_doc))
    text = seed_article.text

    def count(query: str) -> int:
        hits = find_hits(con, parse_query(query))
        assert all(
            text[h.start : h.end].lower().startswith(query.strip('"')[:4].lower()) for h in hits
        )
        return len(hits)

    assert count("potash") == 2
    assert count('"political prisoners"') == 3
    assert count("Lukashenko") == 8
    assert find_hits(con, parse_query("sanctions -potash")) == []
    assert find_documents(con, parse_query("sanctions -potash")) == []


def test_parquet_layout_reads_back(nlp: Any, tmp_path: Path) -> None:
    table = pa.concat_tables(postings(d, nlp(t)) for d, t in ARTICLES.items()).sort_by(SORT_KEYS)
    path = tmp_path / "postings.parquet"
    pq.write_table(table, path, **PARQUET_OPTIONS)
    assert pq.read_schema(path) == POSTINGS_SCHEMA
    con = duckdb.connect()
    con.execute(f"CREATE VIEW postings AS SELECT * FROM read_parquet('{path}')")
    assert spans(con, ARTICLES, '"political prisoners"') == [
        ("a1", "political prisoners"),
        ("a2", "Political\nprisoners"),
    ]


WORDS = st.sampled_from(
    ["Belarus", "freed", "political", "prisoners", "U.S.", "anti-war", "1,227", "Lukashenko’s"]
)
TEXTS = st.one_of(
    st.text(max_size=80),
    st.lists(
        st.one_of(WORDS, st.sampled_from([" ", ", ", ".\n\n", "\n", "-", " (", ") "])), max_size=20
    ).map("".join),
)


@settings(max_examples=60, deadline=None)
@given(text=TEXTS, word=WORDS)
def test_postings_and_hits_slice_back(nlp: Any, text: str, word: str) -> None:
    table = postings("d", nlp(text), date(2025, 12, 13))
    rows = table.to_pylist()
    for k, row in enumerate(rows):
        assert text[row["start"] : row["start"] + row["length"]].lower() == row["term"]
        assert row["published"] == date(2025, 12, 13)
        # `next` is the following posting's term exactly when that one is a phrase neighbour.
        after = rows[k + 1] if k + 1 < len(rows) else None
        neighbour = after is not None and after["gap"] is not None
        assert row["next"] == (after["term"] if after is not None and neighbour else None)
        if neighbour:
            assert after is not None
            assert after["start"] - after["gap"] == row["start"] + row["length"]
            end = row["start"] + row["length"] + row["next_end"]
            assert end == after["start"] + after["length"]
        else:
            assert row["next_end"] is None
    con = duckdb.connect()
    con.register("postings", table)
    node = parse_query(word)
    for hit in find_hits(con, node):
        assert 0 <= hit.start < hit.end <= len(text)
        assert words_of(text[hit.start : hit.end]) == words_of(word)
