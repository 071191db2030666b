"""Quotation marks: each mark judged open or close, paired per paragraph, placed on the tokens."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from analysis import lexicon
from analysis.nlp import doc_text
from analysis.records import Mention

if TYPE_CHECKING:
    from spacy.tokens import Doc

# glyph -> (family, preferred role). Families pair only with themselves; a role of "either"
# (straight quotes) is settled by context and by what is open.
_GLYPHS: dict[str, tuple[str, str]] = {
    '"': ("double", "either"),
    "“": ("double", "open"),
    "”": ("double", "close"),
    "„": ("double", "open"),
    "‟": ("double", "open"),
    "``": ("double", "open"),
    "''": ("double", "either"),
    "'": ("single", "either"),
    "‘": ("single", "open"),
    "’": ("single", "close"),
    "‚": ("single", "open"),
    "‛": ("single", "open"),
    "`": ("single", "open"),
    "«": ("angle", "open"),
    "»": ("angle", "close"),
    "‹": ("angle1", "open"),
    "›": ("angle1", "close"),
    "「": ("corner", "open"),
    "」": ("corner", "close"),
    "『": ("corner2", "open"),
    "』": ("corner2", "close"),
}
# Straight (typewriter) marks are one style, typographic marks another: a quote written in one
# style may hold a quote in the other style of the same family (“He said "never", and left”).
_STRAIGHT = frozenset({'"', "''", "'"})
MARK_RE = re.compile(r"``|''|[\"“”„‟'‘’‚‛`«»‹›「」『』]")
# Families whose unclosed quote may run to the end of its paragraph (single marks are too often
# apostrophes for that).
_RECOVERABLE = frozenset({"double", "angle", "corner"})
_OPENERS_BEFORE = frozenset("([{<—–-/")
_NOT_WORD_AFTER = frozenset(",.;:!?)]}")
_CLOSE_FOLLOWERS = frozenset(",.;:!?)]}—–-/…")
# How many paragraphs a quote left open may run through while waiting for its closing mark.
_MAX_CARRY = 5
_SENTENCE_END = re.compile(r"[.!?…][\"'“”’‘»)\]]*\s*$")


@dataclass(frozen=True, slots=True)
class _Mark:
    pos: int
    length: int
    family: str
    role: str  # open / close / either
    straight: bool = False  # typewriter mark (" or '), not a typographic one


@dataclass(slots=True)
class Pair:
    """A quotation found in the text: marks and trimmed content offsets."""

    open_at: int  # offset of the opening mark
    close_at: int  # offset of the closing mark (== end of content when recovered unclosed)
    start: int
    end: int
    paragraph: int
    last_paragraph: int


@cache
def _elisions() -> frozenset[str]:
    """Words written with a leading apostrophe ('90s, 'em), from quotes_words.json."""
    return frozenset(lexicon.load("quotes_words")["elisions"])


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans: a line break ends one unless it only wraps a running sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in re.finditer(r"\n", text):
        cut = match.start()
        before = text[start:cut].rstrip()
        after = text[match.end() : match.end() + 1]
        # A soft wrap: the line stops mid-sentence and the next goes on in lower case.
        if before and before[-1].isalnum() and after.islower():
            continue
        spans.append((start, cut))
        start = match.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _classify(text: str, pos: int, glyph: str) -> _Mark | None:
    """The mark at `pos` with its role from context, or None when it is an apostrophe."""
    family, preferred = _GLYPHS[glyph]
    length = len(glyph)
    prev = text[pos - 1] if pos > 0 else ""
    nxt = text[pos + length] if pos + length < len(text) else ""
    prev_space = not prev or prev.isspace()
    next_space = not nxt or nxt.isspace()
    if family == "single":
        if prev.isalnum() and nxt.isalnum():
            return None  # don't, O'Brien
        if (prev_space or prev in _OPENERS_BEFORE) and _elided(text, pos + length):
            return None  # '90s, 'em
    if glyph == "`":
        return _Mark(pos, length, family, "open")
    open_ctx = (prev_space or prev in _OPENERS_BEFORE or prev in _GLYPHS) and (
        not next_space and nxt not in _NOT_WORD_AFTER
    )
    close_ctx = not prev_space and (next_space or nxt in _CLOSE_FOLLOWERS or nxt in _GLYPHS)
    if open_ctx and not close_ctx:
        role = "open"
    elif close_ctx and not open_ctx:
        role = "close"
    else:
        role = preferred
    return _Mark(pos, length, family, role, glyph in _STRAIGHT)


def _elided(text: str, at: int) -> bool:
    """Whether the word starting at `at` is an elision written with a leading apostrophe."""
    word = re.match(r"[0-9]{2}s?\b|[A-Za-z]+", text[at : at + 12])
    if not word:
        return False
    token = word.group(0)
    return token[0].isdigit() or token.lower() in _elisions()


def _marks(text: str, start: int, end: int) -> list[_Mark]:
    marks = []
    for match in MARK_RE.finditer(text, start, end):
        mark = _classify(text, match.start(), match.group(0))
        if mark is not None:
            marks.append(mark)
    return marks


def find_quotations(text: str) -> list[tuple[int, int]]:
    """Offsets of the content of every top-level quotation in `text` (marks excluded)."""
    return [(p.start, p.end) for p in _pair_marks(text, _paragraphs(text))]


def _pair_marks(text: str, paragraphs: list[tuple[int, int]]) -> list[Pair]:
    """Pair the quotation marks of `text`, paragraph by paragraph; top-level quotes only."""
    marks = [_marks(text, s, e) for s, e in paragraphs]
    pairs: list[Pair] = []
    carried: tuple[_Mark, int] | None = None  # an open quote running on, with its paragraph
    skip: _Mark | None = None  # a reopening mark at the start of a continued paragraph
    for index, (_, p_end) in enumerate(paragraphs):
        stack: list[tuple[_Mark, int]] = [carried] if carried else []
        carried = None
        for mark in marks[index]:
            if mark is skip:
                continue
            _push(mark, index, stack, pairs, text)
        skip = None
        if not stack:
            continue
        opener, first = stack[0]
        decision = _continuation(opener, index, paragraphs, marks, text)
        if decision == "reopen":
            carried = (opener, first)
            skip = marks[index + 1][0]
        elif decision == "carry":
            carried = (opener, first)
        elif opener.family in _RECOVERABLE:
            start = opener.pos + opener.length
            content = text[start:p_end].rstrip()
            if _SENTENCE_END.search(content) and len(re.findall(r"\w+", content)) >= 3:
                pairs.append(
                    Pair(
                        opener.pos, start + len(content), start, start + len(content), first, index
                    )
                )
    return _top_level([t for p in pairs if (t := _trimmed(p, text)) is not None])


def _push(
    mark: _Mark, index: int, stack: list[tuple[_Mark, int]], pairs: list[Pair], text: str
) -> None:
    """Apply one mark to the stack of open quotes, closing a pair when it matches."""
    same = [i for i, (m, _) in enumerate(stack) if m.family == mark.family]
    # Open quotes of the same family written in the same style as this mark.
    styled = [i for i in same if stack[i][0].straight == mark.straight]
    if mark.role == "close" or (mark.role == "either" and styled):
        if not same:
            return  # a stray closing mark (or a plural possessive)
        # A close matches the latest opener of its own style; a quote opened in one style and
        # closed in the other (mixed marks in copied text) still closes.
        i = styled[-1] if styled else same[-1]
        opener, first = stack[i]
        del stack[i:]
        pairs.append(Pair(opener.pos, mark.pos, opener.pos + opener.length, mark.pos, first, index))
        return
    if styled:
        # A second opening mark of a style already open: the earlier one was never closed.
        del stack[styled[-1] :]
    stack.append((mark, index))


def _continuation(
    opener: _Mark,
    index: int,
    paragraphs: list[tuple[int, int]],
    marks: list[list[_Mark]],
    text: str,
) -> str:
    """How a quote left open at the end of paragraph `index` goes on: reopen, carry or stop."""
    if index + 1 >= len(paragraphs):
        return "stop"
    nxt = marks[index + 1]
    n_start = paragraphs[index + 1][0]
    reopens = nxt and nxt[0].family == opener.family and nxt[0].role != "close"
    if reopens and not text[n_start : nxt[0].pos].strip():
        return "reopen"
    if opener.family == "single":
        return "stop"  # a closing single mark may be a plural possessive: no running on
    for ahead in range(index + 1, min(index + 1 + _MAX_CARRY, len(paragraphs))):
        for mark in marks[ahead]:
            if mark.family != opener.family:
                continue
            if mark.role == "close":
                return "carry"
            if mark.role == "either":
                starts = not text[paragraphs[ahead][0] : mark.pos].strip()
                return "stop" if starts else "carry"
            return "stop"
    return "stop"


def _trimmed(pair: Pair, text: str) -> Pair | None:
    """The pair with its content trimmed of surrounding spaces; None when it is empty."""
    content = text[pair.start : pair.end]
    stripped = content.strip()
    if not re.search(r"\w", stripped):
        return None
    lead = len(content) - len(content.lstrip())
    return Pair(
        pair.open_at,
        pair.close_at,
        pair.start + lead,
        pair.start + lead + len(stripped),
        pair.paragraph,
        pair.last_paragraph,
    )


def _top_level(pairs: list[Pair]) -> list[Pair]:
    """Pairs not nested inside another pair, in text order."""
    kept: list[Pair] = []
    for pair in sorted(pairs, key=lambda p: (p.open_at, -p.close_at)):
        if kept and pair.open_at < kept[-1].close_at:
            continue
        kept.append(pair)
    return kept


# -- the article's parse ---------------------------------------------------------------------


@dataclass(slots=True)
class QuoteMap:
    """One article's text, parse, mentions and quotes, with the lookups the rules share."""

    text: str
    doc: Doc | None
    pairs: list[Pair]
    paragraphs: list[tuple[int, int]]
    mentions: list[Mention]
    mention_starts: list[int] = field(default_factory=list)
    token_starts: list[int] = field(default_factory=list)
    inside: list[int] = field(default_factory=list)  # per token: quote holding it, or -1
    marks: dict[int, int] = field(default_factory=dict)  # mark token -> its quote
    content: list[list[int]] = field(default_factory=list)  # per quote: its content tokens
    sentence_starts: list[int] = field(default_factory=list)  # token index of each sentence
    person_names: frozenset[str] = frozenset()
    pair_starts: list[int] = field(default_factory=list)
    paragraph_starts: list[int] = field(default_factory=list)

    def token_at(self, char: int) -> int:
        """Index of the token holding character `char` (the one before it, in whitespace)."""
        return max(0, bisect.bisect_right(self.token_starts, char) - 1)

    def in_quote(self, start: int, end: int) -> bool:
        """Whether the range lies inside the content of some quote."""
        i = bisect.bisect_right(self.pair_starts, start) - 1
        return i >= 0 and start >= self.pairs[i].start and end <= self.pairs[i].end

    def mention_at(self, char: int) -> Mention | None:
        """The mention whose span holds character `char`."""
        i = bisect.bisect_right(self.mention_starts, char) - 1
        while i >= 0 and self.mentions[i].span.start > char - 200:
            mention = self.mentions[i]
            if mention.span.start <= char < mention.span.end:
                return mention
            i -= 1
        return None

    def sentence_of(self, token: int) -> tuple[int, int]:
        """Token range [start, end) of the sentence holding `token`."""
        i = bisect.bisect_right(self.sentence_starts, token) - 1
        start = self.sentence_starts[max(i, 0)]
        end = self.sentence_starts[i + 1] if i + 1 < len(self.sentence_starts) else len(self.inside)
        return start, end

    def paragraph_of(self, char: int) -> int:
        return max(0, bisect.bisect_right(self.paragraph_starts, char) - 1)

    def paragraph_tokens(self, first: int, last: int) -> tuple[int, int]:
        """Token range [start, end) of paragraphs `first` to `last`."""
        start = self.paragraphs[first][0]
        end = self.paragraphs[last][1]
        return self.token_at(start), self.token_at(max(start, end - 1)) + 1


