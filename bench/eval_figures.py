"""Figures against hand-annotated gold and a peer library's count tests, vs spaCy's entities.

Two measures, each for `extract_figures` and for the off-the-shelf baseline (spaCy's CARDINAL,
QUANTITY, MONEY and PERCENT entities, same parse):

1. Annotated numbers. The gold is a JSON file {"files": [prefix, ...], "items": [[prefix, text,
   nth, kind, optional], ...]}: `text` is the figure as written and `nth` which word-bounded
   occurrence of it in the body (not inside a longer amount such as "US$40"). A gold figure is
   found when a system span overlaps it; "strict" pairs each gold figure with a distinct span
   (so one entity "between 210 and 330" finds one of its two numbers). Precision counts the
   system spans that overlap no gold figure; spans over optional gold (ranks, borderline
   cases) are left out of both sides. Value and kind accuracy are over found figures.
2. The count tests ported from EpiTator (tests/analysis/extract/test_figures.py, COUNT_SUITE):
   a row passes when the values of the counts found equal the expected list. For newslens the
   counts are the figures of kind "count"; for the baseline, the CARDINAL entities.
3. When the gold has "attributes" ([prefix, text, nth, counted head, qualifier, source]): how
   often newslens gets the counted noun (its key's last word), the hedge and the source right,
   over the annotated figures it found (spaCy's entities have none of these).

    .venv/bin/python bench/eval_figures.py GOLD_JSON CORPUS_DIR [--show]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.corpus import build_article, load_corpus  # noqa: E402
from analysis.extract.entities import extract_mentions  # noqa: E402
from analysis.extract.figures import extract_figures, lexicon  # noqa: E402
from analysis.nlp import load_model  # noqa: E402
from tests.analysis.extract.test_figures import COUNT_SUITE  # noqa: E402

BASELINE_LABELS = {"CARDINAL", "QUANTITY", "MONEY", "PERCENT"}
KIND_OF_LABEL = {
    "CARDINAL": "count",
    "QUANTITY": "quantity",
    "MONEY": "money",
    "PERCENT": "percent",
}


@dataclass(frozen=True)
class Found:
    start: int
    end: int
    text: str
    value: float | None
    kind: str


def locate(body: str, text: str, nth: int) -> tuple[int, int] | None:
    """Offsets of the nth word-bounded occurrence of `text` not inside a longer amount."""
    pattern = re.compile(r"(?<![\w$#£€.,])" + re.escape(text) + r"(?!\w)(?![.,]\d)")
    matches = list(pattern.finditer(body))
    if len(matches) < nth:
        return None
    match = matches[nth - 1]
    return match.start(), match.end()


def words_value(text: str) -> float | None:
    """The first number in an entity's text, for the baseline ("about 1.2 million" -> 1.2e6)."""
    lex = lexicon()
    total = current = 0.0
    seen = False
    for raw in re.findall(r"[\d.,]+|[A-Za-z]+", text.replace("-", " ")):
        word = raw.lower()
        if re.fullmatch(r"\d[\d,]*(\.\d+)?", raw):
            if seen:
                break
            current, seen = float(raw.replace(",", "")), True
        elif word in lex.units or word in lex.tens:
            current += lex.units.get(word, lex.tens.get(word, 0.0))
            seen = True
        elif word in lex.scales and seen:
            if lex.scales[word] == 100:
                current *= 100
            else:
                total, current = total + current * lex.scales[word], 0.0
        elif word in lex.abbreviated and seen:
            current *= lex.abbreviated[word]
        elif word == "and" or not seen:
            continue
        else:
            break
    return total + current if seen else None


def ours(nlp: Any, article: Any) -> list[Found]:
    doc = nlp(article.text)
    figures = extract_figures(doc, article, extract_mentions(doc, article))
    return [Found(f.span.start, f.span.end, f.span.text, f.value, f.kind) for f in figures]


def baseline(nlp: Any, article: Any, labels: set[str] = BASELINE_LABELS) -> list[Found]:
    doc = nlp(article.text)
    return [
        Found(e.start_char, e.end_char, e.text, words_value(e.text), KIND_OF_LABEL[e.label_])
        for e in doc.ents
        if e.label_ in labels
    ]


