"""Cross-article entity linking against hand-marked gold: precision and recall of "same entity".

Gold (bench/gold/linking/*.json, one file per Wikinews article, README.md there) names every
PERSON and ORG mention of the article by its surface string and occurrence, with a gold entity
key ("Steve Jobs", "US Air Force"). The gold was marked in the session that wrote this script,
after the linking rules it measures had been designed, by reading the articles (not the
tool's output). The article texts stay in the shared corpus; a gold file names its article.

The script runs the real pipeline (`analysis.pipeline.run`, over the whole corpus folder by
default, so that the other articles weigh on the linking as they would for a user) into a
temporary store, or reads the store given with --store. Each gold mention is matched to a
predicted mention by exact span, or by overlap (the predicted mention overlapping it most).
Over every pair of matched gold mentions in different articles: precision = pairs in one
predicted entity that share a gold key / pairs in one predicted entity; recall = pairs sharing
a gold key that are in one predicted entity / pairs sharing a gold key. The same over pairs
within one article, for context.

    .venv/bin/python bench/eval_linking.py [--corpus DIR] [--gold DIR] [--store STORE]
        [--only-gold] [--show N] [--check]

Without the shared corpus (--corpus, $NEWSLENS_BENCH_SOURCES, or ../shared/corpus/wikinews
beside the checkout) it says so and exits.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.corpus import Article, load_corpus  # noqa: E402

# As for the benchmarks (bench/common.py): the Wikinews set beside the checkout, or elsewhere.
DEFAULT_CORPUS = Path(
    os.environ.get("NEWSLENS_BENCH_SOURCES", ROOT.parent / "shared" / "corpus" / "wikinews")
)
DEFAULT_GOLD = ROOT / "bench" / "gold" / "linking"


# -- gold -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GoldMention:
    article: str  # the article's file name
    start: int
    end: int
    text: str
    key: str  # the gold entity
    type: str  # PERSON or ORG


def occurrences(text: str, surface: str) -> list[int]:
    """Offsets of `surface` in `text` where it is not part of a longer word."""
    pattern = rf"(?<!\w){re.escape(surface)}(?!\w)"
    return [m.start() for m in re.finditer(pattern, text)]


def resolve(name: str, text: str, spec: dict[str, Any]) -> list[GoldMention]:
    """The gold mentions of one article from its gold file's entries.

    An entry is `[surface, key]` (every occurrence of the surface not inside a longer marked
    one), `[surface, key, {"only": [i, ...]}]` or `[surface, key, {"skip": [i, ...]}]`, with
    occurrences counted over the whole body from 0. A null key marks a span that is not a
    mention ("Boeing 767", a product) so that the shorter names inside it are not either.
    """
    types: dict[str, str] = spec["entities"]
    claimed: list[tuple[int, int]] = []
    out: list[GoldMention] = []
    entries = sorted(spec["mentions"], key=lambda e: -len(e[0]))  # longer surfaces first
    for surface, key, *options in entries:
        option = options[0] if options else {}
        hits = occurrences(text, surface)
        only, skip = option.get("only"), set(option.get("skip", ()))
        if only is not None and any(i >= len(hits) for i in only):
            raise SystemExit(f"{name}: {surface!r} has {len(hits)} occurrences, not {only}")
        if key is not None and key not in types:
            raise SystemExit(f"{name}: {key!r} has no type in 'entities'")
        for i, start in enumerate(hits):
            end = start + len(surface)
            inside = any(s < end and start < e for s, e in claimed)
            if (only is not None and i not in only) or i in skip:
                continue
            if inside:
                if only is not None:
                    raise SystemExit(f"{name}: {surface!r} #{i} is inside a longer mark")
                continue
            claimed.append((start, end))
            if key is not None:
                out.append(GoldMention(name, start, end, surface, key, types[key]))
        if not hits:
            raise SystemExit(f"{name}: {surface!r} is not in the article")
    return sorted(out, key=lambda g: g.start)


def load_gold(gold_dir: Path, corpus: Path) -> tuple[list[GoldMention], dict[str, Article]]:
    """Every gold mention, and the marked articles by file name."""
    mentions: list[GoldMention] = []
    articles: dict[str, Article] = {}
    types: dict[str, str] = {}
    for path in sorted(gold_dir.glob("*.json")):
        spec = json.loads(path.read_text("utf-8"))
        name = spec["article"]
        found = load_corpus([corpus / name]).articles
        if not found:
            raise SystemExit(f"{path.name}: no article {name} in {corpus}")
        articles[name] = found[0]
        for key, type_ in spec["entities"].items():
            if types.setdefault(key, type_) != type_:
                raise SystemExit(f"{path.name}: {key!r} is {type_} here, {types[key]} elsewhere")
        mentions += resolve(name, found[0].text, spec)
    return mentions, articles


def show_gold(mentions: Sequence[GoldMention], articles: dict[str, Article]) -> None:
    """Each article with its gold marked inline, and capitalised words left unmarked."""
    by_article: dict[str, list[GoldMention]] = defaultdict(list)
    for m in mentions:
        by_article[m.article].append(m)
    for name, article in articles.items():
        text, pieces, pos = article.text, [], 0
        marks = by_article[name]
        for m in marks:
            pieces += [text[pos : m.start], f"[[{m.text}|{m.key}]]"]
            pos = m.end
        pieces.append(text[pos:])
        print(f"== {name}\n{''.join(pieces)}\n")
        left = Counter(
            w.group()
            for w in re.finditer(r"\b[A-Z][\w'.&-]*", text)
            if not any(m.start <= w.start() < m.end for m in marks)
        )
        print(f"-- unmarked capitalised: {sorted(left.items())}\n")


# -- predictions and scores --------------------------------------------------------------------


@dataclass(frozen=True)
class Predicted:
    start: int
    end: int
    text: str
    entity_id: str


def predicted(store_root: Path, articles: dict[str, Article]) -> dict[str, list[Predicted]]:
    """The store's mentions of each marked article (by file name), with their corpus entity."""
    from analysis.store import Store

    store = Store(store_root)
    documents = store.read("documents", ["doc_id", "path"])
    doc_of = {Path(p).name: d for d, p in zip(documents["doc_id"], documents["path"], strict=True)}
    rows = store.read("mentions", ["doc_id", "entity_id", "text", "start", "end"])
    by_doc: dict[str, list[Predicted]] = defaultdict(list)
    for doc, ident, text, start, end in rows.itertuples(index=False, name=None):
        if isinstance(ident, str) and ident:
            by_doc[doc].append(Predicted(int(start), int(end), text, ident))
    missing = [name for name in articles if name not in doc_of]
    if missing:
        raise SystemExit(f"the store holds no analysis of {missing}")
    return {name: by_doc[doc_of[name]] for name in articles}


