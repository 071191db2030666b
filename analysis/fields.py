"""Which column of an export (CSV, JSON, JSONL) holds each article field, by name or as told.

Exports from other tools name their columns their own way (`publish_date`, `publishedAt`,
`media_name`, NewsAPI's nested `source.name`, `story_text`, ...). A column is mapped to a field
automatically when its name is one the field goes by and no other column claims the text; a
`fields` mapping (`{"date": "publish_date", "text": "body"}`) says it explicitly. A text column
that is missing or ambiguous is an error naming the columns found, never a guess.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from analysis.articles import ArticleError

FIELDS = ("text", "title", "date", "source", "url", "id", "author", "slug")

# The names each field goes by in exports, best first, compared lower-case with '_', '-' and
# spaces removed ('publish_date' and 'publishedAt' are 'publishdate' and 'publishedat').
ALIASES: dict[str, tuple[str, ...]] = {
    "text": (
        "text",
        "body",
        "content",
        "article",
        "storytext",
        "fulltext",
        "articletext",
        "articlebody",
        "bodytext",
        "maintext",
        "fields.bodytext",  # The Guardian's content API
    ),
    "title": ("title", "headline", "webtitle", "fields.headline"),
    "date": (
        "published",
        "publishdate",
        "publishedat",
        "publicationdate",
        "pubdate",
        "datepublished",
        "publishedtime",
        "webpublicationdate",
        "date",
        "createdat",
        "created",
    ),
    "source": (
        "source",
        "source.name",  # NewsAPI: {"source": {"id": null, "name": "BBC News"}}
        "medianame",
        "publisher",
        "sitename",
        "outlet",
        "publication",
        "media",
    ),
    "url": ("url", "link", "weburl", "canonicalurl", "articleurl", "storyurl", "permalink"),
    "id": ("id", "docid", "storiesid", "articleid", "storyid", "guid", "uuid"),
    "author": ("author", "authors", "byline", "creator", "writer"),
    "slug": ("slug",),
}
# Read as the text only when no column above holds one: these are usually a summary.
LAST_RESORT_TEXT = ("description", "summary", "abstract")

# A JSON document that is not an article itself may wrap its list of articles in one of these.
WRAPPERS = ("articles", "items", "data", "records", "results", "stories", "entries", "response")


def normalised(name: str) -> str:
    """A column name as compared: lower-case, without spaces, '_' and '-'."""
    return re.sub(r"[\s_-]+", "", name.strip().lstrip("\ufeff").lower())


def check_fields(fields: Mapping[str, str] | None) -> dict[str, str]:
    """An explicit mapping made safe to use: keys are newslens fields, values column names."""
    if not fields:
        return {}
    checked: dict[str, str] = {}
    for field, column in fields.items():
        key = field.strip().lower()
        if key == "published":
            key = "date"
        if key not in FIELDS:
            raise ValueError(
                f"unknown field {field!r} in fields; expected one of {', '.join(FIELDS)}"
            )
        if not isinstance(column, str) or not column.strip():
            raise ValueError(f"fields {field}= names no column")
        checked[key] = column.strip()
    return checked


@dataclass(frozen=True, slots=True)
class Columns:
    """The column holding each field in one file (CSV) or record (JSON); `note` for a notice."""

    by_field: dict[str, str]
    note: str = ""


def _listing(columns: Iterable[str]) -> str:
    shown = [c for c in columns if c]
    listed = ", ".join(repr(c) for c in shown[:30])
    return listed + (f" and {len(shown) - 30} more" if len(shown) > 30 else "") or "(none)"


def resolve(
    columns: Sequence[str], explicit: Mapping[str, str], present: Callable[[str], bool]
) -> Columns:
    """Map fields to `columns` (explicit first, then by name); `present(c)` says c holds values.

    Raises `ArticleError` when the text column is missing or two columns could both be it, and
    when an explicitly named column is not there.
    """
    by_norm: dict[str, str] = {}
    for column in columns:
        by_norm.setdefault(normalised(column), column)
    chosen: dict[str, str] = {}
    for field, wanted in explicit.items():
        found = wanted if wanted in columns else by_norm.get(normalised(wanted))
        if found is None:
            raise ArticleError(
                f"column {wanted!r} (fields {field}={wanted}) not found; "
                f"columns found: {_listing(columns)}"
            )
        chosen[field] = found
    note = ""
    if "text" not in chosen:
        candidates = [
            by_norm[name] for name in ALIASES["text"] if name in by_norm and present(by_norm[name])
        ]
        if len(candidates) > 1:
            raise ArticleError(
                f"ambiguous text column: {_listing(candidates)} could each be the text; "
                f"choose one with fields text=COLUMN (columns found: {_listing(columns)})"
            )
        if not candidates:
            spare = [by_norm[n] for n in LAST_RESORT_TEXT if n in by_norm and present(by_norm[n])]
            empty = [by_norm[name] for name in ALIASES["text"] if name in by_norm]
            if not spare and empty:
                raise ArticleError(f"the text column {empty[0]!r} is empty")
            if not spare:
                raise ArticleError(
                    "no text column (expected one named text, body, content, story_text, ...); "
                    f"columns found: {_listing(columns)}; name it with fields text=COLUMN"
                )
            candidates = spare[:1]
            what = f"the text column {empty[0]!r} is empty" if empty else "no text column"
            note = f"{what}: the text is read from {candidates[0]!r}, which is often only a summary"
        chosen["text"] = candidates[0]
    taken = set(chosen.values())
    for field, names in ALIASES.items():
        if field in chosen:
            continue
        for name in names:
            match = by_norm.get(name)
            if match is not None and match not in taken and present(match):
                chosen[field] = match
                taken.add(match)
                break
    return Columns(chosen, note)


def flatten(record: Mapping[str, Any], prefix: str = "", depth: int = 0) -> dict[str, Any]:
    """A JSON object with nested objects also reachable by dotted keys ('source.name')."""
    flat: dict[str, Any] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        flat.setdefault(name, value)
        if isinstance(value, dict) and depth < 3:
            for inner, inner_value in flatten(value, f"{name}.", depth + 1).items():
                flat.setdefault(inner, inner_value)
    return flat


def has_value(value: Any) -> bool:
    """A value worth mapping: not missing, not blank, not an empty container."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict | list):
        return bool(value)
    return True


def as_text(value: Any) -> str:
    """A field value as text: lists of names (authors) joined, objects by their name."""
    if isinstance(value, list):
        return ", ".join(t for t in (as_text(v) for v in value) if t)
    if isinstance(value, dict):
        return str(value.get("name") or "")
    return "" if value is None else str(value).strip()
