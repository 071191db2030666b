"""What a figure counts: the noun it quantifies with its modifiers, and the hedges around it."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING

from analysis.extract.figures_lexicon import _Lexicon
from analysis.extract.numbers import HYPHENS, NOMINAL, TIME_LABELS, Phrase, norm, read_number

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_MODIFIER_POS = frozenset({"ADJ", "NOUN", "PROPN"})
_NOMINAL_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "attr", "appos", "conj"})


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
    head = doc[counted.head]
    number = doc[head.i + 1] if head.i + 1 < len(doc) else None
    if (
        number is not None
        and head.pos_ == "PROPN"
        and number.like_num
        and (
            (number.dep_ == "nummod" and number.head.i == head.i)
            or (head.dep_ == "compound" and head.head.i == number.i)  # parsed either way
        )
    ):
        tokens.append(number)  # "SGD1.75-billion Terminal 3": a project named with its number
    text = article_text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)]
    parts = []
    for tok in tokens:
        if tok.pos_ == "NUM":
            form = tok.text
        elif tok.i == counted.head and tok is tokens[-1]:
            form = tok.lower_ if tok.tag_ == "VBG" else _singular(tok)  # "saving", not "save"
        else:
            form = tok.lower_
        parts.append(form + (" " if tok.whitespace_ and tok is not tokens[-1] else ""))
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
