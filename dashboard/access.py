"""Who may use the dashboard: served on this machine only, or behind a password, or refused.

Pure decisions over plain values (the address Streamlit listens on, the client's address and
headers, the credentials the operator configured), so every case is a row in a test table; the
Streamlit wiring is the gate in `dashboard/app.py`. `python -m dashboard.access --address HOST`
is the check `newslens dashboard` runs before it starts a server.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import ipaddress
import os
import socket
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

ENV_PASSWORD = "NEWSLENS_PASSWORD"
ENV_READ_ONLY = "NEWSLENS_READ_ONLY"
SECTION = "newslens"
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost"})
# Headers a reverse proxy adds: a request through one comes from beyond this machine even when
# the proxy itself connects from 127.0.0.1.
PROXY_HEADERS = ("forwarded", "x-forwarded-for", "x-forwarded-host", "x-real-ip")
_TRUE = frozenset({"1", "true", "yes", "on"})

HOW_TO_SET = (
    "Set a password in `.streamlit/secrets.toml` next to the app (keep that file out of git):\n\n"
    "```toml\n"
    "[newslens]\n"
    'password = "a long passphrase"\n'
    "\n"
    "# or one password per person:\n"
    "[newslens.users]\n"
    'ann = "her passphrase"\n'
    "```\n\n"
    f"or in the `{ENV_PASSWORD}` environment variable, then start the dashboard again. "
    "To keep it on this machine only, serve on 127.0.0.1 (the default of `newslens dashboard`)."
)


class Verdict(Enum):
    """What the gate does with a request."""

    ALLOW = "allow"
    ASK = "ask"  # show the password form
    REFUSE = "refuse"  # served beyond this machine with no password configured


@dataclass(frozen=True)
class Credentials:
    """The operator's password and/or named users' passwords; empty when none is configured."""

    password: str = ""
    users: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    @property
    def configured(self) -> bool:
        return bool(self.password or self.users)

    @property
    def fingerprint(self) -> str:
        """Changes when the passwords change, so a remembered sign-in does not outlive them."""
        digest = hashlib.sha256(repr((self.password, sorted(self.users))).encode("utf-8"))
        return digest.hexdigest()

    def check(self, name: str, password: str) -> str | None:
        """Who signs in with this name and password ('' for the shared password), else None."""
        given = password.encode("utf-8")
        name = name.strip()
        users = dict(self.users)
        if name and name in users:
            return name if hmac.compare_digest(given, users[name].encode("utf-8")) else None
        if self.password and hmac.compare_digest(given, self.password.encode("utf-8")):
            return ""
        hmac.compare_digest(given, given)  # about the same time whether or not a name exists
        return None


def credentials(secrets: Mapping[str, Any], environ: Mapping[str, str]) -> Credentials:
    """The credentials from Streamlit's secrets (`[newslens]` password, `[newslens.users]`) and
    the NEWSLENS_PASSWORD variable, which takes the place of the secrets' shared password."""
    section = secrets.get(SECTION)
    section = section if isinstance(section, Mapping) else {}
    password = environ.get(ENV_PASSWORD) or section.get("password") or ""
    users = section.get("users")
    pairs = (
        tuple(
            sorted(
                (str(name), secret)
                for name, secret in users.items()
                if isinstance(secret, str) and secret and str(name).strip()
            )
        )
        if isinstance(users, Mapping)
        else ()
    )
    return Credentials(password if isinstance(password, str) else "", pairs)


def read_only(environ: Mapping[str, str] | None = None) -> bool:
    """True when the dashboard must change nothing: no uploads, no analysis runs, no edits.

    Set by `newslens dashboard --read-only` or NEWSLENS_READ_ONLY=1. Every page or control that
    writes to the store checks this one function.
    """
    env = os.environ if environ is None else environ
    return env.get(ENV_READ_ONLY, "").strip().lower() in _TRUE


def is_loopback(host: str | None) -> bool:
    """True for an address or name that only this machine can reach (127.0.0.0/8, ::1,
    localhost); False for everything else, including None and '' (all interfaces)."""
    if not host:
        return False
    host = host.strip().strip("[]").lower()
    if host in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%")[0]).is_loopback
    except ValueError:
        return False  # a host name: it may resolve anywhere


