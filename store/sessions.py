"""Server-side login sessions: the browser's signed cookie carries only a random token, and a
row here says whose it is and when it was last used.

Why a table rather than the signed cookie alone: a signed cookie stays valid for as long as the
secret key does, so logging out, changing a password or resetting one could not end it. Here
logout deletes the row, a password change deletes the account's other rows, and a session idle
longer than the configured timeout is refused and deleted. Only a SHA-256 of the token is
stored, so a copy of the database (a backup) holds no usable session.

Cost per request: one primary-key read; `last_seen` is rewritten at most once per
TOUCH_INTERVAL, so a busy page does not turn every read into a write.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlite_utils import Database

from store.db import parse_iso, transaction, utc_iso

if TYPE_CHECKING:  # store.accounts imports this module (a password change ends sessions)
    from store.accounts import AccountRow

#: How stale `last_seen` may get before a request refreshes it (bounds the idle error too).
TOUCH_INTERVAL = timedelta(seconds=60)
#: The default idle timeout: a working day without a single request.
DEFAULT_IDLE = timedelta(hours=8)

ACTIVE = "active"
EXPIRED = "expired"
UNKNOWN = "unknown"


def _key(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _now(now: datetime | None) -> datetime:
    moment = parse_iso(utc_iso(now))
    assert moment is not None
    return moment


def start_session(
    db: Database, username: str, *, idle: timedelta = DEFAULT_IDLE, now: datetime | None = None
) -> str:
    """A new session for `username` (already authenticated); returns the token for the cookie.

    Sessions idle past `idle` are swept here, at login, so the table stays small without a
    background job.
    """
    token = secrets.token_urlsafe(32)
    moment = _now(now)
    with transaction(db):
        db.conn.execute("DELETE FROM sessions WHERE last_seen < ?", [utc_iso(moment - idle)])
        db.conn.execute(
            "INSERT INTO sessions (id, username, created_at, last_seen) VALUES (?, ?, ?, ?)",
            (_key(token), username, utc_iso(moment), utc_iso(moment)),
        )
    return token


def session_account(
    db: Database, token: str | None, *, idle: timedelta = DEFAULT_IDLE,
    now: datetime | None = None,
) -> tuple[str, AccountRow | None]:
    """(ACTIVE, account) for a live session; (EXPIRED, None) for one idle longer than `idle`
    (deleted now); (UNKNOWN, None) for no token, a logged-out or ended session, or a deleted
    or deactivated account. The account has the same fields as `store.get_account`."""
    if not token:
        return UNKNOWN, None
    key = _key(token)
    row = db.conn.execute(
        "SELECT s.last_seen, a.username, a.role, a.unit_code, a.created_at, a.failed_logins,"
        " a.locked_until, a.must_change, a.disabled_at"
        " FROM sessions s JOIN accounts a ON a.username = s.username"
        " WHERE s.id = ? AND a.disabled_at IS NULL", [key],
    ).fetchone()
    if row is None:
        return UNKNOWN, None
    moment = _now(now)
    last_seen = parse_iso(row[0])
    assert last_seen is not None
    if moment - last_seen > idle:
        end_session(db, token)
        return EXPIRED, None
    if moment - last_seen >= TOUCH_INTERVAL:
        with transaction(db):
            db.conn.execute("UPDATE sessions SET last_seen = ? WHERE id = ?",
                            (utc_iso(moment), key))
    username, role, unit_code, created_at, failed_logins, locked_until, must_change, \
        disabled_at = row[1:]
    return ACTIVE, {"username": username, "role": role, "unit_code": unit_code,
                    "created_at": created_at, "failed_logins": failed_logins,
                    "locked_until": locked_until, "must_change": must_change,
                    "disabled_at": disabled_at}


def end_session(db: Database, token: str | None) -> None:
    """Logout: the token stops working at once, wherever a copy of the cookie is."""
    if token:
        with transaction(db):
            db.conn.execute("DELETE FROM sessions WHERE id = ?", [_key(token)])


def end_sessions(db: Database, username: str, *, keep: str | None = None) -> int:
    """End every session of `username` except the one whose token is `keep`; returns how many
    ended. Called inside the password change's own transaction (store.set_password)."""
    with transaction(db):
        cursor = db.conn.execute(
            "DELETE FROM sessions WHERE username = ? AND id IS NOT ?",
            (username, _key(keep) if keep else None),
        )
    return cursor.rowcount


def count_sessions(db: Database, username: str) -> int:
    """Live rows of `username` (for the administrator and the tests)."""
    return int(db.conn.execute("SELECT COUNT(*) FROM sessions WHERE username = ?",
                               [username]).fetchone()[0])
