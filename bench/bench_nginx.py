"""What the shipped nginx configuration does to an attacker, measured on loopback.

    python bench/bench_nginx.py [--idle 110]

Starts `decuong serve --behind-proxy` and Debian's nginx with deploy/nginx/decuong.conf (the
reverse-proxy tests' harness, tests/reliability/rel_nginx.py), then measures:

- a declared 60 MB body to POST /auth/login: seconds until nginx's 413 starts, with no body
  byte sent;
- `--idle` connections with unfinished headers and `--idle` with a half-sent body (to a
  report's page, so only the per-address connection limit applies), all from 127.0.0.2: how
  many nginx refused at once (429), how long another address's login takes meanwhile, and
  seconds until nginx has closed every silent connection.
"""

from __future__ import annotations

import argparse
import contextlib
import ssl
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests" / "reliability")]

from rel_nginx import Nginx  # noqa: E402
from rel_web import LOAD_COORDINATOR, LOAD_PASSWORD, TOKEN, Server, build_units_db  # noqa: E402


def declared_60_mb(proxy: Nginx) -> float:
    with proxy.raw_tls() as sock:
        started = time.monotonic()
        sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     + f"Content-Length: {60 * 1024 * 1024}\r\n\r\n".encode())
        assert sock.recv(100).startswith(b"HTTP/1.1 413")
        return time.monotonic() - started


def login_seconds(proxy: Nginx) -> float:
    started = time.monotonic()
    conn = proxy.https()
    conn.request("GET", "/auth/login")
    response = conn.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    body = urllib.parse.urlencode({"csrf_token": TOKEN.search(page).group(1),
                                   "username": LOAD_COORDINATOR, "password": LOAD_PASSWORD})
    conn.request("POST", "/auth/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
        "Referer": f"https://127.0.0.1:{proxy.https_port}/auth/login"})
    response = conn.getresponse()
    response.read()
    assert response.status == 302, response.status
    return time.monotonic() - started


def attack(proxy: Nginx, idle: int) -> None:
    silent, half_body = [], []
    opened = time.monotonic()
    for _ in range(idle):
        sock = proxy.raw_tls("127.0.0.2")
        sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        silent.append(sock)
    for _ in range(idle):
        sock = proxy.raw_tls("127.0.0.2")
        sock.sendall(b"POST /rounds/1/units/U01/edit HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Length: 40\r\n\r\nab")
        half_body.append(sock)
    print(f"login from another address during the attack: {login_seconds(proxy):.2f} s")
    time.sleep(0.5)
    refused = 0
    for sock in half_body:
        sock.setblocking(False)
        with contextlib.suppress(ssl.SSLWantReadError):
            refused += sock.recv(100).startswith(b"HTTP/1.1 429")
    print(f"half-sent bodies refused at once (429): {refused} of {idle}")
    for sock in silent:
        sock.settimeout(30)
        with contextlib.suppress(OSError, ssl.SSLError):
            sock.recv(1)
    print(f"every silent connection closed by nginx after {time.monotonic() - opened:.1f} s")
    for sock in silent + half_body:
        sock.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--idle", type=int, default=110)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "decuong.db"
        build_units_db(db, 1)
        app = Server(db, Path(folder) / "instance", threads=2, args=("--behind-proxy",))
        app.start()
        proxy = Nginx(Path(folder) / "nginx", app.port)
        try:
            proxy.start()
            print(f"declared 60 MB to /auth/login: 413 after {declared_60_mb(proxy):.3f} s")
            print(f"login with no attack: {login_seconds(proxy):.2f} s")
            attack(proxy, args.idle)
        finally:
            proxy.stop()
            app.stop()


if __name__ == "__main__":
    main()
