"""Checks while typing: `POST …/check` runs the one engine on the form so far, and a cross-item
rule is shown at every item it names — on the fill page, the report and the live answer."""

from __future__ import annotations

import re

import pytest
from web_helpers import COORDINATOR, UNIT_A, UNIT_B, USER_A, USER_B, as_user, create_test_app, text

import store

RULE_MESSAGE = "Số hồ sơ đã giải quyết đúng hạn không được lớn hơn số hồ sơ đã giải quyết."
VALID = {"nv_tong": "10", "nv_hoan_thanh": "6", "nv_dang_thuc_hien": "4",
         "hs_tiep_nhan": "1.234", "hs_da_giai_quyet": "1.200", "hs_dung_han": "1.150",
         "pakn_tiep_nhan": "3", "dvsn_tong": "2"}
ON_TIME_TOO_HIGH = {**VALID, "hs_tiep_nhan": "2.000", "hs_dung_han": "1.250"}  # > resolved


def url(demo, what="check", code=UNIT_A, round_key="round"):
    return f"/rounds/{demo[round_key]}/units/{code}/{what}"


def item_html(page: str, key: str) -> str:
    """The markup of one item, up to the next item."""
    start = page.index(f'id="item-{key}"')
    following = page.find('id="item-', start + 10)
    return page[start:following if following > 0 else len(page)]


def input_tag(page: str, key: str) -> str:
    return re.search(rf'<input [^>]*name="{key}"[^>]*>', page).group(0)


# --- the fill page and the report mark every item a rule names --------------------------------


def test_a_refused_submit_marks_both_items_of_the_rule(client, demo, db):
    unit = as_user(client, USER_A)
    response = unit.post(url(demo, "edit"), data={**ON_TIME_TOO_HIGH, "action": "submit"})
    assert response.status_code == 422
    page = text(response)
    for key in ("hs_da_giai_quyet", "hs_dung_han"):
        tag = input_tag(page, key)
        assert 'aria-invalid="true"' in tag, key
        assert f'aria-describedby="issues-{key}"' in tag, key
        assert f'<ul class="issues" id="issues-{key}">' in item_html(page, key)
        assert RULE_MESSAGE in item_html(page, key), key
    assert 'aria-invalid="true"' not in input_tag(page, "hs_tiep_nhan")
    summary = page[page.index('id="tom-tat"'):page.index('id="fill-form"')]
    assert summary.count(RULE_MESSAGE) == 1  # listed once, although shown at two items
    assert store.get_submission(db, demo["round"], UNIT_A) is None


def test_the_report_view_marks_both_items_of_the_rule(client, demo):
    unit = as_user(client, USER_A)
    saved = unit.post(url(demo, "edit"), data={**ON_TIME_TOO_HIGH, "action": "draft"})
    assert saved.status_code == 302  # a draft runs no rule
    page = text(unit.get(url(demo, "")))
    for key in ("hs_da_giai_quyet", "hs_dung_han"):
        item = item_html(page, key)
        assert "has-error" in page[page.index(f'id="item-{key}"') - 120:
                                   page.index(f'id="item-{key}"')], key
        assert RULE_MESSAGE in item, key


# --- the live check --------------------------------------------------------------------------


def test_check_returns_the_rule_at_both_items_and_the_server_figures(client, demo, db):
    unit = as_user(client, USER_A)
    response = unit.post(url(demo), data=ON_TIME_TOO_HIGH)
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    answer = response.get_json()
    [issue] = [i for i in answer["issues"] if i["code"] == "rule"]
    assert issue["rule"] == "hs_dung_han_le_da_giai_quyet"
    assert issue["keys"] == ["hs_da_giai_quyet", "hs_dung_han"]
    assert issue["fields"] == ["hs_da_giai_quyet", "hs_dung_han"]
    assert issue["severity"] == "error"
    assert issue["message"].startswith(RULE_MESSAGE)
    assert answer["items"]["hs_dung_han"] == {"errors": 1, "warnings": 0}
    assert answer["items"]["hs_da_giai_quyet"] == {"errors": 1, "warnings": 0}
    assert "hs_tiep_nhan" not in answer["items"]
    assert answer["errors"] == 1
    # The server's own figure for a computed rate: 1.250 / 1.200 on time, shown as the page does.
    assert answer["values"]["hs_ty_le_dung_han"] == "104,17"
    assert store.get_submission(db, demo["round"], UNIT_A) is None  # nothing is stored


