"""The readers, one per file format: a file's text in, its articles (or why not) out."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from typing import Any

from analysis.articles import Article, ArticleError, build_article, normalise_newlines
from analysis.dates import parse_date

_SLUG = re.compile(r"^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$")


# -- .txt ---------------------------------------------------------------------------------------


def read_txt(text: str, path: str) -> Iterator[Article | ArticleError]:
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


def read_md(text: str, path: str) -> Iterator[Article | ArticleError]:
    """Markdown, optional front matter (title, date, source, url); a leading '# ' is the title."""
    meta, body = _front_matter(text)
    title = meta.get("title")
    if not title:
        match = re.match(r"#\s+(.+)\n", body)
        if match:
            title = match.group(1).strip()
            body = body[match.end() :].lstrip("\n")
    yield _from_fields({**meta, "text": body, "title": title or ""}, path)


# -- .html --------------------------------------------------------------------------------------

_BLOCK_TAGS = {
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "section",
    "article",
    "tr",
    "pre",
    "figcaption",
    "dd",
    "dt",
}
_SKIP_TAGS = {
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "footer",
    "header",
    "aside",
    "form",
    "iframe",
    "object",
    "button",
    "select",
}
_VOID_TAGS = {
    "br",
    "img",
    "meta",
    "link",
    "input",
    "hr",
    "area",
    "base",
    "col",
    "embed",
    "source",
    "track",
    "wbr",
}
_DATE_META = (
    "article:published_time",
    "datepublished",
    "date",
    "pubdate",
    "publishdate",
    "dc.date",
    "dc.date.issued",
    "og:published_time",
    "sailthru.date",
    "parsely-pub-date",
    "dcterms.created",
)
_TITLE_META = ("og:title", "twitter:title", "title", "dc.title", "headline")
_SOURCE_META = ("og:site_name", "publisher", "dc.publisher", "application-name")


class _HTMLText(HTMLParser):
    """Collects visible text, paragraph by paragraph, and the meta tags."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.meta: dict[str, str] = {}
        self.title = ""
        self.blocks: list[list[str]] = [[]]
        self.article_blocks: list[list[str]] | None = None
        self._skip = 0
        self._in_title = False
        self._article_depth = 0
        self._times: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "meta":
            key = values.get("property") or values.get("name") or values.get("itemprop") or ""
            if key and values.get("content"):
                self.meta.setdefault(key.lower(), values["content"])
            return
        if tag == "time" and values.get("datetime"):
            self._times.append(values["datetime"])
        if tag in _VOID_TAGS:
            if tag == "br":
                self._newblock()
            return
        if tag in _SKIP_TAGS:
            self._skip += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "article":
            self._article_depth += 1
            if self.article_blocks is None:
                self.article_blocks = []
        if tag in _BLOCK_TAGS:
            self._newblock()

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP_TAGS and self._skip:
            self._skip -= 1
        elif tag == "title":
            self._in_title = False
        elif tag == "article" and self._article_depth:
            self._article_depth -= 1
        if tag in _BLOCK_TAGS:
            self._newblock()

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data
            return
        if self._skip:
            return
        self.blocks[-1].append(data)
        if self._article_depth and self.article_blocks is not None:
            if not self.article_blocks:
                self.article_blocks.append([])
            self.article_blocks[-1].append(data)

    def _newblock(self) -> None:
        if self.blocks[-1]:
            self.blocks.append([])
        if (
            self._article_depth
            and self.article_blocks is not None
            and (not self.article_blocks or self.article_blocks[-1])
        ):
            self.article_blocks.append([])

    def text(self) -> str:
        chosen = self.article_blocks if self.article_blocks else self.blocks
        paragraphs = (" ".join("".join(b).split()) for b in chosen)
        return "\n\n".join(p for p in paragraphs if p)

    def published(self) -> str | None:
        for key in _DATE_META:
            if key in self.meta:
                return self.meta[key]
        return self._times[0] if self._times else None


def _parse_meta_date(value: str) -> date | None:
    try:
        return parsedate_to_datetime(value).date()  # RFC 2822
    except (TypeError, ValueError, IndexError):
        return parse_date(value)


def read_html(text: str, path: str) -> Iterator[Article | ArticleError]:
    """Visible text of the page (its <article> element when it has one); meta tags for the rest."""
    parser = _HTMLText()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as err:  # pragma: no cover - HTMLParser is lenient
        raise ArticleError(f"cannot parse HTML: {err}") from err
    body = parser.text()
    if not body:
        raise ArticleError("HTML holds no visible text")
    meta = parser.meta
    title = next((meta[k] for k in _TITLE_META if meta.get(k)), "") or " ".join(
        parser.title.split()
    )
    raw_date = parser.published()
    published = _parse_meta_date(raw_date) if raw_date else None
    if raw_date and published is None:
        raise ArticleError(f"unparseable date {raw_date!r} in HTML meta")
    source = next((meta[k] for k in _SOURCE_META if meta.get(k)), "") or meta.get("og:url", "")
    yield build_article(
        body, path=path, title=html.unescape(title), published=published, source=source
    )


