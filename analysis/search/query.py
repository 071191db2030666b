"""Parse a search query into a small tree of frozen nodes.

The query language:

- ``word``: the word, in any case (``Lukashenko`` finds lukashenko, LUKASHENKO, Lukashenko's).
- ``"exact phrase"``: the words next to each other, with nothing but spaces (or a line wrap)
  between them: ``"political prisoners"`` does not match "prisoners, political" nor a phrase
  broken by punctuation or a blank line. Inside quotes everything is literal text.
- ``a b``: both (AND is the default between terms), at article level.
- ``a OR b``: either (``OR`` in capitals; a lower-case ``or`` is a word).
- ``-word``, ``-"phrase"``, ``-(a OR b)``: articles that do not contain it.
- ``prefix*``: any word that starts with ``prefix`` (``sanction*``).
- ``~word``: the word's inflections, by spaCy lemma (``~release`` finds released, releases).
- ``( ... )``: grouping.

Words are split the way the index splits the text (spaCy's English tokenizer rules), then
lower-cased; only pieces with a letter or a digit are searched. So ``U.S.`` and ``1,227`` stay
one word, and a word that the tokenizer splits (``anti-war``, ``Lukashenko’s``) becomes the
phrase of its pieces: ``anti-war`` finds "anti-war" and "anti war".

A malformed query raises `QuerySyntaxError` with the position (0-based) of the problem: an
unbalanced quote or parenthesis, a lone ``-`` or ``~`` or ``*``, empty ``()`` or ``""``, ``OR``
without a term on each side, an exclusion offered as an ``OR`` alternative, or a query with no
term that is not excluded (an article set cannot be defined by exclusions alone).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# A tokenizer: text -> the texts of its tokens, in order.
Tokenize = Callable[[str], Sequence[str]]


@dataclass(frozen=True, slots=True)
class Term:
    """One word: exact (lower-cased), a prefix (`word*`) or any of its inflections (`~word`)."""

    word: str
    prefix: bool = False
    lemma: bool = False


@dataclass(frozen=True, slots=True)
class Phrase:
    """Words that must follow each other."""

    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


Node = Term | Phrase | And | Or | Not


class QuerySyntaxError(ValueError):
    """A query that cannot be parsed: `position` is the 0-based offset of the problem."""

    def __init__(self, message: str, position: int) -> None:
        super().__init__(f"{message} (at position {position})")
        self.message = message
        self.position = position


def is_indexed(token_text: str) -> bool:
    """Whether a token is searchable: it holds a letter or a digit (punctuation is not)."""
    return any(ch.isalnum() for ch in token_text)


def normalise(token_text: str) -> str:
    """The form a searchable token is indexed and queried under."""
    return token_text.lower()


@functools.cache
def _default_tokenizer() -> Tokenize:
    # The model's tokenizer is spaCy's English one; a blank pipeline has the same rules and
    # loads in a fraction of the time. Built at first use, never at import.
    import spacy

    tokenizer = spacy.blank("en").tokenizer
    return lambda text: [t.text for t in tokenizer(text) if not t.is_space]


def words_of(text: str, tokenize: Tokenize | None = None) -> tuple[str, ...]:
    """The searchable words of `text`, split and normalised as the index does."""
    split = tokenize or _default_tokenizer()
    return tuple(normalise(t) for t in split(text) if is_indexed(t))


# -- lexer -------------------------------------------------------------------------------------

_SPECIAL = '()"'


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # "(", ")", "-", "OR", "phrase", "word", "end"
    text: str
    position: int


def _lex(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    at = 0
    while at < len(text):
        ch = text[at]
        if ch.isspace():
            at += 1
        elif ch in "()":
            tokens.append(_Token(ch, ch, at))
            at += 1
        elif ch == '"':
            close = text.find('"', at + 1)
            if close < 0:
                raise QuerySyntaxError('unbalanced quote: this " is never closed', at)
            tokens.append(_Token("phrase", text[at + 1 : close], at))
            at = close + 1
        elif ch == "-":  # only at the start of a token: inside a word it is part of the word
            following = text[at + 1] if at + 1 < len(text) else ""
            if not following or following.isspace() or following == ")":
                raise QuerySyntaxError("a lone '-' must be followed by what to exclude", at)
            tokens.append(_Token("-", ch, at))
            at += 1
        else:
            end = at
            while end < len(text) and not text[end].isspace() and text[end] not in _SPECIAL:
                end += 1
            word = text[at:end]
            tokens.append(_Token("OR" if word == "OR" else "word", word, at))
            at = end
    tokens.append(_Token("end", "", len(text)))
    return tokens


# -- parser ------------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str, tokenize: Tokenize | None) -> None:
        self.tokens = _lex(text)
        self.at = 0
        self.tokenize = tokenize

    def peek(self) -> _Token:
        return self.tokens[self.at]

    def take(self) -> _Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse(self) -> Node:
        if self.peek().kind == "end":
            raise QuerySyntaxError("the query is empty", 0)
        start = self.peek().position
        node = self.or_expr()
        token = self.peek()
        if token.kind == ")":
            raise QuerySyntaxError("unbalanced parenthesis: this ')' has no '('", token.position)
        _require_positive(node, start)
        return node

    def or_expr(self) -> Node:
        alternatives = [self.and_expr()]
        while self.peek().kind == "OR":
            self.take()
            alternatives.append(self.and_expr())
        if len(alternatives) == 1:
            return alternatives[0][0]
        for node, position in alternatives:
            _require_positive(node, position, in_or=True)
        children: list[Node] = []
        for node, _ in alternatives:
            children.extend(node.children if isinstance(node, Or) else (node,))
        return Or(tuple(children))

    def and_expr(self) -> tuple[Node, int]:
        token = self.peek()
        if token.kind == "OR":
            raise QuerySyntaxError("'OR' needs a term before it", token.position)
        if token.kind in ("end", ")"):  # only right after an OR: '(' checks for ')' and end
            before = self.tokens[self.at - 1]
            raise QuerySyntaxError("'OR' needs a term after it", before.position)
        children: list[Node] = []
        while self.peek().kind not in ("OR", "end", ")"):
            node = self.unary()
            children.extend(node.children if isinstance(node, And) else (node,))
        node = children[0] if len(children) == 1 else And(tuple(children))
        return node, token.position

    def unary(self) -> Node:
        token = self.peek()
        if token.kind == "-":
            self.take()
            child = self.primary()
            if isinstance(child, Not):
                raise QuerySyntaxError("a double exclusion '--' is not allowed", token.position)
            return Not(child)
        return self.primary()

    def primary(self) -> Node:
        token = self.take()
        if token.kind == "(":
            if self.peek().kind == ")":
                raise QuerySyntaxError("empty parentheses '()'", token.position)
            if self.peek().kind == "end":
                raise QuerySyntaxError(
                    "unbalanced parenthesis: this '(' is never closed", token.position
                )
            node = self.or_expr()
            close = self.take()
            if close.kind != ")":
                raise QuerySyntaxError(
                    "unbalanced parenthesis: this '(' is never closed", token.position
                )
            return node
        if token.kind == "phrase":
            return self.phrase(token)
        if token.kind == "word":
            return self.word(token)
        if token.kind == "-":
            raise QuerySyntaxError("a double exclusion '--' is not allowed", token.position)
        if token.kind == "OR":
            raise QuerySyntaxError("'OR' needs a term before it", token.position)
        raise QuerySyntaxError(f"unexpected {token.text!r}", token.position)

    def phrase(self, token: _Token) -> Node:
        words = words_of(token.text, self.tokenize)
        if not words:
            what = "an empty phrase" if not token.text.strip() else f"the phrase {token.text!r}"
            raise QuerySyntaxError(f"{what} has no letters or digits to search for", token.position)
        return Term(words[0]) if len(words) == 1 else Phrase(words)

    def word(self, token: _Token) -> Node:
        text, position = token.text, token.position
        lemma = text.startswith("~")
        prefix = text.endswith("*")
        stem = text[1 if lemma else 0 : len(text) - 1 if prefix else len(text)]
        if "*" in stem:
            raise QuerySyntaxError("'*' may only end a word (as in sanction*)", position)
        if lemma and prefix:
            raise QuerySyntaxError("'~' and '*' cannot be combined on one word", position)
        if not stem:
            mark = "*" if prefix else "~"
            raise QuerySyntaxError(f"a bare {mark!r} must be attached to a word", position)
        words = words_of(stem, self.tokenize)
        if not words:
            raise QuerySyntaxError(f"{stem!r} has no letters or digits to search for", position)
        if len(words) == 1:
            return Term(words[0], prefix=prefix, lemma=lemma)
        if prefix or lemma:
            mark = "*" if prefix else "~"
            raise QuerySyntaxError(
                f"{mark!r} applies to a single word, but {stem!r} is split into "
                + " ".join(repr(w) for w in words),
                position,
            )
        return Phrase(words)


def _is_positive(node: Node) -> bool:
    if isinstance(node, Not):
        return False
    if isinstance(node, And):
        return any(not isinstance(child, Not) for child in node.children)
    return True


def _require_positive(node: Node, position: int, *, in_or: bool = False) -> None:
    if _is_positive(node):
        return
    if in_or:
        raise QuerySyntaxError(
            "an exclusion cannot be an 'OR' alternative: say what to find as well", position
        )
    raise QuerySyntaxError(
        "the query only excludes: add a term to find (as in sanctions -potash)", position
    )


def parse_query(text: str, *, tokenize: Tokenize | None = None) -> Node:
    """Parse `text` into a query tree; raise `QuerySyntaxError` if it is malformed.

    `tokenize` splits a word into tokens (default: spaCy's English tokenizer rules, the ones
    the index was built with); pass the model's own (`lambda s: [t.text for t in
    nlp.tokenizer(s)]`) to be exact.
    """
    return _Parser(text, tokenize).parse()
