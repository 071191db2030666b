"""Read articles from files: every format newslens accepts, each bad file reported, never raised."""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from analysis.dates import parse_date

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".csv")

# A file larger than this is refused rather than risking the machine's memory (a JSONL or CSV
# file may hold many articles, so this is well above one article's limit).
MAX_FILE_BYTES = 64 * 1024 * 1024
# One article longer than this (about 300,000 words, a long book) is not a news article: it is
# refused with the reason rather than tying up the parser for many minutes.
MAX_ARTICLE_CHARS = 2_000_000

_SLUG = re.compile(r"^[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*$")
# Files that sit beside articles in a folder but are not articles (only skipped inside folders:
# a file named on the command line is always read).
_NOT_ARTICLES = re.compile(
    r"^(readme|license|licence|attribution|changelog|contributing|notice)\b", re.IGNORECASE
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


@dataclass(frozen=True, slots=True)
class Article:
    """One article: `text` is the body exactly as read, and every offset indexes it."""

    doc_id: str
    title: str
    slug: str
    published: date | None
    source: str
    path: str
    text: str

    @property
    def sha256(self) -> str:
        """Hash of everything analysis depends on: a change here means re-analysis."""
        key = "\x1f".join(
            [
                self.title,
                self.slug,
                self.published.isoformat() if self.published else "",
                self.source,
                self.text,
            ]
        )
        return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Problem:
    """A file (or a record inside one) that could not be read, and why."""

    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line is not None else self.path
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something worth telling about a file that was still read (a fallback encoding, a dup)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


@dataclass(slots=True)
class Corpus:
    """What `load_corpus` read: the articles, the files it skipped and the notices it gave."""

    articles: list[Article]
    problems: list[Problem]
    notices: list[Notice]


class ArticleError(ValueError):
    """A file or record that cannot become an article."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line


# -- public API ---------------------------------------------------------------------------------


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The article files under `paths`, sorted: folders recursively, hidden entries skipped."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = (
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not _NOT_ARTICLES.match(p.name)
            )
            yield from sorted(found)
        else:
            yield path


def load_corpus(paths: Iterable[str | Path]) -> Corpus:
    """Read every article under `paths`; unreadable files become `problems`, never exceptions."""
    corpus = Corpus([], [], [])
    for event in iter_corpus(paths):
        if isinstance(event, Article):
            corpus.articles.append(event)
        elif isinstance(event, Problem):
            corpus.problems.append(event)
        else:
            corpus.notices.append(event)
    return corpus


def iter_corpus(paths: Iterable[str | Path]) -> Iterator[Article | Problem | Notice]:
    """Stream articles, problems and notices file by file, so a large corpus is never all held."""
    seen: dict[str, str] = {}
    for path in iter_files(paths):
        for event in read_file(path):
            if isinstance(event, Article):
                if event.doc_id in seen:
                    yield Notice(event.path, f"same article as {seen[event.doc_id]}; read once")
                    continue
                seen[event.doc_id] = event.path
                if event.published is not None and event.published > date.today():
                    yield Notice(
                        event.path,
                        f"publication date {event.published} is in the future; kept as given",
                    )
            yield event


def read_file(path: Path) -> Iterator[Article | Problem | Notice]:
    """Read one file into its articles; any failure is yielded as a `Problem` naming the file."""
    name = str(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        yield Problem(
            name,
            f"unsupported file type {suffix or '(none)'}; "
            f"expected one of {', '.join(SUPPORTED_SUFFIXES)}",
        )
        return
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            yield Problem(
                name, f"file is {size / 2**20:.0f} MB, over the {MAX_FILE_BYTES // 2**20} MB limit"
            )
            return
        data = path.read_bytes()
    except OSError as err:
        yield Problem(name, f"cannot read file: {err.strerror or err}")
        return
    yield from read_bytes(data, name, suffix)


def read_bytes(data: bytes, name: str, suffix: str) -> Iterator[Article | Problem | Notice]:
    """Read the bytes of one file named `name` (used for uploads, which have no path on disk)."""
    try:
        raw, encoding_note = decode(data)
    except ArticleError as err:
        yield Problem(name, err.reason)
        return
    if encoding_note:
        yield Notice(name, encoding_note)
    text = normalise_newlines(raw)
    if not _CONTROL.sub("", text).strip():
        yield Problem(name, "empty file" if not data else "file holds only whitespace")
        return
    reader = _READERS.get(suffix.lower())
    if reader is None:
        yield Problem(name, f"unsupported file type {suffix}")
        return
    try:
        records = list(reader(text, name))
    except ArticleError as err:
        yield Problem(name, err.reason, err.line)
        return
    for record in records:
        if isinstance(record, ArticleError):
            yield Problem(name, record.reason, record.line)
        else:
            yield record


# -- decoding -----------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[str, str | None]:
    """Decode bytes as text: BOMs honoured, UTF-8 first, then Windows-1252 with a notice."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "decoded as UTF-16"
        except UnicodeDecodeError as err:
            raise ArticleError(f"invalid UTF-16: {err.reason}") from err
    if _looks_binary(data):
        raise ArticleError("binary file, not text")
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError as err:
        position = err.start
    try:
        return data.decode("cp1252"), f"not valid UTF-8 (byte {position}); decoded as Windows-1252"
    except UnicodeDecodeError:
        return (data.decode("latin-1"), f"not valid UTF-8 (byte {position}); decoded as Latin-1")


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    signatures = (b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"PK\x03\x04", b"\x1f\x8b")
    return head.startswith(signatures)


def normalise_newlines(text: str) -> str:
    """CRLF and lone CR become LF, so offsets are the same whichever system wrote the file."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


# -- building articles ---------------------------------------------------------------------------


def make_doc_id(text: str, explicit: str | None = None) -> str:
    """A stable id: the record's own id when it has one, else a hash of the body."""
    if explicit:
        cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", explicit).strip("-")
        if cleaned:
            return cleaned[:80]
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def title_from_slug(slug: str) -> str:
    """'belarus-releases-123-prisoners' -> 'Belarus releases 123 prisoners' (leading id dropped)."""
    words = [w for w in re.split(r"[-_\s]+", slug) if w]
    if len(words) > 1 and words[0].isdigit():
        words = words[1:]
    if not words:
        return ""
    sentence = " ".join(words)
    return sentence[0].upper() + sentence[1:]


def restore_case(title: str, body: str) -> str:
    """Give each word of a slug-made title the capitals it has in the body, when it has any.

    'including nobel laureate bialiatski' -> 'including Nobel laureate Bialiatski': a word the
    body writes capitalised mid-sentence more often than not is a name.
    """
    counts: dict[str, dict[str, int]] = {}
    for match in re.finditer(r"(?<![.!?\n]\s)(?<!^)\b(\w+)", body[:20000]):
        word = match.group(1)
        forms = counts.setdefault(word.lower(), {})
        forms[word] = forms.get(word, 0) + 1
    words = title.split(" ")
    for i, word in enumerate(words):
        seen = counts.get(word.lower())
        if i == 0 or not seen:
            continue
        best = max(seen.items(), key=lambda kv: kv[1])[0]
        if best != best.lower() and best.lower() == word.lower():
            words[i] = best
    return " ".join(words)


def slugify(text: str) -> str:
    """Lower-case, hyphenated ASCII-ish slug of a title."""
    slug = re.sub(r"[^\w]+", "-", text.lower(), flags=re.UNICODE).strip("-")
    return slug[:120]


def _first_line_title(body: str) -> str:
    for line in body.split("\n"):
        if line.strip():
            title = line.strip()
            return title if len(title) <= 200 else title[:197].rstrip() + "..."
    return ""


def build_article(
    text: str,
    *,
    path: str,
    title: str | None = None,
    slug: str | None = None,
    published: date | None = None,
    source: str | None = None,
    doc_id: str | None = None,
) -> Article:
    """Assemble an `Article`, deriving what the file did not give (title, slug, id)."""
    # The text stays exactly as read (offsets index it); control characters alone are no text.
    if not _CONTROL.sub("", text).strip():
        raise ArticleError("no article text")
    if len(text) > MAX_ARTICLE_CHARS:
        raise ArticleError(
            f"article is {len(text):,} characters, over the {MAX_ARTICLE_CHARS:,} limit for one "
            "article; split the file into articles"
        )
    if not title:
        title = restore_case(title_from_slug(slug), text) if slug else _first_line_title(text)
    if not slug:
        slug = slugify(title)
    return Article(
        doc_id=make_doc_id(text, doc_id),
        title=title.strip(),
        slug=slug,
        published=published,
        source=(source or "").strip(),
        path=path,
        text=text,
    )


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


_READERS = {
    ".txt": read_txt,
    ".md": read_md,
    ".markdown": read_md,
    ".html": read_html,
    ".htm": read_html,
    ".json": read_json,
    ".jsonl": read_jsonl,
    ".csv": read_csv,
}