def test_check_reports_reading_errors_but_not_required_items(client, demo):
    unit = as_user(client, USER_A)
    answer = unit.post(url(demo), data={"nv_tong": "1,234", "hs_tiep_nhan": "mười"}).get_json()
    by_key = {i["keys"][0]: i for i in answer["issues"]}
    assert set(by_key) == {"nv_tong", "hs_tiep_nhan"}  # no "required" for the empty items
    assert "không rõ nghĩa" in by_key["nv_tong"]["message"]
    assert "1.234" in by_key["nv_tong"]["message"]
    assert '"mười"' in by_key["hs_tiep_nhan"]["message"]
    assert {i["code"] for i in answer["issues"]} == {"invalid"}
    clean = unit.post(url(demo), data=VALID).get_json()
    assert clean["issues"] == [] and clean["errors"] == 0 and clean["items"] == {}


def test_check_points_a_table_cell_at_the_row_the_page_shows(client, demo):
    unit = as_user(client, USER_A)
    data = {"sang_kien-rows": "3", "sang_kien-0-ten": "Một cửa", "sang_kien-0-ngay": "",
            "sang_kien-1-ten": "", "sang_kien-1-ngay": "",  # a blank row: no row
            "sang_kien-2-ten": "Số hóa", "sang_kien-2-ngay": "31/02/2025"}
    answer = unit.post(url(demo, round_key="example_round"), data=data).get_json()
    [issue] = answer["issues"]
    assert issue["row"] == 2 and issue["column"] == "ngay"  # the engine's second row …
    assert issue["fields"] == ["sang_kien-2-ngay"]  # … is the page's third


@pytest.mark.parametrize(("user", "code", "status"), [
    (USER_B, UNIT_A, 404),   # another unit's report: as if it did not exist
    (COORDINATOR, UNIT_A, 404),  # the coordinator never fills for a unit
    (USER_A, UNIT_B, 404),
    (USER_A, "KHONG-CO", 404),
])
def test_check_is_for_the_unit_itself_only(client, demo, user, code, status):
    response = as_user(client, user).post(url(demo, code=code), data=VALID)
    assert response.status_code == status


def test_check_needs_a_login(client, demo):
    response = as_user(client, None).post(url(demo), data=VALID)
    assert response.status_code == 302 and "/login" in response.location


def test_check_refuses_a_post_without_the_csrf_header(demo, tmp_path):
    app = create_test_app(demo["db_path"], tmp_path, WTF_CSRF_ENABLED=True)
    client = as_user(app.test_client(), USER_A)
    page = text(client.get(url(demo, "edit")))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post(url(demo), data=ON_TIME_TOO_HIGH).status_code == 400
    assert client.post(url(demo), data=ON_TIME_TOO_HIGH,
                       headers={"X-CSRFToken": "sai"}).status_code == 400
    granted = client.post(url(demo), data=ON_TIME_TOO_HIGH, headers={"X-CSRFToken": token})
    assert granted.status_code == 200
    assert granted.get_json()["errors"] == 1


# --- a refused Excel upload names and marks every cell of the rule ----------------------------


def test_a_refused_upload_lists_and_marks_both_cells_of_the_rule(client, demo):
    import io

    import openpyxl
    from test_web_excel import download, fill, template_url, upload

    unit = as_user(client, USER_A)
    workbook = fill(download(unit, template_url(demo)), ON_TIME_TOO_HIGH)
    response = upload(unit, demo, workbook, "dung-han.xlsx")
    assert response.status_code == 422
    page = text(response)
    assert re.search(r'<span class="where">Báo cáo!D51, Báo cáo!D52</span>\s*'
                     + re.escape(RULE_MESSAGE), page)
    link = re.search(r'href="(/excel/tra-lai/[^"]+)"', page).group(1)
    sheet = openpyxl.load_workbook(io.BytesIO(unit.get(link).data))["Báo cáo"]
    for coord in ("D51", "D52"):
        assert RULE_MESSAGE in sheet[coord].comment.text, coord
    assert sheet["D50"].comment is None
