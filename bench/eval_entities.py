"""Entity spans against hand-annotated gold: spaCy's raw entities vs `extract_mentions`.

Gold files hold an article body with each name marked `[[text|TYPE]]`; removing the markup
must give the article's text exactly. Each gold file `<id>.txt` is matched to the corpus file
whose name starts with `<id>_`. Scores: exact-span F1 (untyped and typed) and overlap F1
(a predicted span counts when it overlaps a gold span, and a gold span when a prediction
overlaps it).

    .venv/bin/python bench/eval_entities.py GOLD_DIR CORPUS_DIR
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.corpus import load_corpus  # noqa: E402
from analysis.extract.entities import LABELS, extract_mentions  # noqa: E402
from analysis.nlp import load_model  # noqa: E402

MARK = re.compile(r"\[\[(.+?)\|([A-Z_]+)\]\]")
Spans = set[tuple[int, int, str]]


def read_gold(path: Path) -> tuple[str, Spans]:
    """The plain text of a gold file and its (start, end, type) spans."""
    marked = path.read_text("utf-8").rstrip("\n")  # editors add a final newline
    plain: list[str] = []
    spans: Spans = set()
    pos = 0
    length = 0
    for match in MARK.finditer(marked):
        before = marked[pos : match.start()]
        plain.append(before)
        length += len(before)
        spans.add((length, length + len(match.group(1)), match.group(2)))
        plain.append(match.group(1))
        length += len(match.group(1))
        pos = match.end()
    plain.append(marked[pos:])
    return "".join(plain), spans


def f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def overlaps(a: tuple[int, int, str], spans: Iterable[tuple[int, int, str]]) -> bool:
    return any(a[0] < b[1] and b[0] < a[1] for b in spans)


def score(pred: Spans, gold: Spans) -> dict[str, tuple[int, int, int]]:
    """Counts (true positives for precision, for recall, n_pred, n_gold) per measure."""
    untyped_p = {(s, e) for s, e, _ in pred}
    untyped_g = {(s, e) for s, e, _ in gold}
    return {
        "exact": (len(untyped_p & untyped_g), len(untyped_p), len(untyped_g)),
        "exact_typed": (len(pred & gold), len(pred), len(gold)),
        "overlap": (
            sum(overlaps(p, gold) for p in pred),
            len(pred),
            sum(overlaps(g, pred) for g in gold),
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gold", type=Path)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--show", action="store_true", help="print the misses of each system")
    args = parser.parse_args()
    nlp = load_model()
    totals: dict[str, dict[str, list[int]]] = {}
    for gold_path in sorted(args.gold.glob("*.txt")):
        found = sorted(args.corpus.glob(f"{gold_path.stem}_*"))
        if not found:
            print(f"no corpus file for {gold_path.name}", file=sys.stderr)
            continue
        article = load_corpus([found[0]]).articles[0]
        text, gold = read_gold(gold_path)
        if text != article.text:
            sys.exit(f"{gold_path.name}: markup does not strip back to the article text")
        doc = nlp(article.text)
        systems = {
            "spacy": {(e.start_char, e.end_char, e.label_) for e in doc.ents if e.label_ in LABELS},
            "newslens": {
                (m.span.start, m.span.end, m.entity.type) for m in extract_mentions(doc, article)
            },
        }
        for name, pred in systems.items():
            counts = score(pred, gold)
            if name == "newslens" and args.show:
                fp = sorted(pred - gold)
                fn = sorted(gold - pred)
                print(f"-- {gold_path.stem} false: {[(text[s:e], t) for s, e, t in fp]}")
                print(f"-- {gold_path.stem} missed: {[(text[s:e], t) for s, e, t in fn]}")
            system = totals.setdefault(name, {})
            for measure, (tp, n_pred, tp_r) in counts.items():
                n_gold = len(gold)
                acc = system.setdefault(measure, [0, 0, 0, 0])
                acc[0] += tp
                acc[1] += n_pred
                acc[2] += tp_r if measure == "overlap" else tp
                acc[3] += n_gold
    print(f"{'system':10} {'measure':12} {'P':>6} {'R':>6} {'F1':>6}")
    for name, system in totals.items():
        for measure, (tp, n_pred, tp_r, n_gold) in system.items():
            p = tp / n_pred if n_pred else 0.0
            r = tp_r / n_gold if n_gold else 0.0
            print(f"{name:10} {measure:12} {p:6.3f} {r:6.3f} {f1(p, r):6.3f}")


if __name__ == "__main__":
    main()
