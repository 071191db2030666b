"""Reported figures: numbers with what they count, their hedge, their kind and who reports them.

A figure's span is the number phrase as written together with what makes it an amount: a
currency ("$2bn", "2 million euros"), a percent sign or word ("40 per cent"), a unit of measure
("9,420 nautical miles") or a unit of time ("two days"). The hedge is never inside the span: it
is the figure's `qualifier` ("as many as"). `counted` is the noun the number quantifies with its
modifiers, as written ("political prisoners"); `counted_key` is its ledger key (lemmas, singular,
lower case). Years, dates, times of day, model names ("Boeing 777"), labels ("page 5"), list
markers and reference numbers are not figures. Indefinite amounts ("hundreds", "a dozen",
"tens of thousands") carry the lower bound of their order of magnitude as `value`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass, fields, replace
from functools import cache
from typing import TYPE_CHECKING

from analysis import lexicon as lexicons
from analysis.extract.number_phrases import entity_of, scan
from analysis.extract.numbers import (
    HYPHENS,
    NOMINAL,
    TIME_LABELS,
    NumberLexicon,
    Phrase,
    norm,
    number_lexicon,
    read_number,
    word_tuples,
)
from analysis.records import EntityKey, Figure, Mention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token
    from spacy.tokens import Span as SpacySpan

    from analysis.corpus import Article

VERSION = "1"

# An ordinal in digits: "3rd", "21st".
_ORDINAL_DIGITS = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.IGNORECASE)

_NAME_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "LAW", "FAC", "EVENT", "ORG", "PERSON"})
_MODIFIER_POS = frozenset({"ADJ", "NOUN", "PROPN"})
_RELATIVE = frozenset({"who", "which", "that", "whom"})
_PERSONAL = frozenset({"he", "she", "him", "her"})
# Dependents that belong to a source's noun phrase (relative clauses and appositions do not).
_NP_DEPS = frozenset({"compound", "amod", "det", "poss", "nmod", "case", "prep", "pobj", "nummod"})
_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj"})
_RANK_DEPS = frozenset({"oprd", "advmod", "dobj", "attr", "npadvmod", "acomp"})


@dataclass(frozen=True, slots=True)
class _Lexicon(NumberLexicon):
    """The number lexicon with the hedges, attribution words and names figures need."""

    hedges_before: tuple[tuple[str, ...], ...]
    hedges_after: tuple[tuple[str, ...], ...]
    not_before_durations: frozenset[str]
    reporting_verbs: frozenset[str]
    document_nouns: frozenset[str]
    speaker_nouns: frozenset[str]
    count_nouns: frozenset[str]
    dropped_modifiers: frozenset[str]
    invariant_nouns: frozenset[str]
    label_nouns: frozenset[str]
    months: frozenset[str]
    relative_time_words: frozenset[str]
    rank_verbs: frozenset[str]
    rank_labels: frozenset[str]
    list_marker_punct: frozenset[str]


@cache
def lexicon() -> _Lexicon:
    """The figures lexicons, read once from analysis/lexicons/figures_*.json."""
    numbers = number_lexicon()
    hedges, attribution = lexicons.load("figures_hedges"), lexicons.load("figures_attribution")
    names = lexicons.load("figures_names")
    return _Lexicon(
        **{f.name: getattr(numbers, f.name) for f in fields(NumberLexicon)},
        hedges_before=word_tuples(hedges["before"]),
        hedges_after=word_tuples(hedges["after"]),
        not_before_durations=frozenset(hedges["not_before_durations"]),
        reporting_verbs=frozenset(attribution["reporting_verbs"]),
        document_nouns=frozenset(attribution["document_nouns"]),
        speaker_nouns=frozenset(attribution["speaker_nouns"]),
        count_nouns=frozenset(attribution["count_nouns"]),
        dropped_modifiers=frozenset(attribution["dropped_modifiers"]),
        invariant_nouns=frozenset(attribution["invariant_nouns"]),
        label_nouns=frozenset(names["label_nouns"]),
        months=frozenset(names["months"]),
        relative_time_words=frozenset(names["relative_time_words"]),
        rank_verbs=frozenset(names["rank_verbs"]),
        rank_labels=frozenset(names["rank_labels"]),
        list_marker_punct=frozenset(names["list_marker_punct"]),
    )


# --------------------------------------------------------------------------- what is counted


@dataclass(frozen=True, slots=True)
class _Counted:
    head: int  # token index of the counted noun
    start: int  # first token of the counted phrase (its modifiers)
    plural: bool


def _counted(doc: Doc, phrase: Phrase, limit: int, lex: _Lexicon) -> _Counted | None:
    """The noun the number quantifies, with its modifiers."""
    if phrase.kind in {"duration", "quantity"} and phrase.unit_start is not None:
        if phrase.age:
            return None
        end = phrase.unit_end or phrase.unit_start + 1
        return _Counted(end - 1, phrase.unit_start, True)
    if phrase.ratio_of is not None:
        return _noun_after(doc, phrase.ratio_of, limit, lex)
    if phrase.of_token is not None:
        found = _of_complement(doc, phrase.of_token, limit, lex)
        if found is not None or phrase.indefinite:
            return found
    after = phrase.end
    after += _hedge_after(doc, after, limit, lex)
    if "fraction" in phrase.notes:
        return _np_from(doc, after, limit, lex)  # "half the price"
    if phrase.kind in {"money", "percent"}:
        if after < limit and doc[after].lower_ == "of" and phrase.kind == "percent":
            return _of_complement(doc, after, limit, lex)
        root = _root(doc, phrase)
        if root.head.lower_ == "worth" and root.head.head.pos_ in NOMINAL:
            head = root.head.head
            return _with_modifiers(doc, head.i, lex)
        found = _noun_after(doc, after, limit, lex)
        if found is not None:
            if norm(doc[found.head]) not in lex.codes and doc[found.head].text not in lex.codes:
                return found
            return None
        # "the unemployment rate rose to 5 percent"
        return _number_of(doc, phrase, lex) if phrase.kind == "percent" else None
    found = _noun_after(doc, after, limit, lex)
    if found is not None:
        return found
    if phrase.hyphen_unit or "range-first" in phrase.notes:
        return None  # the first end of a range counts what the second end counts
    return _number_of(doc, phrase, lex)


def _noun_after(doc: Doc, i: int, limit: int, lex: _Lexicon) -> _Counted | None:
    """The noun phrase starting at token i: modifiers then a noun ("political prisoners")."""
    j = i
    head: int | None = None
    while j < limit:
        tok = doc[j]
        if tok.ent_type_ in TIME_LABELS and head is None and tok.pos_ != "ADJ":
            break
        named = tok.pos_ == "NUM" and not tok.like_num and any(c.isalpha() for c in tok.text)
        gerund = tok.tag_ == "VBG" and tok.dep_ in _NOMINAL_DEPS and j > i  # "a fuel saving"
        if tok.pos_ in NOMINAL or named or gerund or (tok.pos_ == "PRON" and tok.lower_ == "ones"):
            head = j  # "24 A320s": a model name counted
        elif (
            tok.text in HYPHENS and tok.whitespace_ == "" and j > i and doc[j - 1].whitespace_ == ""
        ):
            pass
        elif tok.pos_ == "ADJ" or (tok.tag_ in {"VBN", "VBG"} and tok.dep_ in {"amod", "compound"}):
            if head is not None:
                break
        elif (
            tok.pos_ == "NUM"
            and j > i
            and doc[j - 1].pos_ in {"PROPN", "ADJ"}
            and j + 1 < limit
            and doc[j + 1].pos_ in NOMINAL
        ):
            pass  # "Boeing 787 Dreamliner aircraft": a model number inside the noun phrase
        else:
            break
        j += 1
    if head is None:
        return None
    # the counted noun ends the run of nominals: "five Boeing 737s"
    tok = doc[head]
    if tok.ent_type_ in TIME_LABELS and tok.lower_ not in lex.invariant_nouns:
        return None
    start = i
    while start < head and (
        doc[start].lower_ in lex.dropped_modifiers or doc[start].text in HYPHENS
    ):
        start += 1
    return _Counted(head, start, _plural(tok, lex))


def _plural(tok: Token, lex: _Lexicon) -> bool:
    if tok.tag_ in {"NNS", "NNPS"} or tok.lower_ in lex.invariant_nouns:
        return True
    return tok.lemma_.lower() != tok.lower_ and tok.pos_ == "NOUN"


def _of_complement(doc: Doc, of: int, limit: int, lex: _Lexicon) -> _Counted | None:
    """The noun after "of" ("hundreds of protesters", "20 of the planes"); None for pronouns."""
    return _np_from(doc, of + 1, limit, lex)


def _np_from(doc: Doc, j: int, limit: int, lex: _Lexicon) -> _Counted | None:
    """The noun phrase from token j, past its determiner or possessive."""
    while j < limit and (
        doc[j].pos_ == "DET" or doc[j].dep_ in {"poss", "case"} or doc[j].tag_ == "POS"
    ):
        j += 1
    if j >= limit or doc[j].pos_ == "PRON":
        return None
    # "the release of 1,000 of the 1,227": no noun
    if read_number(doc, j, limit, lex) is not None and doc[j].pos_ == "NUM":
        return None
    return _noun_after(doc, j, limit, lex)


def _with_modifiers(doc: Doc, head: int, lex: _Lexicon, stop: Collection[int] = ()) -> _Counted:
    """A noun with the adjectival and compound modifiers written right before it."""
    start = head
    while start > 0 and start - 1 not in stop:
        prev = doc[start - 1]
        if prev.head.i == head or prev.head.i >= start:
            if prev.dep_ in {"amod", "compound"} and prev.pos_ in _MODIFIER_POS | {"VERB"}:
                start -= 1
                continue
            if prev.text in HYPHENS and prev.whitespace_ == "":
                start -= 1
                continue
        break
    while start < head and (
        doc[start].lower_ in lex.dropped_modifiers or doc[start].text in HYPHENS
    ):
        start += 1
    return _Counted(head, start, _plural(doc[head], lex))


def _root(doc: Doc, phrase: Phrase, *, whole: bool = False) -> Token:
    """The token of the number (or of the whole amount) that attaches it to the sentence."""
    start, end = (phrase.start, phrase.end) if whole else (phrase.core_start, phrase.core_end)
    for t in range(start, end):
        head = doc[t].head.i
        if head == t or head < start or head >= end:
            return doc[t]
    return doc[end - 1]


def _number_of(doc: Doc, phrase: Phrase, lex: _Lexicon) -> _Counted | None:
    """What a bare number counts from its clause: "the number of detainees rose to 300"."""
    root = _root(doc, phrase, whole=True)
    # "Deaths: 2"
    if root.dep_ == "appos" and root.head.i < root.i and root.head.pos_ in NOMINAL:
        between = [doc[t].text for t in range(root.head.i + 1, root.i)]
        if between == [":"]:
            return _with_modifiers(doc, root.head.i, lex)
    verb = root.head
    hops = 0
    while verb.pos_ == "ADP" or (verb.dep_ == "prep" and verb.pos_ != "VERB"):
        verb = verb.head
        hops += 1
        if hops > 3 or verb.head.i == verb.i:
            break
    if verb.pos_ not in {"VERB", "AUX"}:
        return None
    for child in verb.children:
        if child.dep_ not in {"nsubj", "nsubjpass", "dobj", "attr"} or child.i == root.i:
            continue
        if child.lemma_.lower() not in lex.count_nouns:
            continue
        for prep in child.children:
            if prep.dep_ == "prep" and prep.lower_ == "of":
                for obj in prep.children:
                    if obj.dep_ == "pobj" and obj.pos_ in NOMINAL:
                        return _with_modifiers(doc, obj.i, lex)
        counted = _with_modifiers(doc, child.i, lex)
        if counted.start < child.i:  # "the death toll": the compound says what is counted
            return counted
    return None


def _counted_text(article_text: str, doc: Doc, counted: _Counted) -> tuple[str, str]:
    """The counted phrase as written and its ledger key (lemmas, singular, lower case)."""
    tokens = [doc[t] for t in range(counted.start, counted.head + 1)]
    text = article_text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
    parts = []
    for tok in tokens:
        if tok.pos_ == "NUM":
            form = tok.text
        elif tok.i == counted.head:
            form = tok.lower_ if tok.tag_ == "VBG" else _singular(tok)  # "saving", not "save"
        else:
            form = tok.lower_
        parts.append(form + (" " if tok.whitespace_ and tok.i != counted.head else ""))
    return text, "".join(parts).strip()


def _singular(tok: Token) -> str:
    """The singular, lower-case form of a noun: spaCy's lemma, else an English rule."""
    lemma = tok.lemma_.lower()
    low = tok.lower_
    if tok.tag_ in {"NNS", "NNPS"} and lemma == low and len(low) > 3:
        if low.endswith("ies"):
            return low[:-3] + "y"
        if low.endswith(("sses", "ches", "shes", "xes")):
            return low[:-2]
        if low.endswith("s") and not low.endswith("ss"):
            return low[:-1]
    return lemma or low


