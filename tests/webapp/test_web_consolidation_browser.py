"""The consolidated page in headless Chromium (Debian's) against a real `decuong serve`.

The coordinator opens the page of a 40-unit round, sorts a column by clicking its header, and
scrolls the table: the header rows and the unit column must stay in view (position: sticky).
Screenshots go to test-artifacts/ for a human look at 1366×768.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import pytest
from browser_helpers import ARTIFACTS, login, running_server
from test_web_consolidation import UNITS, build_round
from web_helpers import build_demo_db

import store

pytestmark = pytest.mark.browser


def many_units(n: int = 40) -> list[tuple[str, str, str, dict | None]]:
    """The test round's units plus generated ones, so the table is taller than the screen."""
    rng = random.Random(5)
    extra = []
    for i in range(n - len(UNITS)):
        done = rng.randint(10, 900)
        extra.append((f"Z{i:02d}", f"UBND xã thử nghiệm số {i + 1}", "xã",
                      {"da_giai_quyet": str(done), "dung_han": str(rng.randint(done // 2, done)),
                       "hai_long": str(rng.randint(80, 100))}))
    return [*UNITS, *extra]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    folder = tmp_path_factory.mktemp("e2e-consolidation")
    db_path = folder / "demo.db"
    demo = build_demo_db(db_path)
    db = store.open_db(db_path)
    try:
        round_id = build_round(db, many_units())
    finally:
        db.close()
    with running_server(db_path, folder) as base:
        yield {"base": base, **demo, "consolidation_round": round_id}


def unit_codes(page) -> list[str]:
    return page.eval_on_selector_all(
        "#bang-I tbody.grp:nth-of-type(2) tr.unit th .code", "els => els.map(e => e.textContent)")


def test_coordinator_sorts_and_scrolls_the_consolidated_table(server, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    base, round_id = server["base"], server["consolidation_round"]
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    login(page, base, "daumoi")
    page.goto(f"{base}/coordinator/rounds/{round_id}")
    page.click("a:has-text('Xem bảng tổng hợp')")
    assert page.locator("h1").inner_text() == "Tổng hợp số liệu"
    page.screenshot(path=str(ARTIFACTS / "consolidation-page.png"), full_page=False)

    # Sort the "xã" group by the number of files handled (first data column), descending.
    before = unit_codes(page)
    header = page.locator("#bang-I thead th[data-col='0'] button.sort")
    header.click()
    assert page.locator("#bang-I thead th[data-col='0']").get_attribute("aria-sort") \
        == "ascending"
    header.click()
    assert page.locator("#bang-I thead th[data-col='0']").get_attribute("aria-sort") \
        == "descending"
    after = unit_codes(page)
    assert after != before and sorted(after) == sorted(before)
    values = page.eval_on_selector_all(
        "#bang-I tbody.grp:nth-of-type(2) tr.unit:not(.missing)",
        "rows => rows.map(r => r.children[1].textContent.trim())")
    numbers = [float(v.replace(".", "").replace(",", ".")) for v in values if v]
    assert numbers == sorted(numbers, reverse=True)
    # The subtotal stays under its group, the total stays last.
    last_rows = page.eval_on_selector_all(
        "#bang-I tbody.grp:nth-of-type(2) tr", "rows => rows.map(r => r.className)")
    assert last_rows[-1] == "subtotal"

    # Sticky: after scrolling the table box, the header and the unit column stay in view.
    wrap = page.locator("#phan-I .ctable-wrap")
    wrap.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, document.querySelector('#phan-I .ctable-wrap')"
                  ".getBoundingClientRect().top - 10)")
    top_before = page.evaluate("document.querySelector('#bang-I thead th[data-col=\"0\"]')"
                               ".getBoundingClientRect().top")
    page.evaluate("document.querySelector('#phan-I .ctable-wrap').scrollTop = 400")
    page.evaluate("document.querySelector('#phan-I .ctable-wrap').scrollLeft = 300")
    wrap_top = page.evaluate("document.querySelector('#phan-I .ctable-wrap')"
                             ".getBoundingClientRect().top")
    header_top = page.evaluate("document.querySelector('#bang-I thead th[data-col=\"0\"]')"
                               ".getBoundingClientRect().top")
    assert page.evaluate("document.querySelector('#phan-I .ctable-wrap').scrollTop") > 100
    assert abs(header_top - top_before) < 2 and header_top >= wrap_top - 1
    first_col = page.evaluate("document.querySelector('#bang-I tbody tr.unit th')"
                              ".getBoundingClientRect().left")
    wrap_left = page.evaluate("document.querySelector('#phan-I .ctable-wrap')"
                              ".getBoundingClientRect().left")
    assert abs(first_col - wrap_left) < 3  # the unit column did not scroll away
    page.screenshot(path=str(ARTIFACTS / "consolidation-table-scrolled.png"), full_page=False)

    # The kind filter works as a plain GET form.
    page.select_option("#kind", "phòng")
    page.click("form.filters button[type=submit]")
    assert "Đang lọc" in page.locator(".filter-note").inner_text()
    assert page.locator("#bang-I tr.unit").count() == 7
    page.screenshot(path=str(ARTIFACTS / "consolidation-filtered.png"), full_page=False)
    context.close()
