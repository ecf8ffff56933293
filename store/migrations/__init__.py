"""Schema migrations: an ordered list of functions; `PRAGMA user_version` counts those applied.

Never edit a migration that has shipped: databases in the field already ran it. Append a new
function instead (at the end of the last step module and of its `STEPS`). Each step runs in
its own transaction together with the version bump, and the version is re-read inside that
transaction, so two processes opening a fresh file at once apply each step exactly once.

The steps live in modules by number (`m001_m008`, `m009_m016`, …); `script` runs their SQL.
"""

from __future__ import annotations

from sqlite_utils import Database

from store.db import transaction
from store.errors import StoreError
from store.migrations import m001_m008, m009_m016
from store.migrations.script import APPEND_ONLY_MESSAGE, Step

__all__ = ["APPEND_ONLY_MESSAGE", "MIGRATIONS", "SCHEMA_VERSION", "migrate", "schema_version"]


MIGRATIONS: list[Step] = [*m001_m008.STEPS, *m009_m016.STEPS]

SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: Database) -> int:
    """The number of migrations applied to `db`."""
    return int(db.conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database, target: int | None = None) -> int:
    """Apply the pending migrations up to `target` (all by default); return how many ran.

    Safe to call on every open: an up-to-date database runs nothing.
    """
    target = SCHEMA_VERSION if target is None else target
    current = schema_version(db)
    if current > SCHEMA_VERSION:
        raise StoreError(
            f"Cơ sở dữ liệu ở phiên bản {current}, mới hơn phần mềm này (phiên bản "
            f"{SCHEMA_VERSION}); hãy cập nhật decuong trước khi mở."
        )
    applied = 0
    for number in range(current + 1, target + 1):
        with transaction(db):
            if schema_version(db) >= number:  # another process got here first
                continue
            MIGRATIONS[number - 1](db)
            db.conn.execute(f"PRAGMA user_version = {number}")
        applied += 1
    return applied
