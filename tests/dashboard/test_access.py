"""Who may use the dashboard: tables of (address, client, headers, passwords) -> verdict."""

from __future__ import annotations

from typing import Any

import pytest

from dashboard.access import (
    ENV_PASSWORD,
    Credentials,
    Verdict,
    beyond_this_machine,
    credentials,
    decide,
    is_loopback,
    listening,
    main,
    read_only,
    startup_problem,
)

NONE = Credentials()
SHARED = Credentials(password="correct horse")
USERS = Credentials(users=(("ann", "her passphrase"), ("bo", "his passphrase")))


@pytest.mark.parametrize(
    ("host", "expected"),
    [
        ("127.0.0.1", True),
        ("127.0.1.1", True),
        ("::1", True),
        ("[::1]", True),
        ("localhost", True),
        ("LOCALHOST", True),
        ("0.0.0.0", False),
        ("::", False),
        ("192.168.1.20", False),
        ("10.0.0.1", False),
        ("newsroom.example.org", False),  # a name may resolve anywhere
        ("localhost.evil.example", False),
        ("", False),  # Streamlit's unset address: every interface
        (None, False),
    ],
)
def test_is_loopback(host: str | None, expected: bool) -> None:
    assert is_loopback(host) is expected


LOCAL = {"host": "127.0.0.1:8501"}


@pytest.mark.parametrize(
    ("address", "client_ip", "headers", "reason"),
    [
        ("127.0.0.1", None, LOCAL, None),
        ("127.0.0.1", None, {"Host": "localhost:8501"}, None),
        ("127.0.0.1", None, {"Host": "[::1]:8501"}, None),
        ("localhost", None, {}, None),  # no headers known (AppTest): the address decides
        ("::1", "::1", {}, None),
        ("0.0.0.0", None, LOCAL, "listens on 0.0.0.0"),
        (None, None, LOCAL, "listens on all interfaces"),
        ("192.168.1.20", None, {}, "listens on 192.168.1.20"),
        # Started locally, yet the request comes from elsewhere.
        ("127.0.0.1", "203.0.113.9", LOCAL, "comes from 203.0.113.9"),
        ("127.0.0.1", None, {"X-Forwarded-For": "203.0.113.9", **LOCAL}, "proxy"),
        ("127.0.0.1", None, {"Forwarded": "for=203.0.113.9", **LOCAL}, "proxy"),
        ("127.0.0.1", None, {"X-Real-IP": "203.0.113.9", **LOCAL}, "proxy"),
        # A page that rebinds its own name to 127.0.0.1 still sends its name.
        ("127.0.0.1", None, {"Host": "evil.example:8501"}, "addressed to evil.example"),
    ],
)
def test_beyond_this_machine(
    address: str | None, client_ip: str | None, headers: dict[str, str], reason: str | None
) -> None:
    found = beyond_this_machine(address, client_ip, headers)
    if reason is None:
        assert found is None
    else:
        assert found is not None and reason in found


@pytest.mark.parametrize(
    ("address", "client_ip", "headers", "creds", "signed_in", "verdict"),
    [
        # On this machine: no password needed, whether or not one is set.
        ("127.0.0.1", None, LOCAL, NONE, False, Verdict.ALLOW),
        ("127.0.0.1", None, LOCAL, SHARED, False, Verdict.ALLOW),
        # Beyond it: the password form, then through once signed in.
        ("0.0.0.0", None, LOCAL, SHARED, False, Verdict.ASK),
        ("0.0.0.0", "192.168.1.7", {}, USERS, False, Verdict.ASK),
        ("0.0.0.0", "192.168.1.7", {}, USERS, True, Verdict.ALLOW),
        ("127.0.0.1", "203.0.113.9", LOCAL, SHARED, False, Verdict.ASK),
        ("127.0.0.1", None, {"X-Forwarded-For": "203.0.113.9"}, SHARED, False, Verdict.ASK),
        # Beyond it with no password configured: refused, signed in or not.
        ("0.0.0.0", None, LOCAL, NONE, False, Verdict.REFUSE),
        (None, None, {}, NONE, False, Verdict.REFUSE),
        ("127.0.0.1", "203.0.113.9", LOCAL, NONE, True, Verdict.REFUSE),
    ],
)
def test_decide(
    address: str | None,
    client_ip: str | None,
    headers: dict[str, str],
    creds: Credentials,
    signed_in: bool,
    verdict: Verdict,
) -> None:
    got = decide(
        address=address, client_ip=client_ip, headers=headers, creds=creds, signed_in=signed_in
    )
    assert got is verdict


