"""Opening, configuration, migrations, transactions and concurrent writers."""

from __future__ import annotations

import sqlite3
import threading
import time
from datetime import date

import pytest
from sqlite_utils import Database

import store
from store.migrations import MIGRATIONS, SCHEMA_VERSION, migrate, schema_version


def _schema(db: Database) -> list[tuple]:
    return db.conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name"
    ).fetchall()


def test_open_db_configures_connection(fresh_db):
    def pragma(name: str):
        return fresh_db.conn.execute(f"PRAGMA {name}").fetchone()[0]

    assert pragma("journal_mode") == "wal"
    assert pragma("busy_timeout") == 10_000
    assert pragma("foreign_keys") == 1
    assert pragma("synchronous") == 1  # NORMAL
    assert schema_version(fresh_db) == SCHEMA_VERSION == len(MIGRATIONS)


def test_open_db_creates_missing_directories(tmp_path):
    path = tmp_path / "du-lieu" / "con" / "decuong.db"
    db = store.open_db(str(path))
    db.close()
    assert path.exists()


def test_memory_db_is_migrated():
    db = store.open_memory_db()
    assert schema_version(db) == SCHEMA_VERSION
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert {"units", "accounts", "rounds", "revisions", "events"} <= set(db.table_names())


def test_migrations_are_idempotent(tmp_path):
    path = tmp_path / "decuong.db"
    db = store.open_db(path)
    before = _schema(db)
    assert migrate(db) == 0
    db.close()
    db = store.open_db(path)  # opening again applies nothing
    assert _schema(db) == before
    assert schema_version(db) == SCHEMA_VERSION
    db.close()


def test_old_version_database_is_migrated_keeping_data(tmp_path):
    path = tmp_path / "old.db"
    old = Database(str(path))
    old.conn.execute("PRAGMA foreign_keys = ON")
    assert migrate(old, target=1) == 1
    assert schema_version(old) == 1
    assert "rounds" not in old.table_names()
    old.execute(
        "INSERT INTO units (code, name, created_at) VALUES ('X', 'Xã Cẩm Giang',"
        " '2025-01-01T00:00:00+00:00')"
    )
    old.close()

    db = store.open_db(path)
    assert schema_version(db) == SCHEMA_VERSION
    assert {"rounds", "round_units", "submissions", "revisions", "files", "comments",
            "events"} <= set(db.table_names())
    assert store.get_unit(db, "X")["name"] == "Xã Cẩm Giang"
    db.close()


def test_newer_database_is_refused(tmp_path):
    path = tmp_path / "future.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(store.StoreError, match="mới hơn phần mềm"):
        store.open_db(path)


def test_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "bao-cao.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not sqlite" * 100)
    with pytest.raises(store.StoreError, match="không phải cơ sở dữ liệu SQLite"):
        store.open_db(path)


def test_transaction_rolls_back_everything_on_error(fresh_db):
    with pytest.raises(RuntimeError), store.transaction(fresh_db):
        store.add_unit(fresh_db, "A", "Đơn vị A")
        store.add_unit(fresh_db, "B", "Đơn vị B")
        raise RuntimeError("boom")
    assert store.list_units(fresh_db) == []
    assert store.list_events(fresh_db) == []
    assert not fresh_db.conn.in_transaction


def test_nested_transaction_rolls_back_only_the_inner_block(fresh_db):
    with store.transaction(fresh_db):
        store.add_unit(fresh_db, "A", "Đơn vị A")
        with pytest.raises(store.Conflict):
            store.add_unit(fresh_db, "A", "Trùng mã")  # its own savepoint fails
        store.add_unit(fresh_db, "B", "Đơn vị B")
    assert [u["code"] for u in store.list_units(fresh_db)] == ["A", "B"]


def test_a_failed_inner_block_loses_its_own_writes_and_keeps_the_outer_ones(fresh_db):
    with store.transaction(fresh_db):
        store.add_unit(fresh_db, "A", "Đơn vị A")
        with pytest.raises(RuntimeError), store.transaction(fresh_db):
            store.add_unit(fresh_db, "B", "Đơn vị B")  # written, then the block fails
            raise RuntimeError("boom")
        store.add_unit(fresh_db, "C", "Đơn vị C")
    assert [u["code"] for u in store.list_units(fresh_db)] == ["A", "C"]
    assert not fresh_db.conn.in_transaction


def _run_together(threads: list[threading.Thread], *, timeout: float) -> None:
    """Start every thread, then wait for each (at most `timeout` seconds apiece)."""
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)


def _round_of_unit_a(db: Database) -> int:
    """Unit A and a round expecting it; the round id."""
    store.upsert_units(db, [{"code": "A", "name": "Đơn vị A"}])
    return store.create_round(
        db, outline_id="o", outline_version=1, title="Đợt 1", period_start=None,
        period_end=None, period_label=None, deadline=store.deadline_end_of_day(date(2025, 11, 12)),
        units=["A"], created_by="dau-moi",
    )


def test_acknowledged_submission_survives_reopening(tmp_path):
    path = tmp_path / "decuong.db"
    db = store.open_db(path)
    round_id = _round_of_unit_a(db)
    store.save_revision(db, round_id=round_id, unit_code="A", values={"x": 7},
                        status="submitted", channel="web", actor="a")
    db.close()
    db = store.open_db(path)
    assert store.get_revision(db, round_id, "A")["values"] == {"x": 7}
    db.close()


def test_writer_waits_for_a_held_write_lock(tmp_path):
    """A second connection blocked by a long transaction waits (busy timeout), then succeeds."""
    path = tmp_path / "decuong.db"
    store.open_db(path).close()
    holding = threading.Event()
    errors: list[BaseException] = []

    def slow_writer() -> None:
        db = store.open_db(path)
        try:
            with store.transaction(db):
                store.add_unit(db, "A", "Đơn vị A")
                holding.set()
                time.sleep(0.5)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            db.close()

    def second_writer() -> None:
        holding.wait(5)
        db = store.open_db(path)
        try:
            store.add_unit(db, "B", "Đơn vị B")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            db.close()

    _run_together([threading.Thread(target=slow_writer),
                   threading.Thread(target=second_writer)], timeout=20)
    assert errors == []
    db = store.open_db(path)
    assert [u["code"] for u in store.list_units(db)] == ["A", "B"]
    db.close()


def test_concurrent_saves_to_one_submission_all_succeed_with_distinct_numbers(tmp_path):
    path = tmp_path / "decuong.db"
    db = store.open_db(path)
    round_id = _round_of_unit_a(db)
    db.close()
    per_thread = 25
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def writer(name: str) -> None:
        conn = store.open_db(path)
        try:
            start.wait(5)
            for index in range(per_thread):
                store.save_revision(conn, round_id=round_id, unit_code="A",
                                    values={"writer": name, "i": index}, status="draft",
                                    channel="web", actor=name)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            conn.close()

    _run_together([threading.Thread(target=writer, args=(name,)) for name in ("t1", "t2")],
                  timeout=30)
    assert errors == []
    db = store.open_db(path)
    revisions = store.list_revisions(db, round_id, "A")
    assert [r["number"] for r in revisions] == list(range(1, 2 * per_thread + 1))
    assert sorted(r["actor"] for r in revisions) == ["t1"] * per_thread + ["t2"] * per_thread
    assert store.get_submission(db, round_id, "A")["latest_revision"] == 2 * per_thread
    db.close()
