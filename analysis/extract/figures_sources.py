"""Who reports a figure: a reporting verb's subject, "according to X" or "X said"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from analysis.extract.figures_lexicon import _Lexicon
from analysis.extract.quotecues import quote_lexicon
from analysis.records import EntityKey, Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

_RELATIVE = frozenset({"who", "which", "that", "whom"})
_PERSONAL = frozenset({"he", "she", "him", "her"})
# Dependents that belong to a source's noun phrase (relative clauses and appositions do not).
_NP_DEPS = frozenset({"compound", "amod", "det", "poss", "nmod", "case", "prep", "pobj", "nummod"})


class _Mentions:
    """The article's entity mentions, looked up by character offset.

    `referent` resolves a common noun ("the company") to the organisation it refers to, as
    for a speaker; without it such a noun names no one.
    """

    def __init__(
        self,
        mentions: Sequence[Mention],
        referent: Callable[[Token], Mention | None] | None = None,
    ) -> None:
        self.items = sorted(mentions, key=lambda m: (m.span.start, -m.span.end))
        self.referent = referent

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
    breaks = _paragraph_breaks(doc)
    return breaks[max(a, b)] == breaks[min(a, b)]


BREAKS_KEY = "newslens.paragraph_breaks"


def _paragraph_breaks(doc: Doc) -> list[int]:
    """For each token i, how many tokens before it hold a blank line (with their whitespace);
    one more entry for the end. Counted once a Doc: a figure's source is looked for up to forty
    heads away, each step asking about every token between."""
    breaks: list[int] | None = doc.user_data.get(BREAKS_KEY)
    if breaks is None:
        breaks = [0]
        for token in doc:
            breaks.append(breaks[-1] + ("\n\n" in token.text_with_ws))
        doc.user_data[BREAKS_KEY] = breaks
    return breaks


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
    # A source is a person, an organisation or an outlet the article names: a phrase that
    # names no one ("new numbers", "a 63-year-old senator", "the Belgian") is none.
    if tok.pos_ == "PRON":
        if tok.lower_ in _PERSONAL:
            person = mentions.last_person_before(tok.idx)
            if person is not None:
                return tok.text, person.entity
        return None, None
    mention = mentions.covering(tok.idx, tok.idx + len(tok.text))
    if mention is None:
        for child in tok.children:
            if child.dep_ == "appos":
                mention = mentions.covering(child.idx, child.idx + len(child.text))
                if mention is not None:
                    break
    if mention is not None and mention.entity.type != "NORP":
        return mention.span.text, mention.entity
    if mention is not None:
        return None, None  # a nationality is no one: "the Belgian said"
    if tok.lemma_.lower() in lex.document_nouns and tok.lower_ not in lex.speaker_nouns:
        return None, None  # "according to reports": no one named
    left, right = _noun_phrase(tok)
    while left < right and doc[left].pos_ == "DET":
        left += 1
    text = doc[left : right + 1].text
    inner = mentions.inside(doc[left].idx, doc[right].idx + len(doc[right].text))
    if inner is not None and inner.entity.type != "NORP":
        return text, inner.entity  # "Airbus officials", "the Belarusian rights group Viasna"
    if inner is not None:
        return text, None  # "the Belgian government": a body named by its country's adjective
    referent = mentions.referent(tok) if mentions.referent is not None else None
    if referent is not None:
        return text, referent.entity  # "the company said": the company the article named
    if _reporter_noun(tok, lex):
        return text, None  # "police said", "the ministry said", "union officials said"
    return None, None


def _reporter_noun(tok: Token, lex: _Lexicon) -> bool:
    """A noun for someone who reports (a body, an official), not indefinite: "police", "the
    ministry", "analysts"; not "new numbers", "the ad overview" or "a 63-year-old senator"."""
    people = quote_lexicon()
    lemma = tok.lemma_.lower()
    nouns = people.person_nouns | people.institution_nouns | lex.speaker_nouns
    if lemma not in nouns and tok.lower_ not in nouns:
        return False
    return not any(c.dep_ == "det" and c.lower_ in ("a", "an") for c in tok.children)


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
