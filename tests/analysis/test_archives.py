"""Web archives: every HTML page fetched whole is an article, streamed; the rest counted."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from analysis.archives import read_warc
from analysis.corpus import Article, Notice, Problem, iter_corpus, load_corpus
from tests.analysis.inputs import news_page, warc, write

pytestmark = pytest.mark.usefixtures("no_network")

HTML = "text/html; charset=utf-8"


def page(n: int, **kwargs: object) -> bytes:
    paragraphs = [
        f"Story number {n}: the city council approved the budget on Tuesday after a debate.",
        f"Mayor Ana Lopez said the plan would fund {n + 40} new teachers across the city.",
    ]
    return news_page(f"Story {n}", paragraphs, **kwargs).encode()  # type: ignore[arg-type]


def test_html_responses_are_pages_and_the_rest_is_counted_in_one_notice(tmp_path: Path) -> None:
    undated = page(2, published=None, canonical=None, site=None)
    archive = warc(
        [
            ("https://www.planet.example/news/1", 200, HTML, page(1)),
            ("https://www.planet.example/logo.png", 200, "image/png", b"\x89PNG\r\n"),
            ("https://www.planet.example/old", 301, HTML, b"<html>Moved</html>"),
            ("https://www.planet.example/gone", 404, HTML, b"<html><p>Not found</p></html>"),
            ("https://www.other.example/story-2", 200, "text/html", undated),
            ("https://www.planet.example/menu", 200, HTML, news_page("Menu", []).encode()),
        ]
    )
    path = write(tmp_path, "crawl.warc.gz", archive)
    corpus = load_corpus([path])
    first, second = corpus.articles
    assert first.text.startswith("Story number 1: the city council")
    assert (first.title, first.published, first.source, first.url) == (
        "Story 1",
        date(2025, 12, 13),
        "Daily Planet",
        "https://www.planet.example/news/1",  # the record's target URI
    )
    assert first.path == str(path)
    assert second.source == "other.example"  # no site name: the target URI's domain
    assert second.published == date.today()  # no date in the page: the WARC-Date
    # records: 1 warcinfo, then a request before each response (the menu page is record 13)
    assert [(p.record, p.reason.split(" (")[0]) for p in corpus.problems] == [
        (13, "HTML page has no main text")
    ]
    assert [n.message for n in corpus.notices] == [
        "2 page(s) read from the archive (2 by trafilatura, 1 dated by WARC-Date (no date in "
        "the page)); skipped 1 non-HTML responses, 1 redirects, 1 error responses, "
        "1 pages without main text (each reported), 7 request, metadata and other records"
    ]


def test_uncompressed_warc_reads_the_same(tmp_path: Path) -> None:
    records = [("https://planet.example/a", 200, HTML, page(1))]
    plain = load_corpus([write(tmp_path, "a.warc", warc(records, gzip=False))]).articles
    packed = load_corpus([write(tmp_path, "b/a.warc.gz", warc(records))]).articles
    assert [a.text for a in plain] == [a.text for a in packed] and len(plain) == 1


def test_charset_from_the_http_header(tmp_path: Path) -> None:
    body = page(1).replace(b"Story 1", "Caf\u00e9 story".encode("cp1252"))
    records = [("https://planet.example/a", 200, "text/html; charset=windows-1252", body)]
    [article] = load_corpus([write(tmp_path, "a.warc.gz", warc(records))]).articles
    assert article.title == "Caf\u00e9 story"


@pytest.mark.parametrize("gzip", [True, False])
@pytest.mark.parametrize("keep", [0.55, 0.8, 0.98])
def test_truncated_archive_keeps_the_records_before_and_names_the_record(
    tmp_path: Path, gzip: bool, keep: float
) -> None:
    records = [(f"https://planet.example/{n}", 200, HTML, page(n)) for n in range(6)]
    data = warc(records, gzip=gzip)
    bad = write(tmp_path, "cut.warc.gz" if gzip else "cut.warc", data[: int(len(data) * keep)])
    good = write(tmp_path, "good.txt", "The council met on Tuesday to approve the budget.")
    corpus = load_corpus([bad, good])
    from_archive = [a for a in corpus.articles if a.path == str(bad)]
    [problem] = corpus.problems
    assert problem.path == str(bad) and problem.record is not None
    assert problem.reason.startswith(f"archive truncated or corrupt at record {problem.record}")
    # every page before the broken record was read; the one cut off was not
    pages_before = (problem.record - 2) // 2  # record 1 is warcinfo, then request, response
    assert len(from_archive) == pages_before
    assert [a.text.split(":")[0] for a in from_archive] == [
        f"Story number {n}" for n in range(pages_before)
    ]
    assert any(a.path == str(good) for a in corpus.articles)


def test_not_an_archive_is_a_problem(tmp_path: Path) -> None:
    corpus = load_corpus([write(tmp_path, "x.warc", b"this is not a web archive\r\n\r\n")])
    assert corpus.articles == []
    assert corpus.problems[0].reason.startswith("archive truncated or corrupt at record 1")


class Tracked(io.BytesIO):
    """A file that remembers how far it has been read."""

    furthest = 0

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        self.furthest = max(self.furthest, self.tell())
        return data


def test_archive_is_streamed_record_by_record() -> None:
    records = [(f"https://planet.example/{n}", 200, HTML, page(n)) for n in range(200)]
    stream = Tracked(warc(records))
    events = read_warc(stream, "big.warc.gz")
    first = next(e for e in events if isinstance(e, Article))
    assert first.text.startswith("Story number 0")
    assert stream.furthest < len(stream.getvalue()) / 10  # the first page came early
    assert sum(isinstance(e, Article) for e in events) == 199


def test_iter_corpus_yields_pages_while_reading(tmp_path: Path) -> None:
    records = [(f"https://planet.example/{n}", 200, HTML, page(n)) for n in range(30)]
    path = write(tmp_path, "a.warc.gz", warc(records))
    events = iter_corpus([path])
    assert isinstance(next(events), Article)
    rest = list(events)
    assert sum(isinstance(e, Article) for e in rest) == 29
    assert not any(isinstance(e, Problem) for e in rest)


@pytest.mark.parametrize("gzip", [True, False])
def test_a_cut_anywhere_is_reported_unless_no_record_was_lost(gzip: bool) -> None:
    from warcio.archiveiterator import ArchiveIterator

    records = [(f"https://planet.example/{n}", 200, HTML, page(n)) for n in range(2)]
    data = warc(records, gzip=gzip)
    iterator, ends = ArchiveIterator(io.BytesIO(data)), set()
    for _ in iterator:
        iterator.read_to_end()
        ends.add(iterator.offset)
    for cut in range(1, len(data), 53):
        events = list(read_warc(io.BytesIO(data[:cut]), "cut.warc"))
        reported = [e for e in events if not isinstance(e, Article | Notice)]
        # only the blank lines after a complete uncompressed record may go unnoticed
        lost_nothing = any(0 <= end - cut <= 4 for end in ends) and not gzip
        assert reported or lost_nothing, cut
