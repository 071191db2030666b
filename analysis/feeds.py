"""RSS and Atom feeds: one article per entry, the full content where the feed carries it.

feedparser is only ever given the file's bytes (given a string it would open it as a URL or a
file name); the XML declares its own encoding, so the bytes are not decoded first.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from typing import Any, BinaryIO

from analysis.articles import (
    Article,
    ArticleError,
    Notice,
    build_article,
    domain_of,
    normalise_newlines,
)
from analysis.dates import parse_date
from analysis.webpages import fragment_text

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def read_feed(stream: BinaryIO, path: str) -> Iterator[Article | ArticleError | Notice]:
    """Every entry of an RSS or Atom feed; a file that is no feed is reported as such."""
    import feedparser

    parsed: Any = feedparser.parse(stream.read(), sanitize_html=True)
    broken = parsed.get("bozo_exception") if parsed.get("bozo") else None
    if not parsed.get("version") and not parsed.entries:
        reason = "not an RSS or Atom feed"
        raise ArticleError(f"{reason} ({_describe(broken)})" if broken else reason)
    if not parsed.entries:
        raise ArticleError("feed has no entries")
    feed = parsed.feed
    source = " ".join(str(feed.get("title") or "").split()) or domain_of(feed.get("link") or "")
    full = from_summary = 0
    for number, entry in enumerate(parsed.entries, start=1):
        text, is_full = _entry_text(entry)
        if not text:
            yield ArticleError("entry has neither content nor a summary", record=number)
            continue
        link = str(entry.get("link") or "")
        try:
            yield build_article(
                text,
                path=path,
                title=" ".join(str(entry.get("title") or "").split()) or None,
                published=_entry_date(entry),
                source=source or domain_of(link),
                url=link,
                author=str(entry.get("author") or ""),
            )
        except ArticleError as err:
            yield ArticleError(err.reason, record=number)
            continue
        full += is_full
        from_summary += not is_full
    if broken:
        yield Notice(path, f"feed is not well-formed ({_describe(broken)}); read what parsed")
    yield Notice(
        path,
        f"{full + from_summary} feed entries read: {full} with full content, "
        f"{from_summary} from the summary only",
    )


def _describe(error: Any) -> str:
    return str(getattr(error, "getMessage", lambda: error)()) or type(error).__name__


def _entry_text(entry: Any) -> tuple[str, bool]:
    """The entry's full content when it has one (content:encoded, Atom content), else its summary;
    HTML reduced to its text paragraph by paragraph."""
    contents = [c for c in entry.get("content") or [] if str(c.get("value") or "").strip()]
    if contents:
        best = max(contents, key=lambda c: len(str(c.get("value"))))
        text = _as_text(str(best.get("value")), str(best.get("type") or "text/html"))
        if text:
            return text, True
    summary = str(entry.get("summary") or "")
    detail = entry.get("summary_detail") or {}
    return _as_text(summary, str(detail.get("type") or "text/html")), False


def _as_text(value: str, kind: str) -> str:
    if kind.lower() in _HTML_TYPES or "<" in value:
        return fragment_text(value)
    return normalise_newlines(value).strip()


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if isinstance(parsed, time.struct_time):
            return date(parsed.tm_year, parsed.tm_mon, parsed.tm_mday)
    for key in ("published", "updated", "created"):
        if entry.get(key):
            return parse_date(str(entry.get(key)))
    return None
