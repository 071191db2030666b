"""The records extractors return: frozen, plain values, each tracing back to its sentence.

Entity references inside one article are made by `key`: the article's own canonical name for
the entity (its fullest form there) with its type. Corpus-wide ids are assigned later, when the
articles' entities are merged (`analysis.extract.entities.link_corpus`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EntityKey:
    """An entity as one article knows it: fullest name seen there and its (repaired) type."""

    name: str
    type: str


@dataclass(frozen=True, slots=True)
class Span:
    """Where a record sits in `Article.text`, and the sentence around it."""

    start: int
    end: int
    text: str
    sentence: str
    sentence_start: int  # offset of `sentence` in the article text


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    doc_id: str
    title: str
    slug: str
    published: dt.date | None
    source: str
    path: str
    n_words: int
    n_sentences: int
    sha256: str


@dataclass(frozen=True, slots=True)
class ReadabilityRecord:
    doc_id: str
    flesch_reading_ease: float
    flesch_kincaid_grade: float
    gunning_fog: float
    smog_index: float
    coleman_liau_index: float
    automated_readability_index: float
    dale_chall_readability_score: float
    text_standard: str


@dataclass(frozen=True, slots=True)
class Mention:
    """One mention of an entity: `text` is the name as written (no leading 'the', no 's)."""

    doc_id: str
    span: Span
    entity: EntityKey
    label: str  # the model's own label for this mention, before type repair


@dataclass(frozen=True, slots=True)
class Quote:
    """A quoted statement: `span.text` is what is inside the quotation marks."""

    doc_id: str
    span: Span
    kind: str  # direct / partial / title (a title or nickname in quotes, not a statement)
    speaker: str | None  # the speaker as written ("She", "Trump"), None when unknown
    speaker_entity: EntityKey | None
    cue: str | None  # the speech verb as written ("stated")
    about: tuple[EntityKey, ...] = ()
    # The speaker's title as written beside the name ("European Commissioner for Competition"),
    # kept apart from the speaker: never part of the name, never an entity.
    speaker_title: str | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """A reported number: `span.text` is the amount as written ("1,400", "$2bn").

    The hedge ("as many as") is not part of the span; it is in `qualifier`.
    """

    doc_id: str
    span: Span
    value: float
    counted: str | None
    qualifier: str | None
    kind: str  # count / money / percent / quantity / duration / ordinal
    unit: str | None = None
    counted_key: str | None = None  # lemmas, singular, lower case
    claim: str | None = None  # what is counted and what happens to it: "prisoners freed"
    claim_key: str | None = None  # ledger key: "prisoner|free" (counted_key without a predicate)
    source: str | None = None
    source_entity: EntityKey | None = None


@dataclass(frozen=True, slots=True)
class Event:
    """A time expression anchored to the calendar, with what happened then."""

    doc_id: str
    span: Span
    date: dt.date | None
    end_date: dt.date | None
    granularity: str  # day / week / month / quarter / half / season / year / decade / century,
    # or present / past / future for PRESENT_REF-style expressions kept off the calendar axis
    relative: bool
    description: str
    entities: tuple[EntityKey, ...] = ()
    timex: str | None = None  # TIMEX3 value, e.g. "2025", "2021-07", "2025-W50"
