"""What the reader shows: where a row sits in its article, the article's text, and every span
of it to highlight under a filter."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.corpus import Article, read_file
from analysis.query.columns import ID_COLUMNS
from analysis.query.filter import Filter
from analysis.query.sql import Params, filtered
from analysis.query.view import StoreView, as_date

PROJECT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True, slots=True)
class Target:
    """A place in an article to show in the reader: a highlighted span in its sentence."""

    doc_id: str
    start: int
    end: int
    kind: str = ""
    label: str = ""
    sentence_start: int = 0
    sentence_end: int = 0
    sentence: str = ""


@dataclass(frozen=True, slots=True)
class Highlight:
    """One span of an article to mark in the reader."""

    start: int
    end: int
    kind: str  # mention / quote / figure / event
    label: str  # tooltip text
    group: str = ""  # the entity type of a mention, for its colour


def locate(view: StoreView, table: str, row_id: str) -> Target | None:
    """Where a row of `table`, named by its stable id (`doc_id@start` for a mention), sits."""
    columns = 'doc_id, start, "end", text, sentence_start, sentence'
    if table == "mentions":
        doc_id, _, start = row_id.rpartition("@")
        sql = f"SELECT {columns} FROM mentions WHERE doc_id = $d AND start = $s LIMIT 1"
        params: dict[str, Any] = {"d": doc_id, "s": int(start) if start.isdigit() else -1}
    elif table == "entities":
        sql = f"""
            SELECT {columns} FROM mentions WHERE entity_id = $id
            ORDER BY published NULLS LAST, doc_id, start LIMIT 1
        """
        params = {"id": row_id}
    elif table in ("documents", "readability"):
        return Target(row_id, 0, 0, "article")
    elif table == "hits":
        return _locate_hit(view, row_id)
    elif table in ("quotes", "figures", "events"):
        sql = f"SELECT {columns} FROM {table} WHERE {ID_COLUMNS[table]} = $id LIMIT 1"
        params = {"id": row_id}
    else:
        return None
    frame = view.frame(sql, params)
    if frame.empty:
        return None
    row = frame.iloc[0]
    sentence_start = int(row["sentence_start"]) if pd.notna(row["sentence_start"]) else 0
    sentence = str(row["sentence"]) if pd.notna(row["sentence"]) else ""
    return Target(
        doc_id=str(row["doc_id"]),
        start=int(row["start"]),
        end=int(row["end"]),
        kind=table,
        label=str(row["text"]),
        sentence_start=sentence_start,
        sentence_end=sentence_start + len(sentence),
        sentence=sentence,
    )


def hit_id(doc_id: str, start: int, end: int) -> str:
    """The stable id of a search hit: where it is."""
    return f"{doc_id}@{start}-{end}"


def _locate_hit(view: StoreView, row_id: str) -> Target | None:
    doc_id, _, span = row_id.rpartition("@")
    left, _, right = span.partition("-")
    if not (doc_id and left.isdigit() and right.isdigit()):
        return None
    start, end = int(left), int(right)
    frame = view.frame(
        """
        SELECT s.start, substring(x.text, s.start + 1, s."end" - s.start) AS sentence,
               substring(x.text, $a + 1, $b - $a) AS match
        FROM document_texts x
        LEFT JOIN sentences s ON s.doc_id = x.doc_id AND $a >= s.start AND $a < s."end"
        WHERE x.doc_id = $d
        """,
        {"d": doc_id, "a": start, "b": end},
    )
    if frame.empty:
        return Target(doc_id, start, end, "hits")
    row = frame.iloc[0]
    sentence = str(row["sentence"]) if pd.notna(row["sentence"]) else ""
    sentence_start = int(row["start"]) if pd.notna(row["start"]) else 0
    return Target(
        doc_id=doc_id,
        start=start,
        end=end,
        kind="hits",
        label=str(row["match"]),
        sentence_start=sentence_start,
        sentence_end=sentence_start + len(sentence),
        sentence=sentence,
    )


def document(view: StoreView, doc_id: str) -> dict[str, Any] | None:
    """The article's documents row with its readability (no body)."""
    frame = view.frame(
        "SELECT d.*, r.* EXCLUDE (doc_id) FROM documents d "
        "LEFT JOIN readability r ON r.doc_id = d.doc_id WHERE d.doc_id = $d",
        {"d": doc_id},
    )
    return None if frame.empty else {str(k): v for k, v in frame.iloc[0].to_dict().items()}


