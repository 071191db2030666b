"""Entity mentions from the shared parse, aliases merged within an article and across the corpus.

`extract_mentions` cleans spaCy's entity spans (no leading "the", no possessive, no titles),
drops what cannot be a name, adds untagged repeats of names the article already uses, then
groups the article's mentions into entities (surnames to full names, acronyms and short forms to
long forms) and gives each entity one type. `link_corpus` (linking.py) merges the articles'
entities across the corpus through hash indexes, so its cost grows with the number of entities,
not its square.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from analysis.extract.linking import (
    PRIORITY,
    UnionFind,
    acronym_letters,
    name_initials,
    name_norm,
    name_words,
    org_key,
)
from analysis.extract.linking import CorpusEntity as CorpusEntity
from analysis.extract.linking import DocEntity as DocEntity
from analysis.extract.linking import entity_id as entity_id
from analysis.extract.linking import link_corpus as link_corpus
from analysis.records import EntityKey, Mention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

    from analysis.corpus import Article

VERSION = "2"

LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART"}
)

_LEXICONS = Path(__file__).resolve().parent.parent / "lexicons"
_OPENERS = "\"'“‘«‹([{`„‚"
_CLOSERS = "\"'”’»›)]}`"
_TRAIL_CHARS = _CLOSERS + ",;:!?*•|/\\-–—"
_DETERMINERS = frozenset({"the", "a", "an"})
# Words a name does not end on: "the Bay of" + "Biscay", "Ursula von der" + "Leyen" is one name.
_LINKS = frozenset(
    {"of", "and", "&", "for", "de", "du", "des", "del", "della", "da", "di", "do", "dos", "das"}
    | {"von", "van", "der", "den", "ter", "la", "le", "al", "el", "bin", "ibn", "ben"}
)
_FUNCTION_TAGS = frozenset({"DT", "PDT", "PRP$", "IN", "CC", "TO", "WDT", "POS", "RP"})
_POSSESSIVE = re.compile(r"(?<=\w)['’`´]s?$")
_SPACES = re.compile(r"\s+")


# -- lexicons ---------------------------------------------------------------------------------


@cache
def _lexicon(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((_LEXICONS / f"entities_{name}.json").read_text("utf-8"))
    return data


@cache
def _titles() -> tuple[frozenset[str], frozenset[str]]:
    """(titles, modifiers): words that go before a name without being part of it."""
    data = _lexicon("titles")
    return frozenset(data["titles"]), frozenset(data["modifiers"])


@cache
def _aliases() -> dict[str, tuple[str, str]]:
    """Short form (normalised) -> (canonical name, type)."""
    return {name_norm(k): (v[0], v[1]) for k, v in _lexicon("places")["aliases"].items()}


@cache
def _countries() -> frozenset[str]:
    return frozenset(name_norm(c) for c in _lexicon("places")["countries"])


@cache
def _word_list(key: str) -> frozenset[str]:
    return frozenset(_lexicon("names")[key])


# -- span cleaning ----------------------------------------------------------------------------


def _bare(word: str) -> str:
    """A word without dots, for title and acronym lookups ('Sen.' -> 'sen')."""
    return word.replace(".", "").casefold()


@dataclass(frozen=True, slots=True)
class _Candidate:
    """A cleaned mention before it is grouped into an entity."""

    start: int
    end: int
    text: str
    label: str
    sentence: str
    sentence_start: int
    vote: str  # the type this mention argues for: the label, or PERSON after a title


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
    for ent in doc.ents:
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
        elif previous is not None and previous.i + 1 == ent.start and not previous.whitespace_:
            before, label = merged[-1]
            merged[-1] = (
                before + tokens,
                label if _letters(before) >= _letters(tokens) else ent.label_,
            )
        else:
            merged.append((tokens, ent.label_))
    out: list[tuple[list[Token], str]] = []
    for tokens, label in merged:
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
    return out


def _with_compound_head(tokens: list[Token], in_name: list[bool]) -> list[Token]:
    """'Boeing' + 'Commercial Airplanes': the capitalised proper nouns the name modifies.

    Titles stop it: in "Apple CEO Steve Jobs" the company ends before "CEO".
    """
    doc = tokens[0].doc
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


def _only_titles(text: str) -> bool:
    titles, modifiers = _titles()
    words = [_bare(w) for w in text.split()]
    return any(w in titles for w in words) and all(w in titles or w in modifiers for w in words)


def _candidates(doc: Doc, article: Article) -> list[_Candidate]:
    """spaCy's entities of the wanted labels, cleaned, as candidates in text order."""
    text = article.text
    out: list[_Candidate] = []
    for piece, label in _pieces(doc):
        tokens = _trim_tokens(piece, label)
        if not tokens:
            continue
        start, end = _trim_chars(text, tokens[0].idx, tokens[-1].idx + len(tokens[-1].text))
        name = text[start:end]
        if end <= start or not _looks_like_name(name, label):
            continue
        if len(tokens) == 1 and _counted_unit(tokens[0]) and name_norm(name) not in _aliases():
            continue
        sent = tokens[0].sent
        # "who" is only trusted for one word: the parse often hangs it on the wrong noun.
        person = _after_title(tokens[0]) or (len(tokens) == 1 and _before_who(tokens[0]))
        vote = label
        if label != "NORP" and person:
            vote = "PERSON"
        elif label != "NORP" and _before_place(tokens[-1]):
            vote = "GPE"
        # the article's text is the doc's (checked by the caller): a slice, not a token join
        sentence = text[sent.start_char : sent.end_char]
        out.append(_Candidate(start, end, name, label, sentence, sent.start_char, vote))
    return out


