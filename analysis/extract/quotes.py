"""Quoted statements and their speakers, from the quotation marks and the shared dependency parse.

Three passes. Marks (in quotemarks.py): every quotation mark in the text is classed by glyph and
by what stands on either side of it, then paired paragraph by paragraph with a stack, so a stray
or unbalanced mark is dropped without disturbing the rest; a quote left open at the end of a
paragraph continues when the next paragraph reopens it (the news convention) or closes it first.
Kind: a quote is a `title` (a name, nickname, term or scare quote), `partial` (words built into
the writer's own sentence) or `direct` (a statement set off from it). Speaker: the subject of
the speech verb that governs the quote (climbing the parse from the quote), else a speech verb
beside it, "according to X", "X:", a trailing "— X", the previous quote or sentence; pronouns
resolve to the most recent fitting entity mention.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.extract.entities import sentence_entities
from analysis.extract.quotemarks import MARK_RE, QuoteMap, map_quotes
from analysis.extract.quotemarks import find_quotations as find_quotations
from analysis.records import EntityKey, Mention, Quote, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from analysis.corpus import Article

VERSION = "1"

LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"

_SUBJECT_DEPS = frozenset({"nsubj", "csubj"})
_CLIMB_FOR_SUBJECT = frozenset({"advcl", "xcomp", "conj", "pcomp", "prep", "ccomp", "acomp"})
_RELATIVE = frozenset({"who", "that", "which", "whom"})
_MAX_CLIMB = 12


@dataclass(slots=True)
class _Attribution:
    speaker: str | None = None
    entity: EntityKey | None = None
    cue: str | None = None


@dataclass(frozen=True, slots=True)
class _Lexicon:
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


@cache
def _lexicon() -> _Lexicon:
    """The quote lexicons, read once from analysis/lexicons."""
    verbs = json.loads((LEXICONS / "quotes_verbs.json").read_text(encoding="utf-8"))
    words = json.loads((LEXICONS / "quotes_words.json").read_text(encoding="utf-8"))
    people = json.loads((LEXICONS / "quotes_people.json").read_text(encoding="utf-8"))
    return _Lexicon(
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
    )


# -- the frame: the writer's words around one quote ---------------------------------------


@dataclass(frozen=True, slots=True)
class _Frame:
    """Token range [lo, hi) around quote k: its sentences, cut at any other quote."""

    lo: int
    hi: int
    open_tok: int
    close_tok: int
    sentence_lo: int  # token range of the sentences the quote and its attribution sit in
    sentence_hi: int


def _frame(art: QuoteMap, k: int) -> _Frame:
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
    return _Frame(lo, hi, open_tok, close_tok, sentence_lo, sentence_hi)


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
        if _is_speech(doc[i]):
            return next_hi
    return hi


# -- speech verbs and their subjects ---------------------------------------------------------


def _is_speech(token: Token, loose: bool = False) -> bool:
    """A speech verb; `loose` also takes one the tagger read as a noun ('claims', 'states')."""
    speech = _lexicon().speech
    if token.lemma_.lower() in speech and (token.pos_ in ("VERB", "AUX") or token.tag_[:2] == "VB"):
        return True
    lower = token.lower_
    stem = lower[:-1] if lower.endswith("s") else lower
    return loose and token.pos_ == "NOUN" and lower != stem and stem in speech


def _governing(art: QuoteMap, k: int, frame: _Frame) -> tuple[Token | None, int, bool]:
    """The speech verb the quote hangs from, its distance in arcs, and whether a naming verb
    ('dubbed', 'a plane called') came first on the way up."""
    assert art.doc is not None
    lex = _lexicon()
    best: tuple[Token | None, int, bool] = (None, _MAX_CLIMB + 1, False)
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
                if _is_speech(node):
                    best = (node, steps, False)
                    break
            if node.head.i == node.i:
                break
            node = node.head
            steps += 1
    return best


def _names_thing(node: Token, lemma: str, lex: _Lexicon) -> bool:
    """A verb that names a thing: 'dubbed', or 'called' without an active subject."""
    if lemma in lex.naming:
        return True
    if lemma in lex.characterize:
        return not any(c.dep_ in _SUBJECT_DEPS for c in node.children) and node.dep_ != "conj"
    return False


def _dependent(art: QuoteMap, k: int, frame: _Frame) -> Token | None:
    """A speech verb hanging from a word inside the quote (a parse turned upside down)."""
    assert art.doc is not None
    for i in range(frame.lo, frame.hi):
        token = art.doc[i]
        if art.inside[i] == -1 and art.inside[token.head.i] == k and _is_speech(token):
            return token
    return None


def _beside(art: QuoteMap, k: int, frame: _Frame) -> Token | None:
    """The nearest speech verb in the writer's words around the quote."""
    assert art.doc is not None
    candidates = [
        i
        for i in range(frame.lo, frame.hi)
        if art.inside[i] == -1
        and i not in art.marks
        and _is_speech(art.doc[i], loose=0 < i - frame.close_tok <= 2)
    ]
    if not candidates:
        return None
    best = min(candidates, key=lambda i: min(abs(i - frame.open_tok), abs(i - frame.close_tok)))
    return art.doc[best]


