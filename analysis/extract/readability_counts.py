"""An article's counts for the readability measures, each taken once with textstat's own counters.

textstat 0.7.8 computes every measure from scratch, so eight measures count the syllables of every
word several times over (its per-word caches hold 128 words, fewer than an article has). Here the
text is split into words once, each distinct word's syllables are counted once by textstat's
`count_syllables`, and the counts every formula needs are taken in that one pass.

Why the one pass gives textstat's numbers: textstat's words are `remove_punctuation(text).split()`;
removing punctuation again from one of those words changes nothing, and lowercasing never makes
or removes whitespace, so the syllables of the lowercased text are the sum of each word's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

# textstat's defaults, which every measure here reads: US English, no rounding of outputs.
LANG = "en_US"
LINSEAR_WORDS = 100  # linsear_write_formula reads the first 100 words (its strict_upper)
MEMO_WORDS = 1 << 15  # distinct words whose counts are kept between articles (~5 MB each memo)


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
        # textstat's is_difficult_word: not on the easy list, and (for the fog) enough syllables
        # counted on the lowercased word, which can differ from the word's own count.
        lower = word.lower()
        if lower not in easy:
            unfamiliar += 1
            hard += syllables_of(lower) >= fog_threshold

    # linsear_write_formula, as textstat takes it: past 100 tokens, the first 100 non-empty
    # tokens once punctuation is gone (apostrophes of contractions kept); else every word.
    tokens: list[str] = list_words(text, rm_punctuation=False)
    if len(tokens) > LINSEAR_WORDS:
        head: list[str] = []
        spanned = 0
        while spanned < len(tokens) and len(head) < LINSEAR_WORDS:
            word = without_punctuation(tokens[spanned])
            spanned += 1
            if word:
                head.append(word)
    else:
        head, spanned = words, len(tokens)
    linsear_easy = linsear_hard = 0
    for word in head:
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
    """textstat's `count_syllables(word)`, kept: an article repeats its words, and news its own."""
    from textstat.backend.counts import count_syllables

    return int(count_syllables(word, LANG))


@lru_cache(maxsize=MEMO_WORDS)
def without_punctuation(token: str) -> str:
    """textstat's `remove_punctuation(token, rm_apostrophe=False)`, kept likewise."""
    from textstat.backend.transformations import remove_punctuation

    return str(remove_punctuation(token, rm_apostrophe=False))
