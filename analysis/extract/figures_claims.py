"""What a figure claims: what is counted and what happens to it ("prisoners freed").

The predicate comes from the parse, from the counted noun upwards: the verb it is the subject
or object of ("Police arrested 300 protesters", "300 protesters were arrested"), the verb it
hangs on by a preposition ("fired on 200 protesters"; "attended by" makes it the subject), a
reduced relative ("123 prisoners freed on Saturday"), an event noun it is the "of" complement of
("the release of 1,400 prisoners"), or the object of a light verb ("granted freedom to 123
prisoners" -> free). Conjuncts take the role of the first ("123 prisoners and 40 journalists
were freed"), and the figure itself or a noun such as "total" or "group" passes the role on ("a
total of 300 people were arrested"). Only counts, money and percentages carry a predicate: a
duration, an age or a measure ("weighs 3 lbs") keeps its counted thing as its claim.

Verbs that only say the counted thing exists or is counted ("has", "holds", "identified") give
no predicate: the claim is then the counted thing itself and `claim_key` equals `counted_key`.
The predicate is marked `sought` under a verb or noun of wanting, demanding or planning ("called
for the release of"), `possible` under a modal or a verb of expectation ("could free"), and
`not` when negated ("did not free", "refused to free"). The key is
`counted_key|predicate[:sought|:possible][:not]`: "prisoner|release:sought".
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from analysis import lexicon as lexicons
from analysis.extract.numbers import NOMINAL

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_VERBS = frozenset({"VERB", "AUX"})
_CLAUSE_DEPS = frozenset({"xcomp", "ccomp", "acl", "advcl", "pcomp"})
_HOPS = 3  # how far up a predicate's sought, possible or negating words are looked for


@dataclass(frozen=True, slots=True)
class _ClaimLexicon:
    kinds: frozenset[str]
    transparent_verbs: frozenset[str]
    transparent_nouns: frozenset[str]
    light_verbs: frozenset[str]
    loose_prepositions: frozenset[str]
    range_prepositions: frozenset[str]
    adjectival: frozenset[str]
    event_nouns: dict[str, str]
    sought: frozenset[str]
    modals: frozenset[str]
    possible: frozenset[str]
    negating: frozenset[str]
    irregular: dict[str, tuple[str, str]]
    templates: dict[str, dict[str, str]]


@cache
def claim_lexicon() -> _ClaimLexicon:
    """The claims lexicon, read once from analysis/lexicons/figures_claims.json."""
    data = lexicons.load("figures_claims")
    return _ClaimLexicon(
        kinds=frozenset(data["kinds"]),
        transparent_verbs=frozenset(data["transparent_verbs"]["words"]),
        transparent_nouns=frozenset(data["transparent_nouns"]["words"]),
        light_verbs=frozenset(data["light_verbs"]["words"]),
        loose_prepositions=frozenset(data["loose_prepositions"]["words"]),
        range_prepositions=frozenset(data["range_prepositions"]["words"]),
        adjectival=frozenset(data["adjectival"]["words"]),
        event_nouns=dict(data["event_nouns"]["words"]),
        sought=frozenset(data["sought"]["words"]),
        modals=frozenset(data["possible"]["modals"]),
        possible=frozenset(data["possible"]["words"]),
        negating=frozenset(data["negating"]["words"]),
        irregular={k: (v[0], v[1]) for k, v in data["irregular"]["words"].items()},
        templates={k: v for k, v in data["templates"].items() if not k.startswith("_")},
    )


@dataclass(frozen=True, slots=True)
class _Predicate:
    role: str  # subject / object (of a verb), noun (an event noun), state (an adjective)
    lemma: str  # the verb (with particle, preposition or object) in the key: "free", "fire on"
    verb: str  # the verb lemma that is inflected when the claim is written
    rest: str  # words written after the verb: a preposition or the subject's object
    noun: str | None  # the event noun as written ("release")
    marks: tuple[str, ...]  # ("sought",), ("possible", "not"), ...


def claim(
    doc: Doc,
    head: int,
    figure: range,
    counted: str,
    counted_key: str,
    kind: str,
) -> tuple[str, str]:
    """The claim as written and its key, for the figure over tokens `figure` counting `head`."""
    lex = claim_lexicon()
    predicate = _predicate(doc, head, figure, lex) if kind in lex.kinds else None
    if predicate is None:
        return counted, counted_key
    marks = ":".join(predicate.marks)
    key = f"{counted_key}|{predicate.lemma}" + (f":{marks}" if marks else "")
    past, participle = _inflect(predicate.verb, lex)
    tail = f" {predicate.rest}" if predicate.rest else ""
    text = lex.templates[predicate.role][marks].format(
        counted=counted,
        lemma=predicate.verb + tail,
        past=past + tail,
        participle=participle + tail,
        noun=predicate.noun or predicate.verb,
    )
    return text, key


# --------------------------------------------------------------------------- the predicate


def _predicate(doc: Doc, head: int, figure: range, lex: _ClaimLexicon) -> _Predicate | None:
    """The predicate the counted noun (token `head`) takes part in, None when there is none."""
    tok = _role_bearer(doc[head], figure, lex)
    dep, gov = tok.dep_, tok.head
    if gov.i == tok.i:
        return None
    if dep in {"nsubj", "nsubjpass", "dobj"} and gov.pos_ in _VERBS:
        return _verb(gov, "subject" if dep == "nsubj" else "object", tok, lex)
    if dep == "pobj" and gov.dep_ in {"prep", "dative", "agent"}:
        above = gov.head
        if above.pos_ in NOMINAL and gov.lower_ == "of":
            return _event_noun(above, lex)
        if above.pos_ == "VERB" and gov.lower_ not in lex.loose_prepositions:
            light = _light_object(above, tok, lex)
            if light is not None:
                return light
            if above.lemma_.lower() in lex.transparent_verbs:
                return None
            if gov.dep_ == "agent":  # "attended by 15,000 people"
                return _verb(above, "subject", tok, lex)
            if gov.lower_ in lex.range_prepositions:  # "will seat between 210 and 330 passengers"
                return _verb(above, "object", tok, lex)
            return _verb(above, "object", tok, lex, prep=gov.lower_)
        return None
    for child in tok.children:  # "123 prisoners freed on Saturday"
        if child.dep_ == "acl" and child.tag_ == "VBN":
            return _verb(child, "object", tok, lex)
    return None


def _role_bearer(tok: Token, figure: range, lex: _ClaimLexicon) -> Token:
    """The token whose place in the sentence is the counted noun's: past conjuncts, the figure
    ("hundreds of residents") and nouns of quantity ("a total of 300 people")."""
    for _ in range(4):
        if tok.dep_ == "conj" and tok.head.pos_ in NOMINAL and tok.head.i != tok.i:
            tok = tok.head
            continue
        prep = tok.head
        if tok.dep_ == "pobj" and prep.lower_ == "of" and prep.head.i != prep.i:
            above = prep.head
            if above.i in figure or above.lemma_.lower() in lex.transparent_nouns:
                tok = above
                continue
        break
    return tok


def _verb(
    verb: Token, role: str, counted: Token, lex: _ClaimLexicon, *, prep: str | None = None
) -> _Predicate | None:
    lemma = verb.lemma_.lower()
    if lemma == "be":
        return _state(verb, counted, lex)
    if verb.lower_ in lex.adjectival and role == "subject":  # "12 people are missing"
        return _Predicate("state", verb.lower_, verb.lower_, "", None, _marks(verb, lex))
    if lemma in lex.transparent_verbs:
        return None
    light = _light_object(verb, counted, lex)
    if light is not None:
        return light
    particle = " ".join(c.lower_ for c in verb.children if c.dep_ == "prt")
    name = f"{lemma} {particle}" if particle else lemma
    rest = prep or ""
    if role == "subject" and prep is None:
        obj = next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"), None)
        rest = obj.lemma_.lower() if obj is not None else ""
    key = f"{name} {rest}" if rest else name
    return _Predicate(role, key, name, rest, None, _marks(verb, lex))


def _light_object(verb: Token, counted: Token, lex: _ClaimLexicon) -> _Predicate | None:
    """ "granted freedom to 123 prisoners": the light verb's object names the event (free);
    "gave asylum to 300 refugees": the verb with its object (give asylum)."""
    lemma = verb.lemma_.lower()
    if lemma not in lex.light_verbs:
        return None
    for child in verb.children:
        if child.dep_ == "dobj" and child.pos_ == "NOUN" and child.i != counted.i:
            noun = child.lemma_.lower()
            name = lex.event_nouns.get(noun)
            if name is None:
                return _Predicate("object", f"{lemma} {noun}", lemma, noun, None, _marks(verb, lex))
            return _Predicate("object", name, name, "", child.lower_, _marks(verb, lex))
    return None


def _event_noun(noun: Token, lex: _ClaimLexicon) -> _Predicate | None:
    """ "the release of 1,400 prisoners": an event noun and the verb it names."""
    name = lex.event_nouns.get(noun.lemma_.lower())
    if name is None:
        return None
    return _Predicate("noun", name, name, "", noun.lower_, _marks(noun, lex))


def _state(verb: Token, counted: Token, lex: _ClaimLexicon) -> _Predicate | None:
    """ "12 people are missing": an adjective after "be" (not for its object)."""
    if counted.dep_ != "nsubj":
        return None
    for child in verb.children:
        if child.dep_ == "acomp" and child.pos_ == "ADJ":
            word = child.lemma_.lower()
            return _Predicate("state", word, word, "", None, _marks(verb, lex))
    return None


# --------------------------------------------------------------------------- sought, possible, not


def _marks(tok: Token, lex: _ClaimLexicon) -> tuple[str, ...]:
    """Whether the predicate at `tok` is sought or possible, and whether it is negated."""
    modality: str | None = None
    negated = _negated(tok)
    modality = "possible" if _modal(tok, lex) else None
    for _ in range(_HOPS):
        step = _governor(tok)
        if step is None:
            break
        gov, word = step
        lemma = gov.lemma_.lower()
        if word in lex.sought or lemma in lex.sought:
            modality = modality or "sought"
        elif word in lex.possible or lemma in lex.possible or _modal(gov, lex):
            modality = modality or "possible"
        elif lemma in lex.negating:
            negated = not negated
        else:
            tok = gov
            continue
        negated = negated != _negated(gov)
        break
    return tuple(m for m in (modality, "not" if negated else None) if m is not None)


def _governor(tok: Token) -> tuple[Token, str] | None:
    """The word governing a predicate and how it reads with its preposition ("call for")."""
    head = tok.head
    if head.i == tok.i:
        return None
    if tok.dep_ == "pobj" and head.dep_ in {"prep", "agent"} and head.head.i != head.i:
        return head.head, f"{head.head.lemma_.lower()} {head.lower_}"
    if tok.dep_ in _CLAUSE_DEPS | {"dobj", "nsubjpass"}:
        return head, head.lemma_.lower()
    return None


def _negated(tok: Token) -> bool:
    return any(c.dep_ == "neg" for c in tok.children)


def _modal(tok: Token, lex: _ClaimLexicon) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in lex.modals for c in tok.children)


def _inflect(verb: str, lex: _ClaimLexicon) -> tuple[str, str]:
    """Past tense and past participle of a verb lemma ("free" -> "freed"); phrasal verbs too."""
    if verb in lex.irregular:
        return lex.irregular[verb]
    first, _, particle = verb.partition(" ")
    if first in lex.irregular:
        past, participle = lex.irregular[first]
    else:
        past = participle = _regular_past(first)
    tail = f" {particle}" if particle else ""
    return past + tail, participle + tail


def _regular_past(verb: str) -> str:
    if verb.endswith("e"):
        return verb + "d"
    if len(verb) > 2 and verb.endswith("y") and verb[-2] not in "aeiou":
        return verb[:-1] + "ied"
    vowels = [c in "aeiou" for c in verb]
    if (
        len(verb) >= 3
        and vowels[-3:] == [False, True, False]
        and verb[-1] not in "wxy"
        and sum(vowels) == 1
    ):
        return (
            verb + verb[-1] + "ed"
        )  # "ban" -> "banned", one syllable ending consonant-vowel-consonant
    return verb + "ed"
