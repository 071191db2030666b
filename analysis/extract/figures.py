"""Reported figures. FIRST CUT: nothing yet; issue 5 builds it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from analysis.records import Figure, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from analysis.corpus import Article

VERSION = "0"


def extract_figures(doc: Doc, article: Article, mentions: Sequence[Mention]) -> list[Figure]:
    """Numbers reported in `doc` with what they count, their hedge and their source."""
    return []
