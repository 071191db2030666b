"""Search core: index size against the texts, and a word query against an ILIKE scan.

    python bench/bench_search_core.py [PATH ...] [--copies N]

Parses the articles once, writes their postings as the store would (`SORT_KEYS`,
`PARQUET_OPTIONS`) and prints the Parquet size over the texts' UTF-8 size. Then replicates the
postings and texts `--copies` times under new doc_ids (synthetic: a real corpus has a larger
vocabulary) and times the first page of hits of a word against
``SELECT doc_id FROM texts WHERE text ILIKE '%word%'``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from analysis.corpus import load_corpus
from analysis.nlp import load_model, parse
from analysis.search import PARQUET_OPTIONS, SORT_KEYS, find_hits, parse_query, postings

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATHS = [ROOT.parent.parent / "shared" / "corpus" / "wikinews", ROOT / "seeds"]


def best_of(run: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, default=DEFAULT_PATHS)
    parser.add_argument("--copies", type=int, default=280)
    parser.add_argument("--word", default="sanctions")
    args = parser.parse_args()

    articles = load_corpus(args.paths).articles
    nlp = load_model()
    parsed = list(parse(nlp, articles))
    table = pa.concat_tables(postings(a.doc_id, doc) for a, doc in parsed).sort_by(SORT_KEYS)
    text_bytes = sum(len(a.text.encode("utf-8")) for a in articles)

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "postings.parquet"
        pq.write_table(table, path, **PARQUET_OPTIONS)
        size = path.stat().st_size
        print(f"{len(articles)} articles, {text_bytes:,} text bytes, {table.num_rows:,} postings")
        print(f"index {size:,} bytes = {size / text_bytes:.3f} of the texts")
        metadata = pq.ParquetFile(path).metadata.row_group(0)
        for j in range(metadata.num_columns):
            column = metadata.column(j)
            print(f"  {column.path_in_schema:8s} {column.total_compressed_size:8,}")

        copies = []
        for k in range(args.copies):
            ids = pc.binary_join_element_wise(table["doc_id"], pa.scalar(f"-{k}"), "")
            copies.append(table.set_column(0, "doc_id", ids))
        big = pa.concat_tables(copies).sort_by(SORT_KEYS)
        big_path = Path(tmp) / "big.parquet"
        pq.write_table(big, big_path, **PARQUET_OPTIONS)
        texts = pa.table(
            {
                "doc_id": [f"{a.doc_id}-{k}" for k in range(args.copies) for a in articles],
                "text": [a.text for _ in range(args.copies) for a in articles],
            }
        )
        texts_path = Path(tmp) / "texts.parquet"
        # No dictionary: copies of one text would otherwise be matched once, on the dictionary.
        pq.write_table(texts, texts_path, compression="zstd", use_dictionary=False)

        con = duckdb.connect()
        con.execute(f"CREATE VIEW postings AS SELECT * FROM read_parquet('{big_path}')")
        con.execute(f"CREATE VIEW texts AS SELECT * FROM read_parquet('{texts_path}')")
        node = parse_query(args.word)
        pattern = f"%{args.word}%"
        search = best_of(lambda: find_hits(con, node, limit=50))
        phrase = parse_query('"political prisoners"')
        search_phrase = best_of(lambda: find_hits(con, phrase, limit=50))
        ilike = best_of(
            lambda: con.execute(
                "SELECT doc_id FROM texts WHERE text ILIKE ? LIMIT 50", [pattern]
            ).fetchall()
        )
        ilike_all = best_of(
            lambda: con.execute(
                "SELECT count(*) FROM texts WHERE text ILIKE ?", [pattern]
            ).fetchall()
        )
        print(f"{big.num_rows:,} postings, {texts.num_rows:,} texts")
        print(f"word {args.word!r}, first 50 hits: {search * 1000:.1f} ms")
        print(f"phrase 'political prisoners', first 50 hits: {search_phrase * 1000:.1f} ms")
        print(f"ILIKE, first 50 docs: {ilike * 1000:.1f} ms; all docs: {ilike_all * 1000:.1f} ms")


if __name__ == "__main__":
    main()