def _repeats(doc: Doc, found: list[_Candidate]) -> list[_Candidate]:
    """Untagged repeats of names the article already uses, and bare surnames of its people.

    The model often misses the third "Lukashenko" it tagged twice; one article uses one name
    for one thing, so an exact, capitalised, proper-noun repeat is a mention too.
    """
    if not found:
        return []
    labels: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    taken = [False] * len(doc)  # inside any entity of the model's, or a name found already
    for ent in doc.ents:
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
    forms: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for form, counter in labels.items():
        if not any(c.isalpha() for c in "".join(form)) or not form[0][:1].isupper():
            continue
        label = max(counter, key=lambda lab: (counter[lab], -PRIORITY.index(lab)))
        if label == "NORP":
            continue  # demonyms are adjectives too often to repeat blindly
        forms[form[0]].append((form, label))
    for options in forms.values():
        options.sort(key=lambda item: -len(item[0]))
    text = doc.text
    words = [t.text for t in doc]  # read once: most tokens start no known form
    out: list[_Candidate] = []
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
            if n == 1 and token.pos_ != "PROPN":
                continue
            start, end = window.start_char, window.end_char
            sent = token.sent
            sentence = text[sent.start_char : sent.end_char]  # the sentence's text, sliced
            out.append(
                _Candidate(start, end, text[start:end], label, sentence, sent.start_char, label)
            )
            matched = n
            break
        i += matched or 1
    return out


def _extend_to_known(doc: Doc, found: list[_Candidate]) -> list[_Candidate]:
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
    for ent in doc.ents:
        for i in range(ent.start, ent.end):
            taken[i] = True
    out: list[_Candidate] = []
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
                best = _Candidate(
                    start, cand.end, doc.text[start : cand.end], cand.label,
                    cand.sentence, cand.sentence_start, vote,
                )  # fmt: skip
                break
        out.append(best)
    return out


def _after_title(token: Token) -> bool:
    """Right after a capitalised title: "Chancellor Olaf Scholz" is a person whatever the tag."""
    if token.i == 0 or any(c.isdigit() for c in token.text):
        return False
    before = token.doc[token.i - 1]
    return before.text[:1].isupper() and _bare(before.text) in _titles()[0]


def _counted_unit(token: Token) -> bool:
    """A short word a number counts is a unit, whatever the tag: "16 GB", "3 GHz"."""
    if token.i == 0 or len(token.text) > 4:
        return False
    number = token.doc[token.i - 1]
    return number.like_num and number.dep_ == "nummod" and number.head.i == token.i


def _before_place(token: Token) -> bool:
    """Followed by a comma and a place: "Toulouse, France" and "Long Beach, California"."""
    doc = token.doc
    i = token.i + 2
    if i >= len(doc) or doc[i - 1].text != "," or doc[i].ent_iob_ != "B":
        return False
    if doc[i].ent_type_ != "GPE":
        return False
    j = i + 1
    while j < len(doc) and doc[j].ent_iob_ == "I":
        j += 1
    return j >= len(doc) or doc[j].tag_ != "POS"  # "Smith, France's envoy" is not a place


