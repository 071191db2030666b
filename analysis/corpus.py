"""Read articles from files: every format newslens accepts, each bad file reported, never raised."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from analysis.articles import CONTROL, as_copy
from analysis.articles import Article as Article
from analysis.articles import ArticleError as ArticleError
from analysis.articles import Notice as Notice
from analysis.articles import Problem as Problem
from analysis.articles import build_article as build_article
from analysis.articles import decode as decode
from analysis.articles import normalise_newlines as normalise_newlines
from analysis.articles import restore_case as restore_case
from analysis.articles import title_from_slug as title_from_slug
from analysis.fields import check_fields
from analysis.formats import READERS, STREAM_READERS, STREAMED, SUFFIXES, Event
from analysis.formats import format_suffix as format_suffix

SUPPORTED_SUFFIXES = SUFFIXES

# A file larger than this is refused rather than risking the machine's memory (a JSONL or CSV
# file may hold many articles, so this is well above one article's limit). Web archives are
# read record by record and have no limit.
MAX_FILE_BYTES = 64 * 1024 * 1024

# Files that sit beside articles in a folder but are not articles (only skipped inside folders:
# a file named on the command line is always read).
_NOT_ARTICLES = re.compile(
    r"^(readme|license|licence|attribution|changelog|contributing|notice)\b", re.IGNORECASE
)


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
                and format_suffix(p.name) in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
                and not _NOT_ARTICLES.match(p.name)
            )
            yield from sorted(found)
        else:
            yield path


def load_corpus(paths: Iterable[str | Path], *, fields: Mapping[str, str] | None = None) -> Corpus:
    """Read every article under `paths`; unreadable files become `problems`, never exceptions.

    `fields` maps article fields to the columns of CSV / JSON / JSONL exports that name them
    otherwise (`{"date": "publish_date", "text": "body"}`); unnamed fields are found by name.
    An unknown field raises `ValueError` before anything is read.
    """
    corpus = Corpus([], [], [])
    for event in iter_corpus(paths, fields=fields):
        if isinstance(event, Article):
            corpus.articles.append(event)
        elif isinstance(event, Problem):
            corpus.problems.append(event)
        else:
            corpus.notices.append(event)
    return corpus


def iter_corpus(
    paths: Iterable[str | Path], *, fields: Mapping[str, str] | None = None
) -> Iterator[Article | Problem | Notice]:
    """Stream articles, problems and notices as they are read, so a large corpus (or a large web
    archive) is never all held; `fields` as for `load_corpus`."""
    mapping = check_fields(fields)
    seen: dict[str, str] = {}
    for path in iter_files(paths):
        for event in read_file(path, fields=mapping):
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


def read_file(
    path: Path, *, fields: Mapping[str, str] | None = None
) -> Iterator[Article | Problem | Notice]:
    """Read one file into its articles; any failure is yielded as a `Problem` naming the file."""
    name = str(path)
    suffix = format_suffix(path.name)
    if suffix not in SUPPORTED_SUFFIXES:
        yield Problem(
            name,
            f"unsupported file type {suffix or '(none)'}; "
            f"expected one of {', '.join(SUPPORTED_SUFFIXES)}",
        )
        return
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES and suffix not in STREAMED:
            yield Problem(
                name, f"file is {size / 2**20:.0f} MB, over the {MAX_FILE_BYTES // 2**20} MB limit"
            )
            return
        if suffix in STREAMED:
            if size == 0:
                yield Problem(name, "empty file")
                return
            with path.open("rb") as stream:
                yield from _reported(STREAM_READERS[suffix](stream, name), name)
            return
        data = path.read_bytes()
    except OSError as err:
        yield Problem(name, f"cannot read file: {err.strerror or err}")
        return
    yield from read_bytes(data, name, suffix, fields=fields)


def read_bytes(
    data: bytes, name: str, suffix: str, *, fields: Mapping[str, str] | None = None
) -> Iterator[Article | Problem | Notice]:
    """Read the bytes of one file named `name` (used for uploads, which have no path on disk)."""
    suffix = suffix.lower()
    stream_reader = STREAM_READERS.get(suffix)
    if stream_reader is not None:
        if not data.strip():
            yield Problem(name, "empty file" if not data else "file holds only whitespace")
            return
        yield from _reported(stream_reader(io.BytesIO(data), name), name)
        return
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
    reader = READERS.get(suffix)
    if reader is None:
        yield Problem(name, f"unsupported file type {suffix}")
        return
    try:
        # All or nothing: a file a text reader cannot make sense of is one problem.
        events = list(reader(text, name, check_fields(fields)))
    except ArticleError as err:
        yield Problem(name, err.reason, err.line, err.record)
        return
    yield from _reported(iter(events), name)


def _reported(events: Iterator[Event], name: str) -> Iterator[Article | Problem | Notice]:
    """A reader's events with its errors as problems; one raised stops the file, not the run."""
    try:
        for event in events:
            yield (
                Problem(name, event.reason, event.line, event.record)
                if isinstance(event, ArticleError)
                else event
            )
    except ArticleError as err:
        yield Problem(name, err.reason, err.line, err.record)