def match(gold: GoldMention, found: Sequence[Predicted], *, exact: bool) -> Predicted | None:
    """The predicted mention of this gold mention: the same span, or the one overlapping most."""
    best: tuple[int, Predicted] | None = None
    for p in found:
        if exact:
            if (p.start, p.end) == (gold.start, gold.end):
                return p
            continue
        shared = min(p.end, gold.end) - max(p.start, gold.start)
        if shared > 0 and (best is None or shared > best[0]):
            best = (shared, p)
    return best[1] if best else None


def _pairs(counts: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in counts)


@dataclass(frozen=True)
class PairScore:
    both: int  # pairs with one gold key and one predicted entity
    gold: int  # pairs with one gold key
    pred: int  # pairs with one predicted entity

    @property
    def precision(self) -> float:
        return self.both / self.pred if self.pred else 1.0

    @property
    def recall(self) -> float:
        return self.both / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def pair_scores(matched: Sequence[tuple[GoldMention, str]]) -> tuple[PairScore, PairScore]:
    """(across articles, within articles) pair counts of matched gold mentions.

    Counted from group sizes: pairs sharing X in different articles are all pairs sharing X
    less those sharing X inside one article.
    """

    def count(keyed: Iterable[tuple[Any, str]]) -> tuple[int, int]:
        total: Counter[Any] = Counter()
        inside: Counter[tuple[Any, str]] = Counter()
        for key, article in keyed:
            total[key] += 1
            inside[(key, article)] += 1
        within = _pairs(inside.values())
        return _pairs(total.values()) - within, within

    gold = count((g.key, g.article) for g, _ in matched)
    pred = count((e, g.article) for g, e in matched)
    both = count(((g.key, e), g.article) for g, e in matched)
    return PairScore(both[0], gold[0], pred[0]), PairScore(both[1], gold[1], pred[1])


