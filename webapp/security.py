"""Response headers and URL rules that keep pages safe on a network.

- Every response carries a Content-Security-Policy that allows only this site's own files (no
  inline script or style: pages pass data to scripts through data-… attributes), forbids
  framing, and limits where forms post; plus X-Frame-Options, X-Content-Type-Options and
  Referrer-Policy for browsers that predate CSP.
- Every page except the static files is `Cache-Control: no-store`: reports and pages behind the
  login must not stay in a shared computer's cache after logout.
- `<int:…>` in every blueprint's URLs is bounded to what SQLite stores (a 25-digit id is a 404,
  not an overflow and a 500).
- `safe_next` decides whether a `next=` target after login stays on this site.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request
from werkzeug.routing import IntegerConverter, Map

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
#: SQLite's largest integer: anything above cannot be an id.
MAX_ID = 2**63 - 1


class BoundedIntConverter(IntegerConverter):
    """The `int` converter, refusing (404) numbers SQLite cannot hold."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def query_id(name: str) -> int | None:
    """An id from the query string (`?rev=3`), None when absent or not a number; 404 when no
    row could have it (too large for SQLite, or negative)."""
    value = request.args.get(name, type=int)
    if value is not None and not 0 <= value <= MAX_ID:
        abort(404)
    return value


def safe_next(target: str | None) -> str | None:
    """`target` if it is a path on this site, else None.

    Browsers drop tab, CR and LF inside URLs and read a backslash as a slash, so `/\\t/evil`
    and `/\\evil` both become `//evil`, another site: any control character, backslash or
    scheme-relative start is refused, and so is anything urlsplit reads a scheme or host in.
    """
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.endpoint != "static" and "no-store" not in response.headers.get("Cache-Control", ""):
        response.headers["Cache-Control"] = "no-store"  # a view's own "private, no-store" stays
    return response


def init_app(app: Flask) -> None:
    """Call before registering blueprints: converters apply to rules as they are added."""
    app.url_map.converters["int"] = BoundedIntConverter
    app.after_request(_add_headers)
