"""What the reminders need from the database: which rounds are due soon, and the record of
every reminder sent or failed.

The record is the audit log itself (`events`, append-only): a reminder is something the
coordinator did to a unit, so "who was reminded, when, and did it arrive at the mail server"
is answered from the same place as every other action, and the board's "đã nhắc 2 lần" is
counted from it. Sending mail is not here: webapp/reminders does it and calls these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypedDict, cast

from sqlite_utils import Database

from store.audit import record_event
from store.db import parse_iso, utc_iso

SENT = "reminder.sent"
FAILED = "reminder.failed"


@dataclass(frozen=True, slots=True)
class ReminderHistory:
    """One unit's reminders in one round: how many reached the mail server and when the last
    did, and how many could not be sent."""

    sent: int
    last_sent: str | None
    failed: int


def record_reminder(
    db: Database, round_id: int, unit_code: str, *, actor: str, to: str, subject: str,
    error: str | None = None, now: datetime | None = None,
) -> int:
    """Append the audit event of one reminder: sent (the mail server accepted it) when `error`
    is None, failed otherwise, with the reason shown to the coordinator."""
    detail: dict[str, Any] = {"to": to, "subject": subject}
    if error is not None:
        detail["error"] = error
    return record_event(db, actor, SENT if error is None else FAILED, round_id=round_id,
                        unit_code=unit_code, detail=detail, now=now)


def reminder_history(db: Database, round_id: int) -> dict[str, ReminderHistory]:
    """Per unit code, the reminders of a round (units never reminded are absent)."""
    found: dict[str, ReminderHistory] = {}
    for unit, sent, last_sent, failed in db.conn.execute(
        "SELECT unit_code, SUM(action = ?), MAX(CASE WHEN action = ? THEN at END),"
        " SUM(action = ?) FROM events WHERE round_id = ? AND action IN (?, ?)"
        " GROUP BY unit_code",
        (SENT, SENT, FAILED, round_id, SENT, FAILED),
    ):
        found[unit] = ReminderHistory(int(sent or 0), last_sent, int(failed or 0))
    return found


class DueRound(TypedDict):
    """An open round due soon (`rounds_due`)."""

    id: int
    title: str
    deadline: str


def rounds_due(db: Database, within_days: int, *, now: datetime | None = None
               ) -> list[DueRound]:
    """Open rounds whose deadline has not passed and falls within `within_days` days from now
    (what a daily scheduled `decuong remind --due N` reminds), soonest first."""
    moment = parse_iso(utc_iso(now))
    assert moment is not None
    horizon = utc_iso(moment + timedelta(days=within_days))
    return cast(list[DueRound], list(db.query(
        "SELECT id, title, deadline FROM rounds WHERE status = 'open'"
        " AND deadline >= ? AND deadline <= ? ORDER BY deadline, id",
        [utc_iso(moment), horizon],
    )))
