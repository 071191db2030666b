"""Read articles from files: every format newslens accepts, each bad file reported, never raised."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from analysis.articles import CONTROL, as_copy
from analysis.articles import Article as Article
from analysis.articles import ArticleError as ArticleError
from analysis.articles import build_article as build_article
from analysis.articles import normalise_newlines as normalise_newlines
from analysis.articles import restore_case as restore_case
from analysis.articles import title_from_slug as title_from_slug
from analysis.formats import READERS

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".csv")

# A file larger than this is refused rather than risking the machine's memory (a JSONL or CSV
# file may hold many articles, so this is well above one article's limit).
MAX_FILE_BYTES = 64 * 1024 * 1024

# Files that sit beside articles in a folder but are not articles (only skipped inside folders:
# a file named on the command line is always read).
_NOT_ARTICLES = re.compile(
    r"^(readme|license|licence|attribution|changelog|contributing|notice)\b", re.IGNORECASE
)


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
                    yield Notice(
                        event.path,
                        f"same text as {seen[event.doc_id]}: kept as a copy of it, analysed once",
                    )
                    event = as_copy(event)
                else:
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
    if not CONTROL.sub("", text).strip():
        yield Problem(name, "empty file" if not data else "file holds only whitespace")
        return
    reader = READERS.get(suffix.lower())
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
