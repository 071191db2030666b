"""Linking entities: name keys, union-find, and merging the articles' entities across the corpus."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from analysis import lexicon

_PLACES = frozenset({"GPE", "LOC"})
_Key = tuple[str, tuple[str, ...]]  # an entity's class and name words, as the linker keys it
# Breaks ties between labels of one entity: the commoner, better-learnt label first.
PRIORITY = ("PERSON", "GPE", "ORG", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART")

_SPACES = re.compile(r"\s+")
# A space slipped in after the apostrophe of "O'", "D'": one surname, not two words.
_ELIDED_SPACE = re.compile(r"(?<=\b[A-Za-z])' (?=[A-Z])")


@cache
def _names_list(key: str) -> frozenset[str]:
    """A word list of entities_names.json: legal forms, words that initials skip."""
    return frozenset(lexicon.load("entities_names")[key])


# -- name keys --------------------------------------------------------------------------------


def name_norm(text: str) -> str:
    """Case-, space- and apostrophe-insensitive form of a name, for hash lookups."""
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("`", "'")
    text = _ELIDED_SPACE.sub("'", text)  # "O' Leary" is "O'Leary"
    return _SPACES.sub(" ", text).strip().casefold()


def name_words(text: str) -> tuple[str, ...]:
    """The normalised words of a name."""
    return tuple(name_norm(text).split())


# A name capitalised inside ("iPod"), and a name ending in a sibilant ("Airbus").
_CAMEL = re.compile(r"[a-z]+[A-Z]\w*")
_SIBILANT = re.compile(r"[A-Z]\w*(?:s|x|z|ch|sh)")


def _product_word(stem: str, name: str) -> bool:
    """Whether `stem` + "s" can only be a plural: a name with a model number of two digits or
    more ("A380", "Boeing 787", "787 Dreamliner"), or a word capitalised inside ("iPod")."""
    numbers = (sum(c.isdigit() for c in word) for word in name.split())
    return _CAMEL.fullmatch(stem) is not None or any(n >= 2 for n in numbers)


def singular_name(text: str) -> str | None:
    """The singular of a product's name written in the plural, None for any other name.

    "A380s", "Boeing 787s", "787 Dreamliners", "iPods" and "Airbuses" (a maker's name for
    its aircraft: "es" after a sibilant is only a plural) are plurals; "Smiths", "Times" or
    "Lloyds" may be names of their own (a family, a newspaper, a bank) and are left alone.
    """
    head, space, last = text.rpartition(" ")
    if len(last) < 3 or not last.endswith("s"):
        return None
    if last.endswith("es") and _SIBILANT.fullmatch(last[:-2]):
        return f"{head}{space}{last[:-2]}"
    stem = last[:-1]
    if (
        stem[-1:].isalnum()
        and stem[-1] not in "sxzSXZ"
        and _product_word(stem, f"{head}{space}{stem}")
    ):
        return f"{head}{space}{stem}"
    return None


def plural_name(text: str) -> str | None:
    """The plural of a product's name ("A380" -> "A380s"), the inverse of `singular_name`."""
    for plural in (f"{text}es", f"{text}s"):
        if singular_name(plural) == text:
            return plural
    return None


@cache
def _designations() -> dict[tuple[str, ...], tuple[str, ...]]:
    """A country's short forms and names, as words, to its canonical name's ('u.s.' -> ...)."""
    aliases = lexicon.load("entities_places")["aliases"]
    return {
        name_words(short): name_words(name)
        for short, (name, type_) in aliases.items()
        if type_ == "GPE"
    }


@cache
def _given_names() -> dict[str, str]:
    """A given name's short forms to it ('tim' -> 'timothy'), and the name to itself."""
    table: dict[str, list[str]] = lexicon.load("entities_names")["given_names"]
    return {short: name for name, shorts in table.items() for short in (name, *shorts)}


def first_last(words: tuple[str, ...]) -> tuple[str, str]:
    """A person's given name and surname, the given name in full: ('timothy', 'cook') for
    'Tim Cook' and for 'Timothy D. Cook', who are one person in an article or a corpus."""
    return (_given_names().get(words[0], words[0]), words[-1])


