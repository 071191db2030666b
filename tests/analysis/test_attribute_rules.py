"""The attribute ruler as table lookups gives every token exactly what spaCy's ruler gives."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from analysis.attribute_rules import LEMMA_NAME, NAME, AttributeTable, token_rows
from analysis.corpus import load_corpus
from analysis.nlp import LEMMATIZER, RULER, load_model

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


@pytest.fixture(scope="module")
def stock() -> Any:
    return load_model(table_rules=False)


def test_the_model_runs_the_table_in_the_rulers_place(nlp: Any, stock: Any) -> None:
    assert RULER in stock.pipe_names and NAME not in stock.pipe_names
    for theirs, ours in ((RULER, NAME), (LEMMATIZER, LEMMA_NAME)):
        at = stock.pipe_names.index(theirs)
        assert nlp.pipe_names[at] == ours and theirs not in nlp.pipe_names


def _same_on(nlp: Any, stock: Any, texts: list[str]) -> None:
    fast = [token_rows(d) for d in nlp.pipe(texts, batch_size=8)]
    slow = [token_rows(d) for d in stock.pipe(texts, batch_size=8)]
    assert len(fast) == len(slow) == len(texts)
    for text, a, b in zip(texts, fast, slow, strict=True):
        assert a == b, text[:80]


def test_same_tokens_on_the_seed(nlp: Any, stock: Any) -> None:
    _same_on(nlp, stock, [a.text for a in load_corpus([SEEDS]).articles])


def test_same_tokens_on_the_wikinews_articles(nlp: Any, stock: Any, shared_corpus: Path) -> None:
    _same_on(nlp, stock, [a.text for a in load_corpus([shared_corpus]).articles])


# Sentences that reach the rarer rules: negation, contractions, two-token rules, pronoun case
# by dependency, spaces, determiners used as pronouns, "but" as an adverb.
RARE = [
    "I ain't gonna say y'all got ta go, but let's c'mon.",
    "It isn't what you think: that's not it, and I'm sure they've seen it.",
    "There are two of them and there's one left; nothin' else.\n\n\nThat was it.",
    "Whether or not it rains, those who did it had said so, and he gets what he got.",
    "She had done it; they do have it. All but one came. Do you? I do.",
    "  Leading spaces,   inner  runs\tof\ttabs\n and a trailing line\n",
]


def test_same_tokens_on_sentences_that_reach_the_rare_rules(nlp: Any, stock: Any) -> None:
    _same_on(nlp, stock, RARE)


def _ruler_and_table(patterns: list[dict[str, Any]], words: list[str], **cols: list[str]) -> Any:
    """Run a ruler with `patterns` and a table built from it on one doc with set tags/deps."""
    import spacy
    from spacy.tokens import Doc

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)  # type: ignore[attr-defined]
    table = AttributeTable(ruler)  # type: ignore[arg-type]
    docs = []
    for component in (ruler, table):
        doc = Doc(nlp.vocab, words=words, **cols)  # type: ignore[arg-type]
        docs.append(
            [(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in component(doc)]  # type: ignore[operator]
        )
    return docs


def test_later_rules_win_and_multi_token_targets() -> None:
    patterns = [
        {"patterns": [[{"TAG": "NN"}]], "attrs": {"POS": "NOUN", "MORPH": "Number=Sing"}},
        {"patterns": [[{"LOWER": "run", "TAG": "NN"}]], "attrs": {"POS": "VERB"}},
        {"patterns": [[{"LOWER": "gon"}, {"LOWER": "na"}]], "attrs": {"LEMMA": "to"}, "index": -1},
        {"patterns": [[{"LOWER": {"REGEX": "^r"}}]], "attrs": {"LEMMA": "r-word"}},
        {"patterns": [[{"TAG": {"NOT_IN": ["NN", ""]}}]], "attrs": {"POS": "X"}},
        {"patterns": [[{"IS_SPACE": True}]], "attrs": {"TAG": "_SP", "POS": "SPACE"}},
        {"patterns": [[{"DEP": {"IN": ["nsubj"]}}]], "attrs": {"DEP": "subject"}},
    ]
    words = ["Run", "gon", "na", "run", "\n", "Rex"]
    tags = ["NN", "VB", "TO", "NN", "", "NNP"]
    deps = ["nsubj", "aux", "aux", "ROOT", "dep", "dobj"]
    heads = [3, 3, 3, 3, 3, 3]
    ruled, tabled = _ruler_and_table(patterns, words, tags=tags, deps=deps, heads=heads)
    assert tabled == ruled
    assert tabled[0][:2] == ("NN", "VERB") and tabled[2][3] == "to" and tabled[0][4] == "subject"


def test_rules_the_table_cannot_copy_keep_the_ruler() -> None:
    import spacy

    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "a", "OP": "+"}]], {"POS": "DET"})  # type: ignore[attr-defined]
    assert not AttributeTable.supports(ruler)  # type: ignore[arg-type]
    other = spacy.blank("en").add_pipe("attribute_ruler")
    other.add([[{"NORM": "a"}]], {"POS": "DET"})  # type: ignore[attr-defined]
    assert not AttributeTable.supports(other)  # type: ignore[arg-type]
