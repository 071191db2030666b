"""Readability of an article: the eight textstat measures.

Higher `flesch_reading_ease` means easier; every other measure is a school grade or index where
higher means harder.

The values are textstat 0.7.8's to the last bit, computed from one set of counts
(`readability_counts`) instead of textstat's eight calls, which count every word's syllables
again for each measure. Each formula below is textstat's, its operations in its order, with its
guards for empty text; the tests hold every measure `==` to textstat's own.
"""

from __future__ import annotations

import math
from collections import Counter

from analysis.extract.readability_counts import LANG, Counts, count
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
    if not any(ch.isalpha() for ch in text):
        return None
    counts = count(text)
    values = measures(counts)
    return ReadabilityRecord(
        doc_id=doc_id,
        text_standard=text_standard(counts, values),
        **{name: _finite(values[name]) for name in MEASURES},
    )


def measures(c: Counts) -> dict[str, float]:
    """The seven numeric measures, as textstat's functions of the same names return them."""
    from textstat.backend.utils import get_lang_cfg

    words_per_sentence = _ratio(c.words, c.sentences)
    syllables_per_word = _ratio(c.syllables, c.words)
    letters = _ratio(c.letters, c.words) * 100
    sentences = _ratio(c.sentences, c.words) * 100
    chars_per_word = _ratio(c.chars, c.tokens)  # punctuation-only tokens count: their chars do

    if words_per_sentence == 0 or syllables_per_word == 0:
        ease = grade = 0.0
    else:
        ease = (
            get_lang_cfg(LANG, "fre_base")
            - get_lang_cfg(LANG, "fre_sentence_length") * words_per_sentence
            - get_lang_cfg(LANG, "fre_syll_per_word") * syllables_per_word
        )
        grade = (0.39 * words_per_sentence) + (11.8 * syllables_per_word) - 15.59

    fog = 0.0 if c.words == 0 else 0.4 * (words_per_sentence + 100 * c.hard_words / c.words)

    smog = (
        0.0
        if c.sentences == 0
        else (1.043 * (30 * (c.polysyllables / c.sentences)) ** 0.5) + 3.1291
    )

    coleman = (
        0.0 if letters == 0 or sentences == 0 else (0.058 * letters) - (0.296 * sentences) - 15.8
    )

    if chars_per_word == 0 or words_per_sentence == 0:
        ari = 0.0
    else:
        ari = (4.71 * chars_per_word) + (0.5 * words_per_sentence) - 21.43

    if c.words == 0:
        dale_chall = 0.0
    else:
        unfamiliar = 100 * c.unfamiliar_words / c.words
        dale_chall = (0.1579 * unfamiliar) + (0.0496 * words_per_sentence)
        if unfamiliar > 5:
            dale_chall += 3.6365

    return {
        "flesch_reading_ease": ease,
        "flesch_kincaid_grade": grade,
        "gunning_fog": fog,
        "smog_index": smog,
        "coleman_liau_index": coleman,
        "automated_readability_index": ari,
        "dale_chall_readability_score": dale_chall,
    }


def linsear_write_formula(c: Counts) -> float:
    """textstat's Linsear Write over the first 100 words (only `text_standard` reads it)."""
    if c.linsear_sentences == 0:
        return 0.0
    number = float((c.linsear_easy * 1 + c.linsear_hard * 3) / c.linsear_sentences)
    if number <= 20:
        number -= 2
    return number / 2


def text_standard(c: Counts, values: dict[str, float]) -> str:
    """textstat's consensus grade, "XX and YY grade": the grade most of the measures give."""
    from textstat.backend.utils import get_grade_suffix

    def spread(value: float) -> list[int]:
        return [math.floor(value), math.ceil(value), round(value)]

    grades = spread(values["flesch_kincaid_grade"])
    grades += _ease_grades(values["flesch_reading_ease"])
    for value in (
        values["smog_index"],
        values["coleman_liau_index"],
        values["automated_readability_index"],
        values["dale_chall_readability_score"],
        linsear_write_formula(c),
        values["gunning_fog"],
    ):
        grades += spread(value)
    consensus = float(Counter(grades).most_common(1)[0][0])
    lower = int(consensus) - 1
    upper = lower + 1
    return f"{lower}{get_grade_suffix(lower)} and {upper}{get_grade_suffix(upper)} grade"


def _ease_grades(ease: float) -> list[int]:
    # textstat's table from Flesch reading ease to school grades; 60 to 70 counts for two.
    for floor, grades in (
        (90, [5]),
        (80, [6]),
        (70, [7]),
        (60, [8, 9]),
        (50, [10]),
        (40, [11]),
        (30, [12]),
    ):
        if floor <= ease < floor + 10:
            return grades
    return [13]


def _ratio(numerator: int, denominator: int) -> float:
    # textstat's per-word and per-sentence ratios: 0.0 where it would divide by zero.
    return numerator / denominator if denominator else 0.0


def _finite(value: object) -> float:
    # textstat returns 0.0 or raises nothing for degenerate text, but guard every path anyway:
    # a NaN or an infinity would poison every mean the dashboard shows.
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) else 0.0