def org_key(words: tuple[str, ...]) -> tuple[str, ...]:
    """The name without trailing legal forms, a leading country in one spelling.

    'Apple Inc.' and 'Apple' are one company; 'U.S. Air Force' and 'United States Air Force'
    one service ('US' alone is the country, not an organisation: only a leading designation).
    """
    while has_legal_form(words):
        words = words[:-1]
    if len(words) > 1 and words[-1].endswith(","):
        words = (*words[:-1], words[-1].rstrip(","))
    designations = _designations()
    for n in range(min(len(words) - 1, 4), 0, -1):
        country = designations.get(words[:n])
        if country is not None:
            return (*country, *words[n:])
    return words


def has_legal_form(words: tuple[str, ...]) -> bool:
    """Whether a name ends with a legal form ('Apple Inc.'): a company's name in full."""
    return len(words) > 1 and words[-1].rstrip(",") in _names_list("org_suffixes")


def country_words(words: tuple[str, ...]) -> int:
    """How many leading words of an organisation's key name a country ('united states ...')."""
    names = set(_designations().values())
    return next((n for n in range(len(words) - 1, 0, -1) if words[:n] in names), 0)


def short_forms(words: tuple[str, ...]) -> set[tuple[str, ...]]:
    """The words of an organisation's key name that news writes it by once it has named it
    in full: its last words ('Air Force' of 'United States Air Force', 'Times' of 'New York
    Times'), or its first words where it drops only what the company does ('Apple' of 'Apple
    Computer'; not of 'Apple TV', a product the model may call an organisation). None for a
    name with a function word ('Project on Government Oversight': its end is another name),
    never the country alone or a part of it ('United' of 'United States Air Force').
    """
    skip = _names_list("initial_skip")
    if len(words) < 2 or any(w in skip for w in words):
        return set()
    designators = _names_list("org_designators")
    country = country_words(words)
    tails = {
        words[k:]
        for k in range(max(1, country), len(words))
        if not all(w in designators for w in words[k:])  # 'Airlines' alone names no one
    }
    heads = {
        words[:k]
        for k in range(max(1, country + 1), len(words))
        if all(w in designators for w in words[k:])
    }
    return heads | tails


def acronym_letters(text: str) -> str | None:
    """The letters of an acronym ('U.S.' -> 'US'), or None when `text` is not one."""
    letters = re.sub(r"[.\s&]", "", text)
    if 2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper():
        return letters
    return None


def name_initials(text: str) -> set[str]:
    """Acronyms a multi-word name can have: without and with its function words."""
    words = [w for w in re.split(r"[\s\-/]+", text) if w and w[0].isalnum()]
    if len(words) < 2:
        return set()
    skip = _names_list("initial_skip")
    content = "".join(w[0] for w in words if w.casefold() not in skip).upper()
    every = "".join(w[0] for w in words).upper()
    return {i for i in (content, every) if len(i) >= 2}


class UnionFind:
    """Disjoint sets of hashable keys: `union` merges two sets, `find` names a set by its root."""

    def __init__(self) -> None:
        self.parent: dict[Any, Any] = {}

    def find(self, item: Any) -> Any:
        self.parent.setdefault(item, item)
        root = item
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[item] != root:  # path compression keeps later finds short
            self.parent[item], item = root, self.parent[item]
        return root

    def union(self, a: Any, b: Any) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra


# -- the corpus -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocEntity:
    """One article's entity, as the corpus-level linker sees it."""

    doc_id: str
    ref: str  # "TYPE:name", as in the tables' *_ref columns
    name: str
    type: str
    aliases: tuple[str, ...]  # distinct mention texts in that article
    n_mentions: int
    published: date | None


@dataclass(frozen=True, slots=True)
class CorpusEntity:
    """An entity of the whole corpus."""

    entity_id: str
    name: str
    type: str


def entity_id(name: str, type_: str) -> str:
    """A readable, stable id: 'person:donald-trump'."""
    slug = re.sub(r"[^\w]+", "-", name.lower(), flags=re.UNICODE).strip("-") or "entity"
    return f"{type_.lower()}:{slug}"


def _class(type_: str) -> str:
    """Types that never share an entity across articles: people, groups, everything else."""
    return type_ if type_ in ("PERSON", "NORP") else "X"


