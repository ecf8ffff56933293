"""A session that expires while a unit is typing costs nothing: in headless Chromium against a
real `decuong serve`, the autosave gets 401 JSON (not the login page), the page keeps what was
typed and says why; after logging in again in another tab, the old page is told to reload
(its CSRF token belonged to the old session), and the reload restores and saves it all."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_helpers import demo_server, idle_for_nine_hours, login
from playwright.sync_api import expect

import store

pytestmark = pytest.mark.browser
WAIT = 20_000  # ms: the autosave retries after 2, 4, 8 s


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with demo_server(tmp_path_factory.mktemp("expiry")) as running:
        yield running


def test_typing_after_the_session_expired_is_kept_and_saved_after_logging_in_again(server,
                                                                                   browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
    page = context.new_page()
    login(page, server["base"], "vp")
    round_id = server["example_round"]
    page.goto(f"{server['base']}/rounds/{round_id}/units/VP/edit")
    answers: list[tuple[int, str]] = []
    page.on("response", lambda r: answers.append((r.status, r.headers.get("content-type", "")))
            if r.url.endswith("/autosave") else None)

    idle_for_nine_hours(server["db_path"], "vp")
    page.fill("#dau_moi", "Anh Tùng, Văn phòng")
    page.press("#dau_moi", "Tab")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("phiên đăng nhập đã hết hạn", timeout=WAIT)
    assert answers[0] == (401, "application/json")
    assert page.input_value("#dau_moi") == "Anh Tùng, Văn phòng"
    db = store.open_db(server["db_path"])
    assert store.report_state(db, round_id, "VP").draft is None
    db.close()

    # The user logs in again in another tab; the first tab's next retry is told, as JSON, that
    # its page belongs to the old session, and the page keeps asking for a reload.
    other = context.new_page()
    login(other, server["base"], "vp")
    with page.expect_response(lambda r: r.url.endswith("/autosave"), timeout=WAIT) as retried:
        pass
    assert retried.value.status == 400
    assert "Hãy tải lại trang" in retried.value.json()["message"]
    expect(status).to_contain_text("tải lại trang")
    assert page.input_value("#dau_moi") == "Anh Tùng, Văn phòng"
    page.on("dialog", lambda dialog: dialog.accept())  # "leave with unsaved changes?"
    page.reload()
    assert page.input_value("#dau_moi") == "Anh Tùng, Văn phòng"
    expect(page.locator("#autosave-status")).to_contain_text("Đã lưu lúc", timeout=WAIT)
    db = store.open_db(server["db_path"])
    assert store.report_state(db, round_id, "VP").draft.raw["dau_moi"] == "Anh Tùng, Văn phòng"
    db.close()
    context.close()
