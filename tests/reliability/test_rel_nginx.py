"""The production setup, run for real: Debian's nginx with deploy/nginx/decuong.conf (TLS,
a certificate made for the test) in front of `decuong serve --behind-proxy` on loopback.

- Login over https: the session cookie is Secure, and the application saw the browser's
  scheme and host (Flask-WTF's https Referer check passes for the right origin and refuses
  another one, which it only does when the request is https to that host).
- Over-cap bodies are answered 413 by nginx, with its Vietnamese page, before a byte of the
  body is sent and without reaching waitress (the access log shows no upstream).
- 110 idle half-sent requests from one client address do not lock out another address; the
  ones with a half-sent body beyond the per-address limit are refused at once with 429, and
  the silent ones are dropped after client_header_timeout.
- Static files come from nginx; plain http is redirected to https; a burst of logins from one
  address is slowed with 429 by nginx, and wrong passwords from one address are throttled by
  the application for that address only (it sees the address nginx saw).
"""

from __future__ import annotations

import re
import socket
import ssl
import time
import urllib.parse

import pytest
from rel_nginx import STATIC, Nginx
from rel_web import LOAD_COORDINATOR, LOAD_PASSWORD, TOKEN, Server, build_units_db

SIXTY_MB = 60 * 1024 * 1024
NGINX_413 = "Dữ liệu gửi lên quá lớn"
NGINX_429 = "Quá nhiều yêu cầu cùng lúc"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("nginx")
    db_path = folder / "decuong.db"
    build_units_db(db_path, 1)
    app = Server(db_path, folder / "instance", threads=4, args=("--behind-proxy",))
    app.start()
    proxy = Nginx(folder / "nginx", app.port)
    try:
        proxy.start()
        yield proxy
    finally:
        proxy.stop()
        app.stop()


def login_page(proxy: Nginx, source: str = "127.0.0.1") -> tuple[str, str]:
    """(CSRF token, pre-session cookie) from GET /auth/login through nginx."""
    conn = proxy.https(source)
    conn.request("GET", "/auth/login")
    response = conn.getresponse()
    body = response.read().decode("utf-8")
    assert response.status == 200
    cookie = next(v for k, v in response.getheaders()
                  if k.lower() == "set-cookie" and v.startswith("session="))
    conn.close()
    token = TOKEN.search(body)
    assert token
    return token.group(1), cookie.split(";", 1)[0]


def post_login(proxy: Nginx, referer: str, source: str = "127.0.0.1",
               password: str = LOAD_PASSWORD):
    token, cookie = login_page(proxy, source)
    body = urllib.parse.urlencode({"csrf_token": token, "username": LOAD_COORDINATOR,
                                   "password": password})
    conn = proxy.https(source)
    conn.request("POST", "/auth/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
        "Referer": referer})
    response = conn.getresponse()
    text = response.read().decode("utf-8", "replace")
    conn.close()
    return response, text


def test_login_over_https_gives_a_secure_cookie_and_the_app_sees_scheme_and_host(stack):
    origin = f"https://127.0.0.1:{stack.https_port}"
    response, _ = post_login(stack, referer=origin + "/auth/login")
    assert response.status == 302
    cookie = next(v for k, v in response.getheaders()
                  if k.lower() == "set-cookie" and v.startswith("session="))
    flags = {part.strip().lower() for part in cookie.split(";")[1:]}
    assert {"secure", "httponly", "samesite=lax"} <= flags, cookie
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000"

    # Same request from a page of another origin: the https-only Referer check refuses it,
    # which shows the application knew it was https on 127.0.0.1:<port>.
    refused, text = post_login(stack, referer="https://evil.example/auth/login")
    assert refused.status == 400
    assert "Phiên làm việc đã hết hạn" in text


def test_over_cap_bodies_are_refused_by_nginx_before_waitress(stack):
    before = len(stack.access_log())
    for path, length in (("/auth/login", SIXTY_MB), ("/auth/login", 100 * 1024),
                         ("/rounds/1/units/U01/edit", 21 * 1024 * 1024)):
        with stack.raw_tls() as sock:
            started = time.monotonic()
            sock.sendall(f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                         "Content-Type: application/x-www-form-urlencoded\r\n"
                         f"Content-Length: {length}\r\n\r\n".encode())
            answer = sock.recv(65536)  # not one body byte was sent
            elapsed = time.monotonic() - started  # until the answer starts
            while b"</html>" not in answer and (chunk := sock.recv(65536)):
                answer += chunk
        text = answer.decode("utf-8", "replace")
        assert text.startswith("HTTP/1.1 413"), text[:100]
        assert NGINX_413 in text and "Chưa có gì được lưu" in text
        assert elapsed < 3, (path, elapsed)
    deadline = time.monotonic() + 5  # nginx logs after answering: let the lines land
    while True:
        refused = [line for line in stack.access_log()[before:]
                   if line.startswith('413 "POST ')]
        if len(refused) >= 3 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(refused) == 3, stack.access_log()[before:]
    assert all(line.endswith("upstream=-") for line in refused), refused


def waiting(sock: ssl.SSLSocket) -> bytes | None:
    """What the server has sent on `sock` so far (b"" once closed), or None when nothing yet.
    (Not select(): TLS 1.3 session tickets make every socket readable.)"""
    sock.setblocking(False)
    try:
        return sock.recv(200)
    except ssl.SSLWantReadError:
        return None
    finally:
        sock.setblocking(True)


