"""The Content-Security-Policy is really satisfied: every kind of page, for a unit and for the
coordinator, loads and runs its scripts in headless Chromium against a real `decuong serve`
without a single violation (no inline script, style attribute or handler left to block).

Violations are collected twice: the page's `securitypolicyviolation` events (an init script
records them before any page script runs) and Chromium's console errors about the policy.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_helpers import demo_server, login

pytestmark = pytest.mark.browser

RECORD = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with demo_server(tmp_path_factory.mktemp("csp")) as running:
        yield running


class Visitor:
    """One logged-in browser context that remembers every policy violation it meets."""

    def __init__(self, browser, base: str, username: str) -> None:
        self.base = base
        self.context = browser.new_context(locale="vi-VN")
        self.context.add_init_script(RECORD)
        self.page = self.context.new_page()
        self.console: list[str] = []
        self.page.on("console", self._console)
        self.violations: dict[str, list[str]] = {}
        login(self.page, base, username)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def check(self, label: str) -> None:
        self.page.wait_for_load_state("networkidle")
        found = self.page.evaluate("window.__csp || []") + self.console
        self.console = []
        if found:
            self.violations[label] = found

    def visit(self, path: str, expect_status: int = 200) -> None:
        response = self.page.goto(self.base + path)
        assert response is not None and response.status == expect_status, path
        assert "default-src 'self'" in response.headers["content-security-policy"]
        self.check(path)


def test_unit_pages_run_without_a_policy_violation(server, browser):
    unit = Visitor(browser, server["base"], "vp")
    round_id, example = server["round"], server["example_round"]
    unit.check("login and landing")
    for path in ("/unit/", f"/rounds/{round_id}/units/VP/", f"/rounds/{round_id}/units/VP/history",
                 "/auth/password"):
        unit.visit(path)
    unit.visit(f"/rounds/{example}/units/VP/edit")
    page = unit.page
    page.fill("#nv_tong", "10")  # live computation and checks run in fill.js
    page.fill("#nv_xong", "12")
    page.keyboard.press("Tab")
    page.click("button[value=draft]")
    unit.check("fill page after typing and saving")
    page.click("button[value=submit]")  # errors or the summary of empty items
    unit.check("fill page after trying to submit")
    unit.visit("/khong-co-trang-nay", expect_status=404)
    upload = f"/rounds/{example}/units/VP/edit"
    unit.visit(upload)
    page.locator("details.excel-upload summary").click()
    page.set_input_files("#excel-file", files=[{
        "name": "sai.xlsx", "mimeType": "application/octet-stream",
        "buffer": b"khong phai tep excel"}])
    page.locator("#excel-upload-form button[type=submit]").click()
    page.wait_for_selector("#excel-errors")
    unit.check("refused Excel upload")
    assert unit.violations == {}


def test_coordinator_pages_run_without_a_policy_violation(server, browser):
    coordinator = Visitor(browser, server["base"], "daumoi")
    round_id = server["round"]
    coordinator.check("login and landing")
    for path in ("/coordinator/", f"/coordinator/rounds/{round_id}", "/coordinator/units/",
                 "/coordinator/rounds/new",
                 f"/rounds/{round_id}/units/VP/", f"/rounds/{round_id}/units/VP/history",
                 f"/coordinator/rounds/{round_id}/tong-hop", "/coordinator/outlines/",
                 "/coordinator/outlines/cam-giang-cchc-2025/1"):
        coordinator.visit(path)
    page = coordinator.page
    coordinator.visit(f"/coordinator/rounds/{round_id}/tong-hop")
    page.locator("table.ctable th button.sort").first.click()  # consolidation.js sorts
    coordinator.check("consolidation after sorting")
    coordinator.visit("/coordinator/units/new")
    coordinator.visit("/coordinator/units/VP/edit")
    coordinator.visit(f"/coordinator/rounds/{round_id}")
    page.set_input_files("#excel-files", files=[{
        "name": "khong-phai-excel.xlsx", "mimeType": "application/octet-stream",
        "buffer": b"khong phai tep excel"}])
    page.locator("#excel-batch-form button[type=submit]").click()
    page.wait_for_selector("#excel-result")
    coordinator.check("batch upload result")
    entry = f"/coordinator/rounds/{server['example_round']}/units/VP/nhap-ho"
    coordinator.visit(entry)  # nhập hộ: the browser buffer, restored with its discard button
    page.fill("#dau_moi", "Nhập hộ")
    page.keyboard.press("Tab")
    page.wait_for_function("() => Object.keys(localStorage).some(k => k.includes('nhap-ho'))")
    coordinator.visit(entry)
    page.wait_for_selector("#buffer-discard")
    coordinator.check("nhập hộ with its buffer restored")
    page.click("button[value=draft]")  # lands on the report page, which ends the buffer
    page.wait_for_selector("[data-buffer-done]", state="attached")
    coordinator.check("report page after nhập hộ")
    assert coordinator.violations == {}
