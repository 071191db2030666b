"""The same happening: events of different articles that report one dated happening.

Two events are candidates when they come from different articles, have the same granularity
and their dates overlap (the same day, or overlapping ranges at that granularity). A candidate
pair is the same happening when
- at day or week granularity: they name a common entity and their descriptions are at least
  `SIMILAR` alike, or the descriptions are at least `ALIKE` alike without a common entity;
- at a coarser one (month, quarter, season, year): the articles are in the same story, they
  name a common entity and the descriptions are at least `COARSE` alike ("in 2020" alone says
  little: many things happened in 2020 to the same people).
Vague times (the past, the present, the future, decades) group nothing. The likeness is the
cosine of TF-IDF over the descriptions' words (stop words, month and day names, numbers left
out, so a shared date is not taken for a shared happening). Groups are the connected pairs;
every event has a group, a lone event its own.

Pure: a frame of events in, a group id per event out.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator, Mapping

import numpy as np
import pandas as pd
import scipy.sparse as sp

from analysis import tfidf
from analysis.stories import STOP_WORDS

# Measured on the acceptance cases and the Wikinews set: two reports of one vote share about
# half their description words; two things that happened on one day to one person share few.
SIMILAR = 0.2
ALIKE = 0.5
COARSE = 0.3
FINE = ("day", "week")
COARSER = ("month", "quarter", "season", "year")


def group_id(first_event: str) -> str:
    """A group's id, from its first event id (in sorted order)."""
    return "g-" + hashlib.sha256(first_event.encode()).hexdigest()[:12]


def group_events(events: pd.DataFrame, story_of: Mapping[str, str] | None = None) -> dict[str, str]:
    """A group id for each event of `events` (event_id, doc_id, date, end_date, granularity,
    description, entity_ids), `story_of` giving each article's story."""
    if events.empty:
        return {}
    ids = [str(e) for e in events["event_id"]]
    parent = list(range(len(ids)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in same_happenings(events, story_of or {}):
        a, b = find(i), find(j)
        if a != b:
            parent[max(a, b)] = min(a, b)
    members: dict[int, list[str]] = defaultdict(list)
    for i, event in enumerate(ids):
        members[find(i)].append(event)
    out: dict[str, str] = {}
    for group in members.values():
        gid = group_id(min(group))
        out.update(dict.fromkeys(group, gid))
    return out


def same_happenings(events: pd.DataFrame, story_of: Mapping[str, str]) -> Iterator[tuple[int, int]]:
    """Positions (i, j) of the event pairs that report the same happening."""
    grain = events["granularity"].fillna("").astype(str).to_numpy()
    usable = np.isin(grain, (*FINE, *COARSER)) & events["date"].notna().to_numpy()
    if usable.sum() < 2:
        return
    descriptions = events["description"].fillna("").astype(str)
    vectors = _vectors(descriptions, usable)
    docs = events["doc_id"].astype(str).to_numpy()
    start = pd.to_datetime(events["date"]).to_numpy().astype("datetime64[D]")
    end_raw = pd.to_datetime(events["end_date"].fillna(events["date"]))
    end = np.maximum(end_raw.to_numpy().astype("datetime64[D]"), start)
    entities = [set(e) if e is not None else set() for e in events["entity_ids"]]
    stories = [story_of.get(d) for d in docs]
    incidence = _incidence(entities)
    for rows in _buckets(grain, usable, stories):
        coarse = grain[rows[0]] in COARSER
        # By start date: a chunk is compared only with the events that can overlap it, those
        # starting by its latest end (and, of those, ending on or after its earliest start).
        rows = rows[np.argsort(start[rows], kind="stable")]
        starts = start[rows]
        for chunk in range(0, len(rows), _CHUNK):
            left = rows[chunk : chunk + _CHUNK]
            last = int(np.searchsorted(starts, end[left].max(), side="right"))
            right = rows[:last]
            right = right[end[right] >= start[left].min()]
            yield from _pairs(
                left,
                right,
                coarse=coarse,
                vectors=vectors,
                incidence=incidence,
                docs=docs,
                start=start,
                end=end,
            )


# Events compared at once against their bucket: bounds the memory of the similarity block.
_CHUNK = 256


def _pairs(
    left: np.ndarray,
    right: np.ndarray,
    *,
    coarse: bool,
    vectors: sp.csr_matrix,
    incidence: sp.csr_matrix,
    docs: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
) -> Iterator[tuple[int, int]]:
    """The same-happening pairs (i, j), i < j, of events `left` against events `right`."""
    likeness = (vectors[left] @ vectors[right].T).toarray()
    shared = (incidence[left] @ incidence[right].T).toarray() > 0
    i, j = left[:, None], right[None, :]
    ok = (i < j) & (docs[i] != docs[j]) & (start[j] <= end[i]) & (start[i] <= end[j])
    if coarse:
        ok &= shared & (likeness >= COARSE - 1e-9)
    else:
        ok &= likeness >= np.where(shared, SIMILAR, ALIKE) - 1e-9
    a, b = np.nonzero(ok)
    yield from zip(left[a].tolist(), right[b].tolist(), strict=True)


def _incidence(entities: list[set[str]]) -> sp.csr_matrix:
    """Events by entities: 1 where the event names the entity."""
    vocab: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, names in enumerate(entities):
        for name in names:
            rows.append(i)
            cols.append(vocab.setdefault(name, len(vocab)))
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(entities), max(1, len(vocab))))


def _buckets(
    grain: np.ndarray, usable: np.ndarray, stories: list[str | None]
) -> Iterator[np.ndarray]:
    """Positions of the events that may pair: one granularity, and one story when coarse."""
    keys: dict[tuple[str, str | None], list[int]] = defaultdict(list)
    for i in np.flatnonzero(usable).tolist():
        kind = str(grain[i])
        if kind in COARSER:
            if stories[i] is None:
                continue
            keys[(kind, stories[i])].append(i)
        else:
            keys[(kind, None)].append(i)
    for _, rows in sorted(keys.items(), key=lambda item: (item[0][0], item[0][1] or "")):
        if len(rows) > 1:
            yield np.array(rows)


def _vectors(descriptions: pd.Series, usable: np.ndarray) -> sp.csr_matrix:
    """Unit TF-IDF vectors of the descriptions (zero rows for unusable events)."""
    texts = [t if keep else "" for t, keep in zip(descriptions, usable, strict=True)]
    try:
        return tfidf.vectorize(texts, stop_words=STOP_WORDS, token_pattern=r"(?u)\b[^\W\d_]{3,}\b")
    except tfidf.EmptyVocabulary:  # no word at all (every description empty or only stop words)
        return sp.csr_matrix((len(texts), 1))
