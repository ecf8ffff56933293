"""What the coordinator types on the «nhập hộ» page is not lost, in headless Chromium against a
real `decuong serve`: it comes back in a new tab after the first was closed unsaved, and after
a save that met an ended session and went through the login page; a stored save ends it; the
unit's own fill page on the same browser never shows it, nor the other way round. Nothing of
it reaches the server before the coordinator saves (the unit's draft is not the coordinator's).

Each test works on its own unit of the example round, so the module shares one server."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_helpers import demo_server, idle_for_nine_hours, login, logout, report_state
from playwright.sync_api import expect
from web_helpers import COORDINATOR, PASSWORDS

import store

pytestmark = pytest.mark.browser
WAIT = 15_000  # ms


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with demo_server(tmp_path_factory.mktemp("on-behalf")) as running:
        yield running


def entry_url(server: dict, code: str) -> str:
    return f"{server['base']}/coordinator/rounds/{server['example_round']}/units/{code}/nhap-ho"


def holding(page, value: str) -> list[str]:
    """The browser buffers (localStorage keys) that hold `value` as a field's value."""
    return page.evaluate(
        "v => Object.keys(localStorage).filter(k => { try { const b = JSON.parse("
        "localStorage.getItem(k)); return !!b && b.fields.some(p => p[1] === v); }"
        " catch (e) { return false; } })", value)


def wait_buffered(page, value: str) -> None:
    page.wait_for_function(
        "v => Object.keys(localStorage).some(k => (localStorage.getItem(k) || '').includes(v))",
        arg=value, timeout=WAIT)


def open_entry(browser, server: dict, code: str):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    page = context.new_page()
    login(page, server["base"], COORDINATOR)
    page.goto(entry_url(server, code))
    return context, page


def type_report(page) -> None:
    page.fill("#nv_tong", "12")
    page.fill("#dau_moi", "Chị Lan, theo báo cáo giấy")
    page.fill("#sang_kien-0-ten", "Một cửa liên thông")
    page.press("#sang_kien-0-ten", "Tab")
    wait_buffered(page, "Một cửa liên thông")


def test_typing_comes_back_in_a_new_tab_after_the_first_was_closed_unsaved(server, browser):
    context, page = open_entry(browser, server, "VHXH")
    expect(page.locator("#buffer-note")).to_contain_text("giữ ngay trong trình duyệt")
    expect(page.locator("#buffer-note")).to_be_visible()
    type_report(page)
    page.close()  # the tab is closed without saving

    page = context.new_page()
    page.goto(entry_url(server, "VHXH"))
    notice = page.locator("#autosave-restored")
    expect(notice).to_contain_text(re.compile(
        r"Đã khôi phục 3 mục bạn nhập nhưng chưa lưu lúc \d\d:\d\d \d\d/\d\d/\d{4}"))
    expect(notice).to_contain_text("«Lưu nháp (nhập hộ)»")
    expect(notice).not_to_contain_text("đã được lưu thêm")  # nobody saved meanwhile
    assert page.input_value("#nv_tong") == "12"
    assert page.input_value("#dau_moi") == "Chị Lan, theo báo cáo giấy"
    assert page.input_value("#sang_kien-0-ten") == "Một cửa liên thông"
    # Kept in the browser only: no revision, and the unit's working draft is untouched.
    report = report_state(server["db_path"], server["example_round"], "VHXH")
    assert report.latest_revision == 0 and report.draft is None

    # «Bỏ các mục đã khôi phục»: the page as stored, and nothing comes back next time.
    with page.expect_navigation():
        page.click("#buffer-discard")
    assert page.input_value("#dau_moi") == ""
    expect(page.locator("#autosave-restored")).to_have_count(0)
    assert holding(page, "Chị Lan, theo báo cáo giấy") == []
    context.close()


def test_a_save_after_the_session_ended_comes_back_after_logging_in_again(server, browser):
    context, page = open_entry(browser, server, "KT")
    type_report(page)
    idle_for_nine_hours(server["db_path"], COORDINATOR)

    with page.expect_navigation():
        page.click("button[value=draft]")  # «Lưu nháp (nhập hộ)»: a plain POST, no session
    assert "/auth/login" in page.url
    expect(page.locator("body")).to_contain_text("Phiên làm việc đã hết hạn")
    assert report_state(server["db_path"], server["example_round"], "KT").latest_revision == 0

    page.fill("#username", COORDINATOR)
    page.fill("#password", PASSWORDS[COORDINATOR])
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url == entry_url(server, "KT")  # back on the page the save was sent from
    expect(page.locator("#autosave-restored")).to_contain_text("Đã khôi phục 3 mục")
    assert page.input_value("#nv_tong") == "12"
    assert page.input_value("#sang_kien-0-ten") == "Một cửa liên thông"

    with page.expect_navigation():
        page.click("button[value=draft]")
    expect(page.locator("body")).to_contain_text("Đã nhập hộ và lưu nháp cho Phòng Kinh tế "
                                                 "(lần lưu thứ 1)")
    revision = store.get_revision(store.open_db(server["db_path"]), server["example_round"], "KT")
    assert revision["values"]["dau_moi"] == "Chị Lan, theo báo cáo giấy"
    assert revision["actor"] == COORDINATOR and revision["on_behalf"] == 1
    context.close()


