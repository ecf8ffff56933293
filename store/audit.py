"""The audit log: who did what, when, to which round and unit. Append-only (triggers refuse
UPDATE and DELETE), so it can answer "who changed this?" long after the fact."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, TypedDict

from sqlite_utils import Database

from store.db import transaction, utc_iso


class Event(TypedDict):
    """An `events` row with `detail` decoded from JSON (`list_events`)."""

    id: int
    at: str
    actor: str
    action: str
    round_id: int | None
    unit_code: str | None
    detail: Any  # what the action recorded (usually a dict), or None


def record_event(db: Database, actor: str, action: str, round_id: int | None = None,
                 unit_code: str | None = None, detail: dict[str, Any] | None = None, *,
                 now: datetime | None = None) -> int:
    """Append one event and return its id. Store functions call this inside their own
    transaction, so the event exists exactly when the change it describes does."""
    detail_json = (
        None if detail is None else json.dumps(detail, ensure_ascii=False, default=str)
    )
    with transaction(db):
        cursor = db.conn.execute(
            "INSERT INTO events (at, actor, action, round_id, unit_code, detail_json)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            (utc_iso(now), actor, action, round_id, unit_code, detail_json),
        )
        return int(cursor.lastrowid or 0)


def list_events(
    db: Database,
    *,
    round_id: int | None = None,
    unit_code: str | None = None,
    actor: str | None = None,
    action: str | None = None,
    limit: int | None = None,
    newest_first: bool = True,
) -> list[Event]:
    """Events matching every given filter, newest first by default (what an audit page shows);
    `detail` is decoded from JSON."""
    where, params = [], []
    for column, value in (
        ("round_id", round_id),
        ("unit_code", unit_code),
        ("actor", actor),
        ("action", action),
    ):
        if value is not None:
            where.append(f"{column} = ?")
            params.append(value)
    sql = "SELECT id, at, actor, action, round_id, unit_code, detail_json FROM events"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id " + ("DESC" if newest_first else "ASC")
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return [{"id": row["id"], "at": row["at"], "actor": row["actor"], "action": row["action"],
             "round_id": row["round_id"], "unit_code": row["unit_code"],
             "detail": None if row["detail_json"] is None else json.loads(row["detail_json"])}
            for row in db.query(sql, params)]
