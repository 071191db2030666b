"""Article text as HTML with its entities, quotes, figures and dates marked, from stored offsets.

Article text is hostile input: every piece of it, and every label, goes through `html.escape`
before it is wrapped in markup, so `<script>` or `<img onerror=...>` in an article shows as text.
Nothing here looks inside the text: the spans come from the tables' offsets.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Mapping, Sequence

from dashboard.charts import KIND_COLOURS, type_colour
from dashboard.data import Highlight
from dashboard.labels import type_label

KIND_LABELS = {
    "mention": "Entity",
    "quote": "Quote",
    "figure": "Figure",
    "event": "Date",
}

STYLE = """
<style>
.nl-text { white-space: pre-wrap; line-height: 1.75; font-size: 1.02rem; color: #1c2430; }
.nl-text .nl-m { border-bottom: 2px solid var(--c); background: var(--bg); border-radius: 2px; }
.nl-text .nl-q { font-style: italic; color: #7a3e00; }
.nl-text .nl-f { font-weight: 650; box-shadow: inset 0 -0.45em 0 #c8e6c9; }
.nl-text .nl-d { text-decoration: underline dotted #6a1b9a 2px; text-underline-offset: 3px; }
.nl-text .nl-t { background: #fff3b0; box-shadow: 0 0 0 2px #fff3b0; }
.nl-text .nl-x { outline: 2px solid #e0a800; outline-offset: 1px; border-radius: 2px; }
.nl-legend { display: flex; flex-wrap: wrap; gap: 0.4rem 0.9rem; font-size: 0.85rem;
             margin: 0.2rem 0 0.6rem 0; color: #1c2430; }
.nl-legend span { white-space: nowrap; }
.nl-chip { display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 3px;
           margin-right: 0.3rem; vertical-align: -0.1rem; }
</style>
""".strip()


def _tint(colour: str) -> str:
    """A light background version of a #rrggbb colour."""
    return f"{colour}22" if colour.startswith("#") and len(colour) == 7 else "transparent"


def render(
    text: str,
    marks: Sequence[Highlight],
    *,
    offset: int = 0,
    target: tuple[int, int] | None = None,
    sentence: tuple[int, int] | None = None,
    colours: Mapping[str, str] | None = None,
    anchor: str = "nl-target",
) -> str:
    """`text` (which starts at article offset `offset`) as escaped HTML with its spans marked.

    `target` is the span a click-through points at (outlined), `sentence` its sentence (shaded);
    both in article offsets. The first piece of the target sentence carries id `anchor`.
    """
    length = len(text)

    def local(span: tuple[int, int] | None) -> tuple[int, int] | None:
        if span is None:
            return None
        start, end = max(0, span[0] - offset), min(length, span[1] - offset)
        return (start, end) if start < end else None

    spans: list[tuple[int, int, Highlight]] = []
    for mark in marks:
        local_span = local((mark.start, mark.end))
        if local_span is not None:
            spans.append((*local_span, mark))
    target_span = local(target)
    sentence_span = local(sentence)
    cuts = {0, length}
    for start, end, _ in spans:
        cuts.update((start, end))
    for span in (target_span, sentence_span):
        if span:
            cuts.update(span)
    bounds = sorted(cuts)
    pieces: list[str] = []
    anchored = False
    for a, b in itertools.pairwise(bounds):
        chunk = html.escape(text[a:b], quote=False)
        active = [m for s, e, m in spans if s <= a and e >= b]
        classes: list[str] = []
        style = ""
        labels: list[str] = []
        mention = min(
            (m for m in active if m.kind == "mention"), key=lambda m: m.end - m.start, default=None
        )
        if mention is not None:
            colour = type_colour(mention.group, colours)
            classes.append("nl-m")
            style = f"--c: {colour}; --bg: {_tint(colour)};"
        for kind, css in (("quote", "nl-q"), ("figure", "nl-f"), ("event", "nl-d")):
            if any(m.kind == kind for m in active):
                classes.append(css)
        labels = list(dict.fromkeys(_label(m) for m in active if m.label))
        in_sentence = sentence_span is not None and sentence_span[0] <= a and b <= sentence_span[1]
        in_target = target_span is not None and target_span[0] <= a and b <= target_span[1]
        if in_sentence:
            classes.append("nl-t")
        if in_target:
            classes.append("nl-x")
        if not classes:
            pieces.append(chunk)
            continue
        attrs = [f'class="{" ".join(classes)}"']
        if style:
            attrs.append(f'style="{style}"')
        if labels:
            attrs.append(f'title="{html.escape(" | ".join(labels), quote=True)}"')
        if (in_sentence or in_target) and not anchored:
            attrs.append(f'id="{html.escape(anchor, quote=True)}"')
            anchored = True
        pieces.append(f"<span {' '.join(attrs)}>{chunk}</span>")
    return f'{STYLE}<div class="nl-text">{"".join(pieces)}</div>'


def _label(mark: Highlight) -> str:
    """A mark's tooltip with the entity type in words: 'Boeing (ORG)' -> 'Boeing
    (Organisation)'. The query layer writes mention labels as 'name (TYPE)'."""
    if mark.kind == "mention" and mark.group:
        code = f" ({mark.group})"
        if mark.label.endswith(code):
            return mark.label.removesuffix(code) + f" ({type_label(mark.group)})"
    return mark.label


def legend(types: Sequence[str], colours: Mapping[str, str] | None = None) -> str:
    """A key to the marks: one chip per entity type present, then quotes, figures and dates."""
    items = [
        f'<span><span class="nl-chip" style="background: {type_colour(t, colours)}"></span>'
        f"{html.escape(type_label(t))}</span>"
        for t in types
    ]
    items.append(f'<span><i style="color: {KIND_COLOURS["quote"]}">quote</i></span>')
    items.append('<span><b style="box-shadow: inset 0 -0.45em 0 #c8e6c9">figure</b></span>')
    items.append(
        '<span style="text-decoration: underline dotted #6a1b9a 2px; '
        'text-underline-offset: 3px">date</span>'
    )
    items.append('<span style="background: #fff3b0">selected sentence</span>')
    return f'{STYLE}<div class="nl-legend">{"".join(items)}</div>'
