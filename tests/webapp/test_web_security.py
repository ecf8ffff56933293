"""What an attacker on the network tries at the login and in URLs: fast guessing, an open
redirect through `next`, huge ids; and the security headers every response must carry."""

from __future__ import annotations

import re
import time

import pytest
from web_helpers import COORDINATOR, PASSWORDS, USER_A, as_user, text

import store
from store.login_throttle import PAIR
from webapp.security import CONTENT_SECURITY_POLICY

ATTACKER = {"REMOTE_ADDR": "203.0.113.9"}
OFFICE = {"REMOTE_ADDR": "198.51.100.7"}
HUGE = "1" * 25


def login(client, username: str, password: str, next_: str | None = None, where=None):
    url = "/auth/login" if next_ is None else f"/auth/login?next={next_}"
    return client.post(url, data={"username": username, "password": password},
                       environ_base=where or {})


# --- throttling, with the real default settings --------------------------------------------

def test_thirty_fast_guesses_from_one_client_are_mostly_refused_unchecked(app):
    assert app.config["LOGIN_THROTTLE"] is True  # the real default
    attacker = app.test_client()
    started = time.monotonic()
    codes = [login(attacker, COORDINATOR, f"doan-{n}", where=ATTACKER).status_code
             for n in range(30)]
    elapsed = time.monotonic() - started
    checked = codes.count(401)
    assert codes.count(429) == 30 - checked
    # 3 free, then 1 s, 2 s, 4 s … of waiting: within the time these 30 took, few were checked.
    assert checked <= PAIR.free + 1 + int(elapsed).bit_length()
    assert checked < 10


def test_a_refusal_says_how_long_to_wait_in_vietnamese(app):
    attacker = app.test_client()
    for n in range(PAIR.free + 1):
        login(attacker, COORDINATOR, f"doan-{n}", where=ATTACKER)
    refused = login(attacker, COORDINATOR, "doan-nua", where=ATTACKER)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "1"
    assert "Máy này đã nhập sai mật khẩu nhiều lần liên tiếp. Hãy chờ 1 giây" in text(refused)


def test_the_coordinator_logs_in_from_the_office_while_an_attacker_hammers(app):
    attacker = app.test_client()
    for n in range(20):
        login(attacker, COORDINATOR, f"doan-{n}", where=ATTACKER)
    assert login(attacker, COORDINATOR, PASSWORDS[COORDINATOR], where=ATTACKER
                 ).status_code == 429  # even the right password, from the attacker's address
    office = app.test_client()
    response = login(office, COORDINATOR, PASSWORDS[COORDINATOR], where=OFFICE)
    assert response.status_code == 302 and response.location.endswith("/coordinator/")


def test_the_login_page_no_longer_threatens_a_lock(client):
    page = text(client.get("/auth/login"))
    assert "tạm khóa" not in page
    assert "tài khoản không bị khóa" in page


# --- next ----------------------------------------------------------------------------------

@pytest.mark.parametrize("target", [
    "/%09/evil.example/", "/%0a/evil.example/", "/%0d/evil.example/", "//evil.example/x",
    "/%5Cevil.example/", "%5C%5Cevil.example", "https://evil.example/", "http:/evil.example",
    "/%0d%0aSet-Cookie:%20x=1", "javascript:alert(1)", "/%7F/evil.example",
])
def test_next_never_leaves_the_site_and_never_breaks_the_login(client, target):
    response = login(client, USER_A, PASSWORDS[USER_A], target)
    assert response.status_code == 302
    assert response.location == "/unit/"


def test_next_within_the_site_is_followed(client):
    response = login(client, USER_A, PASSWORDS[USER_A], "/auth/password%3Fa%3D1")
    assert response.location == "/auth/password?a=1"


# --- huge ids -----------------------------------------------------------------------------

def int_rules(app) -> list:
    return [r for r in app.url_map.iter_rules()
            if any(type(c).__name__ == "BoundedIntConverter" for c in r._converters.values())]


def test_every_int_url_uses_the_bounded_converter(app):
    rules = [r for r in app.url_map.iter_rules() if "<int:" in r.rule]
    assert len(rules) >= 7
    assert {r.rule for r in rules} == {r.rule for r in int_rules(app)}


