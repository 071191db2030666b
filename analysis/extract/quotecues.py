"""Around one quote: the writer's words (its frame), the speech verbs in them and their subjects."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from analysis import lexicon
from analysis.extract.quotemarks import QuoteMap

if TYPE_CHECKING:
    from spacy.tokens import Token

SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
_CLIMB_FOR_SUBJECT = frozenset({"advcl", "xcomp", "conj", "pcomp", "prep", "ccomp", "acomp"})
_RELATIVE = frozenset({"who", "that", "which", "whom"})
MAX_CLIMB = 12


@dataclass(frozen=True, slots=True)
class QuoteLexicon:
    speech: frozenset[str]
    characterize: frozenset[str]
    naming: frozenset[str]
    source_object: frozenset[str]
    message_nouns: frozenset[str]
    naming_nouns: frozenset[str]
    naming_phrases: tuple[str, ...]
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    group_types: frozenset[str]
    determiners: frozenset[str]
    person_nouns: frozenset[str]
    institution_nouns: frozenset[str]
    referents: dict[str, frozenset[str]]
    introduced: frozenset[str]
    businesses: frozenset[str]
    message_verbs: frozenset[str]
    courtesy_titles: frozenset[str]
    after_subjects: frozenset[str]
    after_wh: frozenset[str]
    after_nouns: frozenset[str]


@cache
def quote_lexicon() -> QuoteLexicon:
    """The quote lexicons, read once from analysis/lexicons."""
    verbs = lexicon.load("quotes_verbs")
    words = lexicon.load("quotes_words")
    people = lexicon.load("quotes_people")
    return QuoteLexicon(
        speech=frozenset(verbs["speech"]),
        characterize=frozenset(verbs["characterize"]),
        naming=frozenset(verbs["naming"]),
        source_object=frozenset(verbs["source_object"]),
        message_nouns=frozenset(words["message_nouns"]),
        naming_nouns=frozenset(words["naming_nouns"]),
        naming_phrases=tuple(words["naming_phrases"]),
        person_pronouns=frozenset(words["pronouns"]["PERSON"]),
        group_pronouns=frozenset(words["pronouns"]["GROUP"]),
        group_types=frozenset(words["group_types"]),
        determiners=frozenset(words["determiners"]),
        person_nouns=frozenset(people["person"]),
        institution_nouns=frozenset(people["institution"]),
        courtesy_titles=frozenset(people["courtesy_titles"]),
        referents={k: frozenset(v) for k, v in people["referents"].items()},
        introduced=frozenset(people["introduced"]),
        businesses=frozenset(people["businesses"]),
        message_verbs=frozenset(verbs["message_verbs"]),
        after_subjects=frozenset(words["described_after"]["subjects"]),
        after_wh=frozenset(words["described_after"]["wh"]),
        after_nouns=frozenset(words["described_after"]["nouns"]),
    )


# -- the frame: the writer's words around one quote ---------------------------------------


@dataclass(frozen=True, slots=True)
class Frame:
    """Token range [lo, hi) around quote k: its sentences, cut at any other quote."""

    lo: int
    hi: int
    open_tok: int
    close_tok: int
    sentence_lo: int  # token range of the sentences the quote and its attribution sit in
    sentence_hi: int


def frame_of(art: QuoteMap, k: int) -> Frame:
    assert art.doc is not None
    pair = art.pairs[k]
    held = art.content[k]
    open_tok = art.token_at(pair.open_at)
    close_tok = art.token_at(max(pair.close_at, pair.end - 1))
    if held:
        open_tok = min(open_tok, held[0])
        close_tok = max(close_tok, held[-1])
    # spaCy may run a sentence across a paragraph break; the writer never does.
    p_lo, p_hi = art.paragraph_tokens(pair.paragraph, pair.last_paragraph)
    lo = max(art.sentence_of(open_tok)[0], p_lo)
    hi = min(art.sentence_of(close_tok)[1], p_hi)
    hi = min(_extend_tail(art, k, close_tok, hi), p_hi)
    sentence_lo, sentence_hi = lo, hi
    for i in range(open_tok - 1, lo - 1, -1):
        if _other(art, i, k):
            lo = i + 1
            break
    for i in range(close_tok + 1, hi):
        if _other(art, i, k):
            hi = i
            break
    return Frame(lo, hi, open_tok, close_tok, sentence_lo, sentence_hi)


def _other(art: QuoteMap, i: int, k: int) -> bool:
    """Whether token i belongs to a quote other than k (its content or its marks)."""
    q = art.inside[i]
    return (q != -1 and q != k) or art.marks.get(i, k) != k


def _extend_tail(art: QuoteMap, k: int, close_tok: int, hi: int) -> int:
    """Take in the next sentence when it is the quote's attribution ('…,” he said.')."""
    assert art.doc is not None
    doc = art.doc
    rest = [i for i in range(close_tok + 1, hi) if not (doc[i].is_punct or doc[i].is_space)]
    if rest or hi >= len(doc):
        return hi
    if art.paragraph_of(doc[hi].idx) != art.paragraph_of(art.pairs[k].start):
        return hi
    _, next_hi = art.sentence_of(hi)
    for i in range(hi, min(next_hi, hi + 5)):
        if art.inside[i] != -1 or i in art.marks:
            return hi
        if is_speech(doc[i]):
            return next_hi
    return hi


