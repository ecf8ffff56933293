"""On a phone (390×844, headless Chromium against a real `decuong serve`): no page a unit or a
coordinator uses scrolls sideways, the unit's list of rounds keeps titles readable, the round
board shows "Lịch sử", the fill page's save bar is small and opaque; and the review can be
undone: accepting asks for confirmation, "Mở lại" sends the report back to the unit.

Full-page screenshots of every page go to test-artifacts/phone-*.png for a human look.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from browser_helpers import (
    ARTIFACTS,
    login,
    logout,
    running_server,
    submit_report,
)
from test_web_consolidation import build_round
from web_helpers import build_demo_db

import store

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
# A complete, rule-abiding Cẩm Giang report (typed as a unit would).
REPORT = {"nv_tong": "10", "nv_hoan_thanh": "6", "nv_dang_thuc_hien": "4",
          "hs_tiep_nhan": "1.234", "hs_da_giai_quyet": "1.200", "hs_dung_han": "1.150",
          "pakn_tiep_nhan": "3", "dvsn_tong": "2"}
ON_TIME = datetime.fromisoformat("2025-12-01T09:00:00+07:00")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The demo; VHXH submitted, returned and resubmitted (history and a diff to show); KT
    submitted, waiting for review; a consolidation round with data."""
    folder = tmp_path_factory.mktemp("e2e-phone")
    db_path = folder / "demo.db"
    demo = build_demo_db(db_path)
    db = store.open_db(db_path)
    try:
        round_id = demo["round"]
        for code, raw in (("VHXH", REPORT), ("KT", REPORT)):
            intake = store.submit_values(db, round_id=round_id, unit_code=code, raw=raw,
                                         channel="web", actor=code.lower())
            assert intake.revision is not None, intake.result.errors
        store.set_status(db, round_id, "VHXH", "returned", "daumoi",
                         comment="Đề nghị rà soát số hồ sơ tiếp nhận.")
        store.submit_values(db, round_id=round_id, unit_code="VHXH",
                            raw={**REPORT, "hs_tiep_nhan": "1.240"}, channel="web",
                            actor="vhxh")
        consolidation_round = build_round(db, title="Đợt tổng hợp có tên khá dài để thử "
                                                    "màn hình điện thoại")
    finally:
        db.close()
    with running_server(db_path, folder) as base:
        yield {"base": base, **demo, "consolidation_round": consolidation_round}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="vi-VN", is_mobile=True,
                                  has_touch=True, device_scale_factor=1)
    yield context.new_page()
    context.close()


def overflow(page) -> str | None:
    """None when nothing is wider than the screen; else the widest culprits, to fix them.

    A mobile browser widens its layout viewport to fit content that overflows (innerWidth
    grows past 390), so both are compared with the phone's own width too."""
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    if width <= inner <= PHONE["width"]:
        return None
    culprits = page.evaluate("""() => {
      const out = [];
      for (const el of document.querySelectorAll('body *')) {
        const r = el.getBoundingClientRect();
        if (r.right > %d + 1 && r.width > 0) {
          out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                   (el.className && typeof el.className === 'string' ?
                    '.' + el.className.trim().split(/\\s+/).join('.') : '') +
                   ' right=' + Math.round(r.right));
        }
      }
      return out.slice(0, 6);
    }""".replace("%d", str(PHONE["width"])))
    return f"{page.url}: scrollWidth {width} > {inner}: {culprits}"


def visit(page, url: str, name: str, problems: list[str]) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}-top.png"), full_page=False)
    problem = overflow(page)
    if problem:
        problems.append(problem)


