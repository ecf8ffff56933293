"""Login throttling per client and per (client, account) pair, instead of locking accounts.

Locking an account after N wrong passwords lets anyone who knows a username lock its owner out
(the coordinator, during the reporting week). Here the cost of guessing falls on the guesser:

- per (client, account): the first PAIR.free attempts are free, then each one blocks that pair
  for 1, 2, 4 … seconds, at most PAIR.cap; the count drops by one per PAIR.decay of quiet.
- per client (any account, so spraying many usernames is slowed too): the same with CLIENT.

A blocked attempt is refused before the password is even hashed, and does not extend the block.
Attempts are counted when they start (inside the write lock), not when the slow hash finishes,
so 30 parallel guesses cannot all slip through before the first failure is written. A right
password clears its pair and gives back its client slot. Another client — the coordinator at
their own desk — is never refused because of someone else's guesses.

"Client" is the address the web layer gives (the remote address, or the proxy's forwarded one).
Times are epoch seconds (REAL): the delays are sub-minute and need arithmetic, not display.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from sqlite_utils import Database

from store.accounts import AccountRow, normalise_username, verify_password
from store.db import transaction

ANY_ACCOUNT = ""  # the username column of a client's own row
FORGET_AFTER = 24 * 3600.0  # rows untouched this long are deleted (every level is 0 by then)


@dataclass(frozen=True)
class Rule:
    free: int  # attempts before any delay
    cap: float  # longest block, seconds
    decay: float  # seconds of quiet that forget one attempt


PAIR = Rule(free=3, cap=15 * 60, decay=15 * 60)
CLIENT = Rule(free=10, cap=5 * 60, decay=5 * 60)


@dataclass(frozen=True)
class LoginResult:
    account: AccountRow | None  # set when the password was right
    retry_after: float = 0.0  # > 0: refused without checking; seconds to wait


def _level(row: tuple[float, float] | None, rule: Rule, now: float) -> float:
    if row is None:
        return 0.0
    attempts, last = row
    return max(0.0, attempts - math.floor(max(0.0, now - last) / rule.decay))


def _block(attempts: float, rule: Rule, now: float) -> float | None:
    if attempts <= rule.free:
        return None
    return now + min(2.0 ** (attempts - rule.free - 1), rule.cap)


def _reserve(db: Database, client: str, name: str, now: float) -> float:
    """Count one attempt for the pair and the client; returns seconds to wait (0: go on)."""
    with transaction(db):
        db.conn.execute("DELETE FROM login_attempts WHERE last_at < ?", [now - FORGET_AFTER])
        rows = {
            username: (attempts, last, blocked)
            for username, attempts, last, blocked in db.conn.execute(
                "SELECT username, attempts, last_at, blocked_until FROM login_attempts"
                " WHERE client = ? AND username IN (?, ?)", (client, name, ANY_ACCOUNT))
        }
        wait = max((r[2] or 0.0) - now for r in rows.values()) if rows else 0.0
        if wait > 0:
            return wait
        for username, rule in ((name, PAIR), (ANY_ACCOUNT, CLIENT)):
            row = rows.get(username)
            attempts = _level(row[:2] if row else None, rule, now) + 1
            db.conn.execute(
                "INSERT INTO login_attempts (client, username, attempts, last_at, blocked_until)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (client, username) DO UPDATE SET"
                " attempts = excluded.attempts, last_at = excluded.last_at,"
                " blocked_until = excluded.blocked_until",
                (client, username, attempts, now, _block(attempts, rule, now)),
            )
    return 0.0


def retry_after(db: Database, client: str, username: str, *, now: float | None = None) -> float:
    """Seconds `client` must wait before its next attempt at `username` (0: it may try now);
    reads only, counts nothing."""
    moment = time.time() if now is None else now
    name = normalise_username(username) or ""
    row = db.conn.execute(
        "SELECT MAX(blocked_until) FROM login_attempts WHERE client = ? AND username IN (?, ?)",
        (client, name, ANY_ACCOUNT)).fetchone()
    return max(0.0, (row[0] or 0.0) - moment)


def _release(db: Database, client: str, name: str) -> None:
    """A right password: forget the pair, give the client its attempt back."""
    with transaction(db):
        db.conn.execute("DELETE FROM login_attempts WHERE client = ? AND username = ?",
                        (client, name))
        db.conn.execute(
            "UPDATE login_attempts SET attempts = MAX(0, attempts - 1),"
            " blocked_until = CASE WHEN attempts - 1 > ? THEN blocked_until END"
            " WHERE client = ? AND username = ?", (CLIENT.free, client, ANY_ACCOUNT))


def attempt_login(
    db: Database, username: str, password: str, client: str, *, now: float | None = None
) -> LoginResult:
    """Check a login from `client`: refused (retry_after > 0) while throttled, else the
    account when the password is right. Wrong and right passwords are audited by
    `verify_password`; refusals are not (they would let a guesser flood the audit log)."""
    moment = time.time() if now is None else now
    name = normalise_username(username) or ""
    # A blocked client is answered from a plain read: a flood of refused attempts never takes
    # the write lock away from the people saving reports.
    wait = retry_after(db, client, name, now=moment) or _reserve(db, client, name, moment)
    if wait > 0:
        return LoginResult(None, wait)
    account = verify_password(db, username, password)
    if account is not None:
        _release(db, client, name)
    return LoginResult(account)


def clear_client(db: Database, client: str) -> None:
    """Forget every attempt of `client` (an administrator's escape hatch)."""
    with transaction(db):
        db.conn.execute("DELETE FROM login_attempts WHERE client = ?", [client])
