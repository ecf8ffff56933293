"""What the web benchmarks share: a logged-in HTTP session on loopback, a free port and a
percentile, so each benchmark holds only its own scenario."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


class Session:
    """One logged-in browser: a keep-alive connection, its session cookie and CSRF token.

    `every_page_token` reads the token from every HTML answer (needed to post forms other than
    the login); off, only login pages are scanned, which keeps large pages cheap for the client.
    """

    def __init__(self, port: int, *, every_page_token: bool = True, timeout: float = 60) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        self.cookie = ""
        self.token = ""
        self.every_page_token = every_page_token

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie" and value.startswith("session="):
                self.cookie = value.split(";", 1)[0]
        if self.every_page_token or path.startswith("/auth/"):
            found = TOKEN.search(data.decode("utf-8", "replace"))
            if found:
                self.token = found.group(1)
        return response.status, data

    def login(self, username: str, password: str) -> None:
        self.request("GET", "/auth/login")
        status, _ = self.request("POST", "/auth/login", {
            "csrf_token": self.token, "username": username, "password": password})
        assert status == 302, f"login of {username} answered {status}"


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(db_path: Path, folder: Path, *, threads: int | None = None,
           probes: int = 300) -> Iterator[tuple[int, list[str]]]:
    """A real `decuong serve` of `db_path` on a free loopback port, answering /healthz, until
    the block ends; yields the port and the command (which the benchmarks print)."""
    port = free_port()
    command = [sys.executable, "-m", "decuong_cli", "serve", "--db", str(db_path),
               "--host", "127.0.0.1", "--port", str(port),
               *(["--threads", str(threads)] if threads is not None else []),
               "--instance", str(folder / "instance")]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(probes):
            try:
                probe = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                probe.request("GET", "/healthz")
                if probe.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        yield port, command
    finally:
        server.terminate()
        server.wait(timeout=10)
