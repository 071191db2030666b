"""The model's attribute ruler and lemmatizer as table lookups: the same output, a tenth the time.

spaCy's `AttributeRuler` runs a `Matcher` over every token with all of its patterns (179 in
en_core_web_sm: the tag-to-POS map, then word exceptions), a fifth of the model's own time. Its
rules only test a token's TAG, LOWER, DEP and IS_SPACE for equality, membership or a regex, so
what they give a token depends on those four values alone: `AttributeTable` works that out once
per distinct combination (kept for later tokens and articles) and writes the results with one
`Doc.from_array`. Rules of several tokens (`gon na`) are checked where their first token fits.

Same semantics as the ruler: every rule is matched against the tokens as the tagger and parser
left them, then applied in rule order, so a later rule's value for an attribute wins. A model
whose ruler uses anything else (another attribute, an operator such as `OP`) keeps its own
ruler: `AttributeTable.supports` says which. `LemmaTable` does the same for the lemmatizer,
whose lemma is a function of a token's text, POS and morphology. tests/analysis/
test_attribute_rules.py and bench/same_parse.py compare every token attribute of the model with
and without them on real articles.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.pipeline import AttributeRuler
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

NAME = "newslens_attribute_table"
# What the table reads of a token (the columns of `Doc.to_array`) and may write.
READ = ("TAG", "LOWER", "DEP", "IS_SPACE")
WRITE = ("TAG", "DEP", "POS", "MORPH", "LEMMA")
MEMO = 1 << 16  # distinct token combinations remembered; the memo starts again past this

Key = tuple[int, int, int, int]  # a token's TAG, LOWER, DEP, IS_SPACE
Test = Callable[[Key], bool]


@dataclass(frozen=True)
class _Alternative:
    rule: int  # the rule's position: later rules override earlier ones
    tests: tuple[tuple[Test, ...], ...]  # per token of the pattern, every test must hold
    target: int  # which token of the match gets the attributes (0 or more)
    values: tuple[tuple[int, int], ...]  # (column in WRITE, value) to set
    tags: frozenset[int] | None  # the tags its first token must have (None: any tag)


class UnsupportedRules(ValueError):
    """The ruler uses something the table does not reproduce exactly."""


class AttributeTable:
    """A pipeline component giving every token what `ruler` would, by lookups."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.vocab: Vocab = ruler.vocab
        self.single: list[_Alternative] = []
        self.multi: list[_Alternative] = []
        for rule, (entry, attrs, index) in enumerate(
            zip(ruler.patterns, ruler.attrs, ruler.indices, strict=True)
        ):
            values = _values(self.vocab, attrs)
            patterns: list[list[dict[str, Any]]] = entry["patterns"]  # type: ignore[assignment]
            for pattern in patterns:
                tests = tuple(_token_tests(self.vocab, spec) for spec in pattern)
                target = index if index >= 0 else len(pattern) + index
                if not 0 <= target < len(pattern):
                    raise UnsupportedRules(f"rule {rule}: index {index} outside its pattern")
                alternative = _Alternative(
                    rule, tests, target, values, _tags(pattern[0], self.vocab)
                )
                (self.single if len(pattern) == 1 else self.multi).append(alternative)
        # The one-token rules a token of each tag can match, in rule order: most rules name
        # the tag they apply to, so a new combination is tested against a few, not all 179.
        untagged = [alt for alt in self.single if alt.tags is None]
        self._untagged = tuple(untagged)
        tags = {tag for alt in self.single if alt.tags is not None for tag in alt.tags}
        self._by_tag = {
            tag: tuple(alt for alt in self.single if alt.tags is None or tag in alt.tags)
            for tag in tags
        }
        # The same for the longer patterns' first token, by their place in `multi`.
        multi_tags = {tag for alt in self.multi if alt.tags is not None for tag in alt.tags}
        self._multi_untagged = tuple(n for n, alt in enumerate(self.multi) if alt.tags is None)
        self._multi_by_tag = {
            tag: tuple(n for n, alt in enumerate(self.multi) if alt.tags is None or tag in alt.tags)
            for tag in multi_tags
        }
        self._memo: dict[Key, tuple[tuple[tuple[int, int, int], ...], tuple[int, ...]]] = {}

    @staticmethod
    def supports(ruler: AttributeRuler) -> bool:
        """Whether the table reproduces `ruler` exactly."""
        try:
            AttributeTable(ruler)
        except UnsupportedRules:
            return False
        return True

    def _lookup(self, key: Key) -> tuple[tuple[tuple[int, int, int], ...], tuple[int, ...]]:
        """(rule, column, value) set on a token with `key`, and the longer patterns it starts."""
        found = self._memo.get(key)
        if found is None:
            sets = tuple(
                (alt.rule, column, value)
                for alt in self._by_tag.get(key[0], self._untagged)
                if all(test(key) for test in alt.tests[0])
                for column, value in alt.values
            )
            starts = tuple(
                n
                for n in self._multi_by_tag.get(key[0], self._multi_untagged)
                if all(test(key) for test in self.multi[n].tests[0])
            )
            if len(self._memo) >= MEMO:
                self._memo.clear()
            found = self._memo[key] = (sets, starts)
        return found

    def __call__(self, doc: Doc) -> Doc:
        import numpy

        if not len(doc):
            return doc
        read = doc.to_array(list(READ))
        keys: list[Key] = [tuple(row) for row in read.tolist()]
        out = doc.to_array(list(WRITE))
        # Per token, the (rule, column, value) of every match that lands on it.
        hits: list[list[tuple[int, int, int]]] = [[] for _ in keys]
        lookup = self._lookup
        for i, key in enumerate(keys):
            sets, starts = lookup(key)
            if sets:
                hits[i].extend(sets)
            for n in starts:
                alt = self.multi[n]
                end = i + len(alt.tests)
                if end <= len(keys) and all(
                    all(test(keys[i + k]) for test in tests)
                    for k, tests in enumerate(alt.tests[1:], 1)
                ):
                    hits[i + alt.target].extend(
                        (alt.rule, column, value) for column, value in alt.values
                    )
        changed = False
        for i, token_hits in enumerate(hits):
            if token_hits:
                changed = True
                # Applied in rule order, as the ruler sorts its matches: the last rule wins.
                for _, column, value in sorted(token_hits, key=lambda hit: hit[0]):
                    out[i, column] = value
        if changed:
            doc.from_array(list(WRITE), out.astype(numpy.uint64, copy=False))  # type: ignore[arg-type]
        return doc


