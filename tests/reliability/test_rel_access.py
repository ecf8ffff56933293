"""Access: an authorization matrix generated from the app's URL map, CSRF on every POST, the
session cookie's flags, password hashes only, login throttling, and upload file names that are
never used as paths.

The matrix is every rule of `app.url_map` × (anonymous, unit A, unit B, coordinator) × each of
its methods, plus one method it does not allow (405). Each endpoint must have a named policy in
EXPECTED: a new route without one fails `test_every_route_has_a_policy`, so it cannot slip in
unreviewed. URL parameters come from a demo round in which unit A has two saved drafts, an
evidence file, a rejected upload (its annotated-workbook token) and a snapshot.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rel_web import (
    COORDINATOR,
    PASSWORDS,
    UNIT_A,
    USER_A,
    USER_B,
    as_user,
    build_demo_db,
    create_test_app,
    text,
)
from rel_world import SAMPLE, dump, fill, template

import store
from forms.periods import plan_year
from store.snapshots import create_snapshot
from webapp.auth import BAD_LOGIN

ROLES = ("anonymous", "unit A", "unit B", "coordinator")
USERS = {"anonymous": None, "unit A": USER_A, "unit B": USER_B, "coordinator": COORDINATOR}

# Outcomes: "ok" (GET: 200; POST: handled by the view — 200, 302 elsewhere than the login
# page, 401 or 422), "home" (GET: 302 to the user's home page; POST: as "ok"), "login" (302
# to the login page; a JSON POST: 401 with a JSON body naming the login page), "hidden" (404,
# the same page as an unknown URL: nothing about what exists is revealed).
POLICIES: dict[str, dict[str, str]] = {
    # anyone, logged in or not
    "public": {r: "ok" for r in ROLES},
    # the login page: logged-in users are sent home; a POST is always checked
    "login-page": {"anonymous": "ok", "unit A": "home", "unit B": "home",
                   "coordinator": "home"},
    # "/": to the login page or to the role's home
    "home-redirect": {"anonymous": "login", "unit A": "home", "unit B": "home",
                      "coordinator": "home"},
    "any-login": {"anonymous": "login", "unit A": "ok", "unit B": "ok", "coordinator": "ok"},
    # pages of the unit role that carry no unit in the URL
    "unit-role": {"anonymous": "login", "unit A": "ok", "unit B": "ok", "coordinator": "hidden"},
    # unit A's own report, for unit A only (the coordinator never fills for a unit)
    "unit-own": {"anonymous": "login", "unit A": "ok", "unit B": "hidden",
                 "coordinator": "hidden"},
    # unit A's report, for unit A and the coordinator
    "own-or-coordinator": {"anonymous": "login", "unit A": "ok", "unit B": "hidden",
                           "coordinator": "ok"},
    # a rejected workbook: only the user *and* session that uploaded it (unit A here)
    "owner-session": {"anonymous": "login", "unit A": "ok", "unit B": "hidden",
                      "coordinator": "hidden"},
    "coordinator-only": {"anonymous": "login", "unit A": "hidden", "unit B": "hidden",
                         "coordinator": "ok"},
}

EXPECTED: dict[str, str] = {
    "static": "public",
    "healthz": "public",
    "index": "home-redirect",
    "auth.login": "login-page",
    "auth.logout": "public",
    "auth.change_password": "any-login",
    "unit.home": "unit-role",
    "unit.fill": "unit-own",
    "unit.recall": "unit-own",
    "checks.check": "unit-own",
    "autosave.autosave": "unit-own",
    "excel.unit_upload": "unit-own",
    "submission.view": "own-or-coordinator",
    "submission.history": "own-or-coordinator",
    "submission.diff": "own-or-coordinator",
    "submission.attachment": "own-or-coordinator",
    "documents.unit_report": "own-or-coordinator",
    "excel.unit_template": "own-or-coordinator",
    "excel.annotated": "owner-session",
    "coordinator.rounds": "coordinator-only",
    "coordinator.round_page": "coordinator-only",
    "coordinator.missing_csv": "coordinator-only",
    "reminders.remind": "coordinator-only",
    "accounts.index": "coordinator-only",
    "accounts.create": "coordinator-only",
    "accounts.create_missing": "coordinator-only",
    "accounts.reset": "coordinator-only",
    "accounts.deactivate": "coordinator-only",
    "accounts.activate": "coordinator-only",
    "on_behalf.enter": "coordinator-only",
    "on_behalf.upload": "coordinator-only",
    "review.return_report": "coordinator-only",
    "review.accept": "coordinator-only",
    "review.reopen": "coordinator-only",
    "coordinator.new_round": "coordinator-only",
    "yearplan.plan": "coordinator-only",
    "yearview.page": "coordinator-only",
    "yearview.download": "coordinator-only",
    "documents.round_document": "coordinator-only",
    "coordinator.units": "coordinator-only",
    "coordinator.new_unit": "coordinator-only",
    "coordinator.edit_unit": "coordinator-only",
    "coordinator.import_units": "coordinator-only",
    "excel.round_template": "coordinator-only",
    "excel.round_upload": "coordinator-only",
    "consolidation.page": "coordinator-only",
    "consolidation.section": "coordinator-only",
    "consolidation.narratives": "coordinator-only",
    "consolidation.freeze": "coordinator-only",
    "consolidation.download": "coordinator-only",
    "consolidation.snapshot_download": "coordinator-only",
    "outlines.index": "coordinator-only",
    "outlines.show": "coordinator-only",
    "outlines.download_yaml": "coordinator-only",
    "outlines.download_xlsx": "coordinator-only",
    "outlines.upload": "coordinator-only",
    "outlines.confirm": "coordinator-only",
}

#: GETs whose granted answer is a redirect, not a page.
GET_REDIRECTS = {"index"}
#: POSTs whose granted answer is the login page itself.
POST_TO_LOGIN = {"auth.logout"}
#: What a POST sends (empty otherwise): enough to reach the view's own handling.
POST_FORMS: dict[str, dict[str, str]] = {
    "unit.fill": {"action": "draft"},
    "auth.login": {"username": "khong-co-ai", "password": "sai-mat-khau"},
}
#: POSTs whose body is JSON (fetch from the page): unit A's report is at revision 2.
POST_JSON: dict[str, dict[str, Any]] = {
    "autosave.autosave": {"fields": [["nv_tong", "14"]], "token": [2, 0]},
}


def _rules() -> list[Any]:
    from webapp import create_app

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE": ":memory:"})
    return sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint))


RULES = _rules()


@dataclass
class World:
    folder: Path
    template_db: Path
    params: dict[str, Any]
    owner_key: str  # unit A's session key that owns the annotated workbook

    def app(self, name: str, **config: Any) -> Any:
        """An app on a fresh copy of the database (POSTs change it)."""
        path = self.folder / f"{name}.db"
        shutil.copyfile(self.template_db, path)
        return create_test_app(path, self.folder, **config)

    def client(self, app: Any, role: str) -> Any:
        client = app.test_client()
        as_user(client, USERS[role])
        if role == "unit A":
            with client.session_transaction() as session:
                session["excel_owner"] = self.owner_key
        return client


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("access")
    path = folder / "template.db"
    demo = build_demo_db(path)
    round_id = demo["round"]
    db = store.open_db(path)
    try:
        for total in ("10", "12"):  # two revisions: history and diff have something to show
            intake = store.submit_values(db, round_id=round_id, unit_code=UNIT_A,
                                         raw={**SAMPLE, "nv_tong": total}, channel="web",
                                         actor=USER_A, mode="draft")
            assert intake.revision is not None
        outline = store.outline_for_round(db, round_id)
        attachment = store.add_attachment(
            db, round_id=round_id, unit_code=UNIT_A, item_key=outline.keys[0],
            file_name="bien-ban.pdf", content=b"%PDF-1.4\n%test\n", media_type="application/pdf",
            actor=USER_A)
        snapshot_id = create_snapshot(db, round_id, actor=COORDINATOR)
        # A periodic round, so the year's series page has a year to show.
        store.plan_rounds(db, outline_id=outline.id, outline_version=outline.version,
                          planned=plan_year(["quy-1"], 2026, deadline_day=20),
                          units=[UNIT_A], actor=COORDINATOR)
        bad = fill(template(db, round_id, UNIT_A), {"nv_tong": "mười hai"})
        top = outline.items[0]
        part = "".join(ch for ch in top.number if ch.isalnum()) or "1"
        outline_id, version = outline.id, outline.version
        item = next(i.key for i in outline.fields() if i.kind == "long_text")
    finally:
        db.close()
    # A rejected upload by unit A: its annotated workbook is kept under a token for A's session.
    app = create_test_app(path, folder)
    client = as_user(app.test_client(), USER_A)
    response = client.post(f"/rounds/{round_id}/units/{UNIT_A}/excel/upload",
                           data={"mode": "submit", "file": (_io(bad), "bao-cao.xlsx")},
                           content_type="multipart/form-data")
    assert response.status_code == 422, text(response)[:500]
    tokens = [p.stem for p in (folder / "instance" / "uploads-annotated").glob("*.json")]
    assert len(tokens) == 1
    with client.session_transaction() as session:
        owner_key = session["excel_owner"]
    params = {"round_id": round_id, "code": UNIT_A, "attachment_id": attachment["id"],
              "snapshot_id": snapshot_id, "token": tokens[0], "fmt": "xlsx", "part": part,
              "outline_id": outline_id, "version": version, "filename": "style.css",
              "item": item, "year": 2026, "username": USER_B}
    yield World(folder, path, params, owner_key)


def _io(data: bytes) -> Any:
    import io

    return io.BytesIO(data)


def _url(rule: Any, params: dict[str, Any]) -> str:
    from werkzeug.routing import Map

    missing = [a for a in rule.arguments if a not in params]
    assert not missing, f"no value for URL parameter(s) {missing} of {rule.rule}: add to params"
    adapter = Map([rule.empty()]).bind("localhost")
    return adapter.build(rule.endpoint, {a: params[a] for a in rule.arguments})


def _check(outcome: str, method: str, endpoint: str, response: Any) -> str | None:
    """None when the response matches the outcome, else what went wrong."""
    status, location = response.status_code, response.headers.get("Location", "")
    to_login = status == 302 and "/auth/login" in location
    if outcome == "login" and method == "POST" and endpoint in POST_JSON:
        # A script's request is never sent to the login page (what was typed would be lost):
        # 401 with the Vietnamese reason and the login URL, as JSON.
        body = response.get_json(silent=True) or {}
        ok = status == 401 and bool(body.get("error")) and "/auth/login" in body.get("login", "")
    elif outcome == "login":
        ok = to_login
    elif outcome == "hidden":
        ok = status == 404 and "Không tìm thấy trang" in text(response)
    elif outcome == "home" and method == "GET":
        ok = status == 302 and not to_login
    elif method == "GET":
        ok = status == (302 if endpoint in GET_REDIRECTS else 200)
    else:
        ok = status in (200, 302, 401, 422) and (
            not to_login or endpoint in POST_TO_LOGIN)
    return None if ok else f"expected {outcome}, got {status} {location}"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.endpoint)
def test_matrix(world: World, rule: Any) -> None:
    """Every method of the rule for every role, and a method the rule does not allow."""
    assert rule.endpoint in EXPECTED, (
        f"route {rule.rule} (endpoint {rule.endpoint!r}) has no access policy: add it to "
        "EXPECTED in tests/reliability/test_rel_access.py")
    policy = POLICIES[EXPECTED[rule.endpoint]]
    url = _url(rule, world.params)
    methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
    problems = []
    get_app = world.app(f"get-{rule.endpoint}")
    for role in ROLES:
        for method in methods:
            if method == "GET":
                response = world.client(get_app, role).get(url)
            else:  # every POST on its own copy of the database
                app = world.app(f"post-{rule.endpoint}-{role}")
                if rule.endpoint in POST_JSON:
                    response = world.client(app, role).post(
                        url, json=POST_JSON[rule.endpoint])
                else:
                    response = world.client(app, role).post(
                        url, data=POST_FORMS.get(rule.endpoint, {}))
            assert response.status_code < 500, f"{method} {url} as {role}: server error"
            problem = _check(policy[role], method, rule.endpoint, response)
            if problem:
                problems.append(f"{method} {url} as {role}: {problem}")
        wrong = "POST" if "POST" not in methods else "GET" if "GET" not in methods else None
        if wrong:
            response = world.client(get_app, role).open(url, method=wrong)
            if response.status_code != 405 or "không được phép" not in text(response):
                problems.append(f"{wrong} {url} as {role}: expected 405, got "
                                f"{response.status_code}")
    assert not problems, "\n".join(problems)


def test_every_route_has_a_policy_and_every_policy_a_route() -> None:
    endpoints = {rule.endpoint for rule in RULES}
    missing = sorted(endpoints - EXPECTED.keys())
    assert not missing, f"routes without an access policy in EXPECTED: {missing}"
    stale = sorted(EXPECTED.keys() - endpoints)
    assert not stale, f"EXPECTED names endpoints that no longer exist: {stale}"
    assert set(EXPECTED.values()) <= POLICIES.keys()


def test_matrix_size() -> None:
    combinations = sum(len(ROLES) * (len(r.methods - {"HEAD", "OPTIONS"}) + 1) for r in RULES)
    assert len(RULES) >= 39 and combinations >= 300, (len(RULES), combinations)


# --- CSRF ---------------------------------------------------------------------------------

POST_RULES = [r for r in RULES if "POST" in r.methods]
GRANTED = {"unit-own": "unit A", "coordinator-only": "coordinator", "any-login": "unit A",
           "public": "unit A", "login-page": "anonymous"}


@pytest.mark.parametrize("rule", POST_RULES, ids=lambda r: r.endpoint)
def test_csrf_refused_on_every_post(world: World, rule: Any) -> None:
    """With CSRF on (as in production), a POST without a token or with a forged one is refused
    with the Vietnamese page and changes nothing, even from the role the route is for."""
    app = world.app(f"csrf-{rule.endpoint}", WTF_CSRF_ENABLED=True)
    role = GRANTED[EXPECTED[rule.endpoint]]
    client = world.client(app, role)
    url = _url(rule, world.params)
    before = dump(Path(app.config["DATABASE"]))
    form = POST_FORMS.get(rule.endpoint, {})
    for data in (form, {**form, "csrf_token": "gia-mao." + "x" * 40}):
        response = client.post(url, data=data)
        assert response.status_code == 400, (url, response.status_code)
        assert "Biểu mẫu đã hết hạn hoặc không hợp lệ" in text(response)
    assert dump(Path(app.config["DATABASE"])) == before


def test_csrf_token_from_the_page_is_accepted(world: World) -> None:
    app = world.app("csrf-ok", WTF_CSRF_ENABLED=True)
    client = world.client(app, "unit A")
    url = f"/rounds/{world.params['round_id']}/units/{UNIT_A}/edit"
    page = text(client.get(url))
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    response = client.post(url, data={"action": "draft", "csrf_token": token})
    assert response.status_code == 302 and response.location.endswith("/edit")


# --- session, passwords, throttling -------------------------------------------------------


def _login_page_token(client: Any) -> str:
    page = text(client.get("/auth/login"))
    return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]


def test_session_cookie_is_httponly_and_samesite_lax(world: World) -> None:
    """From a real login (CSRF on), the Set-Cookie header itself. The same header is checked
    from waitress in test_rel_server_crash.py."""
    app = world.app("cookie", WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/auth/login", data={
        "username": USER_A, "password": PASSWORDS[USER_A], "csrf_token": _login_page_token(client)})
    assert response.status_code == 302
    cookies = [v for v in response.headers.getlist("Set-Cookie") if v.startswith("session=")]
    assert cookies
    for cookie in cookies:
        flags = {part.strip().lower() for part in cookie.split(";")}
        assert "httponly" in flags and "samesite=lax" in flags, cookie


def test_only_password_hashes_are_stored(world: World) -> None:
    """No table, no column, no audit event holds a demo password (or its obvious encodings)."""
    import base64

    rows = dump(world.template_db)
    cells = [str(cell) for table in rows.values() for row in table for cell in row
             if isinstance(cell, (str, bytes))]
    blob = "\n".join(cells)
    for password in PASSWORDS.values():
        for form in (password, base64.b64encode(password.encode()).decode(),
                     password.encode().hex()):
            assert form not in blob, f"a password is stored in clear ({form[:3]}…)"
    conn = store.open_db(world.template_db)
    try:
        hashes = [row[0] for row in conn.execute("SELECT password_hash FROM accounts")]
    finally:
        conn.close()
    assert len(hashes) == len(PASSWORDS)
    assert all(h.startswith(("scrypt:", "pbkdf2:")) and len(h) > 60 for h in hashes), hashes
    assert len(set(hashes)) == len(hashes)  # salted


def test_login_throttled_per_client_without_revealing_the_user_or_locking_the_owner(
        world: World) -> None:
    """Guessing slows the guessing client: after a few wrong passwords its attempts — even
    with the right password — are refused unchecked (429), with the same page as for a user
    who does not exist; the owner at another address, and another account from the same
    client, log in at once. Before: 5 wrong guesses locked the account for everyone for 15
    minutes."""
    app = world.app("throttle")
    client = app.test_client()

    def post(username: str, password: str, address: str) -> Any:
        return client.post("/auth/login", data={"username": username, "password": password},
                           environ_base={"REMOTE_ADDR": address})

    def hammer(username: str, address: str) -> Any:
        """Wrong passwords, waiting out each short refusal, until one is refused with a wait
        of 2 s or more: 3 free attempts, then waits of 1 s, 2 s … The attacker's waits pass
        in real time; none of them is spent hashing."""
        checked = 0
        while True:
            response = post(username, "sai", address)
            if response.status_code == 401:
                assert BAD_LOGIN in text(response)
                checked += 1
                assert checked <= 6, "6 wrong passwords in a row were never slowed down"
                continue
            assert response.status_code == 429
            wait = int(response.headers["Retry-After"])
            if wait >= 2:
                return response
            time.sleep(wait)

    hammer(USER_B, "203.0.113.9")
    throttled = post(USER_B, PASSWORDS[USER_B], "203.0.113.9")
    assert throttled.status_code == 429, "the right password from the guessing client waits"
    assert "Máy này đã nhập sai mật khẩu nhiều lần liên tiếp" in text(throttled)
    assert "tạm khóa" not in text(throttled)
    assert as_user(client, None).get("/unit/").status_code == 302  # not logged in
    # Another account from this client, and the owner elsewhere, are not affected.
    assert post(USER_A, PASSWORDS[USER_A], "203.0.113.9").status_code == 302
    assert post(USER_B, PASSWORDS[USER_B], "198.51.100.7").status_code == 302
    as_user(client, None)
    # An unknown user guessed as often gets the very same page (only the echoed name and the
    # number of seconds to wait differ).
    nobody = hammer("khong-co-ai", "203.0.113.10")
    assert _page(nobody, "khong-co-ai") == _page(throttled, USER_B)


def _page(response: Any, username: str) -> str:
    """The page without what legitimately differs: the echoed name and the CSRF token."""
    import re

    page = re.sub(r'name="csrf_token" value="[^"]*"', "", text(response))
    page = re.sub(r"Hãy chờ \d+ giây", "Hãy chờ … giây", page)
    return page.replace(f'value="{username}"', 'value=""')


# --- upload file names --------------------------------------------------------------------

HOSTILE_NAMES = ("../../etc/passwd.xlsx", "..\\x.xlsx", "/tmp/tuyet-doi.xlsx",
                 "..\\..\\..\\Windows\\win.ini.xlsx", "con.xlsx", "a\x00b.xlsx")


def _tree(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


def test_upload_file_names_are_never_used_as_paths(world: World, tmp_path: Path) -> None:
    """Excel uploads (accepted and rejected), evidence files, outline and unit-list uploads
    named like paths: nothing is written outside the instance folder, and the name is kept as
    inert text (its last component), never as a location."""
    folder = tmp_path / "site"
    folder.mkdir()
    db_path = folder / "decuong.db"
    shutil.copyfile(world.template_db, db_path)
    app = create_test_app(db_path, folder)
    instance = folder / "instance"
    round_id = world.params["round_id"]
    db = store.open_db(db_path)
    good = fill(template(db, round_id, UNIT_A), {"nv_tong": "15"})
    bad = fill(template(db, round_id, UNIT_A), {"nv_tong": "mười lăm"})
    # Evidence goes to the example round, whose outline asks for it on nv_tong.
    evidence_round = next(r["id"] for r in store.list_rounds(db) if r["outline_id"] == "vi-du-web")
    db.close()
    watched = tmp_path.parent
    before = _tree(watched)
    unit = as_user(app.test_client(), USER_A)
    coordinator = as_user(app.test_client(), COORDINATOR)
    base = f"/rounds/{round_id}/units/{UNIT_A}"
    for n, name in enumerate(HOSTILE_NAMES):
        content = bad if n % 2 else _variant(good, n)
        response = unit.post(base + "/excel/upload", content_type="multipart/form-data",
                             data={"mode": "draft", "file": (_io(content), name)})
        assert response.status_code in (302, 422), (name, response.status_code)
        pdf = b"%PDF-1.4\n" + name.encode("utf-8", "replace")
        response = unit.post(f"/rounds/{evidence_round}/units/{UNIT_A}/edit",
                             content_type="multipart/form-data",
                             data={"action": "draft", "evidence-nv_tong": (_io(pdf), name)})
        assert response.status_code == 302, (name, response.status_code)
        response = coordinator.post("/coordinator/outlines/upload",
                                    content_type="multipart/form-data",
                                    data={"file": (_io(b"id: x\n"), name.replace("xlsx", "yaml"))})
        assert response.status_code in (302, 422)
        response = coordinator.post("/coordinator/units/import",
                                    content_type="multipart/form-data",
                                    data={"file": (_io(b"ma,ten\n"), name.replace("xlsx", "csv"))})
        assert response.status_code in (302, 422)
        response = coordinator.post(f"/coordinator/rounds/{round_id}/excel/upload",
                                    content_type="multipart/form-data",
                                    data={"files": [(_io(bad), name)]})
        assert response.status_code == 200
    written = _tree(watched) - before
    outside = sorted(str(p) for p in written if instance not in p.parents and p.parent != folder)
    assert not outside, f"files written outside the instance folder: {outside}"
    assert all(p.parent == instance / "uploads-annotated" or p.parent == folder
               for p in written), sorted(map(str, written))
    assert not any(p.name in ("passwd.xlsx", "x.xlsx", "win.ini.xlsx", "tuyet-doi.xlsx")
                   for p in _tree(watched))
    # What is stored is a name, without any directory part.
    conn = store.open_db(db_path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT file_name FROM revisions WHERE file_name IS NOT NULL "
            "UNION ALL SELECT name FROM files WHERE name IS NOT NULL "
            "UNION ALL SELECT file_name FROM attachments")]
    finally:
        conn.close()
    assert len(names) > 3
    for name in names:
        assert "/" not in name and "\\" not in name and "\x00" not in name, name
    # Downloads name the file without a path either.
    attachments = store.list_attachments(store.open_db(db_path), evidence_round, UNIT_A)
    assert len(attachments) == len(HOSTILE_NAMES)
    for attachment in attachments:
        response = unit.get(f"/rounds/{evidence_round}/units/{UNIT_A}/files/{attachment['id']}")
        assert response.status_code == 200
        disposition = response.headers["Content-Disposition"]
        plain = disposition.split("filename*=", 1)[0]
        assert "/" not in plain and "\\" not in plain, disposition
        assert "%2F" not in disposition and "%5C" not in disposition, disposition


def _variant(data: bytes, n: int) -> bytes:
    """A different valid workbook each time (a duplicate file would be refused as such)."""
    return fill(data, {"nv_tong": str(20 + n)})