def copies(view: StoreView, doc_id: str) -> pd.DataFrame:
    """The other files of this article's text (exact or near copies, and the first copy), with
    their titles, sources and dates, earliest first: where else it was published."""
    return view.frame(
        """
        WITH me AS (
            SELECT coalesce(nullif(copy_of, ''), doc_id) AS root FROM documents WHERE doc_id = $d
        )
        SELECT doc_id, title, source, published, copy_of FROM documents
        WHERE doc_id <> $d
          AND (doc_id IN (SELECT root FROM me) OR copy_of IN (SELECT root FROM me))
        ORDER BY published NULLS LAST, doc_id
        """,
        {"d": doc_id},
    )


def highlights(view: StoreView, doc_id: str, flt: Filter | None = None) -> list[Highlight]:
    """Every span of the article to mark (only those passing `flt`, when given)."""
    base = (flt or Filter()).with_docs([doc_id])
    marks: list[Highlight] = []
    p = Params()
    named = view.frame(
        'SELECT m.start, m."end", m.type, coalesce(e.name, m.text) AS name '
        f"FROM ({filtered('mentions', base, p)}) m "
        "LEFT JOIN entities e ON e.entity_id = m.entity_id ORDER BY m.start",
        p.values,
    )
    for row in _records(named):
        label = f"{row['name']} ({row['type']})"
        marks.append(Highlight(row["start"], row["end"], "mention", label, str(row["type"])))
    for row in _records(view.rows("quotes", base, limit=None, with_titles=False)):
        who = _text(row["speaker"]) or "unknown speaker"
        cue = f" ({_text(row['cue'])})" if _text(row["cue"]) else ""
        marks.append(Highlight(row["start"], row["end"], "quote", f"Quote: {who}{cue}"))
    for row in _records(view.rows("figures", base, limit=None, with_titles=False)):
        what = " ".join(_text(row[p]) for p in ("qualifier", "counted") if _text(row[p]))
        source = f" — source: {_text(row['source'])}" if _text(row["source"]) else ""
        marks.append(Highlight(row["start"], row["end"], "figure", f"Figure: {what}{source}"))
    for row in _records(view.rows("events", base, limit=None, with_titles=False)):
        when = as_date(row["date"])
        until = as_date(row["end_date"])
        span = f"{when}" if until in (None, when) else f"{when} to {until}"
        marks.append(Highlight(row["start"], row["end"], "event", f"Date: {span}"))
    return marks


def article(view: StoreView, doc_id: str) -> tuple[Article | None, str]:
    """The article's text as analysed (re-read from its file for old stores), or None and why."""
    doc = document(view, doc_id)
    if doc is None:
        return None, "This article is not in the store."
    if view.has_texts:
        texts = view.frame("SELECT text FROM document_texts WHERE doc_id = $d", {"d": doc_id})
        if not texts.empty and isinstance(texts.iloc[0, 0], str):
            published = doc.get("published")
            return Article(
                doc_id=doc_id,
                title=_text(doc.get("title")),
                slug=_text(doc.get("slug")),
                published=None if pd.isna(published) else pd.Timestamp(published).date(),
                source=_text(doc.get("source")),
                path=_text(doc.get("path")),
                text=texts.iloc[0, 0],
            ), ""
    stored = str(doc.get("path") or "")
    for path in _candidate_paths(view, stored):
        if not path.is_file():
            continue
        for event in read_file(path):
            if isinstance(event, Article) and event.doc_id == doc_id:
                if event.sha256 != doc.get("sha256"):
                    return event, (
                        f"{path} changed since it was analysed: highlights may be out of "
                        "place. Re-analyse it on the Add articles page."
                    )
                return event, ""
    return None, (
        f"The article's file ({stored or 'unknown path'}) is no longer where it was analysed, "
        "so its text cannot be shown. The tables still hold every row and sentence."
    )


def _candidate_paths(view: StoreView, stored: str) -> Iterator[Path]:
    """Where an old store's article file may be: as stored, or under the analysed folders."""
    if not stored:
        return
    path = Path(stored)
    if path.is_absolute():
        yield path
        return
    for root in view.manifest().get("paths", []):
        base = Path(root)
        yield base.parent / path
        yield base / path
        if base.is_file() and base.name == path.name:
            yield base
    yield PROJECT / path
    yield view.root / path


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as plain dicts, offsets as ints."""
    out: list[dict[str, Any]] = []
    for row in frame.to_dict("records"):
        record = {str(k): v for k, v in row.items()}
        for column in ("start", "end"):
            if column in record:
                record[column] = int(record[column])
        out.append(record)
    return out


def _text(value: Any) -> str:
    """A cell as text ('' for missing values)."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return str(value)
