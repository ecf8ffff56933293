"""Login, logout, change of password, session cookie, CSRF and the secret key."""

from __future__ import annotations

import re

from web_helpers import PASSWORDS, USER_A, as_user, create_test_app, text

import store

NEW = "Song-Hong-chay-mai"


def test_login_with_right_password_lands_on_the_units_todo_list(client):
    response = client.post("/auth/login", data={"username": "VHXH ", "password": PASSWORDS["vhxh"]})
    assert response.status_code == 302
    assert response.location.endswith("/unit/")
    assert "Việc cần làm" in text(client.get("/unit/"))


def test_session_cookie_is_httponly_and_samesite_lax(client):
    response = client.post("/auth/login", data={"username": "vhxh",
                                                "password": PASSWORDS["vhxh"]})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_wrong_password_says_nothing_about_which_part_was_wrong(client):
    for username in ("vhxh", "nobody"):
        response = client.post("/auth/login", data={"username": username, "password": "sai"})
        assert response.status_code == 401
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in text(response)


def test_wrong_passwords_do_not_lock_the_owner_out(client, db):
    """Five (or fifty) wrong guesses from one client used to lock the account for everyone
    for 15 minutes; now the owner at another computer logs in at once."""
    for _ in range(5):
        client.post("/auth/login", data={"username": "kt", "password": "sai"})
    owner = client.application.test_client()
    response = owner.post("/auth/login", data={"username": "kt", "password": PASSWORDS["kt"]},
                          environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert response.status_code == 302
    assert store.get_account(db, "kt")["locked_until"] is None


def test_change_password(client, db):
    as_user(client, USER_A)
    short = client.post("/auth/password", data={"current": PASSWORDS["vhxh"], "new": "ngan",
                                                "confirm": "ngan"})
    assert "ít nhất 10 ký tự" in text(short)
    common = client.post("/auth/password", data={"current": PASSWORDS["vhxh"],
                                                 "new": "12345678", "confirm": "12345678"})
    assert "ít nhất 10 ký tự" in text(common)
    common = client.post("/auth/password", data={"current": PASSWORDS["vhxh"],
                                                 "new": "matkhau2025", "confirm": "matkhau2025"})
    assert "quá phổ biến" in text(common)
    wrong = client.post("/auth/password", data={"current": "sai", "new": "mat-khau-moi",
                                                "confirm": "mat-khau-moi"})
    assert "Mật khẩu hiện tại không đúng" in text(wrong)
    assert store.verify_password(db, "vhxh", PASSWORDS["vhxh"]) is not None  # nothing changed
    done = client.post("/auth/password", data={"current": PASSWORDS["vhxh"],
                                               "new": NEW, "confirm": NEW})
    assert done.status_code == 302
    assert store.verify_password(db, "vhxh", NEW) is not None


def test_the_password_page_states_the_rule(client):
    as_user(client, USER_A)
    page = text(client.get("/auth/password"))
    assert "Ít nhất 10 ký tự" in page and 'minlength="10"' in page


def test_a_post_without_csrf_token_is_refused(demo, tmp_path):
    app = create_test_app(demo["db_path"], tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    response = client.post("/auth/login", data={"username": "vhxh",
                                                "password": PASSWORDS["vhxh"]})
    assert response.status_code == 400
    assert "Biểu mẫu đã hết hạn" in text(response)
    as_user(client, USER_A)
    refused = client.post(f"/rounds/{demo['round']}/units/VHXH/edit",
                          data={"action": "draft", "nv_tong": "3"})
    assert refused.status_code == 400


def test_a_post_with_the_pages_csrf_token_is_accepted(demo, tmp_path):
    app = create_test_app(demo["db_path"], tmp_path, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    page = text(client.get("/auth/login"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"username": "vhxh", "csrf_token": token,
                                                "password": PASSWORDS["vhxh"]})
    assert response.status_code == 302


def test_secret_key_is_made_once_and_kept_in_the_instance_folder(demo, tmp_path, monkeypatch):
    from webapp import create_app

    instance = tmp_path / "inst"
    monkeypatch.setenv("DECUONG_INSTANCE", str(instance))
    monkeypatch.setenv("DECUONG_DB", str(demo["db_path"]))
    monkeypatch.setenv("DECUONG_MAX_UPLOAD_MB", "1")
    first = create_app()
    second = create_app()
    key = (instance / "secret_key").read_text()
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"] == key
    assert len(key) == 64
    assert first.config["DATABASE"] == str(demo["db_path"])
    assert first.config["MAX_CONTENT_LENGTH"] == 1024 * 1024


def test_too_large_upload_gets_a_vietnamese_413(demo, tmp_path):
    app = create_test_app(demo["db_path"], tmp_path, MAX_UPLOAD_MB=0.01)
    client = as_user(app.test_client(), USER_A)
    response = client.post(f"/rounds/{demo['round']}/units/VHXH/edit",
                           data={"action": "draft", "cd_nguon_luc": "x" * 20_000})
    assert response.status_code == 413
    assert "Tệp quá lớn" in text(response)
