"""Running behind a reverse proxy: whose X-Forwarded-* headers to believe, and a session cookie
that is `Secure` whenever the browser really spoke https.

Off unless configured: with `PROXY_COUNT = 0` (the default) the application ignores every
X-Forwarded-* header, so a client talking to waitress directly cannot pretend to come from
another address (the login throttle counts per address) or over https. With `PROXY_COUNT = N`
(`decuong serve --behind-proxy` sets 1), werkzeug's ProxyFix takes the client's address, scheme
and host from the last N proxies' headers, but only for requests whose peer is one of
`TRUSTED_PROXIES` (default: this machine). A request from anywhere else has those headers
removed, so waitress listening on every interface by mistake still cannot be fooled.

The session cookie gets `Secure` when `SESSION_COOKIE_SECURE` is set, or when the request came
over https as the trusted proxy reports it (`request.is_secure` after ProxyFix): the cookie of
a user on https never travels over plain http, and plain http on a LAN keeps working.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask import Flask, has_request_context, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

DEFAULT_TRUSTED_PROXIES = ("127.0.0.1", "::1")
FORWARDED_HEADERS = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST",
                     "HTTP_X_FORWARDED_PORT", "HTTP_X_FORWARDED_PREFIX", "HTTP_FORWARDED")

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


class TrustedProxyFix:
    """ProxyFix for requests from a trusted proxy; the forwarded headers stripped for all
    others."""

    def __init__(self, app: WsgiApp, count: int, trusted: Iterable[str]) -> None:
        self.app = app
        self.trusted = frozenset(trusted)
        self.fixed = ProxyFix(app, x_for=count, x_proto=count, x_host=count)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        if environ.get("REMOTE_ADDR") in self.trusted:
            return self.fixed(environ, start_response)
        for name in FORWARDED_HEADERS:
            environ.pop(name, None)
        return self.app(environ, start_response)


class ProxyAwareSessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, `Secure` whenever the request was https."""

    def get_cookie_secure(self, app: Flask) -> bool:
        if app.config["SESSION_COOKIE_SECURE"]:
            return True
        return has_request_context() and request.is_secure


def init_app(app: Flask) -> None:
    """Install the proxy handling configured by PROXY_COUNT and TRUSTED_PROXIES."""
    app.session_interface = ProxyAwareSessionInterface()
    count = int(app.config.get("PROXY_COUNT") or 0)
    if count > 0:
        trusted = app.config.get("TRUSTED_PROXIES") or DEFAULT_TRUSTED_PROXIES
        # method-assign: wrapping wsgi_app is Flask's documented way to add WSGI middleware.
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, count, trusted)  # type: ignore[method-assign]  # Flask's middleware hook
