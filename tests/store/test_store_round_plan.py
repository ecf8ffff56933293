"""A year's periodic rounds in the store: one round per outline, year and period."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

import store
from forms.periods import plan_year


def _units(db):
    store.upsert_units(db, [{"code": c, "name": f"Đơn vị {c}"} for c in ("A", "B")])


def test_plan_opens_each_period_once_whatever_the_outline_version(fresh_db):
    _units(fresh_db)
    planned = plan_year(["quy-1", "nam"], 2026, deadline_day=20)
    first = store.plan_rounds(fresh_db, outline_id="vi-du", outline_version=1, planned=planned,
                              units=["A", "B"], actor="dm")
    assert [plan.period.kind for _, plan in first.created] == ["quy-1", "nam"]
    again = store.plan_rounds(fresh_db, outline_id="vi-du", outline_version=2,
                              planned=plan_year(["quy-1", "quy-2", "nam"], 2026,
                                                deadline_day=20),
                              units=["A"], actor="dm")
    assert [plan.period.kind for _, plan in again.created] == ["quy-2"]
    assert sorted(row["id"] for row in again.existing) == sorted(i for i, _ in first.created)
    year = store.year_rounds(fresh_db, "vi-du", 2026)
    assert [(r["period_kind"], r["outline_version"]) for r in year] == [
        ("quy-1", 1), ("quy-2", 2), ("nam", 1)]
    assert store.planned_years(fresh_db) == [
        {"outline_id": "vi-du", "period_year": 2026, "rounds": 3}]


def test_another_outline_or_year_has_its_own_rounds(fresh_db):
    _units(fresh_db)
    for outline, year in (("vi-du", 2026), ("khac", 2026), ("vi-du", 2027)):
        result = store.plan_rounds(fresh_db, outline_id=outline, outline_version=1,
                                   planned=plan_year(["quy-1"], year, deadline_day=20),
                                   units=["A"], actor="dm")
        assert len(result.created) == 1


def test_a_second_round_of_a_period_is_refused_by_the_store_and_the_schema(fresh_db):
    _units(fresh_db)
    args = dict(outline_id="vi-du", outline_version=1, title="Báo cáo quý I năm 2026",
                period_start=date(2025, 12, 15), period_end=date(2026, 3, 14),
                period_label=None, deadline=store.deadline_end_of_day(date(2026, 3, 20)),
                units=["A"], created_by="dm", period_kind="quy-1", period_year=2026)
    round_id = store.create_round(fresh_db, **args)
    with pytest.raises(store.Conflict, match=f"đã có đợt báo cáo quý I năm 2026 .đợt số "
                                             f"{round_id}"):
        store.create_round(fresh_db, **args)
    with pytest.raises(sqlite3.IntegrityError):
        fresh_db.conn.execute(
            "INSERT INTO rounds (outline_id, outline_version, title, deadline, created_by,"
            " created_at, period_kind, period_year) VALUES ('vi-du', 1, 't', 'x', 'y', 'z',"
            " 'quy-1', 2026)")


def test_an_unknown_unit_opens_none_of_the_years_rounds(fresh_db):
    _units(fresh_db)
    with pytest.raises(store.UnitNotFound):
        store.plan_rounds(fresh_db, outline_id="vi-du", outline_version=1,
                          planned=plan_year(["quy-1", "quy-2"], 2026, deadline_day=20),
                          units=["A", "Z"], actor="dm")
    assert store.list_rounds(fresh_db) == []


@pytest.mark.parametrize(("kind", "year", "message"), [
    ("quy-1", None, "cần cả loại kỳ"),
    ("quy-9", 2026, "'quy-9' không có"),
    ("nam", 1850, "Năm báo cáo phải là số từ 2000"),
])
def test_a_round_with_a_wrong_period_is_refused(fresh_db, kind, year, message):
    _units(fresh_db)
    with pytest.raises(store.StoreError, match=message):
        store.create_round(fresh_db, outline_id="vi-du", outline_version=1, title="t",
                           period_start=None, period_end=None, period_label=None,
                           deadline=store.deadline_end_of_day(date(2026, 3, 20)),
                           units=["A"], created_by="dm", period_kind=kind, period_year=year)