@pytest.mark.parametrize(
    ("creds", "name", "password", "who"),
    [
        (SHARED, "", "correct horse", ""),
        (SHARED, "anyone", "correct horse", ""),
        (SHARED, "", "correct horse ", None),
        (SHARED, "", "", None),
        (USERS, "ann", "her passphrase", "ann"),
        (USERS, " ann ", "her passphrase", "ann"),
        (USERS, "ann", "his passphrase", None),  # another user's password
        (USERS, "carl", "her passphrase", None),
        (USERS, "", "her passphrase", None),
        (NONE, "", "", None),  # nothing configured: nobody signs in
        (Credentials(password="pässwört"), "", "pässwört", ""),  # non-ASCII compares as bytes
        (Credentials(password="x", users=(("ann", "y"),)), "ann", "x", None),
        (Credentials(password="x", users=(("ann", "y"),)), "bo", "x", ""),
    ],
)
def test_check(creds: Credentials, name: str, password: str, who: str | None) -> None:
    assert creds.check(name, password) == who


@pytest.mark.parametrize(
    ("secrets", "environ", "expected"),
    [
        ({}, {}, NONE),
        ({"newslens": {"password": "s"}}, {}, Credentials(password="s")),
        ({"newslens": {"password": "s"}}, {ENV_PASSWORD: "e"}, Credentials(password="e")),
        ({}, {ENV_PASSWORD: "e"}, Credentials(password="e")),
        ({}, {ENV_PASSWORD: ""}, NONE),
        (
            {"newslens": {"users": {"bo": "b", "ann": "a", "empty": "", "num": 3}}},
            {},
            Credentials(users=(("ann", "a"), ("bo", "b"))),
        ),
        ({"newslens": "not a table"}, {}, NONE),
        ({"newslens": {"password": 1234}}, {}, NONE),  # a number is no password: quote it
        ({"other": {"password": "s"}}, {}, NONE),
    ],
)
def test_credentials_from_secrets_and_environment(
    secrets: dict[str, Any], environ: dict[str, str], expected: Credentials
) -> None:
    assert credentials(secrets, environ) == expected


def test_a_changed_password_changes_the_fingerprint() -> None:
    assert SHARED.fingerprint == Credentials(password="correct horse").fingerprint
    assert SHARED.fingerprint != Credentials(password="another").fingerprint
    changed = Credentials(users=(("ann", "new"), ("bo", "his passphrase")))
    assert USERS.fingerprint != changed.fingerprint


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1", True), ("true", True), ("YES", True), (" on ", True), ("0", False), ("", False)],
)
def test_read_only(value: str, expected: bool) -> None:
    assert read_only({"NEWSLENS_READ_ONLY": value}) is expected
    assert read_only({}) is False


@pytest.mark.parametrize(
    ("address", "creds", "refused"),
    [
        ("127.0.0.1", NONE, False),
        ("localhost", NONE, False),
        ("0.0.0.0", NONE, True),
        ("192.168.1.20", NONE, True),
        ("0.0.0.0", SHARED, False),
        ("0.0.0.0", USERS, False),
    ],
)
def test_startup_problem(address: str, creds: Credentials, refused: bool) -> None:
    problem = startup_problem(address, creds)
    assert (problem is not None) is refused
    if problem:
        assert "[newslens]" in problem and ENV_PASSWORD in problem and address in problem


@pytest.mark.parametrize(
    ("address", "read_only_", "expected"),
    [
        ("127.0.0.1", False, "http://127.0.0.1:8501 (this machine only"),
        ("::1", False, "http://[::1]:8501 (this machine only"),
        ("0.0.0.0", False, "from elsewhere http://newsroom:8501)"),
        ("10.0.0.5", True, "http://10.0.0.5:8501 (shared, a password asked for, read-only)"),
    ],
)
def test_listening_says_where(address: str, read_only_: bool, expected: str) -> None:
    assert expected in listening(address, 8501, hostname="newsroom", read_only=read_only_)


def test_check_refuses_a_shared_address_without_a_password(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import dashboard.access

    monkeypatch.delenv(ENV_PASSWORD, raising=False)
    monkeypatch.setattr(dashboard.access, "streamlit_secrets", lambda: {})
    assert main(["--address", "0.0.0.0"]) == 2
    captured = capsys.readouterr()
    assert "without a password" in captured.err and not captured.out
    monkeypatch.setenv(ENV_PASSWORD, "s3cret")
    assert main(["--address", "0.0.0.0", "--port", "9000"]) == 0
    out = capsys.readouterr().out
    assert "http://0.0.0.0:9000" in out and "s3cret" not in out
    assert main(["--address", " "]) == 2
