"""Sessions end when they should: at logout (even for a copied cookie), at a password change
(the other computers), at an administrator's reset (all), and after a working day idle. A
script's request (autosave) whose session is gone gets 401 JSON, never the login page."""

from __future__ import annotations

import time

from click.testing import CliRunner
from web_helpers import PASSWORDS, USER_A, as_user, create_test_app, text

import store
from decuong_cli import main

NEW = "Song-Hong-chay-mai"
JSON = {"Accept": "application/json"}


def logged_in_client(app, username: str = USER_A, address: str = "127.0.0.1"):
    client = app.test_client()
    response = client.post("/auth/login", data={"username": username,
                                                "password": PASSWORDS[username]},
                           environ_base={"REMOTE_ADDR": address})
    assert response.status_code == 302
    return client


def with_cookie_of(app, client):
    """A second browser holding a copy of `client`'s session cookie (a stolen cookie)."""
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    return copy


def shows_unit_page(client) -> bool:
    response = client.get("/unit/")
    return response.status_code == 200 and "Việc cần làm" in text(response)


def test_logout_ends_the_session_even_for_a_copied_cookie(app):
    browser = logged_in_client(app)
    stolen = with_cookie_of(app, browser)
    assert shows_unit_page(stolen)
    assert browser.post("/auth/logout").status_code == 302
    assert not shows_unit_page(stolen)
    assert "/auth/login" in stolen.get("/unit/").location


def test_the_cookie_holds_a_token_not_the_username(app):
    browser = logged_in_client(app)
    with browser.session_transaction() as session:
        assert set(session) == {"sid"} and USER_A not in session["sid"]
    forged = app.test_client()
    with forged.session_transaction() as session:
        session["username"] = USER_A  # what the old cookie carried: no longer enough
    assert not shows_unit_page(forged)


def test_a_password_change_logs_out_the_other_computers_but_not_this_one(app, db):
    here = logged_in_client(app)
    elsewhere = logged_in_client(app, address="198.51.100.7")
    done = here.post("/auth/password", data={"current": PASSWORDS[USER_A], "new": NEW,
                                             "confirm": NEW}, follow_redirects=True)
    assert "Đã đăng xuất 1 phiên khác" in text(done)
    assert shows_unit_page(here)
    assert not shows_unit_page(elsewhere)


def test_an_administrators_reset_logs_out_everywhere(app, demo):
    first, second = logged_in_client(app), logged_in_client(app, address="198.51.100.7")
    result = CliRunner().invoke(main, ["users", "reset-password", "--db", str(demo["db_path"]),
                                       USER_A, "--password", NEW])
    assert result.exit_code == 0, result.output
    assert "đã đăng xuất 2 phiên" in result.output
    assert not shows_unit_page(first) and not shows_unit_page(second)


def test_the_default_idle_timeout_is_a_working_day(app, db):
    assert app.config["SESSION_IDLE_MINUTES"] == 8 * 60
    browser = logged_in_client(app)

    def idle_for(minutes: int) -> None:
        db.conn.execute("UPDATE sessions SET last_seen = strftime('%Y-%m-%dT%H:%M:%S+00:00',"
                        " 'now', ?)", [f"-{minutes} minutes"])
        db.conn.commit()

    idle_for(8 * 60 - 2)
    assert shows_unit_page(browser)  # and this request counts as activity again
    idle_for(8 * 60 + 2)
    response = browser.get("/unit/")
    assert response.status_code == 302


def test_an_expired_session_goes_to_login_with_the_way_back_and_a_notice(demo, tmp_path):
    app = create_test_app(demo["db_path"], tmp_path, SESSION_IDLE_MINUTES=1 / 60)  # 1 s
    browser = logged_in_client(app)
    page = f"/rounds/{demo['round']}/units/VHXH/edit"
    assert browser.get(page).status_code == 200
    time.sleep(2.2)  # timestamps are whole seconds
    response = browser.get(page)
    assert response.status_code == 302
    assert response.location == f"/auth/login?next={page}"
    login_page = text(browser.get(response.location))
    assert ("Phiên làm việc đã hết hạn sau 1 giây không thao tác. Hãy đăng nhập lại"
            in login_page)
    again = browser.post(response.location, data={"username": USER_A,
                                                  "password": PASSWORDS[USER_A]})
    assert again.location == page