# -- speech verbs and their subjects ---------------------------------------------------------


def is_speech(token: Token, loose: bool = False) -> bool:
    """A speech verb; `loose` also takes one the tagger read as a noun ('claims', 'states')."""
    lex = quote_lexicon()
    speech = lex.speech
    lemma = token.lemma_.lower()
    verb = token.pos_ in ("VERB", "AUX") or token.tag_[:2] == "VB"
    if lemma in speech and verb:
        return True
    if lemma in lex.message_verbs and verb:
        # "the email began": a message that begins or reads reports its words
        return any(
            c.dep_ == "nsubj" and c.lemma_.lower() in lex.message_nouns for c in token.children
        )
    lower = token.lower_
    stem = lower[:-1] if lower.endswith("s") else lower
    return loose and token.pos_ == "NOUN" and lower != stem and stem in speech


def governing(art: QuoteMap, k: int, frame: Frame) -> tuple[Token | None, int, bool]:
    """The speech verb the quote hangs from, its distance in arcs, and whether a naming verb
    ('dubbed', 'a plane called') came first on the way up."""
    assert art.doc is not None
    lex = quote_lexicon()
    best: tuple[Token | None, int, bool] = (None, MAX_CLIMB + 1, False)
    for i in art.content[k]:
        token = art.doc[i]
        node = token.head
        if token.is_punct or art.inside[node.i] == k or node.i == token.i:
            continue
        steps = 1
        while steps < best[1]:
            # The way up may pass through another quote ('called it “A”, and “B”').
            if not frame.sentence_lo <= node.i < frame.sentence_hi:
                break
            if art.inside[node.i] == -1:
                lemma = node.lemma_.lower()
                if steps <= 2 and _names_thing(node, lemma, lex):
                    return (None, steps, True)
                if is_speech(node):
                    best = (node, steps, False)
                    break
            if node.head.i == node.i:
                break
            node = node.head
            steps += 1
    return best


def _names_thing(node: Token, lemma: str, lex: QuoteLexicon) -> bool:
    """A verb that names a thing: 'dubbed', or 'called' without an active subject."""
    if lemma in lex.naming:
        return True
    if lemma in lex.characterize:
        return not any(c.dep_ in SUBJECT_DEPS for c in node.children) and node.dep_ != "conj"
    return False


def dependent(art: QuoteMap, k: int, frame: Frame) -> Token | None:
    """A speech verb hanging from a word inside the quote (a parse turned upside down)."""
    assert art.doc is not None
    for i in range(frame.lo, frame.hi):
        token = art.doc[i]
        if art.inside[i] == -1 and art.inside[token.head.i] == k and is_speech(token):
            return token
    return None


def beside(art: QuoteMap, k: int, frame: Frame) -> Token | None:
    """The nearest speech verb in the writer's words around the quote."""
    assert art.doc is not None
    candidates = [
        i
        for i in range(frame.lo, frame.hi)
        if art.inside[i] == -1
        and i not in art.marks
        and is_speech(art.doc[i], loose=0 < i - frame.close_tok <= 2)
    ]
    if not candidates:
        return None
    best = min(candidates, key=lambda i: min(abs(i - frame.open_tok), abs(i - frame.close_tok)))
    return art.doc[best]