# --------------------------------------------------------------------------- not figures


def _is_time_expression(doc: Doc, phrase: Phrase, counted: _Counted | None, lex: _Lexicon) -> bool:
    """Years, dates and times of day, which belong to the timeline."""
    core = [doc[t] for t in range(phrase.core_start, phrase.core_end)]
    end = phrase.end
    if phrase.age:
        return False
    if phrase.kind == "duration":
        if end < len(doc) and doc[end].lower_ in lex.relative_time_words:
            return True  # "two years ago" anchors to the calendar
        return _vague_one(doc, phrase)
    if phrase.kind in {"money", "percent", "quantity"}:
        return False
    if _rate(doc, phrase.core_end, lex):
        return False  # "15 a year", "10 per month": a rate, not a date
    timed = [t for t in core if t.ent_type_ in TIME_LABELS]
    if timed and phrase.ratio_of is None:
        if _counts_plural(doc, phrase, counted):
            return False  # "a total of 1407 suspected cases": counting a plural noun, no date
        ent = entity_of(doc, timed[0])
        alone = ent is not None and ent[0] >= phrase.core_start and ent[1] <= phrase.core_end
        # a lone small number tagged DATE ("ANA have ordered 55") is the tagger's slip
        return not alone or _yearlike(core[0].text) or not phrase.digits
    before = doc[phrase.core_start - 1] if phrase.core_start > 0 else None
    after = doc[phrase.core_end] if phrase.core_end < len(doc) else None
    if before is not None and before.lower_ in lex.months:
        return True
    if after is not None and (after.lower_ in lex.months or after.lower_ in lex.clock_words):
        return phrase.digits
    return False