def score_gold(
    gold: dict[str, Any], corpus: Path, nlp: Any, show: bool
) -> dict[str, dict[str, float]]:
    files = {p.name.split("_", 1)[0]: p for p in sorted(corpus.glob("*.txt"))}
    articles = {prefix: load_corpus([files[prefix]]).articles[0] for prefix in gold["files"]}
    items: dict[str, list[tuple[int, int, str, str, bool]]] = {p: [] for p in gold["files"]}
    for prefix, text, nth, kind, optional in gold["items"]:
        where = locate(articles[prefix].text, text, nth)
        if where is None:
            raise SystemExit(f"gold item not found: {prefix} {text!r} #{nth}")
        items[prefix].append((*where, text, kind, optional))
    results = {}
    for name, system in (("newslens", ours), ("spacy", baseline)):
        keys = ["gold", "found", "strict", "pred", "fp", "value", "kind", "plain", "plain_found"]
        tally = dict.fromkeys(keys, 0)
        for prefix, article in articles.items():
            found = system(nlp, article)
            used: set[int] = set()
            for start, end, text, kind, optional in items[prefix]:
                hits = [k for k, f in enumerate(found) if f.start < end and start < f.end]
                if optional:
                    continue
                tally["gold"] += 1
                tally["plain"] += kind != "duration"
                if hits:
                    tally["found"] += 1
                    tally["plain_found"] += kind != "duration"
                    free = [k for k in hits if k not in used]
                    if free:
                        tally["strict"] += 1
                        used.add(free[0])
                    best = found[free[0] if free else hits[0]]
                    expected = gold_value(text)
                    right = expected is not None and best.value is not None
                    right = right and abs(best.value - expected) <= 1e-6 * max(1, expected)
                    tally["value"] += right
                    tally["kind"] += best.kind == kind
                    if show and not (right and best.kind == kind):
                        print(f"  {name} read   {prefix} {text!r} as {best.value} {best.kind}")
                elif show:
                    print(f"  {name} missed {prefix} {text!r}")
            for f in found:
                over = [g for g in items[prefix] if f.start < g[1] and g[0] < f.end]
                if over and all(g[4] for g in over):
                    continue
                tally["pred"] += 1
                if not over:
                    tally["fp"] += 1
                    if show:
                        print(f"  {name} extra  {prefix} {f.text!r} ({f.kind})")
        g, p = tally["gold"], tally["pred"]
        results[name] = {
            "gold": g,
            "recall": tally["found"] / g,
            "recall_strict": tally["strict"] / g,
            # durations are DATE entities for spaCy: recall over the other figures alone
            "recall_without_durations": tally["plain_found"] / max(1, tally["plain"]),
            "precision": (p - tally["fp"]) / p if p else 0.0,
            "value_accuracy": tally["value"] / max(1, tally["found"]),
            "kind_accuracy": tally["kind"] / max(1, tally["found"]),
        }
    return results


def gold_value(text: str) -> float | None:
    """The value a gold figure's text states (the scorer's own reading, for value accuracy)."""
    low = text.lower().replace("#", "").replace("us$", "").replace("usd$", "")
    if low.startswith("a score"):
        return 20.0
    if low.startswith("few hundred million"):
        return 1e8
    if low in {"hundreds", "thousands", "millions"}:  # indefinite: the lower bound
        return {"hundreds": 1e2, "thousands": 1e3, "millions": 1e6}[low]
    return words_value(low)


def score_attributes(gold: dict[str, Any], corpus: Path, nlp: Any, show: bool) -> dict[str, float]:
    """Counted head, qualifier and source of newslens's figures against `gold["attributes"]`."""
    files = {p.name.split("_", 1)[0]: p for p in sorted(corpus.glob("*.txt"))}
    tally = dict.fromkeys(["items", "found", "counted", "qualifier", "source"], 0)
    cache: dict[str, tuple[Any, list[Any]]] = {}
    for prefix, text, nth, head, qualifier, source in gold.get("attributes", []):
        if prefix not in cache:
            article = load_corpus([files[prefix]]).articles[0]
            doc = nlp(article.text)
            cache[prefix] = (article, extract_figures(doc, article, extract_mentions(doc, article)))
        article, figures = cache[prefix]
        where = locate(article.text, text, nth)
        if where is None:
            raise SystemExit(f"gold item not found: {prefix} {text!r} #{nth}")
        tally["items"] += 1
        hits = [f for f in figures if f.span.start < where[1] and where[0] < f.span.end]
        if not hits:
            continue
        f = hits[0]
        tally["found"] += 1
        got_head = f.counted_key.split()[-1] if f.counted_key else None
        checks = {
            "counted": _same_word(got_head, head),
            "qualifier": (f.qualifier or "").lower() == (qualifier or ""),
            "source": _same_source(f.source_entity.name if f.source_entity else f.source, source),
        }
        for check, right in checks.items():
            tally[check] += right
            if show and not right:
                print(
                    f"  newslens {check} {prefix} {text!r}: {f.counted_key!r} {f.qualifier!r} "
                    f"{f.source!r} (gold {head!r} {qualifier!r} {source!r})"
                )
    found = max(1, tally["found"])
    return {
        "items": tally["items"],
        "found": tally["found"],
        "counted_accuracy": tally["counted"] / found,
        "qualifier_accuracy": tally["qualifier"] / found,
        "source_accuracy": tally["source"] / found,
    }


def _same_word(got: str | None, want: str | None) -> bool:
    if got is None or want is None:
        return got is want
    return got.lower().rstrip("s") == want.lower().rstrip("s")


def _same_source(got: str | None, want: str | None) -> bool:
    if got is None or want is None:
        return got is want
    return want.lower() in got.lower() or got.lower() in want.lower()


def score_counts(nlp: Any, show: bool) -> dict[str, int]:
    passed = {"newslens": 0, "spacy": 0, "rows": len(COUNT_SUITE)}
    for name, text, expected in COUNT_SUITE:
        article = build_article(text, path="count.txt")
        mine = [f.value for f in ours(nlp, article) if f.kind == "count"]
        theirs = [f.value for f in baseline(nlp, article, {"CARDINAL"})]
        want = [float(v) for v in expected]
        passed["newslens"] += mine == want
        passed["spacy"] += theirs == want
        if show and mine != want:
            print(f"  newslens fails {name}: {mine} != {want}")
    return passed


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--show", action="store_true", help="print misses and extras")
    args = parser.parse_args(argv)
    nlp = load_model()
    gold = json.loads(args.gold.read_text("utf-8"))
    report = {
        "annotated_numbers": score_gold(gold, args.corpus, nlp, args.show),
        "count_tests": score_counts(nlp, args.show),
    }
    if gold.get("attributes"):
        report["counted_qualifier_source"] = score_attributes(gold, args.corpus, nlp, args.show)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