def test_no_page_scrolls_sideways_on_a_phone(server, phone):
    ARTIFACTS.mkdir(exist_ok=True)
    base, round_id = server["base"], server["round"]
    page, problems = phone, []
    # A script error or a missing file on any page is a problem too (e.g. a page loading a
    # script written for another page).
    page.on("pageerror", lambda error: problems.append(f"{page.url}: script error {error}"))
    page.on("console", lambda message: problems.append(
        f"{page.url}: {message.text} {message.location.get('url', '')}")
        if message.type == "error"
        and not message.location.get("url", "").endswith("/favicon.ico") else None)

    visit(page, base + "/auth/login", "login", problems)
    login(page, base, "vhxh")
    unit = f"{base}/rounds/{round_id}/units/VHXH"
    for url, name in ((base + "/unit/", "unit-home"),
                      (f"{base}/rounds/{server['example_round']}/units/VHXH/edit", "fill"),
                      (unit + "/", "report"), (unit + "/history", "history"),
                      (unit + "/diff", "diff"), (base + "/auth/password", "password")):
        visit(page, url, name, problems)
    logout(page)

    login(page, base, "daumoi")
    board = f"{base}/coordinator/rounds/{round_id}"
    for url, name in ((base + "/coordinator/", "rounds"), (board, "round-board"),
                      (board + "?status=submitted", "round-board-filtered"),
                      (base + "/coordinator/units/", "units"),
                      (f"{base}/coordinator/rounds/{server['consolidation_round']}/tong-hop",
                       "consolidation"),
                      (base + "/coordinator/outlines/", "outlines"),
                      (f"{base}/rounds/{round_id}/units/KT/", "review"),
                      (unit + "/diff", "coordinator-diff"),
                      (base + "/coordinator/rounds/new", "new-round")):
        visit(page, url, name, problems)
    page.goto(base + "/coordinator/outlines/")
    page.locator("main a[href*='/coordinator/outlines/cam-giang-cchc-2025/']").first.click()
    page.screenshot(path=str(ARTIFACTS / "phone-outline.png"), full_page=True)
    page.screenshot(path=str(ARTIFACTS / "phone-outline-top.png"), full_page=False)
    problem = overflow(page)
    if problem:
        problems.append(problem)
    assert not problems, "\n".join(problems)


def test_round_titles_and_board_links_are_readable_on_a_phone(server, phone):
    base, round_id = server["base"], server["round"]
    page = phone
    login(page, base, "vhxh")
    page.goto(base + "/unit/")
    title = page.locator("tbody tr", has_text="Kiểm tra công tác cải cách hành chính").first
    cell = title.locator("td").first
    box = cell.bounding_box()
    line = float(page.evaluate(
        "el => parseFloat(getComputedStyle(el).lineHeight)", cell.element_handle()))
    assert box is not None and box["width"] >= 200, box  # not a narrow column
    assert box["height"] <= 4 * line, (box, line)  # a few lines, not one word per line
    logout(page)

    login(page, base, "daumoi")
    page.goto(f"{base}/coordinator/rounds/{round_id}")
    history = page.locator("a", has_text="Lịch sử").first
    history.scroll_into_view_if_needed()
    box = history.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


def test_fill_page_save_bar_is_small_and_opaque(server, phone):
    base = server["base"]
    page = phone
    login(page, base, "kt")
    page.goto(f"{base}/rounds/{server['example_round']}/units/KT/edit")
    bar = page.locator(".actions.sticky")
    box = bar.bounding_box()
    assert box is not None and box["height"] <= 56, box
    colour = page.evaluate("el => getComputedStyle(el).backgroundColor", bar.element_handle())
    assert colour.startswith("rgb(") or colour.endswith(", 1)"), colour  # no transparency
    # With the longest autosave status line the bar shows, it still fits on one row.
    status = page.locator(".actions.sticky [role=status]")
    assert status.count() == 1
    status.evaluate("el => { el.textContent = 'Chưa lưu được — sẽ thử lại sau 30 giây'; }")
    box = bar.bounding_box()
    assert box is not None and box["height"] <= 56, box
    assert status.is_visible()
    page.screenshot(path=str(ARTIFACTS / "phone-fill-save-bar.png"), full_page=False)