def _rate(doc: Doc, i: int, lex: _Lexicon) -> bool:
    """ "a year", "per month", "each week" at token i: the number before it is a rate."""
    if i + 1 >= len(doc) or doc[i].lower_ not in {"a", "an", "per", "each", "every"}:
        return False
    return (doc[i + 1].lower_,) in lex.time_units


def _vague_one(doc: Doc, phrase: Phrase) -> bool:
    """ "One day, ..." tells when, not how long; "for one day" and "a one-day strike" do."""
    if doc[phrase.core_start].lower_ != "one" or phrase.hyphen_unit:
        return False
    if phrase.core_start == doc[phrase.core_start].sent.start:
        return True
    return doc[phrase.core_start - 1].pos_ not in {"ADP", "ADJ", "VERB", "AUX", "DET"}


def _is_year(doc: Doc, phrase: Phrase, counted: _Counted | None) -> bool:
    """ "in 2009", "the 2020 election", "the 2009 figures"; not "1200 children"."""
    tok = doc[phrase.core_start]
    if phrase.core_end - phrase.core_start != 1 or not _yearlike(tok.text):
        return False
    if phrase.kind != "count":
        return False
    return not _counts_plural(doc, phrase, counted)


def _yearlike(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1000 <= int(text) <= 2100


def _counts_plural(doc: Doc, phrase: Phrase, counted: _Counted | None) -> bool:
    """Whether the number counts a plural noun written after it (so it is no year or date)."""
    if counted is None or not counted.plural or counted.head < phrase.core_end:
        return False
    if doc[counted.head].ent_type_ in TIME_LABELS and doc[counted.head].pos_ != "NOUN":
        return False
    if _yearlike(doc[phrase.core_start].text) and phrase.core_start > 0:
        prev = doc[phrase.core_start - 1]
        if prev.pos_ == "DET" or prev.tag_ in {"POS", "PRP$"}:
            return False  # "the 2009 figures", "its 2010 accounts"
    return True


def _is_label(
    doc: Doc,
    phrase: Phrase,
    counted: _Counted | None,
    lex: _Lexicon,
    earlier: Collection[float],
) -> str | None:
    """Why the number is a name, a label, a rank, a list marker or a reference, or None."""
    first = doc[phrase.core_start]
    sent_start = first.sent.start
    prev = doc[phrase.core_start - 1] if phrase.core_start > sent_start else None
    nxt = doc[phrase.core_end] if phrase.core_end < len(doc) else None
    if phrase.start < phrase.core_start or phrase.kind in {"money", "percent"} or phrase.age:
        return None
    single = phrase.core_end - phrase.core_start == 1
    text = first.text
    # a noun counted by the number, written after it ("300 people"), not before ("page 5")
    noun_after = counted is not None and counted.head >= phrase.core_end
    if phrase.digits and "," not in text and len(text.split(".")[0]) >= 6:
        return "identifier"  # "970814010223"
    if phrase.digits and len(text) > 1 and text[0] == "0" and text[1].isdigit():
        return "identifier"  # "serial number 001": counts have no leading zeros
    if phrase.digits and "." in text and len(text.split(".")[-1]) >= 4:
        return "identifier"  # coordinates, "2007.1775"
    glued = nxt is not None and first.whitespace_ == "" and nxt.is_alpha
    if phrase.digits and glued and phrase.end == phrase.core_end and not phrase.scaled:
        return "name"  # "3G", "4K": digits glued to letters that are no unit
    if prev is not None:
        bracketed = nxt is not None and nxt.text in {"]", ")"} and single
        if bracketed and (prev.text == "[" or (prev.text == "(" and _line_start(doc, prev.i))):
            return "marker"  # "[02]", "(1) ..."
        if prev.text == "/" or (nxt is not None and nxt.text == "/" and nxt.whitespace_ == ""):
            return "slash"  # "11 / 16 / 1982", "9/11", "24/7"
        if prev.text in {"'", "’"} and prev.whitespace_ == "" and len(text) == 2:
            return "year"  # "iLife '11", "the class of '09"
        if prev.text in HYPHENS and prev.whitespace_ == "" and prev.i > sent_start:
            before = doc[prev.i - 1]
            if (
                before.whitespace_ == ""
                and any(c.isalpha() for c in before.text)
                and before.text[0].isupper()
            ):
                return "model"  # "F-16", "Catch-22", "A380-800": part of one name
        label = prev.lower_
        if label == "." and prev.i > sent_start and doc[prev.i - 1].whitespace_ == "":
            label = doc[prev.i - 1].lower_ + "."  # "No" "." split by the tokenizer
        if label in lex.rank_labels and single and phrase.kind == "count":
            ranked = noun_after or (nxt is not None and nxt.pos_ in {"ADJ", "NOUN"})
            if ranked and phrase.value < 1000:
                return "rank"  # "the No. 1 music seller", "the number one airline"
        named = phrase.digits or (text[0].isupper() and not noun_after)
        if label in lex.label_nouns and (named or label in lex.rank_labels):
            return "label"  # "page 5", "Flight 447", "week 11", "Chapter Eleven"
    if phrase.kind != "count":
        return None
    listed = nxt is not None and nxt.text in lex.list_marker_punct and phrase.value < 100
    if listed and single and _line_start(doc, phrase.core_start):
        return "marker"  # "1." or "2)" opening a line of a list
    alone = phrase.of_token is not None or not noun_after
    if first.lower_ == "one" and single and "range" not in phrase.notes and alone:
        return "pronoun"  # "one of the world's leading producers", "no one"
    opening = prev is None or prev.text in {'"', "“", "‘", "'", "``"} or prev.is_space
    if first.text == "One" and single and opening and not phrase.scaled:
        return "determiner"  # "One important difference is ...", '"One more thing"'

    if phrase.digits and prev is not None and single:
        owner = prev.i
        if prev.tag_ == "POS" and prev.i > sent_start and doc[prev.i - 1].pos_ == "PROPN":
            owner = prev.i - 1
        # a capitalised word inside the sentence is a name whatever its tag ("iOS 4")
        capital = prev.is_alpha and any(c.isupper() for c in prev.text) and prev.i > sent_start
        nominal = prev.pos_ in NOMINAL or owner != prev.i or capital
        if nominal and prev.ent_type_ not in TIME_LABELS and prev.text != ":":
            if not noun_after and phrase.of_token is None:
                return "name"  # "iPhone 4", "Boeing's 787", "cases 30"
            if _root(doc, phrase).head.i <= owner and owner == prev.i:
                return "name"  # "Boeing 777 planes": the number hangs from the name before it
        short = "," not in text and "." not in text and len(text) >= 3
        bare = not noun_after and phrase.of_token is None and phrase.value not in earlier
        modified = nxt is not None and (nxt.tag_ in {"VBN", "VBD"} or nxt.pos_ == "ADJ")
        if prev.lower_ == "the" and short and bare and not modified:
            return "name"  # "shrink the 787": a definite number with no antecedent names a model
    capitalised = single and not phrase.digits and text[0].isupper() and first.i > sent_start
    if capitalised and first.ent_type_ in _NAME_LABELS:
        return "name"  # "Formula One", "Group of Seven"
    if phrase.digits and noun_after and counted is not None and not counted.plural:
        head = doc[counted.head]
        adjacent = counted.head == phrase.core_end
        determined = prev is not None and (prev.pos_ == "DET" or prev.tag_ in {"PRP$", "POS"})
        modelled = phrase.value != 1 and not phrase.hyphen_unit and head.pos_ in NOMINAL
        if (adjacent or determined) and modelled and "," not in text and phrase.of_token is None:
            return "name"  # "the 787 Dreamliner", "their 737 narrowbody airliner"
    return None


def _line_start(doc: Doc, i: int) -> bool:
    if i == 0:
        return True
    prev = doc[i - 1]
    return "\n" in prev.text_with_ws or prev.is_space


# --------------------------------------------------------------------------- hedges


def _hedge_before(doc: Doc, phrase: Phrase, lex: _Lexicon) -> str | None:
    """The hedge written right before the figure ("as many as", "more than")."""
    start = phrase.start
    sent_start = doc[phrase.start].sent.start
    longest = max((len(words) for words in lex.hedges_before), default=0)
    # the lower-case words before the figure, read once for every hedge tried
    window = tuple(doc[k].lower_ for k in range(max(sent_start, start - longest), start))
    for words in lex.hedges_before:
        n = len(words)
        if start - n < sent_start:
            continue
        if n == 0 or window[-n:] == words:
            tokens = [doc[start - n + k] for k in range(n)]
            if phrase.kind == "duration" and " ".join(words) in lex.not_before_durations:
                continue
            if words == ("some",) and tokens[0].dep_ == "det" and tokens[0].head.i < start:
                continue
            return doc[start - n : start].text
    return None


def _hedge_after(doc: Doc, i: int, limit: int, lex: _Lexicon) -> int:
    """Length in tokens of a hedge written right after a number ("or more", "plus")."""
    for words in lex.hedges_after:
        n = len(words)
        if i + n <= limit and all(doc[i + k].lower_ == w for k, w in enumerate(words)):
            return n
    return 0


# --------------------------------------------------------------------------- sources


class _Mentions:
    """The article's entity mentions, looked up by character offset."""

    def __init__(self, mentions: Sequence[Mention]) -> None:
        self.items = sorted(mentions, key=lambda m: (m.span.start, -m.span.end))

    def covering(self, start: int, end: int) -> Mention | None:
        for m in self.items:
            if m.span.start <= start and end <= m.span.end:
                return m
            if m.span.start > start:
                break
        return None

    def inside(self, start: int, end: int) -> Mention | None:
        for m in self.items:
            if start <= m.span.start and m.span.end <= end:
                return m
        return None

    def last_person_before(self, offset: int) -> Mention | None:
        best = None
        for m in self.items:
            if m.span.start >= offset:
                break
            if m.entity.type == "PERSON":
                best = m
        return best


def _source(
    doc: Doc, start: Token, figure_tokens: set[int], mentions: _Mentions, lex: _Lexicon
) -> tuple[str | None, EntityKey | None]:
    """Who reports the figure: a reporting verb's subject, "according to X" or "X said"."""
    tok: Token = start
    for _ in range(40):
        if not _same_paragraph(doc, start.i, tok.i):
            break
        for child in tok.children:
            agent = _according_to(child)
            if agent is not None and _same_paragraph(doc, start.i, agent.i):
                return _agent(doc, agent, mentions, lex)
        if tok.pos_ in {"VERB", "AUX"} and tok.lemma_.lower() in lex.reporting_verbs:
            found = _verb_agent(doc, tok, figure_tokens, mentions, lex)
            if found[0] is not None:
                return found
        for child in tok.children:
            if child.dep_ == "parataxis" and child.lemma_.lower() in lex.reporting_verbs:
                found = _verb_agent(doc, child, figure_tokens, mentions, lex)
                if found[0] is not None:
                    return found
        if tok.head.i == tok.i or tok.dep_ == "relcl":
            break  # a relative clause describes its noun; the main clause does not report it
        tok = tok.head
    for other in start.sent:
        agent = _according_to(other)
        if agent is not None and _same_paragraph(doc, start.i, agent.i):
            return _agent(doc, agent, mentions, lex)
    return None, None


def _same_paragraph(doc: Doc, a: int, b: int) -> bool:
    """No blank line between tokens a and b (the parser sometimes joins paragraphs)."""
    low, high = min(a, b), max(a, b)
    return all("\n\n" not in doc[t].text_with_ws for t in range(low, high))


def _according_to(tok: Token) -> Token | None:
    if tok.lower_ != "according":
        return None
    for prep in tok.children:
        if prep.lower_ == "to":
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    return obj
    nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
    if nxt is not None and nxt.lower_ == "to":
        for obj in nxt.children:
            if obj.dep_ == "pobj":
                return obj
    return None


def _verb_agent(
    doc: Doc, verb: Token, figure_tokens: set[int], mentions: _Mentions, lex: _Lexicon
) -> tuple[str | None, EntityKey | None]:
    subjects = [c for c in verb.children if c.dep_ in {"nsubj", "csubj"}]
    for child in verb.children:
        if child.dep_ == "agent":
            subjects += [obj for obj in child.children if obj.dep_ == "pobj"]
    # the subject nearest the verb, within the figure's paragraph
    subjects = [s for s in subjects if _same_paragraph(doc, s.i, verb.i)]
    if not subjects:
        return None, None
    subject = min(subjects, key=lambda s: (s.i > verb.i, abs(s.i - verb.i)))
    if any(t.i in figure_tokens for t in subject.subtree):
        return None, None  # "300 people said ...": the counted are not the source
    return _agent(doc, subject, mentions, lex)


def _agent(
    doc: Doc, tok: Token, mentions: _Mentions, lex: _Lexicon
) -> tuple[str | None, EntityKey | None]:
    """A source as written and its entity, from the head token of its noun phrase."""
    for _ in range(3):
        if tok.lower_ in _RELATIVE and tok.head.dep_ == "relcl":
            tok = tok.head.head
            continue
        if tok.lemma_.lower() in lex.document_nouns and tok.lower_ not in lex.speaker_nouns:
            author = _author(tok)
            if author is None:
                break
            tok = author
            continue
        break
    if tok.pos_ == "PRON":
        if tok.lower_ in _PERSONAL:
            person = mentions.last_person_before(tok.idx)
            return tok.text, person.entity if person is not None else None
        return None, None
    mention = mentions.covering(tok.idx, tok.idx + len(tok.text))
    if mention is None:
        for child in tok.children:
            if child.dep_ == "appos":
                mention = mentions.covering(child.idx, child.idx + len(child.text))
                if mention is not None:
                    break
    if mention is not None:
        return mention.span.text, mention.entity
    if tok.lemma_.lower() in lex.document_nouns and tok.lower_ not in lex.speaker_nouns:
        return None, None  # "according to reports": no one named
    left, right = _noun_phrase(tok)
    while left < right and doc[left].pos_ == "DET":
        left += 1
    text = doc[left : right + 1].text
    inner = mentions.inside(doc[left].idx, doc[right].idx + len(doc[right].text))
    return text, inner.entity if inner is not None else None


def _author(tok: Token) -> Token | None:
    """The author of a document noun: "a statement from X", "X's figures"."""
    for child in tok.children:
        if child.dep_ == "poss":
            return child
    for child in tok.children:
        if child.dep_ == "prep" and child.lower_ in {"from", "by", "of"}:
            for obj in child.children:
                if obj.dep_ == "pobj":
                    return obj
    for child in tok.children:
        if child.dep_ == "compound" and child.pos_ == "PROPN":
            return child
    return None


def _noun_phrase(tok: Token) -> tuple[int, int]:
    """Token bounds of a noun phrase without its relative clauses and appositions."""
    left = right = tok.i
    for child in tok.children:
        if child.dep_ not in _NP_DEPS:
            continue
        sub = list(child.subtree)
        if child.i < tok.i:
            left = min(left, sub[0].i)
        else:
            right = max(right, sub[-1].i)
    return left, right


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
        if tok.i in taken or tok.ent_type_ in TIME_LABELS:
            continue
        match = _ORDINAL_DIGITS.match(tok.text)
        value = float(match.group(1)) if match else lex.ordinals.get(tok.lower_)
        if value is None:
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
    index = _Mentions(mentions)
    text = article.text
    figures: list[Figure] = []
    names: set[str] = set()
    pairs: set[tuple[str, str]] = set()  # ("iphone", "4"): a name and its number
    earlier: set[float] = set()  # values already counted, antecedents of "the 123"
    pending: list[tuple[Phrase, _Counted | None, SpacySpan]] = []
    for sent in doc.sents:
        phrases = scan(doc, sent, lex)
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
    return (
        prev.lower_ == "of"
        and phrase.core_start >= 2
        and doc[phrase.core_start - 2].lower_ in lex.age_words
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