def _subject(art: QuoteMap, token: Token) -> Token | None:
    """Who performs speech verb `token`: its subject or agent, climbing through clauses, with
    repairs for the parser's usual slips around long subjects."""
    decided, found = _arguments(token)
    if decided:
        return found
    repaired = _repair(art, token)
    if repaired is not None:
        return repaired
    node = token
    for _ in range(_MAX_CLIMB):
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
    lex = _lexicon()
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
    subjects = [c for c in kids if c.dep_ in _SUBJECT_DEPS]
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
            subjects = [g for g in c.children if g.dep_ in _SUBJECT_DEPS]
            if subjects and art.inside[subjects[0].i] == -1:
                return subjects[0]  # "A statement on the website, which …, states:"
    return None


def _same_paragraph(art: QuoteMap, a: Token, b: Token) -> bool:
    lo, hi = sorted((a.idx, b.idx))
    return "\n" not in art.text[lo:hi]


def _cue_text(token: Token) -> str:
    particles = [c.text for c in token.children if c.dep_ == "prt"]
    return " ".join([token.text, *particles])


# -- speakers --------------------------------------------------------------------------------


def _speaker(art: QuoteMap, head: Token | None) -> _Attribution:
    """The speaker whose head token is `head`, as written and linked to its entity."""
    if head is None:
        return _Attribution()
    lex = _lexicon()
    lower = head.lower_
    if head.pos_ == "PRON" or lower in lex.person_pronouns or lower in lex.group_pronouns:
        antecedent = None
        if lower in lex.person_pronouns or lower in lex.group_pronouns:
            antecedent = _antecedent(art, head, lower in lex.person_pronouns)
        if isinstance(antecedent, Mention):
            return _Attribution(head.text, antecedent.entity)
        if antecedent is not None:
            # An antecedent with no name ("the defence secretary … he said"): show it, not "he".
            return _Attribution(_phrase(antecedent), None)
        return _Attribution(head.text, None)
    if head.lemma_.lower() in lex.message_nouns:
        source = _message_source(art, head)
        if source is not None and source.i != head.i:
            return _speaker(art, source)
    mention = art.mention_at(head.idx)
    if mention is not None and not art.in_quote(mention.span.start, mention.span.end):
        conj = [c for c in head.children if c.dep_ == "conj"]
        if not conj:
            return _Attribution(mention.span.text, mention.entity)
    named = _apposed_name(art, head)
    if named is not None:
        found = art.mention_at(named.idx)
        assert found is not None
        return _Attribution(found.span.text, found.entity)
    return _Attribution(_phrase(head), None)


