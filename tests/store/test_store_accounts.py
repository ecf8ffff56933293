"""Accounts: hashed passwords, role rules, lockout after repeated failures."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

import store

T0 = datetime.fromisoformat("2025-11-10T09:00:00+07:00")


@pytest.fixture
def db(fresh_db):
    store.add_unit(fresh_db, "VHXH", "Phòng Văn hóa - Xã hội")
    return fresh_db


def test_password_is_hashed_and_verified(db):
    store.add_account(db, "Nguyen.Van.A", "mật-khẩu-123", "unit", unit="VHXH")
    stored = db.conn.execute("SELECT password_hash FROM accounts").fetchone()[0]
    assert stored != "mật-khẩu-123"
    assert "mật-khẩu-123" not in stored
    account = store.verify_password(db, "nguyen.van.a", "mật-khẩu-123")
    assert account is not None
    assert account["username"] == "nguyen.van.a"  # usernames are case-insensitive
    assert account["role"] == "unit" and account["unit_code"] == "VHXH"
    assert "password_hash" not in account
    assert store.verify_password(db, "nguyen.van.a", "sai") is None
    assert store.verify_password(db, "khong-co", "mật-khẩu-123") is None
    assert store.verify_password(db, "", "x") is None


def test_role_rules(db):
    with pytest.raises(store.StoreError, match="phải gắn với một đơn vị"):
        store.add_account(db, "u", "pw", "unit")
    with pytest.raises(store.StoreError, match="không gắn với đơn vị nào"):
        store.add_account(db, "c", "pw", "coordinator", unit="VHXH")
    with pytest.raises(store.StoreError, match="Vai trò phải là"):
        store.add_account(db, "x", "pw", "admin")
    with pytest.raises(store.UnitNotFound):
        store.add_account(db, "u", "pw", "unit", unit="NOPE")
    with pytest.raises(store.StoreError, match="Mật khẩu không được để trống"):
        store.add_account(db, "c", "", "coordinator")
    coordinator = store.add_account(db, "dau-moi", "pw", "coordinator")
    assert coordinator["unit_code"] is None
    with pytest.raises(store.Conflict, match="Đã có tài khoản 'dau-moi'"):
        store.add_account(db, "DAU-MOI", "pw2", "coordinator")
    assert [a["username"] for a in store.list_accounts(db)] == ["dau-moi"]
    assert store.list_accounts(db, role="unit") == []


def test_set_password(db):
    store.add_account(db, "c", "cu", "coordinator")
    store.set_password(db, "c", "moi")
    assert store.verify_password(db, "c", "cu") is None
    assert store.verify_password(db, "c", "moi") is not None
    with pytest.raises(store.AccountNotFound, match="Không có tài khoản 'z'"):
        store.set_password(db, "z", "x")


def test_repeated_failures_lock_the_account_for_a_while(db):
    store.add_account(db, "c", "dung", "coordinator")
    for _ in range(4):
        assert store.verify_password(db, "c", "sai", now=T0) is None
    assert store.get_account(db, "c")["failed_logins"] == 4
    assert store.verify_password(db, "c", "sai", now=T0) is None  # 5th: locked
    account = store.get_account(db, "c")
    assert account["locked_until"] == "2025-11-10T02:15:00+00:00"
    # Even the right password is refused while locked...
    assert store.verify_password(db, "c", "dung", now=T0 + timedelta(minutes=10)) is None
    # ...and accepted afterwards, which clears the lock.
    assert store.verify_password(db, "c", "dung", now=T0 + timedelta(minutes=16)) is not None
    assert store.get_account(db, "c")["locked_until"] is None
    actions = [e["action"] for e in store.list_events(db, actor="c", newest_first=False)]
    assert actions == ["login.failed"] * 4 + ["login.locked", "login"]
