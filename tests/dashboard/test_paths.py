"""Where the store lives, and upload names that can never be paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from dashboard.paths import (
    APP,
    DEFAULT_STORE,
    PROJECT,
    corpus_paths,
    resolve_store,
    safe_upload_name,
    supported_types,
)


def test_store_from_command_line_then_env_then_default(tmp_path: Path) -> None:
    env = {"NEWSLENS_STORE": str(tmp_path / "env")}
    assert resolve_store([str(APP), str(tmp_path / "cli")], env) == (tmp_path / "cli", False)
    assert resolve_store([str(APP)], env) == (tmp_path / "env", False)
    assert resolve_store([str(APP)], {}) == (DEFAULT_STORE, True)
    # Another program's arguments (pytest's, under AppTest) are not a store.
    assert resolve_store(["pytest", "tests/dashboard"], {}) == (DEFAULT_STORE, True)


def test_default_store_is_inside_the_project() -> None:
    assert DEFAULT_STORE.is_relative_to(PROJECT)
    assert APP.is_file()


@pytest.mark.parametrize(
    ("name", "stem", "suffix"),
    [
        ("article.txt", "article", ".txt"),
        ("../../etc/x.txt", "x", ".txt"),
        ("..\\..\\windows\\evil.HTML", "evil", ".html"),
        ("/abs/path/news.jsonl", "news", ".jsonl"),
        (".hidden.md", "hidden", ".md"),
        ("rapport été 2021.csv", "rapport-ete-2021", ".csv"),
        ("a\x00b.json", "ab", ".json"),
        ("$(rm -rf ~).txt", "rm-rf", ".txt"),
        ("...txt", "upload", ".txt"),
    ],
)
def test_safe_upload_names(name: str, stem: str, suffix: str) -> None:
    safe = safe_upload_name(name, b"data")
    assert safe is not None
    assert safe.endswith(suffix)
    assert safe.startswith(stem + "-")
    assert Path(safe).name == safe and not safe.startswith(".")
    assert all(c.isalnum() or c in "-_." for c in safe)


@pytest.mark.parametrize("name", ["x.exe", "noext", "x.txt.sh", "image.png", ""])
def test_unsupported_uploads_are_refused(name: str) -> None:
    assert safe_upload_name(name, b"data") is None


def test_same_content_same_name_different_content_different_name() -> None:
    assert safe_upload_name("a.txt", b"1") == safe_upload_name("a.txt", b"1")
    assert safe_upload_name("a.txt", b"1") != safe_upload_name("a.txt", b"2")


def test_corpus_paths_keep_the_recorded_corpus_and_add_uploads(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    store = tmp_path / "store"
    manifest = {"paths": [str(corpus), str(tmp_path / "gone")]}
    assert corpus_paths(manifest, store) == [corpus]
    (store / "uploads").mkdir(parents=True)
    assert corpus_paths(manifest, store) == [corpus, store / "uploads"]
    assert corpus_paths({}, store, default=[corpus]) == [corpus, store / "uploads"]
    recorded = {"paths": [str(store / "uploads")]}
    assert corpus_paths(recorded, store) == [store / "uploads"]


def test_supported_types_have_no_leading_dots() -> None:
    # "warc.gz" is one type with a dot inside: Streamlit matches a type by how a name ends.
    assert "txt" in supported_types() and all(not t.startswith(".") for t in supported_types())


def test_upload_limit_matches_the_streamlit_config() -> None:
    import tomllib

    from dashboard.paths import MAX_UPLOAD_MB

    config = tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["maxUploadSize"] == MAX_UPLOAD_MB
    assert config["browser"]["gatherUsageStats"] is False


def test_the_served_dashboard_neither_collects_garbage_nor_watches_files_after_a_run() -> None:
    """Streamlit's own reading of the project's config: a misspelt or misplaced key would be
    dropped with a warning and the defaults (a full GC and a file watcher after every run)
    would come back."""
    import subprocess
    import sys

    script = (
        "from streamlit import config; "
        "print(config.get_option('runner.postScriptGC'), "
        "config.get_option('server.fileWatcherType'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "none"]


def test_a_web_archive_upload_keeps_its_two_part_type() -> None:
    from dashboard.paths import safe_upload_name

    name = safe_upload_name("crawl of 2025.warc.gz", b"WARC/1.0")
    assert name is not None and name.startswith("crawl-of-2025-") and name.endswith(".warc.gz")
