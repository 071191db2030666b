"""Readability: the eight textstat measures, offline and finite."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.extract.readability import MEASURES, _finite, score
from analysis.records import ReadabilityRecord

# Words and marks that stress textstat's counters: contractions, hyphens, case, numbers, emoji.
_WORDS = (
    "The",
    "minister",
    "said",
    "don't",
    "DON'T",
    "it's",
    "'quoted'",
    "well-known",
    "İzmir",
    "naïve",
    "😀",
    "2025",
    "3.5%",
    "--",
    "...",
    "!",
    "?",
    "U.S.",
    "extraordinarily",
    "unconstitutional",
    "Zelenskyy",
    "a",
    "I",
    "rock'n'roll",
    "ends'",
    "Y'all've",
    "\n\n",
)


def test_seed_scores(seed_article) -> None:  # type: ignore[no-untyped-def]
    record = score(seed_article.text, seed_article.doc_id)
    assert record is not None
    # A dense wire story: hard reading, college-level grades.
    assert record.flesch_reading_ease < 50
    assert record.flesch_kincaid_grade > 12
    assert "grade" in record.text_standard


def test_easier_text_scores_easier() -> None:
    easy = score("The cat sat on the mat. The dog ran. We had fun.", "a")
    hard = score(
        "Notwithstanding considerable institutional opposition, the administration "
        "promulgated comprehensive regulatory modifications affecting intergovernmental "
        "appropriations.",
        "b",
    )
    assert easy is not None and hard is not None
    assert easy.flesch_reading_ease > hard.flesch_reading_ease
    assert easy.gunning_fog < hard.gunning_fog


@pytest.mark.parametrize("text", ["", "   ", "12345", "!!! ??? ...", "\u200b\u200b"])
def test_no_words_no_scores(text: str) -> None:
    assert score(text, "x") is None


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_scores_are_finite(text: str) -> None:
    record = score(text, "x")
    if record is not None:
        assert all(math.isfinite(getattr(record, m)) for m in MEASURES)


def test_works_without_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network disabled in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    record = score("Quixotic zephyrs bewilder lexicographers. Syllables abound.", "offline")
    assert record is not None and math.isfinite(record.smog_index)


# --- The same values as textstat's own eight calls -------------------------------------------
# score() derives the measures from one set of counts; each must equal, bit for bit, what
# textstat 0.7.8 gives for the same text (== on floats, never approx).

EDGE_CASES = [
    pytest.param("", id="empty"),
    pytest.param("Rain", id="one-word"),
    pytest.param("Rain.", id="one-word-sentence"),
    pytest.param("the ministry said talks would resume on monday", id="no-sentence-end"),
    pytest.param("Hi. Yo. A b c d. Go on then.", id="two-word-fragments"),
    pytest.param("12 345 6.7 8,900 -3 50%", id="numbers-only"),
    pytest.param("!!! ??? ... -- ''", id="punctuation-only"),
    pytest.param(
        "Café owners in Zürich said the naïve façade 😀 was a résumé 🎉!", id="accents-emoji"
    ),
    pytest.param("İSTANBUL'DA İzmir ÇAĞRI merkezi. ǅemal ﬁnanced ŉ ẞ.", id="case-changing-letters"),
    pytest.param("東京で会議が開かれた。参加者は百人。", id="cjk"),
    pytest.param("مرحبا بكم في الأخبار. هذا نص قصير جدا.", id="arabic"),
    pytest.param("Pneumonoultramicroscopicsilicovolcanoconiosis strikes.", id="long-word"),
    pytest.param(("antidisestablishmentarianism" * 40) + " " + "x" * 2000, id="very-long-words"),
    pytest.param(
        "Don't stop, it's rock'n'roll. 'Quoted' words' ends''s. DON'T SHOUT, Y'ALL'VE.",
        id="apostrophes",
    ),
    pytest.param(
        "A well-known, state-of-the-art long-term plan \u2014 ok \u2013 done.", id="hyphens-dashes"
    ),
    pytest.param(
        "Tabs\tand\nnewlines\u00a0and\u2003spaces here. A second one now.", id="whitespace"
    ),
    pytest.param("THE CAT SAT ON THE MAT. The cat sat on the mat.", id="easy-words-any-case"),
    pytest.param(" - ".join(["Officials confirmed"] * 70) + ".", id="over-100-tokens-punct"),
    pytest.param(" ".join(["word."] * 99), id="99-tokens"),
    pytest.param(" ".join(["word"] * 101), id="101-tokens-no-end"),
]


def _textstat_values(text: str) -> dict[str, object]:
    import textstat

    values: dict[str, object] = {name: getattr(textstat, name)(text) for name in MEASURES}
    values["text_standard"] = textstat.text_standard(text, float_output=False)
    return values


def _our_values(text: str) -> dict[str, object]:
    from analysis.extract.readability import measures, text_standard
    from analysis.extract.readability_counts import count

    counts = count(text)
    numbers = measures(counts)
    values: dict[str, object] = dict(numbers)
    values["text_standard"] = text_standard(counts, numbers)
    return values


def _differences(text: str) -> list[tuple[str, object, object]]:
    """(measure, ours, textstat's) wherever the two differ in value or type."""
    ours, theirs = _our_values(text), _textstat_values(text)
    return [
        (name, ours[name], theirs[name])
        for name in theirs
        if not (ours[name] == theirs[name] and type(ours[name]) is type(theirs[name]))
    ]


def _old_score(text: str, doc_id: str) -> ReadabilityRecord | None:
    # How score() read textstat before it counted once: the record must not change.
    if not any(ch.isalpha() for ch in text):
        return None
    theirs = _textstat_values(text)
    return ReadabilityRecord(
        doc_id=doc_id,
        text_standard=str(theirs["text_standard"]),
        **{name: _finite(theirs[name]) for name in MEASURES},
    )


@pytest.mark.parametrize("text", EDGE_CASES)
def test_edge_cases_equal_textstat(text: str) -> None:
    assert _differences(text) == []
    assert score(text, "x") == _old_score(text, "x")


@pytest.mark.parametrize("text", EDGE_CASES)
def test_counts_equal_textstat_counters(text: str) -> None:
    from textstat.backend import counts as ts

    from analysis.extract.readability_counts import LANG, count

    c = count(text)
    assert (
        c.words,
        c.tokens,
        c.sentences,
        c.syllables,
        c.polysyllables,
        c.hard_words,
        c.unfamiliar_words,
        c.chars,
        c.letters,
    ) == (
        ts.count_words(text),
        ts.count_words(text, rm_punctuation=False),
        ts.count_sentences(text),
        ts.count_syllables(text, LANG),
        ts.count_polysyllable_words(text, LANG),
        ts.count_difficult_words(text, LANG, 3),
        ts.count_difficult_words(text, LANG, 0),
        ts.count_chars(text, True),
        ts.count_letters(text),
    )


@pytest.mark.parametrize("text", EDGE_CASES)
def test_linsear_write_equals_textstat(text: str) -> None:
    from textstat.backend.metrics import linsear_write_formula as theirs

    from analysis.extract.readability import linsear_write_formula
    from analysis.extract.readability_counts import LANG, count

    assert linsear_write_formula(count(text)) == theirs(text, LANG, False, True)


def test_seed_equals_textstat(seed_article) -> None:  # type: ignore[no-untyped-def]
    assert _differences(seed_article.text) == []
    assert score(seed_article.text, seed_article.doc_id) == _old_score(
        seed_article.text, seed_article.doc_id
    )


@pytest.mark.corpus
def test_wikinews_equals_textstat(shared_corpus: Path) -> None:
    from analysis.corpus import load_corpus

    articles = load_corpus([shared_corpus / "wikinews"]).articles
    assert len(articles) >= 50
    differing = {a.path: _differences(a.text) for a in articles if _differences(a.text)}
    assert differing == {}
    assert all(score(a.text, a.doc_id) == _old_score(a.text, a.doc_id) for a in articles)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300) | st.lists(st.sampled_from(_WORDS), max_size=150).map(" ".join))
def test_any_text_equals_textstat(text: str) -> None:
    assert _differences(text) == []


def test_first_phones_give_textstat_dictionary_counts() -> None:
    """The CMU table read with one expression gives, for every word, the count textstat takes
    from the full dictionary."""
    from textstat.backend.utils import get_cmudict

    from analysis.extract.readability_counts import LANG, first_phones, stresses

    full = get_cmudict(LANG)
    assert full is not None
    table = first_phones()
    assert table.keys() == full.keys()
    assert all(stresses(table[w]) == sum(1 for p in full[w][0] if p[-1].isdigit()) for w in full)
