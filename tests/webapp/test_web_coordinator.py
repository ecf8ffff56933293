"""The coordinator's pages: rounds overview, a round's units, the reminder list, creating a
round, managing and importing units; and the `decuong users` commands."""

from __future__ import annotations

import csv
import io

import pytest
from click.testing import CliRunner
from test_web_fill import VALID
from web_helpers import COORDINATOR, UNIT_A, USER_A, as_user, text

import store
from decuong_cli import main
from webapp.csvfiles import neutralise


@pytest.fixture
def coordinator(client):
    return as_user(client, COORDINATOR)


def test_rounds_overview_counts(client, demo, db):
    as_user(client, USER_A)
    client.post(f"/rounds/{demo['round']}/units/{UNIT_A}/edit", data={**VALID, "action": "submit"})
    as_user(client, COORDINATOR)
    page = text(client.get("/coordinator/"))
    assert "Kiểm tra công tác cải cách hành chính 6 tháng cuối năm 2025" in page
    for header in ("Phải nộp", "Đã nộp", "Đúng hạn", "Muộn", "Chưa nộp", "Bị trả lại"):
        assert header in page
    row = page[page.index(f"/coordinator/rounds/{demo['round']}\""):]
    numbers = [cell.split("<")[0] for cell in row.split('class="num')[1:7]]
    s = store.round_summary(db, demo["round"])
    assert s["submitted"] >= 1  # unit A's, at least (the demo may ship a sample report)
    expected = [s["expected"], s["submitted"], s["on_time"], s["late"],
                s["missing"] + s["draft"], s["returned"]]
    assert [n.split(">")[-1] for n in numbers] == [str(n) for n in expected]


def test_round_page_lists_every_expected_unit(client, demo):
    as_user(client, USER_A)
    client.post(f"/rounds/{demo['round']}/units/{UNIT_A}/edit", data={**VALID, "action": "submit"})
    as_user(client, COORDINATOR)
    page = text(client.get(f"/coordinator/rounds/{demo['round']}"))
    for name in ("Văn phòng HĐND và UBND", "Phòng Văn hóa - Xã hội", "Phòng Kinh tế",
                 "Trung tâm Phục vụ hành chính công xã"):
        assert name in page
    assert "đã nộp" in page and "Xem xét" in page
    assert "Danh sách chưa nộp (" in page
    reminder = page[page.index('id="reminder"'):page.index("</textarea>")]
    assert "Phòng Kinh tế (KT) — Trưởng phòng Kinh tế" in reminder
    assert "Phòng Văn hóa - Xã hội" not in reminder