def subject_of(art: QuoteMap, token: Token) -> Token | None:
    """Who performs speech verb `token`: its subject or agent, climbing through clauses, with
    repairs for the parser's usual slips around long subjects."""
    decided, found = _arguments(token)
    if decided:
        return found
    repaired = _repair(art, token)
    if repaired is not None:
        return repaired
    node = token
    for _ in range(MAX_CLIMB):
        if node.dep_ in ("acl", "relcl") and node.head.pos_ in ("NOUN", "PROPN", "PRON"):
            return node.head  # "a statement saying …", "a spokesman telling …"
        if node.dep_ not in _CLIMB_FOR_SUBJECT or node.head.i == node.i:
            break
        node = node.head
        decided, found = _arguments(node)
        if decided:
            return found
    # "…,” said Angers." parsed without a subject: the first name after the verb.
    for c in token.rights:
        if c.pos_ in ("PROPN", "NOUN", "PRON") and c.dep_ not in ("npadvmod", "pobj"):
            return c if _same_paragraph(art, token, c) else None
    return None


def _arguments(node: Token) -> tuple[bool, Token | None]:
    """The speaker among a verb's own arguments; (False, None) when it has none to offer."""
    lex = quote_lexicon()
    kids = list(node.children)
    if node.lemma_.lower() in lex.source_object:
        for c in kids:
            if c.dep_ in ("dobj", "nsubjpass"):
                return True, c  # "X quoted Y as saying", "Y was quoted as saying"
    for c in kids:
        if c.dep_ == "agent":
            for g in c.children:
                if g.dep_ == "pobj":
                    return True, g
    subjects = [c for c in kids if c.dep_ in SUBJECT_DEPS]
    if subjects:
        # Two subjects ("the chief of staff General McNab stated"): the named, nearest one.
        c = min(subjects, key=lambda t: (t.ent_type_ == "", abs(t.i - node.i)))
        if c.lower_ in _RELATIVE and node.dep_ == "relcl":
            return True, _relative_antecedent(node.head, c.lower_ in ("who", "whom"))
        return True, c
    as_stated = node.tag_ == "VBN" and any(c.lower_ == "as" for c in kids)
    if as_stated or any(c.dep_ == "nsubjpass" for c in kids):
        # A passive with no agent: nobody's words, unless they were put somewhere
        # ("as stated on the Apple website").
        for c in kids:
            if c.dep_ == "prep" and c.lower_ in ("on", "in"):
                for g in c.children:
                    if g.dep_ == "pobj" and g.lemma_.lower() in lex.message_nouns:
                        return True, g
        return True, None
    return False, None


def _relative_antecedent(head: Token, person: bool) -> Token:
    """What 'who' refers to: the head noun, or the person it hangs from when the parser
    attached the clause to the nearest noun ('O'Reilly, an expert at Stanford, who …')."""
    if not person or head.ent_type_ == "PERSON":
        return head
    node = head
    for _ in range(6):
        if node.dep_ not in ("pobj", "prep", "appos", "compound", "conj") or node.head.i == node.i:
            break
        node = node.head
        if node.ent_type_ == "PERSON":
            return node
    return head


def _repair(art: QuoteMap, verb: Token) -> Token | None:
    """The speaker of a verb the parser left without a subject, read off the word order."""
    doc = verb.doc
    if verb.dep_ in ("compound", "amod", "nmod") and verb.head.i > verb.i:
        node = verb.head  # "claims writer John Ostrower": the verb read as a modifier
        while node.dep_ == "compound" and node.head.i != node.i:
            node = node.head
        return node
    i = verb.i - 1
    while i >= 0 and doc[i].dep_ in ("aux", "auxpass", "neg", "advmod") and doc[i].head == verb:
        i -= 1
    if i >= 0 and art.inside[i] == -1 and verb.head.i != i:
        left = doc[i]
        if left.pos_ == "PROPN" and _same_paragraph(art, left, verb):
            return left  # "… Barack Obama said" with Obama attached elsewhere
    for c in verb.lefts:
        if c.dep_ in ("ccomp", "parataxis") and art.inside[c.i] == -1:
            subjects = [g for g in c.children if g.dep_ in SUBJECT_DEPS]
            if subjects and art.inside[subjects[0].i] == -1:
                return subjects[0]  # "A statement on the website, which …, states:"
    return None


def _same_paragraph(art: QuoteMap, a: Token, b: Token) -> bool:
    lo, hi = sorted((a.idx, b.idx))
    return "\n" not in art.text[lo:hi]


def cue_text(token: Token) -> str:
    particles = [c.text for c in token.children if c.dep_ == "prt"]
    return " ".join([token.text, *particles])