def split_clusters(
    matched: Sequence[tuple[GoldMention, str]], names: dict[str, str], limit: int
) -> list[str]:
    """The gold entities most split across predicted entities, by cross-article pairs missed."""
    by_key: dict[str, list[tuple[GoldMention, str]]] = defaultdict(list)
    for g, e in matched:
        by_key[g.key].append((g, e))
    rows = []
    for key, members in by_key.items():
        score, _ = pair_scores(members)
        missed = score.gold - score.both
        if missed:
            parts = Counter(e for _, e in members)
            where = {e: len({g.article for g, x in members if x == e}) for e in parts}
            shown = ", ".join(
                f"{e} ({names.get(e, '?')}) x{n} in {where[e]}" for e, n in parts.most_common()
            )
            rows.append((missed, f"{key}: {missed} pairs missed; {shown}"))
    return [text for _, text in sorted(rows, key=lambda r: -r[0])[:limit]]


def merged_clusters(
    matched: Sequence[tuple[GoldMention, str]], names: dict[str, str], limit: int
) -> list[str]:
    """The predicted entities that hold several gold entities, by wrong cross-article pairs."""
    by_entity: dict[str, list[tuple[GoldMention, str]]] = defaultdict(list)
    for g, e in matched:
        by_entity[e].append((g, e))
    rows = []
    for e, members in by_entity.items():
        score, _ = pair_scores(members)
        wrong = score.pred - score.both
        if wrong:
            keys = Counter(g.key for g, _ in members)
            shown = ", ".join(f"{k} x{n}" for k, n in keys.most_common())
            rows.append((wrong, f"{e} ({names.get(e, '?')}): {wrong} wrong pairs; {shown}"))
    return [text for _, text in sorted(rows, key=lambda r: -r[0])[:limit]]


def report(gold: Sequence[GoldMention], found: dict[str, list[Predicted]], show: int) -> None:
    entity_names = {p.entity_id: p.text for ps in found.values() for p in ps}
    n_keys = len({g.key for g in gold})
    print(f"{len(gold)} gold mentions of {n_keys} entities in {len(found)} articles")
    print("across articles: pairs (gold), P, R, F1; within articles: P, R")
    print(f"{'match':8} {'type':7} {'matched':>9} {'pairs':>7} {'P':>6} {'R':>6} {'F1':>6}  within")
    for mode in ("exact", "overlap"):
        matched = [
            (g, p.entity_id)
            for g in gold
            if (p := match(g, found[g.article], exact=mode == "exact")) is not None
        ]
        for type_ in ("all", "PERSON", "ORG"):
            chosen = [(g, e) for g, e in matched if type_ in ("all", g.type)]
            n_gold = sum(1 for g in gold if type_ in ("all", g.type))
            across, within = pair_scores(chosen)
            print(
                f"{mode:8} {type_:7} {len(chosen):4}/{n_gold:<4} {across.gold:7} "
                f"{across.precision:6.3f} {across.recall:6.3f} {across.f1:6.3f}"
                f"  {within.precision:.3f}, {within.recall:.3f}"
            )
        if mode == "overlap" and show:
            print("\nlargest gold entities split across predicted entities (overlap match):")
            for line in split_clusters(matched, entity_names, show):
                print(f"  {line}")
            print("\npredicted entities joining several gold entities (overlap match):")
            for line in merged_clusters(matched, entity_names, show):
                print(f"  {line}")
            unmatched = Counter(
                g.text for g in gold if match(g, found[g.article], exact=False) is None
            )
            print(f"\ngold mentions no prediction overlaps: {sorted(unmatched.items())}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD)
    parser.add_argument("--store", type=Path, help="read this store instead of analysing")
    parser.add_argument("--only-gold", action="store_true", help="analyse the marked articles only")
    parser.add_argument("--show", type=int, default=0, metavar="N", help="list N worst clusters")
    parser.add_argument("--check", action="store_true", help="print the gold marks and stop")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"skipped: no shared corpus at {args.corpus} (the gold's articles live there)")
        return
    gold, articles = load_gold(args.gold, args.corpus)
    if args.check:
        show_gold(gold, articles)
        return
    if args.store is not None:
        found = predicted(args.store, articles)
    else:
        from analysis.pipeline import run

        paths = [args.corpus / name for name in articles] if args.only_gold else [args.corpus]
        with tempfile.TemporaryDirectory() as tmp:
            run(paths, Path(tmp) / "store")
            found = predicted(Path(tmp) / "store", articles)
    report(gold, found, args.show)


if __name__ == "__main__":
    main()
