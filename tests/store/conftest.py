"""Fixtures for the store tests: real SQLite files in a temporary directory, no mocks."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime

import pytest
from sqlite_utils import Database

import store

# Rounds in these tests are due at the end of 12/11/2025 in Vietnam = 16:59:59 UTC.
DEADLINE_DAY = date(2025, 11, 12)
CREATED = datetime.fromisoformat("2025-10-01T08:00:00+07:00")


@pytest.fixture
def fresh_db(tmp_path) -> Iterator[Database]:
    db = store.open_db(tmp_path / "decuong.db")
    yield db
    db.close()


@pytest.fixture
def make_round(fresh_db: Database) -> Callable[..., int]:
    """Create units (named 'Đơn vị CODE') and a round expecting them; return the round id."""

    def make(units: Sequence[str] = ("A", "B"), deadline_day: date = DEADLINE_DAY) -> int:
        store.upsert_units(fresh_db, [{"code": code, "name": f"Đơn vị {code}"} for code in units])
        return store.create_round(
            fresh_db,
            outline_id="vi-du-cchc",
            outline_version=2,
            title="Báo cáo CCHC 6 tháng cuối năm 2025",
            period_start=date(2025, 7, 1),
            period_end=date(2025, 12, 31),
            period_label="6 tháng cuối năm 2025",
            deadline=store.deadline_end_of_day(deadline_day),
            units=list(units),
            created_by="dau-moi",
            now=CREATED,
        )

    return make
