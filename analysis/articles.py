"""One article: the record, how it is built from a file's text, and what reading reports."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlsplit

# One article longer than this (about 300,000 words, a long book) is not a news article: it is
# refused with the reason rather than tying up the parser for many minutes.
MAX_ARTICLE_CHARS = 2_000_000
# Control characters other than whitespace: a text of only these and whitespace is empty.
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")


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
    copy_of: str = ""  # the doc_id of the first file with this text ("" for that first one)
    # Kept where the input gives them; not part of `sha256` (no analysis depends on them).
    url: str = ""
    author: str = ""

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


class ArticleError(ValueError):
    """A file or record that cannot become an article (`line` in text, `record` in a container)."""

    def __init__(self, reason: str, line: int | None = None, record: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.line = line
        self.record = record


@dataclass(frozen=True, slots=True)
class Problem:
    """A file (or a record inside one) that could not be read, and why.

    `line` is a line of a text file (JSONL, CSV); `record` the number of a record in a file
    that holds many (an archive's WARC records, a feed's entries, a JSON list's items).
    """

    path: str
    reason: str
    line: int | None = None
    record: int | None = None

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where = f"{where}:{self.line}"
        if self.record is not None:
            where = f"{where} (record {self.record})"
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Notice:
    """Something worth telling about a file that was still read (a fallback encoding, a dup)."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


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
    url: str | None = None,
    author: str | None = None,
) -> Article:
    """Assemble an `Article`, deriving what the file did not give (title, slug, id)."""
    # The text stays exactly as read (offsets index it); control characters alone are no text.
    if not CONTROL.sub("", text).strip():
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
        url=(url or "").strip(),
        author=(author or "").strip(),
    )


def domain_of(url: str) -> str:
    """The site a URL names, as a source: 'https://www.bbc.co.uk/news/x' -> 'bbc.co.uk'."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    host = host.rstrip(".")
    return host[4:] if host.startswith("www.") else host


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


def as_copy(article: Article) -> Article:
    """The article as a copy of the first one read with its id: an id of its own (from the
    first's and its path), `copy_of` the first's (see `analysis.copies`)."""
    key = f"{article.doc_id}\x1f{article.path}".encode()
    return replace(article, doc_id=hashlib.sha256(key).hexdigest()[:16], copy_of=article.doc_id)
