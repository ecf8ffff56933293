"""Moving through a long fill page without JavaScript: the section menu with each top-level
section's progress and error count and "Đã nhập x/y mục", and the server-side summary of empty
items a unit confirms before its report is submitted (nothing typed is lost either way)."""

from __future__ import annotations

import html
import re

import pytest
from web_helpers import UNIT_A, USER_A, as_user, text

import store


@pytest.fixture
def unit_a(client):
    return as_user(client, USER_A)


def url(demo, round_key="example_round"):
    return f"/rounds/{demo[round_key]}/units/{UNIT_A}/edit"


def menu(page: str) -> str:
    return page[page.index('<details class="fill-nav"'):page.index("</details>",
                                                                   page.index('class="fill-nav"'))]


def entries(page: str) -> list[tuple[str, str, str]]:
    """(target, count, errors) of every menu line."""
    found = re.findall(r'<li data-nav-target="([^"]+)">.*?data-nav-count[^>]*>([^<]+)</span>'
                       r'.*?data-nav-error-count>(\d+)<', menu(page), re.S)
    return [(t, c, e) for t, c, e in found]


def test_the_menu_lists_each_top_level_section_with_what_is_filled(unit_a, demo):
    # The example outline: one section of 8 items, one of them computed (the rate): 7 to type.
    unit_a.post(url(demo), data={"action": "draft", "nv_tong": "4", "dau_moi": "Chị Lan",
                                 "co_quy_che": "co", "sang_kien-rows": "2",
                                 "sang_kien-1-ten": "Một cửa số"})
    page = text(unit_a.get(url(demo)))
    assert "Đã nhập 4/7 mục" in menu(page)
    assert entries(page) == [("phan-1", "4/7", "0")]
    assert 'href="#phan-1"' in menu(page) and '<section class="sec depth-0" id="phan-1">' in page


def test_the_cam_giang_menu_has_its_five_parts_and_counts_84_items(unit_a, demo):
    page = text(unit_a.get(url(demo, "round")))
    # 87 items, 3 of them computed; parts I.–V. of the appendix.
    assert "Đã nhập 0/84 mục" in menu(page)
    assert [t for t, _c, _e in entries(page)] == [f"phan-{n}" for n in range(1, 6)]
    assert all(c.startswith("0/") for _t, c, _e in entries(page))
    for n in range(1, 6):
        assert f'id="phan-{n}"' in page


def test_errors_of_a_refused_submission_are_counted_in_the_menu(unit_a, demo):
    response = unit_a.post(url(demo), data={"action": "submit", "nv_xong": "ba",
                                            "ngay_ke_hoach": "31/02/2025"})
    assert response.status_code == 422
    page = text(response)
    # nv_tong is required and empty, nv_xong unreadable, the date impossible: 3 errors.
    assert entries(page) == [("phan-1", "2/7", "3")]
    assert "· <span data-nav-error-count>3</span> lỗi" in menu(page)


def test_submitting_with_empty_items_asks_first_and_carries_what_was_typed(unit_a, demo, db):
    typed = {"action": "submit", "ask_empty": "1", "nv_tong": "4", "nv_xong": "2",
             "dau_moi": "Anh <Bình> & chị Lan"}
    response = unit_a.post(url(demo), data=typed)
    assert response.status_code == 200
    page = text(response)
    assert store.get_submission(db, demo["example_round"], UNIT_A) is None  # not yet
    assert "<h1>Báo cáo còn 4 mục để trống</h1>" in page
    listed = re.findall(r"<li>([^<]+)", page[page.index('id="muc-trong"'):])
    assert [s.strip() for s in listed[:4]] == [
        "I. 5. Đã ban hành Quy chế", "I. 6. Tự đánh giá", "I. 7. Ngày ban hành kế hoạch",
        "I. 8. Những sáng kiến"]
    assert "Tỷ lệ hoàn thành" not in page  # computed: never "empty"
    assert "Đã nhập 3/7 mục" in page
    for name, value in (("nv_tong", "4"), ("nv_xong", "2"), ("dau_moi", typed["dau_moi"])):
        assert f'<input type="hidden" name="{name}" value="{html.escape(value)}">' in page
    assert '<button type="submit" name="action" value="submit" class="primary">Vẫn nộp</button>' \
        in page
    assert '<button type="submit" name="action" value="edit" class="secondary">Quay lại sửa' \
        '</button>' in page

    # "Quay lại sửa": the form again with what was typed; nothing saved.
    back = unit_a.post(url(demo), data={**typed, "action": "edit", "confirmed": "1"})
    assert back.status_code == 200
    assert 'value="Anh &lt;Bình&gt; &amp; chị Lan"' in text(back)
    assert store.get_submission(db, demo["example_round"], UNIT_A) is None

    # "Vẫn nộp": submitted.
    done = unit_a.post(url(demo), data={**typed, "confirmed": "1"})
    assert done.status_code == 302
    assert store.get_submission(db, demo["example_round"], UNIT_A)["status"] == "submitted"


def test_empty_required_items_are_named_as_such(unit_a, demo):
    page = text(unit_a.post(url(demo), data={"action": "submit", "ask_empty": "1",
                                             "nv_xong": "2"}))
    assert "Có 1 mục bắt buộc còn trống" in page
    assert re.search(r"<li>I\. 1\. Tổng số nhiệm vụ <span class=\"req\"[^>]*>\*</span> "
                     r"<strong>\(bắt buộc\)</strong></li>", page)


def test_a_complete_report_or_a_script_is_not_asked(unit_a, demo, db):
    complete = {"action": "submit", "ask_empty": "1", "nv_tong": "4", "nv_xong": "2",
                "dau_moi": "Lan", "co_quy_che": "khong", "tu_danh_gia": "kha",
                "ngay_ke_hoach": "01/08/2025", "sang_kien-rows": "1",
                "sang_kien-0-ten": "Số hóa"}
    assert unit_a.post(url(demo), data=complete).status_code == 302
    store.set_status(db, demo["example_round"], UNIT_A, "draft", USER_A)  # recall
    # A client posting the form by itself (no ask_empty) is not asked.
    assert unit_a.post(url(demo), data={"action": "submit", "nv_tong": "5"}).status_code == 302


def test_the_cam_giang_fill_page_with_its_css_and_js_stays_under_150_kb(unit_a, demo):
    """Issue 11's weight budget: HTML + every stylesheet and script the page loads."""
    page = unit_a.get(url(demo, "round")).get_data()
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+)"', page)
    assert b"/static/fill-nav.js" in assets and b"/static/fill-nav.css" in assets
    total = len(page) + sum(len(unit_a.get(a.decode()).get_data()) for a in assets)
    assert total <= 150 * 1024, f"{total:,} bytes"
