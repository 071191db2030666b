"""Where the dashboard's store and uploads live, and safe names for uploaded files.

Every path comes from `Path(__file__)`, the command line or the environment, never from the
working directory.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from collections.abc import Mapping, Sequence
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from analysis.corpus import SUPPORTED_SUFFIXES, format_suffix

PROJECT = Path(__file__).resolve().parent.parent
APP = Path(__file__).resolve().parent / "app.py"
SEEDS = PROJECT / "seeds"
DEFAULT_STORE = PROJECT / ".newslens" / "seeds-store"
ENV_STORE = "NEWSLENS_STORE"
UPLOADS = "uploads"
# Also set as server.maxUploadSize in .streamlit/config.toml.
MAX_UPLOAD_MB = 50
# Articles one uploaded file may hold: more would hold the store's lock (every other session's
# uploads) for hours; `newslens analyze` is the way for such a corpus.
MAX_UPLOAD_ARTICLES = 10_000


def resolve_store(
    argv: Sequence[str], environ: Mapping[str, str] | None = None
) -> tuple[Path, bool]:
    """The store to show and whether it is the default seeds store.

    `streamlit run dashboard/app.py -- STORE` puts STORE after the script in `sys.argv`; else the
    NEWSLENS_STORE variable; else a store of the bundled seeds inside the project.
    """
    env = os.environ if environ is None else environ
    if len(argv) > 1 and argv[0] and Path(argv[0]).resolve() == APP and argv[1].strip():
        return Path(argv[1]).expanduser().resolve(), False
    if env.get(ENV_STORE, "").strip():
        return Path(env[ENV_STORE]).expanduser().resolve(), False
    return DEFAULT_STORE, True


def uploads_dir(store: Path) -> Path:
    """Where uploaded files are kept: inside the store folder, analysed with the corpus."""
    return store / UPLOADS


def corpus_paths(
    manifest: Mapping[str, Any], store: Path, *, default: Sequence[Path] = ()
) -> list[Path]:
    """The folders and files to analyse the store from: its recorded corpus plus the uploads."""
    recorded = [Path(p) for p in manifest.get("paths", []) if isinstance(p, str)]
    paths = [p for p in recorded if p.exists()] or [p for p in default if p.exists()]
    uploads = uploads_dir(store)
    if uploads.is_dir() and all(p.resolve() != uploads.resolve() for p in paths):
        paths.append(uploads)
    return paths


def missing_paths(manifest: Mapping[str, Any]) -> list[Path]:
    """The store's recorded corpus folders and files that are not there now (moved, renamed, on
    a drive not mounted): a run without them would remove their articles from the store."""
    recorded = [Path(p) for p in manifest.get("paths", []) if isinstance(p, str)]
    return [p for p in recorded if not p.exists()]


def safe_upload_name(name: str, data: bytes) -> str | None:
    """A plain file name for an upload, or None when its type is not one newslens reads.

    Only the last path component survives (both / and \\ count as separators), every character
    but letters, digits, '-', '_' and '.' becomes '-', a leading dot is dropped, and a short hash
    of the content makes names unique: '../../etc/x.txt' becomes 'x-1a2b3c4d.txt'.
    """
    base = PureWindowsPath(PurePosixPath(name.replace("\x00", "")).name).name
    suffix = format_suffix(base)  # '.warc.gz' is one type
    if not suffix or suffix not in SUPPORTED_SUFFIXES:
        return None
    stem = base[: -len(suffix)]
    plain = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    kept: list[str] = []
    for char in plain:
        char = char if char.isalnum() or char in "-_" else "-"
        if not (char == "-" and kept and kept[-1] == "-"):
            kept.append(char)
    cleaned = "".join(kept).strip("-_.")
    digest = hashlib.sha256(data).hexdigest()[:8]
    return f"{(cleaned or 'upload')[:60]}-{digest}{suffix}"


def supported_types() -> list[str]:
    """File extensions for the upload widget (without dots)."""
    return [s.lstrip(".") for s in SUPPORTED_SUFFIXES]