def test_idle_half_open_connections_do_not_lock_out_another_client(stack):
    attacker = "127.0.0.2"
    silent, half_body = [], []
    opened = time.monotonic()
    try:
        for _ in range(110):  # headers never finished
            sock = stack.raw_tls(attacker)
            sock.sendall(b"POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            silent.append(sock)
        for _ in range(110):  # headers sent, the body never comes
            sock = stack.raw_tls(attacker)
            sock.sendall(b"POST /rounds/1/units/U01/edit HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                         b"Content-Type: application/x-www-form-urlencoded\r\n"
                         b"Content-Length: 40\r\n\r\nabc")
            half_body.append(sock)

        started = time.monotonic()
        response, _ = post_login(stack, f"https://127.0.0.1:{stack.https_port}/auth/login")
        assert response.status == 302
        assert time.monotonic() - started < 5  # (a password hash; locked out would be > 10 s)

        # Beyond 30 requests in progress for one address, nginx answered 429 at once; the 30
        # it let through are still waiting for their bodies.
        heads: dict[int, bytes] = {}
        deadline = time.monotonic() + 5
        while len(heads) < 110 - 30 and time.monotonic() < deadline:
            for number, sock in enumerate(half_body):
                if number not in heads and (head := waiting(sock)) is not None:
                    heads[number] = head
            time.sleep(0.05)
        assert len(heads) == 110 - 30
        assert all(head.startswith(b"HTTP/1.1 429") for head in heads.values())

        # The silent ones are dropped after client_header_timeout (10 s), not before.
        assert all(waiting(sock) is None for sock in silent)
        deadline = time.monotonic() + 15
        closed = 0
        for sock in silent:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            try:
                if sock.recv(1) == b"":
                    closed += 1
            except (TimeoutError, ssl.SSLError, OSError):
                pass
        assert closed == len(silent)
        assert time.monotonic() - opened > 9
    finally:
        for sock in silent + half_body:
            sock.close()


def test_static_files_come_from_nginx_and_http_is_redirected(stack):
    conn = stack.https()
    conn.request("GET", "/static/style.css")
    response = conn.getresponse()
    assert response.status == 200
    assert response.read() == (STATIC / "style.css").read_bytes()
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    conn.close()
    line = stack.last_logged('200 "GET /static/style.css ')
    assert line.endswith("upstream=-"), stack.access_log()[-3:]

    with socket.create_connection(("127.0.0.1", stack.http_port), timeout=5) as sock:
        sock.sendall(b"GET /auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        head = sock.recv(4096).decode()
    assert head.startswith("HTTP/1.1 301")
    assert re.search(r"(?im)^Location: https://127\.0\.0\.1/auth/login\r$", head), head


def test_a_burst_of_logins_from_one_address_is_slowed(stack):
    statuses = []
    for _ in range(25):
        conn = stack.https("127.0.0.3")
        conn.request("POST", "/auth/login", body="username=a&password=b",
                     headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        statuses.append(response.status)
        conn.close()
    assert statuses.count(429) >= 4, statuses  # a burst of 20 (+ the pace) gets through
    assert NGINX_429 in text
    # Another address is not slowed by that one.
    response, _ = post_login(stack, f"https://127.0.0.1:{stack.https_port}/auth/login",
                             source="127.0.0.4")
    assert response.status == 302


def test_the_login_throttle_counts_the_address_nginx_saw(stack):
    """Wrong passwords from one address slow that address only: the app keys its throttle on
    the forwarded client address, not on nginx's own 127.0.0.1."""
    referer = f"https://127.0.0.1:{stack.https_port}/auth/login"
    statuses = []
    for _ in range(6):
        response, text = post_login(stack, referer, source="127.0.0.5", password="sai-mat-khau")
        statuses.append(response.status)
        if response.status == 429:
            break
    assert statuses[:3] == [401, 401, 401], statuses
    assert statuses[-1] == 429, statuses
    assert response.getheader("Retry-After")  # the application's throttle, not nginx's page
    assert "Máy này đã nhập sai mật khẩu nhiều lần liên tiếp" in text
    assert NGINX_429 not in text
    # The coordinator at another address logs in with the right password at once.
    response, _ = post_login(stack, referer, source="127.0.0.6")
    assert response.status == 302


@pytest.mark.browser
def test_chromium_logs_in_and_out_over_https_through_nginx(stack):
    """A real browser over TLS: its own Referer and cookie handling, the app's headers, the
    CSRF check on https, and the Secure cookie, all together."""
    from browser_helpers import headless_chromium

    origin = f"https://127.0.0.1:{stack.https_port}"
    with headless_chromium() as browser:
        context = browser.new_context(ignore_https_errors=True)  # the test's own certificate
        page = context.new_page()
        statics: dict[str, int] = {}
        page.on("response", lambda r: statics.__setitem__(r.url, r.status)
                if "/static/" in r.url else None)
        page.goto(origin + "/auth/login")
        page.fill("#username", LOAD_COORDINATOR)
        page.fill("#password", LOAD_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        assert page.url.startswith(origin + "/") and "/auth/login" not in page.url, page.url
        cookie = next(c for c in context.cookies() if c["name"] == "session")
        assert cookie["secure"] and cookie["httpOnly"]
        assert statics.get(origin + "/static/style.css") == 200, statics  # served by nginx
        assert set(statics.values()) == {200}, statics

        page.click("header button:has-text('Đăng xuất')")  # a POST with its CSRF token
        page.wait_for_load_state()
        assert page.url.startswith(origin + "/auth/login")
        assert "Bạn đã đăng xuất." in page.content()
        context.close()
