"""A quote's kind: `title` (a name, scare quote), `partial` (in the writer's words) or `direct`."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from analysis.extract.quotecues import quote_lexicon, subject_of
from analysis.extract.quotemarks import MARK_RE, QuoteMap

if TYPE_CHECKING:
    from spacy.tokens import Token

# Words a title leaves in lower case ("One Hundred Years of Solitude").
_SMALL_WORDS = frozenset(
    {"a", "an", "and", "as", "at", "by", "de", "del", "du", "for", "from", "in", "la", "le"}
    | {"of", "on", "or", "the", "to", "van", "von", "with"}
)
SET_OFF = (",", ":", ";", "—", "–", "-")
# A lead made only of a conjunction: the quote is coordinated with the one before.
COORDINATED = re.compile(r"[\s,;]*(?:and|or|but|nor|as well as)[\s,;]*", re.IGNORECASE)


def lead_of(art: QuoteMap, k: int) -> str:
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


def kind_of(art: QuoteMap, k: int, lead: str, cue: Token | None, steps: int, naming: bool) -> str:
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
    embedded = has_lead and not lead_s.endswith(SET_OFF)
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
            subject = subject_of(art, cue)
            if subject is not None and art.inside[subject.i] == k:
                return "title"  # the quoted words are who speaks ('quotes a "Senate aide"')
    if not has_lead:
        return "direct"
    if lead_s.endswith(SET_OFF):
        if re.search(r"\bthat\s*,$", lead_lower):
            return "direct" if upper else "partial"
        return "direct"
    if re.search(r"\bthat$", lead_lower):
        return "partial"
    return "direct" if upper and clause else "partial"


def _named_by_lead(lead_lower: str) -> bool:
    """Whether the lead ends in words that introduce a name ('so-called', 'the slogan')."""
    lex = quote_lexicon()
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
