"""End to end in headless Chromium (Debian's, never a downloaded one) against a real
`decuong serve` (waitress) on loopback, on a database made by the demo.

A unit fills the Cẩm Giang outline, meets a rule error, corrects it and submits; the
coordinator returns it with a comment on one item; the unit sees the comment, fixes and
resubmits; the coordinator sees the diff and accepts. Screenshots go to test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_helpers import (
    ARTIFACTS,
    demo_server,
    login,
    logout,
    submit_report,
)
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with demo_server(tmp_path_factory.mktemp("e2e")) as running:
        yield running


def test_unit_fills_coordinator_returns_unit_fixes_coordinator_accepts(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    base, round_id = server["base"], server["round"]
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()

    # The unit fills the outline and meets a rule error.
    login(page, base, "vhxh")
    assert page.locator("h1").inner_text() == "Việc cần làm"
    page.locator(f"a[href='/rounds/{round_id}/units/VHXH/edit']").click()
    page.get_by_label("Tổng số nhiệm vụ trong kế hoạch").fill("10")
    page.fill("#nv_hoan_thanh", "8")
    page.fill("#nv_dang_thuc_hien", "4")
    page.fill("#hs_tiep_nhan", "1.234")
    page.fill("#hs_da_giai_quyet", "1.200")
    page.fill("#hs_dung_han", "1.150")
    page.fill("#pakn_tiep_nhan", "3")
    page.fill("#dvsn_tong", "2")
    page.fill("#cd_nguon_luc", "Bố trí 2 công chức phụ trách CCHC.")
    submit_report(page)
    summary = page.locator("#tom-tat")
    assert "Số nhiệm vụ đã hoàn thành cộng số nhiệm vụ đang thực hiện" in summary.inner_text()
    assert page.locator("#item-nv_tong.has-error").count() == 1
    page.locator("#tom-tat a[href='#nv_tong']").click()
    assert page.url.endswith("#nv_tong")
    assert page.evaluate("document.activeElement.id") == "nv_tong"
    page.screenshot(path=str(ARTIFACTS / "fill-page-error.png"), full_page=False)
    page.locator("#tom-tat").scroll_into_view_if_needed()

    # It corrects the figure and submits.
    assert page.input_value("#nv_hoan_thanh") == "8"
    page.fill("#nv_hoan_thanh", "6")
    submit_report(page)
    assert "Đã nộp báo cáo" in page.locator(".flashes").inner_text()
    logout(page)

    # The coordinator sees it on the round page and returns it with a comment on one item.
    login(page, base, "daumoi")
    page.goto(f"{base}/coordinator/rounds/{round_id}")
    page.screenshot(path=str(ARTIFACTS / "round-page.png"), full_page=True)
    page.locator(f"a[href='/rounds/{round_id}/units/VHXH/']").click()
    page.locator("#item-hs_tiep_nhan > details > summary").click()
    page.screenshot(path=str(ARTIFACTS / "review-page.png"), full_page=False)
    page.fill("#comment-hs_tiep_nhan", "Số hồ sơ tiếp nhận chưa khớp với phần mềm một cửa.")
    page.fill("#comment", "Đề nghị rà soát lại số liệu hồ sơ.")
    page.locator("#return-form button.danger").click()
    assert "Đã trả lại" in page.locator(".flashes").inner_text()
    logout(page)

    # The unit sees the comment at the item, fixes the figure and resubmits.
    login(page, base, "vhxh")
    page.goto(f"{base}/rounds/{round_id}/units/VHXH/edit")
    comment = page.locator("#item-hs_tiep_nhan > .comment").inner_text()
    assert "chưa khớp với phần mềm một cửa" in comment
    assert "Đề nghị rà soát lại số liệu hồ sơ." in page.locator(".returned-box").inner_text()
    page.screenshot(path=str(ARTIFACTS / "fill-page-returned.png"), full_page=False)
    page.fill("#hs_tiep_nhan", "1.240")
    submit_report(page)
    assert "Đã nộp báo cáo" in page.locator(".flashes").inner_text()
    logout(page)

    # The coordinator compares the two submissions and accepts.
    login(page, base, "daumoi")
    page.goto(f"{base}/rounds/{round_id}/units/VHXH/diff")
    diff = page.locator("table.diff").inner_text()
    assert "Tổng số hồ sơ TTHC tiếp nhận" in diff and "1.234" in diff and "1.240" in diff
    page.screenshot(path=str(ARTIFACTS / "diff.png"), full_page=True)
    page.goto(f"{base}/rounds/{round_id}/units/VHXH/")
    page.once("dialog", lambda dialog: dialog.accept())  # accepting asks for confirmation
    page.click("#accept-form button")
    assert "Đã chấp nhận" in page.locator(".flashes").inner_text()
    row = page.locator("tr", has_text="Phòng Văn hóa - Xã hội")
    assert "đã chấp nhận" in row.inner_text()
    context.close()


def test_live_computed_items_and_table_rows_on_a_phone(server, browser):
    """Progressive enhancement: the rate updates while typing, rows are added in place."""
    base, round_id = server["base"], server["example_round"]
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    login(page, base, "kt")
    page.goto(f"{base}/rounds/{round_id}/units/KT/edit")
    page.fill("#nv_tong", "8")
    page.fill("#nv_xong", "6")
    assert page.input_value("#nv_ty_le") == "75"
    rows = page.locator("table[data-table=sang_kien] tbody tr")
    before = rows.count()
    page.click("[data-add-row=sang_kien]")
    assert rows.count() == before + 1
    page.fill(f"#sang_kien-{before}-ten", "Trả kết quả qua Zalo")
    page.screenshot(path=str(ARTIFACTS / "fill-page-phone.png"), full_page=False)
    page.click("button[value=draft]")  # saved in place (fill-autosave.js), no reload
    expect(page.locator("#autosave-status")).to_contain_text("Đã lưu nháp", timeout=15_000)
    assert page.input_value("#nv_ty_le") == "75"
    assert page.input_value(f"#sang_kien-{before}-ten") == "Trả kết quả qua Zalo"
    page.reload()  # and it was stored: the saved draft shows it back
    assert "Trả kết quả qua Zalo" in page.content()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390 + 1  # nothing forces sideways scrolling on a phone
    context.close()
