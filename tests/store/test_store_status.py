"""Completeness and timeliness of a round, against a deadline of 12/11/2025 (Vietnam time)."""

from __future__ import annotations

from datetime import datetime

import store


def vn(text: str) -> datetime:
    """A Vietnam local time, as people in the office read the clock."""
    return datetime.fromisoformat(text + "+07:00")


def _submit(db, round_id, unit, at, status="submitted"):
    store.save_revision(db, round_id=round_id, unit_code=unit, values={"x": 1}, status=status,
                        channel="web", actor=unit.lower(), now=vn(at))


def test_round_status_and_summary(fresh_db, make_round):
    round_id = make_round(units=["I", "H", "G", "F", "E", "D", "C", "B", "A"])
    _submit(fresh_db, round_id, "A", "2025-11-12T10:00:00")           # on time
    _submit(fresh_db, round_id, "B", "2025-11-13T08:00:00")           # next morning: late
    # C sends nothing.
    _submit(fresh_db, round_id, "D", "2025-11-10T09:00:00", "draft")  # draft only
    _submit(fresh_db, round_id, "E", "2025-11-11T15:00:00")
    store.set_status(fresh_db, round_id, "E", "returned", "dau-moi", comment="Thiếu mục 3",
                     now=vn("2025-11-14T08:00:00"))
    _submit(fresh_db, round_id, "F", "2025-11-14T07:00:00")           # late, then accepted
    store.set_status(fresh_db, round_id, "F", "accepted", "dau-moi", now=vn("2025-11-15T08:00:00"))
    _submit(fresh_db, round_id, "G", "2025-11-12T23:59:59")           # the last second: on time
    _submit(fresh_db, round_id, "H", "2025-11-12T08:00:00")           # on time, returned,
    store.set_status(fresh_db, round_id, "H", "returned", "dau-moi", comment="Sửa",
                     now=vn("2025-11-12T09:00:00"))
    _submit(fresh_db, round_id, "H", "2025-11-13T09:00:00")           # ...re-sent late
    _submit(fresh_db, round_id, "I", "2025-11-13T00:00:00")           # one second late

    status = store.round_status(fresh_db, round_id)
    assert status == {
        "round": round_id,
        "deadline": "2025-11-12T16:59:59+00:00",
        "units": [
            {"unit_code": "A", "name": "Đơn vị A", "kind": None, "status": "submitted",
             "submitted_at": "2025-11-12T03:00:00+00:00", "late": False, "revision": 1},
            {"unit_code": "B", "name": "Đơn vị B", "kind": None, "status": "submitted",
             "submitted_at": "2025-11-13T01:00:00+00:00", "late": True, "revision": 1},
            {"unit_code": "C", "name": "Đơn vị C", "kind": None, "status": "missing",
             "submitted_at": None, "late": False, "revision": None},
            {"unit_code": "D", "name": "Đơn vị D", "kind": None, "status": "draft",
             "submitted_at": None, "late": False, "revision": 1},
            {"unit_code": "E", "name": "Đơn vị E", "kind": None, "status": "returned",
             "submitted_at": "2025-11-11T08:00:00+00:00", "late": False, "revision": 1},
            {"unit_code": "F", "name": "Đơn vị F", "kind": None, "status": "accepted",
             "submitted_at": "2025-11-14T00:00:00+00:00", "late": True, "revision": 1},
            {"unit_code": "G", "name": "Đơn vị G", "kind": None, "status": "submitted",
             "submitted_at": "2025-11-12T16:59:59+00:00", "late": False, "revision": 1},
            {"unit_code": "H", "name": "Đơn vị H", "kind": None, "status": "submitted",
             "submitted_at": "2025-11-13T02:00:00+00:00", "late": True, "revision": 2},
            {"unit_code": "I", "name": "Đơn vị I", "kind": None, "status": "submitted",
             "submitted_at": "2025-11-12T17:00:00+00:00", "late": True, "revision": 1},
        ],
    }

    after = store.round_summary(fresh_db, round_id, now=vn("2025-11-20T08:00:00"))
    assert after == {
        "round": round_id,
        "deadline": "2025-11-12T16:59:59+00:00",
        "deadline_passed": True,
        "expected": 9,
        "submitted": 6,   # A B F G H I
        "on_time": 2,     # A G
        "late": 4,        # B F H I
        "missing": 1,     # C
        "draft": 1,       # D
        "returned": 1,    # E
        "accepted": 1,    # F
        "overdue": 3,     # C D E: no submitted report once the deadline passed
    }
    before = store.round_summary(fresh_db, round_id, now=vn("2025-11-12T23:59:59"))
    assert before["deadline_passed"] is False
    assert before["overdue"] == 0


def test_recalled_report_is_not_late(fresh_db, make_round):
    round_id = make_round(units=["A"])
    _submit(fresh_db, round_id, "A", "2025-11-13T08:00:00")
    store.set_status(fresh_db, round_id, "A", "draft", "a", now=vn("2025-11-13T09:00:00"))
    [unit] = store.round_status(fresh_db, round_id)["units"]
    assert unit["status"] == "draft"
    assert unit["submitted_at"] == "2025-11-13T01:00:00+00:00"  # kept as history
    assert unit["late"] is False
    summary = store.round_summary(fresh_db, round_id, now=vn("2025-11-13T10:00:00"))
    assert (summary["submitted"], summary["draft"], summary["overdue"]) == (0, 1, 1)


def test_empty_round(fresh_db, make_round):
    round_id = make_round(units=[])
    assert store.round_status(fresh_db, round_id)["units"] == []
    summary = store.round_summary(fresh_db, round_id, now=vn("2025-11-01T00:00:00"))
    assert summary["expected"] == 0 and summary["deadline_passed"] is False


def test_a_status_row_names_its_unit_as_every_store_row_does(fresh_db, make_round):
    # One key for one thing: round_units, submitted values and round_status all say unit_code.
    round_id = make_round(units=["A"])
    [row] = store.round_status(fresh_db, round_id)["units"]
    [listed] = store.round_units(fresh_db, round_id)
    assert row["unit_code"] == listed["unit_code"] and "unit" not in row
