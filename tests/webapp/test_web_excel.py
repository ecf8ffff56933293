"""The Excel channel in the web app: template downloads under the app's access rule, a unit's
upload (accepted, duplicate, rejected with its workbook handed back annotated, another unit's
template refused), the coordinator's many-files upload, and CSRF on the upload forms.

Templates are filled with openpyxl as a person would: find the item's row by the hidden key
in column A, type into column D, numbers as text (`1.234`, `95 %`).
"""

from __future__ import annotations

import io
import os
import re
import time
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from web_helpers import (
    COORDINATOR,
    EXAMPLE_OUTLINE,
    UNIT_A,
    UNIT_B,
    USER_A,
    USER_B,
    as_user,
    create_test_app,
    fill,
    text,
)

import store
from forms.excel import read_identity, read_workbook
from webapp import excel
from webapp.annotated import TOKEN, keep_annotated

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Raw answers as a person types them, in the form and in the spreadsheet alike.
ANSWERS = {"nv_tong": "12", "nv_hoan_thanh": "9", "nv_dang_thuc_hien": "3",
           "hs_tiep_nhan": "1.234", "hs_da_giai_quyet": "1.200", "hs_dung_han": "1.188",
           "pakn_tiep_nhan": "3", "dvsn_tong": "0", "hai_long": "95 %",
           "cd_nguon_luc": unicodedata.normalize("NFD", "Bố trí 2 công chức phụ trách CCHC.")}
BAD = {**ANSWERS, "nv_tong": "-3", "nv_hoan_thanh": "mười", "hai_long": "120"}



def template_url(demo: dict, unit: str = UNIT_A, round_key: str = "round") -> str:
    return f"/rounds/{demo[round_key]}/units/{unit}/excel/mau.xlsx"


def upload_url(demo: dict, unit: str = UNIT_A) -> str:
    return f"/rounds/{demo['round']}/units/{unit}/excel/upload"


def download(client, url: str) -> bytes:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == XLSX
    return response.data


