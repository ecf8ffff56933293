"""Accounts in the browser, through the Flask test client: the coordinator creates a unit
account (its one-time password shown once), the holder of a one-time password reaches nothing
but the password change, a reset and a deactivation end the account's sessions, and «an
account for every unit without one» gives a sheet and its xlsx with the same credentials."""

from __future__ import annotations

import base64
import io
import re

import openpyxl
from web_helpers import COORDINATOR, USER_B, text

import store
from webapp.auth import BAD_LOGIN

PASSWORD = re.compile(r'<code class="password">([^<]+)</code>')
USERNAME = re.compile(r'<code class="username">([^<]+)</code>')


def _login(client, username, password):
    return client.post("/auth/login", data={"username": username, "password": password})


def test_created_account_shows_its_one_time_password_once(app, db, client, login):
    login(client, COORDINATOR)
    page = client.post("/coordinator/accounts/new", data={"unit": "KT", "username": ""})
    assert page.status_code == 200
    body = text(page)
    assert USERNAME.findall(body) == ["kt-2"]  # the demo's `kt` already exists
    password = PASSWORD.findall(body)[0]
    assert "chỉ hiện một lần" in body
    assert "no-store" in page.headers["Cache-Control"]
    assert password not in text(client.get("/coordinator/accounts/"))
    account = store.get_account(db, "kt-2")
    assert (account["unit_code"], account["must_change"]) == ("KT", 1)
    refused = client.post("/coordinator/accounts/new", data={"unit": ""})
    assert refused.status_code == 422
    assert "Hãy chọn đơn vị của tài khoản mới." in text(refused)
    taken = client.post("/coordinator/accounts/new", data={"unit": "KT", "username": "kt"})
    assert taken.status_code == 422
    assert "Chưa tạo được tài khoản: Đã có tài khoản &#39;kt&#39;." in text(taken)


def test_a_one_time_password_reaches_only_the_password_change(app, db, client, login):
    login(client, COORDINATOR)
    body = text(client.post("/coordinator/accounts/new", data={"unit": "KT"}))
    password = PASSWORD.findall(body)[0]
    login(client, None)
    app.config["LOGIN_THROTTLE"] = False
    response = _login(client, "kt-2", password)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/auth/password")
    for path in ("/unit/", "/", f"/rounds/{1}/units/KT/edit"):
        blocked = client.get(path)
        assert blocked.status_code == 302, path
        assert blocked.headers["Location"].endswith("/auth/password"), path
    script = client.post("/rounds/1/units/KT/autosave", json={"fields": []},
                         headers={"Accept": "application/json"})
    assert script.status_code == 403
    assert "mật khẩu tạm thời" in script.get_json()["error"]
    page = text(client.get("/auth/password"))
    assert "Tài khoản đang dùng mật khẩu tạm thời" in page
    changed = client.post("/auth/password", data={
        "current": password, "new": "Ruong-bac-thang-Mu-Cang", "confirm":
        "Ruong-bac-thang-Mu-Cang"})
    assert changed.status_code == 302
    assert client.get("/unit/").status_code == 200
    assert store.get_account(db, "kt-2")["must_change"] == 0


def test_reset_and_deactivation_end_the_accounts_sessions(app, db, client, login):
    unit = app.test_client()
    login(unit, USER_B)
    assert unit.get("/unit/").status_code == 200
    login(client, COORDINATOR)
    body = text(client.post(f"/coordinator/accounts/{USER_B}/reset"))
    password = PASSWORD.findall(body)[0]
    assert unit.get("/unit/").headers["Location"].startswith("/auth/login")
    app.config["LOGIN_THROTTLE"] = False
    assert _login(unit, USER_B, password).headers["Location"].endswith("/auth/password")
    done = client.post(f"/coordinator/accounts/{USER_B}/deactivate")
    assert done.status_code == 302
    flashed = text(client.get("/coordinator/accounts/"))
    assert f"Đã ngừng tài khoản {USER_B}; đã đăng xuất 1 phiên đang mở." in flashed
    assert "Đã ngừng từ" in flashed
    assert unit.get("/auth/password").headers["Location"].startswith("/auth/login")
    refused = _login(unit, USER_B, password)
    assert refused.status_code == 401 and BAD_LOGIN in text(refused)
    client.post(f"/coordinator/accounts/{USER_B}/activate")
    assert _login(unit, USER_B, password).status_code == 302


def test_the_coordinator_cannot_reset_or_stop_their_own_account(db, client, login):
    login(client, COORDINATOR)
    client.post(f"/coordinator/accounts/{COORDINATOR}/deactivate")
    assert "Không thể tự ngừng tài khoản bạn đang dùng." in text(
        client.get("/coordinator/accounts/"))
    client.post(f"/coordinator/accounts/{COORDINATOR}/reset")
    assert "đổi ở trang «Đổi mật khẩu»" in text(client.get("/coordinator/accounts/"))
    account = store.get_account(db, COORDINATOR)
    assert (account["disabled_at"], account["must_change"]) == (None, 0)
    assert client.post("/coordinator/accounts/khong-co-ai/reset").status_code == 404


def test_every_unit_without_an_account_gets_one_on_a_sheet_and_its_xlsx(db, client, login):
    store.add_unit(db, "TP", "Phòng Tư pháp", parent="UBND")
    login(client, COORDINATOR)
    index = text(client.get("/coordinator/accounts/"))
    assert "Tạo tài khoản cho 2 đơn vị chưa có" in index  # UBND (the parent) and TP
    sheet = client.post("/coordinator/accounts/missing")
    assert sheet.status_code == 200
    body = text(sheet)
    pairs = list(zip(USERNAME.findall(body), PASSWORD.findall(body), strict=True))
    assert [u for u, _ in pairs] == ["tp", "ubnd"]
    assert 'href="/static/accounts-print.css"' in body
    href = re.search(r'href="data:application/vnd\.openxmlformats-officedocument\.'
                     r'spreadsheetml\.sheet;base64,([^"]+)" download="([^"]+)"', body)
    assert href is not None and href.group(2) == "tai-khoan-don-vi.xlsx"
    book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(href.group(1))))
    rows = [r for r in book.active.iter_rows(min_row=5, values_only=True)]
    assert [(r[0], r[1], r[2], r[3]) for r in rows] == [
        ("TP", "Phòng Tư pháp", pairs[0][0], pairs[0][1]),
        ("UBND", "UBND xã Cẩm Giang", pairs[1][0], pairs[1][1])]
    assert book.active["A1"].value.startswith("Địa chỉ đăng nhập: http://localhost/auth/login")
    for username, password in pairs:
        assert store.verify_password(db, username, password)["must_change"] == 1
    again = client.post("/coordinator/accounts/missing")
    assert again.status_code == 302
    assert "Mọi đơn vị đều đã có tài khoản" in text(client.get("/coordinator/accounts/"))


def test_the_sheet_names_the_address_users_open(db, client, login, monkeypatch):
    """Behind a proxy the app's own host is not what users type: DECUONG_BASE_URL wins, as in
    the reminders."""
    monkeypatch.setenv("DECUONG_BASE_URL", "https://baocao.camgiang.gov.vn/")
    login(client, COORDINATOR)
    body = text(client.post("/coordinator/accounts/new", data={"unit": "VP"}))
    assert "<dd>https://baocao.camgiang.gov.vn/auth/login</dd>" in body