def _host_name(host_header: str) -> str:
    """The host part of a Host header: 'localhost:8501' -> 'localhost', '[::1]:8501' -> '::1'."""
    host = host_header.strip()
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def beyond_this_machine(
    address: str | None, client_ip: str | None, headers: Mapping[str, str]
) -> str | None:
    """Why this request counts as coming from beyond this machine, or None when it is local.

    `address` is what the server listens on (None: all interfaces); `client_ip` is the peer's
    address, None when it is loopback or unknown (Streamlit's `st.context.ip_address`); the
    headers add what a proxy or a browser says. Anything that is not clearly local counts as
    remote, so a spoofed header can only ask for the password, never skip it.
    """
    if not is_loopback(address):
        shown = address or "all interfaces"
        return f"the dashboard listens on {shown}, not on this machine only"
    if client_ip is not None and not is_loopback(client_ip):
        return f"the request comes from {client_ip}"
    lowered = {key.lower(): value for key, value in headers.items()}
    for name in PROXY_HEADERS:
        if lowered.get(name):
            return f"the request came through a proxy ({name})"
    host = lowered.get("host")
    if host and not is_loopback(_host_name(host)):
        return f"the request was addressed to {host}"
    return None


def decide(
    *,
    address: str | None,
    client_ip: str | None,
    headers: Mapping[str, str],
    creds: Credentials,
    signed_in: bool,
) -> Verdict:
    """Allow a local request or a signed-in user, ask for the password when one is configured,
    refuse a request from beyond this machine when none is."""
    if beyond_this_machine(address, client_ip, headers) is None:
        return Verdict.ALLOW
    if not creds.configured:
        return Verdict.REFUSE
    return Verdict.ALLOW if signed_in else Verdict.ASK


def refusal(reason: str) -> str:
    """The message shown (and printed) when the dashboard refuses to serve without a password."""
    return f"newslens will not serve this without a password: {reason}.\n\n{HOW_TO_SET}"


def startup_problem(address: str | None, creds: Credentials) -> str | None:
    """Why a server on `address` must not start (no password for a non-local address)."""
    if is_loopback(address) or creds.configured:
        return None
    reason = beyond_this_machine(address, None, {})
    return refusal(reason or "no password is set")


def streamlit_secrets() -> Mapping[str, Any]:
    """Streamlit's secrets (the same files the app reads), empty when there are none."""
    import streamlit as st  # only here: the rest of this module is plain Python

    try:
        return st.secrets.to_dict()
    except (FileNotFoundError, st.errors.StreamlitSecretNotFoundError):
        return {}


def listening(address: str, port: int, *, hostname: str, read_only: bool = False) -> str:
    """The line `newslens dashboard` prints before it starts: the URL and who can reach it."""
    host = address.strip()
    url = f"http://{f'[{host}]' if ':' in host else host}:{port}"
    if is_loopback(host):
        where = "this machine only; --address 0.0.0.0 shares it, with a password"
    elif host in {"0.0.0.0", "::"}:
        where = f"every interface, a password asked for; from elsewhere http://{hostname}:{port}"
    else:
        where = "shared, a password asked for"
    return f"newslens dashboard on {url} ({where}{', read-only' if read_only else ''})"


def main(argv: Sequence[str] | None = None) -> int:
    """Print where the dashboard will listen, or the refusal (exit 2) when it would have no
    password on an address beyond this machine."""
    parser = argparse.ArgumentParser(
        prog="python -m dashboard.access",
        description="Check that the dashboard may be served on ADDRESS and say where it will be.",
    )
    parser.add_argument("--address", required=True, help="the address the server will use")
    parser.add_argument("--port", type=int, default=8501, help="the port it will use")
    args = parser.parse_args(argv)
    if not args.address.strip():
        print("--address must not be empty (try 127.0.0.1)", file=sys.stderr)
        return 2
    if not is_loopback(args.address):  # only then do the secrets matter (and streamlit loads)
        problem = startup_problem(args.address, credentials(streamlit_secrets(), os.environ))
        if problem is not None:
            print(problem, file=sys.stderr)
            return 2
    line = listening(args.address, args.port, hostname=socket.gethostname(), read_only=read_only())
    print(line, flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