def link_corpus(entities: Iterable[DocEntity]) -> dict[tuple[str, str], CorpusEntity]:
    """Map each article's entity `(doc_id, ref)` to its corpus entity.

    Same class and name: one entity. A bare surname joins the only full name in the corpus
    that ends with it, an acronym the only long name with those initials; when two full names
    qualify, the bare one stays apart rather than be merged blindly.
    """
    items = list(entities)
    uf = UnionFind()
    keys: list[tuple[str, tuple[str, ...]]] = []
    classes = _corpus_classes(items)
    for entity in items:
        words = name_words(entity.name)
        cls = classes.get(words, _class(entity.type))
        key = (cls, org_key(words) if cls == "X" else words)
        keys.append(key)
        uf.find(key)

    surnames: dict[tuple[str, ...], set[Any]] = defaultdict(set)
    written_bare: dict[tuple[str, ...], set[Any]] = defaultdict(set)  # surname -> its users
    given_last: dict[tuple[str, str], set[Any]] = defaultdict(set)
    initials: dict[str, set[Any]] = defaultdict(set)
    for entity, key in zip(items, keys, strict=True):
        cls, words = key
        if cls == "PERSON" and len(words) >= 2:
            for k in range(1, len(words)):
                surnames[words[k:]].add(key)
            for alias in entity.aliases:
                bare = name_words(alias)
                if 0 < len(bare) < len(words) and words[-len(bare) :] == bare:
                    written_bare[bare].add(key)
            if len(words) > 2:
                given_last[first_last(words)].add(key)
        elif cls == "X" and len(words) >= 2:
            # Only acronyms an article wrote beside their long form ("Popular Front (BPF)"):
            # initials alone merged the French air-accident bureau BEA with a band.
            names = name_initials(entity.name)
            for alias in entity.aliases:
                short = acronym_letters(alias)
                if short is not None and short in names:
                    initials[short].add(key)
    # Name variants first ("Donald Trump" = "Donald J. Trump"), so that a bare "Trump" then
    # sees one person, not two spellings of one.
    for key in keys:
        cls, words = key
        if cls == "PERSON" and len(words) == 2:
            variants = given_last.get(first_last(words), set())
            if len(variants) == 1:
                uf.union(next(iter(variants)), key)
    seen: set[Any] = set()
    for entity, key in zip(items, keys, strict=True):
        if key in seen:
            # Once per name: after "Biden" of one article joined Joe Biden, the same "Biden"
            # of the next would see Jill Biden as the only other full name and join her.
            continue
        seen.add(key)
        cls, words = key
        target: set[Any] = set()
        if cls == "PERSON" and not (len(words) == 2 and given_last.get(first_last(words))):
            target = {uf.find(k) for k in surnames.get(words, ())} - {uf.find(key)}
            if len(target) > 1:
                # Of several people with this surname, the one articles call by it alone; the
                # others (a spouse, a brother) always written with their given names.
                bearers = {uf.find(k) for k in written_bare.get(words, ())} - {uf.find(key)}
                target = bearers if len(bearers) == 1 else target
        elif cls == "X" and (letters := acronym_letters(entity.name)) is not None:
            target = {uf.find(k) for k in initials.get(letters, ())} - {uf.find(key)}
        if len(target) == 1:
            uf.union(next(iter(target)), key)

    # A short form an article wrote for its long name ("Singapore Airlines (SIA)", "Air Force"
    # after "United States Air Force") is that name where another article uses it alone, when
    # one long name claims it; an acronym also when the claimants are spellings of one name
    # that differ in a word ("Defence"/"Defense"). Two names stay apart ("Air Force" of the
    # Royal and of the United States Air Force).
    present = set(keys)
    by_letters: dict[_Key, set[_Key]] = defaultdict(set)
    by_words: dict[_Key, set[_Key]] = defaultdict(set)
    for entity, key in zip(items, keys, strict=True):
        if key[0] != "X" or len(key[1]) < 2:
            continue
        parts = short_forms(key[1])
        for alias in entity.aliases:
            alone = ("X", org_key(name_words(alias)))
            if alone not in present or alone == key:
                continue
            if acronym_letters(alias) is not None:
                by_letters[alone].add(key)
            elif alone[1] in parts:
                by_words[alone].add(key)
    for alone, claimants in by_letters.items():
        first = min(claimants)[1]
        if all(_one_word_apart(first, other[1]) for other in claimants):
            for claimant in claimants:
                uf.union(claimant, alone)
    for alone, claimants in by_words.items():
        roots = {uf.find(claimant) for claimant in claimants}
        if len(roots) == 1:
            uf.union(next(iter(roots)), alone)

    # A product's plural ("787 Dreamliners") is the singular another article names.
    for entity, key in zip(items, keys, strict=True):
        singular = singular_name(entity.name) if key[0] == "X" else None
        if singular is not None and (one := ("X", org_key(name_words(singular)))) in present:
            uf.union(one, key)

    groups: dict[Any, list[int]] = defaultdict(list)
    for index, key in enumerate(keys):
        groups[uf.find(key)].append(index)
    links: dict[tuple[str, str], CorpusEntity] = {}
    used: dict[str, Any] = {}
    # Sorted by their smallest key, so ids do not depend on the order articles come in.
    for root in sorted(groups, key=lambda r: min(keys[i] for i in groups[r])):
        members = [items[i] for i in groups[root]]
        name, type_ = _corpus_name(members, root[0])
        ident = entity_id(name, type_)
        n = 2
        while ident in used and used[ident] != root:
            ident = f"{entity_id(name, type_)}-{n}"
            n += 1
        used[ident] = root
        corpus = CorpusEntity(ident, name, type_)
        for member in members:
            links[(member.doc_id, member.ref)] = corpus
    return links


