"""What the coordinator does to accounts from the browser (and `decuong users`): an account
for a unit with a one-time password, a reset to a new one-time password, deactivation and
reactivation, and "an account for every unit that has none" for a printable sheet.

A one-time password is generated (store.password_policy), returned once to be shown or
printed, and stored only as a hash with `must_change` set: the web lets its holder do nothing
but choose their own password (webapp.auth). Deactivating ends the account's sessions at once
and refuses its logins; nothing is deleted, so its history keeps naming it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import TypedDict, cast

from sqlite_utils import Database

from store.accounts import add_account, get_account, normalise_username, set_password
from store.audit import record_event
from store.db import clean_text, transaction, utc_iso
from store.errors import Conflict, StoreError
from store.password_policy import generate_password, password_problem
from store.sessions import end_sessions
from store.units import UnitNotFound, get_unit


@dataclass(frozen=True, slots=True)
class Credential:
    """A username and its one-time password, for the sheet handed to the unit."""

    unit_code: str | None
    unit_name: str | None
    username: str
    password: str


def one_time_password(username: str) -> str:
    """A generated password that passes the policy for `username`."""
    while True:
        password = generate_password()
        if password_problem(password, username) is None:
            return password


class AccountWithUnit(TypedDict):
    """An account (no hash) with its unit's name, as the «Tài khoản» page lists it."""

    username: str
    role: str
    unit_code: str | None
    unit_name: str | None
    created_at: str
    must_change: int
    disabled_at: str | None


class UnitName(TypedDict):
    code: str
    name: str


def list_accounts_with_units(db: Database) -> list[AccountWithUnit]:
    """Every account (no hash) with its unit's name, units first by code, then coordinators."""
    return cast(list[AccountWithUnit], list(db.query(
        "SELECT a.username, a.role, a.unit_code, u.name AS unit_name, a.created_at,"
        " a.must_change, a.disabled_at FROM accounts a LEFT JOIN units u ON u.code = a.unit_code"
        " ORDER BY a.role = 'coordinator', a.unit_code, a.username")))


def units_without_account(db: Database) -> list[UnitName]:
    """Units no account (active or not) belongs to, by code."""
    return cast(list[UnitName], list(db.query(
        "SELECT code, name FROM units u WHERE NOT EXISTS"
        " (SELECT 1 FROM accounts a WHERE a.unit_code = u.code) ORDER BY code")))


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def suggest_username(db: Database, unit_code: str) -> str:
    """The unit code in lower case without accents (`VHXH` → `vhxh`), with -2, -3 … when
    taken: what the unit will type, so short and predictable."""
    base = _fold(unit_code) or "don-vi"
    taken = {row[0] for row in db.conn.execute(
        "SELECT username FROM accounts WHERE username = ? OR username LIKE ?",
        [base, f"{base}-%"])}
    candidate, number = base, 1
    while candidate in taken:
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def create_unit_account(
    db: Database, unit_code: str, username: str | None = None, *, actor: str,
    now: datetime | None = None,
) -> Credential:
    """A new account of the unit (a unit may have several) with a one-time password."""
    unit = get_unit(db, unit_code)
    name = normalise_username(username or "") or suggest_username(db, unit["code"])
    password = one_time_password(name)
    add_account(db, name, password, "unit", unit["code"], actor=actor, now=now, one_time=True)
    return Credential(unit["code"], unit["name"], name, password)


def reset_to_one_time(db: Database, username: str, *, actor: str,
                      now: datetime | None = None) -> Credential:
    """A new one-time password for the account, every session of it ended."""
    account = get_account(db, username)
    password = one_time_password(account["username"])
    set_password(db, account["username"], password, actor=actor, now=now, one_time=True)
    unit_name = get_unit(db, account["unit_code"])["name"] if account["unit_code"] else None
    return Credential(account["unit_code"], unit_name, account["username"], password)


def deactivate_account(db: Database, username: str, *, actor: str,
                       now: datetime | None = None) -> int:
    """Stop the account: its sessions end now, its logins are refused. Returns how many
    sessions ended. The last active coordinator account cannot be deactivated (nobody could
    manage accounts any more)."""
    account = get_account(db, username)
    name = account["username"]
    if account["disabled_at"] is not None:
        raise Conflict(f"Tài khoản '{name}' đã ngừng hoạt động từ trước.")
    with transaction(db):
        if account["role"] == "coordinator":
            others = db.conn.execute(
                "SELECT COUNT(*) FROM accounts WHERE role = 'coordinator'"
                " AND disabled_at IS NULL AND username <> ?", [name]).fetchone()[0]
            if not others:
                raise StoreError(f"Không thể ngừng '{name}': đây là tài khoản đầu mối tổng hợp "
                                 "cuối cùng còn hoạt động.")
        db.conn.execute("UPDATE accounts SET disabled_at = ? WHERE username = ?",
                        (utc_iso(now), name))
        ended = end_sessions(db, name)
        record_event(db, actor, "account.deactivate", unit_code=account["unit_code"],
                     detail={"username": name, "sessions_ended": ended}, now=now)
    return ended


def reactivate_account(db: Database, username: str, *, actor: str,
                       now: datetime | None = None) -> None:
    """Let a deactivated account log in again (with the password it had)."""
    account = get_account(db, username)
    if account["disabled_at"] is None:
        raise Conflict(f"Tài khoản '{account['username']}' đang hoạt động.")
    with transaction(db):
        db.conn.execute("UPDATE accounts SET disabled_at = NULL WHERE username = ?",
                        [account["username"]])
        record_event(db, actor, "account.reactivate", unit_code=account["unit_code"],
                     detail={"username": account["username"]}, now=now)


def create_missing_accounts(db: Database, *, actor: str,
                            now: datetime | None = None) -> list[Credential]:
    """One account with a one-time password for every unit that has none, in code order."""
    made = []
    for unit in units_without_account(db):
        code = clean_text(unit["code"])
        if code is None:
            raise UnitNotFound("Đơn vị không có mã.")
        made.append(create_unit_account(db, code, actor=actor, now=now))
    return made
