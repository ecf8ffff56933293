"""The year plan and the year's series in headless Chromium against a real `decuong serve`:
the coordinator previews the Decree 09 dates, corrects one deadline, opens the rounds and lands
on the year's page — with no Content-Security-Policy violation on the way."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_helpers import demo_server, login
from test_web_csp_browser import RECORD

import store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    with demo_server(tmp_path_factory.mktemp("yearplan")) as running:
        yield running


def test_plan_a_year_in_the_browser(server, browser):
    context = browser.new_context(locale="vi-VN")
    context.add_init_script(RECORD)
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    login(page, server["base"], "daumoi")
    page.goto(server["base"] + "/coordinator/")
    page.click("text=Lập kế hoạch báo cáo năm")
    page.select_option("#outline", "cam-giang-cchc-2025:1")
    page.fill("#year", "2028")
    page.fill("#deadline_day", "18")
    page.check("input[name=periods][value=quy-1]")
    page.check("input[name=periods][value=nam]")
    page.click("button[value=preview]")
    assert page.input_value("#start_quy-1") == "15/12/2027"
    assert page.input_value("#end_quy-1") == "14/03/2028"
    assert page.input_value("#deadline_quy-1") == "18/03/2028"
    assert page.input_value("#end_nam") == "14/12/2028"
    page.fill("#deadline_nam", "28/12/2028")
    page.click("button[value=create]")
    page.wait_for_url("**/coordinator/years/cam-giang-cchc-2025/2028")
    assert "Đã mở đợt số" in page.inner_text(".flashes")
    assert page.locator("svg.column-chart").count() > 0
    violations.extend(page.evaluate("window.__csp || []"))
    assert violations == []
    db = store.open_db(server["db_path"])
    try:
        planned = sorted((r["period_kind"], r["period_end"], r["deadline"])
                         for r in store.year_rounds(db, "cam-giang-cchc-2025", 2028))
    finally:
        db.close()
    assert planned == [("nam", "2028-12-14", "2028-12-28T16:59:59+00:00"),
                       ("quy-1", "2028-03-14", "2028-03-18T16:59:59+00:00")]
    context.close()