def upload(client, demo: dict, data: bytes, name: str = "bao-cao.xlsx", mode: str = "submit",
           unit: str = UNIT_A):
    return client.post(upload_url(demo, unit), data={"mode": mode,
                                                      "file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def snapshot(db, round_id: int) -> dict[str, Any]:
    """Everything an upload could change for the round's units."""
    return {code: (store.get_submission(db, round_id, code),
                   store.list_revisions(db, round_id, code))
            for code in ("VP", UNIT_A, UNIT_B, "TTPVHCC")}


@pytest.fixture
def unit_a(client):
    return as_user(client, USER_A)


# --- downloads ---------------------------------------------------------------------------------

def test_unit_downloads_its_own_template_with_its_identity(unit_a, demo):
    response = unit_a.get(template_url(demo))
    assert response.status_code == 200 and response.mimetype == XLSX
    disposition = response.headers["Content-Disposition"]
    name = f"mau-cam-giang-cchc-2025-dot{demo['round']}-{UNIT_A}.xlsx"
    assert disposition == f"attachment; filename={name}"
    identity = read_identity(read_workbook(response.data))
    assert (identity.round_id, identity.unit_code) == (demo["round"], UNIT_A)


def test_template_is_prefilled_with_the_latest_revision_unless_blank(unit_a, demo):
    unit_a.post(f"/rounds/{demo['round']}/units/{UNIT_A}/edit",
                data={"action": "draft", "nv_tong": "17"})
    sheet = openpyxl.load_workbook(io.BytesIO(download(unit_a, template_url(demo))))["Báo cáo"]
    rows = {sheet.cell(r, 1).value: r for r in range(1, sheet.max_row + 1)}
    assert sheet.cell(rows["nv_tong"], 4).value == 17
    blank = openpyxl.load_workbook(io.BytesIO(download(unit_a, template_url(demo) + "?blank=1")))
    assert blank["Báo cáo"].cell(rows["nv_tong"], 4).value is None


def test_another_units_template_is_404_and_anonymous_goes_to_login(client, demo):
    as_user(client, USER_A)
    assert client.get(template_url(demo, UNIT_B)).status_code == 404
    assert client.get(f"/rounds/9999/units/{UNIT_A}/excel/mau.xlsx").status_code == 404
    assert client.get(f"/coordinator/rounds/{demo['round']}/excel/mau.xlsx").status_code == 404
    assert client.post(f"/coordinator/rounds/{demo['round']}/excel/upload").status_code == 404
    assert client.post(upload_url(demo, UNIT_B), data={}).status_code == 404
    as_user(client, None)
    for url in (template_url(demo), upload_url(demo)):
        response = client.get(url) if url.endswith(".xlsx") else client.post(url, data={})
        assert response.status_code == 302 and "/auth/login" in response.location


def test_coordinator_downloads_round_and_unit_templates(client, demo):
    as_user(client, COORDINATOR)
    round_id = demo["round"]
    blank = client.get(f"/coordinator/rounds/{round_id}/excel/mau.xlsx")
    assert blank.status_code == 200
    assert f'filename=mau-cam-giang-cchc-2025-dot{round_id}.xlsx' in (
        blank.headers["Content-Disposition"])
    assert read_identity(read_workbook(blank.data)).unit_code is None
    picked = client.get(f"/coordinator/rounds/{round_id}/excel/mau.xlsx?unit={UNIT_B}")
    assert picked.status_code == 302 and picked.location.endswith(template_url(demo, UNIT_B))
    data = download(client, template_url(demo, UNIT_B))
    assert read_identity(read_workbook(data)).unit_code == UNIT_B
    page = text(client.get(f"/coordinator/rounds/{round_id}"))
    assert 'id="excel-batch-form"' in page and "multiple" in page
    assert f'<option value="{UNIT_B}">' in page


def test_the_downloaded_template_shows_the_rounds_deadline_not_the_outlines(client, demo):
    # The demo outline's own deadline is 11/11/2025; the demo round is due later.
    db = store.open_db(demo["db_path"])
    try:
        store.register_outline(db, EXAMPLE_OUTLINE.replace(
            "title: Đề cương thử nghiệm", "title: Đề cương thử nghiệm\ndeadline: 2025-11-11"
        ).replace("version: 1", "version: 2"), actor="test")
        round_id = store.create_round(
            db, outline_id="vi-du-web", outline_version=2, title="Đợt hạn riêng",
            period_start="2026-01-01", period_end=None, period_label="Năm 2026",
            deadline=store.deadline_end_of_day(date(2026, 12, 16)), units=[UNIT_A],
            created_by="test")
    finally:
        db.close()
    for user, url in ((COORDINATOR, f"/coordinator/rounds/{round_id}/excel/mau.xlsx"),
                      (USER_A, f"/rounds/{round_id}/units/{UNIT_A}/excel/mau.xlsx")):
        as_user(client, user)
        book = openpyxl.load_workbook(io.BytesIO(download(client, url)))
        texts = [cell.value for ws in book.worksheets for row in ws.iter_rows() for cell in row
                 if isinstance(cell.value, str) and "Hạn gửi" in cell.value]
        assert len(texts) >= 2, texts  # the form's header and the instructions
        assert all("16/12/2026" in t and "11/11/2025" not in t for t in texts), texts


def test_fill_and_report_pages_offer_download_and_upload(unit_a, client, demo):
    page = text(unit_a.get(f"/rounds/{demo['round']}/units/{UNIT_A}/edit"))
    assert f'href="{template_url(demo)}"' in page
    assert f'action="{upload_url(demo)}"' in page and 'name="csrf_token"' in page
    assert 'value="draft"' in page
    report = text(unit_a.get(f"/rounds/{demo['round']}/units/{UNIT_A}/"))
    assert f'href="{template_url(demo)}"' in report
    as_user(client, COORDINATOR)
    coordinator_view = text(client.get(f"/rounds/{demo['round']}/units/{UNIT_A}/"))
    assert f'href="{template_url(demo)}"' in coordinator_view
    assert "excel-upload-form" not in coordinator_view


# --- unit uploads ------------------------------------------------------------------------------

def test_uploaded_template_stores_what_the_web_form_stores(client, demo, db):
    as_user(client, USER_A)
    filled = fill(download(client, template_url(demo)), ANSWERS)
    response = upload(client, demo, filled, "Báo cáo VHXH.xlsx")
    assert response.status_code == 302
    assert response.location.endswith(f"/rounds/{demo['round']}/units/{UNIT_A}/")
    page = text(client.get(response.location))
    assert "Đã nhận tệp «Báo cáo VHXH.xlsx» và nộp báo cáo (lần lưu thứ 1)" in page
    assert "tệp Excel" in page
    from_excel = store.get_revision(db, demo["round"], UNIT_A)
    assert from_excel["channel"] == "excel" and from_excel["status"] == "submitted"
    assert store.get_file(db, from_excel["file_sha256"]) == filled

    as_user(client, USER_B)  # the same answers typed into the web form by another unit
    web = client.post(f"/rounds/{demo['round']}/units/{UNIT_B}/edit",
                      data={**ANSWERS, "action": "submit"})
    assert web.status_code == 302
    from_web = store.get_revision(db, demo["round"], UNIT_B)
    assert from_web["channel"] == "web"
    assert from_excel["values"] == from_web["values"]
    assert from_excel["values"]["hs_tiep_nhan"] == 1234
    assert from_excel["values"]["hai_long"] == 95


def test_same_file_twice_is_recognised_and_stores_nothing(unit_a, demo, db):
    filled = fill(download(unit_a, template_url(demo)), ANSWERS)
    assert upload(unit_a, demo, filled).status_code == 302
    again = upload(unit_a, demo, filled, "lan-2.xlsx", mode="draft")
    assert again.status_code == 302
    assert "đã được nhận trước đó" in text(unit_a.get(again.location))
    assert len(store.list_revisions(db, demo["round"], UNIT_A)) == 1


def test_uploaded_file_name_is_cleaned_before_it_is_stored_and_shown(unit_a, demo, db):
    """A hostile client's name — path components, a terminal escape, a right-to-left override —
    is stored and shown as a plain name; the bytes stored are the file's own."""
    filled = fill(download(unit_a, template_url(demo)), ANSWERS)
    response = upload(unit_a, demo, filled, "..\\..\\bao\x1b[31m-cao\u202e.xlsx")
    assert response.status_code == 302
    assert "Đã nhận tệp «bao-cao.xlsx»" in text(unit_a.get(response.location))
    [revision] = store.list_revisions(db, demo["round"], UNIT_A)
    assert revision["file_name"] == "bao-cao.xlsx"
    assert store.get_file(db, revision["file_sha256"]) == filled


def test_draft_upload_saves_without_submitting(unit_a, demo, db):
    filled = fill(download(unit_a, template_url(demo)), {"nv_tong": "4"})
    response = upload(unit_a, demo, filled, mode="draft")
    assert response.status_code == 302
    assert "Đã lưu nháp từ tệp" in text(unit_a.get(response.location))
    assert store.get_submission(db, demo["round"], UNIT_A)["status"] == "draft"
    assert store.get_revision(db, demo["round"], UNIT_A)["channel"] == "excel"


def test_rejected_upload_lists_cells_and_hands_the_workbook_back(client, app, demo, db):
    as_user(client, USER_A)
    before = snapshot(db, demo["round"])
    response = upload(client, demo, fill(download(client, template_url(demo)), BAD), "kt.xlsx")
    assert response.status_code == 422
    page = text(response)
    cells = re.findall(r'<span class="where">(Báo cáo!D\d+)</span>', page)
    assert len(cells) == 3 and len(set(cells)) == 3
    assert "Tổng số nhiệm vụ trong kế hoạch" in page and "không được âm" in page
    assert "mười&#34; không phải là số nguyên" in page
    assert "chưa lưu gì" in page
    assert snapshot(db, demo["round"]) == before

    link = re.search(r'href="(/excel/tra-lai/[^"]+)"', page).group(1)
    annotated = client.get(link)
    assert annotated.status_code == 200 and annotated.mimetype == XLSX
    assert 'filename=kt-danh-dau-loi.xlsx' in annotated.headers["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(annotated.data))["Báo cáo"]
    commented = {f"Báo cáo!{c.coordinate}" for row in sheet.iter_rows() for c in row
                 if c.comment}
    assert commented == set(cells)
    stored = list((Path(app.instance_path) / "uploads-annotated").glob("*.xlsx"))
    assert len(stored) == 1 and TOKEN.fullmatch(stored[0].stem)  # never the upload's name

    # Only the same user in the same session: another unit, the coordinator, a new login.
    for other in (USER_B, COORDINATOR, USER_A):
        as_user(client, other)
        assert client.get(link).status_code == 404, other
    assert client.get("/excel/tra-lai/..%2F..%2Fsecret_key").status_code == 404


def test_another_units_template_is_refused_naming_that_unit(client, demo, db):
    as_user(client, COORDINATOR)
    kt_template = download(client, template_url(demo, UNIT_B))
    before = snapshot(db, demo["round"])
    as_user(client, USER_A)
    response = upload(client, demo, fill(kt_template, ANSWERS), "kt.xlsx")
    assert response.status_code == 422
    page = text(response)
    assert "Phòng Kinh tế" in page and "không phải đơn vị" in page
    assert "Tải mẫu Excel của đơn vị" in page  # no annotated file: offer the right template
    assert snapshot(db, demo["round"]) == before


def test_upload_without_a_file_says_so(unit_a, demo):
    response = unit_a.post(upload_url(demo), data={"mode": "submit"})
    assert response.status_code == 302
    assert "Hãy chọn tệp Excel" in text(unit_a.get(response.location))


# --- coordinator uploads -----------------------------------------------------------------------

def test_coordinator_uploads_many_files_at_once(client, demo, db):
    as_user(client, COORDINATOR)
    good = fill(download(client, template_url(demo, UNIT_B)), ANSWERS)
    other_round = fill(download(client, template_url(demo, "VP", "example_round")),
                       {"nv_tong": "3"})
    before_vp = store.list_revisions(db, demo["round"], "VP")
    response = client.post(
        f"/coordinator/rounds/{demo['round']}/excel/upload",
        data={"files": [(io.BytesIO(good), "kt.xlsx"),
                        (io.BytesIO(b"%PDF-1.4 scanned report"), "bao-cao.xlsx"),
                        (io.BytesIO(other_round), "vp-dot-khac.xlsx")]},
        content_type="multipart/form-data")
    assert response.status_code == 200
    page = text(response)
    rows = re.findall(r'<tr class="result-(\w+)">\s*<td class="file">([^<]+)</td>', page)
    assert rows == [("accepted", "kt.xlsx"), ("rejected", "bao-cao.xlsx"),
                    ("rejected", "vp-dot-khac.xlsx")]
    assert "PDF" in page and "Phòng Kinh tế" in page
    assert store.get_revision(db, demo["round"], UNIT_B)["channel"] == "excel"
    assert store.list_revisions(db, demo["round"], "VP") == before_vp


def test_coordinator_batch_read_by_worker_processes_keeps_the_file_order(client, demo, db):
    as_user(client, COORDINATOR)
    template = download(client, template_url(demo, UNIT_B))
    first = fill(template, ANSWERS)
    second = fill(template, {**ANSWERS, "nv_tong": "13", "nv_dang_thuc_hien": "4"})
    files = [first, b"%PDF-1.4 a", first, b"%PDF-1.4 b", second, fill(template, BAD),
             b"%PDF-1.4 c", second, b""]  # enough files for the bulk path's worker processes
    response = client.post(
        f"/coordinator/rounds/{demo['round']}/excel/upload",
        data={"files": [(io.BytesIO(data), f"{n}.xlsx") for n, data in enumerate(files)]},
        content_type="multipart/form-data")
    assert response.status_code == 200
    rows = re.findall(r'<tr class="result-(\w+)">\s*<td class="file">([^<]+)</td>',
                      text(response))
    assert rows == [(status, f"{n}.xlsx") for n, status in enumerate(
        ["accepted", "rejected", "duplicate", "rejected", "accepted", "rejected", "rejected",
         "duplicate", "rejected"])]
    revisions = store.list_revisions(db, demo["round"], UNIT_B)
    assert [(r["number"], r["file_name"]) for r in revisions] == [(1, "0.xlsx"), (2, "4.xlsx")]
    assert store.get_revision(db, demo["round"], UNIT_B)["values"]["nv_tong"] == 13


def test_coordinator_rejected_file_links_to_its_annotated_copy(client, demo):
    as_user(client, COORDINATOR)
    bad = fill(download(client, template_url(demo, UNIT_B)), BAD)
    page = text(client.post(f"/coordinator/rounds/{demo['round']}/excel/upload",
                            data={"files": [(io.BytesIO(bad), "kt.xlsx")]},
                            content_type="multipart/form-data"))
    assert "Báo cáo!D" in page and "và 2 lỗi khác" in page
    link = re.search(r'href="(/excel/tra-lai/[^"]+)"', page).group(1)
    assert client.get(link).status_code == 200


def _zip(members: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return out.getvalue()


def test_coordinator_uploads_a_zip_and_each_file_in_it_is_read(client, demo, db):
    as_user(client, COORDINATOR)
    good = fill(download(client, template_url(demo, UNIT_B)), ANSWERS)
    archive = _zip({"kt.xlsx": good, "ghi-chu.txt": b"xin gui", "scan.xlsx": b"%PDF-1.4 x"})
    page = text(client.post(f"/coordinator/rounds/{demo['round']}/excel/upload",
                            data={"files": [(io.BytesIO(archive), "xa-a.zip")]},
                            content_type="multipart/form-data"))
    rows = re.findall(r'<tr class="result-(\w+)">\s*<td class="file">([^<]+)</td>', page)
    assert rows == [("accepted", "kt.xlsx"), ("rejected", "ghi-chu.txt"),
                    ("rejected", "scan.xlsx")]
    assert "Không phải tệp Excel (.xlsx) nên không được đọc" in page and "PDF" in page
    assert store.get_revision(db, demo["round"], UNIT_B)["file_name"] == "kt.xlsx"


def test_a_zip_that_inflates_past_its_limit_is_refused_naming_it(client, demo, db):
    as_user(client, COORDINATOR)
    # 120 members of 10 MiB of zeros: 1.2 MB sent, 1.2 GB once inflated.
    archive = _zip({f"dv{n:03}.xlsx": bytes(10 * 1024 * 1024) for n in range(120)})
    assert len(archive) < 2 * 1024 * 1024
    before = store.list_revisions(db, demo["round"], UNIT_B)
    page = text(client.post(f"/coordinator/rounds/{demo['round']}/excel/upload",
                            data={"files": [(io.BytesIO(archive), "xa-b.zip")]},
                            content_type="multipart/form-data"))
    rows = re.findall(r'<tr class="result-(\w+)">\s*<td class="file">([^<]+)</td>', page)
    assert rows == [("rejected", "xa-b.zip")]
    assert ("Tệp nén «xa-b.zip» khi giải nén lớn tới 1200 MB, vượt quá giới hạn 50 MB mỗi tệp "
            "nén; chưa tệp nào trong đó được đọc.") in page
    assert store.list_revisions(db, demo["round"], UNIT_B) == before


def test_too_many_files_are_refused_before_reading_any(client, demo, db, monkeypatch):
    monkeypatch.setattr(excel, "MAX_FILES_PER_REQUEST", 2)
    as_user(client, COORDINATOR)
    files = [(io.BytesIO(b"x"), f"{n}.xlsx") for n in range(3)]
    response = client.post(f"/coordinator/rounds/{demo['round']}/excel/upload",
                           data={"files": files}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert "vượt quá giới hạn 2 tệp" in text(client.get(response.location))


def test_upload_posts_need_the_csrf_token(demo, tmp_path, db):
    app = create_test_app(demo["db_path"], tmp_path, WTF_CSRF_ENABLED=True)
    client = as_user(app.test_client(), USER_A)
    filled = fill(download(client, template_url(demo)), ANSWERS)
    refused = upload(client, demo, filled)
    assert refused.status_code == 400
    assert store.get_submission(db, demo["round"], UNIT_A) is None
    page = text(client.get(f"/rounds/{demo['round']}/units/{UNIT_A}/edit"))
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    accepted = client.post(upload_url(demo), data={"csrf_token": token, "mode": "submit",
                                                   "file": (io.BytesIO(filled), "a.xlsx")},
                           content_type="multipart/form-data")
    assert accepted.status_code == 302
    as_user(client, COORDINATOR)
    batch = client.post(f"/coordinator/rounds/{demo['round']}/excel/upload",
                        data={"files": [(io.BytesIO(filled), "a.xlsx")]},
                        content_type="multipart/form-data")
    assert batch.status_code == 400


# --- helpers -----------------------------------------------------------------------------------

def test_old_annotated_files_are_swept_on_each_write(app, tmp_path):
    folder = Path(app.instance_path) / "uploads-annotated"
    folder.mkdir(parents=True)
    old = folder / "old.xlsx"
    old.write_bytes(b"x")
    os.utime(old, (time.time() - 2 * 86400, time.time() - 2 * 86400))
    with app.test_request_context("/"):
        from flask import g

        g.user = {"username": USER_A}
        token = keep_annotated(b"annotated", "a.xlsx")
    assert not old.exists()
    assert (folder / f"{token}.xlsx").read_bytes() == b"annotated"
