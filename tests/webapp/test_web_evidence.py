"""Tài liệu kiểm chứng: a unit attaches PDF or images to the items its outline flags
(`evidence: true`), within a quota per unit and round, and can take a wrong file back out of
its draft; only it and coordinators read them."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from web_helpers import USER_A, USER_B, as_user, create_test_app, text

import store

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"

FLAGGED_OUTLINE = """\
id: kiem-chung
version: 1
title: Đề cương có tài liệu kiểm chứng
items:
  - type: section
    number: I.
    label: Phần có tài liệu kiểm chứng
    evidence: true
    items:
      - {type: integer, name: a, number: "1.", label: Số A}
      - {type: integer, name: b, number: "2.", label: Số B}
      - {type: percent, name: ty_le, number: "3.", label: Tỷ lệ, calculation: a / b * 100}
      - type: section
        number: "4."
        label: Mục con
        items:
          - {type: long_text, name: c, number: "-", label: Nhận xét}
  - type: section
    number: II.
    label: Phần không cần
    items:
      - {type: integer, name: d, number: "1.", label: Số D}
      - {type: text, name: e, number: "2.", label: Tên E, evidence: true}
"""


def fill_url(demo, unit, which="example_round"):
    return f"/rounds/{demo[which]}/units/{unit}/edit"


def file_inputs(page: str) -> list[str]:
    return re.findall(r'<input type="file" id="evidence-[^"]*" name="evidence-([^"]+)"', page)


def attach(client, demo, key="nv_tong", content=PDF, name="Biên bản kiểm tra.pdf", **values):
    return client.post(fill_url(demo, "VHXH"), data={
        "action": "draft", "nv_tong": "3", **values, f"evidence-{key}": (io.BytesIO(content), name),
    }, content_type="multipart/form-data", follow_redirects=True)


def test_unit_attaches_evidence_and_downloads_it(client, demo, db):
    as_user(client, USER_A)
    assert file_inputs(text(client.get(fill_url(demo, "VHXH")))) == ["nv_tong"]
    response = attach(client, demo)
    assert response.status_code == 200
    [meta] = store.list_attachments(db, demo["example_round"], "VHXH")
    assert (meta["item_key"], meta["file_name"], meta["media_type"]) == (
        "nv_tong", "Biên bản kiểm tra.pdf", "application/pdf")
    url = f"/rounds/{demo['example_round']}/units/VHXH/files/{meta['id']}"
    download = client.get(url)
    assert download.data == PDF and "attachment" in download.headers["Content-Disposition"]
    assert as_user(client, USER_B).get(url).status_code == 404
    assert as_user(client, "daumoi").get(url).data == PDF


def test_a_file_that_is_not_pdf_or_image_is_refused_and_nothing_kept(client, demo, db):
    as_user(client, USER_A)
    response = attach(client, demo, content=b"MZ\x90\x00 not a pdf", name="bao-cao.pdf")
    assert "không phải PDF, JPEG hay PNG" in text(response)
    assert store.list_attachments(db, demo["example_round"], "VHXH") == []


def test_the_cam_giang_page_offers_no_upload_since_its_outline_asks_for_none(client, demo):
    page = text(as_user(client, USER_A).get(fill_url(demo, "VHXH", "round")))
    assert file_inputs(page) == []
    assert "Đính kèm tài liệu kiểm chứng" not in page
    assert 'id="evidence-room"' not in page


def test_the_page_says_how_much_room_is_left(client, demo):
    page = text(as_user(client, USER_A).get(fill_url(demo, "VHXH")))
    assert ("mỗi tệp tối đa 10 MB) đính kèm ở các mục có «Đính kèm tài liệu kiểm chứng»: đã "
            "dùng 0 MB trong hạn mức 100 MB của báo cáo (còn trống 100 MB).") in page


def test_uploads_appear_on_flagged_items_only_never_on_computed_ones(client, demo, db):
    outline = store.register_outline(db, FLAGGED_OUTLINE, actor="test")
    round_id = store.create_round(
        db, outline_id=outline.id, outline_version=outline.version, title="Đợt kiểm chứng",
        period_start=None, period_end=None, period_label=None,
        deadline=store.deadline_end_of_day(date(2099, 1, 1)),
        units=["VHXH"], created_by="test")
    page = text(as_user(client, USER_A).get(f"/rounds/{round_id}/units/VHXH/edit"))
    # I. flags its items at any depth but the computed rate; in II. only the item flagged itself.
    assert file_inputs(page) == ["a", "b", "c", "e"]
    # Folded: the file input sits in a closed <details>, so it is not a tab stop of the form.
    for key in ("a", "b", "c", "e"):
        block = page[page.index(f'id="item-{key}"'):]
        block = block[:block.index('name="evidence-')]
        assert '<details class="evidence-add">' in block  # closed: no `open` attribute


def test_a_file_posted_for_an_item_that_takes_none_is_refused_and_the_values_kept(client, demo,
                                                                                  db):
    as_user(client, USER_A)
    response = attach(client, demo, key="nv_xong", name="khong-can.pdf", nv_xong="2")
    page = text(response)
    assert "Tệp «khong-can.pdf» không được lưu: mục «I. 2. Số nhiệm vụ đã hoàn thành» không " \
        "nhận tài liệu kiểm chứng" in page
    assert store.list_attachments(db, demo["example_round"], "VHXH") == []
    assert store.get_revision(db, demo["example_round"], "VHXH")["values"]["nv_xong"] == 2


@pytest.fixture
def small_quota_client(demo, tmp_path):
    """A site whose evidence quota is 1 MB per unit and round."""
    app = create_test_app(demo["db_path"], tmp_path, MAX_EVIDENCE_TOTAL_MB=1)
    return as_user(app.test_client(), USER_A)


def test_the_quota_refuses_a_file_naming_it_and_the_room_left(small_quota_client, demo, db):
    six_tenths = 629_146  # 0,6 MB
    first = PDF + b"0" * (six_tenths - len(PDF))
    assert "không được lưu" not in text(attach(small_quota_client, demo, content=first,
                                               name="bien-ban-1.pdf"))
    page = text(attach(small_quota_client, demo, content=PDF + b"1" * (six_tenths - len(PDF)),
                       name="bien-ban-2.pdf"))
    assert ("Tệp «bien-ban-2.pdf» (0,6 MB) không được lưu: tài liệu kiểm chứng của báo cáo "
            "này đã dùng 0,6 MB trong hạn mức 1 MB, chỉ còn trống 0,4 MB. Hãy gỡ tệp đính kèm "
            "nhầm hoặc không cần") in page
    assert [m["file_name"] for m in store.list_attachments(db, demo["example_round"],
                                                           "VHXH")] == ["bien-ban-1.pdf"]
    assert "đã dùng 0,6 MB trong hạn mức 1 MB của báo cáo (còn trống 0,4 MB)" in text(
        small_quota_client.get(fill_url(demo, "VHXH")))
    # The typed values of the same POST are saved all the same.
    assert store.get_revision(db, demo["example_round"], "VHXH")["values"]["nv_tong"] == 3


def test_a_unit_removes_a_wrong_file_from_its_draft_and_keeps_what_it_typed(client, demo, db):
    as_user(client, USER_A)
    attach(client, demo, content=PDF + b"nham", name="nham-file.pdf")
    [meta] = store.list_attachments(db, demo["example_round"], "VHXH")
    page = text(client.get(fill_url(demo, "VHXH")))
    assert f'name="action" value="removefile:{meta["id"]}"' in page
    response = client.post(fill_url(demo, "VHXH"), data={
        "action": f"removefile:{meta['id']}", "nv_tong": "3", "dau_moi": "Chưa lưu"})
    page = text(response)
    assert response.status_code == 200
    assert "Đã gỡ tài liệu «nham-file.pdf» khỏi báo cáo." in page
    assert 'value="Chưa lưu"' in page  # typed, not yet saved: shown again
    assert store.list_attachments(db, demo["example_round"], "VHXH") == []
    # Never submitted: the bytes are gone, the audit log says what was removed.
    assert db.execute("SELECT COUNT(*) FROM files WHERE sha256 = ?",
                      [meta["sha256"]]).fetchone()[0] == 0
    [event] = [e for e in store.list_events(db) if e["action"] == "attachment.remove"]
    assert event["detail"]["file"] == "nham-file.pdf" and event["detail"]["kept"] is False


def test_another_unit_cannot_remove_a_file_of_unit_a(client, demo, db):
    as_user(client, USER_A)
    attach(client, demo)
    [meta] = store.list_attachments(db, demo["example_round"], "VHXH")
    other = as_user(client, USER_B)
    assert other.post(fill_url(demo, "VHXH"),
                      data={"action": f"removefile:{meta['id']}"}).status_code == 404
    page = text(other.post(fill_url(demo, "KT"), data={"action": f"removefile:{meta['id']}"}))
    assert "Không có tài liệu kiểm chứng số" in page
    assert len(store.list_attachments(db, demo["example_round"], "VHXH")) == 1


def test_the_quota_can_be_set_in_the_environment(client, demo, db, monkeypatch):
    monkeypatch.setenv("DECUONG_MAX_EVIDENCE_TOTAL_MB", "0.5")
    page = text(attach(as_user(client, USER_A), demo, content=PDF + b"x" * 629_146,
                       name="qua-lon.pdf"))
    assert "trong hạn mức 0,5 MB, chỉ còn trống 0,5 MB" in page
    assert store.list_attachments(db, demo["example_round"], "VHXH") == []


def test_removing_a_file_that_went_out_with_a_submission_keeps_it_in_the_history(client, demo,
                                                                                 db):
    as_user(client, USER_A)
    attach(client, demo, content=PDF + b"da nop", name="da-nop.pdf")
    [meta] = store.list_attachments(db, demo["example_round"], "VHXH")
    client.post(fill_url(demo, "VHXH"), data={"action": "submit", "nv_tong": "3"})
    assert store.get_submission(db, demo["example_round"], "VHXH")["status"] == "submitted"
    store.set_status(db, demo["example_round"], "VHXH", "draft", USER_A)  # recalled
    page = text(client.post(fill_url(demo, "VHXH"),
                            data={"action": f"removefile:{meta['id']}", "nv_tong": "3"}))
    assert ("Đã gỡ tài liệu «da-nop.pdf» khỏi báo cáo. Tệp vẫn được lưu trong lịch sử vì đã có "
            "trong một lần nộp trước.") in page
    assert store.list_attachments(db, demo["example_round"], "VHXH") == []
    # The coordinator can still read what was submitted with the report.
    url = f"/rounds/{demo['example_round']}/units/VHXH/files/{meta['id']}"
    assert as_user(client, "daumoi").get(url).data == PDF + b"da nop"