def _apposed_name(art: QuoteMap, head: Token) -> Token | None:
    """A name in apposition to a titled speaker ('the vice-president, Greg Joswiak, said')."""
    skip = {t.i for c in head.children if c.dep_ in ("relcl", "acl") for t in c.subtree}
    for t in head.subtree:
        if t.i in skip or t.dep_ != "appos" or art.inside[t.i] != -1:
            continue
        mention = art.mention_at(t.idx)
        # Any name will do: in apposition to a title it is a person, whatever its type says.
        if mention is not None and mention.entity.type in ("PERSON", "ORG", "NORP", "GPE"):
            return t
    return None


def _phrase(head: Token) -> str:
    """The speaker's words: the head with its modifiers, no clauses, no leading article."""
    keep = {head.i}
    for c in head.children:
        if c.dep_ in ("relcl", "acl", "appos", "punct", "advcl"):
            continue
        if c.dep_ == "prep" and not (c.lower_ == "of" and c.i > head.i):
            continue
        keep.update(t.i for t in c.subtree)
    lo, hi = min(keep), max(keep)
    doc = head.doc
    while lo < hi and (doc[lo].lower_ in _lexicon().determiners or doc[lo].is_punct):
        lo += 1
    if hi - lo >= 8:
        lo = hi = head.i
    return doc[lo : hi + 1].text


def _message_source(art: QuoteMap, noun: Token) -> Token | None:
    """Whose words a message noun carries: its owner or author, else whoever sent it."""
    for c in noun.children:
        if c.dep_ in ("poss", "compound") and _names_someone(art, c):
            return c
        if c.dep_ == "prep" and c.lower_ in ("by", "from", "of", "on", "in"):
            for g in c.children:
                if g.dep_ != "pobj":
                    continue
                if _names_someone(art, g):
                    return g
                owner = [x for x in g.children if x.dep_ in ("poss", "compound")]
                if owner and _names_someone(art, owner[0]):
                    return owner[0]
    if noun.dep_ in ("dobj", "pobj") and noun.head.i != noun.i:
        verb = noun.head if noun.dep_ == "dobj" else noun.head.head
        if verb.pos_ in ("VERB", "AUX"):
            return _subject(art, verb)
    return noun


def _names_someone(art: QuoteMap, token: Token) -> bool:
    mention = art.mention_at(token.idx)
    return mention is not None and mention.entity.type in ("PERSON", "ORG", "GPE", "NORP")


def _antecedent(art: QuoteMap, pronoun: Token, person: bool) -> Mention | Token | None:
    """What a speaker pronoun refers to: the latest fitting entity mention or unnamed subject
    ('the defence secretary'), looking back sentence by sentence, subjects first."""
    assert art.doc is not None
    doc = art.doc
    plural = pronoun.lower_ in ("they", "them")
    s_index = bisect.bisect_right(art.sentence_starts, pronoun.i) - 1
    for s in range(s_index, max(-1, s_index - 8), -1):
        s_lo = art.sentence_starts[s]
        s_hi = pronoun.i if s == s_index else art.sentence_of(s_lo)[1]
        if s_hi <= s_lo:
            continue
        end_char = doc[s_hi - 1].idx + len(doc[s_hi - 1])
        candidates: list[tuple[int, bool, Mention | Token]] = []
        for m in _mentions_between(art, doc[s_lo].idx, end_char):
            if art.in_quote(m.span.start, m.span.end) or not _fits(art, m, person):
                continue
            candidates.append((m.span.start, _mention_is_subject(art, m), m))
        for t in doc[s_lo:s_hi]:
            subject = t.dep_ in ("nsubj", "nsubjpass") and art.inside[t.i] == -1
            if subject and art.mention_at(t.idx) is None and _noun_fits(t, person, plural):
                candidates.append((t.idx, True, t))
        if candidates:
            subjects = [c for c in candidates if c[1]] or candidates
            return max(subjects, key=lambda c: c[0])[2]
    return None


