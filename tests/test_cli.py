"""The `newslens` command end to end on the seeds, and its help texts."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from analysis.cli import build_parser, main
from analysis.query import EXPORT_COLUMNS
from analysis.store import Store
from analysis.tables import SCHEMAS, TABLES

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("store")
    assert main(["analyze", str(ROOT / "seeds"), "--out", str(out), "--quiet"]) == 0
    return out


def test_every_command_has_help() -> None:
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():  # type: ignore[union-attr]
        assert sub.description, name
        for action in sub._actions:
            assert action.help, f"{name} {action.dest}"


@pytest.mark.parametrize("command", ["analyze", "export", "dashboard"])
def test_help_runs(command: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "analysis.cli", command, "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0 and "usage: newslens" in result.stdout


def test_analyze_writes_all_tables(store: Path) -> None:
    for table in TABLES:
        frame = Store(store).read(table)
        assert list(frame.columns) == list(SCHEMAS[table])
    documents = Store(store).read("documents")
    assert len(documents) == 1
    assert documents.loc[0, "published"] == pd.Timestamp("2025-12-13")
    readability = Store(store).read("readability")
    assert readability.drop(columns=["doc_id", "text_standard"]).notna().all().all()
    manifest = json.loads((store / "manifest.json").read_text())
    assert manifest["tables"]["documents"] == 1


def test_rerun_is_incremental(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(ROOT / "seeds"), "--out", str(store), "--quiet"]) == 0
    assert "0 analysed, 1 unchanged" in capsys.readouterr().err


def test_export_csv_to_stdout(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(store), "--table", "documents"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert frame.loc[0, "published"] == "2025-12-13"
    assert list(frame.columns) == list(EXPORT_COLUMNS["documents"])


@pytest.mark.parametrize("fmt", ["json", "parquet", "csv"])
def test_export_formats_to_file(store: Path, tmp_path: Path, fmt: str) -> None:
    out = tmp_path / f"mentions.{fmt}"
    assert (
        main(["export", str(store), "--table", "mentions", "--format", fmt, "--output", str(out)])
        == 0
    )
    reader = {"json": pd.read_json, "parquet": pd.read_parquet, "csv": pd.read_csv}[fmt]
    assert len(reader(out)) == len(Store(store).read("mentions"))


def test_export_filters(store: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(store), "--table", "documents", "--since", "2025-12-14"]) == 0
    assert len(pd.read_csv(io.StringIO(capsys.readouterr().out))) == 0
    assert (
        main(
            [
                "export",
                str(store),
                "--table",
                "documents",
                "--until",
                "2025-12-13",
                "--entity",
                "Lithuania",
            ]
        )
        == 0
    )
    assert len(pd.read_csv(io.StringIO(capsys.readouterr().out))) == 1
    # An entity the store does not know is an error naming the closest ones, not "no rows".
    assert main(["export", str(store), "--table", "documents", "--entity", "Lukashenka"]) == 2
    assert "no entity is named 'Lukashenka'; closest: Alexander Lukashenko" in (
        capsys.readouterr().err
    )


@pytest.mark.parametrize("table", ["ledger", "ledger_figures", "cooccurrence", "speakers"])
def test_export_aggregates(store: Path, capsys: pytest.CaptureFixture[str], table: str) -> None:
    assert main(["export", str(store), "--table", table, "--top", "5"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert 0 < len(frame) <= {"cooccurrence": 10, "ledger_figures": 10**6}.get(table, 5)
    text = frame.to_csv()
    assert "[" not in text and "array(" not in text  # lists are joined, never a repr


def test_export_of_a_missing_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(tmp_path), "--table", "quotes"]) == 1
    assert "not a newslens store" in capsys.readouterr().err


def test_bad_files_are_listed_and_the_rest_analysed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00")
    (corpus / "bad.json").write_text("{not json")
    (corpus / "good.txt").write_text("2025-12-13\ngood-story\n\nThe mayor of Lyon resigned.")
    assert main(["analyze", str(corpus), "--out", str(tmp_path / "s"), "--quiet"]) == 0
    err = capsys.readouterr().err
    for name, reason in [
        ("empty.txt", "empty file"),
        ("photo.txt", "binary file"),
        ("bad.json", "malformed JSON"),
    ]:
        assert f"{corpus / name}" in err and reason in err
    assert "1 analysed" in err and "3 skipped" in err


def test_nothing_readable_exits_non_zero(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    assert main(["analyze", str(tmp_path), "--out", str(tmp_path / "s"), "--quiet"]) == 1
    assert "no article could be read" in capsys.readouterr().err
    assert not (tmp_path / "s" / "documents.parquet").exists()


def test_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(tmp_path / "nope"), "--out", str(tmp_path / "s")]) == 2
    assert "no such file or folder" in capsys.readouterr().err


def test_engine_errors_are_messages_not_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "analyze",
            str(ROOT / "seeds"),
            "--out",
            str(tmp_path / "s"),
            "--quiet",
            "--scheduler",
            "tcp://127.0.0.1:1",
        ]
    )
    assert code == 1
    assert "--scheduler needs --engine dask" in capsys.readouterr().err


# -- newslens dashboard: where it listens, and who may use it -----------------------------------


@pytest.fixture
def no_password(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No password anywhere: not in the environment, not in a secrets file."""
    if (ROOT / ".streamlit" / "secrets.toml").exists():
        pytest.skip("this checkout has a .streamlit/secrets.toml")
    monkeypatch.delenv("NEWSLENS_PASSWORD", raising=False)
    monkeypatch.delenv("NEWSLENS_READ_ONLY", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))  # no ~/.streamlit/secrets.toml either


