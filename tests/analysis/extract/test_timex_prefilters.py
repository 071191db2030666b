"""`timex.scan` tries a pattern only on text that holds its required words: every match must.

A required word that a match can lack would silently lose dates; these tests look at every
match of every pattern (not only at what `scan` keeps) on the test sentences, the seed, the
Wikinews articles and generated text.
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.extract.timex_patterns import _required, _required_words, patterns
from tests.analysis.extract.test_timeline import CASES
from tests.conftest import SEEDS


def unfiltered_misses(text: str) -> list[tuple[str, str]]:
    """(pattern, match) for each match its prefilter would have skipped."""
    required, words = _required(), _required_words()
    misses = []
    for name, regex in patterns():
        for m in regex.finditer(text):
            found = m.group(0)
            plain = words.get(name)
            if plain is not None and not any(w in found.lower() for w in plain):
                misses.append((name, found))
            needed = required.get(name)
            if needed is not None and needed.search(found) is None:
                misses.append((name, found))
    return misses


def test_every_match_of_the_test_sentences_holds_its_required_words() -> None:
    assert [miss for text, _ in CASES for miss in unfiltered_misses(text)] == []


def test_the_check_finds_a_match_without_its_word() -> None:
    # The control: a pattern's match that lacks the word listed for it is reported.
    words = _required_words()
    words["weekday"] = ("fortnight",)
    try:
        assert ("weekday", "Friday") in unfiltered_misses("They met on Friday.")
    finally:
        _required_words.cache_clear()


def test_every_match_in_the_seed_and_wikinews_holds_its_required_words(
    shared_corpus: Path,
) -> None:
    paths = [*SEEDS.rglob("*.txt"), *shared_corpus.rglob("*.txt")]
    assert len(paths) > 10
    misses = [(p.name, miss) for p in paths for miss in unfiltered_misses(p.read_text())]
    assert misses == []


PHRASES = [
    "on Monday",
    "last Tuesday night",
    "this morning",
    "yesterday afternoon",
    "TOMORROW",
    "Sunday, 14 December 2025",
    "early March",
    "the second week of August",
    "in 2019-20",
    "at 1430 GMT",
    "three weeks ago",
    "at 9:30 a.m. EST",
    "in Q3 2024",
    "the summer of 2010",
    "last night",
    "Christmas Day",
    "the 1990s",
    "mid-2025",
    "12/13/2025",
    "2025-12-13",
]
FILLER = ["the", "minister", "said", "on", "in", "last", "this", "next", ",", ".", "Monday"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(PHRASES + FILLER), max_size=25).map(" ".join),
    st.sampled_from([str, str.lower, str.upper, str.title]),
)
def test_generated_text_holds_its_required_words(text: str, case: object) -> None:
    assert unfiltered_misses(case(text)) == []  # type: ignore[operator]
