"""Quoted statements and their speakers, from the quotation marks and the shared dependency parse.

Three passes. Marks (in quotemarks.py): every quotation mark in the text is classed by glyph and
by what stands on either side of it, then paired paragraph by paragraph with a stack, so a stray
or unbalanced mark is dropped without disturbing the rest; a quote left open at the end of a
paragraph continues when the next paragraph reopens it (the news convention) or closes it first.
Kind (quotekind.py): a quote is a `title` (a name, nickname, term or scare quote), `partial`
(words built into the writer's own sentence) or `direct` (a statement set off from it). Speaker
(quotespeakers.py, over the frame and speech verbs of quotecues.py): the subject of the speech
verb that governs the quote (climbing the parse from the quote), else a speech verb beside it,
"according to X", "X:", a trailing "— X", the previous quote or sentence; pronouns resolve to
the most recent fitting entity mention.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from analysis.extract.entities import sentence_entities
from analysis.extract.quotecues import MAX_CLIMB, frame_of, governing
from analysis.extract.quotekind import COORDINATED, kind_of, lead_of
from analysis.extract.quotemarks import MARK_RE, map_quotes
from analysis.extract.quotemarks import find_quotations as find_quotations
from analysis.extract.quotespeakers import Attribution, attribute, carry_over, described_after
from analysis.records import Mention, Quote, Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from analysis.corpus import Article

VERSION = "4"


def extract_quotes(doc: Doc, article: Article, mentions: Sequence[Mention]) -> list[Quote]:
    """Quotations in `doc` with speaker, cue and kind."""
    text = article.text
    if not text or not MARK_RE.search(text):
        return []
    art = map_quotes(doc, text, mentions)
    found: list[tuple[str, Attribution]] = []
    sentences: list[tuple[int, int]] = []
    for k, pair in enumerate(art.pairs):
        lead = lead_of(art, k)
        if art.doc is None:
            kind = kind_of(art, k, lead, None, MAX_CLIMB + 1, False)
            found.append((kind, Attribution()))
            p_start, p_end = (
                art.paragraphs[pair.paragraph][0],
                art.paragraphs[pair.last_paragraph][1],
            )
            sentences.append((p_start, p_end))
            continue
        frame = frame_of(art, k)
        cue, steps, naming = governing(art, k, frame)
        kind = kind_of(art, k, lead, cue, steps, naming)
        if k and COORDINATED.fullmatch(lead) and found[-1][0] != "title":
            kind = found[-1][0]  # 'called it “A”, and “B”': B is built like A
        attribution = Attribution() if kind == "title" else attribute(art, k, frame, cue, lead)
        unattributed = attribution.speaker is None and attribution.cue is None
        if kind != "title" and unattributed and not re.search(r"\w", lead):
            attribution = described_after(art, k) or carry_over(art, k, found)
        found.append((kind, attribution))
        last = art.doc[frame.sentence_hi - 1]
        sentences.append((art.doc[frame.sentence_lo].idx, last.idx + len(last)))
    quotes = []
    for k, pair in enumerate(art.pairs):
        kind, who = found[k]
        s_start = min(sentences[k][0], pair.open_at)
        s_end = max(sentences[k][1], pair.end)
        sentence = text[s_start:s_end].rstrip()
        quotes.append(
            Quote(
                doc_id=article.doc_id,
                span=Span(pair.start, pair.end, text[pair.start : pair.end], sentence, s_start),
                kind=kind,
                speaker=who.speaker,
                speaker_entity=who.entity,
                cue=who.cue,
                about=sentence_entities(mentions, pair.start, pair.end),
                speaker_title=who.title,
            )
        )
    return quotes