@pytest.fixture
def servers(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], dict[str, str]]]:
    """The servers `newslens dashboard` would start; the access check runs for real."""
    import analysis.cli

    started: list[tuple[list[str], dict[str, str]]] = []

    def serve(command: list[str], env: dict[str, str]) -> int:
        assert command[1:4] == ["-m", "streamlit", "run"]
        started.append((command, dict(env)))
        return 0

    monkeypatch.setattr(analysis.cli, "_serve", serve)
    return started


def test_stopping_the_dashboard_command_stops_its_server(tmp_path: Path) -> None:
    # A service manager stops `newslens dashboard` with SIGTERM: the server it started must
    # not live on, holding the port. Here the "server" is a sleeping child that says its pid.
    import os
    import signal
    import time

    pid_file = tmp_path / "server.pid"
    child = f"import os, time; open({str(pid_file)!r}, 'w').write(str(os.getpid())); time.sleep(60)"
    runner = (
        "import os, sys; from analysis.cli import _serve; "
        f"sys.exit(_serve([sys.executable, '-c', {child!r}], dict(os.environ)))"
    )
    parent = subprocess.Popen([sys.executable, "-c", runner], cwd=ROOT)
    deadline = time.monotonic() + 30
    while not (pid_file.is_file() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.05)
    server = int(pid_file.read_text())
    parent.send_signal(signal.SIGTERM)
    parent.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(server, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        os.kill(server, signal.SIGKILL)
        pytest.fail("the server outlived the dashboard command")


def test_dashboard_listens_on_this_machine_by_default(
    no_password: None,
    servers: list[tuple[list[str], dict[str, str]]],
    capfd: pytest.CaptureFixture[str],
) -> None:
    assert main(["dashboard", "--port", "8765"]) == 0
    [(command, env)] = servers
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert command[command.index("--server.port") + 1] == "8765"
    assert "NEWSLENS_READ_ONLY" not in env
    out = capfd.readouterr().out
    assert "http://127.0.0.1:8765 (this machine only" in out


def test_dashboard_on_every_interface_without_a_password_refuses_to_start(
    no_password: None,
    servers: list[tuple[list[str], dict[str, str]]],
    capfd: pytest.CaptureFixture[str],
) -> None:
    assert main(["dashboard", "--address", "0.0.0.0"]) == 2
    assert not servers
    err = capfd.readouterr().err
    assert "without a password" in err and "[newslens]" in err and "NEWSLENS_PASSWORD" in err


def test_dashboard_shared_with_a_password_and_read_only(
    no_password: None,
    servers: list[tuple[list[str], dict[str, str]]],
    capfd: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("NEWSLENS_PASSWORD", "correct horse")
    assert main(["dashboard", str(tmp_path), "--address", "0.0.0.0", "--read-only"]) == 0
    [(command, env)] = servers
    assert command[command.index("--server.address") + 1] == "0.0.0.0"
    assert command[-2:] == ["--", str(tmp_path.resolve())]
    assert env["NEWSLENS_READ_ONLY"] == "1"
    out = capfd.readouterr().out
    assert "http://0.0.0.0:8501" in out and "read-only" in out
    assert "correct horse" not in out


def test_dashboard_help_documents_address_and_read_only(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["dashboard", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "--address HOST" in help_text and "default: 127.0.0.1" in help_text
    assert "--read-only" in help_text and "NEWSLENS_PASSWORD" in help_text


def test_analyze_maps_export_columns_with_fields(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "a.csv").write_text(
        "headline,publish_date,media_name,story,body\n"
        '"Belarus frees prisoners",2025-12-13,Wire,"x",'
        '"Belarus freed 123 prisoners, officials said."\n',
        encoding="utf-8",
    )
    store = tmp_path / "s"
    args = ["analyze", str(folder), "--out", str(store), "--quiet"]
    assert main([*args, "--fields", "text=body"]) == 0
    documents = Store(store).read("documents")
    assert documents["text"].tolist() == ["Belarus freed 123 prisoners, officials said."]
    assert documents["source"].tolist() == ["Wire"]
    with pytest.raises(SystemExit):
        main([*args, "--fields", "nonsense"])
    assert "FIELD=COLUMN" in capsys.readouterr().err


def test_search_in_an_index_of_an_older_layout_says_so(
    store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import with_older_index

    old = with_older_index(store, tmp_path / "old")
    assert main(["search", str(old), "potash"]) == 1
    assert "older newslens" in capsys.readouterr().err  # not "0 hit(s)"
    assert main(["export", str(old), "--table", "quotes", "--query", "potash"]) == 1
    assert "run `newslens analyze`" in capsys.readouterr().err
    assert main(["export", str(old), "--table", "quotes", "--format", "json"]) == 0  # no query
