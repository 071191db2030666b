"""Quotes against hand-labelled gold: a textacy-like baseline vs `extract_quotes`, same parse.

The gold is a JSON file {"quotes": [[file_prefix, from, to, kind, speakers|null], ...]}: the
quote's content runs from the first words `from` (right after a quotation mark) to the first
`to` after them; `speakers` lists acceptable names. Each entry is matched to the corpus file
whose name starts with `<file_prefix>_`.

Scores, over statements (gold kinds direct and partial; the system's titles are left out, as
the dashboard hides them):
- quote P/R/F1: a found quote matches a gold one when their spans overlap by at least half
  of the longer (exact: same span after trimming edge punctuation);
- speaker accuracy: over matched quotes, the speaker (its entity's name, else as written)
  contains, or is contained in, one of the gold names; no speaker is right only for gold null;
- kind accuracy over matched quotes, and how many gold titles come out as statements.

The baseline follows textacy's `direct_quotations` (textacy 0.13, Apache-2.0, by Chartbeat):
pair quotation-mark tokens within a line, drop quotes under 4 tokens or all in title case,
take the reporting verb nearest the quote in the surrounding sentences and its nominal
subject. It is re-implemented here on the same spaCy parse (textacy is not a dependency).

    .venv/bin/python bench/eval_quotes.py GOLD_JSON CORPUS_DIR [--show]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.corpus import load_corpus  # noqa: E402
from analysis.extract.entities import extract_mentions  # noqa: E402
from analysis.extract.quotes import extract_quotes  # noqa: E402
from analysis.nlp import load_model  # noqa: E402

QUOTE_GLYPHS = "\"'“”‘’«»„`"
PRONOUNS = {"he", "she", "it", "they", "him", "her", "them", "i", "we", "you"}

# textacy.constants.REPORTING_VERBS["en"] and the start/end pairs of QUOTATION_MARK_PAIRS
# that matter for English text.
TEXTACY_VERBS = {
    "according", "accuse", "acknowledge", "add", "admit", "agree", "allege", "announce", "argue",
    "ask", "assert", "believe", "blame", "charge", "cite", "claim", "complain", "concede",
    "conclude", "confirm", "contend", "criticize", "declare", "decline", "deny", "describe",
    "disagree", "disclose", "estimate", "explain", "fear", "hope", "insist", "maintain", "mention",
    "note", "observe", "order", "predict", "promise", "recall", "recommend", "reply", "report",
    "say", "state", "stress", "suggest", "tell", "testify", "think", "urge", "warn", "worry",
    "write",
}  # fmt: skip
TEXTACY_PAIRS = {
    ('"', '"'), ("'", "'"), ("`", "’"), ("«", "»"), ("‘", "’"), ("‚", "’"), ("“", "”"),
    ("„", "”"), ("‹", "›"), ("“", '"'), ("‘", '"'), ("`", '"'), ("«", '"'), ("‹", '"'),
    ("„", '"'), ("‚", '"'), ('"', "”"), ('"', "’"),
}  # fmt: skip


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    kind: str
    speaker: str | None


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    kind: str
    speakers: tuple[str, ...] | None


def read_gold(path: Path, corpus: dict[str, Any]) -> dict[str, list[Gold]]:
    """Gold quotes per doc_id, located in the article texts."""
    rows = json.loads(path.read_text("utf-8"))["quotes"]
    gold: dict[str, list[Gold]] = {}
    used: set[tuple[str, int]] = set()
    for prefix, first, final, kind, speakers in rows:
        article = corpus[prefix]
        text = article.text
        i = 0
        while True:  # the first unused occurrence right after an opening quotation mark
            i = text.find(first, i)
            if i < 0:
                raise ValueError(f"{prefix}: {first!r} not found")
            k = i - 1
            while k >= 0 and text[k] == " ":
                k -= 1
            after_mark = k >= 0 and text[k] in QUOTE_GLYPHS
            if after_mark and (k == 0 or not text[k - 1].isalnum()) and (prefix, i) not in used:
                break
            i += 1
        used.add((prefix, i))
        j = text.find(final, i) + len(final)
        gold.setdefault(article.doc_id, []).append(
            Gold(i, j, kind, tuple(speakers) if speakers else None)
        )
    return gold


def textacy_like(doc: Any) -> list[Found]:
    """Direct quotations the way textacy's `direct_quotations` finds them."""
    qtoks = [t for t in doc if t.is_quote]
    breaks = [t.i for t in doc if t.is_space and t.text == "\n"]
    pairs: list[tuple[int, int]] = [(-1, -1)]
    for q in qtoks:
        if q.whitespace_ or q.i in [b for _, b in pairs] or q.i <= pairs[-1][1]:
            continue
        stop = next((b for b in breaks if b >= q.i), None)
        later = [t for t in qtoks if t.i > q.i and (stop is None or t.i <= stop)]
        for t in later:
            if (q.text, t.text) in TEXTACY_PAIRS:
                pairs.append((q.i, t.i))
                break
    pairs = pairs[1:]

    def quoted(i: int) -> bool:
        return any(a <= i <= b for a, b in pairs)

    found = []
    for a, b in pairs:
        content = doc[a : b + 1]
        words = [t for t in content if not (t.is_punct or t.is_stop)]
        if len(content) < 4 or all(t.is_title for t in words):
            continue
        sents = [s for s in doc.sents if (s.start < a <= s.end + 1) or (s.start <= b + 1 < s.end)]
        cues = sorted(
            (
                t
                for s in sents
                for t in s
                if t.pos_ == "VERB" and t.lemma_ in TEXTACY_VERBS and not quoted(t.i)
            ),
            key=lambda t: min(abs(t.i - a), abs(t.i - b)),
        )
        for cue in cues:
            subjects = [
                c
                for c in cue.children
                if c.dep_ in ("nsubj", "csubj") and not quoted(c.i) and (c.i >= b or c.i <= a)
            ]
            if subjects:
                s = subjects[0]
                toks = sorted(
                    [s, *s.conjuncts, *(c for c in s.children if c.dep_ == "compound")],
                    key=lambda t: t.i,
                )
                start = content[0].idx + len(content[0]) if content[0].is_quote else content[0].idx
                last = content[-1] if not content[-1].is_quote else content[-2]
                found.append(
                    Found(start, last.idx + len(last), "direct", " ".join(t.text for t in toks))
                )
                break
    return found


