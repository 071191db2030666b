"""Candidate mentions: spaCy's entity spans cleaned and repaired, non-names out, repeats added."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from analysis import lexicon
from analysis.extract import namecues
from analysis.extract.linking import PRIORITY, name_norm, plural_name
from analysis.extract.namecues import bare as _bare
from analysis.extract.namecues import titles as _titles
from analysis.extract.nameshapes import is_score, team_side, title_case_line, used_as_other
from analysis.nlp import doc_ents, doc_text

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from analysis.corpus import Article

LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
)

_OPENERS = "\"'“‘«‹([{`„‚"
_CLOSERS = "\"'”’»›)]}`"
_TRAIL_CHARS = _CLOSERS + ",;:!?*•|/\\-–—"
_DETERMINERS = frozenset({"the", "a", "an"})
# Labels of things that are made and sold, whose names are written in the plural.
_PRODUCT_LABELS = frozenset({"ORG", "PRODUCT", "FAC"})
# Words a name does not end on: "the Bay of" + "Biscay", "Ursula von der" + "Leyen" is one name.
_LINKS = frozenset(
    {"of", "and", "&", "for", "de", "du", "des", "del", "della", "da", "di", "do", "dos", "das"}
    | {"von", "van", "der", "den", "ter", "la", "le", "al", "el", "bin", "ibn", "ben"}
)
_FUNCTION_TAGS = frozenset({"DT", "PDT", "PRP$", "IN", "CC", "TO", "WDT", "POS", "RP"})
_POSSESSIVE = re.compile(r"(?<=\w)['’`´]s?$")
# The first part of an Irish or French surname, written with a stray space: "O' Leary", "D' Arcy".
_ELIDED_PREFIX = re.compile(r"[A-Z]['’]")


# -- lexicons ---------------------------------------------------------------------------------


@cache
def portfolios() -> frozenset[str]:
    """Words for the brief a title is for ('Competition', 'Defence', 'the Navy')."""
    return frozenset(lexicon.load("entities_titles")["portfolios"])


@cache
def aliases() -> dict[str, tuple[str, str]]:
    """Short form (normalised) -> (canonical name, type)."""
    return {
        name_norm(k): (v[0], v[1]) for k, v in lexicon.load("entities_places")["aliases"].items()
    }


@cache
def _word_list(key: str) -> frozenset[str]:
    return frozenset(lexicon.load("entities_names")[key])


# -- span cleaning ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """A cleaned mention before it is grouped into an entity."""

    start: int
    end: int
    text: str
    label: str
    sentence: str
    sentence_start: int
    vote: str  # the type this mention argues for: the label, or PERSON after a title


def _elided_end(tokens: list[Token]) -> bool:
    """A span ending on "O'" or "D'": the first part of a surname a stray space cut off."""
    last = tokens[-1]
    if _ELIDED_PREFIX.fullmatch(last.text):
        return True
    if last.text not in ("'", "’") or len(tokens) < 2:
        return False
    letter = tokens[-2]
    return len(letter.text) == 1 and letter.text.isupper() and not letter.whitespace_


def _runs_without_breaks(tokens: list[Token]) -> list[Token]:
    """The longest piece of a span between line breaks: a name never crosses a paragraph."""
    runs: list[list[Token]] = [[]]
    for token in tokens:
        if token.is_space or "\n" in token.text:
            runs.append([])
            continue
        runs[-1].append(token)
        if "\n" in token.whitespace_:
            runs.append([])
    return max(runs, key=lambda run: sum(len(t.text) for t in run if not t.is_punct))


def _sentence_initial(token: Token) -> bool:
    """At the start of its sentence, or only after opening punctuation."""
    doc = token.doc
    i = token.i
    while i > token.sent.start and (doc[i - 1].is_punct or doc[i - 1].is_space):
        i -= 1
    return i == token.sent.start


def _leading_junk(token: Token) -> bool:
    if token.is_space or token.is_punct:
        return True
    if token.lower_ in _DETERMINERS:
        # A capital "The" inside a sentence belongs to the name ("according to The Times").
        return not (token.text == "The" and not _sentence_initial(token))
    return token.text.islower() and token.tag_ in _FUNCTION_TAGS


def _trailing_junk(token: Token, tokens: list[Token]) -> bool:
    if token.is_space or token.tag_ == "POS" or name_norm(token.text) in {"'s", "'"}:
        return True
    if token.is_punct:
        opener = {")": "(", "]": "[", "}": "{"}.get(token.text)
        return opener is None or not any(t.text == opener for t in tokens)
    return token.text.islower() and token.tag_ in _FUNCTION_TAGS


def _strip_titles(tokens: list[Token]) -> list[Token]:
    """'President Donald Trump' -> 'Donald Trump'; only when a name follows the title."""
    titles, modifiers = _titles()
    cut = 0
    seen_title = False
    for index, token in enumerate(tokens[:-1]):
        word = _bare(token.text)
        if word in titles:
            seen_title = True
        elif word not in modifiers and not token.is_punct:
            break
        if seen_title and tokens[index + 1].text[:1].isupper():
            cut = index + 1
    rest = tokens[cut:]
    while rest and rest[0].is_punct:
        rest = rest[1:]
    return rest if rest else tokens


def _trim_tokens(tokens: list[Token], label: str) -> list[Token]:
    tokens = _runs_without_breaks(tokens)
    for k in range(len(tokens) - 1, 0, -1):
        if is_score(tokens[k:]):  # "Chelsea 2-1": the score is not part of the name
            tokens = tokens[:k]
            break
    while tokens and _leading_junk(tokens[0]):
        tokens = tokens[1:]
    while tokens and _trailing_junk(tokens[-1], tokens):
        tokens = tokens[:-1]
    if tokens and label == "PERSON":
        tokens = _strip_titles(tokens)
    return tokens


def _letters(tokens: Sequence[Token]) -> int:
    return sum(c.isalpha() for t in tokens for c in t.text)


def _pieces(doc: Doc) -> list[tuple[list[Token], str]]:
    """The model's entity spans, repaired where a span boundary is plainly wrong.

    Two spans touching without a space are one name ("Michael O'" + "Leary"); a number the
    parse attaches to a name's last word belongs to it ("Flight" 447, "iPad" 2); one span
    holding two names around a spaced dash or a comma ("San Jose - Cisco", "Long Beach,
    California") is two.
    """
    merged: list[tuple[list[Token], str]] = []
    in_name = [False] * len(doc)
    in_value = [False] * len(doc)  # dates, money...: "Steve Jobs 1955-2011" keeps its years
    for ent in doc_ents(doc):
        if ent.label_ not in LABELS:
            if ent.label_ != "CARDINAL":
                for i in range(ent.start, ent.end):
                    in_value[i] = True
            continue
        for i in range(ent.start, ent.end):
            in_name[i] = True
        tokens = list(ent)
        previous = merged[-1][0][-1] if merged else None
        if previous is not None and previous.i + 1 == ent.start and previous.lower_ in _LINKS:
            # "the Bay of" + "Biscay": a name does not end on "of"; the next one continues it.
            merged[-1] = (merged[-1][0] + tokens, merged[-1][1])
        elif (
            previous is not None
            and previous.i + 1 == ent.start
            and (not previous.whitespace_ or _elided_end(merged[-1][0]))
        ):
            before, label = merged[-1]
            merged[-1] = (
                before + tokens,
                label if _letters(before) >= _letters(tokens) else ent.label_,
            )
        else:
            merged.append((tokens, ent.label_))
    out: list[tuple[list[Token], str]] = []
    for tokens, label in merged:
        last = tokens[-1]
        if _elided_end(tokens) and last.i + 1 < len(doc):
            nxt = doc[last.i + 1]  # "Michael O' Leary": a spacing slip inside one surname
            if nxt.is_alpha and nxt.text[:1].isupper() and not in_name[nxt.i]:
                tokens = [*tokens, nxt]
        if label not in ("PERSON", "NORP"):
            tokens = _with_compound_head(tokens, in_name)
        last = tokens[-1]
        if last.i + 1 < len(doc) and last.whitespace_ == " ":
            number = doc[last.i + 1]
            if (
                number.text.isdigit()
                and len(number.text) <= 4
                and number.dep_ == "nummod"
                and number.head.i == last.i
                and not in_name[number.i]
                and not in_value[number.i]
                and not (number.i + 1 < len(doc) and doc[number.i + 1].text in "-–/")
            ):
                tokens = [*tokens, number]
        out.extend((piece, label) for piece in _split(tokens))
    return _with_titled_names(doc, out)


def titled_names(doc: Doc) -> list[tuple[int, int, int]]:
    """(link, start, end) token indices of a person named after a title and its portfolio.

    In "Commissioner for Competition Neelie Kroes" and "Undersecretary of the Air Force for
    Acquisition Darleen Druyun" the title runs up to a brief ('Competition', 'Acquisition')
    after 'for' or 'of'; the capitalised words after it are the person's name, of two to four
    words. Without a brief between ("a spokesman for John McCain") the name is not the title
    holder's, and nothing is found.
    """
    titles, modifiers = _titles()
    briefs = portfolios() | modifiers
    found: list[tuple[int, int, int]] = []
    n = len(doc)
    for link in range(1, n - 3):
        if doc[link].lower_ not in ("for", "of") or not _title_before(doc, link, titles):
            continue
        j = link + 1
        if doc[j].lower_ == "the":
            j += 1
        k = j
        while k < n and doc[k].is_alpha and _bare(doc[k].text) in briefs:
            k += 1
        if k == j:
            continue
        end = k
        while end < n and end - k < 4 and _name_word(doc[end], titles | briefs):
            end += 1
        if end - k >= 2 and not (end < n and doc[end].lower_ in ("of", "for")):
            found.append((link, k, end))
    return found


def _title_before(doc: Doc, link: int, titles: frozenset[str]) -> bool:
    """A title word opens the phrase before `link`, over capitalised words, 'the' and 'of'."""
    for i in range(link - 1, max(-1, link - 9), -1):
        token = doc[i]
        word = _bare(token.text)
        if word in titles:
            return True
        if not (token.text[:1].isupper() or word in ("the", "of", "and")) or not token.is_alpha:
            return False
    return False


def _name_word(token: Token, stop: frozenset[str]) -> bool:
    text = token.text
    return (
        text[:1].isupper()
        and any(c.islower() for c in text)
        and token.pos_ == "PROPN"
        and _bare(text) not in stop
    )


def _with_titled_names(
    doc: Doc, pieces: list[tuple[list[Token], str]]
) -> list[tuple[list[Token], str]]:
    """A title's brief is part of no name and the name after it is a person's: spans are cut
    at the title's 'for'/'of', and a name the model missed is added as a person."""
    named = titled_names(doc)
    if not named:
        return pieces
    briefs = portfolios() | _titles()[1]
    out = list(pieces)
    for link, start, end in named:
        kept: list[tuple[list[Token], str]] = []
        for tokens, label in out:
            lo, hi = tokens[0].i, tokens[-1].i + 1
            if hi == link and all(_bare(t.text) in briefs for t in tokens):
                continue  # "Secretary of State for Defence": 'State' is the title's
            if hi <= link or lo >= end:
                kept.append((tokens, label))
            elif lo < link:
                kept.append(([t for t in tokens if t.i < link], label))
        kept.append((list(doc[start:end]), "PERSON"))
        out = kept
    out.sort(key=lambda piece: piece[0][0].i)
    return out


def _with_compound_head(tokens: list[Token], in_name: list[bool]) -> list[Token]:
    """'Boeing' + 'Commercial Airplanes': the capitalised proper nouns the name modifies.

    Titles stop it: in "Apple CEO Steve Jobs" the company ends before "CEO"; so does a
    Title-Case headline, where every word is a capitalised proper noun to the parser.
    """
    doc = tokens[0].doc
    if title_case_line(doc_text(doc), tokens[0].idx):
        return tokens
    titles, modifiers = _titles()
    stop = titles | modifiers
    j = tokens[-1].i + 1
    while (
        j < len(doc)
        and not in_name[j]
        and doc[j - 1].whitespace_ == " "
        and doc[j].pos_ == "PROPN"
        and doc[j].text[:1].isupper()
        and _bare(doc[j].text) not in stop
    ):
        j += 1
    extra = list(doc[tokens[-1].i + 1 : j])
    if extra and tokens[-1].dep_ == "compound" and tokens[-1].head in extra:
        return [*tokens, *extra]
    return tokens


def _split(tokens: list[Token]) -> list[list[Token]]:
    """Cut a span at a spaced dash or a comma that separates two names."""
    suffixes = _word_list("org_suffixes")
    has_list = any(t.lower_ in ("and", "&") for t in tokens)
    for k, token in enumerate(tokens[1:-1], start=1):
        left, right = tokens[:k], tokens[k + 1 :]
        if token.text in "([":  # "Federal Bureau of Investigation (FBI)": a name and its short form
            return [*_split(left), *_split(right)]
        spaced = bool(token.whitespace_) and bool(tokens[k - 1].whitespace_)
        if token.text in ("-", "–", "—", "--") and spaced:
            if max(len(left), len(right)) >= 2:
                return [*_split(left), *_split(right)]
        elif token.text == "," and token.whitespace_ and not has_list:
            first = right[0]
            if first.text[:1].isupper() and _bare(first.text) not in suffixes | {"jr", "sr"}:
                return [*_split(left), *_split(right)]
    return [tokens]


def _trim_chars(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop quote marks, brackets and a possessive the tokenizer left on the edges."""
    while start < end:
        piece = text[start:end]
        if piece[0] in _OPENERS and not _balanced_close(piece, piece[0]):
            start += 1
        elif piece[-1] in _TRAIL_CHARS and not _balanced_open(piece, piece[-1]):
            end -= 1
        elif piece[-1].isspace() or piece[0].isspace():
            start, end = (start + 1, end) if piece[0].isspace() else (start, end - 1)
        else:
            match = _POSSESSIVE.search(piece)
            word = piece[: match.start()].split()[-1] if match and piece[: match.start()] else ""
            if match and len(word) >= 2:  # "Jobs'" is possessive; "O'" in "O' Leary" is not
                end = start + match.start()
                continue
            break
    return start, end


def _balanced_close(piece: str, opener: str) -> bool:
    pairs = {"(": ")", "[": "]", "{": "}", "“": "”", "‘": "’", "«": "»", "‹": "›"}
    closer = pairs.get(opener)
    return closer is not None and closer in piece[1:]


def _balanced_open(piece: str, closer: str) -> bool:
    pairs = {")": "(", "]": "[", "}": "{", "”": "“", "»": "«", "›": "‹"}
    opener = pairs.get(closer)
    if opener is not None:
        return opener in piece[:-1]
    # "O'Reilly'" is a name and a stray mark; "Jobs'" is a possessive: neither keeps the mark.
    return False


def _looks_like_name(text: str, label: str) -> bool:
    """General rules for what cannot be a name, whatever the model said."""
    if len(text) < 2 or not any(c.isalpha() for c in text):
        return False  # punctuation, digits, a stray letter
    cased = [c for c in text if c.isupper() or c.islower()]
    if cased and not any(c.isupper() for c in cased):
        return False  # "democratic", "antenna": a name has a capital somewhere
    words = text.split()
    pronouns = _word_list("pronouns")
    if all(name_norm(w) in pronouns for w in words) and not (text.isupper() and len(text) > 1):
        return False
    return label in LABELS


def only_titles(text: str) -> bool:
    titles, modifiers = _titles()
    words = [_bare(w) for w in text.split()]
    return any(w in titles for w in words) and all(w in titles or w in modifiers for w in words)


def candidates(doc: Doc, article: Article) -> list[Candidate]:
    """spaCy's entities of the wanted labels, cleaned, as candidates in text order."""
    text = article.text
    out: list[Candidate] = []
    # Surnames of the people the model found by full name: "the Smiths" is John Smith's family.
    surnames = {
        ent[-1].text.casefold() for ent in doc_ents(doc) if ent.label_ == "PERSON" and len(ent) >= 2
    }
    for piece, label in _pieces(doc):
        tokens = _trim_tokens(piece, label)
        if not tokens:
            continue
        start, end = _trim_chars(text, tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))
        name = text[start:end]
        if end <= start or not _looks_like_name(name, label):
            continue
        if (
            len(tokens) == 1
            and namecues.counted_unit(tokens[0])
            and name_norm(name) not in aliases()
        ):
            continue
        if used_as_other(tokens, label, name, text, start, surnames):
            continue
        sent = tokens[0].sent
        # "who" is only trusted for one word: the parse often hangs it on the wrong noun.
        person = namecues.after_title(tokens[0]) or (
            len(tokens) == 1 and (namecues.before_who(tokens[0]) or namecues.says_he(tokens[0]))
        )
        vote = label
        if label != "NORP" and person:
            vote = "PERSON"
        elif label in ("GPE", "LOC") and team_side(tokens):
            vote = "ORG"  # a club or a national team in a match report
        elif label == "PERSON" and (
            namecues.affiliation(tokens, surnames) or namecues.group_plural(tokens)
        ):
            # "Ryanair chief Michael O'Leary": the company a person leads; "the Beatles": a
            # band (a family of the article's people is dropped above, `used_as_other`).
            vote = "ORG"
        elif label != "NORP" and namecues.before_place(tokens[-1]):
            vote = "GPE"
        # the article's text is the doc's (checked by the caller): a slice, not a token join
        sentence = text[sent.start_char : sent.end_char]
        out.append(Candidate(start, end, name, label, sentence, sent.start_char, vote))
    return out


def repeats(doc: Doc, found: list[Candidate]) -> list[Candidate]:
    """Untagged repeats of names the article already uses, and bare surnames of its people.

    The model often misses the third "Lukashenko" it tagged twice; one article uses one name
    for one thing, so an exact, capitalised, proper-noun repeat is a mention too.
    """
    if not found:
        return []
    labels: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    taken = [False] * len(doc)  # inside any entity of the model's, or a name found already
    for ent in doc_ents(doc):
        for i in range(ent.start, ent.end):
            taken[i] = True
    for cand in found:
        span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
        if span is None:
            continue
        for i in range(span.start, span.end):
            taken[i] = True
        form = tuple(t.text for t in span)
        labels[form][cand.vote] += 1
        if cand.vote == "PERSON" and len(form) >= 2 and form[-1][:1].isupper():
            labels[form[-1:]]["PERSON"] += 0  # a surname: known, though not written alone
    surnames = {form[-1].casefold() for form, c in labels.items() if c["PERSON"] and len(form) > 1}
    forms: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    plurals: set[tuple[str, ...]] = set()  # a product's plural is a name whatever its tag
    for form, counter in labels.items():
        camel = form[0][:1].islower() and form[0][1:2].isupper()  # "iPod": only its plural
        if not any(c.isalpha() for c in "".join(form)) or not (form[0][:1].isupper() or camel):
            continue
        label = max(counter, key=lambda lab: (counter[lab], -PRIORITY.index(lab)))
        if label == "NORP":
            continue  # demonyms are adjectives too often to repeat blindly
        if not camel:
            forms[form[0]].append((form, label))
        # "20 more A380s", "10 million iPods": the model tags the singular and misses these.
        whole = plural_name(" ".join(form)) if label in _PRODUCT_LABELS else None
        if whole is not None:
            plural = (*form[:-1], whole.rsplit(" ", 1)[-1])
            forms[plural[0]].append((plural, label))
            plurals.add(plural)
    for options in forms.values():
        options.sort(key=lambda item: -len(item[0]))
    text = doc_text(doc)
    words = [t.text for t in doc]  # read once: most tokens start no known form
    out: list[Candidate] = []
    i = 0
    while i < len(doc):
        if taken[i] or words[i] not in forms:
            i += 1
            continue
        token = doc[i]
        matched = 0
        for form, label in forms[words[i]]:
            n = len(form)
            window = doc[i : i + n]
            if len(window) != n or any(taken[j] for j in range(i, i + n)):
                continue
            if tuple(words[i : i + n]) != form:
                continue
            before = doc[i - 1] if i > 0 else None
            after = doc[i + n] if i + n < len(doc) else None
            if _part_of_longer_name(before) or _part_of_longer_name(after):
                continue
            if n == 1 and token.pos_ != "PROPN" and form not in plurals:
                continue
            start, end = window.start_char, window.end_char
            sent = token.sent
            sentence = text[sent.start_char : sent.end_char]  # the sentence's text, sliced
            vote = label
            if label == "PERSON" and namecues.affiliation(list(window), surnames):
                vote = "ORG"  # "Ryanair chief Michael O'Leary", the model's tag or not
            out.append(
                Candidate(start, end, text[start:end], label, sentence, sent.start_char, vote)
            )
            matched = n
            break
        i += matched or 1
    return out


def extend_to_known(doc: Doc, found: list[Candidate]) -> list[Candidate]:
    """A span the model cut short of a longer name the article uses gets that name back.

    "Apple Computer's iTunes Music Store": tagged "Music Store" here and "iTunes Music Store"
    elsewhere, so the untagged "iTunes" before it belongs to the name.
    """
    spans = [doc.char_span(c.start, c.end, alignment_mode="expand") for c in found]
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for cand, span in zip(found, spans, strict=True):
        if span is not None and len(span) >= 2:
            votes[tuple(t.text for t in span)][cand.vote] += 1
    by_last: dict[str, list[tuple[str, ...]]] = defaultdict(list)
    for form in votes:
        by_last[form[-1]].append(form)
    if not by_last:
        return found
    taken = [False] * len(doc)
    for ent in doc_ents(doc):
        for i in range(ent.start, ent.end):
            taken[i] = True
    out: list[Candidate] = []
    for cand, span in zip(found, spans, strict=True):
        best = cand
        if span is not None:
            words = tuple(t.text for t in span)
            for form in sorted(by_last.get(words[-1], ()), key=len, reverse=True):
                k = len(form) - len(words)
                if k <= 0 or form[k:] != words or span.start - k < span.sent.start:
                    continue
                before = doc[span.start - k : span.start]
                if any(taken[t.i] for t in before) or tuple(t.text for t in before) != form[:k]:
                    continue
                counter = votes[form]
                vote = max(counter, key=lambda lab: (counter[lab], -PRIORITY.index(lab)))
                start = before.start_char
                best = Candidate(
                    start, cand.end, doc_text(doc)[start : cand.end], cand.label,
                    cand.sentence, cand.sentence_start, vote,
                )  # fmt: skip
                break
        out.append(best)
    return out


def _part_of_longer_name(token: Token | None) -> bool:
    return token is not None and token.pos_ == "PROPN" and token.text[:1].isupper()
