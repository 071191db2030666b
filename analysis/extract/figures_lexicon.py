"""The figures lexicon: the number lexicon with the hedges, attribution words and names."""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cache

from analysis import lexicon as lexicons  # renamed: `lexicon()` here is the figures lexicon
from analysis.extract.numbers import NumberLexicon, number_lexicon, word_tuples


@dataclass(frozen=True, slots=True)
class _Lexicon(NumberLexicon):
    """The number lexicon with the hedges, attribution words and names figures need."""

    hedges_before: tuple[tuple[str, ...], ...]
    hedges_after: tuple[tuple[str, ...], ...]
    not_before_durations: frozenset[str]
    reporting_verbs: frozenset[str]
    document_nouns: frozenset[str]
    speaker_nouns: frozenset[str]
    count_nouns: frozenset[str]
    dropped_modifiers: frozenset[str]
    invariant_nouns: frozenset[str]
    label_nouns: frozenset[str]
    months: frozenset[str]
    relative_time_words: frozenset[str]
    rank_verbs: frozenset[str]
    rank_labels: frozenset[str]
    list_marker_punct: frozenset[str]


@cache
def lexicon() -> _Lexicon:
    """The figures lexicons, read once from analysis/lexicons/figures_*.json."""
    numbers = number_lexicon()
    hedges, attribution = lexicons.load("figures_hedges"), lexicons.load("figures_attribution")
    names = lexicons.load("figures_names")
    return _Lexicon(
        **{f.name: getattr(numbers, f.name) for f in fields(NumberLexicon)},
        hedges_before=word_tuples(hedges["before"]),
        hedges_after=word_tuples(hedges["after"]),
        not_before_durations=frozenset(hedges["not_before_durations"]),
        reporting_verbs=frozenset(attribution["reporting_verbs"]),
        document_nouns=frozenset(attribution["document_nouns"]),
        speaker_nouns=frozenset(attribution["speaker_nouns"]),
        count_nouns=frozenset(attribution["count_nouns"]),
        dropped_modifiers=frozenset(attribution["dropped_modifiers"]),
        invariant_nouns=frozenset(attribution["invariant_nouns"]),
        label_nouns=frozenset(names["label_nouns"]),
        months=frozenset(names["months"]),
        relative_time_words=frozenset(names["relative_time_words"]),
        rank_verbs=frozenset(names["rank_verbs"]),
        rank_labels=frozenset(names["rank_labels"]),
        list_marker_punct=frozenset(names["list_marker_punct"]),
    )
