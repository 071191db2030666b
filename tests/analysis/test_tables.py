"""Tables built from records: the contract's columns in order, with its dtypes."""

from __future__ import annotations

from datetime import date

import pandas as pd

from analysis.extract.entities import CorpusEntity, DocEntity
from analysis.tables import SCHEMAS, build_entities, empty

TRUMP = CorpusEntity("person:donald-trump", "Donald Trump", "PERSON")
NATO = CorpusEntity("org:nato", "NATO", "ORG")


def test_entities_count_mentions_articles_and_dates() -> None:
    doc_entities = [
        DocEntity("a", "PERSON:Donald Trump", "Donald Trump", "PERSON", ("Donald Trump",), 2, None),
        DocEntity("a", "PERSON:Trump", "Trump", "PERSON", ("Trump",), 1, None),
        DocEntity("b", "PERSON:Trump", "Trump", "PERSON", ("Trump",), 1, date(2025, 12, 13)),
        DocEntity("b", "ORG:NATO", "NATO", "ORG", ("NATO",), 1, date(2025, 12, 13)),
    ]
    links = {
        ("a", "PERSON:Donald Trump"): TRUMP,
        ("a", "PERSON:Trump"): TRUMP,
        ("b", "PERSON:Trump"): TRUMP,
        ("b", "ORG:NATO"): NATO,
    }
    frame = build_entities(doc_entities, links)
    assert list(frame.columns) == list(SCHEMAS["entities"])
    pd.testing.assert_series_equal(frame.dtypes, empty("entities").dtypes)
    rows = frame[["entity_id", "aliases", "n_mentions", "n_documents"]].to_dict("records")
    assert rows == [
        {"entity_id": TRUMP.entity_id, "aliases": ["Trump"], "n_mentions": 4, "n_documents": 2},
        {"entity_id": NATO.entity_id, "aliases": [], "n_mentions": 1, "n_documents": 1},
    ]
    assert frame["first_seen"].iloc[0] == pd.Timestamp("2025-12-13")


def test_no_entities_is_an_empty_table_with_the_columns() -> None:
    pd.testing.assert_frame_equal(build_entities([], {}), empty("entities"))