def _before_who(token: Token) -> bool:
    """Followed by "who": "Smith, who declined to give his first name" is a person."""
    doc = token.doc
    i = token.i + 1
    if i < len(doc) and doc[i].text == ",":
        i += 1
    if i >= len(doc) or doc[i].lower_ not in ("who", "whom"):
        return False
    clause = doc[i].head  # the relative clause must hang on this name, not on one before it
    return clause.dep_ == "relcl" and clause.head.i == token.i


def _part_of_longer_name(token: Token | None) -> bool:
    return token is not None and token.pos_ == "PROPN" and token.text[:1].isupper()


# -- grouping within one article --------------------------------------------------------------


@dataclass
class _Form:
    """One written form of a name in an article, with the labels the model gave it."""

    key: tuple[str, tuple[str, ...]]  # (class, words): class P person, N norp, X other
    text: str  # as first written
    labels: Counter[str]
    first: int  # offset of its first mention
    alias: tuple[str, str] | None  # (canonical, type) from the short-forms lexicon

    @property
    def person_share(self) -> float:
        return self.labels["PERSON"] / max(1, sum(self.labels.values()))


def _form_key(text: str, label: str) -> tuple[str, tuple[str, ...]]:
    words = name_words(text)
    if label == "NORP":
        return ("N", words)
    if label == "PERSON":
        return ("P", words)
    return ("X", org_key(words))


def _group(cands: list[_Candidate]) -> list[EntityKey]:
    """The entity of each candidate: aliases merged, one name and one type per entity."""
    by_text: dict[str, Counter[str]] = defaultdict(Counter)
    for cand in cands:
        by_text[name_norm(cand.text)][cand.vote] += 1
    forms: dict[tuple[str, tuple[str, ...]], _Form] = {}
    cand_form: list[tuple[str, tuple[str, ...]]] = []
    for cand in cands:
        norm = name_norm(cand.text)
        counter = by_text[norm]
        label = max(counter, key=lambda lab: (counter[lab], -PRIORITY.index(lab)))
        alias = _aliases().get(norm) if label != "NORP" else None
        key = ("X", name_words(alias[0])) if alias else _form_key(cand.text, label)
        form = forms.get(key)
        if form is None:
            form = forms[key] = _Form(key, cand.text, Counter(), cand.start, alias)
        form.labels[cand.vote] += 1
        cand_form.append(key)

    uf = UnionFind()
    for key in forms:
        uf.find(key)
    person_choice = _link_people(forms, cands, cand_form, uf)
    _link_acronyms(forms, uf)

    clusters: dict[Any, list[int]] = defaultdict(list)
    for index, key in enumerate(cand_form):
        root = uf.find(person_choice.get(index, key))
        clusters[root].append(index)
    keys: list[EntityKey | None] = [None] * len(cands)
    for members in clusters.values():
        entity = _entity_of([cands[i] for i in members], [forms[cand_form[i]] for i in members])
        for i in members:
            keys[i] = entity
    return [k for k in keys if k is not None]


def _is_anchor(form: _Form) -> bool:
    """A full personal name: two or more words the model calls a person."""
    return form.key[0] == "P" and len(form.key[1]) >= 2 and form.alias is None


