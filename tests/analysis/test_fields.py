"""Exports from other tools: their column names mapped to article fields, or named explicitly."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import pytest

from analysis.corpus import load_corpus
from tests.analysis.inputs import write

TEXT = "The city council approved the budget on Tuesday."

NEWSAPI = {
    "status": "ok",
    "totalResults": 2,
    "articles": [
        {
            "source": {"id": "bbc-news", "name": "BBC News"},
            "author": "Ana Lopez",
            "title": "Council approves budget",
            "description": "The council met.",
            "url": "https://www.bbc.co.uk/news/budget",
            "publishedAt": "2025-12-13T09:30:00Z",
            "content": TEXT,
        },
        {
            "source": {"id": None, "name": ""},
            "title": "Port reopens",
            "description": "The port reopened on Sunday after the storm.",
            "url": "https://www.port-news.example/reopens",
            "publishedAt": "2025-12-14T08:00:00Z",
            "content": None,
        },
    ],
}


def csv_text(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def test_newsapi_nested_source_and_description_as_a_last_resort(tmp_path: Path) -> None:
    corpus = load_corpus([write(tmp_path, "newsapi.json", json.dumps(NEWSAPI))])
    assert corpus.problems == []
    first, second = corpus.articles
    assert (first.text, first.title, first.published, first.source, first.url, first.author) == (
        TEXT,
        "Council approves budget",
        date(2025, 12, 13),
        "BBC News",
        "https://www.bbc.co.uk/news/budget",
        "Ana Lopez",
    )
    # no content: the description is the text, the URL's domain the source
    assert (second.text, second.source) == (
        "The port reopened on Sunday after the storm.",
        "port-news.example",
    )
    assert [n.message for n in corpus.notices] == [
        "the text column 'content' is empty: the text is read from 'description', which is often "
        "only a summary"
    ]


def test_media_cloud_style_csv(tmp_path: Path) -> None:
    rows = [
        {
            "stories_id": "1234",
            "publish_date": "2025-12-13 09:30:00",
            "title": "Council approves budget",
            "url": "https://www.planet.example/a",
            "media_name": "Daily Planet",
            "story_text": TEXT,
        }
    ]
    [article] = load_corpus([write(tmp_path, "mc.csv", csv_text(rows))]).articles
    assert (article.doc_id, article.published, article.source, article.text) == (
        "1234",
        date(2025, 12, 13),
        "Daily Planet",
        TEXT,
    )


def test_explicit_fields_override_the_names(tmp_path: Path) -> None:
    rows = [{"when": "13/12/2025", "outlet_label": "Daily Planet", "words": TEXT, "text": "x"}]
    path = write(tmp_path, "odd.csv", csv_text(rows))
    corpus = load_corpus([path], fields={"date": "when", "source": "outlet_label", "text": "words"})
    [article] = corpus.articles
    assert (article.text, article.published, article.source) == (
        TEXT,
        date(2025, 12, 13),
        "Daily Planet",
    )


def test_explicit_fields_reach_nested_json_and_jsonl(tmp_path: Path) -> None:
    line = json.dumps({"fields": {"bodyText": TEXT}, "meta": {"day": "2025-12-13"}})
    path = write(tmp_path, "g.jsonl", line + "\n")
    [article] = load_corpus([path], fields={"date": "meta.day"}).articles
    assert (article.text, article.published) == (TEXT, date(2025, 12, 13))


def test_ambiguous_text_column_names_the_columns_and_the_way_out(tmp_path: Path) -> None:
    rows = [{"title": "T", "text": TEXT, "body": "Another body.", "date": "2025-12-13"}]
    corpus = load_corpus([write(tmp_path, "two.csv", csv_text(rows))])
    assert corpus.articles == []
    [problem] = corpus.problems
    assert problem.reason == (
        "ambiguous text column: 'text', 'body' could each be the text; choose one with fields "
        "text=COLUMN (columns found: 'title', 'text', 'body', 'date')"
    )
    chosen = load_corpus([tmp_path / "two.csv"], fields={"text": "body"}).articles
    assert [a.text for a in chosen] == ["Another body."]


def test_missing_text_column_names_the_columns(tmp_path: Path) -> None:
    rows = [{"id": "1", "publish_date": "2025-12-13", "title": "T", "url": "https://x.example"}]
    [problem] = load_corpus([write(tmp_path, "mc.csv", csv_text(rows))]).problems
    assert problem.reason.startswith("no text column")
    assert "columns found: 'id', 'publish_date', 'title', 'url'" in problem.reason


def test_csv_whose_text_column_is_empty_is_one_problem(tmp_path: Path) -> None:
    rows = [{"title": f"T{i}", "text": ""} for i in range(5)]
    path = write(tmp_path, "empty.csv", csv_text(rows))
    corpus = load_corpus([path, write(tmp_path, "good.txt", TEXT)])
    assert [(p.path, p.line, p.reason) for p in corpus.problems] == [
        (str(path), 1, "the text column 'text' is empty")
    ]
    assert len(corpus.articles) == 1


def test_the_same_failure_in_every_record_is_reported_once(tmp_path: Path) -> None:
    records = [{"title": f"T{i}", "words": TEXT} for i in range(4)]
    corpus = load_corpus([write(tmp_path, "a.json", json.dumps(records))])
    [problem] = corpus.problems
    assert problem.reason.endswith("(in all 4 records)") and "'words'" in problem.reason


def test_json_list_problems_carry_their_record_number(tmp_path: Path) -> None:
    records = [{"text": TEXT}, {"title": "no text"}, {"text": "Second story."}]
    corpus = load_corpus([write(tmp_path, "a.json", json.dumps(records))])
    assert len(corpus.articles) == 2
    assert [p.record for p in corpus.problems] == [2]
    assert str(corpus.problems[0]).startswith(f"{tmp_path / 'a.json'} (record 2): no text column")


def test_explicit_column_not_in_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "a.csv", csv_text([{"title": "T", "text": TEXT}]))
    [problem] = load_corpus([path], fields={"date": "published_on"}).problems
    assert problem.reason == (
        "column 'published_on' (fields date=published_on) not found; columns found: 'title', 'text'"
    )


@pytest.mark.parametrize("fields", [{"dat": "x"}, {"text": " "}])
def test_an_unknown_field_is_refused_before_reading(fields: dict[str, str]) -> None:
    with pytest.raises(ValueError, match="fields"):
        load_corpus([], fields=fields)


def test_source_is_the_url_domain_without_www(tmp_path: Path) -> None:
    record = {"text": TEXT, "link": "https://www.planet.example/news/a"}
    [article] = load_corpus([write(tmp_path, "a.json", json.dumps(record))]).articles
    assert (article.source, article.url) == ("planet.example", record["link"])


def test_plain_txt_without_source_info_keeps_it_empty(tmp_path: Path) -> None:
    [article] = load_corpus([write(tmp_path, "a.txt", TEXT)]).articles
    assert article.source == ""
