"""The linking benchmark's gold reading and pair counts (bench/eval_linking.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.eval_linking import DEFAULT_GOLD, GoldMention, load_gold, pair_scores, resolve

TEXT = "Apple Inc. sued Apple Corps. Apple TV is made by Apple. Jobs said the apple fell."
SPEC = {
    "entities": {"Apple Inc.": "ORG", "Apple Corps": "ORG", "Steve Jobs": "PERSON"},
    "mentions": [
        ["Apple", "Apple Inc."],
        ["Apple Corps", "Apple Corps"],
        ["Apple TV", None],
        ["Jobs", "Steve Jobs", {"only": [0]}],
    ],
}


def test_resolve_marks_longer_surfaces_first_and_not_inside_null_spans() -> None:
    got = resolve("a.txt", TEXT, SPEC)
    assert [(g.text, g.key) for g in got] == [
        ("Apple", "Apple Inc."),  # the "Apple" of "Apple Inc."
        ("Apple Corps", "Apple Corps"),  # not its "Apple"
        ("Apple", "Apple Inc."),  # the maker of Apple TV, not the "Apple" inside it
        ("Jobs", "Steve Jobs"),
    ]
    assert all(TEXT[g.start : g.end] == g.text for g in got)
    assert got[2].start == TEXT.index("Apple.")


def test_resolve_refuses_a_surface_not_in_the_text() -> None:
    spec = {"entities": {"X": "ORG"}, "mentions": [["Boeing", "X"]]}
    with pytest.raises(SystemExit):
        resolve("a.txt", TEXT, spec)


def _g(article: str, key: str) -> GoldMention:
    return GoldMention(article, 0, 1, key, key, "ORG")


def test_pair_scores_count_pairs_across_and_within_articles() -> None:
    matched = [
        (_g("a", "Boeing"), "e1"),
        (_g("a", "Boeing"), "e1"),
        (_g("b", "Boeing"), "e2"),  # split from article a's Boeing: 2 pairs missed
        (_g("b", "Airbus"), "e2"),  # joined with b's Boeing, within b: 1 wrong pair
        (_g("c", "Boeing"), "e1"),
    ]
    across, within = pair_scores(matched)
    # Boeing across: a-b (2), a-c (2), b-c (1) = 5; one entity across: e1 a-c (2), e2 none.
    assert (across.gold, across.pred, across.both) == (5, 2, 2)
    assert (within.gold, within.pred, within.both) == (1, 2, 1)


@pytest.mark.corpus
def test_every_gold_file_resolves(shared_corpus: Path) -> None:
    mentions, articles = load_gold(DEFAULT_GOLD, shared_corpus / "wikinews")
    assert len(articles) == len(list(DEFAULT_GOLD.glob("*.json")))
    for m in mentions:
        assert articles[m.article].text[m.start : m.end] == m.text
    for path in DEFAULT_GOLD.glob("*.json"):
        assert "text" not in json.loads(path.read_text("utf-8"))  # the article stays outside