def ours(doc: Any, article: Any) -> list[Found]:
    mentions = extract_mentions(doc, article)
    return [
        Found(
            q.span.start,
            q.span.end,
            q.kind,
            q.speaker_entity.name if q.speaker_entity else q.speaker,
        )
        for q in extract_quotes(doc, article, mentions)
    ]


def overlap(a: Found | Gold, b: Found | Gold) -> float:
    inter = min(a.end, b.end) - max(a.start, b.start)
    return inter / max(a.end - a.start, b.end - b.start, 1)


def trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    return start, end


def speaker_ok(found: str | None, gold: tuple[str, ...] | None) -> bool:
    if gold is None:
        return found is None
    if not found or found.lower() in PRONOUNS:
        return False
    name = found.lower()
    return any(g.lower() in name or name in g.lower() for g in gold)


def evaluate(
    texts: dict[str, str], gold: dict[str, list[Gold]], found: dict[str, list[Found]], show: bool
) -> dict[str, float]:
    n_gold = n_found = tp_p = tp_r = exact = speakers = kinds = titles_as_statements = 0
    for doc_id, text in texts.items():
        g_all = gold.get(doc_id, [])
        g_st = [g for g in g_all if g.kind != "title"]
        f_st = [f for f in found.get(doc_id, []) if f.kind != "title"]
        n_gold += len(g_st)
        n_found += len(f_st)
        for f in f_st:
            if any(overlap(f, g) >= 0.5 for g in g_st):
                tp_p += 1
            elif any(overlap(f, g) >= 0.5 for g in g_all if g.kind == "title"):
                titles_as_statements += 1
            elif show:
                print(f"  FP {doc_id}: {text[f.start : f.end][:70]!r}")
        for g in g_st:
            match = next((f for f in f_st if overlap(f, g) >= 0.5), None)
            if match is None:
                if show:
                    print(f"  FN {doc_id}: {text[g.start : g.end][:70]!r}")
                continue
            tp_r += 1
            exact += trim(text, match.start, match.end) == trim(text, g.start, g.end)
            speakers += speaker_ok(match.speaker, g.speakers)
            kinds += match.kind == g.kind
            if show and not speaker_ok(match.speaker, g.speakers):
                print(
                    f"  SPK {doc_id}: {text[g.start : g.end][:50]!r} "
                    f"got {match.speaker!r} want {g.speakers}"
                )
            if show and match.kind != g.kind:
                print(f"  KIND {doc_id}: {text[g.start : g.end][:50]!r} {match.kind} != {g.kind}")
    p = tp_p / n_found if n_found else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    return {
        "gold": n_gold,
        "found": n_found,
        "precision": p,
        "recall": r,
        "f1": 2 * p * r / (p + r) if p + r else 0.0,
        "exact_span": exact / tp_r if tp_r else 0.0,
        "speaker_accuracy": speakers / tp_r if tp_r else 0.0,
        "kind_accuracy": kinds / tp_r if tp_r else 0.0,
        "titles_as_statements": titles_as_statements,
    }


def main(argv: Iterable[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--show", action="store_true", help="list each miss and wrong speaker")
    args = parser.parse_args(list(argv) if argv is not None else None)
    articles = load_corpus([args.corpus]).articles
    by_prefix = {Path(a.path).name.split("_")[0]: a for a in articles}
    gold = read_gold(args.gold, by_prefix)
    nlp = load_model()
    texts = {a.doc_id: a.text for a in articles}
    base: dict[str, list[Found]] = {}
    mine: dict[str, list[Found]] = {}
    for article, doc in zip(articles, nlp.pipe(a.text for a in articles), strict=True):
        base[article.doc_id] = textacy_like(doc)
        mine[article.doc_id] = ours(doc, article)
    for name, found in (("textacy-like", base), ("newslens", mine)):
        if args.show:
            print(f"{name}:")
        scores = evaluate(texts, gold, found, args.show and name == "newslens")
        line = "  ".join(
            f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in scores.items()
        )
        print(f"{name:13} {line}")


if __name__ == "__main__":
    main()
