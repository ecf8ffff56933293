"""The accounts flow in headless Chromium against a real `decuong serve`: the coordinator
creates an account for a unit, reads its one-time password off the page, logs out; the unit
logs in with it, is held on the password change (even when it types another address), sets
its own password and reaches its to-do list. No CSP violation on the way, nor on the reminder
and nhập hộ pages the coordinator opens meanwhile."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_helpers import demo_server, login, logout
from playwright.sync_api import expect

import store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with demo_server(tmp_path_factory.mktemp("accounts")) as running:
        yield running


def test_a_new_unit_account_must_choose_its_password_then_reaches_its_home(server, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    base = server["base"]

    login(page, base, "daumoi")
    page.click("nav >> text=Tài khoản")
    page.select_option("#unit", "KT")
    page.fill("#username", "ketoan.kt")
    page.click("button:has-text('Tạo tài khoản')")
    expect(page.locator("h1")).to_contain_text("Tài khoản mới của Phòng Kinh tế")
    expect(page.locator("[data-print]")).to_be_visible()  # print-sheet.js ran
    assert page.locator("code.username").inner_text() == "ketoan.kt"
    one_time = page.locator("code.password").inner_text()
    # Printed, the sheet is only the slips: no navigation, no buttons, the password kept.
    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.locator("[data-print]")).to_be_hidden()
    expect(page.locator(".credential")).to_be_visible()
    assert page.locator(".credential").evaluate(
        "e => getComputedStyle(e).breakInside") == "avoid"
    page.emulate_media(media="screen")
    # The other new coordinator pages, for CSP violations (collected below): the reminder
    # confirmation and the entry on behalf of a unit, its computed cells live (fill.js).
    page.goto(f"{base}/coordinator/rounds/{server['round']}/nhac-nho")
    expect(page.locator("h1")).to_contain_text("Gửi nhắc nhở qua thư điện tử")
    page.goto(f"{base}/coordinator/rounds/{server['example_round']}/units/KT/nhap-ho")
    expect(page.locator("h1")).to_contain_text("Nhập hộ báo cáo của Phòng Kinh tế")
    page.fill("#nv_tong", "8")
    page.fill("#nv_xong", "6")
    page.press("#nv_xong", "Tab")
    expect(page.locator("#nv_ty_le")).to_have_value("75")
    logout(page)

    page.fill("#username", "ketoan.kt")
    page.fill("#password", one_time)
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{base}/auth/password")
    expect(page.locator(".flashes")).to_contain_text("mật khẩu tạm thời")
    page.goto(f"{base}/unit/")  # typing another address changes nothing
    expect(page).to_have_url(f"{base}/auth/password")
    page.fill("#current", one_time)
    page.fill("#new", "Ruong-bac-thang-Mu-Cang")
    page.fill("#confirm", "Ruong-bac-thang-Mu-Cang")
    page.click("button:has-text('Đổi mật khẩu')")
    expect(page).to_have_url(f"{base}/unit/")
    expect(page.locator(".flashes")).to_contain_text("Đã đổi mật khẩu.")
    expect(page.locator("main")).to_contain_text("Đợt thử nghiệm")  # its rounds
    assert not [p for p in problems if "Content Security Policy" in p], problems
    db = store.open_db(server["db_path"])
    try:
        assert store.get_account(db, "ketoan.kt")["must_change"] == 0
    finally:
        db.close()
    context.close()
