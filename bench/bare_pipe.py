"""The baseline of benchmarks 1 and 2: a bare spaCy script, as a user would write it.

Loads the English model newslens would pick (the stock package, all its components), reads the
article texts (one JSON string a line, as `common.texts_file` writes them) and runs them through
`nlp.pipe`, keeping nothing. It imports nothing of newslens.
"""

from __future__ import annotations

import argparse
import importlib
import json


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("texts", help="file of article texts, one JSON string a line")
    p.add_argument("--model", required=True, help="model package, e.g. en_core_web_sm")
    p.add_argument("--batch-size", type=int, help="nlp.pipe batch size (default: spaCy's)")
    args = p.parse_args()
    nlp = importlib.import_module(args.model).load()
    with open(args.texts, encoding="utf-8") as lines:
        texts = [json.loads(line) for line in lines]
    kw = {"batch_size": args.batch_size} if args.batch_size else {}
    for _ in nlp.pipe(texts, **kw):
        pass


if __name__ == "__main__":
    main()
