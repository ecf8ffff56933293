"""Opening the SQLite database and running writes as transactions.

SQLite is the embedded default: one file, WAL mode so readers never block the writer, a busy
timeout so concurrent writers queue instead of failing, and `BEGIN IMMEDIATE` transactions so a
write never discovers half-way through that another connection got the write lock first.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from secrets import token_hex
from typing import Any

from sqlite_utils import Database

from store.errors import StoreCode, StoreError

BUSY_TIMEOUT_MS = 10_000


def _configure(db: Database) -> None:
    """Per-connection settings; `journal_mode` is persistent in the file, the others are not."""
    conn = db.conn
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    if not db.memory:
        # Must run outside a transaction; returns the mode actually set.
        mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise StoreError(f"Không bật được chế độ WAL cho cơ sở dữ liệu (đang là {mode}).")
    conn.execute("PRAGMA synchronous = NORMAL")


def open_db(path: str | Path) -> Database:
    """Open (creating if needed) the database file at `path`, configured and migrated.

    Each thread or request should open its own connection: sqlite3 connections are not shared
    between threads, and WAL plus the busy timeout make many connections to one file safe.
    """
    from store.migrations import migrate

    path = Path(path)
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    # isolation_level stays at the driver default: sqlite-utils requires it, and every write of
    # ours opens its transaction explicitly through transaction().
    conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        db = Database(conn)
        _configure(db)
        migrate(db)
    except (sqlite3.OperationalError, sqlite3.IntegrityError):
        conn.close()  # e.g. locked for longer than the busy timeout: not a damaged file
        raise
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise StoreError(
            f"Tệp '{path.name}' không phải cơ sở dữ liệu SQLite hoặc đã hỏng ({exc})."
        ) from exc
    except BaseException:
        conn.close()
        raise
    return db


def open_memory_db() -> Database:
    """A migrated in-memory database, for tests and throw-away work (no WAL in memory)."""
    from store.migrations import migrate

    db = Database(memory=True)
    _configure(db)
    migrate(db)
    return db


class DiskFull(StoreError):
    """SQLite said the disk (or its size limit) is full; the transaction was rolled back."""

    code = StoreCode.DISK_FULL


@contextmanager
def transaction(db: Database) -> Iterator[Database]:
    """Run the block as one write transaction: all of it is committed, or none of it.

    The outermost block starts with `BEGIN IMMEDIATE`, taking the write lock up front (waiting up
    to the busy timeout), so reads made inside the block (next revision number, current status)
    cannot be invalidated by another writer before the block commits. Nested blocks become
    savepoints, so store functions can call each other and still be atomic as a whole.
    """
    conn = db.conn
    if conn.in_transaction:
        name = f"decuong_{token_hex(8)}"
        conn.execute(f"SAVEPOINT {name}")
        try:
            yield db
        except BaseException:
            if conn.in_transaction:
                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
                conn.execute(f"RELEASE SAVEPOINT {name}")
            raise
        else:
            conn.execute(f"RELEASE SAVEPOINT {name}")
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield db
        conn.execute("COMMIT")  # may fail too (a full disk): undone and reported as below
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if _disk_full(exc):
            raise DiskFull() from exc
        raise


@contextmanager
def rolled_back(db: Database) -> Iterator[Database]:
    """Run the block as a write transaction and undo all of it at the end, however it ends.

    This is how a dry run works: it does everything the real run does (every check the store
    makes, every revision numbered, duplicates found), so it says exactly what the real run
    would, and keeps nothing. Inside a transaction it is a savepoint rolled back."""
    conn = db.conn
    name = f"decuong_dry_{token_hex(8)}" if conn.in_transaction else None
    conn.execute(f"SAVEPOINT {name}" if name else "BEGIN IMMEDIATE")
    try:
        yield db
    finally:
        if name:
            conn.execute(f"ROLLBACK TO SAVEPOINT {name}")
            conn.execute(f"RELEASE SAVEPOINT {name}")
        elif conn.in_transaction:
            conn.execute("ROLLBACK")


def _disk_full(exc: BaseException) -> bool:
    """SQLITE_FULL: the disk (or `PRAGMA max_page_count`) is exhausted. The transaction was
    rolled back, so the user gets a plain Vietnamese message rather than a driver error."""
    return isinstance(exc, sqlite3.OperationalError) and (
        getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL
        or "database or disk is full" in str(exc))


# --- small helpers shared by the store modules -------------------------------------------------


def select(db: Database, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    """The rows of a SELECT as dicts, run directly on the connection. `db.query` wraps every
    statement in a savepoint in case it does not return rows, which triples the statements of
    the lookups done for every stored revision."""
    cursor = db.conn.execute(sql, params)
    keys = [column[0] for column in cursor.description]
    return [dict(zip(keys, row, strict=True)) for row in cursor.fetchall()]


def utc_iso(moment: datetime | None = None) -> str:
    """`moment` (now when None) as the UTC ISO string stored everywhere, e.g.
    `2025-11-12T16:59:59+00:00`: one fixed format so text order is time order."""
    if moment is None:
        moment = datetime.now(UTC)
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise StoreError("Thời điểm phải kèm múi giờ (ví dụ 2025-11-12T23:59:59+07:00).")
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def parse_iso(text: str | None) -> datetime | None:
    """Inverse of utc_iso, tolerant of None."""
    return None if text is None else datetime.fromisoformat(text)


def clean_text(value: Any) -> str | None:
    """User-typed text as stored: NFC (Vietnamese typed on some systems arrives as NFD), stripped,
    and empty meaning absent."""
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None
