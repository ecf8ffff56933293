"""The fill page: built from the outline, draft vs submit, errors at their item and in the
summary, warnings that allow submitting, tables, computed items, escaping."""

from __future__ import annotations

import html
import re

import pytest
from web_helpers import UNIT_A, USER_A, as_user, text

import store

VALID = {"nv_tong": "10", "nv_hoan_thanh": "6", "nv_dang_thuc_hien": "4",
         "hs_tiep_nhan": "1.234", "hs_da_giai_quyet": "1.200", "hs_dung_han": "1.150",
         "pakn_tiep_nhan": "3", "dvsn_tong": "2"}


@pytest.fixture
def unit_a(client):
    return as_user(client, USER_A)


def url(demo, round_key="round", what="edit"):
    return f"/rounds/{demo[round_key]}/units/{UNIT_A}/{what}"


def test_fill_page_follows_the_outline(unit_a, demo):
    page = text(unit_a.get(url(demo)))
    # Section numbering and titles, labels word for word, unit words, help text.
    assert "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CẢI CÁCH HÀNH CHÍNH" in page
    assert '<label for="nv_tong" class="item-label">Tổng số nhiệm vụ trong kế hoạch</label>' in page
    assert 'id="nv_tong"' in page and "nhiệm vụ</span>" in page
    assert "(Sau hợp nhất)." in page
    assert 'id="item-nv_tong"' in page
    assert 'name="csrf_token"' in page


