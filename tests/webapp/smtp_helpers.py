"""A real SMTP server for the reminder tests: aiosmtpd's Controller on a free 127.0.0.1 port,
keeping every message it accepts and answering 550 for the recipients it is told to refuse.
A plain module (not conftest) so the web and CLI tests import it by one name."""

from __future__ import annotations

import email
import email.policy
import socket
import ssl
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    """A TCP port nothing listens on (bound and released at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class Inbox:
    """The aiosmtpd handler: accepts everything except `refuse`, records what arrived."""

    refuse: set[str] = field(default_factory=set)
    received: list[Received] = field(default_factory=list)
    port: int = 0

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str,
                          rcpt_options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [r.message for r in self.received if address in r.rcpt_tos]


@contextmanager
def smtp_server(refuse: set[str] | None = None, **controller: Any) -> Iterator[Inbox]:
    """Run a real SMTP server for the duration of the block."""
    inbox = Inbox(refuse=set(refuse or ()))
    inbox.port = free_port()
    running = Controller(inbox, hostname="127.0.0.1", port=inbox.port, **controller)
    running.start()
    try:
        yield inbox
    finally:
        running.stop()


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 made with the openssl command line: (cert, key)."""
    cert, key = folder / "smtp-cert.pem", folder / "smtp-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True, capture_output=True)
    return cert, key


def server_tls(cert: Path, key: Path) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(cert), str(key))
    return context


def password_checker(user: str, password: str) -> Any:
    """An aiosmtpd authenticator accepting exactly one login."""

    def check(server: Any, session: Any, envelope: Any, mechanism: str,
              auth_data: Any) -> AuthResult:
        ok = (getattr(auth_data, "login", None) == user.encode()
              and getattr(auth_data, "password", None) == password.encode())
        return AuthResult(success=ok, handled=False)

    return check