def map_quotes(doc: Doc, text: str, mentions: Sequence[Mention]) -> QuoteMap:
    paragraphs = _paragraphs(text)
    pairs = _pair_marks(text, paragraphs)
    ordered = sorted(mentions, key=lambda m: (m.span.start, m.span.end))
    # Without the parse (another text, or a pipeline with no parser) quotes still come out,
    # with their kind read off the text and no speaker.
    parsed = doc_text(doc) == text
    parsed = parsed and doc.has_annotation("DEP") and doc.has_annotation("SENT_START")
    art = QuoteMap(text, doc if parsed else None, pairs, paragraphs, ordered)
    art.mention_starts = [m.span.start for m in ordered]
    art.pair_starts = [p.start for p in pairs]
    art.paragraph_starts = [s for s, _ in art.paragraphs]
    art.person_names = frozenset(
        word.lower()
        for m in ordered
        if m.entity.type == "PERSON"
        for word in (m.entity.name.split()[-1:] + m.span.text.split()[-1:])
    )
    if art.doc is None:
        return art
    from spacy.attrs import IDX

    tokens = art.doc
    art.token_starts = tokens.to_array(IDX).tolist()
    art.inside = [-1] * len(tokens)
    art.sentence_starts = [s.start for s in tokens.sents]
    for k, pair in enumerate(pairs):
        lo = art.token_at(pair.start)
        held = []
        for i in range(lo, len(tokens)):
            token = tokens[i]
            if token.idx >= pair.end:
                break
            if token.idx + len(token) <= pair.start or token.is_space:
                continue
            if MARK_RE.fullmatch(token.text) and not pair.start <= token.idx < pair.end:
                continue
            art.inside[i] = k
            held.append(i)
        art.content.append(held)
        art.marks.setdefault(art.token_at(pair.open_at), k)
        if pair.close_at < len(text) and pair.close_at >= pair.end:
            art.marks.setdefault(art.token_at(pair.close_at), k)
    return art
