"""Web archives (.warc, .warc.gz): every HTML page fetched whole is an article, read as it streams.

Records are read one at a time from the open file, so an archive of any size is never held in
memory and its articles reach the caller while the rest is still being read. warcio does not
notice a cut-off file by itself: a record whose block ends before its Content-Length, or a gzip
member that never ends, is reported as truncated with its record number.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO

from analysis.articles import Article, ArticleError, Notice, decode, normalise_newlines
from analysis.webpages import TRAFILATURA, extract_page, page_article

# One page larger than this is not an article (the same limit as one article file).
MAX_PAGE_BYTES = 64 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_DRAIN = 1 << 16


def read_warc(stream: BinaryIO, path: str) -> Iterator[Article | ArticleError | Notice]:
    """The HTML pages of a WARC archive; other records counted in one closing notice."""
    from warcio.archiveiterator import ArchiveIterator

    counts: Counter[str] = Counter()
    iterator = ArchiveIterator(stream)
    reader = iterator.reader
    decompressor: Any = None
    number = end = 0
    for number, record, failure in _records(iter(iterator)):
        if failure:
            yield _broken(number, failure)
            break
        decompressor = reader.decompressor or decompressor
        try:
            kind, payload = _payload(record)
            truncated = _drain(record)
        except Exception as err:  # a cut-off gzip member raises from zlib or warcio
            yield _broken(number, f"{type(err).__name__}: {err}")
            break
        if truncated:
            yield _broken(number, "the record ends before its Content-Length")
            break
        iterator.read_to_end()  # past the blank lines after the record, to where the next begins
        end = iterator.offset
        counts[kind] += 1
        if payload is not None:
            event = _page(record, payload, path, number, counts)
            if event is not None:
                yield event
    else:  # the archive ended where a record ended: check that it ended where gzip did
        if number == 0:
            yield ArticleError("no WARC records in the file (not a web archive?)")
        elif decompressor is not None and not decompressor.eof:
            yield _broken(number, "the gzip stream ends inside a record")
        elif end < _size(stream):  # warcio takes a record cut inside its headers for the end
            yield _broken(number + 1, "the file ends inside the record's headers")
    yield Notice(path, _summary(counts))


def _records(records: Iterator[Any]) -> Iterator[tuple[int, Any, str]]:
    """(number, record, "") for each record; (number, None, why) for one that cannot be read."""
    number = 0
    while True:
        number += 1
        try:
            record = next(records)
        except StopIteration:
            return
        except Exception as err:  # warcio raises many kinds on a broken archive
            yield number, None, f"{type(err).__name__}: {err}"
            return
        if record.format != "warc":  # warcio also reads the older ARC format, and so would this
            yield number, None, f"an {record.format.upper()} record, not a WARC record"
            return
        if not (record.rec_headers.get_header("Content-Length") or "").strip().isdigit():
            yield number, None, "the record's headers end before its Content-Length"
            return
        yield number, record, ""


def _size(stream: BinaryIO) -> int:
    try:
        return stream.seek(0, io.SEEK_END)
    except (OSError, ValueError):  # not seekable: nothing to compare with
        return 0


def _broken(number: int, detail: str) -> ArticleError:
    return ArticleError(
        f"archive truncated or corrupt at record {number} ({detail}); "
        f"the {number - 1} record(s) before it were read",
        record=number,
    )


def _payload(record: Any) -> tuple[str, bytes | None]:
    """What the record is ('page', 'redirect', ...) and, for a page, its decoded-HTTP body."""
    if record.rec_type != "response":
        return "other", None
    http = record.http_headers
    status = http.get_statuscode() if http is not None else None
    if status is None or not status.isdigit():
        return "other", None
    code = int(status)
    if 300 <= code < 400:
        return "redirect", None
    if code >= 400:
        return "error", None
    content_type = (http.get_header("Content-Type") or "").split(";")[0].strip().lower()
    if code != 200:
        return "other status", None
    if content_type not in _HTML_TYPES:
        return "non-HTML", None
    body = record.content_stream().read(MAX_PAGE_BYTES + 1)
    if len(body) > MAX_PAGE_BYTES:
        return "too large", None
    return "page", body


def _drain(record: Any) -> bool:
    """Read the rest of the record's block; True when the file ended before it did."""
    raw = record.raw_stream
    while raw.read(_DRAIN):
        pass
    return bool(getattr(raw, "limit", 0))


def _page(
    record: Any, body: bytes, path: str, number: int, counts: Counter[str]
) -> Article | ArticleError | None:
    content_type = record.http_headers.get_header("Content-Type") or ""
    try:
        text = normalise_newlines(_decode_page(body, content_type))
        page = extract_page(text, url=record.rec_headers.get_header("WARC-Target-URI") or "")
        crawled = _warc_date(record.rec_headers.get_header("WARC-Date"))
        article = page_article(page, path, published=crawled)
    except ArticleError as err:
        counts["unreadable"] += 1
        return ArticleError(err.reason, record=number)
    counts["by trafilatura" if page.reader == TRAFILATURA else "by the plain reader"] += 1
    if page.published is None and article.published is not None:
        counts["dated by WARC-Date"] += 1
    return article


def _decode_page(body: bytes, content_type: str) -> str:
    """The page's text: the charset its HTTP header or meta tag declares, else UTF-8 or cp1252."""
    declared = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9._:-]+)", content_type, re.I)
    meta = None if declared else _META_CHARSET.search(body[:4096])
    charset = declared.group(1) if declared else meta.group(1).decode("ascii") if meta else ""
    if charset:
        try:
            return body.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(body)[0]


def _warc_date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _summary(counts: Counter[str]) -> str:
    read = counts["by trafilatura"] + counts["by the plain reader"]
    how = [f"{counts[k]:,} {k}" for k in ("by trafilatura", "by the plain reader") if counts[k]]
    if counts["dated by WARC-Date"]:
        how.append(f"{counts['dated by WARC-Date']:,} dated by WARC-Date (no date in the page)")
    skipped = [
        f"{counts[key]:,} {label}"
        for key, label in (
            ("non-HTML", "non-HTML responses"),
            ("redirect", "redirects"),
            ("error", "error responses"),
            ("other status", "responses with another status"),
            ("too large", "pages over the size limit"),
            ("unreadable", "pages without main text (each reported)"),
            ("other", "request, metadata and other records"),
        )
        if counts[key]
    ]
    text = f"{read:,} page(s) read from the archive"
    if how:
        text += f" ({', '.join(how)})"
    return text + (f"; skipped {', '.join(skipped)}" if skipped else "")