def test_accept_asks_and_reopen_returns_the_report(server, phone):
    base, round_id = server["base"], server["round"]
    page = phone
    login(page, base, "daumoi")
    page.goto(f"{base}/rounds/{round_id}/units/KT/")
    assert not page.locator(".confirm-check").is_visible()  # the dialog replaces the box
    messages: list[str] = []

    def dismiss(dialog):
        messages.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.click("#accept-form button")
    assert messages and "Chấp nhận báo cáo của Phòng Kinh tế?" in messages[0]
    page.reload()
    assert "đã nộp" in page.locator(".doc-head .status").inner_text()

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#accept-form button")
    assert "Đã chấp nhận báo cáo của Phòng Kinh tế" in page.locator(".flashes").inner_text()
    page.goto(f"{base}/rounds/{round_id}/units/KT/")
    assert "đã chấp nhận" in page.locator(".doc-head .status").inner_text()
    page.fill("#reason", "Số hồ sơ tiếp nhận phải tính đến hết 30/11/2025.")
    page.screenshot(path=str(ARTIFACTS / "phone-reopen.png"), full_page=True)
    page.click("#reopen-form button")
    assert "Đã mở lại báo cáo" in page.locator(".flashes").inner_text()
    assert "bị trả lại" in page.locator(".doc-head .status").inner_text()
    logout(page)

    login(page, base, "kt")
    page.goto(base + "/unit/")
    page.locator(f"a[href='/rounds/{round_id}/units/KT/edit']").click()
    assert "Số hồ sơ tiếp nhận phải tính đến hết 30/11/2025." in \
        page.locator(".returned-box").inner_text()
    page.fill("#hs_tiep_nhan", "1.250")
    submit_report(page)
    assert "Đã nộp báo cáo" in page.locator(".flashes").inner_text()


def test_without_javascript_accepting_needs_the_ticked_box(server, browser):
    """No script: the confirmation box is shown and required; the browser does not send the
    form without it, and once ticked the report is accepted."""
    base, round_id = server["base"], server["round"]
    context = browser.new_context(viewport=PHONE, locale="vi-VN", java_script_enabled=False)
    page = context.new_page()
    login(page, base, "daumoi")
    page.goto(f"{base}/rounds/{round_id}/units/VHXH/")
    box = page.locator("#accept-form input[name=confirm]")
    assert box.is_visible() and box.get_attribute("required") is not None
    page.click("#accept-form button")  # not ticked: the browser keeps the form
    page.goto(f"{base}/rounds/{round_id}/units/VHXH/")
    assert "đã nộp" in page.locator(".doc-head .status").inner_text()
    box.check()
    page.click("#accept-form button")
    assert "Đã chấp nhận báo cáo của Phòng Văn hóa - Xã hội" in \
        page.locator(".flashes").inner_text()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, {"width": 1366, "height": 768}],
                         ids=["phone", "laptop"])
def test_consolidation_headers_are_wrapped_not_cut(server, browser, viewport):
    """Every column header of the Cẩm Giang consolidation shows all its words (wrapped onto
    more lines, never clipped like "quá hạn (nhiệm.."), and every chart title is on screen as
    text above its chart."""
    context = browser.new_context(viewport=viewport, locale="vi-VN")
    page = context.new_page()
    login(page, server["base"], "daumoi")
    page.goto(f"{server['base']}/coordinator/rounds/{server['round']}/tong-hop")
    clipped = page.eval_on_selector_all(".ctable thead th .h", """els => els
        .filter(e => e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1)
        .map(e => e.textContent)""")
    count = page.locator(".ctable thead th .h").count()
    assert count > 20 and clipped == []
    late = page.locator(".ctable thead th .h", has_text="quá hạn")
    assert late.count() >= 2  # the long "… quá hạn …" headers are among those checked
    captions = page.locator("figcaption.chart-title")
    assert captions.count() >= 2
    for i in range(captions.count()):
        caption = captions.nth(i)
        box = caption.bounding_box()
        assert caption.is_visible() and box is not None and box["height"] > 0
        assert caption.inner_text().strip()
    name = "laptop" if viewport["width"] > 1000 else "phone"
    page.locator(".ctable").first.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / f"consolidation-headers-{name}.png"), full_page=False)
    context.close()
