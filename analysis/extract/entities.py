"""Entity mentions from the shared parse, aliases merged within an article and across the corpus.

`extract_mentions` cleans spaCy's entity spans (no leading "the", no possessive, no titles),
drops what cannot be a name (namespans.py, nameshapes.py), cuts headline words off the names
the article uses, adds untagged repeats of names the article already uses, then groups the
article's mentions into entities (surnames to full names, acronyms and short forms to long
forms) and gives each entity one type. `link_corpus`
(linking.py) merges the articles' entities across the corpus through hash indexes, so its cost
grows with the number of entities, not its square.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from analysis import lexicon
from analysis.extract.linking import (
    PRIORITY,
    UnionFind,
    acronym_letters,
    first_last,
    has_legal_form,
    name_initials,
    name_norm,
    name_words,
    org_key,
    short_forms,
    singular_name,
)
from analysis.extract.linking import CorpusEntity as CorpusEntity
from analysis.extract.linking import DocEntity as DocEntity
from analysis.extract.linking import entity_id as entity_id
from analysis.extract.linking import link_corpus as link_corpus
from analysis.extract.nameshapes import title_case_line
from analysis.extract.namespans import LABELS as LABELS
from analysis.extract.namespans import (
    Candidate,
    aliases,
    candidates,
    extend_to_known,
    only_titles,
    repeats,
)
from analysis.nlp import doc_text
from analysis.records import EntityKey, Mention, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from analysis.corpus import Article

VERSION = "6"

_SPACES = re.compile(r"\s+")
_ELIDED_SPACE = re.compile(r"(?<=\b[A-Za-z])(['’]) (?=[A-Z])")


@cache
def _countries() -> frozenset[str]:
    return frozenset(name_norm(c) for c in lexicon.load("entities_places")["countries"])


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


# A mention whose grammar says its type (a title before it, a role after it, a match report)
# outweighs this many the model merely tagged: a cue is evidence, a tag a guess.
CUE_WEIGHT = 10


def weight(cand: Candidate) -> int:
    """How much a mention's vote counts toward its name's type."""
    return CUE_WEIGHT if cand.vote != cand.label else 1


def _group(cands: list[Candidate]) -> list[EntityKey]:
    """The entity of each candidate: aliases merged, one name and one type per entity."""
    by_text: dict[str, Counter[str]] = defaultdict(Counter)
    for cand in cands:
        by_text[name_norm(cand.text)][cand.vote] += weight(cand)
    forms: dict[tuple[str, tuple[str, ...]], _Form] = {}
    cand_form: list[tuple[str, tuple[str, ...]]] = []
    for cand in cands:
        norm = name_norm(cand.text)
        counter = by_text[norm]
        label = max(counter, key=lambda lab: (counter[lab], -PRIORITY.index(lab)))
        alias = aliases().get(norm) if label != "NORP" else None
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
    _link_introduced(cands, cand_form, forms, uf)
    _link_short_forms(forms, cands, cand_form, uf)
    _link_plurals(forms, uf)

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
    cands: list[Candidate],
    cand_form: list[tuple[str, tuple[str, ...]]],
    uf: UnionFind,
) -> dict[int, tuple[str, tuple[str, ...]]]:
    """Surnames, given names and shorter variants to the full name; returns per-mention picks.

    A surname shared by two full names in the article goes to the one mentioned last before it.
    """
    anchors = [f for f in forms.values() if _is_anchor(f)]
    suffixes: dict[tuple[str, ...], set[tuple[str, tuple[str, ...]]]] = defaultdict(set)
    given: dict[str, set[tuple[str, tuple[str, ...]]]] = defaultdict(set)
    given_last: dict[tuple[str, str], set[tuple[str, tuple[str, ...]]]] = defaultdict(set)
    for form in anchors:
        words = form.key[1]
        for k in range(1, len(words)):
            suffixes[words[k:]].add(form.key)
        given[words[0]].add(form.key)
        given_last[first_last(words)].add(form.key)
    countries = _countries()
    picks: dict[int, tuple[str, tuple[str, ...]]] = {}
    for form in forms.values():
        kind, words = form.key
        if kind == "N" or form.alias is not None or " ".join(words) in countries:
            continue
        if _is_anchor(form) and len(words) == 2:
            # "Barack Obama" -> "Barack Hussein Obama" when only one such longer name exists.
            longer = {k for k in given_last[first_last(words)] if len(k[1]) > 2}
            if len(longer) == 1:
                uf.union(next(iter(longer)), form.key)
                continue
        targets = {k for k in suffixes.get(words, ()) if k != form.key}
        if not targets and kind == "P" and len(words) == 1:
            targets = given.get(words[0], set()) - {form.key}
            if len(targets) > 1:
                # "Steve" after Steve Jobs and Steve Ballmer is the one the article is about
                # (named at least twice as often as the others together), else neither.
                leader = _dominant(targets, forms)
                if leader is None:
                    continue
                targets = {leader}
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


def _dominant(
    targets: set[tuple[str, tuple[str, ...]]], forms: dict[tuple[str, tuple[str, ...]], _Form]
) -> tuple[str, tuple[str, ...]] | None:
    """The person of `targets` the article names (in full or by surname) at least twice as
    often as all the others together; None when none does."""

    def named(key: tuple[str, tuple[str, ...]]) -> int:
        kind, words = key
        return sum(
            forms[(kind, words[k:])].labels.total()
            for k in range(len(words))
            if (kind, words[k:]) in forms
        )

    counts = {key: named(key) for key in targets}
    leader = max(sorted(counts), key=lambda key: counts[key])
    rest = sum(n for key, n in counts.items() if key != leader)
    return leader if counts[leader] >= 2 * rest and counts[leader] > rest else None


def _last_before(
    targets: set[tuple[str, tuple[str, ...]]],
    cands: list[Candidate],
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


def _link_short_forms(
    forms: dict[tuple[str, tuple[str, ...]], _Form],
    cands: list[Candidate],
    cand_form: list[tuple[str, tuple[str, ...]]],
    uf: UnionFind,
) -> None:
    """'Air Force' after 'United States Air Force', 'Apple' after 'Apple Computer': an
    organisation written with the last words of a longer name the article gave before, or its
    first words without what the company does (`short_forms`), is that name when one such
    name fits ('Air Force' beside the Royal and the United States Air Force stays apart).

    Both are organisations to the model; a place ('New York' of 'New York Times') is no
    short form, nor a name the article also writes with its legal form ('Apple Inc.' beside
    'Apple Corps' is the company's full name, not a short form of the other).
    """
    legal = {
        key
        for cand, key in zip(cands, cand_form, strict=True)
        if key[0] == "X" and has_legal_form(name_words(cand.text))
    }
    countries = _countries()

    def is_org(form: _Form) -> bool:
        return (
            form.key[0] == "X"
            and form.alias is None
            and form.labels.most_common(1)[0][0] == "ORG"
            and " ".join(form.key[1]) not in countries
        )

    longer: dict[tuple[str, ...], set[tuple[str, tuple[str, ...]]]] = defaultdict(set)
    for form in forms.values():
        if is_org(form):
            for short in short_forms(form.key[1]):
                longer[short].add(form.key)
    for form in forms.values():
        if not is_org(form) or form.key in legal or form.key[1] not in longer:
            continue
        targets = {uf.find(k) for k in longer[form.key[1]]} - {uf.find(form.key)}
        if len(targets) == 1 and all(forms[k].first < form.first for k in longer[form.key[1]]):
            uf.union(next(iter(targets)), form.key)


def _link_introduced(
    cands: list[Candidate],
    cand_form: list[tuple[str, tuple[str, ...]]],
    forms: dict[tuple[str, tuple[str, ...]], _Form],
    uf: UnionFind,
) -> None:
    """'Singapore Airlines (SIA)': a short form in brackets right after a name is that name's,
    whatever its letters, when it starts with the name's first letter."""
    for (a, key_a), (b, key_b) in pairwise(zip(cands, cand_form, strict=True)):
        if (
            key_a[0] != "X"
            or key_b[0] != "X"
            or len(key_a[1]) < 2
            or a.sentence_start != b.sentence_start
        ):
            continue
        text, at = b.sentence, b.sentence_start
        gap, close = text[a.end - at : b.start - at], text[b.end - at : b.end - at + 1]
        short = b.text.replace(".", "")
        if gap.strip() != "(" or close != ")" or not (short.isupper() and short.isalpha()):
            continue
        if forms[key_b].alias is None and short[0] == a.text[:1].upper():
            uf.union(key_a, key_b)


def _link_plurals(forms: dict[tuple[str, tuple[str, ...]], _Form], uf: UnionFind) -> None:
    """'A380s', 'iPods', 'Airbuses': a product's name in the plural is the singular's entity
    where the article names it in the singular too (a plural the lexicon knows is its own)."""
    for key, form in forms.items():
        singular = singular_name(form.text) if key[0] == "X" and form.alias is None else None
        if singular is not None and (one := ("X", org_key(name_words(singular)))) in forms:
            uf.union(one, key)


def _entity_of(members: list[Candidate], member_forms: list[_Form]) -> EntityKey:
    """Canonical name (fullest form, or the lexicon's) and one type for a cluster."""
    alias = next((f.alias for f in member_forms if f.alias is not None), None)
    if alias is not None:
        return EntityKey(alias[0], alias[1])
    # Named and typed by its singular forms: "A380", not "A380s" (tagged LOC at times).
    singular = [c for c in members if singular_name(c.text) is None]
    if singular and len(singular) < len(members):
        member_forms = [f for c, f in zip(members, member_forms, strict=True) if c in singular]
        members = singular
    fullest = max(members, key=lambda c: (len(c.text.split()), len(c.text), -c.start))
    name = display_name(fullest.text)
    if any(_is_anchor(f) for f in member_forms):
        # A person is named by the full form the article uses most, the fullest on a tie.
        full = Counter(
            display_name(c.text)
            for c, f in zip(members, member_forms, strict=True)
            if _is_anchor(f)
        )
        name = max(full, key=lambda n: (full[n], len(n.split()), len(n)))
        return EntityKey(name, "PERSON")
    votes: Counter[str] = Counter()
    for c in members:
        votes[c.vote] += weight(c)
    type_ = max(votes, key=lambda lab: (votes[lab], -PRIORITY.index(lab)))
    # The model tags countries ORG at times; a national team in a match report is one.
    team = any(c.vote == "ORG" and c.label in ("GPE", "LOC") for c in members)
    if name_norm(name) in _countries() and type_ != "NORP" and not team:
        type_ = "GPE"
    return EntityKey(name, type_)


def cut_headlines(text: str, found: list[Candidate]) -> list[Candidate]:
    """A headline's verb or preposition glued to a name is cut off.

    On a Title-Case line the model runs words into a name ("Senate Grills Jane Doe"): a span
    there that holds a person the article names elsewhere (in full, or by surname) and is
    itself written nowhere else is cut to that person; what is left is kept only where it is
    a name the article uses ("Obama Slams Congress" -> "Obama", "Congress").
    """
    body = [c for c in found if not title_case_line(text, c.start)]
    known = {name_norm(c.text) for c in body}
    people = {name_norm(c.text) for c in body if c.vote == "PERSON"}
    people |= {p.split()[-1] for p in people if " " in p}
    out: list[Candidate] = []
    for cand in found:
        words = [(m.start(), m.end()) for m in re.finditer(r"\S+", cand.text)]
        if (
            len(words) < 2
            or not title_case_line(text, cand.start)
            or name_norm(cand.text) in known
            or text.count(cand.text) > 1
        ):
            out.append(cand)
            continue
        best: tuple[int, int] | None = None
        for i in range(len(words)):
            for j in range(len(words), i, -1):
                if j - i == len(words) or (best and j - i <= best[1] - best[0]):
                    continue
                if name_norm(cand.text[words[i][0] : words[j - 1][1]]) in people:
                    best = (i, j)
        if best is None:
            out.append(cand)
            continue
        i, j = best
        pieces = [(i, j, "PERSON")]
        # In what is left, the longest run of words that is a name used here.
        for lo, hi in ((0, i), (j, len(words))):
            runs = [(a, b) for a in range(lo, hi) for b in range(a + 1, hi + 1)]
            for a, b in sorted(runs, key=lambda r: r[0] - r[1]):
                if name_norm(cand.text[words[a][0] : words[b - 1][1]]) in known:
                    pieces.append((a, b, cand.label))
                    break
        for a, b, label in sorted(pieces):
            start, end = cand.start + words[a][0], cand.start + words[b - 1][1]
            vote = "PERSON" if label == "PERSON" else cand.vote
            out.append(
                Candidate(
                    start, end, text[start:end], label, cand.sentence, cand.sentence_start, vote
                )
            )
    return out


def split_stops(found: list[Candidate]) -> list[Candidate]:
    """A place's abbreviation that ends a sentence the parse ran on is no part of the name after.

    In "in the U.S. Jobs also noted" the model reads "U.S. Jobs" as one organisation: a span
    that is no person's, made of a place written with a final stop ('U.S.', 'U.K.') and then
    a person the article names (in full, or by the surname of a full name), is cut in two.
    """
    people = {name_norm(c.text) for c in found if c.vote == "PERSON"}
    people |= {p.split()[-1] for p in people if " " in p}
    places = aliases()
    out: list[Candidate] = []
    for cand in found:
        words = list(re.finditer(r"\S+", cand.text))
        cut = None
        if cand.vote != "PERSON":
            for i in range(1, len(words)):
                head, rest = cand.text[: words[i - 1].end()], cand.text[words[i].start() :]
                place = places.get(name_norm(head))
                if head.endswith(".") and place and place[1] == "GPE" and name_norm(rest) in people:
                    cut = (words[i - 1].end(), words[i].start())
                    break
        if cut is None:
            out.append(cand)
            continue
        for lo, hi, label in ((0, cut[0], "GPE"), (cut[1], len(cand.text), "PERSON")):
            start, end = cand.start + lo, cand.start + hi
            piece = cand.text[lo:hi]
            out.append(
                Candidate(start, end, piece, label, cand.sentence, cand.sentence_start, label)
            )
    return out


def display_name(text: str) -> str:
    """A name as shown: spaces collapsed, the stray one in "O' Leary" dropped."""
    return _ELIDED_SPACE.sub(r"\1", _SPACES.sub(" ", text))


# -- the article ------------------------------------------------------------------------------


def extract_mentions(doc: Doc, article: Article) -> list[Mention]:
    """Mentions of named entities in `doc`, each keyed to its entity within the article."""
    if doc_text(doc) != article.text:
        return []  # offsets would not index the article: better no mentions than wrong ones
    found = candidates(doc, article)
    surnames = {
        name_norm(c.text.split()[-1]) for c in found if c.vote == "PERSON" and " " in c.text
    }
    found = [c for c in found if not only_titles(c.text) or name_norm(c.text) in surnames]
    found = extend_to_known(doc, split_stops(cut_headlines(article.text, found)))
    cands = sorted([*found, *repeats(doc, found)], key=lambda c: c.start)
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
