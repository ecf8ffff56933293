"""Accounts: a coordinator (đầu mối tổng hợp) sees every unit; a unit account sees its own.

Passwords are kept only as werkzeug salted hashes and must pass the password policy
(store.password_policy). Guessing over the network is slowed per client by
store.login_throttle, not by locking the account: a lock would let anyone lock the coordinator
out. Changing a password ends the account's sessions (store.sessions).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import TypedDict, cast

from sqlite_utils import Database
from werkzeug.security import check_password_hash, generate_password_hash

from store.audit import record_event
from store.db import clean_text, transaction, utc_iso
from store.errors import Conflict, NotFound, StoreCode, StoreError
from store.password_policy import password_problem
from store.sessions import end_sessions
from store.units import UnitNotFound, unit_exists

ROLES = ("coordinator", "unit")
#: How a generated one-time password is hashed. scrypt (werkzeug's default, for passwords
#: people choose) costs about 0,25 s a hash here, so "an account for every unit" would take
#: 17 minutes for 4 000 units. A one-time password carries 80 random bits
#: (password_policy.generate_password): no guessing list exists to slow down, so PBKDF2 at
#: 20 000 rounds (about 12 ms) protects it as well; the password its owner sets replaces it
#: with scrypt.
ONE_TIME_HASH = "pbkdf2:sha256:20000"



class AccountNotFound(NotFound):
    code = StoreCode.ACCOUNT_NOT_FOUND


class AccountRow(TypedDict):
    """An `accounts` row without its password hash (`get_account`, `list_accounts`)."""

    username: str
    role: str  # "coordinator" or "unit"
    unit_code: str | None  # set exactly for a unit account
    created_at: str
    failed_logins: int
    locked_until: str | None
    must_change: int  # 1: a one-time password someone else handed over
    disabled_at: str | None


_PUBLIC = ("username, role, unit_code, created_at, failed_logins, locked_until, must_change,"
           " disabled_at")


@cache
def _dummy_hash() -> str:
    """Checked against when the username is unknown, so that answer takes as long as a wrong
    password and does not reveal which usernames exist."""
    return generate_password_hash("decuong-dummy-password")


def _username(username: str) -> str:
    """Usernames are compared case-insensitively: people type them differently each time."""
    name = clean_text(username)
    if name is None:
        raise StoreError("Tên đăng nhập không được để trống.")
    return name.lower()


def normalise_username(username: str) -> str | None:
    """The stored form of a typed username, or None when it is empty."""
    try:
        return _username(username)
    except StoreError:
        return None


def _check_password(password: str, username: str, *, policy: bool = True) -> None:
    if not isinstance(password, str) or password == "":
        raise StoreError("Mật khẩu không được để trống.")
    problem = password_problem(password, username) if policy else None
    if problem is not None:
        raise StoreError(problem)


def _hash(password: str, one_time: bool) -> str:
    if one_time:
        return generate_password_hash(password, method=ONE_TIME_HASH)
    return generate_password_hash(password)


def get_account(db: Database, username: str) -> AccountRow:
    """The account without its password hash; raises AccountNotFound."""
    name = _username(username)
    rows = list(db.query(f"SELECT {_PUBLIC} FROM accounts WHERE username = ?", [name]))
    if not rows:
        raise AccountNotFound(f"Không có tài khoản '{name}'.")
    return cast(AccountRow, rows[0])


def list_accounts(db: Database, role: str | None = None) -> list[AccountRow]:
    """Accounts (without hashes), by username."""
    if role is None:
        return cast(list[AccountRow],
                    list(db.query(f"SELECT {_PUBLIC} FROM accounts ORDER BY username")))
    return cast(list[AccountRow], list(
        db.query(f"SELECT {_PUBLIC} FROM accounts WHERE role = ? ORDER BY username", [role])
    ))


def add_account(
    db: Database,
    username: str,
    password: str,
    role: str,
    unit: str | None = None,
    *,
    actor: str = "system",
    now: datetime | None = None,
    policy: bool = True,
    one_time: bool = False,
) -> AccountRow:
    """Create an account. A unit account must name an existing unit; a coordinator names none.
    The password must pass the policy; only the demo (published passwords, a database for
    trying the tool) passes `policy=False`. `one_time`: the password was generated and handed
    over by someone else, so the web lets the account do nothing until it is changed."""
    name = _username(username)
    _check_password(password, name, policy=policy)
    if role not in ROLES:
        raise StoreError(
            "Vai trò phải là 'coordinator' (đầu mối tổng hợp) hoặc 'unit' (đơn vị), "
            f"không phải '{role}'."
        )
    unit_code = clean_text(unit)
    if role == "unit" and unit_code is None:
        raise StoreError("Tài khoản đơn vị phải gắn với một đơn vị.")
    if role == "coordinator" and unit_code is not None:
        raise StoreError("Tài khoản đầu mối tổng hợp không gắn với đơn vị nào.")
    password_hash = _hash(password, one_time)
    with transaction(db):
        if unit_code is not None and not unit_exists(db, unit_code):
            raise UnitNotFound(f"Không có đơn vị mã '{unit_code}'.")
        exists = db.conn.execute("SELECT 1 FROM accounts WHERE username = ?", [name]).fetchone()
        if exists:
            raise Conflict(f"Đã có tài khoản '{name}'.")
        db.conn.execute(
            "INSERT INTO accounts (username, password_hash, role, unit_code, created_at,"
            " must_change) VALUES (?, ?, ?, ?, ?, ?)",
            (name, password_hash, role, unit_code, utc_iso(now), int(one_time)),
        )
        record_event(
            db, actor, "account.add", unit_code=unit_code,
            detail={"username": name, "role": role, "one_time": one_time}, now=now,
        )
    return get_account(db, name)


def set_password(db: Database, username: str, password: str, *, actor: str = "system",
                 now: datetime | None = None, keep_session: str | None = None,
                 one_time: bool = False) -> int:
    """Replace the password and end the account's sessions, all but `keep_session` (the
    token of the web session that made the change); returns how many sessions ended.

    Someone who learnt the old password and logged in elsewhere is logged out by the change.
    `one_time` marks a password someone else chose (a reset): it must be changed at the next
    login. A password the owner sets clears that mark.
    """
    name = _username(username)
    _check_password(password, name)
    password_hash = _hash(password, one_time)
    with transaction(db):
        get_account(db, name)
        db.conn.execute(
            "UPDATE accounts SET password_hash = ?, failed_logins = 0, locked_until = NULL,"
            " must_change = ? WHERE username = ?",
            (password_hash, int(one_time), name),
        )
        ended = end_sessions(db, name, keep=keep_session)
        record_event(db, actor, "account.password",
                     detail={"username": name, "sessions_ended": ended,
                             "one_time": one_time}, now=now)
    return ended


def verify_password(
    db: Database, username: str, password: str, *, now: datetime | None = None
) -> AccountRow | None:
    """The account if the password is right and the account active, else None (audited either
    way).

    Callers learn nothing about which part failed (no user enumeration): a deactivated
    account answers as a wrong password does. Nothing is locked
    here: the web login goes through store.login_throttle, which slows the guessing client
    instead of refusing the account's owner. `failed_logins` counts wrong passwords since the
    last right one, for the administrator.
    """
    try:
        name = _username(username)
    except StoreError:
        return None
    row = db.conn.execute(
        "SELECT password_hash, disabled_at FROM accounts WHERE username = ?", [name]
    ).fetchone()
    if row is None:
        check_password_hash(_dummy_hash(), password or "")
        return None
    # Hashing is deliberately slow; do it before taking the write lock.
    good = check_password_hash(row[0], password or "")
    if good and row[1] is not None:
        record_event(db, name, "login.disabled", now=now)
        return None
    with transaction(db):
        if good:
            db.conn.execute(
                "UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE username = ?",
                [name],
            )
            record_event(db, name, "login", now=now)
            return get_account(db, name)
        db.conn.execute(
            "UPDATE accounts SET failed_logins = failed_logins + 1 WHERE username = ?", [name]
        )
        record_event(db, name, "login.failed", now=now)
    return None
