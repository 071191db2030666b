"""Numbers that are not figures: years, dates, times of day, names, labels, markers, references."""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

from analysis.extract.figures_counted import _Counted, _root
from analysis.extract.figures_lexicon import _Lexicon
from analysis.extract.number_phrases import entity_of
from analysis.extract.numbers import HYPHENS, NOMINAL, TIME_LABELS, Phrase

if TYPE_CHECKING:
    from spacy.tokens import Doc

_NAME_LABELS = frozenset({"PRODUCT", "WORK_OF_ART", "LAW", "FAC", "EVENT", "ORG", "PERSON"})


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
