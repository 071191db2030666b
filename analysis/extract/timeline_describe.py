"""Descriptions of dated events: what happened at the time an expression names, in words from
its clause that a reader can follow (`describe`, used by `timeline`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Span as SpacySpan
    from spacy.tokens import Token

_DESCRIPTION_TOKENS = 16
_ARGUMENTS = ("dobj", "attr", "acomp", "oprd")
_CLAUSES = ("relcl", "acl", "advcl", "ccomp", "parataxis", "conj")


def governor(token: Token) -> Token | None:
    """The verb (or copula) whose clause holds `token`."""
    for _ in range(12):
        if token.pos_ == "VERB" or (token.pos_ == "AUX" and token.dep_ not in ("aux", "auxpass")):
            return token
        if token.head.i == token.i:
            return None
        token = token.head
    return None


def _compact(token: Token, limit: int = 5) -> list[Token]:
    """A phrase headed by `token`: all of it when short, else its name or its head noun."""
    subtree = list(token.subtree)
    if len(subtree) <= limit:
        return subtree
    core = [
        c for c in token.children if c.dep_ in ("det", "compound", "flat", "poss", "case", "amod")
    ]
    core = [c for c in core if c.i < token.i and token.i - c.i <= 3]
    return sorted([*core, token], key=lambda t: t.i)


def _subject(verb: Token) -> list[Token]:
    """The subject of `verb`'s clause, or of the clause it depends on ("preparing to run")."""
    for _ in range(4):
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            if subj.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                antecedent = verb.head
                if antecedent.dep_ == "appos":
                    antecedent = antecedent.head
                return _compact(antecedent, 3)
            return _compact(subj, 4)
        if verb.dep_ not in ("xcomp", "advcl", "conj", "ccomp", "pcomp") or verb.head == verb:
            return []
        verb = verb.head
    return []


def describe(span: SpacySpan) -> str:
    """What happened at the time `span` names: the words around its clause's verb, or in a
    participle clause that clause with the noun it describes, as one stretch of the text."""
    inside = set(range(span.start, span.end))
    root = span.root
    if span[0].sent != span[-1].sent:  # the parser started a sentence at an editor's "[2014]"
        own = [t for t in span if t.sent == span[0].sent]
        root = next((t for t in own if t.head.i not in inside or t.head == t), own[-1])
    head = root.head
    # A date inside a noun phrase: the noun names the event ("the disputed 2020 election").
    if (
        root.dep_ in ("nummod", "compound", "amod", "nmod", "poss")
        and head.i not in inside
        and head.pos_ in ("NOUN", "PROPN")
    ):
        left = [t for t in head.subtree if t.i <= head.i]
        right = [t for t in head.rights if t.dep_ == "prep"][:1]
        words = left + [t for r in right for t in _compact(r, 4)]
        if len(words) <= _DESCRIPTION_TOKENS:
            return _render(words)
    verb = governor(root)
    if verb is None:
        return _render(sorted({*span.sent[:_DESCRIPTION_TOKENS], *span}, key=lambda t: t.i))
    if _reduced_clause(verb):
        words = _reduced_description(verb, inside)
        if words:
            return _render(words)
    chosen: set[int] = set(inside)
    chosen.update(t.i for t in _subject(verb))
    # Without a subject of its own, the verbs from the subject's clause down to this one
    # ("was arrested while preparing to run").
    chain = [verb]
    while (
        chain[-1].dep_ in ("xcomp", "advcl", "pcomp")
        and not any(c.dep_ in ("nsubj", "nsubjpass") for c in chain[-1].children)
        and len(chain) < 3
    ):
        chain.append(chain[-1].head)
    for v in chain:
        chosen.add(v.i)
        for c in v.children:
            if c.dep_ in ("aux", "auxpass", "neg", "prt", "mark") and c.i not in inside:
                chosen.add(c.i)
    obj = next((c for c in verb.children if c.dep_ in _ARGUMENTS), None)
    if obj is not None and obj.i not in inside:
        chosen.update(t.i for t in _compact(obj, 5))
    # The object's predicate belongs to the clause too: "named him chairman", "made the law a
    # priority" (a verbless small clause the parser calls ccomp).
    for c in verb.children:
        small = c.dep_ == "ccomp" and c.pos_ in ("NOUN", "PROPN", "ADJ")
        if (c.dep_ == "oprd" or small) and c.i not in inside:
            chosen.update(t.i for t in _compact(c, 5))
    # The path from the expression up to the verb (its preposition and the noun it hangs on),
    # when short; else just the preposition.
    path: list[Token] = []
    conjunct: Token | None = None  # "..., then the iPad in 2010": a coordinated second phrase
    token = root
    while token.i != verb.i and token.head.i != token.i and len(path) < 8:
        if token.dep_ != "conj":
            path.append(token)
        elif conjunct is None and token.pos_ in ("NOUN", "PROPN") and token.i not in inside:
            conjunct = token
        token = token.head
    # A date on a second predicate of the verb ("2007 was the year of the iPhone, then the iPad
    # in 2010"): the verb's subject and object belong to the first one, so the phrase itself.
    second = conjunct or next(
        (
            t
            for t in path
            if t.head.i == verb.i
            and t.dep_ in (*_ARGUMENTS, "dep")
            and t.pos_ in ("NOUN", "PROPN")
            and obj is not None
            and obj.i < t.i
            and any(w.text == "," or w.dep_ == "cc" for w in verb.doc[obj.right_edge.i : t.i])
        ),
        None,
    )
    if second is not None and second.right_edge.i - second.left_edge.i < _DESCRIPTION_TOKENS:
        lead = ("punct", "cc", "advmod", "preconj")  # ", then the iPad": from "the"
        return _render(
            [t for t in second.subtree if t.i > second.i or t.head != second or t.dep_ not in lead]
        )
    chosen.update(t.i for t in (path if len(path) <= 4 else path[:2]))
    # The expression whole, even where the parser starts a sentence inside it ("[2014]").
    sentence = span[0].sent  # a token's own .sent scans for its sentence again, for every token
    words = [
        span.doc[i] for i in sorted(chosen) if i in inside or sentence.start <= i < sentence.end
    ]
    words = [w for w in words if w.i in inside or not w.is_punct or _joined(w)]
    return _render(words[:_DESCRIPTION_TOKENS] if len(words) > _DESCRIPTION_TOKENS else words)


