"""Readability: the eight textstat measures, offline and finite."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.extract.readability import MEASURES, score


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
