"""Behind a reverse proxy: X-Forwarded-* believed only when configured and only from the
proxy's address, and a session cookie that is Secure exactly when the browser spoke https.

A probe route added to the test's own app reports what the application sees (scheme, host,
client address); the login answers' Set-Cookie shows the cookie flags.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask, request
from web_helpers import COORDINATOR, PASSWORDS, create_test_app

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "baocao.example.gov.vn"}


def probed_app(demo: dict[str, Any], tmp_path: Path, **config: Any) -> Flask:
    app = create_test_app(demo["db_path"], tmp_path, **config)

    def probe() -> str:
        return f"{request.scheme}|{request.host}|{request.remote_addr}"

    app.add_url_rule("/probe-for-test", "probe_for_test", probe)
    return app


def seen(app: Flask, headers: dict[str, str], peer: str = "127.0.0.1") -> list[str]:
    response = app.test_client().get("/probe-for-test", headers=headers,
                                     environ_base={"REMOTE_ADDR": peer})
    return response.get_data(as_text=True).split("|")


def login_cookie(app: Flask, headers: dict[str, str], peer: str = "127.0.0.1") -> set[str]:
    """The flags of the session cookie a successful login sets."""
    response = app.test_client().post(
        "/auth/login", data={"username": COORDINATOR, "password": PASSWORDS[COORDINATOR]},
        headers=headers, environ_base={"REMOTE_ADDR": peer})
    assert response.status_code == 302, response.status_code
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("session="))
    return {part.strip().lower() for part in cookie.split(";")[1:]}


def test_without_a_proxy_forwarded_headers_are_ignored(demo, tmp_path) -> None:
    app = probed_app(demo, tmp_path)
    assert seen(app, FORWARDED) == ["http", "localhost", "127.0.0.1"]
    flags = login_cookie(app, FORWARDED)
    assert "secure" not in flags
    assert {"httponly", "samesite=lax"} <= flags


def test_behind_a_proxy_the_app_sees_the_clients_scheme_host_and_address(demo, tmp_path) -> None:
    app = probed_app(demo, tmp_path, PROXY_COUNT=1)
    assert seen(app, FORWARDED) == ["https", "baocao.example.gov.vn", "203.0.113.7"]
    assert "secure" in login_cookie(app, FORWARDED)
    # The proxy said http: plain http on a LAN keeps working, no Secure cookie.
    plain = {**FORWARDED, "X-Forwarded-Proto": "http"}
    assert seen(app, plain)[0] == "http"
    assert "secure" not in login_cookie(app, plain)


def test_only_the_last_hop_of_x_forwarded_for_is_believed(demo, tmp_path) -> None:
    app = probed_app(demo, tmp_path, PROXY_COUNT=1)
    # A client wrote its own X-Forwarded-For; nginx appended the address it saw.
    headers = {**FORWARDED, "X-Forwarded-For": "10.9.9.9, 203.0.113.7"}
    assert seen(app, headers)[2] == "203.0.113.7"


@pytest.mark.parametrize("peer", ["198.51.100.9", "10.0.0.5"])
def test_forwarded_headers_from_anyone_but_the_proxy_are_dropped(demo, tmp_path, peer) -> None:
    app = probed_app(demo, tmp_path, PROXY_COUNT=1)
    assert seen(app, FORWARDED, peer=peer) == ["http", "localhost", peer]
    assert "secure" not in login_cookie(app, FORWARDED, peer=peer)


def test_trusted_proxies_are_configurable(demo, tmp_path) -> None:
    app = probed_app(demo, tmp_path, PROXY_COUNT=1, TRUSTED_PROXIES=["10.0.0.5"])
    assert seen(app, FORWARDED, peer="10.0.0.5")[0] == "https"
    assert seen(app, FORWARDED, peer="127.0.0.1") == ["http", "localhost", "127.0.0.1"]


def test_session_cookie_secure_setting_forces_secure_on_http(demo, tmp_path) -> None:
    app = probed_app(demo, tmp_path, SESSION_COOKIE_SECURE=True)
    assert "secure" in login_cookie(app, {})