def test_a_script_whose_session_expired_gets_401_json_and_nothing_is_saved(demo, tmp_path,
                                                                          db):
    app = create_test_app(demo["db_path"], tmp_path, SESSION_IDLE_MINUTES=1 / 60)
    browser = logged_in_client(app)
    page = f"http://localhost/rounds/{demo['round']}/units/VHXH/edit"
    time.sleep(2.2)  # timestamps are whole seconds
    response = browser.post(page, data={"action": "draft", "nv_tong": "7"},
                            headers={**JSON, "Referer": page})
    assert response.status_code == 401
    body = response.get_json()
    assert "Phiên làm việc đã hết hạn" in body["error"]
    assert body["login"] == "/auth/login?next=" + page.removeprefix("http://localhost")
    assert store.get_submission(db, demo["round"], "VHXH") is None


def test_a_script_without_any_session_gets_401_json_on_every_kind_of_page(client, demo):
    for url in ("/unit/", "/coordinator/", f"/coordinator/rounds/{demo['round']}",
                f"/rounds/{demo['round']}/units/VHXH/edit"):
        response = client.get(url, headers=JSON)
        assert response.status_code == 401, url
        assert response.get_json()["error"] == "Bạn cần đăng nhập để tiếp tục."
        assert response.get_json()["login"].startswith("/auth/login")


def test_a_logged_in_script_is_served_as_before(client, demo):
    as_user(client, USER_A)
    assert client.get(f"/rounds/{demo['round']}/units/VHXH/edit", headers=JSON
                      ).status_code == 200


def test_a_script_whose_page_predates_the_login_gets_json_saying_reload(demo, tmp_path, db):
    """After logging in again, a page opened in the old session holds a stale CSRF token: its
    script is told, as JSON, to reload (the browser keeps what was typed); nothing is saved."""
    app = create_test_app(demo["db_path"], tmp_path, WTF_CSRF_ENABLED=True)
    client = as_user(app.test_client(), USER_A)
    response = client.post(f"/rounds/{demo['round']}/units/VHXH/autosave",
                           json={"fields": [["nv_tong", "7"]], "token": [0, 0]},
                           headers={**JSON, "X-CSRFToken": "cua-phien-truoc"})
    assert response.status_code == 400
    assert "Hãy tải lại trang" in response.get_json()["message"]
    assert store.report_state(db, demo["round"], "VHXH").draft is None
    page = client.post(f"/rounds/{demo['round']}/units/VHXH/edit", data={"action": "draft"})
    assert page.status_code == 400 and "Biểu mẫu đã hết hạn" in text(page)  # a page: HTML


def test_the_idle_timeout_is_set_by_serve_through_the_environment(demo, tmp_path, monkeypatch):
    from webapp import create_app

    monkeypatch.setenv("DECUONG_INSTANCE", str(tmp_path / "inst"))
    monkeypatch.setenv("DECUONG_DB", str(demo["db_path"]))
    monkeypatch.setenv("DECUONG_SESSION_IDLE_MINUTES", "90")
    app = create_app()
    assert app.config["SESSION_IDLE_MINUTES"] == 90
    with app.test_request_context():
        from webapp.auth import expired_message
        assert expired_message().startswith("Phiên làm việc đã hết hạn sau 1,5 giờ không thao tác")


def test_serve_refuses_a_zero_idle_timeout(demo):
    result = CliRunner().invoke(main, ["serve", "--db", str(demo["db_path"]),
                                       "--session-idle-minutes", "0"])
    assert result.exit_code == 2 and "--session-idle-minutes" in result.output
