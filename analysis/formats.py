"""The readers, one per file format: a file's text (or bytes) in, its articles (or why not) out.

Text formats are decoded first and read here (`.txt`, `.md`, `.json`, `.jsonl`, `.csv`) or in
`webpages` (`.html`); formats that are bytes (PDF) or too large to hold (web archives) are read
from the open file, record by record. `READERS` and `STREAM_READERS` name a reader per suffix.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, BinaryIO

from analysis.archives import read_warc
from analysis.articles import (
    Article,
    ArticleError,
    Notice,
    build_article,
    domain_of,
    normalise_newlines,
)
from analysis.dates import parse_date
from analysis.feeds import read_feed
from analysis.fields import (
    ALIASES,
    WRAPPERS,
    Columns,
    as_text,
    flatten,
    has_value,
    normalised,
    resolve,
)
from analysis.pdfs import read_pdf
from analysis.webpages import read_html

Event = Article | ArticleError | Notice
# A text reader gets the decoded text, the path to name and the explicit field mapping.
TextReader = Callable[[str, str, Mapping[str, str]], Iterator[Event]]
# A stream reader gets the open binary file and the path to name; it yields as it reads.
StreamReader = Callable[[BinaryIO, str], Iterator[Event]]

_SLUG = re.compile(r"^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$")


# -- .txt ---------------------------------------------------------------------------------------


def read_txt(text: str, path: str, fields: Mapping[str, str]) -> Iterator[Event]:
    """Seed format (date line, slug line, blank line, body) or a plain body."""
    lines = text.split("\n", 2)
    if len(lines) >= 2:
        published = parse_date(lines[0].strip()) if lines[0].strip() else None
        slug_line = lines[1].strip()
        if published is not None and _SLUG.match(slug_line):
            rest = lines[2] if len(lines) > 2 else ""
            body = rest.lstrip("\n")
            if not body.strip():
                yield ArticleError("header found but the article has no body")
                return
            yield build_article(body, path=path, slug=slug_line, published=published)
            return
        head = lines[0].strip()
        blank_third = len(lines) > 2 and lines[2].startswith("\n")
        if published is None and _SLUG.match(slug_line) and blank_third and _looks_like_date(head):
            yield ArticleError(f"unparseable date {head!r} on line 1", 1)
            return
        if published is not None and not slug_line:
            # A date line followed by the body, no slug.
            body = (lines[2] if len(lines) > 2 else "").lstrip("\n")
            if body.strip():
                yield build_article(body, path=path, published=published)
                return
    yield build_article(text, path=path)


def _looks_like_date(line: str) -> bool:
    """A short first line with digits, in a file shaped like the seed format: a date attempt."""
    return 0 < len(line) <= 40 and any(c.isdigit() for c in line)


# -- .md ----------------------------------------------------------------------------------------


def _front_matter(text: str) -> tuple[dict[str, str], str]:
    """Split simple YAML front matter (`key: value` lines) from the body."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 4)
    if end < 0:
        raise ArticleError("front matter opened with '---' but never closed")
    block = text[4:end]
    after = text.find("\n", end + 4)
    body = "" if after < 0 else text[after + 1 :]
    meta: dict[str, str] = {}
    for number, line in enumerate(block.split("\n"), start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        key, sep, value = line.partition(":")
        if not sep or not key.strip() or key.startswith((" ", "\t", "-")):
            if line.startswith((" ", "\t", "-")):
                continue  # nested YAML we do not use
            raise ArticleError(f"malformed front matter: {line.strip()[:60]!r}", number)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        meta[key.strip().lower()] = value
    return meta, body.lstrip("\n")


def read_md(text: str, path: str, fields: Mapping[str, str]) -> Iterator[Event]:
    """Markdown, optional front matter (title, date, source, url); a leading '# ' is the title."""
    meta, body = _front_matter(text)
    title = meta.get("title")
    if not title:
        match = re.match(r"#\s+(.+)\n", body)
        if match:
            title = match.group(1).strip()
            body = body[match.end() :].lstrip("\n")
    record = {**meta, "text": body, "title": title or ""}
    yield _article(record, resolve(list(record), {"text": "text"}, lambda k: bool(record[k])), path)


# -- .json / .jsonl / .csv ----------------------------------------------------------------------


def _article(
    record: Mapping[str, Any],
    columns: Columns,
    path: str,
    line: int | None = None,
    number: int | None = None,
) -> Article:
    """The article one record makes, reading each field from the column `columns` names."""

    def get(field: str) -> Any:
        column = columns.by_field.get(field)
        return None if column is None else record.get(column)

    text = get("text")
    if not isinstance(text, str) or not text.strip():
        what = "no text" if text is None or isinstance(text, str) else type(text).__name__
        raise ArticleError(f"{what} in {columns.by_field['text']!r}", line, number)
    raw_date = get("date")
    published: date | None = None
    if has_value(raw_date):
        if isinstance(raw_date, int | float) and not isinstance(raw_date, bool):
            published = _from_timestamp(raw_date)
        else:
            published = parse_date(str(raw_date))
        if published is None:
            raise ArticleError(f"unparseable date {str(raw_date)[:60]!r}", line, number)
    url = as_text(get("url"))
    explicit_id = as_text(get("id"))
    return build_article(
        normalise_newlines(text),
        path=path,
        title=as_text(get("title")) or None,
        slug=as_text(get("slug")) or None,
        published=published,
        source=as_text(get("source")) or domain_of(url),
        doc_id=explicit_id or None,
        url=url,
        author=as_text(get("author")),
    )


def _from_timestamp(value: float) -> date | None:
    seconds = value / 1000 if value > 1e11 else value  # milliseconds are common in exports
    try:
        return datetime.fromtimestamp(seconds).date()
    except (OverflowError, OSError, ValueError):
        return None


def _records(
    items: Iterable[tuple[int | None, int | None, Any]],
    path: str,
    fields: Mapping[str, str],
    columns: Columns | None = None,
) -> Iterator[Event]:
    """Articles from `(line, record number, object)` items; the columns resolved per object
    unless the file fixed them (CSV). The same failure in every record is reported once."""
    errors: list[ArticleError] = []
    notes: dict[str, None] = {}
    produced = False
    for line, number, item in items:
        if isinstance(item, ArticleError):
            errors.append(item)
            continue
        if not isinstance(item, dict):
            errors.append(
                ArticleError(f"expected an object, found {type(item).__name__}", line, number)
            )
            continue
        flat = flatten(item) if columns is None else item
        try:
            these = columns or resolve(list(flat), fields, _holds_value(flat))
            article = _article(flat, these, path, line, number)
        except ArticleError as err:
            errors.append(ArticleError(err.reason, line, number))
            continue
        if these.note:
            notes[these.note] = None
        produced = True
        yield article
    for note in notes:
        yield Notice(path, note)
    if not produced and len(errors) > 1 and len({e.reason for e in errors}) == 1:
        yield ArticleError(f"{errors[0].reason} (in all {len(errors)} records)")
        return
    yield from errors


def _holds_value(record: Mapping[str, Any]) -> Callable[[str], bool]:
    return lambda column: has_value(record[column])


def _article_list(data: Any) -> Any:
    """The articles a JSON document holds: itself, or a list it wraps ({"articles": [...]})."""
    if not isinstance(data, dict) or any(normalised(str(k)) in ALIASES["text"] for k in data):
        return data
    lowered = {str(k).lower(): v for k, v in data.items()}
    for key in WRAPPERS:
        inner = lowered.get(key)
        if isinstance(inner, list):
            return inner
        if isinstance(inner, dict):
            found = _article_list(inner)
            if isinstance(found, list):
                return found
    return data


def read_json(text: str, path: str, fields: Mapping[str, str]) -> Iterator[Event]:
    """One object, a list of objects, or a list wrapped in an object (NewsAPI's "articles")."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ArticleError(f"malformed JSON: {err.msg} (column {err.colno})", err.lineno) from err
    data = _article_list(data)
    if isinstance(data, list):
        if not data:
            raise ArticleError("JSON holds an empty list")
        yield from _records(((None, i, item) for i, item in enumerate(data, 1)), path, fields)
    else:
        yield from _records([(None, None, data)], path, fields)


def read_jsonl(text: str, path: str, fields: Mapping[str, str]) -> Iterator[Event]:
    """One JSON object per line; a broken line is reported with its number, the rest read."""

    def items() -> Iterator[tuple[int | None, int | None, Any]]:
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                yield number, None, json.loads(line)
            except json.JSONDecodeError as err:
                yield number, None, ArticleError(f"malformed JSON line: {err.msg}", number)

    yield from _records(items(), path, fields)


def read_csv(text: str, path: str, fields: Mapping[str, str]) -> Iterator[Event]:
    """One article per row with a header row naming the columns; ragged rows reported by line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as err:
        raise ArticleError(f"malformed CSV header: {err}") from err
    names = [h.strip().lstrip("\ufeff") for h in header]
    rows: list[tuple[int | None, int | None, Any]] = []
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            rows.append((line, None, ArticleError(f"malformed CSV: {err}", line)))
            break
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            error = ArticleError(f"row has {len(row)} fields, header has {len(names)}", line)
            rows.append((line, None, error))
            continue
        rows.append((line, None, dict(zip(names, row, strict=True))))

    def present(column: str) -> bool:
        return any(isinstance(r, dict) and r.get(column, "").strip() for _, _, r in rows)

    try:
        columns = resolve(names, fields, present)
    except ArticleError as err:
        raise ArticleError(err.reason, 1) from err
    yield from _records(rows, path, fields, columns)


# -- the formats ----------------------------------------------------------------------------------

READERS: dict[str, TextReader] = {
    ".txt": read_txt,
    ".md": read_md,
    ".markdown": read_md,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".csv": read_csv,
}
STREAM_READERS: dict[str, StreamReader] = {
    ".warc": read_warc,
    ".warc.gz": read_warc,
    ".pdf": read_pdf,
    ".rss": read_feed,  # bytes: the XML declares its own encoding
    ".atom": read_feed,
    ".xml": read_feed,
}
# Read from the open file as they go: never limited by size, never held whole.
STREAMED = frozenset({".warc", ".warc.gz"})
SUFFIXES = (*READERS, *STREAM_READERS)


def format_suffix(name: str) -> str:
    """The suffix that names a file's format: '.warc.gz' for 'x.warc.gz', else the last one."""
    lowered = name.lower()
    for compound in (".warc.gz",):
        if lowered.endswith(compound):
            return compound
    dot = lowered.rfind(".")
    slash = max(lowered.rfind("/"), lowered.rfind("\\"))
    return lowered[dot:] if dot > slash + 1 else ""
