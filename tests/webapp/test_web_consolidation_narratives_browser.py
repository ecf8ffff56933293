"""Narratives in place, in headless Chromium against a real `decuong serve`: on the
consolidated page of a 60-unit round, "Xem cả … câu trả lời" replaces an item's five-answer
preview with its first 50 answers, the pager inside goes on to the rest without leaving the
page, and nothing breaks the Content-Security-Policy."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from browser_helpers import running_server
from large_round import COORDINATOR, LargeRound, build_large_round

pytestmark = pytest.mark.browser

UNITS = 60  # 54 answers per item (every tenth unit sent nothing)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, LargeRound]]:
    folder = tmp_path_factory.mktemp("narratives-browser")
    db_path = folder / "large.db"
    big = build_large_round(db_path, UNITS)
    with running_server(db_path, folder) as base:
        yield base, big


def test_all_answers_of_an_item_open_in_place(server, browser) -> None:
    base, big = server
    context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    page = context.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto(base + "/auth/login")
    page.fill("#username", COORDINATOR)
    page.fill("#password", "mat-khau-dai-du-12")
    page.click("button[type=submit]")
    page.goto(f"{base}/coordinator/rounds/{big.round_id}/tong-hop")
    url = page.url
    key = big.text_keys[0]
    link = page.locator(f"a[data-narratives-load][href*='/loi-van/{key}']")
    block = page.locator(".narr", has=link)
    answered = [c for c in big.codes if c not in big.missing]
    assert block.locator("ol.narr-list > li").count() == 5
    ref = (block.locator("h3").text_content() or "").strip()
    block = page.locator(".narr", has=page.get_by_role("heading", name=ref, exact=True))
    link.click()
    block.locator("ol.narr-list > li").nth(49).wait_for()
    assert page.url == url  # still the consolidated page
    assert block.locator("ol.narr-list > li").count() == 50
    assert block.locator("li .code").first.text_content() == answered[0]
    items = block.locator("ol.narr-list > li")
    assert LargeRound.answer(answered[49], key) in (items.nth(49).text_content() or "")
    assert "Trang 1/2" in block.text_content()
    block.locator("a[rel=next]").click()
    block.locator("li .code", has_text=answered[50]).wait_for()
    block.locator("li .code", has_text=answered[0]).wait_for(state="detached")
    assert page.url == url
    assert block.locator("ol.narr-list > li").count() == len(answered) - 50
    assert "Trang 2/2" in block.text_content()
    assert violations == []
    context.close()
