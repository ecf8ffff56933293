"""Helpers of the web reliability tests: the web tests' demo database and test app (imported
from tests/webapp/web_helpers.py), a real `decuong serve` (waitress) on a free loopback port, and
an HTTP client that logs in, keeps its session cookie and sends the CSRF token like a browser.

A module of its own (not conftest) so test modules import it by a name no other test folder
uses.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
WEB_TESTS = ROOT / "tests" / "webapp"
if str(WEB_TESTS) not in sys.path:  # web_helpers lives beside the web tests
    sys.path.insert(0, str(WEB_TESTS))

from web_helpers import (  # noqa: E402
    COORDINATOR,
    EXAMPLE_OUTLINE,
    PASSWORDS,
    UNIT_A,
    UNIT_B,
    USER_A,
    USER_B,
    as_user,
    build_demo_db,
    create_test_app,
    text,
)

__all__ = ["COORDINATOR", "EXAMPLE_OUTLINE", "PASSWORDS", "UNIT_A", "UNIT_B", "USER_A",
           "USER_B", "HttpSession", "Server", "as_user", "build_demo_db", "create_test_app",
           "free_port", "text"]

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`decuong serve` in a subprocess on 127.0.0.1 (waitress), startable again on the same
    database and port after a SIGKILL."""

    def __init__(self, db_path: Path, instance: Path, threads: int = 8,
                 args: tuple[str, ...] = ()) -> None:
        self.db_path, self.instance, self.threads = db_path, instance, threads
        self.args = args  # more `decuong serve` options
        self.port = free_port()
        self.process: subprocess.Popen | None = None
        self.log = instance.parent / f"serve-{self.port}.log"

    def start(self, timeout: float = 15) -> None:
        command = [sys.executable, "-m", "decuong_cli", "serve", "--db", str(self.db_path),
                   "--host", "127.0.0.1", "--port", str(self.port), "--threads",
                   str(self.threads), "--instance", str(self.instance), *self.args]
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("DECUONG_SECURE_COOKIES", None)  # plain http on loopback
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                            stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("decuong serve exited: " + self.log.read_text("utf-8"))
            try:
                probe = http.client.HTTPConnection("127.0.0.1", self.port, timeout=1)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    probe.close()
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"decuong serve did not answer within {timeout} s")

    def kill(self) -> None:
        """SIGKILL: no handler runs, no connection is closed cleanly."""
        if self.process is not None and self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


class HttpSession:
    """One browser: a keep-alive connection, its session cookie and its latest CSRF token."""

    def __init__(self, port: int, timeout: float = 60) -> None:
        self.port, self.timeout = port, timeout
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookie = ""
        self.token = ""
        self.set_cookies: list[str] = []

    def reconnect(self) -> None:
        self.conn.close()
        self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)

    def request(self, method: str, path: str, form: dict[str, Any] | None = None,
                files: dict[str, tuple[str, bytes, str]] | None = None
                ) -> tuple[int, str, dict[str, str]]:
        """(status, body text, headers). `files` sends multipart/form-data with `form`."""
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body: bytes | None = None
        if files is not None:
            body, content_type = multipart(form or {}, files)
            headers["Content-Type"] = content_type
        elif form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
            self.reconnect()  # the server closed a kept-alive connection: once more
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        got = {k.lower(): v for k, v in response.getheaders()}
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                self.set_cookies.append(value)
                if value.startswith("session="):
                    self.cookie = value.split(";", 1)[0]
        content_type = got.get("content-type", "")
        body_text = data.decode("utf-8", "replace") if "text" in content_type else ""
        found = TOKEN.search(body_text)
        if found:
            self.token = found.group(1)
        return response.status, body_text, got

    def login(self, username: str, password: str) -> None:
        self.request("GET", "/auth/login")
        status, _, _ = self.request("POST", "/auth/login", {
            "csrf_token": self.token, "username": username, "password": password})
        assert status == 302, f"login of {username} answered {status}"

    def close(self) -> None:
        self.conn.close()


def multipart(form: dict[str, Any], files: dict[str, tuple[str, bytes, str]]
              ) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in form.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                     f"{value}\r\n".encode())
    for name, (file_name, content, media_type) in files.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                     f'filename="{file_name}"\r\nContent-Type: {media_type}\r\n\r\n'.encode()
                     + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


LOAD_PASSWORD = "thu-tai-2025"
LOAD_COORDINATOR = "dau-moi"


def build_units_db(path: Path, units: int) -> tuple[int, dict[str, str]]:
    """A fresh database: the Cẩm Giang outline, `units` units (U01…) in one open round with a far
    deadline, an account per unit and a coordinator, all with LOAD_PASSWORD. Returns the round
    id and {username: unit code}.

    The coordinator is made with `store.add_account`; unit accounts are rows with a copy of its
    salted hash (hashing is deliberately slow: 50 of them would cost seconds of set-up).
    """
    from datetime import date

    import store
    from forms import find_outline

    db = store.open_db(path)
    try:
        outline, outline_path = find_outline("cam-giang-cchc-2025")
        store.register_outline(db, outline_path.read_text(encoding="utf-8"), actor="test")
        codes = [f"U{n:02d}" for n in range(1, units + 1)]
        store.upsert_units(db, [{"code": c, "name": f"Đơn vị thử tải {c}"} for c in codes])
        round_id = store.create_round(
            db, outline_id=outline.id, outline_version=outline.version, title="Đợt thử tải",
            period_start="2025-07-01", period_end=None, period_label="6 tháng cuối năm 2025",
            deadline=store.deadline_end_of_day(date(2099, 12, 31)), units=codes,
            created_by="test")
        store.add_account(db, LOAD_COORDINATOR, LOAD_PASSWORD, "coordinator")
        users = {code.lower(): code for code in codes}
        with db.conn:
            db.conn.executemany(
                "INSERT INTO accounts (username, password_hash, role, unit_code, created_at)"
                " SELECT ?, password_hash, 'unit', ?, created_at FROM accounts"
                " WHERE username = ?", [(u, c, LOAD_COORDINATOR) for u, c in users.items()])
        assert len(store.list_accounts(db, role="unit")) == units
    finally:
        db.close()
    return round_id, users
