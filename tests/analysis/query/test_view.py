"""The query layer over a store: every filter on every table, aggregates, click-through, CSV."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from analysis import query as Q
from analysis.query import NAMES, TEXT_TABLES, StoreView
from analysis.query import Filter as FilterState
from tests.synthetic import Synthetic

D = date
TRUMP = "person:donald-trump"
VIASNA = "org:viasna"
LISTED = [v for v in NAMES if v not in ("readability", "hits", "hits_over_time")]


def texts(db: StoreView, table: str, state: FilterState, column: str = "text") -> list[str]:
    return [str(v) for v in db.rows(table, state, limit=None)[column]]


def test_unfiltered_counts_match_the_tables(db: StoreView, synthetic: Synthetic) -> None:
    counts = db.counts(FilterState())
    for table, frame in synthetic.tables.items():
        if table in counts:
            assert counts[table] == len(frame), table


@pytest.mark.parametrize(
    "state",
    [
        FilterState(entities=(TRUMP,)),
        FilterState(types=("ORG",)),
        FilterState(sources=("Evil Times",)),
        FilterState(published=(D(2025, 1, 1), None)),
        FilterState(event_dates=(D(2021, 1, 1), D(2021, 12, 31))),
        FilterState(docs=("nonexistent",)),
    ],
    ids=["entity", "type", "source", "published", "event-dates", "article"],
)
def test_each_filter_narrows_every_table(db: StoreView, state: FilterState) -> None:
    everything = FilterState()
    narrower = 0
    for table in LISTED:
        total, filtered = db.count(table, everything), db.count(table, state)
        assert filtered <= total, table
        narrower += filtered < total
        assert len(db.rows(table, state, limit=None)) == filtered, table
    assert narrower >= 3


def test_what_did_donald_trump_say(db: StoreView) -> None:
    quotes = db.rows("quotes", FilterState(entities=(TRUMP,)), limit=None)
    said_by_him = quotes[quotes["speaker_entity_id"] == TRUMP]
    assert sorted(said_by_him["text"]) == ["hostages", "the highly respected president of Belarus,"]
    assert set(quotes["speaker"]) == {"Donald Trump"}


def test_which_figures_did_viasna_report(db: StoreView) -> None:
    rows = db.rows("figures", FilterState(entities=(VIASNA,)), limit=None)
    assert list(rows["text"]) == ["1,227 political prisoners"]
    assert list(rows["value"]) == [1227.0]


def test_what_happened_in_2021(db: StoreView) -> None:
    state = FilterState(event_dates=(D(2021, 1, 1), D(2021, 12, 31)))
    assert texts(db, "events", state) == ["July 2021"]
    # Other tables keep the rows of sentences that hold such an event.
    assert texts(db, "mentions", state) == ["Bialiatski"]
    assert db.count("quotes", state) == 0


def test_event_ranges_overlap_rather_than_contain(db: StoreView) -> None:
    # "July 2021" runs 1-31 July: a range touching its last day still finds it.
    assert texts(db, "events", FilterState(event_dates=(D(2021, 7, 31), D(2021, 8, 5)))) == [
        "July 2021"
    ]
    assert texts(db, "events", FilterState(event_dates=(None, D(2020, 6, 1)))) == ["2020"]


def test_type_alone_looks_at_the_rows_own_entities(db: StoreView) -> None:
    orgs = FilterState(types=("ORG",))
    assert set(texts(db, "figures", orgs)) == {"1,227 political prisoners", "42 incidents"}
    assert texts(db, "quotes", orgs) == []
    assert set(db.rows("mentions", orgs, limit=None)["type"]) == {"ORG"}


def test_entity_and_type_combine(db: StoreView) -> None:
    assert db.count("mentions", FilterState(entities=(TRUMP,), types=("ORG",))) == 0


def test_published_range_is_inclusive(db: StoreView, synthetic: Synthetic) -> None:
    day = synthetic.hostile.published
    docs = db.rows("documents", FilterState(published=(day, day)), limit=None)
    assert list(docs["doc_id"]) == [synthetic.hostile.doc_id]


def test_entities_are_recounted_under_filters(db: StoreView) -> None:
    evil = db.rows("entities", FilterState(sources=("Evil Times",)), limit=None)
    counts = dict(zip(evil["name"], evil["n_mentions"], strict=True))
    assert counts["Lithuania"] == 1  # 3 in the whole store, 1 in the hostile article


def test_paging_is_stable_and_complete(db: StoreView) -> None:
    state = FilterState()
    pages = [db.rows("mentions", state, limit=10, offset=o) for o in range(0, 60, 10)]
    keys = [(d, s) for p in pages for d, s in zip(p["doc_id"], p["start"], strict=True)]
    assert len(keys) == len(set(keys)) == db.count("mentions", state)


def test_ledger_shows_disagreement(db: StoreView) -> None:
    ledger = db.rows("ledger", FilterState(), limit=None).set_index("claim_key")
    assert ledger.loc["prisoners", "disagree"]
    assert ledger.loc["prisoners", "sources_disagree"] == False  # noqa: E712 - one named source
    assert sorted(ledger.loc["prisoners", "values"]) == [123.0, 1400.0]
    assert ledger.loc["prisoners", "latest_value"] in (123.0, 1400.0)
    assert not ledger.loc["political prisoners", "disagree"]
    assert list(ledger.loc["political prisoners", "sources"]) == ["Viasna"]


def test_ledger_download_names_the_claim_then_the_summary(db: StoreView) -> None:
    header = db.csv("ledger", FilterState()).decode("utf-8").splitlines()[0].split(",")
    assert header[:7] == ["claim_key", "claim", "counted_key", "counted", "kind", "unit", "values"]
    assert {"n_figures", "disagree", "sources_disagree", "latest_value"} <= set(header)


def test_aggregates(db: StoreView) -> None:
    state = FilterState()
    top = db.top_entities(state, 3)
    assert list(top["name"]) == ["Belarus", "Alexander Lukashenko", "United States"]
    speakers = db.aggregate("speakers", state, top=15)
    assert speakers.iloc[0]["speaker"] == "Donald Trump" and speakers.iloc[0]["n"] == 2
    over_time = db.aggregate("mentions_over_time", state, top=2, period="year")
    assert set(over_time["name"]) == {"Belarus", "Alexander Lukashenko"}
    per_year = db.aggregate("events_by_period", state, period="year")
    assert list(per_year["n"]) == [1, 1, 1, 1, 1]
    summary = db.readability_summary(state)
    assert summary["n"] == 2 and "flesch_reading_ease" in summary
    points = db.figure_points(state)
    assert set(points["source"]) >= {"Viasna", "(no source)"}


def test_cooccurrence_around_a_chosen_entity(db: StoreView) -> None:
    pairs = db.aggregate("cooccurrence", FilterState(entities=(TRUMP,)), top=10)
    partners = {*pairs["source"], *pairs["target"]}
    assert TRUMP in partners
    assert "gpe:united-states" in partners  # "... Donald Trump, according to ... United States"
    by_doc = db.aggregate("cooccurrence", FilterState(), top=5, level="document")
    assert (by_doc["n"] >= 1).all()
    with pytest.raises(ValueError):
        db.aggregate("cooccurrence", FilterState(), level="paragraph")


def test_options_and_bounds(db: StoreView, synthetic: Synthetic) -> None:
    assert db.published_bounds() == (D(2024, 5, 1), D(2025, 12, 13))
    assert db.event_bounds() == (D(2020, 1, 1), D(2025, 12, 13))
    assert db.sources() == ["Evil Times"]
    assert db.types()[0] == "PERSON"
    options = db.entity_options(limit=2, include=[VIASNA])
    assert list(options["entity_id"])[-1] == VIASNA and len(options) == 3
    assert db.entity_info([TRUMP]) == {TRUMP: ("Donald Trump", "PERSON")}
    assert db.doc_titles([synthetic.seed.doc_id])[synthetic.seed.doc_id] == synthetic.seed.title


@pytest.mark.parametrize("table", ["quotes", "figures", "events"])
def test_locate_maps_stable_ids_to_offsets(db: StoreView, synthetic: Synthetic, table: str) -> None:
    id_column = {"quotes": "quote_id", "figures": "figure_id", "events": "event_id"}[table]
    for row in synthetic.tables[table].itertuples(index=False):
        target = Q.locate(db, table, getattr(row, id_column))
        assert target is not None
        article = synthetic.seed if target.doc_id == synthetic.seed.doc_id else synthetic.hostile
        assert article.text[target.start : target.end] == row.text
        assert article.text[target.sentence_start : target.sentence_end] == row.sentence


def test_locate_mentions_entities_and_unknown_ids(db: StoreView, synthetic: Synthetic) -> None:
    doc = synthetic.seed.doc_id
    target = Q.locate(db, "mentions", f"{doc}@21")
    assert target is not None and target.label == "Alexander Lukashenko"
    first = Q.locate(db, "entities", TRUMP)
    assert first is not None and synthetic.seed.text[first.start : first.end] == "Donald Trump"
    assert Q.locate(db, "quotes", "q-nope-1") is None
    assert Q.locate(db, "mentions", "garbage") is None


def test_highlights_follow_the_filters(db: StoreView, synthetic: Synthetic) -> None:
    doc = synthetic.seed.doc_id
    everything = Q.highlights(db, doc)
    kinds = {m.kind for m in everything}
    assert kinds == {"mention", "quote", "figure", "event"}
    for mark in everything:
        assert 0 <= mark.start < mark.end <= len(synthetic.seed.text)
    only_trump = Q.highlights(db, doc, FilterState(entities=(TRUMP,)))
    mentions = [m for m in only_trump if m.kind == "mention"]
    assert {synthetic.seed.text[m.start : m.end] for m in mentions} == {"Donald Trump", "Trump"}
    assert len(only_trump) < len(everything)


def test_article_text_comes_from_the_store(db: StoreView, synthetic: Synthetic) -> None:
    article, note = Q.article(db, synthetic.hostile.doc_id)
    assert article is not None and note == ""
    assert article.text == synthetic.hostile.text
    missing, why = Q.article(db, "no-such-doc")
    assert missing is None and "not in the store" in why


def test_article_whose_file_moved_or_changed_still_shows(fresh_store: Synthetic) -> None:
    db = StoreView(fresh_store.root)
    path = Path(fresh_store.hostile.path)
    path.write_text(path.read_text(encoding="utf-8") + "\nA new line.", encoding="utf-8")
    seed = Path(fresh_store.seed.path)
    shutil.move(seed, seed.with_suffix(".moved"))
    for original in (fresh_store.hostile, fresh_store.seed):
        article, why = Q.article(db, original.doc_id)
        assert article is not None and why == ""
        assert article.text == original.text  # the text as analysed: offsets still hold


def test_store_without_texts_rereads_files(fresh_store: Synthetic) -> None:
    import pyarrow.parquet as pq

    documents = fresh_store.root / "documents.parquet"
    pq.write_table(pq.read_table(documents).drop(["text"]), documents)
    db = StoreView(fresh_store.root)
    article, why = Q.article(db, fresh_store.hostile.doc_id)
    assert article is not None and article.text == fresh_store.hostile.text and why == ""
    path = Path(fresh_store.hostile.path)
    path.write_text(path.read_text(encoding="utf-8") + "\nA new line.", encoding="utf-8")
    article, why = Q.article(db, fresh_store.hostile.doc_id)
    assert article is None and "no longer where it was analysed" in why


def test_csv_is_exactly_the_filtered_rows_and_formula_safe(db: StoreView) -> None:
    state = FilterState(sources=("Evil Times",))
    data = db.csv("quotes", state, columns=["quote_id", "speaker", "text", "published", "start"])
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    assert len(rows) == db.count("quotes", state) == 1
    assert rows[0]["text"].startswith("'=HYPERLINK")  # neutralised for spreadsheets
    assert rows[0]["start"].isdigit()  # numbers stay numbers
    assert rows[0]["published"] == "2024-05-01"
    assert list(rows[0]) == ["quote_id", "speaker", "text", "published", "start"]


def test_csv_of_entities_neutralises_names_and_joins_lists(db: StoreView) -> None:
    data = db.csv("entities", FilterState(types=("ORG",)), columns=["name", "aliases"])
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
    names = {r["name"] for r in rows}
    assert "'@EvilCorp" in names and "@EvilCorp" not in names


def test_csv_in_chunks_has_one_header(db: StoreView) -> None:
    chunks = list(db.iter_rows("mentions", FilterState()))
    assert sum(len(c) for c in chunks) == db.count("mentions", FilterState())
    data = db.csv("mentions", FilterState(), columns=["doc_id", "start", "text"]).decode("utf-8")
    assert data.count("doc_id,start,text") == 1
    assert len(data.strip().splitlines()) == db.count("mentions", FilterState()) + 1


def test_empty_result_still_gives_a_header(db: StoreView) -> None:
    data = db.csv("quotes", FilterState(docs=("none",)), columns=["quote_id", "text"])
    assert data.decode("utf-8").strip() == "quote_id,text"


def test_missing_store_reads_as_empty(tmp_path: Path) -> None:
    db = StoreView(tmp_path / "nothing-here")
    assert db.is_empty
    state = FilterState(entities=(TRUMP,), event_dates=(D(2021, 1, 1), None))
    for table in LISTED:
        assert db.count(table, state) == 0
        assert db.rows(table, state).empty
    assert db.published_bounds() == (None, None)
    assert db.aggregate("cooccurrence", FilterState()).empty


def test_text_tables_carry_sentence_offsets(synthetic: Synthetic) -> None:
    for table in TEXT_TABLES:
        frame = synthetic.tables[table]
        assert {"doc_id", "start", "end", "sentence", "sentence_start"} <= set(frame.columns)


@pytest.mark.parametrize("name", ["ledger", "speakers", "source_summary", "entities", "quotes"])
@pytest.mark.parametrize("state", [FilterState(), FilterState(entities=(TRUMP,))])
def test_a_page_and_its_count_in_one_go_are_rows_and_count(
    db: StoreView, name: str, state: FilterState
) -> None:
    total = db.count(name, state)
    for offset in (0, 2, total, total + 5):
        frame, counted = db.page(name, state, limit=2, offset=offset)
        assert counted == total
        expected = db.rows(name, state, limit=2, offset=offset)
        assert list(frame.columns) == list(expected.columns)
        assert frame.astype(str).equals(expected.astype(str))


def test_every_query_reads_the_parquet_footers_from_the_cache(db: StoreView) -> None:
    # Queries run on cursors of the view's connection: the cache must hold for them too, not
    # only for the connection that set it (a plain SET is per connection).
    assert db.scalar("SELECT current_setting('parquet_metadata_cache')") is True
