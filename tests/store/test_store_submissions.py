"""Submissions: append-only revisions, exact values, files, status transitions, consolidation."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from decimal import Decimal

import pytest

import store

VALUES = {
    "tong_so_nhiem_vu": 42,
    "ty_le_dung_han": 97.5,
    "rat_nho": 1e-300,
    "tien_vnd": 1_234_567_890_123,
    "nhan_xet": "Đã hoàn thành đúng tiến độ; còn 2 nhiệm vụ đang triển khai.",
    "co_khong": True,
    "bo_trong": None,
    "ngay_ban_hanh": date(2025, 11, 12),
    "sang_kien": [
        {"ten": "Số hóa hồ sơ một cửa", "don_vi_chu_tri": "Văn phòng", "so_luong": 3,
         "ty_le": 66.7, "ghi_chu": None},
        {"ten": "Ứng dụng Zalo OA trả kết quả", "don_vi_chu_tri": "Bộ phận TN&TKQ",
         "so_luong": 1, "ty_le": 100.0, "ghi_chu": "Thí điểm"},
    ],
    "rong": [],
}


def _save(db, round_id, unit="A", status="submitted", values=None, **kwargs):
    return store.save_revision(
        db, round_id=round_id, unit_code=unit, values=VALUES if values is None else values,
        status=status, channel=kwargs.pop("channel", "web"), actor=kwargs.pop("actor", "a"),
        **kwargs,
    )


def test_values_round_trip_exactly(fresh_db, make_round):
    round_id = make_round()
    saved = _save(fresh_db, round_id, warnings=["Tỷ lệ thấp hơn chỉ tiêu"], comment="Lần đầu")
    loaded = store.get_revision(fresh_db, round_id, "A")
    for revision in (saved, loaded):
        assert revision["values"] == VALUES
        assert type(revision["values"]["ty_le_dung_han"]) is float
        assert type(revision["values"]["tong_so_nhiem_vu"]) is int
        assert type(revision["values"]["ngay_ban_hanh"]) is date
        assert revision["warnings"] == ["Tỷ lệ thấp hơn chỉ tiêu"]
        assert revision["comment"] == "Lần đầu"
        assert revision["number"] == 1
    assert loaded == saved


def test_unstorable_values_are_refused_before_writing(fresh_db, make_round):
    round_id = make_round()
    for bad, message in [
        ({"x": float("nan")}, "không phải số hữu hạn"),
        ({"x": {1, 2}}, "kiểu set"),
        ({"x": Decimal("1.5")}, "kiểu Decimal"),
        ({"x": [{1: "a"}]}, "phải là chuỗi"),
        ({1: "a"}, "phải là chuỗi"),
        (["not", "a", "dict"], "dict"),
    ]:
        with pytest.raises(store.StoreError, match=message):
            _save(fresh_db, round_id, values=bad, file_bytes=b"abc", file_name="a.xlsx")
    assert fresh_db.conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 0
    assert store.get_submission(fresh_db, round_id, "A") is None


def test_revisions_are_numbered_and_kept(fresh_db, make_round):
    round_id = make_round()
    t1 = datetime.fromisoformat("2025-11-01T09:00:00+07:00")
    t2 = datetime.fromisoformat("2025-11-02T09:00:00+07:00")
    t3 = datetime.fromisoformat("2025-11-03T09:00:00+07:00")
    assert _save(fresh_db, round_id, status="draft", values={"x": 1}, now=t1)["number"] == 1
    submission = store.get_submission(fresh_db, round_id, "A")
    assert submission["status"] == "draft" and submission["submitted_at"] is None
    assert _save(fresh_db, round_id, values={"x": 2}, now=t2)["number"] == 2
    assert _save(fresh_db, round_id, values={"x": 3}, now=t3, channel="excel")["number"] == 3
    submission = store.get_submission(fresh_db, round_id, "A")
    assert submission["status"] == "submitted"
    assert submission["latest_revision"] == 3
    assert submission["submitted_at"] == "2025-11-03T02:00:00+00:00"
    history = store.list_revisions(fresh_db, round_id, "A")
    assert [(r["number"], r["status"], r["channel"]) for r in history] == [
        (1, "draft", "web"), (2, "submitted", "web"), (3, "submitted", "excel")]
    assert "values" not in history[0]
    assert store.get_revision(fresh_db, round_id, "A", 1)["values"] == {"x": 1}
    assert store.get_revision(fresh_db, round_id, "A")["values"] == {"x": 3}
    assert store.get_revision(fresh_db, round_id, "B") is None
    with pytest.raises(store.RevisionNotFound, match="không có lần lưu thứ 9"):
        store.get_revision(fresh_db, round_id, "A", 9)
    assert [e["action"] for e in store.list_events(fresh_db, round_id=round_id,
                                                   unit_code="A", newest_first=False)] == [
        "submission.draft", "submission.submit", "submission.submit"]


def test_revisions_comments_and_events_are_append_only(fresh_db, make_round):
    round_id = make_round()
    _save(fresh_db, round_id)
    store.set_status(fresh_db, round_id, "A", "returned", "dau-moi", comment="Sửa mục 2")
    for sql in ("UPDATE revisions SET values_json = '{}'", "DELETE FROM revisions",
                "UPDATE comments SET text = 'x'", "DELETE FROM comments",
                "UPDATE events SET actor = 'x'", "DELETE FROM events"):
        with pytest.raises(sqlite3.DatabaseError, match="chỉ được ghi thêm"):
            fresh_db.conn.execute(sql)
        fresh_db.conn.rollback()
    assert store.get_revision(fresh_db, round_id, "A")["values"] == VALUES


def test_saving_requires_an_expected_unit_and_valid_arguments(fresh_db, make_round):
    round_id = make_round(units=["A"])
    store.add_unit(fresh_db, "Z", "Không thuộc đợt")
    with pytest.raises(store.NotFound, match="không thuộc đợt báo cáo số"):
        _save(fresh_db, round_id, unit="Z")
    with pytest.raises(store.RoundNotFound):
        _save(fresh_db, 999)
    with pytest.raises(store.StoreError, match="Kênh nộp"):
        _save(fresh_db, round_id, channel="email")
    with pytest.raises(store.StoreError, match="Trạng thái khi lưu"):
        _save(fresh_db, round_id, status="accepted")


def test_files_are_kept_once_per_hash(fresh_db, make_round):
    round_id = make_round()
    content = b"PK\x03\x04 bao cao thang 11"
    sha = store.sha256_hex(content)
    assert store.find_revision_by_file(fresh_db, round_id, "A", sha) is None
    first = _save(fresh_db, round_id, channel="excel", file_bytes=content, file_name="bc.xlsx")
    assert first["file_sha256"] == sha
    found = store.find_revision_by_file(fresh_db, round_id, "A", sha)
    assert found["number"] == 1 and found["file_name"] == "bc.xlsx"
    # Another unit uploading the same bytes, and a second upload: still one stored file.
    _save(fresh_db, round_id, unit="B", channel="excel", file_bytes=content, file_name="b.xlsx")
    _save(fresh_db, round_id, channel="excel", file_bytes=content, file_name="bc (1).xlsx")
    _save(fresh_db, round_id, channel="excel", file_bytes=b"other", file_name="khac.xlsx")
    assert fresh_db.conn.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 2
    assert store.find_revision_by_file(fresh_db, round_id, "A", sha)["number"] == 2
    assert store.get_file(fresh_db, sha) == content
    with pytest.raises(store.StoredFileNotFound):
        store.get_file(fresh_db, "0" * 64)


def test_allowed_transitions(fresh_db, make_round):
    round_id = make_round()
    _save(fresh_db, round_id, values={"x": 1})
    returned = store.set_status(
        fresh_db, round_id, "A", "returned", "dau-moi", comment="Số liệu mục 2 chưa khớp",
        item_comments={"x": "Kiểm tra lại tổng", "y": "  "},
    )
    assert returned["status"] == "returned"
    assert returned["latest_revision"] == 1  # no revision created
    assert len(store.list_revisions(fresh_db, round_id, "A")) == 1
    comments = store.comments_for(fresh_db, round_id, "A")
    assert [(c["revision_number"], c["item_key"], c["text"], c["author"]) for c in comments] == [
        (1, None, "Số liệu mục 2 chưa khớp", "dau-moi"), (1, "x", "Kiểm tra lại tổng", "dau-moi")]
    _save(fresh_db, round_id, status="draft", values={"x": 2})  # returned → draft
    _save(fresh_db, round_id, values={"x": 3})                 # draft → submitted
    recalled = store.set_status(fresh_db, round_id, "A", "draft", "a")  # recall
    assert recalled["status"] == "draft"
    _save(fresh_db, round_id, values={"x": 4})
    _save(fresh_db, round_id, values={"x": 5})                 # re-submit over submitted
    accepted = store.set_status(fresh_db, round_id, "A", "accepted", "dau-moi")
    assert accepted["status"] == "accepted" and accepted["latest_revision"] == 5
    actions = [e["action"] for e in store.list_events(fresh_db, round_id=round_id,
                                                       newest_first=False)]
    assert actions == ["round.create", "submission.submit", "submission.return",
                       "submission.draft", "submission.submit", "submission.recall",
                       "submission.submit", "submission.submit", "submission.accept"]


def test_refused_transitions(fresh_db, make_round):
    round_id = make_round()
    with pytest.raises(store.SubmissionNotFound, match="chưa có báo cáo"):
        store.set_status(fresh_db, round_id, "A", "accepted", "dau-moi")
    _save(fresh_db, round_id, status="draft")
    for target in ("returned", "accepted", "draft"):
        with pytest.raises(store.Conflict, match="đang ở trạng thái nháp"):
            store.set_status(fresh_db, round_id, "A", target, "dau-moi", comment="x")
    with pytest.raises(store.StoreError, match="không hợp lệ"):
        store.set_status(fresh_db, round_id, "A", "submitted", "dau-moi")
    _save(fresh_db, round_id)
    with pytest.raises(store.StoreError, match="Cần ghi lý do"):
        store.set_status(fresh_db, round_id, "A", "returned", "dau-moi")
    with pytest.raises(store.Conflict, match="hãy rút lại báo cáo trước khi lưu nháp"):
        _save(fresh_db, round_id, status="draft")
    store.set_status(fresh_db, round_id, "A", "returned", "dau-moi", comment="Sửa")
    with pytest.raises(store.Conflict, match=r"Chỉ chấp nhận được báo cáo đã nộp.*bị trả lại"):
        store.set_status(fresh_db, round_id, "A", "accepted", "dau-moi")
    _save(fresh_db, round_id)
    store.set_status(fresh_db, round_id, "A", "accepted", "dau-moi")
    for target in ("returned", "draft"):
        with pytest.raises(store.Conflict, match="đã chấp nhận"):
            store.set_status(fresh_db, round_id, "A", target, "a", comment="x")
    with pytest.raises(store.Conflict, match="đã được chấp nhận, không thể sửa"):
        _save(fresh_db, round_id)
    assert store.get_submission(fresh_db, round_id, "A")["status"] == "accepted"


def test_latest_values_consolidates_latest_submitted_revisions(fresh_db, make_round):
    round_id = make_round(units=["A", "B", "C", "D", "E", "F"])
    _save(fresh_db, round_id, unit="E", values={"x": 50})
    store.set_status(fresh_db, round_id, "E", "accepted", "dau-moi")   # accepted: included
    _save(fresh_db, round_id, unit="A", values={"x": 1})
    _save(fresh_db, round_id, unit="A", values={"x": 2})               # re-submitted: latest
    _save(fresh_db, round_id, unit="B", status="draft", values={"x": 9})  # never submitted
    _save(fresh_db, round_id, unit="C", values={"x": 30})
    store.set_status(fresh_db, round_id, "C", "draft", "c")            # recalled
    _save(fresh_db, round_id, unit="C", status="draft", values={"x": 31})
    _save(fresh_db, round_id, unit="D", values={"x": 40})
    store.set_status(fresh_db, round_id, "D", "returned", "dau-moi", comment="Sửa")
    # F: missing
    rows = store.latest_values(fresh_db, round_id)
    assert [(r["unit_code"], r["status"], r["revision"], r["values"]) for r in rows] == [
        ("A", "submitted", 2, {"x": 2}),
        ("E", "accepted", 1, {"x": 50}),
    ]
    assert rows[0]["name"] == "Đơn vị A" and rows[0]["submitted_at"] is not None
    wider = store.latest_values(fresh_db, round_id,
                                statuses=("submitted", "accepted", "returned", "draft"))
    assert [(r["unit_code"], r["status"], r["revision"], r["values"]) for r in wider] == [
        ("A", "submitted", 2, {"x": 2}),
        ("C", "draft", 1, {"x": 30}),       # its last *submitted* revision, not the draft
        ("D", "returned", 1, {"x": 40}),
        ("E", "accepted", 1, {"x": 50}),
    ]
