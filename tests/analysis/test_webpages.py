"""HTML pages: trafilatura's main text without the boilerplate, the metadata kept, a fallback."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analysis.corpus import Notice, load_corpus
from analysis.webpages import PLAIN, TRAFILATURA, extract_page
from tests.analysis.inputs import news_page, write

pytestmark = pytest.mark.usefixtures("no_network")

PARAGRAPHS = [
    "The city council approved the budget on Tuesday after a debate that ran past midnight.",
    "Mayor Ana Lopez said the plan would fund 40 new teachers &amp; nurses across the city.",
    "The vote was seven to two.",
]
BOILERPLATE = [
    "Home",  # menu
    "Business",
    "We use cookies",  # cookie notice
    "Accept all cookies",
    "Related stories",  # related links
    "Rail strike enters its third week",
    "Reader123",  # comments
    "All rights reserved",  # footer
    "Privacy policy",
    "window.ads",  # script
    "color: #222",  # style
]


def test_main_text_without_boilerplate_and_all_metadata(tmp_path: Path) -> None:
    corpus = load_corpus(
        [write(tmp_path, "a.html", news_page("Council approves budget", PARAGRAPHS))]
    )
    assert corpus.problems == []
    [article] = corpus.articles
    assert article.text == (
        "The city council approved the budget on Tuesday after a debate that ran past midnight."
        "\n\nMayor Ana Lopez said the plan would fund 40 new teachers & nurses across the city."
        "\n\nThe vote was seven to two."
    )
    for junk in BOILERPLATE:
        assert junk not in article.text, junk
    assert (article.title, article.published, article.source, article.author, article.url) == (
        "Council approves budget",
        date(2025, 12, 13),
        "Daily Planet",
        "Ana Lopez",
        "https://www.dailyplanet.example/news/budget",
    )
    assert corpus.notices == [Notice(str(tmp_path / "a.html"), "main text read by trafilatura")]


def test_source_is_the_domain_without_www_when_the_page_names_no_site() -> None:
    page = news_page("Budget", PARAGRAPHS, site=None, canonical="https://www.planet.example/a")
    assert extract_page(page).source == "planet.example"


def test_date_from_the_url_when_the_page_has_no_date_meta() -> None:
    page = news_page(
        "Budget", PARAGRAPHS, published=None, canonical="https://planet.example/2024/03/05/budget"
    )
    assert extract_page(page).published == date(2024, 3, 5)


def test_a_date_the_article_mentions_is_not_its_publication_date() -> None:
    page = news_page(
        "Storm",
        ["The storm of 3 March 2019 was the worst in forty years, officials said."],
        published=None,
        canonical=None,
    )
    assert extract_page(page).published is None


def test_fallback_reader_only_where_trafilatura_finds_nothing(tmp_path: Path) -> None:
    body = "<p>The council approved the budget on Tuesday after a long debate.</p>"
    corpus = load_corpus([write(tmp_path, "fragment.html", body)])
    assert [a.text for a in corpus.articles] == [
        "The council approved the budget on Tuesday after a long debate."
    ]
    assert [n.message for n in corpus.notices] == [
        "trafilatura found no main text; read by the plain HTML reader"
    ]
    assert extract_page(body).reader == PLAIN
    assert extract_page(news_page("Budget", PARAGRAPHS)).reader == TRAFILATURA


@pytest.mark.parametrize(
    "page",
    [
        news_page("Budget", []),  # the article element holds only its heading and byline
        "<html><body><nav><a href='/'>Home</a> <a href='/w'>World</a></nav></body></html>",
        "<html><body><div class='comments'><p>First! Great article, thanks for it.</p></div>"
        "</body></html>",
        "<html><head><title>Empty</title></head><body><script>var x = 1;</script></body></html>",
    ],
)
def test_page_with_no_main_text_is_a_problem_and_the_rest_is_read(
    tmp_path: Path, page: str
) -> None:
    bad = write(tmp_path, "bad.html", page)
    good = write(tmp_path, "good.html", news_page("Budget", PARAGRAPHS))
    corpus = load_corpus([bad, good])
    assert [a.path for a in corpus.articles] == [str(good)]
    assert [(p.path, p.reason.split(" (")[0]) for p in corpus.problems] == [
        (str(bad), "HTML page has no main text")
    ]


def test_a_page_that_is_a_url_is_never_fetched(tmp_path: Path) -> None:
    corpus = load_corpus([write(tmp_path, "u.html", "https://example.com/news/story")])
    assert corpus.articles == [] and corpus.problems  # too short to be an article; no request


def test_tables_keep_their_cells_without_markdown_bars() -> None:
    page = (
        "<html><body><article><p>The market closed higher on Friday after a quiet week.</p>"
        "<table><tr><th>Index</th><th>Close</th></tr><tr><td>FTSE</td><td>8,100</td></tr>"
        "</table></article></body></html>"
    )
    text = extract_page(page).text
    assert "FTSE | 8,100" in text and "---" not in text and not text.startswith("|")