def _fits(art: QuoteMap, mention: Mention, person: bool) -> bool:
    """Whether a mention can be what a he/she (person) or it/they pronoun refers to."""
    if not person:
        return mention.entity.type in _lexicon().group_types
    if _is_person(art, mention):
        return True
    # A name the model mistyped, with a title beside it ("police spokeswoman Resila Onyango").
    assert art.doc is not None
    span = art.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    people = _lexicon().person_nouns
    return span is not None and any(
        c.lemma_.lower() in people for c in span.root.children if c.dep_ in ("compound", "appos")
    )


def _noun_fits(token: Token, person: bool, plural: bool) -> bool:
    """Whether an unnamed subject can be what the pronoun refers to."""
    lex = _lexicon()
    lemma = token.lemma_.lower()
    if plural:
        return token.tag_ in ("NNS", "NNPS") or lemma in lex.institution_nouns
    if person:
        return token.tag_ == "NNP" or (token.tag_ == "NN" and lemma in lex.person_nouns)
    return token.tag_ in ("NN", "NNP") and lemma in lex.institution_nouns


def _mentions_between(art: QuoteMap, start: int, end: int) -> Iterator[Mention]:
    i = bisect.bisect_left(art.mention_starts, start)
    while i < len(art.mentions) and art.mentions[i].span.start < end:
        if art.mentions[i].span.end <= end:
            yield art.mentions[i]
        i += 1


def _is_person(art: QuoteMap, mention: Mention) -> bool:
    if mention.entity.type == "PERSON":
        return True
    # A surname the model typed otherwise ("Trump" as ORG) that names a person elsewhere.
    words = mention.span.text.split()
    return bool(words) and words[-1].lower() in art.person_names


def _mention_is_subject(art: QuoteMap, mention: Mention) -> bool:
    assert art.doc is not None
    span = art.doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    while root.dep_ in ("compound", "appos", "conj") and root.head.i != root.i:
        root = root.head
    return root.dep_ in ("nsubj", "nsubjpass")


# -- kind ------------------------------------------------------------------------------------

# Words a title leaves in lower case ("One Hundred Years of Solitude").
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "de", "del", "du", "for", "from", "in", "la", "le"}
    | {"of", "on", "or", "the", "to", "van", "von", "with"}
)
_SET_OFF = (",", ":", ";", "—", "–", "-")
# A lead made only of a conjunction: the quote is coordinated with the one before.
_COORDINATED = re.compile(r"[\s,;]*(?:and|or|but|nor|as well as)[\s,;]*", re.IGNORECASE)


def _lead(art: QuoteMap, k: int) -> str:
    """The writer's words before the quote in its sentence (after any earlier quote)."""
    pair = art.pairs[k]
    p_start = art.paragraphs[min(pair.paragraph, len(art.paragraphs) - 1)][0]
    start = p_start
    if k > 0 and art.pairs[k - 1].close_at >= p_start:
        start = max(start, art.pairs[k - 1].close_at + 1)
    lead = art.text[start : pair.open_at]
    ends = list(re.finditer(r"[.!?…][\"'”’»)\]]*\s+", lead))
    return lead[ends[-1].end() :] if ends else lead