def _corpus_classes(items: list[DocEntity]) -> dict[tuple[str, ...], str]:
    """One class per name across the corpus where articles disagree on a person.

    "Ryanair" is not a person in one article and a company in the next. A single word is a
    person only when it is the surname of someone the corpus names in full (news introduces
    people by full name); a longer name takes the class most articles, then most mentions,
    give it, and is no person on a tie. A place wins over a person only by that majority:
    people and places share names ("Jordan"). Groups (NORP) keep their own class.
    """
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    surnames: set[str] = set()
    for entity in items:
        kind = "place" if entity.type in _PLACES else _class(entity.type)
        if kind == "NORP":
            continue
        words = name_words(entity.name)
        votes[words][kind] += 1_000_000 + entity.n_mentions  # articles first, then mentions
        if kind == "PERSON" and len(words) >= 2:
            surnames.add(words[-1])
    classes: dict[tuple[str, ...], str] = {}
    for words, counter in votes.items():
        person = counter["PERSON"]
        if not person or len(counter) < 2:
            continue
        if len(words) == 1 and words[0] in surnames:
            classes[words] = "PERSON"
        elif counter["X"]:
            other = counter["X"] + counter["place"]
            classes[words] = "PERSON" if len(words) > 1 and person > other else "X"
        elif counter["place"] > person:
            classes[words] = "X"
    return classes


def _one_word_apart(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def _corpus_name(members: list[DocEntity], cls: str) -> tuple[str, str]:
    """Name and type of a corpus entity; the type by the majority of mentions.

    A person is named by the full form (two words or more) most articles use, then most
    mentions, then the fullest, so a rare longer string cannot take over; anything else by
    its fullest name.
    """
    names: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    votes: Counter[str] = Counter()
    for member in members:
        names[member.name] += member.n_mentions
        articles[member.name] += 1
        votes[member.type] += member.n_mentions
    # The type is one of the class's (a name the corpus calls a company is not a person).
    fitting = Counter({t: n for t, n in votes.items() if _class(t) == cls}) or Counter(
        {"PERSON": 1} if cls == "PERSON" else {"ORG": 1}
    )
    type_ = max(fitting, key=lambda t: (fitting[t], -PRIORITY.index(t) if t in PRIORITY else -99))
    full = [n for n in names if len(n.split()) >= 2]
    if type_ == "PERSON" and full:
        name = max(full, key=lambda n: (articles[n], names[n], len(n.split()), len(n), n))
    else:
        single = (n for n in names if singular_name(n) is None)  # "A380", not "A380s"
        name = max([*single] or names, key=lambda n: (len(n.split()), len(n), names[n], n))
    return name, type_