def _reduced_clause(verb: Token) -> bool:
    """A participle clause with no subject, auxiliary or conjunction of its own: "a version of
    the 777, announced last November", "the year ending June 30", "Founded in 1976, ..."."""
    doc = verb.doc
    left = verb.left_edge.i
    right = verb.right_edge.i
    set_off = (left > 0 and doc[left - 1].text == ",") or (
        verb.i < verb.head.i and right + 1 < len(doc) and doc[right + 1].text == ","
    )  # an adverbial participle joins the clause: "plans to commence starting in April"
    # Without a subject, an "acl" is a participle even where the tagger says VBD.
    return (
        (verb.tag_ in ("VBN", "VBG") or (verb.tag_ == "VBD" and verb.dep_ == "acl"))
        and (verb.dep_ in ("acl", "relcl") or (verb.dep_ == "advcl" and set_off))
        and not any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "mark", "expl")
            for c in verb.children
        )
    )


def _reduced_description(verb: Token, inside: set[int]) -> list[Token]:
    """A participle clause with the noun phrase it describes, as one stretch of the text; its
    subject is never taken from another clause. [] when the clause is too long to show."""
    doc = verb.doc
    # The clause without the clauses inside it that do not hold the date ("..., which barred").
    nested = [
        t
        for t in verb.subtree
        if t.i != verb.i
        and t.dep_ in _CLAUSES
        and (t.dep_ != "conj" or t.pos_ in ("VERB", "AUX"))
        and not inside & {d.i for d in t.subtree}
    ]
    outside = {d.i for t in nested for d in t.subtree}
    clause = [t.i for t in verb.subtree if t.i not in outside]
    noun: Token | None = None
    if verb.dep_ in ("acl", "relcl"):
        noun = verb.head
    elif verb.i > verb.head.i and clause[0] >= 2 and doc[clause[0] - 1].text == ",":
        # Set off by a comma after a noun phrase, it describes that phrase (the parser hangs
        # it on the main verb): take the noun before the comma and the phrases it ends.
        noun = doc[clause[0] - 2]
        while (
            noun.dep_ == "pobj"
            and noun.head.dep_ == "prep"
            and noun.head.head.pos_ in ("NOUN", "PROPN")
            and clause[-1] - noun.head.head.left_edge.i < _DESCRIPTION_TOKENS
        ):
            noun = noun.head.head
        if noun.pos_ not in ("NOUN", "PROPN", "NUM", "PRON"):
            noun = None
    elif verb.i < verb.head.i:  # "Founded in 1976, the company ...": the subject after it
        subject = next((c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        after = clause[-1] + 1
        if (
            subject is not None
            and after < len(doc)
            and doc[after].is_punct
            and subject.left_edge.i == after + 1
            and subject.i - clause[0] < _DESCRIPTION_TOKENS
        ):
            clause = list(range(clause[0], subject.i + 1))
    if noun is not None:
        start = noun.left_edge.i
        if clause[-1] - start < _DESCRIPTION_TOKENS:
            clause = list(range(start, clause[0])) + clause
        else:
            clause = [t.i for t in _compact(noun, 4)] + clause
    if len(clause) > _DESCRIPTION_TOKENS and not inside <= set(clause[:_DESCRIPTION_TOKENS]):
        return []
    words = [doc[i] for i in clause[:_DESCRIPTION_TOKENS]]
    while words and words[-1].is_punct and words[-1].i not in inside:
        words.pop()
    return words


def _joined(token: Token) -> bool:
    """A mark written inside a word ("year-end", "A330-300") or a currency sign, kept."""
    if token.text in ("%", "$", "€", "£"):
        return True
    doc = token.doc
    return token.i > 0 and not doc[token.i - 1].whitespace_ and not token.whitespace_


def _render(tokens: Sequence[Token]) -> str:
    """Tokens in text order, spaced as written where they are adjacent."""
    out: list[str] = []
    previous: Token | None = None
    for token in sorted(tokens, key=lambda t: t.i):
        if previous is not None:
            out.append(previous.whitespace_ if token.i == previous.i + 1 else " ")
        out.append(token.text)
        previous = token
    return "".join(out).strip()