def _title_case(content: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w'’.-]*", content) if w.lower() not in _SMALL_WORDS]
    return bool(words) and all(w[0].isupper() for w in words)


def _kind(art: QuoteMap, k: int, lead: str, cue: Token | None, steps: int, naming: bool) -> str:
    """direct / partial / title, from the quote's grammar and the words that lead into it."""
    pair = art.pairs[k]
    content = art.text[pair.start : pair.end]
    n_words = len(re.findall(r"\w+", content))
    tokens = [art.doc[i] for i in art.content[k]] if art.doc is not None else []
    clause = any(
        t.dep_ in ("nsubj", "nsubjpass", "expl", "csubj") and art.inside[t.head.i] == k
        for t in tokens
    )
    lead_s = lead.rstrip()
    lead_lower = lead_s.lower()
    has_lead = bool(re.search(r"\w", lead_s))
    embedded = has_lead and not lead_s.endswith(_SET_OFF)
    upper = bool(re.match(r"\W*[A-Z0-9]", content))
    if n_words <= 8 and not (clause and not has_lead):
        if naming or _named_by_lead(lead_lower):
            return "title"
        if embedded and _title_case(content) and not clause:
            return "title"
        if tokens and _modifies_noun(art, k, tokens, steps):
            return "title"
        # A quote opening its sentence that the sentence runs on from ("'Fake news' is …").
        after = art.text[pair.end : pair.end + 6]
        runs_on = not re.search(r"[,.!?]$", content) and bool(re.match(r"\W{1,2}\s+[a-z]", after))
        if n_words <= 3 and (has_lead or runs_on) and not clause:
            if cue is None or _is_alternative_name(art, k, tokens, steps):
                return "title"
            subject = _subject(art, cue)
            if subject is not None and art.inside[subject.i] == k:
                return "title"  # the quoted words are who speaks ('quotes a "Senate aide"')
    if not has_lead:
        return "direct"
    if lead_s.endswith(_SET_OFF):
        if re.search(r"\bthat\s*,$", lead_lower):
            return "direct" if upper else "partial"
        return "direct"
    if re.search(r"\bthat$", lead_lower):
        return "partial"
    return "direct" if upper and clause else "partial"


def _named_by_lead(lead_lower: str) -> bool:
    """Whether the lead ends in words that introduce a name ('so-called', 'the slogan')."""
    lex = _lexicon()
    if any(re.search(rf"(?:^|\W){re.escape(p)}\s*$", lead_lower) for p in lex.naming_phrases):
        return True
    last = re.findall(r"[\w-]+", lead_lower)
    return bool(last) and (last[-1] in lex.naming_nouns or last[-1].rstrip("s") in lex.naming_nouns)


def _modifies_noun(art: QuoteMap, k: int, tokens: list[Token], steps: int) -> bool:
    """Whether the quote modifies a noun outside it (the "Lion" release): a name. A quoted
    adjective right under a speech verb is someone's verdict instead ('called a "historic" win')."""
    if len(tokens) > 6:
        return False
    for t in tokens:
        head = t.head
        if art.inside[head.i] == k or head.i == t.i:
            continue
        if head.i in art.marks or MARK_RE.fullmatch(head.text):
            continue  # the parser took a closing guillemet for a noun
        if t.dep_ in ("compound", "amod", "nmod", "poss") and head.pos_ in ("NOUN", "PROPN"):
            return head.i > t.i and not (t.pos_ == "ADJ" and steps <= 2)
    return False


def _is_alternative_name(art: QuoteMap, k: int, tokens: list[Token], steps: int) -> bool:
    """A short quote in apposition or 'or' with an unquoted noun: another name for a thing."""
    if steps <= 2:
        return False
    for t in tokens:
        head = t.head
        if art.inside[head.i] == k or head.i == t.i:
            continue
        if t.dep_ in ("appos", "conj") and head.pos_ in ("NOUN", "PROPN"):
            return art.inside[head.i] == -1
    return False


# -- attribution -----------------------------------------------------------------------------


def _attribute(art: QuoteMap, k: int, frame: _Frame, cue: Token | None, lead: str) -> _Attribution:
    """Who said quote k, by the first rule that finds a speaker."""
    assert art.doc is not None
    if cue is None:
        cue = _dependent(art, k, frame)
    if cue is not None:
        found = _speaker(art, _subject(art, cue))
        found.cue = _cue_text(cue)
        if found.speaker is not None:
            return found
        fallback = _others(art, k, frame, lead, skip=cue.i)
        return fallback if fallback.speaker is not None else found
    return _others(art, k, frame, lead, skip=-1)


def _others(art: QuoteMap, k: int, frame: _Frame, lead: str, skip: int) -> _Attribution:
    """Rules for a quote no speech verb governs: 'according to', '— X', a verb beside it,
    'X:' and the subject of the clause that sets it off."""
    assert art.doc is not None
    source = _according(art, k, frame)
    if source is not None:
        found = _speaker(art, source)
        found.cue = "according to"
        return found
    dashed = _dash(art, k)
    if dashed is not None:
        found = _speaker(art, dashed)
        return found
    cue = _beside(art, k, frame)
    if cue is not None and cue.i != skip:
        found = _speaker(art, _subject(art, cue))
        found.cue = _cue_text(cue)
        return found
    lead_s = lead.rstrip()
    doc = art.doc
    lead_verbs = any(
        doc[i].pos_ in ("VERB", "AUX") for i in range(frame.lo, frame.open_tok) if doc[i].is_alpha
    )
    if lead_s.endswith(":") and not lead_verbs:
        # A transcript label ("Secretary James Roche: “…”").
        mention = art.mention_at(art.pairs[k].open_at - (len(lead) - len(lead_s)) - 2)
        if mention is not None and mention.entity.type in ("PERSON", "ORG", "GPE", "NORP"):
            head = art.doc[art.token_at(mention.span.end - 1)]
            found = _speaker(art, head)
            return found
    if lead_s.endswith(_SET_OFF):
        return _set_off_subject(art, k, frame)
    return _Attribution()


def _according(art: QuoteMap, k: int, frame: _Frame) -> Token | None:
    """X in 'according to X' beside the quote."""
    assert art.doc is not None
    doc = art.doc
    for i in range(frame.lo, frame.hi - 1):
        if art.inside[i] != -1 or doc[i].lower_ != "according" or doc[i + 1].lower_ != "to":
            continue
        for c in (*doc[i + 1].children, *doc[i].children):
            if c.dep_ == "pobj" and art.inside[c.i] == -1:
                return c
    return None


def _dash(art: QuoteMap, k: int) -> Token | None:
    """X in a quote followed by '— X'."""
    assert art.doc is not None
    pair = art.pairs[k]
    after = art.text[pair.end : pair.end + 12]
    match = re.match(r"[^\w\n]{0,3}?\s*(?:[—―–]|--?\s)\s*", after)
    if not match or not re.search(r"[—―–-]", match.group(0)):
        return None
    at = pair.end + match.end()
    if at >= len(art.text) or not art.text[at].isupper():
        return None
    token = art.doc[art.token_at(at)]
    mention = art.mention_at(at)
    if mention is not None:
        return art.doc[art.token_at(mention.span.end - 1)]
    return token if token.pos_ in ("PROPN", "NOUN") else None


def _set_off_subject(art: QuoteMap, k: int, frame: _Frame) -> _Attribution:
    """The subject of the clause that sets the quote off with a comma or colon."""
    assert art.doc is not None
    doc = art.doc
    for i in range(frame.open_tok - 1, frame.lo - 1, -1):
        token = doc[i]
        if art.inside[i] != -1 or token.pos_ not in ("VERB", "AUX"):
            continue
        for c in token.children:
            if c.dep_ in _SUBJECT_DEPS and art.inside[c.i] == -1:
                found = _speaker(art, c)
                if found.entity is not None:
                    return found
    return _Attribution()


def _carry_over(art: QuoteMap, k: int, found: list[tuple[str, _Attribution]]) -> _Attribution:
    """A standalone quote with no verb of its own: the previous quote's or sentence's speaker."""
    pair = art.pairs[k]
    here = art.paragraph_of(pair.start)
    for j in range(k - 1, -1, -1):
        kind, previous = found[j]
        if kind == "title":
            continue
        before = art.pairs[j]
        if here - before.last_paragraph > 1 or pair.open_at - before.end > 600:
            break
        if previous.speaker is None:
            break
        others = [
            m
            for m in _mentions_between(art, before.end, pair.open_at)
            if _is_person(art, m) and m.entity != previous.entity
        ]
        if others:
            break
        return _Attribution(previous.speaker, previous.entity, previous.cue)
    return _previous_sentence(art, k)


def _previous_sentence(art: QuoteMap, k: int) -> _Attribution:
    """The speaker named in the sentence before a standalone quote."""
    if art.doc is None:
        return _Attribution()
    doc = art.doc
    pair = art.pairs[k]
    open_tok = art.token_at(pair.open_at)
    # Sentences as the writer made them: never across a paragraph break.
    s_lo = max(
        art.sentence_of(open_tok)[0], art.paragraph_tokens(pair.paragraph, pair.paragraph)[0]
    )
    if s_lo == 0 or pair.paragraph - art.paragraph_of(doc[s_lo - 1].idx) > 1:
        return _Attribution()
    before = art.paragraph_of(doc[s_lo - 1].idx)
    p_lo = max(art.sentence_of(s_lo - 1)[0], art.paragraph_tokens(before, before)[0])
    p_hi = s_lo
    tokens = [t for t in doc[p_lo:p_hi] if art.inside[t.i] == -1 and t.i not in art.marks]
    words = [t for t in tokens if not t.is_space]
    introduces = bool(words) and words[-1].text == ":"
    for token in reversed(tokens):
        if _is_speech(token):
            found = _speaker(art, _subject(art, token))
            if found.speaker is not None:
                # "X told supporters:" and the quote below: the verb is its cue.
                found.cue = _cue_text(token) if introduces else None
                return found
    for token in tokens:
        if token.dep_ == "ROOT":
            for c in token.children:
                if c.dep_ in _SUBJECT_DEPS:
                    found = _speaker(art, c)
                    if found.entity is not None and found.entity.type == "PERSON":
                        return found
    return _Attribution()


# -- the extractor ---------------------------------------------------------------------------


def extract_quotes(doc: Doc, article: Article, mentions: Sequence[Mention]) -> list[Quote]:
    """Quotations in `doc` with speaker, cue and kind."""
    text = article.text
    if not text or not MARK_RE.search(text):
        return []
    art = map_quotes(doc, text, mentions)
    found: list[tuple[str, _Attribution]] = []
    sentences: list[tuple[int, int]] = []
    for k, pair in enumerate(art.pairs):
        lead = _lead(art, k)
        if art.doc is None:
            kind = _kind(art, k, lead, None, _MAX_CLIMB + 1, False)
            found.append((kind, _Attribution()))
            p_start, p_end = (
                art.paragraphs[pair.paragraph][0],
                art.paragraphs[pair.last_paragraph][1],
            )
            sentences.append((p_start, p_end))
            continue
        frame = _frame(art, k)
        cue, steps, naming = _governing(art, k, frame)
        kind = _kind(art, k, lead, cue, steps, naming)
        if k and _COORDINATED.fullmatch(lead) and found[-1][0] != "title":
            kind = found[-1][0]  # 'called it “A”, and “B”': B is built like A
        attribution = _Attribution() if kind == "title" else _attribute(art, k, frame, cue, lead)
        unattributed = attribution.speaker is None and attribution.cue is None
        if kind != "title" and unattributed and not re.search(r"\w", lead):
            attribution = _carry_over(art, k, found)
        found.append((kind, attribution))
        last = art.doc[frame.sentence_hi - 1]
        sentences.append((art.doc[frame.sentence_lo].idx, last.idx + len(last)))
    quotes = []
    for k, pair in enumerate(art.pairs):
        kind, who = found[k]
        s_start = min(sentences[k][0], pair.open_at)
        s_end = max(sentences[k][1], pair.end)
        sentence = text[s_start:s_end].rstrip()
        quotes.append(
            Quote(
                doc_id=article.doc_id,
                span=Span(pair.start, pair.end, text[pair.start : pair.end], sentence, s_start),
                kind=kind,
                speaker=who.speaker,
                speaker_entity=who.entity,
                cue=who.cue,
                about=sentence_entities(mentions, pair.start, pair.end),
            )
        )
    return quotes
