"""Entity mentions from the shared parse, aliases merged within an article and across the corpus.

FIRST CUT (foundation): spaCy's entities as they come, one entity per exact (type, name).
Issue 3 replaces this with span cleaning, alias resolution and type repair.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from analysis.records import EntityKey, Mention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from analysis.corpus import Article

VERSION = "0"

LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
)


def extract_mentions(doc: Doc, article: Article) -> list[Mention]:
    """Mentions of named entities in `doc`, each keyed to its entity within the article."""
    mentions = []
    for ent in doc.ents:
        if ent.label_ not in LABELS:
            continue
        span = Span(ent.start_char, ent.end_char, ent.text, ent.sent.text, ent.sent.start_char)
        mentions.append(Mention(article.doc_id, span, EntityKey(ent.text, ent.label_), ent.label_))
    return mentions


@dataclass(frozen=True, slots=True)
class DocEntity:
    """One article's entity, as the corpus-level linker sees it."""

    doc_id: str
    ref: str  # "TYPE:name", as in the tables' *_ref columns
    name: str
    type: str
    aliases: tuple[str, ...]  # distinct mention texts in that article
    n_mentions: int
    published: date | None


@dataclass(frozen=True, slots=True)
class CorpusEntity:
    """An entity of the whole corpus."""

    entity_id: str
    name: str
    type: str


def entity_id(name: str, type_: str) -> str:
    """A readable, stable id: 'person:donald-trump'."""
    slug = re.sub(r"[^\w]+", "-", name.lower(), flags=re.UNICODE).strip("-") or "entity"
    return f"{type_.lower()}:{slug}"


def link_corpus(entities: Iterable[DocEntity]) -> dict[tuple[str, str], CorpusEntity]:
    """Map each article's entity `(doc_id, ref)` to its corpus entity."""
    links: dict[tuple[str, str], CorpusEntity] = {}
    for entity in entities:
        links[(entity.doc_id, entity.ref)] = CorpusEntity(
            entity_id(entity.name, entity.type), entity.name, entity.type
        )
    return links


def sentence_entities(mentions: Sequence[Mention], start: int, end: int) -> tuple[EntityKey, ...]:
    """Distinct entities mentioned between `start` and `end`, in order of first mention."""
    seen: dict[EntityKey, None] = {}
    for mention in mentions:
        if mention.span.start >= start and mention.span.end <= end:
            seen.setdefault(mention.entity, None)
    return tuple(seen)
