"""Check: the model as newslens loads it parses exactly as the stock model does.

`load_model()` swaps the model's attribute ruler for table lookups (`analysis.attribute_rules`).
This compares every token attribute the extractors read (text, lemma, POS, tag, dependency and
head, entity IOB and type, sentence starts) and the morphology, token by token, between
`load_model(table_rules=False)` and `load_model()`, on the seed and Wikinews articles and on a
replica of seed-like articles (default 1,000). Exits 1 on the first difference; prints timings.
"""

from __future__ import annotations

import sys
import time

from common import SEEDS, WIKINEWS, make_corpus, parser, scratch


def main() -> None:
    p = parser(__doc__ or "")
    p.add_argument("--articles", type=int, default=1000, help="replica size (default 1000)")
    args = p.parse_args()

    from analysis.analyze import PARSE_BATCH
    from analysis.attribute_rules import token_rows
    from analysis.corpus import load_corpus
    from analysis.nlp import load_model

    stock, ours = load_model(table_rules=False), load_model()
    print("stock:", stock.pipe_names, "\nours: ", ours.pipe_names)
    with scratch("same-parse") as tmp:
        sets = {"seed + Wikinews": [SEEDS, *([WIKINEWS] if WIKINEWS.is_dir() else [])]}
        sets[f"{args.articles} seed-like"] = [make_corpus(tmp / "replica", args.articles)]
        failed = False
        for label, roots in sets.items():
            texts = [a.text for a in load_corpus(roots).articles]
            seconds = {}
            rows = {}
            for name, nlp in (("stock", stock), ("ours", ours)):
                started = time.process_time()
                rows[name] = [token_rows(d) for d in nlp.pipe(texts, batch_size=PARSE_BATCH)]
                seconds[name] = time.process_time() - started
            tokens = sum(len(r) for r in rows["stock"])
            differing = sum(
                a != b
                for doc_a, doc_b in zip(rows["stock"], rows["ours"], strict=True)
                for a, b in zip(doc_a, doc_b, strict=False)
            ) + sum(len(a) != len(b) for a, b in zip(rows["stock"], rows["ours"], strict=True))
            failed |= differing > 0
            print(
                f"{label}: {len(texts)} articles, {tokens:,} tokens, {differing} differing; "
                f"CPU stock {seconds['stock']:.1f} s, ours {seconds['ours']:.1f} s"
            )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