def test_every_input_has_a_label_tied_to_it(unit_a, demo):
    page = text(unit_a.get(url(demo, "example_round")))
    ids = set(re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', page))
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', page))
    radios = {i for i in ids if re.fullmatch(r"co_quy_che-\d", i)}  # labels wrap radios
    assert ids - labelled - radios == set()


def test_draft_saves_without_required_checks(unit_a, demo, db):
    response = unit_a.post(url(demo), data={"action": "draft", "nv_hoan_thanh": "3"})
    assert response.status_code == 302
    sub = store.get_submission(db, demo["round"], UNIT_A)
    assert sub["status"] == "draft"
    assert store.get_revision(db, demo["round"], UNIT_A)["values"]["nv_hoan_thanh"] == 3
    page = text(unit_a.get(response.location))
    assert "Đã lưu nháp" in page
    assert 'value="3"' in page  # shown back in the form


def test_draft_keeps_readable_values_and_each_unreadable_one_as_typed(unit_a, demo, db):
    """One unreadable value no longer refuses the whole draft (issue 11): the readable ones are
    stored, the unreadable one comes back in its field, marked, with the engine's message."""
    response = unit_a.post(url(demo), data={"action": "draft", "nv_tong": "mười",
                                            "nv_hoan_thanh": "3"})
    assert response.status_code == 302
    values = store.get_revision(db, demo["round"], UNIT_A)["values"]
    assert values["nv_hoan_thanh"] == 3 and values["nv_tong"] is None
    page = text(unit_a.get(response.location))
    field = re.search(r'<input type="text" id="nv_tong"[^>]*>', page).group(0)
    assert 'value="mười"' in field and 'aria-invalid="true"' in field
    assert '"mười" không phải là số nguyên' in html.unescape(page)
    assert "1 mục có giá trị chưa đọc được: giữ nguyên như bạn đã gõ" in page
    # Submitting it is still refused, and stores nothing new.
    refused = unit_a.post(url(demo), data={"action": "submit", "nv_tong": "mười"})
    assert refused.status_code == 422
    assert store.get_submission(db, demo["round"], UNIT_A)["latest_revision"] == 1


def test_submit_runs_full_validation_with_errors_at_items_and_a_summary(unit_a, demo, db):
    data = {**VALID, "nv_hoan_thanh": "8", "hs_tiep_nhan": "", "action": "submit"}
    response = unit_a.post(url(demo), data=data)
    assert response.status_code == 422
    page = text(response)
    assert store.get_submission(db, demo["round"], UNIT_A) is None
    summary = page[page.index('id="tom-tat"'):page.index('id="fill-form"')]
    # Each link lands on the item's input itself (an id the page has), not just near it.
    assert 'href="#nv_tong"' in summary  # the rule attaches to its first item
    assert 'href="#hs_tiep_nhan"' in summary  # the required item
    assert 'id="nv_tong"' in page and 'id="hs_tiep_nhan"' in page
    assert "Số nhiệm vụ đã hoàn thành cộng số nhiệm vụ đang thực hiện" in summary
    item = page[page.index('id="item-nv_tong"'):page.index('id="item-nv_hoan_thanh"')]
    assert "has-error" in page[page.index('id="item-nv_tong"') - 80:page.index('id="item-nv_tong"')]
    assert "Số nhiệm vụ đã hoàn thành cộng số nhiệm vụ đang thực hiện" in item
    assert 'value="8"' in page  # the input is kept


def test_submit_with_only_warnings_is_accepted_and_shows_them(unit_a, demo, db):
    data = {**VALID, "action": "submit", "dvsn_nhom_1": "1"}  # groups 1 ≠ total 2: a warning
    response = unit_a.post(url(demo), data=data)
    assert response.status_code == 302
    assert store.get_submission(db, demo["round"], UNIT_A)["status"] == "submitted"
    page = text(unit_a.get(response.location))
    assert "Có 1 cảnh báo" in page
    assert "chưa bằng tổng đơn vị sự nghiệp công lập" in page
    assert "issue-warning" in page


def test_submitted_report_is_read_only_until_recalled(unit_a, demo):
    unit_a.post(url(demo), data={**VALID, "action": "submit"})
    response = unit_a.get(url(demo))
    assert response.status_code == 302
    assert response.location.endswith(f"/rounds/{demo['round']}/units/{UNIT_A}/")
    page = text(unit_a.get(response.location))
    assert "1.234" in page  # Vietnamese number formatting on the read-only page
    assert "Thu hồi để sửa" in page


def test_text_is_escaped_everywhere(unit_a, demo, client):
    payload = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    unit_a.post(url(demo), data={**VALID, "cd_nguon_luc": payload, "action": "submit"})
    for role in (USER_A, "daumoi"):
        as_user(client, role)
        page = text(client.get(url(demo, what="")))
        assert "<script>alert" not in page
        assert "<img src=x" not in page
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page


def test_table_rows_computed_items_and_choices(unit_a, demo, db):
    page = text(unit_a.get(url(demo, "example_round")))
    assert 'name="sang_kien-rows" value="2"' in page  # blank rows without JavaScript
    assert 'id="nv_ty_le"' in page and "readonly" in page
    more = unit_a.post(url(demo, "example_round"),
                       data={"action": "addrows:sang_kien", "sang_kien-rows": "2",
                             "sang_kien-0-ten": "Một cửa số"})
    assert more.status_code == 200
    page = text(more)
    assert 'name="sang_kien-rows" value="5"' in page
    assert 'value="Một cửa số"' in page
    assert store.get_submission(db, demo["example_round"], UNIT_A) is None  # nothing saved
    data = {"action": "submit", "nv_tong": "4", "nv_xong": "3", "co_quy_che": "co",
            "tu_danh_gia": "kha", "ngay_ke_hoach": "12/11/2025", "sang_kien-rows": "3",
            "sang_kien-0-ten": "Một cửa số", "sang_kien-0-ngay": "01/08/2025",
            "sang_kien-1-ten": "Bỏ đi", "sang_kien-1-_delete": "1",
            "sang_kien-2-ten": "Hẹn trả qua Zalo"}
    response = unit_a.post(url(demo, "example_round"), data=data)
    assert response.status_code == 302, text(response)
    values = store.get_revision(db, demo["example_round"], UNIT_A)["values"]
    assert values["nv_ty_le"] == 75
    assert values["co_quy_che"] is True and values["tu_danh_gia"] == "kha"
    assert [row["ten"] for row in values["sang_kien"]] == ["Một cửa số", "Hẹn trả qua Zalo"]
    view = text(unit_a.get(response.location))
    assert "75 %" in view and "Khá" in view and "12/11/2025" in view and "01/08/2025" in view


def test_table_cell_error_names_the_row_and_column(unit_a, demo):
    data = {"action": "submit", "nv_tong": "4", "nv_xong": "1", "sang_kien-rows": "2",
            "sang_kien-1-ngay": "31/02/2025"}
    page = text(unit_a.post(url(demo, "example_round"), data=data))
    assert "dòng 1, cột «Ngày áp dụng»" in page
    # Form row 2 is the table's first row (row 1 was left blank): the link lands on its cell.
    assert 'href="#sang_kien-1-ngay"' in page and 'id="sang_kien-1-ngay"' in page


def test_formulas_are_given_to_the_browser_as_json(unit_a, demo):
    page = text(unit_a.get(url(demo, "example_round")))
    attribute = re.search(r'data-formulas="([^"]*)"', page).group(1)
    assert "&#34;nv_ty_le&#34;" in attribute and "&#34;bin&#34;" in attribute


def test_closed_round_cannot_be_filled(unit_a, demo, db):
    store.set_round_status(db, demo["round"], "closed", actor="test")
    assert unit_a.get(url(demo)).status_code == 302
    response = unit_a.post(url(demo), data={"action": "draft", "nv_tong": "1"})
    assert response.status_code == 302
    assert store.get_submission(db, demo["round"], UNIT_A) is None


def test_unit_home_lists_rounds_with_deadline_and_status(unit_a, demo):
    unit_a.post(url(demo), data={"action": "draft", "nv_tong": "1"})
    page = text(unit_a.get("/unit/"))
    assert "Việc cần làm" in page and "Đợt thử nghiệm" in page
    assert "31/12/2099" in page and "còn " in page
    assert "nháp" in page and "Tiếp tục điền" in page and "Điền báo cáo" in page
