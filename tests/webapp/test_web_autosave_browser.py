"""Autosave in headless Chromium against a real `decuong serve`: typing survives a reload, a
cut network and a second tab; Enter and "Lưu nháp" save without leaving the page.

Each test works on its own unit, so the module shares one server."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from browser_helpers import demo_server, login
from browser_helpers import report_state as state
from playwright.sync_api import expect

import store

pytestmark = pytest.mark.browser
WAIT = 15_000  # ms: a retry after a cut network waits up to 4 s on a busy machine


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with demo_server(tmp_path_factory.mktemp("autosave")) as running:
        yield running


def open_fill(browser, server, user: str, code: str, round_key: str = "example_round"):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    page = context.new_page()
    login(page, server["base"], user)
    page.goto(f"{server['base']}/rounds/{server[round_key]}/units/{code}/edit")
    return context, page


def test_a_value_typed_and_left_is_there_after_a_reload(server, browser):
    context, page = open_fill(browser, server, "vhxh", "VHXH")
    page.fill("#nv_tong", "12")
    page.press("#nv_tong", "Tab")
    status = page.locator("#autosave-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_contain_text(re.compile(r"Đã lưu lúc \d\d:\d\d"), timeout=WAIT)
    draft = state(server["db_path"], server["example_round"], "VHXH").draft
    assert draft is not None and draft.raw["nv_tong"] == "12"
    page.reload()
    assert page.input_value("#nv_tong") == "12"
    expect(page.locator("#autosave-note")).to_contain_text("Đang hiển thị bản đang nhập dở")
    context.close()


def test_a_cut_network_loses_nothing_and_the_user_is_told(server, browser):
    context, page = open_fill(browser, server, "kt", "KT")
    page.route("**/autosave", lambda route: route.abort())
    page.fill("#dau_moi", "Chị Lan")
    page.click("[data-add-row=sang_kien]")  # a third row, added while offline
    page.fill("#sang_kien-2-ten", "Một cửa liên thông")
    page.press("#sang_kien-2-ten", "Tab")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Chưa lưu được — sẽ thử lại", timeout=WAIT)

    # Leaving is warned about; accepting the warning reloads, and the buffer restores it all.
    dialogs: list[str] = []

    def accept(dialog):  # type: ignore[no-untyped-def]
        dialogs.append(dialog.type)
        dialog.accept()

    page.on("dialog", accept)
    page.reload()
    assert dialogs == ["beforeunload"]
    assert page.input_value("#dau_moi") == "Chị Lan"
    assert page.input_value("#sang_kien-2-ten") == "Một cửa liên thông"
    expect(page.locator("#autosave-restored")).to_contain_text(
        re.compile(r"Đã khôi phục 2 mục bạn nhập nhưng chưa lưu lúc \d\d:\d\d \d\d/\d\d/\d{4}"))
    expect(status).to_contain_text("Chưa lưu được — sẽ thử lại", timeout=WAIT)
    assert state(server["db_path"], server["example_round"], "KT").draft is None

    # The network comes back: the retry saves what was typed.
    page.unroute("**/autosave")
    expect(status).to_contain_text("Đã lưu lúc", timeout=WAIT)
    raw = state(server["db_path"], server["example_round"], "KT").draft.raw
    assert raw["dau_moi"] == "Chị Lan"
    assert [row["ten"] for row in raw["sang_kien"]] == ["", "", "Một cửa liên thông"]
    page.reload()  # saved: no warning, no restore notice
    assert dialogs == ["beforeunload"]
    assert page.locator("#autosave-restored").count() == 0
    assert page.input_value("#sang_kien-2-ten") == "Một cửa liên thông"
    context.close()


def test_two_tabs_show_a_conflict_and_nothing_is_reverted(server, browser):
    context, first = open_fill(browser, server, "vp", "VP")
    second = context.new_page()
    second.goto(first.url)
    first.fill("#nv_tong", "12")
    first.press("#nv_tong", "Tab")
    expect(first.locator("#autosave-status")).to_contain_text("Đã lưu lúc", timeout=WAIT)

    second.fill("#nv_xong", "5")
    second.press("#nv_xong", "Tab")
    panel = second.locator("#xung-dot")
    expect(panel).to_be_visible(timeout=WAIT)
    expect(panel).to_contain_text("2 mục khác với bản của bạn")
    theirs = panel.locator("[data-conflict=nv_tong]")
    expect(theirs).to_contain_text("Lấy bản kia: 12")
    expect(second.locator("#autosave-status")).to_contain_text("hãy chọn bản giữ lại")
    draft = state(server["db_path"], server["example_round"], "VP").draft
    assert draft.raw["nv_tong"] == "12" and draft.raw["nv_xong"] == "", "nothing applied"
    # Defaults: the other tab's total (untouched here), this tab's own figure.
    assert theirs.locator("input[value=theirs]").is_checked()
    assert panel.locator("[data-conflict=nv_xong] input[value=mine]").is_checked()

    panel.locator("[data-resolve]").click()
    expect(second.locator("#autosave-status")).to_contain_text("Đã lưu lúc", timeout=WAIT)
    assert second.input_value("#nv_tong") == "12" and second.input_value("#nv_xong") == "5"
    expect(panel).to_be_hidden()
    draft = state(server["db_path"], server["example_round"], "VP").draft
    assert (draft.raw["nv_tong"], draft.raw["nv_xong"]) == ("12", "5")
    context.close()


def test_enter_and_the_draft_button_save_without_leaving_the_page(server, browser):
    context, page = open_fill(browser, server, "ttpvhcc", "TTPVHCC", round_key="round")
    page.evaluate("window.samePage = true")
    field = page.locator("#fill-form input[type=text]:not([readonly])").last
    name = field.get_attribute("name")
    field.scroll_into_view_if_needed()
    field.fill("Ghi chú cuối")
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 2000, "the field is far down the Cẩm Giang outline"
    field.press("Enter")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Đã lưu lúc", timeout=WAIT)
    assert page.evaluate("window.samePage") is True, "Enter reloaded the page"
    assert page.evaluate("document.activeElement.name") == name
    assert abs(page.evaluate("window.scrollY") - scrolled) < 5
    assert state(server["db_path"], server["round"], "TTPVHCC").draft.raw[name] == "Ghi chú cuối"

    page.click("button[value=draft]")
    expect(status).to_contain_text("Đã lưu nháp (lần lưu thứ 1)", timeout=WAIT)
    assert page.evaluate("window.samePage") is True, "Lưu nháp reloaded the page"
    after = state(server["db_path"], server["round"], "TTPVHCC")
    assert after.latest_revision == 1 and after.draft is None
    assert page.input_value("[name=base_revision]") == "1"
    assert page.input_value("[name=draft_version]") == "0"
    context.close()


def test_an_expired_session_is_not_taken_for_a_save_and_nothing_is_lost(server, browser):
    context, page = open_fill(browser, server, "ttpvhcc", "TTPVHCC")
    page.fill("#sang_kien-0-ten", "Dòng sẽ xóa")
    page.press("#sang_kien-0-ten", "Tab")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Đã lưu lúc", timeout=WAIT)

    context.clear_cookies()  # the session is gone (expired, or logged out in another tab)
    page.check("[name=sang_kien-0-_delete]")
    page.fill("#dau_moi", "Bố trí 2 công chức")
    page.press("#dau_moi", "Tab")
    # Without its session the page's CSRF token is refused (JSON 400 for a script): not saved.
    expect(status).to_contain_text("Hãy tải lại trang", timeout=WAIT)
    expect(status).to_contain_text("Chưa lưu được — sẽ thử lại")
    raw = state(server["db_path"], server["example_round"], "TTPVHCC").draft.raw
    assert raw["dau_moi"] == "" and raw["sang_kien"][0]["ten"] == "Dòng sẽ xóa"

    other = context.new_page()  # log in again elsewhere, come back to the page
    login(other, server["base"], "ttpvhcc")
    # Come back in a new tab rather than reloading this one: a reload asks "leave the page?"
    # (unsaved changes), and accepting that dialog from the test hung Playwright now and then.
    page.close()
    page = other
    status = page.locator("#autosave-status")
    page.goto(f"{server['base']}/rounds/{server['example_round']}/units/TTPVHCC/edit")
    expect(page.locator("#autosave-restored")).to_contain_text("Đã khôi phục 2 mục")
    assert page.input_value("#dau_moi") == "Bố trí 2 công chức"
    assert page.is_checked("[name=sang_kien-0-_delete]")
    expect(status).to_contain_text("Đã lưu lúc", timeout=WAIT)
    raw = state(server["db_path"], server["example_round"], "TTPVHCC").draft.raw
    assert raw["dau_moi"] == "Bố trí 2 công chức"
    assert "Dòng sẽ xóa" not in [row.get("ten") for row in raw.get("sang_kien", [])]
    context.close()


def test_a_draft_save_that_fails_is_retried_as_a_draft_save(server, browser):
    context, page = open_fill(browser, server, "vhxh", "VHXH", round_key="round")
    page.route("**/autosave", lambda route: route.abort())
    page.fill("#nv_tong", "7")
    page.click("button[value=draft]")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Chưa lưu được — sẽ thử lại", timeout=WAIT)
    assert state(server["db_path"], server["round"], "VHXH").latest_revision == 0
    page.unroute("**/autosave")
    expect(status).to_contain_text("Đã lưu nháp (lần lưu thứ 1)", timeout=WAIT)
    after = state(server["db_path"], server["round"], "VHXH")
    assert after.latest_revision == 1 and after.draft is None
    context.close()


def test_a_draft_overtaken_by_an_upload_waits_for_the_users_choice(server, browser):
    context, page = open_fill(browser, server, "kt", "KT", round_key="round")
    page.fill("#cd_nguon_luc", "Anh Minh")
    page.press("#cd_nguon_luc", "Tab")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("Đã lưu lúc", timeout=WAIT)
    db = store.open_db(server["db_path"])  # meanwhile an Excel upload makes revision 1
    try:
        store.submit_values(db, round_id=server["round"], unit_code="KT",
                            raw={"cd_nguon_luc": "Chị Hoa"}, channel="excel", actor="kt",
                            mode="draft")
    finally:
        db.close()
    page.reload()
    panel = page.locator("#xung-dot")
    expect(panel).to_be_visible()
    expect(panel.locator("[data-conflict=cd_nguon_luc]")).to_contain_text("Lấy bản kia: Chị Hoa")
    assert page.input_value("#cd_nguon_luc") == "Anh Minh", "the fields hold the user's typing"
    page.fill("#nv_tong", "3")  # typing meanwhile is kept, not saved over the choice
    page.press("#nv_tong", "Tab")
    expect(status).to_contain_text("hãy chọn bản giữ lại", timeout=WAIT)
    assert state(server["db_path"], server["round"], "KT").draft.raw["nv_tong"] == ""
    page.locator("[data-conflict=cd_nguon_luc] input[value=theirs]").check()
    panel.locator("[data-resolve]").click()
    expect(status).to_contain_text("Đã lưu lúc", timeout=WAIT)
    assert page.input_value("#cd_nguon_luc") == "Chị Hoa"
    after = state(server["db_path"], server["round"], "KT")
    assert after.draft.base_revision == 1 and after.draft.raw["cd_nguon_luc"] == "Chị Hoa"
    assert after.draft.raw["nv_tong"] == "3"
    context.close()