# -- .json / .jsonl / .csv ----------------------------------------------------------------------

_TEXT_FIELDS = ("text", "body", "content", "article")
_DATE_FIELDS = ("published", "date", "pubdate", "published_at", "publication_date")


def _field(record: Mapping[str, Any], names: Iterable[str]) -> Any:
    lowered = {str(k).lower(): v for k, v in record.items()}
    for name in names:
        value = lowered.get(name)
        if value not in (None, ""):
            return value
    return None


def _from_fields(record: Mapping[str, Any], path: str, line: int | None = None) -> Article:
    text = _field(record, _TEXT_FIELDS)
    if not isinstance(text, str) or not text.strip():
        raise ArticleError("record has no text (expected a 'text' or 'body' field)", line)
    raw_date = _field(record, _DATE_FIELDS)
    published: date | None = None
    if raw_date is not None:
        if isinstance(raw_date, int | float) and not isinstance(raw_date, bool):
            published = _from_timestamp(raw_date)
        else:
            published = parse_date(str(raw_date))
        if published is None:
            raise ArticleError(f"unparseable date {str(raw_date)[:60]!r}", line)
    explicit_id = _field(record, ("id", "doc_id"))
    title = _field(record, ("title", "headline"))
    slug = _field(record, ("slug",))
    return build_article(
        normalise_newlines(text),
        path=path,
        title=str(title) if title is not None else None,
        slug=str(slug) if slug is not None else None,
        published=published,
        source=str(_field(record, ("source", "publisher", "url", "link")) or ""),
        doc_id=str(explicit_id) if explicit_id is not None else None,
    )


def _from_timestamp(value: float) -> date | None:
    seconds = value / 1000 if value > 1e11 else value  # milliseconds are common in exports
    try:
        return datetime.fromtimestamp(seconds).date()
    except (OverflowError, OSError, ValueError):
        return None


def _records(
    items: Iterable[tuple[int | None, Any]], path: str
) -> Iterator[Article | ArticleError]:
    for line, item in items:
        if not isinstance(item, dict):
            yield ArticleError(f"expected an object, found {type(item).__name__}", line)
            continue
        try:
            yield _from_fields(item, path, line)
        except ArticleError as err:
            yield ArticleError(err.reason, line if err.line is None else err.line)


def read_json(text: str, path: str) -> Iterator[Article | ArticleError]:
    """One object or a list of objects."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise ArticleError(f"malformed JSON: {err.msg} (column {err.colno})", err.lineno) from err
    if isinstance(data, dict) and not _field(data, _TEXT_FIELDS):
        inner = _field(data, ("articles", "items", "data", "records"))
        if isinstance(inner, list):
            data = inner
    items = data if isinstance(data, list) else [data]
    if not items:
        raise ArticleError("JSON holds an empty list")
    yield from _records(((None, item) for item in items), path)


def read_jsonl(text: str, path: str) -> Iterator[Article | ArticleError]:
    """One JSON object per line; a broken line is reported with its number, the rest read."""

    def items() -> Iterator[tuple[int | None, Any]]:
        for number, line in enumerate(text.split("\n"), start=1):
            if not line.strip():
                continue
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as err:
                yield number, ArticleError(f"malformed JSON line: {err.msg}", number)

    for line, item in items():
        if isinstance(item, ArticleError):
            yield item
        else:
            yield from _records([(line, item)], path)


def read_csv(text: str, path: str) -> Iterator[Article | ArticleError]:
    """One article per row with a header row; ragged rows are reported by line."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as err:
        raise ArticleError(f"malformed CSV header: {err}") from err
    names = [h.strip().lstrip("\ufeff").lower() for h in header]
    if not set(names) & set(_TEXT_FIELDS):
        raise ArticleError("CSV has no 'text' or 'body' column", 1)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            yield ArticleError(f"malformed CSV: {err}", line)
            return
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(names):
            yield ArticleError(f"row has {len(row)} fields, header has {len(names)}", line)
            continue
        yield from _records([(line, dict(zip(names, row, strict=True)))], path)


READERS = {
    ".txt": read_txt,
    ".md": read_md,
    ".markdown": read_md,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".csv": read_csv,
}
