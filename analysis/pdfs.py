"""PDF files with a text layer: the text page by page, title and date from the metadata.

A scanned PDF (pages that are pictures, no text layer) is skipped with that reason: newslens
does no OCR. An encrypted PDF opens when it needs no password to read (many only restrict
editing); otherwise it is reported.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO

from analysis.articles import Article, ArticleError, Notice, build_article, normalise_newlines

_PDF_DATE = re.compile(r"^(?:D:)?(\d{4})(\d{2})?(\d{2})?")
# Titles that are a file name or an editor's label, not the document's title.
_NO_TITLE = re.compile(r"(^microsoft word - |^untitled\b|\.(docx?|pdf|odt|rtf|indd)$)", re.I)


def read_pdf(stream: BinaryIO, path: str) -> Iterator[Article | ArticleError | Notice]:
    """One article per PDF: its pages' text, a blank line between pages."""
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings are about layout quirks
    try:
        reader = PdfReader(stream)
        encrypted = reader.is_encrypted
    except Exception as err:  # pypdf raises many kinds on a malformed file
        raise ArticleError(f"malformed PDF: {err}") from err
    if encrypted:
        try:
            opened = bool(reader.decrypt(""))
        except Exception as err:  # DependencyError for AES without a crypto library, ...
            raise ArticleError(f"encrypted PDF that cannot be opened: {err}") from err
        if not opened:
            raise ArticleError("encrypted PDF: it needs a password to open")
        yield Notice(path, "encrypted PDF opened without a password")
    try:
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as err:
        raise ArticleError(f"cannot read the PDF's text: {err}") from err
    text = "\n\n".join(p.strip() for p in (normalise_newlines(p) for p in pages) if p.strip())
    if not text:
        raise ArticleError(
            f"no text layer in its {len(pages)} page(s) (a scanned PDF?); "
            "skipped, since newslens does no OCR"
        )
    meta = _metadata(reader)
    title = str(meta.get("/Title") or "").strip()
    yield build_article(
        text,
        path=path,
        title=None if not title or _NO_TITLE.search(title) else " ".join(title.split()),
        published=_pdf_date(meta.get("/CreationDate")) or _pdf_date(meta.get("/ModDate")),
        source=str(meta.get("/Publisher") or meta.get("/Source") or ""),
        author=str(meta.get("/Author") or ""),
    )


def _metadata(reader: Any) -> dict[str, Any]:
    try:
        return dict(reader.metadata or {})
    except Exception:  # broken metadata loses the title and date, not the text
        return {}


def _pdf_date(value: Any) -> date | None:
    """A PDF date string ('D:20251213093000+00'00'') as a date."""
    match = _PDF_DATE.match(str(value or "").strip())
    if not match or match.group(3) is None:  # a year or month alone is no publication day
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