def _tags(spec: dict[str, Any], vocab: Vocab) -> frozenset[int] | None:
    """The TAG values a token must have to match `spec` (an equality or an IN), else None."""
    condition = spec.get("TAG")
    if condition is None:
        return None
    if not isinstance(condition, dict):
        return frozenset({_id(vocab, condition)})
    if set(condition) == {"IN"}:
        return frozenset(_id(vocab, v) for v in condition["IN"])
    return None  # NOT_IN, REGEX: tested with the rest


def _values(vocab: Vocab, attrs: dict[Any, Any]) -> tuple[tuple[int, int], ...]:
    """The ruler's normalised attributes (attribute id -> hash) as (column in WRITE, value)."""
    from spacy.attrs import IDS

    columns = {IDS[name]: n for n, name in enumerate(WRITE)}
    out = []
    for attr, value in attrs.items():
        if attr not in columns or not isinstance(value, int):
            raise UnsupportedRules(f"the ruler sets {attr!r}")
        out.append((columns[attr], value))
    return tuple(out)


def _token_tests(vocab: Vocab, spec: dict[str, Any]) -> tuple[Test, ...]:
    """One token's pattern as tests of its Key, with the Matcher's meaning of each."""
    tests: list[Test] = []
    for name, condition in spec.items():
        if name not in READ:
            raise UnsupportedRules(f"a pattern tests {name}")
        col = READ.index(name)
        if isinstance(condition, dict):
            for op, value in condition.items():
                tests.append(_operator(vocab, col, op, value))
        else:
            tests.append(_equals(col, _id(vocab, condition)))
    return tuple(tests)


