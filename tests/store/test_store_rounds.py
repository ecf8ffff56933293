"""Rounds: creation, deadline in UTC, expected units."""

from __future__ import annotations

from datetime import date, datetime

import pytest

import store


def test_deadline_end_of_day_is_stored_in_utc(fresh_db, make_round):
    deadline = store.deadline_end_of_day(date(2025, 11, 12))
    assert deadline.isoformat() == "2025-11-12T23:59:59+07:00"
    round_id = make_round(units=["B", "A"])
    assert store.get_round(fresh_db, round_id) == {
        "id": round_id,
        "outline_id": "vi-du-cchc",
        "outline_version": 2,
        "title": "Báo cáo CCHC 6 tháng cuối năm 2025",
        "period_start": "2025-07-01",
        "period_end": "2025-12-31",
        "period_label": "6 tháng cuối năm 2025",
        "deadline": "2025-11-12T16:59:59+00:00",
        "created_by": "dau-moi",
        "created_at": "2025-10-01T01:00:00+00:00",
        "status": "open",
        "period_kind": None,
        "period_year": None,
    }
    rounds = store.list_rounds(fresh_db)
    assert [(r["id"], r["unit_count"]) for r in rounds] == [(round_id, 2)]


def _create(db, **overrides):
    args = dict(
        outline_id="o", outline_version=1, title="Đợt 1", period_start="2025-07-01",
        period_end=None, period_label=None,
        deadline=store.deadline_end_of_day(date(2025, 11, 12)), units=["A"], created_by="c",
    )
    args.update(overrides)
    return store.create_round(db, **args)


def test_create_round_validates_and_writes_nothing_on_error(fresh_db):
    store.add_unit(fresh_db, "A", "Đơn vị A")
    with pytest.raises(store.StoreError, match="kèm múi giờ"):
        _create(fresh_db, deadline=datetime(2025, 11, 12, 23, 59, 59))
    with pytest.raises(store.UnitNotFound, match="Không có đơn vị mã 'X', 'Y'"):
        _create(fresh_db, units=["A", "X", "Y"])
    with pytest.raises(store.StoreError, match="đứng trước ngày bắt đầu"):
        _create(fresh_db, period_start=date(2025, 12, 31), period_end=date(2025, 7, 1))
    with pytest.raises(store.StoreError, match="không phải ngày hợp lệ"):
        _create(fresh_db, period_start="12/11/2025")
    with pytest.raises(store.StoreError, match="không được để trống"):
        _create(fresh_db, title=" ")
    assert store.list_rounds(fresh_db) == []
    with pytest.raises(store.RoundNotFound, match="Không có đợt báo cáo số 99"):
        store.get_round(fresh_db, 99)


def test_round_units_add_and_remove(fresh_db, make_round):
    store.add_unit(fresh_db, "T", "UBND tỉnh", kind="tinh", contact="0123 456 789")
    round_id = make_round(units=["B", "A"])
    store.upsert_units(fresh_db, [{"code": "A", "name": "Đơn vị A", "parent": "T",
                                   "kind": "xa"}])
    assert store.round_units(fresh_db, round_id) == [
        {"unit_code": "A", "name": "Đơn vị A", "kind": "xa", "contact": None, "email": None,
         "parent": "T"},
        {"unit_code": "B", "name": "Đơn vị B", "kind": None, "contact": None, "email": None,
         "parent": None},
    ]
    assert store.add_round_units(fresh_db, round_id, ["T", "A"]) == 1
    assert store.add_round_units(fresh_db, round_id, ["T"]) == 0
    with pytest.raises(store.UnitNotFound):
        store.add_round_units(fresh_db, round_id, ["NOPE"])
    store.remove_round_unit(fresh_db, round_id, "T")
    with pytest.raises(store.NotFound, match="không thuộc đợt báo cáo"):
        store.remove_round_unit(fresh_db, round_id, "T")
    store.save_revision(fresh_db, round_id=round_id, unit_code="A", values={}, status="draft",
                        channel="web", actor="a")
    with pytest.raises(store.Conflict, match="đã có báo cáo"):
        store.remove_round_unit(fresh_db, round_id, "A")
    assert [u["unit_code"] for u in store.round_units(fresh_db, round_id)] == ["A", "B"]


def test_unit_rounds_and_closing(fresh_db, make_round):
    first = make_round(units=["A", "B"])
    second = make_round(units=["A"])
    store.save_revision(fresh_db, round_id=first, unit_code="A", values={"x": 1},
                        status="submitted", channel="excel", actor="a")
    seen = [(r["id"], r["submission_status"]) for r in store.unit_rounds(fresh_db, "A")]
    assert seen == [(second, "missing"), (first, "submitted")]
    store.set_round_status(fresh_db, second, "closed", actor="dau-moi")
    assert store.get_round(fresh_db, second)["status"] == "closed"
    assert [r["id"] for r in store.list_rounds(fresh_db, status="open")] == [first]
    with pytest.raises(store.Conflict, match="đã đóng"):
        store.save_revision(fresh_db, round_id=second, unit_code="A", values={},
                            status="draft", channel="web", actor="a")
