"""Quoted statements and their speakers. FIRST CUT: nothing yet; issue 4 builds it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from analysis.records import Mention, Quote

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from analysis.corpus import Article

VERSION = "0"


def extract_quotes(doc: Doc, article: Article, mentions: Sequence[Mention]) -> list[Quote]:
    """Quotations in `doc` with speaker, cue and kind."""
    return []
