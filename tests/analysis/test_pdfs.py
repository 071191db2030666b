"""PDF files: the text layer with title and date from the metadata; scans and locks reported."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from analysis.corpus import load_corpus, read_bytes
from analysis.pdfs import _pdf_date
from tests.analysis.inputs import encrypted, text_pdf, write

LINES = [
    "Council approves budget",
    "The city council approved the budget on Tuesday.",
    "Mayor Ana Lopez said the plan would fund 40 new teachers.",
]
INFO = {
    "Title": "Council approves budget",
    "Author": "Ana Lopez",
    "CreationDate": "D:20251213093000+00'00'",
}


def test_text_pdf_with_title_date_and_author(tmp_path: Path) -> None:
    corpus = load_corpus([write(tmp_path, "budget.pdf", text_pdf(LINES, info=INFO))])
    assert corpus.problems == []
    [article] = corpus.articles
    assert article.text == "\n".join(LINES)
    assert (article.title, article.published, article.author) == (
        "Council approves budget",
        date(2025, 12, 13),
        "Ana Lopez",
    )


def test_a_file_name_is_no_title(tmp_path: Path) -> None:
    info = {"Title": "Microsoft Word - budget_final.docx"}
    [article] = load_corpus([write(tmp_path, "a.pdf", text_pdf(LINES, info=info))]).articles
    assert article.title == "Council approves budget"  # the first line instead


def test_scanned_pdf_is_skipped_with_the_reason(tmp_path: Path) -> None:
    scan = write(tmp_path, "scan.pdf", text_pdf([], drawing_only=True))
    good = write(tmp_path, "good.pdf", text_pdf(LINES))
    corpus = load_corpus([scan, good])
    assert [a.path for a in corpus.articles] == [str(good)]
    assert corpus.problems[0].path == str(scan)
    assert corpus.problems[0].reason.startswith("no text layer in its 1 page(s) (a scanned PDF?)")
    assert "no OCR" in corpus.problems[0].reason


def test_encrypted_pdf_is_reported_unless_it_opens_without_a_password(tmp_path: Path) -> None:
    locked = write(tmp_path, "locked.pdf", encrypted(text_pdf(LINES), user_password="secret"))
    open_ = write(tmp_path, "open.pdf", encrypted(text_pdf(LINES), user_password=""))
    corpus = load_corpus([locked, open_])
    assert [a.path for a in corpus.articles] == [str(open_)]
    assert [(p.path, p.reason) for p in corpus.problems] == [
        (str(locked), "encrypted PDF: it needs a password to open")
    ]
    assert [n.message for n in corpus.notices] == ["encrypted PDF opened without a password"]


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"%PDF-1.4\nthis is not really a PDF", "malformed PDF"),
        (b"", "empty file"),
    ],
)
def test_broken_pdf_is_a_problem(tmp_path: Path, content: bytes, reason: str) -> None:
    corpus = load_corpus([write(tmp_path, "bad.pdf", content)])
    assert corpus.articles == [] and corpus.problems[0].reason.startswith(reason)


def test_uploaded_pdf_bytes() -> None:
    events = list(read_bytes(text_pdf(LINES), "upload.pdf", ".pdf"))
    assert [type(e).__name__ for e in events] == ["Article"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("D:20251213093000+00'00'", date(2025, 12, 13)),
        ("20240229", date(2024, 2, 29)),
        ("D:2025", None),  # a year alone is no publication day
        ("D:20251399", None),
        ("", None),
    ],
)
def test_pdf_dates(raw: str, expected: date | None) -> None:
    assert _pdf_date(raw) == expected
