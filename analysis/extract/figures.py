"""Reported figures: numbers with what they count, their hedge, their kind and who reports them.

A figure's span is the number phrase as written together with what makes it an amount: a
currency ("$2bn", "2 million euros"), a percent sign or word ("40 per cent"), a unit of measure
("9,420 nautical miles") or a unit of time ("two days"). The hedge is never inside the span: it
is the figure's `qualifier` ("as many as"). `counted` is the noun the number quantifies with its
modifiers, as written ("political prisoners"); `counted_key` is its key (lemmas, singular, lower
case). `claim` is what is counted and what happens to it ("prisoners freed") and `claim_key` its
ledger key ("prisoner|free"), from the predicate the counted noun takes part in
(analysis.extract.figures_claims); without one they are `counted` and `counted_key`. Years,
dates, times of day, model names ("Boeing 777"), labels ("page 5"), list markers and reference
numbers are not figures. Indefinite amounts ("hundreds", "a dozen",
"tens of thousands") carry the lower bound of their order of magnitude as `value`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from analysis.extract.figures_claims import claim
from analysis.extract.figures_counted import (
    _Counted,
    _counted,
    _counted_text,
    _hedge_after,
    _hedge_before,
    _plural,
    _root,
    _with_modifiers,
)
from analysis.extract.figures_exclusions import _is_label, _is_time_expression, _is_year, _yearlike
from analysis.extract.figures_lexicon import _Lexicon, lexicon
from analysis.extract.figures_sources import _Mentions, _source
from analysis.extract.number_phrases import may_start, scan
from analysis.extract.numbers import HYPHENS, NOMINAL, TIME_LABELS, Phrase
from analysis.extract.quotemarks import QuoteMap, map_quotes
from analysis.extract.quotespeakers import nominal_referent
from analysis.records import Figure, Mention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from analysis.corpus import Article

VERSION = "3"

# The API; `lexicon` (from figures_lexicon) is read by the tests and benchmarks too.
__all__ = ["VERSION", "extract_figures", "lexicon"]

# An ordinal in digits: "3rd", "21st".
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)
_RANK_DEPS = frozenset({"oprd", "advmod", "dobj", "attr", "npadvmod", "acomp"})


# --------------------------------------------------------------------------- "a" as one


def _coordinated_ones(
    doc: Doc,
    sent: SpacySpan,
    heads: Sequence[int],
    taken: set[int],
    amounts: set[int],
    lex: _Lexicon,
) -> list[tuple[Phrase, _Counted]]:
    """ "a 27-year-old woman and 2 males": an indefinite article in a list of counts counts one."""
    out = []
    seen: set[int] = set()
    for head in heads:
        if not sent.start <= head < sent.end:
            continue
        tok = doc[head]
        partners = list(tok.conjuncts)
        for other in partners:
            if other.i in seen or other.tag_ != "NN" or other.ent_type_ in TIME_LABELS:
                continue
            article = [c for c in other.children if c.dep_ == "det" and c.lower_ in {"a", "an"}]
            if not article or article[0].i in taken:
                continue
            if any(t in amounts for t in range(article[0].i, other.i)):
                continue  # "1,400 employees and a 30-year contract": a thing measured, not counted
            seen.add(other.i)
            det = article[0]
            phrase = Phrase(det.i, det.i + 1, det.i, det.i + 1, 1.0, det.idx, det.idx + len(det))
            out.append((phrase, _with_modifiers(doc, other.i, lex, stop=taken)))
    return out


# --------------------------------------------------------------------------- ordinals


def _ordinals(doc: Doc, sent: SpacySpan, taken: set[int], lex: _Lexicon) -> list[Phrase]:
    """Ranks: "the world's third-largest producer", "ranked 5th"."""
    out = []
    for tok in sent:
        match = _ORDINAL_DIGITS.match(tok.text)
        value = float(match.group(1)) if match else lex.ordinals.get(tok.lower_)
        if value is None or tok.i in taken or tok.ent_type_ in TIME_LABELS:
            continue
        nxt = tok.i + 1
        if nxt < sent.end and doc[nxt].text in HYPHENS and tok.whitespace_ == "":
            nxt += 1
        superlative = nxt < sent.end and doc[nxt].tag_ == "JJS"
        ranked = (
            tok.head.i < tok.i
            and tok.head.lemma_.lower() in lex.rank_verbs
            and tok.dep_ in _RANK_DEPS
        )
        if not superlative and not ranked:
            continue
        phrase = Phrase(tok.i, tok.i + 1, tok.i, tok.i + 1, value, tok.idx, tok.idx + len(tok.text))
        phrase.kind = "ordinal"
        phrase.digits = bool(match)
        if superlative:
            phrase.unit_start = nxt
        out.append(phrase)
    return out


# --------------------------------------------------------------------------- the extractor


def extract_figures(doc: Doc, article: Article, mentions: Sequence[Mention]) -> list[Figure]:
    """Numbers reported in `doc` with what they count, their hedge and their source."""
    lex = lexicon()
    text = article.text
    quote_map: list[QuoteMap] = []  # built once, when a source is a common noun

    def referent(noun: Token) -> Mention | None:
        if not quote_map:
            quote_map.append(map_quotes(doc, text, mentions))
        return nominal_referent(quote_map[0], noun) if quote_map[0].doc is not None else None

    index = _Mentions(mentions, referent)
    figures: list[Figure] = []
    names: set[str] = set()
    pairs: set[tuple[str, str]] = set()  # ("iphone", "4"): a name and its number
    earlier: set[float] = set()  # values already counted, antecedents of "the 123"
    pending: list[tuple[Phrase, _Counted | None, SpacySpan]] = []
    starts = may_start(doc, lex)
    for sent in doc.sents:
        phrases = scan(doc, sent, lex, starts)
        labels: dict[int, str | None] = {}
        counted_of: dict[int, _Counted | None] = {}
        for n, phrase in enumerate(phrases):
            phrase.age = phrase.age or _is_age(doc, phrase, lex)
            counted = _counted(doc, phrase, sent.end, lex)
            counted_of[n] = counted
            labels[n] = _is_label(doc, phrase, counted, lex, earlier)
            word = doc[phrase.core_start].text
            if labels[n] == "name" and phrase.digits and phrase.core_start > sent.start:
                pairs.add((doc[phrase.core_start - 1].lower_, word))
            if labels[n] == "name" and phrase.digits and len(word) >= 3 and not _yearlike(word):
                names.add(word)
        for n, phrase in enumerate(phrases):
            for m, other in counted_of.items():
                inside = other is not None and other.start <= phrase.core_start < other.head
                if m != n and inside and phrase.digits and labels[n] is None:
                    labels[n] = "name"  # "20 of Boeing's 777 planes": 20 counts, 777 names
        for n, phrase in enumerate(phrases):
            counted = counted_of[n]
            if phrase.range_with is not None and counted is None:
                counted = counted_of.get(phrase.range_with)
                if counted is not None and counted.head < phrase.start:
                    counted = None
            if labels[n] == "rank":
                phrase.kind = "ordinal"  # "the No. 1 music seller"
            elif labels[n] is not None:
                continue
            if phrase.range_with is not None and labels.get(phrase.range_with) is not None:
                continue
            if _is_time_expression(doc, phrase, counted, lex) or _is_year(doc, phrase, counted):
                continue
            pending.append((phrase, counted, sent))
            if phrase.kind == "count":
                earlier.add(phrase.value)
        taken = {t for p in phrases for t in range(p.core_start, p.core_end)}
        counted_heads = [c.head for p, c, _ in pending if c is not None and p.kind == "count"]
        covered = {t for p in phrases for t in range(p.start, p.end)}
        amounts = {t for p in phrases if not p.age for t in range(p.start, p.end)}
        for phrase, counted in _coordinated_ones(doc, sent, counted_heads, covered, amounts, lex):
            pending.append((phrase, counted, sent))
        for phrase in _ordinals(doc, sent, taken, lex):
            counted = None
            if phrase.unit_start is not None:
                head = doc[phrase.unit_start].head
                if head.pos_ in NOMINAL and head.i > phrase.unit_start:
                    counted = _Counted(head.i, phrase.unit_start, _plural(head, lex))
                phrase.unit_start = None
            pending.append((phrase, counted, sent))
    for phrase, counted, sent in sorted(pending, key=lambda p: p[0].char_start):
        word = doc[phrase.core_start].text
        before = doc[phrase.core_start - 1].lower_ if phrase.core_start > sent.start else ""
        named = word in names or (before, word) in pairs
        if named and phrase.digits and phrase.kind == "count" and phrase.start == phrase.core_start:
            continue  # the article names a model with this number elsewhere ("Boeing 777")
        figure = _figure(doc, text, article.doc_id, phrase, counted, sent, index, lex)
        if figure is not None:
            figures.append(figure)
    return figures


def _figure(
    doc: Doc,
    text: str,
    doc_id: str,
    phrase: Phrase,
    counted: _Counted | None,
    sent: SpacySpan,
    index: _Mentions,
    lex: _Lexicon,
) -> Figure | None:
    start, end = phrase.char_start, phrase.char_end
    if not (0 <= start < end <= len(text)):
        return None
    span = Span(start, end, text[start:end], sent.text, sent.start_char)
    kind = phrase.kind
    unit = phrase.unit
    counted_text: str | None = None
    counted_key: str | None = None
    if phrase.age:
        kind, unit, counted_text, counted_key = "quantity", "year", "age", "age"
    elif counted is not None:
        counted_text, counted_key = _counted_text(text, doc, counted)
    if kind == "duration" and counted is not None and unit is not None:
        counted_key = unit
    claim_text, claim_key = counted_text, counted_key
    if counted is not None and counted_text and counted_key and not phrase.age:
        figure_range = range(phrase.start, phrase.end)
        claim_text, claim_key = claim(
            doc, counted.head, figure_range, counted_text, counted_key, kind
        )
    figure_tokens = set(range(phrase.start, phrase.end))
    if counted is not None:
        figure_tokens |= set(range(counted.start, counted.head + 1))
    anchor = doc[counted.head] if counted is not None else _root(doc, phrase, whole=True)
    source, entity = _source(doc, anchor, figure_tokens, index, lex)
    return replace(
        Figure(
            doc_id=doc_id,
            span=span,
            value=float(phrase.value),
            counted=counted_text,
            qualifier=_qualifier(doc, phrase, sent, lex),
            kind=kind,
        ),
        unit=unit,
        counted_key=counted_key,
        claim=claim_text,
        claim_key=claim_key,
        source=source,
        source_entity=entity,
    )


def _is_age(doc: Doc, phrase: Phrase, lex: _Lexicon) -> bool:
    """ "aged 45", "the age of 5", "ages 2 to 5": an age in years."""
    if phrase.age:
        return True
    if phrase.kind not in {"count", "duration"} or phrase.core_start == 0:
        return False
    prev = doc[phrase.core_start - 1]
    if prev.lower_ in lex.age_words:
        return True
    if _apposed_age(doc, phrase):
        return True
    return (
        prev.lower_ == "of"
        and phrase.core_start >= 2
        and doc[phrase.core_start - 2].lower_ in lex.age_words
    )


def _apposed_age(doc: Doc, phrase: Phrase) -> bool:
    """ "Papermaster, 49, joined Apple": a bare whole number set off by commas after a
    person's name is the person's age (news style), not a count."""
    i, j = phrase.core_start, phrase.core_end
    if phrase.kind != "count" or not phrase.digits or phrase.start != i or phrase.end != j:
        return False
    if j - i != 1 or not 0 < phrase.value < 125 or phrase.value != int(phrase.value) or i < 2:
        return False
    name, comma = doc[i - 2], doc[i - 1]
    after = doc[j] if j < len(doc) else None
    if comma.text != "," or (after is not None and after.text not in (",", ")", ".", ";")):
        return False
    if name.ent_type_ == "PERSON" or (name.pos_ == "PROPN" and not name.ent_type_):
        return True
    # The model may tag the name otherwise ("hired Papermaster, 49,"): the parse still sets
    # the number off as the name's apposition; places and lists ("Ohio, 12, and ...") are not.
    number = doc[i]
    listed = j + 1 < len(doc) and doc[j + 1].lower_ in ("and", "or")
    return (
        after is not None
        and after.text == ","
        and number.dep_ == "appos"
        and number.head.i == name.i
        and name.pos_ == "PROPN"
        and name.ent_type_ not in ("GPE", "LOC", "NORP", "FAC")
        and not listed
    )


def _qualifier(doc: Doc, phrase: Phrase, sent: SpacySpan, lex: _Lexicon) -> str | None:
    before = _hedge_before(doc, phrase, lex)
    if before is not None:
        return before
    n = _hedge_after(doc, phrase.core_end if phrase.kind == "count" else phrase.end, sent.end, lex)
    if n:
        at = phrase.core_end if phrase.kind == "count" else phrase.end
        return doc[at : at + n].text
    return None
