"""One article or one batch through the parse and every extractor, and the pipeline version.

Below both the engines (which run `analyze_batch` wherever the work happens) and the pipeline
(which plans a run and stores what the engines return): neither imports the other for it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING

import pyarrow as pa

from analysis import copies as copies_mod
from analysis import nlp as nlp_mod
from analysis.corpus import Article, Problem
from analysis.extract import entities as entities_mod
from analysis.extract import figures as figures_mod
from analysis.extract import quotes as quotes_mod
from analysis.extract import readability as readability_mod
from analysis.extract import timeline as timeline_mod
from analysis.records import DocumentRecord
from analysis.search import index as index_mod
from analysis.store import to_arrow
from analysis.tables import SCHEMAS, ArticleAnalysis, build_document_tables
from analysis.version import __version__

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Texts spaCy parses together. Measured on the seed and Wikinews articles (three times over,
# CPU time, en_core_web_sm): 32 parses 7-12% faster than 8, 64 only 2% more; the parse's
# working memory grows with the batch (+88 MB at 8, +211 MB at 32, +393 MB at 64), which every
# worker process pays.
PARSE_BATCH = 32
# Not a table of the store: the articles of a batch the analysis failed on (path, reason).
PROBLEMS = "problems"
# The parse (nlp: sentence rules added to the model) and every extractor, by their VERSIONs.
_EXTRACTORS = (
    nlp_mod,
    entities_mod,
    quotes_mod,
    figures_mod,
    timeline_mod,
    readability_mod,
    index_mod,
    copies_mod,
)


def pipeline_version(model: str = "") -> str:
    """Changes whenever newslens, an extractor, the tables' columns or the model change.

    Stored rows and parts of another version are never reused: everything is analysed again.
    """
    parts = [
        __version__,
        model,
        *(f"{m.__name__}={m.VERSION}" for m in _EXTRACTORS),
        json.dumps(SCHEMAS, sort_keys=True),
    ]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:12]


def analyze_parsed(article: Article, doc: Doc) -> ArticleAnalysis:
    """Run every extractor over one parsed article."""
    mentions = tuple(entities_mod.extract_mentions(doc, article))
    sentences, words = _counts(doc)
    document = DocumentRecord(
        doc_id=article.doc_id,
        title=article.title,
        slug=article.slug,
        published=article.published,
        source=article.source,
        path=article.path,
        n_words=words,
        n_sentences=sentences,
        sha256=article.sha256,
    )
    return ArticleAnalysis(
        article=article,
        document=document,
        readability=readability_mod.score(article.text, article.doc_id),
        mentions=mentions,
        quotes=tuple(quotes_mod.extract_quotes(doc, article, mentions)),
        figures=tuple(figures_mod.extract_figures(doc, article, mentions)),
        events=tuple(timeline_mod.extract_events(doc, article, mentions)),
    )


def _counts(doc: Doc) -> tuple[int, int]:
    """Sentences, and words (tokens neither punctuation nor space), from the token arrays."""
    from spacy.attrs import IS_PUNCT, IS_SPACE

    if not len(doc):
        return 0, 0
    flags = doc.to_array([IS_PUNCT, IS_SPACE])
    words = int((flags.sum(axis=1) == 0).sum())
    return sum(1 for _ in doc.sents), words


def analyze_articles(nlp: Language, articles: Iterable[Article]) -> Iterator[ArticleAnalysis]:
    """Parse the articles in one batched spaCy pass and run the extractors on each."""
    for article, doc in nlp_mod.parse(nlp, articles, batch_size=PARSE_BATCH):
        yield analyze_parsed(article, doc)


def analyze_batch(nlp: Language, articles: Sequence[Article]) -> dict[str, pa.Table]:
    """A batch of articles as Arrow tables, ready to be stored as a part.

    An article the analysis fails on is left out and listed in the extra `PROBLEMS` table
    (path, reason), so one bad article never sinks its batch.
    """
    results, index, problems = _analyze_safely(nlp, articles)
    tables = {name: to_arrow(name, frame) for name, frame in build_document_tables(results).items()}
    for name, schema in index_mod.INDEX_SCHEMAS.items():
        parts = [part[name] for part in index]
        tables[name] = pa.concat_tables(parts) if parts else schema.empty_table()
    tables[PROBLEMS] = pa.table(
        {"path": [p.path for p in problems], "reason": [p.reason for p in problems]},
        schema=pa.schema([("path", pa.string()), ("reason", pa.string())]),
    )
    return tables


def index_tables(article: Article, doc: Doc) -> dict[str, pa.Table]:
    """The search index's rows for one parsed article (its postings and sentences), and its
    MinHash signature (computed here, in the worker, once)."""
    return {
        "postings": index_mod.postings(article.doc_id, doc, article.published),
        "sentences": index_mod.sentences(article.doc_id, doc),
        "signatures": copies_mod.signatures(article.doc_id, article.text),
    }


def _analyze_safely(
    nlp: Language, articles: Sequence[Article]
) -> tuple[list[ArticleAnalysis], list[dict[str, pa.Table]], list[Problem]]:
    results: list[ArticleAnalysis] = []
    index: list[dict[str, pa.Table]] = []
    problems: list[Problem] = []
    parsed = 0

    def one(article: Article, doc: Doc) -> None:
        analysed = analyze_parsed(article, doc)
        index.append(index_tables(article, doc))
        results.append(analysed)

    try:
        for article, doc in nlp_mod.parse(nlp, articles, batch_size=PARSE_BATCH):
            parsed += 1
            try:
                one(article, doc)
            except Exception as err:  # an extractor bug must not lose the other articles
                problems.append(_failed(article, err))
    except Exception:
        # The parser failed somewhere in the rest of the batch: parse those one by one.
        for article in articles[parsed:]:
            try:
                for single, doc in nlp_mod.parse(nlp, [article]):
                    one(single, doc)
            except Exception as err:
                problems.append(_failed(article, err))
    return results, index, problems


def _failed(article: Article, err: Exception) -> Problem:
    return Problem(article.path, f"article {article.doc_id}: analysis failed: {err!r}"[:500])
