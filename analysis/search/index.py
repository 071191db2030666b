"""The search index: one posting per searchable token, built from the article's one parse.

A posting is a token that holds a letter or a digit (`query.is_indexed`), lower-cased
(`query.normalise`); spaces and punctuation are not indexed. Columns:

- ``doc_id``, ``term`` (lower-cased token text), ``lemma`` (lower-cased spaCy lemma, null when
  it equals ``term``, which it does for most tokens);
- ``start`` and ``length``: the token is ``text[start:start + length]`` exactly;
- ``published``: the article's date of publication (null when it has none), so that a term's
  postings are in date order and the newest articles' postings are read without the rest;
- ``next``: the term of the following posting when it is this one's phrase neighbour, null when
  there is none, so that a two-word phrase is one scan (``term = ? AND next = ?``) and a
  phrase's count needs no join of its words' every posting;
- ``next_end``: where that next posting ends, in characters from this one's end (null with
  ``next``), so that a phrase's last word need not be read to know where the phrase ends;
- ``gap``: how many characters separate the token from the previous posting when they are
  phrase neighbours, null when they are not. Two postings are neighbours when only whitespace
  without a blank line lies between them (a line wrap is fine), or a mark inside a word with no
  space around it (the hyphen of anti-war, the slash of 9/11). Any other punctuation (a comma,
  a full stop, a quote mark) and a paragraph break end a phrase, so "political prisoners" does
  not match "prisoners, political" nor "political. Prisoners". A phrase's next word is the
  posting whose ``start - gap`` is the previous word's ``start + length``.

Why ``gap`` and not a token index ``i``: in a table sorted by term, a token index is a random
number per posting (about 27% of the text's size on the news corpus), while ``gap`` is 0, 1 or
null (under 2%) and gives the same adjacency. Why ``length`` and not ``end``: in term order
``length`` repeats along each term and compresses to nearly nothing, ``end`` does not.

Write the table sorted by `SORT_KEYS` (term, then newest article first) with `PARQUET_OPTIONS`
so that DuckDB skips row groups by term, and within a common term by date: the first page of a
word every article holds reads the row groups of the newest articles' postings only (see
`analysis.search.match`).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from analysis.copies import SIGNATURES_SCHEMA
from analysis.search.query import is_indexed, normalise

if TYPE_CHECKING:
    from spacy.tokens import Doc

# Tokens longer than this (a URL, a run of glued characters) are not indexed: nobody searches
# them, and the limit keeps `length` in two bytes.
MAX_TOKEN_CHARS = 1000

POSTINGS_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("term", pa.string(), nullable=False),
        pa.field("lemma", pa.string()),
        pa.field("start", pa.int32(), nullable=False),
        pa.field("length", pa.int16(), nullable=False),
        pa.field("gap", pa.int16()),
        pa.field("published", pa.date32()),
        pa.field("next", pa.string()),
        pa.field("next_end", pa.int16()),
    ]
)

SORT_KEYS = [
    ("term", "ascending"),
    ("published", "descending"),  # nulls last, as the hits are listed
    ("doc_id", "ascending"),
    ("start", "ascending"),
]

# Keyword arguments for `pyarrow.parquet.write_table`, chosen by measurement: offsets split by
# byte (zstd then finds the runs of equal high bytes), every other column dictionary-encoded.
# The sorted terms too: a row group holds runs of few distinct terms, and DuckDB tests a term
# against its dictionary about twice as fast as it decodes front-coded strings (a common word's
# count 33 -> 15 ms at 100,000 articles), for about 5% more index on the Wikinews articles.
# Row groups of 128Ki postings let a term lookup read a few row groups of a 70M-posting index.
PARQUET_OPTIONS: dict[str, Any] = {
    "compression": "zstd",
    "compression_level": 9,
    "use_dictionary": ["doc_id", "term", "lemma", "length", "gap", "published", "next", "next_end"],
    "column_encoding": {"start": "BYTE_STREAM_SPLIT"},
    "row_group_size": 128 * 1024,
}


def postings(doc_id: str, doc: Doc, published: date | None = None) -> pa.Table:
    """The postings of one parsed article, in text order, with `POSTINGS_SCHEMA`.

    Offsets index the text `doc` was parsed from (`Article.text`); `published` is the
    article's date (`Article.published`).
    """
    from spacy.attrs import IDX, IS_SPACE, LEMMA, ORTH

    columns: dict[str, list[Any]] = {name: [] for name in POSTINGS_SCHEMA.names}
    prev_end: int | None = None  # end of the previous posting while it can still be a neighbour
    n_tokens = len(doc)
    strings = doc.vocab.strings
    forms = _forms(strings)
    # One row of ints a token (no Token objects): its text and lemma as hashes, offset, space.
    rows = doc.to_array([ORTH, LEMMA, IDX, IS_SPACE]).tolist() if n_tokens else []
    for i, (orth, lemma_id, start, space) in enumerate(rows):
        text, indexed, term = forms(orth)
        if space:
            if text.count("\n") >= 2:
                prev_end = None
            continue
        if not indexed:
            if not _inside_word(doc, i, n_tokens, prev_end):
                prev_end = None
            continue
        lemma = forms(lemma_id)[2] if lemma_id != orth else term
        columns["doc_id"].append(doc_id)
        columns["term"].append(term)
        columns["lemma"].append(None if lemma == term else lemma)
        columns["start"].append(start)
        columns["length"].append(len(text))
        columns["gap"].append(None if prev_end is None else start - prev_end)
        prev_end = start + len(text)
    terms, gaps, starts, lengths = (
        columns["term"],
        columns["gap"],
        columns["start"],
        columns["length"],
    )
    linked = [k + 1 < len(terms) and gaps[k + 1] is not None for k in range(len(terms))]
    columns["next"] = [terms[k + 1] if linked[k] else None for k in range(len(terms))]
    columns["next_end"] = [
        starts[k + 1] + lengths[k + 1] - starts[k] - lengths[k] if linked[k] else None
        for k in range(len(terms))
    ]
    columns["published"] = [published] * len(terms)
    return pa.table(columns, schema=POSTINGS_SCHEMA)


# spaCy's string hashes -> `_forms` values. A hash is a function of its string alone, so the
# memo holds for every model's string store; it starts again past its size.
_FORMS: dict[int, tuple[str, bool, str]] = {}
_FORMS_MAX = 1 << 17


def _forms(strings: Any) -> Any:
    """A hash -> (its string, whether it is indexed as a token, its normalised form), memoised."""

    def forms(key: int) -> tuple[str, bool, str]:
        found = _FORMS.get(key)
        if found is None:
            if len(_FORMS) >= _FORMS_MAX:
                _FORMS.clear()
            text = strings[key]
            found = _FORMS[key] = (
                text,
                is_indexed(text) and len(text) <= MAX_TOKEN_CHARS,
                normalise(text),
            )
        return found

    return forms


def _inside_word(doc: Doc, i: int, n_tokens: int, prev_end: int | None) -> bool:
    """Whether the unindexed token `i` is a mark glued between two indexed tokens."""
    token = doc[i]
    return (
        prev_end == token.idx
        and not token.whitespace_
        and i + 1 < n_tokens
        and is_indexed(doc[i + 1].text)
    )


# Bumped whenever what the index holds for an article changes: stored articles are redone.
VERSION = 2  # 2: published, next and next_end; postings by date within a term

SENTENCES_SCHEMA = pa.schema(
    [
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("start", pa.int32(), nullable=False),
        pa.field("end", pa.int32(), nullable=False),
    ]
)

# The search tables of a store, besides the seven of the contract: name -> Arrow schema; with
# them each article's MinHash signature, by which the merge finds near copies.
INDEX_SCHEMAS: dict[str, pa.Schema] = {
    "postings": POSTINGS_SCHEMA,
    "sentences": SENTENCES_SCHEMA,
    "signatures": SIGNATURES_SCHEMA,
}
# How each is written: postings sorted by term (see `PARQUET_OPTIONS`), sentences as they come.
INDEX_ORDER: dict[str, list[tuple[str, str]]] = {"postings": SORT_KEYS}


def sentences(doc_id: str, doc: Doc) -> pa.Table:
    """The sentences of one parsed article (doc_id, start, end), for a hit's sentence."""
    spans = [(s.start_char, s.end_char) for s in doc.sents]
    return pa.table(
        {
            "doc_id": [doc_id] * len(spans),
            "start": [a for a, _ in spans],
            "end": [b for _, b in spans],
        },
        schema=SENTENCES_SCHEMA,
    )