def _operator(vocab: Vocab, col: int, op: str, value: Any) -> Test:
    if op in ("IN", "NOT_IN") and isinstance(value, Sequence) and not isinstance(value, str):
        members = frozenset(_id(vocab, v) for v in value)
        if op == "IN":
            return lambda key: key[col] in members
        return lambda key: key[col] not in members
    if op == "REGEX" and isinstance(value, str):
        pattern = re.compile(value)
        strings = vocab.strings
        # The Matcher searches the attribute's string (a flag's 0 or 1 has none to search).
        return lambda key: bool(pattern.search(strings[key[col]]))
    raise UnsupportedRules(f"operator {op} {value!r}")


def _equals(col: int, value: int) -> Test:
    return lambda key: key[col] == value


def _id(vocab: Vocab, value: Any) -> int:
    """A pattern value as the Matcher compares it: a string's hash, a bool or int as itself."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, str):
        from spacy.strings import get_string_id

        return int(get_string_id(value))
    raise UnsupportedRules(f"pattern value {value!r}")


LEMMA_NAME = "newslens_lemma_table"


class LemmaTable:
    """A pipeline component giving every token the lemma `lemmatizer` would, memoised.

    spaCy's rule lemmatizer computes a token's lemma from its text, POS and morphology alone
    (they are its own cache key), so it is asked once per distinct combination and the doc's
    lemmas are written with one `Doc.from_array`, instead of a Python call per token. As in
    the lemmatizer, a token that already has a lemma (the attribute ruler's exceptions) keeps
    it unless the lemmatizer overwrites.
    """

    def __init__(self, lemmatizer: Any) -> None:
        from spacy.errors import Errors

        if getattr(lemmatizer, "mode", None) not in ("rule", "lookup"):
            raise UnsupportedRules(f"lemmatizer mode {getattr(lemmatizer, 'mode', None)!r}")
        if not lemmatizer._validated:
            lemmatizer._validate_tables(Errors.E1004)
        _index_as_sets(lemmatizer)
        self.lemmatizer = lemmatizer
        self.overwrite = bool(lemmatizer.overwrite)
        self._memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        import numpy
        from spacy.attrs import LEMMA, MORPH, ORTH, POS

        if not len(doc):
            return doc
        rows = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = rows[:, 3].copy()
        memo, strings, lemmatize = self._memo, doc.vocab.strings, self.lemmatizer.lemmatize
        for i, (orth, pos, morph, lemma) in enumerate(rows.tolist()):
            if lemma and not self.overwrite:
                continue
            key = (orth, pos, morph)
            found = memo.get(key)
            if found is None:
                if len(memo) >= MEMO:
                    memo.clear()
                found = memo[key] = strings.add(lemmatize(doc[i])[0])
            lemmas[i] = found
        doc.from_array([LEMMA], lemmas.astype(numpy.uint64, copy=False))  # type: ignore[arg-type]
        return doc


def _index_as_sets(lemmatizer: Any) -> None:
    """The rule lemmatizer's index of known base forms as sets instead of lists.

    `rule_lemmatize` only asks `form in index` of each part of speech's index (and whether it
    is empty), so the lemmas are the same; a list of 57,000 nouns is searched from its start
    on every ask, which made a distinct word cost over half a millisecond. The lemmatizer here
    is out of the pipeline (`LemmaTable` asks it), so nothing saves the changed table.
    """
    if getattr(lemmatizer, "mode", None) != "rule":
        return
    index = lemmatizer.lookups.get_table("lemma_index", {})
    for pos in list(index.keys()):
        forms = index[pos]
        if isinstance(forms, list):
            index[pos] = frozenset(forms)


def token_rows(doc: Doc) -> list[tuple[object, ...]]:
    """Every token attribute the extractors read, and the morphology the lemmatizer reads: what
    must be identical with and without the tables (tests and `bench/same_parse.py`)."""
    return [
        (
            t.text,
            t.lemma_,
            t.pos_,
            t.tag_,
            t.dep_,
            t.head.i,
            t.ent_iob_,
            t.ent_type_,
            t.is_sent_start,
            str(t.morph),
        )
        for t in doc
    ]
