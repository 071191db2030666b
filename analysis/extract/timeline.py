"""Dated events. FIRST CUT: nothing yet; issue 6 builds it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from analysis.records import Event, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from analysis.corpus import Article

VERSION = "0"


def extract_events(doc: Doc, article: Article, mentions: Sequence[Mention]) -> list[Event]:
    """Time expressions in `doc` anchored to the calendar, resolved against `published`."""
    return []