def _link_people(
    forms: dict[tuple[str, tuple[str, ...]], _Form],
    cands: list[_Candidate],
    cand_form: list[tuple[str, tuple[str, ...]]],
    uf: UnionFind,
) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Surnames, given names and shorter variants to the full name; returns per-mention picks.

    A surname shared by two full names in the article goes to the one mentioned last before it.
    """
    anchors = [f for f in forms.values() if _is_anchor(f)]
    suffixes: dict[tuple[str, ...], set[tuple[str, tuple[str, ...]]]] = defaultdict(set)
    given: dict[str, set[tuple[str, tuple[str, ...]]]] = defaultdict(set)
    first_last: dict[tuple[str, str], set[tuple[str, tuple[str, ...]]]] = defaultdict(set)
    for form in anchors:
        words = form.key[1]
        for k in range(1, len(words)):
            suffixes[words[k:]].add(form.key)
        given[words[0]].add(form.key)
        first_last[(words[0], words[-1])].add(form.key)
    countries = _countries()
    picks: dict[int, tuple[str, tuple[str, ...]]] = {}
    for form in forms.values():
        kind, words = form.key
        if kind == "N" or form.alias is not None or " ".join(words) in countries:
            continue
        if _is_anchor(form) and len(words) == 2:
            # "Barack Obama" -> "Barack Hussein Obama" when only one such longer name exists.
            longer = {k for k in first_last[(words[0], words[-1])] if len(k[1]) > 2}
            if len(longer) == 1:
                uf.union(next(iter(longer)), form.key)
                continue
        targets = {k for k in suffixes.get(words, ()) if k != form.key}
        if not targets and kind == "P" and len(words) == 1:
            targets = given.get(words[0], set()) - {form.key}
        if not targets:
            continue
        # "Trump" tagged ORG twice and PERSON once is still the article's Donald Trump, and so
        # is a surname used after the full name was introduced (news style); a company named
        # after its founder, tagged ORG throughout and named before him, stays apart.
        introduced = all(forms[t].first < form.first for t in targets)
        if not (
            kind == "P" or form.person_share >= 1 / 3 or form.labels.total() <= 2 or introduced
        ):
            continue
        if len(targets) == 1:
            uf.union(next(iter(targets)), form.key)
            continue
        for index, key in enumerate(cand_form):
            if key == form.key:
                pick = _last_before(targets, cands, cand_form, cands[index].start)
                if pick is not None:
                    picks[index] = pick
    return picks


def _last_before(
    targets: set[tuple[str, tuple[str, ...]]],
    cands: list[_Candidate],
    cand_form: list[tuple[str, tuple[str, ...]]],
    offset: int,
) -> tuple[str, tuple[str, ...]] | None:
    best: tuple[int, tuple[str, tuple[str, ...]]] | None = None
    for cand, key in zip(cands, cand_form, strict=True):
        if key in targets and cand.start < offset and (best is None or cand.start > best[0]):
            best = (cand.start, key)
    return best[1] if best else None


def _link_acronyms(forms: dict[tuple[str, tuple[str, ...]], _Form], uf: UnionFind) -> None:
    """'EU' -> 'European Union': an acronym joins the one long name with those initials."""
    by_initials: dict[str, set[tuple[str, tuple[str, ...]]]] = defaultdict(set)
    for form in forms.values():
        if form.key[0] == "X" and len(form.key[1]) >= 2:
            for initials in name_initials(form.text):
                by_initials[initials].add(uf.find(form.key))
    for form in forms.values():
        letters = acronym_letters(form.text) if form.key[0] == "X" and form.alias is None else None
        if letters is None:
            continue
        roots = by_initials.get(letters, set()) - {uf.find(form.key)}
        if len(roots) == 1:
            uf.union(next(iter(roots)), form.key)


def _entity_of(members: list[_Candidate], member_forms: list[_Form]) -> EntityKey:
    """Canonical name (fullest form, or the lexicon's) and one type for a cluster."""
    alias = next((f.alias for f in member_forms if f.alias is not None), None)
    if alias is not None:
        return EntityKey(alias[0], alias[1])
    fullest = max(members, key=lambda c: (len(c.text.split()), len(c.text), -c.start))
    name = _SPACES.sub(" ", fullest.text)
    if any(_is_anchor(f) for f in member_forms):
        return EntityKey(name, "PERSON")
    votes = Counter(c.vote for c in members)
    type_ = max(votes, key=lambda lab: (votes[lab], -PRIORITY.index(lab)))
    if name_norm(name) in _countries() and type_ != "NORP":
        type_ = "GPE"
    return EntityKey(name, type_)


# -- the article ------------------------------------------------------------------------------


def extract_mentions(doc: Doc, article: Article) -> list[Mention]:
    """Mentions of named entities in `doc`, each keyed to its entity within the article."""
    if doc.text != article.text:
        return []  # offsets would not index the article: better no mentions than wrong ones
    found = _candidates(doc, article)
    surnames = {
        name_norm(c.text.split()[-1]) for c in found if c.vote == "PERSON" and " " in c.text
    }
    found = [c for c in found if not _only_titles(c.text) or name_norm(c.text) in surnames]
    found = _extend_to_known(doc, found)
    cands = sorted([*found, *_repeats(doc, found)], key=lambda c: c.start)
    keys = _group(cands)
    return [
        Mention(
            article.doc_id,
            Span(c.start, c.end, c.text, c.sentence, c.sentence_start),
            key,
            c.label,
        )
        for c, key in zip(cands, keys, strict=True)
    ]


def sentence_entities(mentions: Sequence[Mention], start: int, end: int) -> tuple[EntityKey, ...]:
    """Distinct entities mentioned between `start` and `end`, in order of first mention."""
    seen: dict[EntityKey, None] = {}
    for mention in mentions:
        if mention.span.start >= start and mention.span.end <= end:
            seen.setdefault(mention.entity, None)
    return tuple(seen)
