"""How a migration step runs its SQL: statement by statement inside the runner's transaction,
and the triggers that make a history table append-only."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from sqlite_utils import Database

#: One migration: it changes the schema inside the runner's transaction.
Step = Callable[[Database], None]

APPEND_ONLY_MESSAGE = "Lịch sử báo cáo chỉ được ghi thêm, không được sửa hay xóa."


def append_only(table: str) -> str:
    """Triggers refusing UPDATE and DELETE, so history survives even hand-written SQL."""
    return f"""
        CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} ({table})'); END;
        CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
        BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY_MESSAGE} ({table})'); END;
    """


def run(db: Database, script: str) -> None:
    """Execute `script` statement by statement (not executescript, which would commit the
    runner's transaction); a trigger body holds semicolons, so split on complete statements."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                db.conn.execute(buffer)
            buffer = ""
    if buffer.strip():
        db.conn.execute(buffer)
