"""No input sinks a reader: any text or bytes in any format gives articles, problems or notices."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.corpus import Article, Notice, Problem, read_bytes
from tests.analysis.inputs import news_page, text_pdf, warc

pytestmark = pytest.mark.usefixtures("no_network")
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))


def check(data: bytes, suffix: str) -> None:
    events = list(read_bytes(data, f"x{suffix}", suffix))
    assert events
    for event in events:
        assert isinstance(event, Article | Problem | Notice)
        if isinstance(event, Article):
            assert event.text.strip() and "\r" not in event.text


@FUZZ
@given(st.text(max_size=400), st.sampled_from([".html", ".rss", ".xml", ".csv", ".json"]))
def test_any_text_in_a_text_format(text: str, suffix: str) -> None:
    check(text.encode("utf-8", "surrogatepass"), suffix)


@FUZZ
@given(st.text(max_size=200))
def test_any_text_inside_a_page(text: str) -> None:
    check(
        news_page("Title", [text, "The council approved the budget on Tuesday."]).encode(
            "utf-8", "surrogatepass"
        ),
        ".html",
    )


@FUZZ
@given(st.binary(max_size=300), st.sampled_from([".warc", ".warc.gz", ".pdf"]))
def test_any_bytes_in_a_binary_format(data: bytes, suffix: str) -> None:
    check(data, suffix)


_PAGE = news_page("Budget", ["The council approved the budget on Tuesday after a debate."])
# Built once: warcio writes fresh record ids and dates each time, and Hypothesis needs the same
# blob (and length) on every run of an example.
_REAL = [
    (warc([("https://x.example/a", 200, "text/html", _PAGE.encode())]), ".warc.gz"),
    (warc([("https://x.example/a", 200, "text/html", _PAGE.encode())], gzip=False), ".warc"),
    (text_pdf(["The council approved the budget on Tuesday."]), ".pdf"),
]


@FUZZ
@given(st.sampled_from(range(len(_REAL))), st.floats(0, 1, exclude_max=True), st.integers(0, 255))
def test_a_changed_byte_in_real_archives_and_pdfs(which: int, at: float, value: int) -> None:
    blob, suffix = _REAL[which]
    where = int(at * len(blob))
    check(blob[:where] + bytes([value]) + blob[where + 1 :], suffix)
