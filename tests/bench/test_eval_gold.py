"""The quotes and figures gold (bench/gold/quotes, bench/gold/figures) is well formed and found."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from analysis.corpus import load_corpus
from bench.eval_figures import gold_value, locate
from bench.eval_quotes import QUOTE_GLYPHS, read_gold

ROOT = Path(__file__).resolve().parent.parent.parent
QUOTES = ROOT / "bench" / "gold" / "quotes" / "quotes.json"
FIGURES = ROOT / "bench" / "gold" / "figures" / "figures.json"
# Beside the repository, or beside the folder of worktrees a repository's branches live in.
WIKINEWS = [base / "shared" / "corpus" / "wikinews" for base in (ROOT.parent, ROOT.parent.parent)]
QUOTE_KINDS = {"direct", "partial", "title"}
FIGURE_KINDS = {"count", "money", "percent", "quantity", "duration"}
MAX_ANCHOR = 40  # anchors, not passages: the article texts stay outside the repository


def _quotes() -> list[list[Any]]:
    rows: list[list[Any]] = json.loads(QUOTES.read_text("utf-8"))["quotes"]
    return rows


def _figures() -> dict[str, Any]:
    gold: dict[str, Any] = json.loads(FIGURES.read_text("utf-8"))
    return gold


@pytest.fixture(scope="module")
def articles() -> dict[str, Any]:
    """The gold's articles by file prefix, read from the shared Wikinews corpus."""
    folder = next((p for p in WIKINEWS if p.is_dir()), None)
    if folder is None:
        pytest.skip("../shared/corpus/wikinews is not present")
    prefixes = {row[0] for row in _quotes()} | set(_figures()["files"])
    files = {p.name.split("_", 1)[0]: p for p in folder.glob("*.txt")}
    assert prefixes <= set(files), sorted(prefixes - set(files))
    return {p: load_corpus([files[p]]).articles[0] for p in sorted(prefixes)}


def test_quote_rows_are_well_formed() -> None:
    rows = _quotes()
    assert rows
    for row in rows:
        assert len(row) == 5, row
        prefix, first, final, kind, speakers = row
        assert prefix.isdigit() and kind in QUOTE_KINDS, row
        assert 0 < len(first) <= MAX_ANCHOR and 0 < len(final) <= MAX_ANCHOR, row
        if kind == "title":
            assert speakers is None, row
        else:
            assert speakers is None or (speakers and all(s.strip() for s in speakers)), row


def test_figure_rows_are_well_formed() -> None:
    gold = _figures()
    files = gold["files"]
    assert files and len(files) == len(set(files))
    keys = set()
    for row in gold["items"]:
        assert len(row) == 5, row
        prefix, text, nth, kind, optional = row
        assert prefix in files and kind in FIGURE_KINDS and isinstance(optional, bool), row
        assert isinstance(nth, int) and nth >= 1 and 0 < len(text) <= MAX_ANCHOR, row
        assert (prefix, text, nth) not in keys, row
        keys.add((prefix, text, nth))
        if not optional:  # the scorer can read the value it checks
            assert gold_value(text) is not None, row
    assert {row[0] for row in gold["items"]} == set(files)  # no article left unmarked
    for row in gold["attributes"]:
        assert len(row) == 6, row
        prefix, text, nth, head, qualifier, source = row
        assert (prefix, text, nth) in keys, row  # an attribute row is one of the items'
        assert head and (qualifier is None or qualifier == qualifier.lower()), row
        assert source is None or source.strip(), row


@pytest.mark.corpus
def test_every_quote_is_found_between_quotation_marks(articles: dict[str, Any]) -> None:
    gold = read_gold(QUOTES, articles)  # raises when an opening anchor is not found
    nth: dict[str, int] = {}
    starts = set()
    for prefix, first, final, *_ in _quotes():
        article = articles[prefix]
        k = nth.get(prefix, 0)
        nth[prefix] = k + 1
        g = gold[article.doc_id][k]  # read_gold keeps each article's rows in order
        text = article.text
        assert text[g.start :].startswith(first), (prefix, first)
        assert text[: g.end].endswith(final) and g.end > g.start, (prefix, first, final)
        assert text[: g.start].rstrip()[-1] in QUOTE_GLYPHS, (prefix, first)
        # the closing anchor ends the quotation: its closing mark follows
        after = text[g.end : g.end + 3].lstrip(" .,")
        assert after[:1] and after[0] in QUOTE_GLYPHS, (prefix, final)
        assert (prefix, g.start) not in starts, (prefix, first)
        starts.add((prefix, g.start))
    assert sum(nth.values()) == sum(len(gs) for gs in gold.values())


@pytest.mark.corpus
def test_every_figure_is_found_in_its_article(articles: dict[str, Any]) -> None:
    gold = _figures()
    for prefix, text, nth, *_ in gold["items"] + gold["attributes"]:
        body = articles[prefix].text
        where = locate(body, text, nth)
        assert where is not None, (prefix, text, nth)
        assert body[where[0] : where[1]] == text


def test_the_gold_articles_are_not_in_the_linking_gold() -> None:
    linking = ROOT / "bench" / "gold" / "linking"
    marked = {
        json.loads(p.read_text("utf-8"))["article"].split("_")[0] for p in linking.glob("*.json")
    }
    assert not marked & set(_figures()["files"])