def test_reminder_csv_has_a_bom_and_neutralised_cells(coordinator, demo, db):
    store.upsert_units(db, [{"code": "KT", "name": "=HYPERLINK(\"http://x\")",
                             "contact": "+84 912 345 678", "parent": "UBND"}])
    response = coordinator.get(f"/coordinator/rounds/{demo['round']}/chua-nop.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.data
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == ["Mã đơn vị", "Tên đơn vị", "Liên hệ", "Tình trạng"]
    kt = next(r for r in rows if r[0] == "KT")
    assert kt[1] == "'=HYPERLINK(\"http://x\")" and kt[2] == "'+84 912 345 678"
    assert kt[3] == "chưa nộp"
    assert {"KT", "TTPVHCC", "VHXH"} <= {r[0] for r in rows[1:]}


@pytest.mark.parametrize("cell, expected", [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"),
                                            ("@SUM(A1)", "'@SUM(A1)"), ("Phòng", "Phòng"),
                                            (None, ""), ("a=b", "a=b")])
def test_neutralise(cell, expected):
    assert neutralise(cell) == expected


def test_create_a_round_from_the_browser(coordinator, db):
    form = text(coordinator.get("/coordinator/rounds/new"))
    assert "cam-giang-cchc-2025:1" in form
    bad = coordinator.post("/coordinator/rounds/new", data={
        "outline": "cam-giang-cchc-2025:1", "title": "Quý IV", "deadline": "31/02/2026"})
    assert bad.status_code == 422
    assert "Hạn nộp" in text(bad) and "Hãy chọn ít nhất một đơn vị" in text(bad)
    response = coordinator.post("/coordinator/rounds/new", data={
        "outline": "cam-giang-cchc-2025:1", "title": "Báo cáo quý IV năm 2025",
        "period_start": "01/10/2025", "period_end": "31/12/2025", "period_label": "Quý IV",
        "deadline": "15/01/2026", "units": ["VP", "KT"]})
    assert response.status_code == 302
    round_id = int(response.location.rstrip("/").rsplit("/", 1)[-1])
    created = store.get_round(db, round_id)
    assert created["title"] == "Báo cáo quý IV năm 2025"
    assert created["deadline"] == "2026-01-15T16:59:59+00:00"
    assert [u["unit_code"] for u in store.round_units(db, round_id)] == ["KT", "VP"]
    page = text(coordinator.get(response.location))
    assert "15/01/2026 23:59" in page and "Quý IV" in page


def test_add_and_edit_a_unit(coordinator, db):
    response = coordinator.post("/coordinator/units/new", data={
        "code": "TP", "name": "Phòng Tư pháp", "kind": "Phòng chuyên môn", "parent": "UBND",
        "contact": "Trưởng phòng"})
    assert response.status_code == 302
    assert store.get_unit(db, "TP")["name"] == "Phòng Tư pháp"
    duplicate = coordinator.post("/coordinator/units/new", data={"code": "TP", "name": "X"})
    assert duplicate.status_code == 422 and "Đã có đơn vị mã" in text(duplicate)
    edit = coordinator.post("/coordinator/units/TP/edit", data={
        "name": "Phòng Tư pháp xã", "kind": "", "parent": "UBND", "contact": "0912 000 000"})
    assert edit.status_code == 302
    assert store.get_unit(db, "TP")["contact"] == "0912 000 000"
    assert "Phòng Tư pháp xã" in text(coordinator.get("/coordinator/units/"))
    assert coordinator.get("/coordinator/units/NOPE/edit").status_code == 404


def test_import_units_from_csv(coordinator, db):
    content = ("\ufeffmã;tên;cấp trên;liên hệ\n"
               "YT;Trạm Y tế xã;UBND;Trạm trưởng\nGD;Trường Tiểu học;;\n")
    response = coordinator.post("/coordinator/units/import", data={
        "file": (io.BytesIO(content.encode("utf-8")), "don-vi.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert store.get_unit(db, "YT")["parent"] == "UBND"
    assert store.get_unit(db, "GD")["name"] == "Trường Tiểu học"


def test_import_units_from_xlsx_and_refuse_a_pdf(coordinator, db):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Cấp trên"])
    sheet.append([101, "Trường Mầm non xã", "trường", "UBND"])  # a code typed as a number
    buffer = io.BytesIO()
    book.save(buffer)
    response = coordinator.post("/coordinator/units/import", data={
        "file": (io.BytesIO(buffer.getvalue()), "don-vi.xlsx")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    assert store.get_unit(db, "101")["kind"] == "trường"
    refused = coordinator.post("/coordinator/units/import", data={
        "file": (io.BytesIO(b"%PDF-1.4 not a sheet"), "don-vi.xlsx")},
        content_type="multipart/form-data")
    assert refused.status_code == 422 and "PDF" in text(refused)


def test_import_units_reports_every_bad_row(coordinator, db):
    content = "code,name,parent\nA1,,\nA2,Đơn vị A2,KHONGCO\n"
    response = coordinator.post("/coordinator/units/import", data={
        "file": (io.BytesIO(content.encode("utf-8")), "don-vi.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 422
    page = text(response)
    assert "Dòng 2: thiếu tên đơn vị." in page and "Dòng 3:" in page
    with pytest.raises(store.NotFound):
        store.get_unit(db, "A2")
    no_header = coordinator.post("/coordinator/units/import", data={
        "file": (io.BytesIO(b"x,y\n1,2\n"), "sai.csv")}, content_type="multipart/form-data")
    assert "cột «mã»" in text(no_header)


def test_users_add_and_reset_password(demo, db):
    runner = CliRunner()
    result = runner.invoke(main, ["users", "add", "--db", str(demo["db_path"]), "tp1",
                                  "--role", "unit", "--unit", "VP", "--prompt"],
                           input="Cay-tre-dau-lang\nCay-tre-dau-lang\n")
    assert result.exit_code == 0, result.output
    assert "Đã tạo tài khoản tp1" in result.output
    assert "Cay-tre-dau-lang" not in result.output  # prompted hidden
    assert store.verify_password(db, "tp1", "Cay-tre-dau-lang") is not None
    bad = runner.invoke(main, ["users", "add", "--db", str(demo["db_path"]), "x",
                               "--role", "unit", "--password", "Hoa-sen-tren-nui"])
    assert bad.exit_code != 0 and "phải gắn với một đơn vị" in bad.output
    reset = runner.invoke(main, ["users", "reset-password", "--db", str(demo["db_path"]), "TP1",
                                 "--password", "Song-Hong-chay-mai"])
    assert reset.exit_code == 0, reset.output
    assert store.verify_password(db, "tp1", "Song-Hong-chay-mai") is not None
