"""Evidence files are kept once per hash, scoped to the unit's report, and never changed."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

import store


@pytest.fixture
def round_db(fresh_db):
    store.upsert_units(fresh_db, [{"code": "A", "name": "Đơn vị A"},
                                  {"code": "B", "name": "Đơn vị B"},
                                  {"code": "C", "name": "Đơn vị C"}])
    round_id = store.create_round(
        fresh_db, outline_id="x", outline_version=1, title="Đợt 1", period_start=None,
        period_end=None, period_label=None, deadline=store.deadline_end_of_day(date(2099, 1, 1)),
        units=["A", "B"], created_by="t")
    return fresh_db, round_id


def test_attachment_round_trip_and_scope(round_db):
    db, round_id = round_db
    pdf = b"%PDF-1.4\n" + "biên bản kiểm tra".encode() + b"\n%%EOF"
    meta = store.add_attachment(db, round_id=round_id, unit_code="A", item_key="nv_tong",
                                file_name="Biên bản.pdf", content=pdf,
                                media_type="application/pdf", actor="a")
    assert meta["size"] == len(pdf) and meta["file_name"] == "Biên bản.pdf"
    got_meta, got = store.get_attachment(db, round_id, "A", meta["id"])
    assert got == pdf and got_meta == meta
    assert [m["id"] for m in store.list_attachments(db, round_id, "A")] == [meta["id"]]
    assert store.list_attachments(db, round_id, "B") == []
    with pytest.raises(store.AttachmentNotFound):
        store.get_attachment(db, round_id, "B", meta["id"])  # another unit's file


def test_same_bytes_twice_are_stored_once(round_db):
    db, round_id = round_db
    for key in ("a", "b"):
        store.add_attachment(db, round_id=round_id, unit_code="A", item_key=key,
                             file_name="x.png", content=b"\x89PNG same", media_type="image/png",
                             actor="a")
    assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 1
    assert len(store.list_attachments(db, round_id, "A")) == 2


def test_unit_outside_the_round_is_refused(round_db):
    db, round_id = round_db
    with pytest.raises(store.StoreError, match="không thuộc đợt báo cáo"):
        store.add_attachment(db, round_id=round_id, unit_code="C", item_key="a",
                             file_name="x.pdf", content=b"%PDF", media_type="application/pdf",
                             actor="c")


def test_attachments_are_append_only(round_db):
    db, round_id = round_db
    meta = store.add_attachment(db, round_id=round_id, unit_code="A", item_key="a",
                                file_name="x.pdf", content=b"%PDF", media_type="application/pdf",
                                actor="a")
    with pytest.raises(sqlite3.DatabaseError):
        db.execute("UPDATE attachments SET file_name = 'y' WHERE id = ?", [meta["id"]])


def _add(db, round_id, content, *, key="a", name="x.pdf", quota=None, unit="A"):
    return store.add_attachment(db, round_id=round_id, unit_code=unit, item_key=key,
                                file_name=name, content=content, media_type="application/pdf",
                                actor="a", quota_bytes=quota)


def test_the_quota_counts_the_units_evidence_in_the_round_and_names_the_file(round_db):
    db, round_id = round_db
    mb = 1024 * 1024
    _add(db, round_id, b"%PDF" + b"0" * (mb - 4), quota=2 * mb)
    _add(db, round_id, b"%PDF" + b"1" * (mb // 2 - 4), quota=2 * mb)
    assert store.evidence_usage(db, round_id, "A") == mb + mb // 2
    with pytest.raises(store.EvidenceQuotaExceeded) as refused:
        _add(db, round_id, b"%PDF" + b"2" * (mb - 4), name="Biên bản số 3.pdf", quota=2 * mb)
    assert str(refused.value).startswith(
        "Tệp «Biên bản số 3.pdf» (1 MB) không được lưu: tài liệu kiểm chứng của báo cáo này đã "
        "dùng 1,5 MB trong hạn mức 2 MB, chỉ còn trống 0,5 MB.")
    assert len(store.list_attachments(db, round_id, "A")) == 2  # nothing kept of the refused one
    # Another unit of the same round has its own room.
    _add(db, round_id, b"%PDF" + b"3" * (mb - 4), quota=2 * mb, unit="B")


def test_removing_a_file_no_submission_carried_deletes_it_and_frees_its_room(round_db):
    db, round_id = round_db
    store.save_revision(db, round_id=round_id, unit_code="A", values={}, status="draft",
                        channel="web", actor="a")
    meta = _add(db, round_id, b"%PDF wrong file")
    removed = store.remove_attachment(db, round_id, "A", meta["id"], actor="a")
    assert removed["kept"] is False
    assert store.list_attachments(db, round_id, "A", include_removed=True) == []
    assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 0
    assert store.evidence_usage(db, round_id, "A") == 0
    with pytest.raises(store.AttachmentNotFound):
        store.get_attachment(db, round_id, "A", meta["id"])
    [event] = store.list_events(db, action="attachment.remove")
    assert event["detail"]["file"] == "x.pdf" and event["unit_code"] == "A"


def test_bytes_another_attachment_holds_stay_when_one_is_removed(round_db):
    db, round_id = round_db
    first = _add(db, round_id, b"%PDF same", key="a")
    _add(db, round_id, b"%PDF same", key="b")
    store.remove_attachment(db, round_id, "A", first["id"], actor="a")
    assert db.execute("SELECT COUNT(*) FROM files").fetchone()[0] == 1
    assert [m["item_key"] for m in store.list_attachments(db, round_id, "A")] == ["b"]


def test_a_file_a_submitted_revision_carried_stays_stored_when_removed_from_the_draft(round_db):
    db, round_id = round_db
    meta = _add(db, round_id, b"%PDF submitted with the report")
    store.save_revision(db, round_id=round_id, unit_code="A", values={}, status="submitted",
                        channel="web", actor="a")
    with pytest.raises(store.Conflict, match="chỉ gỡ được tài liệu khỏi bản nháp"):
        store.remove_attachment(db, round_id, "A", meta["id"], actor="a")
    store.set_status(db, round_id, "A", "returned", "daumoi", comment="Sửa lại")
    removed = store.remove_attachment(db, round_id, "A", meta["id"], actor="a")
    assert removed["kept"] is True
    assert store.list_attachments(db, round_id, "A") == []
    assert [m["id"] for m in store.list_attachments(db, round_id, "A", include_removed=True)] \
        == [meta["id"]]
    assert store.get_attachment(db, round_id, "A", meta["id"])[1] == \
        b"%PDF submitted with the report"
    assert store.evidence_usage(db, round_id, "A") == meta["size"]  # still stored, still counted
    with pytest.raises(store.AttachmentNotFound, match="đã được gỡ"):
        store.remove_attachment(db, round_id, "A", meta["id"], actor="a")
    # The database itself refuses to delete it, whatever SQL is written.
    with pytest.raises(sqlite3.DatabaseError, match="đã nộp không được xóa"):
        db.execute("DELETE FROM attachments WHERE id = ?", [meta["id"]])
