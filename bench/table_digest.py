"""Print a digest of every table of a store, to check a refactoring leaves the tables unchanged.

    python bench/table_digest.py STORE [STORE ...]

One line per table: rows, columns and a SHA-256 of its rows in a canonical order (all columns,
lists and dates as text), so two stores analysed from the same files by two versions of the
code can be compared line by line. The documents' `path` column is left out when comparing
stores made from copies of the corpus in different folders (`--no-paths`).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.store import Store
from analysis.tables import TABLES


def digest(frame: pd.DataFrame) -> str:
    """SHA-256 of the frame's rows, sorted, every cell as text."""
    text = frame.map(lambda v: "; ".join(map(str, v)) if isinstance(v, list) else str(v))
    lines = sorted("\x1f".join(row) for row in text.itertuples(index=False, name=None))
    data = "\x1e".join(["\x1f".join(map(str, frame.columns)), *lines])
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("stores", nargs="+", type=Path)
    parser.add_argument("--no-paths", action="store_true", help="leave documents.path out")
    args = parser.parse_args()
    for root in args.stores:
        store = Store(root)
        print(f"# {root}")
        for table in TABLES:
            frame = store.read(table)
            if args.no_paths and "path" in frame.columns:
                frame = frame.drop(columns=["path"])
            print(f"{table:12} {len(frame):7} rows {len(frame.columns):3} cols {digest(frame)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