def test_a_stored_save_ends_the_buffer(server, browser):
    context, page = open_entry(browser, server, "TTPVHCC")
    type_report(page)
    with page.expect_navigation():
        page.click("button[value=submit]")  # «Nộp báo cáo thay đơn vị»
    expect(page.locator("body")).to_contain_text("Đã nhập hộ và nộp báo cáo")
    assert report_state(server["db_path"], server["example_round"], "TTPVHCC").latest_revision == 1
    page.wait_for_load_state("load")  # the landing page's scripts have run
    assert holding(page, "Một cửa liên thông") == []
    context.close()


def test_the_units_page_and_the_coordinators_page_keep_their_buffers_apart(server, browser):
    context, page = open_entry(browser, server, "VP")  # one browser, a shared computer
    page.fill("#dau_moi", "Bộ phận tổng hợp gõ")
    page.press("#dau_moi", "Tab")
    wait_buffered(page, "Bộ phận tổng hợp gõ")
    logout(page)

    login(page, server["base"], "vp")
    page.goto(f"{server['base']}/rounds/{server['example_round']}/units/VP/edit")
    assert page.input_value("#dau_moi") == ""
    expect(page.locator("#autosave-restored")).to_have_count(0)
    page.fill("#dau_moi", "Đơn vị tự gõ")
    page.press("#dau_moi", "Tab")
    expect(page.locator("#autosave-status")).to_contain_text("Đã lưu lúc", timeout=WAIT)
    unit_key = f"decuong-fill:{server['example_round']}:VP:vp"
    page.evaluate("k => localStorage.setItem(k, JSON.stringify({fields: [['dau_moi', "
                  "'Đơn vị chưa lưu']], changed: ['dau_moi'], token: [0, 1], at: Date.now(),"
                  " posted: false}))", unit_key)  # as if the unit's tab had closed unsaved
    logout(page)

    login(page, server["base"], COORDINATOR)
    page.goto(entry_url(server, "VP"))
    expect(page.locator("#autosave-restored")).to_contain_text("Đã khôi phục 1 mục")
    assert page.input_value("#dau_moi") == "Bộ phận tổng hợp gõ"
    assert holding(page, "Đơn vị chưa lưu") == [unit_key]
    assert holding(page, "Bộ phận tổng hợp gõ") != [unit_key]
    context.close()


def test_a_refused_save_keeps_the_buffer_for_the_next_visit(server, browser):
    """VHXH again: the first test left it as it was (nothing stored, its buffer discarded)."""
    context, page = open_entry(browser, server, "VHXH")
    type_report(page)
    page.fill("#nv_xong", "20")  # more done than the 12 there are: the engine refuses it
    with page.expect_navigation():
        page.click("button[value=submit]")
    expect(page.locator("body")).to_contain_text("Số nhiệm vụ đã hoàn thành không được lớn hơn")
    assert page.input_value("#nv_xong") == "20"  # the refused page shows what was posted
    expect(page.locator("#autosave-restored")).to_have_count(0)
    page.close()  # and is closed: the values live on only in the buffer

    page = context.new_page()
    page.goto(entry_url(server, "VHXH"))
    expect(page.locator("#autosave-restored")).to_contain_text("Đã khôi phục 4 mục")
    assert page.input_value("#nv_xong") == "20"
    assert page.input_value("#dau_moi") == "Chị Lan, theo báo cáo giấy"
    assert report_state(server["db_path"], server["example_round"], "VHXH").latest_revision == 0
    context.close()


def test_a_report_the_unit_saved_meanwhile_is_not_overwritten_by_the_restored_typing(server,
                                                                                     browser):
    """VHXH once more (the tests before stored nothing for it): the buffer comes back with the
    version it was typed on, so the lost-update guard still stands between it and the unit."""
    context, page = open_entry(browser, server, "VHXH")
    page.fill("#dau_moi", "Theo báo cáo giấy")
    page.press("#dau_moi", "Tab")
    wait_buffered(page, "Theo báo cáo giấy")
    page.close()

    unit = browser.new_context(locale="vi-VN")  # the unit saves its own draft meanwhile
    own = unit.new_page()
    login(own, server["base"], "vhxh")
    own.goto(f"{server['base']}/rounds/{server['example_round']}/units/VHXH/edit")
    own.fill("#dau_moi", "Đơn vị tự nhập")
    own.click("button[value=draft]")
    expect(own.locator("#autosave-status")).to_contain_text("lần lưu thứ 1", timeout=WAIT)
    unit.close()

    page = context.new_page()
    page.goto(entry_url(server, "VHXH"))
    notice = page.locator("#autosave-restored")
    expect(notice).to_contain_text("Báo cáo của đơn vị đã được lưu thêm sau khi bạn nhập")
    assert page.input_value("#dau_moi") == "Theo báo cáo giấy"
    with page.expect_navigation():
        page.click("button[value=draft]")
    expect(page.locator("body")).to_contain_text("báo cáo của đơn vị vừa được lưu ở nơi khác")
    revision = store.get_revision(store.open_db(server["db_path"]), server["example_round"],
                                  "VHXH")
    assert (revision["number"], revision["actor"]) == (1, "vhxh")
    assert revision["values"]["dau_moi"] == "Đơn vị tự nhập"

    page.goto(entry_url(server, "VHXH"))  # as the message says: open the page again …
    with page.expect_navigation():
        page.click("#buffer-discard")  # … and start from the unit's version
    assert page.input_value("#dau_moi") == "Đơn vị tự nhập"
    assert holding(page, "Theo báo cáo giấy") == []
    context.close()
