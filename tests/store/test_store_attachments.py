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
