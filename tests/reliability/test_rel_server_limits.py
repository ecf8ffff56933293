"""`decuong serve`'s own limits, measured on a real waitress over loopback sockets.

- A 60 MB body to POST /auth/login is refused by waitress as soon as the headers are read:
  the 413 comes back before the client has sent one byte of the body. (Before, waitress read
  and spooled all 60 MB and only then did Flask answer 413.)
  Its answer is in Vietnamese too (waitress's own line replaced, webapp/serving.py).
- A body just over the upload cap still reaches Flask, which answers with its Vietnamese page.
- 110 idle, half-sent requests from one client no longer lock everybody out: the connection
  limit is 500, and a silent connection is closed after the channel timeout.
- With a connection limit of 20, the client queued behind 30 silent connections is answered
  once the channel timeout (2 s here) has closed them, not after waitress's old 120 s.
- A client talking to waitress directly cannot claim https with X-Forwarded-Proto (no Secure
  cookie); with --behind-proxy, the same header from 127.0.0.1 (the proxy's place) is believed.
"""

from __future__ import annotations

import http.client
import socket
import time
import urllib.parse
from pathlib import Path

import pytest
from rel_web import LOAD_COORDINATOR, LOAD_PASSWORD, TOKEN, Server, build_units_db

SIXTY_MB = 60 * 1024 * 1024


@pytest.fixture(scope="module")
def units_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("limits") / "decuong.db"
    build_units_db(path, 1)
    return path


def start(db_path: Path, tmp_path: Path, *args: str) -> Server:
    server = Server(db_path, tmp_path / "instance", threads=2, args=args)
    server.start()
    return server


def half_sent(port: int) -> socket.socket:
    """A connection that sent the start of a login request and then nothing more."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                 b"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n")
    return sock


def healthz_seconds(port: int, timeout: float) -> float:
    """Seconds until GET /healthz is answered 200 on a new connection."""
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = sock.recv(1024)
    assert answer.startswith(b"HTTP/1.1 200"), answer[:80]
    return time.monotonic() - started


def read_answer(sock: socket.socket) -> bytes:
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    return data


def test_sixty_megabytes_to_login_are_refused_before_the_body_is_read(units_db, tmp_path):
    server = start(units_db, tmp_path)  # the default upload cap, 20 MB
    try:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            started = time.monotonic()
            sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n"
                         + f"Content-Length: {SIXTY_MB}\r\n\r\n".encode())
            answer = read_answer(sock)  # no body byte sent: the server must not wait for it
            elapsed = time.monotonic() - started
        assert answer.startswith(b"HTTP/1.1 413"), answer[:120]
        assert elapsed < 3, elapsed
        body = answer.decode("utf-8").split("\r\n\r\n", 1)[1]
        assert body.startswith("Dữ liệu gửi lên vượt quá giới hạn 20 MB nên máy chủ không nhận; "
                               "chưa có gì được lưu. Hãy giảm dung lượng tệp"), body
        assert b"waitress" not in answer

        # A client that streams the body anyway is cut off after what the socket buffers held.
        sent = 0
        chunk = b"x" * 65536
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            started = time.monotonic()
            sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         + f"Content-Length: {SIXTY_MB}\r\n\r\n".encode())
            try:
                while sent < SIXTY_MB:
                    sock.sendall(chunk)
                    sent += len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
            elapsed = time.monotonic() - started
        assert sent < SIXTY_MB / 4, sent
        assert elapsed < 5, elapsed
    finally:
        server.stop()


def test_a_body_just_over_the_cap_gets_the_vietnamese_page(units_db, tmp_path):
    server = start(units_db, tmp_path, "--max-upload-mb", "1")
    try:
        body = b"username=a&password=" + b"x" * (1024 * 1024 + 1024 * 200)  # 1,2 MB
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n"
                         + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            answer = read_answer(sock).decode("utf-8", "replace")
        assert answer.startswith("HTTP/1.1 413"), answer[:120]
        assert "vượt quá giới hạn 1 MB" in answer
        # Past the cap plus the 1 MB margin, waitress refuses without reading.
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
            sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         + f"Content-Length: {2 * 1024 * 1024 + 1}\r\n\r\n".encode())
            answer = read_answer(sock).decode("utf-8")
        assert answer.startswith("HTTP/1.1 413")
        assert "vượt quá giới hạn 1 MB nên máy chủ không nhận" in answer
    finally:
        server.stop()


def test_110_idle_half_sent_requests_do_not_lock_others_out(units_db, tmp_path):
    server = start(units_db, tmp_path)
    idle = []
    try:
        idle = [half_sent(server.port) for _ in range(110)]
        time.sleep(0.5)  # waitress has accepted them all
        assert healthz_seconds(server.port, timeout=40) < 5  # locked out: 30 s or more
    finally:
        for sock in idle:
            sock.close()
        server.stop()


def test_silent_connections_are_closed_after_the_channel_timeout(units_db, tmp_path):
    server = start(units_db, tmp_path, "--connection-limit", "20", "--channel-timeout", "2",
                   "--cleanup-interval", "1")
    idle = []
    try:
        idle = [half_sent(server.port) for _ in range(30)]
        time.sleep(0.3)
        waited = healthz_seconds(server.port, timeout=20)
        # Queued behind 20 silent connections until they timed out: about 2–3 s, not 120.
        assert 1.5 < waited < 8, waited
        idle[0].settimeout(5)
        assert idle[0].recv(1) == b""  # the server closed the silent connection
    finally:
        for sock in idle:
            sock.close()
        server.stop()


def login_cookie_flags(port: int, headers: dict[str, str]) -> set[str]:
    """Log the coordinator in on a real server, sending `headers` with both requests; the
    flags of the session cookie it sets."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", "/auth/login", headers=headers)
    response = conn.getresponse()
    page = response.read().decode("utf-8")
    cookie = next(v for k, v in response.getheaders()
                  if k.lower() == "set-cookie" and v.startswith("session="))
    token = TOKEN.search(page)
    assert token
    body = urllib.parse.urlencode({"csrf_token": token.group(1), "username": LOAD_COORDINATOR,
                                   "password": LOAD_PASSWORD})
    conn.request("POST", "/auth/login", body=body, headers={
        **headers, "Cookie": cookie.split(";", 1)[0],
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"https://127.0.0.1:{port}/auth/login"})
    response = conn.getresponse()
    response.read()
    conn.close()
    assert response.status == 302, response.status
    cookie = next(v for k, v in response.getheaders()
                  if k.lower() == "set-cookie" and v.startswith("session="))
    return {part.strip().lower() for part in cookie.split(";")[1:]}


def test_a_client_cannot_claim_https_unless_the_server_is_behind_a_proxy(units_db, tmp_path):
    claim = {"X-Forwarded-Proto": "https"}
    direct = start(units_db, tmp_path)
    try:  # waitress removes the header: plain http, no Secure cookie
        assert "secure" not in login_cookie_flags(direct.port, claim)
    finally:
        direct.stop()
    proxied = start(units_db, tmp_path, "--behind-proxy")
    try:  # from 127.0.0.1, where the proxy is: believed
        assert "secure" in login_cookie_flags(proxied.port, claim)
    finally:
        proxied.stop()