def test_a_25_digit_id_anywhere_is_a_404_not_a_500(app):
    values = {"code": "VHXH", "fmt": "xlsx", "part": "1", "outline_id": "cam-giang-cchc-2025",
              "item": "nv_tong"}
    for username in (USER_A, COORDINATOR):
        client = as_user(app.test_client(), username)
        for rule in int_rules(app):
            url = re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>",
                         lambda m: HUGE if m[1] == "int" else values[m[2]], rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method)
                assert response.status_code == 404, (username, method, url)


@pytest.mark.parametrize("query", [f"?rev={HUGE}", f"diff?a={HUGE}&b=1", f"diff?a=1&b=-{HUGE}"])
def test_a_25_digit_revision_number_is_a_404(client, demo, query):
    as_user(client, COORDINATOR)
    base = f"/rounds/{demo['round']}/units/VP/"
    response = client.get(base + query)
    assert response.status_code == 404


# --- headers -------------------------------------------------------------------------------

def test_every_kind_of_response_carries_the_security_headers(client, demo):
    pages = {"login": client.get("/auth/login"), "missing": client.get("/khong-co"),
             "static": client.get("/static/style.css"),
             "json": client.get("/unit/", headers={"Accept": "application/json"})}
    as_user(client, USER_A)
    pages["unit"] = client.get("/unit/")
    pages["report"] = client.get(f"/rounds/{demo['round']}/units/VHXH/edit")
    as_user(client, COORDINATOR)
    pages["coordinator"] = client.get(f"/coordinator/rounds/{demo['round']}")
    pages["report view"] = client.get(f"/rounds/{demo['round']}/units/VP/")
    for name, response in pages.items():
        headers = response.headers
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, name
        assert headers["X-Frame-Options"] == "DENY", name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Referrer-Policy"] == "same-origin", name
        if name != "static":
            assert headers["Cache-Control"] == "no-store", name
    assert "no-store" not in pages["static"].headers.get("Cache-Control", "")


def test_the_policy_forbids_inline_code_framing_and_foreign_form_targets():
    rules = dict(part.split(" ", 1) for part in CONTENT_SECURITY_POLICY.split("; "))
    assert rules["default-src"] == "'self'"
    assert rules["script-src"] == "'self'" and rules["style-src"] == "'self'"
    assert rules["frame-ancestors"] == "'none'" and rules["form-action"] == "'self'"
    assert rules["base-uri"] == "'none'" and rules["object-src"] == "'none'"
    assert "unsafe" not in CONTENT_SECURITY_POLICY


# --- what the policy would block, in every template and every piece of HTML built in Python

WEBAPP = __import__("pathlib").Path(__file__).resolve().parents[2] / "webapp"
INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I),
    "style element": re.compile(r"<style\b", re.I),
    "style attribute": re.compile(r"""\sstyle\s*=\s*["'{]""", re.I),
    "event handler": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I),
    "javascript: URL": re.compile(r"""["'=]\s*javascript:""", re.I),
}


def test_no_template_or_generated_html_holds_what_the_policy_blocks():
    sources = [*WEBAPP.rglob("*.html"), *WEBAPP.glob("*.py")]
    found = [f"{path.relative_to(WEBAPP)}: {what}"
             for path in sources
             for what, pattern in INLINE.items()
             if pattern.search(path.read_text(encoding="utf-8"))]
    assert found == []


def test_guessing_the_current_password_on_the_change_page_is_throttled_too(client, db):
    as_user(client, USER_A)
    pages = [client.post("/auth/password", data={"current": f"doan-{n}", "new": "Song-Hong-1",
                                                  "confirm": "Song-Hong-1"},
                         environ_base=ATTACKER) for n in range(8)]
    assert all("Mật khẩu hiện tại không đúng" in text(p) for p in pages[:PAIR.free])
    throttled = ["Máy này đã nhập sai mật khẩu nhiều lần liên tiếp" in text(p) for p in pages]
    assert sum(throttled) >= 2  # waits of 1, 2, 4 s: 8 quick tries cannot all be checked
    assert store.verify_password(db, USER_A, PASSWORDS[USER_A]) is not None  # unchanged
