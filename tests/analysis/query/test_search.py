"""Search through the query layer: hits on the seed store, the query as a filter everywhere,
keyword in context, counts over time, the CLI, and the index kept up to date by `analyze`."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path
from typing import Any

import pytest

from analysis.cli import main
from analysis.pipeline import run
from analysis.query import Filter, Options, StoreView
from analysis.search import QuerySyntaxError
from analysis.store import Store
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def view(seed_store: Path) -> StoreView:
    return StoreView(seed_store)


@pytest.mark.parametrize(
    ("query", "hits", "articles"),
    [
        ("potash", 2, 1),
        ('"political prisoners"', 3, 1),
        ("sanctions -potash", 0, 0),  # the seed mentions both
        ("Lukashenko", 8, 1),
        ("LUKASHENKO", 8, 1),
        ("potash OR Bialiatski", None, 1),
        ("prison*", None, 1),
        ("~release", None, 1),
        ('"prisoners political"', 0, 0),
        ("zzyzx", 0, 0),
    ],
)
def test_hits_on_the_seed(view: StoreView, query: str, hits: int | None, articles: int) -> None:
    flt = Filter(query=query)
    if hits is not None:
        assert view.count("hits", flt) == hits
    assert view.count("documents", flt) == articles


def test_hits_slice_back_and_carry_their_context(view: StoreView, seed_store: Path) -> None:
    text = Store(seed_store).read("documents")["text"].iloc[0]
    rows = view.rows("hits", Filter(query='~release OR "political prisoners"'), limit=None)
    assert len(rows) > 3
    for row in rows.itertuples(index=False):
        assert text[row.start : row.end] == row.match
        assert text[row.start - len(row.left) : row.start] == row.left
        assert text[row.end : row.end + len(row.right)] == row.right
        assert text[row.sentence_start : row.sentence_start + len(row.sentence)] == row.sentence
        assert row.sentence_start <= row.start < row.sentence_start + len(row.sentence)
    forms = {m.lower() for m in view.rows("hits", Filter(query="~release"), limit=None)["match"]}
    assert {"release", "released"} <= forms  # inflections through spaCy's lemmas


def test_sorting_by_the_words_around(view: StoreView) -> None:
    flt = Filter(query="Lukashenko")
    after = view.rows("hits", flt, limit=None, opts=Options(sort="right"))["right"]
    assert list(after) == sorted(after, key=lambda r: r.strip().lower())


def test_the_query_filters_every_table(view: StoreView) -> None:
    for table in ("documents", "mentions", "quotes", "figures", "events", "entities", "ledger"):
        everything = view.count(table, Filter())
        assert view.count(table, Filter(query="Lukashenko")) == everything, table
        assert view.count(table, Filter(query="zzyzx")) == 0, table
    nobody = Filter(query="potash", docs=("not-this-one",))
    assert view.count("quotes", nobody) == 0


@pytest.mark.parametrize(
    "query", ['"political prisoners', "(potash", "potash)", "-", "OR potash", "potash -", "()"]
)
def test_malformed_queries_say_what_is_wrong(view: StoreView, query: str) -> None:
    with pytest.raises(QuerySyntaxError) as err:
        view.count("quotes", Filter(query=query))
    assert str(err.value)


def test_hits_over_time_counts_and_shares(view: StoreView) -> None:
    trend = view.rows("hits_over_time", Filter(query="potash"), limit=None, opts=Options())
    assert trend[["n_hits", "n_documents", "n_articles", "share"]].values.tolist() == [
        [2, 1, 1, 1.0]
    ]


def test_cli_search(seed_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "hits.csv"
    assert main(["search", str(seed_store), '"political prisoners"', "-o", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert len(rows) == 3
    assert {"doc_id", "published", "title", "start", "end", "match", "left", "right"} <= set(
        rows[0]
    )
    assert {r["match"] for r in rows} == {"political prisoners"}
    assert main(["search", str(seed_store), "potash", "--limit", "1"]) == 0
    assert len(list(csv.DictReader(io.StringIO(capsys.readouterr().out)))) == 1
    assert main(["search", str(seed_store), '"unclosed']) == 2
    assert "never closed" in capsys.readouterr().err
    assert main(["export", str(seed_store), "--table", "quotes", "--query", "zzyzx"]) == 0
    assert capsys.readouterr().out.strip().count("\n") == 0  # the header alone


def test_the_index_follows_the_corpus(tmp_path: Path, nlp: Any, make_article: Any) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    shutil.copy(next(SEEDS.glob("*.txt")), folder / "seed.txt")
    (folder / "other.txt").write_text(
        "2026-01-05\nother\n\nPotash exports from Belarus fell again, traders said.\n",
        encoding="utf-8",
    )
    root = tmp_path / "store"
    run([folder], root, nlp=nlp)
    assert StoreView(root).count("documents", Filter(query="potash")) == 2
    (folder / "other.txt").unlink()
    run([folder], root, nlp=nlp)
    view = StoreView(root)
    assert view.count("documents", Filter(query="potash")) == 1
    assert view.count("hits", Filter(query="traders")) == 0  # removed with its article


def test_an_index_in_an_older_layout_reads_as_none_until_analysed_again(
    seed_store: Path, tmp_path: Path
) -> None:
    from tests.conftest import with_older_index

    view = StoreView(with_older_index(seed_store, tmp_path / "store"))
    assert "postings" in view.stale_tables
    assert view.count("hits", Filter(query='"political prisoners"')) == 0
    assert view.rows("hits", Filter(query="potash"), limit=25).empty
    assert view.count("documents", Filter()) == 1  # the rest of the store as it was
