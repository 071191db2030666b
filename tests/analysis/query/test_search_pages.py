"""A page of hits by date, found in the newest articles first, is the same page as cut from every
hit (also when the newest articles' postings are read by their date alone); the hit count taken
from the index alone (a phrase from its pairs of words) is the number of hits listed."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any
from unittest import mock

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import example, given, settings
from hypothesis import strategies as st

from analysis.query import Filter, StoreView
from analysis.query import view as view_mod
from analysis.search.index import SENTENCES_SCHEMA, SORT_KEYS, postings, sentences
from analysis.store import to_arrow

WORDS = ["potash", "political", "prisoners", "prison", "sanctions", "Belarus", "released"]
GLUE = [" ", " ", ", ", ". ", "\n"]
QUERIES = [
    "potash",
    '"political prisoners"',
    '"political prisoners released"',  # a phrase counted by a join of its pairs
    '"prisoners released" OR potash',
    "potash OR prisoners",
    'potash OR "political prisoners"',
    "potash OR potash*",  # alternatives that share hits
    "prison*",
    "~release",
    "sanctions -potash",
    "(potash OR Belarus) political",
]
DAYS = [
    None,
    datetime(2024, 1, 1),
    datetime(2024, 1, 1),
    datetime(2024, 3, 5),
    datetime(2025, 7, 9),
]
SHOWN = ["doc_id", "published", "title", "source", "start", "end", "match", "left", "right"]

TEXT = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(GLUE)), max_size=8).map(
    lambda pairs: "".join(word + glue for word, glue in pairs)
)
ARTICLES = st.lists(st.tuples(TEXT, st.sampled_from(DAYS)), min_size=1, max_size=24)


def write_store(root: Path, nlp: Any, articles: list[tuple[str, datetime | None]]) -> None:
    ids = [f"d{k:02d}" for k in range(len(articles))]
    frame = pd.DataFrame(
        {
            "doc_id": ids,
            "title": [f"Article {i}" for i in ids],
            "published": pd.to_datetime([day for _, day in articles]).astype("datetime64[ms]"),
            "source": ["wire" if k % 2 else "paper" for k in range(len(ids))],
            "text": [text for text, _ in articles],
            "n_words": [len(text.split()) for text, _ in articles],
            "n_sentences": [1] * len(ids),
        }
    )
    pq.write_table(to_arrow("documents", frame), root / "documents.parquet")
    docs = [(i, nlp(text)) for i, (text, _) in zip(ids, articles, strict=True)]
    # As the store writes them: each with its article's date, in the index's order (by term,
    # newest first), so that the pages' date bound on the postings is put to the test.
    days = [None if day is None else day.date() for _, day in articles]
    index = pa.concat_tables(postings(i, d, day) for (i, d), day in zip(docs, days, strict=True))
    pq.write_table(index.sort_by(SORT_KEYS), root / "postings.parquet")
    spans = [sentences(i, d) for i, d in docs]
    pq.write_table(
        pa.concat_tables([SENTENCES_SCHEMA.empty_table(), *spans]), root / "sentences.parquet"
    )


@settings(max_examples=40, deadline=None)
@example(  # the newest article has no hit: the page is found after widening
    articles=[("Belarus ", DAYS[4]), ("potash, potash ", DAYS[3]), ("potash ", None)],
    query="potash",
    limit=2,
    offset=1,
    widen=1,
    some=False,
    few=0,
)
@example(  # the newest articles hold part of the page: the rest is in the last try (all)
    articles=[("political prisoners ", DAYS[4]), ("prisoners ", DAYS[3])] * 3,
    query='"political prisoners"',
    limit=3,
    offset=0,
    widen=1,
    some=True,
    few=0,
)
@example(  # the first batch holds too few hits, and the query few in all: read from its articles
    articles=[("Belarus ", DAYS[4]), ("Belarus ", DAYS[4]), ("potash ", DAYS[3])] * 2,
    query="potash",
    limit=1,
    offset=1,
    widen=1,
    some=False,
    few=2,
)
@example(  # the batch's oldest day alone holds a page: its newer articles' hits still come first
    articles=[("potash ", DAYS[4]), ("potash potash potash ", DAYS[3])],
    query="potash",
    limit=2,
    offset=0,
    widen=1,
    some=False,
    few=0,
)
@example(  # a phrase of three words, whole, cut by a comma, or by a line's end
    articles=[
        ("political prisoners released political prisoners, released ", DAYS[4]),
        ("political prisoners\nreleased prisoners released ", DAYS[1]),
        ("political prisoners released ", DAYS[2]),
    ],
    query='"political prisoners released"',
    limit=2,
    offset=0,
    widen=1,
    some=False,
    few=0,
)
@given(
    articles=ARTICLES,
    query=st.sampled_from(QUERIES),
    limit=st.integers(1, 4),
    offset=st.integers(0, 8),
    widen=st.sampled_from([1, 2, 3, 16]),
    some=st.booleans(),
    few=st.sampled_from([0, 1, 3, 5000]),
)
def test_first_pages_are_the_full_list_cut(
    nlp: Any,
    articles: list[tuple[str, datetime | None]],
    query: str,
    limit: int,
    offset: int,
    widen: int,
    some: bool,
    few: int,
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write_store(root, nlp, articles)
        view = StoreView(root)
        # Some articles only (the rest of the filter), or all of them (counted in the index).
        docs = tuple(f"d{k:02d}" for k in range(0, len(articles), 2)) if some else ()
        flt = Filter(query=query, docs=docs)
        every = view.rows("hits", flt, limit=None)
        assert view.count("hits", flt) == len(every)
        # Small batches, grown slowly, so that pages are found after widening, or in all, or
        # (a query with at most `few` hits) in the articles of its hits.
        with (
            mock.patch.object(view_mod, "_WIDEN", widen),
            mock.patch.object(view_mod, "_FEW", few),
            mock.patch.object(view_mod, "_NEWEST", 4),  # batches past the kept ranks too
        ):
            page = view.rows("hits", flt, limit=limit, offset=offset)
        expected = every.iloc[offset : offset + limit].reset_index(drop=True)
        pd.testing.assert_frame_equal(page[SHOWN], expected[SHOWN], check_dtype=False)
        for row in page.itertuples(index=False):
            assert articles[int(row.doc_id[1:])][0][row.start : row.end] == row.match
